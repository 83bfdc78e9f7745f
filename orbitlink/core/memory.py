"""Fresh memory for large outputs (tracks), without asking the kernel for huge pages.

numpy advises Linux to back every array of 4 MiB or more with transparent huge
pages (``madvise(MADV_HUGEPAGE)``).  A huge page comes from a large free block
of physical memory; on a virtual machine such blocks are mostly memory the
guest has never touched, and the host backs each one on first use.  On the
2-core benchmark VM a 2 MiB huge-page fault took 4.6 ms (no compaction:
``compact_stall`` stayed 0), so filling a fresh 328 MB array for the first time
took 0.55-0.76 s with numpy's advice against 0.11 s with ordinary pages, which
the guest recycles from memory it has used before; the one-core SGP4 path for
a 1,584-satellite day (1.3 GB of outputs) took 7.4-8.8 s against 5.5-5.8 s.
Tracks are written once and read in streams, so huge pages buy them little;
their arrays come from plain anonymous mappings instead.

The price, where huge pages are cheap (bare metal, or a process that has just
freed a track and gets its huge pages back): ordinary pages fault more slowly.
The analytic Walker shell-day, repeated in one process, takes 0.33 s instead
of 0.19 s; its first call 0.33 s instead of 1.8-2.0 s.
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
