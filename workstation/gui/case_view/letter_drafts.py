"""The Letter tab's draft: what the biller types is kept in the case file 0.8 s after the last
keystroke and at once when the case is left (`flush`, which the window also calls when it closes
the case), and comes back when the case is shown again; a draft whose level or template changed
is offered, not applied. Keeping a draft is no user action (no activity entry, no undo step); a
read-only case keeps it in memory, and says so once."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton

from workstation.gui.widgets import plain_label
from workstation.ops.letters import (
    LetterDraft,
    discard_letter_draft,
    keep_letter_draft,
    keep_letter_draft_at,
    letter_draft,
    stale_because,
)

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer, SignalInstance

    from workstation.gui.case_view.letter_editor import LetterEditor
    from workstation.gui.case_view.view import CaseView
    from workstation.ops.letters import Draft


class LetterDrafts:
    """The draft half of the Letter tab (mixed into LetterPanel, whose state it shares)."""

    if TYPE_CHECKING:
        view: CaseView
        draft: Draft | None
        path: Path | None
        text: LetterEditor
        timer: QTimer
        draft_timer: QTimer
        draft_kept: SignalInstance
        _level: int
        _filling: bool
        _dirty: bool
        _offered: LetterDraft | None
        _in_memory: dict[Path, LetterDraft]
        _told_in_memory: set[Path]

        def fields(self) -> dict[str, str]: ...
        def _edited(self) -> bool: ...
        def _set_text(self, markup: str, *, as_filled: bool = True) -> None: ...

    def _draft_note(self) -> QFrame:
        """What became of a kept draft; with a choice when its text no longer fits the letter."""
        self.draft_note = QFrame()
        self.draft_note.setObjectName("letter_draft_note")
        self.draft_note.setStyleSheet("#letter_draft_note { background: #eef1f5; border: 1px solid #b8c2cc; "
                                      "border-radius: 4px; }")
        self.draft_note_text = plain_label()
        self.draft_note_text.setObjectName("letter_draft_note_text")
        self.use_draft = QPushButton("Use my draft's text")
        self.use_draft.setObjectName("letter_use_draft")
        self.use_draft.clicked.connect(self.use_offered_draft)
        self.drop_draft = QPushButton("Discard it")
        self.drop_draft.setObjectName("letter_discard_draft")
        self.drop_draft.clicked.connect(self.discard_offered_draft)
        row = QHBoxLayout(self.draft_note)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.draft_note_text, 1)
        row.addWidget(self.use_draft)
        row.addWidget(self.drop_draft)
        self.draft_note.hide()
        return self.draft_note

    def _kept_for(self, level: int) -> LetterDraft | None:
        """The draft just kept for the old level, when the biller had edited its text."""
        assert self.path is not None and self.view.case_file is not None
        kept = self._in_memory.get(self.path) or letter_draft(self.view.case_file)
        return kept if kept is not None and kept.text is not None and kept.level == level else None

    def _text_changed(self) -> None:
        self.timer.start()  # restarts: renders once typing stops
        self._typed_now()

    def _typed_now(self) -> None:
        if not self._filling and self.draft is not None:
            self._dirty = True
            self.draft_timer.start()  # restarts: kept once typing stops

    def flush(self, *, force: bool = False) -> None:
        """Keep what was typed now (the window calls this when it leaves the case or closes)."""
        self.draft_timer.stop()
        if not (self._dirty or force) or self.path is None or self.draft is None:
            return
        kept = LetterDraft(self.draft.template.id, self.draft.template.version, self._level, self.fields(),
                           self.text.markup() if self._edited() else None, datetime.now().replace(microsecond=0))
        path, case_file, actor = self.path, self.view.case_file, self.view.actor
        self._dirty = False
        if case_file is not None and case_file.path == path:
            if case_file.read_only:
                self._keep_in_memory(path, kept, f"{path.name} is read-only (copy the workspace somewhere "
                                                 "writable to keep drafts in it)")
                return
            work = partial(keep_letter_draft, case_file, kept, actor=actor)
        else:  # the window already closed it (the biller moved to another case)
            work = partial(keep_letter_draft_at, path, kept, actor=actor)
        if self.view.operations.run(work, refused=lambda error: self._keep_in_memory(path, kept, str(error))):
            self._in_memory.pop(path, None)
            self.draft_kept.emit()

    def _keep_in_memory(self, path: Path, kept: LetterDraft, why: str) -> None:
        """The case file cannot take the draft: kept while the program runs, said once a case."""
        self._in_memory[path] = kept
        if path not in self._told_in_memory and path == self.path:
            self._told_in_memory.add(path)
            self._note(f"{why.rstrip('.')}: your letter draft is kept only while the program runs.")
        self.draft_kept.emit()

    def _bring_back(self, kept: LetterDraft) -> None:
        """Apply a kept draft's text when it still fits the letter, else offer it."""
        assert self.draft is not None
        when = f"{kept.saved_at:%Y-%m-%d %H:%M}" if kept.saved_at else "earlier today"
        why = stale_because(kept, self.draft.template, self._level)
        if kept.text is None:
            self._note(f"The fields you typed on {when} are back (not yet saved as a version).")
        elif not why:
            self._set_text(kept.text, as_filled=False)
            self._note(f"The letter you were writing on {when} is back (not yet saved as a version).")
        else:
            self._offer(kept, why)

    def _offer(self, kept: LetterDraft, why: str) -> None:
        self._offered = kept
        when = f" of {kept.saved_at:%Y-%m-%d %H:%M}" if kept.saved_at else ""
        self._note(f"Your draft{when} was not put back, because {why}; the letter below is filled afresh "
                   "(typing in it replaces the draft).", offer=True)

    def _note(self, text: str, *, offer: bool = False) -> None:
        self.draft_note_text.setText(text)
        self.use_draft.setVisible(offer)
        self.drop_draft.setVisible(offer)
        self.draft_note.show()

    def use_offered_draft(self) -> None:
        if self._offered is None or self._offered.text is None:
            return
        self._set_text(self._offered.text, as_filled=False)
        self._offered = None
        self.draft_note.hide()
        self._dirty = True
        self.flush()  # kept again, now for this letter and level

    def discard_offered_draft(self) -> None:
        self._offered = None
        self.draft_note.hide()
        if self.path is not None:
            self._in_memory.pop(self.path, None)
        case_file = self.view.case_file
        if case_file is not None and not case_file.read_only:
            self.view.operations.run(lambda: discard_letter_draft(case_file), refused=self.view.refused)
