"""The denial report as tables (issue 13, point 5): what the CSV files, the workbook and the
monthly PDF print, each cell a typed value (a count, dollars, a rate, a date) so every writer
formats it its own way: plain numbers in CSV, number formats in Excel, words on paper."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

#: A cell: text, a count, an amount or rate, a date, or nothing (no data).
Cell = str | int | Decimal | date | None


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"
    MONEY = "money"  # dollars, two places
    RATE = "rate"  # a share: 0.1250 is 12.50%
    DAYS = "days"  # a number of days, possibly half a day (a median)
    DATE = "date"
    MONTH = "month"  # the first of the month stands for the month


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class ReportTable:
    name: str  # the file name's stem and the sheet's key: "by_reason"
    title: str  # "Denials by reason"
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""  # one sentence saying what is counted
    sheet: str = ""  # the workbook's sheet name, when the name's words do not make it ("Write-offs by reason")


@dataclass(frozen=True)
class Figure:
    """A headline figure: "Initial denial rate (claims)" 0.6000 as a rate."""

    label: str
    value: Cell
    kind: Kind


@dataclass(frozen=True)
class ReportBook:
    """Everything a report export holds: the period, the scope, the headline figures, the tables."""

    start: date
    end: date
    scope: str  # "All payers" or the payer's name
    figures: tuple[Figure, ...]
    tables: tuple[ReportTable, ...]

    def table(self, name: str) -> ReportTable:
        return next(t for t in self.tables if t.name == name)

    def figure(self, label: str) -> Cell:
        return next(f.value for f in self.figures if f.label == label)


def month_text(day: date) -> str:
    """"Feb 2026"."""
    return f"{day:%b %Y}"
