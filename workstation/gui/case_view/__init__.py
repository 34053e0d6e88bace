"""The case view: one module per panel, assembled by view.py."""

from workstation.gui.case_view.view import CaseView

__all__ = ["CaseView"]
