"""Shared fixtures: isolated config/data/log folders, full synthetic cases, demo workspaces."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # Qt aborts without a screen otherwise

from workstation.casefile.workspace import Workspace
from workstation.core.model import (
    Activity,
    Address,
    Adjustment,
    Case,
    Claim,
    Note,
    Payer,
    Person,
    Provider,
    Remark,
    RemittanceSeen,
    ServiceLine,
)
from workstation.core.vocabulary import PayerKind, Route, Status

DEMO_TODAY = date(2026, 3, 31)


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config, data and log folders; no test reads the real ones."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("WORKSTATION_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("WORKSTATION_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("WORKSTATION_LOG_DIR", str(home / "log"))
    monkeypatch.delenv("WORKSTATION_WORKSPACE", raising=False)
    return home


def full_case(**overrides: object) -> Case:
    """A synthetic case with every field filled, including awkward characters."""
    case = Case(
        case_id="6f1c1d0e-2b1a-4c39-9a51-0d2f3b4c5d6e",
        created_at=datetime(2026, 3, 4, 9, 30),
        status=Status.IN_REVIEW, route=Route.APPEAL, route_reason="Medical necessity denial",
        assignee="dana", notice_date=date(2026, 3, 2), notice_date_override=date(2026, 3, 3),
        recovered=Decimal("10.00"),
        claim=Claim("ACCT-1", "ICN 2026-0001", "4", "MB", "11", "1", date(2026, 2, 1),
                    date(2026, 2, 2), Decimal("300.00"), Decimal("200.00"), Decimal("0.00"),
                    Decimal("15.50"), ["M54.50", "I10"]),
        patient=Person("O'Brien & <Sons>", "Zoë", "Ñ", date(1950, 5, 17), "MBI-1EG4TE5MK73", "GRP 9"),
        insured=Person("O'Brien", "Seán", "", date(1948, 1, 2), "MBI-2", "GRP 9"),
        insured_relationship="01",
        payer=Payer("Demo Medicare & Co", "99901", PayerKind.MEDICARE, True,
                    Address("PO Box 1", "Attn: Appeals", "Exampleton", "ZZ", "00001"), "555-0100"),
        provider=Provider("Riverbend <Clinic>", "1234567893", "00-0000000", "PTAN1",
                          Address("1 Main", "", "Sampleburg", "ZZ", "00010")),
        lines=[ServiceLine(1, "97110", ["GP", "59"], Decimal("2"), date(2026, 2, 1), date(2026, 2, 1),
                           Decimal("200.00"), Decimal("150.00"), Decimal("0.00")),
               ServiceLine(2, "99213", [], Decimal("1"), date(2026, 2, 2), date(2026, 2, 2),
                           Decimal("100.00"), None, Decimal("0.00"))],
        adjustments=[Adjustment("CO", "50", Decimal("200.00"), Decimal("2"), 1, Route.APPEAL, True),
                     Adjustment("CO", "45", Decimal("30.00"), None, 2, Route.WRITE_OFF, False),
                     Adjustment("CO", "97", Decimal("70.00"), None, None, Route.RESUBMIT, True)],
        remarks=[Remark("N115", 1), Remark("M15")],
        remittances=[RemittanceSeen("ab" * 32, "era-0302.835", date(2026, 3, 2), "ICN 2026-0001",
                                    "4", Decimal("0.00"), "CHK1", "0001", datetime(2026, 3, 4, 9, 30))],
        notes=[Note("Called payer; ref 123", "dana", datetime(2026, 3, 5, 10, 0))],
        activity=[Activity(datetime(2026, 3, 4, 9, 30), "import", "imported", "Imported")],
    )
    for key, value in overrides.items():
        setattr(case, key, value)
    return case


@pytest.fixture
def make_case():
    return full_case


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    """An empty workspace in the test's own folder, closed afterwards."""
    workspace = Workspace.create(tmp_path / "ws")
    try:
        yield workspace
    finally:
        workspace.close()



@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workstation.ops.demo import create_demo_workspace

    root = tmp_path_factory.mktemp("demo-template") / "ws"
    create_demo_workspace(root, today=DEMO_TODAY).close()
    return root


@pytest.fixture
def demo_workspace(_demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo workspace (built once per session) in this test's tmp dir."""
    target = tmp_path / "demo-ws"
    shutil.copytree(_demo_template, target)
    return target
