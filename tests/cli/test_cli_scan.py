"""`workstation scan`: proposes only; --create writes the confirmed case; a known claim is offered to
its case; bad input is one sentence and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from run_cli import run

from tests.benchmarks.scan_samples import blank_png, claim_letters, locked_pdf


@pytest.fixture
def scans(tmp_path: Path) -> tuple[Path, Path, Path, dict]:
    eob, decision, truth = claim_letters()
    for name, data in (("eob.pdf", eob), ("decision.pdf", decision)):
        (tmp_path / name).write_bytes(data)
    assert run("init", tmp_path / "ws").returncode == 0
    return tmp_path / "ws", tmp_path / "eob.pdf", tmp_path / "decision.pdf", truth


def _cases(ws: Path) -> list[Path]:
    return sorted((ws / "cases").glob("*.appeal"))


def test_scan_json_proposes_each_field_with_its_place_and_writes_nothing(scans) -> None:
    ws, eob, _decision, truth = scans
    result = run("scan", eob, "-w", ws, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    claim = data["fields"]["claim_number"]
    assert claim["value"] == truth["claim_number"] and claim["page"] == 1 and 0.6 <= claim["confidence"] <= 1
    assert len(claim["boxes"][0]) == 4
    assert data["fields"]["reason_codes"]["value"] == ", ".join(truth["reason_codes"])
    assert data["kind"] == "remittance" and data["matches"] == [] and data["created"] is None
    assert data["pages"][0]["method"] == "text layer"
    assert "read page 1 of 1 of eob.pdf" in result.stderr
    assert _cases(ws) == []


def test_scan_create_writes_the_case_with_the_corrections(scans) -> None:
    ws, eob, _decision, truth = scans
    result = run("scan", eob, "-w", ws, "--create", "--field", "member_id=QQZ100200300", "--json")
    assert result.returncode == 0, result.stderr
    [path] = _cases(ws)
    assert json.loads(result.stdout)["created"] == str(path.resolve())
    shown = json.loads(run("show", path, "--json").stdout)
    assert shown["patient"]["member_id"] == "QQZ100200300"
    assert shown["claim"]["payer_claim_number"] == truth["claim_number"]
    assert [(e["kind"], e["file_name"]) for e in shown["evidence"]] == [("remittance", "eob.pdf")]


def test_a_scan_of_a_known_claim_is_offered_to_its_case(scans) -> None:
    ws, eob, decision, _truth = scans
    assert run("scan", eob, "-w", ws, "--create").returncode == 0
    [path] = _cases(ws)
    proposed = json.loads(run("scan", decision, "-w", ws, "--json").stdout)
    assert proposed["matches"] == [str(path.resolve())] and proposed["kind"] == "decision_letter"
    refused = run("scan", decision, "-w", ws, "--create")
    assert refused.returncode == 1 and "--add-to" in refused.stderr
    assert _cases(ws) == [path]
    added = run("scan", decision, "--add-to", path)
    assert added.returncode == 0, added.stderr
    kinds = [e["kind"] for e in json.loads(run("show", path, "--json").stdout)["evidence"]]
    assert kinds == ["remittance", "decision_letter"]


def test_usage_mistakes(scans) -> None:
    ws, eob, _decision, _truth = scans
    assert run("scan", eob, "-w", ws, "--record-decision").returncode == 2
    wrong = run("scan", eob, "-w", ws, "--create", "--field", "claim_nummer=1")
    assert wrong.returncode == 1 and "not a field of a scan" in wrong.stderr
    assert _cases(ws) == []


@pytest.mark.parametrize(("name", "make", "sentence"), [
    ("blank.png", lambda eob: blank_png(), "is blank"),
    ("locked.pdf", locked_pdf, "protected by a password"),
])
def test_bad_input_is_one_sentence_and_writes_nothing(scans, name, make, sentence) -> None:
    ws, eob, _decision, _truth = scans
    path = eob.parent / name
    path.write_bytes(make(eob.read_bytes()))
    result = run("scan", path, "-w", ws, "--create")
    assert result.returncode == 1 and sentence in result.stderr and "Traceback" not in result.stderr
    problems = [line for line in result.stderr.splitlines() if not line.startswith("read page")]
    assert len(problems) == 1
    assert _cases(ws) == []
