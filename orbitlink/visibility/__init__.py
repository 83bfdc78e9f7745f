"""Ground-station visibility: passes, contact statistics, coverage maps, station selection, ground tracks.

Every analysis takes a source the same way: a :class:`~orbitlink.track.Track`
(any propagator; searched on its own grid) or anything
:func:`orbitlink.propagators.as_track` propagates - an orbit spec string
(``"550km"``, ``"sso:650km"``), an :class:`~orbitlink.orbits.OrbitSet` or an
:class:`~orbitlink.elements.ElementSet` - on ``start``/``duration``/``step``.
Stations are whatever :func:`orbitlink.places.stations` reads: a
:class:`~orbitlink.stations.GroundStations`, a name (``"SvalSat"``), a catalog
(``"ksat"``), ``"CATALOG:NAME"``, ``"LAT,LON[,ALT]"``, a ``(lat, lon)`` tuple or a
list of these.  Results are
frozen dataclasses (:mod:`.results`) with astropy ``Time``/``Quantity``
properties and ``.to_dict()`` whose keys carry units (``duration_s``,
``max_elevation_deg``).  The numerical work is in :mod:`orbitlink.core`
(:mod:`~orbitlink.core.passes`, :mod:`~orbitlink.core.coverage`,
:mod:`~orbitlink.core.topocentric`; SI float64 arrays, no Python loops over
satellite-station pairs).

Modules: :mod:`.passes` (find_passes, look_angles), :mod:`.contacts`
(contact_statistics), :mod:`.coverage` (coverage_map, footprints),
:mod:`.results` (the result classes), :mod:`.selection` (choosing k stations)
and :mod:`.groundtrack` (ground tracks as arrays and GeoJSON); the last two are
imported on use.

Definitions used throughout:

- a station *sees* a satellite when its elevation above the station's WGS-84
  horizon is at or above ``max(min_elevation, mask(azimuth))`` (no
  atmospheric refraction, like skyfield's ``find_events``);
- **AOS**/**LOS** are the times the elevation crosses that threshold, refined
  on the interpolated trajectory to well under a millisecond of the
  threshold crossing (the search samples every ``scan_step``, default the
  track step);
- **TCA** is the time of maximum elevation (for near-circular orbits it is
  within a fraction of a second of the closest approach);
- a pass that is already in progress at the start of the window or still in
  progress at its end is kept, with ``aos_cut``/``los_cut`` set and AOS/LOS
  at the window edge.

``min_elevation``: one default per concept
    - passes (:func:`find_passes`, and the contact statistics and station
      selection built on them): each station's own minimum elevation (its
      catalog or file value), else
      :data:`orbitlink.stations.DEFAULT_MIN_ELEVATION` (10 deg); a value
      given overrides every station's own; azimuth masks always apply;
    - coverage of the ground (:func:`coverage_map`) and footprints
      (:func:`satellite_footprints`): 10 deg (the same constant), as there is
      no station to carry its own.

Errors: a bad time grid (fewer than two samples, a ``scan_step`` that does not
divide the track step, an output too large) raises
:class:`~orbitlink.errors.TimeGridError`; bad stations
:class:`~orbitlink.errors.StationError`; a value that cannot be read or is out
of range :class:`~orbitlink.errors.QuantityError`, as everywhere in orbitlink.
"""

from __future__ import annotations

from .contacts import contact_statistics
from .coverage import CoverageGrid, coverage_map, footprint_half_angle, footprint_polygon, satellite_footprints
from .passes import check_stations, find_passes, look_angles, station_sites
from .results import ContactStatistics, CoverageMap, Pass, Passes

__all__ = [
    "Pass",
    "Passes",
    "ContactStatistics",
    "CoverageMap",
    "CoverageGrid",
    "find_passes",
    "contact_statistics",
    "coverage_map",
    "look_angles",
    "footprint_half_angle",
    "footprint_polygon",
    "satellite_footprints",
    "check_stations",
    "station_sites",
]
