"""Parse user-facing quantities ("550km", "10s", "53deg", "20GHz") and convert to SI.

This is the boundary where astropy units meet the float64 SI core: every value
that enters through the API or CLI passes here once, is checked for the right
kind of unit and range, and leaves as a plain float in SI units.
"""

from __future__ import annotations

import math
import numbers
from typing import Union

import astropy.units as u

from .errors import QuantityError

QuantityLike = Union[str, u.Quantity]

# The unit each physical kind is converted to for the core.
_SI = {
    "length": u.m,
    "time": u.s,
    "angle": u.rad,
    "frequency": u.Hz,
}
_EXAMPLES = {
    "length": "e.g. 550km or 550000 m",
    "time": "e.g. 10s, 24h or 365d",
    "angle": "e.g. 53deg",
    "frequency": "e.g. 20GHz",
}


def parse_quantity(value: QuantityLike, kind: str, field: str) -> u.Quantity:
    """Return ``value`` as an astropy Quantity of physical type ``kind``.

    ``value`` is a Quantity or a string with a unit.  A bare number is refused:
    the unit is part of the value (is ``550`` metres or kilometres?).
    Raises :class:`QuantityError` naming ``field`` and the accepted form.
    """
    accepted = f"{field} takes a {kind} with a unit, {_EXAMPLES[kind]}"
    if isinstance(value, u.Quantity):
        q = value
    elif isinstance(value, str):
        text = value.strip()
        try:
            q = u.Quantity(text)
        except (TypeError, ValueError):
            raise QuantityError(f"{field}: cannot read {value!r} ({accepted})") from None
    else:
        raise QuantityError(f"{field}: got {value!r} ({accepted})")
    if q.unit.physical_type != kind:
        got = "no unit" if q.unit == u.dimensionless_unscaled else f"unit {q.unit}"
        raise QuantityError(f"{field}: {value!r} has {got} ({accepted})")
    if not q.isscalar:
        raise QuantityError(f"{field}: expected one value, got {q.size} ({accepted})")
    if not math.isfinite(q.value):
        raise QuantityError(f"{field}: {value!r} is not finite ({accepted})")
    return q


def to_si(value: QuantityLike, kind: str, field: str, *, lo=None, hi=None,
          lo_inclusive=True, hi_inclusive=True) -> float:
    """Parse ``value`` and return it as a float in SI units, optionally range-checked.

    ``lo``/``hi`` are Quantities (or None); the error message states the range
    in the caller's units so the user can correct the input.
    """
    q = parse_quantity(value, kind, field)
    si = float(q.to_value(_SI[kind]))
    if lo is not None:
        lo_si = float(lo.to_value(_SI[kind]))
        if si < lo_si or (not lo_inclusive and si == lo_si):
            raise QuantityError(f"{field}: {_fmt(q)} is out of range ({_range(lo, hi, lo_inclusive, hi_inclusive)})")
    if hi is not None:
        hi_si = float(hi.to_value(_SI[kind]))
        if si > hi_si or (not hi_inclusive and si == hi_si):
            raise QuantityError(f"{field}: {_fmt(q)} is out of range ({_range(lo, hi, lo_inclusive, hi_inclusive)})")
    return si


def _fmt(q: u.Quantity) -> str:
    return f"{q.value:g} {q.unit.to_string()}"


def _range(lo, hi, lo_inc, hi_inc) -> str:
    if lo is not None and hi is not None:
        return f"accepted: {'' if lo_inc else 'more than '}{_fmt(lo)} to {_fmt(hi)}{'' if hi_inc else ' (exclusive)'}"
    if lo is not None:
        return f"accepted: {'at least' if lo_inc else 'more than'} {_fmt(lo)}"
    return f"accepted: {'at most' if hi_inc else 'less than'} {_fmt(hi)}"


def count(value, field: str, *, lo: int = 1) -> int:
    """A whole number of things (workers, satellites per task) at least ``lo``, as an int.

    Bools, floats and strings are refused: ``satellites_per_task=2.5`` is a
    mistake to report, not to round.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < lo:
        raise QuantityError(f"{field}: expected a whole number >= {lo}, got {value!r}")
    return int(value)
