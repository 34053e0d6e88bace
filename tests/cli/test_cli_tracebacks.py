"""The tracebacks and hangs issue 12 (points 7, 8 and 10) found, each now one sentence (or, for
the index, no problem at all), run as a script runs them: index.sqlite on a full disk, `attach`
to a case missing a table, a demographics CSV with a short row, a `--map` file with `columns = 5`,
a practice template using `|format`, a 100,000-character `--title` or `--field`. Where the fix
belongs to code another part of the work owns, the test is marked xfail (strict) with the place."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import resource
import signal
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from run_cli import Result, run

from tests.hostile_files import compression_bomb
from tests.review.review_docs import write_pdf
from workstation.casefile.case_file import CaseFile
from workstation.core.vocabulary import EvidenceKind


def one_sentence(result: Result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1 and len(lines) == 1 and "Traceback" not in result.stderr, result
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def appeal_case(workspace: Path) -> Path:
    """A commercial demo case denied CO-50, routed to a first-level appeal (no decision yet).

    The demo's case ids carry the month, so the order of its cases changes with the date; the
    first CO-50 case by name may be a Medicare case at level 2, which takes another letter.
    """
    rows = json.loads(run("cases", "-w", workspace, "--json").stdout)
    for row in rows:
        if row["route"] != "appeal" or row["reasons"] != ["CO-50"]:
            continue
        shown = json.loads(run("show", row["path"], "--json").stdout)
        if shown["payer"]["kind"] == "commercial" and not shown["decisions"]:
            return Path(row["path"])
    raise AssertionError("the demo has no commercial CO-50 case at its first level")


def drop_table(case: Path, table: str) -> None:
    with contextlib.closing(sqlite3.connect(case)) as conn, conn:
        conn.execute(f"DROP TABLE {table}")


@contextlib.contextmanager
def disk_fills_after(limit: int) -> Iterator[None]:
    """Every write past `limit` bytes of any file fails as on a full disk (EFBIG), as tests/casefile do."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


# -- the index on a full disk -------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs POSIX file-size limits")
def test_the_worklist_works_when_the_index_cannot_be_written(todays_demo: Path) -> None:
    (todays_demo / "index.sqlite").unlink()
    expected = run("cases", "-w", todays_demo).stdout
    (todays_demo / "index.sqlite").unlink()
    with disk_fills_after(2048):  # the index's first page does not fit
        listed = run("cases", "-w", todays_demo)
        deadlines = run("deadlines", "-w", todays_demo, "--json")
    assert listed.returncode == 0 and listed.stdout == expected, listed.stderr
    assert re.fullmatch(r"\d+ cases", listed.stderr.strip()), listed.stderr  # no warning, no traceback
    assert deadlines.returncode == 0 and len(json.loads(deadlines.stdout)) > 0, deadlines.stderr
    assert run("cases", "-w", todays_demo).stdout == expected  # room again: the index is rebuilt


# -- attach and packet on a damaged case file -----------------------------------------------------


def test_attach_to_a_case_missing_its_evidence_table_is_one_sentence(todays_demo: Path, tmp_path: Path) -> None:
    case = appeal_case(todays_demo)
    drop_table(case, "evidence")
    before = digest(case)
    sentence = one_sentence(run("attach", case, write_pdf(tmp_path / "notes.pdf", "notes")))
    assert sentence.startswith(f"{case.name} is damaged, so nothing was attached to it")
    assert digest(case) == before


@pytest.mark.parametrize("command", ["letter", "packet"])
def test_letter_and_packet_of_a_case_missing_its_letters_table_are_one_sentence(todays_demo: Path, tmp_path: Path,
                                                                                command: str) -> None:
    case = appeal_case(todays_demo)
    drop_table(case, "letters")
    sentence = one_sentence(run(command, case, "-o", tmp_path / "out.pdf"))
    assert sentence.startswith(f"{case.name} is damaged")
    assert not (tmp_path / "out.pdf").exists()


def test_a_packet_with_a_compression_bomb_attached_before_the_checks_is_one_sentence(todays_demo: Path,
                                                                                     tmp_path: Path) -> None:
    """Attached by an earlier version (attach refuses it now): the packet names it and builds nothing."""
    case = appeal_case(todays_demo)
    bomb = tmp_path / "records.pdf"
    bomb.write_bytes(compression_bomb(pages=1, unpacked=80 << 20))
    with CaseFile.open(case) as case_file:
        case_file.evidence.add(bomb, title="Records", kind=EvidenceKind.MEDICAL_RECORDS, media_type="application/pdf",
                               sha256=digest(bomb), size=bomb.stat().st_size, actor="dana")
    sentence = one_sentence(run("packet", case, "-o", tmp_path / "packet.pdf"))
    assert "Records" in sentence and not (tmp_path / "packet.pdf").exists()


def test_attaching_a_compression_bomb_is_refused(todays_demo: Path, tmp_path: Path) -> None:
    case = appeal_case(todays_demo)
    bomb = tmp_path / "records.pdf"
    bomb.write_bytes(compression_bomb(pages=1, unpacked=80 << 20))
    before = digest(case)
    assert one_sentence(run("attach", case, bomb)).startswith("records.pdf unpacks to more than")
    assert digest(case) == before


# -- lengths bounded where they enter ---------------------------------------------------------------


def test_a_hundred_thousand_character_title_is_refused_at_once(todays_demo: Path, tmp_path: Path) -> None:
    case = appeal_case(todays_demo)
    before = digest(case)
    result = run("attach", case, write_pdf(tmp_path / "notes.pdf", "notes"), "--title", "T" * 100_000)
    assert one_sentence(result).startswith("A document's title may have at most 200 characters")
    assert digest(case) == before


def test_a_hundred_thousand_character_field_is_refused_at_once(todays_demo: Path, tmp_path: Path) -> None:
    case = appeal_case(todays_demo)
    result = run("letter", case, "-o", tmp_path / "letter.pdf", "--field", f"additional_argument={'word ' * 20_000}")
    assert one_sentence(result) == ("--field additional_argument has 100,000 characters; a letter field may have at "
                                    "most 20,000. Shorten it; nothing was written.")
    assert not (tmp_path / "letter.pdf").exists()


# -- files the practice gives -----------------------------------------------------------------------


def test_a_demographics_csv_with_a_short_row_is_one_sentence(todays_demo: Path, tmp_path: Path) -> None:
    csv = tmp_path / "from-ehr.csv"
    csv.write_text("account_number,date_of_birth,group_number\nRB100000,1990-01-01\n", encoding="utf-8")
    sentence = one_sentence(run("demographics", csv, "-w", todays_demo))
    assert sentence.startswith("from-ehr.csv, row 2: it has 2 cells where the header has 3 columns")


@pytest.mark.parametrize(("mapping", "says"), [
    ("columns = 5\n", "has 'columns = 5' where it needs a [columns] table"),
    ("columns = [1, 2]\n", "has 'columns = [1, 2]' where it needs a [columns] table"),
    ("[columns]\nclaim_number = 5\n", "gives claim_number as 5; write the column's name"),
    ('[columns]\nclaim_number = ""\n', "gives claim_number as ''; write the column's name"),
    ("a = " + "[" * 2000 + "\n", "nests lists or tables too deep to read"),  # RecursionError in tomllib
    ("a = " + "{b = " * 2000 + "\n", "nests lists or tables too deep to read"),
])
def test_a_mapping_file_of_the_wrong_shape_is_one_sentence(todays_demo: Path, tmp_path: Path, mapping: str,
                                                           says: str) -> None:
    (tmp_path / "layout.toml").write_text(mapping, encoding="utf-8")
    (tmp_path / "denials.csv").write_text("Claim #,Patient Name\n1,X\n", encoding="utf-8")
    before = sorted(p.name for p in (todays_demo / "cases").iterdir())
    result = run("import", tmp_path / "denials.csv", "-w", todays_demo, "--map", tmp_path / "layout.toml")
    sentence = one_sentence(result)
    assert sentence.startswith("The mapping file layout.toml ") and says in sentence
    assert sorted(p.name for p in (todays_demo / "cases").iterdir()) == before


def test_a_mapping_file_that_is_not_text_is_one_sentence(todays_demo: Path, tmp_path: Path) -> None:
    (tmp_path / "layout.toml").write_bytes(b'claim_number = "\xff"\n')
    (tmp_path / "denials.csv").write_text("Claim #,Patient Name\n1,X\n", encoding="utf-8")
    result = run("import", tmp_path / "denials.csv", "-w", todays_demo, "--map", tmp_path / "layout.toml")
    assert one_sentence(result) == ("The mapping file layout.toml is not UTF-8 text; save it as UTF-8 (plain text) "
                                    "and try again.")


def test_a_practice_template_using_format_wrongly_is_one_sentence(todays_demo: Path, tmp_path: Path) -> None:
    templates = todays_demo / "templates"
    (templates / "our_appeal.j2").write_text('# Appeal\n\nDear Reviewer:\n\n{{ "%s %s"|format(claim.number) }}\n',
                                             encoding="utf-8")
    (templates / "our_appeal.toml").write_text('title = "Our appeal"\nroutes = ["appeal"]\n', encoding="utf-8")
    result = run("letter", appeal_case(todays_demo), "-o", tmp_path / "letter.pdf", "--template", "our_appeal")
    assert one_sentence(result) == ("Line 5 of the letter template our_appeal.j2 cannot be used: not enough arguments "
                                    "for format string; fix the template file.")
