"""`make bench` part: paper intake's accuracy and speed on the synthetic scan set (scan_samples.py).

Prints field-level precision and recall (claim number, member ID, reason codes, amounts, and the
other fields), the share of pages whose reason codes and claim number were read right at 300 dpi
and degraded, seconds per page, and how many fields were left empty below the threshold. Reason
codes are scored as codes; what each code took ("CO-50 120.00, CO-16 30.00", on the pages that
print it beside the code) is scored apart, code by code, on the row below them. With --compare it
also reads the set with each clean-up step switched off and on (deskew, binarise, enlarge), which
is how the defaults were chosen."""

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
    text = ", ".join(value) if isinstance(value, list) else str(value)
    return codes_of(text) if name == "reason_codes" else text


def got_text(result: dict, name: str) -> str:
    text = result["fields"].get(name, "")
    return codes_of(text) if name == "reason_codes" else text


def codes_of(text: str) -> str:
    """The codes of a reason_codes value without what each took ("CO-50 120.00, CO-16" -> "CO-50, CO-16")."""
    return ", ".join(part.split()[0] for part in text.split(", ") if part.strip())


def amounts_of(text: str) -> dict[str, str]:
    """What each code of a reason_codes value took, for the codes given with an amount."""
    return {parts[0]: parts[1] for parts in (part.split() for part in text.split(", ")) if len(parts) == 2}


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
            truth, got = truth_text(sample, name), got_text(result, name)
            present += bool(truth)
            proposed += bool(got)
            right += bool(got) and same(name, got, truth)
        table[name] = (right, proposed, present)
    return table


def score_amounts(samples: list[Sample], results: list[dict]) -> tuple[int, int, int]:
    """What each reason code took: (proposed and right, proposed, printed on the page), code by code."""
    right = proposed = present = 0
    for sample, result in zip(samples, results, strict=True):
        truth = amounts_of(", ".join(sample.truth["reason_codes"]))
        got = amounts_of(result["fields"].get("reason_codes", ""))
        present, proposed = present + len(truth), proposed + len(got)
        right += sum(truth.get(code) == amount for code, amount in got.items())
    return right, proposed, present


def every_amount_right(samples: list[Sample], results: list[dict]) -> str:
    """Of the pages printing each code's amount, those proposing every code with its amount right."""
    chosen = [(s, r) for s, r in zip(samples, results, strict=True) if amounts_of(", ".join(s.truth["reason_codes"]))]
    right = sum(r["fields"].get("reason_codes", "") == ", ".join(s.truth["reason_codes"]) for s, r in chosen)
    return f"{right}/{len(chosen)} ({right / max(len(chosen), 1):.0%})"


def print_amounts(samples: list[Sample], results: list[dict]) -> None:
    """The table's row for what each code took, under the reason codes' row."""
    right, proposed, present = score_amounts(samples, results)
    precision = f"{right / proposed:.0%}" if proposed else "-"
    recall = f"{right / present:.0%}" if present else "-"
    print(f"  {'  each amount':<18} {precision:>10} {recall:>8}   {right}/{proposed}/{present}"
          f"   (pages printing them: every code's amount right on {every_amount_right(samples, results)})")


def both_right(samples: list[Sample], results: list[dict], keep) -> str:
    chosen = [(s, r) for s, r in zip(samples, results, strict=True) if keep(s)]
    right = sum(same("claim_number", got_text(r, "claim_number"), truth_text(s, "claim_number"))
                and same("reason_codes", got_text(r, "reason_codes"), truth_text(s, "reason_codes"))
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
            if name == "reason_codes":
                print_amounts(samples, results)
    empty = sum(len(r["empty"]) for r in results)
    refused = [r["problem"] for r in results if r["problem"]]
    print(f"  fields left empty below the threshold: {empty} (on {sum(bool(r['empty']) for r in results)} pages); "
          f"pages refused: {len(refused)}")
    for sample, result in zip(samples, results, strict=True) if detail and os.environ.get("BENCH_SCAN_WRONG") else ():
        for name in SCORED:
            got, truth = got_text(result, name), truth_text(sample, name)
            if got and not same(name, got, truth):
                print(f"    wrong {sample.name} {name}: {got!r} (true {truth!r})")
            elif truth and not got:
                below = " below threshold" * (name in result["empty"])
                print(f"    missed {sample.name} {name} (true {truth!r}){below}")
        got, truth = result["fields"].get("reason_codes", ""), ", ".join(sample.truth["reason_codes"])
        if amounts_of(got) != amounts_of(truth):
            print(f"    amounts {sample.name}: {got!r} (true {truth!r})")
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
