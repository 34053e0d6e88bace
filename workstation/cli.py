"""The command line (DESIGN.md section 5): a stable contract scripts rely on.

Exit 0 on success, 1 on a user error (one sentence per problem on stderr), 2 on usage.
Progress goes to stderr, results to stdout.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.core.errors import UserError
from workstation.core.money import dollars
from workstation.core.summary import CaseSummary
from workstation.core.vocabulary import EvidenceKind, Status
from workstation.ops.about import version
from workstation.ops.logs import configure_logging

if TYPE_CHECKING:
    from workstation.ops.backups import BackupResult
    from workstation.ops.encryption import PassphraseRequest
    from workstation.ops.letters import MissingFields

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def cmd_gui(args: argparse.Namespace) -> int:
    if not _display_available():
        print("No screen is available here, so the window cannot open; use the command line "
              "instead (`workstation cases`, `workstation show FILE`; see `workstation --help`).",
              file=sys.stderr)
        return EXIT_USER_ERROR
    from workstation.gui.app import run_gui

    return run_gui(workspace=args.workspace, quit_after_shown=args.quit_after_shown,
                   quit_after_loaded=args.quit_after_loaded)


def _display_available() -> bool:
    """Qt aborts without a screen; check first (Windows and macOS always have one)."""
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal", "vnc")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def cmd_init(args: argparse.Namespace) -> int:
    from workstation.ops.workspaces import init_workspace

    if args.encrypt:
        from workstation.ops.encryption import create_encrypted_workspace

        with create_encrypted_workspace(Path(args.dir), _new_passphrase(f"the new workspace {args.dir}")) as workspace:
            print(f"Created an empty encrypted workspace in {workspace.root}; keep its passphrase safe: "
                  "without it nobody can open the cases.", file=sys.stderr)
        return EXIT_OK
    with init_workspace(Path(args.dir)) as workspace:
        print(f"Created an empty workspace in {workspace.root}", file=sys.stderr)
    return EXIT_OK


def cmd_encrypt(args: argparse.Namespace) -> int:
    from workstation.ops.encryption import encrypt_in_place, is_encrypted

    root = Path(args.workspace).expanduser()
    resuming = is_encrypted(root)
    passphrase = _passphrase(f"the workspace {root}") if resuming else _new_passphrase(f"the workspace {root}")

    def progress(done: int, total: int) -> None:
        if done % 100 == 0 or done == total:
            print(f"looked at {done} of {total} files", file=sys.stderr)

    result = encrypt_in_place(root, passphrase, progress=progress)
    print(f"Encrypted {result.encrypted} files in {root}" + (f" ({result.already} were already)" if result.already
                                                               else "") + ".", file=sys.stderr)
    for problem in result.left:
        print(problem, file=sys.stderr)
    return EXIT_USER_ERROR if result.left else EXIT_OK


def _passphrase_source(request: PassphraseRequest) -> str | None:
    """The command line's passphrase: WORKSTATION_PASSPHRASE (scripts), else a prompt on a terminal,
    else nobody to ask (the command says so in one sentence)."""
    return _passphrase(request.what, required=False)


def _passphrase(what: str, *, required: bool = True) -> str | None:
    from workstation.ops.encryption import PASSPHRASE_ENV

    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if not sys.stdin.isatty():
        if required:
            raise UserError(f"Give the passphrase of {what}: type it when asked (in a terminal) or set "
                            f"{PASSPHRASE_ENV}; nothing was changed.")
        return None
    return getpass.getpass(f"Passphrase for {what}: ", stream=sys.stderr)


def _new_passphrase(what: str) -> str:
    """A new passphrase: WORKSTATION_PASSPHRASE, or typed twice at a terminal."""
    from workstation.ops.encryption import PASSPHRASE_ENV

    if os.environ.get(PASSPHRASE_ENV) or not sys.stdin.isatty():
        return str(_passphrase(what))
    first = getpass.getpass(f"New passphrase for {what} (at least 8 characters): ", stream=sys.stderr)
    if getpass.getpass("The same passphrase again: ", stream=sys.stderr) != first:
        raise UserError("The two passphrases typed differ; nothing was changed.")
    return first


def cmd_demo(args: argparse.Namespace) -> int:
    from workstation.ops.demo import create_demo_workspace

    with create_demo_workspace(Path(args.dir)) as workspace:
        count = len(workspace.index.rows())
        print(f"Created a demo workspace with {count} synthetic cases in {workspace.root}", file=sys.stderr)
    return EXIT_OK


def cmd_cases(args: argparse.Namespace) -> int:
    from workstation.ops.cases import list_cases
    from workstation.ops.workspaces import workspace_for_command

    with workspace_for_command(args.workspace, reads_only=True) as workspace:
        rows = list_cases(workspace, status=args.status)
    if args.due_within is not None:
        from workstation.ops.deadlines import due_within

        rows = due_within(rows, args.due_within)
    if args.json:
        _print_json([row.to_json() for row in rows])
    else:
        _print_case_table(rows)
    return EXIT_OK


def _print_case_table(rows: list[CaseSummary]) -> None:
    for row in rows:
        if row.problem:
            print(f"{row.path.name}  PROBLEM: {row.problem}")
            continue
        print(f"{row.path.name}  {row.status:<18} {dollars(row.amount_at_stake):>11}  "
              f"{row.patient[:28]:<28} {row.payer[:32]:<32} {row.reason_text[:50]}")
    print(f"{len(rows)} cases", file=sys.stderr)


def cmd_show(args: argparse.Namespace) -> int:
    from workstation.ops.cases import case_json, load_case
    from workstation.ops.recovery import interrupted_notice

    path = Path(args.casefile)
    case = load_case(path)
    if notice := interrupted_notice(case):
        print(f"{path.name}: {notice}", file=sys.stderr)
    if args.json:
        _print_json(case_json(path, case))
        return EXIT_OK
    from workstation.ops.case_text import case_text

    print(case_text(case))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from workstation.ops.workspaces import check_path

    report = check_path(Path(args.path))
    if args.json:
        _print_json(report.to_json())
    else:
        for check in report.files:
            print(check.line, file=sys.stdout if check.ok else sys.stderr)
    for note in report.notes:
        print(note, file=sys.stderr)
    return EXIT_OK if report.problems == 0 else EXIT_USER_ERROR


def cmd_backup(args: argparse.Namespace) -> int:
    from workstation.ops.backups import back_up

    def progress(done: int, total: int) -> None:
        print(f"backed up {done} of {total} files", file=sys.stderr)

    result = back_up(Path(args.workspace), Path(args.dest), progress=progress,
                     waiting=lambda message: print(message, file=sys.stderr))
    _print_backup(result, as_json=args.json)
    return EXIT_USER_ERROR if result.manifest.damaged else EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from workstation.ops.backups import restore

    result = restore(Path(args.backup), Path(args.dest))
    _print_backup(result, as_json=args.json)
    return EXIT_USER_ERROR if result.manifest.damaged else EXIT_OK


def _print_backup(result: BackupResult, *, as_json: bool) -> None:
    if as_json:
        _print_json(result.to_json())
    else:
        print("\n".join(result.lines()))
    for line in result.problem_lines():
        print(line, file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    from workstation.ops.import_remittance import import_remittances, read_mapping
    from workstation.ops.user_config import load_config
    from workstation.ops.workspaces import workspace_for_command

    def progress(done: int, total: int) -> None:
        print(f"imported {done} of {total} files", file=sys.stderr)

    mapping = read_mapping(Path(args.map)) if args.map else None
    with workspace_for_command(args.workspace) as workspace:
        summary = import_remittances(workspace, [Path(f) for f in args.files], actor=load_config().user,
                                     progress=progress, csv_mapping=mapping,
                                     waiting=lambda message: print(message, file=sys.stderr))
    if args.json:
        _print_json(summary.to_json())
    else:
        print("\n".join(summary.lines()))
    for line in summary.error_lines():
        print(line, file=sys.stderr)
    return EXIT_USER_ERROR if summary.errors else EXIT_OK


def cmd_demographics(args: argparse.Namespace) -> int:
    from workstation.ops.demographics import fill_demographics
    from workstation.ops.user_config import load_config
    from workstation.ops.workspaces import workspace_for_command

    with workspace_for_command(args.workspace) as workspace:
        result = fill_demographics(workspace, Path(args.file), actor=load_config().user)
    print(f"Filled {result.filled} cases; {result.unmatched} rows matched no case.")
    return EXIT_OK


def cmd_deadlines(args: argparse.Namespace) -> int:
    from workstation.ops.cases import list_cases
    from workstation.ops.deadlines import deadline_json, export_calendar, open_deadlines
    from workstation.ops.workspaces import workspace_for_command

    with workspace_for_command(args.workspace, reads_only=True) as workspace:
        cases = list_cases(workspace)
        rows = open_deadlines(cases)
    rows.sort(key=lambda r: (r.deadline.days_left if r.deadline.days_left is not None else -10**6))
    if args.ics:
        count = export_calendar(rows, Path(args.ics))
        print(f"Wrote {count} cases' dates to {args.ics}", file=sys.stderr)
    if args.json:
        _print_json([deadline_json(row) for row in rows])
    elif not args.ics:
        for row in rows:
            d = row.deadline
            left = "?" if d.days_left is None else f"{d.days_left:+d}d"
            print(f"{row.path.name}  {left:>6}  {row.claim_number or '-':<18} {row.payer[:30]:<30} {d.basis}")
    _say_unreadable(sum(1 for case in cases if case.problem))
    return EXIT_OK


def _say_unreadable(count: int) -> None:
    """On stderr, the case files a listing could not read and so does not count (stdout stays as it was)."""
    from workstation.ops.cases import unreadable_notice

    if notice := unreadable_notice(count):
        print(notice, file=sys.stderr)


def cmd_report(args: argparse.Namespace) -> int:
    from workstation.ops.report import ReportRequest, checked_report, report_lines
    from workstation.ops.workspaces import workspace_for_command

    request = ReportRequest(_day(args.start, "--from"), _day(args.end, "--to"), args.payer or "")
    exporting = any(x is not None for x in (args.csv, args.xlsx, args.pdf))
    with workspace_for_command(args.workspace, reads_only=True, check_later=True) as workspace:
        report = checked_report(workspace, request)
        unreadable = len(workspace.index.unreadable())  # as the report's own rescan found them
        if exporting:
            from workstation.ops.report_export import export_report  # reportlab and openpyxl: 0.4 s to import

            written = export_report(report, csv_dir=_path(args.csv), xlsx=_path(args.xlsx), pdf=_path(args.pdf),
                                    practice=workspace.practice(), logo=workspace.practice_image("logo"),
                                    scope=args.payer or "", root=workspace.root)
            print(written.sentence(), file=sys.stderr)
    if args.json:
        _print_json(report)
    elif not exporting:
        print("\n".join(report_lines(report)))
    _say_unreadable(unreadable)
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    from workstation.ops.audit import audit_entries
    from workstation.ops.workspaces import workspace_for_command

    with workspace_for_command(args.workspace, reads_only=True) as workspace:
        entries = audit_entries(workspace, case_id=args.case, since=_day(args.since, "--since"))
    if args.json:
        _print_json([entry.to_json() for entry in entries])
    else:
        for e in entries:
            print(f"{e.at:%Y-%m-%d %H:%M:%S}  {e.actor:<12} {e.action:<16} {e.case_id or '-':<36}  {e.detail}")
    print(f"{len(entries)} entries", file=sys.stderr)
    return EXIT_OK


def _path(text: str | None) -> Path | None:
    return None if text is None else Path(text).expanduser()


def cmd_patterns_adopt(args: argparse.Namespace) -> int:
    from workstation.core.patterns import PatternKey
    from workstation.ops.report import adopt_pattern
    from workstation.ops.user_config import load_config
    from workstation.ops.workspaces import workspace_for_command

    key = PatternKey(args.payer, args.code.upper(), args.procedure, args.modifier or "")
    with workspace_for_command(args.workspace) as workspace:
        adopt_pattern(workspace, key, on=_day(args.on, "--on") or date.today(), note=args.note or "",
                      actor=load_config().user)
    print(f"Adopted a change against {key.label}; the report now counts its denials before and after.",
          file=sys.stderr)
    return EXIT_OK


def _day(text: str | None, option: str) -> date | None:
    from workstation.core.dates import parse_date

    try:
        return parse_date(text) if text else None
    except UserError:
        raise UserError(f"{option} takes a date (YYYY-MM-DD or MM/DD/YYYY), not '{text}'.") from None


#: A letter field is a sentence or a few paragraphs; a value past this is a mistake (a file pasted whole).
MAX_FIELD_CHARS = 20_000


def _fields(pairs: list[str]) -> dict[str, str]:
    fields = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            shown = pair if len(pair) <= 60 else f"{pair[:57]}..."
            raise UserError(f"--field takes NAME=VALUE (for example clinical_summary=...), not '{shown}'.")
        if len(value) > MAX_FIELD_CHARS:
            raise UserError(f"--field {key.strip()[:60]} has {len(value):,} characters; a letter field may have at "
                            f"most {MAX_FIELD_CHARS:,}. Shorten it; nothing was written.")
        fields[key.strip()] = value
    return fields


def cmd_letter(args: argparse.Namespace) -> int:
    from workstation.ops.letter_commands import letter_for_command
    from workstation.ops.letters import MissingFields
    from workstation.ops.user_config import load_config

    output = Path(args.output)
    if not output.parent.is_dir():  # before anything is saved in the case
        raise UserError(f"{output} could not be written (its folder does not exist); choose another folder. "
                        "Nothing was saved in the case.")
    try:
        draft, pdf = letter_for_command(Path(args.casefile), template_id=args.template, given=_fields(args.field),
                                        save=args.save, actor=load_config().user)
    except MissingFields as missing:
        return _missing(missing)
    _write(output, pdf)
    print(f"Wrote {args.output} ({draft.template.title})", file=sys.stderr)
    for warning in draft.warnings:
        print(f"Check: {warning}", file=sys.stderr)
    if args.save:
        print("Saved it in the case as a new letter version.", file=sys.stderr)
    return EXIT_OK


def cmd_packet(args: argparse.Namespace) -> int:
    from workstation.ops.letter_commands import packet_for_command
    from workstation.ops.letters import MissingFields
    from workstation.ops.user_config import load_config

    try:
        saved = packet_for_command(Path(args.casefile), Path(args.output), template_id=args.template,
                                   given=_fields(args.field), actor=load_config().user)
    except MissingFields as missing:
        return _missing(missing)
    if saved.warning:
        print(saved.warning, file=sys.stderr)
    packet = saved.packet
    print(f"Wrote {args.output}: {packet.page_count} pages, {len(packet.parts)} enclosures", file=sys.stderr)
    return EXIT_OK


def _missing(missing: MissingFields) -> int:
    """Today's sentence, then where each missing item is filled (`--field NAME=...`, the window)."""
    from workstation.ops.letter_commands import missing_lines

    for line in missing_lines(missing):
        print(line, file=sys.stderr)
    return EXIT_USER_ERROR


def cmd_templates(args: argparse.Namespace) -> int:
    from workstation.documents.letter_templates import load_catalog
    from workstation.ops.letter_commands import sorted_templates, template_json, template_lines
    from workstation.ops.user_config import chosen_workspace
    from workstation.ops.workspaces import workspace_for_command

    if chosen_workspace(args.workspace) is None:  # no workspace anywhere: the shipped templates
        catalog = load_catalog()
    else:
        with workspace_for_command(args.workspace) as workspace:
            catalog = load_catalog(workspace.templates_dir)
    templates = sorted_templates(catalog)
    if args.json:
        _print_json([template_json(t) for t in templates])
    else:
        print("\n".join(line for t in templates for line in template_lines(t)))
    for problem in catalog.problems:
        print(problem, file=sys.stderr)
    return EXIT_USER_ERROR if catalog.problems else EXIT_OK


def _write(target: Path, data: bytes) -> None:
    from workstation.ops.files import write_file

    write_file(target, data)


def cmd_attach(args: argparse.Namespace) -> int:
    from workstation.casefile.case_file import CaseFile
    from workstation.core.vocabulary import EvidenceKind
    from workstation.ops.evidence import attach_files
    from workstation.ops.user_config import load_config

    if args.title is not None and len(args.files) != 1:
        print("--title goes with one file only; with several, each takes its file name.", file=sys.stderr)
        return EXIT_USAGE
    with CaseFile.open(Path(args.casefile)) as case_file:
        result = attach_files(case_file, [Path(f) for f in args.files], actor=load_config().user,
                              kind=EvidenceKind(args.kind), title=args.title)
    for name in result.added:
        print(f"attached {name}")
    for sentence in result.refused:
        print(sentence, file=sys.stderr)
    return EXIT_USER_ERROR if result.refused else EXIT_OK


def cmd_scan(args: argparse.Namespace) -> int:
    """Paper intake: propose the fields of a scan; create a case or add to one only when asked."""
    from workstation.ops.scan_command import scan_command

    def progress(done: int, total: int, name: str) -> None:
        print(f"read page {done} of {total} of {name}", file=sys.stderr)

    if args.record_decision and not args.add_to:
        print("--record-decision goes with --add-to CASEFILE: the decision belongs to the case the appeal was "
              "sent from.", file=sys.stderr)
        return EXIT_USAGE
    if args.create and args.add_to:
        print("Choose --create (a new case) or --add-to CASEFILE (the case it belongs to), not both.", file=sys.stderr)
        return EXIT_USAGE
    result = scan_command([Path(f) for f in args.files], workspace=args.workspace, corrections=_fields(args.field),
                          create=args.create, add_to=Path(args.add_to) if args.add_to else None,
                          record_decision=args.record_decision, new_anyway=args.new_anyway, progress=progress)
    if args.json:
        _print_json(result.to_json())
    else:
        print("\n".join(result.lines()))
    for note in result.notes:
        print(note, file=sys.stderr)
    return EXIT_OK


def cmd_official_codes(args: argparse.Namespace) -> int:
    from workstation.ops.official_codes import import_official_codes

    count = import_official_codes(Path(args.file))
    print(f"Stored the official wording of {count} codes; `workstation explain` now shows it beside ours.")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from workstation.ops.explain import explain_code

    for code in args.codes:
        print(explain_code(code))
        print()
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from workstation.ops.explain import validate_file

    report = validate_file(Path(args.file))
    print(f"{report.file}: {'valid' if report.valid else 'NOT valid'} by the X12 implementation guide (pyx12)")
    for message in report.messages:
        print(f"  {message}")
    return EXIT_OK if report.valid else EXIT_USER_ERROR


def _status(value: str) -> str:
    try:
        return Status(value).value
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"unknown status '{value}'; choose one of {', '.join(s.value for s in Status)}") from None


_TEMPLATE_IDS = "(the letter template ids)"  # replaced by the ids only when help is shown


class _HelpWithTemplates(argparse.HelpFormatter):
    """Help whose epilog names the template ids, read from disk only when help is printed."""

    def add_text(self, text: str | None) -> None:
        if text == _TEMPLATE_IDS:
            from workstation.ops.letter_commands import help_epilog

            text = help_epilog()
        super().add_text(text)


def _letter_options(command: argparse.ArgumentParser, template_help: str) -> None:
    """--template and --field, shared by `letter` and `packet`; help lists the template ids."""
    command.add_argument("--template", metavar="ID", help=template_help)
    command.add_argument("--field", action="append", default=[], metavar="NAME=VALUE",
                         help="a letter field the case does not hold, e.g. clinical_summary=... (repeatable; "
                              "a name no template uses is refused)")
    command.formatter_class, command.epilog = _HelpWithTemplates, _TEMPLATE_IDS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workstation", description="Appeal Workstation: claim denials, case files, appeal letters.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(dest="command")

    def add(name: str, handler: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    gui = add("gui", cmd_gui, "open the window (the default)")
    gui.add_argument("-w", "--workspace", help="workspace folder (default: the last one used)")
    gui.add_argument("--quit-after-shown", action="store_true", help=argparse.SUPPRESS)
    gui.add_argument("--quit-after-loaded", action="store_true", help=argparse.SUPPRESS)
    init = add("init", cmd_init, "create an empty workspace")
    init.add_argument("dir")
    init.add_argument("--encrypt", action="store_true",
                      help="encrypt every file of the workspace (asks for a new passphrase, or reads "
                           "WORKSTATION_PASSPHRASE)")
    encrypt = add("encrypt", cmd_encrypt, "encrypt an existing workspace in place, file by file (run it again "
                                          "to finish one that was interrupted)")
    encrypt.add_argument("workspace")
    add("demo", cmd_demo, "create a synthetic demo workspace (no real patient data)").add_argument("dir")
    cases = add("cases", cmd_cases, "list every case in the workspace")
    cases.add_argument("-w", "--workspace", help="workspace folder (default: the last one used)")
    cases.add_argument("--json", action="store_true", help="print JSON rows")
    cases.add_argument("--status", type=_status, help="only cases with this status")
    cases.add_argument("--due-within", type=int, metavar="DAYS", help="only cases due within DAYS")
    show = add("show", cmd_show, "print the whole case")
    show.add_argument("casefile")
    show.add_argument("--json", action="store_true", help="print JSON")
    check = add("check", cmd_check, "verify a case file or a whole workspace (SQLite's checks and our schema's); "
                                    "undoes a change a crash interrupted and removes files an interrupted import left")
    check.add_argument("path")
    check.add_argument("--json", action="store_true", help="print the verdict of every file as JSON")
    backup = add("backup", cmd_backup, "copy a workspace (workspace.sqlite, every case file, the templates) into a "
                                       "new or empty folder, with a manifest of SHA-256s")
    backup.add_argument("workspace", metavar="WS")
    backup.add_argument("dest", metavar="DEST")
    backup.add_argument("--json", action="store_true", help="print what was backed up as JSON")
    restore = add("restore", cmd_restore, "verify a backup against its manifest, then restore it into a new or "
                                          "empty folder")
    restore.add_argument("backup", metavar="BACKUP")
    restore.add_argument("dest", metavar="DEST")
    restore.add_argument("--json", action="store_true", help="print what was restored as JSON")
    imports = add("import", cmd_import, "import 835 remittance files: denials become cases")
    imports.add_argument("files", nargs="+", metavar="FILE")
    imports.add_argument("-w", "--workspace", help="workspace folder (default: the last one used)")
    imports.add_argument("--json", action="store_true", help="print the summary as JSON")
    imports.add_argument("--map", metavar="MAP", help="column mapping file for CSV denials (TOML)")
    demographics = add("demographics", cmd_demographics,
                       "fill empty case fields (date of birth, diagnoses...) from a CSV by account number")
    demographics.add_argument("file")
    demographics.add_argument("-w", "--workspace", help="workspace folder (default: the last one used)")
    deadlines = add("deadlines", cmd_deadlines, "every open case's next deadline, and an .ics calendar")
    deadlines.add_argument("-w", "--workspace", help="workspace folder (default: the last one used)")
    deadlines.add_argument("--json", action="store_true", help="print JSON rows")
    deadlines.add_argument("--ics", metavar="OUT.ics", help="write the send-by and follow-up dates as a calendar")
    letter = add("letter", cmd_letter, "write the appeal letter of a case as a PDF")
    letter.add_argument("casefile")
    letter.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    _letter_options(letter, "template id (default: the one the case's reasons suggest)")
    letter.add_argument("--save", action="store_true", help="also keep the letter in the case as a new version")
    packet = add("packet", cmd_packet, "build the packet (the newest saved letter, an index, the documents)")
    packet.add_argument("casefile")
    packet.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    _letter_options(packet, "template id; with --template or --field the letter is drafted with them and saved "
                            "first (default: the newest saved letter, as without them)")
    templates = add("templates", cmd_templates, "list the letter templates: what each fits and needs")
    templates.add_argument("-w", "--workspace", help="workspace folder (default: the last one used)")
    templates.add_argument("--json", action="store_true", help="print JSON rows")
    attach = add("attach", cmd_attach, "store documents (PDF, PNG, JPEG, TIFF) in a case file")
    attach.add_argument("casefile")
    attach.add_argument("files", nargs="+", metavar="FILE")
    attach.add_argument("--kind", default="other", choices=[k.value for k in EvidenceKind],
                        help="what the documents prove (default: other)")
    attach.add_argument("--title", help="the document's title (one file only; default: the file name)")
    add("official-codes", cmd_official_codes,
        "load the official X12 CARC/RARC list (a CSV you obtained) to show its wording beside ours").add_argument(
        "file")
    add("explain", cmd_explain, "say what codes mean and what to do, e.g. CO-253 50 N130").add_argument(
        "codes", nargs="+", metavar="CODE")
    add("validate", cmd_validate, "check an X12 file against the implementation guide (pyx12)").add_argument("file")
    _scan_command(add)
    _report_commands(add)
    _audit_command(add)
    return parser


def _audit_command(add: Callable[..., argparse.ArgumentParser]) -> None:
    audit = add("audit", cmd_audit, "the audit trail: who opened, viewed, exported or printed which case, and when")
    audit.add_argument("-w", "--workspace", help="workspace folder (default: the last one used)")
    audit.add_argument("--json", action="store_true", help="print JSON rows")
    audit.add_argument("--case", metavar="ID", help="only this case (its id, or the start of it)")
    audit.add_argument("--since", metavar="DATE", help="only entries on or after this day")


def _scan_command(add: Callable[..., argparse.ArgumentParser]) -> None:
    scan = add("scan", cmd_scan, "read a scanned EOB or payer letter (PDF, PNG, JPEG, TIFF) and propose its fields; "
                                 "--create or --add-to writes only what you confirm")
    scan.add_argument("files", nargs="+", metavar="FILE")
    scan.add_argument("-w", "--workspace", help="workspace folder (default: the last one used)")
    scan.add_argument("--json", action="store_true", help="print the proposal (or what was done) as JSON")
    scan.add_argument("--field", action="append", default=[], metavar="NAME=VALUE",
                      help="a correction of a proposed field, e.g. claim_number=2026A123 (repeatable)")
    scan.add_argument("--create", action="store_true", help="create the case from the proposal and the corrections, "
                                                            "with the scan stored in it")
    scan.add_argument("--add-to", metavar="CASEFILE", help="store the scan in this case instead (the one it matches)")
    scan.add_argument("--record-decision", action="store_true",
                      help="with --add-to: also record the decision the letter states, dated by its notice date")
    scan.add_argument("--new-anyway", action="store_true",
                      help="with --create: create a new case even though the scan matches one")


def _report_commands(add: Callable[..., argparse.ArgumentParser]) -> None:
    report = add("report", cmd_report, "denial and appeal figures: rates, reasons, payers, outcomes, patterns")
    report.add_argument("-w", "--workspace", help="workspace folder (default: the last one used)")
    report.add_argument("--from", dest="start", help="first day (default: a year before --to)")
    report.add_argument("--to", dest="end", help="last day (default: today)")
    report.add_argument("--payer", help="only this payer's claims and cases")
    report.add_argument("--json", action="store_true", help="print JSON")
    report.add_argument("--csv", metavar="DIR", help="write every table as a CSV file in this folder (made if missing)")
    report.add_argument("--xlsx", metavar="OUT.xlsx", help="write the tables as an Excel workbook")
    report.add_argument("--pdf", metavar="OUT.pdf", help="write the report on paper: letterhead, figures, charts")
    patterns = add("patterns", lambda _args: patterns.print_help() or EXIT_USAGE,
                   "recurring denials: `patterns adopt` marks one as answered by a change")
    adopt = patterns.add_subparsers(dest="action").add_parser(
        "adopt", help="mark a recurring denial as answered by a change, so the report counts it before and after")
    adopt.set_defaults(handler=cmd_patterns_adopt)
    adopt.add_argument("-w", "--workspace", help="workspace folder (default: the last one used)")
    for name, text in (("payer", "payer name, as the report prints it"), ("code", "group and reason, e.g. CO-97"),
                       ("procedure", "procedure code, e.g. 97110")):
        adopt.add_argument(f"--{name}", required=True, help=text)
    adopt.add_argument("--modifier", help="the modifier, e.g. GP")
    adopt.add_argument("--on", help="the day the change started (default: today)")
    adopt.add_argument("--note", help="what was changed")


def _say_left_out_payers() -> None:
    """Once per command: payer directory entries were left out as unreadable (deadlines follow)."""
    from workstation.ops.payers import left_out_notice

    if notice := left_out_notice():
        print(notice, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--letter-template-worker"]:  # the packaged program as its own template worker (template_worker.py)
        from workstation.documents.template_worker import serve_stdio

        return serve_stdio()
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv = ["gui", *argv]
    args = build_parser().parse_args(argv)
    configure_logging()
    from workstation.ops.holiday_store import keep_holidays
    from workstation.ops.payers import forget_left_out
    from workstation.ops.user_config import data_dir

    keep_holidays(data_dir())  # the holidays library's 0.1 s import, once per version of it

    forget_left_out()
    try:
        from workstation.ops.encryption import start_session

        start_session(_passphrase_source)  # one command, one session: a key is derived at most once
        code = args.handler(args)
        _say_left_out_payers()
        return code
    except UserError as error:
        print(str(error), file=sys.stderr)
        _say_left_out_payers()
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `workstation cases | head`
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
