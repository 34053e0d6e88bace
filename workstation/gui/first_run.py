"""The welcome on a first start: look around the demo, or set up a workspace of one's own.

Shown over the window (which already shows the demo), never blocking the event loop. Three
steps, each skippable and each done again later in Settings: the choice (demo, or a new
workspace in a folder), the practice profile (the letterhead), and who is working here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from workstation.core.changes import Changes
from workstation.core.errors import UserError
from workstation.core.model import Address
from workstation.core.workspace_model import PracticeProfile
from workstation.gui.operations import Operations
from workstation.gui.practice_dialog import FIELDS
from workstation.gui.widgets import FormDialog, plain_label
from workstation.ops.first_run import (
    decline_to_say_who,
    finish_welcome,
    initials_of,
    introduce_user,
    own_workspace,
    read_practice_image,
    save_practice_profile,
)
from workstation.ops.user_config import default_workspace_dir, load_config, login_name

if TYPE_CHECKING:
    from workstation.gui.main_window import MainWindow

CHOICE, PRACTICE, WHO = range(3)
SKIP = QWizard.WizardButton.CustomButton1


def _problem_label() -> QLabel:
    label = plain_label()
    label.setObjectName("problem")
    label.setStyleSheet("color: #8c1d18;")
    return label


class WelcomeWizard(QWizard):
    """The welcome; `workspace_root` is the new workspace once one was made (else the demo stays)."""

    def __init__(self, operations: Operations, parent: QWidget | None = None, *, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setWindowTitle("Welcome to the Appeal Workstation")
        self.operations = operations
        self.workspace_root: Path | None = None
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setOption(QWizard.WizardOption.HaveCustomButton1)
        self.setButtonText(SKIP, "Skip this step")
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Next >")
        self.button(SKIP).clicked.connect(self._skip)
        self.currentIdChanged.connect(lambda page: self.button(SKIP).setVisible(page in (PRACTICE, WHO)))
        self.choice = ChoicePage(folder or default_workspace_dir())
        self.practice = PracticePage()
        self.who = WhoPage()
        for number, page in ((CHOICE, self.choice), (PRACTICE, self.practice), (WHO, self.who)):
            self.setPage(number, page)
        self.setStartId(CHOICE)
        self.finished.connect(lambda _result: finish_welcome(asked_who=WHO in self.visitedIds()))
        self.resize(640, 560)

    def run_step(self, operation: Callable[[], Changes], page: StepPage) -> bool:
        """One step's op through the window's hub; a refusal is shown on the page, which stays."""
        page.problem.clear()
        return self.operations.run(operation, refused=lambda error: page.problem.setText(str(error))) is not None

    def _skip(self) -> None:
        page = self.currentPage()
        if not isinstance(page, StepPage):
            return
        page.skipping = True
        try:
            if self.currentId() == WHO:
                self.accept()
            else:
                self.next()
        finally:
            page.skipping = False


class StepPage(QWizardPage):
    """A page whose step can be skipped: `validatePage` saves unless `skipping`."""

    def __init__(self, title: str, subtitle: str) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.skipping = False
        self.problem = _problem_label()

    def wizard(self) -> WelcomeWizard:
        wizard = super().wizard()
        assert isinstance(wizard, WelcomeWizard)
        return wizard


class ChoicePage(StepPage):
    def __init__(self, folder: Path) -> None:
        super().__init__("Welcome to the Appeal Workstation",
                         "Each insurance denial becomes a case file on this computer: the reason in plain words, "
                         "the deadline, the review, the evidence, the calls and the appeal letter. "
                         "Nothing is sent anywhere.")
        self.setCommitPage(True)
        self.existing = False  # the folder chosen was a workspace already
        self.demo = QRadioButton("&Look around the demo first")
        self.demo.setObjectName("choose_demo")
        self.own = QRadioButton("Set up a workspace of &my own, in this folder:")
        self.own.setObjectName("choose_own")
        self.group = QButtonGroup(self)
        self.group.addButton(self.demo)
        self.group.addButton(self.own)
        self.demo.setChecked(True)
        self.folder = QLineEdit(str(folder))
        self.folder.setObjectName("workspace_folder")
        self.browse = QPushButton("Choose…")
        self.browse.clicked.connect(self._choose_folder)
        self.own.toggled.connect(self._own_toggled)
        self._own_toggled(False)
        self._lay_out()

    def _lay_out(self) -> None:
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(24, 0, 0, 0)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.demo)
        layout.addWidget(_indented("Fictional patients, payers and practice: try anything, nothing there is real. "
                                   "The window behind this one shows it."))
        layout.addSpacing(12)
        layout.addWidget(self.own)
        layout.addLayout(folder_row)
        layout.addWidget(_indented("A new or empty folder becomes a workspace; a workspace folder (say, one "
                                   "a colleague set up) is opened. The next steps ask for the letterhead "
                                   "and your name; both can wait."))
        layout.addSpacing(12)
        layout.addWidget(plain_label("Either can be done later: File > New workspace makes a workspace, and "
                                     "File > Recent workspaces brings the demo back."))
        layout.addStretch(1)
        layout.addWidget(self.problem)

    def _own_toggled(self, on: bool) -> None:
        self.folder.setEnabled(on)
        self.browse.setEnabled(on)

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Choose an empty folder, or a workspace folder",
                                                  str(Path(self.folder.text()).parent))
        if chosen:
            self.folder.setText(chosen)

    def nextId(self) -> int:
        """A new workspace asks for its letterhead; the demo, or a workspace that has one, does not."""
        return PRACTICE if self.own.isChecked() and not self.existing else WHO

    def validatePage(self) -> bool:
        if not self.own.isChecked():
            return True
        text = self.folder.text().strip()
        if not text:
            self.problem.setText("Type or choose the folder the workspace goes in.")
            return False
        try:
            chosen = own_workspace(Path(text))
        except UserError as error:
            self.problem.setText(str(error))
            return False
        self.wizard().workspace_root, self.existing = chosen.root, not chosen.created
        return True


class PracticePage(StepPage):
    def __init__(self) -> None:
        super().__init__("Your practice", "The letterhead and signature of every letter. Leave blank what you do not "
                         "have at hand: Settings > Practice profile changes it later, and a letter names what is "
                         "still missing.")
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        for key, label in FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"practice_{key}")
            self.edits[key] = edit
            form.addRow(label, edit)
        self.images = {"logo": ImageChooser("logo"), "signature": ImageChooser("signature")}
        form.addRow("Logo (optional)", self.images["logo"])
        form.addRow("Signature (optional)", self.images["signature"])
        form.addRow(self.problem)

    def profile(self) -> PracticeProfile:
        v = {key: edit.text().strip() for key, edit in self.edits.items()}
        address = Address(v.pop("line1"), v.pop("line2"), v.pop("city"), v.pop("state"), v.pop("zip"))
        return PracticeProfile(address=address, **v)

    def is_blank(self) -> bool:
        return not any(e.text().strip() for e in self.edits.values()) and not any(
            chooser.data for chooser in self.images.values())

    def validatePage(self) -> bool:
        root = self.wizard().workspace_root
        if self.skipping or self.is_blank() or root is None:
            return True
        profile, images = self.profile(), {name: chooser.data for name, chooser in self.images.items()}
        return self.wizard().run_step(lambda: save_practice_profile(root, profile, images), self)


class ImageChooser(QWidget):
    """A small preview of a logo or signature, with Choose… and Remove; `data` holds the bytes."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.data: bytes | None = None
        self.preview = QLabel("(none)")
        self.preview.setFixedSize(140, 40)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        choose, remove = QPushButton("Choose…"), QPushButton("Remove")
        choose.setObjectName(f"choose_{name}")
        choose.clicked.connect(self.choose)
        remove.clicked.connect(lambda: self.set_data(None))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.preview, choose, remove):
            layout.addWidget(widget)
        layout.addStretch(1)

    def choose(self) -> None:
        file, _filter = QFileDialog.getOpenFileName(self, f"Choose the {self.name} image", "",
                                                    "Images (*.png *.jpg *.jpeg)")
        if file:
            self.load(Path(file))

    def load(self, path: Path) -> None:
        """Take the image in `path`; one that is not a small PNG or JPEG is refused on the page."""
        page = self.parentWidget()
        try:
            self.set_data(read_practice_image(path))
        except UserError as error:
            if isinstance(page, StepPage):
                page.problem.setText(str(error))

    def set_data(self, data: bytes | None) -> None:
        self.data = data
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.preview.setPixmap(pixmap.scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation))
        else:
            self.preview.setText("(none)")


class WhoForm(QWidget):
    """Name and initials, the initials suggested from the name until the biller types their own."""

    def __init__(self, problem: QLabel) -> None:
        super().__init__()
        config = load_config()
        self.name = QLineEdit(config.display_name)
        self.name.setObjectName("user_name")
        self.name.setPlaceholderText("e.g. Dana Example")
        self.initials = QLineEdit(config.current_user)
        self.initials.setObjectName("user_initials")
        self.initials.setPlaceholderText("e.g. DE")
        self.initials.setMaxLength(4)
        self._initials_typed = bool(config.current_user)
        self.initials.textEdited.connect(lambda text: setattr(self, "_initials_typed", bool(text)))
        self.name.textChanged.connect(self._suggest_initials)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Your name", self.name)
        form.addRow("Initials", self.initials)
        form.addRow(problem)

    def _suggest_initials(self, name: str) -> None:
        if not self._initials_typed:
            self.initials.setText(initials_of(name))

    def is_blank(self) -> bool:
        return not (self.name.text().strip() or self.initials.text().strip())


WHO_TEXT = ("Your initials sign every change you make to a case (its activity log), so colleagues can see "
            "who did what. Skipped, changes are signed with this computer's login name ({login}). "
            "Settings > Preferences changes it later.")


class WhoPage(StepPage):
    def __init__(self) -> None:
        super().__init__("Who are you?", WHO_TEXT.format(login=login_name()))
        self.form = WhoForm(self.problem)
        self.name, self.initials = self.form.name, self.form.initials
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)

    def validatePage(self) -> bool:
        name, initials = self.name.text(), self.initials.text()
        if self.skipping or self.form.is_blank():
            return True
        root = self.wizard().workspace_root
        return self.wizard().run_step(lambda: introduce_user(name=name, initials=initials, workspace=root), self)


class WhoDialog(FormDialog):
    """"Who is working here?" on the first start of a window that had a workspace to open (given
    with -w, or a config from before the welcome), so the welcome, and its question, never ran.
    Save remembers the name (and makes it one of the workspace's users); Skip keeps the login."""

    def __init__(self, operations: Operations, workspace: Path | None, parent: QWidget | None = None) -> None:
        super().__init__("Who is working here?", parent)
        self.setObjectName("who_question")
        self.operations, self.workspace = operations, workspace
        self.body.insertWidget(0, plain_label(WHO_TEXT.format(login=login_name())))
        self.who = WhoForm(self.problem)
        self.name, self.initials = self.who.name, self.who.initials
        self.body.insertWidget(1, self.who)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Skip")
        self.name.setFocus()

    def validate(self) -> None:
        if self.who.is_blank():
            raise UserError("Type your name or initials, or press Skip to sign changes with the login name.")
        name, initials, root = self.name.text(), self.initials.text(), self.workspace
        self.operations.run_or_raise(lambda: introduce_user(name=name, initials=initials, workspace=root))


def _indented(text: str) -> QLabel:
    label = plain_label(text)
    label.setContentsMargins(24, 0, 0, 0)
    label.setStyleSheet("color: #5a5a5a;")
    return label


def show_welcome(window: MainWindow) -> WelcomeWizard:
    """Open the welcome over the window (window-modal, the event loop keeps running); when it
    ends, the window takes the new workspace, if one was made, and the user given."""
    wizard = WelcomeWizard(window.operations, window)
    wizard.finished.connect(lambda _result: _welcome_ended(window, wizard))
    wizard.setWindowModality(Qt.WindowModality.WindowModal)
    wizard.open()
    return wizard


def _welcome_ended(window: MainWindow, wizard: WelcomeWizard) -> None:
    adopt_current_user(window)  # first: opening the workspace offers the current user as assignee
    if wizard.workspace_root is not None:
        window.open_workspace(wizard.workspace_root)


def ask_who(window: MainWindow) -> WhoDialog:
    """Put "who is working here?" over the window (window-modal, the event loop keeps running);
    answered, the window signs edits with the name; skipped, it is not asked again."""
    workspace = window.workspace
    root = workspace.root if workspace is not None and not workspace.read_only else None
    dialog = WhoDialog(window.operations, root, window)
    dialog.accepted.connect(lambda: adopt_current_user(window))
    dialog.rejected.connect(decline_to_say_who)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.open()
    return dialog


def adopt_current_user(window: MainWindow) -> None:
    """The window signs edits with the user the config now names (as Preferences does)."""
    window.config = load_config()
    window.case_view.actor = window.config.user
    window.worklist.current_user = window.config.user
