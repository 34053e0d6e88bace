"""The sandbox letter templates are filled in: Jinja's immutable sandbox (a template reads the
case's facts and can change none of them, nor reach Python's internals), a loader that reads
only regular files kept in the template's own folder (never a link, hard or symbolic, never a
path outside it),
and bounds on what one letter may cost: its length, a `range`, a repeated text, a power.

Every mistake a template can make becomes one sentence naming the file (and the line, when the
template says it); a compiled template is kept per folder and compiled again only when its
file changes (modification time and size).
"""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    Environment,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from workstation.core.errors import UserError
from workstation.core.resources import letter_templates_dir
from workstation.documents.letter_markup import protect

#: A letter's markup is a few thousand characters; one past this is a template gone wrong.
MAX_LETTER_CHARS = 200_000
#: `range(n)` in a template: a letter counts enclosures or lines, never thousands of anything.
MAX_RANGE = 1_000
#: `a ** b` in a template: a number of more bits than this is never a letter's.
MAX_POWER_BITS = 4_096


class TemplateProblem(UserError):
    """A practice template that cannot be used; the message names the file and line."""


class _Bound(Exception):
    """A template went past a bound or outside its folder; `what` says how, in words."""

    def __init__(self, what: str, advice: str = "fix the template file") -> None:
        super().__init__(what)
        self.what, self.advice = what, advice


def _bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise _Bound(f"counts to {len(numbers):,} with range(), more than the {MAX_RANGE:,} a letter may count to")
    return numbers


def _check_repeat(sequence: Any, count: Any) -> None:
    if isinstance(sequence, str | list | tuple) and isinstance(count, int) and len(sequence) * count > MAX_LETTER_CHARS:
        raise _Bound(f"repeats a text {count:,} times, more than a letter can hold")


def _check_power(base: Any, exponent: Any) -> None:
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0 and \
            abs(base).bit_length() * exponent > MAX_POWER_BITS:
        raise _Bound("computes a number far larger than a letter uses")


class LetterEnvironment(ImmutableSandboxedEnvironment):
    """The immutable sandbox with the letter's bounds, reading one folder."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, folder: Path) -> None:
        super().__init__(loader=_FolderLoader(folder), undefined=StrictUndefined, autoescape=False,
                         finalize=protect, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                         auto_reload=True)
        self.globals["range"] = _bounded_range

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
        elif operator == "**":
            _check_power(left, right)
        return super().call_binop(context, operator, left, right)


class _FolderLoader(BaseLoader):
    """Templates by name from one folder: regular files only, no links, nothing outside it. In a
    practice's folder a file with a second name (a hard link: `ln /etc/passwd templates/x.j2`) is
    refused too; the shipped folder is exempt, since an installer may hard-link its files."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder).resolve()
        self.refuses_hard_links = self.folder != letter_templates_dir().resolve()

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self._inside(template)
        try:
            handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            raise TemplateNotFound(template) from None
        except OSError as error:
            if error.errno == errno.ELOOP:  # the file became a link after it was looked at
                raise _link(template) from None
            raise _Bound(f"cannot read {template} ({error.strerror})") from None
        with os.fdopen(handle, "rb") as file:
            status = os.fstat(file.fileno())  # the file opened, not the name looked at: no race
            if self.refuses_hard_links and status.st_nlink > 1:
                raise _hard_link(template)
            signature = _signature(status)
            data = file.read()
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            raise _Bound(f"uses {template}, which is not UTF-8 text", "save it as UTF-8") from None
        return source, str(path), lambda: _current_signature(path) == signature

    def _inside(self, template: str) -> Path:
        """The file a name means inside the folder, each part of its path checked (no links)."""
        parts = template.replace("\\", "/").split("/")
        if any(part in ("", ".", "..") or ":" in part for part in parts):
            raise _Bound(f"names {template}, which is outside its templates folder",
                         "a template may only use files kept in that folder")
        path = self.folder
        for part in parts:
            path = path / part
            try:
                mode = os.lstat(path).st_mode
            except FileNotFoundError:
                raise TemplateNotFound(template) from None
            except OSError as error:
                raise _Bound(f"cannot read {template} ({error.strerror})") from None
            if stat.S_ISLNK(mode):
                raise _link(template)
        if not stat.S_ISREG(mode):
            raise _Bound(f"names {template}, which is not a template file")
        return path


def _link(template: str) -> _Bound:
    return _Bound(f"uses {template}, which is a link to a file elsewhere",
                  "a template may only use files kept in its own folder: copy the file there instead of linking it")


def _hard_link(template: str) -> _Bound:
    return _Bound(f"uses {template}, which is a hard link (the same file has another name, perhaps outside its "
                  "folder)", "a template may only use files kept in its own folder: copy the file there instead of "
                         "linking it")


def is_hard_link(path: Path) -> bool:
    """Whether a practice template (or its metadata) has a second name, which it is never read by."""
    try:
        status = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and status.st_nlink > 1


def is_link(path: Path) -> bool:
    """Whether a template (or its metadata) is a link, which is never read."""
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def _signature(status: os.stat_result) -> tuple[int, int]:
    return status.st_mtime_ns, status.st_size


def _current_signature(path: Path) -> tuple[int, int] | None:
    try:
        return _signature(os.lstat(path))
    except OSError:
        return None


_ENVIRONMENTS: dict[Path, LetterEnvironment] = {}
_ENVIRONMENTS_LOCK = threading.Lock()


def environment_for(folder: Path) -> LetterEnvironment:
    """One environment per folder: its compiled templates are reused until their file changes."""
    key = Path(folder).resolve()
    with _ENVIRONMENTS_LOCK:
        if key not in _ENVIRONMENTS:
            _ENVIRONMENTS[key] = LetterEnvironment(key)
        return _ENVIRONMENTS[key]


def render_template(folder: Path, name: str, context: dict[str, Any]) -> str:
    """The letter markup `name` in `folder` writes for this context, within the letter's bounds;
    any mistake of the template becomes a TemplateProblem naming the file."""
    environment = environment_for(folder)
    try:
        pieces, size = [], 0
        for piece in environment.get_template(name).generate(**context):
            size += len(piece)
            if size > MAX_LETTER_CHARS:
                raise _Bound(f"writes more than {MAX_LETTER_CHARS:,} characters, far more than a letter")
            pieces.append(piece)
        return "".join(pieces)
    except Exception as error:  # the sandbox's own advice: a template may raise anything
        raise TemplateProblem(problem_sentence(name, error, environment)) from None


def problem_sentence(name: str, error: BaseException, environment: LetterEnvironment | None = None) -> str:
    """What went wrong with a template, in one sentence that names the file and line."""
    if isinstance(error, TemplateSyntaxError):
        return (f"The letter template {error.name or name} has a mistake on line {error.lineno}: {error.message}; "
                "fix the template file.")
    subject = _subject(name, error, environment)
    if isinstance(error, SecurityError):
        return (f"{subject} tried to change the case's facts or reach the program's internals and was stopped; "
                "a template may only read the case's fields.")
    if isinstance(error, UndefinedError):
        return (f"{subject} uses a field the program does not know ({error.message}); check the field names in "
                "templates/letters/README.md.")
    if isinstance(error, _Bound):
        return f"{subject} {error.what}; {error.advice}."
    if isinstance(error, TemplateNotFound):
        return f"{subject} uses {error.name}, which is not in its templates folder; put the file there or fix the name."
    if isinstance(error, RecursionError):
        return f"{subject} has a macro that calls itself without end; fix the template file."
    if isinstance(error, MemoryError):
        return f"{subject} needs more memory than a letter may use; fix the template file."
    if isinstance(error, KeyError):
        return f"{subject} looks up {error}, which is not there; fix the template file."
    if isinstance(error, TemplateError):
        return f"{subject} cannot be used: {error}."
    return f"{subject} cannot be used: {error or type(error).__name__}; fix the template file."


def _subject(name: str, error: BaseException, environment: LetterEnvironment | None) -> str:
    """"Line 12 of the letter template X", or "Line 3 of header.j2, used by the letter template X":
    where the error came from, when the traceback says it."""
    loader = environment.loader if environment is not None else None
    found: tuple[str, int] | None = None
    trace = error.__traceback__
    while trace is not None and isinstance(loader, _FolderLoader):
        filename = trace.tb_frame.f_code.co_filename
        if filename.startswith(f"{loader.folder}{os.sep}"):
            found = (Path(filename).name, trace.tb_lineno)
        trace = trace.tb_next
    if found is None:
        return f"The letter template {name}"
    if found[0] == name:
        return f"Line {found[1]} of the letter template {name}"
    return f"Line {found[1]} of {found[0]}, used by the letter template {name},"
