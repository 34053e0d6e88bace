"""One bad value must not take a workspace down (issue 12.4), for the payer directory of
workspace.sqlite: an entry holding a value the program never writes (a kind it does not know,
broken JSON, a ladder that is not one) is left out of the directory with a warning in the log that
names its row, never its values; the other entries are read as before, and `check` names it."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from workstation.casefile.schema_check import workspace_problems
from workstation.casefile.workspace import Workspace, forget_left_out_payers, left_out_payer_rows
from workstation.core.model import Address
from workstation.core.vocabulary import PayerKind
from workstation.core.workspace_model import PayerEntry

#: (column, the value written behind the program's back)
BAD_PAYER_VALUES = [
    ("kind", "bogus"),
    ("payer_ids", "{not json"),
    ("payer_ids", "[12345]"),  # a list, but not of payer IDs (text)
    ("ladder", '{"levels": "none"}'),
    ("ladder", "[1, 2]"),
    ("ladder", "[" * 100_000),  # nested past Python's recursion limit
    ("payer_ids", "[" * 100_000),
]
IDS = [f"{column}={value[:10]}" for column, value in BAD_PAYER_VALUES]


@pytest.fixture
def three_payers(tmp_path: Path) -> Iterator[Path]:
    """A workspace with three sound directory entries."""
    root = tmp_path / "ws"
    with Workspace.create(root) as workspace:
        for name, kind, payer_id in (("Acme Health", PayerKind.COMMERCIAL, "11111"),
                                     ("Blue Payer", PayerKind.MEDICAID, "22222"),
                                     ("Cedar Medicare", PayerKind.MEDICARE, "33333")):
            workspace.add_payer(PayerEntry(name, kind, [payer_id], Address("1 Main St", "", "Town", "OH", "44101")))
    forget_left_out_payers()
    yield root
    forget_left_out_payers()


def spoil(root: Path, column: str, value: str, *, name: str = "Blue Payer") -> int:
    """Write a value into one entry behind the program's back; returns its row id."""
    with contextlib.closing(sqlite3.connect(root / "workspace.sqlite", isolation_level=None)) as conn:
        conn.execute(f"UPDATE payers SET {column} = ? WHERE name = ?", (value, name))
        return conn.execute("SELECT id FROM payers WHERE name = ?", (name,)).fetchone()[0]


@pytest.mark.parametrize(("column", "value"), BAD_PAYER_VALUES, ids=IDS)
def test_an_unreadable_entry_is_left_out_and_the_others_are_read(three_payers, column, value, caplog) -> None:
    row = spoil(three_payers, column, value)
    with caplog.at_level(logging.WARNING), Workspace.open(three_payers) as workspace:
        payers = workspace.payers()
        again = workspace.payers()
        problems = workspace_problems(workspace.conn)
    assert [p.name for p in payers] == ["Acme Health", "Cedar Medicare"] == [p.name for p in again]
    assert left_out_payer_rows() == {three_payers.resolve(): [row]}
    (warning,) = [r.getMessage() for r in caplog.records if "left out" in r.getMessage()]  # once, not per read
    assert f"payers, row {row}:" in warning and column in warning
    assert value not in warning and "Blue Payer" not in warning and "22222" not in warning
    assert any(f"payers, row {row}" in problem for problem in problems)  # `check` names the same row


def test_the_remittance_of_a_left_out_payer_adds_no_second_entry(three_payers) -> None:
    """Its cases are read with a guessed kind (the directory's entry could not be read), and the
    entry is not added again: once the bad row is mended, the directory holds one entry for it."""
    spoil(three_payers, "kind", "bogus")
    with Workspace.open(three_payers) as workspace:
        assert workspace.find_payer("22222", "") is None
        assert workspace.payer_left_out("22222", "")
        assert workspace.payer_left_out("", " blue payer ")
        assert not workspace.payer_left_out("99999", "Someone Else")
