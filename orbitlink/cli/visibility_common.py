"""What the visibility commands share: station options, the scan step and the propagate-then-search step.

Used by ``orbitlink passes``, ``orbitlink coverage`` and ``orbitlink stations
select`` (so no command imports another command's module).
"""

from __future__ import annotations

import click

from .. import propagators
from . import common as c

__all__ = ["STATIONS_HELP", "STATION_HELP", "run_passes", "scan_step_for", "station_options"]

STATION_HELP = "A station: NAME (orbitlink stations list), CATALOG:NAME or LAT,LON[,ALT_M] (repeatable)."
STATIONS_HELP = ("Stations: a bundled catalog (starlink-gateways, aws-ground-station, ksat, spacex-ttc, "
                 "cities-top100, ssc, leaf-space, atlas) or a CSV/GeoJSON file (repeatable).")


def station_options(func):
    """--station/--stations/--min-elevation shared by the visibility commands."""
    for option in reversed([
        click.option("--station", multiple=True, help=STATION_HELP),
        click.option("--stations", multiple=True, help=STATIONS_HELP),
        click.option("--min-elevation", help="Minimum elevation for every station, e.g. 10deg "
                     "(default: each station's own, else 10deg); terrain masks still apply."),
    ]):
        func = option(func)
    return func


def scan_step_for(step_s: float, scan_step: str | None):
    """The search sampling: --scan-step, else 10 s when it divides the propagation step, else the step."""
    if scan_step is not None:
        return scan_step
    if step_s > 10.0 and abs(step_s / 10.0 - round(step_s / 10.0)) < 1e-9:
        return "10s"
    return None


def run_passes(source, grid, propagator, stations, min_elevation, scan_step, dask=None):
    """Propagate and search: the shared core of ``passes`` and ``stations select``.

    ``dask``: None (in this process), ``"local"`` (Dask's local process
    scheduler) or a scheduler address; then the track is never assembled and
    None is returned in its place.
    """
    from ..visibility import find_passes

    if dask is not None:
        from .. import scale

        with c.status("propagating and searching passes on Dask"):
            found = scale.find_passes(source, stations, grid=grid, min_elevation=min_elevation,
                                      scan_step=scan_step_for(grid.step_s, scan_step),
                                      propagator=propagator,
                                      client=c.dask_client(dask))
        return None, found

    with c.status("propagating"):
        tr = propagators.propagate(source, grid, propagator=propagator)
    for message in tr.messages:
        c.warn(message)
    with c.status("searching passes"):
        passes = find_passes(tr, stations, min_elevation=min_elevation,
                             scan_step=scan_step_for(grid.step_s, scan_step))
    return tr, passes


# Satellites propagated and searched at once when only the pass table is wanted: a
# 1,024-satellite day at 60 s is 0.14 GB of track, against 1.4 GB for 10,361 TLEs at once.
SATELLITES_PER_CHUNK = 1024


def passes_in_chunks(source, grid, propagator, stations, min_elevation, scan_step,
                     satellites_per_chunk: int = SATELLITES_PER_CHUNK):
    """The pass table of ``source``, propagated and searched ``satellites_per_chunk`` at a
    time in this process (the whole track never exists) and merged as the Dask runs merge
    theirs: the same table as :func:`run_passes` (tested).  The merge holds the table about
    once (:func:`~orbitlink.visibility.results.merge_chunk_passes`), and the heap is trimmed
    after each chunk (:func:`~orbitlink.scale.release_freed_memory`)."""
    from ..scale import chunks, merge_passes, release_freed_memory

    if len(source) <= satellites_per_chunk:
        return run_passes(source, grid, propagator, stations, min_elevation, scan_step)[1]
    parts = []
    for idx in chunks(len(source), satellites_per_chunk):
        parts.append(run_passes(source.select(idx), grid, propagator, stations, min_elevation, scan_step)[1])
        release_freed_memory()
    found = merge_passes(parts)
    release_freed_memory()
    return found


def read_antennas(text):
    """--antennas: a whole number >= 1, or None for each station's own count."""
    if text is None:
        return None
    t = str(text).strip()
    if not t.isdigit() or int(t) < 1:
        from ..errors import QuantityError

        raise QuantityError(f"antennas: {text!r} is not a positive whole number (antennas per station, e.g. 4)")
    return int(t)
