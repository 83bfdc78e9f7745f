"""The one reader of user quantities: a Quantity, or text with a number and a unit, in; SI float out.

Every value that enters orbitlink through the API or the CLI passes here once,
is checked for the right kind of unit and range, and leaves as a plain float in
SI units (or decibels, in readers named so) for the float64 core.  The CLI
hands its option text to the same readers as the Python API, so the two accept
the same inputs and print the same messages.

Rules, the same for every analysis
----------------------------------
1. **A Quantity** is converted from whatever unit of the right kind it carries
   (``550 * u.km``, ``99.9 * u.percent``, ``u.Quantity(10, u.dB(u.W))``).
2. **Text** is a number and a unit: ``"550km"``, ``"10 s"``, ``"26GHz"``.
   astropy reads the ordinary units; this module adds those astropy does not
   know or reads otherwise: decibels (``"30dBi"``, ``"1dB"``, ``"10dBW"``,
   ``"40dBm"``, ``"31dB/K"``), symbol rates (``"500MBd"``, ``"500Msps"``), data
   sizes and rates (``"5TB"``, ``"10Gbps"``), ``Wh`` (``"150Wh/kg"``), Celsius
   (``"20C"``, ``"20degC"``; astropy would read ``C`` as coulomb) and dollars
   (``"$3000/kg"``).
3. **A bare number** (``550``, or ``"550"`` without a unit) is refused wherever
   the value has a unit: is 550 metres or kilometres, is a margin of 3 in dB or
   a linear ratio?  It is accepted only where there is no unit to guess:

   - fractions (:func:`fraction`, :func:`percent`): ``0.999`` is a fraction;
   - plain numbers (:func:`number`): a route factor, a refractive index, a rate
     of requests per second;
   - counts (:func:`count`): whole numbers only;
   - prices (:func:`price_usd_per_kg`): ``3000`` is US dollars per kg, the unit
     the reader's name states (``--launch-price 3000``).

   Parameters whose *name* carries the unit (``altitude_km=550``) take floats
   and do not pass here at all.
4. **Percent and fraction are one thing**: ``0.999``, ``"0.999"``, ``"99.9%"``
   and ``99.9 * u.percent`` are the same value for every fraction field
   (availability targets, efficiencies, roll-off, overheads ...).
   :func:`fraction` returns 0.999, :func:`percent` 99.9 for all four.
5. **One finite value**: arrays, NaN and infinities are refused (a unit prefix
   that overflows a finite number, ``"1e308GBd"``, too), and the range is
   checked here, once.
6. **One error class**: every reader raises
   :class:`~orbitlink.errors.QuantityError` with one line,
   ``FIELD: what is wrong (the accepted form)``, which the CLI prints as
   ``orbitlink: error: ...`` with exit code 2.  Bools are refused everywhere.

The wording of a few messages differs by reader (``is outside [0, 1]`` for the
radio's fractions, ``'1.5' is out of range`` for the data-center inputs):
those lines are quoted in the user documentation and kept as they were.
"""

from __future__ import annotations

import math
import numbers
import re
from decimal import Decimal
from typing import Union

import astropy.units as u
import numpy as np

from .errors import QuantityError

__all__ = [
    "QuantityLike",
    "angle_rad",
    "areal_density_kg_m2",
    "count",
    "data_bits",
    "data_rate_bps",
    "db",
    "duration_s",
    "fraction",
    "g_over_t_dbk",
    "mass_kg",
    "number",
    "parse_quantity",
    "percent",
    "positive_si",
    "power_w",
    "price_usd_per_kg",
    "sensitivity",
    "specific_energy_j_kg",
    "symbol_rate_hz",
    "temperature_k",
    "time_quantity",
    "to_si",
    "to_unit",
]

QuantityLike = Union[str, u.Quantity]


# =============================================================================
# Shared pieces: one number, one unit, one error
# =============================================================================

# A decimal number and whatever follows it ("10 dBW" -> "10", "dBW").
_NUMBER_TEXT = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_NUMBER = re.compile(rf"^\s*({_NUMBER_TEXT})\s*(.*?)\s*$")
_SI_PREFIX = {"": 1.0, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15}
_BINARY_PREFIX = {"Ki": 2.0**10, "Mi": 2.0**20, "Gi": 2.0**30, "Ti": 2.0**40, "Pi": 2.0**50}


def _is_real(value) -> bool:
    """A real number that is not a bool (Python or numpy)."""
    return isinstance(value, (numbers.Real, np.floating, np.integer)) and not isinstance(value, (bool, np.bool_))


def _split(value, field: str, accepted: str) -> tuple[float, str, str]:
    """``"10 dBW"`` -> ``(10.0, "dBW", "10")``; the unit may be empty (a bare number)."""
    if not (isinstance(value, str) or _is_real(value)):
        raise QuantityError(f"{field}: got {value!r} ({accepted})")
    m = _NUMBER.match(str(value))
    if not m:
        raise QuantityError(f"{field}: cannot read {value!r} ({accepted})")
    number = float(m.group(1))
    if not math.isfinite(number):
        raise QuantityError(f"{field}: {value!r} is not finite ({accepted})")
    return number, m.group(2), m.group(1)


def _finite(x: float, field: str, value, accepted: str) -> float:
    """``x`` if finite; a unit prefix can push a finite number to infinity ("1e308GBd")."""
    if not math.isfinite(x):
        raise QuantityError(f"{field}: {value!s} is out of range ({accepted})")
    return x


def _bad_unit(field: str, value, unit: str, accepted: str) -> QuantityError:
    got = "no unit" if not unit else f"unit {unit!r}"
    return QuantityError(f"{field}: {value!r} has {got} ({accepted})")


def _scalar(q, field: str, accepted: str) -> float:
    """The one finite value of Quantity ``q``."""
    v = np.asarray(q.value)
    if v.size != 1:
        raise QuantityError(f"{field}: expected one value, got {v.size} ({accepted})")
    x = float(v.reshape(-1)[0])
    if not math.isfinite(x):
        raise QuantityError(f"{field}: {q!r} is not finite ({accepted})")
    return x


def _read(value, field: str, accepted: str, *, unit, what: str, text_scale, equivalencies=None) -> float:
    """A Quantity converted to ``unit`` (else "is not {what}"), or text read as a number and a
    unit and multiplied by ``text_scale(unit_text)`` (None: that unit is refused)."""
    if isinstance(value, u.Quantity):  # decibel quantities (u.dB(u.W)) are Quantities too
        try:
            return _scalar(value.to(unit, equivalencies=equivalencies or []), field, accepted)
        except u.UnitConversionError:
            raise QuantityError(f"{field}: {value!r} is not {what} ({accepted})") from None
    number, unit_text, _ = _split(value, field, accepted)
    scale = text_scale(unit_text)
    if scale is None:
        raise _bad_unit(field, value, unit_text, accepted)
    return number * scale


# "Wh" and "kWh" are not astropy unit names; "W h" is.
_WH = re.compile(r"(?<![A-Za-z])([kMGT]?)Wh(?![A-Za-z])")


def _astropy(value, field: str, accepted: str) -> u.Quantity:
    """A scalar finite Quantity from a Quantity, astropy-readable text, or a bare number
    (dimensionless: the caller decides whether that is allowed)."""
    if isinstance(value, u.Quantity):
        q = value
    elif isinstance(value, str):
        text = _WH.sub(lambda m: f"{m.group(1)}W h", value.strip())
        try:
            q = u.Quantity(text)
        except Exception:  # astropy's parser raises ValueError, TypeError and its own errors
            raise QuantityError(f"{field}: cannot read {value!r} ({accepted})") from None
    elif _is_real(value):
        q = float(value) * u.dimensionless_unscaled
    else:
        raise QuantityError(f"{field}: got {value!r} ({accepted})")
    if not q.isscalar:
        raise QuantityError(f"{field}: expected one value, got {q.size} ({accepted})")
    if not math.isfinite(float(q.value)):
        raise QuantityError(f"{field}: {value!r} is not finite ({accepted})")
    return q


# =============================================================================
# Lengths, times, angles, frequencies (astropy physical types)
# =============================================================================

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


# Years as people write them; astropy knows "yr", "a" and "year" but not "y" or "years".
# Every one is the Julian year, 365.25 d (astropy's ``u.yr``; IAU), not a calendar year.
_YEARS = re.compile(rf"^\s*({_NUMBER_TEXT})\s*(?:y|yr|yrs|year|years)\s*$")


def time_quantity(value, field: str, accepted: str = "a time with a unit, e.g. 10s, 24h or 365d"):
    """A time span as a Quantity when it is one of the forms astropy does not read itself.

    - :class:`datetime.timedelta` (and pandas ``Timedelta``): its seconds;
    - numpy ``timedelta64`` with a fixed unit (``np.timedelta64(2, "h")``); years
      and months of numpy (``"Y"``, ``"M"``) have no fixed length and are refused;
    - astropy ``TimeDelta``: its seconds;
    - text in years ``"1y"``, ``"1yr"``, ``"2 years"``: Julian years of 365.25 d
      (``u.yr``, what astropy means by ``"1yr"`` too).

    Anything else is returned unchanged for the caller's reader.
    """
    import datetime

    from astropy.time import TimeDelta

    if isinstance(value, datetime.timedelta):
        return value.total_seconds() * u.s
    if isinstance(value, np.timedelta64):
        if np.isnat(value):
            raise QuantityError(f"{field}: got NaT, not a time span ({accepted})")
        calendar = {"Y": "years", "M": "months"}.get(np.datetime_data(value.dtype)[0])
        if calendar:
            raise QuantityError(f"{field}: {value!r} is in calendar {calendar}, which have no fixed "
                                f"length ({accepted})")
        return float(value / np.timedelta64(1, "ns")) / 1e9 * u.s     # correctly rounded: 60 s is 60.0
    if isinstance(value, TimeDelta):
        return value.to(u.s)
    if isinstance(value, str):
        m = _YEARS.match(value)
        if m:
            return float(m.group(1)) * u.yr
    return value


def parse_quantity(value: QuantityLike, kind: str, field: str) -> u.Quantity:
    """Return ``value`` as an astropy Quantity of physical type ``kind``.

    ``kind`` is "length", "time", "angle" or "frequency".  ``value`` is a
    Quantity or a string with a unit.  A bare number is refused: the unit is
    part of the value (is ``550`` metres or kilometres?).
    """
    accepted = f"{field} takes a {kind} with a unit, {_EXAMPLES[kind]}"
    given = value
    if kind == "time":
        value = time_quantity(value, field, accepted)
    if isinstance(value, u.Quantity):
        q = value
    elif isinstance(value, str):
        text = value.strip()
        try:
            q = u.Quantity(text)
        except (TypeError, ValueError):
            raise QuantityError(f"{field}: cannot read {value!r} ({accepted})") from None
    elif _is_real(value):
        raise QuantityError(f"{field}: got {value!r} without a unit ({accepted})")
    else:
        raise QuantityError(f"{field}: got {value!r} ({accepted})")
    value = given
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
    """Parse ``value`` (see :func:`parse_quantity`) and return it as a float in SI units.

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


def positive_si(value: QuantityLike, kind: str, field: str, example: str) -> float:
    """A length, time, angle or frequency that must be more than 0, in SI (a dish, a distance)."""
    si = to_si(value, kind, field)
    if not si > 0:
        raise QuantityError(f"{field}: {value!s} is not positive (a {kind} above 0, e.g. {example})")
    return si


# =============================================================================
# Numbers without a unit: counts, plain numbers, fractions and percentages
# =============================================================================

def count(value, field: str, *, lo: int = 1) -> int:
    """A whole number of things (workers, satellites per task) at least ``lo``, as an int.

    Bools, floats and strings are refused: ``satellites_per_task=2.5`` is a
    mistake to report, not to round.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < lo:
        raise QuantityError(f"{field}: expected a whole number >= {lo}, got {value!r}")
    return int(value)


def number(value, field: str, *, lo: float | None = None, lo_inclusive: bool = True,
           example: str = "1.5") -> float:
    """A plain number with no unit (``1.5`` or ``"1.5"``), more than 0 and at least ``lo``.

    For ratios such as a fibre route factor or a refractive index, and rates
    whose unit the field names (``requests_per_s``).  A dimensionless Quantity
    is accepted too.
    """
    if isinstance(value, u.Quantity):
        try:
            x = _scalar(value.to(u.dimensionless_unscaled), field, f"a number, e.g. {example}")
        except u.UnitConversionError:
            raise QuantityError(f"{field}: {value!r} takes no unit (a number, e.g. {example})") from None
    else:
        if not (isinstance(value, str) or _is_real(value)):
            raise QuantityError(f"{field}: cannot read {value!r} (a number, e.g. {example})")
        try:
            x = float(str(value).strip())
        except ValueError:
            raise QuantityError(f"{field}: cannot read {value!r} (a number, e.g. {example})") from None
    if lo is None:
        bad, need = x <= 0, "more than 0"
    elif lo_inclusive:
        bad, need = x < lo or x <= 0, f"at least {lo:g}"
    else:
        bad, need = x <= lo or x <= 0, f"more than {lo:g}"
    if not math.isfinite(x) or bad:
        raise QuantityError(f"{field}: {value} is out of range ({need})")
    return x


def _percent_to_fraction(text: str) -> float:
    """``"99.9"`` (percent) -> 0.999, the float nearest the exact value (99.9 / 100 is 0.9990000000000001)."""
    return float(Decimal(text) / 100)


def _unit_fraction(value, field: str, accepted: str) -> float:
    """0.3 from ``0.3``, ``"0.3"``, ``"30%"``, ``"30 percent"`` or a dimensionless/percent Quantity."""
    if isinstance(value, u.Quantity):
        if value.unit == u.percent:  # as for text: 99.9 % is the float nearest 0.999
            return _percent_to_fraction(repr(_scalar(value, field, accepted)))
        try:
            return _scalar(value.to(u.dimensionless_unscaled), field, accepted)
        except u.UnitConversionError:
            raise QuantityError(f"{field}: {value!r} is not dimensionless ({accepted})") from None
    x, unit, text = _split(value, field, accepted)
    if unit in ("%", "percent"):
        return _percent_to_fraction(text)
    if unit:
        raise _bad_unit(field, value, unit, accepted)
    return x


def fraction(value, field: str, *, lo: float = 0.0, hi: float = 1.0, lo_inclusive: bool = True,
             hi_inclusive: bool = True, example: str = "0.65 or 65%", as_typed: bool = False) -> float:
    """A fraction from ``0.999``, ``"0.999"``, ``"99.9%"`` or ``99.9 * u.percent``, in [``lo``, ``hi``].

    Returns the fraction (0.999).  ``lo_inclusive``/``hi_inclusive`` open the
    ends of the range.  The message quotes the value as read (``1.2 is outside
    (0, 1]``), or with ``as_typed`` as the user typed it (``'1.2' is out of
    range``, the data-center inputs' wording).
    """
    rng = f"{'[' if lo_inclusive else '('}{lo:g}, {hi:g}{']' if hi_inclusive else ')'}"
    accepted = f"a number in {rng}, e.g. {example}" if as_typed else f"{field} takes a number in {rng}, e.g. {example}"
    x = _unit_fraction(value, field, accepted)
    ok_lo = x > lo or (lo_inclusive and x == lo)
    ok_hi = x < hi or (hi_inclusive and x == hi)
    if not (ok_lo and ok_hi):
        if as_typed:
            raise QuantityError(f"{field}: {value!r} is out of range ({accepted})")
        raise QuantityError(f"{field}: {x:g} is outside {rng} ({accepted})")
    return x


def percent(value, field: str = "availability") -> float:
    """A percentage in [0, 100] from ``"99.9%"``, ``99.9 * u.percent``, ``0.999`` or ``"0.999"``; in percent.

    The same inputs as :func:`fraction`; a bare number is a fraction (0.999
    is 99.9 %), so ``99.9`` without the ``%`` is out of range, not 99.9 %.
    """
    accepted = f"{field} takes a percentage or a fraction, e.g. 99.9% or 0.999"
    if isinstance(value, u.Quantity):
        try:
            pct = _scalar(value.to(u.percent), field, accepted)
        except u.UnitConversionError:
            raise QuantityError(f"{field}: {value!r} is not a percentage ({accepted})") from None
    else:
        x, unit, _ = _split(value, field, accepted)
        if unit in ("%", "percent"):
            pct = x
        elif not unit:
            if not 0.0 <= x <= 1.0:
                raise QuantityError(f"{field}: {value!s} is out of range (a fraction from 0 to 1, e.g. 0.999, "
                                    "or a percentage, e.g. 99.9%)")
            pct = x * 100.0
        else:
            raise _bad_unit(field, value, unit, accepted)
    if not 0.0 <= pct <= 100.0:
        raise QuantityError(f"{field}: {pct:g} % is out of range (0 % to 100 %)")
    return pct


# =============================================================================
# Decibels, powers, temperatures and the radio's rates
# =============================================================================

def db(value, field: str, *, kind: str = "gain", nonnegative: bool = False) -> float:
    """A gain (``"30dBi"``, ``"30dB"``) or loss (``kind="loss"``: ``"1dB"``) in decibels.

    A ``u.dB`` Quantity is accepted; a bare number is not (a margin of 3: dB
    or linear?).  ``nonnegative`` refuses negative values (a negative loss
    would be a gain: almost always a sign slip).
    """
    units = ("dB", "dBi", "dBic") if kind == "gain" else ("dB",)
    accepted = f"{field} takes decibels, e.g. {'30dBi' if kind == 'gain' else '1dB'}"
    if isinstance(value, u.Quantity):
        if value.unit != u.dB:
            raise QuantityError(f"{field}: {value!r} is not in dB ({accepted})")
        x = _scalar(value, field, accepted)
    else:
        x, unit, _ = _split(value, field, accepted)
        if unit.lower() not in tuple(name.lower() for name in units):
            raise _bad_unit(field, value, unit, accepted)
    if nonnegative and x < 0:
        raise QuantityError(f"{field}: {x:g} dB is negative (a loss is 0 dB or more)")
    return x


def g_over_t_dbk(value, field: str = "g_over_t") -> float:
    """A receiver figure of merit from ``"31dB/K"`` (also ``"31 dB/K"``, ``"31dBK^-1"``) or a ``u.dB / u.K`` Quantity."""
    accepted = f"{field} takes dB/K, e.g. 31dB/K"
    if isinstance(value, u.Quantity):
        if value.unit != u.dB / u.K:
            raise QuantityError(f"{field}: {value!r} is not in dB/K ({accepted})")
        return _scalar(value, field, accepted)
    x, unit, _ = _split(value, field, accepted)
    if unit.replace(" ", "").lower() not in ("db/k", "dbk^-1", "dbk-1", "dbi/k"):
        raise _bad_unit(field, value, unit, accepted)
    return x


_POWER_LINEAR = {"W": 1.0, "mW": 1e-3, "uW": 1e-6, "µW": 1e-6, "kW": 1e3, "MW": 1e6, "GW": 1e9}
_POWER_LOG = {"dbw": 0.0, "dbm": -30.0}


def power_w(value, field: str = "tx_power", *, allow_zero: bool = False) -> float:
    """A power in watts from ``"10W"``, ``"40MW"``, ``"500mW"``, ``"10dBW"``, ``"40dBm"`` or a
    Quantity (``u.dB(u.W)`` too); more than 0 (at least 0 with ``allow_zero``)."""
    accepted = f"{field} takes a power above 0, e.g. 10W, 500mW, 10dBW or 40dBm"
    if isinstance(value, u.Quantity):
        physical = getattr(value, "physical", value)  # dB(W) -> W
        if getattr(physical, "unit", None) is None or physical.unit.physical_type != "power":
            raise QuantityError(f"{field}: {value!r} is not a power ({accepted})")
        watts = _scalar(physical.to(u.W), field, accepted)
    else:
        x, unit, _ = _split(value, field, accepted)
        if unit in _POWER_LINEAR:
            watts = x * _POWER_LINEAR[unit]
        elif unit.lower() in _POWER_LOG:
            try:
                watts = 10.0 ** ((x + _POWER_LOG[unit.lower()]) / 10.0)
            except OverflowError:
                watts = math.inf
        else:
            try:  # any other power unit astropy knows ("40 MW", "1 kJ/s")
                watts = float(u.Quantity(x, unit).to_value(u.W))
            except Exception:  # unknown or non-power unit: astropy raises ValueError or UnitConversionError
                raise _bad_unit(field, value, unit, accepted) from None
    if not (watts > 0 or (allow_zero and watts == 0)):
        raise QuantityError(f"{field}: {value!s} is not positive ({accepted})")
    return _finite(watts, field, value, accepted)


_PHOTONS = re.compile(rf"^\s*({_NUMBER_TEXT})\s*(?:ph|photons?)\s*/\s*(?:bit|b)\s*$", re.I)


def sensitivity(value, field: str = "sensitivity") -> tuple[str, float]:
    """An optical receiver sensitivity: ``("photons", N_b)`` from ``"100ph/bit"`` or
    ``"100 photons/bit"``, or ``("power", watts)`` from a power such as ``"-40dBm"``."""
    if isinstance(value, str):
        m = _PHOTONS.match(value)
        if m:
            n = float(m.group(1))
            if not (n > 0 and math.isfinite(n)):
                raise QuantityError(f"{field}: {value!r} is not positive (e.g. 100ph/bit or -40dBm)")
            return "photons", n
    try:
        return "power", power_w(value, field)
    except QuantityError:
        raise QuantityError(f"{field}: cannot read {value!r} (photons per bit such as 100ph/bit, "
                            "or a power at the data rate such as -40dBm)") from None


# Celsius is spelled in many ways; a bare "C" would otherwise parse as coulomb.
_CELSIUS = re.compile(rf"^\s*({_NUMBER_TEXT})\s*(?:°\s*C|deg\s*C|degC|deg_C|C|celsius)\s*$")
_KELVIN = re.compile(rf"^\s*({_NUMBER_TEXT})\s*K\s*$")


def temperature_k(value, field: str = "system_temperature") -> float:
    """A temperature in kelvin from ``"290K"``, ``"20C"``, ``"20degC"`` or a Quantity; above 0 K."""
    accepted = "a temperature above 0 K, e.g. 20C or 293.15K"
    if isinstance(value, str):
        m = _CELSIUS.match(value)
        if m:
            k = float(m.group(1)) + 273.15
        else:
            m = _KELVIN.match(value)
            if not m:
                raise QuantityError(f"{field}: cannot read {value!r} ({accepted})")
            k = float(m.group(1))
    elif isinstance(value, u.Quantity):
        try:
            k = _scalar(value.to(u.K, equivalencies=u.temperature()), field, accepted)
        except u.UnitConversionError:
            raise QuantityError(f"{field}: {value!r} is not a temperature ({accepted})") from None
    else:
        raise QuantityError(f"{field}: {value!r} has no unit ({accepted})")
    if not math.isfinite(k) or k <= 0.0:
        raise QuantityError(f"{field}: {value!r} is out of range ({accepted})")
    return k


_SYMBOL_UNITS = ("Bd", "sps", "sym/s", "Sps")


def _symbol_scale(unit: str) -> float | None:
    for base in _SYMBOL_UNITS:
        if unit.endswith(base) and unit[: -len(base)] in _SI_PREFIX:
            return _SI_PREFIX[unit[: -len(base)]]
    return None


def symbol_rate_hz(value, field: str = "symbol_rate") -> float:
    """Symbols per second from ``"500MBd"``, ``"500Msps"``, ``"500 Msym/s"`` or a Quantity in 1/s (Hz); > 0."""
    accepted = f"{field} takes a symbol rate above 0, e.g. 500MBd or 500Msym/s"
    rate = _read(value, field, accepted, unit=u.Hz, what="a rate", text_scale=_symbol_scale)
    if not rate > 0:
        raise QuantityError(f"{field}: {value!s} is not positive ({accepted})")
    return _finite(rate, field, value, accepted)


def _data_unit_bits(unit: str) -> float | None:
    """Bits per ``unit`` for kB, MB, GB, TB, PB, KiB.., bit, kbit, Gbit, Gb (bits)."""
    for base, bits in (("byte", 8.0), ("bit", 1.0), ("B", 8.0), ("b", 1.0)):
        if unit.endswith(base):
            prefix = unit[: -len(base)]
            if prefix in _SI_PREFIX:
                return bits * _SI_PREFIX[prefix]
            if prefix in _BINARY_PREFIX:
                return bits * _BINARY_PREFIX[prefix]
    return None


def data_bits(value, field: str) -> float:
    """A data amount in bits from ``"5TB"``, ``"500 GB"``, ``"10Gbit"``, ``"1TiB"`` or a bit/byte Quantity; >= 0."""
    accepted = f"{field} takes a data size, e.g. 500GB, 5TB or 10Gbit"
    bits = _read(value, field, accepted, unit=u.bit, what="a data size", text_scale=_data_unit_bits)
    if bits < 0:
        raise QuantityError(f"{field}: {value!s} is negative ({accepted})")
    return _finite(bits, field, value, accepted)


def _rate_scale(unit: str) -> float | None:
    """Bits per second per ``unit``: Gbps, GBps (bytes), Gbit/s, GB/s."""
    if (unit.endswith("ps") and len(unit) > 2) or unit.endswith("/s"):
        return _data_unit_bits(unit[:-2])
    return None


def data_rate_bps(value, field: str) -> float:
    """A data rate in bit/s from ``"10Gbps"``, ``"10 Gbit/s"``, ``"1.25GB/s"`` or a Quantity; >= 0."""
    accepted = f"{field} takes a data rate, e.g. 10Gbps, 10Gbit/s or 1.25GB/s"
    bps = _read(value, field, accepted, unit=u.bit / u.s, what="a data rate", text_scale=_rate_scale)
    if bps < 0:
        raise QuantityError(f"{field}: {value!s} is negative ({accepted})")
    return _finite(bps, field, value, accepted)


# =============================================================================
# Engineering inputs: any astropy unit of the right kind, and money
# =============================================================================

def to_unit(value, unit: u.UnitBase, field: str, accepted: str, *, positive: bool = True,
            allow_zero: bool = False) -> float:
    """``value`` (a Quantity or text with a unit astropy reads, ``Wh`` included) as a float in ``unit``.

    ``accepted`` is the accepted form quoted in messages (``"an area such as
    10 m2"``).  ``positive`` refuses negative values and, unless ``allow_zero``,
    zero.
    """
    q = _astropy(value, field, accepted)
    if q.unit == u.dimensionless_unscaled and unit != u.dimensionless_unscaled:
        raise QuantityError(f"{field}: {value!r} has no unit ({accepted})")
    try:
        x = float(q.to_value(unit))
    except u.UnitConversionError:
        raise QuantityError(f"{field}: {value!r} has unit {q.unit} ({accepted})") from None
    if positive and (x < 0 or (x == 0 and not allow_zero)):
        bound = "at least 0" if allow_zero else "more than 0"
        raise QuantityError(f"{field}: {value!r} is out of range ({accepted}, {bound})")
    return x


def mass_kg(value, field: str) -> float:
    """A mass more than 0: ``"1360kg"``, ``"100t"`` or a Quantity."""
    return to_unit(value, u.kg, field, "a mass with a unit, e.g. 1360kg or 100t")


def areal_density_kg_m2(value, field: str) -> float:
    """A mass per area more than 0: ``"3kg/m2"``."""
    return to_unit(value, u.kg / u.m**2, field, "a mass per area, e.g. 3kg/m2")


def specific_energy_j_kg(value, field: str) -> float:
    """An energy per mass more than 0: ``"150Wh/kg"``."""
    return to_unit(value, u.J / u.kg, field, "an energy per mass, e.g. 150Wh/kg")


def duration_s(value, field: str, *, allow_zero: bool = False) -> float:
    """A time span more than 0 (or at least 0), in seconds: ``"5yr"``, ``"5y"``, ``"30min"``, a
    Quantity, a :class:`datetime.timedelta` or a numpy ``timedelta64`` (see :func:`time_quantity`)."""
    accepted = "a time with a unit, e.g. 5yr or 30min"
    return to_unit(time_quantity(value, field, accepted), u.s, field, accepted, allow_zero=allow_zero)


def angle_rad(value, field: str, *, lo_deg: float = 0.0, hi_deg: float = 90.0,
              hi_inclusive: bool = True) -> float:
    """An angle in [``lo_deg``, ``hi_deg``] degrees, in radians: ``"5deg"``."""
    accepted = f"an angle from {lo_deg:g}deg to {hi_deg:g}deg, e.g. 5deg"
    x = to_unit(value, u.rad, field, accepted, positive=False)
    deg = math.degrees(x)
    if deg < lo_deg or deg > hi_deg or (not hi_inclusive and deg == hi_deg):
        raise QuantityError(f"{field}: {value!r} is out of range ({accepted})")
    return x


def price_usd_per_kg(value, field: str = "launch price") -> float:
    """A launch price in US dollars per kilogram: ``3000``, ``"$3,000/kg"`` or ``"3000 USD/kg"``; > 0."""
    accepted = "US dollars per kg, more than 0, e.g. 3000 or $200/kg"
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        text = re.sub(r"^\$\s*", "", text)
        text = re.sub(r"\s*(?:USD|\$)?\s*/\s*kg\s*$", "", text, flags=re.I)
        try:
            x = float(text)
        except ValueError:
            raise QuantityError(f"{field}: cannot read {value!r} ({accepted})") from None
    elif _is_real(value):
        x = float(value)
    else:
        raise QuantityError(f"{field}: got {value!r} ({accepted})")
    if not math.isfinite(x) or x <= 0:
        raise QuantityError(f"{field}: {value!r} is out of range ({accepted})")
    return x
