"""Denials from a spreadsheet (CSV) exported by a practice-management system.

Common column names are recognised; other layouts need a mapping file (`--map MAP`, TOML:
`[columns]` then `claim_number = "Claim #"` ...). Rows of one claim (same payer, account and
date of service) become one claim with several lines. Output: the same transactions an 835 gives.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path

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


def read_mapping(path: Path) -> dict[str, str]:
    """A mapping file: `[columns]` with `our_field = "Their column"`."""
    try:
        with Path(path).open("rb") as handle:
            raw = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise UserError(f"The mapping file {Path(path).name} cannot be read ({error}).") from None
    columns = raw.get("columns", raw)
    unknown = [field for field in columns if field not in KNOWN_COLUMNS]
    if unknown:
        raise UserError(f"The mapping file {Path(path).name} names unknown fields ({', '.join(unknown)}); "
                        f"use any of {', '.join(KNOWN_COLUMNS)}.")
    return {field: str(column) for field, column in columns.items()}


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
    """Transactions (one per payer) of claims read from the file, and the rows refused, each with why."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = map_columns(list(reader.fieldnames or []), path.name, mapping)
            rows = list(enumerate(reader, start=2))
    except UnicodeDecodeError:
        raise UserError(f"{path.name} is not a UTF-8 text file; save the spreadsheet as CSV (UTF-8).") from None
    except csv.Error as error:
        raise UserError(f"{path.name} is not a readable CSV file ({error}).") from None
    by_payer: dict[str, Transaction] = {}
    claims: dict[tuple, ClaimPayment] = {}
    problems: list[ReadProblem] = []
    for number, row in rows:
        try:
            _add_row(row, columns, by_payer, claims)
        except InvalidValue as error:
            problems.append(ReadProblem(path.name, None, f"row {number}: {error}"))
    for claim in claims.values():
        _finish_claim(claim)
    return list(by_payer.values()), problems


def _add_row(row: dict[str, str], columns: ColumnMap, by_payer: dict[str, Transaction],
             claims: dict[tuple, ClaimPayment]) -> None:
    get = partial(columns.value, row)
    service = parse_date(get("service_date"))
    if service is None or not get("payer") or not get("carc"):
        raise InvalidValue("the payer, date of service or reason code is empty")
    payer_key = (get("payer_id") or get("payer")).upper()
    transaction = by_payer.setdefault(payer_key, Transaction(
        control_number="", segment_number=0, payer=PartyRead(name=get("payer"), identifier=get("payer_id")),
        production_date=parse_date(get("notice_date"))))
    key = (payer_key, get("account_number").upper(), service, get("claim_number"))
    claim = claims.get(key)
    if claim is None:
        claim = claims[key] = _new_claim(get, service)
        transaction.claims.append(claim)
    _add_line(claim, get, service)


Getter = Callable[[str], str]


def _new_claim(get: Getter, service: date) -> ClaimPayment:
    last, first = get("patient_last"), get("patient_first")
    if not last:
        last, _, first = get("patient").partition(",")
    person = Person(last.strip(), first.strip(), date_of_birth=parse_date(get("date_of_birth")),
                    member_id=get("member_id"))
    return ClaimPayment(account_number=get("account_number"), status_code="4", billed=ZERO, paid=ZERO,
                        patient_responsibility=ZERO, filing_indicator="", payer_claim_number=get("claim_number"),
                        patient=person, statement_from=service, statement_to=service)


def _add_line(claim: ClaimPayment, get: Getter, service: date) -> None:
    billed, paid = money(get("billed")), money(get("paid"))
    denied = money(get("denied")) if get("denied") else billed - paid
    code = get("carc").upper().replace(" ", "")
    group, _, carc = code.rpartition("-")
    modifiers = [m for m in re.split(r"[\s,:;]+", get("modifiers").upper()) if m][:4]
    line = LinePayment(len(claim.lines) + 1, get("procedure").upper(), modifiers=modifiers, billed=billed,
                       paid=paid, service_from=service, service_to=service,
                       remarks=[r for r in re.split(r"[\s,;]+", get("rarc").upper()) if r])
    line.adjustments.append(AdjustmentRead(group or get("group").upper() or "CO", carc, denied,
                                           line_number=line.line_number))
    claim.lines.append(line)


def _finish_claim(claim: ClaimPayment) -> None:
    claim.billed = sum((ln.billed for ln in claim.lines), ZERO)
    claim.paid = sum((ln.paid for ln in claim.lines), ZERO)
    claim.status_code = "4" if claim.paid == Decimal("0") else "1"
