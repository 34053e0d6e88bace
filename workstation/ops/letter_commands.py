"""What the `letter`, `packet` and `templates` commands add to the shared letter ops: checking
the `--field` names, saying where each missing item is filled, saving the letter a command
drafted, and describing the templates (issue 10, point 10)."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from workstation.casefile.case_file import CaseFile
from workstation.core.audit import AuditAction
from workstation.core.errors import UserError
from workstation.documents.letter_context import LETTER_FIELDS
from workstation.documents.letter_templates import LetterTemplate, TemplateCatalog, field_label, load_catalog
from workstation.ops.audit import case_id as audit_case_id
from workstation.ops.audit import file_digest, record
from workstation.ops.letters import (
    Draft,
    MissingFields,
    SavedPacket,
    draft_letter,
    last_fields,
    letter_bytes,
    letter_setting,
    remittance_advice_choice,
    save_letter,
    save_packet,
)

FIELD_PREFIX = "fields."
FIELD_USE = re.compile(r"\bfields\.([A-Za-z_][A-Za-z0-9_]*)")  # `fields.NAME` in a template's wording
#: Case facts `workstation demographics` fills from the practice's CSV.
DEMOGRAPHIC_PATHS = frozenset({"patient.date_of_birth", "patient.member_id", "patient.group_number",
                               "claim.diagnosis_text", "claim.diagnosis_codes", "provider.ptan"})


class UnknownField(UserError):
    """A `--field` name no template uses (usually a typo); nothing is written."""


# -- field names --------------------------------------------------------------------------------


def known_field_names(catalog: TemplateCatalog) -> list[str]:
    """The fields a biller may give: ours, any `fields.*` a template of the catalog requires, and
    any its wording uses (an optional field such as a payer's filing limit is printed when typed)."""
    names = set(LETTER_FIELDS)
    for template in catalog.templates.values():
        paths = [*template.required, *(p for extra in template.required_for.values() for p in extra)]
        names.update(p.removeprefix(FIELD_PREFIX) for p in paths if p.startswith(FIELD_PREFIX))
        names.update(_fields_used(template.path))
    return sorted(names)


def _fields_used(path: Path) -> set[str]:
    try:
        return set(FIELD_USE.findall(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return set()  # the template itself says what is wrong with it when it is drafted


def check_field_names(fields: dict[str, str], catalog: TemplateCatalog) -> None:
    """Refuse names no letter knows, naming the known ones (and the likely one meant)."""
    known = known_field_names(catalog)
    unknown = [name for name in fields if name not in known]
    if not unknown:
        return
    quoted = ", ".join(f"'{name}'{_did_you_mean(name, known)}" for name in unknown)
    what = "letter field" if len(unknown) == 1 else "letter fields"
    raise UnknownField(f"There is no {what} {quoted}; nothing was written. The fields are: {', '.join(known)}.")


def _did_you_mean(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {close[0]}?)" if close else ""


# -- missing items ------------------------------------------------------------------------------


def missing_lines(missing: MissingFields) -> list[str]:
    """Today's sentence first (scripts match it), then one line per item saying how to fill it."""
    return [str(missing), *(f"  {how_to_fill(path)}" for path in missing.paths)]


def how_to_fill(path: str) -> str:
    """Where the biller fills one missing context path, in the words the letter uses for it."""
    if path.startswith(FIELD_PREFIX):
        name = path.removeprefix(FIELD_PREFIX)
        return f"{_field_words(name)}: --field {name}=..."
    label = field_label(path).split(" (")[0]  # the place is said below, once
    if path.startswith("practice."):
        return f"{label}: Settings > Practice profile in the window (the command line cannot set it)"
    if path.startswith("level."):
        return f"{label}: Settings > Payers and appeal ladders in the window (the level's address)"
    if path.startswith("payer.address"):
        return f"{label}: Settings > Payers and appeal ladders in the window, or the payer in the case view"
    if path in DEMOGRAPHIC_PATHS:
        return (f"{label}: fill it in the case (the window's case view), or from the practice's CSV "
                "with `workstation demographics CSV`")
    return f"{label}: fill it in the case (the window's case view)"


def _field_words(name: str) -> str:
    label = LETTER_FIELDS.get(name)
    return label[0].lower() + label[1:] if label else name.replace("_", " ")


# -- drafting and saving ------------------------------------------------------------------------


def command_draft(case_file: CaseFile, *, template_id: str | None, given: dict[str, str]) -> tuple[Draft, dict]:
    """The letter a command asks for: its template, the newest saved letter's fields overlaid
    with the given ones (whose names are checked first). Returns the draft and its fields."""
    case = case_file.load()
    setting = letter_setting(case_file.path, case)
    check_field_names(given, setting.catalog)
    fields = last_fields(case_file) | given
    return draft_letter(case, setting, template_id=template_id, fields=fields,
                        remittance_advice=remittance_advice_choice(case_file)), fields


def letter_for_command(case_path: Path, *, template_id: str | None, given: dict[str, str], save: bool,
                       actor: str) -> tuple[Draft, bytes]:
    """The letter's PDF; with `save`, first kept in the case as a new version (a read-only folder
    refuses before anything is written) and the PDF is the saved one."""
    with CaseFile.open(case_path, read_only=not save) as case_file:
        draft, fields = command_draft(case_file, template_id=template_id, given=given)
        if not save:
            pdf = letter_bytes(draft)
            record(case_path, AuditAction.LETTER, case_id=audit_case_id(case_file), actor=actor,
                   detail=f"made for a PDF file ({draft.template.id} v{draft.template.version}), {file_digest(pdf)}")
            return draft, pdf
        save_letter(case_file, draft, markup=draft.markup, fields=fields, actor=actor)
        return draft, case_file.letters.pdf(case_file.letters.versions()[-1].id)


def packet_for_command(case_path: Path, target: Path, *, template_id: str | None, given: dict[str, str],
                       actor: str) -> SavedPacket:
    """The packet; with a template or fields, the letter they make is saved first, so the packet
    holds it and the case keeps the packet's manifest."""
    with CaseFile.open(case_path) as case_file:
        if template_id is not None or given:
            draft, fields = command_draft(case_file, template_id=template_id, given=given)
            save_letter(case_file, draft, markup=draft.markup, fields=fields, actor=actor)
        return save_packet(case_file, target, actor=actor)


# -- templates ----------------------------------------------------------------------------------


def template_json(template: LetterTemplate) -> dict[str, Any]:
    return {"id": template.id, "title": template.title, "version": template.version,
            "carcs": list(template.carcs), "routes": list(template.routes),
            "payer_kinds": list(template.payer_kinds), "levels": list(template.levels),
            "required": list(template.required),
            "required_for": {code: list(paths) for code, paths in template.required_for.items()},
            "practice": template.practice}


def template_lines(template: LetterTemplate) -> list[str]:
    """A template in three lines: id, version and title; what it fits; what it needs."""
    own = "  [the practice's own]" if template.practice else ""
    fits = "; ".join([_listed("CARCs", template.carcs, "any reason code"),
                      _listed("routes", template.routes, "any route"),
                      _listed("payers", template.payer_kinds, "any payer"),
                      _listed("levels", [str(n) for n in template.levels], "any level")])
    needs = ", ".join(template.required) or "nothing"
    extra = "".join(f"; with CARC {code} also {', '.join(paths)}" for code, paths in template.required_for.items())
    return [f"{template.id}  v{template.version}  {template.title}{own}", f"    fits: {fits}",
            f"    needs: {needs}{extra}"]


def _listed(what: str, values: tuple[str, ...] | list[str], otherwise: str) -> str:
    return f"{what} {', '.join(values)}" if values else otherwise


def sorted_templates(catalog: TemplateCatalog) -> list[LetterTemplate]:
    return sorted(catalog.templates.values(), key=lambda t: t.id)


def help_epilog() -> str:
    """The shipped template ids, for `letter --help` and `packet --help`."""
    ids = ", ".join(t.id for t in sorted_templates(load_catalog()))
    return (f"Letter templates (--template ID): {ids}. A workspace's templates/ folder may add its own; "
            "`workstation templates` lists every one with what it fits and needs.")
