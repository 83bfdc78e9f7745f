"""Ground-track plots, the bundled coastline, bundled-data lookup and antimeridian splitting."""

from __future__ import annotations

import hashlib
import io
import json
import re
import struct
import sys
import time

import numpy as np
import pytest

from orbitlink import plot
from orbitlink.data import DataFileError, ephemeris_path
from orbitlink.errors import OrbitlinkError
from orbitlink.plot import groundtrack as groundtrack_plot
from orbitlink.visibility.groundtrack import split_antimeridian

from .conftest import EPHEMERIS, assert_cli_error

COASTLINE = ("coastline", "ne_110m_coastline.geojson")
LONDON_LON_LAT = (-0.1, 51.5)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    assert data[12:16] == b"IHDR"
    return struct.unpack(">2I", data[16:24])


@pytest.fixture(scope="module")
def one_satellite_track():
    from orbitlink import orbits, propagators, times

    return propagators.propagate(orbits.circular("550km"), times.time_grid("2026-01-01", "2h", "60s"))


# --- bundled data -----------------------------------------------------------

def test_ephemeris_path_finds_bundled_files():
    root = ephemeris_path()
    assert root.is_dir()
    assert root.resolve() == EPHEMERIS.resolve()
    path = ephemeris_path(*COASTLINE)
    assert path.is_file()
    assert path.resolve() == (EPHEMERIS.joinpath(*COASTLINE)).resolve()
    assert ephemeris_path("coastline").is_dir()


def test_ephemeris_path_missing_file_is_a_clear_error():
    with pytest.raises(DataFileError) as info:
        ephemeris_path("coastline", "no-such-file.geojson")
    assert isinstance(info.value, OrbitlinkError)
    assert isinstance(info.value, FileNotFoundError)
    assert "ephemeris/coastline/no-such-file.geojson" in str(info.value)


def test_coastline_readme_records_the_shipped_sha256_and_size():
    path = ephemeris_path(*COASTLINE)
    data = path.read_bytes()
    readme = ephemeris_path("coastline", "README.md").read_text(encoding="utf-8")
    assert hashlib.sha256(data).hexdigest() in readme
    assert f"{len(data):,} bytes" in readme
    assert "public domain" in readme.lower()
    assert len(data) < 500_000


# --- coastline --------------------------------------------------------------

def test_coastline_loads_offline_and_is_plausible():
    lines = plot.load_coastline()
    assert len(lines) > 100
    assert plot.load_coastline()[0] is lines[0]  # cached
    all_xy = np.concatenate(lines)
    assert all_xy.shape[1] == 2 and len(all_xy) > 3000
    assert np.isfinite(all_xy).all()
    assert (np.abs(all_xy[:, 0]) <= 180).all() and (np.abs(all_xy[:, 1]) <= 90).all()
    # No piece crosses the map (a jump across the antimeridian would draw a line over it),
    # and the map-frame edges of the source polygons are gone.
    for line in lines:
        assert line.ndim == 2 and len(line) >= 2
        assert (np.abs(np.diff(line[:, 0])) < 180).all()
    assert all_xy[:, 1].min() > -90 + 1  # Antarctica's closing edge along -90 was cut off
    # Total length in degrees: the 1:110m world coastline is several thousand degrees.
    length = sum(np.hypot(*np.diff(line, axis=0).T).sum() for line in lines)
    assert 3000 < length < 10000
    # Great Britain is there: a coastline vertex within 1 deg of London.
    d = np.hypot(all_xy[:, 0] - LONDON_LON_LAT[0], all_xy[:, 1] - LONDON_LON_LAT[1])
    assert d.min() < 1.0
    with pytest.raises(ValueError):
        lines[0][0, 0] = 0.0  # shared cached arrays are read-only


def test_land_polygons_put_land_and_sea_where_they_belong():
    from shapely.geometry import MultiPolygon, Point, Polygon

    land = MultiPolygon([Polygon(p[0], p[1:]) for p in plot.load_land()])
    assert land.is_valid
    for lon, lat in [(20.0, 0.0), (2.35, 48.85), (-100.0, 40.0), (135.0, -25.0),
                     (-60.0, -10.0), (90.0, 60.0), (0.0, -85.0)]:
        assert land.contains(Point(lon, lat)), (lon, lat)
    for lon, lat in [(-30.0, 0.0), (-150.0, 0.0), (80.0, -30.0), (51.0, 42.0)]:  # last: Caspian
        assert not land.contains(Point(lon, lat)), (lon, lat)


# --- split_antimeridian -----------------------------------------------------

def test_split_antimeridian_eastward_crossing_ends_on_the_antimeridian():
    lon = np.array([170.0, 175.0, -175.0, -170.0])
    lat = np.array([0.0, 1.0, 2.0, 3.0])
    pieces = split_antimeridian(lon, lat)
    assert len(pieces) == 2
    np.testing.assert_allclose(pieces[0], [[170, 0], [175, 1], [180, 1.5]])
    np.testing.assert_allclose(pieces[1], [[-180, 1.5], [-175, 2], [-170, 3]])


def test_split_antimeridian_westward_crossing_interpolates_latitude():
    lon = np.array([-170.0, -178.0, 176.0])  # -178 -> 176 is 6 deg west: 2 to the edge
    lat = np.array([10.0, 20.0, 32.0])
    pieces = split_antimeridian(lon, lat)
    assert len(pieces) == 2
    np.testing.assert_allclose(pieces[0][-1], [-180.0, 24.0])
    np.testing.assert_allclose(pieces[1][0], [180.0, 24.0])
    np.testing.assert_allclose(pieces[1][-1], [176.0, 32.0])


def test_split_antimeridian_no_crossing_and_nan_gaps():
    lon = np.array([0.0, 10.0, np.nan, 30.0, 40.0, np.nan, 60.0])
    lat = np.zeros_like(lon)
    pieces = split_antimeridian(lon, lat)
    assert [p[:, 0].tolist() for p in pieces] == [[0, 10], [30, 40]]  # lone 60 dropped


# --- plot -------------------------------------------------------------------

def test_plot_ground_track_writes_a_png_to_a_file_object(one_satellite_track):
    pytest.importorskip("matplotlib")
    buf = io.BytesIO()
    plot.plot_ground_track(one_satellite_track, buf, title="test")
    data = buf.getvalue()
    width, height = png_size(data)
    assert 800 <= width <= 2000 and 400 <= height <= 1200
    assert 1.5 < width / height < 2.2  # an equirectangular world map
    assert len(data) > 20_000


def test_plot_ground_track_writes_a_png_to_a_path(one_satellite_track, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "track.png"
    plot.plot_ground_track(one_satellite_track, out)
    assert out.read_bytes()[:8] == PNG_MAGIC


def test_plot_many_satellites_style_and_time_stride(monkeypatch, tmp_path):
    pytest.importorskip("matplotlib")
    from orbitlink import orbits, propagators, times

    tr = propagators.propagate(orbits.walker(12, 3, 1, "550km", "53deg"),
                               times.time_grid("2026-01-01", "2h", "60s", satellites=12))
    monkeypatch.setattr(groundtrack_plot, "MANY_SATELLITES", 5)
    monkeypatch.setattr(groundtrack_plot, "MAX_TRACK_POINTS", 500)  # forces drawing every 3rd sample
    out = tmp_path / "many.png"
    plot.plot_ground_track(tr, str(out))
    assert out.read_bytes()[:8] == PNG_MAGIC


@pytest.mark.slow
def test_plot_a_1584_satellite_constellation_is_fast(tmp_path, one_satellite_track):
    pytest.importorskip("matplotlib")
    from orbitlink import orbits, propagators, times

    plot.plot_ground_track(one_satellite_track, io.BytesIO())  # imports and caches warm
    tr = propagators.propagate(orbits.walker(1584, 72, 1, "550km", "53deg"),
                               times.time_grid("2026-01-01", "2h", "60s", satellites=1584))
    t0 = time.perf_counter()
    plot.plot_ground_track(tr, tmp_path / "walker.png")
    elapsed = time.perf_counter() - t0
    assert elapsed < 3.0, elapsed
    assert (tmp_path / "walker.png").read_bytes()[:8] == PNG_MAGIC


# --- the plot package: every plot checks for matplotlib; old module paths ---------

PLOT_FUNCTIONS = [
    ("orbitlink.plot.groundtrack", "plot_ground_track"),
    ("orbitlink.plot.eclipse", "plot_eclipse"),
    ("orbitlink.plot.latency", "plot_latency"),
    ("orbitlink.plot.coverage", "plot_coverage_map"),
    ("orbitlink.plot.feasibility", "plot_eclipse_season"),
    ("orbitlink.plot.feasibility", "plot_mass_breakdown"),
    ("orbitlink.plot.feasibility", "plot_launch_cost"),
    ("orbitlink.plot.feasibility", "plot_radiator_temperature"),
]


@pytest.mark.parametrize("module, function", PLOT_FUNCTIONS)
def test_every_plot_without_matplotlib_names_the_extra(module, function, monkeypatch):
    # Issue 14: plot_feasibility skipped the check and raised a raw ModuleNotFoundError.
    import importlib

    from orbitlink.errors import MissingExtraError

    draw = getattr(importlib.import_module(module), function)
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    with pytest.raises(MissingExtraError, match=r'pip install "orbitlink\[plot\]"'):
        draw(object(), io.BytesIO())


def test_old_plot_module_paths_still_import_without_matplotlib():
    import subprocess

    code = ("import sys\n"
            "from orbitlink.plot_eclipse import plot_eclipse\n"
            "from orbitlink.plot_latency import plot_latency\n"
            "from orbitlink.plot_coverage import plot_coverage_map\n"
            "from orbitlink.plot_feasibility import PLOTS\n"
            "from orbitlink.plot import plot_ground_track, require_matplotlib, draw_world\n"
            "import orbitlink.plot.eclipse as e, orbitlink.plot.feasibility as f\n"
            "assert plot_eclipse is e.plot_eclipse and PLOTS is f.PLOTS\n"
            "assert 'matplotlib' not in sys.modules, 'imported matplotlib'\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- CLI --------------------------------------------------------------------

def test_cli_track_plot_writes_png(run_cli, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "out.png"
    result = run_cli("track", "--orbit", "550km", "--duration", "2h", "--step", "60s",
                     "--start", "2026-01-01", "--plot", out)
    assert result.code == 0, result.err
    data = out.read_bytes()
    assert data[:8] == PNG_MAGIC and len(data) > 20_000
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_cli_track_plot_without_matplotlib_names_the_extra(run_cli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    out = tmp_path / "out.png"
    result = run_cli("track", "--orbit", "550km", "--duration", "2h", "--step", "60s",
                     "--start", "2026-01-01", "--plot", out)
    assert_cli_error(result, 'pip install "orbitlink[plot]"', "--plot")
    assert not out.exists()


def test_cli_track_geojson_lines_never_jump_across_the_map(run_cli, tmp_path):
    from shapely.geometry import shape

    out = tmp_path / "out.json"
    result = run_cli("track", "--orbit", "550km", "--duration", "3h", "--step", "60s",
                     "--start", "2026-01-01", "--geojson", out)
    assert result.code == 0, result.err
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and doc["features"]
    n_lines = 0
    on_antimeridian = 0
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        geom = shape(feature["geometry"])
        assert geom.is_valid and not geom.is_empty
        lines = geom.geoms if geom.geom_type == "MultiLineString" else [geom]
        for line in lines:
            xy = np.asarray(line.coords)
            n_lines += 1
            assert np.isfinite(xy).all()
            assert (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all()
            assert (np.abs(np.diff(xy[:, 0])) <= 180).all()
            on_antimeridian += int(np.isclose(np.abs(xy[[0, -1], 0]), 180).sum())
    # 3 h is two orbits: the track crosses the antimeridian, so the test bites.
    assert n_lines >= 2 and on_antimeridian >= 2
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT.*Z", doc["features"][0]["properties"]["start"])
