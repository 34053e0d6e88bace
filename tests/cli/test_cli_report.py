"""`workstation report` and `workstation patterns adopt`, run as a script runs them (in-process)."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest
from run_cli import run

from workstation.casefile.workspace import Workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ops"))
from remit_text import claim, interchange, line, transaction, write

PAYER = "DEMO MEDICARE CONTRACTOR"


def _workspace(tmp_path: Path) -> Path:
    """Four remittances: 97110-GP denied as bundled (CO-97 60.00) each month from January to April,
    beside a paid 99213; and one claim paid in full."""
    root = tmp_path / "ws"
    Workspace.create(root).close()
    for n, month in enumerate(("01", "02", "03", "04"), start=1):
        bundled = claim(f"P-{n}", "1", "160", "100", *line("99213", "100", "100", f"2026{month}05"),
                        *line("97110:GP", "60", "0", f"2026{month}05", "CAS*CO*97*60"), icn=f"I-{n}", member=f"M-{n}")
        paid = claim(f"Q-{n}", "1", "100", "100", *line("99212", "100", "100", f"2026{month}06"), icn=f"J-{n}",
                     member=f"N-{n}")
        text = interchange(transaction(bundled, paid, trace=f"T-{n}", notice=f"2026{month}15",
                                       payment_date=f"2026{month}15"), control=f"00000000{n}")
        assert run("import", write(tmp_path, f"{month}.835", text), "-w", root).returncode == 0
    return root


def test_report_json_follows_the_published_shape(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    result = run("report", "-w", root, "--from", "2026-01-01", "--to", "2026-04-30", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["period"] == {"from": "2026-01-01", "to": "2026-04-30"}
    # 8 claims with a first remittance, 4 denied in part: 0.5000; dollars 4 x 160 of 4 x 260 = 0.6154
    assert (report["claims"], report["denied_claims"]) == (8, 4)
    assert (report["initial_denial_rate"], report["initial_denial_rate_dollars"]) == ("0.5000", "0.6154")
    assert [(r["code"], r["claims"], r["denied"]) for r in report["by_reason"]] == [("CO-97", 4, "240.00")]
    assert {"by_category", "by_payer", "by_procedure", "by_provider", "by_month", "appeals", "backlog_by_age",
            "sequestration_total", "patterns"} <= set(report)


def test_a_pattern_adopted_on_the_command_line_is_counted_before_and_after(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    adopted = run("patterns", "adopt", "-w", root, "--payer", PAYER, "--code", "co-97", "--procedure", "97110",
                  "--modifier", "GP", "--on", "2026-03-01", "--note", "NCCI check by the coder")
    assert adopted.returncode == 0, adopted.stderr
    result = run("report", "-w", root, "--from", "2026-01-01", "--to", "2026-04-30", "--json")
    (pattern,) = json.loads(result.stdout)["patterns"]
    assert (pattern["code"], pattern["procedure"], pattern["modifier"]) == ("CO-97", "97110", "GP")
    assert pattern["adopted"]["note"] == "NCCI check by the coder"


def test_a_bad_date_is_one_sentence_and_exit_1(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    result = run("report", "-w", root, "--from", "last spring")
    assert result.returncode == 1
    assert result.stderr.strip() == "--from takes a date (YYYY-MM-DD or MM/DD/YYYY), not 'last spring'."


def test_commands_that_only_read_take_no_backup_and_a_command_that_changes_does(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    backups = root / "backups"

    def copies() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in backups.glob("workspace-*.sqlite")}

    with Workspace.open(root) as workspace:  # today's copy is fresh; then a change makes it old
        workspace.set_setting("report_test", "1")
    before = copies()
    for command in (("report", "--json"), ("cases", "--json"), ("deadlines", "--json"), ("audit",)):
        assert run(*command, "-w", root).returncode == 0
    assert copies() == before  # each read (and noted in the audit trail) but none copied the file
    assert run("patterns", "adopt", "-w", root, "--payer", PAYER, "--code", "CO-97", "--procedure", "97110",
               "--modifier", "GP").returncode == 0
    assert copies() != before  # a command that changes the workspace refreshes today's copy first


def _damage_pages_of(root: Path, btree: str) -> None:
    """Overwrite every page of one table or index of workspace.sqlite (the file's header and
    schema stay whole), as a bad sector would."""
    db = root / "workspace.sqlite"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [n for (n,) in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", (btree,))]
    assert pages and 1 not in pages
    data = bytearray(db.read_bytes())
    for page in pages:
        data[(page - 1) * size:page * size] = b"\xa5" * size
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("btree", ["claims_ledger", "sqlite_autoindex_claims_ledger_1"])
def test_a_damaged_workspace_is_said_so_and_no_figures_are_printed(tmp_path: Path, btree: str) -> None:
    """The report checks workspace.sqlite beside its own reading: damage in the ledger the report
    reads, or in an index it never reads (the claims' unique keys), is the damaged-workspace
    sentence, and no figures are printed."""
    root = _workspace(tmp_path)
    _damage_pages_of(root, btree)
    result = run("report", "-w", root, "--json")
    assert result.returncode != 0
    assert result.stdout == ""
    assert "workspace.sqlite in" in result.stderr and "is damaged" in result.stderr
    assert "Traceback" not in result.stderr


def test_figures_worked_out_ahead_on_a_damaged_ledger_are_none_not_a_crash(tmp_path: Path) -> None:
    """The window's figures worked out while the worklist loads skip the check its opening made a
    moment before; should the ledger be damaged all the same, there are none, and the report's own
    build (checked) says what happened."""
    from workstation.ops.report import ReportRequest, ledger_figures_ahead

    root = _workspace(tmp_path)
    request = ReportRequest(today=date(2026, 4, 30))
    assert ledger_figures_ahead(root, request) is not None
    _damage_pages_of(root, "claims_ledger")
    assert ledger_figures_ahead(root, request) is None
