"""The Reports view beside the worklist (issue 13): the period and payer chosen at the top, the
headline figures (each with its definition as a tooltip), a chart per measure, the prevention
patterns; the report is built on a worker thread, and every bar opens its cases in the worklist."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workstation.core.errors import UserError
from workstation.core.money import dollars
from workstation.core.summary import CaseSummary
from workstation.gui.charts import Bar, BarChart, LineChart
from workstation.gui.passphrase_dialog import confirm_plain_export
from workstation.gui.widgets import plain_label
from workstation.gui.workers import BackgroundTask
from workstation.ops.report import (
    LedgerFigures,
    ReportRequest,
    ledger_figures_ahead,
    note_report_seen,
    rate_text,
    report_at,
    report_from,
)
from workstation.ops.report_export import export_report_at

PERIODS = ("Last 12 months", "This month", "Last month", "This quarter", "Last quarter", "This year", "Custom")

#: the headline figures: (key, label, definition shown as the tooltip)
HEADLINES = (
    ("initial_denial_rate", "Initial denial rate",
     "Claims denied in full or in part on their first remittance, of all claims whose first remittance came "
     "in the period (a denial: an adjustment that is not a contractual write-down, the patient's share or "
     "sequestration; or claim status 4)."),
    ("initial_denial_rate_dollars", "Initial denial rate (dollars)",
     "The same, counting dollars billed instead of claims."),
    ("denied_claims", "Denied claims", "Claims denied in full or in part on their first remittance."),
    ("overturn_rate", "Appeals overturned", "Decisions won or partly won, of all decisions made in the period."),
    ("recovered", "Recovered", "What the decisions made in the period won back."),
    ("backlog", "Open cases", "Cases still open today, and what they have at stake."),
)


def period_of(choice: str, today: date, custom: tuple[date, date] | None = None) -> tuple[date, date]:
    """The first and last day of a period chosen by name."""
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    month_start = today.replace(day=1)
    if choice == "This month":
        return month_start, today
    if choice == "Last month":
        end = month_start - timedelta(days=1)
        return end.replace(day=1), end
    if choice == "This quarter":
        return quarter_start, today
    if choice == "Last quarter":
        end = quarter_start - timedelta(days=1)
        return date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end
    if choice == "This year":
        return date(today.year, 1, 1), today
    if choice == "Custom" and custom is not None:
        return custom
    return today - timedelta(days=365), today


class ReportsView(QWidget):
    """Emits `drill_down(case_ids, label)` when a bar is clicked: the window shows those cases."""

    drill_down = Signal(list, str)
    report_shown = Signal()
    exported = Signal(str)  # the sentence saying what was written

    def __init__(self) -> None:
        super().__init__()
        self.root: Path | None = None
        self.today: date | None = None  # None: the real today (tests fix it)
        self.report: dict[str, Any] | None = None
        self.builder: BackgroundTask | None = None
        #: the worklist's rows as the window holds them, or None while they are loading: the report
        #: then need not read 10,000 rows again (about a third of its time)
        self.rows_source: Callable[[], list[CaseSummary] | None] = lambda: None
        #: the ledger's part of the first report, worked out while the worklist loads (it needs no
        #: case rows): the report is then ready a tenth of a second after the rows, not a second
        self.figures: LedgerFigures | None = None
        self.figurer: BackgroundTask | None = None
        self._figuring: ReportRequest | None = None  # what the figurer works out
        self.built_ahead = False  # whether the report being built uses figures worked out ahead
        self._building = ReportRequest()  # the request of the report being built
        self._stale = False
        self._unseen: ReportRequest | None = None  # the report shown was built ahead: not yet audited
        self._build()

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.period = QComboBox()
        self.period.setObjectName("report_period")
        self.period.addItems(PERIODS)
        self.start, self.end = QDateEdit(), QDateEdit()
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.payer = QComboBox()
        self.payer.setObjectName("report_payer")
        self.payer.addItem("Every payer", "")
        self.refresh_button = QPushButton("Refresh")
        self.period.currentTextChanged.connect(self._period_chosen)
        self.payer.currentIndexChanged.connect(lambda _i: self.refresh())
        self.start.dateChanged.connect(lambda _d: self._custom_changed())
        self.end.dateChanged.connect(lambda _d: self._custom_changed())
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QToolButton()
        self.export_button.setObjectName("report_export")
        self.export_button.setText("Export")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        self.export_actions = {
            "xlsx": menu.addAction("Excel workbook…", lambda: self.export_dialog("xlsx")),
            "pdf": menu.addAction("Monthly report (PDF)…", lambda: self.export_dialog("pdf")),
            "csv": menu.addAction("CSV files, one a table (a folder)…", lambda: self.export_dialog("csv")),
        }
        self.export_button.setMenu(menu)
        self.exporter: BackgroundTask | None = None
        for combo, letters in ((self.period, 11), (self.payer, 6)):  # "Last 12 months" whole; payers are long
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(letters)
        bar = QHBoxLayout()
        for widget in (self.period, self.payer, self.refresh_button, self.export_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        self.custom_row = QWidget()  # the dates of a custom period, shown only for one
        dates = QHBoxLayout(self.custom_row)
        dates.setContentsMargins(0, 0, 0, 0)
        for widget in (QLabel("From"), self.start, QLabel("to"), self.end):
            dates.addWidget(widget)
        dates.addStretch(1)
        self.custom_row.hide()
        self.status = plain_label()
        self.status.setObjectName("report_status")
        self.headlines: dict[str, QLabel] = {}
        grid = QGridLayout()
        for n, (key, label, definition) in enumerate(HEADLINES):
            value = QLabel("–")
            value.setObjectName(f"headline_{key}")
            value.setStyleSheet("font-size: 15pt; font-weight: 600;")
            caption = QLabel(label)
            for widget in (value, caption):
                widget.setToolTip(definition)
            grid.addWidget(value, 2 * (n // 3), n % 3)  # three a row: the view fits beside the case
            grid.addWidget(caption, 2 * (n // 3) + 1, n % 3)
            self.headlines[key] = value
        self.by_reason, self.by_payer = BarChart("Denials by reason"), BarChart("Denials by payer")
        self.by_procedure = BarChart("Denials by procedure")
        self.by_level = BarChart("Appeal decisions by level (won or partly won of decided)")
        self.by_month = LineChart("Dollars denied by month")
        for chart in (self.by_reason, self.by_payer, self.by_procedure):
            chart.chosen.connect(lambda bar, c=chart: self.drill_down.emit(list(bar.cases), f"{c.title}: {bar.label}"))
        self.patterns = QTableWidget(0, 4)
        self.patterns.setObjectName("patterns_table")
        self.patterns.setHorizontalHeaderLabels(["Pattern", "Denials (90 days)", "Denied", "Check before billing"])
        self.patterns.horizontalHeader().setStretchLastSection(True)
        self.patterns.verticalHeader().hide()
        self.patterns.setWordWrap(True)
        page = QWidget()
        column = QVBoxLayout(page)
        column.addLayout(grid)
        for chart in (self.by_reason, self.by_payer, self.by_procedure, self.by_month, self.by_level):
            column.addWidget(chart)
        column.addWidget(QLabel("Recurring denials and the check that would catch them"))
        column.addWidget(self.patterns)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.custom_row)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)

    # -- which report ------------------------------------------------------------------------

    def set_workspace(self, root: Path | None, payers: list[str]) -> None:
        self.root = root
        self.payer.blockSignals(True)
        self.payer.clear()
        self.payer.addItem("Every payer", "")
        for name in sorted(set(payers)):
            self.payer.addItem(name, name)
        self.payer.blockSignals(False)
        self.report = None
        self._stale = True
        self._figure_ahead()

    def _figure_ahead(self) -> None:
        """Start working out the ledger's figures of the report the view would show now."""
        self.figures, self.figurer = None, None
        if self.root is None:
            return
        root, request = self.root, self.request()
        task = BackgroundTask(lambda **_kw: ledger_figures_ahead(root, request))
        task.finished.connect(self._figured)  # methods, not lambdas: Qt drops them with the view
        task.failed.connect(self._figuring_failed)
        self.figurer, self._figuring = task, request
        task.start()

    def _figured(self, figures: LedgerFigures | None) -> None:
        if self.sender() is not self.figurer:  # another workspace was opened, or something changed, meanwhile
            return
        self.figures = figures
        if self._stale and self.rows_source() is not None and (self.isVisible() or self.report is None):
            self.refresh()  # the report waited for these figures

    def _figuring_failed(self, error: object) -> None:
        if not isinstance(error, UserError):  # a damaged workspace, say: the report's own build says it
            raise error

    def invalidate(self) -> None:
        """Something changed: build the report again the next time it is shown."""
        self.figures, self.figurer = None, None  # worked out before the change
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
        self._note_seen()

    def prefetch(self) -> None:
        """Build the report now, while the view is hidden, so it shows at once when opened (the
        window calls this once its worklist is loaded; the ledger's figures were worked out
        meanwhile). A report already built is built again when next shown, as after any change."""
        if self.report is None:
            self.refresh()
        else:
            self.invalidate()

    def _note_seen(self) -> None:
        """A report built ahead is audited when it is first on screen (a small write, off the GUI thread)."""
        if self._unseen is None or self.report is None or not self.isVisible() or self.root is None:
            return
        root, request, self._unseen = self.root, self._unseen, None
        task = BackgroundTask(lambda **_kw: note_report_seen(root, request))
        task.failed.connect(self._failed)
        task.start()

    def request(self) -> ReportRequest:
        today = self.today or date.today()
        custom = (self.start.date().toPython(), self.end.date().toPython())
        start, end = period_of(self.period.currentText(), today, custom)
        return ReportRequest(start, end, self.payer.currentData() or "", today=today)

    def _period_chosen(self, choice: str) -> None:
        custom = choice == "Custom"
        self.custom_row.setVisible(custom)
        for edit in (self.start, self.end):
            edit.setEnabled(custom)
        if custom:
            start, end = period_of("Last 12 months", self.today or date.today())
            self.start.setDate(QDate(start.year, start.month, start.day))
            self.end.setDate(QDate(end.year, end.month, end.day))
        self.refresh()

    def _custom_changed(self) -> None:
        if self.period.currentText() == "Custom":
            self.refresh()

    def refresh(self) -> None:
        """Build the report on a worker thread; the view keeps showing the last one meanwhile."""
        if self.root is None:
            return
        if self.builder is not None and self.builder.is_running():
            self._stale = True
            return
        root, request = self.root, replace(self.request(), audited=self.isVisible())
        rows = self.rows_source()
        if self.figurer is not None and self.figurer.is_running() and self._figuring is not None \
                and self._figuring.asks_same(request) and rows is not None:
            self._stale = True  # its figures come shortly: `_figured` builds the report then
            return
        self._stale = False
        self.status.setText("Working out the figures…")
        figures, self.figures = self.figures, None  # worked out ahead for the first report only
        self.built_ahead = figures is not None and figures.request.asks_same(request) and rows is not None
        if self.built_ahead:
            self.builder = BackgroundTask(lambda **_kw: report_from(root, figures, rows, request))
        else:
            self.builder = BackgroundTask(lambda **_kw: report_at(root, request, rows))
        self._building = request
        self.builder.finished.connect(self._built)  # a method: a view closed meanwhile is not called
        self.builder.failed.connect(self._failed)
        self.builder.start()

    def _failed(self, error: object) -> None:
        if isinstance(error, UserError):
            self.status.setText(str(error))
            return
        raise error  # a bug: the bug-report hook shows it

    def _built(self, report: dict[str, Any]) -> None:
        request = self._building
        self.report = report
        self._unseen = None if request.audited else request
        self.show_report(report)
        self._note_seen()
        if self._stale:  # something changed while it was built
            self.refresh()

    # -- exporting ---------------------------------------------------------------------------

    def export_dialog(self, kind: str) -> None:
        """Ask where, then write the report shown (a file, or a folder of CSV files)."""
        if self.report is None or not confirm_plain_export(self, self.root):
            return
        period = self.report["period"]
        name = f"denials {period['from']} to {period['to']}"
        if kind == "csv":
            target = QFileDialog.getExistingDirectory(self, "Choose a folder for the CSV files")
        else:
            suffix, label = (".xlsx", "Excel workbook (*.xlsx)") if kind == "xlsx" else (".pdf", "PDF (*.pdf)")
            target, _filter = QFileDialog.getSaveFileName(self, "Save the report", name + suffix, label)
        if target:
            self.export_to(kind, Path(target))

    def export_to(self, kind: str, target: Path) -> None:
        """Write the report shown on a worker thread; the status line says what was written, or why not."""
        if self.report is None or self.root is None:
            return
        root, report = self.root, self.report
        option = {"csv": "csv_dir", "xlsx": "xlsx", "pdf": "pdf"}[kind]
        self.status.setText("Writing the report…")
        self.exporter = BackgroundTask(lambda **_kw: export_report_at(root, report, **{option: target}))
        self.exporter.finished.connect(self._written)
        self.exporter.failed.connect(self._failed)
        self.exporter.start()

    def _written(self, exported: Any) -> None:
        self.exported.emit(exported.sentence())
        self.status.setText(f"{exported.sentence()} They hold no patient names, but keep them as private as "
                            "the workspace.")

    # -- showing -----------------------------------------------------------------------------

    def show_report(self, report: dict[str, Any]) -> None:
        period, appeals = report["period"], report["appeals"]
        self.status.setText(f"{period['from']} to {period['to']}: {report['claims']} claims with a first "
                            f"remittance in the period.")
        open_cases = sum(int(b["cases"]) for b in report["backlog_by_age"].values())
        open_stake = sum((Decimal(b["at_stake"]) for b in report["backlog_by_age"].values()), Decimal(0))
        figures = {
            "initial_denial_rate": rate_text(Decimal(report["initial_denial_rate"])),
            "initial_denial_rate_dollars": rate_text(Decimal(report["initial_denial_rate_dollars"])),
            "denied_claims": f"{report['denied_claims']} of {report['claims']}",
            "overturn_rate": (f"{rate_text(Decimal(appeals['overturn_rate']))} of {appeals['decided']}"
                              if appeals["decided"] else "none decided"),
            "recovered": dollars(Decimal(appeals["recovered"])),
            "backlog": f"{open_cases} · {dollars(open_stake)}",
        }
        for key, text in figures.items():
            self.headlines[key].setText(text)
        self.by_reason.set_bars([_denial_bar(r, r["code"] + " " + r["category"].replace("_", " "))
                                 for r in report["by_reason"][:12]])
        self.by_payer.set_bars([_denial_bar(r, r["key"]) for r in report["by_payer"][:12]])
        self.by_procedure.set_bars([_denial_bar(r, r["key"]) for r in report["by_procedure"][:12]])
        self.by_month.set_points([(r["key"], float(r["denied"]), dollars(Decimal(r["denied"])))
                                  for r in sorted(report["by_month"], key=lambda r: r["key"])])
        self.by_level.set_bars([Bar(f"Level {r['level']}", (r["won"] + r["partially_won"]) / max(r["decided"], 1),
                                    f"{r['won'] + r['partially_won']} of {r['decided']} won")
                                for r in report.get("appeals_by_level", [])])
        self._show_patterns(report["patterns"])
        self.report_shown.emit()

    def _show_patterns(self, patterns: list[dict[str, Any]]) -> None:
        self.patterns.setRowCount(len(patterns))
        for row, p in enumerate(patterns):
            procedure = p["procedure"] + (f"-{p['modifier']}" if p["modifier"] else "")
            adopted = p["adopted"]
            since = (f" (change adopted {adopted['on']}: {adopted['before']} denials before, {adopted['after']} after)"
                     if adopted else "")
            cells = (f"{p['payer']} · {p['code']} · {procedure}{since}", str(p["count"]),
                     dollars(Decimal(p["denied"])), p["check"])
            for column, text in enumerate(cells):
                self.patterns.setItem(row, column, QTableWidgetItem(text))
        self.patterns.resizeRowsToContents()


def _denial_bar(entry: dict[str, Any], label: str) -> Bar:
    denied, claims = Decimal(entry["denied"]), entry["claims"]
    return Bar(label, float(denied), f"{dollars(denied)} · {claims} claim{'s' if claims != 1 else ''}",
               tuple(entry.get("cases", ())),
               f"{label}: {dollars(denied)} denied on {claims} claims; {dollars(Decimal(entry['at_stake']))} still "
               "at stake. Click to see the cases.")
