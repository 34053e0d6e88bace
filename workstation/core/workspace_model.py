"""What the workspace shares between cases: practice profile, payers, users, settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from workstation.core.model import Address
from workstation.core.payer_kinds import Ladder, default_ladders
from workstation.core.vocabulary import PayerKind


@dataclass
class PracticeProfile:
    name: str = ""
    address: Address = field(default_factory=Address)
    phone: str = ""
    fax: str = ""
    npi: str = ""
    tin: str = ""
    contact_name: str = ""
    signer_name: str = ""
    signer_title: str = ""


@dataclass
class PayerEntry:
    """A payer in the workspace's directory; `payer_ids` are the IDs seen on remittances."""

    name: str
    kind: PayerKind
    payer_ids: list[str] = field(default_factory=list)
    address: Address = field(default_factory=Address)
    phone: str = ""
    fax: str = ""
    portal: str = ""
    needs_check: bool = False
    id: int | None = None
    medicaid_state: str = ""  # for Medicaid: which state's rules apply
    ladder: Ladder | None = None  # the payer's own ladder; None = the default for its kind
    #: Whether the practice is contracted with the plan: "yes", "no", or "" (not said yet). A
    #: Medicare Advantage plan dismisses a non-contracted provider's appeal without a waiver of liability.
    contracted: str = ""

    def effective_ladder(self) -> Ladder:
        return self.ladder or default_ladders()[self.kind]


@dataclass(frozen=True)
class User:
    login: str
    display_name: str = ""

    @property
    def label(self) -> str:
        return self.display_name or self.login
