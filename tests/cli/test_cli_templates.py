"""`workstation templates` run in-process: every shipped letter template with its
metadata, and a workspace's own templates marked as the practice's."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from run_cli import run

LETTER_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "letters"


def listed(*args: str | Path) -> dict[str, dict]:
    result = run("templates", "--json", *args)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == len({row["id"] for row in rows})
    return {row["id"]: row for row in rows}


def shipped() -> dict[str, dict]:
    return {path.stem: tomllib.loads(path.with_suffix(".toml").read_text(encoding="utf-8"))
            for path in LETTER_TEMPLATES.glob("*.j2")}


def test_templates_json_lists_every_shipped_template_without_a_workspace():
    rows, ours = listed(), shipped()
    assert len(ours) >= 10
    assert set(rows) == set(ours)
    for template_id, meta in ours.items():
        row = rows[template_id]
        assert row["title"] == meta["title"]
        assert row["version"] == meta.get("version", 1)
        assert row["carcs"] == [str(code) for code in meta.get("carcs", [])]
        assert row["routes"] == meta.get("routes", [])
        assert row["payer_kinds"] == meta.get("payer_kinds", [])
        assert row["levels"] == meta.get("levels", [])
        assert row["required"] == meta.get("required", [])
        assert row["practice"] is False
    assert rows["coding_correction"]["required_for"]["97"] == ["fields.distinct_service_detail"]


PRACTICE_TEMPLATE = "# Clinical appeal for claim {{ claim.number }}\n\n{{ fields.clinical_summary }}\n"
PRACTICE_META = """title = "Clinical note appeal (Riverbend)"
version = 3
carcs = ["50"]
routes = ["appeal"]
payer_kinds = ["commercial"]
levels = [1]
required = ["claim.number", "fields.clinical_summary"]
"""


def practice_templates(workspace: Path) -> Path:
    folder = workspace / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "clinical_note.j2").write_text(PRACTICE_TEMPLATE, encoding="utf-8")
    (folder / "clinical_note.toml").write_text(PRACTICE_META, encoding="utf-8")
    return folder


def test_a_practice_template_is_listed_as_the_practice_s(demo_workspace: Path, monkeypatch: pytest.MonkeyPatch):
    practice_templates(demo_workspace)
    expected = {"id": "clinical_note", "title": "Clinical note appeal (Riverbend)", "version": 3, "carcs": ["50"],
                "routes": ["appeal"], "payer_kinds": ["commercial"], "levels": [1],
                "required": ["claim.number", "fields.clinical_summary"], "required_for": {}, "practice": True}
    rows = listed("-w", demo_workspace)
    assert rows["clinical_note"] == expected
    assert set(rows) == set(shipped()) | {"clinical_note"}
    assert not any(row["practice"] for template_id, row in rows.items() if template_id != "clinical_note")
    # -w defaults as the other commands do: here WORKSTATION_WORKSPACE
    with monkeypatch.context() as env:
        env.setenv("WORKSTATION_WORKSPACE", str(demo_workspace))
        assert listed()["clinical_note"] == expected

    text = run("templates", "-w", demo_workspace)
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    at = lines.index("clinical_note  v3  Clinical note appeal (Riverbend)  [the practice's own]")
    assert lines[at + 1] == "    fits: CARCs 50; routes appeal; payers commercial; levels 1"
    assert lines[at + 2] == "    needs: claim.number, fields.clinical_summary"
    general = shipped()["general_appeal"]
    assert f"general_appeal  v{general.get('version', 1)}  {general['title']}" in lines


def test_a_practice_template_replacing_ours_is_listed_once_as_the_practice_s(demo_workspace: Path):
    folder = practice_templates(demo_workspace)
    (folder / "general_appeal.j2").write_text(PRACTICE_TEMPLATE, encoding="utf-8")
    (folder / "general_appeal.toml").write_text('title = "Our general appeal"\n', encoding="utf-8")
    row = listed("-w", demo_workspace)["general_appeal"]
    assert row["title"] == "Our general appeal" and row["practice"] is True


def test_a_practice_template_that_cannot_be_read_is_named_and_the_rest_listed(demo_workspace: Path):
    folder = practice_templates(demo_workspace)
    (folder / "broken.j2").write_text("# Broken\n", encoding="utf-8")
    (folder / "broken.toml").write_text('title = "Broken\n', encoding="utf-8")
    result = run("templates", "--json", "-w", demo_workspace)
    assert result.returncode == 1
    ids = {row["id"] for row in json.loads(result.stdout)}
    assert "clinical_note" in ids and "broken" not in ids and "general_appeal" in ids
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    assert line.startswith("broken.j2: its metadata (broken.toml) cannot be read")


def test_a_folder_that_is_not_a_workspace_is_refused(tmp_path: Path):
    result = run("templates", "-w", tmp_path)
    assert result.returncode == 1
    assert "is not a workspace" in result.stderr and "Traceback" not in result.stderr
