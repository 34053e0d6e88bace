"""Qt's ICU data library (libicudata.so.NN, 32 MB, a third of the build), rebuilt on Linux with only
what the program's Qt asks ICU for: sorting names (QCollator: the file dialog's list), time-zone
names and case mapping in English, and the Western single-byte text converters. Qt calls ICU for
collation (ucol_*), converters (ucnv_*), time zones (ucal_*) and case mapping (u_strTo*), nothing
else (`readelf --dyn-syms libQt6Core.so.6 | grep _NN`).

Left out: every locale but root and English (a biller's system set to another language sorts with
the root order, which is the same for Latin letters), the East Asian and EBCDIC converters, the
word-break dictionaries of Chinese, Japanese, Thai, Khmer, Lao and Burmese, and the transliterator
rules. The library is the ICU common-data package (a table of contents, then each item) behind
one symbol, `icudtNN_dat`; the smaller package goes behind that symbol in a library of the same
name, assembled and linked with binutils' `as` and `ld` (the build needs binutils for `strip`
anyway)."""

from __future__ import annotations

import re
import struct
import subprocess
import tempfile
from pathlib import Path

#: a locale's resource bundle (af.res, en_US_POSIX.res, zh_Hant_TW.res, de_.res), as against ICU's
#: own tables (supplementalData.res, pool.res), of which only res_index (each tree's list of locales)
#: looks like a locale
LOCALE_BUNDLE = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]*)*")
NOT_A_LOCALE = ("res_index",)
#: ICU's names of the windows-125x and ISO-8859 converters (UTF-8, UTF-16 and Latin-1 need no file)
WESTERN_CONVERTERS = (
    "ibm-5346_P100-1998", "ibm-5347_P100-1998", "ibm-5348_P100-1997", "ibm-5349_P100-1998",
    "ibm-5350_P100-1998", "ibm-9447_P100-2002", "ibm-9448_X100-2005", "ibm-9449_P100-2002",
    "ibm-5354_P100-1998", "ibm-912_P100-1995", "ibm-913_P100-2000", "ibm-914_P100-1995",
    "ibm-915_P100-1995", "ibm-1089_P100-1995", "ibm-9005_X110-2007", "ibm-5012_P100-1999",
    "ibm-920_P100-1995", "iso-8859_10-1998", "ibm-921_P100-1995", "iso-8859_14-1998",
    "ibm-923_P100-1998",
)
#: the transliteration rules (Qt never asks for them); the word-break dictionaries (*.dict) go too:
#: Qt breaks lines and words itself
LEFT_OUT_FOLDERS = ("translit",)


def kept(name: str) -> bool:
    """Whether an item of the package ("icudt73l/coll/en.res") stays."""
    _tree, _, path = name.partition("/")
    folder, _, file = path.rpartition("/")
    stem, _, kind = file.rpartition(".")
    if folder in LEFT_OUT_FOLDERS or kind == "dict":
        return False
    if kind == "cnv":
        return stem in WESTERN_CONVERTERS
    if kind == "res" and LOCALE_BUNDLE.fullmatch(stem) and stem not in NOT_A_LOCALE:
        return stem == "en" or stem.startswith("en_")
    return True  # root, pool, res_index, the supplemental and Unicode tables


def data_symbol(library: bytes) -> tuple[str, int, int]:
    """The `icudtNN_dat` symbol of an x86-64 ELF library: its name, file offset and size."""
    assert library[:4] == b"\x7fELF" and library[4] == 2 and library[5] == 1, "a 64-bit little-endian ELF"
    shoff, = struct.unpack_from("<Q", library, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", library, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", library, shoff + i * shentsize) for i in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strings = sections[link][4]
        for start in range(offset, offset + size, entsize):
            name_at, _info, _other, index, value, symbol_size = struct.unpack_from("<IBBHQQ", library, start)
            name = library[strings + name_at:library.index(b"\0", strings + name_at)].decode()
            if re.fullmatch(r"icudt\d+_dat", name):
                section = sections[index]
                return name, value - section[3] + section[4], symbol_size
    raise ValueError("no icudtNN_dat symbol: not ICU's data library")


def items(package: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """A common-data package's header and its items (name, bytes), in the table's (sorted) order."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", package, 0)
    assert (magic1, magic2) == (0xDA, 0x27) and package[12:16] == b"CmnD", "an ICU common-data package"
    count, = struct.unpack_from("<I", package, header_size)
    table = [struct.unpack_from("<II", package, header_size + 4 + 8 * i) for i in range(count)]
    ends = [data for _, data in table[1:]] + [len(package) - header_size]
    found = []
    for (name_at, data), end in zip(table, ends, strict=True):
        start = header_size + name_at
        found.append((package[start:package.index(b"\0", start)].decode("ascii"),
                      package[header_size + data:header_size + end]))
    return package[:header_size], found


def pack(header: bytes, chosen: list[tuple[str, bytes]]) -> bytes:
    """The package of these items: the table of contents, the names, then each item 16-byte aligned."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in chosen)
    table_size = 4 + 8 * len(chosen)
    first = table_size + len(names)
    first += -(len(header) + first) % 16
    entries, body, name_at = [], bytearray(), table_size
    for name, data in chosen:
        entries.append(struct.pack("<II", name_at, first + len(body)))
        name_at += len(name) + 1
        body += data + b"\0" * (-len(data) % 16)
    toc = struct.pack("<I", len(chosen)) + b"".join(entries) + names
    return header + toc + b"\0" * (first - len(toc)) + bytes(body)


def trimmed_package(library: Path) -> tuple[str, bytes, int]:
    """The symbol's name, the package with only what `kept` keeps, and the original package's size."""
    data = library.read_bytes()
    symbol, offset, size = data_symbol(data)
    header, everything = items(data[offset:offset + size])
    return symbol, pack(header, [(name, item) for name, item in everything if kept(name)]), size


def soname(library: Path) -> str:
    """The library's DT_SONAME (libicudata.so.73)."""
    text = subprocess.run(["readelf", "-d", "-W", str(library)], capture_output=True, check=True)
    found = re.search(rb"\(SONAME\)\s+Library soname: \[([^\]]+)\]", text.stdout)
    assert found, "a shared library with a soname"
    return found.group(1).decode()


def write_library(library: Path, target: Path) -> tuple[int, int]:
    """`library` rebuilt with the trimmed package at `target`; the packages' sizes before and after."""
    symbol, package, before = trimmed_package(library)
    name = soname(library)
    with tempfile.TemporaryDirectory() as work:
        data, source, objects = Path(work, "data.dat"), Path(work, "data.s"), Path(work, "data.o")
        data.write_bytes(package)
        source.write_text(f'\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n'
                          f'{symbol}:\n\t.incbin "{data}"\n\t.size {symbol}, . - {symbol}\n'
                          '\t.section .note.GNU-stack,"",@progbits\n', encoding="ascii")
        subprocess.run(["as", "-o", str(objects), str(source)], check=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["ld", "-shared", "-soname", name, "-z", "max-page-size=0x1000", "-z", "noexecstack",
                        "--hash-style=both", "-o", str(target), str(objects)], check=True)
    return before, len(package)
