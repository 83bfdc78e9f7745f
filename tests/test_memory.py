"""Track memory from anonymous mappings (orbitlink.core.memory) behaves as np.empty does."""

from __future__ import annotations

import mmap
import multiprocessing as mp
import pickle

import numpy as np
import pytest

from orbitlink.core import memory


def _owner(a):
    while isinstance(a.base, np.ndarray):
        a = a.base
    base = a.base
    return base.obj if isinstance(base, memoryview) else base


posix = pytest.mark.skipif(not hasattr(mmap, "MAP_PRIVATE"), reason="anonymous mappings are POSIX")


@posix
def test_large_arrays_are_mapped_writable_and_pickle_as_arrays():
    a = memory.empty((3, 100, 10_000))
    assert isinstance(_owner(a), mmap.mmap) and a.flags.writeable and a.dtype == np.float64
    a[:] = 1.5
    b = pickle.loads(pickle.dumps(a))
    assert isinstance(b, np.ndarray) and np.array_equal(a, b)
    assert _owner(memory.empty((10, 10), np.uint8)) is None         # small: plain np.empty


@posix
@pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="needs fork")
def test_shared_arrays_receive_what_forked_children_write():
    a = memory.empty((4, 1000), shared=True)
    a[:] = 0.0
    ctx = mp.get_context("fork")
    p = ctx.Process(target=a.__setitem__, args=((slice(None), slice(None)), 7.0))
    p.start()
    p.join()
    assert p.exitcode == 0 and np.all(a == 7.0)
