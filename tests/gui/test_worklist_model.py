"""The worklist model and its filter, tested without a window (Vorta/napari style)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from gui_clicks import on_screen
from PySide6.QtCore import Qt

from workstation.core.summary import CaseSummary
from workstation.gui.worklist_model import COLUMNS, OPEN_CASES, SUMMARY_ROLE, WorklistFilter, WorklistModel

TODAY = date(2026, 3, 31)


def _row(name: str, **fields: object) -> CaseSummary:
    values = {"path": Path(f"/ws/cases/{name}.appeal"), "case_id": name, "patient": name, "payer": "Payer A",
              "status": "new", "amount_at_stake": Decimal("10.00"), "notice_date": date(2026, 3, 1)}
    values.update(fields)
    return CaseSummary(**values)


ROWS = [
    _row("Zed, Ann", amount_at_stake=Decimal("900.00"), status="in_review", reason_text="CO-50 not necessary",
         reasons=("CO-50",), notice_date=date(2026, 3, 21)),
    _row("Able, Bo", amount_at_stake=Decimal("85.50"), payer="Payer B", status="won", claim_number="ICN77"),
    _row("Moe, Cy", amount_at_stake=Decimal("1200.00"), status="new", reasons=("CO-197",),
         reason_text="CO-197 no authorization", notice_date=date(2026, 2, 1)),
    _row("damaged", patient="", problem="damaged.appeal is cut short"),
]


def _column(title: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.title == title)


def test_model_passes_qt_model_tester(qtmodeltester) -> None:
    qtmodeltester.check(WorklistModel(ROWS, today=TODAY))


def test_filter_model_passes_qt_model_tester(qtmodeltester) -> None:
    proxy = WorklistFilter()
    proxy.setSourceModel(WorklistModel(ROWS, today=TODAY))
    proxy.set_text("moe")
    qtmodeltester.check(proxy)


def test_cells_show_money_status_and_age_in_words() -> None:
    model = WorklistModel(ROWS, today=TODAY)
    assert model.index(2, _column("At stake")).data() == "$1,200.00"
    assert model.index(0, _column("Status")).data() == "In review"
    assert model.index(0, _column("Age (days)")).data() == "10"
    assert model.index(0, _column("Denial reason")).data() == "CO-50 not necessary"


def test_damaged_file_row_names_the_file_and_the_reason() -> None:
    model = WorklistModel(ROWS, today=TODAY)
    assert model.index(3, _column("Patient")).data() == "damaged.appeal"
    assert model.index(3, _column("Status")).data() == "Cannot open"
    assert "cut short" in model.index(3, _column("Denial reason")).data()
    assert model.index(3, 0).data(Qt.ItemDataRole.ForegroundRole) is not None


def test_sorting_by_amount_uses_numbers_not_text(qtmodeltester) -> None:
    model = WorklistModel(ROWS, today=TODAY)
    proxy = WorklistFilter()
    proxy.setSourceModel(model)
    model.sort(_column("At stake"), Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    amounts = [proxy.index(i, 0).data(SUMMARY_ROLE).amount_at_stake for i in range(proxy.rowCount())]
    assert amounts == sorted(amounts, reverse=True)
    assert amounts[0] == Decimal("1200.00")


def test_sorting_keeps_the_selected_case_selected() -> None:
    from PySide6.QtCore import QPersistentModelIndex

    model = WorklistModel(ROWS, today=TODAY)
    held = QPersistentModelIndex(model.index(1, 0))
    model.sort(_column("Patient"), Qt.SortOrder.AscendingOrder)
    assert held.data(SUMMARY_ROLE).patient == "Able, Bo"
    assert held.row() == 0  # Able, damaged.appeal, Moe, Zed
    model.sort(_column("Patient"), Qt.SortOrder.DescendingOrder)
    assert held.data(SUMMARY_ROLE).patient == "Able, Bo"


def test_filters_by_status_payer_open_and_text() -> None:
    proxy = WorklistFilter()
    proxy.setSourceModel(WorklistModel(ROWS, today=TODAY))
    proxy.set_status("won")
    assert [r.patient for r in on_screen(proxy)] == ["Able, Bo"]
    proxy.set_status(OPEN_CASES)
    assert "Able, Bo" not in [r.patient for r in on_screen(proxy)]
    proxy.set_status("")
    proxy.set_payer("Payer B")
    assert [r.patient for r in on_screen(proxy)] == ["Able, Bo"]
    proxy.set_payer("")
    proxy.set_text("co-197")
    assert [r.patient for r in on_screen(proxy)] == ["Moe, Cy"]
    proxy.set_text("icn77")
    assert [r.patient for r in on_screen(proxy)] == ["Able, Bo"]


def test_update_row_replaces_one_row_and_adds_new_ones(qtbot) -> None:
    model = WorklistModel(ROWS, today=TODAY)
    changed = _row("Zed, Ann", status="submitted")
    with qtbot.waitSignal(model.dataChanged):
        model.update_row(changed)
    assert model.index(0, _column("Status")).data() == "Submitted"
    with qtbot.waitSignal(model.rowsInserted):
        model.update_row(_row("New, One"))
    assert model.rowCount() == len(ROWS) + 1


def test_the_search_finds_a_row_by_what_it_says_now_after_an_edit_and_a_reload() -> None:
    """Each row's searchable text is made once; a row replaced (an edit) or rows set anew are searched afresh."""
    model = WorklistModel(ROWS, today=TODAY)
    proxy = WorklistFilter()
    proxy.setSourceModel(model)
    proxy.set_text("baker")
    assert on_screen(proxy) == []
    able = next(r for r in ROWS if r.patient == "Able, Bo")
    model.update_row(replace(able, patient="Baker, Al"))
    assert [r.patient for r in on_screen(proxy)] == ["Baker, Al"]
    model.set_rows(ROWS)
    assert on_screen(proxy) == []
