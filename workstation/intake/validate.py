"""Full implementation-guide validation of an X12 file with pyx12 (the reference validator).

Slow (about 1 ms a claim) and thorough; used on demand ("Validate file...") and to explain a
refused file, never on the import path.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from workstation.intake.x12_segments import HEAD_LIMIT, X12FileRefused, file_start, require_regular_file


@dataclass
class ValidationReport:
    file: str
    valid: bool
    messages: list[str] = field(default_factory=list)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def validate_x12(path: Path) -> ValidationReport:
    """pyx12's verdict and its messages ("Line:11 SEG:3 - Mandatory segment ... missing")."""
    import pyx12.params
    import pyx12.x12n_document

    path = Path(path)
    try:  # the import's own first look: the same sentence for what is not X12 at all
        require_regular_file(path)
        with path.open("rb") as handle:
            file_start(handle.read(HEAD_LIMIT), path.name)
    except (X12FileRefused, OSError) as refused:
        return ValidationReport(path.name, False, [getattr(refused, "strerror", None) or str(refused)])
    collector = _Collector()
    logger = logging.getLogger("pyx12")
    logger.addHandler(collector)
    propagate, logger.propagate = logger.propagate, False
    try:
        # pyx12 opens files as ASCII: give it the text, a UTF-8 byte-order mark dropped, as import reads it
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as text:
            valid = bool(pyx12.x12n_document.x12n_document(pyx12.params.params(), text, fd_997=None,
                                                           fd_html=None, fd_xmldoc=None))
    except Exception as error:  # pyx12 raises internal errors on some malformed input
        return ValidationReport(path.name, False, [f"The validator stopped: {type(error).__name__}: {error}"])
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate
    return ValidationReport(path.name, valid and not collector.messages, collector.messages)
