"""What the latency analysis returns: :class:`LatencyResult` and its parts, and the run's notes.

Made by :func:`orbitlink.link.latency.round_trip` (and by
:func:`orbitlink.link.latency.join_slices` for a run assembled from time
slices); kept apart so the latency module holds the routing and this one the
results and their ``--json`` form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..report import rounded as _r

# What a run found out about the network.  Each says "never" over the run, so a run
# assembled from time slices keeps a note only if every slice found it (merge_notes).
NOTE_NO_ACCESS = "no ground station ever sees a satellite above the elevation threshold"
NOTE_RELAY_OUT_OF_RANGE = ("the relay constellation never comes within {km:g} km (isl_max_range) "
                           "of the constellation: no path to the compute set")
NOTE_RELAY_NO_COMPUTE = "the relay never links to a compute satellite (and --isl grid is off)"
NOTE_NO_GEO_SIGHT = "no GEO relay ever has a clear line of sight to a compute satellite"
NOTE_NO_PATH = "no path exists at any step"


def merge_notes(per_slice: list) -> list[str]:
    """The notes of a whole run from those of its consecutive time slices.

    A note holds for the run when it holds in every slice.  A relay that never
    comes within range in a slice never links to a compute satellite there
    either, so such a slice also counts for that note.  The no-path note is
    left to :func:`summarise`, which decides it from the whole series.
    """
    def facts(notes):
        out = [n for n in notes if n != NOTE_NO_PATH]
        if any(n.startswith(NOTE_RELAY_OUT_OF_RANGE[:30]) for n in out):
            out.append(NOTE_RELAY_NO_COMPUTE)
        return out

    sets = [facts(n) for n in per_slice]
    kept = [n for n in dict.fromkeys(sets[0]) if all(n in f for f in sets[1:])]
    if any(n.startswith(NOTE_RELAY_OUT_OF_RANGE[:30]) for n in kept):
        kept.remove(NOTE_RELAY_NO_COMPUTE)   # implied, and not said by a single run
    return kept


@dataclass(frozen=True)
class RttStats:
    """Round-trip time statistics (ms) over the steps that have a path; None when there are none."""

    min_ms: float | None
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    samples: int

    @classmethod
    def of(cls, rtt_s: np.ndarray) -> "RttStats":
        v = np.asarray(rtt_s, float)
        v = v[np.isfinite(v)] * 1e3
        if v.size == 0:
            return cls(None, None, None, None, None, 0)
        p50, p95, p99 = np.percentile(v, [50.0, 95.0, 99.0])
        return cls(float(v.min()), float(p50), float(p95), float(p99), float(v.max()), int(v.size))

    def to_dict(self) -> dict:
        """``{"min", "p50", "p95", "p99", "max"}`` in ms (the key holding it says ``rtt_ms``)."""
        return {"min": _r(self.min_ms), "p50": _r(self.p50_ms), "p95": _r(self.p95_ms),
                "p99": _r(self.p99_ms), "max": _r(self.max_ms)}


@dataclass(frozen=True)
class OutageStats:
    """Runs of consecutive steps without a path, as durations (s) at the step resolution."""

    max_s: float
    mean_s: float
    count: int

    @classmethod
    def of(cls, durations_s: np.ndarray) -> "OutageStats":
        d = np.asarray(durations_s, float)
        if d.size == 0:
            return cls(0.0, 0.0, 0)
        return cls(float(d.max()), float(d.mean()), int(d.size))

    def to_dict(self) -> dict:
        return {"max": _r(self.max_s, 3), "mean": _r(self.mean_s, 3)}


@dataclass(frozen=True)
class Verdict:
    """Is the link good enough to serve inference?  ``reasons[0]`` names the binding constraint."""

    workable: bool
    reasons: tuple[str, ...]
    binding: str  # "availability" or "latency"

    def to_dict(self) -> dict:
        return {"workable": bool(self.workable), "binding": self.binding, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class UserLatency:
    """One user's figures (same definitions as the pooled ones of :class:`LatencyResult`)."""

    name: str
    availability: float
    rtt: RttStats
    outage: OutageStats
    handovers_per_hour: float
    fibre_rtt_ms: float | None = None
    great_circle_km: float | None = None
    # (gateway name, share of this user's steps with a path); "terminal": the user's own.
    gateways_used: tuple[tuple[str, float], ...] = ()

    def __repr__(self) -> str:
        return (f"UserLatency({self.name!r}: availability {100 * self.availability:.3f} %, "
                f"RTT p50 {_ms(self.rtt.p50_ms)} / p99 {_ms(self.rtt.p99_ms)}, {self.outage.count} outages "
                f"(longest {self.outage.max_s:g} s), {self.handovers_per_hour:.2f} handovers/h)")

    def to_dict(self) -> dict:
        out = {"user": self.name, "availability": _r(self.availability, 6),
               "rtt_ms": self.rtt.to_dict(), "outage_s": self.outage.to_dict(),
               "handovers_per_hour": _r(self.handovers_per_hour, 4),
               "gateways_used": gateways_dicts(self.gateways_used)}
        if self.fibre_rtt_ms is not None:
            out["fibre_rtt_ms"] = _r(self.fibre_rtt_ms)
            out["great_circle_km"] = _r(self.great_circle_km, 3)
        return out


def gateways_dicts(used) -> list[dict]:
    """``[{"gateway", "share"}]``, most used first."""
    return [{"gateway": name, "share": _r(share, 6)} for name, share in used]


@dataclass(frozen=True, eq=False)
class LatencySeries:
    """Per-user, per-step detail (U, T): RTT (s, NaN without a path) and who served it.

    ``gateway`` is an index into ``gateway_names`` (-1: the user's own
    terminal); ``access`` the first satellite of the path and ``serving`` the
    compute satellite (-1 with a far-end data center or without a path), both
    indices into ``satellite_names``.
    """

    t_s: np.ndarray
    users: tuple[str, ...]
    rtt_s: np.ndarray
    gateway: np.ndarray
    access: np.ndarray
    serving: np.ndarray
    gateway_names: tuple[str, ...]
    satellite_names: tuple[str, ...]

    def __repr__(self) -> str:
        from ..notebook import count_text, names_preview

        U, T = np.shape(self.rtt_s)
        with_path = float(np.mean(np.isfinite(self.rtt_s))) if self.rtt_s.size else 0.0
        step = f" of {self.t_s[1] - self.t_s[0]:g} s" if T > 1 else ""
        return (f"LatencySeries({count_text(U, 'user')} x {count_text(T, 'step')}{step}, arrays ({U}, {T}), "
                f"{100 * with_path:.3f} % of user-steps with a path; "
                f"{count_text(len(self.gateway_names), 'gateway')}, "
                f"{count_text(len(self.satellite_names), 'satellite')}; users {names_preview(self.users)})")

    def to_pandas(self, start=None):
        """One row per user and step (user-major): ``user``, ``t_s`` (s from the start), ``time``
        (UTC timestamps, when ``start`` is given: an ISO string or anything pandas reads),
        ``rtt_ms`` (NaN without a path), ``path`` (bool), ``gateway`` (its name, ``"terminal"``
        for the user's own, None without a path), ``access_satellite`` and
        ``serving_satellite`` (names; None where there is none).  Needs ``orbitlink[pandas]``."""
        from ..notebook import require_pandas

        pd = require_pandas("LatencySeries.to_pandas()")
        rtt = np.asarray(self.rtt_s, dtype=np.float64)
        U, T = rtt.shape
        path = np.isfinite(rtt).reshape(-1)

        def named(index, names, own=None):
            # names[index], with index -1 -> own (or None), and None wherever there is no path
            table = np.asarray(list(names) + [own], dtype=object)
            idx = np.asarray(index, dtype=np.int64).reshape(-1)
            out = table[np.where(idx < 0, len(names), idx)]
            out[~path] = None
            return out

        columns = {"user": np.repeat(np.asarray(self.users, dtype=object), T),
                   "t_s": np.tile(np.asarray(self.t_s, dtype=np.float64), U)}
        if start is not None:
            columns["time"] = pd.to_datetime(start, utc=True) + pd.to_timedelta(columns["t_s"], unit="s")
        columns.update({"rtt_ms": rtt.reshape(-1) * 1e3, "path": path,
                        "gateway": named(self.gateway, self.gateway_names, "terminal"),
                        "access_satellite": named(self.access, self.satellite_names),
                        "serving_satellite": named(self.serving, self.satellite_names)})
        return pd.DataFrame(columns)


@dataclass(frozen=True, eq=False)
class LatencyResult:
    """Pooled over users: availability is the fraction of user-steps with a path, RTT
    percentiles are over all user-steps with a path, outages over every user's
    outages, handovers per hour the mean over users.  With no users given the
    gateway network is the one user (its best gateway at each step)."""

    availability: float
    rtt: RttStats
    outage: OutageStats
    handovers_per_hour: float
    inference: Verdict
    scenario: dict
    users: tuple[UserLatency, ...]
    series: LatencySeries
    fibre: dict | None = None
    notes: tuple[str, ...] = field(default=())
    gateway_users: bool = False  # no users given: the gateway network was the user
    # Pooled over users: (gateway name, share of the user-steps with a path).
    gateways_used: tuple[tuple[str, float], ...] = ()
    # What the sampling hides (a step too coarse to see the outages that decide availability).
    warnings: tuple[str, ...] = ()

    def __repr__(self) -> str:
        # A few lines for notebooks: the default repr printed every array of the series (5 k+ characters).
        from ..notebook import count_text, names_preview

        sc, s = self.scenario, self.series
        U, T = np.shape(s.rtt_s)
        when = f" from {sc['start'][:19]}Z" if isinstance(sc.get("start"), str) else ""
        sats = f", {count_text(sc['satellites'], 'satellite')}" if isinstance(sc.get("satellites"), int) else ""
        verdict = "workable" if self.inference.workable else f"not workable ({self.inference.binding})"
        who = "the gateway network" if self.gateway_users else f"users {names_preview(s.users)}"
        return (f"LatencyResult({count_text(U, 'user')} x {count_text(T, 'step')}{when}{sats}: "
                f"availability {100 * self.availability:.3f} %, RTT p50 {_ms(self.rtt.p50_ms)} / "
                f"p99 {_ms(self.rtt.p99_ms)}, longest outage {self.outage.max_s:g} s, {verdict}; {who})")

    def to_pandas(self, by: str = "step"):
        """A DataFrame (needs ``orbitlink[pandas]``).  ``by="step"`` (default): one row per user and
        step, as :meth:`LatencySeries.to_pandas` with UTC ``time`` from the run's start;
        ``by="user"``: one row per user - availability, RTT percentiles (ms), outages,
        handovers per hour, fibre RTT and great-circle distance (with a far-end data center),
        the most used gateway and its share."""
        from ..errors import LatencyError
        from ..notebook import require_pandas

        if by not in ("step", "user"):
            raise LatencyError(f"by: {by!r} is not 'step' or 'user'")
        pd = require_pandas("LatencyResult.to_pandas()")
        if by == "step":
            return self.series.to_pandas(start=self.scenario.get("start"))
        nan = float("nan")

        def num(x):
            return nan if x is None else x

        rows = [{"user": x.name, "availability": x.availability,
                 **{f"rtt_{k}_ms": num(getattr(x.rtt, f"{k}_ms")) for k in ("min", "p50", "p95", "p99", "max")},
                 "rtt_samples": x.rtt.samples, "outages": x.outage.count, "outage_max_s": x.outage.max_s,
                 "outage_mean_s": x.outage.mean_s, "handovers_per_hour": x.handovers_per_hour,
                 "fibre_rtt_ms": num(x.fibre_rtt_ms), "great_circle_km": num(x.great_circle_km),
                 "top_gateway": x.gateways_used[0][0] if x.gateways_used else None,
                 "top_gateway_share": x.gateways_used[0][1] if x.gateways_used else 0.0}
                for x in self.users]
        return pd.DataFrame(rows)

    def to_dict(self) -> dict:
        """The ``--json`` object: availability, rtt_ms, outage_s, handovers_per_hour,
        inference, gateways_used, scenario, plus ``users`` when several users were given
        (not when the gateways stand in for users), ``fibre`` with a far-end data
        center and ``warnings`` when the sampling hides something."""
        out = {
            "availability": _r(self.availability, 6),
            "rtt_ms": self.rtt.to_dict(),
            "outage_s": self.outage.to_dict(),
            "handovers_per_hour": _r(self.handovers_per_hour, 4),
            "inference": self.inference.to_dict(),
            "gateways_used": gateways_dicts(self.gateways_used),
            "scenario": dict(self.scenario),
        }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if len(self.users) > 1 and not self.gateway_users:
            out["users"] = [x.to_dict() for x in self.users]
        if self.fibre is not None:
            out["fibre"] = dict(self.fibre)
        return out


def _ms(x) -> str:
    return "-" if x is None else f"{x:.1f} ms"
