"""Packaging (issue 18): the bundled data installs inside orbitlink's namespace, every
bundled file is listed with its source and licence, and samples are reachable by name.

The installed-wheel side (no top-level ``ephemeris`` module in site-packages, the data
found under ``site-packages/orbitlink/ephemeris``) is checked by ``.ci/run`` step 1b,
which installs the wheel into a fresh venv and runs the commands from another folder.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from setuptools import find_namespace_packages

from tests.conftest import assert_cli_error
from orbitlink.data import KINDS, ephemeris_path, sample_path, samples

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
# Files of ephemeris/ that are documentation or tooling, not bundled data.
NOT_DATA = {"__init__.py", "README.md", "catalog.toml", "build_coastline.py"}


def test_the_package_list_is_every_package_and_data_folder():
    """pyproject lists packages by hand (setuptools cannot mix find= with package-dir):
    a new sub-package or data folder missing from the list would not be installed."""
    code = {p for p in find_namespace_packages(str(ROOT), include=["orbitlink*"])
            if "__pycache__" not in p}
    data = {"orbitlink.ephemeris"} | {
        "orbitlink.ephemeris." + p for p in find_namespace_packages(str(ROOT / "ephemeris"))
        if "__pycache__" not in p}
    assert set(SETUPTOOLS["packages"]) == code | data
    assert SETUPTOOLS["package-dir"] == {"orbitlink.ephemeris": "ephemeris"}
    # Every data folder ships all its files.
    for package in data - {"orbitlink.ephemeris"}:
        assert SETUPTOOLS.get("package-data", {})[package] == ["*"], package


def test_no_top_level_ephemeris_package_is_declared():
    assert not any(p == "ephemeris" or p.startswith("ephemeris.") for p in SETUPTOOLS["packages"])


def test_the_data_is_found_through_orbitlinks_namespace():
    """Installed (wheel or editable), the data is the package orbitlink.ephemeris.  Run from a
    checkout with orbitlink imported from the source tree (pytest in the repository root, whatever
    is installed), there is no such package there and the lookup uses the top-level folder."""
    import importlib.resources
    import importlib.util

    import orbitlink

    root = ephemeris_path()
    assert (root / "catalog.toml").is_file()
    if importlib.util.find_spec("orbitlink.ephemeris") is not None:
        assert Path(str(importlib.resources.files("orbitlink.ephemeris"))).resolve() == root.resolve()
    else:
        assert Path(orbitlink.__file__).resolve().parent.parent == ROOT      # the source tree
        assert root.resolve() == (ROOT / "ephemeris").resolve()


def test_every_bundled_file_is_listed_once_with_source_and_licence():
    root = ephemeris_path()
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*")
               if p.is_file() and p.name not in NOT_DATA and "__pycache__" not in p.parts}
    listed = [s.path.relative_to(root).as_posix() for s in samples()]
    assert sorted(listed) == sorted(on_disk)
    names = [(s.kind, s.name) for s in samples()]
    assert len(names) == len(set(names))
    for s in samples():
        assert s.kind in KINDS and s.what and s.source and s.licence, s


def test_station_catalogs_in_the_list_are_the_loadable_ones():
    from orbitlink.stations import CATALOGS, load_catalog

    listed = {s.name for s in samples() if s.kind == "stations"}
    assert listed == set(CATALOGS)
    for name in listed:
        assert len(load_catalog(name)) > 0


def test_samples_are_reachable_by_name_from_the_api():
    from orbitlink import load_elements, shells_from_toml

    by_name = load_elements("iss-skyfield-doc")
    by_path = load_elements(ephemeris_path("tle", "iss-skyfield-doc.tle"))
    assert by_name.names == by_path.names and by_name.catalog_numbers == by_path.catalog_numbers
    assert load_elements("iss-skyfield-doc.tle").names == by_path.names
    # FCC 21-48: 4,408 satellites in five shells.
    assert len(shells_from_toml("starlink-gen1")) == 4408
    assert sample_path("starlink-gen1", "tle") is None     # a name resolves only within its kind


def test_a_local_file_wins_over_a_sample_of_the_same_name(tmp_path, monkeypatch):
    from orbitlink import load_elements

    first_oneweb = ephemeris_path("tle", "oneweb-2025-01.tle").read_text().splitlines()[:3]
    (tmp_path / "iss-skyfield-doc").write_text("\n".join(first_oneweb) + "\n")
    monkeypatch.chdir(tmp_path)
    assert load_elements("iss-skyfield-doc").names[0].startswith("ONEWEB")


def test_an_unknown_name_lists_the_bundled_ones(run_cli):
    result = run_cli("track", "--tle", "iss-skyfield", "--duration", "10min")
    assert_cli_error(result, "iss-skyfield-doc")
    result = run_cli("track", "--constellation", "starlink", "--duration", "10min")
    assert_cli_error(result, "starlink-gen1")


def test_cli_reaches_samples_by_name(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)      # not the repository: names, not paths
    result = run_cli("track", "--tle", "iss-skyfield-doc", "--duration", "10min", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["per_satellite"][0]["satellite"] == "ISS (ZARYA)"
    result = run_cli("track", "--constellation", "kuiper", "--duration", "1min", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["satellites"] == 3236      # FCC 20-102


@pytest.mark.parametrize("kind", [None, "tle", "stations"])
def test_data_list(run_cli, kind):
    args = ("data", "list", "--json") + (("--kind", kind) if kind else ())
    result = run_cli(*args)
    assert result.code == 0, result.err
    out = json.loads(result.out)
    expected = [s for s in samples() if kind is None or s.kind == kind]
    assert out["count"] == len(expected) == len(out["samples"])
    assert {s["name"] for s in out["samples"]} == {s.name for s in expected}
    text = run_cli("data", "list", *(("--kind", kind) if kind else ()))
    assert text.code == 0
    for s in expected:
        assert s.name in text.out and s.licence in text.out     # piped: nothing truncated
