"""Fresh memory for large outputs (tracks), without asking the kernel for huge pages.

numpy advises Linux to back every array of 4 MiB or more with transparent huge
pages (``madvise(MADV_HUGEPAGE)``).  Under the kernel's default THP defrag policy
(``madvise``), each 2 MiB fault in such an array may then compact memory
synchronously when no free huge page is at hand - common on a long-running or
virtual machine.  Measured on the 2-core benchmark host (THP ``madvise``, defrag
``madvise``): filling a fresh 328 MB array for the first time took 0.55-0.72 s
with numpy's advice and 0.11 s with ordinary pages, and the one-core SGP4 path
for a 1,584-satellite day (1.3 GB of outputs) 7.4-8.8 s against 5.5-5.6 s.
Tracks are written once, front to back, so huge pages buy them little; they
come from plain anonymous mappings instead.  The cost: where free huge pages
are plentiful (a quiet machine, or a process that has just freed a track),
ordinary pages fault more slowly (analytic Walker shell-day in a warm process:
0.19 s with huge pages, 0.33 s without; in a fresh process 1.8-2.0 s with,
0.33 s without).
"""

from __future__ import annotations

import mmap

import numpy as np

# numpy's own threshold for the huge-page advice: below it np.empty is the same thing.
MIN_MAPPED_BYTES = 4 * 2**20


def empty(shape, dtype=np.float64, *, shared: bool = False) -> np.ndarray:
    """An uninitialised array like ``np.empty`` for large outputs.

    ``shared=True`` maps it shared, so processes forked afterwards write into
    the same pages (the SGP4 workers).  Off POSIX (no ``MAP_PRIVATE``), and for
    small arrays, it is ``np.empty``.  The mapping is released when the last
    view of the array goes away.
    """
    n = int(np.prod(shape))
    size = n * np.dtype(dtype).itemsize
    posix = hasattr(mmap, "MAP_PRIVATE")
    if not posix or (size < MIN_MAPPED_BYTES and not shared):
        return np.empty(shape, dtype)
    flags = (mmap.MAP_SHARED if shared else mmap.MAP_PRIVATE) | mmap.MAP_ANONYMOUS
    buf = mmap.mmap(-1, max(size, 1), flags=flags)
    return np.frombuffer(buf, dtype=dtype, count=n).reshape(shape)
