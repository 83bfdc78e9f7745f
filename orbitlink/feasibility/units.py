"""Reading the feasibility inputs at the API boundary: Quantity or text in, SI float out.

:mod:`orbitlink.quantities` covers lengths, times, angles and frequencies; the
data-center model also takes powers, temperatures, masses, areal densities,
specific energies, prices and plain fractions.  Each reader here checks the kind
of unit and the range once and raises :class:`FeasibilityError` (an
:class:`~orbitlink.errors.OrbitlinkError`, hence a ``ValueError``) naming the
field and the accepted form, which the CLI prints as one ``orbitlink: error:``
line with exit code 2.
"""

from __future__ import annotations

import math
import re

import astropy.units as u

from ..errors import OrbitlinkError


class FeasibilityError(OrbitlinkError):
    """A data-center input is missing, of the wrong kind of unit, or out of range."""


# "Wh" and "kWh" are not astropy unit names; "W h" is.  Celsius is spelled in
# many ways; a bare "C" would otherwise parse as coulomb.
_WH = re.compile(r"(?<![A-Za-z])([kMGT]?)Wh(?![A-Za-z])")
_CELSIUS = re.compile(r"^\s*([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s*(?:°\s*C|deg\s*C|degC|deg_C|C|celsius)\s*$")
_KELVIN = re.compile(r"^\s*([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s*K\s*$")


def _parse(value, field: str, accepted: str) -> u.Quantity:
    if isinstance(value, u.Quantity):
        q = value
    elif isinstance(value, str):
        text = _WH.sub(lambda m: f"{m.group(1)}W h", value.strip())
        try:
            q = u.Quantity(text)
        except (TypeError, ValueError):
            raise FeasibilityError(f"{field}: cannot read {value!r} ({accepted})") from None
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        q = float(value) * u.dimensionless_unscaled
    else:
        raise FeasibilityError(f"{field}: got {value!r} ({accepted})")
    if not q.isscalar:
        raise FeasibilityError(f"{field}: expected one value, got {q.size} ({accepted})")
    if not math.isfinite(float(q.value)):
        raise FeasibilityError(f"{field}: {value!r} is not finite ({accepted})")
    return q


def to_unit(value, unit: u.UnitBase, field: str, accepted: str, *, positive: bool = True,
            allow_zero: bool = False) -> float:
    """``value`` (Quantity or text with a unit) as a float in ``unit``.

    ``positive`` refuses negative values and, unless ``allow_zero``, zero.
    """
    q = _parse(value, field, accepted)
    if q.unit == u.dimensionless_unscaled and unit != u.dimensionless_unscaled:
        raise FeasibilityError(f"{field}: {value!r} has no unit ({accepted})")
    try:
        x = float(q.to_value(unit))
    except u.UnitConversionError:
        raise FeasibilityError(f"{field}: {value!r} has unit {q.unit} ({accepted})") from None
    if positive and (x < 0 or (x == 0 and not allow_zero)):
        bound = "at least 0" if allow_zero else "more than 0"
        raise FeasibilityError(f"{field}: {value!r} is out of range ({accepted}, {bound})")
    return x


def power_w(value, field: str, *, allow_zero: bool = False) -> float:
    return to_unit(value, u.W, field, "a power with a unit, e.g. 40MW or 500kW", allow_zero=allow_zero)


def mass_kg(value, field: str) -> float:
    return to_unit(value, u.kg, field, "a mass with a unit, e.g. 1360kg or 100t")


def areal_density_kg_m2(value, field: str) -> float:
    return to_unit(value, u.kg / u.m**2, field, "a mass per area, e.g. 3kg/m2")


def specific_energy_j_kg(value, field: str) -> float:
    return to_unit(value, u.J / u.kg, field, "an energy per mass, e.g. 150Wh/kg")


def irradiance_w_m2(value, field: str) -> float:
    return to_unit(value, u.W / u.m**2, field, "a flux, e.g. 1361W/m2")


def duration_s(value, field: str, *, allow_zero: bool = False) -> float:
    return to_unit(value, u.s, field, "a time with a unit, e.g. 5yr or 30min", allow_zero=allow_zero)


def angle_rad(value, field: str, *, lo_deg: float = 0.0, hi_deg: float = 90.0,
              hi_inclusive: bool = True) -> float:
    accepted = f"an angle from {lo_deg:g}deg to {hi_deg:g}deg, e.g. 5deg"
    x = to_unit(value, u.rad, field, accepted, positive=False)
    deg = math.degrees(x)
    if deg < lo_deg or deg > hi_deg or (not hi_inclusive and deg == hi_deg):
        raise FeasibilityError(f"{field}: {value!r} is out of range ({accepted})")
    return x


def fraction(value, field: str, *, lo: float = 0.0, hi: float = 1.0,
             lo_inclusive: bool = False, hi_inclusive: bool = True) -> float:
    """A dimensionless number such as an efficiency: ``0.3``, ``"0.3"`` or ``"30%"``."""
    lo_txt = "[" if lo_inclusive else "("
    hi_txt = "]" if hi_inclusive else ")"
    accepted = f"a number in {lo_txt}{lo:g}, {hi:g}{hi_txt}, e.g. 0.3 or 30%"
    q = _parse(value, field, accepted)
    try:
        x = float(q.to_value(u.dimensionless_unscaled))
    except u.UnitConversionError:
        raise FeasibilityError(f"{field}: {value!r} has unit {q.unit} ({accepted})") from None
    if x < lo or x > hi or (x == lo and not lo_inclusive) or (x == hi and not hi_inclusive):
        raise FeasibilityError(f"{field}: {value!r} is out of range ({accepted})")
    return x


def positive_number(value, field: str, accepted: str) -> float:
    """A bare positive number (a count or a ratio with no unit)."""
    q = _parse(value, field, accepted)
    if q.unit != u.dimensionless_unscaled:
        raise FeasibilityError(f"{field}: {value!r} takes no unit ({accepted})")
    x = float(q.value)
    if x <= 0:
        raise FeasibilityError(f"{field}: {value!r} is out of range ({accepted}, more than 0)")
    return x


def temperature_k(value, field: str) -> float:
    """``"20C"``, ``"20degC"``, ``"293.15K"`` or a Quantity; must be above 0 K."""
    accepted = "a temperature above 0 K, e.g. 20C or 293.15K"
    if isinstance(value, str):
        m = _CELSIUS.match(value)
        if m:
            k = float(m.group(1)) + 273.15
        else:
            m = _KELVIN.match(value)
            if not m:
                raise FeasibilityError(f"{field}: cannot read {value!r} ({accepted})")
            k = float(m.group(1))
    elif isinstance(value, u.Quantity):
        try:
            k = float(value.to_value(u.K, equivalencies=u.temperature()))
        except u.UnitConversionError:
            raise FeasibilityError(f"{field}: {value!r} is not a temperature ({accepted})") from None
    else:
        raise FeasibilityError(f"{field}: {value!r} has no unit ({accepted})")
    if not math.isfinite(k) or k <= 0.0:
        raise FeasibilityError(f"{field}: {value!r} is out of range ({accepted})")
    return k


def price_usd_per_kg(value, field: str = "launch price") -> float:
    """A launch price in US dollars per kilogram: ``3000``, ``"$3000/kg"`` or ``"3000 USD/kg"``."""
    accepted = "US dollars per kg, more than 0, e.g. 3000 or $200/kg"
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        text = re.sub(r"^\$\s*", "", text)
        text = re.sub(r"\s*(?:USD|\$)?\s*/\s*kg\s*$", "", text, flags=re.I)
        try:
            x = float(text)
        except ValueError:
            raise FeasibilityError(f"{field}: cannot read {value!r} ({accepted})") from None
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        x = float(value)
    else:
        raise FeasibilityError(f"{field}: got {value!r} ({accepted})")
    if not math.isfinite(x) or x <= 0:
        raise FeasibilityError(f"{field}: {value!r} is out of range ({accepted})")
    return x
