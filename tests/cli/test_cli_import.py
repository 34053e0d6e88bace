"""`workstation import`, `explain` and `validate` as a user runs them (in-process), on real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from run_cli import run

from workstation.casefile.workspace import Workspace

DATA = Path(__file__).resolve().parents[1] / "data"
ERA, BAD = DATA / "era", DATA / "bad835"
SUMMARY_KEYS = {"claims", "created", "updated", "unchanged", "not_appealable", "sequestration_total", "plb_total",
                "errors"}


def problems(stderr: str) -> list[str]:
    """stderr without the progress lines ("imported 1 of 2 files")."""
    assert "Traceback" not in stderr
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith("imported ")]


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    Workspace.create(root).close()
    return root


def cases(ws: Path) -> list[Path]:
    return sorted((ws / "cases").iterdir())


def copy(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_bytes())
    return target


def test_import_json_summary_of_good_files(ws: Path) -> None:
    result = run("import", "-w", ws, ERA / "lfh-demo.835", ERA / "pyx12-835_mult_loops.835", "--json")
    assert result.returncode == 0, result.stderr
    assert problems(result.stderr) == []
    summary = json.loads(result.stdout)
    assert set(summary) >= SUMMARY_KEYS
    # lfh-demo: two claims, CO-45 write-offs only; pyx12: one denied claim -> one case.
    assert (summary["claims"], summary["created"], summary["updated"], summary["unchanged"]) == (3, 1, 0, 0)
    assert summary["errors"] == []
    assert summary["sequestration_total"] == "0.00"
    assert summary["plb_total"] == "-1.27"  # PLB*...*CV:CP*-1.27 in lfh-demo
    # CO-45 73348.57 + 3019.67 = 76368.24 on two claims
    (co45,) = summary["not_appealable"]
    assert (co45["code"], co45["claims"], co45["amount"]) == ("CO-45", 2, "76368.24")
    assert co45["description"]
    assert len(cases(ws)) == 1


def test_import_twice_says_already_imported(ws: Path) -> None:
    assert run("import", "-w", ws, ERA / "pyx12-835_mult_loops.835").returncode == 0
    again = run("import", "-w", ws, ERA / "pyx12-835_mult_loops.835", "--json")
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert summary["created"] == 0
    assert summary["already_imported"] == ["pyx12-835_mult_loops.835"]
    assert len(cases(ws)) == 1


def test_sequestration_total_is_a_decimal_string(ws: Path, tmp_path: Path) -> None:
    # Billed 100.00: CO-45 20.00, PR-2 16.00, CO-253 1.28 (2% of 64.00), paid 62.72.
    segments = [
        "ISA*00*          *00*          *ZZ*DEMOPAYER      *ZZ*DEMOPRACTICE   *260302*0800*^*00501*000000001*0*T*:",
        "GS*HP*DEMOPAYER*DEMOPRACTICE*20260302*0800*1*X*005010X221A1", "ST*835*0001",
        "BPR*I*62.72*C*CHK************20260303", "TRN*1*SEQ-1*1999999999", "DTM*405*20260302",
        "N1*PR*DEMO MEDICARE CONTRACTOR", "REF*2U*99901", "N1*PE*RIVERBEND CLINIC*XX*1234567893", "LX*1",
        "CLP*S-1*1*100.00*62.72*16.00*MB*ICN-S1*11*1", "NM1*QC*1*TESTPERSON*ALPHA****MI*MBI-1",
        "SVC*HC:99213*100.00*62.72**1", "DTM*472*20260210", "CAS*CO*45*20.00**253*1.28", "CAS*PR*2*16.00",
        "SE*15*0001", "GE*1*1", "IEA*1*000000001"]
    path = tmp_path / "seq.835"
    path.write_text("".join(f"{s}~\n" for s in segments), encoding="ascii")
    result = run("import", "-w", ws, path, "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["claims"], summary["created"]) == (1, 0)
    assert summary["sequestration_total"] == "1.28"
    assert summary["plb_total"] == "0.00"
    assert cases(ws) == []


def test_a_refused_file_exits_1_with_its_sentence_and_the_good_file_still_imports(ws: Path, tmp_path: Path) -> None:
    bad = copy(BAD / "amount-not-a-number.835", tmp_path / "bad.835")
    result = run("import", "-w", ws, bad, ERA / "pyx12-835_mult_loops.835", "--json")
    assert result.returncode == 1
    refusal = ("CLP: paid amount '12,5O' is not a number; claim A-1 (segment 11) was not imported, the other "
               "claims were. Ask the sender for a corrected file.")
    assert problems(result.stderr) == [f"bad.835: segment 11, {refusal}"]
    summary = json.loads(result.stdout)
    assert summary["errors"] == [{"file": "bad.835", "segment": 11, "message": refusal}]
    assert summary["created"] == 1 == len(cases(ws))


@pytest.mark.parametrize("name", ["empty.835", "pdf-renamed.835", "utf16.835", "isa-letter-terminator.835",
                                  "claims-837.835"])
def test_a_refused_whole_file_exits_1_with_one_line(ws: Path, name: str) -> None:
    result = run("import", "-w", ws, BAD / name)
    assert result.returncode == 1
    (line,) = problems(result.stderr)
    assert line.startswith(name) and line.count(name) == 1
    assert cases(ws) == []


def test_the_envelope_less_sample_with_a_wrong_count_imports_with_a_note(ws: Path) -> None:
    result = run("import", "-w", ws, ERA / "kei-bcnc.835", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["errors"], summary["claims"], summary["created"]) == ([], 1, 0)
    assert [n for n in summary["notes"]
            if n.startswith("kei-bcnc.835: segment 32, SE: the transaction says it has 33 segments but it has 32")]


def test_a_file_missing_only_its_final_terminator_exits_0(ws: Path, tmp_path: Path) -> None:
    """Issue 9, point 7: it imported fully, so it must not say to ask the sender again."""
    cut = tmp_path / "noend.835"
    cut.write_bytes((ERA / "pyx12-835_mult_loops.835").read_bytes().rstrip(b"\r\n").rstrip(b"~"))
    result = run("import", "-w", ws, cut)
    assert result.returncode == 0, result.stderr
    assert "ask the sender" not in (result.stdout + result.stderr).lower()
    assert len(cases(ws)) == 1


def test_a_missing_file_exits_1_without_traceback(ws: Path, tmp_path: Path) -> None:
    result = run("import", "-w", ws, tmp_path / "nowhere.835")
    assert result.returncode == 1
    (line,) = problems(result.stderr)
    assert line.startswith("nowhere.835: cannot be read")


def test_import_text_summary_without_json(ws: Path) -> None:
    result = run("import", "-w", ws, ERA / "kei-emedny.835")
    assert result.returncode == 0, result.stderr
    # 3 claims: one paid in full, a CO-29 denial and a CO-251 (attachment) denial -> 2 cases.
    assert "3 claims read: 2 cases created" in result.stdout
    assert len(cases(ws)) == 2


def test_a_warning_is_not_a_refusal(ws: Path) -> None:
    # lfh-managed-care.835: BPR16 20002316 is no date; the notice date comes from DTM*405 instead.
    result = run("import", "-w", ws, ERA / "lfh-managed-care.835")
    assert result.returncode == 0, result.stderr
    assert problems(result.stderr) == []
    assert "lfh-managed-care.835: segment 4, BPR: payment date '20002316' is not a date" in result.stdout


def test_explain_co_253_says_sequestration_and_not_appealable() -> None:
    result = run("explain", "CO-253", "50", "N130")
    assert result.returncode == 0, result.stderr
    blocks = [b for b in result.stdout.split("\n\n") if b.strip()]
    assert len(blocks) == 3
    co253, carc50, n130 = blocks
    assert co253.startswith("CO-253:")
    assert "sequestration" in co253.lower()
    assert "not covered" not in co253.lower()
    assert "appealable: no" in co253
    assert "opens no case" in co253
    assert carc50.startswith("CARC 50:") and "appealable: yes" in carc50 and "route: appeal" in carc50
    assert n130.startswith("N130: remark code")


def test_explain_retired_remark_n14() -> None:
    result = run("explain", "N14")
    assert result.returncode == 0
    assert "retired" in result.stdout


def test_validate_accepts_the_pyx12_sample() -> None:
    result = run("validate", ERA / "pyx12-835_mult_loops.835")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("pyx12-835_mult_loops.835: valid")


def test_validate_names_what_is_wrong_in_a_malformed_sample() -> None:
    # The managed-care sample's BPR16 is 20002316 (month 23).
    result = run("validate", ERA / "lfh-managed-care.835")
    assert result.returncode == 1
    assert "NOT valid" in result.stdout
    assert "20002316" in result.stdout


def test_validate_reads_a_utf8_file_with_a_byte_order_mark_as_import_does(tmp_path: Path) -> None:
    """Issue 9, point 7: a BOM is not 'binary or UTF-16'; the same file imports."""
    bom = tmp_path / "bom.835"
    bom.write_bytes(b"\xef\xbb\xbf" + (ERA / "pyx12-835_mult_loops.835").read_bytes())
    result = run("validate", bom)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "binary" not in result.stdout + result.stderr


def test_validate_says_what_a_utf16_file_is(tmp_path: Path) -> None:
    result = run("validate", BAD / "utf16.835")
    assert result.returncode == 1
    assert "is not plain text (it is UTF-16 or binary)" in result.stdout + result.stderr


def test_an_unbalanced_claim_is_in_the_import_json_and_on_its_case(ws: Path, tmp_path: Path) -> None:
    """Issue 9, point 4, as a script sees it: `unbalanced` in the summary, `warnings` in `show --json`."""
    text = (BAD / "amount-not-a-number.835").read_text(encoding="ascii")
    # CLP*A-1*4*100.00*0 with CAS*CO*50*100.00 on its line, plus the same CAS again at claim level.
    doubled = text.replace("CLP*A-1*4*100.00*12,5O", "CLP*A-1*4*100.00*0").replace(
        "NM1*QC*1*TESTPERSON*ALPHA****MI*MBI-1~", "NM1*QC*1*TESTPERSON*ALPHA****MI*MBI-1~\nCAS*CO*50*100.00~")
    doubled = doubled.replace("SE*14*0001", "SE*15*0001")
    path = tmp_path / "doubled.835"
    path.write_text(doubled, encoding="ascii")
    result = run("import", "-w", ws, path, "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["unbalanced"] == [{"file": "doubled.835", "claim_number": "ICN-1", "account_number": "A-1",
                                      "billed": "100.00", "paid": "0.00", "adjusted": "200.00"}]
    assert summary["ambiguous"] == []
    shown = json.loads(run("show", cases(ws)[0], "--json").stdout)
    assert shown["amount_at_stake"] == shown["opened_amount"] == "100.00"
    assert len(shown["warnings"]) == 1 and "does not balance" in shown["warnings"][0]
    assert "Check the remittance: The remittance does not balance" in run("show", cases(ws)[0]).stdout
