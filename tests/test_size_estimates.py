"""Sizes estimated from the spec before anything is built (issue 19): pass tables and latency
series.  Huge specs fail at once (exit 2, one error line with the estimate and the option that
fixes it) without allocating; the estimates are checked against what real runs produce."""

from __future__ import annotations

import tracemalloc

import pytest

from orbitlink.errors import TimeGridError
from orbitlink.link.latency_stats import SERIES_BYTES_PER_USER_STEP, check_series_size
from orbitlink.orbits import walker
from orbitlink.stations import load_catalog
from orbitlink.visibility import find_passes
from orbitlink.visibility.results import PASS_BYTES, check_pass_table_size

from .conftest import assert_cli_error

START = "2025-01-01T00:00:00Z"
# What a refused spec may allocate before failing: the catalogs, the grid's times, the options.
REFUSAL_BUDGET_BYTES = 64 * 2**20


def _peak(call):
    """(result or exception, peak bytes traced while ``call`` ran)."""
    tracemalloc.start()
    try:
        out = call()
    except Exception as exc:       # noqa: BLE001 - returned for the caller to check
        out = exc
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return out, peak


def test_huge_pass_table_is_refused_before_any_search(run_cli):
    args = ("passes", "--walker", "40000/100/1", "--stations", "starlink-gateways", "--stations",
            "cities-top100", "--start", START, "--duration", "30d")
    r, peak = _peak(lambda: run_cli(*args))
    assert_cli_error(r, "duration", "passes", "GiB", "--duration", "--min-elevation")
    assert peak < REFUSAL_BUDGET_BYTES, peak


def test_huge_latency_series_is_refused_before_propagating(run_cli):
    args = ("latency", "--orbit", "550km", "--users", "cities", "--start", START, "--duration", "365d",
            "--step", "10s")
    r, peak = _peak(lambda: run_cli(*args))
    assert_cli_error(r, "latency series", "100 users x 3,153,601 steps", "28.2 GiB", "--step", "--duration")
    assert peak < REFUSAL_BUDGET_BYTES, peak


def test_huge_latency_series_is_refused_by_the_api():
    from orbitlink.link.latency import round_trip

    out, peak = _peak(lambda: round_trip("550km", users="cities", start=START, duration="365d", step="10s"))
    assert isinstance(out, TimeGridError) and "latency series" in str(out)
    assert peak < REFUSAL_BUDGET_BYTES, peak


def test_huge_latency_series_is_refused_on_dask_before_any_task(run_cli):
    """The Dask path (scale.round_trip, and the CLI's --dask) joins the series in one process
    too: refused from the spec, before a slice is propagated or a scheduler contacted."""
    pytest.importorskip("dask")
    from orbitlink import scale

    out, peak = _peak(lambda: scale.round_trip("550km", users="cities", start=START, duration="365d",
                                               step="10s", client="tcp://127.0.0.1:9"))
    assert isinstance(out, TimeGridError) and "100 users x 3,153,601 steps" in str(out)
    assert peak < REFUSAL_BUDGET_BYTES, peak
    args = ("latency", "--orbit", "550km", "--users", "cities", "--start", START, "--duration", "365d",
            "--step", "10s", "--dask", "tcp://127.0.0.1:9")
    assert_cli_error(run_cli(*args), "latency series", "--step")


def test_series_estimate_arithmetic():
    assert check_series_size(100, 1000) == 100 * 1000 * SERIES_BYTES_PER_USER_STEP
    with pytest.raises(TimeGridError, match="fewer --users"):
        check_series_size(1000, 10**6)


def test_series_estimate_covers_the_measured_growth():
    """The series' bytes per user-step (tracemalloc peak, marginal between two spans in slices)
    stay under the constant the check uses."""
    from orbitlink.link.latency import round_trip

    users = load_catalog("cities-top100")
    round_trip("550km", users=users, start=START, duration="2h", step="60s")   # one-time loads and caches
    peaks = []
    for duration in ("8d", "16d"):
        result, peak = _peak(lambda: round_trip("550km", users=users, start=START, duration=duration,
                                                step="60s", steps_per_slice=5000))
        peaks.append((result.series.rtt_s.size, peak))
    per_user_step = (peaks[1][1] - peaks[0][1]) / (peaks[1][0] - peaks[0][0])
    # More than the 32 B of series the result keeps; 61 B measured (81 B with 50,000-step slices).
    assert 32 < per_user_step < SERIES_BYTES_PER_USER_STEP, per_user_step


@pytest.mark.parametrize("total, planes, stations, duration_s", [
    (60, 6, "starlink-gateways", 3 * 3600.0),
    (24, 4, "cities-top100", 6 * 3600.0),
])
def test_pass_count_estimate_against_the_search(total, planes, stations, duration_s):
    """The spherical-average estimate is within 30 % of the passes actually found (the
    estimate ignores where stations sit relative to the inclination)."""
    gs = load_catalog(stations)
    shell = walker(total, planes, 1, altitude="550km", inclination="53deg", epoch=START)
    found = find_passes(shell, gs, start=START, duration=f"{duration_s}s", step="60s", geometry=False)
    estimate = check_pass_table_size(shell, gs, duration_s) / PASS_BYTES
    assert len(found) > 50
    assert 0.7 < estimate / len(found) < 1.3, (estimate, len(found))


def test_pass_table_bytes_per_pass_covers_the_table():
    gs = load_catalog("starlink-gateways")
    found = find_passes(walker(24, 4, 1, altitude="550km", inclination="53deg", epoch=START), gs,
                        start=START, duration="2h", step="60s")
    arrays = [found.sat_index, found.station_index, found.aos_s, found.tca_s, found.los_s,
              found.max_elevation_rad, found.aos_cut, found.los_cut]
    g = found.geometry
    arrays += [v for v in vars(g).values() if hasattr(v, "nbytes")]
    per_pass = sum(a.nbytes for a in arrays) / len(found)
    # The table, its copy while the chunks are merged and the sort order fit in PASS_BYTES.
    assert 2 * per_pass + 8 <= PASS_BYTES, per_pass
