"""Drafting, saving and printing letters and packets for a case (the letter editor and the
`letter` / `packet` commands share these)."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from workstation.casefile.case_file import CaseFile
from workstation.casefile.letter_store import LetterDraft, LetterVersion
from workstation.casefile.workspace import Workspace, workspace_of_case
from workstation.core.audit import AuditAction
from workstation.core.changes import Changes
from workstation.core.codebook import codebook
from workstation.core.deadlines import Deadline, DeadlineKind, deadline_for, facts_of
from workstation.core.errors import UserError
from workstation.core.model import Address, Case
from workstation.core.payer_kinds import Ladder, default_ladders
from workstation.core.review import evidence_needed
from workstation.core.vocabulary import EvidenceKind
from workstation.core.workspace_model import PracticeProfile
from workstation.documents.letter_checks import contradictions
from workstation.documents.letter_context import letter_context, written_name
from workstation.documents.letter_pdf import letter_pdf
from workstation.documents.letter_templates import (
    ROUTE_WORDS,
    LetterTemplate,
    TemplateCatalog,
    field_label,
    load_catalog,
    missing_paths,
    render_markup,
)
from workstation.documents.packet import Enclosure, Packet, build_packet
from workstation.documents.remittance_advice import TITLE as REMITTANCE_ADVICE
from workstation.documents.remittance_advice import remittance_advice_pdf
from workstation.documents.representation import (
    DESIGNATION,
    WAIVER,
    Representation,
    representation,
    standing_page,
)
from workstation.ops.audit import DIGEST_CHARS, file_digest, record
from workstation.ops.audit import case_id as audit_case_id
from workstation.ops.deadlines import LadderBook, buffer_days
from workstation.ops.files import write_file
from workstation.ops.settings import WorkspaceSettings, case_settings


class MissingFields(UserError):
    """The case lacks what the letter needs; `names` lists them in words, `paths` as context
    paths ("fields.good_cause_reason", "practice.signer_name") so a caller can say where to fill them."""

    def __init__(self, names: list[str], paths: list[str] | None = None) -> None:
        super().__init__(f"The letter needs: {', '.join(names)}. Fill them in, then try again.")
        self.names = names
        self.paths = paths or []


class LetterContradiction(UserError):
    """The case's facts contradict what the letter would assert; nothing is printed."""


@dataclass(frozen=True)
class LetterSetting:
    """What a letter is written from besides the case: the practice, the ladder's deadline, templates."""

    practice: PracticeProfile
    deadline: Deadline | None
    catalog: TemplateCatalog
    ladder: Ladder | None = None
    logo: bytes | None = None
    signature: bytes | None = None
    kind_unconfirmed: bool = False  # the payer's kind is still a guess nobody confirmed
    contracted: str = ""  # "yes", "no" or "" (not said): whether the practice is contracted with the plan


@dataclass(frozen=True)
class Draft:
    template: LetterTemplate
    context: dict[str, Any]
    markup: str
    missing: list[str]
    logo: bytes | None = None
    signature: bytes | None = None
    missing_paths: tuple[str, ...] = ()
    contradictions: tuple[str, ...] = ()  # sentences: what the case shows against the letter
    warnings: tuple[str, ...] = ()  # worth knowing before sending; the letter may still be printed


def letter_setting(case_path: Path, case: Case, *, today: date | None = None,
                   workspace: Workspace | None = None) -> LetterSetting:
    """The practice, deadline and templates of the case's workspace (defaults for a lone case file).
    A caller that holds the workspace open (the window) passes it, so nothing is opened again."""
    today = today or date.today()
    if workspace is not None:
        return _setting_in(workspace, case, today)
    root = workspace_of_case(case_path)
    if root is None:  # a case file on its own (a USB stick): the letterhead its last letter used
        ladder = default_ladders()[case.payer.kind]
        return LetterSetting(_practice_snapshot(case_path), deadline_for(facts_of(case), ladder, today=today),
                             template_catalog(), ladder, kind_unconfirmed=case.payer.kind_needs_check)
    with Workspace.open(root, backup=False) as opened:
        return _setting_in(opened, case, today)


def _setting_in(workspace: Workspace, case: Case, today: date) -> LetterSetting:
    ladder = LadderBook(workspace.payers()).ladder(case.payer.payer_id, case.payer.name, case.payer.kind.value)
    deadline = deadline_for(facts_of(case), ladder, today=today, buffer_days=buffer_days(workspace))
    entry = workspace.find_payer(case.payer.payer_id, case.payer.name)
    unconfirmed = entry.needs_check if entry is not None else case.payer.kind_needs_check
    return LetterSetting(workspace.practice(), deadline, template_catalog(workspace.templates_dir), ladder,
                         workspace.practice_image("logo"), workspace.practice_image("signature"), unconfirmed,
                         entry.contracted if entry is not None else "")


_CATALOGS: dict[Path | None, tuple[tuple, TemplateCatalog]] = {}
_CATALOGS_LOCK = threading.Lock()


def template_catalog(practice_dir: Path | None = None) -> TemplateCatalog:
    """The shipped and the practice's templates, read again only when the practice's folder or a
    file in it changed (its modification times), so drafting a letter never re-reads them all."""
    stamp = _folder_stamp(practice_dir)
    with _CATALOGS_LOCK:
        cached = _CATALOGS.get(practice_dir)
        if cached is None or cached[0] != stamp:
            cached = _CATALOGS[practice_dir] = (stamp, load_catalog(practice_dir))
        return cached[1]


def _folder_stamp(folder: Path | None) -> tuple:
    """The folder's and its files' modification times and sizes (an edit in place changes only the file's)."""
    if folder is None:
        return ()
    try:
        with os.scandir(folder) as entries:
            files = sorted((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in entries)
        return folder.stat().st_mtime_ns, tuple(files)
    except OSError:
        return ("absent",)


def _practice_snapshot(case_path: Path) -> PracticeProfile:
    """The practice as the newest saved letter of a lone case file printed it, else nothing
    (the letter then names what is missing)."""
    try:
        with CaseFile.open(case_path, read_only=True) as case_file:
            versions = case_file.letters.versions()
    except UserError:
        return PracticeProfile()
    saved = versions[-1].context.get("practice", {}) if versions else {}
    return PracticeProfile(name=saved.get("name", ""), address=_address(saved.get("address_lines", [])),
                           phone=saved.get("phone", ""),
                           fax=saved.get("fax", ""), npi=saved.get("npi", ""), tin=saved.get("tin", ""),
                           contact_name=saved.get("contact_name", ""), signer_name=saved.get("signer_name", ""),
                           signer_title=saved.get("signer_title", ""))


def _address(lines: list[str]) -> Address:
    """An address back from the lines a letter printed ("12 Example Way", "Exampleton, ZZ 00001")."""
    *streets, last = lines or [""]
    found = re.fullmatch(r"(.*), (\S+) (\S+)", last)
    city, state, zip_code = found.groups() if found else (last, "", "")
    streets = [*streets, "", ""]
    return Address(streets[0], streets[1], city, state, zip_code)


def suggested_templates(case: Case, setting: LetterSetting) -> list[LetterTemplate]:
    """Templates for this case's reasons, route, payer kind and level, the best first."""
    carcs = [code.split("-", 1)[-1] for code in case.reasons]
    return setting.catalog.suggest(carcs=carcs, payer_kind=case.payer.kind.value,
                                   route=case.route.value if case.route else "", level=_level_number(setting))


def last_fields(case_file: CaseFile) -> dict[str, str]:
    """The letter fields the biller typed last time (the newest saved letter's)."""
    versions = case_file.letters.versions()
    return dict(versions[-1].fields) if versions else {}


def draft_letter(case: Case, setting: LetterSetting, *, template_id: str | None = None,
                 fields: dict[str, str] | None = None, today: date | None = None,
                 remittance_advice: bool | None = None) -> Draft:
    """Fill a template from the case; missing fields are listed, nothing is invented. The route
    decides the kind of letter: a template for another route (or level) is refused with a sentence.
    `remittance_advice` is the case's choice for the packet (`remittance_advice_choice`)."""
    template = _template_for(case, setting, template_id)
    standing = _representation(case, setting)
    enclosures = enclosure_titles(case, standing, remittance_advice_enclosed(case, remittance_advice))
    context = letter_context(case, setting.practice, deadline=setting.deadline, enclosures=enclosures,
                             fields=fields or {}, today=today or date.today(), ladder=setting.ladder)
    context["representation"] = {"sentence": standing.sentence, "pages": list(standing_pages(case, standing))}
    route = case.route.value if case.route else ""
    context["letter"] = {"kind": route if route in template.routes else (template.routes or ("appeal",))[0]}
    paths = missing_paths(template, context)
    if standing.unknown_contract:
        paths.append("payer.contracted")  # a non-contracted provider's appeal without its waiver is dismissed
    if context["level"]["late"] and not context["fields"]["good_cause_reason"]:
        paths.append("fields.good_cause_reason")  # a late request without it is dismissed
    return Draft(template, context, render_markup(template, context), [field_label(p) for p in paths],
                 setting.logo, setting.signature, tuple(paths), tuple(contradictions(template.id, context)),
                 tuple(letter_warnings(case, context, kind_unconfirmed=setting.kind_unconfirmed)))


def _representation(case: Case, setting: LetterSetting) -> Representation:
    names = (written_name(case.patient.first_name), written_name(case.patient.last_name))
    patient = " ".join(p for p in names if p) or "the patient"
    return representation(case.payer.kind.value, setting.contracted, practice=setting.practice.name or "The practice",
                          plan=case.payer.name, patient=patient)


def enclosure_titles(case: Case, standing: Representation, remittance: bool) -> list[str]:
    """What the packet encloses, in its order (the letter lists the same): the documents included,
    the remittance advice made from the 835, then the standing pages."""
    return ([doc.title for doc in case.evidence if doc.included] + ([REMITTANCE_ADVICE] if remittance else [])
            + list(standing_pages(case, standing)))


def remittance_advice_enclosed(case: Case, choice: bool | None) -> bool:
    """Whether the packet encloses the remittance advice made from the case's 835: the biller's
    choice, else when the review calls for the remittance and no remittance document is enclosed."""
    if not case.remittances:
        return False
    if choice is not None:
        return choice
    attached = any(doc.kind is EvidenceKind.REMITTANCE and doc.included for doc in case.evidence)
    return not attached and EvidenceKind.REMITTANCE in evidence_needed(case, codebook())


def remittance_advice_choice(case_file: CaseFile) -> bool | None:
    """The biller's choice for this case's packet (None: as the review says)."""
    return case_file.letters.remittance_advice()


def set_remittance_advice(case_file: CaseFile, enclosed: bool | None, *, actor: str) -> Changes:
    """Enclose the remittance advice made from the 835 in the packet, or leave it out (a user action)."""
    return case_file.letters.set_remittance_advice(enclosed, actor=actor)


def remittance_advice_document(case: Case, setting: LetterSetting) -> bytes:
    """The remittance advice page of this case, as the packet encloses it."""
    return remittance_advice_pdf(case, prepared_by=setting.practice.name)


def standing_pages(case: Case, standing: Representation) -> tuple[str, ...]:
    """The standing pages the packet adds, unless the case already holds one of its kind (signed)."""
    held = " ".join(doc.title.lower() for doc in case.evidence if doc.included)
    return tuple(page for page in standing.pages if page.split(" ")[0].lower() not in held)


def _template_for(case: Case, setting: LetterSetting, template_id: str | None) -> LetterTemplate:
    route, level = case.route.value if case.route else "", _level_number(setting)
    if setting.deadline is not None and setting.deadline.kind is DeadlineKind.EXHAUSTED:
        raise UserError(f"No letter fits: every level of {case.payer.name}'s appeal ladder has been used. Add the "
                        "next level under Settings > Payers and appeal ladders if the payer has one, or close or "
                        "write off the case.")
    if template_id:
        template = setting.catalog.get(template_id)
        problem = template.unfit_because(payer_kind=case.payer.kind.value, route=route, level=level)
        if not problem and case.payer.kind.value == "medicare" and level > 1 and level not in template.levels:
            fitting = [t.id for t in suggested_templates(case, setting) if level in t.levels]
            problem = (f"At Medicare's level {level} the request must carry that level's own elements (42 CFR "
                       f"405.964(b) for a reconsideration); use the {' or '.join(fitting) or 'level'} letter.")
        if problem:
            raise UserError(problem)
        return template
    suggested = suggested_templates(case, setting)
    if not suggested:
        raise UserError(f"No letter fits a case routed to {ROUTE_WORDS.get(route, route or 'no route')}: "
                        "such a case needs no letter to the payer. Change its route (with the reason) to write one.")
    return suggested[0]


def _level_number(setting: LetterSetting) -> int:
    return setting.deadline.level if setting.deadline and setting.deadline.level else 1


def letter_warnings(case: Case, context: dict[str, Any], *, kind_unconfirmed: bool) -> list[str]:
    """What the biller should know before sending, though the letter may be printed."""
    warnings = []
    if kind_unconfirmed:
        warnings.append(f"The payer's kind ({context['payer']['kind_label']}) was guessed from the remittance; "
                        "confirm it under Settings > Payers and appeal ladders, since the letter's wording and "
                        "deadline depend on it.")
    pages = context.get("representation", {}).get("pages", [])
    if DESIGNATION in pages:
        warnings.append("The packet holds a designation of authorized representative: have the patient sign it "
                        "before the packet is sent, or attach the signed one.")
    if WAIVER in pages:
        warnings.append("The packet holds the waiver of liability: sign it before the packet is sent.")
    if case.payer.kind.value == "medicare" and context["level"]["number"] > 1 and not any(
            doc.kind.value == "decision_letter" and doc.included for doc in case.evidence):
        warnings.append("No decision letter is enclosed: attach the redetermination notice (kind: decision "
                        "letter), since the reconsideration request must include a copy of it.")
    return warnings


def letter_bytes(draft: Draft, markup: str | None = None) -> bytes:
    """The PDF of a draft (with the biller's edited text when given); refused while fields are missing."""
    if draft.missing:
        raise MissingFields(draft.missing, list(draft.missing_paths))
    if draft.contradictions:
        raise LetterContradiction(" ".join(draft.contradictions))
    return letter_pdf(draft.context, draft.markup if markup is None else markup, logo=draft.logo,
                      signature=draft.signature)


def save_letter(case_file: CaseFile, draft: Draft, *, markup: str, fields: dict[str, str], actor: str) -> Changes:
    """Keep this version in the case: text, fields, template and version, context snapshot, PDF."""
    pdf = letter_bytes(draft, markup)
    t = draft.template
    changes = case_file.letters.save(template_id=t.id, template_version=t.version, template_title=t.title,
                                     fields=fields, text=markup, context=draft.context, pdf=pdf, actor=actor)
    record(case_file.path, AuditAction.LETTER, case_id=audit_case_id(case_file), actor=actor,
           detail=f"saved in the case as a new version ({t.id} v{t.version}), {file_digest(pdf)}")
    return changes


# -- the draft the biller is typing -------------------------------------------------------------

#: Letter fields people write paragraphs in (the editor gives them several lines); the others are
#: a number, a date or a short reference.
PARAGRAPH_FIELDS = frozenset({"clinical_summary", "additional_argument", "good_cause_reason", "corrected_detail",
                              "distinct_service_detail", "other_coverage_detail", "eligibility_detail",
                              "enrollment_detail", "contract_detail", "requested_records"})

def letter_draft(case_file: CaseFile) -> LetterDraft | None:
    """The draft kept in the case (what the biller typed and did not save as a version), if any."""
    return case_file.letters.draft()


def keep_letter_draft(case_file: CaseFile, draft: LetterDraft, *, actor: str) -> Changes:
    """Keep the draft in the case as it is typed. Not a user action: no activity entry, no undo
    step, nothing any view must refresh."""
    case_file.letters.keep_draft(draft, actor=actor)
    return Changes(case_path=case_file.path)


def keep_letter_draft_at(case_path: Path, draft: LetterDraft, *, actor: str) -> Changes:
    """The same, for a case the window has already closed (the biller moved to another case)."""
    with CaseFile.open(case_path) as case_file:
        return keep_letter_draft(case_file, draft, actor=actor)


def discard_letter_draft(case_file: CaseFile) -> Changes:
    case_file.letters.discard_draft()
    return Changes(case_path=case_file.path)


def stale_because(draft: LetterDraft, template: LetterTemplate, level: int) -> str:
    """Why a kept draft's text no longer fits the letter offered now (the level or the template
    changed since it was typed), or "" when it still does."""
    if draft.level != level:
        return f"it was written for appeal level {draft.level} and the case is now at level {level}"
    if draft.template_id != template.id:
        return f"it was written from another letter ({draft.template_id.replace('_', ' ')})"
    if draft.template_version != template.version:
        return f"the {template.title} has been reworded since (version {template.version})"
    return ""


def newest_letter_pdf(case_file: CaseFile, case: Case) -> bytes:
    """The newest saved letter, or (when none was saved) a fresh one from the suggested template."""
    versions = case_file.letters.versions()
    if versions:
        return case_file.letters.pdf(versions[-1].id)
    draft = draft_letter(case, letter_setting(case_file.path, case), fields=last_fields(case_file),
                         remittance_advice=remittance_advice_choice(case_file))
    return letter_bytes(draft)


def case_packet(case_file: CaseFile, letter: LetterVersion | None = None) -> Packet:
    """The packet: the given (else the newest) letter, an index, the documents included now, in order,
    then the standing pages the payer needs (a designation for the patient to sign, a waiver)."""
    case = case_file.load()
    letter_pdf_bytes = case_file.letters.pdf(letter.id) if letter else newest_letter_pdf(case_file, case)
    enclosures = [Enclosure(doc.title, doc.kind.value, doc.media_type, doc.sha256, case_file.evidence.read(doc.id),
                            doc.id) for doc in case.evidence if doc.included]
    setting = letter_setting(case_file.path, case)
    return build_packet(letter_pdf_bytes, enclosures + _remittance_enclosure(case_file, case, setting)
                        + _standing_enclosures(case, setting), claim_number=case.claim.payer_claim_number)


def _remittance_enclosure(case_file: CaseFile, case: Case, setting: LetterSetting) -> list[Enclosure]:
    if not remittance_advice_enclosed(case, remittance_advice_choice(case_file)):
        return []
    data = remittance_advice_document(case, setting)
    return [Enclosure(REMITTANCE_ADVICE, EvidenceKind.REMITTANCE.value, "application/pdf",
                      hashlib.sha256(data).hexdigest(), data)]


def _standing_enclosures(case: Case, setting: LetterSetting) -> list[Enclosure]:
    titles = standing_pages(case, _representation(case, setting))
    if not titles:
        return []
    context = letter_context(case, setting.practice, deadline=setting.deadline, enclosures=[], fields={},
                             today=date.today(), ladder=setting.ladder)
    pages = [(title, standing_page(title, context)) for title in titles]
    return [Enclosure(title, "correspondence", "application/pdf", hashlib.sha256(data).hexdigest(), data)
            for title, data in pages]


def enclosure_mismatch(case_file: CaseFile, packet: Packet) -> str:
    """A sentence when the newest saved letter lists other enclosures than the packet holds."""
    versions = case_file.letters.versions()
    if not versions:
        return ""
    listed = list(versions[-1].context.get("enclosures", []))
    held = [part.title for part in packet.parts]
    if listed == held:
        return ""
    return (f"The saved letter lists {len(listed)} enclosures but the packet holds {len(held)} "
            "(documents were added, removed or reordered since); save the letter again so they match.")


@dataclass(frozen=True)
class SavedPacket:
    packet: Packet
    warning: str  # the saved letter lists other enclosures, or ""


def save_packet(case_file: CaseFile, target: Path, *, actor: str) -> SavedPacket:
    """Build the packet, write it to `target`, and keep its manifest when a letter was saved
    (the case then shows what was sent). The packet command and the window share this."""
    packet = case_packet(case_file)
    write_file(target, packet.pdf)
    record(case_file.path, AuditAction.PACKET, case_id=audit_case_id(case_file), actor=actor,
           detail=f"packet of {packet.page_count} pages and {len(packet.parts)} enclosures written to a PDF file, "
                  f"sha256 {packet.sha256[:DIGEST_CHARS]}")
    warning = enclosure_mismatch(case_file, packet)
    if case_file.letters.versions() and not case_file.read_only:
        record_packet(case_file, packet, actor=actor)
    return SavedPacket(packet, warning)


def record_packet(case_file: CaseFile, packet: Packet, *, actor: str) -> Changes:
    """Keep the packet's manifest (not a second copy of every document); needs a saved letter."""
    versions = case_file.letters.versions()
    if not versions:
        raise UserError("Save the letter first: the case keeps which letter version a packet was built from.")
    letter_id = versions[-1].id
    manifest = [{"doc_id": p.doc_id, "title": p.title, "sha256": p.sha256, "pages": p.pages,
                 "first_page": p.first_page} for p in packet.parts]
    return case_file.letters.record_packet(letter_id=letter_id, manifest=manifest, page_count=packet.page_count,
                                           pdf_sha256=packet.sha256, actor=actor)


PORTAL_DEFAULTS = {key: getattr(WorkspaceSettings(), key)  # read through WorkspaceSettings, the one reader
                   for key in ("portal_max_files", "portal_max_file_mb", "portal_max_total_mb")}


@dataclass(frozen=True)
class PortalExport:
    files: list[Path]
    warnings: list[str]


def portal_limits(case_path: Path) -> dict[str, int]:
    """The upload limits of the workspace (settings), else the common portal's: 10 files, 60 MB, 150 MB."""
    settings = case_settings(case_path)
    return {key: getattr(settings, key) for key in PORTAL_DEFAULTS}


def export_for_portal(case_file: CaseFile, folder: Path) -> PortalExport:
    """The letter and each enclosure (the packet's, in its order) as separate numbered files, with a
    warning when a file or the total is over the portal's limits (the files are written anyway)."""
    case = case_file.load()
    folder.mkdir(parents=True, exist_ok=True)
    setting = letter_setting(case_file.path, case)
    files = [write_file(folder / "01 Appeal letter.pdf", newest_letter_pdf(case_file, case))]
    documents = [(doc.title, doc.media_type, lambda doc=doc: case_file.evidence.read(doc.id))
                 for doc in case.evidence if doc.included]
    documents += [(part.title, part.media_type, lambda part=part: part.data)
                  for part in _remittance_enclosure(case_file, case, setting) + _standing_enclosures(case, setting)]
    for number, (title, media_type, data) in enumerate(documents, start=2):
        suffix = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}.get(media_type, ".tif")
        name = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in title)[:60].strip() or "document"
        files.append(write_file(folder / f"{number:02d} {name}{suffix}", data()))
    record(case_file.path, AuditAction.PACKET, case_id=case.case_id,
           detail=f"portal files: the letter and {len(files) - 1} documents written as {len(files)} files")
    return PortalExport(files, portal_warnings(files, portal_limits(case_file.path)))


def portal_warnings(files: list[Path], limits: dict[str, int]) -> list[str]:
    megabyte = 1024 * 1024
    warnings = []
    if len(files) > limits["portal_max_files"]:
        warnings.append(f"{len(files)} files: the portal takes at most {limits['portal_max_files']}; "
                        "combine some documents or send the packet as one PDF.")
    warnings += [f"{f.name} is {f.stat().st_size / megabyte:.1f} MB, over the portal's "
                 f"{limits['portal_max_file_mb']} MB a file; split or compress it."
                 for f in files if f.stat().st_size > limits["portal_max_file_mb"] * megabyte]
    total = sum(f.stat().st_size for f in files)
    if total > limits["portal_max_total_mb"] * megabyte:
        warnings.append(f"The files total {total / megabyte:.1f} MB, over the portal's "
                        f"{limits['portal_max_total_mb']} MB; send them in parts or by mail or fax.")
    return warnings
