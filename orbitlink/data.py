"""Locate the data bundled in ``ephemeris/`` (station catalogs, sample element sets, coastline).

``ephemeris`` is a top-level data package installed beside ``orbitlink``
(pyproject.toml: ``packages = find(include=["orbitlink*", "ephemeris*"])`` with
package-data ``**/*``), so one lookup serves every layout:

* source checkout or editable install: ``<repo>/ephemeris``;
* wheel install: ``site-packages/ephemeris``.

The package is found with :func:`importlib.resources.files`; the folder next to
this package is the fallback (for a checkout run without installing, or if an
unrelated distribution also called ``ephemeris`` shadows ours and lacks the file).
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from .errors import DataFileError  # noqa: F401  (re-exported: its old home)



def _roots() -> list[Path]:
    roots: list[Path] = []
    try:
        found = importlib.resources.files("ephemeris")
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

    With no ``parts`` it returns the ``ephemeris`` folder itself.  Raises
    :class:`DataFileError` naming what is missing and where it was looked for.
    """
    roots = _roots()
    for root in roots:
        path = root.joinpath(*parts)
        if path.exists():
            return path
    wanted = "/".join(("ephemeris", *parts))
    where = ", ".join(str(r) for r in roots) or "no ephemeris package installed"
    raise DataFileError(
        f"data: bundled file {wanted} not found (looked in {where}); "
        "reinstall orbitlink (pip install --force-reinstall orbitlink)"
    )
