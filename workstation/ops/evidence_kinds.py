"""What an attached document probably is, from its file name and, when the name says nothing,
from the words on its first page (the biller can change the kind after, in one click).

A name is decisive when it names a kind ("EOB march.pdf", "Prior-auth 4471.pdf"); "letter" or
"fax" say only how a document came, so a first page that reads as a particular kind (a letter
of medical necessity, a payer's decision) wins over them. "scan_0001.pdf" says nothing: its
first page decides. A page is read for phrases each kind's documents print (a remittance's
"Explanation of benefits", a progress note's "Chief complaint", an authorization's "Approved
visits"); each phrase found adds its weight, and the kind with the most, at least
DECIDING_SCORE, is the guess. A claim form (CMS-1500, UB-04) is recognised so that its "Prior
authorization number" box and its diagnosis codes are not read as an authorization or a record;
the kinds have none for it, so it stays "other"."""

from __future__ import annotations

import re
from pathlib import Path

from workstation.core.vocabulary import EvidenceKind
from workstation.documents.first_page import first_page_text

#: Words in a file's name that say what it is, in the order they are tried (a name may hold several).
KIND_WORDS: tuple[tuple[EvidenceKind, tuple[str, ...]], ...] = (
    (EvidenceKind.DECISION_LETTER, ("decision", "redetermination", "reconsideration", "determination", "denial")),
    (EvidenceKind.TIMELY_FILING_PROOF, ("timely", "999", "277", "acceptance", "clearinghouse", "acknowledg")),
    (EvidenceKind.NECESSITY_LETTER, ("necessity", "lmn")),
    (EvidenceKind.AUTHORIZATION, ("authoriz", "auth", "precert", "referral")),
    (EvidenceKind.REMITTANCE, ("eob", "remit", "era", "835", "explanation of benefits")),
    (EvidenceKind.POLICY, ("policy", "lcd", "ncd", "guideline", "criteria", "bulletin")),
    (EvidenceKind.MEDICAL_RECORDS, ("record", "note", "chart", "progress", "visit", "op report", "x-ray", "xray",
                                    "mri", "lab", "plan of care", "plan_of_care", "therapy", "evaluation")),
    (EvidenceKind.CORRESPONDENCE, ("letter", "fax", "email", "correspondence", "call")),
)

#: Not a kind of the vocabulary: what a claim form's page scores under.
CLAIM_FORM = "claim_form"
#: The least score a page needs for its kind to be the guess.
DECIDING_SCORE = 4

#: (kind, weight, pattern) over the page's text, lowercased, its spaces and line breaks as one
#: space; each pattern counts once.
CONTENT_HINTS: tuple[tuple[EvidenceKind | str, int, str], ...] = (
    (CLAIM_FORM, 6, r"health insurance claim form"),
    (CLAIM_FORM, 5, r"\bcms[\s\-]?1500\b|\bub[\s\-]?04\b|\bcms[\s\-]?1450\b|\bhcfa[\s\-]?1500\b"),
    (CLAIM_FORM, 3, r"national uniform (claim|billing) committee|\bnucc\b|\bnubc\b"),
    (CLAIM_FORM, 3, r"insured'?s i\.?d\.? number|patient'?s or authorized person'?s signature"),
    (EvidenceKind.DECISION_LETTER, 5, r"medicare redetermination notice|notice of (adverse benefit )?determination"),
    (EvidenceKind.DECISION_LETTER, 4, r"notice of (denial|action)|adverse (benefit )?determination|"
                                      r"denial (letter|notice)"),
    (EvidenceKind.DECISION_LETTER, 3, r"(redetermination|reconsideration|appeal) (decision|notice)|"
                                      r"decision (on|about) your (appeal|request|claim)"),
    (EvidenceKind.DECISION_LETTER, 3, r"(claim|appeal|request|service)s? (has|have|was|were|is) (been )?"
                                      r"(denied|upheld|not approved)|we (have )?(denied|upheld)"),
    (EvidenceKind.DECISION_LETTER, 2, r"\bunfavorable\b|partially favorable"),
    (EvidenceKind.DECISION_LETTER, 2, r"if you disagree with (this|our) decision|(right|how) to (appeal|request a "
                                      r"reconsideration)|you may (request|file) an? (appeal|reconsideration)"),
    (EvidenceKind.REMITTANCE, 5, r"explanation of (medicare )?benefits|remittance advice|provider remittance"),
    (EvidenceKind.REMITTANCE, 2, r"this is not a bill"),
    (EvidenceKind.REMITTANCE, 2, r"claim adjustment reason|\bcarc\b|\brarc\b|remark codes?"),
    (EvidenceKind.REMITTANCE, 2, r"(check|eft|payment) (number|#|no\b)"),
    (EvidenceKind.REMITTANCE, 1, r"allowed (amount|amt)|amount allowed"),
    (EvidenceKind.REMITTANCE, 1, r"(paid|payment) (amount|amt|to provider)|amount paid"),
    (EvidenceKind.REMITTANCE, 1, r"patient responsibility"),
    (EvidenceKind.MEDICAL_RECORDS, 4, r"progress note|office visit note|clinic note|soap note|daily note"),
    (EvidenceKind.MEDICAL_RECORDS, 3, r"chief complaint|history of present illness|review of systems"),
    (EvidenceKind.MEDICAL_RECORDS, 3, r"assessment\s*(and|&|/)\s*plan|plan of care|treatment plan"),
    (EvidenceKind.MEDICAL_RECORDS, 3, r"(operative|procedure|discharge|consultation|radiology|imaging|pathology|"
                                      r"laboratory|lab) (report|summary|note|results)"),
    (EvidenceKind.MEDICAL_RECORDS, 2, r"physical exam(ination)?|vital signs"),
    (EvidenceKind.MEDICAL_RECORDS, 1, r"\bsubjective\b"),
    (EvidenceKind.MEDICAL_RECORDS, 1, r"\bobjective\b"),
    (EvidenceKind.MEDICAL_RECORDS, 1, r"electronically signed|signed electronically"),
    (EvidenceKind.AUTHORIZATION, 5, r"prior authori[sz]ation (approv|confirmation|determination|decision)|"
                                    r"authori[sz]ation (approval|approved|confirmation)"),
    (EvidenceKind.AUTHORIZATION, 4, r"pre[\s\-]?certification|pre[\s\-]?authori[sz]ation|precert\b"),
    (EvidenceKind.AUTHORIZATION, 3, r"(approved|authori[sz]ed) (visits|units|sessions|services|dates)|"
                                    r"(visits|units|sessions) (approved|authori[sz]ed)"),
    (EvidenceKind.AUTHORIZATION, 2, r"authori[sz]ation (number|#|no\b|id\b|period)"),
    (EvidenceKind.AUTHORIZATION, 1, r"valid (from|through)|effective (from|dates?)"),
    (EvidenceKind.AUTHORIZATION, 1, r"\bauthori[sz]ation\b"),
    (EvidenceKind.NECESSITY_LETTER, 6, r"letter of medical necessity|medical necessity letter"),
    (EvidenceKind.NECESSITY_LETTER, 2, r"(is|are|remains?) medically necessary"),
    (EvidenceKind.NECESSITY_LETTER, 2, r"\bmy patient\b|i am writing (to|on behalf)"),
    (EvidenceKind.TIMELY_FILING_PROOF, 5, r"functional acknowledg(e)?ment|claim acknowledg(e)?ment|\b277\s?ca\b"),
    (EvidenceKind.TIMELY_FILING_PROOF, 3, r"(acceptance|acknowledg(e)?ment|submission|clearinghouse) report"),
    (EvidenceKind.TIMELY_FILING_PROOF, 2, r"\bclearinghouse\b"),
    (EvidenceKind.TIMELY_FILING_PROOF, 2, r"(batch|file|claims?) (was |were )?(accepted|received)"),
    (EvidenceKind.TIMELY_FILING_PROOF, 1, r"date (received|submitted|accepted)"),
    (EvidenceKind.POLICY, 5, r"local coverage determination|national coverage determination"),
    (EvidenceKind.POLICY, 3, r"(medical|clinical|coverage|payment|reimbursement) (policy|guideline|bulletin)"),
    (EvidenceKind.POLICY, 2, r"\blcd\b|\bncd\b|\bl\d{5}\b"),
    (EvidenceKind.POLICY, 2, r"coverage (criteria|indications|limitations)|policy (number|effective date)"),
    (EvidenceKind.CORRESPONDENCE, 4, r"fax cover|facsimile (cover|transmittal)"),
    (EvidenceKind.CORRESPONDENCE, 2, r"\bsubject:|\bpages? \(including cover\)"),
    (EvidenceKind.CORRESPONDENCE, 1, r"\bdear\b"),
    (EvidenceKind.CORRESPONDENCE, 1, r"\bsincerely\b|\bregards\b"),
)
_COMPILED = tuple((kind, weight, re.compile(pattern)) for kind, weight, pattern in CONTENT_HINTS)
_ORDER = [kind for kind, _hints in KIND_WORDS]  # ties go to the kind tried first by name


def kind_from_name(path: Path) -> EvidenceKind:
    """What a document's file name says it is; OTHER when the name says nothing."""
    name = Path(path).stem.lower().replace("-", " ").replace("_", " ")
    words = name.split()
    for kind, hints in KIND_WORDS:  # a short hint must begin a word ("era" not in "Sera"), a long one may be inside
        if any(any(w.startswith(hint) for w in words) if len(hint) <= 4 else hint in name for hint in hints):
            return kind
    return EvidenceKind.OTHER


def kind_from_text(text: str) -> EvidenceKind:
    """What a first page's words say the document is; OTHER when they say nothing clear (or it
    is a claim form)."""
    text = " ".join(text.lower().split())  # a phrase may be broken over lines in the text layer
    scores: dict[EvidenceKind | str, int] = {}
    for kind, weight, pattern in _COMPILED:
        if pattern.search(text):
            scores[kind] = scores.get(kind, 0) + weight
    if not scores:
        return EvidenceKind.OTHER
    best = max(scores.values())
    if best < DECIDING_SCORE:
        return EvidenceKind.OTHER
    leaders = [kind for kind, score in scores.items() if score == best]
    if CLAIM_FORM in leaders:
        return EvidenceKind.OTHER
    return min(leaders, key=lambda kind: _ORDER.index(kind) if kind in _ORDER else len(_ORDER))


def guess_kind(path: Path) -> EvidenceKind:
    """The name's kind when it names one; else (and over a name that says only "letter" or
    "fax") the first page's; else OTHER."""
    by_name = kind_from_name(path)
    if by_name not in (EvidenceKind.OTHER, EvidenceKind.CORRESPONDENCE):
        return by_name
    by_content = kind_from_text(first_page_text(path))
    return by_content if by_content is not EvidenceKind.OTHER else by_name
