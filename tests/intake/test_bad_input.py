"""Bad input: each file of the corpus in tests/data/bad835/ is refused with its one-line sentence
and writes nothing; a bad transaction does not take a good one down with it; big files stream.

The sentence each file must produce is in tests/data/bad835/expected.toml, beside the files.
"""

from __future__ import annotations

import tomllib
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.intake.era835 import Era835File, read_remittance
from workstation.ops.import_remittance import import_remittances
from workstation.ops.import_summary import ImportSummary

BAD = Path(__file__).resolve().parents[1] / "data" / "bad835"
EXPECTED: dict[str, dict] = tomllib.loads((BAD / "expected.toml").read_text(encoding="utf-8"))
NAMES = sorted(EXPECTED)

ISA = "ISA*00*          *00*          *ZZ*BADPAYER       *ZZ*BADPRACTICE    *260302*0800*^*00501*000000001*0*T*:"
GS = "GS*HP*BADPAYER*BADPRACTICE*20260302*0800*1*X*005010X221A1"


def payment(control: str, trace: str, *claims: list[str]) -> list[str]:
    """ST..SE: a header of 7 segments after ST, the claims, SE counting them all."""
    body = ["BPR*H*0*C*NON************20260303", f"TRN*1*{trace}*1999999999", "DTM*405*20260302",
            "N1*PR*DEMO MEDICARE CONTRACTOR", "REF*2U*99901", "N1*PE*RIVERBEND CLINIC*XX*1234567893", "LX*1"]
    for segments in claims:
        body += segments
    return [f"ST*835*{control}", *body, f"SE*{len(body) + 2}*{control}"]


def denied(account: str, paid: str = "0") -> list[str]:
    """A CO-50 denial of 100.00 (CLP04 as given): 5 segments."""
    return [f"CLP*{account}*4*100.00*{paid}**MB*ICN-{account}*11*1", f"NM1*QC*1*TESTPERSON*ALPHA****MI*M-{account}",
            "SVC*HC:99214*100.00*0**1", "DTM*472*20260210", "CAS*CO*50*100.00"]


def interchange(*transactions: list[str]) -> str:
    segments = [ISA, GS, *(s for t in transactions for s in t), f"GE*{len(transactions)}*1", "IEA*1*000000001"]
    return "".join(f"{s}~\n" for s in segments)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.create(tmp_path / "ws")
    try:
        yield workspace
    finally:
        workspace.close()


def nothing_written(ws: Workspace) -> None:
    assert list(ws.cases_dir.iterdir()) == []
    assert list(ws.root.rglob("*.partial")) == []
    assert ws.index.rows() == []


def one_line(summary: ImportSummary) -> str:
    (line,) = summary.error_lines()
    assert "\n" not in line and "Traceback" not in line
    return line


# ----------------------------------------------------------------------------------------------
# The corpus


def test_the_corpus_has_at_least_twenty_files_each_with_its_sentence() -> None:
    on_disk = sorted(p.name for p in BAD.iterdir() if p.name != "expected.toml")
    assert on_disk == NAMES
    assert len(NAMES) >= 20
    assert all(entry["fragment"].strip() for entry in EXPECTED.values())
    assert (BAD / "pdf-renamed.835").read_bytes().startswith(b"%PDF-1.4")
    assert (BAD / "utf16.835").read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert (BAD / "empty.835").stat().st_size == 0


@pytest.mark.parametrize("name", NAMES)
def test_reading_refuses_with_the_sentence(name: str) -> None:
    read = read_remittance(BAD / name)
    expected = EXPECTED[name]
    assert read.transactions == []
    (problem,) = read.problems  # one sentence for one defect
    assert problem.file == name
    assert expected["fragment"] in problem.message
    assert problem.segment == expected.get("segment")
    assert "\n" not in problem.message


@pytest.mark.parametrize("name", NAMES)
def test_importing_writes_nothing_and_says_why_in_one_line(ws: Workspace, name: str) -> None:
    summary = import_remittances(ws, [BAD / name], actor="tester")
    line = one_line(summary)
    assert line.startswith(f"{name}: ") or line.startswith(f"{name} ")
    assert line.count(name) == 1
    assert EXPECTED[name]["fragment"] in line
    segment = EXPECTED[name].get("segment")
    if segment is not None:
        assert line.startswith(f"{name}: segment {segment}, ")
    assert (summary.created, summary.updated) == (0, 0)
    nothing_written(ws)
    # Not remembered as imported: the same file is refused again, not skipped.
    again = import_remittances(ws, [BAD / name], actor="tester")
    assert again.already_imported == []
    assert again.error_lines() == summary.error_lines()


def test_the_example_sentence_of_the_issue(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "bad.835"
    path.write_bytes((BAD / "amount-not-a-number.835").read_bytes())
    summary = import_remittances(ws, [path], actor="tester")
    assert one_line(summary) == ("bad.835: segment 11, CLP: paid amount '12,5O' is not a number. "
                                 "Ask the sender for a corrected file.")


def test_a_folder_is_refused_in_a_sentence(ws: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "remits.835"
    folder.mkdir()
    line = one_line(import_remittances(ws, [folder], actor="tester"))
    assert line.startswith("remits.835: cannot be read")
    nothing_written(ws)


def test_a_missing_file_is_refused_in_a_sentence(ws: Workspace, tmp_path: Path) -> None:
    line = one_line(import_remittances(ws, [tmp_path / "gone.835"], actor="tester"))
    assert line.startswith("gone.835: cannot be read")
    assert "exists" in line
    nothing_written(ws)


def test_a_bad_file_does_not_stop_the_good_one_after_it(ws: Workspace, tmp_path: Path) -> None:
    good = tmp_path / "good.835"
    good.write_text(interchange(payment("0001", "GOOD-1", denied("G-1"))), encoding="ascii")
    summary = import_remittances(ws, [BAD / "truncated.835", good], actor="tester")
    assert [e.file for e in summary.errors] == ["truncated.835"]
    assert summary.created == 1 == len(list(ws.cases_dir.iterdir()))


# ----------------------------------------------------------------------------------------------
# Per-transaction atomicity


def test_good_transaction_imports_next_to_a_bad_one(ws: Workspace, tmp_path: Path) -> None:
    # Transaction 1 (ST is segment 3): ST + 7 header + 5 claim + SE = 14 segments, 3..16.
    # Transaction 2: ST 17, header 18..24, G-2's claim 25..29 (a good denial), then the bad claim's
    # CLP at segment 30. The whole of transaction 2 is refused, G-2 included.
    path = tmp_path / "mixed.835"
    path.write_text(interchange(payment("0001", "GOOD-1", denied("G-1")),
                                payment("0002", "BAD-2", denied("G-2"), denied("B-3", paid="12,5O"))),
                    encoding="ascii")
    summary = import_remittances(ws, [path], actor="tester")
    assert one_line(summary) == ("mixed.835: segment 30, CLP: paid amount '12,5O' is not a number. "
                                 "Ask the sender for a corrected file.")
    assert summary.created == 1
    (case_path,) = ws.cases_dir.iterdir()
    with CaseFile.open(case_path, read_only=True) as case_file:
        assert case_file.load().claim.account_number == "G-1"
    assert [row.account_number for row in ws.index.rows()] == ["G-1"]
    assert summary.claims == 1  # the refused transaction's claims are not counted as read
    # The corrected file later: transaction 1 is known (payer + TRN02), transaction 2 imports.
    fixed = tmp_path / "mixed-fixed.835"
    fixed.write_text(path.read_text(encoding="ascii").replace("12,5O", "0"), encoding="ascii")
    later = import_remittances(ws, [fixed], actor="tester")
    assert later.errors == []
    assert (later.unchanged, later.created) == (1, 2)  # G-1 unchanged; G-2 and B-3 new
    assert len(list(ws.cases_dir.iterdir())) == 3


def test_bad_transaction_first_does_not_stop_the_good_one(ws: Workspace, tmp_path: Path) -> None:
    # Transaction 1 (segments 3..16) has the bad SE count; transaction 2 (17..30) is good.
    bad = payment("0001", "BAD-1", denied("B-1"))
    bad[-1] = "SE*99*0001"
    path = tmp_path / "mixed.835"
    path.write_text(interchange(bad, payment("0002", "GOOD-2", denied("G-2"))), encoding="ascii")
    summary = import_remittances(ws, [path], actor="tester")
    line = one_line(summary)
    assert line.startswith("mixed.835: segment 16, SE: the transaction says it has 99 segments but it has 14")
    assert summary.created == 1


# ----------------------------------------------------------------------------------------------
# A big file streams


@pytest.mark.slow
def test_a_big_file_is_read_in_constant_memory(tmp_path: Path) -> None:
    """About 20 MB (a stand-in for the issue's 200 MB, which is not kept in the repository)."""
    path = tmp_path / "big.835"
    unit = "".join(f"{s}~\n" for s in payment("0001", "BIG", denied("A-1")))  # 14 segments, ~330 bytes
    count = 20_000_000 // len(unit)
    with path.open("w", encoding="ascii") as handle:
        handle.write(f"{ISA}~\n{GS}~\n")
        block = unit * 1000
        for _ in range(count // 1000):
            handle.write(block)
        handle.write(f"GE*{count // 1000 * 1000}*1~\nIEA*1*000000001~\n")
    size = path.stat().st_size
    assert size > 19_000_000
    reader = Era835File(path)
    read = 0
    tracemalloc.start()
    try:
        for _transaction in reader.transactions():
            read += 1
            if read == count // 4000 * 1000:  # a quarter of the way in
                _current, early_peak = tracemalloc.get_traced_memory()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reader.result.problems == []
    assert read == count // 1000 * 1000
    # Streaming: a fixed working set (about ten times the 1 MB read chunk), the same after a
    # quarter of the file as at the end. Holding the file (bytes + text) would take twice its size.
    assert peak < early_peak * 1.25
    assert peak < size * 0.75
