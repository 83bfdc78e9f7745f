"""orbitlink: orbital mechanics and ground-link planning for orbital data centers.

The curated public API; everything here takes astropy Quantities/Times (or
strings such as ``"550km"``) and returns SI arrays with units in their names.
"""

from importlib.metadata import PackageNotFoundError, version as _version

from . import errors
from .elements import ElementSet, load_elements, parse_tle_text
from .orbits import (
    OrbitSet,
    circular,
    keplerian,
    shells_from_toml,
    sso_inclination,
    sun_synchronous,
    walker,
)
from .propagators import as_track, propagate
from .times import TimeGrid, time_grid
from .track import Track

# The analyses load on first use (PEP 562): `import orbitlink` stays cheap for
# the CLI and for users who only propagate.
_LAZY = {
    "eclipses": "orbitlink.eclipse",
    "find_passes": "orbitlink.visibility",
    "contact_statistics": "orbitlink.visibility",
    "coverage_map": "orbitlink.visibility",
    "select_stations": "orbitlink.visibility.selection",
    "ground_station": "orbitlink.stations",
    "load_catalog": "orbitlink.stations",
    "load_stations": "orbitlink.stations",
    "round_trip": "orbitlink.link.latency",
    "link_budget": "orbitlink.link.budget",
    "data_volume": "orbitlink.link.volume",
    "datacenter": "orbitlink.feasibility.datacenter",
    "schedule": "orbitlink.schedule",
    "design": "orbitlink.design",
    "place": "orbitlink.places",
    "places": "orbitlink.places",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        module = importlib.import_module(_LAZY[name])
        # orbitlink.schedule and orbitlink.design are callable packages (orbitlink.schedule(...)
        # plans contacts, orbitlink.design(...) searches systems).
        return module if name in ("schedule", "design") else getattr(module, name)
    raise AttributeError(f"module 'orbitlink' has no attribute {name!r}")


try:
    __version__ = _version("orbitlink")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = sorted(_LAZY) + [
    "ElementSet",
    "OrbitSet",
    "TimeGrid",
    "Track",
    "as_track",
    "circular",
    "errors",
    "keplerian",
    "load_elements",
    "parse_tle_text",
    "propagate",
    "shells_from_toml",
    "sso_inclination",
    "sun_synchronous",
    "time_grid",
    "walker",
]
