"""PyInstaller's own QtGui hook, less the plugins packaging/trim.py names (this hook wins over the
built-in one because workstation.spec lists this folder in hookspath)."""

import sys
from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from trim import unused_qt_file

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(src, dest) for src, dest in binaries if not unused_qt_file(src, dest)]
datas = [(src, dest) for src, dest in datas if not unused_qt_file(src, dest)]
