"""WorkspaceSettings: the one reader of the settings table's text, and its one writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from workstation.casefile.workspace import Workspace
from workstation.core.settings import SPECS, WorkspaceSettings
from workstation.ops.settings import save_settings


@pytest.mark.parametrize(("stored", "expected"), [
    ("14", 14), ("nonsense", 10), ("", 10), ("-3", 0), ("90", 60), ("12.7", 12), ("nan", 10), ("inf", 10),
])
def test_the_mailing_buffer_is_read_with_its_range(stored: str, expected: int) -> None:
    assert WorkspaceSettings.from_stored({"mailing_buffer_days": stored}).mailing_buffer_days == expected


@pytest.mark.parametrize(("stored", "expected"), [("1", 1), ("0", 100), ("-3", 100), ("lots", 100), ("5000", 2000)])
def test_an_attachment_limit_below_one_megabyte_means_the_default(stored: str, expected: int) -> None:
    settings = WorkspaceSettings.from_stored({"max_attachment_mb": stored})
    assert settings.max_attachment_mb == expected
    assert settings.attachment_limit_bytes == expected * 1024 * 1024


def test_every_setting_has_words_and_a_range_that_holds_its_default() -> None:
    defaults = WorkspaceSettings()
    assert set(SPECS) == set(defaults.stored())
    for key, spec in SPECS.items():
        assert spec.label and spec.low <= getattr(defaults, key) <= spec.high


def test_saved_settings_read_back_and_other_keys_are_left_alone(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "ws") as workspace:
        workspace.set_setting("theme", "dark")
        chosen = WorkspaceSettings().with_values(mailing_buffer_days=21, portal_max_files=3)
        changes = save_settings(workspace, chosen)
        assert changes.workspace and changes.worklist
        assert save_settings(workspace, chosen).nothing  # saving the same again changes nothing
    with Workspace.open(tmp_path / "ws") as reopened:
        assert reopened.settings() == chosen
        assert reopened.setting("theme") == "dark"


def test_with_values_keeps_each_value_inside_its_range() -> None:
    assert WorkspaceSettings().with_values(mailing_buffer_days=500).mailing_buffer_days == 60
