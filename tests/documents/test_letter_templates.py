"""The shipped letter templates (templates/letters/) rendered from the demo workspace's cases:
each one renders in the sandbox, names the claim, the patient and the denial, asks for what it
lacks by name, writes the good-cause section when the request is late, prints values as typed,
and is suggested first for the denials it answers. Plus the sandbox's refusals."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.deadlines import Deadline, DeadlineKind
from workstation.core.model import Adjustment, Case
from workstation.core.payer_kinds import Ladder, default_ladders
from workstation.core.resources import letter_templates_dir
from workstation.core.vocabulary import PayerKind, Route
from workstation.documents.letter_context import LETTER_FIELDS, letter_context
from workstation.documents.letter_markup import STAR, blocks, inline, plain
from workstation.documents.letter_pdf import letter_pdf
from workstation.documents.letter_templates import (
    FIELD_LABELS,
    LetterTemplate,
    TemplateProblem,
    load_catalog,
    missing_fields,
    needed_paths,
    render_markup,
    resolve,
)

TODAY = date(2026, 3, 31)
ENCLOSURES = ["Office note 02/08/2026", "Plan policy excerpt"]
#: A distinctive value per biller field, so the markup shows which fields a letter printed.
FIELDS = {key: f"Sample {key.replace('_', ' ')} #{number}" for number, key in enumerate(LETTER_FIELDS, start=101)}
TRICKY = "Smith & Sons <Ltd> 'quoted' ’curly’ é ñ ü ß *starred* **not bold**"
BASE_REQUIRED = {"patient.name", "patient.member_id", "claim.number", "claim.dates_of_service"}
#: Letters that answer no denial code of their own: what each must show instead of the codes.
NO_CODES = {
    "records_request": ["fields.requested_records"],
    "underpayment": ["fields.contract_detail", "fields.expected_payment", "claim.paid"],
    "sequestration_inquiry": ["claim.paid"],
}
SHIPPED = {
    "general_appeal", "medical_necessity", "authorization", "timely_filing", "coding_correction", "non_covered",
    "duplicate", "coordination_of_benefits", "eligibility", "level_of_service", "provider_enrollment",
    "underpayment", "medicare_redetermination", "medicare_reconsideration", "sequestration_inquiry",
    "records_request", "corrected_claim", "payment_inquiry",
}
CATALOG = load_catalog()
TEMPLATE_IDS = sorted(CATALOG.templates)


# -- helpers ------------------------------------------------------------------------------------


def demo_cases(root: Path) -> list[Case]:
    return [CaseFile.open(path, read_only=True).load() for path in sorted((root / "cases").iterdir())]


def practice_of(root: Path):
    return Workspace.open(root).practice()


def opening_carcs(case: Case) -> list[str]:
    return [a.carc for a in case.adjustments if a.opens_case]


def sequestration_case(cases: list[Case], *, paid: str = "100.00", cut: str = "5.00",
                       day: date = date(2026, 1, 5)) -> Case:
    """A Medicare demo case turned into a paid claim whose CO-253 was taken at the wrong rate."""
    case = next(c for c in cases if c.payer.kind.value == "medicare")
    case.adjustments = [Adjustment("CO", "253", Decimal(cut), None, 1, Route.INQUIRY, True)]
    case.remarks = []
    case.route = Route.INQUIRY
    case.claim.paid = Decimal(paid)
    case.claim.service_from = case.claim.service_to = day
    for line in case.lines:
        line.service_from = line.service_to = day
    return case


def case_for(template: LetterTemplate, cases: list[Case]) -> Case:
    """A demo case the template is written for: one denied with its codes, of a payer kind it fits."""
    if template.id == "sequestration_inquiry":
        return sequestration_case(cases)
    fits = [c for c in cases if opening_carcs(c) and (not template.payer_kinds
                                                      or c.payer.kind.value in template.payer_kinds)]
    matching = [c for c in fits if set(opening_carcs(c)) & set(template.carcs)]
    return (matching or fits)[0]


def deadline_for(template: LetterTemplate, *, late: bool = False) -> Deadline | None:
    if 2 in template.levels:
        return Deadline(DeadlineKind.APPEAL, "redetermination decided", level=2, level_name="reconsideration",
                        due=date(2026, 6, 1), late=late)
    return None


def ladder_for(template: LetterTemplate) -> Ladder | None:
    """For a level-2 letter, Medicare's ladder with its QIC's office (a later level needs its own)."""
    if 2 not in template.levels:
        return None
    medicare = default_ladders()[PayerKind.MEDICARE]
    second = dataclasses.replace(medicare.levels[1], address="Demo QIC / PO Box 9 / Sampleville, ZZ 00009")
    return dataclasses.replace(medicare, levels=(medicare.levels[0], second, *medicare.levels[2:]))


def build(template: LetterTemplate, root: Path, *, fields: dict[str, str] | None = None,
          case: Case | None = None) -> dict[str, Any]:
    """The letter context for the template's demo case (or the given one), every field filled unless told."""
    return letter_context(case or case_for(template, demo_cases(root)), practice_of(root),
                          deadline=deadline_for(template), enclosures=list(ENCLOSURES),
                          fields=dict(FIELDS) if fields is None else fields, today=TODAY, ladder=ladder_for(template))


def render(template_id: str, context: dict[str, Any]) -> str:
    return render_markup(CATALOG.get(template_id), context)


def numbered_lists(markup: str) -> list[list[int]]:
    """The numbers written before the items of each numbered list, in order."""
    lists: list[list[int]] = []
    previous_numbered = False
    for line in markup.splitlines():
        found = re.match(r"^(\d+)[.)]\s", line.strip())
        if found and previous_numbered:
            lists[-1].append(int(found.group(1)))
        elif found:
            lists.append([int(found.group(1))])
        previous_numbered = bool(found)
    return lists


# -- the catalog and the metadata ---------------------------------------------------------------


def test_every_letter_is_shipped_with_sound_metadata() -> None:
    assert set(CATALOG.templates) >= SHIPPED
    assert CATALOG.problems == []
    for template_id in SHIPPED - {"general_appeal"}:
        template = CATALOG.get(template_id)
        meta = tomllib.loads((letter_templates_dir() / f"{template_id}.toml").read_text(encoding="utf-8"))
        assert {"title", "version", "carcs", "routes", "payer_kinds", "levels", "required"} <= set(meta), template_id
        assert meta["version"] >= 1 and template.title.strip()
        assert all(isinstance(code, str) for code in meta["carcs"]), template_id
        assert set(template.required) >= BASE_REQUIRED, template_id
        assert set(template.routes) <= {"appeal", "resubmit", "other_payer", "inquiry", "bill_patient", "write_off"}
        assert template.routes, f"{template_id} says no route: the route decides the kind of letter"


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_required_paths_are_known_and_named_in_words(template_id: str, demo_workspace: Path) -> None:
    template = CATALOG.get(template_id)
    context = build(template, demo_workspace)
    for path in template.required:
        assert path in FIELD_LABELS, f"{template_id}: {path} has no name a biller knows"
        assert resolve(context, path), f"{template_id}: {path} is empty with every field filled"
    assert missing_fields(template, context) == []


# -- rendering ----------------------------------------------------------------------------------


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_renders_a_body_that_names_the_claim_patient_and_denial(template_id: str, demo_workspace: Path) -> None:
    template = CATALOG.get(template_id)
    context = build(template, demo_workspace)
    markup = render(template_id, context)
    lines = [line for line in markup.splitlines() if line.strip()]
    assert lines[0].startswith("# "), lines[0]
    assert context["claim"]["number"] in markup
    assert context["patient"]["name"] in markup
    assert context["patient"]["member_id"] in markup
    if template_id in NO_CODES:
        for path in NO_CODES[template_id]:
            assert resolve(context, path) in markup, f"{template_id} does not show {path}"
    else:
        assert context["denial"]["codes"], "the demo case has no denial codes"
        for code in context["denial"]["codes"]:
            assert code in markup, f"{template_id} does not restate {code}"
    assert "{{" not in markup and "{%" not in markup and "None" not in markup
    assert not re.search(r"[ ]{2,}|\s[.,;:]|\(\s|\s\)|\.\.(?!\.)", plain(markup)), "stray spacing or punctuation"
    for numbers in numbered_lists(markup):
        assert numbers == list(range(1, len(numbers) + 1)), f"{template_id} numbers its list {numbers}"
    assert blocks(markup)[0].kind == "h"
    assert letter_pdf(context, markup).startswith(b"%PDF")


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_renders_without_fields_and_asks_for_them_by_name(template_id: str, demo_workspace: Path) -> None:
    template = CATALOG.get(template_id)
    context = build(template, demo_workspace, fields={})
    markup = render(template_id, context)  # a letter without the biller's fields still renders for the preview
    assert markup.lstrip().startswith("# ")
    wanted = [FIELD_LABELS[path] for path in needed_paths(template, context) if path.startswith("fields.")]
    assert missing_fields(template, context) == wanted
    for label in missing_fields(template, context):
        assert "." not in label and "_" not in label, label


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_each_empty_required_value_is_named_in_words(template_id: str, demo_workspace: Path) -> None:
    template = CATALOG.get(template_id)
    context = build(template, demo_workspace)
    for path in template.required:
        head, _, leaf = path.rpartition(".")
        emptied = {**context, head: {**context[head], leaf: [] if isinstance(context[head][leaf], list) else ""}}
        missing = missing_fields(template, emptied)
        assert missing == [FIELD_LABELS[path]], (path, missing)
        assert "." not in missing[0] and "_" not in missing[0]


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_late_request_has_the_good_cause_section(template_id: str, demo_workspace: Path) -> None:
    template = CATALOG.get(template_id)
    context = build(template, demo_workspace)
    reason = FIELDS["good_cause_reason"]
    assert reason not in render(template_id, context)
    context["level"]["late"] = True
    assert reason in render(template_id, context)
    context["fields"]["good_cause_reason"] = ""
    without = render(template_id, context)  # no reason typed: the section asks for good cause, invents none
    assert "good cause" in without.lower() or "late" in without.lower()


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_values_print_as_typed(template_id: str, demo_workspace: Path) -> None:
    template = CATALOG.get(template_id)
    case = case_for(template, demo_cases(demo_workspace))
    case.patient.first_name, case.patient.middle_name, case.patient.last_name = "Zoë", "", "O'Brien & <Sons> *x*"
    fields = {key: f"{TRICKY} [{key}]" for key in LETTER_FIELDS}
    context = build(template, demo_workspace, fields=fields, case=case)
    context["level"]["late"] = True
    markup = render(template_id, context)
    text = plain(markup)
    assert "Zoë O'Brien & <Sons> *x*" in text
    printed = [key for key in LETTER_FIELDS if f"[{key}]" in markup]
    assert printed, f"{template_id} prints none of the biller's fields"
    for key in printed:
        assert fields[key] in text, key
    assert "&amp;" not in markup and "&lt;" not in markup and "&#" not in markup
    for line in markup.splitlines():
        if STAR in line:  # a value's '*' never turns into emphasis
            assert "<i>starred</i>" not in inline(line) and "<b>not bold</b>" not in inline(line)


# -- what particular letters say ----------------------------------------------------------------


def test_medical_necessity_speaks_of_lcds_only_to_medicare(demo_workspace: Path) -> None:
    """Issue 10, point 7: an employer plan has a medical policy, never a local coverage determination,
    even when its remittance carries remark N115."""
    cases = demo_cases(demo_workspace)
    case = next(c for c in cases if "50" in opening_carcs(c) and any(r.code == "N115" for r in c.remarks)
                and c.payer.kind.value == "erisa")
    context = build(CATALOG.get("medical_necessity"), demo_workspace, case=case)
    markup = render("medical_necessity", context)
    assert FIELDS["clinical_summary"] in markup and FIELDS["policy_reference"] in markup
    assert "medical policy" in markup and "coverage determination" not in markup
    context["payer"]["kind"] = "medicare"
    assert "the local coverage determination remark N115 refers to" in render("medical_necessity", context)
    context["payer"]["kind"] = "erisa"
    assert "29 CFR 2560.503-1" in markup  # an employer plan: the reviewer and the documents it owes
    context["fields"]["policy_reference"] = ""
    assert "please name both the policy" in render("medical_necessity", context)  # asks, does not invent one


def test_timely_filing_at_original_medicare_is_not_an_appeal(demo_workspace: Path) -> None:
    cases = demo_cases(demo_workspace)
    medicare = next(c for c in cases if "29" in opening_carcs(c) and c.payer.kind.value == "medicare")
    markup = render("timely_filing", build(CATALOG.get("timely_filing"), demo_workspace, case=medicare))
    assert "42 CFR 424.44(b)" in markup and "not an initial determination" in markup
    assert FIELDS["original_submission_date"] in markup and FIELDS["submission_proof"] in markup
    other = next(c for c in cases if "29" in opening_carcs(c) and c.payer.kind.value != "medicare")
    markup = render("timely_filing", build(CATALOG.get("timely_filing"), demo_workspace, case=other))
    assert "424.44" not in markup and markup.startswith("# Level 1 appeal")


def test_medicare_redetermination_carries_the_required_elements(demo_workspace: Path) -> None:
    template = CATALOG.get("medicare_redetermination")
    context = build(template, demo_workspace)
    markup = render(template.id, context)
    assert markup.startswith("# Request for redetermination")
    assert "42 CFR 405.944(b)" in markup
    for value in (context["patient"]["name"], context["patient"]["member_id"], context["practice"]["name"],
                  *(line["code"] for line in context["claim"]["lines"]),
                  *(line["date"] for line in context["claim"]["lines"])):
        assert value in markup
    context["level"]["late"] = True
    assert "42 CFR 405.942" in render(template.id, context)


def test_medicare_reconsideration_goes_to_the_qic_with_all_evidence(demo_workspace: Path) -> None:
    template = CATALOG.get("medicare_reconsideration")
    context = build(template, demo_workspace)
    assert context["level"]["number"] == 2
    markup = render(template.id, context)
    assert markup.startswith("# Request for reconsideration")
    assert "Qualified Independent Contractor" in markup and "excluded" in markup
    assert context["facts"]["payer_name"] in markup  # the contractor that made the redetermination
    assert context["payer"]["name"] != context["facts"]["payer_name"]  # though the QIC's office heads the letter


def test_sequestration_inquiry_checks_the_rate_in_force(demo_workspace: Path) -> None:
    cases = demo_cases(demo_workspace)
    context = build(CATALOG.get("sequestration_inquiry"), demo_workspace, case=sequestration_case(cases))
    markup = render("sequestration_inquiry", context)
    assert "CO-253" in markup and "Dear Provider Inquiry Unit:" in markup
    assert not re.search(r"(?i)appeal|denial|denied", markup)  # an inquiry about a reduction, nothing more
    assert "$105.00" in markup and "2%" in markup and "$2.10" in markup  # 2% of paid + cut
    for day, says in ((date(2022, 5, 2), "1%"), (date(2021, 6, 1), "suspended")):
        case = sequestration_case(demo_cases(demo_workspace), day=day)
        context = build(CATALOG.get("sequestration_inquiry"), demo_workspace, case=case)
        assert says in render("sequestration_inquiry", context)


def test_records_request_names_the_erisa_right_only_for_employer_plans(demo_workspace: Path) -> None:
    cases = demo_cases(demo_workspace)
    erisa = next(c for c in cases if c.payer.kind.value == "erisa" and opening_carcs(c))
    markup = render("records_request", build(CATALOG.get("records_request"), demo_workspace, case=erisa))
    assert "29 CFR 2560.503-1" in markup and "free of charge" in markup
    assert FIELDS["requested_records"] in markup
    commercial = next(c for c in cases if c.payer.kind.value == "commercial" and opening_carcs(c))
    markup = render("records_request", build(CATALOG.get("records_request"), demo_workspace, case=commercial))
    assert "2560.503-1" not in markup


def test_duplicate_explains_the_repeat_modifiers(demo_workspace: Path) -> None:
    cases = demo_cases(demo_workspace)
    case = next(c for c in cases if "18" in opening_carcs(c))
    case.lines[0].modifiers = ["76"]
    markup = render("duplicate", build(CATALOG.get("duplicate"), demo_workspace, case=case))
    assert "modifier 76 (the same physician repeated the procedure)" in markup
    assert FIELDS["distinct_service_detail"] in markup


def test_authorization_paragraphs_follow_the_facts(demo_workspace: Path) -> None:
    cases = demo_cases(demo_workspace)
    case = next(c for c in cases if "197" in opening_carcs(c) and c.payer.kind.value == "commercial")
    template = CATALOG.get("authorization")
    markup = render("authorization", build(template, demo_workspace, case=case))
    assert FIELDS["authorization_number"] in markup and "Retroactive" not in markup
    fields = {**FIELDS, "authorization_number": "", "authorization_dates": ""}
    markup = render("authorization", build(template, demo_workspace, case=case, fields=fields))
    assert "retroactively" in markup and "prudent layperson" not in markup
    case.lines[0].procedure_code = "99284"  # an emergency department visit
    markup = render("authorization", build(template, demo_workspace, case=case, fields=fields))
    assert "prudent layperson" in markup and "Affordable Care Act" in markup and "retroactively" not in markup


# -- suggestions --------------------------------------------------------------------------------


def test_suggestions_put_the_letter_for_the_denial_first(demo_workspace: Path) -> None:
    cases = demo_cases(demo_workspace)
    necessity = [c for c in cases if "50" in opening_carcs(c) and c.route is Route.APPEAL]
    assert necessity
    for case in necessity:
        best = CATALOG.suggest(carcs=["50"], payer_kind=case.payer.kind.value, route="appeal", level=1)[0]
        assert best.id == "medical_necessity", case.payer.kind
    late_medicare = next(c for c in cases if "29" in opening_carcs(c) and c.payer.kind.value == "medicare")
    assert CATALOG.suggest(carcs=opening_carcs(late_medicare), payer_kind="medicare", route="appeal",
                           level=1)[0].id == "timely_filing"
    assert CATALOG.suggest(carcs=["253"], payer_kind="medicare", route="inquiry",
                           level=1)[0].id == "sequestration_inquiry"


@pytest.mark.parametrize("template_id", sorted(t.id for t in CATALOG.templates.values() if t.carcs))
def test_every_code_a_letter_answers_suggests_it_first(template_id: str) -> None:
    template = CATALOG.get(template_id)
    kind = template.payer_kinds[0] if template.payer_kinds else "commercial"
    for carc in template.carcs:
        best = CATALOG.suggest(carcs=[carc], payer_kind=kind, route=template.routes[0], level=1)[0]
        assert best.id == template_id, carc


def test_medicare_letters_fit_their_level_and_no_other_payer() -> None:
    def ids(**kw: Any) -> list[str]:
        return [t.id for t in CATALOG.suggest(**kw)]

    assert ids(carcs=["11"], payer_kind="medicare", route="appeal", level=1)[0] == "medicare_redetermination"
    assert ids(carcs=["11"], payer_kind="medicare", route="appeal", level=2)[0] == "medicare_reconsideration"
    assert "medicare_reconsideration" not in ids(carcs=[], payer_kind="medicare", route="appeal", level=1)
    commercial = ids(carcs=[], payer_kind="commercial", route="appeal", level=1)
    assert "medicare_redetermination" not in commercial and "medicare_reconsideration" not in commercial
    assert "underpayment" not in ids(carcs=["45"], payer_kind="medicare", route="inquiry", level=1)


# -- the sandbox --------------------------------------------------------------------------------


def test_a_template_cannot_reach_python_internals(tmp_path: Path, demo_workspace: Path) -> None:
    path = tmp_path / "sneaky.j2"
    path.write_text("# Subject\n\n{{ ''.__class__.__mro__ }}\n", encoding="utf-8")
    context = build(CATALOG.get("general_appeal"), demo_workspace)
    with pytest.raises(TemplateProblem, match="internals"):
        render_markup(LetterTemplate(id="sneaky", title="Sneaky", version=1, path=path), context)


def test_a_syntax_error_names_the_file_and_line(tmp_path: Path, demo_workspace: Path) -> None:
    path = tmp_path / "broken.j2"
    path.write_text("# Subject\n\nFine line.\n{% if claim.number %}\nNever closed.\n", encoding="utf-8")
    context = build(CATALOG.get("general_appeal"), demo_workspace)
    with pytest.raises(TemplateProblem) as problem:
        render_markup(LetterTemplate(id="broken", title="Broken", version=1, path=path), context)
    assert "broken.j2" in str(problem.value) and re.search(r"line \d+", str(problem.value))
