"""Issue 10, point 8: names print as a person writes them, the TIN one way everywhere."""

from __future__ import annotations

from datetime import date

import pytest
from practice_fixtures import SAMPLE_PRACTICE

from workstation.core.model import Person, Provider
from workstation.documents.letter_context import letter_context, tin_text, written_name


@pytest.mark.parametrize(("sent", "written"), [
    ("D'EXEMPLO", "D'Exemplo"), ("MCDONALD", "McDonald"), ("O'NEIL", "O'Neil"), ("SMITH-JONES", "Smith-Jones"),
    ("ZOË", "Zoë"), ("ÑANDÚ", "Ñandú"), ("van der Berg", "van der Berg"), ("McCoy", "McCoy"), ("", ""),
    ("DANA EXAMPLE MD", "Dana Example MD"), ("RIVERBEND CLINIC LLC", "Riverbend Clinic LLC"),
])
def test_upper_case_remittance_names_are_written_as_people_write_them(sent: str, written: str) -> None:
    assert written_name(sent) == written


@pytest.mark.parametrize(("typed", "printed"), [("123456789", "12-3456789"), ("12-3456789", "12-3456789"),
                                                 (" 12 3456789 ", "12-3456789"), ("123-45-6789", "123-45-6789")])
def test_a_tin_prints_one_way(typed: str, printed: str) -> None:
    assert tin_text(typed) == printed


def test_the_letter_context_carries_written_names_and_one_tin_format(make_case) -> None:
    case = make_case(patient=Person("D'EXEMPLO", "ZOË", "", None, "M-1", ""),
                     insured=Person("MCDONALD", "LEE", "", None, "M-1", ""),
                     provider=Provider("Dr. Example", "1234567893", "987654321"))
    context = letter_context(case, SAMPLE_PRACTICE, deadline=None, enclosures=[], fields={}, today=date(2026, 4, 1))
    assert context["patient"]["name"] == "Zoë D'Exemplo"
    assert context["patient"]["insured_name"] == "Lee McDonald"
    assert context["provider"]["tin"] == "98-7654321"
    assert context["practice"]["tin"] == "12-3456789"
