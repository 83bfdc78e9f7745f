"""Contact plans (orbitlink.schedule): the plan's rules, monotonicity, the MILP optimum and its gap."""

from __future__ import annotations

import itertools

import astropy.units as u
import numpy as np
import pytest

import orbitlink
from orbitlink import orbits, propagators
from orbitlink.errors import QuantityError, ScheduleError
from orbitlink.link.budget import link_parameters
from orbitlink.schedule import plan_passes
from orbitlink.stations import load_catalog
from orbitlink.visibility import find_passes

START = "2026-01-01T00:00:00Z"
PARAMS = link_parameters(band="Ka", tx_power="10dBW", tx_gain="30dBi", g_over_t="31dB/K")


@pytest.fixture(scope="module")
def scene():
    """60 satellites over four West-African gateways (close together: their passes overlap), 12 h."""
    src = orbits.walker(60, 6, 1, "550km", "53deg", epoch=START)
    gw = load_catalog("starlink-gateways")
    st = gw.select(["Ikire", "Lekki"]) + gw.select(list(range(2, 4)))
    tr = propagators.propagate(src, start=START, duration="12h", step="60s")
    from orbitlink.link.volume import data_volume

    vol = data_volume(tr, st, PARAMS)
    return tr, st, vol.passes, vol.pass_volume_bits


def check_rules(plan, passes):
    """Every contact is a pass of its satellite over its station; antennas exist; on one antenna
    contacts are >= setup apart; a satellite's contacts never overlap."""
    on = plan.scheduled
    assert np.all(plan.antenna[on] < plan.stations.antennas[plan.station_index[on]])
    ref = {(int(s), int(g), round(a, 6), round(b, 6)) for s, g, a, b in
           zip(passes.sat_index, passes.station_index, passes.aos_s, passes.los_s)}
    for s, g, a, b in zip(plan.sat_index[on], plan.station_index[on], plan.aos_s[on], plan.los_s[on]):
        assert (int(s), int(g), round(a, 6), round(b, 6)) in ref
        assert a <= b
    key = plan.station_index[on] * 1000 + plan.antenna[on]
    for k in np.unique(key):
        m = key == k
        a, b = plan.aos_s[on][m], plan.los_s[on][m]
        o = np.argsort(a)
        assert np.all(a[o][1:] >= b[o][:-1] + plan.setup_s - 1e-9)
    for s in np.unique(plan.sat_index[on]):
        m = plan.sat_index[on] == s
        a, b = plan.aos_s[on][m], plan.los_s[on][m]
        o = np.argsort(a)
        assert np.all(a[o][1:] >= b[o][:-1] - 1e-9)
    assert np.all(plan.duration_s[on] >= plan.min_contact_s)


@pytest.mark.parametrize("antennas,setup,method", [(1, "60s", "heuristic"), (2, "120s", "heuristic"),
                                                   (3, "0s", "heuristic"), (1, "60s", "exact"),
                                                   (2, "300s", "exact")])
@pytest.mark.parametrize("objective", ["contact", "volume", "fairness"])
def test_plan_rules(scene, antennas, setup, method, objective):
    _, _, passes, bits = scene
    plan = plan_passes(passes, objective=objective, volume_bits=bits, antennas=antennas, setup=setup,
                       min_contact="100s", method=method)
    check_rules(plan, passes)
    assert len(plan) > 0
    # Something was left out: the instance is contested, not trivially all passes.
    assert plan.unscheduled_s > 0


@pytest.mark.parametrize("objective", ["contact", "volume", "fairness"])
def test_more_antennas_never_schedule_less(scene, objective):
    _, _, passes, bits = scene
    prev_plan = None
    for n in range(1, 6):
        plan = plan_passes(passes, objective=objective, volume_bits=bits, antennas=n)
        if prev_plan is not None:
            assert plan.contact_s >= prev_plan.contact_s - 1e-9
            assert plan.volume_total_bits >= prev_plan.volume_total_bits * (1 - 1e-12)
            # The heuristic's plan for n antennas contains the plan for n - 1.
            kept = prev_plan.scheduled
            assert np.array_equal(plan.antenna[kept], prev_plan.antenna[kept])
        prev_plan = plan
    # Enough antennas: every pass a satellite's terminal allows.
    assert plan.contact_s > 0


@pytest.mark.parametrize("objective,max_gap", [("contact", 0.03), ("volume", 0.03), ("fairness", 0.10)])
@pytest.mark.parametrize("antennas", [1, 2])
def test_heuristic_gap_to_milp(scene, objective, antennas, max_gap):
    """The heuristic against the MILP optimum on the 4-station, 60-satellite, 12 h instance (measured:
    docs/design/decisions.md 'Contact plans'). The optimum is never below the heuristic."""
    _, _, passes, bits = scene
    plan = plan_passes(passes, objective=objective, volume_bits=bits, antennas=antennas, compare_exact=True)
    got = plan.objective_value()
    assert plan.optimum >= got * (1 - 1e-9)
    assert 0.0 <= plan.optimality_gap <= max_gap
    exact = plan_passes(passes, objective=objective, volume_bits=bits, antennas=antennas, method="exact")
    assert exact.objective_value() == pytest.approx(plan.optimum, rel=1e-6)


def test_one_station_one_antenna_heuristic_is_optimal(scene):
    """With one antenna at one station the heuristic is the weighted-interval-scheduling DP: exact."""
    _, _, passes, bits = scene
    for g in range(2):
        m = passes.station_index == g
        one = passes.select(m)
        for objective in ("contact", "volume"):
            plan = plan_passes(one, objective=objective, volume_bits=bits[m], antennas=1, setup="120s",
                               compare_exact=True)
            assert plan.objective_value() == pytest.approx(plan.optimum, rel=1e-9)


def test_conflict_pairs_match_brute_force():
    from orbitlink.core.contact_plan import conflict_pairs

    rng = np.random.default_rng(7)
    g = rng.integers(0, 3, 200)
    a = rng.uniform(0, 5000, 200)
    b = a + rng.uniform(0, 400, 200)
    for gap in (0.0, 60.0):
        i, j = conflict_pairs(g, a, b, gap)
        got = {frozenset((int(x), int(y))) for x, y in zip(i, j)}
        ref = {frozenset((x, y)) for x in range(200) for y in range(x + 1, 200)
               if g[x] == g[y] and a[y] < b[x] + gap and a[x] < b[y] + gap}
        assert got == ref


def test_milp_matches_brute_force(scene):
    """On a small piece (one station's first 12 passes: few enough to try every subset) the MILP's optimum
    equals the best feasible subset found by enumeration."""
    _, _, passes, bits = scene
    m = np.flatnonzero(passes.station_index == 0)[:12]
    small = passes.select(m)
    assert len(small) == 12
    vb = bits[m]
    for antennas, setup in ((1, 60.0), (2, 600.0)):
        best = 0.0
        a, b = small.aos_s, small.los_s
        for r in range(len(small) + 1):
            for sub in itertools.combinations(range(len(small)), r):
                sub = list(sub)
                # Feasible: at most `antennas` extended intervals at every start point.
                ok = all(np.sum((a[sub] <= a[p]) & (a[p] < b[sub] + setup)) <= antennas for p in sub)
                if ok:
                    best = max(best, float(vb[sub].sum()))
        plan = plan_passes(small, objective="volume", volume_bits=vb, antennas=antennas, setup=f"{setup}s",
                           method="exact")
        assert plan.volume_total_bits == pytest.approx(best, rel=1e-9)
        check_rules(plan, small)


def test_fairness_raises_the_worst_satellite(scene):
    _, _, passes, bits = scene
    fair = plan_passes(passes, objective="fairness", volume_bits=bits, method="exact")
    vol = plan_passes(passes, objective="volume", volume_bits=bits, method="exact")
    assert fair.objective_value("fairness") >= vol.objective_value("fairness") * (1 - 1e-9)
    assert vol.objective_value("volume") >= fair.objective_value("volume") * (1 - 1e-9)


def test_priorities_favour_a_satellite(scene):
    _, _, passes, bits = scene
    base = plan_passes(passes, objective="volume", volume_bits=bits)
    left = np.bincount(passes.sat_index[~base.scheduled], weights=bits[~base.scheduled], minlength=60)
    sat = int(np.argmax(left))                        # the satellite the plan leaves most of
    name = passes.satellites[sat]
    boosted = plan_passes(passes, objective="volume", volume_bits=bits, priorities={name: 100})
    # Ranked above everyone, it gets exactly what it would get with the network to itself.
    alone = plan_passes(passes.select(passes.sat_index == sat), objective="volume",
                        volume_bits=bits[passes.sat_index == sat])
    assert boosted.satellite_volume_bits()[sat] == pytest.approx(alone.volume_total_bits, rel=1e-12)
    assert boosted.satellite_volume_bits()[sat] > base.satellite_volume_bits()[sat]
    with pytest.raises(ScheduleError, match="priorities: unknown satellite 'nosuch'"):
        plan_passes(passes, priorities={"nosuch": 2})
    with pytest.raises(QuantityError, match="priorities"):
        plan_passes(passes, priorities={name: -1})


def test_min_contact_drops_short_passes(scene):
    _, _, passes, bits = scene
    plan = plan_passes(passes, objective="contact", min_contact="300s", antennas=8)
    assert np.all(plan.duration_s[plan.scheduled] >= 300.0)
    assert not np.any(plan.scheduled[passes.duration_s < 300.0])


def test_per_satellite_gap_and_utilization(scene):
    _, _, passes, bits = scene
    plan = plan_passes(passes, objective="contact", antennas=2)
    d = plan.to_dict()
    assert set(d) == {"contacts", "per_satellite", "per_station", "unscheduled_s", "scenario"}
    assert set(d["contacts"][0]) == {"satellite", "station", "antenna", "start", "end", "duration_s", "volume_gb"}
    assert set(d["per_satellite"][0]) == {"satellite", "contact_s", "volume_gb", "max_gap_s"}
    assert set(d["per_station"][0]) == {"station", "antennas", "utilization"}
    util = np.array([r["utilization"] for r in d["per_station"]])
    assert np.all((util > 0) & (util <= 1))
    # A satellite's scheduled contacts are a subset of its passes: its gap is at least the pass gap.
    from orbitlink.visibility import contact_statistics

    raw = contact_statistics(passes).satellite_gap_max_s
    assert np.all(plan.satellite_max_gap_s() >= raw - 1e-6)
    assert sum(r["contact_s"] for r in d["per_satellite"]) == pytest.approx(plan.contact_s, abs=0.1)


def test_api_schedule_from_a_source():
    st = load_catalog("starlink-gateways").select(["Ikire", "Lekki"])
    plan = orbitlink.schedule("550km", st, objective="contact", start=START, duration="6h", antennas=1)
    ref = find_passes("550km", st, start=START, duration="6h")
    assert len(plan) >= 1 and plan.antenna.size == len(ref)
    assert plan.stations.antennas.tolist() == [1, 1]
    with pytest.raises(ScheduleError, match="objective"):
        orbitlink.schedule("550km", st, objective="fastest")
    with pytest.raises(ScheduleError, match="params"):
        orbitlink.schedule("550km", st, objective="volume")
    with pytest.raises(QuantityError, match="antennas"):
        orbitlink.schedule("550km", st, objective="contact", antennas=0)
    with pytest.raises(QuantityError, match="setup"):
        orbitlink.schedule("550km", st, objective="contact", setup=-5 * u.s)
    with pytest.raises(ScheduleError, match="method"):
        orbitlink.schedule("550km", st, objective="contact", method="optimal")


def test_scheduled_volume_is_bounded_by_the_antennas(scene):
    """The budget's network volume (a contact plan) never exceeds antennas x window x peak rate at any
    station, grows with the antennas, and never exceeds the sum of the stations' pass capacities."""
    from orbitlink.link.volume import data_volume
    from orbitlink.schedule import scheduled_volume

    tr, st, _, _ = scene
    peak = PARAMS.symbol_rate_hz * 5.900855            # 256APSK 3/4, the most efficient MODCOD
    prev = 0.0
    for n in (1, 2, 4):
        v = data_volume(tr, st, PARAMS, antennas=n)
        bound = n * v.window_s * peak
        assert np.all(v.station_assigned_bits <= bound)
        assert np.all(v.station_assigned_bits <= v.station_capacity_bits * (1 + 1e-12))
        assert v.network_bits >= prev
        prev = v.network_bits
    bits, plan = scheduled_volume(tr, st, PARAMS, antennas=4)
    assert bits.sum() == pytest.approx(prev, rel=1e-12)
    assert bits.shape == (60,)


def test_station_selection_by_scheduled_capacity(scene, run_cli):
    """Scheduled capacity counts a one-antenna station's simultaneous passes once: at most the window,
    at most the summed pass time, and equal to it with an antenna for every pass."""
    from orbitlink.visibility.selection import select_stations, station_capacity_s

    _, st, passes, _ = scene
    raw = np.bincount(passes.station_index, weights=passes.duration_s, minlength=len(st))
    one = station_capacity_s(passes)
    assert np.all(one <= passes.window_s) and np.all(one <= raw + 1e-6) and np.all(one > 0)
    many = station_capacity_s(_with_antennas(passes, 50))
    assert many == pytest.approx(raw, rel=1e-12)
    sel = select_stations(passes, 2, "capacity", compare_exact=True)
    assert set(sel.indices) == set(np.argsort(-one)[:2].tolist())
    assert sel.optimality_gap == pytest.approx(0.0, abs=1e-12)
    r = run_cli("stations", "select", "--walker", "60/6/1", "--start", START, "--duration", "6h",
                "--station", "Ikire", "--station", "Lekki", "--station", "Akita", "--k", "1",
                "--objective", "capacity", "--antennas", "2", "--json")
    assert r.code == 0, r.err
    assert "scheduled_s_per_day" in r.out


def _with_antennas(passes, n):
    import dataclasses

    return dataclasses.replace(passes, stations=passes.stations.with_antennas(n))


def test_antennas_field_in_station_files(tmp_path):
    from orbitlink.errors import StationError
    from orbitlink.stations import ground_station, load_stations, parse_stations_csv, parse_stations_geojson

    st = parse_stations_csv("name,lat_deg,lon_deg,antennas\nA,10,10,4\nB,11,11,\n")
    assert st.antennas.tolist() == [4, 1]
    back = parse_stations_csv(st.to_csv())
    assert back.antennas.tolist() == [4, 1]
    gj = tmp_path / "s.geojson"
    import json

    gj.write_text(json.dumps(st.to_geojson()))
    assert load_stations(gj).antennas.tolist() == [4, 1]
    assert (st + st.select([0])).antennas.tolist() == [4, 1, 4]
    assert st.with_antennas(2).antennas.tolist() == [2, 2]
    assert ground_station(10 * u.deg, 10 * u.deg, antennas=3).antennas.tolist() == [3]
    for bad in ("0", "-2", "1.5", "two"):
        with pytest.raises(StationError, match="<text>:2: antennas"):
            parse_stations_csv(f"name,lat_deg,lon_deg,antennas\nA,10,10,{bad}\n")
    with pytest.raises(StationError, match="antennas"):
        parse_stations_geojson(json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [10, 10]},
             "properties": {"name": "A", "antennas": 0}}]}))
    with pytest.raises(QuantityError, match="antennas"):
        st.with_antennas(0)


@pytest.mark.parametrize("antennas", [1, None])
def test_shell_network_volume_is_bounded_by_the_antennas(antennas):
    """Issue 20's finding: the 1,584-satellite shell over the 198 gateways counted every simultaneous
    pass in full (Awarua above what one antenna can carry).  With the plan, no gateway takes more
    than antennas x window x peak rate (None: the catalog's 8 per site)."""
    from orbitlink.link.volume import data_volume

    src = orbits.walker(1584, 72, 1, "550km", "53deg", epoch=START)
    tr = propagators.propagate(src, start=START, duration="1h", step="60s")
    st = load_catalog("starlink-gateways")
    v = data_volume(tr, st, PARAMS, antennas=antennas)
    n = v.passes.stations.antennas
    assert set(n.tolist()) == ({1} if antennas == 1 else {8})
    peak = PARAMS.symbol_rate_hz * 5.900855
    bound = n * v.window_s * peak
    aw = st.index("Awarua")
    assert v.station_capacity_bits[aw] > bound[aw]          # the passes in full exceed the antennas
    assert np.all(v.station_assigned_bits <= bound)
    assert v.network_bits <= bound.sum()
    assert v.network_bits < v.station_capacity_bits.sum()


def test_orbitlink_schedule_is_a_callable_package():
    import subprocess
    import sys

    code = ("import orbitlink; m = orbitlink.schedule; "
            "assert callable(m) and m.scheduled_volume and m.plan_passes and orbitlink.schedule is m")
    subprocess.run([sys.executable, "-c", code], check=True)
