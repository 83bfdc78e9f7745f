"""The data orbitlink bundles: station catalogs, sample element sets and constellations, coastline.

The repository keeps it at the top level, in ``ephemeris/``; it installs inside
orbitlink's namespace as the package ``orbitlink.ephemeris`` (pyproject.toml maps
that package to the folder), never as a top-level ``ephemeris`` module, which
would clash with an unrelated PyPI package of that name.  One lookup serves
every layout:

* wheel install: ``site-packages/orbitlink/ephemeris``;
* editable install: ``<repo>/ephemeris`` through setuptools' package mapping;
* a source checkout run without installing: the ``ephemeris`` folder beside
  ``orbitlink/`` (the fallback).

``ephemeris/catalog.toml`` names every bundled file with its source and licence:
:func:`samples` reads it, :func:`sample_path` resolves a name such as
``"iss-skyfield-doc"`` or ``"starlink-gen1"`` (what ``--tle NAME`` and
``--constellation NAME`` accept), and ``orbitlink data list`` prints it.
"""

from __future__ import annotations

import functools
import importlib.resources
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import DataFileError

#: The kinds of bundled file, in the order ``orbitlink data list`` shows them.
KINDS = ("tle", "constellation", "stations", "modcod", "coastline")


def _roots() -> list[Path]:
    roots: list[Path] = []
    try:
        found = importlib.resources.files("orbitlink.ephemeris")
    except (ModuleNotFoundError, TypeError):
        found = None
    if isinstance(found, Path):  # a zipped install gives a Traversable: not usable as a Path
        roots.append(found)
    sibling = Path(__file__).resolve().parent.parent / "ephemeris"
    if sibling.is_dir() and all(sibling != r.resolve() for r in roots):
        roots.append(sibling)
    return roots


def ephemeris_path(*parts: str) -> Path:
    """The path of a bundled file or folder, e.g. ``ephemeris_path("coastline", "x.geojson")``.

    With no ``parts`` it returns the bundled data folder itself.  Raises
    :class:`DataFileError` naming what is missing and where it was looked for.
    """
    roots = _roots()
    for root in roots:
        path = root.joinpath(*parts)
        if path.exists():
            return path
    wanted = "/".join(("ephemeris", *parts))
    where = ", ".join(str(r) for r in roots) or "no orbitlink.ephemeris package installed"
    raise DataFileError(
        f"data: bundled file {wanted} not found (looked in {where}); "
        "reinstall orbitlink (pip install --force-reinstall orbitlink)"
    )


@dataclass(frozen=True)
class Sample:
    """One bundled file: its ``name`` (what the options take), ``kind``, path and provenance."""

    name: str
    kind: str
    path: Path
    what: str
    source: str
    licence: str

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "file": str(self.path), "what": self.what,
                "source": self.source, "licence": self.licence}


@functools.cache
def samples() -> tuple[Sample, ...]:
    """Every bundled file listed in ``ephemeris/catalog.toml``, by kind then name."""
    root = ephemeris_path()
    with ephemeris_path("catalog.toml").open("rb") as f:
        entries = tomllib.load(f)["sample"]
    found = [Sample(e["name"], e["kind"], root / e["file"], e["what"], e["source"], e["licence"])
             for e in entries]
    return tuple(sorted(found, key=lambda s: (KINDS.index(s.kind), s.name)))


def sample_path(name: str, kind: str) -> Path | None:
    """The bundled file called ``name`` of ``kind`` (``"tle"``, ``"constellation"``, ...), or None.

    A name is the file's stem (``"iss-skyfield-doc"``); the file name with its
    suffix (``"iss-skyfield-doc.tle"``) is accepted too.
    """
    for sample in samples():
        if sample.kind == kind and name in (sample.name, sample.path.name):
            return sample.path
    return None


def sample_names(kind: str) -> tuple[str, ...]:
    """The names of the bundled files of ``kind``, for error messages and ``--help``."""
    return tuple(s.name for s in samples() if s.kind == kind)


def resolve_file(value, kind: str):
    """``value`` as a file to open: itself if it names an existing file (or is not a
    string), else the bundled sample of that name, else ``value`` unchanged (so the
    reader reports the missing file in its own words)."""
    if not isinstance(value, str) or Path(value).exists():
        return value
    bundled = sample_path(value, kind)
    return value if bundled is None else bundled
