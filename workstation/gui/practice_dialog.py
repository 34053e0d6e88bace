"""Settings > Practice profile: the letterhead, the signer, the logo and the signature image."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from workstation.core.errors import UserError
from workstation.core.model import Address
from workstation.core.workspace_model import PracticeProfile
from workstation.gui.widgets import FormDialog
from workstation.ops.first_run import read_practice_image

if TYPE_CHECKING:
    from workstation.casefile.workspace import Workspace

FIELDS = (("name", "Practice name"), ("line1", "Address"), ("line2", ""), ("city", "City"), ("state", "State"),
          ("zip", "ZIP"), ("phone", "Phone"), ("fax", "Fax"), ("npi", "NPI"), ("tin", "TIN"),
          ("contact_name", "Contact person"), ("signer_name", "Letters signed by"), ("signer_title", "Signer's title"))


SavePractice = Callable[[PracticeProfile, dict[str, bytes | None]], object]


class PracticeDialog(FormDialog):
    """Shows the workspace's practice; Save hands profile and images to `save` (an op through
    the window's hub, which raises UserError to keep the dialog open with the reason)."""

    def __init__(self, workspace: Workspace, save: SavePractice, parent: QWidget | None = None) -> None:
        super().__init__("Practice profile (letterhead and signature)", parent)
        self._save = save
        self.edits: dict[str, QLineEdit] = {}
        self.images = {name: workspace.practice_image(name) for name in ("logo", "signature")}
        form = self.form
        profile = workspace.practice()
        values = vars(profile) | vars(profile.address)
        for key, label in FIELDS:
            edit = QLineEdit(str(values.get(key, "")))
            edit.setObjectName(f"practice_{key}")
            self.edits[key] = edit
            form.addRow(label, edit)
        self.previews: dict[str, QLabel] = {}
        for name, label in (("logo", "Logo"), ("signature", "Signature image")):
            form.addRow(label, self._image_row(name))

    def _image_row(self, name: str) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        preview = QLabel()
        preview.setFixedSize(160, 50)
        preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.previews[name] = preview
        choose, remove = QPushButton("Choose…"), QPushButton("Remove")
        choose.clicked.connect(lambda: self.choose_image(name))
        remove.clicked.connect(lambda: self.set_image(name, None))
        for widget in (preview, choose, remove):
            layout.addWidget(widget)
        self._show_image(name)
        return row

    def _show_image(self, name: str) -> None:
        data, preview = self.images[name], self.previews[name]
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            preview.setPixmap(pixmap.scaled(preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation))
        else:
            preview.setText("(none)")

    def choose_image(self, name: str) -> None:
        file, _filter = QFileDialog.getOpenFileName(self, f"Choose the {name} image", "", "Images (*.png *.jpg *.jpeg)")
        if file:
            try:
                self.set_image(name, read_practice_image(Path(file)))
            except UserError as error:
                self.problem.setText(str(error))

    def set_image(self, name: str, data: bytes | None) -> None:
        self.images[name] = data
        self._show_image(name)

    def profile(self) -> PracticeProfile:
        v = {key: edit.text().strip() for key, edit in self.edits.items()}
        address = Address(v.pop("line1"), v.pop("line2"), v.pop("city"), v.pop("state"), v.pop("zip"))
        return PracticeProfile(address=address, **v)

    def save(self) -> None:
        self.try_accept()

    def validate(self) -> None:
        self._save(self.profile(), dict(self.images))
