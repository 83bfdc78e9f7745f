"""orbitlink.eclipse.sources: which position source and propagator an eclipse run takes."""

from __future__ import annotations

import numpy as np
import pytest

from orbitlink import eclipse, orbits
from orbitlink.core.eclipse_circular import CircularOrbits
from orbitlink.eclipse.sources import SampledSource, make_source
from orbitlink.elements import parse_tle_text
from orbitlink.errors import OrbitSpecError
from orbitlink.propagators import propagate
from orbitlink.sun import sun_table
from orbitlink.times import time_grid

from .conftest import EPHEMERIS

ISS_TLE = EPHEMERIS / "tle" / "iss-skyfield-doc.tle"
CIRCULAR = orbits.circular("550km", "53deg", epoch="2026-03-01")
ECCENTRIC = orbits.keplerian("7000km", 0.01, "63deg", epoch="2026-03-01")


def _make(source, propagator):
    grid = time_grid("2026-03-01", "2h", "60s")
    sun = sun_table(grid.start, 0.0, float(grid.t_s[-1]), pad_s=3 * 86400.0)
    return make_source(source, grid, sun, "conical", propagator)


@pytest.mark.parametrize("source, propagator, kind, name", [
    (CIRCULAR, "auto", CircularOrbits, "analytic"),
    (CIRCULAR, "analytic", CircularOrbits, "analytic"),
    (CIRCULAR, "two-body", CircularOrbits, "two-body"),
    (CIRCULAR, "poliastro", SampledSource, "poliastro"),
    (ECCENTRIC, "auto", SampledSource, "analytic"),
    (ECCENTRIC, "two-body", SampledSource, "two-body"),
])
def test_propagator_choice(source, propagator, kind, name):
    src, resolved = _make(source, propagator)
    assert isinstance(src, kind) and resolved == name


def test_element_sets_take_sgp4_only():
    el = parse_tle_text(ISS_TLE.read_text(), str(ISS_TLE))
    src, name = _make(el, "auto")
    assert isinstance(src, SampledSource) and name == "sgp4"
    with pytest.raises(OrbitSpecError, match="mean elements for SGP4 only"):
        _make(el, "two-body")
    with pytest.raises(OrbitSpecError, match="sgp4 needs TLE/OMM"):
        _make(CIRCULAR, "sgp4")


def test_the_report_names_the_propagator_that_ran():
    kw = dict(start="2026-03-01", duration="2h")
    assert eclipse.eclipses(CIRCULAR, **kw).propagator == "analytic"
    assert eclipse.eclipses(CIRCULAR, propagator="two-body", **kw).propagator == "two-body"
    track = propagate(ECCENTRIC, time_grid("2026-03-01", "2h", "60s"))
    assert eclipse.eclipses(track).propagator == track.propagator


def test_sampled_states_are_the_propagated_gcrs_states():
    # The GCRS-only path for designed orbits gives propagate()'s GCRS states exactly.
    src, _ = _make(ECCENTRIC, "auto")
    r, v, valid = src.states(10, 40)
    track = propagate(ECCENTRIC, time_grid("2026-03-01", "2h", "60s"))
    np.testing.assert_array_equal(r, track.r_gcrs_m[:, :, 10:41])
    np.testing.assert_array_equal(v, track.v_gcrs_m_s[:, :, 10:41])
    assert valid.all()
    assert src.chunk_steps(1_000_000) == 121       # the whole 2 h grid (at most a day)
    assert src.chunk_steps(100) == 100
