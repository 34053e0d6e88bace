"""The Letter tab: pick a template (the case suggests one), fill the fields the case cannot,
edit the text as formatted text, watch every page of the PDF follow (rendered off the GUI thread
half a second after typing stops, with zoom), save versions, build, export or print the packet.

What the biller types is kept in the case file as a draft (0.8 s after the last keystroke, and at
once when the case is left: `flush`), and comes back when the case is shown again. A draft is
not a user action: no activity entry, no undo step. A read-only case keeps it in memory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.core.errors import UserError
from workstation.core.model import Case
from workstation.documents.letter_context import LETTER_FIELDS
from workstation.documents.letter_markup import markup_of, rich_blocks
from workstation.documents.letter_templates import needed_paths
from workstation.gui.case_view.letter_drafts import LetterDrafts
from workstation.gui.case_view.letter_editor import LetterEditor, ParagraphEdit, formatting_bar
from workstation.gui.case_view.letter_packet import PacketActions
from workstation.gui.case_view.letter_packet import print_pdf as print_pdf  # where the worklist prints from
from workstation.gui.case_view.page_preview import PagePreview
from workstation.gui.widgets import plain_label
from workstation.ops.letters import (
    PARAGRAPH_FIELDS,
    Draft,
    LetterDraft,
    LetterSetting,
    draft_letter,
    last_fields,
    letter_bytes,
    letter_draft,
    letter_setting,
    save_letter,
    suggested_templates,
)

if TYPE_CHECKING:
    from workstation.gui.case_view.view import CaseView

PREVIEW_DELAY_MS = 500
DRAFT_DELAY_MS = 800  # the draft is written this long after the last keystroke
ALWAYS_OFFERED = ("additional_argument",)
FieldEdit = QLineEdit | ParagraphEdit


class LetterPanel(LetterDrafts, PacketActions, QWidget):
    preview_ready = Signal()
    packet_done = Signal()
    draft_kept = Signal()  # the draft reached the case file (or memory, for a read-only case)

    def __init__(self, view: CaseView) -> None:
        super().__init__()
        self.view = view
        self.setting: LetterSetting | None = None
        self.draft: Draft | None = None
        self.case: Case | None = None
        self.path: Path | None = None  # the case file the letter (and its draft) belongs to
        self._shown_file: object | None = None  # the open case file it was shown from
        self.field_edits: dict[str, FieldEdit] = {}
        self._typed: dict[str, str] = {}  # fields typed for this case, also those the template hides
        self._level = 0  # the appeal level the letter was last filled for
        self._filled = ""  # the text as the template filled it (as the editor holds it): edited or not
        self._filling = False  # the program is filling the text or the fields, not the biller
        self._dirty = False  # typed since the draft was last kept
        self._offered: LetterDraft | None = None  # a draft's text offered back, not applied
        self._in_memory: dict[Path, LetterDraft] = {}  # drafts the case file could not take
        self._told_in_memory: set[Path] = set()
        self._packing = False  # a packet is being built
        self.timer = _single_shot(self, PREVIEW_DELAY_MS, self.render_preview)
        self.draft_timer = _single_shot(self, DRAFT_DELAY_MS, self.flush)
        self._build()

    def _build(self) -> None:
        self.template = QComboBox()
        self.template.setObjectName("letter_template")
        self.template.activated.connect(lambda _i: self._template_chosen())
        self.missing = plain_label()
        self.missing.setObjectName("letter_missing")
        self.missing.setStyleSheet("color: #8c1d18;")
        self.fields_form = QFormLayout()
        self.fields_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow: labels above
        fields_box = QWidget()
        fields_box.setLayout(self.fields_form)
        fields_area = QScrollArea()
        fields_area.setWidgetResizable(True)
        fields_area.setFrameShape(QFrame.Shape.NoFrame)
        fields_area.setWidget(fields_box)
        self.text = LetterEditor()
        self.text.textChanged.connect(self._text_changed)
        editing = QWidget()
        editing_column = QVBoxLayout(editing)
        editing_column.setContentsMargins(0, 0, 0, 0)
        editing_column.addWidget(formatting_bar(self.text))
        editing_column.addWidget(self.text, 1)
        splitter = self.splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("letter_splitter")
        splitter.addWidget(fields_area)
        splitter.addWidget(editing)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setChildrenCollapsible(False)
        regenerate = QPushButton("Fill again from the template")
        regenerate.clicked.connect(lambda: self.regenerate())
        self.save_button = QPushButton("Save version")
        self.save_button.setObjectName("letter_save")
        self.save_button.clicked.connect(self.save)
        self.versions = QComboBox()  # a line, not a list: the text needs the room at 1366x768
        self.versions.setObjectName("letter_versions")
        self.versions.setToolTip("The versions saved in this case, newest first; the packet uses the newest.")
        self.versions.setPlaceholderText("none yet")
        self.versions.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.versions.setMinimumContentsLength(12)
        left = QWidget()
        column = QVBoxLayout(left)
        column.addWidget(self.template)
        column.addWidget(self.missing)
        column.addWidget(self._draft_note())
        column.addWidget(splitter, 1)
        row = QHBoxLayout()
        row.addWidget(regenerate)
        row.addWidget(self.save_button)
        column.addLayout(row)
        versions = QHBoxLayout()
        versions.addWidget(QLabel("Saved versions:"))
        versions.addWidget(self.versions, 1)
        column.addLayout(versions)
        column.addWidget(self._remittance_box())
        buttons = QHBoxLayout()
        for label, slot in (("Packet…", self.build_packet), ("Portal files…", self.export_portal),
                            ("Print…", self.print_packet)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        column.addLayout(buttons)
        self.preview = PagePreview()
        self.preview.setObjectName("letter_preview")
        self.preview.shown.connect(self.preview_ready)
        self.pages = QTabWidget()
        self.pages.setObjectName("letter_pages")
        self.pages.addTab(left, "Edit")
        self.pages.addTab(self.preview, "Preview")
        self.pages.currentChanged.connect(self._page_chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def _page_chosen(self, index: int) -> None:
        if self.pages.widget(index) is self.preview:
            self.preview.area.setFocus()  # so Ctrl+= and Ctrl+- zoom at once

    # -- showing -----------------------------------------------------------------------------

    def show_case(self, case: Case) -> None:
        """Refill the template list. A new case brings back its kept draft; the same case shown
        again (after an action) keeps the biller's text, unless its level moved."""
        case_file = self.view.case_file
        same = case_file is not None and case_file is self._shown_file  # reopened: shown anew
        if not same:
            self.flush()  # the case left behind keeps what was typed in it
        self.case = case
        if case_file is None:
            return
        try:
            self.setting = letter_setting(case_file.path, case, workspace=self.view.workspace)
        except UserError as error:
            if same:
                self.missing.setText(str(error))
            else:
                self._no_letter(str(error))
            return
        level = self.setting.deadline.level if self.setting.deadline and self.setting.deadline.level else 1
        self._show_remittance(case)
        if same:
            self._show_again(case, level)
        else:
            self._show_new(case_file.path, level)

    def _show_new(self, path: Path, level: int) -> None:
        assert self.view.case_file is not None
        self.path, self._offered, self._dirty, self.draft = path, None, False, None
        self._shown_file = self.view.case_file
        self.draft_note.hide()
        kept = self._in_memory.get(path) or letter_draft(self.view.case_file)
        self._fill_templates(kept.template_id if kept else None)
        self._show_versions()
        self._level = level
        self._fill_fields(last_fields(self.view.case_file) | (kept.fields if kept else {}))
        self.regenerate()
        if kept is not None:
            self._bring_back(kept)

    def _show_again(self, case: Case, level: int) -> None:
        moved = level != self._level
        if moved and self._edited():
            self.flush(force=True)  # the text typed for the old level stays, as a draft to offer back
        self._fill_templates(None if moved else self.template.currentData())
        self._show_versions()
        old_level, self._level = self._level, level
        if not moved:
            self.regenerate(keep_edits=True)  # the case's facts and enclosures as they are now
            return
        edited = self._kept_for(old_level)
        self.regenerate()  # a loss took the case to the next level: its letter, the biller's fields kept
        self.view.warn(f"The case is now at appeal level {level}: the letter was filled again from "
                       f"\"{self._template_title()}\", keeping the fields you typed; read it before sending.")
        if edited is not None:
            self._offer(edited, f"it was written for appeal level {old_level}")

    def _fill_templates(self, chosen: str | None) -> None:
        assert self.case is not None and self.setting is not None
        self.template.clear()
        for number, template in enumerate(suggested_templates(self.case, self.setting)):
            self.template.addItem(template.title + (" (suggested)" if number == 0 else ""), template.id)
        if chosen:
            self.template.setCurrentIndex(max(self.template.findData(chosen), 0))

    def _template_title(self) -> str:
        return self.template.currentText().removesuffix(" (suggested)")

    def _show_versions(self) -> None:
        assert self.view.case_file is not None
        self.versions.clear()
        for version in reversed(self.view.case_file.letters.versions()):
            self.versions.addItem(f"{version.created_at:%Y-%m-%d %H:%M}  {version.template_title}  ({version.by})")
        self.versions.setCurrentIndex(0 if self.versions.count() else -1)  # the newest

    def _fill_fields(self, values: dict[str, str]) -> None:
        self._filling = True
        try:
            for key, edit in self.field_edits.items():
                edit.setText(values.get(key, ""))
        finally:
            self._filling = False
        self._typed = dict(values)

    def fields(self) -> dict[str, str]:
        return self._typed | {key: edit.text() for key, edit in self.field_edits.items()}

    def _rebuild_field_form(self) -> None:
        """Offer the fields this template asks for (and the good-cause reason when late); those
        people write paragraphs in get several lines."""
        values = self.fields()
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)
        self.field_edits = {}
        self._filling = True
        try:
            for key in self._wanted_keys():
                edit: FieldEdit = ParagraphEdit(values.get(key, "")) if key in PARAGRAPH_FIELDS \
                    else QLineEdit(values.get(key, ""))
                edit.setObjectName(f"field_{key}")
                edit.editingFinished.connect(lambda: self.regenerate(keep_edits=True))
                edit.textChanged.connect(lambda *_: self._typed_now())
                self.fields_form.addRow(LETTER_FIELDS.get(key, key), edit)
                self.field_edits[key] = edit
        finally:
            self._filling = False
        self._size_fields()

    def _size_fields(self) -> None:
        """Room for every field when it fits in 45 % of the height; the text gets the rest."""
        total = sum(self.splitter.sizes()) or self.splitter.height()
        wanted = self.fields_form.sizeHint().height() + 8
        room = min(wanted, int(total * 0.45))
        self.splitter.setSizes([room, max(total - room, 1)])

    def _template_chosen(self) -> None:
        self.regenerate()
        self._typed_now()

    def regenerate(self, *, keep_edits: bool = False) -> None:
        """Fill the chosen template from the case and the fields; missing ones are named. With
        `keep_edits`, text the biller edited stays as it is (the facts under it are refreshed)."""
        if self.case is None or self.setting is None or self.template.count() == 0:
            return
        edited = keep_edits and self._edited()
        previous = self.draft
        try:
            self.draft = draft_letter(self.case, self.setting, template_id=self.template.currentData(),
                                      fields=self.fields(), remittance_advice=self._remittance_choice())
        except UserError as error:
            if previous is None or previous.context["level"]["number"] != self._level:
                # a case just shown, or one whose level moved: no letter of another case, nor of a
                # level already decided, may stay shown (or be printed)
                self._no_letter(str(error))
            else:
                self.missing.setText(str(error))
            return
        if not self.field_edits or set(self.field_edits) != set(self._wanted_keys()):
            self._rebuild_field_form()
        filled_now = markup_of(rich_blocks(self.draft.markup))  # as the editor would hold it
        notes = _letter_notes(self.draft)
        if edited and filled_now != self._filled:
            notes.append("You edited the letter's text, so it was left as it is: to bring in what changed, "
                         "Fill again from the template (your edits are then replaced).")
        self.missing.setText("\n".join(notes))
        if not edited and (self._edited() or filled_now != self._filled or previous is None):
            self._set_text(self.draft.markup)  # (the text changed: the preview follows)
        elif previous is None or previous.context != self.draft.context:
            self.timer.start()  # the same text over other facts (an enclosure added...)

    def _no_letter(self, why: str) -> None:
        """This case gets no letter now, for the reason said: the text and preview of the case shown
        before are cleared (they named another patient), and nothing can be saved or printed."""
        self.draft = None
        self.missing.setText(why)
        while self.fields_form.rowCount():  # the fields asked by the other case's template
            self.fields_form.removeRow(0)
        self.field_edits = {}
        self._set_text("")
        self.preview.show_message(why)

    def _set_text(self, markup: str, *, as_filled: bool = True) -> None:
        """Show this text; `as_filled`: it is the template's (else the biller's own, from a draft)."""
        self._filling = True
        try:
            self.text.set_markup(markup)
        finally:
            self._filling = False
        if as_filled:
            self._filled = self.text.markup()

    def _edited(self) -> bool:
        return self.draft is not None and self.text.markup() != self._filled

    def _wanted_keys(self) -> list[str]:
        """The fields this letter needs for this case, the good-cause reason when late, and a free one."""
        assert self.draft is not None
        wanted = [p.split(".", 1)[1] for p in needed_paths(self.draft.template, self.draft.context)
                  if p.startswith("fields.")]
        if self.draft.context["level"]["late"]:
            wanted.append("good_cause_reason")
        return list(dict.fromkeys([*wanted, *ALWAYS_OFFERED]))

    # -- preview -----------------------------------------------------------------------------

    def render_preview(self) -> None:
        """Build and draw every page on a worker thread; typing never waits for it."""
        if self.draft is None:
            return
        if self.draft.missing or self.draft.contradictions:
            self.preview.show_message("The preview appears once the letter has what it needs (see the Edit tab).")
            return
        draft, markup = self.draft, self.text.markup()
        self.preview.show_pdf(lambda: letter_bytes(draft, markup))

    # -- saving and the packet ---------------------------------------------------------------

    def save(self) -> None:
        case_file, draft = self.view.case_file, self.draft
        if case_file is None or draft is None:
            return
        markup, fields = self.text.markup(), self.fields()
        if self.view.apply(lambda: save_letter(case_file, draft, markup=markup, fields=fields, actor=self.view.actor)):
            self._show_versions()  # the saved version is the letter now: its draft is gone
            self.draft_timer.stop()
            self._dirty, self._offered = False, None
            self._in_memory.pop(case_file.path, None)
            self.draft_note.hide()

def _single_shot(parent: QWidget, interval: int, slot) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval)
    timer.timeout.connect(slot)
    return timer


def _letter_notes(draft: Draft) -> list[str]:
    """What the Letter tab says above the text: what is missing, what contradicts, what to check."""
    notes = [f"Still needed: {', '.join(draft.missing)}."] if draft.missing else []
    return notes + list(draft.contradictions) + list(draft.warnings)
