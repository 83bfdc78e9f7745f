"""The Track: what every propagator returns and every analysis consumes."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .core import frames
from .times import TimeGrid


@dataclass(frozen=True, eq=False)
class Track:
    """Positions and velocities of S satellites on a shared time grid of T steps.

    Arrays are SI float64 with the axis order ``(3, S, T)``; frames are named
    in the field.  ``valid[s, t]`` is False where the propagator could not
    produce a state (an SGP4 error such as a decayed orbit); those samples are
    NaN and the reason is in ``messages``.  ``propagator`` names what ran, in
    the words of :data:`orbitlink.propagators.PROPAGATORS` after ``"auto"`` is
    resolved: ``"analytic"`` (J2-secular), ``"two-body"``, ``"sgp4"``, or
    ``"poliastro-cowell"`` / ``"poliastro-kepler"``.
    """

    grid: TimeGrid
    names: tuple[str, ...]
    r_gcrs_m: np.ndarray
    v_gcrs_m_s: np.ndarray
    r_itrs_m: np.ndarray
    v_itrs_m_s: np.ndarray
    valid: np.ndarray
    propagator: str
    messages: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:
        # A few lines for notebooks: the default dataclass repr prints every array.
        from .notebook import count_text, names_preview, span_text
        from .times import utc_times

        invalid = int(np.count_nonzero(~self.valid))
        span = span_text(self.grid.start, utc_times(self.grid.start, float(self.t_s[-1])))
        return (f"Track({count_text(self.n_satellites, 'satellite')} x {count_text(self.n_times, 'step')} "
                f"of {self.grid.step_s:g} s, "
                f"{span}, {self.propagator}; arrays (3, {self.n_satellites}, {self.n_times}); "
                f"{invalid} invalid samples; {names_preview(self.names)})")

    @property
    def t_s(self) -> np.ndarray:
        return self.grid.t_s

    @property
    def n_satellites(self) -> int:
        return len(self.names)

    @property
    def n_times(self) -> int:
        return self.grid.size

    def geodetic(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """WGS-84 ``(lat_rad, lon_rad, alt_m)``, each (S, T); NaN where invalid."""
        return frames.itrs_to_geodetic(self.r_itrs_m)

    def to_xarray(self, geodetic: bool = True):
        """The track as an ``xarray.Dataset`` (needs ``orbitlink[xarray]``).

        Dims ``xyz`` (3), ``satellite`` (S) and ``time`` (T), in the Track's axis order:
        ``r_gcrs_m``, ``v_gcrs_m_s``, ``r_itrs_m``, ``v_itrs_m_s`` (xyz, satellite, time)
        hold the Track's arrays (no copy: they share memory), ``valid`` (satellite, time) its mask; with ``geodetic``
        also WGS-84 ``lat_deg``, ``lon_deg``, ``alt_m`` (satellite, time).  Coordinates:
        ``satellite`` (names), ``time`` (UTC as datetime64[ns]), ``t_s`` (s from the start,
        along time), ``xyz``.  Units and frames are in each variable's ``attrs``; the
        propagator, start, step and messages in the Dataset's.
        """
        from .notebook import require_xarray
        from .times import utc_times

        xr = require_xarray("Track.to_xarray()")
        vec = ("xyz", "satellite", "time")
        frame = {"gcrs": "GCRS (ICRF axes, geocentric)", "itrs": "ITRS (Earth-fixed)"}
        data = {}
        for name, unit in (("r_gcrs_m", "m"), ("v_gcrs_m_s", "m/s"), ("r_itrs_m", "m"), ("v_itrs_m_s", "m/s")):
            what = "position" if name.startswith("r_") else "velocity"
            data[name] = (vec, getattr(self, name), {"units": unit, "long_name": f"{what}, {frame[name[2:6]]}"})
        data["valid"] = (("satellite", "time"), self.valid,
                         {"long_name": "the propagator produced a state (else NaN; see attrs messages)"})
        if geodetic:
            lat, lon, alt = self.geodetic()
            data["lat_deg"] = (("satellite", "time"), np.degrees(lat), {"units": "deg", "long_name": "WGS-84 latitude"})
            data["lon_deg"] = (("satellite", "time"), np.degrees(lon), {"units": "deg", "long_name": "WGS-84 longitude"})
            data["alt_m"] = (("satellite", "time"), alt, {"units": "m", "long_name": "WGS-84 height"})
        # UTC to the microsecond (the TT -> UTC sum leaves a few hundred ns of float noise).
        ns = utc_times(self.grid.start, self.t_s).datetime64.astype("datetime64[ns]").astype(np.int64)
        times = (np.floor_divide(ns + 500, 1000) * 1000).astype("datetime64[ns]")
        coords = {"xyz": ("xyz", ["x", "y", "z"]), "satellite": ("satellite", list(self.names)),
                  "time": ("time", times, {"long_name": "UTC"}),
                  "t_s": ("time", self.t_s, {"units": "s", "long_name": "seconds from the start (TT)"})}
        return xr.Dataset(data, coords=coords, attrs={
            "propagator": self.propagator, "start_utc": self.grid.start.utc.isot + "Z",
            "step_s": float(self.grid.step_s), "messages": "\n".join(self.messages), "source": "orbitlink Track"})

    def select(self, index) -> "Track":
        """The sub-track of the satellites at ``index`` (ints, slice or bool mask)."""
        idx = np.arange(self.n_satellites)[index]
        idx = np.atleast_1d(idx)
        return Track(self.grid, tuple(self.names[i] for i in idx),
                     self.r_gcrs_m[:, idx], self.v_gcrs_m_s[:, idx],
                     self.r_itrs_m[:, idx], self.v_itrs_m_s[:, idx],
                     self.valid[idx], self.propagator, self.messages)
