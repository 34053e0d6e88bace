"""Encrypted PDFs pypdf cannot write here, built by hand: AES-256 (revision 6, what Acrobat and most
scanners write today) and AES-128 (revision 4) need the optional `cryptography`/`pyaes` packages the
workstation does not ship, so AES (FIPS-197) is written out here, encryption only; and a PDF
encrypted for a certificate (public-key security)."""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Callable


def _sbox() -> list[int]:
    box = [0] * 256
    p = q = 1
    while True:
        p = (p ^ (p << 1) ^ (0x1B if p & 0x80 else 0)) & 0xFF  # p * 3
        q ^= q << 1
        q ^= q << 2
        q ^= q << 4
        q &= 0xFF
        if q & 0x80:
            q ^= 0x09  # q / 3
        rot = [((q << n) | (q >> (8 - n))) & 0xFF for n in range(1, 5)]
        box[p] = q ^ rot[0] ^ rot[1] ^ rot[2] ^ rot[3] ^ 0x63
        if p == 1:
            break
    box[0] = 0x63
    return box


SBOX = _sbox()


def _xtime(a: int) -> int:
    return ((a << 1) ^ 0x1B) & 0xFF if a & 0x80 else a << 1


def _round_keys(key: bytes) -> list[list[int]]:
    nk = len(key) // 4
    rounds = nk + 6
    words = [list(key[4 * i:4 * i + 4]) for i in range(nk)]
    rcon = 1
    for i in range(nk, 4 * (rounds + 1)):
        word = list(words[i - 1])
        if i % nk == 0:
            word = [SBOX[b] for b in word[1:] + word[:1]]
            word[0] ^= rcon
            rcon = _xtime(rcon)
        elif nk > 6 and i % nk == 4:
            word = [SBOX[b] for b in word]
        words.append([a ^ b for a, b in zip(words[i - nk], word, strict=True)])
    return [[b for word in words[4 * r:4 * r + 4] for b in word] for r in range(rounds + 1)]


def _encrypt_block(keys: list[list[int]], block: bytes) -> bytes:
    s = [b ^ k for b, k in zip(block, keys[0], strict=True)]
    for number, key in enumerate(keys[1:], start=1):
        s = [SBOX[b] for b in s]
        s = [s[(r + 4 * (c + r)) % 16] for c in range(4) for r in range(4)]  # shift rows
        if number != len(keys) - 1:
            mixed = []
            for c in range(4):
                a = s[4 * c:4 * c + 4]
                t = a[0] ^ a[1] ^ a[2] ^ a[3]
                mixed += [a[i] ^ t ^ _xtime(a[i] ^ a[(i + 1) % 4]) for i in range(4)]
            s = mixed
        s = [b ^ k for b, k in zip(s, key, strict=True)]
    return bytes(s)


def aes_encrypt_block(key: bytes, block: bytes) -> bytes:
    return _encrypt_block(_round_keys(key), block)


def aes_cbc(key: bytes, iv: bytes, data: bytes) -> bytes:
    """AES-CBC without padding (`data` is a whole number of blocks)."""
    keys, previous, out = _round_keys(key), iv, bytearray()
    for start in range(0, len(data), 16):
        previous = _encrypt_block(keys, bytes(a ^ b for a, b in zip(data[start:start + 16], previous, strict=True)))
        out += previous
    return bytes(out)


def _hash_r6(password: bytes, salt: bytes, udata: bytes) -> bytes:
    """Algorithm 2.B of ISO 32000-2."""
    k = hashlib.sha256(password + salt + udata).digest()
    count = 0
    while True:
        count += 1
        e = aes_cbc(k[:16], k[16:32], (password + k + udata) * 64)
        k = (hashlib.sha256, hashlib.sha384, hashlib.sha512)[sum(e[:16]) % 3](e).digest()
        if count >= 64 and e[-1] <= count - 32:
            return k[:32]


def _rc4(key: bytes, data: bytes) -> bytes:
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) & 0xFF])
    return bytes(out)


def _rc4_rounds(key: bytes, data: bytes) -> bytes:
    for round_number in range(20):
        data = _rc4(bytes(b ^ round_number for b in key), data)
    return data


PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _md5_50(data: bytes) -> bytes:
    digest = hashlib.md5(data).digest()
    for _ in range(50):
        digest = hashlib.md5(digest).digest()
    return digest


def _pkcs7_cbc(key: bytes, data: bytes) -> bytes:
    iv = os.urandom(16)
    pad = 16 - len(data) % 16
    return iv + aes_cbc(key, iv, data + bytes([pad]) * pad)


PERMISSIONS = -3904  # print and copy allowed, nothing else


def _r6(user_password: str) -> tuple[bytes, Callable[[int, bytes], bytes]]:
    key = os.urandom(32)
    password = user_password.encode("utf-8")
    validation_salt, key_salt = os.urandom(8), os.urandom(8)
    u_value = _hash_r6(password, validation_salt, b"") + validation_salt + key_salt
    ue_value = aes_cbc(_hash_r6(password, key_salt, b""), bytes(16), key)
    perms = aes_encrypt_block(key, struct.pack("<i", PERMISSIONS) + b"\xff\xff\xff\xffTadb" + os.urandom(4))
    entry = (b"<< /Filter /Standard /V 5 /R 6 /Length 256 /P %d /EncryptMetadata true"
             b" /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF"
             b" /U <%s> /UE <%s> /O <%s> /OE <%s> /Perms <%s> >>" % (
                 PERMISSIONS, u_value.hex().encode(), ue_value.hex().encode(), os.urandom(48).hex().encode(),
                 os.urandom(32).hex().encode(), perms.hex().encode()))
    return entry, lambda _number, data: _pkcs7_cbc(key, data)


def _r4(user_password: str, file_id: bytes) -> tuple[bytes, Callable[[int, bytes], bytes]]:
    padded_user = (user_password.encode("latin-1") + PAD)[:32]
    owner_key = _md5_50((b"owner-secret" + PAD)[:32])[:16]
    o_value = _rc4_rounds(owner_key, padded_user)
    digest = hashlib.md5(padded_user + o_value + struct.pack("<i", PERMISSIONS) + file_id).digest()
    for _ in range(50):
        digest = hashlib.md5(digest).digest()
    key = digest[:16]
    u_value = _rc4_rounds(key, hashlib.md5(PAD + file_id).digest()) + bytes(16)
    entry = (b"<< /Filter /Standard /V 4 /R 4 /Length 128 /P %d"
             b" /CF << /StdCF << /CFM /AESV2 /AuthEvent /DocOpen /Length 16 >> >> /StmF /StdCF /StrF /StdCF"
             b" /U <%s> /O <%s> >>" % (PERMISSIONS, u_value.hex().encode(), o_value.hex().encode()))

    def encrypt(number: int, data: bytes) -> bytes:
        object_key = hashlib.md5(key + number.to_bytes(3, "little") + b"\x00\x00" + b"sAlT").digest()[:16]
        return _pkcs7_cbc(object_key, data)

    return entry, encrypt


def aes_pdf(user_password: str, *, bits: int = 256) -> bytes:
    """A one-page PDF ("Hello") encrypted with AES-256 (R6) or AES-128 (R4); "" opens without a
    password. The owner values need not work: nothing here uses the owner password."""
    file_id = os.urandom(16)
    entry, encrypt = _r6(user_password) if bits == 256 else _r4(user_password, file_id)
    return pdf_with_encryption(entry, encrypt(4, b"BT /F1 24 Tf 72 720 Td (Hello) Tj ET"), file_id)


def certificate_encrypted_pdf() -> bytes:
    """A PDF encrypted for a recipient's certificate (public-key security, /Adobe.PubSec), as some
    document systems send them: only the holder of the private key can open it."""
    entry = (b"<< /Filter /Adobe.PubSec /SubFilter /adbe.pkcs7.s5 /V 4 /Length 128"
             b" /CF << /DefaultCryptFilter << /CFM /AESV2 /AuthEvent /DocOpen /Recipients [<%s>] >> >>"
             b" /StmF /DefaultCryptFilter /StrF /DefaultCryptFilter >>" % os.urandom(64).hex().encode())
    return pdf_with_encryption(entry, os.urandom(48), os.urandom(16))


def pdf_with_encryption(entry: bytes, content: bytes, file_id: bytes) -> bytes:
    """One page whose (already encrypted) content stream is `content`, with `entry` as /Encrypt."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        entry,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, file_id.hex().encode(), file_id.hex().encode(), xref))
    return bytes(out)
