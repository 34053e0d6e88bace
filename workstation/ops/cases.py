"""Use cases on single cases: list, show, edit, undo, note, and a new case typed by hand."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.audit import AuditAction
from workstation.core.changes import Changes
from workstation.core.codebook import codebook
from workstation.core.errors import InvalidValue
from workstation.core.fields import MAX_TEXT_CHARS
from workstation.core.jsonable import jsonable
from workstation.core.model import (
    Activity,
    Adjustment,
    Case,
    Claim,
    Payer,
    Person,
    Remark,
    ServiceLine,
)
from workstation.core.money import dollars
from workstation.core.payer_kinds import default_ladders
from workstation.core.summary import CaseSummary
from workstation.core.vocabulary import PayerKind, Status, most_actionable
from workstation.ops.audit import record
from workstation.ops.deadlines import with_deadlines
from workstation.ops.review import check_route_change, check_status_change, review_state


def list_cases(workspace: Workspace, *, status: str | None = None) -> list[CaseSummary]:
    """Every case after a rescan, closed ones too, unless filtered by status."""
    if status is not None:
        Status(status)  # an unknown status is a usage error, raised as ValueError
    workspace.index.rescan()
    rows = with_deadlines(workspace, workspace.index.rows())
    return [row for row in rows if status is None or row.status == status]


def unreadable_notice(count: int) -> str:
    """What a listing that leaves out unreadable case files says on stderr (its stdout, a script's
    JSON, stays as it was), so no deadline is missed unnoticed; "" when every case was read."""
    if not count:
        return ""
    if count == 1:
        return "1 case file could not be read and is not counted here; `workstation check` names it."
    return f"{count:,} case files could not be read and are not counted here; `workstation check` names them."


def case_json(path: Path, case: Case) -> dict[str, Any]:
    """The whole case for `show --json`, with the derived figures a script wants."""
    book = codebook()
    data = jsonable(case)
    data["path"] = str(path.resolve())
    data["amount_at_stake"] = jsonable(case.amount_at_stake)
    data["reasons"] = case.reasons
    data["missing"] = case.missing_fields()
    review = review_state(case)
    data.pop("steps", None)
    data["checklist"] = [{"key": s.key, "text": s.text, "codes": list(s.codes), "state": s.state.value,
                          "by": s.record.by, "at": jsonable(s.record.at), "note": s.record.note} for s in review.steps]
    data["evidence_needed"] = [kind.value for kind in review.needed]
    data["evidence_missing"] = [kind.value for kind in review.missing]
    for adjustment in data["adjustments"]:
        adjustment["description"] = book.reason(adjustment["carc"]).description
    for remark in data["remarks"]:
        remark["description"] = book.remark(remark["code"]).description
    return data


def open_case_file(path: Path) -> CaseFile:
    """Open a case for viewing and editing (read-only when its folder is)."""
    return CaseFile.open(Path(path))


def load_case(path: Path) -> Case:
    """Read a case to show it (`workstation show`), recorded in its workspace's audit trail."""
    with CaseFile.open(Path(path), read_only=True) as case_file:
        case = case_file.load()
    record(Path(path), AuditAction.OPEN_CASE, case_id=case.case_id, detail="shown by the command line")
    return case


def edit_case_field(case_file: CaseFile, *, key: str, value: Any, actor: str, expected: Any = ...,
                    workspace: Workspace | None = None, case: Case | None = None) -> Changes:
    """Commit one edit and keep the worklist row in step (`workspace`: the window's hub refreshes
    rows itself). The workflow checks use `case` as last read when given (the `expected` guard
    refuses the edit if the file says otherwise), else read it."""
    if key in ("case.status", "case.route"):
        known = case or case_file.load()
        (check_status_change if key == "case.status" else check_route_change)(known, value)
    changes = case_file.set_field(key, value, actor=actor, expected=expected)
    _refresh_row(workspace, case_file, changes)
    return changes


def undo_case_edit(case_file: CaseFile, *, actor: str, workspace: Workspace | None = None) -> Changes:
    """Ctrl+Z: take back the last action done in this case (an edit, a note, a call, an attachment,
    a letter saved...), refused with a sentence when the file was changed elsewhere since."""
    changes = case_file.undo(actor=actor)
    _refresh_row(workspace, case_file, changes)
    return changes


def add_case_note(case_file: CaseFile, *, text: str, actor: str) -> Changes:
    return case_file.add_note(text, actor=actor)


def _refresh_row(workspace: Workspace | None, case_file: CaseFile, changes: Changes) -> None:
    if workspace is not None and changes.worklist:
        workspace.index.refresh(case_file.path)


@dataclass
class ManualCase:
    """What a biller types from a paper EOB to open a case by hand."""

    patient_last: str
    patient_first: str
    payer_name: str
    payer_kind: PayerKind
    procedure_code: str
    service_date: date
    billed: Decimal
    denied: Decimal
    carc: str
    group: str = "CO"
    date_of_birth: date | None = None
    member_id: str = ""
    claim_number: str = ""
    account_number: str = ""
    notice_date: date | None = None
    remarks: list[str] = field(default_factory=list)
    #: further reason codes the notice cites ("CO-16"), each with the amount it took; `carc`
    #: keeps the rest of `denied` (a notice with CO-50 120.00 and CO-16 30.00: denied 150.00)
    more_reasons: list[tuple[str, Decimal]] = field(default_factory=list)


def check_manual_case(entry: ManualCase) -> None:
    """Refuse a hand-typed case that lacks what a case needs, or holds a value longer than any
    notice carries (a file pasted whole), with a sentence saying what."""
    for words, value in _typed(entry):
        if len(value) > MAX_TEXT_CHARS:
            raise InvalidValue(f"The {words} has {len(value):,} characters, where at most {MAX_TEXT_CHARS:,} are "
                               "kept; shorten it. No case was made.")
    if not entry.patient_last.strip():
        raise InvalidValue("Type the patient's last name; a case needs to say whose claim it is.")
    if not entry.payer_name.strip():
        raise InvalidValue("Type the payer's name as it appears on the notice.")
    if not entry.carc.strip():
        raise InvalidValue("Type the denial reason code from the notice (for example 50 or CO-50).")
    if entry.denied <= 0:
        raise InvalidValue("The denied amount must be more than zero.")
    if entry.more_reasons and _first_share(entry) <= 0:
        raise InvalidValue(f"The further reason codes take {dollars(entry.denied - _first_share(entry))} of the "
                           f"{dollars(entry.denied)} denied, leaving nothing for {entry.carc.upper()}; check the "
                           "amounts on the notice.")


def _typed(entry: ManualCase) -> list[tuple[str, str]]:
    """Every text of a hand-typed case, with the words that name it."""
    return [("patient's last name", entry.patient_last), ("patient's first name", entry.patient_first),
            ("payer's name", entry.payer_name), ("procedure code", entry.procedure_code),
            ("reason code", entry.carc), ("group code", entry.group), ("member ID", entry.member_id),
            ("claim number", entry.claim_number), ("account number", entry.account_number),
            *(("remark code", code) for code in entry.remarks),
            *(("reason code", code) for code, _amount in entry.more_reasons)]


def _first_share(entry: ManualCase) -> Decimal:
    """What the first reason code took: the denied amount less what the further codes took."""
    return entry.denied - sum((amount for _code, amount in entry.more_reasons), Decimal("0.00"))


def _group_and_reason(code: str, default_group: str) -> tuple[str, str]:
    group, _, carc = code.strip().upper().rpartition("-")
    return group or default_group, carc


def case_from_manual(entry: ManualCase, *, actor: str, now: datetime) -> Case:
    """A complete Case from a hand-typed paper EOB, routed by the code book."""
    check_manual_case(entry)
    book, adjustments, whys = codebook(), [], {}
    for code, amount in [(entry.carc, _first_share(entry)), *entry.more_reasons]:
        group, carc = _group_and_reason(code, entry.group)
        decision = book.decide(group, carc, amount, entry.remarks)
        adjustments.append(Adjustment(group, carc, amount, line_number=1, route=decision.route, opens_case=True))
        whys.setdefault(decision.route, decision.why)
    routes = [a.route for a in adjustments if a.route]
    route = most_actionable(routes) if routes else None  # as an import routes a claim's several codes
    case = Case(
        case_id=str(uuid.uuid4()), created_at=now, route=route, route_reason=whys.get(route, next(iter(whys.values()))),
        notice_date=entry.notice_date,
        claim=Claim(account_number=entry.account_number, payer_claim_number=entry.claim_number,
                    status_code="4" if entry.denied >= entry.billed else "1",
                    service_from=entry.service_date, service_to=entry.service_date,
                    billed=entry.billed, paid=max(entry.billed - entry.denied, Decimal("0.00"))),
        patient=Person(entry.patient_last.strip(), entry.patient_first.strip(),
                       date_of_birth=entry.date_of_birth, member_id=entry.member_id),
        payer=Payer(name=entry.payer_name.strip(), kind=entry.payer_kind,
                    kind_needs_check=default_ladders()[entry.payer_kind].needs_check),
        lines=[ServiceLine(1, entry.procedure_code.strip().upper(), service_from=entry.service_date,
                           service_to=entry.service_date, billed=entry.billed,
                           paid=max(entry.billed - entry.denied, Decimal("0.00")))],
        adjustments=adjustments,
        remarks=[Remark(code.strip().upper()) for code in entry.remarks if code.strip()],
        activity=[Activity(now, actor, "created", "Case opened by hand from a paper notice")],
    )
    case.insured = Person(**vars(case.patient))
    return case


def new_manual_case(workspace: Workspace, entry: ManualCase, *, actor: str) -> Path:
    """File > New case: write the case file and add it to the worklist."""
    workspace.require_writable()
    now = datetime.now().replace(microsecond=0)
    case = case_from_manual(entry, actor=actor, now=now)
    # under the import lock: `check` and the next open remove unfinished files only when no one
    # holds it, so the file being written here is never taken for one an interrupted import left
    with workspace.import_lock(timeout=3):
        path = CaseFile.create(workspace.new_case_path(now.date()), case)
    workspace.index.refresh(path)
    return path
