"""Read-only parts of the case view: labels, service lines with their codes, notes, activity."""

from __future__ import annotations

from PySide6.QtWidgets import QListWidget, QListWidgetItem, QTreeWidget, QTreeWidgetItem

from workstation.core.codebook import codebook
from workstation.core.model import Case
from workstation.core.money import dollars
from workstation.ops.official_codes import official_wording


class LinesTree(QTreeWidget):
    """Service lines, each with its adjustments and remarks decoded in words."""

    HEADERS = ("Line / code", "Dates", "Units", "Billed", "Paid", "Route", "Meaning")

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("lines_tree")
        self.setHeaderLabels(list(self.HEADERS))
        self.setRootIsDecorated(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.header().setStretchLastSection(True)

    def show_case(self, case: Case) -> None:
        self.clear()
        book = codebook()
        for line in case.lines:
            code = line.procedure_code + "".join(f":{m}" for m in line.modifiers)
            until = f" to {line.service_to}" if line.service_to != line.service_from else ""
            dates = f"{line.service_from or ''}{until}"
            item = QTreeWidgetItem([f"{line.line_number}. {code}", dates, f"{line.units.normalize()}",
                                    dollars(line.billed), dollars(line.paid), "", ""])
            self._add_codes(item, case, line.line_number, book)
            self.addTopLevelItem(item)
        claim_level = QTreeWidgetItem(["Claim level", "", "", "", "", "", ""])
        self._add_codes(claim_level, case, None, book)
        if claim_level.childCount():
            self.addTopLevelItem(claim_level)
        self.expandAll()
        for column in range(len(self.HEADERS) - 1):
            self.resizeColumnToContents(column)

    def _add_codes(self, parent: QTreeWidgetItem, case: Case, line_number: int | None, book) -> None:
        for adj in (a for a in case.adjustments if a.line_number == line_number):
            marker = " (opened the case)" if adj.opens_case else ""
            meaning = book.reason(adj.carc).description + marker
            item = QTreeWidgetItem(parent, [adj.code, "", "", dollars(adj.amount), "",
                                            adj.route.label if adj.route else "", meaning])
            item.setToolTip(6, meaning)
        for remark in (r for r in case.remarks if r.line_number == line_number):
            meaning = book.remark(remark.code).description
            item = QTreeWidgetItem(parent, [f"remark {remark.code}", "", "", "", "", "", meaning])
            item.setToolTip(6, meaning)


def codes_in_words(case: Case) -> str:
    """Every adjustment and remark as a sentence: code, amount, where, meaning, route."""
    book, lines = codebook(), []
    for adj in case.adjustments:
        where = f"line {adj.line_number}" if adj.line_number else "claim"
        route = f" Route: {adj.route.label}." if adj.route else ""
        opened = " Opened this case." if adj.opens_case else ""
        meaning = book.reason(adj.carc).description + _official(adj.carc)
        lines.append(f"{adj.code} ({dollars(adj.amount)}, {where}): {meaning}.{route}{opened}")
    for remark in case.remarks:
        where = f"line {remark.line_number}" if remark.line_number else "claim"
        meaning = book.remark(remark.code).description + _official(remark.code)
        lines.append(f"Remark {remark.code} ({where}): {meaning}.")
    return "\n".join(lines) or "No adjustment codes on this claim."


def _official(code: str) -> str:
    wording = official_wording(code)
    return f" [X12: {wording.rstrip('.')}]" if wording else ""


def fill_activity(widget: QListWidget, case: Case) -> None:
    """The append-only timeline, newest first."""
    widget.clear()
    for entry in reversed(case.activity):
        widget.addItem(QListWidgetItem(f"{entry.at:%Y-%m-%d %H:%M}  {entry.actor}: {entry.message}"))


def fill_notes(widget: QListWidget, case: Case) -> None:
    widget.clear()
    for note in reversed(case.notes):
        widget.addItem(QListWidgetItem(f"{note.created_at:%Y-%m-%d %H:%M}  {note.author}: {note.text}"))
