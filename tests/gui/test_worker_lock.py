"""A worker thread computing must leave the GUI thread Python's lock often: Qt calls back into
Python for every cell it paints, and at Python's default 5 ms each callback could wait the whole
interval (saving a 10,000-row worklist as PDF froze the window for 0.3-0.6 s at a time)."""

from __future__ import annotations

import sys

from workstation.gui.workers import SWITCH_INTERVAL_S, BackgroundTask


def test_a_running_task_lets_the_gui_thread_take_the_lock_every_millisecond(qtbot) -> None:
    sys.setswitchinterval(0.005)  # Python's default, as a process starts
    task = BackgroundTask(lambda **_kw: sum(n * n for n in range(200_000)))
    with qtbot.waitSignal(task.finished, timeout=10_000) as finished:
        task.start()
    assert finished.args == [sum(n * n for n in range(200_000))]
    assert sys.getswitchinterval() == SWITCH_INTERVAL_S <= 0.001


def test_once_the_first_worklist_is_loaded_the_collector_leaves_what_the_start_built(qtbot, demo_workspace) -> None:
    """A full garbage collection stops every thread; after the start it no longer walks the
    start's objects (gc.freeze), so a worker's collections stay short."""
    import gc

    from gui_clicks import laptop_window

    laptop_window(qtbot, demo_workspace)
    assert gc.get_freeze_count() > 0
