"""The contact plan: which antenna of which station serves which satellite when.

:class:`ContactPlan` holds every candidate pass as parallel SI arrays (times
in seconds from ``start``) and the antenna each was given (-1: not
scheduled); the statistics (per satellite, per station, totals) are derived
from those arrays, vectorized.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import astropy.units as u
import numpy as np

from ..constants import DAY_S
from ..report import rounded
from ..times import iso_utc

__all__ = ["ContactPlan"]

GB_BITS = 8e9  # 1 GB = 1e9 bytes, as in the budget's volumes


@dataclass(frozen=True, eq=False)
class ContactPlan:
    """A contact plan over ``window_s`` seconds from ``start``.

    ``antenna[p]`` is the antenna (0, 1, ... per station) serving pass ``p``,
    or -1.  ``volume_bits[p]`` is the pass volume from the link budget (None
    when the plan was made without link parameters).  ``optimum`` and
    ``optimality_gap`` are set when the plan was compared with the MILP.
    """

    objective: str
    method: str
    satellites: tuple[str, ...]
    stations: object            # orbitlink.stations.GroundStations (carries the antenna counts)
    start: object               # astropy Time
    window_s: float
    setup_s: float
    min_contact_s: float
    sat_index: np.ndarray
    station_index: np.ndarray
    aos_s: np.ndarray
    los_s: np.ndarray
    volume_bits: np.ndarray | None
    antenna: np.ndarray
    priorities: dict = field(default_factory=dict)
    optimum: float | None = None
    solve_s: float | None = None

    # -- selections
    @property
    def scheduled(self) -> np.ndarray:
        return self.antenna >= 0

    @property
    def duration_s(self) -> np.ndarray:
        return self.los_s - self.aos_s

    def __repr__(self) -> str:
        from ..notebook import count_text, span_text

        volume = self.volume_total_bits
        return (f"ContactPlan({self.method}, objective {self.objective}: "
                f"{int(self.scheduled.sum())} of {count_text(len(self.antenna), 'pass', 'passes')} scheduled, "
                f"{self.contact_s / 3600:.2f} h of contact"
                + ("" if volume is None else f", {volume / 8e9:.1f} GB") + f"; "
                f"{count_text(len(self.satellites), 'satellite')} x {count_text(len(self.stations), 'station')}, "
                f"{span_text(self.start, self.start + self.window_s * u.s)})")

    def __len__(self) -> int:
        """Number of contacts."""
        return int(np.count_nonzero(self.scheduled))

    # -- totals
    @property
    def contact_s(self) -> float:
        return float(self.duration_s[self.scheduled].sum())

    @property
    def volume_total_bits(self) -> float | None:
        return None if self.volume_bits is None else float(self.volume_bits[self.scheduled].sum())

    @property
    def unscheduled_s(self) -> float:
        """Pass time not served: every pass (also those shorter than ``min_contact``) minus the contacts."""
        return float(self.duration_s[~self.scheduled].sum())

    def satellite_contact_s(self) -> np.ndarray:
        m = self.scheduled
        return np.bincount(self.sat_index[m], weights=self.duration_s[m], minlength=len(self.satellites))

    def satellite_volume_bits(self) -> np.ndarray | None:
        if self.volume_bits is None:
            return None
        m = self.scheduled
        return np.bincount(self.sat_index[m], weights=self.volume_bits[m], minlength=len(self.satellites))

    def satellite_max_gap_s(self) -> np.ndarray:
        """Longest time each satellite spends without a contact (window edges included)."""
        from ..visibility.contacts import merge_intervals

        m = self.scheduled
        return merge_intervals(self.sat_index[m], self.aos_s[m], self.los_s[m], len(self.satellites),
                               self.window_s)[3]

    def station_contact_s(self) -> np.ndarray:
        m = self.scheduled
        return np.bincount(self.station_index[m], weights=self.duration_s[m], minlength=len(self.stations))

    def station_utilization(self) -> np.ndarray:
        """Contact time over antenna time (antennas x window): 0 to 1."""
        return self.station_contact_s() / (self.stations.antennas * self.window_s) if self.window_s else \
            np.zeros(len(self.stations))

    def objective_value(self, objective: str | None = None) -> float:
        """contact: seconds; volume: bits; fairness: the worst satellite's bits (over satellites
        with at least one candidate pass), each weighted by the satellite priorities."""
        from .problem import plan_value

        return plan_value(self, objective or self.objective)

    @property
    def optimality_gap(self) -> float | None:
        """Relative shortfall of this plan against the MILP optimum (0 = optimal)."""
        if self.optimum is None:
            return None
        got = self.objective_value()
        return (self.optimum - got) / self.optimum if self.optimum > 0 else 0.0

    # -- output
    def order(self) -> np.ndarray:
        """Indices of the contacts by start time, then station and antenna."""
        idx = np.flatnonzero(self.scheduled)
        return idx[np.lexsort((self.antenna[idx], self.station_index[idx], self.aos_s[idx]))]

    def contact_columns(self) -> dict:
        """The contacts as columns (lists), in :meth:`order`: the rows of ``--json`` and ``--csv``."""
        idx = self.order()
        vol = [None] * idx.size if self.volume_bits is None else \
            [round(x, 6) for x in (self.volume_bits[idx] / GB_BITS).tolist()]
        return {
            "satellite": [self.satellites[i] for i in self.sat_index[idx].tolist()],
            "station": [self.stations.names[i] for i in self.station_index[idx].tolist()],
            "antenna": self.antenna[idx].tolist(),
            "start": iso_utc(self.start, self.aos_s[idx]) if idx.size else [],
            "end": iso_utc(self.start, self.los_s[idx]) if idx.size else [],
            "duration_s": [round(x, 3) for x in self.duration_s[idx].tolist()],
            "volume_gb": vol,
        }

    def to_dict(self) -> dict:
        cols = self.contact_columns()
        keys = list(cols)
        contacts = [dict(zip(keys, row)) for row in zip(*cols.values())]
        sat_vol = self.satellite_volume_bits()
        gap = self.satellite_max_gap_s()
        sat_c = self.satellite_contact_s()
        per_sat = [{"satellite": n, "contact_s": rounded(sat_c[s], 3),
                    "volume_gb": None if sat_vol is None else rounded(sat_vol[s] / GB_BITS),
                    "max_gap_s": rounded(gap[s], 3)} for s, n in enumerate(self.satellites)]
        util = self.station_utilization()
        per_sta = [{"station": n, "antennas": int(self.stations.antennas[g]), "utilization": rounded(util[g])}
                   for g, n in enumerate(self.stations.names)]
        start, end = iso_utc(self.start, [0.0, self.window_s])
        total_vol = self.volume_total_bits
        scenario = {
            "objective": self.objective, "method": self.method, "start": start, "end": end,
            "duration_s": rounded(self.window_s, 3), "setup_s": rounded(self.setup_s, 3),
            "min_contact_s": rounded(self.min_contact_s, 3), "satellites": len(self.satellites),
            "stations": len(self.stations), "antennas": int(self.stations.antennas.sum()),
            "passes": int(self.antenna.size), "contacts": len(self),
            "contact_s": rounded(self.contact_s, 3),
            "volume_gb": None if total_vol is None else rounded(total_vol / GB_BITS),
            "volume_tb_per_day": None if total_vol is None or not self.window_s
            else rounded(total_vol / GB_BITS / 1e3 * DAY_S / self.window_s),
            "worst_max_gap_s": rounded(gap.max(initial=0.0), 3),
            "priorities": dict(self.priorities),
        }
        if self.optimum is not None:
            scenario["optimum"] = rounded(self.optimum)
            scenario["optimality_gap"] = rounded(self.optimality_gap)
            scenario["optimum_solve_s"] = rounded(self.solve_s, 3)
        return {"contacts": contacts, "per_satellite": per_sat, "per_station": per_sta,
                "unscheduled_s": rounded(self.unscheduled_s, 3), "scenario": scenario}

    def write_csv(self, f) -> None:
        """One row per contact: ``satellite,station,antenna,start,end,duration_s,volume_gb``."""
        cols = self.contact_columns()
        q = lambda s: '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n') else s  # noqa: E731
        f.write(",".join(cols) + "\n")
        for row in zip(*cols.values()):
            sat, sta, ant, a, b, d, v = row
            f.write(f"{q(sat)},{q(sta)},{ant},{a},{b},{d},{'' if v is None else v}\n")

    def to_pandas(self):
        import pandas as pd

        return pd.DataFrame(self.contact_columns())
