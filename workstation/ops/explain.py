"""`workstation explain CODE...` and "Validate file...": the code book and pyx12, in words."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from workstation.core.codebook import codebook
from workstation.intake.validate import ValidationReport, validate_x12
from workstation.ops.official_codes import official_wording

GROUPS = ("CO", "PR", "OA", "PI", "CR")


def explain_code(text: str) -> str:
    """Meaning, route and why for "CO-253", "50", "N130", "MA130" or a group code."""
    book, code = codebook(), text.strip().upper()
    group, _, carc = code.rpartition("-")
    if code in book.groups:
        entry = book.groups[code]
        return f"{code}: group code, {entry.name}. {entry.description}."
    if not group and code in book.remarks and code not in book.reasons:
        return _remark(code)
    if group and group not in GROUPS:
        return f"{text}: unknown group code '{group}'; groups are {', '.join(GROUPS)}."
    if carc not in book.reasons:
        return _remark(code) if code in book.remarks else f"{text}: not in the code book; look it up on x12.org."
    return _reason(group, carc)


def _reason(group: str, carc: str) -> str:
    book = codebook()
    entry = book.reason(carc)
    decision = book.decide(group or "CO", carc, Decimal("1"), [])
    label = f"{group}-{carc}" if group else f"CARC {carc}"
    lines = [f"{label}: {entry.description}.", *_official(carc),
             f"  category: {entry.category.replace('_', ' ')}; appealable: {entry.appealable.value}"
             + (f"; retired {entry.retired}" if entry.retired else ""),
             f"  route: {decision.route.label.lower()}{'' if decision.opens_case else ' (opens no case)'}"]
    if decision.why.rstrip(".") != entry.description.rstrip("."):
        lines.append(f"  why: {decision.why}")
    if not group:
        lines.append("  (as CO; under PR the patient may be billed, see `explain PR-" + carc + "`)")
    review = book.review_for(carc, decision.route)  # the steps of the route it takes, never another's
    lines += [f"  check: {step}" for step in review.steps]
    if review.evidence:
        lines.append("  evidence: " + ", ".join(kind.value.replace("_", " ") for kind in review.evidence))
    return "\n".join(lines)


def _remark(code: str) -> str:
    entry = codebook().remark(code)
    effect = {"no_appeal": " It forbids an appeal.",
              "no_appeal_resubmit": " No appeal rights: correct the claim and submit it again."}.get(entry.effect, "")
    if "appeal" in entry.description.lower():
        effect = ""
    retired = f" (retired {entry.retired})" if entry.retired else ""
    return "\n".join([f"{code}: remark code{retired}. {entry.description}.{effect}", *_official(code)])


def _official(code: str) -> list[str]:
    """The official X12 wording, when the user imported the list they obtained."""
    wording = official_wording(code)
    return [f"  X12 wording (your imported list): {wording}"] if wording else []


def validate_file(path: Path) -> ValidationReport:
    """The full implementation-guide check of an X12 file."""
    return validate_x12(path)
