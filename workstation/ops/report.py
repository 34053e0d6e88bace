"""The denial report (issue 13): the measures of core/measures.py over a workspace, as the
data `workstation report --json` prints and the Reports view shows."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from workstation.casefile.encryption import SQLiteDatabaseError
from workstation.casefile.index import CaseIndex, DeadlineOf
from workstation.casefile.ledger_store import LedgerQueries
from workstation.casefile.workspace import Workspace, quick_check
from workstation.core.audit import AuditAction
from workstation.core.codebook import codebook
from workstation.core.jsonable import jsonable
from workstation.core.measures import (
    SEQUESTRATION,
    DenialGroup,
    InitialDenials,
    Period,
    appeal_outcomes,
    at_stake,
    backlog_by_age,
    backlog_by_deadline,
    denying_codes,
    fold_totals,
    median_days,
    outcomes_by_level,
    percentile_days,
    write_offs_by_reason,
)
from workstation.core.money import ZERO
from workstation.core.patterns import Adoption, Pattern, PatternKey, find_patterns, patterns_since
from workstation.core.summary import CaseSummary
from workstation.core.vocabulary import is_open_status
from workstation.ops.audit import record_once
from workstation.ops.deadlines import deadline_of
from workstation.ops.ledger import backfill_pending, ensure_backfilled


@dataclass(frozen=True)
class ReportRequest:
    start: date | None = None
    end: date | None = None
    payer: str = ""  # only this payer's claims and cases (by name, case-insensitive)
    today: date | None = None
    #: False for a report built before anyone looks at it (the window builds it once the worklist
    #: is loaded, so it shows at once); `note_report_seen` records it in the audit trail when shown
    audited: bool = True

    def asks_same(self, other: ReportRequest) -> bool:
        """Whether `other` asks for the same figures (whether it is audited aside)."""
        return replace(self, audited=other.audited) == other

    def period(self, today: date) -> Period:
        """The period asked for; by default the last 12 months to today."""
        end = self.end or today
        return Period(self.start or (end - timedelta(days=365)), end)


def report_at(root: Path, request: ReportRequest, rows: list[CaseSummary] | None = None) -> dict[str, Any]:
    """The report of the workspace at `root`, opened here (the window builds it on a worker thread,
    from the worklist's rows it holds already)."""
    with Workspace.open(Path(root), backup=False) as workspace:
        return build_report(workspace, request, rows=rows)


def build_report(workspace: Workspace, request: ReportRequest, *,
                 rows: list[CaseSummary] | None = None) -> dict[str, Any]:
    """Every measure for the period, as JSON-ready data (money and rates as decimal strings).

    Three parts run side by side: the worklist's rows (a rescan of cases/ and index.sqlite), the
    ledger's sums over every claim (on a connection of their own) and the denials' grouping here.
    SQLite lets go of Python while it works, so over 100,000 ledger claims and 10,000 cases they
    overlap: 1.25 s one after the other, about 0.6 s so. `rows`, the worklist's rows as the window
    holds them (with their deadlines), spare reading them again."""
    ensure_backfilled(workspace)  # before the rows are read beside: it rescans the index too
    today = request.today or date.today()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="report") as pool:
        reading = None
        if rows is None:
            deadline = deadline_of(workspace, today=today, open_only=True)  # only open cases' dates count
            reading = pool.submit(_case_rows, workspace.index, deadline)
        figures = ledger_figures(workspace, request)
        rows = reading.result() if reading is not None else rows or []
    report = report_of(figures, rows, request)
    if request.audited:
        _record_report(workspace, request)
    return report


def checked_report(workspace: Workspace, request: ReportRequest) -> dict[str, Any]:
    """`build_report` of a workspace opened with `check_later`, its check of every page run beside
    the report (SQLite lets go of Python for both): over 100,000 ledger claims the check took 0.14 s
    before the report began. Damage it finds is said as such, even if the report met it first; the
    audit entry is written only once the check has passed."""
    if backfill_pending(workspace):  # filling the ledger writes (once per workspace): the file is checked first
        quick_check(workspace.db_path)
        return build_report(workspace, request)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="check") as pool:
        checking = pool.submit(quick_check, workspace.db_path)
        try:
            report = build_report(workspace, replace(request, audited=False))
        except SQLiteDatabaseError:
            checking.result()  # DamagedWorkspace, naming the backup
            raise
        checking.result()
    if request.audited:
        _record_report(workspace, request)
    return report


def ledger_figures_ahead(root: Path, request: ReportRequest) -> LedgerFigures | None:
    """The ledger's part of the report of the workspace at `root`, worked out while the window
    loads its worklist: the report is then ready soon after the rows are (`report_from`). The
    window checked workspace.sqlite when it opened it a moment before, so it is not checked again
    here (0.14 s over 100,000 ledger claims, beside the worklist's loading); should SQLite meet
    damage all the same, there are no figures ahead and the report's own build says so. None too
    for a workspace whose ledger is still to be filled from its case files: that rescans the index,
    which the worklist's loading does at the same moment."""
    try:
        with Workspace.open(Path(root), backup=False, check_later=True) as workspace:
            return None if backfill_pending(workspace) else ledger_figures(workspace, request)
    except SQLiteDatabaseError:
        return None


def report_from(root: Path, figures: LedgerFigures, rows: list[CaseSummary], request: ReportRequest
                ) -> dict[str, Any]:
    """The report from ledger figures worked out ahead and the worklist's rows, audited when asked."""
    report = report_of(figures, rows, request)
    if request.audited:
        note_report_seen(root, request)
    return report


def ledger_figures(workspace: Workspace, request: ReportRequest) -> LedgerFigures:
    """What the report takes from the claims ledger alone: its sums over every claim (first
    remittances, CO-253) on a connection of their own, and meanwhile the denials grouped and the
    patterns among them here (SQLite works without holding Python's lock)."""
    ensure_backfilled(workspace)
    today = request.today or date.today()
    period = request.period(today)
    payers = None
    if request.payer:
        wanted = request.payer.strip().upper()
        payers = [name for name in workspace.ledger_payers() if name.strip().upper() == wanted]
    adoptions = [a for a in workspace.adopted_patterns()
                 if not request.payer or a.key.payer.strip().upper() == request.payer.strip().upper()]
    denying = denying_codes(codebook(), workspace.ledger_codes())
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger") as pool:
        counting = pool.submit(_ledger_totals, workspace, denying, payers, period)
        groupings, patterns = _denial_figures(workspace.ledger_queries(denying, payers), period, today, adoptions)
        initial, sequestration = counting.result()
    return LedgerFigures(request, period, today, initial, groupings, sequestration, patterns)


def report_of(figures: LedgerFigures, rows: list[CaseSummary], request: ReportRequest) -> dict[str, Any]:
    """The report from the ledger's figures and the worklist's rows (readable ones, of the report's
    payer); not audited here (`build_report` is, `note_report_seen` records one shown)."""
    if not figures.request.asks_same(request):
        raise ValueError("the ledger's figures were worked out for another report")  # a bug, not the user's
    report = _report(figures, _readable(rows, request.payer), figures.period, figures.today)
    report["payer"] = request.payer or None  # the payer the report is limited to, if any
    return report


def _case_rows(index: CaseIndex, deadline: DeadlineOf) -> list[CaseSummary]:
    """The worklist's rows, the index first brought in line with cases/."""
    index.rescan()
    return index.rows(deadline=deadline)


def _readable(rows: list[CaseSummary], payer: str) -> list[CaseSummary]:
    """The rows the report counts: readable ones, of the payer asked for (any when "")."""
    wanted = payer.strip().upper()
    return [r for r in rows if not r.problem and (not wanted or r.payer.strip().upper() == wanted)]


def note_report_seen(root: Path, request: ReportRequest) -> None:
    """The audit entry of a report built ahead and shown now (once per period per run, as any)."""
    with Workspace.open(Path(root), backup=False) as workspace:
        _record_report(workspace, request)


def _record_report(workspace: Workspace, request: ReportRequest) -> None:
    period = request.period(request.today or date.today())
    record_once(workspace, AuditAction.REPORT, detail=(
        f"denial and appeal figures from {period.start} to {period.end}"
        f"{', payer ' + request.payer if request.payer else ''}"))


@dataclass(frozen=True)
class LedgerFigures:
    """What the report takes from the claims ledger alone, for one request."""

    request: ReportRequest
    period: Period
    today: date
    initial: InitialDenials
    groupings: dict[str, list[DenialGroup]]
    sequestration: list[tuple[str | None, str, Decimal]]
    patterns: list[Pattern]


def _ledger_totals(workspace: Workspace, denying: list[str], payers: list[str] | None, period: Period
                   ) -> tuple[InitialDenials, list[tuple[str | None, str, Decimal]]]:
    """The sums over every ledger claim (first remittances, CO-253), on a connection of their own."""
    with workspace.ledger_reader(denying, payers) as ledger:
        return ledger.initial_denials(period), ledger.adjustments_of(SEQUESTRATION, period)


def _denial_figures(ledger: LedgerQueries, period: Period, today: date, adoptions: list[Adoption]
                    ) -> tuple[dict[str, list[DenialGroup]], list[Pattern]]:
    """The denials grouped every way the report shows them, and the recurring patterns among them
    (read from the first day a pattern looks at: 90 days back, or an adopted change's span before)."""
    book = codebook()
    categories = {carc: book.reason(carc).category for carc in (code.split("-", 1)[1] for code in ledger.denying_codes)}
    seen = min(period.end, today)  # the last 90 days of the period (of today, for a period that runs to today)
    groups = ledger.denial_groups(period, categories)
    patterns = find_patterns(ledger.denials(since=patterns_since(seen, adoptions)), book, today=seen,
                             adoptions=adoptions)
    return groups, patterns


def _report(figures: LedgerFigures, rows: list[CaseSummary], period: Period, today: date) -> dict[str, Any]:
    book, initial = codebook(), figures.initial
    open_at_stake = {r.case_id: r.amount_at_stake for r in rows if r.case_id and is_open_status(r.status)}
    appealed = [r for r in rows if r.facts is not None and (r.facts.submissions or r.facts.decisions)]
    report: dict[str, Any] = {
        "period": {"from": period.start, "to": period.end},
        "as_of": today,  # the day the open backlog and deadlines were counted
        "claims": initial.claims, "denied_claims": initial.denied_claims,
        # rates as 4-place strings ("0.1250"): jsonable would print a Decimal as money
        "initial_denial_rate": str(initial.rate), "initial_denial_rate_dollars": str(initial.rate_dollars),
        "billed": initial.billed, "denied_billed": initial.denied_billed,
    }
    for name, groups in figures.groupings.items():
        report[name] = [_group_json(g, name, open_at_stake, book) for g in groups]
    report["appeals"] = _appeals_json(appealed, period)
    report["appeals_by_payer"] = _appeals_by(appealed, period, lambda r: [r.payer])
    report["appeals_by_reason"] = _appeals_by(appealed, period, lambda r: list(r.reasons) or ["(no reason code)"])
    report["appeals_by_level"] = [{"level": level, **counts}
                                  for level, counts in outcomes_by_level(appealed, period).items()]
    report["backlog_by_age"] = backlog_by_age(rows, today)
    report["backlog_by_deadline"] = backlog_by_deadline(rows, today)
    sequestration = figures.sequestration
    report["sequestration_total"] = sum((amount for _m, _p, amount in sequestration), ZERO)
    report["sequestration_by_month"] = fold_totals(sequestration, lambda month, _payer: month or "(no date)")
    report["sequestration_by_payer"] = fold_totals(sequestration, lambda _month, payer: payer)
    report["sequestration_inquiries"] = sum(1 for r in rows if period.holds(r.notice_date or r.created)
                                            and any(code.endswith("-253") for code in r.reasons))
    report["write_offs_by_reason"] = write_offs_by_reason(rows)
    report["patterns"] = [_pattern_json(p) for p in figures.patterns]
    return jsonable(report)


def _pattern_json(pattern: Pattern) -> dict[str, Any]:
    key, adoption = pattern.key, pattern.adoption
    return {"payer": key.payer, "code": key.code, "procedure": key.procedure, "modifier": key.modifier,
            "count": pattern.count, "denied": pattern.denied, "check": pattern.check,
            "adopted": None if adoption is None else {"on": adoption.adopted_on, "note": adoption.note,
                                                      "before": pattern.before, "after": pattern.after}}


def adopt_pattern(workspace: Workspace, key: PatternKey, *, on: date, note: str, actor: str) -> None:
    """Mark a pattern as answered by a change from `on`; the report then counts before and after."""
    workspace.adopt_pattern(Adoption(key, on, note.strip()), by=actor)


def _group_json(group: DenialGroup, name: str, open_at_stake: dict[str, Decimal], book) -> dict[str, Any]:
    entry: dict[str, Any] = {"key": group.key, "claims": group.claims, "denied": group.denied,
                             "at_stake": at_stake(group, open_at_stake), "cases": list(group.cases)}
    if name == "by_reason":
        entry["code"] = group.key
        entry["category"] = book.reason(group.key.split("-", 1)[-1]).category
    return entry


def _appeals_by(rows: list[CaseSummary], period: Period,
                keys: Callable[[CaseSummary], list[str]]) -> list[dict[str, Any]]:
    """Appeal outcomes per payer or per reason code (a case counts under each of its reasons)."""
    groups: dict[str, list[CaseSummary]] = {}
    for row in rows:
        for key in keys(row):
            groups.setdefault(key, []).append(row)
    entries = []
    for key, members in sorted(groups.items()):
        o = appeal_outcomes(members, period)
        if o.sent or o.decided:
            entries.append({"key": key, "sent": o.sent, "decided": o.decided, "won": o.won,
                            "partially_won": o.partially_won, "lost": o.lost, "overturn_rate": str(o.overturn_rate)})
    return entries


def _appeals_json(rows: list[CaseSummary], period: Period) -> dict[str, Any]:
    outcomes = appeal_outcomes(rows, period)
    recovered = sum((r.facts.recovered for r in rows if r.facts is not None
                     and any(period.holds(d) for d, _l, _o in r.facts.decisions)), ZERO)
    return {"sent": outcomes.sent, "decided": outcomes.decided, "won": outcomes.won,
            "partially_won": outcomes.partially_won, "lost": outcomes.lost,
            "overturn_rate": str(outcomes.overturn_rate), "recovered": recovered,
            "days_to_appeal_median": _text(median_days(outcomes.days_to_appeal)),
            "days_to_appeal_p90": percentile_days(outcomes.days_to_appeal, 0.9),
            "days_to_resolution_median": _text(median_days(outcomes.days_to_resolution)),
            "days_to_resolution_p90": percentile_days(outcomes.days_to_resolution, 0.9)}


def _text(days: Decimal | None) -> str | None:
    """A median in days as a decimal string ("18", "18.5"), or null without data."""
    return None if days is None else f"{days.normalize():f}"


def rate_text(value: Decimal) -> str:
    """A rate as a biller reads it: "12.5%"."""
    return f"{(value * 100).normalize():f}%"


def report_lines(report: dict[str, Any]) -> list[str]:
    """The report's headline figures as a biller reads them (`workstation report` without --json)."""
    period, appeals = report["period"], report["appeals"]
    lines = [f"{period['from']} to {period['to']}",
             f"Claims with a first remittance: {report['claims']}; denied in full or in part: "
             f"{report['denied_claims']} ({rate_text(Decimal(report['initial_denial_rate']))} of claims, "
             f"{rate_text(Decimal(report['initial_denial_rate_dollars']))} of dollars billed)",
             f"Appeals sent {appeals['sent']}, decided {appeals['decided']}: won {appeals['won']}, partly "
             f"{appeals['partially_won']}, lost {appeals['lost']} (overturned "
             f"{rate_text(Decimal(appeals['overturn_rate']))}); ${appeals['recovered']} recovered"]
    lines += [f"  {r['code']:<8} {r['category']:<26} {r['claims']:>5} claims  ${r['denied']:>12} denied  "
              f"${r['at_stake']:>12} at stake" for r in report["by_reason"][:10]]
    lines += [f"Pattern: {p['payer']} {p['code']} {p['procedure']}{'-' + p['modifier'] if p['modifier'] else ''}"
              f" x{p['count']} (${p['denied']}): {p['check']}" for p in report["patterns"]]
    return lines
