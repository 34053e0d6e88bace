"""Our own check of a case file or workspace.sqlite, beside SQLite's: every table, column, index
and trigger of the file's schema version is there, and the values the program reads are of the
right kinds (statuses, payer kinds, dates, money, JSON).

The expected shape is not written out here: it is read from a fresh in-memory database brought
to that version by the same migrations that build real files, so a new schema version is
covered the day it is written."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import cache

from workstation.casefile.encryption import SQLiteDatabaseError
from workstation.casefile.schema import CASE_SCHEMA_VERSION, case_migrations, migrate
from workstation.casefile.workspace_schema import STEPS, WORKSPACE_VERSION, migrate_workspace
from workstation.core.dates import parse_date
from workstation.core.errors import UserError
from workstation.core.money import money
from workstation.core.payer_kinds import ladder_from_dict
from workstation.core.vocabulary import EvidenceKind, PayerKind, Route, Status

MAX_PER_COLUMN = 3  # bad values named per column; the rest are counted


@dataclass(frozen=True)
class Shape:
    """What a schema version holds: each table's columns, and the indexes and triggers by name."""

    tables: dict[str, frozenset[str]]
    indexes: frozenset[str]
    triggers: frozenset[str]


def shape_of(conn: sqlite3.Connection) -> Shape:
    """The shape a database has (SQLite's own tables left out), read in two statements."""
    rows = conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    tables: dict[str, set[str]] = {name: set() for kind, name in rows if kind == "table"}
    for table, column in conn.execute("SELECT m.name, c.name FROM sqlite_master AS m, pragma_table_info(m.name) AS c "
                                      "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"):
        tables[table].add(column)
    return Shape({name: frozenset(columns) for name, columns in tables.items()},
                 frozenset(n for k, n in rows if k == "index"), frozenset(n for k, n in rows if k == "trigger"))


@cache
def case_shape(version: int = CASE_SCHEMA_VERSION) -> Shape:
    """A case file's shape at `version`: the case migrations up to it, on a fresh database."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        if version >= CASE_SCHEMA_VERSION:
            conn.execute("BEGIN")
            migrate(conn)
            conn.execute("COMMIT")
        else:
            from sqlite_utils import Database  # only for an older version's shape (sqlite-utils: 0.05 s to import)

            db = Database(conn, execute_plugins=False, recursive_triggers=False)
            names = [m.name for m in case_migrations().pending(db)]
            case_migrations().apply(db, stop_before=names[version])
        return shape_of(conn)
    finally:
        conn.close()


@cache
def workspace_shape(version: int = WORKSPACE_VERSION) -> Shape:
    """workspace.sqlite's shape at `version`: its steps up to it, on a fresh database."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.execute("BEGIN")
        if version >= WORKSPACE_VERSION:
            migrate_workspace(conn, 0)
        else:
            from workstation.casefile.schema import run_script

            for step, script in STEPS:
                if step <= version:
                    run_script(conn, script)
        conn.execute("COMMIT")
        return shape_of(conn)
    finally:
        conn.close()


def shape_problems(found: Shape, expected: Shape) -> list[str]:
    """Tables, columns, indexes and triggers of the version that the file lacks."""
    problems = []
    for table, columns in sorted(expected.tables.items()):
        if table not in found.tables:
            problems.append(f"the table {table} is missing")
        elif missing := sorted(columns - found.tables[table]):
            problems.append(f"the table {table} lacks the column{'s' if len(missing) > 1 else ''} "
                            f"{', '.join(missing)}")
    problems += [f"the index {name} is missing" for name in sorted(expected.indexes - found.indexes)]
    problems += [f"the trigger {name} is missing" for name in sorted(expected.triggers - found.triggers)]
    return problems


# -- values ---------------------------------------------------------------------------------------

Reader = Callable[[object], object]


def _enum(kind: type[Enum], words: str) -> tuple[Reader, str]:
    return (lambda value: kind(value)), words


def _json_of(expected: type) -> Reader:
    def read(value: object) -> object:
        parsed = json.loads(str(value))
        if not isinstance(parsed, expected):
            raise ValueError(f"not a JSON {expected.__name__}")
        return parsed
    return read


def _number(value: object) -> Decimal:
    number = Decimal(str(value))
    if not number.is_finite():
        raise InvalidOperation(str(value))
    return number


def _integer(value: object) -> int:
    if not isinstance(value, int):
        raise ValueError(str(value))
    return value


def _date(value: object) -> object:
    if not isinstance(value, str) or parse_date(value) is None:
        raise ValueError(str(value))
    return value


def _texts(value: object) -> list:
    parsed = _json_of(list)(value)
    if not all(isinstance(item, str) for item in parsed):
        raise ValueError("not a JSON list of text")
    return parsed


DATE = (_date, "a date")
TIMESTAMP = ((lambda value: datetime.fromisoformat(str(value))), "a date and time")
MONEY = ((lambda value: money(str(value))), "an amount of money")
NUMBER = (_number, "a number")
INTEGER = (_integer, "a whole number")
JSON = ((lambda value: json.loads(str(value))), "JSON")
JSON_LIST = (_json_of(list), "a JSON list")
JSON_TEXTS = (_texts, "a JSON list of text")
JSON_OBJECT = (_json_of(dict), "a JSON object")
STATUS = _enum(Status, "a case status")
ROUTE = _enum(Route, "a route")
PAYER_KIND = _enum(PayerKind, "a payer kind")
EVIDENCE_KIND = _enum(EvidenceKind, "a kind of evidence")

#: What the program reads from each column of a case file (columns not named are text it shows).
CASE_VALUES: dict[str, dict[str, tuple[Reader, str]]] = {
    "case_info": {"created_at": TIMESTAMP, "status": STATUS, "route": ROUTE, "notice_date": DATE,
                  "notice_date_override": DATE, "recovered": MONEY, "opened_amount": MONEY,
                  "warnings": JSON_LIST, "revision": INTEGER},
    "claim": {"service_from": DATE, "service_to": DATE, "billed": MONEY, "allowed": MONEY, "paid": MONEY,
              "patient_responsibility": MONEY, "diagnosis_codes": JSON_LIST},
    "people": {"date_of_birth": DATE},
    "payer": {"kind": PAYER_KIND},
    "service_lines": {"modifiers": JSON_LIST, "units": NUMBER, "service_from": DATE, "service_to": DATE,
                      "billed": MONEY, "allowed": MONEY, "paid": MONEY},
    "adjustments": {"amount": MONEY, "quantity": NUMBER, "route": ROUTE},
    "remittances": {"notice_date": DATE, "paid": MONEY, "imported_at": TIMESTAMP},
    "notes": {"created_at": TIMESTAMP},
    "activity": {"at": TIMESTAMP},
    "checklist": {"at": TIMESTAMP},
    "evidence": {"kind": EVIDENCE_KIND, "size": INTEGER, "position": INTEGER, "document_date": DATE,
                 "added_at": TIMESTAMP},
    "calls": {"at": TIMESTAMP, "follow_up": DATE},
    "submissions": {"date": DATE, "level": INTEGER, "at": TIMESTAMP},
    "decisions": {"date": DATE, "level": INTEGER, "amount_recovered": MONEY, "at": TIMESTAMP},
    "letters": {"created_at": TIMESTAMP, "template_version": INTEGER, "fields": JSON_OBJECT,
                "context": JSON},
    "packets": {"created_at": TIMESTAMP, "manifest": JSON, "page_count": INTEGER},
    "letter_draft": {"template_version": INTEGER, "level": INTEGER, "fields": JSON_OBJECT, "saved_at": TIMESTAMP},
}

#: What the program reads from each column of workspace.sqlite.
WORKSPACE_VALUES: dict[str, dict[str, tuple[Reader, str]]] = {
    "payers": {"kind": PAYER_KIND, "payer_ids": JSON_TEXTS, "needs_check": INTEGER, "ladder": JSON_OBJECT},
    "imported_files": {"imported_at": TIMESTAMP, "claims": INTEGER, "created": INTEGER},
    "imported_transactions": {"imported_at": TIMESTAMP},
    "transactions_read": {"imported_at": TIMESTAMP},
}

#: Tables that hold exactly one row, which the program always reads.
CASE_SINGLE_ROWS = ("case_info", "claim", "payer", "provider")
WORKSPACE_SINGLE_ROWS = ("practice",)


def value_problems(conn: sqlite3.Connection, rules: dict[str, dict[str, tuple[Reader, str]]],
                   shape: Shape) -> list[str]:
    """Values the program could not read, named by table, row and column (in the tables and
    columns `shape` says the file has); one query per table."""
    problems = []
    for table, columns in rules.items():
        present = [column for column in columns if column in shape.tables.get(table, frozenset())]
        if present:
            problems += _table_problems(conn, table, {column: columns[column] for column in present})
    return problems


def _table_problems(conn: sqlite3.Connection, table: str, columns: dict[str, tuple[Reader, str]]) -> list[str]:
    bad: dict[str, list[str]] = {column: [] for column in columns}
    names = list(columns)
    for rowid, *values in conn.execute(f"SELECT rowid, {', '.join(map(_quoted, names))} FROM {_quoted(table)}"):
        for column, value in zip(names, values, strict=True):
            if value is not None and not _readable(columns[column][0], value):
                # the value itself is never shown: it may be a patient's (check's lines reach logs and tickets)
                bad[column].append(f"{table}, row {rowid}: {column} does not hold {columns[column][1]}")
    problems = []
    for column, found in bad.items():
        problems += found[:MAX_PER_COLUMN]
        if len(found) > MAX_PER_COLUMN:
            problems.append(f"{table}: {len(found) - MAX_PER_COLUMN} more rows with a bad {column}")
    return problems


def _readable(read: Reader, value: object) -> bool:
    try:
        read(value)
    except (ValueError, TypeError, ArithmeticError, UserError, RecursionError):  # JSON nested past Python's limit
        return False
    return True


def single_row_problems(conn: sqlite3.Connection, tables: tuple[str, ...], shape: Shape) -> list[str]:
    problems = []
    for table in tables:
        if table in shape.tables:
            count = conn.execute(f"SELECT count(*) FROM {_quoted(table)}").fetchone()[0]
            if count != 1:
                problems.append(f"the table {table} holds {count} rows instead of one")
    return problems


def _ladder_problems(conn: sqlite3.Connection) -> list[str]:
    """A payer's ladder must read as one (its kind and JSON are checked as values)."""
    problems = []
    for rowid, kind, ladder in conn.execute("SELECT rowid, kind, ladder FROM payers WHERE ladder IS NOT NULL"):
        try:
            ladder_from_dict(PayerKind(kind), json.loads(ladder))
        except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError, RecursionError):
            problems.append(f"payers, row {rowid}: its appeal ladder cannot be read")
    return problems


# -- whole files ----------------------------------------------------------------------------------

def sqlite_problems(conn: sqlite3.Connection) -> list[str]:
    """What SQLite's integrity check and foreign key check find."""
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall() if row[0] != "ok"]
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall():
        problems.append(f"{table}, row {rowid}: refers to a row of {parent} that does not exist")
    return problems


def case_problems(conn: sqlite3.Connection) -> list[str]:
    """Everything wrong with an open case file; empty when it is sound."""
    return _problems(conn, case_shape, CASE_VALUES, CASE_SINGLE_ROWS)


def workspace_problems(conn: sqlite3.Connection) -> list[str]:
    """Everything wrong with an open workspace.sqlite; empty when it is sound."""
    problems = _problems(conn, workspace_shape, WORKSPACE_VALUES, WORKSPACE_SINGLE_ROWS)
    if not problems:
        problems = _ladder_problems(conn)
    return problems


def missing_workspace_parts(conn: sqlite3.Connection) -> list[str]:
    """The tables, columns, indexes and triggers of its version that workspace.sqlite lacks
    (cheap enough for every opening)."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    return shape_problems(shape_of(conn), workspace_shape(version))


def _problems(conn: sqlite3.Connection, shape_at: Callable[[int], Shape],
              values: dict[str, dict[str, tuple[Reader, str]]], single: tuple[str, ...]) -> list[str]:
    try:
        problems = sqlite_problems(conn)
        if problems:
            return problems  # a broken b-tree makes every later answer doubtful
        expected = shape_at(int(conn.execute("PRAGMA user_version").fetchone()[0]))
        found = shape_of(conn)
        problems = shape_problems(found, expected)
        return problems + single_row_problems(conn, single, found) + value_problems(conn, values, found)
    except SQLiteDatabaseError as error:
        return [str(error)]


def in_words(problems: list[str] | tuple[str, ...]) -> str:
    """The first problems found, as `check` says them ("the table packets is missing; ...")."""
    more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
    return "; ".join(problems[:3]) + more


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'

