"""Choosing ground stations: greedy vs the exact optimum (scipy MILP) vs brute-force enumeration."""

from __future__ import annotations

import itertools

import astropy.units as u
import numpy as np
import pytest

from orbitlink import api, orbits
from orbitlink.errors import OrbitlinkError
from orbitlink.selection import evaluate, exact_selection, select_stations
from orbitlink.stations import load_catalog
from orbitlink.visibility import contact_statistics, find_passes

K = 3


@pytest.fixture(scope="module")
def sso_passes():
    """A dawn-dusk SSO satellite (650 km) over the 16 AWS/KSAT/SpaceX sites, one day."""
    sat = orbits.sun_synchronous(650 * u.km, "18:00", epoch="2026-03-20T00:00:00")
    track = api.propagate(sat, duration="24h", step="30s")
    cand = (load_catalog("aws-ground-station") + load_catalog("ksat").select(["SvalSat"])
            + load_catalog("spacex-ttc"))
    return find_passes(track, cand, min_elevation=10 * u.deg, scan_step=10 * u.s)


@pytest.fixture(scope="module")
def brute(sso_passes):
    """Every one of the C(16, 3) = 560 station triples, scored by evaluate(): the reference optimum."""
    G = len(sso_passes.stations)
    combos = list(itertools.combinations(range(G), K))
    return {obj: [evaluate(sso_passes, c, obj) for c in combos] for obj in ("coverage", "contact", "gap")}, combos


def test_milp_equals_brute_force_enumeration(sso_passes, brute):
    scores, combos = brute
    for obj, best in (("coverage", max), ("contact", max), ("gap", min)):
        ex = exact_selection(sso_passes, K, obj)
        assert ex.value == pytest.approx(best(scores[obj]), rel=1e-12)
        assert len(ex.indices) == K


def test_greedy_against_optimum(sso_passes, brute):
    scores, _ = brute
    cov = select_stations(sso_passes, K, "coverage", compare_exact=True)
    # Greedy max-coverage guarantee (Nemhauser-Wolsey-Fisher 1978): >= (1 - 1/e) of the optimum.
    assert cov.value >= (1 - 1 / np.e) * cov.optimum
    assert cov.value == pytest.approx(evaluate(sso_passes, cov.indices, "coverage"))
    assert 0.0 <= cov.optimality_gap <= 1 / np.e
    # contact is additive over stations: greedy is exactly optimal.
    con = select_stations(sso_passes, K, "contact", compare_exact=True)
    assert con.optimality_gap == pytest.approx(0.0, abs=1e-12)
    assert con.value == pytest.approx(max(scores["contact"]))
    # gap: no guarantee, but never better than the optimum and reported honestly.
    gap = select_stations(sso_passes, K, "gap", compare_exact=True)
    assert gap.value >= gap.optimum == pytest.approx(min(scores["gap"]))
    assert gap.optimality_gap >= 0.0
    d = gap.to_dict()
    assert d["optimum"]["optimality_gap"] == pytest.approx(gap.optimality_gap, abs=1e-6)
    assert set(d) >= {"objective", "k", "stations", "max_gap_s", "history", "optimum"}


def test_lazy_greedy_equals_plain_greedy(sso_passes):
    from orbitlink.visibility.selection import sampled_sets

    sets = sampled_sets(sso_passes, 60.0)
    covered = np.zeros(sets.n_satellites * sets.n_samples, bool)
    plain = []
    for _ in range(5):
        gains = [-1 if g in plain else np.count_nonzero(~covered[sets.of(g)]) for g in range(sets.n_stations)]
        g = int(np.argmax(gains))
        plain.append(g)
        covered[sets.of(g)] = True
    lazy = select_stations(sso_passes, 5, "coverage")
    assert list(lazy.indices) == plain
    assert np.all(np.diff(lazy.history) >= 0)


def test_selection_value_matches_contact_statistics(sso_passes):
    sel = select_stations(sso_passes, K, "coverage")
    chosen = sso_passes.select(np.isin(sso_passes.station_index, sel.indices))
    stats = contact_statistics(chosen)
    # Sampled at 60 s vs exact intervals: within one sample per contact edge.
    assert sel.value == pytest.approx(stats.network_coverage_fraction, abs=2 * len(chosen) * 60 / 86400)


@pytest.mark.parametrize("k, objective, fragment", [
    (0, "coverage", "k: 0 is out of range"),
    (17, "coverage", "k: 17 is out of range"),
    (2.5, "coverage", "k: 2.5"),
    (2, "latency", "objective: 'latency' is not one of coverage, contact, capacity, gap"),
])
def test_bad_inputs(sso_passes, k, objective, fragment):
    with pytest.raises(OrbitlinkError) as exc:
        select_stations(sso_passes, k, objective)
    assert fragment in str(exc.value)
