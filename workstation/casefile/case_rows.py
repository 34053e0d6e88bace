"""Case <-> rows: how each part of a case is written to and read from its tables."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from decimal import Decimal

from workstation.core.dates import iso, parse_date
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
from workstation.core.money import money, money_text
from workstation.core.vocabulary import EvidenceKind, PayerKind, Route, Status


def _m(value: Decimal | None) -> str | None:
    return None if value is None else money_text(value)


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _ts(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _address(row: sqlite3.Row) -> Address:
    return Address(row["line1"], row["line2"], row["city"], row["state"], row["zip"])


def write_case(conn: sqlite3.Connection, case: Case) -> None:
    """Insert every part of a new case (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO case_info (id, case_id, created_at, status, route, route_reason, assignee,"
        " notice_date, notice_date_override, recovered, opened_amount, warnings) VALUES (1,?,?,?,?,?,?,?,?,?,?,?)",
        (case.case_id, _ts(case.created_at), case.status.value,
         case.route.value if case.route else None, case.route_reason, case.assignee,
         iso(case.notice_date), iso(case.notice_date_override), money_text(case.recovered),
         None if case.opened_amount is None else money_text(case.opened_amount), json.dumps(case.warnings)),
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


def evidence_from(row: sqlite3.Row) -> EvidenceDoc:
    return EvidenceDoc(row["id"], row["title"], EvidenceKind(row["kind"]), row["file_name"], row["media_type"],
                       row["size"], row["sha256"], bool(row["included"]), row["position"],
                       parse_date(row["document_date"]), _dt(row["added_at"]), row["added_by"])


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def append_activity(conn: sqlite3.Connection, entry: Activity) -> None:
    conn.execute("INSERT INTO activity (at, actor, kind, message) VALUES (?,?,?,?)",
                 (_ts(entry.at), entry.actor, entry.kind, entry.message))


def read_case(conn: sqlite3.Connection) -> Case:
    """Every part of the case, as written by write_case and later edits."""
    info = conn.execute("SELECT * FROM case_info").fetchone()
    case = Case(
        case_id=info["case_id"], created_at=datetime.fromisoformat(info["created_at"]),
        status=Status(info["status"]), route=Route(info["route"]) if info["route"] else None,
        route_reason=info["route_reason"], assignee=info["assignee"],
        notice_date=parse_date(info["notice_date"]),
        notice_date_override=parse_date(info["notice_date_override"]),
        recovered=money(info["recovered"]),
        opened_amount=None if info["opened_amount"] is None else money(info["opened_amount"]),
        warnings=json.loads(info["warnings"]),
        claim=_read_claim(conn.execute("SELECT * FROM claim").fetchone()),
        payer=_read_payer(conn.execute("SELECT * FROM payer").fetchone()),
        provider=_read_provider(conn.execute("SELECT * FROM provider").fetchone()),
    )
    for row in conn.execute("SELECT * FROM people"):
        if row["role"] == "patient":
            case.patient = _read_person(row)
        else:
            case.insured, case.insured_relationship = _read_person(row), row["relationship"]
    _read_children(conn, case)
    return case


def _read_claim(row: sqlite3.Row) -> Claim:
    return Claim(
        account_number=row["account_number"], payer_claim_number=row["payer_claim_number"],
        status_code=row["status_code"], filing_indicator=row["filing_indicator"],
        facility_code=row["facility_code"], frequency_code=row["frequency_code"],
        service_from=parse_date(row["service_from"]), service_to=parse_date(row["service_to"]),
        billed=Decimal(row["billed"]), allowed=_dec(row["allowed"]), paid=Decimal(row["paid"]),
        patient_responsibility=Decimal(row["patient_responsibility"]),
        diagnosis_codes=json.loads(row["diagnosis_codes"]),
    )


def _read_person(row: sqlite3.Row) -> Person:
    return Person(row["last_name"], row["first_name"], row["middle_name"],
                  parse_date(row["date_of_birth"]), row["member_id"], row["group_number"])


def _read_payer(row: sqlite3.Row) -> Payer:
    return Payer(name=row["name"], payer_id=row["payer_id"], kind=PayerKind(row["kind"]),
                 kind_needs_check=bool(row["kind_needs_check"]), address=_address(row),
                 phone=row["phone"])


def _read_provider(row: sqlite3.Row) -> Provider:
    return Provider(name=row["name"], npi=row["npi"], tin=row["tin"], ptan=row["ptan"],
                    address=_address(row))


def _read_children(conn: sqlite3.Connection, case: Case) -> None:
    case.lines = [
        ServiceLine(r["line_number"], r["procedure_code"], json.loads(r["modifiers"]),
                    Decimal(r["units"]), parse_date(r["service_from"]), parse_date(r["service_to"]),
                    Decimal(r["billed"]), _dec(r["allowed"]), Decimal(r["paid"]))
        for r in conn.execute("SELECT * FROM service_lines ORDER BY line_number")
    ]
    case.adjustments = [
        Adjustment(r["group_code"], r["carc"], Decimal(r["amount"]), _dec(r["quantity"]),
                   r["line_number"], Route(r["route"]) if r["route"] else None, bool(r["opens_case"]))
        for r in conn.execute("SELECT * FROM adjustments ORDER BY id")
    ]
    case.remarks = [Remark(r["code"], r["line_number"])
                    for r in conn.execute("SELECT * FROM remarks ORDER BY id")]
    case.remittances = [
        RemittanceSeen(r["file_sha256"], r["file_name"], parse_date(r["notice_date"]),
                       r["payer_claim_number"], r["status_code"], Decimal(r["paid"]),
                       r["check_number"], r["transaction_id"],
                       datetime.fromisoformat(r["imported_at"]) if r["imported_at"] else None)
        for r in conn.execute("SELECT * FROM remittances ORDER BY id")
    ]
    case.notes = [Note(r["text"], r["author"], datetime.fromisoformat(r["created_at"]))
                  for r in conn.execute("SELECT * FROM notes ORDER BY id")]
    case.activity = [Activity(datetime.fromisoformat(r["at"]), r["actor"], r["kind"], r["message"])
                     for r in conn.execute("SELECT * FROM activity ORDER BY id")]
    case.evidence = [evidence_from(r) for r in conn.execute(
        f"SELECT {EVIDENCE_COLUMNS} FROM evidence ORDER BY position, id")]
    case.calls = [CallRecord(datetime.fromisoformat(r["at"]), r["party"], r["department"], r["person"], r["phone"],
                             r["reference"], r["summary"], parse_date(r["follow_up"]), r["by"], r["id"])
                  for r in conn.execute("SELECT * FROM calls ORDER BY at, id")]
    case.submissions = [Submission(parse_date(r["date"]), r["level"], r["method"], r["tracking"], r["packet_doc_id"],
                                   r["by"], r["id"])
                        for r in conn.execute("SELECT * FROM submissions ORDER BY date, id")]
    case.decisions = [DecisionRecord(parse_date(r["date"]), r["level"], r["outcome"], Decimal(r["amount_recovered"]),
                                     r["reference"], r["letter_doc_id"], r["by"], r["id"])
                      for r in conn.execute("SELECT * FROM decisions ORDER BY date, id")]
    case.steps = [StepNote(r["step_key"], r["state"], r["by"], _dt(r["at"]), r["note"])
                  for r in conn.execute("SELECT * FROM checklist ORDER BY step_key")]
