"""orbitlink.propagators: resolve() (every accepted and rejected pair), propagate(), as_track()."""

from __future__ import annotations

import numpy as np
import pytest

from orbitlink import api, orbits, propagators, times
from orbitlink.elements import load_elements
from orbitlink.errors import OrbitSpecError, QuantityError
from orbitlink.propagators import PROPAGATORS, as_source, as_track, default_start, propagate, resolve

from .conftest import EPHEMERIS

DESIGNED = orbits.circular("550km", "53deg")
ELEMENTS = load_elements(EPHEMERIS / "tle" / "iss-skyfield-doc.tle")

# (source kind, asked) -> what runs; None: rejected with the message fragment beside it.
PAIRS = [
    ("designed", "auto", "analytic"),
    ("designed", "analytic", "analytic"),
    ("designed", "two-body", "two-body"),
    ("designed", "poliastro", "poliastro"),
    ("designed", "sgp4", "sgp4 needs TLE/OMM element sets"),
    ("elements", "auto", "sgp4"),
    ("elements", "sgp4", "sgp4"),
    ("elements", "analytic", "mean elements for SGP4 only, not analytic"),
    ("elements", "two-body", "mean elements for SGP4 only, not two-body"),
    ("elements", "poliastro", "mean elements for SGP4 only, not poliastro"),
]


def _source(kind):
    return DESIGNED if kind == "designed" else ELEMENTS


@pytest.mark.parametrize("kind, asked, expected", PAIRS)
def test_resolve_every_pair(kind, asked, expected):
    if expected in PROPAGATORS:
        assert resolve(_source(kind), asked) == expected
    else:
        with pytest.raises(OrbitSpecError, match=expected) as info:
            resolve(_source(kind), asked)
        assert str(info.value).startswith("propagator: ")


def test_every_pair_is_covered():
    assert {(k, a) for k, a, _ in PAIRS} == {(k, a) for k in ("designed", "elements") for a in PROPAGATORS}


@pytest.mark.parametrize("asked", ["Analytic", "j2", "", "sgp-4"])
def test_resolve_rejects_unknown_names(asked):
    with pytest.raises(OrbitSpecError, match=r"propagator: .* is not one of auto, analytic, two-body, sgp4, poliastro"):
        resolve(DESIGNED, asked)


def test_resolve_rejects_what_is_not_a_source():
    with pytest.raises(OrbitSpecError, match="source: expected an OrbitSet or ElementSet, not int"):
        resolve(42)


def test_resolve_of_a_track_keeps_its_propagator():
    track = propagate(DESIGNED, start="2026-01-01", duration="10min", step="60s", propagator="two-body")
    assert resolve(track) == "two-body"
    assert resolve(track, "two-body") == "two-body"
    with pytest.raises(OrbitSpecError, match="propagated with two-body, not analytic"):
        resolve(track, "analytic")


@pytest.mark.parametrize("asked, name", [("auto", "analytic"), ("analytic", "analytic"),
                                         ("two-body", "two-body")])
def test_track_names_the_resolved_propagator(asked, name):
    # Issue 14: propagator="analytic" used to come back as "analytic-j2".
    track = propagate(DESIGNED, start="2026-01-01", duration="10min", step="60s", propagator=asked)
    assert track.propagator == name


def test_elements_track_is_sgp4():
    assert propagate(ELEMENTS, duration="10min", step="60s").propagator == "sgp4"


def test_default_start():
    assert default_start(ELEMENTS).utc.isot.startswith("20")  # the newest epoch, to the minute
    assert abs(default_start(ELEMENTS).mjd - float(np.max(ELEMENTS.epoch_jd)) + 2400000.5) < 1 / 1440
    epoch = times.parse_time("2026-03-01T00:00:00")
    assert default_start(orbits.circular("550km", epoch=epoch)) == epoch


def test_as_track_accepts_every_kind_of_source():
    grid = times.time_grid("2026-01-01", "30min", "60s")
    reference = propagate(DESIGNED, grid)
    from_spec = as_track("550km", grid)
    np.testing.assert_allclose(from_spec.r_gcrs_m, reference.r_gcrs_m, rtol=0, atol=1e-6)
    assert as_track(reference) is reference
    assert as_track(DESIGNED, grid).propagator == "analytic"
    assert as_track(ELEMENTS, duration="10min").propagator == "sgp4"
    sso = as_track("sso:650km", start="2026-01-01", duration="10min")
    assert sso.n_times == 11 and sso.grid.start == times.parse_time("2026-01-01")


def test_as_track_rejects_bad_specs_naming_the_argument():
    with pytest.raises(OrbitSpecError, match=r"^source: cannot read 'far away' \(an altitude like 550km"):
        as_track("far away")
    with pytest.raises(OrbitSpecError, match=r"^orbit: expected an orbit spec .*, not int"):
        as_track(42, field="orbit")


def test_as_source_reads_specs_and_passes_objects_through():
    spec = as_source("sso:650km", start="2026-01-01")
    assert isinstance(spec, orbits.OrbitSet) and spec.epoch == times.parse_time("2026-01-01")
    assert as_source(DESIGNED) is DESIGNED and as_source(ELEMENTS) is ELEMENTS
    with pytest.raises(OrbitSpecError, match="^source: expected an orbit spec"):
        as_source(None)
    # Errors inside a spec that reads as one keep their own field.
    with pytest.raises(QuantityError, match="^altitude: cannot read 'abc'"):
        as_source("sso:abc")


def test_old_api_module_still_works():
    assert api.propagate is propagators.propagate
    assert api.default_start is propagators.default_start
    assert api.PROPAGATORS == PROPAGATORS
