"""The official X12 list a user imports is shown beside our own words, never instead of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from workstation.core.errors import UserError
from workstation.ops.explain import explain_code
from workstation.ops.official_codes import import_official_codes, load_official, official_wording


def test_imported_wording_appears_beside_ours(tmp_path: Path) -> None:
    source = tmp_path / "x12.csv"
    source.write_text('Code,Description\n253,"Official text, two words."\nN130,Remark text\nMA130,Other\n'
                      "junk!,ignored\n", encoding="utf-8")
    assert import_official_codes(source) == 3
    assert official_wording("253") == "Official text, two words."
    assert set(load_official()["rarc"]) == {"N130", "MA130"}
    explained = explain_code("CO-253")
    assert explained.startswith("CO-253: Sequestration")  # our words first
    assert "X12 wording (your imported list): Official text, two words." in explained


def test_a_headerless_two_column_file_is_read_too(tmp_path: Path) -> None:
    source = tmp_path / "plain.csv"
    source.write_text("50,Plain wording\n", encoding="utf-8")
    assert import_official_codes(source) == 1 and official_wording("50") == "Plain wording"


def test_a_file_without_codes_is_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    source = tmp_path / "empty.csv"
    source.write_text("name,colour\nx,y\n", encoding="utf-8")
    with pytest.raises(UserError, match="holds no codes"):
        import_official_codes(source)
    assert official_wording("x") == "" and load_official() == {"carc": {}, "rarc": {}}
