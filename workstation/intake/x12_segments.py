"""A streaming X12 segment reader, strict about content and lenient about framing.

Hand-written on purpose: pyx12's reader costs about 1.1 ms a claim (11 s for a 10,000-claim
file) because it walks the implementation guide for every segment, while splitting segments
is all an import needs (0.13 s for the same file). pyx12 stays the reference validator
(`validate.py`) and checks this reader in the tests.

Real senders get framing wrong: ISAs that are not 106 characters, a last segment without its
terminator, line breaks before the terminator. Delimiters are found by position, whatever the
ISA's length; what is not X12 is refused within the first kilobytes; reading stays linear.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20
ISA_LENGTH = 106
ISA_FIELDS = 16
#: How far into a file its ISA (or first ST) must have ended: anything else is not X12.
HEAD_LIMIT = 4096
#: No segment of an 835 comes near this; a longer one means the terminator is not what it seems.
SEGMENT_LIMIT = 64 * 1024
#: Segments whose loss of a terminator at the end of a file changes nothing that is imported.
SAFE_UNTERMINATED = ("IEA", "GE", "SE")


class X12FileRefused(Exception):
    """The whole file cannot be read as X12; the message is one sentence for the biller."""


@dataclass(frozen=True)
class Delimiters:
    element: str = "*"
    component: str = ":"
    repetition: str = "^"
    segment: str = "~"


class Segment:
    """One segment: its 1-based position in the file, tag and elements; a plain slotted class
    because a 10,000-claim file makes 150,000 of them."""

    __slots__ = ("cut", "elements", "number", "raw", "tag")

    def __init__(self, number: int, tag: str, elements: list[str], *, cut: bool = False, raw: str = "") -> None:
        self.number = number
        self.tag = tag
        self.elements = elements
        self.cut = cut  # the file ended inside this segment: its last element may be incomplete
        self.raw = raw  # as read, with the usual delimiters (* and :), for the transaction's fingerprint

    def get(self, position: int) -> str:
        """Element by its X12 position (CLP01 is get(1)); '' when absent."""
        return self.elements[position - 1] if 0 < position <= len(self.elements) else ""

    def text(self) -> str:
        """The segment with the usual delimiters, as a sentence quotes it."""
        return "*".join([self.tag, *self.elements])

    def __repr__(self) -> str:
        return f"Segment({self.number}, {self.text()!r})"


@dataclass(frozen=True)
class FileStart:
    """What the first kilobytes of a file say about how to read the rest."""

    delimiters: Delimiters
    has_envelope: bool
    isa_length: int = ISA_LENGTH  # characters up to and including the ISA's terminator


def require_regular_file(path: Path) -> None:
    """Refuse, without opening it, what is not a plain file: a pipe or device never ends."""
    mode = os.stat(path).st_mode  # a missing file or a folder raises OSError for the caller
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(21, "it is a folder", str(path))
    if not stat.S_ISREG(mode):
        raise X12FileRefused(f"{Path(path).name} is not a regular file (it is a device or a pipe); "
                             "save the remittance as a file and import that file.")


def file_start(head: bytes, name: str) -> FileStart:
    """The delimiters an ISA declares, or the usual ones for a file starting at ST.
    Refuses what is not X12 with a sentence, from the first kilobytes alone."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise X12FileRefused(f"{name} is empty; ask the sender for the remittance file again.")
    if stripped.startswith(b"%PDF"):
        raise X12FileRefused(f"{name} is a PDF document, not an 835 remittance file; download the electronic "
                             "remittance (835/ERA) from the payer or clearinghouse instead of the printable copy.")
    if stripped[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in stripped[:200]:
        raise X12FileRefused(f"{name} is not plain text (it is UTF-16 or binary); save the remittance as plain "
                             "text (ASCII or UTF-8) or download it again.")
    if stripped.startswith(b"ISA"):
        return _isa_start(stripped[:HEAD_LIMIT].decode("latin-1"), name)
    if stripped.startswith(b"ST") and stripped[2:3] in b"*|^":
        return FileStart(_st_delimiters(stripped[:HEAD_LIMIT].decode("latin-1"), name), has_envelope=False)
    raise X12FileRefused(f"{name} is not an X12 remittance: it does not start with an ISA or ST segment.")


def _isa_start(head: str, name: str) -> FileStart:
    """Delimiters by position, whatever the ISA's length or layout: the first character after
    "ISA" separates elements (blanks before it are layout, as in ISA split over lines), ISA16 is
    the component separator, and the last character before the GS segment ends segments."""
    element = head[3:].lstrip(" \t\r\n")[:1]
    if not element or element.isalnum():
        raise _unrecognised(name)
    separators = [i for i, char in enumerate(head) if char == element][:ISA_FIELDS]
    if len(separators) < ISA_FIELDS:
        if len(head) < ISA_LENGTH:
            raise X12FileRefused(f"{name} ends inside its first (ISA) segment; the file is cut short.")
        raise _unrecognised(name)
    last = separators[-1]
    next_segment = head.find(f"GS{element}", last)
    if next_segment < 0:
        if len(head) < HEAD_LIMIT:
            raise X12FileRefused(f"{name} ends before its GS segment; the file is cut short.")
        raise _unrecognised(name)
    component, terminator = _isa_end(head[last + 1:next_segment])
    if not component or not terminator or component.isalnum() or terminator.isalnum() or terminator == element:
        raise _unrecognised(name)
    fields = [f.strip() for f in head[:last].split(element)]
    repetition = fields[11] if len(fields) > 12 and fields[12] >= "00402" and len(fields[11]) == 1 \
        and not fields[11].isalnum() else "^"
    return FileStart(Delimiters(element, component, repetition, terminator), True,
                     head.index(terminator, last + 1) + 1)


def _isa_end(tail: str) -> tuple[str, str]:
    """ISA16 and the segment terminator from what lies between the ISA's last separator and GS:
    ":~", ":~\n", ":\n~" (blanks are layout), ":\n" (a line break ends segments), or an
    HTML-escaped "&gt;~" that a web page left behind."""
    core = tail.strip(" \t\r\n")
    if len(core) == 1:
        breaks = tail[tail.index(core) + 1:]
        return core, ("\n" if "\n" in breaks else breaks[:1])
    if len(core) < 2:
        return "", ""
    component = html.unescape(core[:-1].strip(" \t\r\n"))
    return (component if len(component) == 1 else ""), core[-1]


def _unrecognised(name: str) -> X12FileRefused:
    return X12FileRefused(f"{name} has an ISA segment whose delimiters cannot be recognised (it needs 16 "
                          "elements and a segment terminator that is not a letter or digit); "
                          "ask the sender for a corrected file.")


def _st_delimiters(head: str, name: str) -> Delimiters:
    """A file with no envelope: the usual ~ ends segments, else a line break does."""
    for terminator in ("~", "\n"):
        if terminator in head:
            return Delimiters(element=head[2], segment=terminator)
    raise X12FileRefused(f"{name} has no segment terminator in its first {HEAD_LIMIT // 1024} KB, so it is "
                         "not an X12 remittance; ask the sender for the remittance (835) file.")


class SegmentReader:
    """Iterates the segments of one file without loading it whole; hashes it on the way."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.digest = hashlib.sha256()
        self.start = FileStart(Delimiters(), True)
        self.notes: list[str] = []

    @property
    def sha256(self) -> str:
        return self.digest.hexdigest()

    @property
    def delimiters(self) -> Delimiters:
        return self.start.delimiters

    @property
    def has_envelope(self) -> bool:
        return self.start.has_envelope

    def __iter__(self) -> Iterator[Segment]:
        require_regular_file(self.path)
        with self.path.open("rb") as handle:
            first = handle.read(CHUNK)
            self.start = file_start(first, self.path.name)
            if self.has_envelope and self.start.isa_length != ISA_LENGTH:
                self.notes.append(f"The ISA segment has {self.start.isa_length} characters where the standard "
                                  f"has {ISA_LENGTH}; its delimiters were read from their positions.")
            yield from self._segments(handle, first)

    def _segments(self, handle, first: bytes) -> Iterator[Segment]:
        decoder = codecs.getincrementaldecoder("utf-8")()
        terminator, element = self.delimiters.segment, self.delimiters.element
        usual = str.maketrans({element: "*", self.delimiters.component: ":"})
        standard = (element, self.delimiters.component) == ("*", ":")
        pending, number, chunk = "", 0, first
        while chunk:
            self.digest.update(chunk)
            text = _decode(decoder, chunk)
            pending += text.lstrip("\ufeff") if number == 0 and not pending else text
            *complete, pending = pending.split(terminator)
            for raw in complete:
                stripped = raw.strip()
                if stripped:
                    number += 1
                    parts = stripped.split(element)
                    yield Segment(number, parts[0].upper(), parts[1:],
                                  raw=stripped if standard else stripped.translate(usual))
            if len(pending) > SEGMENT_LIMIT:
                raise X12FileRefused(f"{self.path.name} has a segment (number {number + 1}) longer than "
                                     f"{SEGMENT_LIMIT // 1024} KB, so its segment terminator '{terminator}' is not "
                                     "used throughout; ask the sender for a corrected file.")
            chunk = handle.read(CHUNK)
        if pending.strip():
            yield self._last(number + 1, pending.strip())

    def _last(self, number: int, text: str) -> Segment:
        """The file ends without a terminator after its last segment."""
        segment = _segment(number, text, self.delimiters.element)
        if segment.tag in SAFE_UNTERMINATED:
            self.notes.append(f"The last segment ({segment.tag}) has no terminator; it was read as complete.")
            return segment
        return Segment(number, segment.tag, segment.elements, cut=True, raw=segment.raw)


def _segment(number: int, text: str, element: str) -> Segment:
    parts = text.split(element)
    return Segment(number, parts[0].upper(), parts[1:], raw="*".join(parts))


def _decode(decoder: codecs.IncrementalDecoder, chunk: bytes) -> str:
    """UTF-8 when the file is UTF-8; Latin-1 from the first byte that is not (older senders)."""
    if getattr(decoder, "fallback", False):
        return chunk.decode("latin-1")
    try:
        return decoder.decode(chunk)
    except UnicodeDecodeError:
        decoder.fallback = True  # type: ignore[attr-defined]
        return chunk.decode("latin-1")


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks (recognises a file imported before)."""
    require_regular_file(path)
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
