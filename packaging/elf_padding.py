"""Zero padding taken out of x86-64 Linux libraries: the wheels' copies that auditwheel's patchelf
rewrote align each loadable segment to 2 MiB in the file (tesserocr's libwebpmux is 6.3 MB of
which 12 KB is the library; Pillow's libXau 2.1 MB for 4 KB). Only the file offsets change: each
segment keeps its addresses and its bytes, and starts at the first offset after what precedes it
that agrees with its address modulo the 4 KiB page (all the loader asks), so the library maps as
before. The section headers and the non-loaded sections after the last segment move with it."""

from __future__ import annotations

import itertools
import struct
from pathlib import Path

PAGE = 0x1000
PT_LOAD = 1
SHT_NOBITS = 8
EM_X86_64 = 62
#: a gap between segments worth closing (smaller ones are the linker's own page rounding)
WORTH = 16 * PAGE


def _is_x86_64_elf(data: bytes) -> bool:
    return (len(data) > 64 and data[:4] == b"\x7fELF" and data[4] == 2 and data[5] == 1
            and struct.unpack_from("<H", data, 0x12)[0] == EM_X86_64)


def depad(path: Path) -> int:
    """Takes the padding out of the library at `path` (in place); the bytes saved (0: left as it was)."""
    data = path.read_bytes()
    if not _is_x86_64_elf(data):
        return 0
    phoff, shoff = struct.unpack_from("<QQ", data, 0x20)
    phentsize, phnum, shentsize, shnum = struct.unpack_from("<HHHH", data, 0x36)
    headers = [struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize) for i in range(phnum)]
    loads = sorted((offset, offset + filesz) for kind, _, offset, _, _, filesz, _, _ in headers if kind == PT_LOAD)
    sections = [list(struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)) for i in range(shnum)]
    # what the file holds: the header tables, the loaded segments, the sections with bytes
    extents = [(0, phoff + phnum * phentsize), (shoff, shoff + shnum * shentsize)]
    extents += loads
    extents += [(s[4], s[4] + s[5]) for s in sections if s[1] != SHT_NOBITS and s[5]]
    # the file in runs, each starting at a loaded segment after a big gap of zeros
    starts = [0]
    for segment, _ in loads:
        end = max((stop for begin, stop in extents if begin < segment), default=0)
        if segment - end >= WORTH and not data[end:segment].strip(b"\0"):
            starts.append(segment)
    if len(starts) == 1:
        return 0
    bounds = [*starts, len(data)]
    shift: list[tuple[int, int, int]] = []  # (old start, old end, new start) of each run
    out = bytearray()
    for number, (start, next_start) in enumerate(itertools.pairwise(bounds)):
        content_end = max(stop for begin, stop in extents if start <= begin < next_start)
        new_start = start if number == 0 else _aligned(len(out), start)
        out += b"\0" * (new_start - len(out))
        out += data[start:content_end]
        shift.append((start, next_start, new_start))

    def moved(offset: int) -> int:
        for start, next_start, new_start in shift:
            if start <= offset < next_start or (offset == next_start == len(data)):
                return offset - start + new_start
        raise ValueError(f"offset {offset:#x} outside the file")

    for i, (kind, flags, offset, vaddr, paddr, filesz, memsz, align) in enumerate(headers):
        if filesz or kind == PT_LOAD:
            offset = moved(offset)
        if kind == PT_LOAD and align > PAGE:
            align = PAGE
        struct.pack_into("<IIQQQQQQ", out, phoff + i * phentsize, kind, flags, offset, vaddr, paddr, filesz,
                         memsz, align)
    new_shoff = moved(shoff) if shnum else 0
    struct.pack_into("<Q", out, 0x28, new_shoff)
    for i, section in enumerate(sections):
        if section[1] != 0:  # SHT_NULL stays at 0
            section[4] = moved(section[4])
        struct.pack_into("<IIQQQQIIQQ", out, new_shoff + i * shentsize, *section)
    path.write_bytes(bytes(out))
    return len(data) - len(out)


def _aligned(at: int, old: int) -> int:
    """The first offset from `at` on that agrees with `old` modulo the page."""
    return at + (old - at) % PAGE
