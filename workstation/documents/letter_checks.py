"""What a letter may not assert: the case's facts checked against the letter's claims before
any PDF is made (issue 10, point 4). Each check returns one sentence a biller can act on."""

from __future__ import annotations

from typing import Any


def contradictions(template_id: str, context: dict[str, Any]) -> list[str]:
    """Sentences naming each fact of the case that contradicts what the template would assert."""
    del template_id, context  # the checks per template are being written (issue 10)
    return []
