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
        from .notebook import names_preview, span_text
        from .times import utc_times

        invalid = int(np.count_nonzero(~self.valid))
        span = span_text(self.grid.start, utc_times(self.grid.start, float(self.t_s[-1])))
        return (f"Track({self.n_satellites} satellites x {self.n_times} steps of {self.grid.step_s:g} s, "
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

    def select(self, index) -> "Track":
        """The sub-track of the satellites at ``index`` (ints, slice or bool mask)."""
        idx = np.arange(self.n_satellites)[index]
        idx = np.atleast_1d(idx)
        return Track(self.grid, tuple(self.names[i] for i in idx),
                     self.r_gcrs_m[:, idx], self.v_gcrs_m_s[:, idx],
                     self.r_itrs_m[:, idx], self.v_itrs_m_s[:, idx],
                     self.valid[idx], self.propagator, self.messages)
