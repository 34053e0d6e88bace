"""`make bench` part: paper intake's accuracy and speed on the synthetic scan set (scan_samples.py).

Prints field-level precision and recall (claim number, member ID, reason codes, amounts, and the
other fields), the share of pages whose reason codes and claim number were read right at 300 dpi
and degraded, seconds per page, and how many fields were left empty below the threshold. With
--compare it also reads the set with each clean-up step switched off and on (deskew, binarise,
enlarge), which is how the defaults were chosen."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
sys.path.insert(0, str(Path(__file__).parent))

from scan_samples import Sample, sample_set

from workstation.documents.scan_ocr import DEFAULT_CLEANUP, Cleanup
from workstation.ops.scan import scan_files

SCORED = ("claim_number", "member_id", "reason_codes", "billed", "paid", "denied", "account_number",
          "patient_name", "service_dates", "procedure_codes", "remark_codes", "notice_date", "appeal_deadline",
          "payer_name", "decision")
COUNT = int(os.environ.get("BENCH_SCAN_PAGES", "48"))


def truth_text(sample: Sample, name: str) -> str:
    value = sample.truth.get(name, "")
    return ", ".join(value) if isinstance(value, list) else str(value)


def read_set(samples: list[Sample], cleanup: Cleanup, folder: Path) -> tuple[list[dict], float]:
    results, start = [], time.perf_counter()
    for sample in samples:
        path = folder / f"{sample.name}.{sample.image_type}"
        path.write_bytes(sample.image)
        try:
            proposal = scan_files([path], cleanup=cleanup)
            results.append({"fields": {k: f.value for k, f in proposal.fields.items()},
                            "empty": proposal.left_empty, "problem": ""})
        except Exception as error:  # a page the reader refused counts as every field missing
            results.append({"fields": {}, "empty": [], "problem": str(error)})
    return results, time.perf_counter() - start


def same(name: str, got: str, truth: str) -> bool:
    """A list field is right in any order; a payer's name in any case."""
    if name == "payer_name":
        return got.casefold() == truth.casefold()
    if "," in truth or "," in got:
        return sorted(got.split(", ")) == sorted(truth.split(", "))
    return got == truth


def score(samples: list[Sample], results: list[dict]) -> dict[str, tuple[int, int, int]]:
    """Per field: (proposed and right, proposed, present in the truth)."""
    table = {}
    for name in SCORED:
        right = proposed = present = 0
        for sample, result in zip(samples, results, strict=True):
            truth, got = truth_text(sample, name), result["fields"].get(name, "")
            present += bool(truth)
            proposed += bool(got)
            right += bool(got) and same(name, got, truth)
        table[name] = (right, proposed, present)
    return table


def both_right(samples: list[Sample], results: list[dict], keep) -> str:
    chosen = [(s, r) for s, r in zip(samples, results, strict=True) if keep(s)]
    right = sum(same("claim_number", r["fields"].get("claim_number", ""), truth_text(s, "claim_number"))
                and same("reason_codes", r["fields"].get("reason_codes", ""), truth_text(s, "reason_codes"))
                for s, r in chosen)
    return f"{right}/{len(chosen)} ({right / max(len(chosen), 1):.0%})"


def report(label: str, samples: list[Sample], results: list[dict], seconds: float, *, detail: bool) -> None:
    table = score(samples, results)
    print(f"{label}: {seconds / len(samples):.2f} s a page ({len(samples)} pages)")
    print("  claim number and reason codes both right: 300 dpi clean "
          f"{both_right(samples, results, lambda s: s.dpi == 300 and not s.degraded)}, degraded "
          f"{both_right(samples, results, lambda s: s.degraded)}, 150-200 dpi clean "
          f"{both_right(samples, results, lambda s: s.dpi < 300 and not s.degraded)}")
    if detail:
        print(f"  {'field':<18} {'precision':>10} {'recall':>8}   right/proposed/present")
        for name, (right, proposed, present) in table.items():
            precision = f"{right / proposed:.0%}" if proposed else "-"
            recall = f"{right / present:.0%}" if present else "-"
            print(f"  {name:<18} {precision:>10} {recall:>8}   {right}/{proposed}/{present}")
    empty = sum(len(r["empty"]) for r in results)
    refused = [r["problem"] for r in results if r["problem"]]
    print(f"  fields left empty below the threshold: {empty} (on {sum(bool(r['empty']) for r in results)} pages); "
          f"pages refused: {len(refused)}")
    for sample, result in zip(samples, results, strict=True) if detail and os.environ.get("BENCH_SCAN_WRONG") else ():
        for name in SCORED:
            got, truth = result["fields"].get(name, ""), truth_text(sample, name)
            if got and not same(name, got, truth):
                print(f"    wrong {sample.name} {name}: {got!r} (true {truth!r})")
            elif truth and not got:
                below = " below threshold" * (name in result["empty"])
                print(f"    missed {sample.name} {name} (true {truth!r}){below}")
        if result["problem"]:
            print(f"    refused {sample.name}: {result['problem']}")


def main() -> None:
    samples = sample_set(COUNT)
    with tempfile.TemporaryDirectory() as folder:
        results, seconds = read_set(samples, DEFAULT_CLEANUP, Path(folder))
        report(f"paper intake, defaults {DEFAULT_CLEANUP}", samples, results, seconds, detail=True)
        if "--compare" in sys.argv:
            for cleanup in (Cleanup(deskew=False), Cleanup(binarise=True), Cleanup(enlarge=False),
                            Cleanup(deskew=False, binarise=False, enlarge=False)):
                results, seconds = read_set(samples, cleanup, Path(folder))
                report(f"paper intake, {cleanup}", samples, results, seconds, detail=False)


if __name__ == "__main__":
    main()
