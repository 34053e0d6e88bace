"""Files made to hurt the program that opens them, written by hand for the tests (issue 12)."""

from __future__ import annotations

import io
import zlib


def compression_bomb(pages: int, unpacked: int) -> bytes:
    """A PDF of `pages` pages sharing one content stream that unpacks to `unpacked` bytes of spaces
    (a few hundred kilobytes on disk), written by hand."""
    packer, chunk = zlib.compressobj(9), b" " * (1 << 20)
    packed = b"".join(packer.compress(chunk) for _ in range(unpacked >> 20)) + packer.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{' '.join(f'{3 + n} 0 R' for n in range(pages))}] /Count {pages} >>".encode()]
    content = 3 + pages
    objects += [f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R >>".encode()] * pages
    objects.append(f"<< /Length {len(packed)} /Filter /FlateDecode >>\nstream\n".encode() + packed + b"\nendstream")
    out, offsets = io.BytesIO(b"%PDF-1.7\n"), []
    out.seek(0, 2)
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write(b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets))
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()
