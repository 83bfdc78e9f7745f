"""The eclipse analysis' results: seasons, intervals, the per-orbit table, the report, power.

Frozen dataclasses with unit-suffixed arrays (times in seconds from a
``start_time``), each with ``to_dict`` for the CLI's ``--json``:

- :class:`EclipseReport`: per-satellite statistics of a run (what
  :func:`orbitlink.eclipse.eclipses` returns), with :meth:`EclipseReport.power`;
- :class:`Season`: a date range with eclipses;
- :class:`EclipseIntervals`: every eclipse, umbra and penumbra interval;
- :class:`OrbitTable`: one row per revolution;
- :class:`PowerBudget`: the orbit-average power of a sun-tracking array and
  the battery energy for the longest eclipse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import astropy.units as u
import numpy as np
from astropy.time import Time

from .. import units
from ..constants import DAY_S
from ..report import rounded
from ..times import iso_utc, utc_times

__all__ = ["SOLAR_CONSTANT", "EclipseIntervals", "EclipseReport", "OrbitTable", "PowerBudget", "Season",
           "parse_efficiency", "parse_load_w"]

#: Total solar irradiance at 1 AU: 1360.8 +/- 0.5 W/m^2 (Kopp & Lean 2011,
#: "A new, lower value of total solar irradiance", GRL 38, L01706), rounded.
SOLAR_CONSTANT = 1361.0 * u.W / u.m**2

# Labels and times of "seconds from a start": one implementation, in orbitlink.times.
_iso = iso_utc
_times = utc_times


class _Span:
    """Start and end Times of ``t0_s``/``t1_s`` seconds from ``start_time`` (seasons, intervals)."""

    @property
    def start(self) -> Time:
        return _times(self.start_time, self.t0_s)

    @property
    def end(self) -> Time:
        return _times(self.start_time, self.t1_s)


@dataclass(frozen=True, eq=False)
class Season(_Span):
    """A date range in which a satellite sees at least one eclipse: from the start
    of its first eclipse to the end of its last one."""

    start_time: Time         # reference of t0_s/t1_s
    t0_s: float
    t1_s: float
    cut_start: bool = False  # the window began inside the season (an eclipse within one gap of it)
    cut_end: bool = False    # the window ended inside the season

    def __repr__(self) -> str:
        from ..notebook import span_text

        cut = "".join(f", cut at the {w}" for w, c in (("start", self.cut_start), ("end", self.cut_end)) if c)
        return f"Season({span_text(self.start, self.end)}, {self.days:.3f} d{cut})"

    @property
    def days(self) -> float:
        return (self.t1_s - self.t0_s) / DAY_S

    def to_dict(self, iso=None) -> dict:
        a, b = iso if iso is not None else _iso(self.start_time, [self.t0_s, self.t1_s])
        return {"start": a, "end": b, "days": round(self.days, 3), "cut_start": bool(self.cut_start),
                "cut_end": bool(self.cut_end)}


def _seasons_dicts(seasons) -> list[dict]:
    """``to_dict`` of many seasons with one time conversion."""
    if not seasons:
        return []
    iso = _iso(seasons[0].start_time, [x for s in seasons for x in (s.t0_s, s.t1_s)])
    return [s.to_dict((iso[2 * k], iso[2 * k + 1])) for k, s in enumerate(seasons)]


@dataclass(frozen=True, eq=False)
class EclipseIntervals(_Span):
    """Eclipse intervals of every satellite: kind ``eclipse`` (the whole passage
    through the shadow, penumbra entry to exit), ``umbra``, and ``penumbra``
    (the partial pieces).  The cylindrical model has no penumbra; its eclipses
    are all umbra.  ``cut_start``/``cut_end`` flag intervals cut by the window
    or by invalid samples (their true length is unknown)."""

    names: tuple[str, ...]
    start_time: Time            # the reference time of t0_s/t1_s
    satellite: np.ndarray       # (N,) index into names
    kind: np.ndarray            # (N,) str
    t0_s: np.ndarray            # (N,) seconds from start_time
    t1_s: np.ndarray
    cut_start: np.ndarray
    cut_end: np.ndarray

    def __len__(self) -> int:
        return int(self.satellite.size)

    def __repr__(self) -> str:
        kinds = ", ".join(f"{int(np.count_nonzero(self.kind == k))} {k}" for k in ("eclipse", "umbra", "penumbra"))
        from ..notebook import count_text

        return (f"EclipseIntervals({count_text(len(self), 'interval')} of "
                f"{count_text(len(self.names), 'satellite')}: {kinds})")

    @property
    def duration(self) -> u.Quantity:
        return (self.t1_s - self.t0_s) * u.s

    def to_pandas(self):
        """One row per interval: satellite, kind, start/end (UTC timestamps), duration_s,
        cut_start, cut_end; needs ``orbitlink[pandas]``."""
        from ..notebook import require_pandas

        pd = require_pandas("EclipseIntervals.to_pandas()")
        names = np.asarray(self.names, dtype=object)
        return pd.DataFrame({
            "satellite": names[self.satellite] if len(self) else names[:0],
            "kind": np.asarray(self.kind, dtype=object),
            "start": pd.to_datetime(_iso(self.start_time, self.t0_s), utc=True, format="ISO8601"),
            "end": pd.to_datetime(_iso(self.start_time, self.t1_s), utc=True, format="ISO8601"),
            "duration_s": self.t1_s - self.t0_s,
            "cut_start": np.asarray(self.cut_start, bool), "cut_end": np.asarray(self.cut_end, bool)})

    def select(self, *, kind: str | None = None, satellite: int | None = None) -> "EclipseIntervals":
        m = np.ones(len(self), bool)
        if kind is not None:
            m &= self.kind == kind
        if satellite is not None:
            m &= self.satellite == satellite
        return EclipseIntervals(self.names, self.start_time, self.satellite[m], self.kind[m],
                                self.t0_s[m], self.t1_s[m], self.cut_start[m], self.cut_end[m])

    def to_dict(self) -> list[dict]:
        s0, s1 = _iso(self.start_time, self.t0_s), _iso(self.start_time, self.t1_s)
        return [{"satellite": self.names[int(k)], "kind": str(kd), "start": a, "end": b,
                 "duration_s": round(float(e - s), 3), "cut_start": bool(c0), "cut_end": bool(c1)}
                for k, kd, a, b, s, e, c0, c1 in zip(self.satellite, self.kind, s0, s1, self.t0_s,
                                                     self.t1_s, self.cut_start, self.cut_end)]


@dataclass(frozen=True, eq=False)
class OrbitTable:
    """One row per complete revolution (ascending node to ascending node).

    Eclipses belong to the revolution in which they begin.  ``dark_s`` is the
    time-integral of the hidden solar fraction (umbra plus penumbra weighted by
    the hidden fraction).  Fractions of the period: ``sunlit_fraction = 1 -
    eclipse_s / period_s`` (time in full Sun), ``eclipse_fraction = eclipse_s /
    period_s`` (time in any shadow: the two sum to 1) and
    ``illumination_fraction = 1 - dark_s / period_s`` (the mean visible solar
    fraction, what an array collects).
    """

    names: tuple[str, ...]
    start_time: Time
    satellite: np.ndarray
    orbit: np.ndarray           # 1-based revolution number within the window
    t0_s: np.ndarray            # ascending node
    period_s: np.ndarray
    eclipse_s: np.ndarray
    umbra_s: np.ndarray
    dark_s: np.ndarray
    beta_rad: np.ndarray        # at the ascending node

    def __len__(self) -> int:
        return int(self.satellite.size)

    @property
    def start(self) -> Time:
        return _times(self.start_time, self.t0_s)

    @property
    def eclipse_fraction(self) -> np.ndarray:
        return self.eclipse_s / self.period_s

    @property
    def sunlit_fraction(self) -> np.ndarray:
        """Time in full Sun over the period: ``1 - eclipse_fraction``."""
        return 1.0 - self.eclipse_s / self.period_s

    @property
    def illumination_fraction(self) -> np.ndarray:
        """Mean visible solar fraction over the period (the penumbra by its visible part)."""
        return 1.0 - self.dark_s / self.period_s

    def rows(self):
        """Dicts with unit-suffixed keys (used by ``to_dict`` and the CSV writer)."""
        starts = _iso(self.start_time, self.t0_s)
        ends = _iso(self.start_time, self.t0_s + self.period_s)
        for k in range(len(self)):
            yield {
                "satellite": self.names[int(self.satellite[k])], "orbit": int(self.orbit[k]),
                "start": starts[k], "end": ends[k], "period_s": round(float(self.period_s[k]), 3),
                "eclipse_s": round(float(self.eclipse_s[k]), 3),
                "umbra_s": round(float(self.umbra_s[k]), 3),
                "penumbra_s": round(float(self.eclipse_s[k] - self.umbra_s[k]), 3),
                "eclipse_fraction": round(float(self.eclipse_s[k] / self.period_s[k]), 6),
                "sunlit_fraction": round(float(1.0 - self.eclipse_s[k] / self.period_s[k]), 6),
                "beta_deg": round(float(np.degrees(self.beta_rad[k])), 4),
                "illumination_fraction": round(float(1.0 - self.dark_s[k] / self.period_s[k]), 6),
            }

    def to_dict(self) -> list[dict]:
        return list(self.rows())

    def __repr__(self) -> str:
        from ..notebook import count_text

        return f"OrbitTable({count_text(len(self), 'revolution')} of {count_text(len(self.names), 'satellite')})"

    def to_pandas(self):
        """The rows of :meth:`rows` as a DataFrame; needs ``orbitlink[pandas]``."""
        from ..notebook import require_pandas

        return require_pandas("OrbitTable.to_pandas()").DataFrame(list(self.rows()))


@dataclass(frozen=True, eq=False)
class PowerBudget:
    """Orbit-average power of a sun-tracking array and the battery for the longest eclipse.

    The array always faces the Sun; its output is ``solar constant x (1 AU / d)^2
    x area x efficiency x visible solar fraction`` (penumbra by the visible
    fraction).  ``mean_power`` averages that over the span, ``worst_orbit_power``
    over the darkest revolution.  ``battery_energy`` is ``load x`` the longest
    eclipse (penumbra counted as dark: conservative by about half the penumbra,
    ~4 s in LEO); divide by the allowed depth of discharge for a capacity.
    """

    names: tuple[str, ...]
    array_area: u.Quantity
    efficiency: float
    solar_constant: u.Quantity
    load: u.Quantity | None
    peak_power: u.Quantity           # full Sun at 1 AU
    mean_power: u.Quantity           # (S,)
    worst_orbit_power: u.Quantity    # (S,)
    battery_energy: u.Quantity | None  # (S,) Wh

    def __repr__(self) -> str:
        from ..notebook import count_text

        w = lambda q: float(np.min(q.to_value(u.W)))  # noqa: E731
        load = "" if self.load is None else (f", load {w(self.load):g} W, battery up to "
                                            f"{float(np.max(self.battery_energy.to_value(u.W * u.h))):.1f} Wh")
        return (f"PowerBudget({count_text(len(self.names), 'satellite')}, {self.array_area.to_value(u.m**2):g} m2 at "
                f"{100 * self.efficiency:g} %: mean power {w(self.mean_power):.1f} W, worst orbit "
                f"{w(self.worst_orbit_power):.1f} W (lowest over satellites){load})")

    @property
    def margin(self) -> u.Quantity | None:
        """Mean power minus load (W): negative means the array cannot sustain the load."""
        return None if self.load is None else (self.mean_power - self.load).to(u.W)

    def to_dict(self, index: int | None = None) -> dict:
        pick = (lambda q: q) if index is None else (lambda q: q[index])  # noqa: E731
        agg = (lambda x, f: f(x)) if index is None else (lambda x, f: x)  # noqa: E731
        d = {
            "array_area_m2": rounded(self.array_area.to_value(u.m**2)),
            "efficiency": rounded(self.efficiency),
            "solar_constant_w_m2": rounded(self.solar_constant.to_value(u.W / u.m**2)),
            "peak_power_w": rounded(self.peak_power.to_value(u.W), 3),
            "mean_power_w": rounded(agg(pick(self.mean_power.to_value(u.W)), np.min), 3),
            "worst_orbit_power_w": rounded(agg(pick(self.worst_orbit_power.to_value(u.W)), np.min), 3),
        }
        if self.load is not None:
            d["load_w"] = rounded(self.load.to_value(u.W), 3)
            d["battery_energy_wh"] = rounded(agg(pick(self.battery_energy.to_value(u.W * u.h)), np.max), 3)
            d["margin_w"] = rounded(agg(pick(self.margin.to_value(u.W)), np.min), 3)
        return d


@dataclass(frozen=True, eq=False)
class EclipseReport:
    """Eclipse statistics of S satellites over a span (arrays of shape (S,)).

    Fractions are of the valid time (all of it unless SGP4 failed) and
    partition it: ``sunlit_fraction`` (full Sun) + ``penumbra_fraction`` +
    ``umbra_fraction`` = 1, and ``eclipse_fraction`` = ``penumbra_fraction`` +
    ``umbra_fraction`` (time in any shadow).  ``illumination_fraction`` is the
    time-average of the visible solar fraction (the penumbra counted by its
    visible part): the power-weighted mean an array sees, between
    ``sunlit_fraction`` and ``1 - umbra_fraction``.  (Before issue 18,
    ``sunlit_fraction`` held this power-weighted mean.)  Eclipse durations are those of
    complete passages through the shadow (penumbra entry to exit); passages cut
    by the window are left out of the mean and maximum but counted in the
    fractions.  ``orbits`` counts complete revolutions (node to node).
    """

    names: tuple[str, ...]
    model: str
    propagator: str
    start: Time
    end: Time
    step: u.Quantity
    sunlit_fraction: np.ndarray          # time in full Sun: 1 - eclipse_fraction
    eclipse_fraction: np.ndarray
    umbra_fraction: np.ndarray
    penumbra_fraction: np.ndarray
    illumination_fraction: np.ndarray    # time-average of the visible solar fraction
    eclipses: np.ndarray                 # complete eclipses (int)
    mean_eclipse: u.Quantity
    max_eclipse: u.Quantity
    max_umbra: u.Quantity
    period: u.Quantity
    orbits: np.ndarray
    beta_min: u.Quantity
    beta_max: u.Quantity
    seasons: tuple[tuple[Season, ...], ...]
    worst_orbit_sunlit_fraction: np.ndarray   # illumination of the darkest orbit (power-weighted)
    flux_weighted_sunlit: np.ndarray     # time-average of nu (1 AU/d)^2
    worst_orbit_flux: np.ndarray         # (1 AU/d)^2 when the darkest orbit happened
    day_start: Time                      # (D,) start of each day bin
    daily_beta_min: u.Quantity           # (S, D)
    daily_beta_max: u.Quantity
    daily_eclipse: u.Quantity            # (S, D) total eclipse time beginning that day
    daily_max_eclipse: u.Quantity        # (S, D)
    intervals: EclipseIntervals | None = None
    orbit_table: OrbitTable | None = None
    messages: tuple[str, ...] = field(default=())

    @property
    def n_satellites(self) -> int:
        return len(self.names)

    def __repr__(self) -> str:
        from ..notebook import count_text, names_preview, span_text

        mean = " (means)" if self.n_satellites > 1 else ""
        with np.errstate(invalid="ignore"):
            f = lambda x: f"{100 * float(np.nanmean(x)):.3f} %"  # noqa: E731
            longest = float(np.nanmax(self.max_eclipse.to_value(u.s), initial=0.0)) / 60
        return (f"EclipseReport({count_text(self.n_satellites, 'satellite')}, {self.model} shadow, "
                f"{span_text(self.start, self.end)}: sunlit {f(self.sunlit_fraction)} + penumbra "
                f"{f(self.penumbra_fraction)} + umbra {f(self.umbra_fraction)}{mean}, illumination "
                f"{f(self.illumination_fraction)}, longest eclipse {longest:.2f} min; "
                f"{names_preview(self.names)})")

    def to_pandas(self):
        """One row per satellite: the fractions, eclipse counts and durations, period and beta
        range of :meth:`satellite_dict` (seasons left out); needs ``orbitlink[pandas]``."""
        from ..notebook import require_pandas

        pd = require_pandas("EclipseReport.to_pandas()")
        return pd.DataFrame({
            "satellite": list(self.names),
            "sunlit_fraction": self.sunlit_fraction, "eclipse_fraction": self.eclipse_fraction,
            "umbra_fraction": self.umbra_fraction, "penumbra_fraction": self.penumbra_fraction,
            "illumination_fraction": self.illumination_fraction,
            "eclipses": self.eclipses, "orbits": self.orbits, "period_s": self.period.to_value(u.s),
            "mean_eclipse_s": self.mean_eclipse.to_value(u.s), "max_eclipse_s": self.max_eclipse.to_value(u.s),
            "max_umbra_s": self.max_umbra.to_value(u.s),
            "beta_min_deg": self.beta_min.to_value(u.deg), "beta_max_deg": self.beta_max.to_value(u.deg)})

    @property
    def worst_orbit_illumination_fraction(self) -> np.ndarray:
        """Mean visible solar fraction of the darkest revolution (``worst_orbit_sunlit_fraction``,
        the field's older name)."""
        return self.worst_orbit_sunlit_fraction

    @property
    def max_eclipse_fraction(self) -> np.ndarray:
        """Longest eclipse over the orbital period (per satellite)."""
        return (self.max_eclipse / self.period).to_value(u.one)

    def power(self, array_area, efficiency, load=None, *, solar_constant=SOLAR_CONSTANT) -> PowerBudget:
        """The :class:`PowerBudget` of a sun-tracking array of ``array_area`` ("10 m2")
        and end-to-end ``efficiency`` (0..1, or "30%"), with an optional ``load`` ("2kW")."""
        area_m2 = _area_m2(array_area)
        eff = parse_efficiency(efficiency)
        s0 = _irradiance_w_m2(solar_constant)
        full_w = s0 * area_m2 * eff
        mean_w = full_w * self.flux_weighted_sunlit
        worst_w = full_w * self.worst_orbit_flux * self.worst_orbit_sunlit_fraction
        load_q = battery = None
        if load is not None:
            load_w = parse_load_w(load)
            load_q = load_w * u.W
            battery = (load_w * self.max_eclipse.to_value(u.s) / 3600.0) * (u.W * u.h)
        return PowerBudget(self.names, area_m2 * u.m**2, eff, s0 * u.W / u.m**2, load_q,
                           full_w * u.W, mean_w * u.W, worst_w * u.W, battery)

    def battery_energy(self, load) -> u.Quantity:
        """Energy (Wh, per satellite) to carry ``load`` ("2kW") through the longest eclipse
        (penumbra counted as dark)."""
        load_w = parse_load_w(load)
        return (load_w * self.max_eclipse.to_value(u.s) / 3600.0) * (u.W * u.h)

    def satellite_dict(self, k: int) -> dict:
        """The summary of satellite ``k`` with unit-suffixed keys."""
        return {
            "satellite": self.names[k],
            "sunlit_fraction": rounded(self.sunlit_fraction[k]),
            "eclipse_fraction": rounded(self.eclipse_fraction[k]),
            "umbra_fraction": rounded(self.umbra_fraction[k]),
            "penumbra_fraction": rounded(self.penumbra_fraction[k]),
            "illumination_fraction": rounded(self.illumination_fraction[k]),
            "eclipses": int(self.eclipses[k]),
            "orbits": int(self.orbits[k]),
            "period_s": rounded(self.period.to_value(u.s)[k], 3),
            "mean_eclipse_s": rounded(self.mean_eclipse.to_value(u.s)[k], 3),
            "max_eclipse_s": rounded(self.max_eclipse.to_value(u.s)[k], 3),
            "max_umbra_s": rounded(self.max_umbra.to_value(u.s)[k], 3),
            "max_eclipse_fraction": rounded(self.max_eclipse_fraction[k]),
            "worst_orbit_illumination_fraction": rounded(self.worst_orbit_sunlit_fraction[k]),
            "beta_deg": {"min": rounded(self.beta_min.to_value(u.deg)[k], 4),
                         "max": rounded(self.beta_max.to_value(u.deg)[k], 4)},
            "seasons": _seasons_dicts(self.seasons[k]),
        }

    def constellation_seasons(self) -> tuple[Season, ...]:
        """Date ranges in which at least one satellite sees an eclipse (union of seasons)."""
        spans = sorted(((s.t0_s, s.t1_s, s) for sats in self.seasons for s in sats), key=lambda x: x[0])
        merged: list[list] = []
        for a, b, s in spans:
            if merged and a <= merged[-1][1]:
                if b > merged[-1][1]:
                    merged[-1][1], merged[-1][3] = b, s
                continue
            merged.append([a, b, s, s])
        return tuple(Season(m[2].start_time, m[0], m[1], m[2].cut_start, m[3].cut_end) for m in merged)

    def to_dict(self, *, per_satellite: bool | None = None) -> dict:
        """Summary with unit-suffixed keys; a constellation adds ``per_satellite`` rows.

        For one satellite the top-level values are its own.  For several, the
        fractions are means over the satellites, durations and beta are
        extremes (``mean_eclipse_s`` the mean over all eclipses), ``eclipses``
        and ``orbits`` are totals, and ``seasons`` the union of their seasons.
        """
        n = self.n_satellites
        span_s = float((self.end - self.start).to_value(u.s))
        base = {
            "satellites": n, "shadow_model": self.model, "propagator": self.propagator,
            "start": self.start.utc.isot + "Z", "end": self.end.utc.isot + "Z",
            "duration_s": round(span_s, 3), "step_s": rounded(self.step.to_value(u.s), 3),
        }
        if n == 1:
            one = self.satellite_dict(0)
            one.pop("satellite")
            base.update(one)
            base["satellite"] = self.names[0]
        else:
            ecl = self.eclipses.sum()
            mean_s = self.mean_eclipse.to_value(u.s)
            total_s = np.nansum(mean_s * self.eclipses)
            base.update({
                "sunlit_fraction": rounded(np.mean(self.sunlit_fraction)),
                "eclipse_fraction": rounded(np.mean(self.eclipse_fraction)),
                "umbra_fraction": rounded(np.mean(self.umbra_fraction)),
                "penumbra_fraction": rounded(np.mean(self.penumbra_fraction)),
                "illumination_fraction": rounded(np.mean(self.illumination_fraction)),
                "eclipses": int(ecl), "orbits": int(self.orbits.sum()),
                "mean_eclipse_s": rounded(total_s / ecl, 3) if ecl else None,
                "max_eclipse_s": rounded(np.max(self.max_eclipse.to_value(u.s)), 3),
                "max_umbra_s": rounded(np.max(self.max_umbra.to_value(u.s)), 3),
                "max_eclipse_fraction": rounded(np.max(self.max_eclipse_fraction)),
                "worst_orbit_illumination_fraction": rounded(np.min(self.worst_orbit_sunlit_fraction)),
                "beta_deg": {"min": rounded(np.nanmin(self.beta_min.to_value(u.deg)), 4),
                             "max": rounded(np.nanmax(self.beta_max.to_value(u.deg)), 4)},
                "seasons": _seasons_dicts(self.constellation_seasons()),
            })
            if per_satellite is None or per_satellite:
                base["per_satellite"] = [self.satellite_dict(k) for k in range(n)]
        if self.messages:
            base["messages"] = list(self.messages)
        return base


# =============================================================================
# Inputs of the power model (read by orbitlink.units, as everywhere)
# =============================================================================

def parse_efficiency(value) -> float:
    """An efficiency 0 < eta <= 1 from ``0.3``, ``"0.3"``, ``"30%"`` or ``30 * u.percent``."""
    return units.fraction(value, "efficiency", lo=0.0, lo_inclusive=False, example="0.3 or 30%")


def parse_load_w(value) -> float:
    """A continuous load in W, more than 0: ``"2kW"``, ``"500 W"`` or a Quantity."""
    return units.to_unit(value, u.W, "load", "a power such as 2kW or 500 W")


def _area_m2(value) -> float:
    return units.to_unit(value, u.m**2, "array area", "an area such as 10 m2")


def _irradiance_w_m2(value) -> float:
    return units.to_unit(value, u.W / u.m**2, "solar constant", "an irradiance such as 1361 W/m2")
