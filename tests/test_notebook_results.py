"""Notebook results, part 2 (issue 18): short reprs for every result type, to_pandas() on latency
series and coverage cells, Track.to_xarray() (xarray as an extra)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import orbitlink
from orbitlink.errors import LatencyError, MissingExtraError, OrbitlinkError
from orbitlink.stations import load_catalog

START = "2026-01-01T00:00:00Z"
MAX_REPR = 400          # characters: a notebook cell's output of at most a few lines


def _short(obj, *must):
    text = repr(obj)
    assert len(text) <= MAX_REPR and text.count("\n") < 3, (len(text), text[:600])
    for fragment in must:
        assert fragment in text, (fragment, text)
    return text


@pytest.fixture(scope="module")
def walker_track():
    shell = orbitlink.walker(1584, 72, 1, orbit="550km", epoch=START)
    return orbitlink.propagate(shell, start=START, duration="10min", step="60s")


@pytest.fixture(scope="module")
def latency(walker_track):
    users = load_catalog("cities-top100").select(range(5))
    return orbitlink.round_trip(walker_track, load_catalog("starlink-gateways"), users=users)


def test_latency_result_repr_is_short_and_counts(latency):
    # Before: the dataclass repr printed every array of the series (30 k characters for this run).
    _short(latency, "LatencyResult(5 users x 11 steps from 2026-01-01T00:00:00Z, 1584 satellites",
           f"availability {100 * latency.availability:.3f} %", "users Tokyo, Delhi, Shanghai, ... (+2)")
    _short(latency.series, "5 users x 11 steps of 60 s", "arrays (5, 11)", "1584 satellites")
    _short(latency.users[0], "UserLatency('Tokyo'")
    one = orbitlink.round_trip(orbitlink.propagate("550km", start=START, duration="2h"), users="London")
    _short(one, "LatencyResult(1 user x 121 steps", "users London)")


def test_latency_to_pandas_per_step_matches_the_series(latency):
    pd = pytest.importorskip("pandas")
    s = latency.series
    df = latency.to_pandas()
    U, T = s.rtt_s.shape
    assert len(df) == U * T and list(df["user"][:T]) == [s.users[0]] * T
    np.testing.assert_array_equal(df["rtt_ms"].to_numpy(), s.rtt_s.reshape(-1) * 1e3)
    np.testing.assert_array_equal(df["path"].to_numpy(), np.isfinite(s.rtt_s).reshape(-1))
    assert df["time"].iloc[0] == pd.Timestamp(START) and str(df["time"].dt.tz) == "UTC"
    assert (df["time"].iloc[T - 1] - df["time"].iloc[0]).total_seconds() == pytest.approx(s.t_s[-1], abs=1e-6)
    # names where a path exists, None where none
    k = int(np.flatnonzero(np.isfinite(s.rtt_s.reshape(-1)))[0])
    u, t = divmod(k, T)
    g = s.gateway[u, t]
    assert df["gateway"].iloc[k] == ("terminal" if g < 0 else s.gateway_names[g])
    assert df["access_satellite"].iloc[k] == s.satellite_names[s.access[u, t]]
    assert df.loc[~df["path"], "gateway"].isna().all()


def test_latency_to_pandas_per_user_matches_the_users(latency):
    pytest.importorskip("pandas")
    df = latency.to_pandas(by="user")
    assert list(df["user"]) == [x.name for x in latency.users]
    for k, x in enumerate(latency.users):
        assert df["availability"].iloc[k] == x.availability
        assert df["outages"].iloc[k] == x.outage.count
        if x.rtt.p99_ms is None:
            assert np.isnan(df["rtt_p99_ms"].iloc[k])
        else:
            assert df["rtt_p99_ms"].iloc[k] == x.rtt.p99_ms
    with pytest.raises(LatencyError, match=r"^by: 'satellite' is not 'step' or 'user'"):
        latency.to_pandas(by="satellite")


def test_other_result_reprs_are_short(walker_track):
    from orbitlink.visibility import contact_statistics, find_passes

    _short(orbitlink.walker(1584, 72, 1, orbit="550km"), "OrbitSet(1584 satellites", "(+1581)")
    _short(walker_track, "Track(1584 satellites x 11 steps of 60 s", "arrays (3, 1584, 11)", "(+1581)")
    _short(orbitlink.propagate("550km", start=START, duration="1h"), "Track(1 satellite x 61 steps")
    _short(load_catalog("ksat").select(["SvalSat"]), "GroundStations(1 station from ksat; SvalSat)")
    gs = load_catalog("aws-ground-station")
    passes = find_passes(walker_track, gs)
    _short(passes, f"{len(passes)} passes of 1584 satellites over {len(gs)} stations")
    first = passes[0]
    _short(first, f"Pass({first.satellite!r} over {first.station!r}", "max elevation")   # was 600+ characters
    _short(contact_statistics(passes), "ContactStatistics(1584 satellites")
    cov = orbitlink.coverage_map(walker_track, resolution="10deg")
    _short(cov, "CoverageMap(18 x 36 cells of 10 deg, 1584 satellites", "11 samples")
    report = orbitlink.eclipses(walker_track, detail=True)
    _short(report, "EclipseReport(1584 satellites")
    _short(report.intervals, f"EclipseIntervals({len(report.intervals)} intervals of 1584 satellites")
    season = next(x[0] for x in report.seasons if x)
    _short(season, "Season(2026-01-01T")
    _short(report.power("10m2", "30%", load="1kW"), "PowerBudget(1584 satellites, 10 m2 at 30 %", "load 1000 W")


def test_budget_datacenter_and_design_reprs_are_short():
    b = orbitlink.link_budget(altitude="550km", elevation="30deg", band="Ka", tx_power="10W", tx_dish="0.5m",
                              g_over_t="20dB/K")
    _short(b, "LinkBudget(26 GHz over 992.9 km", f"Es/N0 {b.esn0_db:.3f} dB", b.message)
    dc = orbitlink.datacenter("sso:650km", "40MW", link=False)
    _short(dc, "DataCenterReport(40 MW of IT on 1 satellite, sso 650 km", f"sunlit {100 * dc.sunlit_fraction:.2f} %")
    _short(dc.orbit, "OrbitSunlight('sso 650 km")          # was 20 k characters: a year of daily maxima
    d = orbitlink.design(satellites="24,48", duration="1h", step="60s", verify=None, refine=False,
                         start=START)
    _short(d, f"DesignResult({len(d.candidates)} candidates, screened over 1h at 60 s")


def test_coverage_map_to_pandas():
    pytest.importorskip("pandas")
    cov = orbitlink.coverage_map(orbitlink.walker(6, 3, 1, orbit="550km"), start=START, duration="2h",
                                 resolution="30deg")
    df = cov.to_pandas()
    assert len(df) == cov.fraction.size
    k = 2 * cov.lon_deg.size + 3                          # row-major: cell (2, 3)
    assert (df["lat_deg"].iloc[k], df["lon_deg"].iloc[k]) == (cov.lat_deg[2], cov.lon_deg[3])
    assert df["fraction"].iloc[k] == cov.fraction[2, 3]


def test_track_to_xarray_round_trips():
    pytest.importorskip("xarray")
    tr = orbitlink.propagate(orbitlink.walker(6, 3, 1, orbit="550km"), start=START, duration="1h", step="60s")
    ds = tr.to_xarray()
    assert dict(ds.sizes) == {"xyz": 3, "satellite": 6, "time": 61}
    for name in ("r_gcrs_m", "v_gcrs_m_s", "r_itrs_m", "v_itrs_m_s"):
        assert ds[name].dims == ("xyz", "satellite", "time")
        np.testing.assert_array_equal(ds[name].to_numpy(), getattr(tr, name))
    assert ds["r_gcrs_m"].attrs["units"] == "m" and ds["v_itrs_m_s"].attrs["units"] == "m/s"
    np.testing.assert_array_equal(ds["valid"].to_numpy(), tr.valid)
    assert list(ds["satellite"].to_numpy()) == list(tr.names)
    np.testing.assert_array_equal(ds["t_s"].to_numpy(), tr.t_s)
    iso = [t.replace("Z", "") for t in tr.grid.iso()]
    assert [str(t)[:23] for t in ds["time"].to_numpy()] == iso
    lat, lon, alt = tr.geodetic()
    np.testing.assert_array_equal(ds["lat_deg"].to_numpy(), np.degrees(lat))
    np.testing.assert_array_equal(ds["alt_m"].to_numpy(), alt)
    assert ds.attrs["propagator"] == tr.propagator
    assert "lat_deg" not in tr.to_xarray(geodetic=False)


def test_missing_extras_name_themselves(latency, monkeypatch):
    tr = orbitlink.propagate("550km", start=START, duration="10min")
    cov = orbitlink.coverage_map(tr, resolution="30deg")
    monkeypatch.setitem(sys.modules, "pandas", None)       # import pandas -> ImportError
    monkeypatch.setitem(sys.modules, "xarray", None)
    for call in (latency.to_pandas, latency.series.to_pandas, cov.to_pandas):
        with pytest.raises(MissingExtraError, match=r'pip install "orbitlink\[pandas\]"') as err:
            call()
        assert err.value.extra == "pandas"
    with pytest.raises(MissingExtraError, match=r'Track.to_xarray\(\) .*pip install "orbitlink\[xarray\]"') as err:
        tr.to_xarray()
    assert err.value.extra == "xarray" and isinstance(err.value, OrbitlinkError)


def test_plan_volume_geometry_and_grid_reprs_are_short():
    """The last four results that printed their arrays (ContactPlan, VolumeResult, PassGeometry, TimeGrid)."""
    from orbitlink.link.budget import link_parameters

    grid = orbitlink.time_grid(START, "24h", "60s")
    _short(grid, "1441 times", "60 s", "2026-01-01T00:00:00.000Z")
    track = orbitlink.propagate("550km", grid)
    passes = orbitlink.find_passes(track, "ksat", frequency="8.2GHz")
    n = len(passes)
    _short(passes.geometry, f"{n} passes", "km", "8.2 GHz")
    plan = orbitlink.schedule(track, "ksat", objective="contact")
    _short(plan, f"of {n} passes scheduled", "1 satellite x 36 stations")
    volume = orbitlink.data_volume(track, "ksat", link_parameters(band="X", tx_power="10W", tx_gain="20dBi",
                                                                  g_over_t="30dB/K"))
    _short(volume, "TB/day", f"{n} passes", "36 stations")
