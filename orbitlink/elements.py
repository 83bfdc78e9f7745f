"""Read satellite element sets: TLE (2-line and 3-line) and CelesTrak OMM.

An element set gives the SGP4 mean elements of many satellites.  This module
turns a file of them into one :class:`ElementSet`: a tuple of
:class:`sgp4.api.Satrec` objects (ready for :class:`sgp4.api.SatrecArray`), the
satellite names and catalog numbers, and the list of entries that were broken
and skipped (:class:`SkippedEntry`).  Nothing is printed; callers decide how to
report skipped entries.

Formats, detected from content by :func:`load_elements`:

- TLE: 2-line or 3-line (a name line before line 1), mixed in one file; blank
  lines, leading/trailing whitespace and CRLF line ends are tolerated.  Each
  entry is checked for the column layout of the format (see `_LINE1_FIELDS`),
  the modulo-10 checksum of both lines, equal catalog numbers on both lines
  (Alpha-5 allowed) and that SGP4 initialises it without error.
- CelesTrak OMM JSON (a list of objects), OMM CSV (a header row of the same
  field names) and OMM XML (CCSDS NDM/XML, as CelesTrak serves it).

Units: every Satrec is in sgp4's own units (radians, minutes, Earth radii for
internal state); :attr:`ElementSet.epoch_jd` is in UTC Julian days.  The
gravity model is WGS-72, the one the element sets are fitted with and the
default of sgp4 and skyfield.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from sgp4 import omm as _omm  # parse_csv / parse_xml
from sgp4.api import SGP4_ERRORS, WGS72, Satrec, SatrecArray

from .element_checks import as_text as _as_text, csv_rows, range_problem, unique_entries
from .errors import ElementSetError

__all__ = ["ElementSet", "SkippedEntry", "load_elements", "parse_omm_csv", "parse_omm_json",
           "parse_omm_xml", "parse_tle_text"]

def _satrec_state(sat: Satrec) -> tuple:
    return (sat.satnum, sat.jdsatepoch, sat.jdsatepochF, sat.bstar, sat.ndot, sat.nddot,
            sat.ecco, sat.argpo, sat.inclo, sat.mo, sat.no_kozai, sat.nodeo)


def _satrec_from_state(state: tuple) -> Satrec:
    """Re-initialise a Satrec as twoline2rv did: bit-identical results for TLE-read sets
    (tested); for OMM-read ones the epoch may differ in its last bit (< 1 us)."""
    satnum, jd, jd_f, bstar, ndot, nddot, ecco, argpo, inclo, mo, no_kozai, nodeo = state
    sat = Satrec()
    # twoline2rv passes the epoch as (jdsatepoch + jdsatepochF) - 2433281.5 ...
    sat.sgp4init(WGS72, "i", satnum, (jd + jd_f) - 2433281.5, bstar, ndot, nddot, ecco, argpo,
                 inclo, mo, no_kozai, nodeo)
    # ... but keeps the two-part epoch it parsed, which SGP4 then measures time from.
    sat.jdsatepoch, sat.jdsatepochF = jd, jd_f
    return sat


def _rebuild_element_set(names, states, catalog_numbers, source, skipped):
    return ElementSet(names, tuple(_satrec_from_state(s) for s in states), catalog_numbers,
                      source, skipped)


# Shown in error messages so the user learns what the file should have been.
_ACCEPTED = "a 2-line/3-line TLE file or CelesTrak OMM JSON, CSV or XML"


@dataclass(frozen=True)
class SkippedEntry:
    """One broken entry of an element-set file that was left out.

    ``line`` is 1-based: for TLE text the line of the entry's first line (its
    name line if it had one); for OMM CSV the file line of the row (the header
    is line 1); for OMM JSON the position in the list (first object = 1); for
    OMM XML the position of the ``<segment>``.
    """

    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


@dataclass(frozen=True, repr=False)
class ElementSet:
    """S satellites' SGP4 elements read from one source, in file order.

    ``names`` is the OBJECT_NAME or TLE name line, or ``"NORAD <catnum>"`` when
    a TLE had no name line.  ``catalog_numbers`` are NORAD numbers as ints
    (Alpha-5 ``A0001`` is 100001).  ``skipped`` lists the broken entries of the
    source; they stay with every :meth:`select` subset because they describe
    the file, not the selection.
    """

    names: tuple[str, ...]
    satrecs: tuple[Satrec, ...]
    catalog_numbers: tuple[int, ...]
    source: str
    skipped: tuple[SkippedEntry, ...] = ()

    def __post_init__(self) -> None:
        if not len(self.names) == len(self.satrecs) == len(self.catalog_numbers):
            raise ValueError("ElementSet: names, satrecs and catalog_numbers differ in length")

    def __len__(self) -> int:
        return len(self.satrecs)

    def __reduce__(self):
        # sgp4's Satrec cannot be pickled; Dask workers and process pools need
        # the set, so it travels as the mean elements SGP4 was initialised with.
        states = tuple(_satrec_state(s) for s in self.satrecs)
        return (_rebuild_element_set,
                (self.names, states, self.catalog_numbers, self.source, self.skipped))

    def __repr__(self) -> str:
        # The default dataclass repr would print thousands of Satrec objects.
        from .notebook import count_text, epochs_text, names_preview

        return (f"ElementSet({count_text(len(self), 'satellite')} from {self.source!r}{epochs_text(self.epoch_jd)}, "
                f"{len(self.skipped)} skipped; {names_preview(self.names)})")

    @property
    def epoch_jd(self) -> np.ndarray:
        """Element epochs as UTC Julian dates, shape (S,), float64.

        One float64 near 2.46e6 resolves about 40 us; for sub-millisecond work
        use each Satrec's two parts ``jdsatepoch`` + ``jdsatepochF``.
        """
        return np.fromiter((s.jdsatepoch + s.jdsatepochF for s in self.satrecs),
                           dtype=np.float64, count=len(self.satrecs))

    def select(self, indices_or_names) -> ElementSet:
        """A subset, in the order asked for.

        Accepts an int, a name, a sequence of ints and/or exact names (a name
        selects every satellite of that name), or a boolean mask of shape (S,).
        Raises :class:`~orbitlink.errors.ElementSetError` for an unknown name
        or an index out of range.
        """
        picked = self._indices(indices_or_names)
        return ElementSet(
            names=tuple(self.names[i] for i in picked),
            satrecs=tuple(self.satrecs[i] for i in picked),
            catalog_numbers=tuple(self.catalog_numbers[i] for i in picked),
            source=self.source,
            skipped=self.skipped,
        )

    def _indices(self, key) -> list[int]:
        n = len(self)
        if isinstance(key, np.ndarray) and key.dtype == np.bool_:
            if key.shape != (n,):
                raise ElementSetError(
                    f"select: boolean mask has shape {key.shape}, expected ({n},)")
            return np.flatnonzero(key).tolist()
        if isinstance(key, (str, int, np.integer)):
            key = [key]
        elif not hasattr(key, "__iter__"):
            raise ElementSetError(f"select: {key!r} is neither an index nor a satellite name")
        by_name: dict[str, list[int]] | None = None
        out: list[int] = []
        for k in key:
            if isinstance(k, str):
                if by_name is None:  # built once, only when names are used
                    by_name = {}
                    for i, name in enumerate(self.names):
                        by_name.setdefault(name, []).append(i)
                if k not in by_name:
                    raise ElementSetError(f"select: no satellite named {k!r} in {self.source}")
                out.extend(by_name[k])
            elif isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_)):
                i = int(k)
                if not -n <= i < n:
                    raise ElementSetError(
                        f"select: index {i} is out of range for {n} satellites in {self.source}")
                out.append(i % n)
            else:
                raise ElementSetError(
                    f"select: {k!r} is neither an index nor a satellite name")
        return out

    def satrec_array(self) -> SatrecArray:
        """All satellites as one :class:`sgp4.api.SatrecArray` (vectorised SGP4)."""
        return SatrecArray(list(self.satrecs))


# --------------------------------------------------------------------------
# TLE layout.  Each field is (what, first column, last column, regex, form),
# columns 1-based as in the format's definition (CelesTrak "NORAD Two-Line
# Element Set Format"; Vallado et al. 2006, "Revisiting Spacetrack Report #3").
# The whole-line regex used on the fast path is the concatenation of these
# fields, so the slow per-field diagnosis of a failing line always agrees with
# it.  re.ASCII keeps \d from matching non-ASCII digits, which int()/float()
# would accept but sgp4's C++ parser would not.

def _rjust_int(width: int, blank_ok: bool = False) -> str:
    """Regex for a right-justified unsigned integer filling ``width`` columns."""
    forms = [" " * (width - k) + r"\d" * k for k in range(1, width + 1)]
    if blank_ok:
        forms.append(" " * width)
    return "(?:" + "|".join(forms) + ")"


# Catalog number: 5 digits (leading zeros or blanks) or Alpha-5 (a letter other
# than I and O, then 4 digits) for numbers 100000-339999.
_CATNUM = r"(?:[A-HJ-NP-Z]\d{4}|" + _rjust_int(5) + ")"
_ANGLE = r"(?:\d{3}| \d\d|  \d)\.\d{4}"  # degrees, right-justified or zero-padded
_EXP_NUMBER = r"[ +-]\d{5}[+-]\d"  # "-11606-4" means -0.11606e-4

_LINE1_FIELDS = (
    # (what, first column, last column, regex, accepted form for messages)
    ("line number", 1, 1, "1", "1"),
    ("", 2, 2, " ", " "),
    ("catalog number", 3, 7, _CATNUM, "NNNNN or Alpha-5 ANNNN"),
    ("classification", 8, 8, "[UCS]", "U, C or S"),
    ("", 9, 9, " ", " "),
    ("international designator", 10, 17, "[0-9A-Z ]{8}", "YYNNNAAA"),
    ("", 18, 18, " ", " "),
    ("epoch", 19, 32, r"\d{5}\.\d{8}", "YYDDD.DDDDDDDD"),
    ("", 33, 33, " ", " "),
    ("first derivative of mean motion", 34, 43, r"[ +-]\.\d{8}", "+.NNNNNNNN"),
    ("", 44, 44, " ", " "),
    ("second derivative of mean motion", 45, 52, _EXP_NUMBER, "+NNNNN-N"),
    ("", 53, 53, " ", " "),
    ("BSTAR drag term", 54, 61, _EXP_NUMBER, "+NNNNN-N"),
    ("", 62, 62, " ", " "),
    ("ephemeris type", 63, 63, "[0-9 ]", "N"),
    ("", 64, 64, " ", " "),
    ("element set number", 65, 68, _rjust_int(4, blank_ok=True), "NNNN, right-justified"),
    ("checksum", 69, 69, r"\d", "N"),
)
_LINE2_FIELDS = (
    ("line number", 1, 1, "2", "2"),
    ("", 2, 2, " ", " "),
    ("catalog number", 3, 7, _CATNUM, "NNNNN or Alpha-5 ANNNN"),
    ("", 8, 8, " ", " "),
    ("inclination", 9, 16, _ANGLE, "NNN.NNNN degrees"),
    ("", 17, 17, " ", " "),
    ("right ascension of the node", 18, 25, _ANGLE, "NNN.NNNN degrees"),
    ("", 26, 26, " ", " "),
    ("eccentricity", 27, 33, r"\d{7}", "NNNNNNN, decimal point assumed"),
    ("", 34, 34, " ", " "),
    ("argument of perigee", 35, 42, _ANGLE, "NNN.NNNN degrees"),
    ("", 43, 43, " ", " "),
    ("mean anomaly", 44, 51, _ANGLE, "NNN.NNNN degrees"),
    ("", 52, 52, " ", " "),
    ("mean motion", 53, 63, r"(?:\d\d| \d)\.\d{8}", "NN.NNNNNNNN revolutions/day"),
    # Blank is allowed: some exports leave the revolution number empty.
    ("revolution number", 64, 68, _rjust_int(5, blank_ok=True), "NNNNN, right-justified"),
    ("checksum", 69, 69, r"\d", "N"),
)
_TLE_LENGTH = 69


def _compile_fields(fields) -> tuple[re.Pattern, list]:
    whole = re.compile("".join(f"(?:{rx})" for _, _, _, rx, _ in fields), re.ASCII)
    parts = [(desc, a, b, re.compile(rx, re.ASCII), form) for desc, a, b, rx, form in fields]
    return whole, parts


_LINE1_RE, _LINE1_PARTS = _compile_fields(_LINE1_FIELDS)
_LINE2_RE, _LINE2_PARTS = _compile_fields(_LINE2_FIELDS)

# Checksum: digits count their value, '-' counts 1, everything else 0.  A
# 256-byte table lets bytes.translate + sum do the tally in C.
_CHECKSUM_TABLE = bytes(
    (b - 48) if 48 <= b <= 57 else (1 if b == 45 else 0) for b in range(256))


def _checksum(line: str) -> int:
    return sum(line[:68].encode("ascii", "replace").translate(_CHECKSUM_TABLE)) % 10


def _layout_problem(which: int, line: str) -> str:
    """Why ``line`` (already known to fail the whole-line regex) is malformed."""
    parts = _LINE1_PARTS if which == 1 else _LINE2_PARTS
    for desc, a, b, rx, form in parts:
        text = line[a - 1:b]
        if rx.fullmatch(text):
            continue
        if not desc:
            return f"line {which} column {a} is {text!r}, expected a space"
        where = f"column {a}" if a == b else f"columns {a}-{b}"
        return f"line {which} {desc} ({where}) is {text!r}, expected {form}"
    return f"line {which} does not match the TLE layout"  # not reached


def _catnum_value(field: str) -> int | None:
    """Catalog number of a 5-column field (Alpha-5 aware), or None if invalid."""
    field = field.strip()
    if not field or not field.isascii():
        return None
    if field[0].isalpha():
        if len(field) != 5 or field[0] in "IO" or not field[1:].isdigit():
            return None
        letter = ord(field[0]) - ord("A") + 10 - (field[0] > "I") - (field[0] > "O")
        return letter * 10000 + int(field[1:])
    return int(field) if field.isdigit() else None


_TWO_PI = 2.0 * math.pi


def _format_problem(line1: str, line2: str) -> str | None:
    """Why two TLE lines break the format, or None if they are well formed.

    Ordered so the first problem named is the most specific one: a truncated
    line is reported as truncated, not as a checksum error it also causes.
    """
    for which, line, digit in ((1, line1, "1"), (2, line2, "2")):
        if line[:1] != digit:
            return f"line {which} starts with {line[:1]!r}, expected {digit!r}"
    for which, line in ((1, line1), (2, line2)):
        if len(line) != _TLE_LENGTH:
            return (f"line {which} is {len(line)} characters long, expected {_TLE_LENGTH}"
                    + (" (truncated?)" if len(line) < _TLE_LENGTH else ""))
    if not _LINE1_RE.fullmatch(line1):
        return _layout_problem(1, line1)
    if not _LINE2_RE.fullmatch(line2):
        return _layout_problem(2, line2)
    if line1[2:7] != line2[2:7]:
        n1, n2 = _catnum_value(line1[2:7]), _catnum_value(line2[2:7])
        if n1 != n2:
            return f"catalog numbers differ: line 1 has {n1}, line 2 has {n2}"
    for which, line in ((1, line1), (2, line2)):
        expected = _checksum(line)
        if int(line[68]) != expected:
            return f"line {which} checksum is {line[68]}, expected {expected}"
    return None


def _tle_entry(line1: str, line2: str) -> Satrec | str:
    """A Satrec for one TLE entry, or the reason it is broken.

    The fast path (two whole-line regex matches, which also fix the length and
    the line numbers, two checksums, the C++ parse) costs about 12 us; only an
    entry that fails it pays for the field-by-field diagnosis.
    """
    if not (_LINE1_RE.fullmatch(line1) and _LINE2_RE.fullmatch(line2)
            and line1[2:7] == line2[2:7]
            and _checksum(line1) == ord(line1[68]) - 48
            and _checksum(line2) == ord(line2[68]) - 48):
        problem = _format_problem(line1, line2)
        if problem is not None:
            return problem
        # Only catalog numbers written differently ("00005" / "    5") get here.
    if line1[2] == " " or line2[2] == " ":
        # sgp4's C++ parser misreads blank-padded catalog numbers ("    5"
        # becomes 50); zeros instead of blanks leave the checksum unchanged.
        cat = line1[2:7].replace(" ", "0")
        line1 = line1[:2] + cat + line1[7:]
        line2 = line2[:2] + cat + line2[7:]
    sat = Satrec.twoline2rv(line1, line2, WGS72)
    if sat.error:
        return f"SGP4 rejects the elements: {SGP4_ERRORS.get(sat.error, f'error {sat.error}')}"
    # Ranges the format implies but the parser does not check.
    if not 1.0 <= sat.epochdays < 367.0:
        return f"epoch day of year {sat.epochdays:.8f} is not between 1 and 366"
    if sat.inclo > math.pi:
        return f"inclination {math.degrees(sat.inclo):.4f} deg is more than 180"
    for what, value in (("right ascension of the node", sat.nodeo),
                        ("argument of perigee", sat.argpo), ("mean anomaly", sat.mo)):
        if value > _TWO_PI:
            return f"{what} {math.degrees(value):.4f} deg is more than 360"
    return range_problem(sat) or sat


def _line_kind(line: str) -> str:
    """'1' or '2' for what looks like a TLE data line, '' for anything else."""
    first = line[:1]
    if first in ("1", "2") and (len(line) == 1 or line[1] == " "):
        return first
    return ""


def _same_satellite(text: str, data_line: str) -> bool:
    """Whether ``text`` is a TLE data line of the same satellite with a wrong
    line number in column 1 (so it is paired and reported, not taken as a name)."""
    return len(text) >= 60 and text[1:2] == " " and text[2:7] == data_line[2:7]


def parse_tle_text(text: str, source: str = "<text>", *, unique: bool = False) -> ElementSet:
    """Read 2-line and/or 3-line TLE text; never raises for broken entries.

    Every entry that fails a check becomes a :class:`SkippedEntry` and the rest
    load.  The reader resynchronises on the next line that starts with ``1 ``:
    a missing line 2 costs only its own satellite.  Text that is neither a TLE
    line nor a name followed by one is reported as skipped too.  A name line
    may carry Space-Track's ``0 `` prefix, which is removed.
    """
    text = _as_text(text, source)
    # Split on '\n' only (not str.splitlines, which also splits on form feeds
    # and other separators) so line numbers match what an editor shows.
    lines = text.split("\n") if "\n" in text else text.split("\r")  # lone CR: classic Mac
    names: list[str] = []
    satrecs: list[Satrec] = []
    catnums: list[int] = []
    skipped: list[SkippedEntry] = []
    pending: list[tuple[int, str]] = []  # non-TLE lines since the last entry
    entry_lines: list[int] = []

    def flush_garbage(upto: int) -> None:
        # pending[:upto] precede an entry's name (or end the file): they are
        # not names of anything, so report them once as a block.
        if upto > 0:
            first_no, first = pending[0]
            more = f" and {upto - 1} more line(s)" if upto > 1 else ""
            skipped.append(SkippedEntry(
                source, first_no,
                f"unrecognised text {first[:40]!r}{more}: not a TLE line or a name before one"))
        del pending[:upto]

    def take_name() -> tuple[str | None, int | None]:
        # The last pending line names the entry, unless it is a '#' comment
        # (no satellite name starts with '#'; commented files are common).
        named = bool(pending) and not pending[-1][1].startswith("#")
        flush_garbage(len(pending) - 1 if named else len(pending))
        if not named:
            return None, None
        lineno, name = pending.pop()
        if name.startswith("0 "):
            name = name[2:].strip()
        return name, lineno

    def add(name: str | None, name_no: int | None, no1: int, line1: str, line2: str) -> None:
        result = _tle_entry(line1, line2)
        if isinstance(result, str):
            skipped.append(SkippedEntry(source, name_no or no1, result))
            return
        satrecs.append(result)
        catnums.append(result.satnum)
        names.append(name or f"NORAD {result.satnum}")
        entry_lines.append(name_no or no1)

    n = len(lines)
    i = 0
    while i < n:
        line = lines[i].strip()
        kind = _line_kind(line) if line else None
        if kind is None:  # blank line
            i += 1
        elif kind == "1":
            j = i + 1
            while j < n and not lines[j].strip():
                j += 1
            nxt = lines[j].strip() if j < n else ""
            nkind = _line_kind(nxt) if nxt else None
            name, name_no = take_name()
            if nkind == "2" or (nkind == "" and _same_satellite(nxt, line)):
                add(name, name_no, i + 1, line, nxt)
                i = j + 1
            else:
                skipped.append(SkippedEntry(
                    source, name_no or i + 1,
                    f"line 2 is missing: line {i + 1} is a line 1 that is not followed by a line 2"))
                i += 1  # resynchronise on the next line, whatever it is
        elif kind == "2":
            if pending and _same_satellite(pending[-1][1], line):
                no1, line1 = pending.pop()  # a line 1 with a wrong line number
                name, name_no = take_name()
                add(name, name_no, no1, line1, line)
            else:
                name, name_no = take_name()
                skipped.append(SkippedEntry(
                    source, name_no or i + 1,
                    f"line 1 is missing: line {i + 1} is a line 2 without a line 1 before it"))
            i += 1
        else:
            pending.append((i + 1, line))
            i += 1
    flush_garbage(len(pending))
    return _without_duplicates(names, satrecs, catnums, entry_lines, source, skipped, unique)


# --------------------------------------------------------------------------
# OMM (CCSDS Orbit Mean-Elements Message) as CelesTrak serves it.  The mean
# elements are the same numbers a TLE carries, at full precision, so the same
# SGP4 initialisation applies.  _omm_satrec repeats sgp4.omm.initialize
# step for step (a test checks they build identical Satrecs) because that
# helper parses EPOCH with datetime.strptime, which alone costs ~20 us a row,
# a third of the load time for 10,000 satellites.

_OMM_NUMBERS = ("MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
                "ARG_OF_PERICENTER", "MEAN_ANOMALY", "BSTAR", "MEAN_MOTION_DOT",
                "MEAN_MOTION_DDOT")
# Unit conversions of sgp4.omm (see SGP4.cpp): rev/day -> rad/min, and the
# mean-motion derivatives rev/day^2 and rev/day^3 -> rad/min^2 and rad/min^3.
_EPOCH0 = datetime(1949, 12, 31)  # sgp4's epoch: days since 1949 Dec 31 0h
_DEG = math.pi / 180.0
_NDOT_UNITS = 1036800.0 / math.pi
_NDDOT_UNITS = 2985984000.0 / 2.0 / math.pi
_CCSDS_ORDINAL = re.compile(r"(\d{4})-(\d{3})(?=T|$)", re.ASCII)


class _BadField(ValueError):
    """One OMM field is missing or malformed; the message is the skip reason."""


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _omm_number(row: dict, name: str) -> float:
    value = row.get(name)
    try:
        x = float(value)
    except (TypeError, ValueError):
        if _blank(value):
            raise _BadField(f"field {name} is missing") from None
        raise _BadField(f"field {name} is not a number: {value!r}") from None
    if not math.isfinite(x):
        raise _BadField(f"field {name} is not a finite number: {value!r}")
    return x


def _omm_whole(row: dict, name: str, default: int | None = None,
               limit: int = 2**31 - 1) -> int:
    """A whole-number field in 0..limit (Satrec stores these in C ints)."""
    value = _omm_whole_any(row, name, default)
    if not 0 <= value <= limit:
        raise _BadField(f"field {name} is {value}, expected 0 to {limit}")
    return value


def _omm_whole_any(row: dict, name: str, default: int | None) -> int:
    value = row.get(name)
    if default is not None and _blank(value):
        return default
    # The common cases first: JSON ints and CSV digit strings.  (Not int() on
    # anything else: it would quietly truncate 25544.7.)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    x = _omm_number(row, name)  # "25544.0" is fine, "x" or 1.5 is not
    if x != int(x):
        raise _BadField(f"field {name} is not a whole number: {value!r}")
    return int(x)


def _omm_epoch(value) -> datetime:
    """EPOCH as a naive UTC datetime.

    CelesTrak writes 'YYYY-MM-DDThh:mm:ss.ffffff'; fromisoformat also takes
    other fractions, none, or a Z, and CCSDS's day-of-year form
    'YYYY-DDDThh:mm:ss' is converted first.
    """
    if not isinstance(value, str) or not value.strip():
        raise _BadField("field EPOCH is missing" if _blank(value)
                        else f"field EPOCH is not a date-time string: {value!r}")
    text = value.strip()
    try:
        ordinal = _CCSDS_ORDINAL.match(text)
        if ordinal:
            year, day = int(ordinal[1]), int(ordinal[2])
            date = datetime(year, 1, 1) + timedelta(days=day - 1)
            if date.year != year or day < 1:
                raise ValueError
            text = date.strftime("%Y-%m-%d") + text[ordinal.end():]
        epoch = datetime.fromisoformat(text)
    except ValueError:
        raise _BadField(f"field EPOCH is not an ISO 8601 date-time: {value!r}") from None
    if epoch.tzinfo is not None:
        epoch = epoch.astimezone(timezone.utc).replace(tzinfo=None)
    return epoch


def _omm_satrec(row: dict) -> Satrec:
    """Satrec for one OMM record, as sgp4.omm.initialize builds it (WGS-72).

    Raises _BadField naming the first missing or malformed field.
    """
    mean_motion, ecc, incl, raan, argp, mean_anomaly, bstar, ndot, nddot = (
        _omm_number(row, name) for name in _OMM_NUMBERS)
    # sgp4 keeps the number in 5 Alpha-5 columns; Z9999 = 339999 is its limit.
    catnum = _omm_whole(row, "NORAD_CAT_ID", limit=339999)
    epoch = _omm_epoch(row.get("EPOCH"))
    cls = row.get("CLASSIFICATION_TYPE")
    cls = "U" if _blank(cls) else str(cls).strip()
    if cls not in ("U", "C", "S"):
        raise _BadField(f"field CLASSIFICATION_TYPE is {cls!r}, expected U, C or S")
    object_id = row.get("OBJECT_ID")

    sat = Satrec()
    sat.classification = cls
    sat.intldesg = "" if _blank(object_id) else str(object_id).strip()[2:].replace("-", "")
    sat.ephtype = _omm_whole(row, "EPHEMERIS_TYPE", 0, limit=9)
    sat.elnum = _omm_whole(row, "ELEMENT_SET_NO", 999)
    sat.revnum = _omm_whole(row, "REV_AT_EPOCH", 0)
    try:
        sat.sgp4init(WGS72, "i", catnum, (epoch - _EPOCH0).total_seconds() / 86400.0,
                     bstar, ndot / _NDOT_UNITS, nddot / _NDDOT_UNITS, ecc, argp * _DEG,
                     incl * _DEG, mean_anomaly * _DEG, mean_motion / 720.0 * math.pi,
                     raan * _DEG)
    except (ValueError, TypeError, OverflowError) as exc:  # values sgp4 refuses
        raise _BadField(f"SGP4 rejects the elements: {exc}") from None
    return sat


def _omm_entry(row) -> tuple[str, Satrec] | str:
    """(name, Satrec) for one OMM record, or the reason it is broken."""
    if not isinstance(row, dict):
        return f"entry is a {type(row).__name__}, not an object of OMM fields"
    try:
        sat = _omm_satrec(row)
    except _BadField as exc:
        return str(exc)
    if sat.error:
        return f"SGP4 rejects the elements: {SGP4_ERRORS.get(sat.error, f'error {sat.error}')}"
    problem = range_problem(sat)
    if problem is not None:
        return problem
    name = row.get("OBJECT_NAME")
    return (f"NORAD {sat.satnum}" if _blank(name) else str(name).strip()), sat


def _omm_set(rows: Iterable[tuple[int, object]], source: str, unique: bool = False) -> ElementSet:
    names: list[str] = []
    satrecs: list[Satrec] = []
    catnums: list[int] = []
    skipped: list[SkippedEntry] = []
    entry_lines: list[int] = []
    for number, row in rows:
        result = _omm_entry(row)
        if isinstance(result, str):
            skipped.append(SkippedEntry(source, number, result))
        else:
            names.append(result[0])
            satrecs.append(result[1])
            catnums.append(result[1].satnum)
            entry_lines.append(number)
    return _without_duplicates(names, satrecs, catnums, entry_lines, source, skipped, unique)


def _without_duplicates(names, satrecs, catnums, entry_lines, source, skipped, unique) -> ElementSet:
    """The ElementSet; with ``unique`` (:func:`load_elements`), one entry per catalog number
    (:func:`orbitlink.element_checks.unique_entries`), the others reported as skipped."""
    if unique:
        keep, dropped = unique_entries(catnums, [s.jdsatepoch + s.jdsatepochF for s in satrecs],
                                       [_satrec_state(s)[1:] for s in satrecs], entry_lines)
        if dropped:
            names, satrecs, catnums = ([seq[i] for i in keep] for seq in (names, satrecs, catnums))
            skipped = sorted([*skipped, *(SkippedEntry(source, line, why) for line, why in dropped)],
                             key=lambda e: e.line)
    return ElementSet(tuple(names), tuple(satrecs), tuple(catnums), source, tuple(skipped))


def parse_omm_json(text: str, source: str = "<text>", *, unique: bool = False) -> ElementSet:
    """Read CelesTrak OMM JSON: a list of objects (or one object).

    A broken object is skipped with its 1-based list position.  Text that is
    not JSON at all raises :class:`~orbitlink.errors.ElementSetError`.
    """
    text = _as_text(text, source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ElementSetError(f"{source}: not valid OMM JSON ({exc})") from None
    except RecursionError:
        raise ElementSetError(f"{source}: not valid OMM JSON (nested too deeply)") from None
    except ValueError as exc:   # an integer of over 4,300 digits (Python's int-from-text limit)
        raise ElementSetError(f"{source}: not valid OMM JSON ({str(exc).split(';')[0]})") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ElementSetError(
            f"{source}: OMM JSON must be a list of objects, not a {type(data).__name__}")
    return _omm_set(enumerate(data, 1), source, unique)


def parse_omm_csv(text: str, source: str = "<text>", *, unique: bool = False) -> ElementSet:
    """Read CelesTrak OMM CSV: a header row of OMM field names, one row each.

    A broken row is skipped with its file line number (the header is line 1,
    counting any blank lines before it).  Malformed CSV that the csv module
    cannot read raises :class:`~orbitlink.errors.ElementSetError`.
    """
    text = _as_text(text, source)
    text = text.lstrip("\ufeff")
    # csv.DictReader takes the first physical row as the header, blank or not.
    body = text.lstrip("\r\n \t")
    offset = text[:len(text) - len(body)].count("\n")
    reader = _omm.parse_csv(io.StringIO(body, newline=""))
    try:
        if reader.fieldnames is None:
            return _omm_set((), source, unique)
        # Tolerate "OBJECT_NAME, NORAD_CAT_ID" style headers.
        reader.fieldnames = [f.strip() for f in reader.fieldnames]
        rows, oversized = csv_rows(reader, offset)
    except csv.Error as exc:
        raise ElementSetError(
            f"{source}:{offset + reader.line_num}: not valid OMM CSV ({exc})") from None
    result = _omm_set(rows, source, unique)
    if oversized:
        skipped = tuple(sorted((*result.skipped, *(SkippedEntry(source, *o) for o in oversized)),
                               key=lambda e: e.line))
        result = ElementSet(result.names, result.satrecs, result.catalog_numbers, source, skipped)
    return result


def parse_omm_xml(text: str, source: str = "<text>", *, unique: bool = False) -> ElementSet:
    """Read OMM XML (CCSDS NDM with one ``<segment>`` per satellite).

    A broken segment is skipped with its 1-based position; XML that cannot be
    parsed raises :class:`~orbitlink.errors.ElementSetError`.
    """
    text = _as_text(text, source)
    try:
        segments = list(_omm.parse_xml(io.StringIO(text)))
    except ET.ParseError as exc:
        raise ElementSetError(f"{source}: not valid OMM XML ({exc})") from None
    except AttributeError:
        # sgp4.omm.parse_xml assumes metadata/data/meanElements/tleParameters.
        raise ElementSetError(
            f"{source}: OMM XML segment lacks <metadata>, <meanElements> or "
            "<tleParameters>") from None
    rows = ({k: (v.strip() if isinstance(v, str) else v) for k, v in seg.items()}
            for seg in segments)
    return _omm_set(enumerate(rows, 1), source, unique)


def _detect(text: str) -> str:
    """'json', 'xml', 'csv' or 'tle', from the first non-blank content."""
    head = text.lstrip()
    first = head[:1]
    if first in ("[", "{"):
        return "json"
    if first == "<":
        return "xml"
    header = head.split("\n", 1)[0]
    if "OBJECT_NAME" in header or "NORAD_CAT_ID" in header:
        return "csv"
    return "tle"


_PARSERS = {"json": parse_omm_json, "xml": parse_omm_xml,
            "csv": parse_omm_csv, "tle": parse_tle_text}


def load_elements(path: str | os.PathLike) -> ElementSet:
    """Read an element-set file (or a bundled sample by name, e.g. ``"iss-skyfield-doc"``;
    ``orbitlink data list``), detecting TLE / OMM JSON / CSV / XML from content.

    Broken entries are skipped and listed in ``.skipped``.  Raises
    :class:`~orbitlink.errors.ElementSetError`, naming the file, when it is
    missing, unreadable, empty, or has no valid entry at all.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ElementSetError(f"path: expected an element-set file path, not {type(path).__name__}")
    from .data import resolve_file, sample_names

    source = os.fspath(resolve_file(path, "tle"))    # a bundled sample's name, e.g. "iss-skyfield-doc"
    try:
        data = Path(source).read_bytes()
    except FileNotFoundError:
        raise ElementSetError(f"{source}: no such file (expected {_ACCEPTED}, or a bundled sample: "
                              f"{', '.join(sample_names('tle'))})") from None
    except OSError as exc:
        raise ElementSetError(f"{source}: cannot read file ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Latin-1 decodes any byte; odd characters then fail the checks of the
        # entry they are in instead of making the whole file unreadable.
        text = data.decode("latin-1")
    if not text.strip():
        raise ElementSetError(f"{source}: file is empty (expected {_ACCEPTED})")
    kind = _detect(text)
    elements = _PARSERS[kind](text, source, unique=True)
    if len(elements) == 0:
        what = {"tle": "TLE", "json": "OMM JSON", "csv": "OMM CSV", "xml": "OMM XML"}[kind]
        if not elements.skipped:
            raise ElementSetError(f"{source}: read as {what} but holds no element set "
                                  f"(expected {_ACCEPTED})")
        shown = "; ".join(f"line {s.line}: {s.reason}" for s in elements.skipped[:3])
        more = (f"; and {len(elements.skipped) - 3} more"
                if len(elements.skipped) > 3 else "")
        raise ElementSetError(
            f"{source}: no valid element set among {len(elements.skipped)} "
            f"{what} entries ({shown}{more})")
    return elements
