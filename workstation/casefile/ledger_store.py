"""The claims ledger's rows in workspace.sqlite: table `claims_ledger` (workspace schema 7), its
adjustments in `ledger_adjustments` (schema 9), and the queries the report sums in SQL.

Money in `ledger_adjustments` is in whole cents (sums are exact integers); the claims' own amounts
are decimal text, turned into cents row by row where the report sums them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from workstation.core.ledger import CLAIM_LEVEL, LedgerAdjustment, LedgerClaim, LedgerDenial, LedgerLine
from workstation.core.measures import DENIED_STATUS, NO_PROVIDER, DenialGroup, InitialDenials, Period
from workstation.core.money import money_text
from workstation.core.patterns import Adoption, PatternKey
from workstation.core.remittance import Transaction

_COLUMNS = ("source_key", "payer", "claim_key", "account_number", "payer_claim_number", "payer_id", "payer_kind",
            "service_from", "service_to", "rendering_npi", "billed", "paid", "patient_responsibility",
            "status_code", "remittance_date", "lines", "adjustments", "opened_case", "case_id", "backfilled",
            "rendering_name", "read_at")


_ADJUSTMENT_COLUMNS = ("seq", "group_code", "carc", "cents", "line", "procedure", "modifiers")

#: a service line as the `lines` column keeps it: procedure, modifiers, billed, paid
_Line = tuple[str, Iterable[str], Decimal, Decimal]


class LedgerRow(NamedTuple):
    """A claim as `insert_claims` writes it: its row's values in `_COLUMNS` order (without id and
    read_at, which the insert gives) and its adjustments' rows in `_ADJUSTMENT_COLUMNS` order."""

    values: tuple
    adjustments: list[tuple]

    @property
    def source_key(self) -> str:
        return self.values[0]


def transaction_rows(transaction: Transaction, payer_kind: str, opened: dict[int, str],
                     source_sha256: str) -> list[LedgerRow]:
    """Every claim of a remittance transaction as a ledger row; `opened` maps a claim's position in
    the transaction to the id of the case it opened. Written straight from the remittance, without a
    LedgerClaim and its lines and adjustments in between: building those objects for a 10,000-claim
    import was most of what the ledger added to it (issue 13's limit is a tenth)."""
    key = transaction.fingerprint or f"file:{source_sha256}:{transaction.segment_number}"
    payer, payer_id, notice = transaction.payer.name, transaction.payer.identifier, transaction.notice_date
    rows = []
    for n, claim in enumerate(transaction.claims):
        lines = claim.lines
        adjustments = [(seq, a.group, a.carc, _cents(a.amount), a.line_number, "", "")
                       for seq, a in enumerate(claim.adjustments)]
        for line in lines:  # then each line's, numbered on
            first, modifiers = len(adjustments), "-".join(line.modifiers)
            adjustments += [(first + seq, a.group, a.carc, _cents(a.amount), line.line_number, line.procedure_code,
                             modifiers) for seq, a in enumerate(line.adjustments)]
        service_to = max((li.service_to or li.service_from for li in lines if li.service_from), default=None)
        case_id = opened.get(n, "")
        rows.append(LedgerRow(_row_values(
            f"{key}:{n}", payer, transaction.claim_key(claim), claim.account_number, claim.payer_claim_number,
            payer_id, payer_kind, claim.first_service_date, service_to or claim.statement_to, claim.rendering_npi,
            claim.billed, claim.paid, claim.patient_responsibility, claim.status_code, notice,
            [(li.procedure_code, li.modifiers, li.billed, li.paid) for li in lines], bool(case_id), case_id,
            False, claim.rendering_name), adjustments))
    return rows


def claim_rows(claims: Iterable[LedgerClaim]) -> list[LedgerRow]:
    """Ledger claims (those filled in from case files) as the rows `insert_claims` writes."""
    return [LedgerRow(_values(claim), list(_adjustment_rows(claim))) for claim in claims]


def insert_claims(conn: sqlite3.Connection, claims: list[LedgerRow]) -> int:
    """Add claims not yet in the ledger (a claim read again is ignored, its adjustments with it);
    returns how many were new. Each new claim's row id is given here, so its adjustments are
    written with it directly (looking each claim up again by its key cost a fifth of the ledger's
    share of an import)."""
    known = {key for (key,) in conn.execute(
        "SELECT source_key FROM claims_ledger WHERE source_key IN (SELECT value FROM json_each(?))",
        (json.dumps([c.source_key for c in claims]),))}
    new: dict[str, LedgerRow] = {}
    for claim in claims:
        if claim.source_key not in known:
            new.setdefault(claim.source_key, claim)
    if not new:
        return 0
    read_at = datetime.now().isoformat(timespec="seconds")
    first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM claims_ledger").fetchone()[0]
    numbered = list(enumerate(new.values(), start=first))
    conn.executemany(f"INSERT INTO claims_ledger (id, {', '.join(_COLUMNS)}) "
                     f"VALUES (?, {', '.join('?' for _ in _COLUMNS)})",
                     ((row, *claim.values, read_at) for row, claim in numbered))
    conn.executemany(f"INSERT INTO ledger_adjustments (claim_row, {', '.join(_ADJUSTMENT_COLUMNS)}) "
                     f"VALUES (?, {', '.join('?' for _ in _ADJUSTMENT_COLUMNS)})",
                     ((row, *values) for row, claim in numbered for values in claim.adjustments))
    return len(numbered)


def move_adjustments_to_table(conn: sqlite3.Connection) -> None:
    """Workspace schema 9: the adjustments kept as JSON in each ledger row become rows of
    `ledger_adjustments` (the JSON column is emptied: one place for each fact)."""
    moved = []
    for claim_row, lines_json, adjustments_json in conn.execute(
            "SELECT id, lines, adjustments FROM claims_ledger WHERE adjustments != '[]'"):
        adjustments = [LedgerAdjustment(a["group"], a["carc"], Decimal(a["amount"]), a["line"])
                       for a in json.loads(adjustments_json)]
        moved += [(claim_row, *row) for row in _rows_of(adjustments, _lines(lines_json))]
    conn.executemany(f"INSERT INTO ledger_adjustments (claim_row, {', '.join(_ADJUSTMENT_COLUMNS)}) "
                     f"VALUES (?, {', '.join('?' for _ in _ADJUSTMENT_COLUMNS)})", moved)
    conn.execute("UPDATE claims_ledger SET adjustments = '[]' WHERE adjustments != '[]'")


def read_claims(conn: sqlite3.Connection) -> list[LedgerClaim]:
    """Every claim of the ledger with its adjustments, oldest remittance first."""
    adjustments: dict[int, list[LedgerAdjustment]] = {}
    for claim_row, group, carc, cents, line in conn.execute(
            "SELECT claim_row, group_code, carc, cents, line FROM ledger_adjustments ORDER BY claim_row, seq"):
        adjustments.setdefault(claim_row, []).append(LedgerAdjustment(group, carc, _money(cents), line))
    rows = conn.execute(f"SELECT id, {', '.join(_COLUMNS)} FROM claims_ledger ORDER BY remittance_date, id")
    return [_claim(dict(zip(_COLUMNS, row[1:], strict=True)), tuple(adjustments.get(row[0], ()))) for row in rows]


#: an adjustment `a` of a denying code; its parameter is the JSON list of codes ("CO-50"), read
#: as (group, reason) pairs so the lookup uses the index on both
_DENYING = ("(a.group_code, a.carc) IN (SELECT substr(value, 1, instr(value, '-') - 1), "
            "substr(value, instr(value, '-') + 1) FROM json_each(?))")


#: a denial's procedure as the report names it: "99213", "99213-25", or "(claim level)"
_PROCEDURE = (f"CASE WHEN a.procedure = '' THEN '{CLAIM_LEVEL}' WHEN a.modifiers != '' "
              "THEN a.procedure || '-' || a.modifiers ELSE a.procedure END")
#: the rendering provider as the remittance names them: "JANE EXAMPLE (NPI 1234567893)", the name
#: or the NPI alone when only one is given
_PROVIDER = ("CASE WHEN trim(l.rendering_name) != '' AND l.rendering_npi != '' "
             "THEN trim(l.rendering_name) || ' (NPI ' || l.rendering_npi || ')' "
             "WHEN trim(l.rendering_name) != '' THEN trim(l.rendering_name) "
             "WHEN l.rendering_npi != '' THEN 'NPI ' || l.rendering_npi "
             f"ELSE '{NO_PROVIDER}' END")
#: the report's groupings of denials (its JSON's names) and the column of `denied` each groups by
DENIAL_GROUPINGS = {"by_reason": "reason", "by_category": "category", "by_payer": "payer",
                    "by_procedure": "procedure", "by_provider": "provider", "by_month": "month"}


class LedgerQueries:
    """What the report asks of the ledger, answered in SQL (issue 13: a practice's ledger holds
    100,000 claims and more; building each as an object took seconds). `denying` names the
    adjustment codes that are denials ("CO-50"), decided by the code book in core/measures.py;
    `payers`, when given, limits every answer to those payer names."""

    def __init__(self, conn: sqlite3.Connection, denying: Iterable[str], payers: Iterable[str] | None = None):
        self.conn = conn
        self.denying_codes = sorted(set(denying))
        self._denying_json = json.dumps(self.denying_codes)
        self.payers = None if payers is None else json.dumps(sorted(set(payers)))

    #: the ledger rows with a denial adjustment (a positive amount of a denying code)
    _DENIED_ROWS = f"SELECT DISTINCT claim_row FROM ledger_adjustments a WHERE a.cents > 0 AND {_DENYING}"

    @staticmethod
    def adjustment_codes(conn: sqlite3.Connection) -> list[tuple[str, str]]:
        """Every (group, reason) pair of the ledger's adjustments (read from their index alone)."""
        return conn.execute("SELECT DISTINCT group_code, carc FROM ledger_adjustments").fetchall()

    @staticmethod
    def payer_names(conn: sqlite3.Connection) -> list[str]:
        return [name for (name,) in conn.execute("SELECT DISTINCT payer FROM claims_ledger")]

    def _payer_filter(self, column: str) -> tuple[str, tuple[str, ...]]:
        if self.payers is None:
            return "1", ()
        return f"{column} IN (SELECT value FROM json_each(?))", (self.payers,)

    def initial_denials(self, period: Period) -> InitialDenials:
        """Claims whose first remittance (the earliest row of their identity, oldest remittance and
        then first read first; a row without a date before any) falls in the period, and of them
        those denied in full or in part. Only claims read more than once are compared row by row
        (a window over every claim cost twice as much: most claims are read once)."""
        where, args = self._payer_filter("payer")
        where_l, args_l = self._payer_filter("l.payer")
        where_e, args_e = self._payer_filter("e.payer")
        count, billed, denied, denied_billed = self.conn.execute(f"""
            WITH repeated AS (
                SELECT claim_key FROM claims_ledger WHERE {where} GROUP BY claim_key HAVING count(*) > 1),
            later AS (
                SELECT l.id FROM claims_ledger l WHERE l.claim_key IN repeated AND {where_l} AND EXISTS (
                    SELECT 1 FROM claims_ledger e WHERE e.claim_key = l.claim_key AND {where_e} AND (
                        (e.remittance_date IS NULL AND l.remittance_date IS NOT NULL)
                        OR e.remittance_date < l.remittance_date
                        OR (e.remittance_date IS l.remittance_date AND e.id < l.id)))),
            denied AS ({self._DENIED_ROWS}),
            judged AS (
                SELECT CAST(round(billed * 100) AS INTEGER) AS cents, status_code = ? OR id IN denied AS denied
                FROM claims_ledger
                WHERE {where} AND remittance_date BETWEEN ? AND ? AND id NOT IN later)
            SELECT count(*), total(cents), total(denied), total(CASE WHEN denied THEN cents END) FROM judged""",
            (*args, *args_l, *args_e, self._denying_json, DENIED_STATUS, *args, period.start.isoformat(),
             period.end.isoformat())).fetchone()
        return InitialDenials(int(count), int(denied), _money(int(billed)), _money(int(denied_billed)))

    def denials(self, since: date | None = None) -> list[LedgerDenial]:
        """Every denial adjustment (positive amount, a denying code) on a dated remittance (on or
        after `since`, when given)."""
        where, args = self._payer_filter("l.payer")
        rows = self.conn.execute(f"""
            SELECT l.payer, l.remittance_date, a.group_code, a.carc, a.cents, a.procedure, a.modifiers
            FROM ledger_adjustments a JOIN claims_ledger l ON l.id = a.claim_row
            WHERE a.cents > 0 AND {_DENYING} AND l.remittance_date >= ? AND {where}
            ORDER BY l.remittance_date, l.id, a.seq""", (self._denying_json, _iso(since) or "", *args))
        return [LedgerDenial(payer, date.fromisoformat(day), group, carc, _money(cents), procedure, modifiers)
                for payer, day, group, carc, cents, procedure, modifiers in rows]

    def denial_groups(self, period: Period, categories: dict[str, str]) -> dict[str, list[DenialGroup]]:
        """The denials on remittances in the period grouped each way the report shows them
        (`DENIAL_GROUPINGS`), largest dollars first; `categories` maps each denying reason code
        ("50") to its code book category. Grouped here, not in Python: over 100,000 claims the
        16,000 denials took 0.3 s of Python's time to build and group, and SQLite lets go of it. The
        categories are a CASE of the reason, not a join to a JSON map: SQLite read the map again
        for each denial."""
        grouped: dict[str, list[DenialGroup]] = {name: [] for name in DENIAL_GROUPINGS}
        if not categories:  # no code of the ledger is a denial
            return grouped
        where, args = self._payer_filter("l.payer")
        selects = " UNION ALL ".join(
            f"SELECT '{name}', {column}, count(DISTINCT claim_key), sum(cents), "
            f"group_concat(DISTINCT nullif(case_id, '')) FROM denied GROUP BY 2"
            for name, column in DENIAL_GROUPINGS.items())
        category = "CASE a.carc " + " ".join("WHEN ? THEN ?" for _ in categories) + " ELSE 'other' END"
        rows = self.conn.execute(f"""
            WITH denied AS MATERIALIZED (
                SELECT l.claim_key, l.case_id, a.group_code || '-' || a.carc AS reason, {category} AS category,
                       l.payer, {_PROCEDURE} AS procedure, {_PROVIDER} AS provider,
                       substr(l.remittance_date, 1, 7) AS month, a.cents
                FROM ledger_adjustments a JOIN claims_ledger l ON l.id = a.claim_row
                WHERE a.cents > 0 AND {_DENYING} AND l.remittance_date BETWEEN ? AND ? AND {where})
            {selects}""", (*(text for pair in categories.items() for text in pair), self._denying_json,
                           period.start.isoformat(), period.end.isoformat(), *args))
        for name, key, claims, cents, cases in rows:
            grouped[name].append(DenialGroup(key, claims, _money(cents), tuple(sorted(cases.split(",")))
                                             if cases else ()))
        return {name: sorted(groups, key=lambda g: (-g.denied, g.key)) for name, groups in grouped.items()}

    def adjustments_of(self, carc: str, period: Period) -> list[tuple[str | None, str, Decimal]]:
        """Adjustments with one reason code (any group, any sign) taken in the period:
        (remittance month "2026-02", payer, total)."""
        where, args = self._payer_filter("l.payer")
        rows = self.conn.execute(f"""
            SELECT strftime('%Y-%m', l.remittance_date), l.payer, sum(a.cents)
            FROM ledger_adjustments a JOIN claims_ledger l ON l.id = a.claim_row
            WHERE a.carc = ? AND l.remittance_date BETWEEN ? AND ? AND {where}
            GROUP BY 1, 2 ORDER BY 1, 2""", (carc, period.start.isoformat(), period.end.isoformat(), *args))
        return [(month, payer, _money(cents)) for month, payer, cents in rows]


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


def _values(c: LedgerClaim) -> tuple:
    return _row_values(c.source_key, c.payer, c.claim_key, c.account_number, c.payer_claim_number, c.payer_id,
                       c.payer_kind, c.service_from, c.service_to, c.rendering_npi, c.billed, c.paid,
                       c.patient_responsibility, c.status_code, c.remittance_date,
                       [(li.procedure_code, li.modifiers, li.billed, li.paid) for li in c.lines], c.opened_case,
                       c.case_id, c.backfilled, c.rendering_name)


def _row_values(source_key: str, payer: str, claim_key: str, account_number: str, payer_claim_number: str,
                payer_id: str, payer_kind: str, service_from: date | None, service_to: date | None,
                rendering_npi: str, billed: Decimal, paid: Decimal, patient_responsibility: Decimal,
                status_code: str, remittance_date: date | None, lines: list[_Line],
                opened_case: bool, case_id: str, backfilled: bool, rendering_name: str) -> tuple:
    """A claims_ledger row's values in `_COLUMNS` order (without id and read_at), in their stored
    forms: the one place for both, whether the claim comes from a remittance or a case file.
    Positional, not a LedgerClaim: an import's 10,000 claims would build one each for nothing."""
    return (source_key, payer, claim_key, account_number, payer_claim_number, payer_id, payer_kind,
            _iso(service_from), _iso(service_to), rendering_npi, money_text(billed), money_text(paid),
            money_text(patient_responsibility), status_code, _iso(remittance_date), _lines_json(lines), "[]",
            int(opened_case), case_id, int(backfilled), rendering_name)


def _lines_json(lines: Iterable[_Line]) -> str:
    """The `lines` column: each service line's procedure, modifiers, billed and paid."""
    return json.dumps([{"code": code, "modifiers": list(modifiers), "billed": money_text(billed),
                        "paid": money_text(paid)} for code, modifiers, billed, paid in lines])


def _adjustment_rows(claim: LedgerClaim) -> Iterator[tuple]:
    return _rows_of(claim.adjustments, claim.lines)


def _rows_of(adjustments: Iterable[LedgerAdjustment], lines: tuple[LedgerLine, ...]) -> Iterator[tuple]:
    """(seq, group, reason, cents, line, procedure, modifiers) of each adjustment; the procedure
    is the service line's (line numbers count a claim's lines from 1), "" for the whole claim."""
    for seq, a in enumerate(adjustments):
        line = lines[a.line_number - 1] if a.line_number and 0 < a.line_number <= len(lines) else None
        yield (seq, a.group, a.carc, _cents(a.amount), a.line_number, line.procedure_code if line else "",
               "-".join(line.modifiers) if line else "")


def _cents(amount: Decimal) -> int:
    return int(amount.scaleb(2).to_integral_value(ROUND_HALF_UP))


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _lines(text: str) -> tuple[LedgerLine, ...]:
    return tuple(LedgerLine(li["code"], tuple(li["modifiers"]), Decimal(li["billed"]), Decimal(li["paid"]))
                 for li in json.loads(text))


def _claim(row: dict, adjustments: tuple[LedgerAdjustment, ...]) -> LedgerClaim:
    lines = _lines(row["lines"])
    return LedgerClaim(
        row["source_key"], row["payer"], row["claim_key"], row["account_number"], row["payer_claim_number"],
        row["payer_id"], row["payer_kind"], _date(row["service_from"]), _date(row["service_to"]),
        row["rendering_npi"], Decimal(row["billed"]), Decimal(row["paid"]), Decimal(row["patient_responsibility"]),
        row["status_code"], _date(row["remittance_date"]), lines, adjustments, bool(row["opened_case"]),
        row["case_id"], bool(row["backfilled"]), row["rendering_name"])


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
