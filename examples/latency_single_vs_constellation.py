"""Round-trip latency and availability: one satellite vs a Walker constellation.

Compute on orbit at 550 km, requests from London through the bundled Starlink
gateway network (25 deg mask), one day at 60 s.  One satellite is in reach a
fraction of the day; a 1,584-satellite shell with +Grid inter-satellite links
is in reach all day, and the round trip stays a few tens of milliseconds.
"""

from orbitlink import orbits, times
from orbitlink.link.latency import round_trip
from orbitlink.propagators import propagate
from orbitlink.stations import load_catalog

grid = times.time_grid("2026-03-01T00:00:00Z", "24h", "60s")
london = load_catalog("cities-top100").select(["London"])

designs = {
    "one satellite": orbits.circular("550km", "53deg"),
    "Walker 1584/72/1": orbits.walker(1584, 72, 1, "550km", "53deg"),
}
for label, design in designs.items():
    track = propagate(design, grid)
    # The constellation computes on one plane; the others relay over ISLs.
    compute = None if len(design) == 1 else "walker-00-*"
    result = round_trip(track, users=london, compute=compute, isl="grid", slo="100ms")
    rtt = result.rtt
    p50 = "-" if rtt.p50_ms is None else f"{rtt.p50_ms:.1f} ms"
    p99 = "-" if rtt.p99_ms is None else f"{rtt.p99_ms:.1f} ms"
    print(f"{label:>18}: available {100 * result.availability:6.2f} % of the day, "
          f"RTT p50 {p50}, p99 {p99}, longest outage {result.outage.max_s:.0f} s, "
          f"inference {'workable' if result.inference.workable else 'not workable'}")
