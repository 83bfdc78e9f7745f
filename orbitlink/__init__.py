"""orbitlink: orbital mechanics and ground-link planning for orbital data centers.

The curated public API; everything here takes astropy Quantities/Times (or
strings such as ``"550km"``) and returns SI arrays with units in their names.
"""

from importlib.metadata import PackageNotFoundError, version as _version

from . import errors
from .api import propagate
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
from .times import TimeGrid, time_grid
from .track import Track

try:
    __version__ = _version("orbitlink")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = [
    "ElementSet",
    "OrbitSet",
    "TimeGrid",
    "Track",
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
