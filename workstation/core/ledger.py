"""The claims ledger: every claim read from a remittance, paid or not, so rates have a
denominator (issue 13). It holds no patient names: claims are known by payer, account
number, payer claim number and dates of service."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from workstation.core.money import ZERO


# Adjustments and lines are NamedTuples, not dataclasses: a report reads some 100,000 claims with
# several of each, and a tuple is built several times faster.
class LedgerAdjustment(NamedTuple):
    group: str
    carc: str
    amount: Decimal
    line_number: int | None = None

    @property
    def code(self) -> str:
        return f"{self.group}-{self.carc}"


class LedgerLine(NamedTuple):
    procedure_code: str
    modifiers: tuple[str, ...] = ()
    billed: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def procedure(self) -> str:
        """"99213" or "99213-25"."""
        return "-".join((self.procedure_code, *self.modifiers))


class LedgerClaim(NamedTuple):
    """One claim as one remittance reported it (a NamedTuple too: an import of 10,000 claims builds
    one each, and a frozen dataclass's construction was a tenth of what the ledger added to it)."""

    source_key: str  # what makes a row unique: the transaction's content hash and the claim's place in it
    payer: str
    claim_key: str  # the claim's identity across remittances (payer, account number, first date of service)
    account_number: str = ""
    payer_claim_number: str = ""
    payer_id: str = ""
    payer_kind: str = ""
    service_from: date | None = None
    service_to: date | None = None
    rendering_npi: str = ""
    billed: Decimal = ZERO
    paid: Decimal = ZERO
    patient_responsibility: Decimal = ZERO
    status_code: str = ""
    remittance_date: date | None = None
    lines: tuple[LedgerLine, ...] = ()
    adjustments: tuple[LedgerAdjustment, ...] = ()
    opened_case: bool = False
    case_id: str = ""
    backfilled: bool = False  # filled in from a case file made before the ledger existed
    rendering_name: str = ""  # the rendering provider as the remittance names them (NM1*82)


class LedgerDenial(NamedTuple):
    """One denial adjustment as the prevention patterns count it: the payer and remittance that
    took it and the service line it was taken from (issue 13). The ledger's SQL selects these
    (the last 90 days' denials, or an adopted change's span); core/patterns.py counts them. The
    report's groupings of denials are the SQL's own (casefile/ledger_store.py)."""

    payer: str
    remittance_date: date
    group: str
    carc: str
    amount: Decimal
    procedure_code: str = ""  # "" for an adjustment of the whole claim
    modifiers: str = ""  # "25-59"

    @property
    def code(self) -> str:
        return f"{self.group}-{self.carc}"


CLAIM_LEVEL = "(claim level)"
