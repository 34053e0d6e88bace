"""Import figures: a generated 835 of 10,000 claims with 1,000 denials, against pyx12's bare read."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from workstation.casefile.workspace import Workspace
from workstation.intake.synthetic_835 import generate_835

#: Put before the measured scripts that report their peak memory.
_PEAK = """
def peak_kb():
    # VmHWM: ru_maxrss would report the parent's peak, which Linux carries across exec
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1])
    return 0
"""

CLAIMS = int(os.environ.get("BENCH_IMPORT_CLAIMS", "10000"))
DENIED = CLAIMS // 10
DENIAL_RUN = int(os.environ.get("BENCH_DENIAL_RUN", "4000"))

_IMPORT = """
import sys, time
from pathlib import Path
from workstation.casefile.workspace import Workspace
from workstation.ops.import_remittance import import_remittances
start = time.perf_counter()
with Workspace.open(Path(sys.argv[1])) as ws:
    s = import_remittances(ws, [Path(sys.argv[2])], actor="bench")
print(time.perf_counter() - start, peak_kb(), s.claims, s.created)
"""

_PYX12 = """
import sys, time
import pyx12.x12file
start = time.perf_counter()
count = sum(1 for seg in pyx12.x12file.X12Reader(sys.argv[1]) if seg.get_seg_id() == "CLP")
print(time.perf_counter() - start, count)
"""

_VALIDATE = """
import sys, time
from workstation.intake.validate import validate_x12
start = time.perf_counter()
report = validate_x12(sys.argv[1])
print(time.perf_counter() - start, report.valid)
"""

_PARSE = """
import sys, time
from workstation.intake.era835 import Era835File
start = time.perf_counter()
claims = sum(len(t.claims) for t in Era835File(sys.argv[1]).transactions())
print(time.perf_counter() - start, peak_kb(), claims)
"""


def _run(script: str, *args: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True)
    return out.stdout.split()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        era = Path(tmp) / "big.835"
        start = time.perf_counter()
        text = generate_835(5, CLAIMS, denied=DENIED, sequestration=CLAIMS // 5, partial=CLAIMS // 50)
        # pyx12 reads ASCII only (accented names are outside X12's character sets)
        era.write_text(unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode(), encoding="ascii")
        print(f"Import of a generated 835: {CLAIMS:,} claims, {DENIED:,} denied, "
              f"{era.stat().st_size / 1e6:.1f} MB (generated in {time.perf_counter() - start:.2f} s)")
        seconds, peak_kb, claims = _run(_PEAK + _PARSE, str(era))
        label = "  read with our reader (no cases written)"
        print(f"{label:<58} {float(seconds):8.3f} s, peak {int(peak_kb) / 1024:.0f} MB")
        Workspace.create(Path(tmp) / "ws").close()
        seconds, peak_kb, claims, created = _run(_PEAK + _IMPORT, str(Path(tmp) / "ws"), str(era))
        print(f"{'  whole import (parse, triage, case files written durably)':<58} {float(seconds):8.3f} s, "
              f"peak {int(peak_kb) / 1024:.0f} MB, {claims} claims, {created} cases")
        pyx12_seconds, pyx12_claims = _run(_PYX12, str(era))
        print(f"{'  pyx12 reader alone (segments only)':<58} {float(pyx12_seconds):8.3f} s ({pyx12_claims} CLP)")
        validate_seconds, _valid = _run(_VALIDATE, str(era))
        print(f"{'  pyx12 walking the implementation guide (validation)':<58} {float(validate_seconds):8.3f} s")
        print(f"{'  pyx12 validation / our whole import':<58} {float(validate_seconds) / float(seconds):8.1f} x")
        print(f"{'  our whole import / pyx12 validation (target at most 0.3)':<58} "
              f"{float(seconds) / float(validate_seconds):8.2f} x")
        _one_transaction_against_many(Path(tmp))


def _one_transaction_against_many(tmp: Path) -> None:
    """Issue 9: import time must not grow with the square of the claims in one ST..SE."""
    figures = {}
    for label, per_transaction in (("one ST..SE", DENIAL_RUN), ("40 ST..SE", DENIAL_RUN // 40)):
        era = tmp / f"denials-{per_transaction}.835"
        era.write_text(generate_835(11, DENIAL_RUN, denied=DENIAL_RUN, per_transaction=per_transaction),
                       encoding="utf-8")
        root = tmp / f"ws-{per_transaction}"
        Workspace.create(root).close()
        seconds, peak_kb, _claims, created = _run(_PEAK + _IMPORT, str(root), str(era))
        figures[label] = float(seconds)
        print(f"  {DENIAL_RUN:,} denials in {label:<38} {float(seconds):8.3f} s, peak {int(peak_kb) / 1024:.0f} MB, "
              f"{created} cases")
    ratio = figures["one ST..SE"] / figures["40 ST..SE"]
    print(f"{'  one ST..SE / 40 ST..SE (target at most 1.3)':<58} {ratio:8.2f} x")


if __name__ == "__main__":
    main()
