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
    return to_si(value, "angle", field)


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
    return _sso_inclination_rad(a, ecc) * u.rad


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


def walker(total: int, planes: int, phasing: int, altitude: QuantityLike,
           inclination: QuantityLike = DEFAULT_INCLINATION, *, raan0: QuantityLike = 0 * u.deg,
           epoch=None, name: str = "walker") -> OrbitSet:
    """A Walker delta constellation T/P/F (Walker 1984, JBIS 37, 559).

    ``planes`` planes spread evenly over 360 deg of RAAN, ``total/planes``
    satellites evenly spaced in each, and satellites of adjacent planes offset
    by ``phasing * 360/total`` deg in argument of latitude.
    """
    for label, value in (("total", total), ("planes", planes), ("phasing", phasing)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
            raise OrbitSpecError(f"walker: {label} must be a whole number (T/P/F, e.g. 1584/72/1)")
    if total < 1 or planes < 1 or total % planes:
        raise OrbitSpecError(
            f"walker: {total}/{planes}/{phasing} needs T >= 1 and P dividing T (T/P/F, e.g. 1584/72/1)")
    if not 0 <= phasing < planes:
        raise OrbitSpecError(f"walker: phasing F={phasing} must be 0..P-1 = 0..{planes - 1} (T/P/F, e.g. 1584/72/1)")
    a = R_EARTH_M + _altitude_m(altitude)
    i = _inclination_rad(inclination)
    per_plane = total // planes
    plane = np.repeat(np.arange(planes), per_plane)
    slot = np.tile(np.arange(per_plane), planes)
    raan = _angle_rad(raan0, "raan") + plane * (2 * np.pi / planes)
    u_arg = slot * (2 * np.pi / per_plane) + plane * phasing * (2 * np.pi / total)
    names = tuple(f"{name}-{p:02d}-{s:02d}" for p, s in zip(plane, slot))
    desc = f"{name} {total}/{planes}/{phasing} at {(a - R_EARTH_M) / 1e3:g} km, {math.degrees(i):g} deg"
    return OrbitSet(names, np.full(total, a), np.zeros(total), np.full(total, i),
                    np.remainder(raan, 2 * np.pi), np.zeros(total), np.remainder(u_arg, 2 * np.pi),
                    _epoch(epoch), None, desc)


def parse_walker(text: str) -> tuple[int, int, int]:
    """``"1584/72/1"`` -> (1584, 72, 1)."""
    try:
        t, p, f = (int(x) for x in str(text).split("/"))
    except ValueError:
        raise OrbitSpecError(f"walker: cannot read {text!r} (T/P/F, e.g. 1584/72/1)") from None
    return t, p, f


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
    """A multi-shell constellation from a TOML file of ``[[shell]]`` tables.

    Each shell has ``altitude`` ("550km"), ``inclination`` ("53deg"),
    ``planes``, ``per_plane`` and optional ``phasing`` (default 1) and ``name``.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OrbitSpecError(f"constellation file: {path} does not exist") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise OrbitSpecError(f"constellation file: {path}: {exc} (TOML with [[shell]] tables)") from None
    shells = data.get("shell")
    if not isinstance(shells, list) or not shells:
        raise OrbitSpecError(f"constellation file: {path} has no [[shell]] table")
    result = None
    for k, shell in enumerate(shells, 1):
        where = f"{path} shell {k}"
        try:
            planes, per_plane = int(shell["planes"]), int(shell["per_plane"])
            s = walker(planes * per_plane, planes, int(shell.get("phasing", 1)),
                       str(shell["altitude"]), str(shell["inclination"]), epoch=epoch,
                       name=str(shell.get("name", f"shell{k}")))
        except KeyError as exc:
            raise OrbitSpecError(f"constellation file: {where} lacks {exc.args[0]!r} "
                                 "(needs altitude, inclination, planes, per_plane)") from None
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
        fields[key] = value.strip()
    missing = [k for k in ("a", "e", "i") if k not in fields]
    if missing:
        raise OrbitSpecError(f"kepler: missing {', '.join(missing)} ({_KEPLER_FORM})")
    return keplerian(fields["a"], fields["e"], fields["i"], fields.get("raan", "0deg"),
                     fields.get("argp", "0deg"), fields.get("ma", "0deg"), epoch=epoch)
