"""The practice's own templates are filled in by a worker process, under a deadline and (where the
system allows) a memory limit: a template that loops for minutes or asks for gigabytes is stopped
with a sentence, and the program itself never hangs or runs out of memory on one.

One worker (`python -m workstation.documents.template_worker`) serves every render of the
process: started on first use (about a second), then a render costs a few milliseconds; it is
started again after it was stopped. Requests and replies are JSON lines (a letter's context is
plain strings, numbers, lists and mappings), so nothing but text crosses between the two.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

from workstation.core.errors import UserError
from workstation.documents.template_sandbox import TemplateProblem, render_template

log = logging.getLogger(__name__)

#: A letter fills in within milliseconds; a template still running after this is stopped.
RENDER_SECONDS = 5.0
#: Starting the worker (a new Python importing Jinja and the letter markup) on a busy machine.
START_SECONDS = 60.0
#: Address space the worker may use (Linux): a letter needs some tens of megabytes.
MEMORY_BYTES = 1 << 30

_READY = "ready"
#: What the frozen program (one executable, no `python -m`) is started with to be the worker.
FROZEN_FLAG = "--letter-template-worker"


class _Worker:
    """The worker process and a thread that reads its replies, one line each, into a queue."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True, encoding="utf-8", env=_environment())
        self.replies: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_read_lines, args=(self.process.stdout, self.replies), daemon=True,
                         name="letter-template-replies").start()
        if self.reply(START_SECONDS) != {_READY: True}:
            self.stop()
            raise UserError("The program could not start filling in the practice's letter template; try again.")

    def ask(self, request: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request, ensure_ascii=False, default=str) + "\n")
        self.process.stdin.flush()

    def reply(self, seconds: float) -> dict[str, Any] | None:
        """The next reply; None when the worker ended; TimeoutError when it is still working."""
        try:
            line = self.replies.get(timeout=seconds)
        except queue.Empty:
            raise TimeoutError from None
        return None if line is None else json.loads(line)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(5)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


def _command() -> list[str]:
    if getattr(sys, "frozen", False):  # the packaged program: its launcher hands the flag to serve_stdio
        return [sys.executable, FROZEN_FLAG]
    return [sys.executable, "-m", __name__]


def _environment() -> dict[str, str]:
    """This process's environment, with the folder our package was imported from first on the path,
    so the worker runs the same code (a checkout, not some other installed copy)."""
    import workstation

    root = str(Path(workstation.__file__).resolve().parent.parent)
    inherited = os.environ.get("PYTHONPATH", "")
    return os.environ | {"PYTHONPATH": os.pathsep.join(p for p in (root, inherited) if p)}


def _read_lines(stream: IO[str] | None, replies: queue.Queue[str | None]) -> None:
    try:
        for line in stream or ():
            replies.put(line)
    except (OSError, ValueError):  # the pipe was closed under us: the worker was stopped
        pass
    replies.put(None)


_worker: _Worker | None = None
_lock = threading.Lock()


def render_isolated(folder: Path, name: str, context: dict[str, Any]) -> str:
    """`render_template` run by the worker, stopped after RENDER_SECONDS."""
    request = {"folder": str(folder), "name": name, "context": context}
    with _lock:
        worker = _running()
        try:
            worker.ask(request)
        except OSError:  # it ended since it was last used: once more, with a new one
            _stop()
            worker = _running()
            worker.ask(request)
        try:
            reply = worker.reply(RENDER_SECONDS)
        except TimeoutError:
            _stop()
            log.warning("a practice template ran past %s s and was stopped", RENDER_SECONDS)
            raise TemplateProblem(f"The letter template {name} was still running after {RENDER_SECONDS:g} seconds "
                                  "and was stopped (a loop that runs too long?); fix the template file.") from None
        if reply is None:
            _stop()
            raise TemplateProblem(f"The letter template {name} stopped the program that fills it in (it may need "
                                  "more memory than a letter may use); fix the template file.")
    if "problem" in reply:
        raise TemplateProblem(str(reply["problem"]))
    return str(reply["markup"])


def _running() -> _Worker:
    global _worker
    if _worker is None or _worker.process.poll() is not None:
        _stop()
        _worker = _Worker()
    return _worker


def _stop() -> None:
    global _worker
    if _worker is not None:
        _worker.stop()
        _worker = None


def serve(requests: IO[str], replies: IO[str]) -> None:
    """The worker's loop: a request line in, the markup or the sentence out, until input ends."""
    _limit_memory()
    _send(replies, {_READY: True})
    for line in requests:
        request = json.loads(line)
        try:
            markup = render_template(Path(request["folder"]), request["name"], request["context"])
        except TemplateProblem as problem:
            _send(replies, {"problem": str(problem)})
        else:
            _send(replies, {"markup": markup})


def _send(replies: IO[str], reply: dict[str, Any]) -> None:
    replies.write(json.dumps(reply, ensure_ascii=False) + "\n")
    replies.flush()


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # Windows: the deadline still holds
        return
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = MEMORY_BYTES if hard == resource.RLIM_INFINITY else min(MEMORY_BYTES, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):  # a system that keeps its own limits (macOS ignores this one)
        pass


def serve_stdio() -> int:
    """The worker on this process's standard input and output (`python -m`, or the frozen program)."""
    sys.stdin.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    serve(sys.stdin, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(serve_stdio())
