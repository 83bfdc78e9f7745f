"""SGP4 propagator against skyfield's EarthSatellite and Vallado's verification vectors."""

from __future__ import annotations

import types
from importlib.resources import files

import numpy as np
import pytest
from astropy.time import Time
from sgp4.api import Satrec
from skyfield.api import EarthSatellite
from skyfield.framelib import itrs

from orbitlink import times
from orbitlink.propagators import sgp4 as sgp4_propagator
from orbitlink.times import TimeGrid

from .conftest import ONE_METER, ONE_MICROMETER

# ISS element set from skyfield's documentation (earth-satellites.rst).
ISS = (
    "1 25544U 98067A   14020.93268519  .00009878  00000-0  18200-3 0  5082",
    "2 25544  51.6498 109.4756 0003572  55.9686 274.8005 15.49815350868473",
)
# A sun-synchronous and an eccentric (Molniya-type) satellite from Vallado's SGP4-VER.TLE.
SSO = (
    "1 28057U 03049A   06177.78615833  .00000060  00000-0  35940-4 0  1836",
    "2 28057  98.4283 247.6961 0000884  88.1964 271.9322 14.35478080140550",
)


def _elements(*tles, names=None):
    sats = [Satrec.twoline2rv(l1, l2) for l1, l2 in tles]
    names = names or [f"sat{k}" for k in range(len(sats))]
    return types.SimpleNamespace(names=tuple(names), satrecs=tuple(sats))


@pytest.mark.parametrize("tle", [ISS, SSO], ids=["iss", "sso"])
def test_matches_skyfield_gcrs_and_itrs(tle):
    grid = times.time_grid(Time(Satrec.twoline2rv(*tle).jdsatepoch, format="jd", scale="utc"),
                           "24h", "60s")
    track = sgp4_propagator.propagate(_elements(tle), grid)
    sat = EarthSatellite(*tle, ts=times.timescale())
    pos = sat.at(grid.sf)
    r_itrs, v_itrs = pos.frame_xyz_and_velocity(itrs)
    # skyfield's own GCRS and ITRS (the issue asks for < 1 m).  Measured: GCRS 4.7 um and
    # ITRS 2.7 mm, the interpolated TEME and Earth-orientation matrices (orbitlink.earth).
    assert np.abs(pos.position.m - track.r_gcrs_m[:, 0]).max() < 10 * ONE_MICROMETER
    assert np.abs(r_itrs.m - track.r_itrs_m[:, 0]).max() < 0.01 * ONE_METER
    assert np.abs(pos.velocity.m_per_s - track.v_gcrs_m_s[:, 0]).max() < 1e-6
    assert np.abs(v_itrs.m_per_s - track.v_itrs_m_s[:, 0]).max() < 1e-4
    assert track.valid.all() and track.messages == ()


def _vallado_cases():
    """Satellites of sgp4's SGP4-VER.TLE with the TEME states of tcppver.out (Vallado 2006)."""
    tle_lines = files("sgp4").joinpath("SGP4-VER.TLE").read_text().splitlines()
    line1 = {}
    tles = {}
    for line in tle_lines:
        if line.startswith("1 "):
            line1[line[2:7].strip()] = line[:69]
        elif line.startswith("2 "):
            tles[line[2:7].strip()] = (line1[line[2:7].strip()], line[:69])
    cases, current = [], None
    for line in files("sgp4").joinpath("tcppver.out").read_text().splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1] == "xx":
            current = {"satnum": parts[0], "tsince": [], "r_km": []}
            cases.append(current)
        elif parts:
            current["tsince"].append(float(parts[0]))
            current["r_km"].append([float(x) for x in parts[1:4]])
    for case in cases:
        key = case["satnum"].lstrip("0") or "0"
        match = next(v for k, v in tles.items() if (k.lstrip("0") or "0") == key)
        case["tle"] = match
    return cases


VALLADO = _vallado_cases()


def test_reproduces_vallado_verification_vectors():
    """Every state in tcppver.out (Vallado et al., AIAA 2006-6753) within 1 cm in TEME.

    Satellites that SGP4 stops propagating (decay, eccentricity errors) must
    end as masked samples with a message, never as an exception.
    """
    checked = masked = 0
    for case in VALLADO:
        sat = Satrec.twoline2rv(*case["tle"])
        # tsince counts UTC days without leap seconds, like the UTC Julian dates
        # SGP4 takes.  Build the grid in TAI by adding the leap-second offset in
        # force at each such date (skyfield's table): the inverse of what the
        # propagator does when it feeds SGP4.
        ts = times.timescale()
        whole = sat.jdsatepoch + np.floor(sat.jdsatepochF + np.array(case["tsince"]) / 1440.0)
        frac = sat.jdsatepochF + np.array(case["tsince"]) / 1440.0 - (whole - sat.jdsatepoch)
        leap_s = ts.leap_offsets[np.searchsorted(ts.leap_dates, whole + frac, "right") - 1]
        tai_frac = frac + leap_s / 86400.0
        start = Time(whole[0], tai_frac[0], format="jd", scale="tai")
        grid = TimeGrid(start, ((whole - whole[0]) + (tai_frac - tai_frac[0])) * 86400.0)
        track = sgp4_propagator.propagate(_elements(case["tle"]), grid)
        # Back to TEME with skyfield's rotation, where Vallado's vectors live.
        from orbitlink.earth import teme_to_gcrs

        M = teme_to_gcrs(grid)
        r_teme_m = np.einsum("jit,jt->it", M, track.r_gcrs_m[:, 0])
        expected_m = np.array(case["r_km"]).T * 1e3
        ok = track.valid[0]
        if ok.any():
            assert np.abs(r_teme_m[:, ok] - expected_m[:, ok]).max() < 0.01 * ONE_METER, case["satnum"]
        checked += int(ok.sum())
        if not ok.all():
            masked += 1
            assert track.messages and "SGP4 error" in track.messages[0]
            assert np.isnan(track.r_itrs_m[:, 0, ~ok]).all()
    assert checked > 500
    assert masked >= 1  # the file includes satellites that decay


def test_decayed_satellite_is_masked_not_fatal():
    # 33334 from SGP4-VER.TLE decays: the good satellite beside it must be untouched.
    bad = next(c for c in VALLADO if c["satnum"].lstrip("0") == "33334")["tle"]
    sat = Satrec.twoline2rv(*bad)
    epoch = Time(sat.jdsatepoch, sat.jdsatepochF, format="jd", scale="utc")
    grid = times.time_grid(epoch, "2d", "10min")
    track = sgp4_propagator.propagate(_elements(ISS, bad, names=["iss", "decaying"]), grid)
    assert track.valid[0].all()
    assert not track.valid[1].all()
    assert len(track.messages) == 1 and track.messages[0].startswith("decaying: SGP4 error")
