"""High-fidelity propagation through hapsira (the maintained fork of poliastro).

An optional extra (``pip install "orbitlink[poliastro]"``): hapsira, with its
numba and scipy dependencies, is imported only when :func:`propagate` runs.

Two methods:

- ``"kepler"``: hapsira's two-body propagator (Farnocchia's method,
  :func:`hapsira.core.propagation.farnocchia.farnocchia_rv`).  Exact two-body
  motion, used to cross-check orbitlink's own two-body solution.
- ``"cowell"`` (default): numerical integration of the equations of motion
  (hapsira's :func:`~hapsira.core.propagation.func_twobody` plus
  :func:`~hapsira.core.perturbations.J2_perturbation` and optionally
  :func:`~hapsira.core.perturbations.atmospheric_drag_exponential`) with
  scipy's DOP853 (Dormand-Prince 8(5,3)), rtol 1e-11, atol 1e-12 km -- the
  integrator and tolerances of hapsira's ``CowellPropagator``.  One
  integration per satellite spans the whole grid; states on the grid come
  from the integrator's dense output (7th-order interpolant), so the step
  size is the integrator's, not the grid's.

The force model uses orbitlink's constants (:mod:`orbitlink.constants`:
``MU_EARTH_M3_S2``, ``R_EARTH_M``, ``J2``), not hapsira's ``Earth`` body
(R = 6378.1366 km, J2 = 1.08263e-3), so a comparison with the analytic
propagator measures the propagators, not the constants.  hapsira works in km
and km/s internally; results are converted to SI.

Frames: orbitlink's elements are referred to GCRS axes; the integration runs
in those axes (hapsira's Earth-centred inertial frame is GCRS), so the states
are GCRS.  Precession and nutation of the Earth's figure axis are ignored in
the J2 and drag forces (the J2 axis is taken as GCRS z, off by < 0.4 deg over
2000-2050, a negligible effect on a J2 acceleration at the 1e-3 level).

Cost (measured on the development machine, see docs/design/propagators.md):
the first call in a process pays hapsira's numba JIT compilation, which is
not cached on disk -- about 5 s for ``"cowell"`` and 11 s for ``"kepler"``
(including the 0.6 s import of hapsira).  After that, per satellite-day on a
60 s grid: Cowell-J2 0.13 s in LEO (0.2 s for e = 0.05), with drag 0.26 s;
Kepler 0.015 s; the analytic propagator 0.001 s.  This propagator is for
cross-checks and small sets; the analytic one is the default for
constellations.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from ..constants import J2, MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S, R_EARTH_M
from ..errors import MissingExtraError, OrbitlinkError, OrbitSpecError
from ..orbits import OrbitSet
from ..times import TimeGrid, check_size
from ..track import Track
from ._frames import track_from_gcrs

METHODS = ("cowell", "kepler")

#: Integrator settings (those of hapsira's CowellPropagator).
RTOL = 1e-11
ATOL_KM = 1e-12

#: Drag coefficient used when ``drag`` gives none (a flat plate / box in free
#: molecular flow; Vallado section 8.6.2).
DEFAULT_CD = 2.2

#: Integration stops (samples marked invalid) when a satellite falls below this
#: altitude above the equatorial radius: the exponential atmosphere and the
#: two-body + J2 model are meaningless lower down.
DECAY_ALTITUDE_M = 100e3

#: Exponential atmosphere of Vallado, *Fundamentals of Astrodynamics and
#: Applications*, 4th ed., Table 8-4 (CIRA-72 based): for a spherical altitude h
#: in the band starting at base altitude h0, rho = rho0 exp(-(h - h0) / H).
#: Columns: h0 (km), rho0 (kg/m^3), H (km).  A static model: real densities at
#: 400-800 km vary by a factor of 5-10 over the solar cycle.
EXPONENTIAL_ATMOSPHERE = np.array([
    (0, 1.225, 7.249), (25, 3.899e-2, 6.349), (30, 1.774e-2, 6.682),
    (40, 3.972e-3, 7.554), (50, 1.057e-3, 8.382), (60, 3.206e-4, 7.714),
    (70, 8.770e-5, 6.549), (80, 1.905e-5, 5.799), (90, 3.396e-6, 5.382),
    (100, 5.297e-7, 5.877), (110, 9.661e-8, 7.263), (120, 2.438e-8, 9.473),
    (130, 8.484e-9, 12.636), (140, 3.845e-9, 16.149), (150, 2.070e-9, 22.523),
    (180, 5.464e-10, 29.740), (200, 2.789e-10, 37.105), (250, 7.248e-11, 45.546),
    (300, 2.418e-11, 53.628), (350, 9.518e-12, 53.298), (400, 3.725e-12, 58.515),
    (450, 1.585e-12, 60.828), (500, 6.967e-13, 63.822), (600, 1.454e-13, 71.835),
    (700, 3.614e-14, 88.667), (800, 1.170e-14, 124.64), (900, 5.245e-15, 181.05),
    (1000, 3.019e-15, 268.00),
])

_DRAG_KEYS = ("cd", "area_m2", "mass_kg", "rho0_kg_m3", "scale_height_m", "ref_altitude_m")
_DRAG_FORM = ("drag=dict(cd=2.2, area_m2=..., mass_kg=...) with optional "
              "rho0_kg_m3 and scale_height_m (and ref_altitude_m) for a single exponential")


def _import_hapsira():
    """hapsira's kernels used here; MissingExtraError if they cannot be imported.

    The cause (hapsira absent, or a numba/numpy mismatch) stays chained.
    """
    try:
        import hapsira  # noqa: F401  (first, so a missing package is always seen)
        from hapsira.core.angles import E_to_nu, M_to_E
        from hapsira.core.elements import coe2rv
        from hapsira.core.perturbations import J2_perturbation, atmospheric_drag_exponential
        from hapsira.core.propagation import func_twobody
        from hapsira.core.propagation.farnocchia import farnocchia_rv
        from scipy.integrate import DOP853, solve_ivp  # a hapsira dependency
    except ImportError as exc:
        raise MissingExtraError("poliastro", "hapsira", "the poliastro propagator") from exc
    return dict(E_to_nu=E_to_nu, M_to_E=M_to_E, coe2rv=coe2rv, J2_perturbation=J2_perturbation,
                atmospheric_drag_exponential=atmospheric_drag_exponential,
                farnocchia_rv=farnocchia_rv, func_twobody=func_twobody, DOP853=DOP853,
                solve_ivp=solve_ivp)


def _positive(value, key: str) -> float:
    if isinstance(value, bool):
        raise OrbitSpecError(f"drag: {key}={value!r} is not a number ({_DRAG_FORM})")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise OrbitSpecError(f"drag: {key}={value!r} is not a number ({_DRAG_FORM})") from None
    if not (math.isfinite(x) and x > 0.0):
        raise OrbitSpecError(f"drag: {key}={value!r} must be a finite positive number ({_DRAG_FORM})")
    return x


def _drag_model(drag) -> dict | None:
    """Validate ``drag`` and return SI parameters, or None for no drag."""
    if drag is None:
        return None
    if not isinstance(drag, Mapping):
        raise OrbitSpecError(f"drag: expected a dict, got {type(drag).__name__} ({_DRAG_FORM})")
    unknown = sorted(set(drag) - set(_DRAG_KEYS))
    if unknown:
        raise OrbitSpecError(f"drag: unknown key(s) {', '.join(map(repr, unknown))} ({_DRAG_FORM})")
    for key in ("area_m2", "mass_kg"):
        if key not in drag:
            raise OrbitSpecError(f"drag: {key} is required ({_DRAG_FORM})")
    model = dict(cd=_positive(drag.get("cd", DEFAULT_CD), "cd"),
                 area_m2=_positive(drag["area_m2"], "area_m2"),
                 mass_kg=_positive(drag["mass_kg"], "mass_kg"))
    custom = [k for k in ("rho0_kg_m3", "scale_height_m", "ref_altitude_m") if k in drag]
    if custom:
        if "rho0_kg_m3" not in drag or "scale_height_m" not in drag:
            raise OrbitSpecError("drag: a custom exponential atmosphere needs both rho0_kg_m3 "
                                 f"and scale_height_m ({_DRAG_FORM})")
        ref = drag.get("ref_altitude_m", 0.0)
        if isinstance(ref, bool):
            raise OrbitSpecError(f"drag: ref_altitude_m={ref!r} is not a number ({_DRAG_FORM})")
        try:
            ref = float(ref)
        except (TypeError, ValueError):
            raise OrbitSpecError(f"drag: ref_altitude_m={ref!r} is not a number ({_DRAG_FORM})") from None
        if not (math.isfinite(ref) and ref >= 0.0):
            raise OrbitSpecError(f"drag: ref_altitude_m={ref!r} must be >= 0 ({_DRAG_FORM})")
        # One band: h0 (km), rho0 (kg/m^3), H (km), as in EXPONENTIAL_ATMOSPHERE.
        model["table"] = np.array([(ref / 1e3, _positive(drag["rho0_kg_m3"], "rho0_kg_m3"),
                                    _positive(drag["scale_height_m"], "scale_height_m") / 1e3)])
    else:
        model["table"] = EXPONENTIAL_ATMOSPHERE
    return model


def _rhs(h, mu_km, *, j2: bool, drag: dict | None):
    """The equations of motion f(t, u) in km and km/s, built from hapsira's kernels."""
    func_twobody, J2_perturbation = h["func_twobody"], h["J2_perturbation"]
    r_km, j2_value = R_EARTH_M / 1e3, J2

    if drag is None:
        if not j2:
            return lambda t, u: func_twobody(t, u, mu_km)

        def f(t, u):
            du = func_twobody(t, u, mu_km)
            du[3:] += J2_perturbation(t, u, mu_km, j2_value, r_km)
            return du
        return f

    drag_exp = h["atmospheric_drag_exponential"]
    table = drag["table"]
    base_km = table[:, 0]
    # hapsira wants rho0 in kg/km^3 and A/m in km^2/kg.
    rho0 = table[:, 1] * 1e9
    scale_km = table[:, 2]
    a_over_m = drag["area_m2"] * 1e-6 / drag["mass_kg"]
    cd = drag["cd"]
    omega = OMEGA_EARTH_RAD_S
    u_rel = np.empty(6)

    def f(t, u):
        du = func_twobody(t, u, mu_km)
        if j2:
            du[3:] += J2_perturbation(t, u, mu_km, j2_value, r_km)
        alt_km = math.sqrt(u[0] ** 2 + u[1] ** 2 + u[2] ** 2) - r_km
        k = max(int(np.searchsorted(base_km, alt_km, side="right")) - 1, 0)
        # Velocity relative to the co-rotating atmosphere: v - omega z x r.
        u_rel[:3] = u[:3]
        u_rel[3] = u[3] + omega * u[1]
        u_rel[4] = u[4] - omega * u[0]
        u_rel[5] = u[5]
        # hapsira's density is rho0 exp(-(|r| - R) / H0): passing R = R_E + h0
        # makes it the table band starting at h0.
        du[3:] += drag_exp(t, u_rel, mu_km, r_km + base_km[k], cd, a_over_m, scale_km[k], rho0[k])
        return du
    return f


def _initial_state(h, mu_km, a_m, e, i, raan, argp, m):
    """Position (km) and velocity (km/s) from osculating classical elements."""
    m = math.remainder(m, 2.0 * math.pi)  # hapsira's M_to_E expects (-pi, pi]
    if e > 0.0:
        nu = float(h["E_to_nu"](h["M_to_E"](m, e), e))
    else:
        nu = m
    p_km = a_m * (1.0 - e * e) / 1e3
    rv = h["coe2rv"](mu_km, p_km, e, i, raan, argp, nu)
    return np.asarray(rv[0], float), np.asarray(rv[1], float)


def _integrate(h, f, y0, t_s, decay_event):
    """States (6, T) at times t_s (s from y0's epoch), integrating forward and
    backward from 0 as needed; NaN after a decay event.  Returns (y, message)."""
    out = np.full((6, t_s.size), np.nan)
    message = ""
    out[:, t_s == 0.0] = y0[:, None]
    for sign in (1.0, -1.0):
        sel = (t_s * sign) > 0.0
        if not sel.any():
            continue
        t_end = float(sign * np.max(sign * t_s[sel]))
        res = h["solve_ivp"](f, (0.0, t_end), y0, method=h["DOP853"], rtol=RTOL, atol=ATOL_KM,
                             dense_output=True, events=decay_event)
        if res.status == -1:
            raise RuntimeError(f"poliastro propagator: integration failed: {res.message}")
        t_stop = float(res.t[-1])
        ok = sel & (sign * t_s <= sign * t_stop)
        out[:, ok] = res.sol(t_s[ok])
        if res.status == 1:  # terminated by the decay event
            message = f"below {DECAY_ALTITUDE_M / 1e3:g} km altitude at t = {t_stop:.0f} s from the epoch"
    return out, message


def propagate(orbits: OrbitSet, grid: TimeGrid, *, method: str = "cowell", j2: bool = True,
              drag: Mapping | None = None) -> Track:
    """Track of ``orbits`` on ``grid`` propagated by hapsira.

    ``method="cowell"`` integrates two-body + J2 (``j2=True``) + atmospheric drag
    (``drag`` given) numerically; ``method="kepler"`` is hapsira's exact
    two-body propagator (``j2`` is ignored and ``drag`` must be None).

    The elements of ``orbits`` are taken as **osculating** elements at their
    epoch (the grid start when unset).  orbitlink's analytic propagator reads the
    same numbers as J2 *mean* elements.  In LEO the mean semi-major axis of an
    orbit started from osculating a differs from a by up to 3/2 J2 R^2/a sin^2 i
    (about 9 km), so with ``j2=True`` the two trajectories drift apart
    along-track by hundreds of km a day (660 km for 550 km / 53 deg).  With the
    mean semi-major axes matched they agree within the J2 short-period terms,
    about 10 km (docs/design/propagators.md).  Without J2, mean and osculating
    coincide and the propagators agree to millimetres.

    ``drag`` is a dict ``cd`` (default 2.2), ``area_m2``, ``mass_kg`` (required,
    positive): the ballistic coefficient of a cannonball model, with the
    velocity relative to an atmosphere co-rotating with the Earth.  The density
    is hapsira's exponential model ``rho0 exp(-(h - h0) / H)`` with the bands of
    Vallado's Table 8-4 (:data:`EXPONENTIAL_ATMOSPHERE`, h the altitude above a
    sphere of the equatorial radius), or one band given as ``rho0_kg_m3``,
    ``scale_height_m`` and optional ``ref_altitude_m`` (h0, default 0).  A
    satellite that decays below :data:`DECAY_ALTITUDE_M` is marked invalid
    from then on.  Bad inputs raise :class:`~orbitlink.errors.OrbitSpecError`.

    Raises :class:`~orbitlink.errors.MissingExtraError` if hapsira is not
    installed.  The first call in a process compiles hapsira's numba kernels
    (about 5 s for Cowell, 11 s for Kepler).
    """
    if method not in METHODS:
        raise OrbitlinkError(f"method: {method!r} is not one of {', '.join(METHODS)}")
    drag_model = _drag_model(drag)
    if method == "kepler" and drag_model is not None:
        raise OrbitSpecError("drag: the kepler method is two-body only; use method='cowell' with drag")
    h = _import_hapsira()
    check_size(len(orbits), grid.size)
    orbits = orbits.at_epoch(grid.start)
    t_s = (grid.start - orbits.epoch).sec + grid.t_s

    S, T = len(orbits), grid.size
    mu_km = MU_EARTH_M3_S2 / 1e9
    r = np.empty((3, S, T))
    v = np.empty((3, S, T))
    valid = np.ones((S, T), dtype=bool)
    messages = []

    f = None
    decay = None
    if method == "cowell":
        f = _rhs(h, mu_km, j2=j2, drag=drag_model)
        if drag_model is not None:
            r_stop_km = (R_EARTH_M + DECAY_ALTITUDE_M) / 1e3

            def decay(t, u):
                return math.sqrt(u[0] ** 2 + u[1] ** 2 + u[2] ** 2) - r_stop_km
            decay.terminal = True
            decay.direction = -1.0

    farnocchia_rv = h["farnocchia_rv"]
    for s in range(S):
        r0, v0 = _initial_state(h, mu_km, float(orbits.a_m[s]), float(orbits.e[s]),
                                float(orbits.i_rad[s]), float(orbits.raan_rad[s]),
                                float(orbits.argp_rad[s]), float(orbits.m_rad[s]))
        if method == "kepler":
            for k, tof in enumerate(t_s):
                rk, vk = farnocchia_rv(mu_km, r0, v0, float(tof))
                r[:, s, k] = rk
                v[:, s, k] = vk
        else:
            y, message = _integrate(h, f, np.concatenate([r0, v0]), t_s, decay)
            r[:, s] = y[:3]
            v[:, s] = y[3:]
            if message:
                valid[s] = np.isfinite(y[0])
                messages.append(f"{orbits.names[s]}: {message}")
    r *= 1e3
    v *= 1e3
    return track_from_gcrs(grid, orbits.names, r, v, valid, f"poliastro-{method}", messages)
