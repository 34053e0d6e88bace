"""Case <-> rows: how each part of a case is written to and read from its tables."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

import workstation
from workstation.core.dates import iso, parse_date
from workstation.core.errors import InvalidValue
from workstation.core.model import (
    Activity,
    Address,
    Adjustment,
    CallRecord,
    Case,
    Claim,
    DecisionRecord,
    EvidenceDoc,
    Note,
    Payer,
    Person,
    Provider,
    Remark,
    RemittanceSeen,
    ServiceLine,
    StepNote,
    Submission,
)
from workstation.core.money import money_text, stored_amount
from workstation.core.vocabulary import EvidenceKind, PayerKind, Route, Status


def _m(value: Decimal | None) -> str | None:
    return None if value is None else money_text(value)


def _ts(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


#: what every new case file says made it: the program and its one version (workstation/__init__.py)
CREATED_BY = f"Appeal Workstation {workstation.__version__}"


def write_case(conn: sqlite3.Connection, case: Case) -> None:
    """Insert every part of a new case (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO case_info (id, case_id, created_at, status, route, route_reason, assignee,"
        " notice_date, notice_date_override, recovered, opened_amount, warnings, created_by)"
        " VALUES (1,?,?,?,?,?,?,?,?,?,?,?,?)",
        (case.case_id, _ts(case.created_at), case.status.value,
         case.route.value if case.route else None, case.route_reason, case.assignee,
         iso(case.notice_date), iso(case.notice_date_override), money_text(case.recovered),
         None if case.opened_amount is None else money_text(case.opened_amount), json.dumps(case.warnings),
         CREATED_BY),
    )
    _write_claim(conn, case.claim)
    _write_person(conn, "patient", case.patient, "")
    _write_person(conn, "insured", case.insured, case.insured_relationship)
    _write_payer(conn, case.payer)
    _write_provider(conn, case.provider)
    _write_lines(conn, case)
    for note in case.notes:
        conn.execute("INSERT INTO notes (created_at, author, text) VALUES (?,?,?)",
                     (_ts(note.created_at), note.author, note.text))
    for entry in case.activity:
        append_activity(conn, entry)
    for call in case.calls:
        insert_call(conn, call)
    for step in case.steps:
        upsert_step(conn, step)
    for submission in case.submissions:
        insert_submission(conn, submission)
    for decision in case.decisions:
        insert_decision(conn, decision)


def _write_claim(conn: sqlite3.Connection, claim: Claim) -> None:
    conn.execute(
        "INSERT INTO claim (id, account_number, payer_claim_number, status_code, filing_indicator,"
        " facility_code, frequency_code, service_from, service_to, billed, allowed, paid,"
        " patient_responsibility, diagnosis_codes) VALUES (1,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (claim.account_number, claim.payer_claim_number, claim.status_code,
         claim.filing_indicator, claim.facility_code, claim.frequency_code,
         iso(claim.service_from), iso(claim.service_to), _m(claim.billed), _m(claim.allowed),
         _m(claim.paid), _m(claim.patient_responsibility), json.dumps(claim.diagnosis_codes)),
    )


def _write_person(conn: sqlite3.Connection, role: str, person: Person, relationship: str) -> None:
    conn.execute(
        "INSERT INTO people (role, last_name, first_name, middle_name, date_of_birth, member_id,"
        " group_number, relationship) VALUES (?,?,?,?,?,?,?,?)",
        (role, person.last_name, person.first_name, person.middle_name,
         iso(person.date_of_birth), person.member_id, person.group_number, relationship),
    )


def _write_payer(conn: sqlite3.Connection, payer: Payer) -> None:
    a = payer.address
    conn.execute(
        "INSERT INTO payer (id, name, payer_id, kind, kind_needs_check, line1, line2, city, state,"
        " zip, phone) VALUES (1,?,?,?,?,?,?,?,?,?,?)",
        (payer.name, payer.payer_id, payer.kind.value, int(payer.kind_needs_check),
         a.line1, a.line2, a.city, a.state, a.zip, payer.phone),
    )


def _write_provider(conn: sqlite3.Connection, provider: Provider) -> None:
    a = provider.address
    conn.execute(
        "INSERT INTO provider (id, name, npi, tin, ptan, line1, line2, city, state, zip)"
        " VALUES (1,?,?,?,?,?,?,?,?,?)",
        (provider.name, provider.npi, provider.tin, provider.ptan,
         a.line1, a.line2, a.city, a.state, a.zip),
    )


def _write_lines(conn: sqlite3.Connection, case: Case) -> None:
    conn.executemany(
        "INSERT INTO service_lines (line_number, procedure_code, modifiers, units, service_from,"
        " service_to, billed, allowed, paid) VALUES (?,?,?,?,?,?,?,?,?)",
        [(ln.line_number, ln.procedure_code, json.dumps(ln.modifiers), str(ln.units),
          iso(ln.service_from), iso(ln.service_to), _m(ln.billed), _m(ln.allowed), _m(ln.paid))
         for ln in case.lines],
    )
    write_adjustments(conn, case.adjustments)
    conn.executemany("INSERT INTO remarks (line_number, code) VALUES (?,?)",
                     [(r.line_number, r.code) for r in case.remarks])
    write_remittances(conn, case.remittances)


def write_adjustments(conn: sqlite3.Connection, adjustments: list[Adjustment]) -> None:
    conn.executemany(
        "INSERT INTO adjustments (line_number, group_code, carc, amount, quantity, route,"
        " opens_case) VALUES (?,?,?,?,?,?,?)",
        [(a.line_number, a.group, a.carc, _m(a.amount),
          None if a.quantity is None else str(a.quantity),
          a.route.value if a.route else None, int(a.opens_case)) for a in adjustments],
    )


def write_remittances(conn: sqlite3.Connection, remittances: list[RemittanceSeen]) -> None:
    conn.executemany(
        "INSERT INTO remittances (file_sha256, file_name, notice_date, payer_claim_number,"
        " status_code, paid, check_number, transaction_id, imported_at) VALUES (?,?,?,?,?,?,?,?,?)",
        [(r.file_sha256, r.file_name, iso(r.notice_date), r.payer_claim_number, r.status_code,
          _m(r.paid), r.check_number, r.transaction_id, _ts(r.imported_at))
         for r in remittances],
    )


def insert_call(conn: sqlite3.Connection, call: CallRecord) -> int:
    cursor = conn.execute(
        "INSERT INTO calls (at, party, department, person, phone, reference, summary, follow_up, by)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        (_ts(call.at), call.party, call.department, call.person, call.phone, call.reference, call.summary,
         iso(call.follow_up), call.by))
    return int(cursor.lastrowid or 0)


def upsert_step(conn: sqlite3.Connection, step: StepNote) -> None:
    conn.execute("INSERT OR REPLACE INTO checklist (step_key, state, by, at, note) VALUES (?,?,?,?,?)",
                 (step.key, step.state, step.by, _ts(step.at), step.note))


def insert_submission(conn: sqlite3.Connection, s: Submission) -> int:
    cursor = conn.execute(
        "INSERT INTO submissions (date, level, method, tracking, packet_doc_id, by, at) VALUES (?,?,?,?,?,?,?)",
        (iso(s.date), s.level, s.method, s.tracking, s.packet_doc_id, s.by,
         datetime.now().isoformat(timespec="seconds")))
    return int(cursor.lastrowid or 0)


def insert_decision(conn: sqlite3.Connection, d: DecisionRecord) -> int:
    cursor = conn.execute(
        "INSERT INTO decisions (date, level, outcome, amount_recovered, reference, letter_doc_id, by, at)"
        " VALUES (?,?,?,?,?,?,?,?)",
        (iso(d.date), d.level, d.outcome, _m(d.amount_recovered), d.reference, d.letter_doc_id, d.by,
         datetime.now().isoformat(timespec="seconds")))
    return int(cursor.lastrowid or 0)


EVIDENCE_COLUMNS = ("id, title, kind, file_name, media_type, size, sha256, included, position, document_date,"
                    " added_at, added_by")


def append_activity(conn: sqlite3.Connection, entry: Activity) -> None:
    conn.execute("INSERT INTO activity (at, actor, kind, message) VALUES (?,?,?,?)",
                 (_ts(entry.at), entry.actor, entry.kind, entry.message))


# -- reading -------------------------------------------------------------------------------------

class UnreadableValue(ValueError):
    """A stored value the program cannot read. It names the table and column, never the value (it
    may be a patient's); CaseFile.load turns it into a DamagedCaseFile sentence."""


E = TypeVar("E", bound=Enum)
_KINDS: dict[type[Enum], str] = {Status: "a case status", Route: "a route", PayerKind: "a payer kind",
                                 EvidenceKind: "a kind of evidence"}


class Stored:
    """One row of a case file's table, read column by column into typed values; a value that is
    not what the program wrote (a word for an amount, 2026-13-45, broken JSON) is UnreadableValue."""

    __slots__ = ("row", "table")

    def __init__(self, table: str, row: sqlite3.Row | None) -> None:
        if row is None:
            raise UnreadableValue(f"the table {table} has no row")
        self.table, self.row = table, row

    def _bad(self, column: str, kind: str) -> UnreadableValue:
        return UnreadableValue(f"the column {column} of the table {self.table} does not hold {kind}")

    def __getitem__(self, column: str) -> Any:
        """The value as stored (text the program only shows)."""
        try:
            return self.row[column]
        except IndexError:
            raise UnreadableValue(f"the table {self.table} has no column {column}") from None

    def number(self, column: str) -> Decimal:
        amount = stored_amount(self[column])
        if amount is None:
            raise self._bad(column, "a number")
        return amount

    def number_or_none(self, column: str) -> Decimal | None:
        return None if self[column] is None else self.number(column)

    def money(self, column: str) -> Decimal:
        amount = stored_amount(self[column])
        if amount is None:
            raise self._bad(column, "an amount of money")
        return amount

    def money_or_none(self, column: str) -> Decimal | None:
        return None if self[column] is None else self.money(column)

    def whole(self, column: str) -> int:
        value = self[column]
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._bad(column, "a whole number")
        return value

    def day(self, column: str) -> date | None:
        value = self[column]
        if value is None:
            return None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)  # as `iso` wrote it; many times faster than strptime
            except ValueError:
                pass
            try:
                return parse_date(value)
            except InvalidValue:
                pass
        raise self._bad(column, "a date")

    def moment(self, column: str) -> datetime:
        value = self[column]
        try:
            if isinstance(value, str):
                return datetime.fromisoformat(value)
        except ValueError:
            pass
        raise self._bad(column, "a date and time")

    def moment_or_none(self, column: str) -> datetime | None:
        return self.moment(column) if self[column] else None

    def texts(self, column: str) -> list[str]:
        """A JSON list of text (diagnosis codes, modifiers, warnings)."""
        try:
            value = json.loads(self[column])
        except (ValueError, TypeError, RecursionError):  # RecursionError: nested past Python's limit
            value = None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self._bad(column, "a JSON list of text")
        return value

    def choice(self, column: str, kind: type[E]) -> E:
        try:
            return kind(self[column])
        except ValueError:
            raise self._bad(column, _KINDS.get(kind, "a known value")) from None

    def choice_or_none(self, column: str, kind: type[E]) -> E | None:
        return self.choice(column, kind) if self[column] else None


def stored_rows(conn: sqlite3.Connection, table: str, order: str, columns: str = "*") -> list[Stored]:
    """Every row of `table` in `order`, each to be read column by column."""
    return [Stored(table, row) for row in conn.execute(f"SELECT {columns} FROM {table} ORDER BY {order}")]


def _one_row(conn: sqlite3.Connection, table: str) -> Stored:
    return Stored(table, conn.execute(f"SELECT * FROM {table}").fetchone())


def evidence_from(row: sqlite3.Row) -> EvidenceDoc:
    r = Stored("evidence", row)
    return EvidenceDoc(r["id"], r["title"], r.choice("kind", EvidenceKind), r["file_name"], r["media_type"],
                       r.whole("size"), r["sha256"], bool(r["included"]), r.whole("position"),
                       r.day("document_date"), r.moment_or_none("added_at"), r["added_by"])


def read_case(conn: sqlite3.Connection) -> Case:
    """Every part of the case, as written by write_case and later edits; a value that cannot be
    read is UnreadableValue, naming its table and column."""
    info = _one_row(conn, "case_info")
    case = Case(
        case_id=info["case_id"], created_at=info.moment("created_at"), status=info.choice("status", Status),
        route=info.choice_or_none("route", Route), route_reason=info["route_reason"], assignee=info["assignee"],
        notice_date=info.day("notice_date"), notice_date_override=info.day("notice_date_override"),
        recovered=info.money("recovered"), opened_amount=info.money_or_none("opened_amount"),
        warnings=info.texts("warnings"),
        claim=_read_claim(_one_row(conn, "claim")),
        payer=_read_payer(_one_row(conn, "payer")),
        provider=_read_provider(_one_row(conn, "provider")),
    )
    for row in stored_rows(conn, "people", "role"):
        if row["role"] == "patient":
            case.patient = _read_person(row)
        else:
            case.insured, case.insured_relationship = _read_person(row), row["relationship"]
    _read_children(conn, case)
    return case


def _read_claim(row: Stored) -> Claim:
    return Claim(
        account_number=row["account_number"], payer_claim_number=row["payer_claim_number"],
        status_code=row["status_code"], filing_indicator=row["filing_indicator"],
        facility_code=row["facility_code"], frequency_code=row["frequency_code"],
        service_from=row.day("service_from"), service_to=row.day("service_to"),
        billed=row.money("billed"), allowed=row.money_or_none("allowed"), paid=row.money("paid"),
        patient_responsibility=row.money("patient_responsibility"), diagnosis_codes=row.texts("diagnosis_codes"),
    )


def _read_person(row: Stored) -> Person:
    return Person(row["last_name"], row["first_name"], row["middle_name"], row.day("date_of_birth"),
                  row["member_id"], row["group_number"])


def _address(row: Stored) -> Address:
    return Address(row["line1"], row["line2"], row["city"], row["state"], row["zip"])


def _read_payer(row: Stored) -> Payer:
    return Payer(name=row["name"], payer_id=row["payer_id"], kind=row.choice("kind", PayerKind),
                 kind_needs_check=bool(row["kind_needs_check"]), address=_address(row), phone=row["phone"])


def _read_provider(row: Stored) -> Provider:
    return Provider(name=row["name"], npi=row["npi"], tin=row["tin"], ptan=row["ptan"], address=_address(row))


def _read_children(conn: sqlite3.Connection, case: Case) -> None:
    case.lines = [
        ServiceLine(r["line_number"], r["procedure_code"], r.texts("modifiers"), r.number("units"),
                    r.day("service_from"), r.day("service_to"), r.money("billed"), r.money_or_none("allowed"),
                    r.money("paid"))
        for r in stored_rows(conn, "service_lines", "line_number")
    ]
    case.adjustments = [
        Adjustment(r["group_code"], r["carc"], r.money("amount"), r.number_or_none("quantity"), r["line_number"],
                   r.choice_or_none("route", Route), bool(r["opens_case"]))
        for r in stored_rows(conn, "adjustments", "id")
    ]
    case.remarks = [Remark(r["code"], r["line_number"]) for r in stored_rows(conn, "remarks", "id")]
    case.remittances = [
        RemittanceSeen(r["file_sha256"], r["file_name"], r.day("notice_date"), r["payer_claim_number"],
                       r["status_code"], r.money("paid"), r["check_number"], r["transaction_id"],
                       r.moment_or_none("imported_at"))
        for r in stored_rows(conn, "remittances", "id")
    ]
    case.notes = [Note(r["text"], r["author"], r.moment("created_at")) for r in stored_rows(conn, "notes", "id")]
    case.activity = [Activity(r.moment("at"), r["actor"], r["kind"], r["message"])
                     for r in stored_rows(conn, "activity", "id")]
    case.evidence = [evidence_from(r) for r in conn.execute(
        f"SELECT {EVIDENCE_COLUMNS} FROM evidence ORDER BY position, id")]
    case.calls = [CallRecord(r.moment("at"), r["party"], r["department"], r["person"], r["phone"], r["reference"],
                             r["summary"], r.day("follow_up"), r["by"], r["id"])
                  for r in stored_rows(conn, "calls", "at, id")]
    case.submissions = [Submission(r.day("date"), r.whole("level"), r["method"], r["tracking"], r["packet_doc_id"],
                                   r["by"], r["id"])
                        for r in stored_rows(conn, "submissions", "date, id")]
    case.decisions = [DecisionRecord(r.day("date"), r.whole("level"), r["outcome"], r.money("amount_recovered"),
                                     r["reference"], r["letter_doc_id"], r["by"], r["id"])
                      for r in stored_rows(conn, "decisions", "date, id")]
    case.steps = [StepNote(r["step_key"], r["state"], r["by"], r.moment_or_none("at"), r["note"])
                  for r in stored_rows(conn, "checklist", "step_key")]
