"""Letter templates: Jinja files (wording only) with a TOML sidecar of metadata each, shipped in
templates/letters/ and added by the practice in the workspace's templates/ folder.

Rendering runs in Jinja's immutable sandbox with StrictUndefined (template_sandbox.py): a
template cannot reach Python's internals or change the case's facts, reads no file but its
folder's own, and a field it needs but the case lacks is named before any PDF is made. The
practice's templates are filled in by a worker process under a deadline (template_worker.py).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workstation.core.errors import UserError
from workstation.core.resources import letter_templates_dir
from workstation.documents.letter_context import LETTER_FIELDS
from workstation.documents.template_sandbox import TemplateProblem as TemplateProblem  # raised by render_markup
from workstation.documents.template_sandbox import is_hard_link, is_link, render_template
from workstation.documents.template_worker import render_isolated

SUFFIX = ".j2"

#: Context paths a template may require, as the missing-field list names them.
FIELD_LABELS = {
    "patient.name": "patient name", "patient.date_of_birth": "date of birth", "patient.member_id": "member ID",
    "patient.account_number": "patient account number", "claim.number": "payer claim number",
    "claim.dates_of_service": "dates of service", "claim.diagnosis_text": "diagnosis codes",
    "claim.procedure_codes": "procedure codes", "provider.npi": "provider NPI", "provider.tin": "provider TIN",
    "provider.ptan": "provider PTAN", "payer.address_lines": "payer's appeals address",
    "practice.name": "practice name (Settings > Practice profile)",
    "practice.address_lines": "practice address (Settings > Practice profile)",
    "practice.signer_name": "signer's name (Settings > Practice profile)",
    "practice.signer_title": "signer's title (Settings > Practice profile)",
    "practice.phone": "practice phone (Settings > Practice profile)",
    "payer.contracted": "whether the practice is contracted with this plan (Settings > Payers and appeal "
                        "ladders: Contracted)",
    "level.address_lines": "the address of this appeal level's office (Settings > Payers and appeal ladders: "
                           "the level's address; for Medicare's reconsideration, the QIC named on the "
                           "redetermination notice)",
    "denial.notice_date": "date of the denial notice", "denial.reasons_text": "denial reason codes",
} | {f"fields.{key}": label.split(" (")[0].lower() for key, label in LETTER_FIELDS.items()}


@dataclass(frozen=True)
class LetterTemplate:
    id: str
    title: str
    version: int
    path: Path
    carcs: tuple[str, ...] = ()
    payer_kinds: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()
    levels: tuple[int, ...] = ()
    required: tuple[str, ...] = ()
    required_for: dict[str, tuple[str, ...]] = field(default_factory=dict)  # CARC -> more paths it needs
    practice: bool = False

    def score(self, *, carcs: list[str], payer_kind: str, route: str, level: int) -> int:
        """How well the template fits a case (higher first; 0 = only as a general fallback; -1 =
        never: the route decides the kind of letter, and a level-bound letter only fits its level)."""
        if self.payer_kinds and payer_kind not in self.payer_kinds:
            return -1
        if self.levels and level not in self.levels:
            return -1
        if self.routes and route not in self.routes:
            return -1
        fit = 10 * sum(1 for code in carcs if code in self.carcs)
        fit += 1 if not self.carcs else 0  # a general letter beats one written for other reasons
        fit += 3 if route and route in self.routes else 0
        fit += 2 if self.payer_kinds else 0
        fit += 100 if self.levels and level > 1 else 0  # a later level's required elements, whatever the reason
        return fit + (1 if self.practice else 0)

    def unfit_because(self, *, payer_kind: str, route: str, level: int) -> str:
        """Why this template may not be used for the case, or "" when it may."""
        if self.routes and route not in self.routes:
            routes = " or ".join(ROUTE_WORDS.get(r, r) for r in self.routes)
            return (f"The {self.title} is for a case routed to {routes}, and this case is routed to "
                    f"{ROUTE_WORDS.get(route, route or 'no route')}; change the route (with its reason) first, "
                    "or choose a letter for that route.")
        if self.payer_kinds and payer_kind not in self.payer_kinds:
            return f"The {self.title} is written for another kind of payer; choose another letter."
        if self.levels and level not in self.levels:
            return f"The {self.title} is for appeal level {', '.join(map(str, self.levels))}, not level {level}."
        return ""


#: Routes as a sentence names them.
ROUTE_WORDS = {"appeal": "an appeal", "resubmit": "a corrected claim", "other_payer": "another payer",
               "inquiry": "an inquiry", "bill_patient": "billing the patient", "write_off": "a write-off"}


@dataclass
class TemplateCatalog:
    templates: dict[str, LetterTemplate] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # practice templates that could not be read

    def suggest(self, *, carcs: list[str], payer_kind: str, route: str, level: int) -> list[LetterTemplate]:
        """Every usable template, the best fit first."""
        scored = [(t.score(carcs=carcs, payer_kind=payer_kind, route=route, level=level), t)
                  for t in self.templates.values()]
        return [t for s, t in sorted(scored, key=lambda item: (-item[0], item[1].title)) if s >= 0]

    def get(self, template_id: str) -> LetterTemplate:
        if template_id not in self.templates:
            raise UserError(f"There is no letter template '{template_id}'; choose one of "
                            f"{', '.join(sorted(self.templates))}.")
        return self.templates[template_id]


def load_catalog(practice_dir: Path | None = None) -> TemplateCatalog:
    """Shipped templates, then the practice's (a practice template may replace one of ours by id)."""
    catalog = TemplateCatalog()
    _load_dir(catalog, letter_templates_dir(), practice=False)
    if practice_dir is not None and practice_dir.is_dir():
        _load_dir(catalog, practice_dir, practice=True)
    return catalog


def _load_dir(catalog: TemplateCatalog, folder: Path, *, practice: bool) -> None:
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        if is_link(path) or is_link(path.with_suffix(".toml")):
            catalog.problems.append(f"{path.name}: it is a link to a file elsewhere, and a letter template is never "
                                    "read through a link; copy the file itself into the templates folder.")
            continue
        if practice and (is_hard_link(path) or is_hard_link(path.with_suffix(".toml"))):
            catalog.problems.append(f"{path.name}: it is a hard link (the same file has another name, perhaps outside "
                                    "the templates folder), and a letter template is never read through a link; copy "
                                    "the file itself into the templates folder.")
            continue
        try:
            catalog.templates[path.stem] = _read_meta(path, practice)
        except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
            catalog.problems.append(f"{path.name}: its metadata ({path.stem}.toml) cannot be read ({error}).")


def _read_meta(path: Path, practice: bool) -> LetterTemplate:
    meta_path = path.with_suffix(".toml")
    meta = tomllib.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    return LetterTemplate(
        id=path.stem, title=str(meta.get("title", path.stem.replace("_", " ").capitalize())),
        version=int(meta.get("version", 1)), path=path, carcs=tuple(str(c) for c in meta.get("carcs", [])),
        payer_kinds=tuple(meta.get("payer_kinds", [])), routes=tuple(meta.get("routes", [])),
        levels=tuple(int(n) for n in meta.get("levels", [])), required=tuple(meta.get("required", [])),
        required_for={str(code): tuple(paths) for code, paths in meta.get("required_for", {}).items()},
        practice=practice)


def resolve(context: dict[str, Any], dotted: str) -> Any:
    value: Any = context
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def missing_fields(template: LetterTemplate, context: dict[str, Any]) -> list[str]:
    """The required fields the case lacks, by the names a biller knows ("member ID")."""
    return [field_label(path) for path in missing_paths(template, context)]


def missing_paths(template: LetterTemplate, context: dict[str, Any]) -> list[str]:
    """The context paths ("fields.clinical_summary", "practice.signer_name") the case lacks."""
    return [path for path in needed_paths(template, context) if not resolve(context, path)]


def field_label(path: str) -> str:
    return FIELD_LABELS.get(path, path)


#: What every letter needs whatever its template says: who it is from and who signs it.
ALWAYS_REQUIRED = ("practice.name", "practice.address_lines", "practice.signer_name", "practice.signer_title")


def needed_paths(template: LetterTemplate, context: dict[str, Any]) -> list[str]:
    """What this letter needs for this case: its `required`, `required_for` the case's codes, the
    sender and signer, and at a later level that level's own office."""
    carcs = {reason["carc"] for reason in context["denial"]["reasons"]}
    extra = [path for code, paths in template.required_for.items() if code in carcs for path in paths]
    paths = [*template.required, *extra, *ALWAYS_REQUIRED]
    if context["level"]["number"] > 1:  # the later level's own office, said once
        paths = [p for p in paths if p != "payer.address_lines"] + ["level.address_lines"]
    return list(dict.fromkeys(paths))


def render_markup(template: LetterTemplate, context: dict[str, Any]) -> str:
    """The letter body in letter markup; template mistakes become sentences naming the file. Our
    own templates are filled in here; any other (the practice's) by the worker, under a deadline."""
    folder, name = template.path.parent, template.path.name
    if folder.resolve() == letter_templates_dir().resolve():
        return render_template(folder, name, context)
    return render_isolated(folder, name, context)
