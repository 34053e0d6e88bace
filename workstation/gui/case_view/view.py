"""CaseView: one case, decoded and editable; every edit is committed at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.core.changes import Changes
from workstation.core.codebook import codebook
from workstation.core.errors import UserError
from workstation.core.model import Case
from workstation.core.money import dollars
from workstation.core.payer_kinds import Ladder, default_ladders
from workstation.core.settings import WorkspaceSettings
from workstation.core.vocabulary import Route, Status
from workstation.core.workflow import allowed_next
from workstation.gui.case_view.calls_panel import CallsPanel
from workstation.gui.case_view.deadlines_panel import DeadlinesPanel
from workstation.gui.case_view.evidence_panel import EvidencePanel
from workstation.gui.case_view.field_editors import ComboFieldEditor, FieldEditor, LineFieldEditor
from workstation.gui.case_view.letter_panel import LetterPanel
from workstation.gui.case_view.panels import LinesTree, codes_in_words, fill_activity, fill_notes
from workstation.gui.case_view.review_panel import ReviewPanel
from workstation.gui.operations import Operations
from workstation.gui.widgets import plain_label
from workstation.ops.cases import add_case_note, undo_case_edit
from workstation.ops.recovery import interrupted_notice
from workstation.ops.review import ReasonRequired, choose_route
from workstation.ops.session import CaseSession

if TYPE_CHECKING:
    from workstation.casefile.case_file import CaseFile
    from workstation.casefile.workspace import Workspace

DATE_HINT = "YYYY-MM-DD or MM/DD/YYYY"

# kind -> (leading word, background, text colour, border): the word says it, the colour repeats it
MESSAGE_KINDS = {
    "success": ("Done", "#e6f4ea", "#1e4620", "#81c995"),
    "warning": ("Warning", "#fff4e5", "#663c00", "#f0b454"),
    "error": ("Error", "#fdecea", "#8c1d18", "#f28b82"),
    "info": ("Working", "#eef1f5", "#2c3e50", "#b8c2cc"),  # progress, e.g. "Building the packet…"
}


class MessageStrip(QFrame):
    """The case view's one message line: success, warning or error (and progress), told by a
    leading word as well as a colour; a written file offers Open and Show folder."""

    def __init__(self) -> None:
        super().__init__()
        self.kind = ""
        self.path: Path | None = None
        self.open_url: QUrl | None = None  # what Open would open (kept for tests)
        self.folder_url: QUrl | None = None  # what Show folder would open
        self.word = QLabel()
        self.word.setObjectName("message_kind")
        self.message = plain_label()
        self.message.setObjectName("message_text")
        self.open_button = QPushButton("Open")
        self.open_button.setObjectName("message_open")
        self.open_button.clicked.connect(lambda: self._open(self.open_url))
        self.folder_button = QPushButton("Show folder")
        self.folder_button.setObjectName("message_folder")
        self.folder_button.clicked.connect(lambda: self._open(self.folder_url))
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.word)
        row.addWidget(self.message, 1)
        row.addWidget(self.open_button)
        row.addWidget(self.folder_button)

    def show_message(self, message: str, kind: str = "error", path: Path | None = None) -> None:
        word, background, colour, border = MESSAGE_KINDS[kind]
        self.kind = kind
        self.setProperty("kind", kind)
        self.word.setText(f"{word}:")
        self.word.setStyleSheet(f"color: {colour}; font-weight: 700;")
        self.message.setStyleSheet(f"color: {colour};")
        self.setStyleSheet(f"MessageStrip {{ background: {background}; border: 1px solid {border}; "
                           "border-radius: 4px; }")
        self.path = Path(path).resolve() if path is not None else None
        is_folder = self.path is not None and self.path.is_dir()
        self.open_url = QUrl.fromLocalFile(str(self.path)) if self.path is not None and not is_folder else None
        folder = self.path if is_folder else self.path.parent if self.path is not None else None
        self.folder_url = QUrl.fromLocalFile(str(folder)) if folder is not None else None
        self.message.setText("\n".join(filter(None, [message, str(self.path) if self.path else ""])))
        self.open_button.setVisible(self.open_url is not None)
        self.folder_button.setVisible(self.folder_url is not None)
        self.show()

    def text(self) -> str:
        return self.message.text()

    def _open(self, url: QUrl | None) -> None:
        if url is not None:
            QDesktopServices.openUrl(url)


class CaseView(QWidget):
    """Shows the case open in its `session`; re-reads it when the hub says a change touched it."""

    def __init__(self, *, actor: str, workspace: Workspace | None = None,
                 operations: Operations | None = None) -> None:
        super().__init__()
        self._actor = actor
        self.workspace = workspace
        self.operations = operations or Operations()
        self.operations.did_change.connect(self.on_changes)
        self.session: CaseSession | None = None
        self.case: Case | None = None
        self.editors: dict[str, FieldEditor] = {}
        self._build()
        self.show_nothing()

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = plain_label()
        self.title.setObjectName("case_title")
        self.title.setStyleSheet("font-size: 13pt; font-weight: 600;")  # one line beside the worklist
        self.subtitle = plain_label()
        self.banner = MessageStrip()
        self.banner.setObjectName("case_banner")
        self.banner.hide()
        self.missing = plain_label()
        self.missing.setObjectName("missing_fields")
        self.missing.setStyleSheet("background: #fff4e5; color: #663c00; padding: 4px; border-radius: 4px;")
        self.warnings = plain_label()
        self.warnings.setObjectName("remittance_warnings")
        self.warnings.setStyleSheet("background: #fff4e5; color: #663c00; padding: 4px; border-radius: 4px;")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("case_tabs")
        self.tabs.setDocumentMode(True)  # flatter tabs: all eight fit a laptop's case view
        self.tabs.setUsesScrollButtons(True)
        self.review = ReviewPanel(self)
        self.evidence = EvidencePanel(self)
        self.calls = CallsPanel(self)
        self.deadlines = DeadlinesPanel(self)
        self.letter = LetterPanel(self)
        self.tabs.addTab(self._scrolling(self._overview()), "Overview")
        self.tabs.addTab(self.deadlines, "Deadlines")
        self.tabs.addTab(self.letter, "Letter")
        self.tabs.addTab(self.review, "Review")
        self.tabs.addTab(self.evidence, "Evidence")
        self.tabs.addTab(self.calls, "Calls")
        self.tabs.addTab(self._lines_page(), "Codes")
        self.tabs.setTabToolTip(self.tabs.count() - 1, "Service lines and what each adjustment and remark code means")
        self.tabs.addTab(self._history(), "History")
        self.tabs.setTabToolTip(self.tabs.count() - 1, "Notes and the activity log")
        self.setAcceptDrops(True)
        self.reason_dialog: QInputDialog | None = None
        layout = QVBoxLayout(self)
        for widget in (self.title, self.subtitle, self.banner, self.warnings, self.missing, self.tabs):
            layout.addWidget(widget)

    def _scrolling(self, inner: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(inner)
        return area

    def _overview(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(self._group("Case", self._case_form()))
        column.addWidget(self._group("Patient", self._patient_form()))
        column.addWidget(self._group("Claim", self._claim_form()))
        column.addWidget(self._group("Payer and provider", self._parties_form()))
        column.addStretch(1)
        return page

    def _group(self, title: str, form: QFormLayout) -> QGroupBox:
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        box = QGroupBox(title)
        box.setLayout(form)
        return box

    def _line(self, form: QFormLayout, key: str, placeholder: str = "") -> None:
        editor = LineFieldEditor(key, self.commit, placeholder=placeholder)
        self.editors[key] = editor
        form.addRow(editor.field.label, editor.widget)

    def _combo(self, form: QFormLayout, key: str, choices: list[tuple[str, Any]], label: str = "") -> None:
        editor = ComboFieldEditor(key, self.commit, choices)
        self.editors[key] = editor
        form.addRow(label or editor.field.label, editor.widget)

    def _case_form(self) -> QFormLayout:
        form = QFormLayout()
        self._combo(form, "case.status", [(s.label, s.value) for s in Status])
        self._combo(form, "case.route", [("(not decided)", "")] + [(r.label, r.value) for r in Route])
        self._combo(form, "case.assignee", [("(nobody)", "")])
        self.route_reason = plain_label()
        form.addRow("Why", self.route_reason)
        self.at_stake = plain_label()
        form.addRow("At stake", self.at_stake)
        self.notice = plain_label()
        form.addRow("Remittance notice date", self.notice)
        self._line(form, "case.notice_date_override", DATE_HINT)
        return form

    def _patient_form(self) -> QFormLayout:
        form = QFormLayout()
        for key in ("patient.last_name", "patient.first_name", "patient.middle_name"):
            self._line(form, key)
        self._line(form, "patient.date_of_birth", DATE_HINT)
        self._line(form, "patient.member_id")
        self._line(form, "patient.group_number")
        return form

    def _claim_form(self) -> QFormLayout:
        form = QFormLayout()
        self._line(form, "claim.payer_claim_number")
        self._line(form, "claim.account_number")
        self._line(form, "claim.diagnosis_codes", "e.g. M54.50, I10")
        self.claim_facts = plain_label()
        form.addRow("Facts", self.claim_facts)
        return form

    def _parties_form(self) -> QFormLayout:
        form = QFormLayout()
        self.payer_text, self.provider_text = plain_label(), plain_label()
        form.addRow("Payer", self.payer_text)
        form.addRow("Provider", self.provider_text)
        self._line(form, "provider.ptan")
        return form

    def _lines_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.lines = LinesTree()
        self.codes_text = plain_label()
        self.codes_text.setObjectName("codes_text")
        layout.addWidget(self.lines, 1)
        layout.addWidget(QLabel("What the codes mean"))
        layout.addWidget(self.codes_text)
        return page

    def _history(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("note_edit")
        self.note_edit.setPlaceholderText("Type a note, then Add note (Ctrl+Enter)")
        self.note_edit.setMaximumHeight(80)
        self.add_note_button = QPushButton("Add note")
        self.add_note_button.setShortcut("Ctrl+Return")
        self.add_note_button.clicked.connect(self._add_note)
        row = QHBoxLayout()
        row.addWidget(self.note_edit, 1)
        row.addWidget(self.add_note_button)
        self.notes_list, self.activity_list = QListWidget(), QListWidget()
        self.notes_list.setObjectName("notes_list")
        self.activity_list.setObjectName("activity_list")
        layout.addLayout(row)
        layout.addWidget(QLabel("Notes"))
        layout.addWidget(self.notes_list, 1)
        layout.addWidget(QLabel("Activity (newest first)"))
        layout.addWidget(self.activity_list, 2)
        return page

    # -- which case --------------------------------------------------------------------------

    def set_assignees(self, users: list[tuple[str, str]]) -> None:
        """The workspace's users, and always the current user (issue 11: a new workspace has none)."""
        editor = self.editors["case.assignee"]
        assert isinstance(editor, ComboFieldEditor)
        if self.actor and self.actor not in {login for _label, login in users}:
            users = [*users, (f"{self.actor} (you)", self.actor)]
        editor.set_choices([("(nobody)", ""), *users])
        if self.case is not None:
            editor.show_value(self.case.assignee)

    @property
    def actor(self) -> str:
        return self._actor

    @actor.setter
    def actor(self, login: str) -> None:
        self._actor = login
        if self.session is not None:
            self.session.actor = login

    @property
    def case_file(self) -> CaseFile | None:
        """The open case file, for panels that hand it to an op."""
        return self.session.case_file if self.session is not None else None

    def open_case(self, path: Path) -> None:
        """Show a case; a file that cannot be opened shows why instead."""
        self.close_case()
        try:
            self.session = CaseSession(path, self.workspace, self.actor)
            self.reload()
        except UserError as error:
            self.close_case()
            self.show_nothing(str(error))

    def close_case(self) -> None:
        if self.session is not None:
            self.letter.flush()  # the letter typed in the last moments is kept before the file closes
            self.session.close()
        self.session, self.case = None, None

    def show_nothing(self, why: str = "") -> None:
        self.title.setText("No case open" if not why else "This case cannot be opened")
        self.subtitle.setText(why or "Choose a case in the worklist.")
        self.tabs.setEnabled(False)
        self.banner.hide()
        self.missing.hide()
        self.warnings.hide()

    def reload(self) -> None:
        """Re-read the case from its file and show every part of it."""
        assert self.session is not None
        self.case = self.session.load()
        self._show(self.case)

    def reload_if_changed(self) -> None:
        """Called when the window regains focus: pick up edits made in another window."""
        if self.session is not None and self.session.changed_elsewhere():
            self.reload()

    # -- showing -----------------------------------------------------------------------------

    def _show(self, case: Case) -> None:
        assert self.case_file is not None
        self.tabs.setEnabled(True)
        self.title.setText(f"{case.patient.display_name or '(no name)'}  ·  {case.payer.name}")
        read_only = " (read-only)" if self.case_file.read_only else ""
        self.subtitle.setText(f"{' '.join(case.reasons) or 'no reason code'}  ·  {case.status.label}  ·  "
                              f"{self.case_file.path.name}{read_only}")
        missing = case.missing_fields()
        self.missing.setText(f"To fill in for a letter: {', '.join(missing)}." if missing else "")
        self.missing.setVisible(bool(missing))
        warnings = [f"Check the remittance: {w}" for w in case.warnings]
        warnings += [notice] if (notice := interrupted_notice(case)) else []  # a crash undid the last change
        self.warnings.setText("\n".join(warnings))
        self.warnings.setVisible(bool(warnings))
        values = {
            "patient.last_name": case.patient.last_name, "patient.first_name": case.patient.first_name,
            "patient.middle_name": case.patient.middle_name, "patient.date_of_birth": case.patient.date_of_birth,
            "patient.member_id": case.patient.member_id, "patient.group_number": case.patient.group_number,
            "claim.payer_claim_number": case.claim.payer_claim_number,
            "claim.account_number": case.claim.account_number, "case.status": case.status,
            "case.assignee": case.assignee, "case.route": case.route,
            "case.notice_date_override": case.notice_date_override,
            "claim.diagnosis_codes": case.claim.diagnosis_codes, "provider.ptan": case.provider.ptan,
        }
        status = self.editors["case.status"]
        assert isinstance(status, ComboFieldEditor)
        status.set_choices([(s.label, s.value) for s in allowed_next(case.status)])
        for key, editor in self.editors.items():
            editor.show_value(values[key])
            editor.set_enabled(not self.case_file.read_only)
        self._show_facts(case)
        for panel in (self.review, self.evidence, self.calls, self.deadlines, self.letter):
            panel.show_case(case)
        self.lines.show_case(case)
        self.codes_text.setText(codes_in_words(case))
        fill_notes(self.notes_list, case)
        fill_activity(self.activity_list, case)

    def _show_facts(self, case: Case) -> None:
        c, book = case.claim, codebook()
        self.route_reason.setText(case.route_reason or "-")
        self.at_stake.setText(dollars(case.amount_at_stake))
        self.notice.setText(str(case.notice_date or "not known"))
        status = book.claim_statuses.get(c.status_code, c.status_code or "?")
        self.claim_facts.setText(
            f"Status on the remittance: {status}\nService {c.service_from or '?'} to {c.service_to or '?'}\n"
            f"Billed {dollars(c.billed)}, paid {dollars(c.paid)}, patient share {dollars(c.patient_responsibility)}\n"
            f"Diagnoses: {', '.join(c.diagnosis_codes) or 'none recorded'}")
        kind = default_ladders()[case.payer.kind].label
        check = "  (check this payer's settings)" if case.payer.kind_needs_check else ""
        payer = case.payer
        self.payer_text.setText("\n".join([f"{payer.name} — {kind}{check}", f"Payer ID {payer.payer_id or '?'}",
                                           *payer.address.lines()]))
        p = case.provider
        self.provider_text.setText("\n".join([p.name, f"NPI {p.npi or '?'}  TIN {p.tin or '?'}"
                                              + (f"  PTAN {p.ptan}" if p.ptan else ""), *p.address.lines()]))

    # -- changing ----------------------------------------------------------------------------

    def commit(self, key: str, value: Any) -> None:
        """Commit one edit now; a refused edit says why and shows the file's truth again."""
        if self.case_file is None:
            return
        if key == "case.route":
            self.choose_route(Route(value) if value else None)
            return
        session, editor = self.session, self.editors[key]
        if session is not None:
            self.apply(lambda: session.edit(key, value, expected=editor.shown))

    def ladder_for(self, case: Case) -> Ladder:
        """The payer's ladder from the workspace's directory (read once), or the default for its kind."""
        return self.session.ladder(case) if self.session is not None else default_ladders()[case.payer.kind]

    @property
    def settings(self) -> WorkspaceSettings:
        return self.session.settings if self.session is not None else WorkspaceSettings()

    @property
    def buffer_days(self) -> int:
        return self.settings.mailing_buffer_days

    def choose_route(self, route: Route | None, reason: str = "") -> None:
        """A route the code book advises against asks for the biller's reason first."""
        case_file = self.case_file
        if case_file is None:
            return
        try:
            changes = choose_route(case_file, route, actor=self.actor, reason=reason)
        except ReasonRequired as needed:
            self._ask_reason(route, str(needed))
            return
        except UserError as error:
            self.say(str(error))
            self.reload()
            return
        self.apply(lambda: changes)

    def _ask_reason(self, route: Route | None, question: str) -> None:
        self.reason_dialog = QInputDialog(self)
        self.reason_dialog.setWindowTitle("Appeal anyway?")
        self.reason_dialog.setLabelText(question)
        self.reason_dialog.accepted.connect(lambda: self._reason_given(route))
        self.reason_dialog.rejected.connect(self.reload)
        self.reason_dialog.open()

    def _reason_given(self, route: Route | None) -> None:
        assert self.reason_dialog is not None
        reason = self.reason_dialog.textValue().strip()
        if reason:
            self.choose_route(route, reason)
        else:
            self.reload()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self.case_file is not None and not self.case_file.read_only:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.tabs.setCurrentWidget(self.evidence)
            self.evidence.attach(paths)
            event.acceptProposedAction()

    def undo(self) -> None:
        if self.case_file is not None and self.case_file.can_undo:
            self.apply(lambda: undo_case_edit(self.case_file, actor=self.actor))

    def undo_text(self) -> str:
        return self.case_file.undo_description() if self.case_file is not None else ""

    def can_undo(self) -> bool:
        return self.case_file is not None and self.case_file.can_undo

    def _add_note(self) -> None:
        if self.case_file is None:
            return
        text = self.note_edit.toPlainText()
        if self.apply(lambda: add_case_note(self.case_file, text=text, actor=self.actor)):
            self.note_edit.clear()

    def apply(self, operation: Callable[[], Changes], *, refused: Callable[[UserError], None] | None = None) -> bool:
        """Run one user action through the window's hub; a refusal says why and shows the
        file's truth again (a StaleEdit included), unless the caller handles it (`refused`)."""
        self.banner.hide()
        return self.operations.run(operation, refused=refused or self.refused) is not None

    def refused(self, error: UserError) -> None:
        self.say(str(error))
        if self.case_file is not None:
            self.reload()

    def on_changes(self, changes: Changes) -> None:
        """The hub's broadcast: re-read the open case if the change touched it."""
        if self.session is not None and changes.workspace:
            self.session.forget_workspace()
        if self.session is not None and changes.touches(self.session.path):
            self.reload()

    def say(self, message: str, kind: str = "error", path: Path | None = None) -> None:
        """Show one message in the strip: kind is "success", "warning", "error" or "info" (progress)."""
        self.banner.show_message(message, kind, path)

    def tell_success(self, message: str, path: Path | None = None) -> None:
        """Something worked; a written file (or folder) is named in full with Open / Show folder."""
        self.say(message, "success", path)

    def warn(self, message: str, path: Path | None = None) -> None:
        self.say(message, "warning", path)
