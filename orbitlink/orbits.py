"""Orbit and constellation specifications.

An :class:`OrbitSet` holds mean Keplerian elements of S satellites as SI
arrays.  Constructors take astropy Quantities (or strings such as ``"550km"``)
and validate them once; the propagators read the SI arrays.

Elements are referred to GCRS axes (the Earth's mean equator of J2000 to
within 0.02 deg; precession over a mission is far below the J2 drift) and
``epoch`` is the time at which they hold.  When ``epoch`` is None the start of
the propagation grid is used, so "550 km at phase 0" means "at the start".
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import astropy.units as u
import numpy as np
from astropy.time import Time

from .constants import J2, MU_EARTH_M3_S2, R_EARTH_M, TROPICAL_YEAR_S
from .errors import OrbitSpecError, QuantityError
from .times import parse_time
from .units import QuantityLike, parse_quantity, to_si

MIN_ALTITUDE = 100 * u.km
MAX_ALTITUDE = 100_000 * u.km
DEFAULT_INCLINATION = 53 * u.deg


@dataclass(frozen=True, eq=False)
class OrbitSet:
    """Mean Keplerian elements of S satellites (SI arrays of shape (S,)).

    ``ltan_h`` is set for sun-synchronous orbits defined by local time of the
    ascending node: their RAAN depends on the epoch and is resolved by
    :meth:`at_epoch`.  ``raan_rad`` is then ignored.
    """

    names: tuple[str, ...]
    a_m: np.ndarray
    e: np.ndarray
    i_rad: np.ndarray
    raan_rad: np.ndarray
    argp_rad: np.ndarray
    m_rad: np.ndarray
    epoch: Time | None = None
    ltan_h: np.ndarray | None = None
    description: str = ""

    def __len__(self) -> int:
        return len(self.names)

    def __repr__(self) -> str:
        # A few lines for notebooks: not every name and element of a 1,584-satellite shell.
        from .notebook import names_preview

        n = len(self)
        alt = self.altitude_m / 1e3
        inc = np.degrees(self.i_rad)
        rng = lambda x, f: f"{np.min(x):{f}}" if np.ptp(x) < 1e-9 else f"{np.min(x):{f}}-{np.max(x):{f}}"  # noqa: E731
        epoch = "epoch at the run's start" if self.epoch is None else f"epoch {self.epoch.utc.isot[:19]}Z"
        what = f" {self.description!r}," if self.description else ""
        return (f"OrbitSet({n} satellite{'s' if n != 1 else ''},{what} altitude {rng(alt, '.1f')} km, "
                f"inclination {rng(inc, '.2f')} deg, {epoch}; {names_preview(self.names)})" if n else
                f"OrbitSet(0 satellites{',' + what if what else ''})")

    @property
    def altitude_m(self) -> np.ndarray:
        """Semi-major axis minus the equatorial radius (m)."""
        return self.a_m - R_EARTH_M

    def at_epoch(self, epoch) -> "OrbitSet":
        """This set with ``epoch`` fixed (if unset) and SSO RAANs resolved."""
        epoch = self.epoch if self.epoch is not None else parse_time(epoch)
        raan = self.raan_rad
        if self.ltan_h is not None:
            # Only the SSO members of a mixed set get their RAAN from the Sun.
            raan = np.where(np.isnan(self.ltan_h), self.raan_rad, raan_from_ltan(self.ltan_h, epoch))
        return replace(self, epoch=epoch, raan_rad=raan, ltan_h=None)

    def select(self, index) -> "OrbitSet":
        """The satellites at ``index`` (ints, slice or bool mask), in that order."""
        idx = np.atleast_1d(np.arange(len(self))[index])
        pick = lambda a: None if a is None else a[idx]  # noqa: E731
        return OrbitSet(tuple(self.names[i] for i in idx), self.a_m[idx], self.e[idx],
                        self.i_rad[idx], self.raan_rad[idx], self.argp_rad[idx], self.m_rad[idx],
                        self.epoch, pick(self.ltan_h), self.description)

    def __add__(self, other: "OrbitSet") -> "OrbitSet":
        """Concatenate two sets (e.g. shells of one constellation)."""
        if (self.epoch is None) != (other.epoch is None) or (
                self.epoch is not None and abs((self.epoch - other.epoch).sec) > 1e-6):
            raise OrbitSpecError("cannot combine orbit sets with different epochs")
        if (self.ltan_h is None) != (other.ltan_h is None):
            a, b = (s.ltan_h if s.ltan_h is not None else np.full(len(s), np.nan) for s in (self, other))
            ltan = np.concatenate([a, b])
        else:
            ltan = None if self.ltan_h is None else np.concatenate([self.ltan_h, other.ltan_h])
        cat = lambda f: np.concatenate([getattr(self, f), getattr(other, f)])  # noqa: E731
        return OrbitSet(self.names + other.names, cat("a_m"), cat("e"), cat("i_rad"),
                        cat("raan_rad"), cat("argp_rad"), cat("m_rad"), self.epoch, ltan,
                        " + ".join(x for x in (self.description, other.description) if x))


# --- constructors -----------------------------------------------------------

def _altitude_m(altitude: QuantityLike) -> float:
    return to_si(altitude, "length", "altitude", lo=MIN_ALTITUDE, hi=MAX_ALTITUDE)


def _inclination_rad(inclination: QuantityLike) -> float:
    return to_si(inclination, "angle", "inclination", lo=0 * u.deg, hi=180 * u.deg)


def _angle_rad(value: QuantityLike, field: str) -> float:
    # One turn either way: 1e300 deg has no meaningful remainder modulo 360 (issue 19).
    return to_si(value, "angle", field, lo=-360 * u.deg, hi=360 * u.deg)


def _epoch(epoch):
    return None if epoch is None else parse_time(epoch, "epoch")


def circular(altitude: QuantityLike, inclination: QuantityLike = DEFAULT_INCLINATION,
             raan: QuantityLike = 0 * u.deg, phase: QuantityLike = 0 * u.deg, *,
             epoch=None, name: str | None = None) -> OrbitSet:
    """One satellite on a circular orbit.

    ``phase`` is the argument of latitude at ``epoch`` (the angle from the
    ascending node along the orbit).
    """
    a = R_EARTH_M + _altitude_m(altitude)
    i = _inclination_rad(inclination)
    alt_km = (a - R_EARTH_M) / 1e3
    label = name or f"circular {alt_km:g} km {math.degrees(i):g} deg"
    return OrbitSet((label,), np.array([a]), np.zeros(1), np.array([i]),
                    np.array([_angle_rad(raan, "raan")]), np.zeros(1),
                    np.array([_angle_rad(phase, "phase")]), _epoch(epoch), None, label)


def keplerian(a: QuantityLike, ecc: float, inclination: QuantityLike,
              raan: QuantityLike = 0 * u.deg, argp: QuantityLike = 0 * u.deg,
              mean_anomaly: QuantityLike = 0 * u.deg, *, epoch=None,
              name: str | None = None) -> OrbitSet:
    """One satellite from classical elements (semi-major axis ``a``, eccentricity
    ``ecc``, inclination, RAAN, argument of perigee, mean anomaly)."""
    a_m = to_si(a, "length", "semi-major axis", lo=R_EARTH_M * u.m + MIN_ALTITUDE,
                hi=R_EARTH_M * u.m + MAX_ALTITUDE)
    try:
        e = float(ecc)
    except (TypeError, ValueError):
        raise OrbitSpecError(f"eccentricity: cannot read {ecc!r} (a number 0 <= e < 1)") from None
    if not (0.0 <= e < 1.0):
        raise OrbitSpecError(f"eccentricity: {e:g} is out of range (a number 0 <= e < 1)")
    perigee_alt = a_m * (1.0 - e) - R_EARTH_M
    if perigee_alt < MIN_ALTITUDE.to_value(u.m):
        raise OrbitSpecError(
            f"eccentricity: perigee altitude {perigee_alt / 1e3:.0f} km is below "
            f"{MIN_ALTITUDE:g} (inside the Earth or its atmosphere); lower e or raise a")
    i = _inclination_rad(inclination)
    label = name or f"keplerian a={a_m / 1e3:g} km e={e:g} i={math.degrees(i):g} deg"
    return OrbitSet((label,), np.array([a_m]), np.array([e]), np.array([i]),
                    np.array([_angle_rad(raan, "raan")]), np.array([_angle_rad(argp, "argp")]),
                    np.array([_angle_rad(mean_anomaly, "mean anomaly")]), _epoch(epoch), None, label)


def sso_inclination(altitude: QuantityLike, ecc: float = 0.0) -> u.Quantity:
    """Inclination making the J2 nodal drift follow the mean Sun (one turn per tropical year).

    From dRAAN/dt = -3/2 n J2 (R/p)^2 cos i = 2 pi / year (Vallado eq. 9-41).
    """
    a = R_EARTH_M + _altitude_m(altitude)
    if isinstance(ecc, bool) or not isinstance(ecc, (int, float, np.floating, np.integer)) \
            or not 0.0 <= float(ecc) < 1.0:
        raise OrbitSpecError(f"ecc: expected an eccentricity in [0, 1), got {ecc!r}")
    return _sso_inclination_rad(a, float(ecc)) * u.rad


def _sso_inclination_rad(a_m: float, ecc: float = 0.0) -> float:
    n = math.sqrt(MU_EARTH_M3_S2 / a_m**3)
    p = a_m * (1.0 - ecc**2)
    cos_i = -(2.0 * math.pi / TROPICAL_YEAR_S) / (1.5 * n * J2 * (R_EARTH_M / p) ** 2)
    if cos_i < -1.0:
        raise OrbitSpecError(
            f"altitude: no sun-synchronous orbit exists at {(a_m - R_EARTH_M) / 1e3:.0f} km "
            "(J2 is too weak above about 5,970 km)")
    return math.acos(cos_i)


def parse_ltan(ltan) -> float:
    """Local time of ascending node as hours: ``"18:00"``, ``"10:30"``, ``6`` or a Quantity in hours."""
    if isinstance(ltan, u.Quantity):
        h = float(ltan.to_value(u.hourangle if ltan.unit.physical_type == "angle" else u.h))
    elif isinstance(ltan, (int, float)):
        h = float(ltan)
    else:
        text = str(ltan).strip()
        try:
            if ":" in text:
                hh, mm = text.split(":")
                h = int(hh) + int(mm) / 60.0
                if not 0 <= int(mm) < 60:
                    raise ValueError
            else:
                h = float(text)
        except ValueError:
            raise OrbitSpecError(f"ltan: cannot read {ltan!r} (local time HH:MM, e.g. 18:00 or 10:30)") from None
    if not 0.0 <= h < 24.0:
        raise OrbitSpecError(f"ltan: {ltan!r} is out of range (00:00 to 23:59)")
    return h


def sun_synchronous(altitude: QuantityLike, ltan="18:00", *, epoch=None,
                    name: str | None = None) -> OrbitSet:
    """A circular sun-synchronous orbit by altitude and local time of the ascending node.

    The default LTAN 18:00 is the dawn-dusk orbit (terminator-riding, the
    sunniest one).  The RAAN follows from the LTAN at the epoch, in mean solar
    time: RAAN = GMST + 15 deg/h (LTAN - UT).
    """
    a = R_EARTH_M + _altitude_m(altitude)
    i = _sso_inclination_rad(a)
    h = parse_ltan(ltan)
    hh, mm = int(h), round((h - int(h)) * 60)
    label = name or f"sso {(a - R_EARTH_M) / 1e3:g} km LTAN {hh:02d}:{mm:02d}"
    return OrbitSet((label,), np.array([a]), np.zeros(1), np.array([i]), np.zeros(1),
                    np.zeros(1), np.zeros(1), _epoch(epoch), np.array([h]), label)


def raan_from_ltan(ltan_h: np.ndarray, epoch: Time) -> np.ndarray:
    """RAAN (rad) of the ascending node whose local mean solar time is ``ltan_h`` at ``epoch``."""
    from .times import timescale

    t = timescale().from_astropy(epoch)
    ut_h = (t.ut1 - 0.5) % 1.0 * 24.0  # UT1 is mean solar time at Greenwich
    raan_h = t.gmst + (np.asarray(ltan_h) - ut_h)
    return np.where(np.isnan(ltan_h), np.nan, np.radians(raan_h * 15.0) % (2 * np.pi))


def walker(total: int, planes: int, phasing: int, altitude: QuantityLike | None = None,
           inclination: QuantityLike | None = None, *, raan0: QuantityLike | None = None,
           epoch=None, name: str = "walker", orbit: str | None = None,
           raan_spread: QuantityLike | None = None) -> OrbitSet:
    """A Walker constellation T/P/F (Walker 1984, JBIS 37, 559).

    ``planes`` planes spread evenly over ``raan_spread`` of RAAN (default
    360 deg, the Walker delta; 180 deg gives a Walker star, planes ``180/P``
    apart), ``total/planes`` satellites evenly spaced in each, and satellites of
    adjacent planes offset by ``phasing * 360/total`` deg in argument of latitude.

    The shell is ``altitude`` (with ``inclination``, default 53 deg) or ``orbit``,
    a spec as :func:`parse_orbit` reads it: ``"550km"`` or a sun-synchronous
    ``"sso:650km:18:00"``, whose planes get the sun-synchronous inclination of the
    altitude and are placed by local time of the ascending node: the first plane at
    the given LTAN (default 18:00), the next ``raan_spread/P/15`` hours later.
    """
    for label, value in (("total", total), ("planes", planes), ("phasing", phasing)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
            raise OrbitSpecError(f"walker: {label} must be a whole number (T/P/F, e.g. 1584/72/1)")
    if total < 1 or planes < 1 or total % planes:
        raise OrbitSpecError(
            f"walker: {total}/{planes}/{phasing} needs T >= 1 and P dividing T (T/P/F, e.g. 1584/72/1)")
    if not 0 <= phasing < planes:
        raise OrbitSpecError(f"walker: phasing F={phasing} must be 0..P-1 = 0..{planes - 1} (T/P/F, e.g. 1584/72/1)")
    check_satellite_count(total)          # before any (T,) array exists
    spread = 2 * np.pi if raan_spread is None else parse_raan_spread(raan_spread)
    ltan_h = None
    if orbit is not None:
        if altitude is not None:
            raise OrbitSpecError("walker: give the shell as altitude or as orbit, not both")
        altitude, ltan_h = _shell_spec(orbit)
        if ltan_h is not None and inclination is not None:
            raise OrbitSpecError("inclination: a sun-synchronous shell's inclination follows from its "
                                 "altitude; drop --inclination")
        if ltan_h is not None and raan0 is not None:
            raise OrbitSpecError("raan: a sun-synchronous shell's planes are placed by local time "
                                 "(sso:ALT:HH:MM); drop --raan")
    elif altitude is None:
        raise OrbitSpecError("walker: no shell given (an altitude such as 550km or orbit='sso:650km:18:00')")
    a = R_EARTH_M + _altitude_m(altitude)
    if ltan_h is not None:
        i = _sso_inclination_rad(a)
    else:
        i = _inclination_rad(DEFAULT_INCLINATION if inclination is None else inclination)
    per_plane = total // planes
    plane = np.repeat(np.arange(planes), per_plane)
    slot = np.tile(np.arange(per_plane), planes)
    step = spread / planes
    raan = _angle_rad(0 * u.deg if raan0 is None else raan0, "raan") + plane * step
    u_arg = slot * (2 * np.pi / per_plane) + plane * phasing * (2 * np.pi / total)
    names = tuple(f"{name}-{p:02d}-{s:02d}" for p, s in zip(plane, slot))
    kind = "star" if abs(spread - np.pi) < 1e-12 else ("delta" if abs(spread - 2 * np.pi) < 1e-12
                                                          else f"over {math.degrees(spread):g} deg")
    desc = f"{name} {total}/{planes}/{phasing} at {(a - R_EARTH_M) / 1e3:g} km, {math.degrees(i):g} deg"
    ltan = None
    if ltan_h is not None:
        ltan = np.remainder(ltan_h + plane * (step * 12.0 / np.pi), 24.0)
        hh, mm = divmod(round(ltan_h * 60), 60)
        desc = (f"{name} {total}/{planes}/{phasing} sso at {(a - R_EARTH_M) / 1e3:g} km, "
                f"LTAN {hh:02d}:{mm:02d}")
        raan = np.zeros(total)
    if kind != "delta":
        desc += f" ({kind})"
    return OrbitSet(names, np.full(total, a), np.zeros(total), np.full(total, i),
                    np.remainder(raan, 2 * np.pi), np.zeros(total), np.remainder(u_arg, 2 * np.pi),
                    _epoch(epoch), ltan, desc)


def parse_raan_spread(value) -> float:
    """The RAAN span of a Walker pattern (rad), in (0, 360] deg: 360 a delta, 180 a star."""
    rad = to_si(value, "angle", "raan spread")
    if not (0.0 < rad <= 2 * np.pi + 1e-12):
        raise OrbitSpecError(f"raan spread: {value!s} is out of range (more than 0 deg, at most 360 deg; "
                             "360deg a Walker delta, 180deg a Walker star)")
    return min(rad, 2 * np.pi)


def _shell_spec(orbit: str) -> tuple[str, float | None]:
    """(altitude text, LTAN hours or None) of ``"550km"`` or ``"sso:650km[:HH:MM]"``."""
    text = str(orbit).strip()
    if text.lower().startswith("sso:"):
        parts = text[4:].split(":", 1)
        return parts[0], parse_ltan(parts[1] if len(parts) > 1 else "18:00")
    try:
        parse_quantity(text, "length", "orbit")
    except QuantityError:
        raise OrbitSpecError(
            f"orbit: cannot read {text!r} (an altitude like 550km, or sso:650km, or sso:650km:10:30)") from None
    return text, None


def cluster(count: int, spacing: QuantityLike, orbit: str = "550km", *,
            inclination: QuantityLike | None = None, epoch=None, name: str = "cluster") -> OrbitSet:
    """A tight formation: ``count`` satellites ``spacing`` apart around one reference orbit.

    The satellites sit on a grid of ``ceil(sqrt(count))`` columns in the local
    along-track / cross-track plane of the reference orbit (``"550km"`` or
    ``"sso:650km:18:00"``, as Google's Suncatcher cluster of 81 satellites in a
    dawn-dusk orbit).  A column's cross-track offset comes from a RAAN offset
    (same altitude, eccentricity and inclination, so the J2 drift of every member
    is the same and the formation does not disperse under the secular model); it
    swings as cos(argument of latitude), so at the poles the columns close up and
    each satellite keeps a distinct along-track slot ``spacing / columns`` from the
    next: the closest approach is ``spacing / columns`` (measured by
    :func:`orbitlink.feasibility.separations`).  Drag and station keeping are not modelled.
    """
    if not isinstance(count, (int, np.integer)) or isinstance(count, bool) or count < 2:
        raise OrbitSpecError(f"cluster: count {count!r} must be a whole number of at least 2 (N:SPACING, e.g. 81:1km)")
    s_m = to_si(spacing, "length", "cluster spacing", lo=1 * u.m, hi=100 * u.km)
    ref = parse_orbit(orbit, inclination=inclination, epoch=epoch)
    a, i = float(ref.a_m[0]), float(ref.i_rad[0])
    cols = math.ceil(math.sqrt(count))
    k = np.arange(count)
    row, col = k // cols, k % cols
    slot = row * cols + col                           # distinct along-track slots
    along_m = (slot / cols - (count - 1) / cols / 2) * s_m
    cross_m = (col - (min(cols, count) - 1) / 2) * s_m
    sin_i = max(abs(math.sin(i)), 1e-3)
    d_raan = cross_m / (a * sin_i)
    d_u = along_m / a - math.cos(i) * d_raan
    names = tuple(f"{name}-{r:02d}-{c:02d}" for r, c in zip(row, col))
    ltan = None
    raan = np.remainder(ref.raan_rad[0] + d_raan, 2 * np.pi)
    if ref.ltan_h is not None:
        ltan = np.remainder(ref.ltan_h[0] + d_raan * 12.0 / np.pi, 24.0)
        raan = np.zeros(count)
    desc = f"{name} of {count} x {s_m:g} m around {ref.description}"
    return OrbitSet(names, np.full(count, a), np.zeros(count), np.full(count, i), raan,
                    np.zeros(count), np.remainder(ref.m_rad[0] + d_u, 2 * np.pi), ref.epoch, ltan, desc)


def parse_cluster(text: str) -> tuple[int, str]:
    """``"81:1km"`` -> (81, "1km"): the CLI's ``--cluster N:SPACING``."""
    count, sep, spacing = str(text).partition(":")
    try:
        n = int(count)
    except ValueError:
        n = None
    if not sep or n is None:
        raise OrbitSpecError(f"cluster: cannot read {text!r} (N:SPACING, e.g. 81:1km)")
    if n < 2:
        raise OrbitSpecError(f"cluster: count {n} is out of range (at least 2 satellites; N:SPACING, e.g. 81:1km)")
    try:
        parse_quantity(spacing, "length", "cluster spacing")
    except QuantityError:
        raise OrbitSpecError(f"cluster: spacing {spacing!r} is not a length (N:SPACING, e.g. 81:1km)") from None
    return n, spacing


# The most satellites one run may describe: about three times the largest
# constellation filed with the ITU (Rwanda's Cinnamon-937, 337,320 satellites,
# 2021).  Checked on the spec, before any per-satellite array is built: a typo
# such as 100000000/10000/1 would otherwise allocate gigabytes before the
# memory check on the time grid could refuse it.
MAX_SATELLITES = 1_000_000


def check_satellite_count(total: int, field: str = "walker") -> int:
    """``total`` if at most :data:`MAX_SATELLITES`, else an OrbitSpecError naming ``field``."""
    if total > MAX_SATELLITES:
        raise OrbitSpecError(
            f"{field}: {total:,} satellites is more than orbitlink handles in one run "
            f"(at most {MAX_SATELLITES:,}; about {total * 64 / 2**30:,.1f} GiB of elements alone); "
            "split the constellation into shells and run them separately")
    return total


def parse_walker(text: str) -> tuple[int, int, int]:
    """``"1584/72/1"`` -> (1584, 72, 1)."""
    try:
        t, p, f = (int(x) for x in str(text).split("/"))
    except ValueError:
        raise OrbitSpecError(f"walker: cannot read {text!r} (T/P/F, e.g. 1584/72/1)") from None
    check_satellite_count(t)
    return t, p, f


def _toml_whole(shell: dict, key: str, default=None) -> int:
    """A whole-number field of a [[shell]] table: a TOML integer (not 1.9, inf or "12")."""
    value = shell[key] if default is None else shell.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise OrbitSpecError(f"{key} = {value!r} is not a whole number (a TOML integer, e.g. {key} = 22)")
    return value


_WALKER_SHELL_FORM = "T/P/F[:ALTITUDE[:INCLINATION]], e.g. 66/6/1:780km:86.4deg"


def parse_walker_shell(text: str, *, field: str = "walker", name: str = "walker",
                       altitude: QuantityLike = "550km", epoch=None) -> OrbitSet:
    """A Walker shell in one string: ``"T/P/F[:ALTITUDE[:INCLINATION]]"`` -> an OrbitSet.

    ``"66/6/1:780km:86.4deg"`` is Iridium's pattern; the altitude defaults to
    ``altitude`` (550 km) and the inclination to :data:`DEFAULT_INCLINATION`.
    Used for relay constellations (``orbitlink latency --relay-walker``, whose
    satellites are named ``relay-PP-SS`` with ``name="relay"``).
    """
    parts = str(text).split(":")
    if len(parts) > 3:
        raise OrbitSpecError(f"{field}: cannot read {text!r} ({_WALKER_SHELL_FORM})")
    total, planes, phasing = parse_walker(parts[0])
    shell_altitude = parts[1] if len(parts) > 1 else altitude
    inclination = parts[2] if len(parts) > 2 else DEFAULT_INCLINATION
    return walker(total, planes, phasing, shell_altitude, inclination, epoch=epoch, name=name)


def shells_from_toml(path, *, epoch=None) -> OrbitSet:
    """A multi-shell constellation from a TOML file of ``[[shell]]`` tables, or a bundled one by
    name (``"starlink-gen1"``, ``"kuiper"``, ``"oneweb"``; ``orbitlink data list``).

    Each shell has ``altitude`` ("550km"), ``inclination`` ("53deg"),
    ``planes``, ``per_plane`` and optional ``phasing`` (default 1) and ``name``.
    A sun-synchronous shell gives ``ltan = "18:00"`` instead of the inclination;
    ``raan_spread`` (degrees or "180deg", default 360) spreads the planes over
    less than a full turn (180 for a Walker star).
    """
    if not isinstance(path, (str, os.PathLike)):
        raise OrbitSpecError(f"constellation file: expected a path, not {type(path).__name__}")
    from .data import resolve_file, sample_names

    path = Path(resolve_file(path, "constellation"))   # or a bundled one's name: "starlink-gen1"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OrbitSpecError(f"constellation file: {path} does not exist (a TOML file, or a bundled "
                             f"constellation: {', '.join(sample_names('constellation'))})") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise OrbitSpecError(f"constellation file: {path}: {exc} (TOML with [[shell]] tables)") from None
    shells = data.get("shell")
    if not isinstance(shells, list) or not shells:
        raise OrbitSpecError(f"constellation file: {path} has no [[shell]] table")
    result = None
    total = 0
    for k, shell in enumerate(shells, 1):
        where = f"{path} shell {k}"
        if not isinstance(shell, dict):
            raise OrbitSpecError(f"constellation file: {where} is not a table ([[shell]])")
        try:
            planes, per_plane = _toml_whole(shell, "planes"), _toml_whole(shell, "per_plane")
            phasing = _toml_whole(shell, "phasing", 1)
            total += planes * per_plane
            check_satellite_count(total, "planes x per_plane")
            spread = shell.get("raan_spread")
            spread = None if spread is None else (f"{spread}deg" if isinstance(spread, (int, float))
                                                  else str(spread))
            common = dict(epoch=epoch, name=str(shell.get("name", f"shell{k}")), raan_spread=spread)
            if "ltan" in shell:  # a sun-synchronous shell placed by local time
                if "inclination" in shell:
                    raise OrbitSpecError("give ltan or inclination, not both (a sun-synchronous "
                                         "shell's inclination follows from its altitude)")
                s = walker(planes * per_plane, planes, phasing,
                           orbit=f"sso:{shell['altitude']}:{shell['ltan']}", **common)
            else:
                s = walker(planes * per_plane, planes, phasing,
                           str(shell["altitude"]), str(shell["inclination"]), **common)
        except KeyError as exc:
            raise OrbitSpecError(f"constellation file: {where} lacks {exc.args[0]!r} "
                                 "(needs altitude, inclination or ltan, planes, per_plane)") from None
        except (QuantityError, OrbitSpecError) as exc:
            raise type(exc)(f"constellation file: {where}: {exc}") from None
        except (TypeError, ValueError) as exc:
            raise OrbitSpecError(f"constellation file: {where}: {exc}") from None
        result = s if result is None else result + s
    result = replace(result, description=str(data.get("name", path.stem)))
    return result


def parse_orbit(text: str, *, inclination: QuantityLike | None = None,
                raan: QuantityLike | None = None, phase: QuantityLike | None = None,
                epoch=None) -> OrbitSet:
    """The CLI's ``--orbit``: ``550km`` (circular) or ``sso:650km[:HH:MM]``."""
    text = str(text).strip()
    if text.lower().startswith("sso:"):
        parts = text[4:].split(":", 1)
        if inclination is not None:
            raise OrbitSpecError("inclination: a sun-synchronous orbit's inclination follows from its altitude; drop --inclination")
        return sun_synchronous(parts[0], parts[1] if len(parts) > 1 else "18:00", epoch=epoch)
    try:
        parse_quantity(text, "length", "orbit")
    except QuantityError:
        raise OrbitSpecError(
            f"orbit: cannot read {text!r} (an altitude like 550km, or sso:650km, or sso:650km:10:30)") from None
    return circular(text, DEFAULT_INCLINATION if inclination is None else inclination,
                    0 * u.deg if raan is None else raan, 0 * u.deg if phase is None else phase,
                    epoch=epoch)


_KEPLER_FORM = "a=7000km,e=0.01,i=60deg[,raan=0deg][,argp=0deg][,ma=0deg]"


def parse_keplerian(text: str, *, epoch=None) -> OrbitSet:
    """The CLI's ``--kepler``: comma-separated ``key=value`` classical elements."""
    fields = {}
    for part in str(text).split(","):
        key, sep, value = part.partition("=")
        key = key.strip().lower()
        if not sep or key not in ("a", "e", "i", "raan", "argp", "ma"):
            raise OrbitSpecError(f"kepler: cannot read {part.strip()!r} ({_KEPLER_FORM})")
        if key in fields:
            raise OrbitSpecError(f"kepler: {key} is given twice ({fields[key]!r} and {value.strip()!r}); "
                                 f"give each element once ({_KEPLER_FORM})")
        fields[key] = value.strip()
    missing = [k for k in ("a", "e", "i") if k not in fields]
    if missing:
        raise OrbitSpecError(f"kepler: missing {', '.join(missing)} ({_KEPLER_FORM})")
    return keplerian(fields["a"], fields["e"], fields["i"], fields.get("raan", "0deg"),
                     fields.get("argp", "0deg"), fields.get("ma", "0deg"), epoch=epoch)
