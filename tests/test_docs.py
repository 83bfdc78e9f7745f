"""Every code block in README.md and docs/ runs: documentation that cannot rot.

- ```python blocks are executed in a fresh namespace, from an empty folder.
- ```console blocks: each ``$ orbitlink ...`` line is run through the CLI; the
  lines that follow it, if any, are expected output and must each appear as a
  line of stdout+stderr.  A block showing ``orbitlink: error:`` expects exit 2.
"""

from __future__ import annotations

import re
import shlex

import pytest

from orbitlink.errors import MissingExtraError

from .conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def _blocks(kind):
    for path in DOCS:
        for k, match in enumerate(FENCE.finditer(path.read_text(encoding="utf-8"))):
            if match.group(1) == kind:
                yield pytest.param(match.group(2), id=f"{path.relative_to(ROOT)}#{k}")


# A block needing an optional extra skips where that extra is not installed.
OPTIONAL = {"dask", "distributed", "matplotlib", "hapsira", "itur", "pandas", "xarray", "pyarrow"}
OPTIONAL_EXTRAS = {"dask", "plot", "poliastro", "itur", "pandas", "xarray", "parquet"}


@pytest.mark.parametrize("code", list(_blocks("python")))
def test_python_block(code, monkeypatch, tmp_path):
    # From an empty folder, as a user who installed orbitlink runs them: bundled data is
    # reached by name, never by a path into the repository (issue 18).
    monkeypatch.chdir(tmp_path)
    try:
        exec(compile(code, "<doc>", "exec"), {"__name__": "__doc_example__", "TMP": tmp_path})
    except MissingExtraError as exc:          # orbitlink's own "pip install orbitlink[extra]" error
        if exc.extra in OPTIONAL_EXTRAS:
            pytest.skip(f"needs the optional extra {exc.extra}")
        raise
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] in OPTIONAL:
            pytest.skip(f"needs the optional package {exc.name}")
        raise


def _commands(block):
    commands, current = [], None
    for line in block.splitlines():
        if line.startswith("$ "):
            current = (shlex.split(line[2:]), [])
            commands.append(current)
        elif current is not None and line.strip():
            current[1].append(line.rstrip())
    return commands


@pytest.mark.parametrize("block", list(_blocks("console")))
def test_console_block(block, run_cli, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)          # as test_python_block: from an empty folder
    for argv, expected in _commands(block):
        assert argv[0] == "orbitlink", argv
        result = run_cli(*argv[1:])
        missing = re.search(r"needs the optional package '(\w+)'", result.err)
        if missing and missing.group(1) in OPTIONAL:
            pytest.skip(f"needs the optional package {missing.group(1)}")
        wants_error = any(line.startswith("orbitlink: error:") for line in expected)
        assert result.code == (2 if wants_error else 0), (argv, result.err)
        output = (result.out + result.err).splitlines()
        stripped = [line.rstrip() for line in output]
        for line in expected:
            if line.strip() == "...":
                continue
            assert line in stripped, (argv, line, result.out[-2000:], result.err)
