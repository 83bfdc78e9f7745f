"""What both exports share: the track of a source, epoch labels and unbroken runs of valid samples."""

from __future__ import annotations

import numpy as np

from ..propagators import as_track
from ..times import utc_times

__all__ = ["iso_epochs", "track_of", "valid_runs"]


def track_of(source, **kwargs):
    """``source`` as a Track (a Track is returned as is), with ``as_track``'s keywords."""
    return as_track(source, **kwargs)


def iso_epochs(track, precision: int = 6) -> list[str]:
    """UTC ISO 8601 labels of the track's samples, microsecond precision by default
    (a millisecond label is up to 7.6 mm along a LEO orbit; a microsecond one 8 um)."""
    t = utc_times(track.grid.start, track.t_s)
    t.precision = precision
    return [s + "Z" for s in t.isot]


def valid_runs(valid_row) -> list[tuple[int, int]]:
    """``[(lo, hi), ...]``: half-open index ranges where ``valid_row`` (T,) is True, in order."""
    v = np.concatenate([[False], np.asarray(valid_row, bool), [False]])
    edges = np.flatnonzero(v[1:] != v[:-1])
    return [(int(lo), int(hi)) for lo, hi in zip(edges[::2], edges[1::2])]
