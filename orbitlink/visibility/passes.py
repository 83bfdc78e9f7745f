"""Pass search and look angles on a source: the Quantity/Time layer over :mod:`orbitlink.core.passes`.

Validates the inputs (errors name the field, :mod:`orbitlink.errors`),
turns the stations into :class:`~orbitlink.core.topocentric.Sites` and the
kernel's arrays into a :class:`~orbitlink.visibility.results.Passes`.
"""

from __future__ import annotations

import astropy.units as u
import numpy as np

from ..core.pass_threads import find_passes_parallel
from ..core.topocentric import Sites, look_angles_grid
from ..errors import TimeGridError
from ..propagators import as_track
from ..stations import GroundStations
from ..units import QuantityLike, count, to_si
from .pass_geometry import pass_geometry
from .results import FREQUENCY_MAX, FREQUENCY_MIN, Passes

__all__ = ["check_stations", "find_passes", "look_angles", "station_sites"]

# look_angles refuses outputs larger than this (S x G x T x 3 float64).
LOOK_ANGLES_MAX_BYTES = 2 * 2**30


def check_stations(stations, field: str = "stations") -> GroundStations:
    """``stations`` as a non-empty :class:`~orbitlink.stations.GroundStations`.

    Any form :func:`orbitlink.places.stations` reads is accepted (a GroundStations,
    ``"SvalSat"``, ``"ksat:SvalSat"``, ``"ksat"``, ``"51.5,-0.12"``, ``(lat, lon)``,
    a list of these); anything else raises :class:`~orbitlink.errors.StationError`
    naming ``field``.
    """
    from ..places import stations as read_stations

    return read_stations(stations, field)


def station_sites(stations, min_elevation=None) -> Sites:
    """The kernels' view of ``stations``: positions, horizons and thresholds
    (``min_elevation`` None: each station's own minimum, else the default)."""
    stations = check_stations(stations)
    floor, table = stations.thresholds(min_elevation)
    return Sites.make(stations.itrs_m(), stations.enu(), floor, table)


def find_passes(source, stations, *, min_elevation: QuantityLike | None = None,
                scan_step: QuantityLike | None = None, coarse_step: QuantityLike = 60 * u.s,
                workers: int | None = None, timings: dict | None = None, start=None,
                duration="24h", step="60s", propagator: str = "auto",
                frequency: QuantityLike | None = None, geometry: bool = True) -> Passes:
    """All passes of every satellite of ``source`` over every station of ``stations``.

    ``stations`` is a :class:`~orbitlink.stations.GroundStations` or anything
    :func:`orbitlink.places.stations` reads: ``"SvalSat"``, ``"ksat:SvalSat"``,
    a catalog (``"ksat"``), ``"78.23,15.39"``, ``(78.23 * u.deg, 15.39 * u.deg)``
    or a list of these.

    ``source`` is a :class:`~orbitlink.track.Track` (searched on its own grid)
    or anything :func:`orbitlink.propagators.as_track` propagates (an orbit
    spec string such as ``"550km"``, an OrbitSet, an ElementSet) on ``start``,
    ``duration``, ``step`` with ``propagator``.
    ``min_elevation`` (e.g. ``10*u.deg``) overrides each station's own minimum
    (default: the station's own, see :meth:`GroundStations.min_elevation_for`);
    azimuth masks still apply.
    ``scan_step`` is the sampling of the search (default: the track step; a
    divisor of it is filled in by cubic Hermite interpolation of the track's
    positions and velocities, so a track at 60 s can be searched every 10 s).
    AOS, TCA and LOS are then refined on the interpolated trajectory.
    ``workers``: threads searching groups of satellites (default: every core
    for large searches, one thread for small ones); the passes are the same
    whatever the number.
    Every pass carries its geometry (:mod:`~orbitlink.visibility.pass_geometry`):
    azimuth at AOS, TCA and LOS, slant range at TCA and range rates, computed
    after the search from the track; with ``frequency`` (a carrier, e.g.
    ``"8.2GHz"`` or ``8.2*u.GHz``) also the Doppler shifts and the maximum
    Doppler rate.  ``geometry=False`` skips it (about a tenth of the search's
    time: 0.15 s for 108,467 passes) when only the pass times are wanted.
    """
    track = as_track(source, start=start, duration=duration, step=step, propagator=propagator)
    if track.n_times < 2:
        raise TimeGridError("passes: the time grid needs at least two samples (a duration longer than the step)")
    stations = check_stations(stations)
    sites = station_sites(stations, min_elevation)
    step_s = track.grid.step_s
    scan = None
    if scan_step is not None:
        scan = to_si(scan_step, "time", "scan_step", lo=1e-3 * u.s)
        m = round(step_s / scan)
        if m < 1 or abs(m * scan - step_s) > 1e-6 * step_s:
            raise TimeGridError(f"scan_step: {scan:g} s must divide the track step {step_s:g} s "
                                "(e.g. 10 s for a 60 s track)")
    coarse = to_si(coarse_step, "time", "coarse_step", lo=1e-3 * u.s)
    # Read before the search, so a bad carrier fails before the work.
    frequency_hz = None if frequency is None else to_si(frequency, "frequency", "frequency",
                                                       lo=FREQUENCY_MIN, hi=FREQUENCY_MAX)
    if workers is not None:
        workers = count(workers, "workers")
    res = find_passes_parallel(track.r_itrs_m, track.v_itrs_m_s, track.t_s, sites, workers=workers,
                               scan_step_s=scan, coarse_step_s=coarse, timings=timings)
    t0 = float(track.t_s[0])
    aos_s, tca_s, los_s = res.aos_s + t0, res.tca_s + t0, res.los_s + t0
    geom = (pass_geometry(track, res.sat, res.station, aos_s, tca_s, los_s, sites.pos, sites.enu,
                          workers=workers)
            if geometry or frequency_hz is not None else None)
    found = Passes(tuple(track.names), stations, res.sat, res.station, aos_s,
                  tca_s, los_s, res.max_elevation_rad, res.aos_cut, res.los_cut,
                  track.grid.start, float(track.t_s[-1]), step_s, res.stats["scan_step_s"],
                  sites.floor_rad.copy(), res.stats, geom)
    return found if frequency_hz is None else found.with_frequency(frequency_hz * u.Hz)


def look_angles(source, stations, *, start=None, duration="24h", step="60s",
                propagator: str = "auto"):
    """Azimuth, elevation and range of every satellite from every station: (S, G, T) Quantities.

    ``source`` and ``stations`` as in :func:`find_passes`.  Memory is S*G*T*24 bytes for the
    three outputs; for constellation-scale questions use :func:`find_passes`
    or :func:`~orbitlink.visibility.coverage_map`, which never form that cube.
    """
    track = as_track(source, start=start, duration=duration, step=step, propagator=propagator)
    stations = check_stations(stations)
    need = 3 * 8 * track.n_satellites * len(stations) * track.n_times
    if need > LOOK_ANGLES_MAX_BYTES:
        raise TimeGridError(f"look_angles: {need / 2**30:.1f} GiB of output; use find_passes, "
                            "fewer satellites/stations or a shorter grid")
    az, el, rng = look_angles_grid(track.r_itrs_m, stations.itrs_m(), stations.enu())
    return np.degrees(az) * u.deg, np.degrees(el) * u.deg, rng * u.m
