"""Latency statistics: availability, RTT percentiles, outages, handovers, gateways used, and
the inference verdict, from the per-step series the routing produced.

One place for a single run (:func:`summarise`) and for runs assembled from
consecutive time slices, in process or on Dask (:func:`join_slices`), so both
give the same figures.
"""

from __future__ import annotations

import math
from dataclasses import replace

import astropy.units as u
import numpy as np

from .. import units
from ..constants import C_M_S
from ..report import percent
from ..report import rounded as _r
from ..stations import GroundStations
from ..times import TimeGrid
from ..units import to_si
from .ground import DEFAULT_ROUTE_FACTOR, FIBRE_INDEX, great_circle
from .latency_result import (
    NOTE_NO_PATH,
    LatencyResult,
    LatencySeries,
    OutageStats,
    RttStats,
    UserLatency,
    Verdict,
    merge_notes,
)

DEFAULT_SLO = 100 * u.ms
DEFAULT_AVAILABILITY_TARGET = 0.999
# Steps longer than this hide outages: LEO passes over a gateway last minutes and the
# gaps between them as little as tens of seconds (docs/latency.md, "Sampling").
MAX_FAITHFUL_STEP_S = 60.0

# Bytes a latency run holds per user-step beyond one slice's routing: the series (RTT float64,
# gateway, access and serving int64: 32 B), their copy when the slices are joined (32 B) and the
# statistics' work arrays.  Measured with tracemalloc: 81.4 B per user-step marginal peak (100
# cities, one 550 km satellite, 7 d and 14 d at 10 s); 96 leaves a margin.
SERIES_BYTES_PER_USER_STEP = 96

__all__ = ["DEFAULT_AVAILABILITY_TARGET", "DEFAULT_SLO", "MAX_FAITHFUL_STEP_S", "SERIES_BYTES_PER_USER_STEP",
           "check_series_size", "join_slices", "read_targets", "sampling_warnings", "summarise"]


def check_series_size(users: int, steps: int) -> int:
    """The bytes the per-step series of ``users`` x ``steps`` need; a :class:`TimeGridError` with
    that estimate and the options that shrink it when over the memory limit (checked from the
    spec, before anything is propagated)."""
    from ..errors import TimeGridError
    from ..times import MAX_TRACK_BYTES

    need = int(users) * int(steps) * SERIES_BYTES_PER_USER_STEP
    if need > MAX_TRACK_BYTES:
        raise TimeGridError(
            f"duration/step: the latency series of {users:,} users x {steps:,} steps need about "
            f"{need / 2**30:,.1f} GiB ({SERIES_BYTES_PER_USER_STEP} bytes per user-step: RTT, gateway, access "
            f"and serving satellite, joined over the whole span for the statistics; limit "
            f"{MAX_TRACK_BYTES / 2**30:.0f} GiB); use a larger --step, a shorter --duration or fewer --users "
            "(--dask does not help: every step's series is joined in one process)")
    return need


def read_targets(slo, route_factor, fibre_index, availability_target):
    """``(slo_s, route factor, fibre index, availability target)`` read and checked."""
    slo_s = to_si(slo, "time", "slo", lo=0 * u.s, lo_inclusive=False)
    route = units.number(route_factor, "route_factor", lo=1.0)
    n_fibre = units.number(fibre_index, "fibre_index", lo=1.0, example="1.468")
    target = units.fraction(availability_target, "availability_target", lo=0.0, lo_inclusive=False,
                            example="0.999 or 99.9%")
    return slo_s, route, n_fibre, target


def join_slices(parts, counted, grid: TimeGrid, gateways: GroundStations | None = None, *,
                users: GroundStations | None = None, to: GroundStations | None = None,
                route_factor: float = DEFAULT_ROUTE_FACTOR, fibre_index: float = FIBRE_INDEX,
                slo=DEFAULT_SLO, availability_target=DEFAULT_AVAILABILITY_TARGET,
                **_routing) -> LatencyResult:
    """One :class:`LatencyResult` from :func:`~orbitlink.link.latency.round_trip` results of consecutive time
    slices of ``grid``.  Part k contributes its first
    ``counted[k]`` steps (slices share their boundary sample).  The statistics are
    computed once over the joined series, so handovers and outages across slice
    boundaries count as in a single run; the keyword arguments are those the
    slices were run with (the routing ones are not needed here)."""
    if gateways is None:
        from ..stations import load_catalog

        gateways = load_catalog("starlink-gateways")
    slo_s, route, n_fibre, target = read_targets(slo, route_factor, fibre_index, availability_target)
    first = parts[0].series
    cat = lambda name: np.concatenate([getattr(p.series, name)[:, :n] for p, n in zip(parts, counted)],  # noqa: E731
                                      axis=1)
    series = LatencySeries(grid.t_s, first.users, cat("rtt_s"), cat("gateway"), cat("access"),
                           cat("serving"), first.gateway_names, first.satellite_names)
    scenario = dict(parts[0].scenario)
    scenario.update(end=TimeGrid(grid.start, grid.t_s[[0, -1]]).iso()[-1], steps=grid.size)
    return summarise(series, grid.step_s, gateways=gateways,
                     user_set=gateways if users is None else users, to=to, route=route,
                     fibre_speed=C_M_S / n_fibre, n_fibre=n_fibre, slo_s=slo_s, target=target,
                     notes=merge_notes([p.notes for p in parts]), scenario=scenario,
                     gateway_users=users is None, warnings=parts[0].warnings)


def summarise(series: LatencySeries, step_s: float, *, gateways: GroundStations,
              user_set: GroundStations, to: GroundStations | None, route: float, fibre_speed: float,
              n_fibre: float, slo_s: float, target: float, notes, scenario: dict,
              gateway_users: bool, warnings=()) -> LatencyResult:
    """The :class:`LatencyResult` of per-step ``series``: availability, RTT percentiles,
    outages, handovers, the fibre comparison and the verdict.  ``notes`` (what the
    routing found out) go with the verdict's reasons.  :func:`round_trip` ends here,
    and so does a run assembled from time slices (:func:`join_slices`)."""
    t_s, rtt_s, user_gw, user_sat, serving = series.t_s, series.rtt_s, series.gateway, series.access, \
        series.serving
    U, T = rtt_s.shape
    G = len(gateways)
    notes = list(notes)
    avail = np.isfinite(rtt_s)
    span_h = (float(t_s[-1] - t_s[0]) / 3600.0) if T > 1 else 0.0
    key = np.where(to is None, serving, user_sat) * (G + 2) + (user_gw + 1)
    changes = avail[:, 1:] & avail[:, :-1] & (key[:, 1:] != key[:, :-1])
    handovers = changes.sum(axis=1) / span_h if span_h > 0 else np.zeros(U)
    run_user, run_len = _outage_runs(avail)
    # k samples without a path count k steps; a run spanning the whole grid counts the grid's span.
    durations = run_len * step_s
    if T > 1:
        durations = np.minimum(durations, float(t_s[-1] - t_s[0]))

    fibre_info = None
    user_fibre_ms = [None] * U
    user_gc_km = [None] * U
    if to is not None:
        gc = great_circle(user_set.lat_rad, user_set.lon_rad, to.lat_rad[0], to.lon_rad[0])
        f_rtt = 2.0 * gc * route / fibre_speed
        user_fibre_ms = (f_rtt * 1e3).tolist()
        user_gc_km = (gc / 1e3).tolist()
        faster = avail & (rtt_s < f_rtt[:, None])
        fibre_info = {
            "rtt_ms": _r(float(np.mean(f_rtt)) * 1e3),
            "great_circle_km": _r(float(np.mean(gc)) / 1e3, 3),
            "route_factor": route,
            "refractive_index": n_fibre,
            "constellation_faster_fraction": _r(faster.sum() / avail.sum(), 6) if avail.any() else 0.0,
        }

    names = list(series.gateway_names) + ["terminal"]
    per_user = tuple(
        UserLatency(series.users[i], float(avail[i].mean()), RttStats.of(rtt_s[i]),
                    OutageStats.of(durations[run_user == i]), float(handovers[i]),
                    user_fibre_ms[i], user_gc_km[i], _gateway_shares(user_gw[i][avail[i]], names))
        for i in range(U))
    availability = float(avail.mean())
    rtt = RttStats.of(rtt_s)
    if not avail.any() and not notes:
        notes.append(NOTE_NO_PATH)
    verdict = _verdict(availability, rtt, slo_s, target, OutageStats.of(durations))
    # What the run found out about the network (e.g. a relay that never reaches the
    # compute set) explains the verdict: it goes with the reasons.
    verdict = replace(verdict, reasons=verdict.reasons + tuple(notes))
    return LatencyResult(availability, rtt, OutageStats.of(durations),
                         float(np.mean(handovers)) if U else 0.0, verdict, scenario, per_user,
                         series, fibre_info, tuple(notes), gateway_users,
                         _gateway_shares(user_gw[avail], names), tuple(warnings))


def _gateway_shares(gateway: np.ndarray, names: list[str]) -> tuple[tuple[str, float], ...]:
    """(name, share) of the gateways in ``gateway`` (indices, -1: own terminal), most used first."""
    if gateway.size == 0:
        return ()
    counts = np.bincount(np.where(gateway < 0, len(names) - 1, gateway), minlength=len(names))
    order = np.argsort(-counts, kind="stable")
    return tuple((names[k], float(counts[k] / gateway.size)) for k in order if counts[k])


def sampling_warnings(step_s: float) -> tuple[str, ...]:
    """What a step longer than :data:`MAX_FAITHFUL_STEP_S` hides, as a warning for the result."""
    if step_s <= MAX_FAITHFUL_STEP_S:
        return ()
    return (f"step {step_s:g} s is longer than {MAX_FAITHFUL_STEP_S:g} s: outages shorter than a step are "
            "not seen and each sample stands for its whole step, so availability and outage durations "
            f"are only as fine as {step_s:g} s; use --step {MAX_FAITHFUL_STEP_S:g}s or less for a verdict",)


def _outage_runs(avail: np.ndarray):
    """(user, length in steps) of every run of consecutive steps without a path."""
    U, T = avail.shape
    pad = np.zeros((U, T + 2), np.int8)
    pad[:, 1:-1] = ~avail
    d = np.diff(pad, axis=1)
    su, st = np.nonzero(d == 1)
    _, et = np.nonzero(d == -1)
    return su, et - st



def _verdict(availability: float, rtt: RttStats, slo_s: float, target: float,
             outage: OutageStats) -> Verdict:
    """Workable when p99 RTT <= SLO and availability >= target; reasons ordered by how far
    each target is missed, the first marked ``binding:``.

    Each target's miss is a factor, so the two compare on one scale: for latency the
    p99 RTT over the SLO; for availability the unavailability over the unavailability
    the target allows ((1 - availability) / (1 - target): 29 % available against a
    99.9 % target is 710x the allowed downtime, which binds before a p99 of 2.9x the
    SLO).  The larger factor binds; when both pass, the one closer to its limit.
    """
    slo_ms = slo_s * 1e3
    av_ok = availability >= target
    # Enough digits that 99.999999 % is not printed as 100 % (report.percent).
    av_text = (f"availability {percent(availability)} % {'meets' if av_ok else 'is below'} the "
               f"{percent(target, trim=True)} % target ({'margin' if av_ok else 'short by'} "
               f"{percent(abs(availability - target))} percentage points"
               + ("" if av_ok or outage.count == 0 else f"; longest outage {outage.max_s:g} s") + ")")
    allowed = 1.0 - target
    av_factor = (1.0 - availability) / allowed if allowed > 0 else (0.0 if av_ok else math.inf)
    if rtt.p99_ms is None:
        lat_ok = False
        lat_text = f"no path at any step, so no RTT to compare with the {slo_ms:g} ms SLO"
        lat_factor = -math.inf     # not a latency problem: nothing ever got through
    else:
        lat_ok = rtt.p99_ms <= slo_ms
        lat_text = (f"p99 RTT {rtt.p99_ms:.3f} ms {'is within' if lat_ok else 'exceeds'} the "
                    f"{slo_ms:g} ms SLO ({'margin' if lat_ok else 'over by'} "
                    f"{abs(slo_ms - rtt.p99_ms):.3f} ms)")
        lat_factor = rtt.p99_ms / slo_ms
    if rtt.p99_ms is None or (not av_ok and (lat_ok or av_factor >= lat_factor)) or \
            (av_ok and lat_ok and av_factor >= lat_factor):
        binding, reasons = "availability", (av_text, lat_text)
    else:
        binding, reasons = "latency", (lat_text, av_text)
    reasons = (f"binding: {reasons[0]}", reasons[1])
    return Verdict(bool(av_ok and lat_ok), reasons, binding)
