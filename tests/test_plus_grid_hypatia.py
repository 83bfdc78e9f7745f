"""The +Grid against a published series: Hypatia's Kuiper-630 RTTs (Kassing et al., IMC 2020).

tests/data/hypatia_kuiper630/ holds a subsample of the round-trip times Hypatia's satgenpy
publishes with its tests (snkas/hypatia, satgenpy/tests/data_to_match/kuiper_630/, MIT licence;
see that folder's README for the scenario).  The shell is rebuilt here from the published
recipe: 34 planes x 34 satellites at 630 km, 51.9 deg, TLE epoch 2000-01-01 00:00 UTC, odd planes
half a slot ahead; ground links by range (<= 1,260 km), ISLs no longer than the 80 km-altitude
tangent length, routing over ISLs only.

Hypatia computes positions with pyephem (SGP4, GMST Earth rotation); orbitlink with python-sgp4 and
IAU Earth orientation with UT1.  The two differ by a few hundred metres along the track, which
moves the RTT by at most 1.6 us (measured) and a path change by at most one 100 ms sample; the
tolerance below is 0.01 ms, and samples within one step of a published path change are left out
of the value comparison.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import orbitlink
from orbitlink.core import graph

from .conftest import ROOT

DATA = ROOT / "tests" / "data" / "hypatia_kuiper630"
C_M_S = 299_792_458.0
PLANES = SLOTS = 34
ALTITUDE_M = 630_000.0
R_WGS72_M = 6_378_135.0
MAX_GSL_M = math.sqrt((ALTITUDE_M / math.tan(math.radians(30.0))) ** 2 + ALTITUDE_M**2)
MAX_ISL_M = 2 * math.sqrt((R_WGS72_M + ALTITUDE_M) ** 2 - (R_WGS72_M + 80_000.0) ** 2)
STEP_S = 0.1
TOLERANCE_S = 0.01e-3
# Hypatia's node ids: 1156 + the city's index in its top-100 list; coordinates as published.
CITIES = {1173: (14.6042, 120.9822), 1241: (38.913811, 121.602322), 1229: (59.929858, 30.326228)}


def _checksum(line: str) -> int:
    return sum(int(c) if c.isdigit() else (c == "-") for c in line[:68]) % 10


def _kuiper_630_tles() -> str:
    out = []
    for plane in range(PLANES):
        for slot in range(SLOTS):
            k = plane * SLOTS + slot
            mean_anomaly = slot * 360.0 / SLOTS + (180.0 / SLOTS if plane % 2 else 0.0)
            l1 = f"1 {k + 1:05d}U 00000ABC 00001.00000000  .00000000  00000-0  00000+0 0    0"
            l2 = (f"2 {k + 1:05d} {51.9:8.4f} {plane * 360.0 / PLANES:8.4f} 0000001 {0.0:8.4f} "
                  f"{mean_anomaly:8.4f} {14.80:11.8f}    0")
            out += [f"Kuiper-630 {k}", l1[:68] + str(_checksum(l1)), l2[:68] + str(_checksum(l2))]
    return "\n".join(out)


def _ecef_wgs72(lat_deg, lon_deg):
    f = 1 / 298.26
    e2 = f * (2 - f)
    lat, lon = math.radians(lat_deg), math.radians(lon_deg)
    n = R_WGS72_M / math.sqrt(1 - e2 * math.sin(lat) ** 2)
    return np.array([n * math.cos(lat) * math.cos(lon), n * math.cos(lat) * math.sin(lon),
                     n * (1 - e2) * math.sin(lat)])


@pytest.fixture(scope="module")
def shell():
    elements = orbitlink.parse_tle_text(_kuiper_630_tles())
    track = orbitlink.propagate(elements, start="2000-01-01T00:00:00", duration="199.9s", step=f"{STEP_S}s")
    planes = graph.infer_planes(track.r_gcrs_m[:, :, 0], track.v_gcrs_m_s[:, :, 0], mu_m3_s2=3.986004418e14)
    return track, planes


def test_the_grid_is_hypatias_plus_grid(shell):
    _, planes = shell
    assert planes.describe() == {"planes": 34, "satellites_per_plane": [34], "cross_plane_pairs": 34,
                                 "ungrouped": 0}
    # Hypatia's +Grid (isl_shift=0): (o, s) -- (o, s+1) and (o, s) -- (o+1, s), ids o * 34 + s.
    want = set()
    for o in range(PLANES):
        for s in range(SLOTS):
            k = o * SLOTS + s
            for j in (o * SLOTS + (s + 1) % SLOTS, ((o + 1) % PLANES) * SLOTS + s):
                want.add((min(k, j), max(k, j)))
    a, b = graph.plus_grid_pairs(planes)
    assert set(zip(a.tolist(), b.tolist())) == want


def _rtt_s(track, links, src, dst):
    r = track.r_itrs_m
    to_src = np.linalg.norm(r - _ecef_wgs72(*CITIES[src])[:, None, None], axis=0)
    to_dst = np.linalg.norm(r - _ecef_wgs72(*CITIES[dst])[:, None, None], axis=0)
    finish = np.where(to_dst <= MAX_GSL_M, to_dst / C_M_S, np.inf)
    dist, _ = graph.shortest_light_time(r.shape[1], r.shape[2], links, links.length_m / C_M_S,
                                        target_cost_s=finish)
    start = np.where(to_src <= MAX_GSL_M, to_src / C_M_S, np.inf)
    return 2 * np.min(start + dist, axis=0)


@pytest.mark.slow
@pytest.mark.parametrize("src,dst", [(1173, 1241), (1229, 1241)], ids=["Manila-Dalian", "StPetersburg-Dalian"])
def test_rtt_matches_the_published_series(shell, src, dst):
    track, planes = shell
    links = graph.plus_grid_links(track.r_itrs_m, planes, max_range_m=MAX_ISL_M)
    ours = _rtt_s(track, links, src, dst)
    ref = np.loadtxt(DATA / f"rtt_{src}_to_{dst}.csv", delimiter=",", skiprows=1)
    changes = np.loadtxt(DATA / f"path_{src}_to_{dst}.csv", delimiter=",", skiprows=1, dtype=str)[:, 0]
    change_s = changes.astype(float)[1:] / 1e9
    t_s = ref[:, 0] / 1e9
    theirs = np.where(ref[:, 1] == 0.0, np.inf, ref[:, 1] / 1e9)    # Hypatia writes 0 for "no path"
    ours = ours[np.round(t_s / STEP_S).astype(int)]
    settled = np.all(np.abs(t_s[:, None] - change_s[None, :]) > STEP_S + 1e-9, axis=1)
    assert np.array_equal(np.isfinite(ours[settled]), np.isfinite(theirs[settled]))
    both = settled & np.isfinite(theirs)
    assert np.max(np.abs(ours[both] - theirs[both])) < TOLERANCE_S
    if src == 1229:
        # The published 9.8 s outage (155.4-165.1 s): no path, as in Hypatia.
        outage = (t_s >= 155.4 - 1e-9) & (t_s <= 165.1 + 1e-9)
        assert outage.sum() > 20 and not np.isfinite(ours[outage]).any()


@pytest.mark.slow
def test_round_trip_with_hypatias_rules_matches_the_published_series(shell):
    """The same comparison through the public API: +Grid, ground links by range, own terminals."""
    import astropy.units as u

    from orbitlink.link.latency import round_trip
    from orbitlink.stations import ground_station

    track, _ = shell
    manila, dalian = (ground_station(*(x * u.deg for x in CITIES[k]), name=str(k)) for k in (1173, 1241))
    result = round_trip(track, dalian, users=manila, to=dalian, direct=True, isl="grid",
                        isl_max_range=MAX_ISL_M * u.m, max_gsl_range=MAX_GSL_M * u.m)
    assert result.scenario["ground_link_rule"] == "range <= 1260 km"
    assert result.scenario["isl_topology"]["planes"] == 34
    ours = result.series.rtt_s[0]
    ref = np.loadtxt(DATA / "rtt_1173_to_1241.csv", delimiter=",", skiprows=1)
    change_s = np.loadtxt(DATA / "path_1173_to_1241.csv", delimiter=",", skiprows=1,
                          dtype=str)[1:, 0].astype(float) / 1e9
    t_s = ref[:, 0] / 1e9
    ours = ours[np.round(t_s / STEP_S).astype(int)]
    settled = np.all(np.abs(t_s[:, None] - change_s[None, :]) > STEP_S + 1e-9, axis=1)
    assert np.isfinite(ours[settled]).all()
    # WGS84 stations here vs Hypatia's WGS72: metres, well inside the tolerance.
    assert np.max(np.abs(ours[settled] - ref[settled, 1] / 1e9)) < TOLERANCE_S


def test_nearest_partner_links_are_not_the_published_grid(shell):
    """`isl="nearest"` re-picks partners every step: on this shell it finds shorter paths than
    the published +Grid (the optimistic bound the latency guide quantifies)."""
    track, planes = shell
    fixed = graph.plus_grid_links(track.r_itrs_m[:, :, ::50], planes, max_range_m=MAX_ISL_M)
    nearest = graph.nearest_plane_links(track.r_itrs_m[:, :, ::50], planes, max_range_m=MAX_ISL_M)
    pairs = lambda links: set(zip(links.a.tolist(), links.b.tolist(), links.t.tolist()))  # noqa: E731
    assert pairs(fixed) != pairs(nearest)
