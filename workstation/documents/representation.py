"""Who is asking (issue 10, point 6): the capacity the practice writes in, by payer kind, and the
pages that give it standing, generated with the case's names for the packet.

- Medicare: the provider that furnished the service is a party to the initial determination.
- Medicare Advantage: a contracted provider disputes under its agreement; a non-contracted one
  may ask for reconsideration only with a signed waiver of liability holding the enrollee
  harmless whatever the outcome (42 CFR 422.574(b), 422.578), else the plan dismisses it.
- ERISA and commercial plans: appeal rights belong to the member; the practice acts as the
  patient's authorized representative (29 CFR 2560.503-1(b)(4)), and an assignment of benefits
  is not a designation, so the packet can carry a designation page for the patient to sign.

The wording is ours. Pages are built with reportlab like the letter (same fonts, no markup:
every value is escaped).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from workstation.documents.fonts import register_fonts

DESIGNATION = "Designation of authorized representative"
WAIVER = "Waiver of liability"


@dataclass(frozen=True)
class Representation:
    """The sentence a letter says about who is asking, and the standing pages the packet needs."""

    sentence: str
    pages: tuple[str, ...] = ()  # DESIGNATION, WAIVER
    unknown_contract: bool = False  # Medicare Advantage and nobody said whether the practice is contracted


def representation(payer_kind: str, contracted: str, *, practice: str, plan: str, patient: str) -> Representation:
    """What the practice is to this payer for this patient."""
    if payer_kind == "medicare":
        return Representation(f"{practice} makes this request as the provider that furnished the services, "
                              "a party to the initial determination.")
    if payer_kind == "medicare_advantage":
        if contracted == "yes":
            return Representation(f"{practice} writes as a provider contracted with {plan}.")
        if contracted == "no":
            return Representation(f"{practice} writes as a provider not contracted with {plan}; its signed waiver "
                                  f"of liability, holding {patient} harmless whatever the outcome, is enclosed.",
                                  (WAIVER,))
        return Representation("", unknown_contract=True)
    if payer_kind in ("erisa", "commercial"):
        return Representation(f"{practice} writes as the authorized representative of {patient}, whose signed "
                              "designation is enclosed.", (DESIGNATION,))
    return Representation(f"{practice} writes as the provider that furnished the services.")


def standing_page(title: str, context: dict[str, Any]) -> bytes:
    """One page: the designation for the patient to sign, or the practice's waiver of liability."""
    body = _designation(context) if title == DESIGNATION else _waiver(context)
    buffer = io.BytesIO()
    family = register_fonts()
    normal = ParagraphStyle("standing", fontName=family, fontSize=11, leading=15, spaceAfter=10)
    heading = ParagraphStyle("standing-title", parent=normal, fontName=f"{family}-Bold", fontSize=14, leading=18,
                             spaceAfter=14)
    document = SimpleDocTemplate(buffer, pagesize=LETTER, leftMargin=inch, rightMargin=inch, topMargin=inch,
                                 bottomMargin=inch, title=title, author="", subject="", creator="", invariant=1)
    story: list[Any] = [Paragraph(escape(title.split(" (")[0]), heading)]
    for paragraph in body:
        story.append(Paragraph(escape(paragraph), normal) if paragraph else Spacer(1, 18))
    document.build(story)
    return buffer.getvalue()


def _claim_line(context: dict[str, Any]) -> str:
    claim, payer = context["claim"], context["payer"]
    return (f"Plan: {payer['name']}. Claim number: {claim['number'] or '(not yet assigned)'}. "
            f"Services on {claim['dates_of_service']}, billed {claim['billed']}.")


def _designation(context: dict[str, Any]) -> list[str]:
    patient, practice = context["patient"], context["practice"]
    address = ", ".join(practice["address_lines"])
    return [
        f"I, {patient['name']} (member ID {patient['member_id']}), designate {practice['name']}, {address}, "
        f"phone {practice['phone']}, as my authorized representative for the claim below: to appeal the plan's "
        "decision on it, to receive the plan's notices and the documents relevant to it, and to speak with the "
        "plan about it.",
        _claim_line(context),
        "This designation covers this claim and its appeals only, and I may withdraw it in writing at any time.",
        "", "Signature of the patient (or legal representative): ______________________________",
        "Printed name: ______________________________    Date: ______________",
        "If signed for the patient, relationship and authority: ______________________________",
    ]


def _waiver(context: dict[str, Any]) -> list[str]:
    patient, practice = context["patient"], context["practice"]
    return [
        f"{practice['name']} (NPI {practice['npi'] or context['provider']['npi']}), a provider not contracted with "
        f"{context['payer']['name']}, asks the plan to reconsider its payment decision on the claim below.",
        _claim_line(context),
        f"Whatever the outcome of this appeal, {practice['name']} will not bill {patient['name']} "
        "(or anyone on the enrollee's behalf) for the services under appeal, apart from cost sharing the plan "
        "determines the enrollee owes.",
        "", f"Signed for {practice['name']}: ______________________________",
        f"Name and title: {practice['signer_name']}, {practice['signer_title']}    Date: ______________",
    ]
