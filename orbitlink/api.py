"""Old home of the high-level API; it now lives in :mod:`orbitlink.propagators`.

Kept so ``orbitlink.api.propagate``, ``default_start`` and ``PROPAGATORS``
still import.  New code imports from :mod:`orbitlink.propagators`.
"""

from .propagators import PROPAGATORS, as_track, default_start, propagate, resolve

__all__ = ["PROPAGATORS", "as_track", "default_start", "propagate", "resolve"]
