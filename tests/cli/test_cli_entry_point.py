"""The installed `workstation` command, run as a real subprocess: the entry point works, exits as
documented, and prints what the in-process runs print (the other command-line tests run in-process)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from practice_fixtures import case_in_workspace
from run_cli import run

from workstation.casefile.case_file import CaseFile
from workstation.ops.letters import case_packet, draft_letter, letter_setting, record_packet, save_letter

pytestmark = pytest.mark.slow

WORKSTATION = Path(sys.executable).with_name("workstation")  # the console script beside this interpreter


def installed(*args: str | Path) -> subprocess.CompletedProcess:
    """`workstation ARGS` as a user's shell runs it, with this test's isolated user folders."""
    assert WORKSTATION.is_file(), f"{WORKSTATION} is not installed; run `make install`"
    return subprocess.run([str(WORKSTATION), *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                          env=os.environ.copy(), timeout=120)


def test_the_installed_command_prints_its_help() -> None:
    result = installed("--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: workstation ")
    assert all(command in result.stdout for command in ("cases", "import", "letter", "packet", "deadlines"))


def test_the_version_is_one_everywhere() -> None:
    """`workstation --version`, Help > About and the installed package say the same version."""
    from importlib import metadata

    from workstation.ops.about import version

    result = installed("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"workstation {version()}"
    assert metadata.version("appeal-workstation") == version()


def test_the_installed_command_prints_the_json_the_in_process_run_prints(demo_workspace: Path) -> None:
    result = installed("cases", "-w", demo_workspace, "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) >= 40
    assert rows == json.loads(run("cases", "-w", demo_workspace, "--json").stdout)


def test_the_installed_command_exits_1_on_a_user_error_and_2_on_usage(tmp_path: Path) -> None:
    refused = installed("cases", "-w", tmp_path, "--json")
    assert refused.returncode == 1
    assert refused.stdout == "" and "Traceback" not in refused.stderr
    [sentence] = [line for line in refused.stderr.splitlines() if line.strip()]
    assert "`workstation init" in sentence
    usage = installed("cases", "-w", tmp_path, "--status", "bogus")
    assert usage.returncode == 2
    assert usage.stdout == "" and "unknown status 'bogus'" in usage.stderr


def test_a_packet_built_by_another_process_is_the_packet_recorded_here(tmp_path: Path, make_case) -> None:
    """Byte for byte: nothing in a packet depends on the process that built it (hash seeds, ids)."""
    path = case_in_workspace(tmp_path, make_case())
    fields = {"good_cause_reason": "The notice reached us late."}
    with CaseFile.open(path) as case_file:
        case = case_file.load()
        draft = draft_letter(case, letter_setting(path, case), template_id="general_appeal", today=date(2026, 3, 31),
                             fields=fields)
        save_letter(case_file, draft, markup=draft.markup, fields=fields, actor="dana")
        record_packet(case_file, case_packet(case_file), actor="dana")
        [recorded] = case_file.letters.packets()
    out = tmp_path / "packet.pdf"
    result = installed("packet", path, "-o", out)
    assert result.returncode == 0, result.stderr
    assert hashlib.sha256(out.read_bytes()).hexdigest() == recorded.pdf_sha256
