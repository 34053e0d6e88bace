"""The demo's letters (issue 10, point 11): every demo case whose route takes a letter has one
saved, with the facts a biller would have typed (fictional, and consistent with the case:
the claim was first sent after the service and within the limit, the authorization covers it).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.core.errors import UserError
from workstation.core.model import Case
from workstation.ops.letters import draft_letter, letter_setting, save_letter

#: What the demo biller typed for each letter field, in words that fit any demo case.
DEMO_FIELDS = {
    "clinical_summary": "Persistent knee pain after a fall; the examination and the X-ray taken that day support "
                        "the visit and the treatment billed (fictional demo case).",
    "policy_reference": "policy PT-12, outpatient physical therapy (fictional demo policy)",
    "authorization_number": "AUTH-DEMO-0001",
    "submission_proof": "Clearinghouse acceptance report, batch DEMO-77 (fictional)",
    "corrected_detail": "Modifier 59 added to the second line; the diagnosis pointer corrected",
    "distinct_service_detail": "The two services treated different body areas at different times of the visit.",
    "other_coverage_detail": "The patient has no other coverage on the date of service (confirmed by phone).",
    "eligibility_detail": "The member's card and the payer's portal show coverage in force on the date of service.",
    "enrollment_detail": "The rendering provider's enrollment was effective before the date of service.",
    "contract_detail": "Fee schedule of the practice's participation agreement (demo), section 4",
    "expected_payment": "$120.00",
    "good_cause_reason": "The denial notice was mailed to an old address and reached the practice late.",
    "requested_records": "The claim's adjudication record and the criteria the payer applied",
    "additional_argument": "The record enclosed shows the service was needed and was billed as provided.",
    "redetermination_contractor": "Demo Medicare Administrative Contractor (Jurisdiction Z)",
    "filing_limit_days": "365",
}


def demo_fields(case: Case) -> dict[str, str]:
    """The demo fields, with the dates taken from the case so every letter's facts agree."""
    service = case.first_service_date or date.today()
    fields = dict(DEMO_FIELDS)
    fields["original_submission_date"] = f"{service + timedelta(days=3):%m/%d/%Y}"
    start, end = service - timedelta(days=10), service + timedelta(days=80)
    fields["authorization_dates"] = f"{start:%m/%d/%Y} to {end:%m/%d/%Y}"
    decision = max((d.date for d in case.decisions), default=None)
    if decision is not None:
        fields["redetermination_date"] = f"{decision:%m/%d/%Y}"
    return fields


def write_demo_letters(case_paths: list[Path], *, actor: str, today: date) -> int:
    """Save a letter in every case a letter fits; returns how many were saved."""
    saved = 0
    for path in case_paths:
        with CaseFile.open(path) as case_file:
            case = case_file.load()
            fields = demo_fields(case)
            try:
                draft = draft_letter(case, letter_setting(path, case, today=today), fields=fields, today=today)
            except UserError:
                continue  # a case routed to a write-off or the patient needs no letter to the payer
            if draft.missing or draft.contradictions:
                continue  # said by the demo test: every case a letter fits must get one
            save_letter(case_file, draft, markup=draft.markup, fields=fields, actor=actor)
            saved += 1
    return saved
