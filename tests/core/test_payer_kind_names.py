"""A payer's name is read word by word: "PLANO" is a town, not a plan."""

from __future__ import annotations

import pytest

from workstation.core.payer_kinds import kind_from_name
from workstation.core.vocabulary import PayerKind


@pytest.mark.parametrize(("name", "kind"), [
    ("MEDICARE PART B PLANO TX", PayerKind.MEDICARE),
    ("SUNRISE MEDICARE ADVANTAGE", PayerKind.MEDICARE_ADVANTAGE),
    ("MEDICARE HMO OF EXAMPLETON", PayerKind.MEDICARE_ADVANTAGE),
    ("EXAMPLE MEDICARE PLAN", PayerKind.MEDICARE_ADVANTAGE),
    ("STATE MEDICAID", PayerKind.MEDICAID),
    ("ACME HEALTH PLAN", None),
])
def test_kind_from_name_matches_whole_words(name: str, kind: PayerKind | None) -> None:
    assert kind_from_name(name) is kind
