"""Guards against a broken Qt binding: PySide6 6.12.0 lost a reference to True/False on every
Signal.emit(), which crashed the program after a few hundred emits (a refcount bug)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    ping = Signal(int, int)


def test_emitting_signals_does_not_leak_references_to_booleans(qtbot) -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.ping.connect(lambda a, _b: received.append(a))
    before = (sys.getrefcount(True), sys.getrefcount(False))
    for number in range(200):
        emitter.ping.emit(number, 0)
    assert len(received) == 200
    drift = (sys.getrefcount(True) - before[0], sys.getrefcount(False) - before[1])
    assert all(abs(d) < 20 for d in drift), f"Signal.emit changes bool refcounts by {drift}: broken PySide6"
