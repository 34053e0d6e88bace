"""The 835 remittance reader: segments -> transactions of claim payments (core/remittance.py).

Reads 5010 (005010X221A1) and 4010 (004010X091A1). Each ST..SE transaction is read whole or
refused whole with a sentence naming the segment; the other transactions of the file stay.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

from workstation.core.model import Person
from workstation.core.money import MAX_WHOLE_DIGITS, ZERO, within_bounds
from workstation.core.remittance import (
    AdjustmentRead,
    ClaimPayment,
    LinePayment,
    PartyRead,
    ProviderAdjustment,
    ReadProblem,
    RemittanceRead,
    Transaction,
    add_netted,
)
from workstation.intake.x12_segments import Segment, SegmentReader, X12FileRefused

ASK = "Ask the sender for a corrected file."
X12_NUMBER_LENGTH = 18  # the longest decimal (R) element of an 835
#: The longest element an 835 may carry: PER04 and RDM03, a communication number (data element 364);
#: names are at most 60 (NM103, N102), references 50 (REF02, CLP07), an account number 38 (CLP01),
#: as pyx12's data element dictionary for 005010X221A1 and 004010X091A1 says.
X12_LONGEST_ELEMENT = 256
#: An element longer than this is no name or number but damage (a terminator lost, a file pasted
#: into another): it refuses its claim. Four times the standard's longest, so a sender that pads or
#: overruns a field (real files do) is still read; a bound, so what enters a case, a letter and
#: the ledger is never 100,000 characters of one name.
MAX_ELEMENT_CHARS = 1_000
_X12_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")  # no exponent, NaN, Infinity, commas or _
_EXPONENT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+")

#: GS01 functional identifiers of X12 files people mistake for remittances.
NOT_835 = {"HC": "837 claims", "FA": "999/997 acknowledgments", "HN": "277 claim status",
           "HS": "270 eligibility questions", "HB": "271 eligibility answers", "BE": "834 enrolment",
           "HI": "278 authorizations"}


class SegmentProblem(Exception):
    """A segment that cannot be read; refuses its claim (or, outside any claim, its transaction)."""

    def __init__(self, segment: Segment, what: str) -> None:
        super().__init__(f"{segment.tag}: {what}. {ASK}")
        self.segment = segment
        self.what = f"{segment.tag}: {what}"


def amount(segment: Segment, position: int, label: str, *, required: bool = True) -> Decimal:
    text = segment.get(position).strip()
    if not text:
        if required:
            raise SegmentProblem(segment, f"the {label} is missing")
        return Decimal("0")
    return number(segment, position, label, text)


def number(segment: Segment, position: int, label: str, text: str) -> Decimal:
    """An element's number, bounded where it is read: NaN, Infinity, exponents, more than X12's 18
    characters or an amount past a trillion dollars refuse the claim before anything is written."""
    if len(text) > X12_NUMBER_LENGTH:
        raise SegmentProblem(segment, f"{label} ({_element(segment, position)}) is {len(text):,} characters long, "
                                      f"where an X12 number has at most {X12_NUMBER_LENGTH}")
    if not _X12_NUMBER.fullmatch(text):
        if _EXPONENT.fullmatch(text):
            raise SegmentProblem(segment, f"{label} '{text}' ({_element(segment, position)}) is written with an "
                                          "exponent, which an X12 number never is")
        raise SegmentProblem(segment, f"{label} '{text}' is not a number")
    value = Decimal(text)
    if not within_bounds(value):
        raise SegmentProblem(segment, f"{label} '{text}' ({_element(segment, position)}) has more than "
                                      f"{MAX_WHOLE_DIGITS} digits before the point, more than any remittance carries")
    return value


def _element(segment: Segment, position: int) -> str:
    return f"{segment.tag}{position:02d}"


def require_bounded(segment: Segment) -> None:
    """Refuse a segment holding an element far longer than any an 835 may carry, naming it; the
    element is never quoted (it may be a patient's name)."""
    if len(segment.raw) <= MAX_ELEMENT_CHARS:  # the whole segment is short: so is each element
        return
    for position, element in enumerate(segment.elements, start=1):
        if len(element) > MAX_ELEMENT_CHARS:
            raise SegmentProblem(segment, f"{_element(segment, position)} is {len(element):,} characters long, where "
                                          f"no element of an 835 has more than {X12_LONGEST_ELEMENT}")


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
    """Collects one ST..SE transaction; knows which loop (payer, payee, claim, line) it is in.

    A defect inside a claim refuses that claim alone (the builder skips to the next CLP); a
    defect in a date outside the claim's money is a note; a wrong segment count is a note."""

    def __init__(self, start: Segment, group_date: date | None, version: str, component: str,
                 file_name: str) -> None:
        self.transaction = Transaction(control_number=start.get(2), segment_number=start.number,
                                       version=version, group_date=group_date)
        self.component = component
        self.file_name = file_name
        self.party: PartyRead | None = None
        self.claim: ClaimPayment | None = None
        self.line: LinePayment | None = None
        self.skipping = False  # inside a refused claim: its segments are passed over
        self.cut: Segment | None = None
        self.count = 1
        self.digest = hashlib.sha256()
        self.refused: list[ReadProblem] = []

    def add(self, segment: Segment) -> None:
        """Take one segment; raises SegmentProblem only for a defect that refuses the transaction."""
        self.count += 1
        self._fingerprint(segment)
        if segment.tag == "CLP":
            self.skipping = False
        elif self.skipping and segment.tag != "PLB":
            return
        if segment.cut:
            self.cut = segment  # the file ends here: Era835File refuses the claim it cut
            if segment.tag == "CLP":
                self._start_claim(segment)
            return
        handler = _HANDLERS.get(segment.tag)
        if handler is None:
            return
        try:
            handler(self, segment)  # first: an amount's own bound says more ("an X12 number has at most 18")
            require_bounded(segment)  # after: what the handler took refuses with its claim or transaction
        except SegmentProblem as problem:
            if self.claim is None or segment.tag == "PLB":
                raise
            self.refuse_claim(problem)

    def _fingerprint(self, segment: Segment) -> None:
        """The transaction's content whatever its delimiters, envelope and control numbers (the
        reader gives each segment's text with the usual delimiters)."""
        self.digest.update(f"{segment.raw}~".encode())

    def refuse_claim(self, problem: SegmentProblem) -> None:
        """Drop the claim being read; the claims around it still import."""
        assert self.claim is not None
        claim = self.claim
        self.transaction.claims.remove(claim)
        self.transaction.complete = False
        self.claim, self.line, self.skipping = None, None, True
        account = claim.account_number if len(claim.account_number) <= MAX_ELEMENT_CHARS else "(too long to show)"
        self.refused.append(ReadProblem(
            self.file_name, problem.segment.number,
            f"{problem.what}; claim {account or '(no account number)'} (segment "
            f"{claim.segment_number}) was not imported, the other claims were. {ASK}"))

    def finish(self) -> Transaction:
        self.transaction.fingerprint = self.digest.hexdigest()
        return self.transaction

    def note(self, segment: Segment, text: str) -> None:
        self.transaction.warnings.append(f"segment {segment.number}, {segment.tag}: {text}")

    # -- header ------------------------------------------------------------------------------

    def bpr(self, s: Segment) -> None:
        try:
            self.transaction.total_paid = amount(s, 2, "total payment")
        except SegmentProblem as problem:  # the claims carry their own amounts
            self.note(s, f"{problem.what.split(': ', 1)[1]}; the transaction's total was not read.")
        self.transaction.payment_method = s.get(4)
        self.transaction.payment_date = self._date(s, 16, "payment date", "The payment date was ignored.")

    def trn(self, s: Segment) -> None:
        self.transaction.check_number = s.get(2)

    def _date(self, s: Segment, position: int, label: str, consequence: str) -> date | None:
        """A date whose loss changes no money: a defect is a note, not a refusal."""
        try:
            return x12_date(s, position, label)
        except SegmentProblem as problem:
            self.transaction.warnings.append(f"segment {s.number}, {problem.what}. {consequence}")
            return None

    def dtm(self, s: Segment) -> None:
        qualifier = s.get(1)
        if self.line is not None:
            where = f"line {self.line.line_number} of claim {self._claim_name()}"
            when = self._date(s, 2, f"date ({qualifier})", f"{where} was read without this date.")
            self._line_date(qualifier, when)
        elif self.claim is not None:
            when = self._date(s, 2, f"date ({qualifier})", f"Claim {self._claim_name()} was read without this date.")
            self._claim_date(qualifier, when)
        elif qualifier == "405":
            self.transaction.production_date = self._date(s, 2, f"date ({qualifier})",
                                                          "The production date was ignored.")

    def _claim_name(self) -> str:
        return self.claim.account_number if self.claim and self.claim.account_number else "(no account number)"

    def _line_date(self, qualifier: str, when: date | None) -> None:
        assert self.line is not None
        if when is None:
            if self.claim is not None:
                self.claim.warnings.append(f"Service line {self.line.line_number}: its service date could not be read.")
            return
        if qualifier in ("472", "150"):
            self.line.service_from = when
            if qualifier == "472" or self.line.service_to is None:
                self.line.service_to = when
        elif qualifier == "151":
            self.line.service_to = when

    def _claim_date(self, qualifier: str, when: date | None) -> None:
        assert self.claim is not None
        if when is None:
            self.claim.warnings.append(f"A claim date ({qualifier}) could not be read.")
            return
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
                try:
                    value = amount(s, position + 1, "provider adjustment amount")
                except SegmentProblem as problem:
                    self.note(s, f"{problem.what.split(': ', 1)[1]}; that provider-level adjustment was not counted.")
                    continue
                self.transaction.provider_adjustments.append(ProviderAdjustment(reason, reference, value))

    # -- claims ------------------------------------------------------------------------------

    def clp(self, s: Segment) -> None:
        self._start_claim(s)  # first, so a defect below refuses this claim
        assert self.claim is not None
        if len(s.elements) < 7:
            raise SegmentProblem(s, f"the claim has {len(s.elements)} elements where at least 7 are required")
        self.claim.billed = amount(s, 3, "billed amount")
        self.claim.paid = amount(s, 4, "paid amount")
        self.claim.patient_responsibility = amount(s, 5, "patient responsibility", required=False)

    def _start_claim(self, s: Segment) -> None:
        self.line, self.party = None, None
        self.claim = ClaimPayment(account_number=s.get(1), status_code=s.get(2), billed=ZERO, paid=ZERO,
                                  patient_responsibility=ZERO, filing_indicator=s.get(6),
                                  payer_claim_number=s.get(7), facility_code=s.get(8), frequency_code=s.get(9),
                                  segment_number=s.number)
        self.transaction.claims.append(self.claim)

    def cas(self, s: Segment) -> None:
        if self.claim is None:
            raise SegmentProblem(s, "an adjustment appears before any claim")
        group = s.get(1)
        if not group:
            raise SegmentProblem(s, "the adjustment has no group code")
        target = self.line.adjustments if self.line else self.claim.adjustments
        line_number = self.line.line_number if self.line else None
        elements = s.elements
        for index in range(1, min(len(elements), 19), 3):  # CAS02..CAS19: reason, amount, quantity
            reason = elements[index]
            if not reason:
                continue
            money = elements[index + 1].strip() if index + 1 < len(elements) else ""
            if not money:
                raise SegmentProblem(s, f"reason code {reason} has no amount")
            value = number(s, index + 2, f"amount of {group}-{reason}", money)
            count = elements[index + 2].strip() if index + 2 < len(elements) else ""
            quantity = number(s, index + 3, f"quantity of {group}-{reason}", count) if count else None
            add_netted(target, AdjustmentRead(group, reason, value, quantity, line_number))

    def nm1(self, s: Segment) -> None:
        if self.claim is None:
            return
        entity = s.get(1)
        person = Person(last_name=s.get(3).strip(), first_name=s.get(4).strip(), middle_name=s.get(5).strip(),
                        member_id=s.get(9).strip())
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
    """Reads one 835 file as a stream of transactions; problems collect in `result`.

    Strict about what changes money or identity (a damaged claim is refused, alone), lenient
    about framing (segment counts, a missing SE before the next envelope, a missing IEA): the
    biller cannot get a file re-sent quickly, and a framing slip changes no amount."""

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
        """Each readable transaction in file order (claims refused alone are in `problems`)."""
        reader = SegmentReader(self.path)
        builder: _TransactionBuilder | None = None
        try:
            for segment in reader:
                builder, done = self._step(segment, builder, reader.delimiters.component)
                if done is not None:
                    yield done
        except X12FileRefused as refused:
            self.problem(None, str(refused))
            self.result.refused = not self.transactions_read and builder is None
            builder = None
            self._open_interchanges = 0  # one sentence for the file: not also "ends without its IEA"
        except OSError as error:
            self.problem(None, f"{self.path.name} cannot be read ({error.strerror}); check that the file exists "
                               "and you may open it.")
            self.result.refused, builder, self._open_interchanges = True, None, 0
        finally:
            self.result.sha256 = reader.sha256
            self.result.notes += reader.notes
        if builder is not None:
            yield from self._cut_short(builder)
            self._open_interchanges = 0  # already said: the file was cut short
        self._finish(reader.has_envelope)

    def _step(self, segment: Segment, builder: _TransactionBuilder | None,
              component: str) -> tuple[_TransactionBuilder | None, Transaction | None]:
        tag = segment.tag
        if tag in ("ISA", "IEA", "GS", "GE", "ST"):
            done = self._without_se(builder, segment) if builder is not None else None
            if tag == "ST":
                return self._start(segment, component), done
            self._envelope(segment)
            return None, done
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

    def _without_se(self, builder: _TransactionBuilder, segment: Segment) -> Transaction:
        """The next envelope segment closes a transaction whose SE is missing: all its claims are there."""
        builder.transaction.warnings.append(
            f"segment {builder.transaction.segment_number}, ST: transaction {builder.transaction.control_number} "
            f"has no SE segment; it was read up to the {segment.tag} that follows it.")
        return self._done(builder)

    def _done(self, builder: _TransactionBuilder) -> Transaction:
        self.result.problems += builder.refused
        self.transactions_read += 1
        return builder.finish()

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
                self.result.notes.append(f"segment {segment.number}, {problem.what}; the group date was ignored.")

    def _start(self, segment: Segment, component: str) -> _TransactionBuilder | None:
        if segment.get(1) != "835":
            kind = ST_KINDS.get(segment.get(1), f"a {segment.get(1) or 'unnamed'} transaction")
            self.problem(segment.number, f"ST: this is {kind}, not an 835 remittance; "
                                         "import only remittance (835/ERA) files.")
            return None
        return _TransactionBuilder(segment, self._group_date, self._version, component, self.path.name)

    def _close(self, builder: _TransactionBuilder, segment: Segment) -> Transaction:
        counted = builder.count + 1
        declared = segment.get(1).strip()
        if declared != str(counted):
            builder.transaction.warnings.append(
                f"segment {segment.number}, SE: the transaction says it has {declared or 'no'} segments but it has "
                f"{counted}; every segment was read, but check the claims against the payer's paper remittance.")
        return self._done(builder)

    def _cut_short(self, builder: _TransactionBuilder) -> Iterator[Transaction]:
        """The file ends inside a transaction: its last claim may have lost segments, so it is
        refused; the claims before it are whole (another CLP followed each) and are read."""
        transaction, cut = builder.transaction, builder.cut
        where = f"in the middle of segment {cut.number} ('{cut.text()[:30]}')" if cut else "without an SE segment"
        last = builder.claim
        if last is not None:
            transaction.claims.remove(last)
        transaction.complete = False
        before = len(transaction.claims)
        lost = (f"claim {last.account_number or '(no account number)'} (segment {last.segment_number}) was not "
                "imported" if last else "no claim was lost")
        if before:
            lost += f"; the {before} claim(s) before it were read"
        segment = cut.number if cut else (last.segment_number if last else transaction.segment_number)
        self.problem(segment, f"the file ends {where}, before transaction {transaction.control_number} is "
                              f"complete, so it was cut short: {lost}. Ask the sender for the whole file again.")
        yield self._done(builder)

    def _finish(self, has_envelope: bool) -> None:
        if has_envelope and self._open_interchanges > 0 and not self.result.refused:
            self.result.notes.append("The file ends without its IEA segment; every transaction in it that was "
                                     "complete was read.")
        if not has_envelope:
            self.result.notes.append("The file has no ISA/GS envelope (it starts at ST); it was read with "
                                     "the usual delimiters (* : ~).")


def read_remittance(path: Path) -> RemittanceRead:
    """Read a whole file (tests, validation); imports stream with Era835File.transactions()."""
    reader = Era835File(path)
    reader.result.transactions = list(reader.transactions())
    return reader.result
