"""A streaming X12 segment reader.

Hand-written on purpose: pyx12's reader costs about 1.1 ms a claim (11 s for a 10,000-claim
file) because it walks the implementation guide for every segment, while splitting segments
is all an import needs (0.13 s for the same file). pyx12 stays the reference validator
(`validate.py`) and checks this reader in the tests.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20
ISA_LENGTH = 106
#: Where the ISA's element separators fall: its sixteen fields have fixed widths.
ISA_SEPARATORS = (3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103)


class X12FileRefused(Exception):
    """The whole file cannot be read as X12; the message is one sentence for the biller."""


@dataclass(frozen=True)
class Delimiters:
    element: str = "*"
    component: str = ":"
    repetition: str = "^"
    segment: str = "~"


@dataclass(frozen=True)
class Segment:
    number: int  # 1-based position in the file
    tag: str
    elements: list[str]

    def get(self, position: int) -> str:
        """Element by its X12 position (CLP01 is get(1)); '' when absent."""
        return self.elements[position - 1] if 0 < position <= len(self.elements) else ""


def delimiters_from_start(head: bytes, name: str) -> tuple[Delimiters, bool]:
    """The delimiters an ISA declares, or the usual ones for a file starting at ST.
    Returns (delimiters, has_envelope); refuses what is not X12 with a sentence."""
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
        return _isa_delimiters(stripped, name), True
    if stripped.startswith(b"ST") and stripped[2:3] in b"*|^~":
        return Delimiters(element=chr(stripped[2])), False
    raise X12FileRefused(f"{name} is not an X12 remittance: it does not start with an ISA or ST segment.")


def _isa_delimiters(head: bytes, name: str) -> Delimiters:
    if len(head) < ISA_LENGTH:
        raise X12FileRefused(f"{name} ends inside its first (ISA) segment; the file is cut short.")
    text = head[:ISA_LENGTH].decode("latin-1")
    element, component, segment = text[3], text[104], text[105]
    if (text.count(element, 0, 104) != 16 or any(text[i] != element for i in ISA_SEPARATORS)
            or element.isalnum() or segment.isalnum()):
        raise X12FileRefused(f"{name} has an ISA segment whose delimiters cannot be recognised "
                             "(it must be exactly 106 characters); ask the sender for a corrected file.")
    repetition = text[82] if text[84:89] >= "00402" and not text[82].isalnum() else "^"
    return Delimiters(element, component, repetition, segment)


class SegmentReader:
    """Iterates the segments of one file without loading it whole; hashes it on the way."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.digest = hashlib.sha256()
        self.delimiters = Delimiters()
        self.has_envelope = True

    @property
    def sha256(self) -> str:
        return self.digest.hexdigest()

    def __iter__(self) -> Iterator[Segment]:
        with self.path.open("rb") as handle:
            first = handle.read(CHUNK)
            self.delimiters, self.has_envelope = delimiters_from_start(first, self.path.name)
            yield from self._segments(handle, first)

    def _segments(self, handle, first: bytes) -> Iterator[Segment]:
        decoder = codecs.getincrementaldecoder("utf-8")()
        terminator, element = self.delimiters.segment, self.delimiters.element
        pending, number, chunk = "", 0, first
        while chunk:
            self.digest.update(chunk)
            pending += _decode(decoder, chunk)
            *complete, pending = pending.split(terminator)
            for raw in complete:
                text = raw.strip()
                if text:
                    number += 1
                    parts = text.split(element)
                    yield Segment(number, parts[0].upper(), parts[1:])
            chunk = handle.read(CHUNK)
        if pending.strip():
            raise X12FileRefused(f"{self.path.name} ends in the middle of segment {number + 1} "
                                 f"('{pending.strip()[:20]}'); the file was cut short, so ask the sender for it again.")


def _decode(decoder: codecs.IncrementalDecoder, chunk: bytes) -> str:
    """UTF-8 when the file is UTF-8; Latin-1 from the first byte that is not (older senders)."""
    if getattr(decoder, "fallback", False):
        return chunk.decode("latin-1")
    try:
        return decoder.decode(chunk)
    except UnicodeDecodeError:
        decoder.fallback = True  # type: ignore[attr-defined]
        return chunk.decode("latin-1")


def refuse_cut_after_a_segment(path: Path, delimiters: Delimiters) -> None:
    """Refuse, before anything is read, a file with an ISA envelope whose last segment is not IEA:
    it was cut short at a segment boundary. (A file cut inside a segment is refused where the
    reader reaches the cut.)"""
    with Path(path).open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - 4096))
        tail = handle.read().decode("latin-1")
    terminator = delimiters.segment
    tail = tail.rstrip("".join(c for c in " \t\r\n" if c != terminator))
    if not tail.endswith(terminator):
        return
    last = tail[:-1].rsplit(terminator, 1)[-1].strip()
    if last.split(delimiters.element, 1)[0].upper() != "IEA":
        raise X12FileRefused(f"{Path(path).name} ends without its IEA segment (the last one is '{last[:20]}'), "
                             "so it was cut short; ask the sender for the whole file again.")


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks (recognises a file imported before)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
