"""Money is Decimal with two places; parsing and printing live here only."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from workstation.core.errors import InvalidValue

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
#: Digits an amount may have before the point: under ten trillion dollars. More is a damaged value
#: (a 5,000-digit number, 1E999999), never a payment, and Decimal's arithmetic cannot hold it in cents.
MAX_WHOLE_DIGITS = 13
#: The longest text an amount read from a file may be (X12's longest number has 18 characters).
MAX_AMOUNT_TEXT = 32


def money(value: str | int | Decimal | None) -> Decimal:
    """Parse an amount ("1,250.00", "$12", 12) into a two-place Decimal."""
    if value is None or value == "":
        return ZERO
    text = str(value).strip().replace(",", "").replace("$", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise InvalidValue(f"{_shown(value)} is not an amount of money; type it like 1250.00.") from None
    if not amount.is_finite():
        raise InvalidValue(f"{_shown(value)} is not an amount of money; type it like 1250.00.")
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP) if within_bounds(amount) else amount
    if not within_bounds(amount):  # checked again in cents: 9,999,999,999,999.995 rounds up past the bound
        raise InvalidValue(f"{_shown(value)} is too large to be an amount of money; check it.")
    return amount or ZERO  # -0.00 becomes 0.00


def within_bounds(amount: Decimal) -> bool:
    """A finite number of at most MAX_WHOLE_DIGITS digits before the point."""
    return amount.is_finite() and (not amount or amount.adjusted() < MAX_WHOLE_DIGITS)


def stored_amount(value: object) -> Decimal | None:
    """A number as a file holds it ("250.00", "1"), or None when it is anything else: a word, NaN,
    Infinity, 1E999999 or 5,000 digits never reach the arithmetic. Strict where money() is forgiving."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or len(value) > MAX_AMOUNT_TEXT:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return None
    return amount if within_bounds(amount) else None


def money_text(amount: Decimal) -> str:
    """The JSON and storage form: a plain decimal string such as "250.00"."""
    return str(amount.quantize(CENT, rounding=ROUND_HALF_UP) or ZERO)  # never "-0.00"


def dollars(amount: Decimal) -> str:
    """The form shown to people: "$1,250.00"."""
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def _shown(value: object) -> str:
    """The value in a sentence, cut when it is long (a pasted page must not become the message)."""
    text = str(value)
    return f"'{text}'" if len(text) <= 24 else f"'{text[:20]}...' ({len(text):,} characters)"
