"""Encryption at rest (issue 12, point 1): an encrypted workspace's files hold none of a case's
text; a wrong passphrase is one sentence and writes nothing; a case file copied out stays
encrypted; `encrypt` converts a plain workspace in place, and a kill part-way leaves every file
readable as it was; backup and restore keep the workspace encrypted."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from workstation.casefile import encryption
from workstation.casefile.case_file import CaseFile
from workstation.casefile.encrypt_in_place import encrypt_workspace
from workstation.casefile.workspace import Workspace
from workstation.core.errors import PassphraseNeeded, WrongPassphrase
from workstation.core.model import Case, Person
from workstation.core.vocabulary import EvidenceKind
from workstation.ops.backups import back_up, restore

PASSPHRASE = "river stone lantern"
SECRETS = (b"Quillfeather", b"MBI-7QX9SECRET", b"ICN 2026-0001", b"EVIDENCE-MARKER-LINE")
SQLITE_MAGIC = b"SQLite format 3\x00"
Build = Callable[..., list[Path]]


@pytest.fixture(autouse=True)
def fresh_session() -> Iterator[None]:
    """Each test is its own session: no key held, nobody to ask unless the test says so."""
    encryption.forget_keys()
    encryption.set_passphrase_source(None)
    yield
    encryption.forget_keys()
    encryption.set_passphrase_source(None)


def answer(passphrase: str | None, asked: list[str] | None = None) -> None:
    def source(request: encryption.PassphraseRequest) -> str | None:
        if asked is not None:
            asked.append(request.what)
        return passphrase
    encryption.set_passphrase_source(source)


@pytest.fixture
def build(make_case: Callable[[], Case]) -> Build:
    """`build(root, passphrase=..., cases=N)`: a filled workspace (see `filled_workspace`)."""
    return lambda root, **options: filled_workspace(root, make_case, **options)


def secret_case(make_case: Callable[[], Case], number: int = 0) -> Case:
    case = make_case()
    case.case_id = f"6f1c1d0e-2b1a-4c39-9a51-{number:012d}"
    case.patient = Person("Quillfeather", "Ada", "", case.patient.date_of_birth, "MBI-7QX9SECRET", "GRP 9")
    return case


def filled_workspace(root: Path, make_case: Callable[[], Case], *, passphrase: str | None,
                     cases: int = 2) -> list[Path]:
    """A workspace with cases (one holding an attachment), its index and a daily backup."""
    evidence = root.parent / f"{root.name}-records.txt"
    evidence.write_bytes(b"EVIDENCE-MARKER-LINE " * 200)
    with Workspace.create(root, passphrase=passphrase) as workspace:
        paths = [CaseFile.create(workspace.cases_dir / f"2026-03-{n:08x}.appeal", secret_case(make_case, n))
                 for n in range(cases)]
        with CaseFile.open(paths[0]) as case_file:
            case_file.evidence.add(evidence, title="Records", kind=EvidenceKind.MEDICAL_RECORDS,
                                   media_type="text/plain", sha256=_sha256(evidence), size=evidence.stat().st_size,
                                   actor="dana")
        workspace.index.rescan()
    with Workspace.open(root) as workspace:  # the daily copy of workspace.sqlite
        assert workspace.index.rows()
    return paths


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def every_file(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def loaded(path: Path) -> Case:
    with CaseFile.open(path, read_only=True) as case_file:
        return case_file.load()


# -- what is on the disk --------------------------------------------------------------------------

def test_an_encrypted_workspace_holds_none_of_a_cases_text(tmp_path: Path, build: Build) -> None:
    build(tmp_path / "plain", passphrase=None)
    build(tmp_path / "secret", passphrase=PASSPHRASE)
    plain = b"".join(every_file(tmp_path / "plain").values())
    assert all(secret in plain for secret in SECRETS)  # the check finds them where they are
    files = every_file(tmp_path / "secret")
    assert {"workspace.sqlite", "index.sqlite", "encrypted.json"} <= set(files)
    assert any(name.startswith("backups/") for name in files)
    for name, data in files.items():
        assert not any(secret in data for secret in SECRETS), name
        assert not data.startswith(SQLITE_MAGIC), name
    assert PASSPHRASE.encode() not in b"".join(files.values())


def test_every_database_of_an_encrypted_workspace_carries_the_workspace_salt(tmp_path: Path, build: Build) -> None:
    build(tmp_path / "ws", passphrase=PASSPHRASE)
    marker = encryption.read_marker(tmp_path / "ws")
    assert marker is not None and marker.iterations == encryption.KDF_ITERATIONS
    databases = [p for p in (tmp_path / "ws").rglob("*") if p.suffix in (".sqlite", ".appeal")]
    assert len(databases) >= 4
    assert {p.read_bytes()[:16] for p in databases} == {marker.salt}


def test_a_plain_workspace_stays_plain(tmp_path: Path, build: Build) -> None:
    build(tmp_path / "ws", passphrase=None)
    databases = [p for p in (tmp_path / "ws").rglob("*") if p.suffix in (".sqlite", ".appeal")]
    assert databases and all(p.read_bytes().startswith(SQLITE_MAGIC) for p in databases)
    assert not (tmp_path / "ws" / "encrypted.json").exists()


# -- the passphrase ----------------------------------------------------------------------------------

def test_the_passphrase_is_asked_once_per_session(tmp_path: Path, build: Build) -> None:
    paths = build(tmp_path / "ws", passphrase=PASSPHRASE, cases=3)
    encryption.forget_keys()
    asked: list[str] = []
    answer(PASSPHRASE, asked)
    with Workspace.open(tmp_path / "ws") as workspace:
        workspace.index.rescan()
        assert [row.patient for row in workspace.index.rows()] == ["Quillfeather, Ada"] * 3
    assert [loaded(path).patient.member_id for path in paths] == ["MBI-7QX9SECRET"] * 3
    assert asked == [f"The workspace {tmp_path / 'ws'}"]


def test_a_wrong_passphrase_is_one_sentence_and_writes_nothing(tmp_path: Path, build: Build) -> None:
    paths = build(tmp_path / "ws", passphrase=PASSPHRASE)
    encryption.forget_keys()
    before = snapshot(tmp_path / "ws")
    answer("not the passphrase")
    with pytest.raises(WrongPassphrase) as refused:
        Workspace.open(tmp_path / "ws")
    with pytest.raises(WrongPassphrase):
        CaseFile.open(paths[0])
    message = str(refused.value)
    assert message.count(". ") == 0 and message.endswith(".") and "\n" not in message
    assert "not the passphrase" in message
    assert snapshot(tmp_path / "ws") == before


def test_without_anyone_to_ask_an_encrypted_workspace_says_so(tmp_path: Path, build: Build) -> None:
    build(tmp_path / "ws", passphrase=PASSPHRASE)
    encryption.forget_keys()
    before = snapshot(tmp_path / "ws")
    with pytest.raises(PassphraseNeeded, match="is encrypted and opens only with its passphrase"):
        Workspace.open(tmp_path / "ws")
    assert snapshot(tmp_path / "ws") == before


def test_a_case_file_copied_out_stays_encrypted_and_needs_the_passphrase(tmp_path: Path, build: Build) -> None:
    paths = build(tmp_path / "ws", passphrase=PASSPHRASE)
    lone = tmp_path / "usb" / paths[0].name
    lone.parent.mkdir()
    shutil.copy2(paths[0], lone)
    encryption.forget_keys()
    assert not lone.read_bytes().startswith(SQLITE_MAGIC)
    with pytest.raises(PassphraseNeeded, match=lone.name):
        CaseFile.open(lone)
    answer("a wrong guess")
    before = lone.read_bytes()
    with pytest.raises(WrongPassphrase, match=f"not the passphrase of {lone.name}"):
        CaseFile.open(lone)
    assert lone.read_bytes() == before
    asked: list[str] = []
    answer(PASSPHRASE, asked)
    assert loaded(lone).patient.last_name == "Quillfeather"
    assert asked == [lone.name]


def test_sqlcipher_opens_a_case_file_with_the_passphrase_alone(tmp_path: Path, build: Build) -> None:
    """The files are standard SQLCipher 4 (its default KDF): its own tools open them."""
    paths = build(tmp_path / "ws", passphrase=PASSPHRASE)
    conn = encryption.cipher.connect(str(paths[1]))
    try:
        conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
        assert conn.execute("SELECT last_name FROM people WHERE role = 'patient'").fetchone()[0] == "Quillfeather"
    finally:
        conn.close()


def test_an_attachment_reads_back_from_an_encrypted_case(tmp_path: Path, build: Build) -> None:
    paths = build(tmp_path / "ws", passphrase=PASSPHRASE)
    with CaseFile.open(paths[0]) as case_file:
        doc_id = case_file.evidence.list()[0].id
        assert case_file.evidence.read(doc_id) == b"EVIDENCE-MARKER-LINE " * 200
        out = case_file.evidence.export(doc_id, tmp_path / "out.txt")
    assert out.read_bytes() == b"EVIDENCE-MARKER-LINE " * 200


def test_undo_works_in_an_encrypted_case(tmp_path: Path, build: Build) -> None:
    paths = build(tmp_path / "ws", passphrase=PASSPHRASE)
    with CaseFile.open(paths[1]) as case_file:
        case_file.add_note("a note to take back", actor="dana")
        assert case_file.can_undo
        case_file.undo(actor="dana")
        assert all(note.text != "a note to take back" for note in case_file.load().notes)


CRASH_MID_CHANGE = """
import os, sys
from sqlcipher3 import dbapi2 as cipher
c = cipher.connect(sys.argv[1], isolation_level=None)
c.execute(sys.argv[2])
c.execute('PRAGMA cache_size=1'); c.execute('BEGIN IMMEDIATE')
c.execute("UPDATE case_info SET assignee = 'half-done', revision = revision + 1")
c.execute('CREATE TABLE junk AS SELECT randomblob(200000) AS b')
os._exit(9)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="os._exit mid-transaction leaves the journal on POSIX")
def test_a_change_a_crash_left_half_done_in_an_encrypted_case_is_undone(tmp_path: Path, build: Build) -> None:
    paths = build(tmp_path / "ws", passphrase=PASSPHRASE)
    key = encryption.new_file_key(paths[1])
    assert key is not None
    subprocess.run([sys.executable, "-c", CRASH_MID_CHANGE, str(paths[1]), key.pragma], check=False)
    assert Path(f"{paths[1]}-journal").stat().st_size > 0
    encryption.forget_keys()
    answer(PASSPHRASE)
    with CaseFile.open(paths[1]) as case_file:
        case = case_file.load()
        assert case.assignee != "half-done"
        assert case.activity[-1].kind == "interrupted"
        assert not case_file.integrity_problems()
    assert not Path(f"{paths[1]}-journal").exists() or Path(f"{paths[1]}-journal").stat().st_size == 0


# -- encrypting a plain workspace in place ----------------------------------------------------------

def test_encrypt_converts_every_file_and_keeps_every_case(tmp_path: Path, build: Build) -> None:
    root = tmp_path / "ws"
    paths = build(root, passphrase=None, cases=3)
    cases = [loaded(path) for path in paths]
    result = encrypt_workspace(root, PASSPHRASE)
    assert (result.encrypted, result.already, result.left) == (5, 0, [])  # 3 cases, 1 daily copy, workspace.sqlite
    assert not (root / "index.sqlite").exists()  # the cache held names: rebuilt encrypted at the next opening
    assert not any(p.name.endswith(".partial") for p in root.rglob("*"))
    for name, data in every_file(root).items():
        assert not any(secret in data for secret in SECRETS), name
    encryption.forget_keys()
    answer(PASSPHRASE)
    assert [loaded(path) for path in paths] == cases
    with Workspace.open(root) as workspace:
        workspace.index.rescan()
        assert len(workspace.index.rows()) == 3
    assert not (root / "index.sqlite").read_bytes().startswith(SQLITE_MAGIC)
    assert encrypt_workspace(root, PASSPHRASE).already == 5  # a second run finds nothing left to do


def test_encrypt_again_with_another_passphrase_is_refused(tmp_path: Path, build: Build) -> None:
    root = tmp_path / "ws"
    build(root, passphrase=PASSPHRASE)
    before = snapshot(root)
    with pytest.raises(WrongPassphrase):
        encrypt_workspace(root, "another passphrase")
    assert snapshot(root) == before


ENCRYPT = """
import sys
from pathlib import Path
from workstation.casefile.encrypt_in_place import encrypt_workspace
said = []
def progress(done, total):
    if not said:  # once the first file is encrypted (the KDF is behind): kill me from here on
        print("ready", flush=True)
        said.append(done)
encrypt_workspace(Path(sys.argv[1]), sys.argv[2], progress=progress)
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_an_interrupted_encrypt_leaves_every_file_readable_as_it_was(tmp_path: Path, build: Build) -> None:
    baseline = tmp_path / "baseline"
    paths = build(baseline, passphrase=None, cases=40)
    cases = {path.name: loaded(path) for path in paths}
    rng, mixed = random.Random(12), 0
    for trial in range(5):
        root = tmp_path / f"trial{trial}"
        shutil.copytree(baseline, root)
        child = subprocess.Popen([sys.executable, "-c", ENCRYPT, str(root), PASSPHRASE], stdout=subprocess.PIPE)
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.1))
        child.send_signal(signal.SIGKILL)
        child.wait()
        states = {path.name: _read_as_it_is(path, root) for path in sorted((root / "cases").glob("*.appeal"))}
        assert {name: case for name, (case, _encrypted) in states.items()} == cases
        mixed += len({encrypted for _case, encrypted in states.values()}) == 2
        _workspace_db_reads(root)
        encrypt_workspace(root, PASSPHRASE)  # the next run finishes the job
        assert all(encryption.is_encrypted_file(root / "cases" / name) for name in cases)
        assert {name: loaded(root / "cases" / name) for name in cases} == cases
    assert mixed >= 1, "no kill landed part-way: the trial proved nothing"


def _read_as_it_is(path: Path, root: Path) -> tuple[Case, bool]:
    """A plain file opens without any key; an encrypted one with the workspace's key."""
    encrypted = not path.read_bytes().startswith(SQLITE_MAGIC)
    encryption.forget_keys()
    if encrypted:
        encryption.unlock_workspace(root, PASSPHRASE)
    else:
        with sqlite3.connect(path) as conn:  # readable by any SQLite, no key
            assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    return loaded(path), encrypted


def _workspace_db_reads(root: Path) -> None:
    encryption.forget_keys()
    answer(PASSPHRASE)
    with Workspace.open(root, backup=False) as workspace:
        assert workspace.practice() is not None


# -- backup and restore ------------------------------------------------------------------------------

def test_backup_and_restore_keep_an_encrypted_workspace_encrypted(tmp_path: Path, build: Build) -> None:
    paths = build(tmp_path / "ws", passphrase=PASSPHRASE)
    cases = {path.name: loaded(path) for path in paths}
    back_up(tmp_path / "ws", tmp_path / "backup")
    for name, data in every_file(tmp_path / "backup").items():
        assert not any(secret in data for secret in SECRETS), name
    assert (tmp_path / "backup" / "encrypted.json").is_file()
    encryption.forget_keys()
    answer(PASSPHRASE)
    restore(tmp_path / "backup", tmp_path / "restored")
    assert encryption.is_encrypted_workspace(tmp_path / "restored")
    assert {name: loaded(tmp_path / "restored" / "cases" / name) for name in cases} == cases
    for name, data in every_file(tmp_path / "restored").items():
        assert not any(secret in data for secret in SECRETS), name
