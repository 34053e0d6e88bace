"""Issue 12.4 for workspace.sqlite's payer directory, as a user meets it: one entry holding a kind
the program does not know ('bogus', written behind its back) takes no command down. The entry is
left out (its cases' deadlines then follow their payer kind's usual ladder), and the command line
says so once on stderr, pointing to `workstation check`, which names the row."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest
from run_cli import run
from test_cli_letters import GOOD_CAUSE, general_appeal_case

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace

ERA = Path(__file__).resolve().parents[1] / "data" / "era"
NOTICE = "could not be read and was left out"


def spoil_payer(root: Path, name: str) -> int:
    """Give the directory entry of payer `name` the kind 'bogus'; returns its row id."""
    with contextlib.closing(sqlite3.connect(root / "workspace.sqlite", isolation_level=None)) as conn:
        conn.execute("UPDATE payers SET kind = 'bogus' WHERE name = ?", (name,))
        (row,) = conn.execute("SELECT id FROM payers WHERE name = ?", (name,)).fetchone()
    return row


def payer_of(path: Path) -> str:
    with CaseFile.open(path, read_only=True) as case_file:
        return case_file.load().payer.name


def said_once(stderr: str) -> str:
    assert "Traceback" not in stderr and "is not a valid PayerKind" not in stderr, stderr
    (line,) = [line for line in stderr.splitlines() if NOTICE in line]
    assert "`workstation check` names it" in line
    return line


@pytest.fixture
def spoiled(demo_workspace: Path) -> tuple[Path, Path]:
    """The demo workspace with the directory entry of a case's payer spoilt: (workspace, that case)."""
    case = general_appeal_case(demo_workspace)
    spoil_payer(demo_workspace, payer_of(case))
    return demo_workspace, case


@pytest.mark.parametrize("command", [("cases", "--json"), ("deadlines", "--json"), ("deadlines",),
                                     ("report", "--json"), ("cases",)], ids=" ".join)
def test_a_listing_works_and_says_once_that_a_payer_entry_was_left_out(spoiled, command) -> None:
    root, _case = spoiled
    result = run(*command, "-w", root)
    assert result.returncode == 0, result.stderr
    said_once(result.stderr)
    if "--json" in command:
        assert json.loads(result.stdout)


def test_check_names_the_row(spoiled) -> None:
    root, _case = spoiled
    result = run("check", root)
    assert result.returncode == 1
    assert "workspace.sqlite: damaged (payers, row" in result.stderr
    assert "kind does not hold a payer kind" in result.stderr


def test_a_letter_is_written_for_a_case_of_that_payer(spoiled, tmp_path: Path) -> None:
    _root, case = spoiled
    out = tmp_path / "letter.pdf"
    result = run("letter", case, "--template", "general_appeal", "--field", GOOD_CAUSE, "-o", out)
    assert result.returncode == 0, result.stderr
    said_once(result.stderr)
    assert out.read_bytes().startswith(b"%PDF")


def test_import_reads_the_remittance_of_that_payer_and_adds_no_second_entry(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run("init", root).returncode == 0
    assert run("import", "-w", root, ERA / "lfh-demo.835").returncode == 0
    with Workspace.open(root) as workspace:
        (payer,) = workspace.payers()
    spoil_payer(root, payer.name)
    later = tmp_path / "later.835"  # the same payer's next remittance: another trace number, another claim
    later.write_text((ERA / "lfh-demo.835").read_text().replace("TRN*1*12345*", "TRN*1*12399*")
                     .replace("CLP*666123*", "CLP*666199*"))
    result = run("import", "-w", root, later, "--json")
    assert result.returncode == 0, result.stderr
    said_once(result.stderr)
    assert json.loads(result.stdout)["claims"] > 0
    with contextlib.closing(sqlite3.connect(root / "workspace.sqlite")) as conn:
        assert conn.execute("SELECT count(*) FROM payers").fetchone()[0] == 1


def test_a_sound_workspace_says_nothing_of_payers(demo_workspace: Path) -> None:
    result = run("deadlines", "-w", demo_workspace)
    assert result.returncode == 0 and NOTICE not in result.stderr
