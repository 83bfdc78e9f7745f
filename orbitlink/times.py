"""Time grids, and the one place skyfield's timescale and ephemeris are loaded.

Both come from the ``skyfield-data`` package (DE421 and the IERS
``finals2000A.all`` file with UT1-UTC and polar motion), so nothing is ever
downloaded.  ``finals2000A.all`` carries about a year of predictions past its
release; skyfield-data flags the file as expired after that and warns on every
use.  We silence that warning here, once, and document what it means:
beyond the table UT1-UTC is extrapolated, which moves Earth-fixed positions by
at most tens of metres over a few years (docs/concepts/time.md).

A :class:`TimeGrid` is built once per run and shared by every satellite:
skyfield spends about 50 us per distinct time on nutation/precession, so a
reused Time array is what makes frame rotations cheap.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import warnings
from dataclasses import dataclass

import numpy as np
from astropy.time import Time

from .constants import DAY_S
from .errors import TimeGridError
from .units import QuantityLike, to_si

import astropy.units as u

# ERFA flags UTC dates past its leap-second table (or before 1960) as "dubious
# year": it cannot know future leap seconds.  orbitlink's documented assumption
# is that none are added (docs/concepts/time.md), so the warning is noise that
# would break the CLI's one-line stderr; only that message is silenced.
warnings.filterwarnings("ignore", message=r'ERFA function "\w+" yielded .*dubious year')

# A run keeps about four (3, S, T) float64 arrays (r and v in two frames).
BYTES_PER_SATELLITE_STEP = 4 * 3 * 8
# Refuse grids whose track alone would not fit comfortably in memory.
MAX_TRACK_BYTES = 8 * 2**30
# Per time step, whatever the satellite count: the Earth-rotation matrices R and W
# (two (3, 3, T) float64 arrays, plus as much again for the products that build
# them), the seconds, and skyfield's Time (two Julian-date parts and TT/TDB/UT1
# offsets): 2 * 2 * 72 + 8 + 6 * 8 = 344 bytes, rounded up.
BYTES_PER_STEP = 384


@functools.lru_cache(maxsize=1)
def _data_path() -> str:
    import skyfield_data

    return os.path.join(os.path.dirname(skyfield_data.__file__), "data")


@functools.lru_cache(maxsize=1)
def timescale():
    """The skyfield Timescale built from skyfield-data's IERS file (offline)."""
    from skyfield.api import Loader
    from skyfield.data import iers

    loader = Loader(_data_path(), verbose=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ts = loader.timescale(builtin=False)
    with open(os.path.join(_data_path(), "finals2000A.all"), "rb") as f:
        iers.install_polar_motion_table(ts, iers.parse_x_y_dut1_from_finals_all(f))
    return ts


@functools.lru_cache(maxsize=1)
def planets():
    """The DE421 ephemeris shipped in skyfield-data (1899-07-29 to 2053-10-09)."""
    from skyfield.api import Loader

    return Loader(_data_path(), verbose=False)("de421.bsp")


#: The accepted forms of a time, quoted in every message about one.
TIME_FORM = ("ISO 8601, UTC unless it carries an offset, e.g. 2026-01-01, 2026-01-01T12:00:00Z or "
             "2026-01-01T13:00:00+01:00; or a datetime, numpy datetime64 or astropy Time")

# An ISO date-time ending in a UTC offset: +01:00, -0500, +05 (ISO 8601 allows all three).
_OFFSET = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<hm>\d{2}:\d{2})(?P<sec>:\d{2}(?:\.\d*)?)?\s*"
                     r"(?P<sign>[+-])(?P<hh>\d{2})(?::?(?P<mm>\d{2}))?$")


def parse_time(value, field: str = "start") -> Time:
    """An astropy Time (UTC) from any of the forms a user writes an instant in.

    - an ISO 8601 string: UTC when it has no offset or ends in ``Z``
      (``"2026-01-01"``, ``"2026-01-01T12:00:00Z"``), converted to UTC when
      it ends in an offset (``"2026-01-01T13:00:00+01:00"`` is 12:00 UTC;
      ``-05:00``, ``+0530`` and ``+05`` too); a leap second ``23:59:60`` is
      accepted on the days that end with one;
    - ``"now"``;
    - a :class:`datetime.datetime` (naive: UTC; aware: converted to UTC), a
      :class:`datetime.date` (its midnight UTC), a pandas Timestamp;
    - a numpy ``datetime64`` (UTC);
    - an astropy :class:`~astropy.time.Time` (any scale, returned in UTC).

    Errors are :class:`~orbitlink.errors.TimeGridError` naming ``field``.
    """
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise TimeGridError(f"{field}: got NaT, not a time ({TIME_FORM})")
        value = Time(value, scale="utc")
    elif isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        value = datetime.datetime(value.year, value.month, value.day)
    given = value
    value = _to_utc_text(_strip_z(value), field)
    if isinstance(value, Time):
        if not value.isscalar:
            raise TimeGridError(f"{field}: expected one time, got {value.size}")
        return value.utc
    if isinstance(value, bool) or not isinstance(value, (str, datetime.datetime)):
        raise TimeGridError(f"{field}: got {value!r} ({TIME_FORM})")
    if isinstance(value, str) and value.strip().lower() == "now":
        return Time.now().utc
    if isinstance(value, str) and not value.strip():
        raise TimeGridError(f"{field}: empty ({TIME_FORM})")
    try:
        with warnings.catch_warnings():
            # ERFA accepts 23:59:60 on any day and rolls it into the next one; it is a
            # real time only on a day that ends with a leap second (2016-12-31).
            warnings.filterwarnings("error", message=r".*time is after end of day")
            # numpy's FutureWarnings from odd input ('' and such) would precede the error line.
            warnings.simplefilter("ignore", FutureWarning)
            t = Time(value, scale="utc")
    except Warning:
        raise TimeGridError(f"{field}: {given!r} is not a leap second (23:59:60 exists only at the end "
                            "of a day with a leap second, e.g. 2016-12-31T23:59:60Z)") from None
    except (ValueError, TypeError):
        raise TimeGridError(f"{field}: cannot read {given!r} ({TIME_FORM})") from None
    if not t.isscalar:
        raise TimeGridError(f"{field}: expected one time")
    return t


def _to_utc_text(value, field: str):
    """An ISO string with a UTC offset as the same instant in UTC (other values unchanged).

    The offset is taken off the date, hours and minutes as calendar arithmetic; the
    seconds are kept as written, so a leap second (``00:59:60+01:00`` is
    ``23:59:60Z``) and any number of decimals survive.
    """
    if not isinstance(value, str):
        return value
    m = _OFFSET.match(value.strip())
    if not m:
        return value
    hh, mm = int(m["hh"]), int(m["mm"] or 0)
    if hh > 14 or mm > 59 or (hh == 14 and mm):
        raise TimeGridError(f"{field}: {value!r} has UTC offset {m['sign']}{m['hh']}:{m['mm'] or '00'}, "
                            f"outside -14:00 to +14:00 ({TIME_FORM})")
    try:
        local = datetime.datetime.fromisoformat(f"{m['date']}T{m['hm']}")
    except ValueError:
        raise TimeGridError(f"{field}: cannot read {value!r} ({TIME_FORM})") from None
    sign = 1 if m["sign"] == "+" else -1
    utc = local - sign * datetime.timedelta(hours=hh, minutes=mm)
    return utc.strftime("%Y-%m-%dT%H:%M") + (m["sec"] or ":00")


def _strip_z(value):
    # astropy's ISO parser does not accept the trailing 'Z' that UTC ISO 8601 allows.
    if isinstance(value, str) and value.strip().upper().endswith("Z"):
        return value.strip()[:-1]
    return value


@dataclass(frozen=True, eq=False)
class TimeGrid:
    """Evenly spaced times: ``start + t_s``.

    ``t_s`` are seconds from ``start`` (float64, shape (T,)); ``sf`` is the
    matching skyfield Time, built once and reused for every frame rotation and
    Sun position of the run.  Times are on the TT scale internally (the grid is
    uniform in TT), so a leap second inside the span does not bend the grid.
    """

    start: Time
    t_s: np.ndarray

    @functools.cached_property
    def sf(self):
        ts = timescale()
        tt = self.start.tt
        # Two-part Julian date keeps sub-microsecond resolution over decades.
        return ts.tt_jd(np.full(self.t_s.shape, tt.jd1), tt.jd2 + self.t_s / DAY_S)

    @functools.cached_property
    def gcrs_to_itrs(self) -> tuple[np.ndarray, np.ndarray]:
        """``(R, W)`` Earth-rotation matrices on this grid, computed once (see :mod:`orbitlink.earth`)."""
        from .earth import gcrs_to_itrs

        return gcrs_to_itrs(self)

    @property
    def size(self) -> int:
        return int(self.t_s.size)

    def __repr__(self) -> str:
        if self.size == 0:
            return "TimeGrid(0 times)"
        first, last = iso_utc(self.start, [self.t_s[0], self.t_s[-1]])
        return f"TimeGrid({self.size} times every {self.step_s:g} s, {first} .. {last})"

    @property
    def step_s(self) -> float:
        return float(self.t_s[1] - self.t_s[0]) if self.size > 1 else 0.0

    @property
    def times(self) -> Time:
        """The grid as an astropy Time array (UTC)."""
        return utc_times(self.start, self.t_s)

    def iso(self) -> list[str]:
        """ISO 8601 UTC strings ending in Z, millisecond precision."""
        return iso_utc(self.start, self.t_s)


def utc_times(start: Time, seconds) -> Time:
    """``start + seconds`` (real, TT seconds) as an astropy Time on the UTC scale."""
    from astropy.time import TimeDelta

    return (start.tt + TimeDelta(np.asarray(seconds, dtype=np.float64), format="sec")).utc


def iso_utc(start: Time, seconds) -> list[str]:
    """ISO 8601 UTC strings (millisecond precision, ending in Z) of ``start + seconds``.

    ``seconds`` are real (TT) seconds from ``start``.  Millions of labels
    (passes of a constellation) are formatted through numpy's datetime64, ~100x
    faster than astropy's per-element formatting, whenever no leap second
    falls inside the span; otherwise astropy does it (it knows the leap and
    writes it as ``23:59:60``).
    """
    from astropy.time import TimeDelta

    s = np.atleast_1d(np.asarray(seconds, dtype=np.float64))
    if s.size == 0:
        return []
    first, last = int(np.argmin(s)), int(np.argmax(s))
    ends = utc_times(start, s[[first, last]])
    ends.precision = 3
    want = ends.isot
    # The fast path counts every second as one UTC second, so a leap second inside the
    # span shifts every label after it: its last label then differs from astropy's.
    # (Comparing TAI-UTC at the two ends does not see it: astropy spreads the leap
    # second over the whole UTC day in its Julian dates.)
    try:
        base_ns = ends[0].datetime64.astype("datetime64[ns]").astype(np.int64)
    except ValueError:  # the start is itself inside a leap second (23:59:60.x)
        base_ns = None
    if base_ns is not None:
        t_ns = base_ns + np.round((s - s[first]) * 1e9).astype(np.int64)
        t_ms = (t_ns + 500_000) // 1_000_000  # round to the millisecond, as astropy does
        text = _iso_ms_z(t_ms)
        if text[first] == want[0] + "Z" and text[last] == want[1] + "Z":
            return text
    t = utc_times(start, s)
    t.precision = 3
    return [x + "Z" for x in t.isot]


_MS_PER_DAY = 86_400_000


def _iso_ms_z(t_ms: np.ndarray) -> list[str]:
    """``YYYY-MM-DDTHH:MM:SS.mmmZ`` of milliseconds since 1970 (every second one UTC second).

    Built as one (N, 24) array of ASCII codes - the date of each day of the span once (numpy's
    datetime64), the time of day by integer arithmetic - decoded once and cut into strings: 5
    million pass times in about a third of the time of ``np.datetime_as_string`` plus a "Z"
    appended to each.  Spans of over 100,000 days, or years outside 0001..9999 (no 10-character
    date), take numpy's path."""
    day = t_ms // _MS_PER_DAY
    lo, hi = int(day.min()), int(day.max())
    dates = (np.datetime_as_string(np.arange(lo, hi + 1).astype("datetime64[D]")).tolist()
             if hi - lo <= 100_000 else [])
    if not dates or any(len(d) != 10 for d in (dates[0], dates[-1])):
        text = np.datetime_as_string(t_ms.astype("datetime64[ms]"), unit="ms")
        return [x + "Z" for x in text.tolist()]
    out = np.empty((t_ms.size, 24), dtype=np.uint8)
    out[:, :10] = np.frombuffer("".join(dates).encode("ascii"), dtype=np.uint8).reshape(-1, 10)[day - lo]
    ms = t_ms - day * _MS_PER_DAY
    zero = ord("0")
    for col, value in ((11, ms // 3_600_000), (14, ms // 60_000 % 60), (17, ms // 1000 % 60)):
        out[:, col] = zero + value // 10
        out[:, col + 1] = zero + value % 10
    frac = ms % 1000
    out[:, 20], out[:, 21], out[:, 22] = zero + frac // 100, zero + frac // 10 % 10, zero + frac % 10
    out[:, 10], out[:, 13], out[:, 16], out[:, 19], out[:, 23] = (ord(c) for c in "T::.Z")
    text = out.tobytes().decode("ascii")
    return [text[k:k + 24] for k in range(0, len(text), 24)]


def time_grid(start, duration: QuantityLike, step: QuantityLike, *,
              satellites: int = 1) -> TimeGrid:
    """Build a :class:`TimeGrid` from ``start`` over ``duration`` every ``step``.

    The last sample is at or before ``start + duration``.  ``satellites`` is
    only used to refuse grids whose tracks would exceed memory.
    """
    start_t = parse_time(start)
    duration_s = to_si(duration, "time", "duration", lo=0 * u.s, lo_inclusive=False)
    step_s = to_si(step, "time", "step", lo=0 * u.s, lo_inclusive=False)
    if step_s > duration_s * (1 + 1e-12):
        raise TimeGridError(f"step: {step_s:g} s is longer than the duration ({duration_s:g} s); "
                            "give a --step at most the --duration")
    satellites = _count(satellites, "satellites")
    n = int(np.floor(duration_s / step_s + 1e-9)) + 1
    check_size(satellites, n)
    return TimeGrid(start_t, np.arange(n, dtype=np.float64) * step_s)


def _count(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise TimeGridError(f"{field}: expected a whole number of at least 1, got {value!r}")
    return int(value)


def check_size(satellites: int, steps: int) -> None:
    """Refuse a run whose track and per-step arrays would not fit in memory, and say what to do."""
    positions = satellites * steps * BYTES_PER_SATELLITE_STEP
    per_step = steps * BYTES_PER_STEP
    need = positions + per_step
    if need > MAX_TRACK_BYTES:
        detail = (f"{positions / 2**30:.1f} GiB of positions and {per_step / 2**30:.1f} GiB of "
                  "Earth-rotation matrices and times")
        raise TimeGridError(
            f"duration/step: {satellites} satellites x {steps} steps needs about "
            f"{need / 2**30:.1f} GiB ({detail}; limit {MAX_TRACK_BYTES / 2**30:.0f} GiB); "
            "use a larger --step, a shorter --duration, or split the run into chunks "
            "(--dask local for passes, coverage and latency; orbitlink.scale in Python)"
        )
