"""Old home of the data-center input readers; they now live in :mod:`orbitlink.units`.

Kept so that ``from orbitlink.feasibility.units import power_w`` (and the other
names) keeps working.  :func:`fraction` keeps this module's defaults (the low
end excluded) and wording (``'1.5' is out of range``).  Errors are
:class:`~orbitlink.errors.QuantityError`, as for every other reader;
:class:`~orbitlink.errors.FeasibilityError` is re-exported from here too.
"""

from __future__ import annotations

from .. import units as _units
from ..errors import FeasibilityError  # noqa: F401  (its old home)
from ..units import (  # noqa: F401
    angle_rad,
    areal_density_kg_m2,
    duration_s,
    mass_kg,
    power_w,
    price_usd_per_kg,
    specific_energy_j_kg,
    temperature_k,
    to_unit,
)

#: Example quoted by the data-center fraction messages.
FRACTION_EXAMPLE = "0.3 or 30%"


def fraction(value, field: str, *, lo: float = 0.0, hi: float = 1.0,
             lo_inclusive: bool = False, hi_inclusive: bool = True) -> float:
    """A dimensionless number such as an efficiency: ``0.3``, ``"0.3"`` or ``"30%"`` (see :func:`orbitlink.units.fraction`)."""
    return _units.fraction(value, field, lo=lo, hi=hi, lo_inclusive=lo_inclusive, hi_inclusive=hi_inclusive,
                           example=FRACTION_EXAMPLE, as_typed=True)


__all__ = ["FeasibilityError", "angle_rad", "areal_density_kg_m2", "duration_s", "fraction", "mass_kg",
           "power_w", "price_usd_per_kg", "specific_energy_j_kg", "temperature_k", "to_unit"]
