"""Sample-wise shadow quantities on a Track, and the closed forms of a circular orbit.

:func:`beta_angle`, :func:`illuminated_fraction` and :func:`shadow_state` work on
every sample of a :class:`~orbitlink.track.Track` (the Sun interpolated once per
time step and shared by all satellites); :func:`analytic_eclipse_fraction`,
:func:`analytic_eclipse_duration` and :func:`critical_beta` are the textbook
closed forms for a circular orbit in the cylindrical shadow.  The geometry is in
:mod:`orbitlink.core.shadow`.
"""

from __future__ import annotations

import math

import astropy.units as u
import numpy as np

from ..constants import MU_EARTH_M3_S2, R_EARTH_M
from ..core import shadow
from ..errors import EclipseError
from ..units import to_si
from ..sun import sun_table
from ..track import Track

__all__ = ["MODELS", "analytic_eclipse_duration", "analytic_eclipse_fraction", "beta_angle", "check_model",
           "critical_beta", "illuminated_fraction", "shadow_state"]

MODELS = shadow.MODELS


def check_model(model: str) -> str:
    """``model`` if it is a shadow model, else EclipseError naming the field ``shadow``."""
    if model not in MODELS:
        raise EclipseError(f"shadow: {model!r} is not a shadow model (one of {', '.join(MODELS)})")
    return model


def _track_sun(track: Track, apparent: bool = True) -> np.ndarray:
    grid = track.grid
    return sun_table(grid.start, float(grid.t_s[0]), float(grid.t_s[-1]),
                     apparent=apparent).gcrs_m(grid.t_s)


def beta_angle(track: Track, *, apparent_sun: bool = True) -> u.Quantity:
    """Beta angle (S, T) in degrees: the Sun's elevation above each orbit plane.

    The plane is that of the osculating orbit (``r x v``); NaN where the track is invalid.
    """
    s = _track_sun(track, apparent_sun)
    beta = shadow.beta_angle_rad(shadow.orbit_normal(track.r_gcrs_m, track.v_gcrs_m_s), s[:, None, :])
    return np.degrees(beta) * u.deg


def illuminated_fraction(track: Track, model: str = "conical", *, apparent_sun: bool = True) -> np.ndarray:
    """Visible fraction of the solar disk (S, T), 0..1 (NaN where the track is invalid)."""
    check_model(model)
    s = _track_sun(track, apparent_sun)
    nu = shadow.illuminated_fraction(track.r_gcrs_m, s[:, None, :], model)
    return np.where(track.valid, nu, np.nan)


def shadow_state(track: Track, model: str = "conical", *, apparent_sun: bool = True) -> np.ndarray:
    """Per sample (S, T) int8: 0 sunlit, 1 penumbra, 2 umbra (-1 where invalid)."""
    check_model(model)
    s = _track_sun(track, apparent_sun)
    state = shadow.shadow_state(track.r_gcrs_m, s[:, None, :], model)
    return np.where(track.valid, state, np.int8(-1)).astype(np.int8)


def _altitude_beta(altitude, beta):
    alt_m = to_si(altitude, "length", "altitude", lo=0 * u.km, lo_inclusive=False)
    beta_rad = to_si(beta, "angle", "beta", lo=-90 * u.deg, hi=90 * u.deg)
    return alt_m, beta_rad


def analytic_eclipse_fraction(altitude, beta) -> float:
    """Fraction of a circular orbit in the Earth's (cylindrical) shadow.

    ``f = acos(sqrt(h^2 + 2 R h) / ((R + h) cos beta)) / pi``, zero above the
    critical beta ``asin(R / (R + h))``; R = 6378.137 km.  ``altitude`` and
    ``beta`` are Quantities or strings ("550km", "60deg").
    """
    alt_m, beta_rad = _altitude_beta(altitude, beta)
    return float(shadow.eclipse_fraction_circular(alt_m, beta_rad))


def analytic_eclipse_duration(altitude, beta) -> u.Quantity:
    """Eclipse duration per orbit (min) of the closed form: fraction x two-body period."""
    alt_m, beta_rad = _altitude_beta(altitude, beta)
    period_s = 2.0 * math.pi * math.sqrt((R_EARTH_M + alt_m) ** 3 / MU_EARTH_M3_S2)
    return (float(shadow.eclipse_fraction_circular(alt_m, beta_rad)) * period_s * u.s).to(u.min)


def critical_beta(altitude) -> u.Quantity:
    """Beta above which a circular orbit at ``altitude`` never enters the (cylindrical) shadow."""
    alt_m = to_si(altitude, "length", "altitude", lo=0 * u.km, lo_inclusive=False)
    return np.degrees(float(shadow.critical_beta_rad(alt_m))) * u.deg
