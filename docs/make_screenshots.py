"""Screenshots of the real window for docs/user-guide.md (`make docs`).

Builds a fresh demo workspace in a temporary folder, opens the window offscreen at a laptop's
1366x768, walks one case through its tabs, imports a remittance into an empty workspace and
shows the welcome, grabbing each as a PNG in docs/images/ (palette PNGs: each stays small).
Run from the checkout: `.venv/bin/python docs/make_screenshots.py [OUT_DIR]`."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["WORKSTATION_NO_WELCOME"] = "1"
_TMP = tempfile.TemporaryDirectory(prefix="screenshots-")
for _name in ("CONFIG", "DATA", "LOG"):
    os.environ[f"WORKSTATION_{_name}_DIR"] = f"{_TMP.name}/{_name.lower()}"
os.environ.pop("WORKSTATION_WORKSPACE", None)

from PySide6.QtCore import QDeadlineTimer, QEventLoop, Qt, QThread  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

SIZE = (1366, 728)  # a 1366x768 screen less its task bar and title bar
LIMIT = 150_000  # bytes per picture


def settle(app: QApplication, ms: int = 300) -> None:
    """Let queued work, timers and paint events run for `ms` milliseconds."""
    deadline = QDeadlineTimer(ms)
    while not deadline.hasExpired():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QThread.msleep(10)


def wait_for(app: QApplication, done: Callable[[], bool], seconds: float = 30) -> None:
    deadline = QDeadlineTimer(int(seconds * 1000))
    while not done():
        if deadline.hasExpired():
            raise RuntimeError("the window did not get there in time")
        settle(app, 50)


def save(widget: QWidget, out: Path, name: str) -> Path:
    """Grab `widget` as a palette PNG (256 colours are plenty for a window) and say its size."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_Indexed8,
                                                    Qt.ImageConversionFlag.ThresholdDither)
    path = out / name
    image.save(str(path), "PNG", 9)
    size = path.stat().st_size
    print(f"{path.name}: {image.width()}x{image.height()}, {size // 1024} KB"
          + ("  (over the limit!)" if size > LIMIT else ""))
    return path


def chosen_case(demo: Path) -> Path:
    """A Medicare appeal still being worked: it shows a ladder, a checklist and a letter."""
    from workstation.ops.workspaces import load_worklist

    rows = [r for r in load_worklist(demo) if r.route == "appeal" and not r.problem]
    working = [r for r in rows if r.status in ("in_review", "gathering_evidence")]
    medicare = [r for r in working if "Medicare Administrative" in r.payer]
    return (medicare or working or rows)[0].path


def some_work_on(case_path: Path, folder: Path) -> None:
    """What a biller would have done by now: two documents, a call, two review steps."""
    from datetime import date, datetime, timedelta

    from workstation.casefile.case_file import CaseFile
    from workstation.core.model import CallRecord
    from workstation.core.review import StepState
    from workstation.ops.evidence import attach_files
    from workstation.ops.review import log_call, review_state, set_step

    files = [fictional_record(folder / name, title) for name, title in (
        ("plan_of_care.png", "Plan of care (fictional demo record)"),
        ("office_visit_notes.png", "Office visit notes (fictional demo record)"))]
    with CaseFile.open(case_path) as case_file:
        attach_files(case_file, files, actor="dana", kind=None)
        log_call(case_file, CallRecord(datetime.now().replace(microsecond=0) - timedelta(days=2), "Payer provider line",
                                       "Appeals", "Agent Sample", "555-0100", "REF-20417",
                                       "Denial confirmed; records may be sent with the redetermination request.",
                                       date.today() + timedelta(days=14)), actor="dana")
        for step in review_state(case_file.load()).steps[:2]:
            set_step(case_file, step, StepState.DONE, actor="dana", note="checked on the remittance")


def fictional_record(path: Path, title: str) -> Path:
    """A page-shaped picture that says what it stands for (no real record is ever used)."""
    from PySide6.QtGui import QColor, QFont, QPainter

    image = QImage(850, 1100, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(QFont("DejaVu Sans", 28))
    painter.drawText(80, 140, title)
    painter.setFont(QFont("DejaVu Sans", 16))
    for line in range(20):
        painter.drawText(80, 240 + 36 * line, "Synthetic text standing in for a page of the record.")
    painter.end()
    image.save(str(path), "PNG")
    return path


def main(out: Path) -> None:
    from workstation.gui.first_run import WelcomeWizard
    from workstation.gui.help_menu import install_help_menu, shortcuts_dialog, window_shortcuts
    from workstation.gui.main_window import MainWindow
    from workstation.gui.operations import Operations
    from workstation.ops.demo import create_demo_workspace

    app = QApplication.instance() or QApplication(sys.argv[:1])
    out.mkdir(parents=True, exist_ok=True)
    demo = Path(_TMP.name) / "demo-workspace"
    create_demo_workspace(demo).close()
    case_path = chosen_case(demo)
    some_work_on(case_path, Path(_TMP.name))
    window = MainWindow()
    install_help_menu(window)
    window.resize(*SIZE)
    window.show()
    window.open_workspace(demo)
    wait_for(app, lambda: window.worklist.model.rowCount() > 0)
    window.worklist.select_path(case_path)
    wait_for(app, lambda: window.case_view.case_file is not None)
    settle(app, 800)
    save(window, out, "worklist.png")
    tabs = window.case_view.tabs
    for index in range(tabs.count()):
        name = tabs.tabText(index).replace("&&", "and").split()[0].lower()
        if name in ("deadlines", "letter", "review", "evidence", "calls"):
            tabs.setCurrentIndex(index)
            settle(app, 1500 if name == "letter" else 400)  # the letter preview follows after a pause
            save(window.case_view, out, f"case-{name}.png")
    shortcuts = shortcuts_dialog(window_shortcuts(window), window)
    shortcuts.show()
    settle(app)
    save(shortcuts, out, "shortcuts.png")
    shortcuts.close()
    import_into_empty_workspace(app, window, demo, out)
    welcome = WelcomeWizard(Operations(), folder=Path("/home/dana/Documents/Appeal workspace"))  # shown, not made
    welcome.show()
    settle(app)
    save(welcome, out, "welcome.png")
    welcome.close()
    practice = WelcomeWizard(Operations(), folder=Path(_TMP.name) / "my-workspace")
    practice.show()
    practice.choice.own.setChecked(True)
    practice.next()
    settle(app)
    save(practice, out, "welcome-practice.png")
    practice.close()
    window.close()


def import_into_empty_workspace(app: QApplication, window, demo: Path, out: Path) -> None:
    """The import summary, as a biller sees it after the first remittance of a new workspace."""
    from workstation.ops.workspaces import init_workspace

    empty = Path(_TMP.name) / "new-workspace"
    init_workspace(empty).close()
    window.open_workspace(empty)
    settle(app)
    era = sorted((demo / "remittances").glob("*.835"))[0]
    window.remittances.import_files([era])
    wait_for(app, lambda: window.remittances.summary_dialog is not None
             and window.remittances.summary_dialog.isVisible())
    settle(app, 600)
    save(window.remittances.summary_dialog, out, "import-summary.png")
    window.remittances.summary_dialog.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "images")
