"""Direct tests of orbitlink.core.graph: each kernel against a brute-force or analytic reference
that shares none of its code (pairwise loops, closed-form geometry, networkx's Dijkstra)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from orbitlink.core import graph

R_E = 6_371_000.0
MU = 3.986004418e14


def _circular_states(raan_rad, u_rad, a_m, inc_rad):
    """Position and velocity (3, N) on circular orbits, written out from the orbital elements."""
    raan_rad, u_rad = np.broadcast_arrays(np.asarray(raan_rad, float), np.asarray(u_rad, float))
    cO, sO, ci, si = np.cos(raan_rad), np.sin(raan_rad), math.cos(inc_rad), math.sin(inc_rad)
    cu, su = np.cos(u_rad), np.sin(u_rad)
    r = a_m * np.stack([cO * cu - sO * su * ci, sO * cu + cO * su * ci, su * si])
    speed = math.sqrt(MU / a_m)
    v = speed * np.stack([-cO * su - sO * cu * ci, -sO * su + cO * cu * ci, cu * si])
    return r, v


def _walker(total, planes, phasing, a_m, inc_rad):
    per = total // planes
    p = np.repeat(np.arange(planes), per)
    j = np.tile(np.arange(per), planes)
    raan = 2 * math.pi * p / planes
    u = 2 * math.pi * j / per + 2 * math.pi * phasing * p / total
    return _circular_states(raan, u, a_m, inc_rad), p, j


def test_min_by_key_equals_a_loop():
    rng = np.random.default_rng(1)
    key = rng.integers(0, 50, 2_000)
    value = rng.normal(size=key.size)
    value[rng.integers(0, key.size, 30)] = np.inf
    best, where = graph.min_by_key(key, value, 60)
    for k in range(60):
        hits = [i for i in range(key.size) if key[i] == k and np.isfinite(value[i])]
        if not hits:
            assert best[k] == np.inf and where[k] == -1
        else:
            i = min(hits, key=lambda i: (value[i], i))   # ties go to the first occurrence
            assert best[k] == value[i] and where[k] == i


def test_clears_earth_against_the_tangent_geometry():
    # Two satellites at radius R on either side of the Earth's centre line: the chord between
    # them passes at distance R cos(theta/2) from the centre (theta: their separation angle).
    R = R_E + 550e3
    radius = graph.BLOCKAGE_RADIUS_M
    theta_limit = 2 * math.acos(radius / R)
    for theta, clear in ((theta_limit - 1e-4, True), (theta_limit + 1e-4, False)):
        p = np.array([[R], [0.0], [0.0]])
        q = np.array([[R * math.cos(theta)], [R * math.sin(theta)], [0.0]])
        assert bool(graph.clears_earth(p, q)[0]) is clear
        L = np.linalg.norm(q - p, axis=0)
        assert bool(graph.clears_earth_lengths([R], [R], L)[0]) is clear


def test_infer_planes_recovers_a_walker_shell():
    (r, v), plane, slot = _walker(60, 6, 1, R_E + 550e3, math.radians(53))
    planes = graph.infer_planes(r, v, mu_m3_s2=MU)
    assert planes.count == 6
    for members in planes.members:
        assert len(set(plane[members])) == 1          # one true plane each
        # ordered by argument of latitude: slots ascend once round the plane
        assert sorted(slot[members]) == list(range(10))
    # delta shell: the planes go all the way round, so the last joins the first
    assert {tuple(sorted(x)) for x in planes.adjacent.tolist()} == {
        tuple(sorted((k, (k + 1) % 6))) for k in range(6)}


def test_plus_grid_in_plane_links_are_the_plane_neighbours():
    (r, v), plane, slot = _walker(40, 4, 1, R_E + 550e3, math.radians(53))
    planes = graph.infer_planes(r, v, mu_m3_s2=MU)
    links = graph.plus_grid_links(r[:, :, None], planes)
    pairs = {(int(a), int(b)) for a, b in zip(links.a, links.b)}
    for s in range(40):
        nxt = plane[s] * 10 + (slot[s] + 1) % 10
        assert (min(s, nxt), max(s, nxt)) in pairs
    # every link is as long as the distance between its end points
    d = np.linalg.norm(r[:, links.a] - r[:, links.b], axis=0)
    np.testing.assert_allclose(links.length_m, d, rtol=0, atol=1e-6)


def test_range_links_equal_brute_force_pairs():
    rng = np.random.default_rng(7)
    N, T = 40, 5
    u = rng.uniform(0, 2 * math.pi, (N, T))
    raan = rng.uniform(0, 2 * math.pi, N)[:, None]
    r = _circular_states(np.broadcast_to(raan, (N, T)), u, R_E + 1_000e3, math.radians(60))[0]
    ga, gb = np.arange(0, 20), np.arange(20, 40)
    max_range = 3_000e3
    links = graph.range_links(r, ga, gb, max_range)
    got = {(int(a), int(b), int(t)) for a, b, t in zip(links.a, links.b, links.t)}
    want = set()
    for t in range(T):
        for a in ga:
            for b in gb:
                p, q = r[:, a, t], r[:, b, t]
                d = np.linalg.norm(p - q)
                if d <= max_range and graph.clears_earth(p[:, None], q[:, None])[0]:
                    want.add((int(a), int(b), t))
    assert got == want


def test_shortest_light_time_equals_networkx_dijkstra():
    nx = pytest.importorskip("networkx")
    rng = np.random.default_rng(3)
    N, T, E = 30, 4, 300
    a = rng.integers(0, N, E)
    b = rng.integers(0, N, E)
    keep = a != b
    a, b = a[keep], b[keep]
    t = rng.integers(0, T, a.size)
    # Links are unique per step (every builder guarantees it; scipy would add duplicate weights).
    _, first = np.unique(np.stack([t, np.minimum(a, b), np.maximum(a, b)]), axis=1, return_index=True)
    a, b, t = a[first], b[first], t[first]
    w = rng.uniform(0.001, 0.02, a.size)
    links = graph.Links(np.minimum(a, b), np.maximum(a, b), t, w * 3e8)
    targets = np.array([0, 5])
    dist, source = graph.shortest_light_time(N, T, links, w, targets=targets, chunk_nodes=64)
    for step in range(T):
        g = nx.Graph()
        g.add_nodes_from(range(N))
        for x, y, ww in zip(a[t == step], b[t == step], w[t == step]):
            g.add_edge(int(x), int(y), weight=float(ww))
        ref = nx.multi_source_dijkstra_path_length(g, set(targets.tolist()))
        for s in range(N):
            if s in ref:
                assert dist[s, step] == pytest.approx(ref[s], abs=1e-12)
                assert source[s, step] in targets
            else:
                assert dist[s, step] == np.inf and source[s, step] == -1


def test_plus_grid_is_four_fixed_links_with_the_walker_seam_shifted_by_f():
    # Walker delta 240/12/1: slot k of plane p links slot k of plane p+1; from the last plane to
    # the first the phasing has accumulated to F = 1 slot, so slot k links slot k+1.
    (r, v), plane, slot = _walker(240, 12, 1, R_E + 550e3, math.radians(53))
    planes = graph.infer_planes(r, v, mu_m3_s2=MU)
    a, b = graph.plus_grid_pairs(planes)
    pairs = set(zip(a.tolist(), b.tolist()))
    assert len(pairs) == 2 * 240 and np.all(np.bincount(np.concatenate([a, b])) == 4)
    sat = lambda p, k: p * 20 + k % 20  # noqa: E731
    for k in range(20):
        for p in range(11):
            assert tuple(sorted((sat(p, k), sat(p + 1, k)))) in pairs
        assert tuple(sorted((sat(11, k), sat(0, k + 1)))) in pairs
    # Fixed: the same pairs at every step, dropped (not replaced) when out of range.
    t = np.linspace(0, 5400, 7)
    n = math.sqrt(MU / (R_E + 550e3) ** 3)
    states = [_circular_states(2 * math.pi * plane / 12, 2 * math.pi * slot / 20 + 2 * math.pi * plane / 240 + n * tt,
                               R_E + 550e3, math.radians(53))[0] for tt in t]
    track = np.stack(states, axis=2)
    links = graph.plus_grid_links(track, planes, max_range_m=3_000e3)
    assert set(zip(links.a.tolist(), links.b.tolist())) <= pairs
    near = graph.plus_grid_links(track, planes)
    assert np.all(np.bincount(near.t, minlength=t.size) == 480)   # none blocked in this dense shell


def test_walker_star_has_no_links_across_its_seam():
    # Six polar planes over 180 deg: planes 5 and 0 meet counter-rotating, so no cross links there.
    per = 8
    p = np.repeat(np.arange(6), per)
    k = np.tile(np.arange(per), 6)
    r, v = _circular_states(math.pi * p / 6, 2 * math.pi * k / per, R_E + 780e3, math.radians(86.4))
    planes = graph.infer_planes(r, v, mu_m3_s2=MU)
    assert planes.count == 6 and planes.adjacent.shape[0] == 5
    a, b = graph.plus_grid_pairs(planes)
    plane_of = planes.plane_of
    crossing = {tuple(sorted((int(plane_of[x]), int(plane_of[y])))) for x, y in zip(a, b) if plane_of[x] != plane_of[y]}
    first, last = int(plane_of[0]), int(plane_of[5 * per])
    assert tuple(sorted((first, last))) not in crossing and len(crossing) == 5
