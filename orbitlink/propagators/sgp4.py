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

import multiprocessing as mp
import os
import signal
from dataclasses import dataclass

import numpy as np
from sgp4.api import SGP4_ERRORS, SatrecArray

from ..constants import DAY_S
from ..core import memory
from ..core.frames import rotate
from ..earth import teme_to_gcrs
from ..times import TimeGrid, check_size
from ..track import Track

# Satellites per SatrecArray call: the (3, block, T) temporaries of a block of
# 16 satellites over a day at 10 s (3 MB) stay in cache while they are rotated
# into four frames; 64 was 17 % slower on the day-long Starlink benchmark.
BLOCK = 16


def sgp4_times(grid: TimeGrid) -> tuple[np.ndarray, np.ndarray]:
    """UTC Julian date as (whole, fraction), exactly as skyfield feeds SGP4."""
    t = grid.sf
    jd = np.broadcast_to(t.whole, (grid.size,)).astype(np.float64)
    fr = np.broadcast_to(t.tai_fraction - t._leap_seconds() / DAY_S, (grid.size,)).astype(np.float64)
    return jd, fr


def propagate(elements, grid: TimeGrid, *, workers: int | None = None) -> Track:
    """Track of every satellite of ``elements`` (an :class:`~orbitlink.elements.ElementSet`).

    ``workers``: processes to spread satellites over (default: every core for
    runs above a million satellite-steps, else one).  SGP4 holds the GIL, so
    threads cannot help; forked workers write straight into shared memory, so
    nothing is pickled or copied back.
    """
    satrecs = list(elements.satrecs)
    n_sat, n_t = len(satrecs), grid.size
    check_size(n_sat, n_t)
    jd, fr = sgp4_times(grid)
    # One TEME -> frame matrix per time step, km -> m folded in.
    M_gcrs = teme_to_gcrs(grid) * 1e3
    R, W = grid.gcrs_to_itrs
    M_itrs = np.einsum("ijt,jkt->ikt", R, M_gcrs)

    n_workers = _worker_count(workers, n_sat, n_t)
    # Forked workers write into shared mappings made before the fork.
    shared = n_workers > 1
    shape = (3, n_sat, n_t)
    job = _Job(satrecs, jd, fr, M_gcrs, M_itrs, W,
               *(memory.empty(shape, shared=shared) for _ in range(4)),
               memory.empty((n_sat, n_t), np.uint8, shared=shared))
    if n_workers > 1:
        _run_forked(job, n_workers)
    else:
        _fill(job, 0, n_sat)

    valid = job.errors == 0
    messages = () if valid.all() else _error_messages(elements.names, job.errors, grid)
    if not valid.all():
        for arr in (job.r_gcrs, job.v_gcrs, job.r_itrs, job.v_itrs):
            arr[:, ~valid] = np.nan
    return Track(grid, tuple(elements.names), job.r_gcrs, job.v_gcrs, job.r_itrs, job.v_itrs,
                 valid, "sgp4", messages)


@dataclass
class _Job:
    satrecs: list
    jd: np.ndarray
    fr: np.ndarray
    M_gcrs: np.ndarray
    M_itrs: np.ndarray
    W: np.ndarray
    r_gcrs: np.ndarray
    v_gcrs: np.ndarray
    r_itrs: np.ndarray
    v_itrs: np.ndarray
    errors: np.ndarray


def _fill(job: _Job, lo: int, hi: int) -> None:
    """Propagate satellites lo..hi in blocks and rotate them into the outputs."""
    for a in range(lo, hi, BLOCK):
        b = min(a + BLOCK, hi)
        e, r_km, v_km_s = SatrecArray(job.satrecs[a:b]).sgp4(job.jd, job.fr)
        job.errors[a:b] = e
        # (block, T, 3) -> (3, block, T) so every component is contiguous.
        r_teme = np.ascontiguousarray(r_km.transpose(2, 0, 1))
        v_teme = np.ascontiguousarray(v_km_s.transpose(2, 0, 1))
        rotate(job.M_gcrs, r_teme, out=job.r_gcrs[:, a:b])
        rotate(job.M_gcrs, v_teme, out=job.v_gcrs[:, a:b])
        rotate(job.M_itrs, r_teme, out=job.r_itrs[:, a:b])
        rotate(job.M_itrs, v_teme, out=job.v_itrs[:, a:b])
        job.v_itrs[:, a:b] += rotate(job.W, job.r_itrs[:, a:b])


# Parallel runs: fork workers that inherit the job (no pickling: Satrec objects
# cannot be pickled) and write into anonymous shared memory mapped before the fork.
PARALLEL_MIN_SAT_STEPS = 1_000_000
_FORKED_JOB: _Job | None = None
_PARENT_PID = 0


def _worker_count(workers, n_sat, n_t) -> int:
    if workers is None:
        if n_sat * n_t < PARALLEL_MIN_SAT_STEPS or "fork" not in mp.get_all_start_methods():
            return 1
        workers = os.cpu_count() or 1
    return max(1, min(int(workers), -(-n_sat // BLOCK)))


def _run_forked(job: _Job, n_workers: int) -> None:
    global _FORKED_JOB, _PARENT_PID
    n_sat = len(job.satrecs)
    # Contiguous satellite ranges, one per worker, cut on block boundaries.
    blocks = -(-n_sat // BLOCK)
    edges = [min(n_sat, BLOCK * (blocks * k // n_workers)) for k in range(n_workers + 1)]
    _FORKED_JOB = job
    _PARENT_PID = os.getpid()
    try:
        # A signal arriving while os.fork runs its at-fork hooks is swallowed there
        # ("Exception ignored in _releaseLock"): hold the interrupts until every worker
        # exists, then deliver them; the workers unblock them again in _ignore_sigint.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS) if _INTERRUPTS else None
        try:
            pool = mp.get_context("fork").Pool(n_workers, initializer=_ignore_sigint)
        finally:
            if held is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
        with pool:
            pool.starmap(_fill_forked, zip(edges[:-1], edges[1:]))
    finally:
        _FORKED_JOB = None


_INTERRUPTS = ({getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)}
               if hasattr(signal, "pthread_sigmask") else set())


def _ignore_sigint() -> None:
    # Ctrl-C is the parent's to handle (it terminates the pool); workers that
    # also raised KeyboardInterrupt would each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The CLI turns SIGTERM/SIGHUP into an interrupt in the parent; a forked worker
    # inherits that handler, but must simply die when the pool terminates it.  The
    # dispositions change first, while the signals are still blocked (the mask is
    # inherited from the fork): a SIGTERM already pending must not reach the
    # parent's handler here and print a worker traceback.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if _INTERRUPTS:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _INTERRUPTS)
    _die_with_parent()


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when its parent dies, even by SIGKILL."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        PR_SET_PDEATHSIG = 1                     # <sys/prctl.h>
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):            # not Linux/glibc: the pool's terminate() still stops it
        pass
    if os.getppid() != _PARENT_PID:              # the parent died before prctl took effect
        os._exit(1)


def _fill_forked(lo: int, hi: int) -> None:
    _fill(_FORKED_JOB, lo, hi)


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
