"""Old home of the quantity reader; everything now lives in :mod:`orbitlink.units`.

Kept so that ``from orbitlink.quantities import to_si`` (and the other names)
keeps working; new code imports :mod:`orbitlink.units`.
"""

from __future__ import annotations

from .errors import QuantityError  # noqa: F401  (imported from here by older code)
from .units import QuantityLike, count, parse_quantity, to_si

__all__ = ["QuantityLike", "count", "parse_quantity", "to_si"]
