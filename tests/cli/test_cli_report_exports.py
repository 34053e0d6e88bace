"""`workstation report --csv DIR --xlsx OUT --pdf OUT`, run as a script runs it (in-process): the
files hold the figures --json prints; a refused folder or file is one sentence, exit 1, and
nothing is left behind."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from run_cli import run
from test_cli_report import PAYER, _workspace  # 97110-GP denied as bundled each month, January to April

PERIOD = ("--from", "2026-01-01", "--to", "2026-04-30")


def _adopted(tmp_path: Path) -> Path:
    root = _workspace(tmp_path)
    adopted = run("patterns", "adopt", "-w", root, "--payer", PAYER, "--code", "CO-97", "--procedure", "97110",
                  "--modifier", "GP", "--on", "2026-03-01", "--note", "NCCI check by the coder")
    assert adopted.returncode == 0, adopted.stderr
    return root


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_report_writes_every_table_to_csv_the_workbook_and_the_pdf(tmp_path: Path) -> None:
    root = _adopted(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    result = run("report", "-w", root, *PERIOD, "--json", "--csv", out / "csv", "--xlsx", out / "report.xlsx",
                 "--pdf", out / "report.pdf")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert result.stderr.strip() == (f"Wrote {out / 'report.xlsx'}, {out / 'report.pdf'} and 15 CSV files in "
                                     f"{out / 'csv'}.")
    assert [(r["Reason code"], r["Claims"], r["Dollars denied"]) for r in _rows(out / "csv" / "by_reason.csv")] == [
        (r["code"], str(r["claims"]), r["denied"]) for r in report["by_reason"]] == [("CO-97", "4", "240.00")]
    (pattern,) = _rows(out / "csv" / "patterns.csv")
    assert (pattern["Payer"], pattern["Reason code"], pattern["Procedure"], pattern["Modifier"],
            pattern["Change adopted on"], pattern["What was changed"]) == (
        PAYER, "CO-97", "97110", "GP", "2026-03-01", "NCCI check by the coder")
    assert pattern["Check before billing"] == report["patterns"][0]["check"]
    sheet = load_workbook(out / "report.xlsx")["Patterns"]
    adopted_on = sheet["H2"]
    assert (sheet["H1"].value, adopted_on.value, adopted_on.number_format) == (
        "Change adopted on", datetime(2026, 3, 1), "yyyy-mm-dd")
    pages = [page.extract_text() for page in PdfReader(out / "report.pdf").pages]
    text = "\n".join(pages)
    assert "50.0%" in text and "61.5%" in text and "4 of 8 claims" in text  # the headline rates
    words = " ".join(text.split())  # table cells wrap
    assert "NCCI check by the coder" in words and report["patterns"][0]["check"] in words
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert "TESTPERSON" not in text.upper()


def test_exports_alone_print_the_sentence_and_not_the_figures(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    result = run("report", "-w", root, *PERIOD, "--xlsx", tmp_path / "r.xlsx")
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == f"Wrote {tmp_path / 'r.xlsx'}.\n"
    assert [s for s in load_workbook(tmp_path / "r.xlsx").sheetnames][:2] == ["Summary", "By reason"]


def test_a_file_path_that_is_a_folder_is_one_sentence_and_exit_1(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    (tmp_path / "reports").mkdir()
    result = run("report", "-w", root, *PERIOD, "--csv", tmp_path / "new-csv", "--pdf", tmp_path / "reports")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (f"{tmp_path / 'reports'} is a folder; give a file name for the report, such as "
                             f"{tmp_path / 'reports' / 'denial-report.pdf'}.\n")
    assert not (tmp_path / "new-csv").exists() and not list((tmp_path / "reports").iterdir())


def _writable(folder: Path) -> bool:
    probe = folder / ".probe"
    try:
        probe.write_bytes(b"")
    except OSError:
        return False
    probe.unlink()
    return True


@contextmanager
def _refusing_writes(folder: Path) -> Iterator[Path]:
    """The folder made read-only (and immutable with chattr when the tests run as root, whom
    permissions do not stop); the test is skipped where neither can refuse a write."""
    folder.chmod(0o555)
    immutable = False
    try:
        if _writable(folder) and shutil.which("chattr"):
            immutable = subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
        if _writable(folder):
            pytest.skip("this user may write into a read-only folder and chattr is not available")
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


@pytest.mark.slow  # runs chattr when the tests run as root
def test_a_folder_that_refuses_writes_is_one_sentence_and_nothing_is_left_behind(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    (tmp_path / "locked").mkdir()
    (tmp_path / "open").mkdir()
    with _refusing_writes(tmp_path / "locked") as locked:
        inside = run("report", "-w", root, *PERIOD, "--csv", locked, "--xlsx", tmp_path / "open" / "r.xlsx")
        below = run("report", "-w", root, *PERIOD, "--csv", locked / "csv", "--pdf", tmp_path / "open" / "r.pdf")
        assert not list(locked.iterdir())
    for result in (inside, below):
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr.count("\n") == 1, result.stderr  # one sentence
        assert re.search(r"\((Permission denied|Operation not permitted)\)", result.stderr), result.stderr
    assert inside.stderr.startswith(f"The report could not be written to {locked}")
    assert below.stderr.startswith(f"The folder {locked / 'csv'} could not be made")
    assert not list((tmp_path / "open").iterdir())  # the workbook written aside first was taken back
