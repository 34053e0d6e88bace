"""Long work off the GUI thread: a task runs in a QThread, reports progress, can be cancelled."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from workstation.core.errors import UserError


class CancelToken:
    """Set from the GUI thread, read by the task between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def __call__(self) -> bool:
        return self._event.is_set()


class _Worker(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, task: Callable[..., Any], cancel: CancelToken) -> None:
        super().__init__()
        self._task, self._cancel = task, cancel

    @Slot()
    def run(self) -> None:
        try:
            result = self._task(progress=self.progress.emit, cancelled=self._cancel)
        except UserError as error:
            self.failed.emit(error)
        except Exception as error:  # a bug: reported on the GUI thread, never swallowed
            self.failed.emit(error)
        else:
            self.finished.emit(result)


#: How long a thread may keep Python's lock while another waits (Python's default is 5 ms). Qt
#: calls back into Python for every cell it paints, and while a worker computes, each callback
#: waited up to the whole interval: saving the worklist of 10,000 cases as PDF froze the window
#: 0.3-0.6 s at a time; at 1 ms, no more than the worker's garbage collections (about 0.15 s).
SWITCH_INTERVAL_S = 0.001

#: Tasks still running: kept alive here so a closed window never destroys a running thread
#: (Qt aborts the process when a QThread is destroyed while it runs).
_RUNNING: set[BackgroundTask] = set()


class BackgroundTask(QObject):
    """Runs `task(progress=..., cancelled=...)` on its own thread; signals arrive on the GUI thread.

    The task has no Qt parent on purpose: it lives until its thread ends, even if the widget
    that started it is gone (that widget's slots are then simply not called)."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, task: Callable[..., Any], parent: QObject | None = None) -> None:
        super().__init__()
        del parent  # accepted for call sites' readability; see the class docstring
        self.cancel_token = CancelToken()
        self._thread = QThread()
        self._worker = _Worker(task, self.cancel_token)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self.progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)

    def start(self) -> None:
        _RUNNING.add(self)
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        self._thread.start()

    def cancel(self) -> None:
        self.cancel_token.cancel()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self) -> None:
        self._thread.quit()
        self._thread.wait()

    def _on_finished(self, result: object) -> None:
        self.wait()
        _RUNNING.discard(self)
        self.finished.emit(result)

    def _on_failed(self, error: object) -> None:
        self.wait()
        _RUNNING.discard(self)
        self.failed.emit(error)


def wait_for_all() -> None:
    """Let every running task end (at exit, and between tests)."""
    for task in list(_RUNNING):
        task.wait()
        _RUNNING.discard(task)
