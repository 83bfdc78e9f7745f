"""``orbitlink design`` / ``orbitlink.design``: the search and the properties of its answer.

The scenario: 550 km, 53 deg, 4 planes, the 100 largest cities with their own terminals, 2 h
at 60 s.  Its availability crosses 40 % between 24 and 48 satellites (measured: 23.9 % at
24, 41.6 % at 48 over 2 h at 60 s), so the target 40 % puts the boundary inside the grid.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from orbitlink.design import Candidate, DesignError, auto_planes, build_space, design, dominates, pareto_frontier
from orbitlink.design.space import between

START = "2026-01-01T00:00:00Z"
SPAN = dict(start=START, duration="2h", step="60s")
SERVICE = dict(users="cities", direct=True, availability_target="40%")
CLI = ("design", "--satellites", "16,24,48,96", "--planes", "4", "--users", "cities", "--direct",
       "--availability-target", "40%", "--start", START, "--duration", "2h", "--step", "60s")


@pytest.fixture(scope="module")
def result():
    return design("550km", "53deg", "16,24,48,96", planes="4", verify="3h", **SPAN, **SERVICE)


# --- the search space -------------------------------------------------------------------

def test_auto_planes_is_the_divisor_nearest_the_square_root():
    # 60: divisors 6 and 10 around sqrt 7.75 -> 6; 64 -> 8; 1584 (Starlink's T): 36 and 44
    # around 39.8 -> 36; a prime has one plane or itself -> 1.
    assert [auto_planes(n) for n in (60, 64, 1584, 13, 1)] == [6, 8, 36, 1, 1]


def test_the_grid_is_the_product_of_the_lists_and_sso_shells_take_no_inclination():
    cands, relays = build_space(orbits="550km,sso:650km:18:00", inclinations="53deg,70deg",
                                satellites="12,24", planes="auto,4", isl="none,grid", relay="none,geo")
    # 550 km x 2 inclinations + sso x 1, x 2 counts x 2 plane rules x 2 ISL x 2 relays
    assert len(cands) == 3 * 2 * 2 * 2 * 2
    assert {c.inclination_deg for c in cands if c.orbit.startswith("sso")} == {None}
    assert set(relays) == {"none", "geo"}


def test_bisection_halves_the_count_and_keeps_the_planes():
    lo, hi = Candidate("550km", 53.0, 24, 4, "none", "none"), Candidate("550km", 53.0, 96, 4, "none", "none")
    assert between(lo, hi).satellites == 60 and between(lo, hi).planes == 4
    assert between(lo, Candidate("550km", 53.0, 28, 4, "none", "none")) is None


def test_a_family_is_a_chain_of_nested_shells():
    """Doubling the per-plane count puts a satellite half way between each pair and keeps the
    plane offset: the 3-per-plane shell's satellites are all in the 6- and 12-per-plane shells."""
    from orbitlink.design.evaluate import Context, shell

    ctx = Context(service={}, relays={}, start=None)
    shells = [shell(Candidate("550km", 53.0, 4 * k, 4, "none", "none"), ctx) for k in (3, 6, 12)]
    fams = {Candidate("550km", 53.0, 4 * k, 4, "none", "none").family for k in (3, 6, 12)}
    assert len(fams) == 1
    assert Candidate("550km", 53.0, 28, 4, "none", "none").family not in fams   # 7 per plane: another chain

    def points(s):   # (RAAN, argument of latitude) of each satellite of a circular shell
        u = np.mod(s.argp_rad + s.m_rad, 2 * np.pi)
        return {(round(float(r), 9), round(float(x), 9) % round(2 * np.pi, 9)) for r, x in zip(s.raan_rad, u)}

    small, mid, large = (points(s) for s in shells)
    assert small < mid < large


# --- the answer's properties ----------------------------------------------------------------

def test_the_frontier_has_no_dominated_candidate_and_every_other_one_is_dominated(result):
    rows = list(result.candidates)
    front = set(result.frontier)
    assert front
    for i in front:
        assert not any(dominates(rows[j], rows[i]) for j in range(len(rows)) if j != i)
    for i in set(range(len(rows))) - front:
        assert any(dominates(rows[j], rows[i]) for j in range(len(rows)))


def test_pareto_frontier_on_a_hand_made_table():
    rows = [dict(launch_cost_usd=1.0, availability=0.9, rtt_ms={"p99": 30.0}),
            dict(launch_cost_usd=2.0, availability=0.8, rtt_ms={"p99": 40.0}),      # dominated by 0
            dict(launch_cost_usd=2.0, availability=0.95, rtt_ms={"p99": 30.0}),
            dict(launch_cost_usd=0.5, availability=0.1, rtt_ms={"p99": None})]      # no path: p99 inf
    assert pareto_frontier(rows) == [0, 2, 3]


def test_the_best_is_the_cheapest_workable(result):
    rows = result.candidates
    ok = [i for i, r in enumerate(rows) if r["workable"]]
    assert ok and result.best in ok
    assert rows[result.best]["launch_cost_usd"] == min(rows[i]["launch_cost_usd"] for i in ok)
    assert result.best in result.frontier
    for r in rows:
        assert r["workable"] == (r["availability"] >= 0.40 and r["rtt_ms"]["p99"] <= 100.0)


def test_more_satellites_of_a_family_never_lower_availability(result):
    fams = {}
    for r in result.candidates:
        fams.setdefault(tuple(r["family"]), []).append((r["satellites"], r["availability"]))
    chains = [sorted(v) for v in fams.values() if len(v) > 1]
    assert chains, "the scenario must hold at least one family with two members"
    for chain in chains:
        avail = [a for _, a in chain]
        assert avail == sorted(avail), chain
    assert not [n for n in result.notes if n.startswith("availability falls")]


def test_the_search_refines_the_boundary(result):
    rows = result.candidates
    counts = sorted(r["satellites"] for r in rows)
    assert result.scenario["rounds"] >= 1 and any(r["round"] > 0 for r in rows)
    ok = [r["satellites"] for r in rows if r["workable"]]
    bad = [r["satellites"] for r in rows if not r["workable"] and r["satellites"] < min(ok)]
    # boundary pair: no multiple of the 4 planes left between them
    assert min(ok) - max(bad) == 4, counts


def test_the_verify_run_covers_the_frontier_and_flags_flips(result):
    v = result.to_dict()["verify"]
    assert v["span"] == "3h"
    assert [f["index"] for f in v["frontier"]] == list(result.frontier)
    for f in v["frontier"]:
        assert f["flipped"] == (f["workable"] != result.candidates[f["index"]]["workable"])


def test_a_target_between_the_screening_and_the_verify_figure_flips_the_verdict(result):
    rows = result.to_dict()["verify"]["frontier"]
    f = max(rows, key=lambda f: abs(f["availability"] - result.candidates[f["index"]]["availability"]))
    a_screen, a_verify = result.candidates[f["index"]]["availability"], f["availability"]
    assert a_screen != a_verify
    target = (a_screen + a_verify) / 2
    c = result.candidates[f["index"]]
    again = design("550km", "53deg", str(c["satellites"]), planes=str(c["planes"]), refine=False, verify="3h",
                   **SPAN, **dict(SERVICE, availability_target=target))
    assert again.to_dict()["verify"]["flips"] == [0]


# --- the same numbers as `latency` and `datacenter` -----------------------------------------

def test_a_candidate_equals_a_hand_run_latency_and_datacenter(run_cli, result):
    i = result.best
    c = result.candidates[i]
    walker = f"{c['satellites']}/{c['planes']}/{c['phasing']}"
    lat = run_cli("latency", "--orbit", "550km", "--inclination", "53deg", "--walker", walker, "--users", "cities",
                  "--direct", "--start", START, "--duration", "2h", "--step", "60s", "--json")
    assert lat.code == 0, lat.err
    d = json.loads(lat.out)
    assert d["availability"] == c["availability"]
    assert d["rtt_ms"]["p50"] == c["rtt_ms"]["p50"] and d["rtt_ms"]["p99"] == c["rtt_ms"]["p99"]
    dc = run_cli("datacenter", "--orbit", "550km", "--inclination", "53deg", "--walker", walker, "--start", START,
                 "--no-link", "--json")
    assert dc.code == 0, dc.err
    e = json.loads(dc.out)
    # design sizes on one satellite per plane, datacenter on every satellite (same year, same
    # eclipse engine): measured 2e-8 relative; 1e-5 is the stated bound (orbitlink/design/evaluate.py).
    assert math.isclose(e["total_mass_kg"], c["total_mass_kg"], rel_tol=1e-5)
    assert math.isclose(e["launch_cost_usd"]["3000"], c["launch_cost_usd"], rel_tol=1e-5)


# --- the command ----------------------------------------------------------------------------

def test_cli_json_matches_the_api_and_the_csv_has_a_row_per_candidate(run_cli, result, tmp_path):
    out = run_cli(*CLI, "--verify", "3h", "--json", "--csv", str(tmp_path / "d.csv"))
    assert out.code == 0, out.err
    d = json.loads(out.out)
    assert d == json.loads(json.dumps(result.to_dict()))
    assert set(d["candidates"][0]) >= {"orbit", "inclination_deg", "satellites", "planes", "isl", "relay",
                                        "availability", "rtt_ms", "total_mass_kg", "launch_cost_usd",
                                        "workable", "binding"}
    lines = (tmp_path / "d.csv").read_text().splitlines()
    assert len(lines) == 1 + len(d["candidates"])
    assert lines[1 + d["best"]].split(",")[-2] == "true"


def test_cli_table_names_the_best(run_cli):
    out = run_cli(*CLI, "--verify", "none", "--no-refine")
    assert out.code == 0, out.err
    assert "best: #" in out.out and "orbitlink design" in out.out


def test_no_workable_candidate_exits_0_with_best_null_and_names_the_closest(run_cli):
    args = ("design", "--satellites", "16,24", "--planes", "4", "--users", "cities", "--direct",
            "--start", START, "--duration", "1h", "--step", "300s", "--verify", "none")
    out = run_cli(*args, "--json")
    assert out.code == 0, out.err
    d = json.loads(out.out)
    assert d["best"] is None and d["closest"]["index"] in range(len(d["candidates"]))
    assert "availability" in d["closest"]["misses"][0]
    table = run_cli(*args)
    assert table.code == 0
    line = [x for x in table.out.splitlines() if x.startswith("no workable candidate")]
    assert len(line) == 1 and "closest: #" in line[0] and "short by" in line[0]


def test_dask_local_gives_the_same_answer_as_one_process(run_cli):
    pytest.importorskip("distributed")
    args = (*CLI[:2], "16,48", *CLI[3:], "--verify", "3h", "--json")
    plain, dask = run_cli(*args), run_cli(*args, "--dask", "local")
    assert plain.code == 0 and dask.code == 0, dask.err
    assert json.loads(plain.out) == json.loads(dask.out)


def test_plot_draws_the_frontier_on_given_axes(tmp_path, result):
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from orbitlink.plot.design import plot_design

    fig = Figure()
    axes = fig.subplots(1, 2)
    assert plot_design(result, ax=axes) is fig
    # the availability target and the SLO are drawn as lines
    assert any(abs(line.get_ydata()[0] - 40.0) < 1e-9 for line in axes[0].get_lines())
    assert any(abs(line.get_ydata()[0] - 100.0) < 1e-9 for line in axes[1].get_lines())
    path = tmp_path / "d.png"
    plot_design(result, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("kwargs, says", [
    (dict(satellites=""), "satellites"),
    (dict(satellites="12,-4"), "satellites"),
    (dict(satellites="12", planes="5"), "planes"),
    (dict(satellites="12", relay="nowhere"), "relay"),
    (dict(satellites="12", isl="mesh"), "isl"),
])
def test_bad_input_fails_before_any_work(kwargs, says, monkeypatch):
    import orbitlink.design.search as search

    monkeypatch.setattr(search, "latency_of", lambda *a, **k: pytest.fail("work started"))
    with pytest.raises(DesignError, match=says):
        design(**kwargs)
