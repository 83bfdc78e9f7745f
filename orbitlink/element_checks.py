"""Checks of element sets beyond their format: physical ranges and repeated satellites.

Used by :mod:`orbitlink.elements` on every TLE and OMM entry (issue 19: a
``MEAN_MOTION`` or ``BSTAR`` of 1e308 loaded and propagated to NaN; an epoch
of year 1 or 9999 moved the default start by centuries; two entries of one
satellite were propagated as two satellites).
"""

from __future__ import annotations

import math

from .errors import ElementSetError

_TWO_PI = 2.0 * math.pi

# Physical ranges of element sets (issue 19: a MEAN_MOTION or BSTAR of 1e308
# loaded and propagated to NaN).  A mean motion above 17.1 rev/day is an orbit
# whose semi-major axis is inside the Earth (a circular orbit at the surface
# makes 17.0 rev/day); B* is in 1/Earth radii and real sets stay below 0.1
# (decaying objects; Vallado's SGP4-VER test set peaks near 0.05), so 1 leaves
# a wide margin; epochs before Sputnik 1 (1957) or after 2100 are typos.
MAX_MEAN_MOTION_REV_PER_DAY = 17.1
MAX_ABS_BSTAR = 1.0
EPOCH_YEARS = (1957, 2100)
_JD_1957 = 2435839.5          # 1957-01-01 00:00 UTC
_JD_2101 = 2488434.5          # 2101-01-01 00:00 UTC


def range_problem(sat) -> str | None:
    """Why ``sat``'s elements are not physical, or None."""
    rev_per_day = sat.no_kozai * 1440.0 / _TWO_PI
    if not (math.isfinite(rev_per_day) and 0.0 < rev_per_day <= MAX_MEAN_MOTION_REV_PER_DAY):
        return (f"mean motion {rev_per_day:g} rev/day is out of range "
                f"(more than 0, at most {MAX_MEAN_MOTION_REV_PER_DAY:g})")
    if not (math.isfinite(sat.ecco) and 0.0 <= sat.ecco < 1.0):
        return f"eccentricity {sat.ecco:g} is out of range (0 to below 1)"
    if not (math.isfinite(sat.inclo) and 0.0 <= sat.inclo <= math.pi):
        return f"inclination {math.degrees(sat.inclo):g} deg is out of range (0 to 180 deg)"
    if not (math.isfinite(sat.bstar) and abs(sat.bstar) <= MAX_ABS_BSTAR):
        return f"BSTAR {sat.bstar:g} is out of range (at most {MAX_ABS_BSTAR:g} per Earth radius in size)"
    jd = sat.jdsatepoch + sat.jdsatepochF
    if not (math.isfinite(jd) and _JD_1957 <= jd < _JD_2101):
        return f"epoch is outside the years {EPOCH_YEARS[0]} to {EPOCH_YEARS[1]}"
    return None




def unique_entries(catnums, epochs_jd, states, entry_lines) -> tuple[list[int], list[tuple[int, str]]]:
    """Indices to keep, one per catalog number, and ``(line, reason)`` for each entry left out.

    The entry kept is the newest epoch (the first of equal ones); the reason says
    which entry is used and whether the one left out held the same elements.
    """
    keep: dict[int, int] = {}
    dropped: list[tuple[int, str]] = []
    for k, num in enumerate(catnums):
        if num not in keep:
            keep[num] = k
            continue
        j = keep[num]
        used, left = (k, j) if epochs_jd[k] > epochs_jd[j] else (j, k)
        keep[num] = used
        why = ("the same elements as" if states[k] == states[j]
               else "an older epoch than" if epochs_jd[left] < epochs_jd[used] else "the same epoch as")
        dropped.append((entry_lines[left], f"NORAD {num} again, with {why} the entry at "
                                           f"{entry_lines[used]} (that one is used)"))
    return sorted(keep.values()), dropped


def as_text(text, source: str) -> str:
    """Element-set text as str: bytes are decoded (UTF-8, else Latin-1) as a file would be."""
    if isinstance(text, (bytes, bytearray)):
        try:
            return bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError:
            return bytes(text).decode("latin-1")
    if not isinstance(text, str):
        raise ElementSetError(f"{source}: expected element-set text (str or bytes), not {type(text).__name__}")
    return text


def csv_rows(reader, offset: int) -> tuple[list, list[tuple[int, str]]]:
    """``(line, row)`` of every row of a csv.DictReader, and ``(line, reason)`` of rows left out
    because a field exceeds the csv module's field limit: one absurd field (megabytes of
    digits) costs only its row, not the file.  Other csv errors propagate."""
    import csv

    rows, oversized = [], []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows, oversized
        except csv.Error as exc:
            if "field limit" not in str(exc):
                raise
            # line_num has not yet counted the line that failed
            oversized.append((offset + reader.line_num + 1, f"a field is too long ({exc})"))
            continue
        rows.append((offset + reader.line_num, row))
