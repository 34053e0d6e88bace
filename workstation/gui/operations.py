"""The one path for every change the window makes (like Anki's CollectionOp).

An action hands `Operations.run` (or `run_in_background`) a function that calls `ops` and
returns `Changes`. The hub runs it, refreshes the worklist index for every case the changes
touched, then broadcasts `did_change`; each widget refreshes itself from the flags. A refusal
(`UserError`) goes to the caller's `refused` handler; anything else is a bug and reaches the
bug-report hook, never a message that blames the user's file."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from workstation.core.changes import Changes
from workstation.core.errors import UserError
from workstation.core.summary import CaseSummary
from workstation.gui.workers import BackgroundTask

Refused = Callable[[UserError], None]


class Operations(QObject):
    """Runs ops, keeps the worklist index in step, tells every widget what changed."""

    #: the worklist rows of the cases an operation touched, fresh from their files
    rows_changed = Signal(list)
    #: after every operation that changed something (a `Changes`)
    did_change = Signal(object)

    def __init__(self, row_of: Callable[[Path], CaseSummary | None] | None = None) -> None:
        super().__init__()
        self.row_of = row_of  # set by the window once a workspace is open
        #: the rows of many cases read on a worker thread (its own connections), set with `row_of`
        self.rows_at: Callable[[frozenset[Path]], list[CaseSummary]] | None = None
        self.longest_ms = 0.0  # the longest operation run on the GUI thread (for `make bench`)
        self.running: list[BackgroundTask] = []

    def run(self, operation: Callable[[], Changes], *, refused: Refused) -> Changes | None:
        """Run a quick op on the GUI thread; returns its changes, or None when it was refused."""
        try:
            return self.run_or_raise(operation)
        except UserError as error:
            refused(error)
            return None

    def run_or_raise(self, operation: Callable[[], Changes]) -> Changes:
        """As `run`, but a refusal is raised to the caller (a dialog keeps itself open and
        shows the sentence)."""
        started = time.perf_counter()
        try:
            changes = operation()
        finally:
            self.longest_ms = max(self.longest_ms, (time.perf_counter() - started) * 1000)
        self.did_execute(changes)
        return changes

    def run_in_background(self, task: Callable[..., Any], *, done: Callable[[Any], None], refused: Refused,
                          changes_of: Callable[[Any], Changes] = lambda result: result,
                          progress: Callable[[int, int], None] | None = None) -> BackgroundTask:
        """Run long work (`task(progress=, cancelled=)`) on a worker thread; on the GUI thread
        afterwards, broadcast `changes_of(result)` and then call `done(result)`."""
        rows_at = self.rows_at

        def work(**callbacks: Any) -> tuple[Any, Changes, list[CaseSummary] | None]:
            """The task, then its changed rows, both off the GUI thread (a row costs ~15 ms)."""
            result = task(**callbacks)
            changes = changes_of(result)
            rows = rows_at(changes.paths) if changes.worklist and rows_at is not None else None
            return result, changes, rows

        worker = BackgroundTask(work)
        if progress is not None:
            worker.progress.connect(progress)
        worker.finished.connect(lambda outcome: self._background_done(worker, outcome, done))
        worker.failed.connect(lambda error: self._background_failed(worker, error, refused))
        self.running.append(worker)
        worker.start()
        return worker

    def did_execute(self, changes: Changes, rows: list[CaseSummary] | None = None) -> None:
        """Refresh the index rows the changes touched (or take `rows`, read already), then broadcast."""
        if changes.nothing:
            return
        if changes.worklist and rows is None and self.row_of is not None:
            rows = [row for row in (self.row_of(path) for path in sorted(changes.paths)) if row is not None]
        if rows:
            self.rows_changed.emit(rows)
        self.did_change.emit(changes)

    def _background_done(self, worker: BackgroundTask, outcome: tuple[Any, Changes, list[CaseSummary] | None],
                         done: Callable[[Any], None]) -> None:
        self._forget(worker)
        result, changes, rows = outcome
        self.did_execute(changes, rows)
        done(result)

    def _background_failed(self, worker: BackgroundTask, error: object, refused: Refused) -> None:
        self._forget(worker)
        if isinstance(error, UserError):
            refused(error)
            return
        raise error  # a bug: the bug-report hook shows it

    def _forget(self, worker: BackgroundTask) -> None:
        if worker in self.running:
            self.running.remove(worker)
