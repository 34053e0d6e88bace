"""Issue 13, point 3: recurring denials (payer x reason x procedure x modifier) with the check
before billing that would catch them, and an adopted change counted before and after."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from remit_text import claim, interchange, line, transaction
from remit_text import import_text as run

from workstation.casefile.workspace import Workspace
from workstation.core.codebook import codebook
from workstation.core.patterns import PatternKey, prevention_check
from workstation.ops.report import ReportRequest, adopt_pattern, build_report

PAYER = "DEMO MEDICARE CONTRACTOR"


def _bundled(account: str, day: str) -> list[str]:
    """97110 denied as bundled (CO-97 60.00) beside a paid 99213, on `day`."""
    return claim(account, "1", "160", "100", *line("99213", "100", "100", day),
                 *line("97110:GP", "60", "0", day, "CAS*CO*97*60"), icn=f"I-{account}", member=f"M-{account}")


def _no_auth(account: str, day: str) -> list[str]:
    return claim(account, "4", "500", "0", *line("72148", "500", "0", day, "CAS*CO*197*500"),
                 icn=f"I-{account}", member=f"M-{account}")


def _import(ws: Workspace, tmp_path: Path, name: str, notice: str, *claims: list[str]) -> None:
    run(ws, tmp_path, name, interchange(transaction(*claims, trace=f"T-{name}", notice=notice, payment_date=notice),
                                        control=f"{abs(hash(name)) % 10**9:09d}"))


def test_a_pattern_needs_three_denials_in_90_days_and_names_its_check(ws: Workspace, tmp_path: Path) -> None:
    # 97110-GP bundled three times (Jan, Feb, Mar); 72148 without authorization twice; a bundling
    # denial in 2025 is outside the 90 days before 2026-03-31.
    _import(ws, tmp_path, "old", "20251201", _bundled("OLD-1", "20251110"))
    _import(ws, tmp_path, "jan", "20260115", _bundled("P-1", "20260105"), _no_auth("Q-1", "20260106"))
    _import(ws, tmp_path, "feb", "20260216", _bundled("P-2", "20260203"), _no_auth("Q-2", "20260204"))
    _import(ws, tmp_path, "mar", "20260316", _bundled("P-3", "20260302"))
    patterns = build_report(ws, ReportRequest(today=date(2026, 3, 31)))["patterns"]
    assert [(p["payer"], p["code"], p["procedure"], p["modifier"], p["count"], p["denied"]) for p in patterns] == [
        (PAYER, "CO-97", "97110", "GP", 3, "180.00")]
    assert "NCCI" in patterns[0]["check"] and patterns[0]["adopted"] is None


def _adopted_and_seen(ws: Workspace, on: date, note: str, today: date) -> dict:
    """The bundled-therapy pattern (CO-97 on 97110-GP) after a change adopted against it on `on`,
    as the report of `today` shows it (the only pattern)."""
    adopt_pattern(ws, PatternKey(PAYER, "CO-97", "97110", "GP"), on=on, note=note, actor="dana")
    (pattern,) = build_report(ws, ReportRequest(today=today))["patterns"]
    return pattern


def test_an_adopted_change_shows_denials_before_and_after(ws: Workspace, tmp_path: Path) -> None:
    _import(ws, tmp_path, "jan", "20260115", _bundled("P-1", "20260105"))
    _import(ws, tmp_path, "feb", "20260216", _bundled("P-2", "20260203"))
    _import(ws, tmp_path, "mar", "20260302", _bundled("P-3", "20260220"))
    _import(ws, tmp_path, "late", "20260325", _bundled("P-4", "20260318"))
    pattern = _adopted_and_seen(ws, date(2026, 3, 10), "Coders check NCCI edits for therapy pairs", date(2026, 4, 9))
    # adopted 03-10, seen 04-09: 30 days after (one denial, 03-25) against 30 days before (02-08..03-09:
    # the denials of 02-16 and 03-02)
    assert pattern["adopted"] == {"on": "2026-03-10", "note": "Coders check NCCI edits for therapy pairs",
                                  "before": 2, "after": 1}


def test_a_change_adopted_long_ago_counts_the_denials_of_as_long_before(ws: Workspace, tmp_path: Path) -> None:
    # Adopted 2026-01-01, seen 2026-07-01 (181 days): the span before runs from 2025-07-04, far
    # past the 90 days the patterns look at, so the report must read the denials from then.
    _import(ws, tmp_path, "too-old", "20250601", _bundled("P-0", "20250520"))  # before the span
    _import(ws, tmp_path, "aug", "20250815", _bundled("P-1", "20250805"))
    _import(ws, tmp_path, "oct", "20251015", _bundled("P-2", "20251005"))
    _import(ws, tmp_path, "dec", "20251215", _bundled("P-3", "20251205"))
    _import(ws, tmp_path, "may", "20260515", _bundled("P-4", "20260505"))
    pattern = _adopted_and_seen(ws, date(2026, 1, 1), "Modifier 59 reviewed before billing", date(2026, 7, 1))
    # the May denial is also one of the last 90 days
    assert (pattern["count"], pattern["adopted"]["before"], pattern["adopted"]["after"]) == (1, 3, 1)


def test_every_code_book_category_has_a_check_before_billing() -> None:
    book = codebook()
    for code, reason in book.reasons.items():
        text = prevention_check(code, book)
        assert text and text.endswith("."), (code, reason.category)


def test_the_prevention_texts_name_only_codes_and_categories_the_code_book_has() -> None:
    import tomllib

    from workstation.core.resources import resource_path

    with resource_path("codes", "prevention.toml").open("rb") as handle:
        texts = tomllib.load(handle)
    book = codebook()
    assert set(texts["codes"]) <= set(book.reasons)
    assert {r.category for r in book.reasons.values()} <= set(texts["categories"])


def test_a_past_period_counts_patterns_in_its_own_last_90_days(ws: Workspace, tmp_path: Path) -> None:
    _import(ws, tmp_path, "jan", "20260115", _bundled("P-1", "20260105"))
    _import(ws, tmp_path, "feb", "20260216", _bundled("P-2", "20260203"))
    _import(ws, tmp_path, "mar", "20260316", _bundled("P-3", "20260302"))
    late = build_report(ws, ReportRequest(date(2026, 1, 1), date(2026, 3, 31), today=date(2026, 12, 1)))
    assert [(p["code"], p["count"]) for p in late["patterns"]] == [("CO-97", 3)]  # run in December, of Q1
