"""Pass tables written block by block (issue 19): ``--json`` streamed byte for byte as the
one-piece ``json.dump``, CSV in blocks, and Parquet (``orbitlink[parquet]``) read back against
the CSV."""

from __future__ import annotations

import csv
import io
import json
import sys

import numpy as np
import pytest

from orbitlink.export import tables
from orbitlink.orbits import walker
from orbitlink.stations import ground_station, load_catalog
from orbitlink.visibility import contact_statistics, find_passes

START = "2025-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def found():
    """24 satellites over three stations for 6 h, one with a name JSON and CSV must escape."""
    stations = (load_catalog("ksat") + load_catalog("spacex-ttc").select([0])
                + ground_station("47.37deg", "8.54deg", name='Zürich "HQ", roof\\1'))
    shell = walker(24, 4, 1, altitude="550km", inclination="53deg", epoch=START)
    return find_passes(shell, stations, start=START, duration="6h", step="60s", frequency="8.2GHz")


def _one_piece(passes, extra=None) -> str:
    """What the command printed before streaming: json.dump of the whole document."""
    doc = passes.to_dict()
    doc.update(extra or {})
    out = io.StringIO()
    json.dump(doc, out, indent=2, sort_keys=True, allow_nan=False)
    return out.getvalue() + "\n"


def _streamed(passes, extra=None, rows=tables.ROWS_PER_BLOCK) -> str:
    out = io.StringIO()
    tables.write_passes_json(out, passes, extra, rows=rows)
    return out.getvalue()


@pytest.mark.parametrize("rows", [1, 7, tables.ROWS_PER_BLOCK])
def test_json_is_byte_identical_to_the_one_piece_dump(found, rows):
    assert len(found) > 20 and found.frequency is not None
    assert "Zürich" in found.stations.names[-1]
    extra = {"statistics": contact_statistics(found).to_dict()}
    assert _streamed(found, extra, rows) == _one_piece(found, extra)


def test_json_without_geometry_without_frequency_and_empty(found):
    plain = found.with_frequency(None)
    assert _streamed(plain, rows=5) == _one_piece(plain)
    bare = found.select(slice(0, 3))
    bare = type(bare)(**{**bare.__dict__, "geometry": None})
    assert _streamed(bare, rows=2) == _one_piece(bare)
    empty = found.select(slice(0, 0))
    assert _streamed(empty) == _one_piece(empty)
    assert json.loads(_streamed(empty))["passes"] == []


def test_json_refuses_a_non_finite_number(found):
    from orbitlink.errors import OrbitlinkError

    broken = found.select(np.arange(4))          # indices: a copy, not a view of the fixture
    broken.max_elevation_rad[2] = np.nan
    with pytest.raises(OrbitlinkError, match="pass 2 has a non-finite max_elevation_deg"):
        _streamed(broken, rows=3)


def test_csv_blocks_equal_one_block_and_match_json(found):
    whole, blocks = io.StringIO(), io.StringIO()
    tables.write_passes_csv(whole, found)
    tables.write_passes_csv(blocks, found, rows=5)
    assert whole.getvalue() == blocks.getvalue()
    rows = list(csv.DictReader(io.StringIO(whole.getvalue())))
    expected = found.rows()
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected):
        assert got["station"] == want["station"] and got["aos"] == want["aos"]
        assert float(got["tca_doppler_hz"]) == want["tca_doppler_hz"]
        assert got["los_cut"] == ("true" if want["los_cut"] else "false")


def test_cli_json_streams_the_document_print_json_gave(run_cli, tmp_path):
    args = ("passes", "--walker", "12/3/1", "--start", START, "--duration", "3h", "--station", "London",
            "--station", "SvalSat")
    r = run_cli(*args, "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["count"] == len(data["passes"]) > 0
    assert r.out == json.dumps(data, indent=2, sort_keys=True) + "\n"


# --- Parquet ------------------------------------------------------------------------------------

def test_parquet_reads_back_as_the_csv(found, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "passes.parquet"
    with open(path, "wb") as f:
        tables.write_passes_parquet(f, found, rows=10)
    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == len(found) and meta.num_row_groups == -(-len(found) // 10)
    table = pq.read_table(path)
    text = io.StringIO()
    tables.write_passes_csv(text, found)
    rows = list(csv.DictReader(io.StringIO(text.getvalue())))
    assert table.column_names == list(rows[0])
    got = table.to_pylist()
    for a, b in zip(got, rows):
        for key, value in b.items():
            if key in ("satellite", "station"):
                assert a[key] == value              # DictReader unquotes the CSV field
            elif key in ("aos", "tca", "los"):
                assert a[key].strftime("%Y-%m-%dT%H:%M:%S.%f")[:23] + "Z" == value
            elif key.endswith("_cut"):
                assert a[key] == (value == "true")
            else:
                assert a[key] == float(value), key       # the same rounded float, exactly
    summary = json.loads(table.schema.metadata[b"orbitlink.passes"])
    assert summary["count"] == len(found) and summary["frequency_hz"] == 8.2e9


def test_parquet_of_no_passes(found, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "none.parquet"
    with open(path, "wb") as f:
        tables.write_passes_parquet(f, found.select(slice(0, 0)))
    table = pq.read_table(path)
    assert table.num_rows == 0 and "tca_range_km" in table.column_names


def test_cli_parquet_matches_cli_csv(run_cli, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    args = ("passes", "--walker", "12/3/1", "--start", START, "--duration", "3h", "--station", "London")
    r = run_cli(*args, "--csv", tmp_path / "p.csv", "--parquet", tmp_path / "p.parquet")
    assert r.code == 0, r.err
    rows = list(csv.DictReader(open(tmp_path / "p.csv", encoding="utf-8")))
    table = pq.read_table(tmp_path / "p.parquet")
    assert table.num_rows == len(rows) > 0
    assert table.column("satellite").to_pylist() == [row["satellite"] for row in rows]
    assert table.column("max_elevation_deg").to_pylist() == [float(row["max_elevation_deg"]) for row in rows]


def test_cli_parquet_to_a_folder_is_bad_input(run_cli):
    from .conftest import assert_cli_error

    pytest.importorskip("pyarrow.parquet")       # without it, the missing extra is reported first
    r = run_cli("passes", "--orbit", "550km", "--start", START, "--station", "SvalSat", "--duration", "1h",
                "--parquet", ".")
    assert_cli_error(r, "output", "folder")


def test_cli_parquet_without_pyarrow_is_one_error_line(run_cli, tmp_path, monkeypatch):
    from .conftest import assert_cli_error

    # pyarrow "not installed": its import fails, as in a core-only install.
    for name in [m for m in sys.modules if m == "pyarrow" or m.startswith("pyarrow.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    r = run_cli("passes", "--orbit", "550km", "--station", "London", "--duration", "1h",
                "--parquet", tmp_path / "p.parquet")
    assert_cli_error(r, "pip install", "orbitlink[parquet]", "pyarrow")
    assert not (tmp_path / "p.parquet").exists()


# --- the lean merge of the command's chunk tables ----------------------------------------------

def test_lean_merge_equals_the_single_search():
    """``passes`` merges its chunk tables column by column (holding the table about once):
    the same table, row for row and with the same geometry, as one search of every
    satellite, with the chunks' search counters summed.  ``scale.merge_passes`` (Dask) is
    the same merge."""
    from dataclasses import fields

    from orbitlink.cli.visibility_common import passes_in_chunks, run_passes
    from orbitlink.elements import load_elements
    from orbitlink.scale import chunks, merge_passes
    from orbitlink.times import time_grid
    from orbitlink.visibility.results import merge_chunk_passes

    from .conftest import EPHEMERIS

    source = load_elements(EPHEMERIS / "tle" / "starlink-sample.tle")
    stations = load_catalog("aws-ground-station")
    grid = time_grid("2025-02-01T00:00:00Z", "6h", "60s", satellites=len(source))
    parts = [run_passes(source.select(idx), grid, "auto", stations, None, None)[1]
             for idx in chunks(len(source), 23)]
    counters = {k: sum(p.search[k] for p in parts) for k in ("scanned_intervals", "scan_samples")}
    reference = merge_passes(list(parts))
    lean = merge_chunk_passes(parts)
    assert parts == []                                 # the chunks were handed over
    whole = run_passes(source, grid, "auto", stations, None, None)[1]
    command = passes_in_chunks(source, grid, "auto", stations, None, None, satellites_per_chunk=23)
    for other in (reference, whole, command):
        assert lean.satellites == other.satellites and len(lean) == len(other) > 100
        for name in ("sat_index", "station_index", "aos_s", "tca_s", "los_s", "max_elevation_rad",
                     "aos_cut", "los_cut"):
            np.testing.assert_array_equal(getattr(lean, name), getattr(other, name), err_msg=name)
        for f in fields(lean.geometry):
            np.testing.assert_array_equal(getattr(lean.geometry, f.name), getattr(other.geometry, f.name))
    assert lean.search == reference.search
    assert all(lean.search[k] == n for k, n in counters.items()), (lean.search, counters)
    assert _streamed(lean) == _streamed(whole)


# --- numbers in bulk, as Python writes them -------------------------------------------------------

def _awkward_values():
    rng = np.random.default_rng(19)
    halves = np.array([0.00005, 0.00015, 1.23445, 2.675, 1.0005, 0.125, 0.0625, -0.00005, -2.675,
                       359.99995, 12345.67895, 0.5e-4, 1e-5, -1e-5, 0.0, -0.0, 12.0, 1e8 + 0.00005,
                       1e9, -3e9, 9.87654321e12, np.nan, np.inf, -np.inf])
    return np.concatenate([halves,
                           rng.uniform(-400, 400, 20000),
                           rng.uniform(-2e5, 2e5, 20000),            # Doppler in Hz
                           np.round(rng.uniform(-10, 10, 20000), 4) + 0.00005,   # ties at 4 decimals
                           np.round(rng.uniform(-10, 10, 20000), 3) + 0.0005,    # ties at 3 decimals
                           rng.standard_normal(5000) * 1e-3])


@pytest.mark.parametrize("digits", [0, 3, 4, 6])
def test_float_text_and_round_equal_python(digits):
    values = _awkward_values()
    expected = [repr(round(v, digits)) for v in values.tolist()]
    assert tables.float_text(values, digits) == expected
    got = tables.float_round(values, digits)
    want = np.array([round(v, digits) for v in values.tolist()])
    np.testing.assert_array_equal(got, want)
    assert np.array_equal(np.signbit(got), np.signbit(want))
