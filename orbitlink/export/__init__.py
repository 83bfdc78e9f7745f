"""Standard ephemeris exports of a :class:`~orbitlink.track.Track`: CCSDS OEM and CZML.

- :func:`to_oem` / :func:`write_oem`: a CCSDS Orbit Ephemeris Message (CCSDS 502.0-B-3,
  KVN text), GCRF, UTC, km and km/s: what flight-dynamics tools (GMAT, Orekit, STK,
  FreeFlyer) exchange.
- :func:`to_czml` / :func:`write_czml`: a CZML document (JSON) with one packet per
  satellite of sampled Earth-fixed positions: what Cesium, the 3-D globe of most
  constellation viewers, loads as is.

Both take a Track or anything :func:`orbitlink.propagators.as_track` propagates.
Samples the propagator could not produce (``valid`` False) are left out; a
satellite whose valid samples have gaps gets one OEM segment (one CZML
availability interval) per unbroken run, so no reader interpolates across a gap.
"""

from __future__ import annotations

from .czml import to_czml, write_czml
from .oem import OEM_REF_FRAME, to_oem, write_oem

__all__ = ["OEM_REF_FRAME", "to_czml", "to_oem", "write_czml", "write_oem"]
