"""Issue 12.10: `attach` refuses a case file that `check` calls damaged, with check's words, and
writes nothing into it, whichever of check's findings it is: a table or its migrations' record
missing, a value of the wrong kind. The window's attach (ops.evidence.attach_one) refuses the same."""

from __future__ import annotations

import contextlib
import hashlib
import re
import sqlite3
from pathlib import Path

import pytest
from run_cli import run

from tests.review.review_docs import write_pdf
from workstation.casefile.case_file import CaseFile
from workstation.core.errors import UserError
from workstation.core.vocabulary import EvidenceKind
from workstation.ops.evidence import attach_one

DAMAGE = {
    "no packets": "DROP TABLE packets",
    "no letters": "DROP TABLE letters",
    "no letter_draft": "DROP TABLE letter_draft",
    "no packet_options": "DROP TABLE packet_options",
    "no migrations": "DROP TABLE _sqlite_migrations",
    "letter dated notadate": "UPDATE letters SET created_at = 'notadate'",
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def case_with_a_letter(workspace: Path) -> Path:
    """A demo case that holds a saved letter (so a letter's row can hold a bad value)."""
    for path in sorted((workspace / "cases").glob("*.appeal")):
        with contextlib.closing(sqlite3.connect(path)) as conn:
            if conn.execute("SELECT count(*) FROM letters").fetchone()[0]:
                return path
    raise AssertionError("the demo has no case with a saved letter")


def spoil(case: Path, statement: str) -> None:
    with contextlib.closing(sqlite3.connect(case)) as conn, conn:
        conn.execute(statement)


def checks_words(case: Path) -> str:
    """What `workstation check` says is wrong with the file: the words in its parentheses."""
    result = run("check", case)
    assert result.returncode == 1, result
    found = re.fullmatch(rf"{re.escape(case.name)}: damaged \((.+)\)", result.stderr.strip())
    assert found, result.stderr
    return found.group(1)


@pytest.mark.parametrize("statement", DAMAGE.values(), ids=DAMAGE.keys())
def test_attach_refuses_what_check_calls_damaged_with_checks_words(demo_workspace: Path, tmp_path: Path,
                                                                  statement: str) -> None:
    case = case_with_a_letter(demo_workspace)
    spoil(case, statement)
    words = checks_words(case)
    before = digest(case)
    result = run("attach", case, write_pdf(tmp_path / "notes.pdf", "notes"))
    assert result.returncode == 1 and result.stdout == "" and "Traceback" not in result.stderr, result
    (sentence,) = result.stderr.strip().splitlines()
    assert sentence.startswith(f"{case.name} is damaged, so nothing was attached to it ({words})")
    assert digest(case) == before


def test_the_windows_attach_refuses_it_too(demo_workspace: Path, tmp_path: Path) -> None:
    case = case_with_a_letter(demo_workspace)
    spoil(case, DAMAGE["no packets"])
    words = checks_words(case)
    document = write_pdf(tmp_path / "notes.pdf", "notes")
    before = digest(case)
    with CaseFile.open(case) as case_file, pytest.raises(UserError) as refused:
        attach_one(case_file, document, actor="lee", kind=EvidenceKind.OTHER, title=None, document_date=None,
                   limit=10_000_000)
    assert words in str(refused.value)
    assert digest(case) == before


def test_a_sound_case_is_attached_to(demo_workspace: Path, tmp_path: Path) -> None:
    case = case_with_a_letter(demo_workspace)
    result = run("attach", case, write_pdf(tmp_path / "notes.pdf", "notes"))
    assert result.returncode == 0 and result.stdout == "attached notes.pdf\n", result
