"""Money is Decimal with two places; parsing and printing live here only."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from workstation.core.errors import InvalidValue

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: str | int | Decimal | None) -> Decimal:
    """Parse an amount ("1,250.00", "$12", 12) into a two-place Decimal."""
    if value is None or value == "":
        return ZERO
    text = str(value).strip().replace(",", "").replace("$", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise InvalidValue(f"'{value}' is not an amount of money; type it like 1250.00.") from None
    if not amount.is_finite():
        raise InvalidValue(f"'{value}' is not an amount of money; type it like 1250.00.")
    try:
        amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than Decimal's precision holds
        raise InvalidValue(f"'{value}' is too large to be an amount of money; check it.") from None
    return amount or ZERO  # -0.00 becomes 0.00


def money_text(amount: Decimal) -> str:
    """The JSON and storage form: a plain decimal string such as "250.00"."""
    return str(amount.quantize(CENT, rounding=ROUND_HALF_UP) or ZERO)  # never "-0.00"


def dollars(amount: Decimal) -> str:
    """The form shown to people: "$1,250.00"."""
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"
