"""Data volume over real geometry: adaptive coding along every pass, per pass, station and day.

Passes come from the visibility engine, :func:`orbitlink.visibility.find_passes`
(AOS and LOS refined on the stations' elevation thresholds and azimuth
masks).  Along each pass the link budget of
:class:`~orbitlink.link.budget.LinkParameters` is evaluated at the AOS, at every
track time step inside the pass and at the LOS - at each node's slant range and
elevation - and adaptive coding and modulation (ACM) picks the most efficient
DVB-S2/S2X MODCOD that closes with the margin.  The pass volume is the
trapezoid integral of the rate over ``[AOS, LOS]``.  Because the rate is a
step function of time (one MODCOD to the next), the trapezoid rule errs by at
most ``step x (peak rate)`` per pass (half a step times the rate's total
variation, which is at most twice the peak); ``tests/test_budget.py`` checks
this against a 1 s reference.

Every per-node computation (positions, range, elevation, attenuation lookup,
C/N0, MODCOD) is one vectorized pass over all nodes of all passes: no Python
loop over passes, satellites or stations.

Atmosphere (optional, needs ``itur``): for each station the ITU-R P.618
attenuation at the chosen availability is computed once on an elevation grid
(5 to 90 deg every 0.5 deg, one vectorized ``itur`` call for all stations) and
interpolated linearly at each node.  Every node then carries the attenuation
exceeded ``100 % - availability`` of the time: the volume is what the network
delivers in weather that bad, a conservative daily figure.  ITU-R models start
at 5 deg elevation, so with the atmosphere the threshold is at least 5 deg.

Three totals, with their assumptions:

- **per pass**: what that satellite could send to that station over the pass;
- **per station** (``capacity``): the sum of its passes - a gateway with
  enough antennas to track every satellite in view (Starlink/OneWeb gateways
  run many dishes);
- **network** (``assigned``): what the ground segment can actually take: a
  contact plan (:mod:`orbitlink.core.contact_plan`, the greedy planner of
  :func:`orbitlink.schedule.schedule` with the ``volume`` objective) gives
  each station's antennas (``stations.antennas`` or ``antennas=``) whole
  passes, ``setup`` apart on one antenna (default 60 s), and each satellite
  one downlink terminal.  The per-station ``assigned`` volumes split the
  network total, which is the figure to compare with a daily data
  requirement.  It can never exceed antennas x window x peak rate per station.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np

from ..constants import DAY_S
from .. import units
from ..core.contact_plan import layered_plan
from ..errors import VolumeError
from ..report import rounded
from .budget import LinkParameters

__all__ = ["VolumeError", "VolumeResult", "data_volume", "ATMOSPHERE_GRID_STEP_DEG"]

ATMOSPHERE_GRID_STEP_DEG = 0.5
ATMOSPHERE_MIN_ELEVATION_DEG = 5.0
BITS_PER_BYTE = 8.0



@dataclass(frozen=True, eq=False)
class VolumeResult:
    """Volumes per pass (P,), station (G,) and satellite (S,) in bits; times in seconds.

    ``passes`` is the :class:`orbitlink.visibility.Passes` the volumes were
    integrated over (same order as the ``pass_*`` arrays).
    """

    params: LinkParameters
    passes: object  # orbitlink.visibility.Passes
    satellite_names: tuple[str, ...]
    station_names: tuple[str, ...]
    start_iso: str
    end_iso: str
    step_s: float
    window_s: float
    pass_volume_bits: np.ndarray
    pass_min_range_m: np.ndarray
    pass_closed_s: np.ndarray
    station_capacity_bits: np.ndarray
    station_assigned_bits: np.ndarray
    station_contact_s: np.ndarray
    satellite_bits: np.ndarray
    network_bits: float
    samples: int
    modcod_seconds: dict
    availability_percent: float | None = None
    atmosphere_model: str | None = None
    notes: tuple[str, ...] = field(default=())
    pass_antenna: np.ndarray | None = None      # (P,) antenna of the contact plan, -1: not scheduled
    setup_s: float = 0.0

    def __repr__(self) -> str:
        from ..notebook import count_text

        return (f"VolumeResult({self.network_bits_per_day / 8e12:.3f} TB/day over "
                f"{count_text(len(self.pass_volume_bits), 'pass', 'passes')}, "
                f"{count_text(len(self.satellite_names), 'satellite')} x "
                f"{count_text(len(self.station_names), 'station')}, {self.start_iso} .. {self.end_iso})")

    @property
    def per_day(self) -> float:
        """Multiply a volume over the window by this to get a volume per day."""
        return DAY_S / self.window_s

    @property
    def pass_station(self) -> np.ndarray:
        return self.passes.station_index

    @property
    def pass_satellite(self) -> np.ndarray:
        return self.passes.sat_index

    @property
    def pass_duration_s(self) -> np.ndarray:
        return self.passes.duration_s

    @property
    def network_bits_per_day(self) -> float:
        return self.network_bits * self.per_day

    def to_dict(self) -> dict:
        """The ``--json`` object (volumes in gigabytes, 1 GB = 1e9 bytes)."""
        gb = 1.0 / (BITS_PER_BYTE * 1e9)
        r = rounded
        p = self.params
        n_passes = np.bincount(self.pass_station, minlength=len(self.station_names))
        ant = self.passes.stations.antennas
        per_station = [{
            "station": name,
            "antennas": int(ant[g]),
            "passes": int(n_passes[g]),
            "contact_s": r(self.station_contact_s[g], 3),
            "capacity_gbyte": r(self.station_capacity_bits[g] * gb),
            "capacity_gbyte_per_day": r(self.station_capacity_bits[g] * gb * self.per_day),
            "assigned_gbyte": r(self.station_assigned_bits[g] * gb),
            "assigned_gbyte_per_day": r(self.station_assigned_bits[g] * gb * self.per_day),
        } for g, name in enumerate(self.station_names)]
        sat_day = self.satellite_bits * gb * self.per_day
        vol = self.pass_volume_bits * gb
        dur = self.pass_duration_s
        in_view = sum(self.modcod_seconds.values())
        return {
            "mode": "network",
            "satellites": len(self.satellite_names),
            "stations": len(self.station_names),
            "start": self.start_iso,
            "end": self.end_iso,
            "step_s": r(self.step_s),
            "duration_s": r(self.window_s),
            "frequency_ghz": r(p.frequency_hz / 1e9, 9),
            "eirp_dbw": r(p.eirp_dbw),
            "g_over_t_dbk": r(p.g_over_t_dbk),
            "symbol_rate_mbd": r(p.symbol_rate_hz / 1e6, 9),
            "roll_off": r(p.roll_off),
            "required_margin_db": r(p.margin_db),
            "modcods": p.modcods,
            "availability_percent": r(self.availability_percent),
            "atmosphere_model": self.atmosphere_model,
            "passes": int(dur.size),
            "pass_mean_duration_s": r(dur.mean(), 3) if dur.size else None,
            "pass_mean_volume_gbyte": r(vol.mean()) if vol.size else None,
            "pass_max_volume_gbyte": r(vol.max()) if vol.size else None,
            "network_volume_gbyte": r(self.network_bits * gb),
            "network_basis": "contact plan: whole passes on each station's antennas, one terminal "
                             "per satellite (orbitlink schedule)",
            "setup_s": r(self.setup_s),
            "contacts": None if self.pass_antenna is None else int(np.count_nonzero(self.pass_antenna >= 0)),
            "network_tbyte_per_day": r(self.network_bits * gb * self.per_day / 1e3),
            "satellite_gbyte_per_day": {
                "min": r(sat_day.min()) if sat_day.size else None,
                "mean": r(sat_day.mean()) if sat_day.size else None,
                "max": r(sat_day.max()) if sat_day.size else None,
            },
            # Share of the in-view time spent on each MODCOD ("none": in view, no MODCOD closes).
            "modcod_time_fraction": {k: r(v / in_view) for k, v in self.modcod_seconds.items()} if in_view else {},
            "per_station": per_station,
            "notes": list(self.notes),
        }

    def write_passes_csv(self, f) -> None:
        """Rows ``station,satellite,aos,tca,los,duration_s,max_elevation_deg,min_range_km,volume_gbyte,mean_rate_mbps,aos_cut,los_cut``."""
        f.write("station,satellite,aos,tca,los,duration_s,max_elevation_deg,min_range_km,"
                "volume_gbyte,mean_rate_mbps,aos_cut,los_cut\n")
        q = lambda s: '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n') else s  # noqa: E731
        for k, row in enumerate(self.passes.rows()):
            dur = row["duration_s"]
            rate = self.pass_volume_bits[k] / self.pass_duration_s[k] / 1e6 if self.pass_duration_s[k] > 0 else 0.0
            f.write(f"{q(row['station'])},{q(row['satellite'])},{row['aos']},{row['tca']},{row['los']},"
                    f"{dur:.3f},{row['max_elevation_deg']:.4f},{self.pass_min_range_m[k] / 1e3:.3f},"
                    f"{self.pass_volume_bits[k] / 8e9:.6f},{rate:.3f},"
                    f"{str(row['aos_cut']).lower()},{str(row['los_cut']).lower()}\n")


def _station_attenuation_tables(stations, params: LinkParameters, availability_percent: float,
                                polarization_tilt_rad: float):
    """Per-station total and weather (rain + cloud) attenuation on the elevation grid: (G, E) each."""
    from . import atmosphere

    atmosphere.check_frequency(params.frequency_hz)
    el_deg = np.arange(ATMOSPHERE_MIN_ELEVATION_DEG, 90.0 + 1e-9, ATMOSPHERE_GRID_STEP_DEG)
    G = len(stations)
    # Stations given without an altitude (0 m) take the P.1511 topographic height.
    alt = np.where(stations.alt_m == 0.0, np.nan, stations.alt_m)
    lat = np.repeat(stations.lat_rad[:, None], el_deg.size, axis=1)
    lon = np.repeat(stations.lon_rad[:, None], el_deg.size, axis=1)
    hs = np.repeat(alt[:, None], el_deg.size, axis=1)
    el = np.broadcast_to(np.radians(el_deg), (G, el_deg.size))
    parts = atmosphere.attenuation_db(lat, lon, hs, params.frequency_hz, el, 100.0 - availability_percent,
                                      diameter_m=params.ground_diameter_m,
                                      efficiency=params.ground_efficiency,
                                      polarization_tilt_rad=polarization_tilt_rad)
    return el_deg, parts["total_db"], parts["rain_db"] + parts["cloud_db"], atmosphere.model_name()


def _interp_rows(table, g, x_deg, x0_deg, step_deg):
    """Linear interpolation of ``table[g, :]`` (uniform grid from ``x0_deg``) at ``x_deg``, vectorized."""
    x = (np.clip(x_deg, x0_deg, x0_deg + step_deg * (table.shape[1] - 1)) - x0_deg) / step_deg
    i0 = np.minimum(x.astype(np.int64), table.shape[1] - 2)
    w = x - i0
    return table[g, i0] * (1.0 - w) + table[g, i0 + 1] * w


def data_volume(track, stations, params: LinkParameters, *, min_elevation=None,
                availability=None, polarization_tilt="45deg", start=None, duration="24h",
                step="60s", antennas=None, setup=None) -> VolumeResult:
    """Per-pass, per-station and network data volume of ``track`` over ``stations``.

    ``track`` is a Track or any source :func:`orbitlink.propagators.as_track` reads (an
    orbit spec string, an OrbitSet or an ElementSet, propagated over ``start``,
    ``duration`` and ``step``); ``stations`` GroundStations.
    ``params`` is the radio (:func:`orbitlink.link.budget.link_parameters`);
    the satellite is the transmitter for a downlink.  ``min_elevation``
    overrides every station's own minimum; ``availability`` ("99.9%") adds the
    ITU-R atmosphere at that availability (needs ``itur``).  The network
    volume is that of a contact plan on ``antennas`` per station (default:
    each station's own count) with ``setup`` between contacts on one antenna
    (default :data:`orbitlink.stations.DEFAULT_SETUP`, 60 s).
    """
    from ..stations import DEFAULT_SETUP

    from .. import visibility
    from ..core.hermite import hermite_positions
    from ..propagators import as_track
    from ..visibility.passes import check_stations

    track = as_track(track, start=start, duration=duration, step=step, field="track")
    stations = check_stations(stations)
    if antennas is not None:
        stations = stations.with_antennas(antennas)
    setup_s = units.to_si(DEFAULT_SETUP if setup is None else setup, "time", "setup", lo=0 * DEFAULT_SETUP.unit)
    if track.n_times < 2:
        raise VolumeError("duration: the time grid needs at least two samples (a duration longer than the step)")
    dt = float(track.grid.step_s)
    T, S, G = track.n_times, track.n_satellites, len(stations)
    t0 = float(track.t_s[0])
    floor = stations.min_elevation_for(min_elevation)
    notes = []
    avail = model = None
    if availability is not None:
        avail = units.percent(availability, "availability")
        floor_min = math.radians(ATMOSPHERE_MIN_ELEVATION_DEG)
        if np.any(floor < floor_min):
            notes.append(f"elevation threshold raised to {ATMOSPHERE_MIN_ELEVATION_DEG:g} deg "
                         "(lowest elevation of the ITU-R attenuation models)")
            floor = np.maximum(floor, floor_min)
        tilt = units.to_si(polarization_tilt, "angle", "polarization_tilt")
        el_grid, atm_tab, wx_tab, model = _station_attenuation_tables(stations, params, avail, tilt)
    else:
        notes.append("free space only: no atmospheric attenuation (give --availability for ITU-R)")
    # Per-station floors (any azimuth masks still apply on top).
    st = dataclasses.replace(stations, min_elevation_rad=floor)
    passes = visibility.find_passes(track, st)
    P = len(passes)
    sat, sta = passes.sat_index.astype(np.int64), passes.station_index.astype(np.int64)
    aos, los = passes.aos_s, passes.los_s

    # Nodes of each pass: AOS, every grid step strictly inside, LOS.
    eps = 1e-9 * dt
    k0 = np.clip(np.floor((aos - t0) / dt + eps).astype(np.int64) + 1, 0, T)   # first step after AOS
    k1 = np.clip(np.ceil((los - t0) / dt - eps).astype(np.int64) - 1, -1, T - 1)  # last step before LOS
    inner = np.maximum(0, k1 - k0 + 1)
    counts = inner + 2
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]) if P else np.zeros(0, np.int64)
    N = int(counts.sum())
    node_pass = np.repeat(np.arange(P), counts)
    j = np.arange(N) - np.repeat(starts, counts)
    is_aos = j == 0
    is_los = j == np.repeat(counts - 1, counts)
    k = np.repeat(k0, counts) + j - 1
    node_sat, node_sta = sat[node_pass], sta[node_pass]
    tau = np.where(is_aos, np.repeat(aos, counts),
                   np.where(is_los, np.repeat(los, counts), t0 + k * dt))
    pos = np.empty((3, N))
    grid_node = ~(is_aos | is_los)
    pos[:, grid_node] = track.r_itrs_m[:, node_sat[grid_node], k[grid_node]]
    edge = ~grid_node
    if edge.any():
        pos[:, edge] = hermite_positions(track.r_itrs_m, track.v_itrs_m_s, track.t_s,
                                         node_sat[edge], tau[edge] - t0)

    site = st.itrs_m()
    up = st.enu()[2]
    d = pos - site[:, node_sta]
    rng = np.sqrt(np.einsum("in,in->n", d, d))
    el = np.arcsin(np.clip(np.einsum("in,in->n", up[:, node_sta], d) / rng, -1.0, 1.0))
    if avail is not None:
        el_deg = np.degrees(el)
        atm = _interp_rows(atm_tab, node_sta, el_deg, el_grid[0], ATMOSPHERE_GRID_STEP_DEG)
        wx = _interp_rows(wx_tab, node_sta, el_deg, el_grid[0], ATMOSPHERE_GRID_STEP_DEG)
    else:
        atm = wx = np.zeros(N)
    res = params.evaluate(rng, atm, wx)
    rate = res["data_rate_bps"]

    # Trapezoid weights: each node stands for half of each neighbouring segment of its pass.
    seg = np.diff(tau)
    seg = np.where(node_pass[1:] == node_pass[:-1], seg, 0.0) if N else seg
    w = 0.5 * (np.concatenate([[0.0], seg]) + np.concatenate([seg, [0.0]])) if N else np.zeros(0)
    bits = rate * w
    closed = np.where(res["modcod_index"] >= 0, w, 0.0)
    if P:
        pass_bits = np.add.reduceat(bits, starts)
        pass_closed = np.add.reduceat(closed, starts)
        pass_min_rng = np.minimum.reduceat(rng, starts)
    else:
        pass_bits = pass_closed = pass_min_rng = np.zeros(0)
    cap = np.bincount(sta, weights=pass_bits, minlength=G)
    contact = np.bincount(sta, weights=passes.duration_s, minlength=G)

    # Network: a contact plan (antennas, setup time, one terminal per satellite), best volume first.
    antenna = np.full(P, -1, np.int64)
    carry = np.flatnonzero(pass_bits > 0)
    antenna[carry] = layered_plan(sta[carry], sat[carry], aos[carry], los[carry], pass_bits[carry],
                                  stations.antennas, setup_s)
    on = antenna >= 0
    assigned = np.bincount(sta[on], weights=pass_bits[on], minlength=G)
    per_sat = np.bincount(sat[on], weights=pass_bits[on], minlength=S)

    names = params.table.names
    secs = np.bincount(res["modcod_index"] + 1, weights=w, minlength=len(names) + 1)
    modcod_seconds = {("none" if i == 0 else names[i - 1]): float(x) for i, x in enumerate(secs) if x > 0}
    notes.extend(params.notes)
    iso = track.grid.iso()
    return VolumeResult(
        params=params, passes=passes, satellite_names=tuple(track.names),
        station_names=tuple(stations.names), start_iso=iso[0], end_iso=iso[-1], step_s=dt,
        window_s=float(track.t_s[-1] - t0), pass_volume_bits=pass_bits, pass_min_range_m=pass_min_rng,
        pass_closed_s=pass_closed, station_capacity_bits=cap, station_assigned_bits=assigned,
        station_contact_s=contact, satellite_bits=per_sat, network_bits=float(per_sat.sum()),
        samples=N, modcod_seconds=modcod_seconds, availability_percent=avail, atmosphere_model=model,
        notes=tuple(notes), pass_antenna=antenna, setup_s=setup_s)
