"""Distances between the satellites of a small set: a cluster's intra-cluster distances.

:func:`separations` propagates the set over one orbit period and measures
every pair's distance at every step (vectorized over pairs x time): the
closest approach of any pair, each satellite's nearest neighbour (median over
satellites of its time-averaged nearest distance) and the largest pair distance
(the formation's extent).  Sets larger than :data:`MAX_SATELLITES` are not
measured (the pair count grows as S^2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..constants import MU_EARTH_M3_S2
from ..report import rounded as _r

#: Largest set measured (81 satellites: 3,240 pairs; 100: 4,950, an (S, S, T) array of 14 MB).
MAX_SATELLITES = 100
#: Samples over the orbit period.
SAMPLES = 180


@dataclass(frozen=True)
class Separations:
    """Pair distances of a set over one orbit (m)."""

    satellites: int
    span_s: float
    step_s: float
    min_pair_m: float            # closest approach of any pair at any sample
    nearest_neighbour_m: float   # median over satellites of the time-mean nearest-neighbour distance
    max_pair_m: float            # largest pair distance at any sample (the extent)

    def to_dict(self) -> dict:
        return {"satellites": self.satellites, "span_s": _r(self.span_s, 3), "step_s": _r(self.step_s, 3),
                "min_pair_m": _r(self.min_pair_m, 3), "nearest_neighbour_m": _r(self.nearest_neighbour_m, 3),
                "max_pair_m": _r(self.max_pair_m, 3),
                "what": "distances between the satellites over one orbit period (analytic J2 propagation)"}


def separations(source, *, start, propagator: str = "auto", samples: int = SAMPLES) -> Separations:
    """Pair distances of ``source`` (an OrbitSet or element set) over one orbit from ``start``."""
    from .. import propagators

    a_m = np.asarray(getattr(source, "a_m", [7.0e6]), dtype=np.float64)
    period_s = float(2 * np.pi * np.sqrt(np.max(a_m) ** 3 / MU_EARTH_M3_S2))
    step_s = period_s / samples
    track = propagators.propagate(source, start=start, duration=f"{period_s}s", step=f"{step_s}s",
                                  propagator=propagator)
    r = track.r_gcrs_m                                  # (3, S, T)
    n = r.shape[1]
    i, j = np.triu_indices(n, k=1)
    d = np.linalg.norm(r[:, i, :] - r[:, j, :], axis=0)  # (pairs, T)
    full = np.full((n, n, d.shape[1]), np.inf)
    full[i, j] = d
    full[j, i] = d
    nearest = full.min(axis=1).mean(axis=1)             # (S,) time-mean nearest distance
    return Separations(satellites=n, span_s=period_s, step_s=step_s, min_pair_m=float(d.min()),
                       nearest_neighbour_m=float(np.median(nearest)), max_pair_m=float(d.max()))


__all__ = ["MAX_SATELLITES", "Separations", "separations"]
