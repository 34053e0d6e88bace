"""The 835 remittance reader: segments -> transactions of claim payments (core/remittance.py).

Reads 5010 (005010X221A1) and 4010 (004010X091A1). Each ST..SE transaction is read whole or
refused whole with a sentence naming the segment; the other transactions of the file stay.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from workstation.core.model import Person
from workstation.core.remittance import (
    AdjustmentRead,
    ClaimPayment,
    LinePayment,
    PartyRead,
    ProviderAdjustment,
    ReadProblem,
    RemittanceRead,
    Transaction,
)
from workstation.intake.x12_segments import Segment, SegmentReader, X12FileRefused, refuse_cut_after_a_segment

ASK = "Ask the sender for a corrected file."

#: GS01 functional identifiers of X12 files people mistake for remittances.
NOT_835 = {"HC": "837 claims", "FA": "999/997 acknowledgments", "HN": "277 claim status",
           "HS": "270 eligibility questions", "HB": "271 eligibility answers", "BE": "834 enrolment",
           "HI": "278 authorizations"}


class SegmentProblem(Exception):
    """A segment that cannot be read; refuses its transaction."""

    def __init__(self, segment: Segment, what: str) -> None:
        super().__init__(f"{segment.tag}: {what}. {ASK}")
        self.segment = segment


def amount(segment: Segment, position: int, label: str, *, required: bool = True) -> Decimal:
    text = segment.get(position).strip()
    if not text:
        if required:
            raise SegmentProblem(segment, f"the {label} is missing")
        return Decimal("0")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise SegmentProblem(segment, f"{label} '{text}' is not a number") from None
    if not value.is_finite():
        raise SegmentProblem(segment, f"{label} '{text}' is not a number")
    return value


def optional_amount(segment: Segment, position: int, label: str) -> Decimal | None:
    return amount(segment, position, label) if segment.get(position).strip() else None


def x12_date(segment: Segment, position: int, label: str) -> date | None:
    text = segment.get(position).strip()
    if not text:
        return None
    try:
        if len(text) == 8 and text.isdigit():
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if len(text) == 6 and text.isdigit():  # YYMMDD of 4010 envelopes
            return date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
    except ValueError:
        pass
    raise SegmentProblem(segment, f"{label} '{text}' is not a date (CCYYMMDD)")


class _TransactionBuilder:
    """Collects one ST..SE transaction; knows which loop (payer, payee, claim, line) it is in."""

    def __init__(self, start: Segment, group_date: date | None, version: str, component: str) -> None:
        self.transaction = Transaction(control_number=start.get(2), segment_number=start.number,
                                       version=version, group_date=group_date)
        self.component = component
        self.party: PartyRead | None = None
        self.claim: ClaimPayment | None = None
        self.line: LinePayment | None = None
        self.count = 1

    def add(self, segment: Segment) -> None:
        self.count += 1
        handler = _HANDLERS.get(segment.tag)
        if handler is not None:
            handler(self, segment)

    # -- header ------------------------------------------------------------------------------

    def bpr(self, s: Segment) -> None:
        self.transaction.total_paid = amount(s, 2, "total payment")
        self.transaction.payment_method = s.get(4)
        try:
            self.transaction.payment_date = x12_date(s, 16, "payment date")
        except SegmentProblem as problem:  # informational: the notice date has other sources
            self.transaction.warnings.append(f"segment {s.number}, {problem} The payment date was ignored.")

    def trn(self, s: Segment) -> None:
        self.transaction.check_number = s.get(2)

    def dtm(self, s: Segment) -> None:
        qualifier = s.get(1)
        when = x12_date(s, 2, f"date ({qualifier})")
        if self.line is not None:
            self._line_date(qualifier, when)
        elif self.claim is not None:
            self._claim_date(qualifier, when)
        elif qualifier == "405":
            self.transaction.production_date = when

    def _line_date(self, qualifier: str, when: date | None) -> None:
        assert self.line is not None
        if qualifier in ("472", "150"):
            self.line.service_from = when
            if qualifier == "472" or self.line.service_to is None:
                self.line.service_to = when
        elif qualifier == "151":
            self.line.service_to = when

    def _claim_date(self, qualifier: str, when: date | None) -> None:
        assert self.claim is not None
        if qualifier == "232":
            self.claim.statement_from = when
        elif qualifier == "233":
            self.claim.statement_to = when
        elif qualifier == "050":
            self.claim.received = when

    def n1(self, s: Segment) -> None:
        party = PartyRead(name=s.get(2), id_qualifier=s.get(3), identifier=s.get(4))
        if s.get(1) == "PR":
            self.transaction.payer = party
        elif s.get(1) == "PE":
            self.transaction.payee = party
        self.party = party

    def n3(self, s: Segment) -> None:
        if self.party is not None and self.claim is None:
            self.party.address.line1, self.party.address.line2 = s.get(1), s.get(2)

    def n4(self, s: Segment) -> None:
        if self.party is not None and self.claim is None:
            a = self.party.address
            a.city, a.state, a.zip = s.get(1), s.get(2), s.get(3)

    def per(self, s: Segment) -> None:
        if self.party is not None and self.claim is None:
            for position in (4, 6, 8):
                if s.get(position - 1) == "TE" and not self.party.phone:
                    self.party.phone = s.get(position)

    def ref(self, s: Segment) -> None:
        qualifier = s.get(1)
        if self.line is not None:
            if qualifier == "6R":
                self.line.control_number = s.get(2)
        elif self.claim is None and self.party is not None:
            if qualifier == "2U" and not self.party.identifier:
                self.party.identifier, self.party.id_qualifier = s.get(2), "2U"
            elif qualifier == "TJ":
                self.party.tax_id = s.get(2)

    def plb(self, s: Segment) -> None:
        for position in range(3, 15, 2):
            if s.get(position):
                reason, _, reference = s.get(position).partition(self.component)
                self.transaction.provider_adjustments.append(
                    ProviderAdjustment(reason, reference, amount(s, position + 1, "provider adjustment amount")))

    # -- claims ------------------------------------------------------------------------------

    def clp(self, s: Segment) -> None:
        if len(s.elements) < 7:
            raise SegmentProblem(s, f"the claim has {len(s.elements)} elements where at least 7 are required")
        self.line, self.party = None, None
        self.claim = ClaimPayment(
            account_number=s.get(1), status_code=s.get(2), billed=amount(s, 3, "billed amount"),
            paid=amount(s, 4, "paid amount"),
            patient_responsibility=amount(s, 5, "patient responsibility", required=False),
            filing_indicator=s.get(6), payer_claim_number=s.get(7), facility_code=s.get(8),
            frequency_code=s.get(9), segment_number=s.number)
        self.transaction.claims.append(self.claim)

    def cas(self, s: Segment) -> None:
        if self.claim is None:
            raise SegmentProblem(s, "an adjustment appears before any claim")
        group = s.get(1)
        if not group:
            raise SegmentProblem(s, "the adjustment has no group code")
        target = self.line.adjustments if self.line else self.claim.adjustments
        for position in range(2, 20, 3):
            reason = s.get(position)
            if not reason:
                continue
            if not s.get(position + 1).strip():
                raise SegmentProblem(s, f"reason code {reason} has no amount")
            target.append(AdjustmentRead(group, reason, amount(s, position + 1, f"amount of {group}-{reason}"),
                                         optional_amount(s, position + 2, f"quantity of {group}-{reason}"),
                                         self.line.line_number if self.line else None))

    def nm1(self, s: Segment) -> None:
        if self.claim is None:
            return
        entity = s.get(1)
        person = Person(last_name=s.get(3), first_name=s.get(4), middle_name=s.get(5), member_id=s.get(9))
        if entity == "QC":
            self.claim.patient = person
        elif entity == "IL":
            self.claim.insured = person
        elif entity == "82":
            self.claim.rendering_name = " ".join(p for p in (s.get(4), s.get(3)) if p)
            self.claim.rendering_npi = s.get(9) if s.get(8) == "XX" else ""

    def moa(self, s: Segment) -> None:
        if self.claim is not None:
            self.claim.remarks += [s.get(p) for p in range(3, 8) if s.get(p)]

    def mia(self, s: Segment) -> None:
        if self.claim is not None:
            self.claim.remarks += [s.get(p) for p in (5, 20, 21, 22, 23) if s.get(p)]

    def lq(self, s: Segment) -> None:
        if self.line is not None and s.get(1) == "HE" and s.get(2):
            self.line.remarks.append(s.get(2))

    def amt(self, s: Segment) -> None:
        if self.line is not None and s.get(1) == "B6":
            self.line.allowed = amount(s, 2, "allowed amount")

    def svc(self, s: Segment) -> None:
        if self.claim is None:
            raise SegmentProblem(s, "a service line appears before any claim")
        composite, component = s.get(1), self.component
        if component not in composite and len(composite) > 3 and composite[:2].isalpha() \
                and not composite[2].isalnum():  # HC>12345>26 under an ISA declaring ':' (real files do this)
            component = composite[2]
        qualifier, _, rest = composite.partition(component)
        code, *modifiers = rest.split(component) if rest else [""]
        units = s.get(5).strip()
        self.line = LinePayment(
            line_number=len(self.claim.lines) + 1, procedure_code=code or qualifier, qualifier=qualifier,
            modifiers=[m for m in modifiers[:4] if m], billed=amount(s, 2, "line billed amount", required=False),
            paid=amount(s, 3, "line paid amount", required=False), revenue_code=s.get(4),
            units=amount(s, 5, "units") if units else Decimal("1"))
        self.claim.lines.append(self.line)


_HANDLERS = {
    "BPR": _TransactionBuilder.bpr, "TRN": _TransactionBuilder.trn, "DTM": _TransactionBuilder.dtm,
    "N1": _TransactionBuilder.n1, "N3": _TransactionBuilder.n3, "N4": _TransactionBuilder.n4,
    "PER": _TransactionBuilder.per, "REF": _TransactionBuilder.ref, "PLB": _TransactionBuilder.plb,
    "CLP": _TransactionBuilder.clp, "CAS": _TransactionBuilder.cas, "NM1": _TransactionBuilder.nm1,
    "MOA": _TransactionBuilder.moa, "MIA": _TransactionBuilder.mia, "LQ": _TransactionBuilder.lq,
    "AMT": _TransactionBuilder.amt, "SVC": _TransactionBuilder.svc,
}


ST_KINDS = {"837": "an 837 claim", "999": "a 999 acknowledgment", "997": "a 997 acknowledgment",
            "277": "a 277 claim status", "270": "a 270 eligibility question", "271": "a 271 eligibility answer"}


class Era835File:
    """Reads one 835 file as a stream of transactions; problems collect in `result`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.result = RemittanceRead(file_name=self.path.name, sha256="")
        self._group_date: date | None = None
        self._version = ""
        self._open_interchanges = 0
        self.transactions_read = 0  # kept as a count: streaming keeps no transaction in memory

    def problem(self, segment: int | None, message: str) -> None:
        self.result.problems.append(ReadProblem(self.path.name, segment, message))

    def transactions(self) -> Iterator[Transaction]:
        """Each complete, readable transaction in file order."""
        reader = SegmentReader(self.path)
        builder: _TransactionBuilder | None = None
        try:
            for segment in reader:
                if segment.number == 1 and reader.has_envelope:
                    refuse_cut_after_a_segment(self.path, reader.delimiters)  # before anything is imported
                builder, done = self._step(segment, builder, reader.delimiters.component)
                if done is not None:
                    yield done
        except X12FileRefused as refused:
            self.problem(None, str(refused))
            self.result.refused = not self.transactions_read and builder is None
            builder = None
            self._open_interchanges = 0  # one sentence for the file: not also "ends without its IEA"
        finally:
            self.result.sha256 = reader.sha256
        self._finish(builder, reader.has_envelope)

    def _step(self, segment: Segment, builder: _TransactionBuilder | None,
              component: str) -> tuple[_TransactionBuilder | None, Transaction | None]:
        tag = segment.tag
        if tag in ("ISA", "IEA", "GS", "GE"):
            if builder is not None:
                self.problem(builder.transaction.segment_number,
                             f"ST: transaction {builder.transaction.control_number} has no SE segment. {ASK}")
            self._envelope(segment)
            return None, None
        if tag == "ST":
            if builder is not None:
                self.problem(builder.transaction.segment_number,
                             f"ST: transaction {builder.transaction.control_number} has no SE segment. {ASK}")
            return self._start(segment, component), None
        if builder is None:
            return None, None  # inside a refused transaction, or stray: nothing to keep
        if tag == "SE":
            return None, self._close(builder, segment)
        try:
            builder.add(segment)
        except SegmentProblem as problem:
            self.problem(segment.number, str(problem))
            return None, None
        return builder, None

    def _envelope(self, segment: Segment) -> None:
        if segment.tag == "ISA":
            self._open_interchanges += 1
            self._version = segment.get(12)
        elif segment.tag == "IEA":
            self._open_interchanges -= 1
        elif segment.tag == "GS":
            kind = NOT_835.get(segment.get(1))
            if kind:
                raise X12FileRefused(f"{self.path.name} holds X12 {kind} (GS01 {segment.get(1)}), not 835 "
                                     "remittances; import only remittance (835/ERA) files.")
            self._version = segment.get(8) or self._version
            try:
                self._group_date = x12_date(segment, 4, "group date")
            except SegmentProblem as problem:
                self.problem(segment.number, str(problem))

    def _start(self, segment: Segment, component: str) -> _TransactionBuilder | None:
        if segment.get(1) != "835":
            kind = ST_KINDS.get(segment.get(1), f"a {segment.get(1) or 'unnamed'} transaction")
            self.problem(segment.number, f"ST: this is {kind}, not an 835 remittance; "
                                         "import only remittance (835/ERA) files.")
            return None
        return _TransactionBuilder(segment, self._group_date, self._version, component)

    def _close(self, builder: _TransactionBuilder, segment: Segment) -> Transaction | None:
        counted = builder.count + 1
        declared = segment.get(1).strip()
        if declared != str(counted):
            self.problem(segment.number, f"SE: the transaction says it has {declared or 'no'} segments but it "
                                         f"has {counted}; the file is damaged or incomplete. {ASK}")
            return None
        self.transactions_read += 1
        return builder.transaction

    def _finish(self, builder: _TransactionBuilder | None, has_envelope: bool) -> None:
        if builder is not None:
            self.problem(builder.transaction.segment_number,
                         f"ST: the file ends before transaction {builder.transaction.control_number} is "
                         f"complete (no SE); it was cut short. {ASK}")
        if has_envelope and self._open_interchanges > 0:
            self.problem(None, f"the file ends without its IEA segment, so it may be incomplete. {ASK}")
        if not has_envelope:
            self.result.notes.append("The file has no ISA/GS envelope (it starts at ST); it was read with "
                                     "the usual delimiters (* : ~).")


def read_remittance(path: Path) -> RemittanceRead:
    """Read a whole file (tests, validation); imports stream with Era835File.transactions()."""
    reader = Era835File(path)
    reader.result.transactions = list(reader.transactions())
    return reader.result
