"""SGP4 propagation of TLE/OMM element sets, vectorized over satellites x times.

``sgp4.api.SatrecArray`` runs the compiled SGP4 for a block of satellites over
the whole grid in one call; the TEME -> GCRS and GCRS -> ITRS rotations are
computed once per time step through skyfield (the same matrices skyfield's
``EarthSatellite`` uses, so results agree with it to well below a metre) and
applied to the block with a few array products.  Satellites are processed in
blocks so the temporaries stay small whatever the constellation size.

SGP4 errors (decayed orbit, eccentricity out of range, ...) do not stop the
run: the samples become NaN with ``valid = False`` and the reason is reported
in ``Track.messages``.
"""

from __future__ import annotations

import numpy as np
from sgp4.api import SGP4_ERRORS, SatrecArray

from ..constants import DAY_S
from ..core.frames import rotate
from ..earth import gcrs_to_itrs, teme_to_gcrs
from ..times import TimeGrid, check_size
from ..track import Track

# Satellites per SatrecArray call: large enough to amortise the call, small
# enough that the (block, T, 3) temporaries stay in the tens of MB.
BLOCK = 64


def sgp4_times(grid: TimeGrid) -> tuple[np.ndarray, np.ndarray]:
    """UTC Julian date as (whole, fraction), exactly as skyfield feeds SGP4."""
    t = grid.sf
    jd = np.broadcast_to(t.whole, (grid.size,)).astype(np.float64)
    fr = np.broadcast_to(t.tai_fraction - t._leap_seconds() / DAY_S, (grid.size,)).astype(np.float64)
    return jd, fr


def propagate(elements, grid: TimeGrid) -> Track:
    """Track of every satellite of ``elements`` (an :class:`~orbitlink.elements.ElementSet`)."""
    satrecs = list(elements.satrecs)
    n_sat, n_t = len(satrecs), grid.size
    check_size(n_sat, n_t)
    jd, fr = sgp4_times(grid)
    # One TEME -> frame matrix per time step, km -> m folded in.
    M_gcrs = teme_to_gcrs(grid) * 1e3
    R, W = gcrs_to_itrs(grid)
    M_itrs = np.einsum("ijt,jkt->ikt", R, M_gcrs)

    shape = (3, n_sat, n_t)
    r_gcrs, v_gcrs = np.empty(shape), np.empty(shape)
    r_itrs, v_itrs = np.empty(shape), np.empty(shape)
    errors = np.empty((n_sat, n_t), dtype=np.uint8)
    for lo in range(0, n_sat, BLOCK):
        hi = min(lo + BLOCK, n_sat)
        e, r_km, v_km_s = SatrecArray(satrecs[lo:hi]).sgp4(jd, fr)
        errors[lo:hi] = e
        # (block, T, 3) -> (3, block, T) so every component is contiguous.
        r_teme = np.ascontiguousarray(r_km.transpose(2, 0, 1))
        v_teme = np.ascontiguousarray(v_km_s.transpose(2, 0, 1))
        rotate(M_gcrs, r_teme, out=r_gcrs[:, lo:hi])
        rotate(M_gcrs, v_teme, out=v_gcrs[:, lo:hi])
        rotate(M_itrs, r_teme, out=r_itrs[:, lo:hi])
        rotate(M_itrs, v_teme, out=v_itrs[:, lo:hi])
        v_itrs[:, lo:hi] += rotate(W, r_itrs[:, lo:hi])

    valid = errors == 0
    messages = _error_messages(elements.names, errors, grid) if not valid.all() else ()
    if not valid.all():
        for arr in (r_gcrs, v_gcrs, r_itrs, v_itrs):
            arr[:, ~valid] = np.nan
    return Track(grid, tuple(elements.names), r_gcrs, v_gcrs, r_itrs, v_itrs, valid, "sgp4",
                 messages)


def _error_messages(names, errors, grid) -> tuple[str, ...]:
    """One message per failing satellite: the first error and when it began."""
    bad = np.flatnonzero((errors != 0).any(axis=1))
    first = np.argmax(errors[bad] != 0, axis=1)
    iso = grid.times[first].isot if bad.size else []
    out = []
    for s, k, when in zip(bad, first, iso):
        code = int(errors[s, k])
        n_bad = int(np.count_nonzero(errors[s]))
        out.append(f"{names[s]}: SGP4 error {code} ({SGP4_ERRORS.get(code, 'unknown')}) "
                   f"from {when}Z; {n_bad} of {grid.size} samples masked")
    return tuple(out)
