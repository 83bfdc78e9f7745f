"""Earth shadow geometry: cylindrical and conical (umbra/penumbra) models, beta angle.

Pure numpy on SI float64 arrays.  Vectors are ``(3, ...)``: a constellation's
positions are ``(3, S, T)`` and the Sun's ``(3, T)`` broadcasts against them as
``(3, 1, T)``.  ``sun_m`` is the geocentric position of the Sun (GCRS, metres);
``r_m`` the satellite's.

Models
------
*Cylindrical*: the shadow is the cylinder of radius R_earth behind the Earth,
parallel to the Earth-Sun line (a point Sun infinitely far away).  A satellite
is dark when ``r . s_hat < 0`` and its distance from the Earth-Sun line is
less than R_earth; there is no penumbra.

*Conical* (the default of :mod:`orbitlink.eclipse`): Montenbruck & Gill,
*Satellite Orbits* (Springer 2000), sec. 3.4.2, eqs. (3.85)-(3.89).  Seen
from the satellite, the Sun is a disk of apparent radius
``a = asin(R_sun / |s - r|)``, the Earth a disk of apparent radius
``b = asin(R_earth / |r|)``, their centres ``c`` apart (the angle between
``-r`` and ``s - r``).  The satellite is

- in sunlight when ``c >= a + b`` (illuminated fraction 1);
- in the umbra when ``c <= b - a`` (fraction 0; always b > a below ~1.4 million km);
- in the penumbra in between, where the occulted part of the solar disk is
  the overlap area of two circles (eq. 3.88):
  ``x = (c^2 + a^2 - b^2) / (2c)``, ``y = sqrt(a^2 - x^2)``,
  ``A = a^2 acos(x/a) + b^2 acos((c - x)/b) - c y``,
  and the illuminated fraction is ``nu = 1 - A / (pi a^2)`` (eq. 3.89).

The boundaries ``c = b + a`` and ``c = b - a`` are the exact tangency
conditions; the overlap area treats the small disks as plane figures (an error
below 0.1 % of nu).  The Earth is a sphere of the WGS-84 equatorial radius, with
no atmosphere: refraction and absorption in the atmosphere blur the real
boundary by a few seconds in LEO, and the polar flattening moves it by up to
21 km for shadows crossed at high latitude.

The shadow functions ``g`` below are continuous in time and negative inside the
shadow they describe, so eclipse entry and exit are their roots.  The conical
ones are angles (rad): ``g_penumbra = c - (a + b)``, ``g_umbra = c - (b - a)``.
They are built from the satellite's view, so they have no spurious roots on the
day side (unlike Escobal's cone-surface function used by poliastro/hapsira,
whose quadratic form also vanishes on the mirror cone in front of the Earth).
"""

from __future__ import annotations

import numpy as np

from ..constants import R_EARTH_M, R_SUN_M
from . import roots

MODELS = ("conical", "cylindrical")

# States of a sample, in order of darkness.
SUNLIT, PENUMBRA, UMBRA = 0, 1, 2


def _dot(a, b):
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def conical_angles(r_m, sun_m, *, r_earth_m=R_EARTH_M, r_sun_m=R_SUN_M):
    """``(c, a, b)`` of the conical model (rad): separation of the centres, apparent
    radius of the Sun, apparent radius of the Earth, as seen from ``r_m``."""
    r2 = _dot(r_m, r_m)
    rs = _dot(r_m, sun_m)
    d2 = _dot(sun_m, sun_m) - 2.0 * rs + r2  # |s - r|^2
    rn, dn = np.sqrt(r2), np.sqrt(d2)
    cos_c = np.clip((r2 - rs) / (rn * dn), -1.0, 1.0)  # (-r).(s - r) / (|r||s - r|)
    c = np.arccos(cos_c)
    a = np.arcsin(np.minimum(r_sun_m / dn, 1.0))
    b = np.arcsin(np.minimum(r_earth_m / rn, 1.0))
    return c, a, b


def conical_functions(r_m, sun_m, **radii):
    """``(g_penumbra, g_umbra)`` in rad: negative inside the penumbra cone (any part of
    the Sun hidden) and inside the umbra cone (all of it hidden)."""
    c, a, b = conical_angles(r_m, sun_m, **radii)
    return c - (b + a), c - (b - a)


def cylindrical_function(r_m, sun_m, *, r_earth_m=R_EARTH_M):
    """Shadow function of the cylindrical model (m): the distance from the Earth-Sun
    line minus R_earth behind the Earth, ``|r| - R_earth`` in front; negative in shadow."""
    s_hat = sun_m / np.sqrt(_dot(sun_m, sun_m))
    d = _dot(r_m, s_hat)
    r2 = _dot(r_m, r_m)
    perp = np.sqrt(np.maximum(r2 - d * d, 0.0))
    return np.where(d < 0.0, perp, np.sqrt(r2)) - r_earth_m


def shadow_functions(r_m, sun_m, model: str = "conical"):
    """The shadow functions of ``model`` as a tuple: conical ``(g_penumbra, g_umbra)``,
    cylindrical ``(g,)``."""
    if model == "conical":
        return conical_functions(r_m, sun_m)
    if model == "cylindrical":
        return (cylindrical_function(r_m, sun_m),)
    raise ValueError(f"shadow model {model!r} is not one of {', '.join(MODELS)}")


def illuminated_fraction_from_angles(c, a, b):
    """Visible fraction of the solar disk, 0..1 (Montenbruck & Gill eqs. 3.87-3.89).

    ``c`` separation of the centres, ``a`` apparent solar radius, ``b`` apparent
    Earth radius (rad, broadcastable).
    """
    c, a, b = np.broadcast_arrays(*(np.asarray(x, dtype=np.float64) for x in (c, a, b)))
    nu = np.ones(c.shape)
    partial = (c < a + b) & (c > np.abs(b - a))
    if np.any(partial):
        cp, ap, bp = c[partial], a[partial], b[partial]
        x = (cp * cp + ap * ap - bp * bp) / (2.0 * cp)
        y = np.sqrt(np.maximum(ap * ap - x * x, 0.0))
        area = (ap * ap * np.arccos(np.clip(x / ap, -1.0, 1.0))
                + bp * bp * np.arccos(np.clip((cp - x) / bp, -1.0, 1.0)) - cp * y)
        nu[partial] = 1.0 - area / (np.pi * ap * ap)
    inside = c <= np.abs(b - a)
    # Total eclipse (b > a), or an annular one (Earth disk inside the Sun's, b < a).
    nu[inside] = np.where(b[inside] >= a[inside], 0.0, 1.0 - (b[inside] / a[inside]) ** 2)
    return np.clip(nu, 0.0, 1.0)


def illuminated_fraction(r_m, sun_m, model: str = "conical"):
    """Fraction of the solar disk visible from ``r_m``: conical 0..1 (penumbra partial),
    cylindrical 0 or 1."""
    if model == "conical":
        return illuminated_fraction_from_angles(*conical_angles(r_m, sun_m))
    if model == "cylindrical":
        return (cylindrical_function(r_m, sun_m) >= 0.0).astype(np.float64)
    raise ValueError(f"shadow model {model!r} is not one of {', '.join(MODELS)}")


def shadow_state(r_m, sun_m, model: str = "conical"):
    """Per sample: 0 sunlit, 1 penumbra, 2 umbra (int8).  Cylindrical: 0 or 2."""
    g = shadow_functions(r_m, sun_m, model)
    if model == "cylindrical":
        return np.where(g[0] < 0.0, UMBRA, SUNLIT).astype(np.int8)
    return ((g[0] < 0.0).astype(np.int8) + (g[1] < 0.0).astype(np.int8))


# --- orbit plane --------------------------------------------------------------

def orbit_normal(r_m, v_m_s):
    """Unit angular-momentum vector ``r x v / |r x v|`` (3, ...)."""
    h = np.stack([r_m[1] * v_m_s[2] - r_m[2] * v_m_s[1],
                  r_m[2] * v_m_s[0] - r_m[0] * v_m_s[2],
                  r_m[0] * v_m_s[1] - r_m[1] * v_m_s[0]])
    return h / np.sqrt(_dot(h, h))


def beta_angle_rad(normal, sun_m):
    """Beta angle (rad): elevation of the Sun above the orbit plane, ``asin(h_hat . s_hat)``.

    Positive when the Sun is on the side the orbit normal points to.
    """
    s = sun_m / np.sqrt(_dot(sun_m, sun_m))
    return np.arcsin(np.clip(_dot(normal, s), -1.0, 1.0))


def critical_beta_rad(altitude_m, *, r_earth_m=R_EARTH_M):
    """Beta above which a circular orbit sees no eclipse (cylindrical): ``asin(R / (R + h))``."""
    return np.arcsin(r_earth_m / (r_earth_m + np.asarray(altitude_m, dtype=np.float64)))


def eclipse_fraction_circular(altitude_m, beta_rad, *, r_earth_m=R_EARTH_M):
    """Fraction of a circular orbit spent in the cylindrical shadow.

    ``f = acos(sqrt(h^2 + 2 R h) / ((R + h) cos beta)) / pi`` for
    ``|beta| < beta* = asin(R / (R + h))``, else 0.  (The satellite is dark while
    its angle from the anti-Sun point, projected on the orbit, is below the
    half-angle ``acos(sqrt(h^2 + 2Rh) / ((R+h) cos beta))``; e.g. Gilmore,
    *Spacecraft Thermal Control Handbook* vol. 1, sec. 2, and Vallado 4th ed. sec. 5.3.)
    """
    h = np.asarray(altitude_m, dtype=np.float64)
    cb = np.cos(np.asarray(beta_rad, dtype=np.float64))
    arg = np.sqrt(h * h + 2.0 * r_earth_m * h) / ((r_earth_m + h) * cb)
    return np.where(arg < 1.0, np.arccos(np.minimum(arg, 1.0)) / np.pi, 0.0)


def circular_angles(x, a_m, sun_distance_m, *, r_earth_m=R_EARTH_M, r_sun_m=R_SUN_M):
    """``(c, a, b)`` of the conical model for a satellite at radius ``a_m`` whose
    position makes ``x = r_hat . s_hat`` with the Sun at ``sun_distance_m``."""
    x = np.asarray(x, dtype=np.float64)
    d = np.sqrt(sun_distance_m * sun_distance_m - 2.0 * a_m * sun_distance_m * x + a_m * a_m)
    c = np.arccos(np.clip((a_m - sun_distance_m * x) / d, -1.0, 1.0))
    return c, np.arcsin(r_sun_m / d), np.arcsin(np.minimum(r_earth_m / a_m, 1.0)) * np.ones_like(x)


def circular_thresholds(a_m, sun_distance_m, model: str = "conical", *, r_earth_m=R_EARTH_M,
                        r_sun_m=R_SUN_M, iterations: int = 3):
    """Shadow boundaries of a circular orbit of radius ``a_m`` as values of
    ``x = r_hat . s_hat`` (the cosine of the Sun-Earth-satellite angle).

    On a circular orbit the whole geometry depends on ``x`` alone, and darker
    means smaller ``x``.  Returns ``(x_penumbra, x_umbra)`` for the conical
    model (dark below them) and ``(x_shadow,)`` for the cylindrical one.  The
    conical values solve the tangency conditions ``c = b +/- a`` in the
    Earth-satellite-Sun triangle (the angle at the Sun, ``gamma``, from the law
    of sines); three fixed-point passes reach machine precision.
    """
    a_m = np.asarray(a_m, dtype=np.float64)
    dist = np.asarray(sun_distance_m, dtype=np.float64)
    if model == "cylindrical":
        return (-np.sqrt(1.0 - (r_earth_m / a_m) ** 2) * np.ones_like(dist),)
    b = np.arcsin(r_earth_m / a_m)
    out = []
    for sign in (1.0, -1.0):
        d = dist * np.ones_like(a_m)
        for _ in range(iterations):
            c = b + sign * np.arcsin(r_sun_m / d)  # separation at the boundary
            gamma = np.arcsin(a_m * np.sin(c) / dist)  # angle at the Sun
            psi = np.pi - c - gamma  # angle at the Earth, between r and s
            d = np.sqrt(dist * dist + a_m * a_m - 2.0 * a_m * dist * np.cos(psi))
        out.append(np.cos(psi))
    return tuple(out)


# --- vectorized bracketed root finding (moved to core/roots.py) --------------------

def bracketed_roots(func, t0, t1, g0, g1, *, tol_s: float = 1e-3, max_iter: int = 60):
    """Compatibility alias of :func:`orbitlink.core.roots.illinois` with this module's
    old defaults (stops at ``tol_s`` = 1 ms)."""
    return roots.illinois(func, t0, t1, g0, g1, tol_s=tol_s, max_iter=max_iter)


def minimize_bracketed(func, t0, t1, *, tol_s: float = 1e-2, max_iter: int = 60):
    """Compatibility alias of :func:`orbitlink.core.roots.golden_section` (minimum,
    ``tol_s`` = 10 ms): ``(t_min, g_min)``."""
    return roots.golden_section(func, t0, t1, tol_s=tol_s, max_iter=max_iter)
