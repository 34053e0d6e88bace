"""`workstation ARGS` run inside the test process, as a script sees it: exit code, stdout, stderr.

Like sqlite-utils' CliRunner: `workstation.cli.main(argv)` with sys.stdin, sys.stdout and
sys.stderr swapped for strings, argparse's SystemExit turned into its exit code, and the
logging main sets up taken down again, so nothing of one run reaches the next. Environment
variables come from the test (pytest's monkeypatch); an exception nobody caught is a bug and
fails the test with its traceback, where a subprocess would have printed it and exited 1.
"""

from __future__ import annotations

import io
import logging
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from workstation.cli import main


@dataclass(frozen=True)
class Result:
    """What the command left: its exit code and everything it printed."""

    returncode: int
    stdout: str
    stderr: str


def run(*args: str | Path, stdin: str = "") -> Result:
    """`workstation ARGS` in this process, reading `stdin`."""
    out, err = io.StringIO(), io.StringIO()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    saved_stdin, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = _exit_code([str(arg) for arg in args])
    finally:
        sys.stdin = saved_stdin
        _restore_logging(root, handlers, level)
    return Result(code, out.getvalue(), err.getvalue())


def _exit_code(argv: list[str]) -> int:
    """main's return value, or the code of the SystemExit argparse raises for usage and --help."""
    try:
        return main(argv)
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)  # as the interpreter does with a message
        return 1


def _restore_logging(root: logging.Logger, handlers: list[logging.Handler], level: int) -> None:
    """Close the log file main opened in this test's folder: the next run opens its own."""
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
