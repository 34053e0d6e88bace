"""One typed field in the window: the time from the commit to every widget showing it (issue 11's
design step measured 110-170 ms, against about 20 ms for the case file's own commit)."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

EDITS = 40


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from workstation.gui.main_window import MainWindow
    from workstation.ops.cases import open_case_file
    from workstation.ops.demo import create_demo_workspace

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp_name:
        os.environ["WORKSTATION_CONFIG_DIR"] = str(Path(tmp_name) / "config")
        root = Path(tmp_name) / "demo"
        create_demo_workspace(root).close()
        window = MainWindow()
        window.resize(1366, 728)
        window.show()
        window.open_workspace(root)
        while window.loader is not None and window.loader.is_running():
            app.processEvents()
        app.processEvents()
        path = window.worklist.model.rows()[0].path
        window.case_view.open_case(path)
        in_window = []
        for n in range(EDITS):
            start = time.perf_counter()
            window.case_view.commit("patient.group_number", f"GRP{n:04d}")
            app.processEvents()
            in_window.append((time.perf_counter() - start) * 1000)
        window.case_view.close_case()
        alone = []
        with open_case_file(path) as case_file:
            for n in range(EDITS):
                start = time.perf_counter()
                case_file.set_field("patient.group_number", f"ALN{n:04d}", actor="bench")
                alone.append((time.perf_counter() - start) * 1000)
        window.close()
    print(f"Window: one typed field, commit to every widget shown (median of {EDITS}) "
          f"{statistics.median(in_window):6.1f} ms; the case file's commit alone {statistics.median(alone):5.1f} ms; "
          f"ratio {statistics.median(in_window) / statistics.median(alone):.1f}x")


if __name__ == "__main__":
    main()
