"""The claims ledger's rows in workspace.sqlite (table `claims_ledger`, workspace schema 7)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from decimal import Decimal

from workstation.core.ledger import LedgerAdjustment, LedgerClaim, LedgerLine
from workstation.core.money import money_text
from workstation.core.patterns import Adoption, PatternKey

_COLUMNS = ("source_key", "payer", "claim_key", "account_number", "payer_claim_number", "payer_id", "payer_kind",
            "service_from", "service_to", "rendering_npi", "billed", "paid", "patient_responsibility",
            "status_code", "remittance_date", "lines", "adjustments", "opened_case", "case_id", "backfilled",
            "read_at")


def insert_claims(conn: sqlite3.Connection, claims: list[LedgerClaim]) -> int:
    """Add claims not yet in the ledger (a claim read again is ignored); returns how many were new."""
    read_at = datetime.now().isoformat(timespec="seconds")
    before = conn.total_changes
    conn.executemany(f"INSERT OR IGNORE INTO claims_ledger ({', '.join(_COLUMNS)}) "
                     f"VALUES ({', '.join('?' for _ in _COLUMNS)})", [_values(c, read_at) for c in claims])
    return conn.total_changes - before


def read_claims(conn: sqlite3.Connection) -> list[LedgerClaim]:
    rows = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM claims_ledger ORDER BY remittance_date, id")
    return [_claim(dict(zip(_COLUMNS, row, strict=True))) for row in rows]


def adopt(conn: sqlite3.Connection, adoption: Adoption, by: str) -> None:
    """Record (or replace) the change adopted against a pattern."""
    k = adoption.key
    conn.execute("INSERT OR REPLACE INTO patterns_adopted VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (k.payer, k.code, k.procedure, k.modifier, adoption.adopted_on.isoformat(), adoption.note, by,
                  datetime.now().isoformat(timespec="seconds")))


def adoptions(conn: sqlite3.Connection) -> list[Adoption]:
    rows = conn.execute("SELECT payer, code, procedure, modifier, adopted_on, note FROM patterns_adopted "
                        "ORDER BY adopted_on, payer, code")
    return [Adoption(PatternKey(r[0], r[1], r[2], r[3]), date.fromisoformat(r[4]), r[5]) for r in rows]


def _values(c: LedgerClaim, read_at: str) -> tuple:
    lines = [{"code": li.procedure_code, "modifiers": list(li.modifiers), "billed": money_text(li.billed),
              "paid": money_text(li.paid)} for li in c.lines]
    adjustments = [{"group": a.group, "carc": a.carc, "amount": money_text(a.amount), "line": a.line_number}
                   for a in c.adjustments]
    return (c.source_key, c.payer, c.claim_key, c.account_number, c.payer_claim_number, c.payer_id, c.payer_kind,
            _iso(c.service_from), _iso(c.service_to), c.rendering_npi, money_text(c.billed), money_text(c.paid),
            money_text(c.patient_responsibility), c.status_code, _iso(c.remittance_date), json.dumps(lines),
            json.dumps(adjustments), int(c.opened_case), c.case_id, int(c.backfilled), read_at)


def _claim(row: dict) -> LedgerClaim:
    lines = tuple(LedgerLine(li["code"], tuple(li["modifiers"]), Decimal(li["billed"]), Decimal(li["paid"]))
                  for li in json.loads(row["lines"]))
    adjustments = tuple(LedgerAdjustment(a["group"], a["carc"], Decimal(a["amount"]), a["line"])
                        for a in json.loads(row["adjustments"]))
    return LedgerClaim(
        row["source_key"], row["payer"], row["claim_key"], row["account_number"], row["payer_claim_number"],
        row["payer_id"], row["payer_kind"], _date(row["service_from"]), _date(row["service_to"]),
        row["rendering_npi"], Decimal(row["billed"]), Decimal(row["paid"]), Decimal(row["patient_responsibility"]),
        row["status_code"], _date(row["remittance_date"]), lines, adjustments, bool(row["opened_case"]),
        row["case_id"], bool(row["backfilled"]))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
