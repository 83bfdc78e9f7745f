"""The one-process ``passes`` command searches satellites in chunks (issue 19: the whole
track of 10,361 TLEs x 1 day and its search temporaries took 6 GiB): the merged table
must be the single search's, row for row."""

from __future__ import annotations

import numpy as np

from orbitlink.cli.visibility_common import passes_in_chunks, run_passes
from orbitlink.elements import load_elements
from orbitlink.stations import load_catalog
from orbitlink.times import time_grid

from .conftest import EPHEMERIS


def _same(a, b):
    assert a.satellites == b.satellites
    assert len(a) == len(b) > 0
    for field in ("sat_index", "station_index", "aos_s", "tca_s", "los_s", "max_elevation_rad",
                  "aos_cut", "los_cut"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field), err_msg=field)


def test_chunked_pass_table_equals_the_single_search():
    source = load_elements(EPHEMERIS / "tle" / "starlink-sample.tle")
    stations = load_catalog("aws-ground-station")
    grid = time_grid("2025-02-01T00:00:00Z", "6h", "60s", satellites=len(source))
    whole = run_passes(source, grid, "auto", stations, None, None)[1]
    chunked = passes_in_chunks(source, grid, "auto", stations, None, None, satellites_per_chunk=37)
    _same(chunked, whole)


def test_chunked_designed_orbits_equal_the_single_search():
    from orbitlink.orbits import walker

    source = walker(60, 6, 1, "550km", "53deg")
    stations = load_catalog("aws-ground-station")
    grid = time_grid("2026-01-01T00:00:00Z", "3h", "60s", satellites=len(source))
    _same(passes_in_chunks(source, grid, "auto", stations, None, None, satellites_per_chunk=16),
          run_passes(source, grid, "auto", stations, None, None)[1])
