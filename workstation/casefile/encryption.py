"""Encryption at rest with SQLCipher 4, a choice per workspace: its marker file, the session's keys
and the passphrase source that asks for them.

An encrypted workspace holds `encrypted.json`: the KDF's name, iterations and salt and a key check
value, never the key. The key is derived from the passphrase once per session
(PBKDF2-HMAC-SHA512, 256,000 iterations: SQLCipher 4's own defaults) and handed to every file as a
raw key with that salt, so opening 10,000 case files pays the KDF once. Every file of the workspace
carries the same salt in its first 16 bytes, so a case file copied out on its own opens with the
passphrase alone (here, or with SQLCipher's own tools and their defaults)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlcipher3 import dbapi2 as cipher

from workstation.core.errors import NotACaseFile, PassphraseNeeded, UserError, WrongPassphrase

MARKER = "encrypted.json"
FORMAT = "sqlcipher4"
KDF = "PBKDF2-HMAC-SHA512"
KDF_ITERATIONS = 256_000  # SQLCipher 4's default: its tools open our files with the passphrase alone
PAGE_SIZE = 4096  # SQLCipher 4's default page size: every encrypted file is a whole number of them
SALT_BYTES = 16
_CHECK_TEXT = b"appeal workstation key check"
_SQLITE_MAGIC = b"SQLite format 3\x00"

# Either library's errors, for `except` clauses (sqlcipher3's classes are its own, not sqlite3's).
SQLiteError = (sqlite3.Error, cipher.Error)
SQLiteDatabaseError = (sqlite3.DatabaseError, cipher.DatabaseError)
SQLiteOperationalError = (sqlite3.OperationalError, cipher.OperationalError)
SQLiteIntegrityError = (sqlite3.IntegrityError, cipher.IntegrityError)

_probe = cipher.connect(":memory:")
_probe.execute("PRAGMA cipher_log_level = NONE")  # SQLCipher would print every wrong key to stderr
_probe.close()


@dataclass(frozen=True)
class Key:
    """A derived 256-bit key and the salt every file of its workspace carries."""

    raw: bytes
    salt: bytes

    @property
    def pragma(self) -> str:
        """SQLCipher's raw-key form with an explicit salt: no KDF runs when a file is opened."""
        return f"PRAGMA key = \"x'{self.raw.hex()}{self.salt.hex()}'\""


@dataclass(frozen=True)
class PassphraseRequest:
    """What the passphrase is asked for: a workspace (by folder) or a lone case file."""

    path: Path
    is_workspace: bool

    @property
    def what(self) -> str:
        return f"The workspace {self.path}" if self.is_workspace else self.path.name


#: Asks the user (a dialog, a prompt, an environment variable); None when nobody can answer.
PassphraseSource = Callable[[PassphraseRequest], str | None]

_lock = threading.RLock()
_keys: dict[bytes, Key] = {}  # by salt: the session's keys
_verified: set[bytes] = set()  # salts whose key is known right (the check value, or a file opened)
_source: PassphraseSource | None = None


def set_passphrase_source(source: PassphraseSource | None) -> None:
    """Who is asked for a passphrase from now on (the window's dialog, the command line's prompt)."""
    global _source
    _source = source


def forget_keys() -> None:
    """End the session's keys (a new command-line session, a test)."""
    with _lock:
        _keys.clear()
        _verified.clear()


def derive(passphrase: str, salt: bytes, iterations: int = KDF_ITERATIONS) -> bytes:
    """The raw key SQLCipher 4 would derive from this passphrase and salt. Through `cryptography`'s
    OpenSSL: the frozen build leaves out hashlib's (`_hashlib`), and hashlib's pure-Python
    fallback takes seconds (Python 3.12 dropped it). Imported here: a plain workspace never needs it."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    kdf = PBKDF2HMAC(algorithm=hashes.SHA512(), length=32, salt=salt, iterations=iterations)
    return kdf.derive(passphrase.encode("utf-8"))


def _check_value(raw: bytes) -> str:
    return hmac.new(raw, _CHECK_TEXT, hashlib.sha256).hexdigest()


# -- the workspace's marker -------------------------------------------------------------------------

@dataclass(frozen=True)
class Marker:
    """What `encrypted.json` says."""

    salt: bytes
    iterations: int
    check: str


def is_encrypted_workspace(root: Path) -> bool:
    return (Path(root) / MARKER).is_file()


def read_marker(root: Path) -> Marker | None:
    """The workspace's marker, or None when the workspace is not encrypted."""
    path = Path(root) / MARKER
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError):
        raise UserError(f"{MARKER} in {root} cannot be read, so the workspace cannot be unlocked; restore it from "
                        "a backup (each case file still opens on its own with the passphrase).") from None
    try:
        if data["format"] != FORMAT or data["kdf"] != KDF:
            raise ValueError(data["format"])
        return Marker(bytes.fromhex(data["salt"]), int(data["iterations"]), str(data["check"]))
    except (KeyError, TypeError, ValueError):
        raise UserError(f"{MARKER} in {root} is not one this version understands, so the workspace cannot be "
                        "unlocked; update the program or restore the file from a backup.") from None


def write_marker(root: Path, passphrase: str) -> Key:
    """Make `root` an encrypted workspace: a new salt, the key derived, the marker written aside and
    renamed into place (never the key). The key joins the session."""
    if not passphrase:
        raise UserError("An encrypted workspace needs a passphrase; nothing was created.")
    salt = os.urandom(SALT_BYTES)
    key = Key(derive(passphrase, salt), salt)
    data = {"format": FORMAT, "kdf": KDF, "iterations": KDF_ITERATIONS, "salt": salt.hex(),
            "check": _check_value(key.raw), "page_size": PAGE_SIZE,
            "note": "The key is derived from the passphrase; it is not stored anywhere."}
    partial = Path(root) / f".{MARKER}.partial"
    with partial.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(data, indent=2) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, Path(root) / MARKER)
    _remember(key, verified=True)
    return key


def unlock_workspace(root: Path, passphrase: str) -> Key:
    """The workspace's key from its passphrase, checked against the marker before any file is read."""
    marker = read_marker(root)
    if marker is None:
        raise UserError(f"The workspace {root} is not encrypted; it needs no passphrase.")
    key = Key(derive(passphrase, marker.salt, marker.iterations), marker.salt)
    if not hmac.compare_digest(_check_value(key.raw), marker.check):
        raise WrongPassphrase(f"That is not the passphrase of the workspace {root}; nothing was opened or changed.")
    _remember(key, verified=True)
    return key


def is_unlocked(root: Path) -> bool:
    """Whether this session holds the key of the (encrypted) workspace at `root`."""
    marker = read_marker(root)
    return marker is not None and marker.salt in _verified


def workspace_key(root: Path) -> Key | None:
    """The key new files of the workspace are written with: None for a plain workspace; asked for
    (once a session) for an encrypted one."""
    marker = read_marker(root)
    if marker is None:
        return None
    with _lock:
        if marker.salt in _keys and marker.salt in _verified:
            return _keys[marker.salt]
        passphrase = _ask(PassphraseRequest(Path(root), True))
        if marker.salt in _verified:  # the source checked it itself (the window's dialog does)
            return _keys[marker.salt]
        return unlock_workspace(root, passphrase)


def new_file_key(path: Path) -> Key | None:
    """The key a file about to be written at `path` gets: its workspace's, or None (plain)."""
    root = _workspace_around(path)
    return workspace_key(root) if root is not None else None


# -- existing files ---------------------------------------------------------------------------------

def existing_file_key(path: Path) -> Key | None:
    """None for a plain SQLite file (or one that is nothing of ours: SQLite says so); the key of an
    encrypted one, asked for when this session does not hold it yet."""
    head, size = _head(path)
    if head is None or head.startswith(_SQLITE_MAGIC) or len(head) < SALT_BYTES:
        return None
    salt = head[:SALT_BYTES]
    with _lock:
        if salt in _keys:
            return _keys[salt]
    root = _workspace_around(path)
    if root is not None:
        marker = read_marker(root)
        if marker is None:
            return None  # a plain workspace: whatever this is, SQLite's own checks name it
        if marker.salt == salt:
            return workspace_key(root)
        raise NotACaseFile(f"{path.name} cannot be read here: it is encrypted with another passphrase than its "
                           "workspace's, or it is not a case file; open it on its own with `workstation show`.")
    if size < PAGE_SIZE or size % PAGE_SIZE:
        return None  # not the shape of an encrypted file: the header check refuses it
    with _lock:
        if salt not in _keys:
            passphrase = _ask(PassphraseRequest(Path(path), False))
            _keys[salt] = Key(derive(passphrase, salt), salt)  # proved right by the first read
        return _keys[salt]


def is_encrypted_file(path: Path) -> bool:
    """Whether a file is encrypted, by its first bytes and its place (nobody is asked anything)."""
    head, size = _head(path)
    if head is None or head.startswith(_SQLITE_MAGIC) or len(head) < SALT_BYTES:
        return False
    if head[:SALT_BYTES] in _keys:
        return True
    root = _workspace_around(path)
    if root is not None:
        return is_encrypted_workspace(root)
    return size >= PAGE_SIZE and size % PAGE_SIZE == 0


def proved(key: Key) -> None:
    """A file opened with this key: it is right."""
    with _lock:
        _verified.add(key.salt)


def refused(key: Key, path: Path) -> UserError | None:
    """A file this key did not open: a wrong passphrase when the key was never proved (forgotten
    again, so the next try asks anew); None when the key is proved (the file is damaged)."""
    with _lock:
        if key.salt in _verified:
            return None
        _keys.pop(key.salt, None)
    return WrongPassphrase(f"That is not the passphrase of {path.name}; nothing was opened or changed.")


def is_proved(key: Key) -> bool:
    return key.salt in _verified


def _remember(key: Key, *, verified: bool) -> None:
    with _lock:
        _keys[key.salt] = key
        if verified:
            _verified.add(key.salt)


def _ask(request: PassphraseRequest) -> str:
    source = _source
    answer = source(request) if source is not None else None
    if answer is None:
        raise PassphraseNeeded(f"{request.what} is encrypted and opens only with its passphrase (the window asks "
                               "for it; on the command line type it when asked or set WORKSTATION_PASSPHRASE).")
    return answer


def _head(path: Path) -> tuple[bytes | None, int]:
    try:
        with open(path, "rb") as handle:
            return handle.read(SALT_BYTES), os.fstat(handle.fileno()).st_size
    except OSError:
        return None, 0


def _workspace_around(path: Path) -> Path | None:
    """The workspace a file belongs to: its folder (workspace.sqlite, index.sqlite) or the folder
    above (cases/, backups/); None for a file on its own."""
    folder = Path(path).parent
    for root in (folder, folder.parent):
        if (root / "workspace.sqlite").is_file() and (root / "cases").is_dir():
            return root
    return None


# -- connections ------------------------------------------------------------------------------------

def keyed_connect(target: str | Path, key: Key, **options: object) -> cipher.Connection:
    """A SQLCipher connection with the key given first (nothing is read before it)."""
    conn = cipher.connect(str(target), **options)
    try:
        conn.execute(key.pragma)
    except cipher.Error:
        conn.close()
        raise
    conn.row_factory = cipher.Row
    return conn


def plain_cipher_connect(target: str | Path, **options: object) -> cipher.Connection:
    """A SQLCipher connection with no key: it reads plain SQLite (used to convert a plain file)."""
    conn = cipher.connect(str(target), **options)
    conn.row_factory = cipher.Row
    return conn
