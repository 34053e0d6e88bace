"""CSV import figures: a generated 50,000-row denials spreadsheet (claims of 5 lines, a quarter denied)."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench_import import _PEAK, _run

from workstation.casefile.workspace import Workspace

ROWS = int(os.environ.get("BENCH_CSV_ROWS", "50000"))
LINES_PER_CLAIM = 5

_HEADER = ("Claim #,Patient Name,DOB,Member ID,Insurance,DOS,CPT,Modifier,Charges,Paid,Denial Code,Remark,"
           "EOB Date,Account\n")
_NAMES = ("NÚÑEZ, ZOË", "SAMPLE, ANA", "O'MOCK, AL", "TESTER, BO")
_PROCEDURES = ("99213", "99214", "93000", "36415", "80053")

_READ = """
import sys, time
from pathlib import Path
from workstation.intake.csv_denials import read_csv_denials
start = time.perf_counter()
transactions, problems = read_csv_denials(Path(sys.argv[1]))
print(time.perf_counter() - start, peak_kb(), sum(len(t.claims) for t in transactions), len(problems))
"""

_IMPORT = """
import sys, time
from pathlib import Path
from workstation.casefile.workspace import Workspace
from workstation.ops.import_remittance import import_remittances
start = time.perf_counter()
with Workspace.open(Path(sys.argv[1])) as ws:
    s = import_remittances(ws, [Path(sys.argv[2])], actor="bench")
print(time.perf_counter() - start, peak_kb(), s.claims, s.created, len(s.errors))
"""


def generate_csv(rows: int) -> str:
    """`rows` synthetic rows (no real data): every fourth claim denied CO-50, the others paid less CO-45."""
    out = [_HEADER]
    for i in range(rows):
        c = i // LINES_PER_CLAIM
        code, paid = ("CO-50", "0") if c % 4 == 0 else ("CO-45", "100.00")
        out.append(f'ICN{c:07d},"{_NAMES[c % len(_NAMES)]}",1950-{1 + c % 12:02d}-{1 + c % 28:02d},M{c:07d},'
                   f"Bench Payer {c % 5},{1 + c % 12:02d}/{1 + c % 28:02d}/2026,{_PROCEDURES[i % 5]},,128.00,{paid},"
                   f"{code},{'N115' if code == 'CO-50' else ''},{1 + c % 12:02d}/28/2026,A{c:07d}\n")
    return "".join(out)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        small, big = Path(tmp) / "small.csv", Path(tmp) / "big.csv"
        small.write_text(generate_csv(ROWS // 10), encoding="utf-8")
        big.write_text(generate_csv(ROWS), encoding="utf-8")
        claims = -(-ROWS // LINES_PER_CLAIM)
        print(f"Import of a generated CSV: {ROWS:,} rows, {claims:,} claims, {-(-claims // 4):,} denied, "
              f"{big.stat().st_size / 1e6:.1f} MB (generated in {time.perf_counter() - start:.2f} s)")
        for path, rows in ((small, ROWS // 10), (big, ROWS)):
            seconds, peak_kb, _claims, _problems = _run(_PEAK + _READ, str(path))
            label = f"  read {rows:,} rows with our reader (no cases written)"
            print(f"{label:<58} {float(seconds):8.3f} s, {rows / float(seconds):,.0f} rows/s, "
                  f"peak {int(peak_kb) / 1024:.0f} MB")
        Workspace.create(Path(tmp) / "ws").close()
        seconds, peak_kb, claims_read, created, errors = _run(_PEAK + _IMPORT, str(Path(tmp) / "ws"), str(big))
        print(f"{'  whole import (read, triage, case files written durably)':<58} {float(seconds):8.3f} s, "
              f"{ROWS / float(seconds):,.0f} rows/s, peak {int(peak_kb) / 1024:.0f} MB, {claims_read} claims, "
              f"{created} cases, {errors} refused rows")


if __name__ == "__main__":
    main()
