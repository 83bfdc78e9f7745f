"""Distances on the ground: great circles and terrestrial fibre.

Used by the latency analysis for the fibre legs (user to gateway, gateway to a
far-end data center) and the fibre-only comparison.
"""

from __future__ import annotations

import astropy.units as u
import numpy as np

from .. import units
from ..constants import C_M_S
from ..units import to_si

DEFAULT_ROUTE_FACTOR = 1.5
# Group index of G.652 single-mode fibre near 1550 nm (Corning SMF-28: 1.4682).
FIBRE_INDEX = 1.468
# IUGG mean Earth radius R1 (Moritz 2000, Geodetic Reference System 1980).
MEAN_EARTH_RADIUS_M = 6_371_008.8

__all__ = ["DEFAULT_ROUTE_FACTOR", "FIBRE_INDEX", "MEAN_EARTH_RADIUS_M", "fibre_rtt", "great_circle"]


def great_circle(lat1_rad, lon1_rad, lat2_rad, lon2_rad) -> np.ndarray:
    """Great-circle distance (m) on the mean Earth sphere (haversine, broadcasting)."""
    la1, lo1, la2, lo2 = (np.asarray(x, float) for x in (lat1_rad, lon1_rad, lat2_rad, lon2_rad))
    h = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return 2.0 * MEAN_EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def fibre_rtt(distance, *, route_factor: float = DEFAULT_ROUTE_FACTOR,
              fibre_index: float = FIBRE_INDEX) -> u.Quantity:
    """Round trip over terrestrial fibre: 2 x distance x route_factor x fibre_index / c."""
    d_m = to_si(distance, "length", "distance", lo=0 * u.m)
    return (2.0 * d_m * units.number(route_factor, "route_factor", lo=1.0) *
            units.number(fibre_index, "fibre_index", lo=1.0, example="1.468") / C_M_S * u.s).to(u.ms)
