"""Denials from a spreadsheet (CSV) exported by a practice-management system.

Common column names are recognised; other layouts need a mapping file (`--map MAP`, TOML:
`[columns]` then `claim_number = "Claim #"` ...). Rows of one claim (same payer, account, date of
service and claim number) become one claim with several lines. A row with a wrong or missing value
is refused with a sentence naming its row and column, and so is the whole claim it belongs to: a
claim is imported whole or not at all, the other claims still are. Output: the same transactions
an 835 gives, one per payer and notice date.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from workstation.core.codebook import codebook
from workstation.core.dates import parse_date
from workstation.core.errors import InvalidValue, UserError
from workstation.core.model import Person
from workstation.core.money import ZERO, money
from workstation.core.remittance import (
    AdjustmentRead,
    ClaimPayment,
    LinePayment,
    PartyRead,
    ReadProblem,
    Transaction,
)

#: Our field -> the column names we recognise (compared without case, spaces or punctuation).
KNOWN_COLUMNS: dict[str, tuple[str, ...]] = {
    "claim_number": ("claim number", "claim #", "claim no", "icn", "payer claim number", "payer icn", "tcn"),
    "account_number": ("account number", "patient account", "patient account number", "acct", "account",
                       "acct #", "account #"),
    "patient": ("patient", "patient name", "name"),
    "patient_last": ("patient last name", "last name", "last"),
    "patient_first": ("patient first name", "first name", "first"),
    "date_of_birth": ("dob", "date of birth", "birth date", "birthdate"),
    "member_id": ("member id", "subscriber id", "insured id", "policy number", "member number", "mbi"),
    "payer": ("payer", "payer name", "insurance", "insurance name", "carrier", "plan"),
    "payer_id": ("payer id", "payor id", "insurance id"),
    "service_date": ("dos", "date of service", "service date", "from date", "dos from"),
    "procedure": ("cpt", "procedure", "procedure code", "cpt code", "hcpcs", "cpt/hcpcs"),
    "modifiers": ("modifier", "modifiers", "mod"),
    "billed": ("billed", "billed amount", "charge", "charges", "charge amount", "amount billed"),
    "paid": ("paid", "paid amount", "payment", "amount paid", "insurance paid"),
    "denied": ("denied", "denied amount", "adjustment amount", "adjustment", "amount denied"),
    "group": ("group code", "adjustment group", "group"),
    "carc": ("carc", "reason code", "denial code", "adjustment reason", "denial reason code", "reason"),
    "rarc": ("rarc", "remark", "remark code", "remark codes", "remarks"),
    "notice_date": ("denial date", "remit date", "eob date", "notice date", "check date", "payment date"),
}
REQUIRED = ("payer", "service_date", "procedure", "billed", "carc")
LABELS = {"patient": "patient", "payer": "payer", "service_date": "date of service", "procedure": "procedure code",
          "billed": "billed amount", "carc": "reason code"}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9#]", "", name.lower())


@dataclass(frozen=True)
class ColumnMap:
    """Our field -> the file's column header."""

    columns: dict[str, str]

    def value(self, row: dict[str, str], field: str) -> str:
        column = self.columns.get(field)
        return (row.get(column) or "").strip() if column else ""


#: A mapping file is a few lines; anything larger is not one.
MAX_MAPPING_BYTES = 64 * 1024


def read_mapping(path: Path) -> dict[str, str]:
    """A mapping file: `[columns]` with `our_field = "Their column"`; anything else is refused
    with a sentence saying what the file should hold."""
    name = Path(path).name
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_MAPPING_BYTES + 1)
        if len(data) > MAX_MAPPING_BYTES:
            raise UserError(f"The mapping file {name} is over {MAX_MAPPING_BYTES // 1024} KB, far more than a "
                            "mapping's few lines; give the TOML file with the [columns] table.")
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"The mapping file {name} is not UTF-8 text; save it as UTF-8 (plain text) and try "
                        "again.") from None
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise UserError(f"The mapping file {name} cannot be read ({error}).") from None
    except RecursionError:  # tomllib reads nested arrays and inline tables by recursion
        raise UserError(f"The mapping file {name} nests lists or tables too deep to read, where a mapping is a "
                        '[columns] table of lines such as claim_number = "Claim #"; fix the file.') from None
    columns = raw.get("columns", raw)
    if not isinstance(columns, dict):
        raise UserError(f"The mapping file {name} has 'columns = {_shown(columns)}' where it needs a [columns] "
                        'table of lines such as claim_number = "Claim #"; fix the file.')
    unknown = [field for field in columns if field not in KNOWN_COLUMNS]
    if unknown:
        raise UserError(f"The mapping file {name} names unknown fields ({', '.join(unknown)}); "
                        f"use any of {', '.join(KNOWN_COLUMNS)}.")
    for field, column in columns.items():
        if not isinstance(column, str) or not column.strip():
            raise UserError(f"The mapping file {name} gives {field} as {_shown(column)}; write the column's name as it "
                            f'heads the file, in quotes: {field} = "Claim #".')
    return dict(columns)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def map_columns(headers: list[str], name: str, explicit: dict[str, str] | None = None) -> ColumnMap:
    """Which column holds which field; a layout missing a required field is refused with a sentence."""
    by_norm = {_norm(h): h for h in headers}
    found = {field: by_norm[_norm(alias)] for field, aliases in KNOWN_COLUMNS.items()
             for alias in aliases if _norm(alias) in by_norm and field not in (explicit or {})}
    for field, column in (explicit or {}).items():
        if column not in headers:
            raise UserError(f"{name} has no column '{column}' (the mapping file names it for {field}).")
        found[field] = column
    has_patient = "patient" in found or "patient_last" in found
    missing = [field for field in REQUIRED if field not in found] + ([] if has_patient else ["patient"])
    if missing:
        raise UserError(f"{name} has no column for {', '.join(LABELS[m] for m in missing)}. A denials file "
                        f"needs columns for patient, payer, date of service, procedure code, billed amount and "
                        f"reason code (its columns are: {', '.join(headers) or 'none'}); give a mapping file "
                        "with --map.")
    return ColumnMap(found)


def read_csv_denials(path: Path, mapping: dict[str, str] | None = None) -> tuple[list[Transaction], list[ReadProblem]]:
    """Transactions (one per payer and notice date) of the claims read from the file, and the rows
    refused, each with why. A refused row gives nothing, and neither does the claim it belongs to:
    a claim is imported whole or not at all. One pass over the file, linear in its rows."""
    path = Path(path)
    claims: dict[tuple, _Claim] = {}
    refused: list[_RefusedRow] = []
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = map_columns(list(reader.fieldnames or []), path.name, mapping)
            for number, row in enumerate(reader, start=2):
                if any(isinstance(v, str) and v.strip() for v in row.values()):  # a row of empty cells is no row
                    _read_row(number, row, columns, claims, refused)
    except UnicodeDecodeError:
        raise UserError(f"{path.name} is not a UTF-8 text file; save the spreadsheet as CSV (UTF-8).") from None
    except csv.Error as error:
        raise UserError(f"{path.name} is not a readable CSV file ({error}).") from None
    problems = _refuse_claims(path.name, claims, refused)
    return _transactions(claim for claim in claims.values() if not claim.refused), problems


@dataclass
class _Claim:
    """The rows of one claim (same payer, account, date of service and claim number) read so far."""

    payer_key: str
    account: str
    service: date
    number: str
    rows: list[int] = dataclasses.field(default_factory=list)
    payment: ClaimPayment | None = None  # from its first good row
    payer: PartyRead | None = None
    notice_date: date | None = None
    refused: bool = False


@dataclass(frozen=True)
class _RefusedRow:
    number: int
    problems: list[str]  # "column 'DOS': '13/45/2026' is not a date; ..."
    claim: _Claim | None  # None when the row's payer or date of service cannot be read
    payer_key: str  # what of the claim's key could be read, to find the claim it may belong to
    account: str
    service: date | None
    claim_number: str


#: A cell longer than this is no name, code or amount but a file damaged or pasted into a cell: its
#: row is refused. The longest value a remittance carries is 256 characters (X12's communication
#: number), a name 60; a bound, so no case holds 100,000 characters of one name.
MAX_CELL_CHARS = 1_000


class _Cells:
    """One row's values by our field, collecting a sentence for every cell that is wrong; a cell
    past MAX_CELL_CHARS is refused by its length (never quoted) and read as empty, unremarked."""

    def __init__(self, row: dict[str, str], columns: ColumnMap) -> None:
        self.columns, self.problems = columns, []
        self.values = {name: columns.value(row, name) for name in columns.columns}
        self.too_long = {name for name, value in self.values.items() if len(value) > MAX_CELL_CHARS}
        for name in sorted(self.too_long, key=list(self.values).index):
            self.refuse(name, f"the value is {len(self.values[name]):,} characters long, where a denials file's "
                              f"cell has at most {MAX_CELL_CHARS:,}")
            self.values[name] = ""

    def text(self, field_name: str) -> str:
        return self.values.get(field_name, "")

    def refuse(self, field_name: str, why: str) -> None:
        self.problems.append(f"column '{self.columns.columns[field_name]}': {why.removesuffix('.')}")

    def required(self, field_name: str) -> str:
        value = self.text(field_name)
        if not value and field_name in self.columns.columns and field_name not in self.too_long:
            self.refuse(field_name, f"the {LABELS[field_name]} is empty")
        return value

    def date(self, field_name: str, *, required: bool = False) -> date | None:
        value = self.required(field_name) if required else self.text(field_name)
        try:
            return _date(value)
        except InvalidValue as error:
            self.refuse(field_name, str(error))
            return None

    def amount(self, field_name: str, *, required: bool = False) -> Decimal | None:
        value = self.required(field_name) if required else self.text(field_name)
        try:
            return money(value) if value else None
        except InvalidValue as error:
            self.refuse(field_name, str(error))
            return None


def _read_row(number: int, row: dict[str, str], columns: ColumnMap, claims: dict[tuple, _Claim],
              refused: list[_RefusedRow]) -> None:
    cells = _Cells(row, columns)
    payer, payer_id = cells.required("payer"), cells.text("payer_id")
    service = cells.date("service_date", required=True)
    account, claim_number = cells.text("account_number"), cells.text("claim_number")
    payer_key = (payer_id or payer).upper()
    person = _person(cells)
    notice_date = cells.date("notice_date")
    line = _line(cells, service)
    claim = None
    if payer_key and service is not None:
        key = (payer_key, account.upper(), service, claim_number)
        claim = claims.get(key)
        if claim is None:
            claim = claims[key] = _Claim(payer_key, account.upper(), service, claim_number)
        claim.rows.append(number)
    if cells.problems:
        refused.append(_RefusedRow(number, cells.problems, claim, payer_key, account.upper(), service,
                                   claim_number))
        return
    assert claim is not None and line is not None and service is not None  # no problem: all were read
    if claim.payment is None:
        claim.payment = ClaimPayment(account_number=account, status_code="4", billed=ZERO, paid=ZERO,
                                     patient_responsibility=ZERO, filing_indicator="",
                                     payer_claim_number=claim_number, patient=person, statement_from=service,
                                     statement_to=service)
        claim.payer, claim.notice_date = PartyRead(name=payer, identifier=payer_id), notice_date
    line.line_number = len(claim.payment.lines) + 1
    for adjustment in line.adjustments:
        adjustment.line_number = line.line_number
    claim.payment.lines.append(line)


def _person(cells: _Cells) -> Person:
    last, first = cells.text("patient_last"), cells.text("patient_first")
    if not last:
        last, _, first = cells.text("patient").partition(",")
    if not last.strip() and not cells.too_long & {"patient", "patient_last"}:
        cells.refuse("patient_last" if "patient_last" in cells.columns.columns else "patient",
                     "the patient's name is empty")
    return Person(last.strip(), first.strip(), date_of_birth=cells.date("date_of_birth"),
                  member_id=cells.text("member_id"))


@lru_cache(maxsize=65536)
def _date(text: str) -> date | None:
    """parse_date, remembered: a file repeats the same few dates (of service, birth, notice) on every row."""
    return parse_date(text)


_REASON = re.compile(r"(?:(?P<group>[A-Z]{2})-?)?(?P<carc>[A-Z]?\d{1,3})")


def _line(cells: _Cells, service: date | None) -> LinePayment | None:
    """The row's service line with its adjustment; None when a value it needs is wrong."""
    procedure = cells.required("procedure").upper()
    billed, paid = cells.amount("billed", required=True), cells.amount("paid") or ZERO
    denied = cells.amount("denied")
    if denied is None and billed is not None and not cells.text("denied"):
        denied = billed - paid
    groups = codebook().groups
    group = cells.text("group").upper()
    if group and group not in groups:
        *first, last = groups
        cells.refuse("group", f"'{cells.text('group')}' is not a group code; type {', '.join(first)} or {last}")
    code, carc = cells.text("carc"), ""
    if code:
        found = _REASON.fullmatch(re.sub(r"\s", "", code.upper()))
        if found is None or (found["group"] and found["group"] not in groups) or not found["carc"].strip("0"):
            cells.refuse("carc", f"'{code}' is not a reason code; type it like CO-50 or 50")
        else:
            group, carc = found["group"] or group, found["carc"].lstrip("0")  # "050" is CARC 50
    elif denied:  # something was denied: say why
        cells.required("carc")
    if cells.problems or billed is None or denied is None:
        return None
    modifiers = [m for m in re.split(r"[\s,:;]+", cells.text("modifiers").upper()) if m][:4]
    line = LinePayment(0, procedure, modifiers=modifiers, billed=billed, paid=paid, service_from=service,
                       service_to=service, remarks=[r for r in re.split(r"[\s,;]+", cells.text("rarc").upper()) if r])
    if carc:
        line.adjustments.append(AdjustmentRead(group or "CO", carc, denied))
    return line


def _refuse_claims(file_name: str, claims: dict[tuple, _Claim], refused: list[_RefusedRow]) -> list[ReadProblem]:
    """Mark every claim a refused row belongs to as refused (a row whose payer or date of service
    cannot be read: the claims with its claim number, else of its account), and one sentence per
    wrong cell saying what was therefore not imported."""
    by_number: dict[str, list[_Claim]] = {}
    by_account: dict[str, list[_Claim]] = {}
    if any(row.claim is None for row in refused):
        for claim in claims.values():
            if claim.number:
                by_number.setdefault(claim.number, []).append(claim)
            if claim.account:
                by_account.setdefault(claim.account, []).append(claim)
    ties: list[tuple[list[_Claim], bool]] = []
    for row in refused:
        tied, maybe = ([row.claim], False) if row.claim is not None else _claims_of(row, by_number, by_account)
        for claim in tied:
            claim.refused = True
            if row.claim is None and not maybe:  # its claim number says which claim it is a row of
                claim.rows.append(row.number)
        ties.append((tied, maybe))
    problems, tails = [], {}
    for row, (tied, maybe) in zip(refused, ties, strict=True):
        key = (tuple(id(claim) for claim in tied), maybe)
        tail = tails.get(key)
        if tail is None:
            tail = tails[key] = _what_was_not_imported(tied, maybe)
        problems += [ReadProblem(file_name, None, f"row {row.number}, {why} ({tail}).") for why in row.problems]
    return problems


def _claims_of(row: _RefusedRow, by_number: dict[str, list[_Claim]],
               by_account: dict[str, list[_Claim]]) -> tuple[list[_Claim], bool]:
    """The claims a row without a readable payer or date of service belongs to (by its claim number),
    or may belong to (by its account, when it has no claim number: True)."""
    if row.claim_number:
        candidates = by_number.get(row.claim_number, [])
    else:
        candidates = by_account.get(row.account, []) if row.account else []
    return [c for c in candidates if c.number == row.claim_number and c.account == row.account
            and row.payer_key in ("", c.payer_key) and row.service in (None, c.service)], not row.claim_number


def _what_was_not_imported(tied: list[_Claim], maybe: bool) -> str:
    rows = sorted({n for claim in tied for n in claim.rows})
    if not rows or (len(rows) == 1 and not maybe):
        return "nothing from this row was imported"
    where = _row_ranges(rows)
    if maybe:
        return (f"nothing from this row was imported, nor the claim{'s' if len(tied) > 1 else ''} of the same "
                f"account on {where}, which it may belong to")
    numbers = list(dict.fromkeys(claim.number for claim in tied if claim.number))
    if len(tied) == 1 or len(numbers) == 1:
        return f"so the whole claim {numbers[0]}, {where}, was not imported" if numbers else \
            f"so the whole claim on {where} was not imported"
    return f"so the claims {', '.join(numbers)}, {where}, were not imported" if numbers else \
        f"so the claims on {where} were not imported"


def _row_ranges(rows: list[int]) -> str:
    """[2, 3, 4, 7] -> "rows 2-4 and 7"."""
    spans: list[list[int]] = []
    for n in rows:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    parts = [f"{a}-{b}" if b > a else f"{a}" for a, b in spans]
    text = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"row{'s' if len(rows) > 1 else ''} {text}"


def _transactions(claims: Iterable[_Claim]) -> list[Transaction]:
    """One transaction per payer and notice date, in the order first met in the file."""
    found: dict[tuple, Transaction] = {}
    for claim in claims:
        payment, payer = claim.payment, claim.payer
        assert payment is not None and payer is not None  # a claim not refused has good rows only
        payment.billed = sum((ln.billed for ln in payment.lines), ZERO)
        payment.paid = sum((ln.paid for ln in payment.lines), ZERO)
        payment.status_code = "4" if payment.paid == Decimal("0") else "1"
        transaction = found.get((claim.payer_key, claim.notice_date))
        if transaction is None:
            transaction = found[(claim.payer_key, claim.notice_date)] = Transaction(
                control_number="", segment_number=0, payer=payer, production_date=claim.notice_date)
        transaction.claims.append(payment)
    return list(found.values())
