"""Golden letters: the full text of a few letters, reviewed once by eye and kept, so any change
to wording or layout shows up as a diff (run with GOLDEN_UPDATE=1 to rewrite them on purpose)."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from workstation.core.model import Address, Adjustment, Case
from workstation.core.vocabulary import Route
from workstation.core.workspace_model import PracticeProfile
from workstation.documents.letter_context import LETTER_FIELDS, letter_context
from workstation.documents.letter_pdf import letter_pdf
from workstation.documents.letter_templates import load_catalog, render_markup
from workstation.documents.representation import representation

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden"
PRACTICE = PracticeProfile("Riverbend Family Medicine & Physical Therapy", Address("123 Example Street", "Suite 4",
                           "Sampleburg", "ZZ", "00010"), "555-0150", "555-0151", "1234567893", "000000000",
                           "Dana Example", "Dana Example", "Billing Manager")
FIELDS = {key: f"[{label.split(' (')[0]}]" for key, label in LETTER_FIELDS.items()}


def _timely(case: Case) -> Case:
    case.adjustments = [Adjustment("CO", "29", Decimal("270.00"), None, None, Route.APPEAL, True)]
    return case


def _corrected(case: Case) -> Case:
    case.adjustments = [Adjustment("CO", "4", Decimal("200.00"), None, 1, Route.RESUBMIT, True)]
    case.route = Route.RESUBMIT
    return case


def _sequestration(case: Case) -> Case:
    case.adjustments = [Adjustment("CO", "253", Decimal("5.00"), None, 1, Route.INQUIRY, True)]
    case.claim.paid, case.remarks, case.route = Decimal("100.00"), [], Route.INQUIRY
    return case


#: The letters kept whole: the case each is drafted for, and the fields typed beyond the placeholders.
CASES: dict[str, tuple[Callable[[Case], Case], dict[str, str]]] = {
    "general_appeal": (lambda case: case, {}),
    "medical_necessity": (lambda case: case, {}),
    "medicare_redetermination": (lambda case: case, {}),
    "timely_filing": (_timely, {"original_submission_date": "02/20/2026"}),
    "corrected_claim": (_corrected, {}),
    "sequestration_inquiry": (_sequestration, {}),
}


def _text(template_id: str, make_case) -> str:
    adjust, typed = CASES[template_id]
    case = adjust(make_case())
    context = letter_context(case, PRACTICE, deadline=None, enclosures=["Office notes", "Referral"],
                             fields=FIELDS | typed, today=date(2026, 3, 31))
    standing = representation(case.payer.kind.value, "", practice=PRACTICE.name, plan=case.payer.name,
                              patient=context["patient"]["name"])
    context["representation"] = {"sentence": standing.sentence, "pages": list(standing.pages)}  # as draft_letter
    context["letter"] = {"kind": case.route.value if case.route else "appeal"}
    pdf = letter_pdf(context, render_markup(load_catalog().get(template_id), context))
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages) + "\n"


@pytest.mark.parametrize("template_id", sorted(CASES))
def test_letter_text_matches_its_golden_file(template_id: str, make_case) -> None:
    golden = GOLDEN / f"{template_id}.txt"
    text = _text(template_id, make_case)
    if os.environ.get("GOLDEN_UPDATE"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_a_bundling_denial_needs_the_distinct_service_facts(make_case) -> None:
    from workstation.documents.letter_templates import missing_fields

    template = load_catalog().get("coding_correction")
    fields = FIELDS | {"distinct_service_detail": ""}
    context = letter_context(make_case(), PRACTICE, deadline=None, enclosures=[], fields=fields,
                             today=date(2026, 3, 31))
    assert "why the services were distinct" in missing_fields(template, context)  # full_case has CO-97
    no_bundling = make_case()
    no_bundling.adjustments = [a for a in no_bundling.adjustments if a.carc != "97"]
    context = letter_context(no_bundling, PRACTICE, deadline=None, enclosures=[], fields=fields,
                             today=date(2026, 3, 31))
    assert "why the services were distinct" not in missing_fields(template, context)
