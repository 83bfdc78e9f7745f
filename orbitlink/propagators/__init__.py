"""Propagators: turn orbit specs or element sets into a :class:`~orbitlink.track.Track`.

- :mod:`.analytic`: two-body / J2-secular for designed orbits (fast default).
- :mod:`.sgp4`: SGP4 for TLE/OMM element sets.
- :mod:`.poliastro`: hapsira (poliastro fork) Cowell propagation, optional extra.
"""
