"""Evidence figures: attaching a 50 MB PDF (seconds, and the GUI thread's longest stall while it
runs), and opening a case that holds 30 documents (200 MB in all)."""

from __future__ import annotations

import os
import tempfile
import time
from datetime import datetime
from pathlib import Path

from pypdf import PdfWriter

from workstation.casefile.case_file import CaseFile
from workstation.core.model import Case
from workstation.ops.evidence import attach_files

MEGABYTE = 1024 * 1024


def big_pdf(path: Path, megabytes: float) -> Path:
    """A valid one-page PDF carrying incompressible bytes as an embedded file."""
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_attachment("scan.bin", os.urandom(int(megabytes * MEGABYTE)))
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def _empty_case(path: Path) -> Path:
    return CaseFile.create(path, Case(case_id=path.stem, created_at=datetime(2026, 3, 1)))


def main() -> None:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from workstation.gui.case_view import CaseView

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        pdf = big_pdf(tmp / "scan.pdf", 50)
        case_path = _empty_case(tmp / "2026-03-bench0001.appeal")
        view = CaseView(actor="bench")
        view.open_case(case_path)
        view.show()
        clock, ticks = QElapsedTimer(), [0.0]
        worst = [0.0]

        def tick() -> None:
            now = clock.elapsed() / 1000
            worst[0] = max(worst[0], now - ticks[0])
            ticks[0] = now

        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(tick)
        clock.start()
        timer.start()
        done: list[object] = []
        view.evidence.attach_finished.connect(done.append)
        start = time.perf_counter()
        view.evidence.attach([pdf])
        while not done:
            app.processEvents()
        seconds = time.perf_counter() - start
        timer.stop()
        print(f"Evidence: attach a {pdf.stat().st_size / MEGABYTE:.0f} MB PDF{'':<29} {seconds:8.3f} s; "
              f"longest GUI-thread stall {worst[0] * 1000:.0f} ms (timer every 5 ms)")
        view.close_case()
        _thirty_documents(tmp, view, app)


def _thirty_documents(tmp: Path, view, app) -> None:
    case_path = _empty_case(tmp / "2026-03-bench0002.appeal")
    files = [big_pdf(tmp / f"doc{n:02d}.pdf", 200 / 30) for n in range(30)]
    with CaseFile.open(case_path) as case_file:
        attach_files(case_file, files, actor="bench")
    size = case_path.stat().st_size / MEGABYTE
    start = time.perf_counter()
    view.open_case(case_path)
    app.processEvents()
    seconds = time.perf_counter() - start
    print(f"{'  open a case holding 30 documents (' + f'{size:.0f} MB)':<58} {seconds:8.3f} s to show the case view "
          f"({len(view.evidence.documents)} documents listed, first previewed)")


if __name__ == "__main__":
    main()
