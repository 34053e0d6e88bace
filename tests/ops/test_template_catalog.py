"""The template catalog is read once and again only when the practice's templates folder changes;
a letter's setting can reuse a workspace the caller holds open (issue 11, the design step)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.practice_fixtures import SAMPLE_PRACTICE, case_in_workspace
from workstation.casefile.workspace import Workspace
from workstation.ops.letters import letter_setting, template_catalog

META = 'title = "{title}"\nversion = 1\nroutes = ["appeal"]\nrequired = []\n'


def _write_template(folder: Path, name: str, title: str) -> None:
    (folder / f"{name}.j2").write_text("# {{ claim.number }}\n\nDear Appeals Reviewer:\n", encoding="utf-8")
    (folder / f"{name}.toml").write_text(META.format(title=title), encoding="utf-8")


def test_the_catalog_is_reused_while_nothing_changed(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    first = template_catalog(folder)
    assert template_catalog(folder) is first
    assert "general_appeal" in first.templates


def test_a_template_added_or_edited_in_place_is_seen(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    template_catalog(folder)
    _write_template(folder, "our_letter", "Our own letter")
    assert template_catalog(folder).get("our_letter").title == "Our own letter"
    meta = folder / "our_letter.toml"
    before = meta.stat().st_mtime_ns
    meta.write_text(META.format(title="Our letter, reworded"), encoding="utf-8")
    os.utime(meta, ns=(before + 10**9, before + 10**9))  # a coarse clock must still see the edit
    assert template_catalog(folder).get("our_letter").title == "Our letter, reworded"


def test_a_setting_from_an_open_workspace_matches_the_one_that_opens_it(tmp_path: Path, make_case) -> None:
    case = make_case()
    path = case_in_workspace(tmp_path, case)
    with Workspace.open(tmp_path / "ws", backup=False) as workspace:
        held = letter_setting(path, case, workspace=workspace)
    opened = letter_setting(path, case)
    assert held.practice == opened.practice == SAMPLE_PRACTICE
    assert held.deadline == opened.deadline and held.ladder == opened.ladder
    assert held.catalog is opened.catalog  # the same folder, unchanged: one read
