"""Old home of ground tracks; they now live in :mod:`orbitlink.visibility.groundtrack`.

Kept so that ``from orbitlink.groundtrack import ground_track`` keeps working.
"""

from __future__ import annotations

from .visibility.groundtrack import ground_track, split_antimeridian, to_geojson

__all__ = ["ground_track", "split_antimeridian", "to_geojson"]
