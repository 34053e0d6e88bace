"""Small 835 texts written by hand for the import tests: a valid envelope, SE counted for us.

Independent of the product's readers and of workstation.intake.synthetic_835: segments are plain
strings, so a test shows exactly what the payer sent (import_text runs the real import on them).
Amounts are written by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from workstation.ops.import_remittance import import_remittances

PAYER = ("DEMO MEDICARE CONTRACTOR", "99901")
PAYEE = "N1*PE*RIVERBEND CLINIC*XX*1234567893"


def claim(account: str, status: str, billed: str, paid: str, *rest: str, filing: str = "MB",
          icn: str = "ICN-1", member: str = "MBI-1", patient_resp: str = "") -> list[str]:
    """CLP and the patient's NM1*QC, then `rest` (CAS, MOA, DTM, SVC loops...) as given."""
    return [f"CLP*{account}*{status}*{billed}*{paid}*{patient_resp}*{filing}*{icn}*11*1",
            f"NM1*QC*1*TESTPERSON*ALPHA****MI*{member}", *rest]


def line(code: str, billed: str, paid: str, dos: str, *rest: str, units: str = "1") -> list[str]:
    """SVC (HC:code[:modifiers]) with DTM*472, then `rest` (CAS, LQ*HE, AMT...)."""
    return [f"SVC*HC:{code}*{billed}*{paid}**{units}", f"DTM*472*{dos}", *rest]


def transaction(*claims: Iterable[str], trace: str = "TRACE-1", payer: tuple[str, str] = PAYER,
                notice: str = "20260302", payment_date: str = "20260303", total: str = "0",
                control: str = "0001", plb: Iterable[str] = ()) -> list[str]:
    """ST..SE of one payment; SE01 counts ST and SE too."""
    name, payer_id = payer
    body = [f"BPR*I*{total}*C*CHK************{payment_date}", f"TRN*1*{trace}*1999999999",
            f"DTM*405*{notice}", f"N1*PR*{name}", "N3*PO BOX 1", "N4*EXAMPLETON*ZZ*00001"]
    if payer_id:
        body.append(f"REF*2U*{payer_id}")
    body += [PAYEE, "LX*1"]
    for segments in claims:
        body += list(segments)
    body += list(plb)
    return [f"ST*835*{control}", *body, f"SE*{len(body) + 2}*{control}"]


def interchange(*transactions: list[str], gs01: str = "HP", group_date: str = "20260302",
                control: str = "000000001") -> str:
    """ISA (exactly 106 characters), GS, the transactions, GE, IEA; '~' and a newline after each segment."""
    isa = (f"ISA*00*{' ' * 10}*00*{' ' * 10}*ZZ*{'DEMOPAYER':<15}*ZZ*{'DEMOPRACTICE':<15}*260302*0800*^*00501*"
           f"{control}*0*T*:")
    assert len(isa) + 1 == 106
    segments = [isa, f"GS*{gs01}*DEMOPAYER*DEMOPRACTICE*{group_date}*0800*1*X*005010X221A1"]
    for tx in transactions:
        segments += tx
    segments += [f"GE*{len(transactions)}*1", f"IEA*1*{control}"]
    return "".join(f"{s}~\n" for s in segments)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_bytes(text.encode("ascii"))
    return path


def import_text(ws, folder: Path, name: str, text: str):
    """Write the text as a file and import it: what a biller's import of that file gives."""

    return import_remittances(ws, [write(folder, name, text)], actor="tester")
