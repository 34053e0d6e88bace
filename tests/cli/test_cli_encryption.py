"""`workstation init --encrypt DIR`, `workstation encrypt WS` and the passphrase on the command line
(WORKSTATION_PASSPHRASE for scripts; with no terminal and no variable, one sentence), as a script sees them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from run_cli import run

from workstation.intake.synthetic_835 import generate_835

PASSPHRASE = "harbor violet compass"
SQLITE_MAGIC = b"SQLite format 3\x00"


def one_sentence(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def databases(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".sqlite", ".appeal"))


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(root.rglob("*"))
            if p.is_file()}


@pytest.fixture
def encrypted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An encrypted workspace with the cases of a synthetic 835 imported into it."""
    monkeypatch.setenv("WORKSTATION_PASSPHRASE", PASSPHRASE)
    root = tmp_path / "ws"
    made = run("init", "--encrypt", root)
    assert made.returncode == 0, made.stderr
    assert "encrypted workspace" in made.stderr
    era = tmp_path / "denials.835"
    era.write_text(generate_835(7, 12, denied=6), encoding="utf-8")
    imported = run("import", "-w", root, era, "--json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["created"] > 0
    return root


def test_an_encrypted_workspace_works_with_the_passphrase_and_holds_no_names(encrypted: Path) -> None:
    listed = run("cases", "-w", encrypted, "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert rows and all(row["patient"] for row in rows)
    shown = run("show", rows[0]["path"], "--json")
    assert shown.returncode == 0, shown.stderr
    assert run("check", encrypted).returncode == 0
    everything = b"".join(p.read_bytes() for p in encrypted.rglob("*") if p.is_file())
    for row in rows:
        last_name = row["patient"].split(",")[0].encode()
        assert last_name not in everything and row["account_number"].encode() not in everything
    assert all(not path.read_bytes().startswith(SQLITE_MAGIC) for path in databases(encrypted))


def test_a_wrong_passphrase_is_one_sentence_and_changes_nothing(encrypted: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(encrypted)
    monkeypatch.setenv("WORKSTATION_PASSPHRASE", "not the right one")
    for args in (("cases", "-w", encrypted), ("import", "-w", encrypted, encrypted / "nothing.835"),
                 ("show", next((encrypted / "cases").glob("*.appeal")))):
        result = run(*args)
        assert result.returncode == 1
        assert "is not the passphrase" in one_sentence(result.stderr)
    assert snapshot(encrypted) == before


def test_without_a_passphrase_a_script_gets_one_sentence(encrypted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORKSTATION_PASSPHRASE")
    result = run("cases", "-w", encrypted)
    assert result.returncode == 1
    assert "WORKSTATION_PASSPHRASE" in one_sentence(result.stderr)


def test_show_of_a_case_file_copied_out_needs_the_passphrase(encrypted: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    lone = tmp_path / "usb" / "copied.appeal"
    lone.parent.mkdir()
    shutil.copy2(next((encrypted / "cases").glob("*.appeal")), lone)
    assert not lone.read_bytes().startswith(SQLITE_MAGIC)
    monkeypatch.delenv("WORKSTATION_PASSPHRASE")
    refused = run("show", lone)
    assert refused.returncode == 1
    assert one_sentence(refused.stderr).startswith("copied.appeal is encrypted and opens only with its passphrase")
    monkeypatch.setenv("WORKSTATION_PASSPHRASE", PASSPHRASE)
    shown = run("show", lone, "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["patient"]


def test_init_encrypt_without_a_passphrase_creates_nothing(tmp_path: Path) -> None:
    result = run("init", "--encrypt", tmp_path / "ws")
    assert result.returncode == 1
    assert "WORKSTATION_PASSPHRASE" in one_sentence(result.stderr)
    assert not (tmp_path / "ws").exists()


def test_a_short_passphrase_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKSTATION_PASSPHRASE", "short")
    result = run("init", "--encrypt", tmp_path / "ws")
    assert result.returncode == 1
    assert "at least 8 characters" in one_sentence(result.stderr)
    assert not (tmp_path / "ws").exists()


def test_encrypt_converts_a_plain_workspace_and_every_command_still_works(todays_demo: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    before = run("cases", "-w", todays_demo, "--json")
    assert before.returncode == 0
    monkeypatch.setenv("WORKSTATION_PASSPHRASE", PASSPHRASE)
    converted = run("encrypt", todays_demo)
    assert converted.returncode == 0, converted.stderr
    assert converted.stderr.strip().splitlines()[-1].startswith("Encrypted ")
    assert all(not path.read_bytes().startswith(SQLITE_MAGIC) for path in databases(todays_demo))
    after = run("cases", "-w", todays_demo, "--json")
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == json.loads(before.stdout)
    again = run("encrypt", todays_demo)
    assert again.returncode == 0 and "Encrypted 0 files" in again.stderr
    monkeypatch.delenv("WORKSTATION_PASSPHRASE")
    assert run("cases", "-w", todays_demo).returncode == 1


def test_the_report_of_an_encrypted_workspace_counts_what_a_plain_one_does(encrypted: Path, tmp_path: Path) -> None:
    """The report sums the ledger on a second connection of its own: it too must get the key."""
    plain = tmp_path / "plain"
    assert run("init", plain).returncode == 0
    assert run("import", "-w", plain, tmp_path / "denials.835").returncode == 0
    reports = [run("report", "--json", "--from", "2000-01-01", "-w", root) for root in (encrypted, plain)]
    assert all(r.returncode == 0 for r in reports), [r.stderr for r in reports]
    secret, clear = (json.loads(r.stdout) for r in reports)
    assert secret["claims"] == clear["claims"] == 12
    assert secret["denied_claims"] == clear["denied_claims"] > 0
    def without_case_ids(groups: list[dict]) -> list[dict]:  # each workspace numbers its own cases
        return [{k: v for k, v in g.items() if k != "cases"} | {"cases": len(g["cases"])} for g in groups]
    assert without_case_ids(secret["by_reason"]) == without_case_ids(clear["by_reason"]) != []
