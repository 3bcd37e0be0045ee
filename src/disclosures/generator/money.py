"""Amounts as integers of 0.01 万元 ("cents"), so every sum is exact.

A float sum of two-decimal figures drifts (0.1 + 0.2); the documents' own
identities are exact to the cent, so the generator never touches floats.
"""

from decimal import ROUND_HALF_UP, Decimal


def cents(text: str) -> int:
    """'2,195.66' -> 219566."""
    return int((Decimal(text.replace(",", "")) * 100).to_integral_value(ROUND_HALF_UP))


def fmt(value: int, thousands: bool = False) -> str:
    """219566 -> '2195.66' (or '2,195.66')."""
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 100)
    body = f"{whole:,}" if thousands else str(whole)
    return f"{sign}{body}.{frac:02d}"


def fmt_yuan(value: int, thousands: bool = False) -> str:
    """The same amount printed in 元: 219566 (2195.66 万元) -> '21956600.00'."""
    return fmt(value * 10000, thousands)


def yuan_string(value_wan_cents: int) -> str:
    """Truth amount in 元 as a decimal string: 219566 -> '21956600.00'."""
    return fmt(value_wan_cents * 10000)


def percent(part: int, whole: int) -> str:
    """Share as printed in the narrative, two decimals, half-up: '49.64'."""
    if whole == 0:
        return "0.00"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{value:.2f}"


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split an integer total by weights so the parts add up exactly (largest remainder)."""
    if total == 0 or not weights or sum(weights) <= 0:
        return [0] * len(weights)
    scale = sum(weights)
    raw = [total * w / scale for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts
