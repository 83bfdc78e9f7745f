"""What does it take for inference from orbit to be workable for the 100 largest cities?

Target: 100 ms p99 round trip and 99.9 % availability; 40 MW of IT split across the compute
satellites.  The cities either have terminals of their own, or reach gateways over fibre
(within 1,000 km, the default, or at any distance).  Launch cost is mass x price, so the
cheapest system is the same at $3,000/kg and at $200/kg; both costs are printed.

    python examples/design_cities.py          # a quick look: 550 km only, 1 h at 60 s
    python examples/design_cities.py full     # the docs' answer: 1 day at 30 s, 7-day verify, Dask
"""

import sys

from orbitlink.design import design

FULL = sys.argv[1:] == ["full"]
if FULL:
    SPACE = dict(orbit="550km,1200km", inclination="53deg", satellites="100,200,400,800,1600")
    SPAN = dict(duration="1d", step="30s", verify="7d", dask="local")
else:
    SPACE = dict(orbit="550km", inclination="53deg", satellites="100,400,1600")
    SPAN = dict(duration="1h", step="60s", verify=None)
SERVICES = {"own terminals": dict(direct=True),
            "gateways within 1,000 km": dict(),
            "gateways at any distance": dict(max_backhaul="any")}


def main():
    answers = {}
    for label, service in SERVICES.items():
        r = design(**SPACE, users="cities", slo="100ms", availability_target="99.9%",
                   start="2026-01-01T00:00:00Z", **SPAN, **service)
        answers[label] = r
        print(f"{label}: {r.scenario['evaluated']} candidates evaluated")
        if r.best is None:
            print(f"  {r.closest_line}")
            continue
        b = r.candidates[r.best]
        print(f"  cheapest workable: {b['label']}: availability {b['availability'] * 100:.3f} %, "
              f"p99 {b['rtt_ms']['p99']:.1f} ms, {b['total_mass_kg'] / 1e3:,.0f} t, launch "
              f"${b['total_mass_kg'] * 3000 / 1e9:.2f}B at $3,000/kg, "
              f"${b['total_mass_kg'] * 200 / 1e9:.2f}B at $200/kg")
        for f in (r.to_dict()["verify"] or {}).get("frontier", []):
            if f["flipped"]:
                print(f"  verify {SPAN['verify']}: #{f['index']} flips to "
                      f"{'workable' if f['workable'] else 'not workable'}")
    return answers


if __name__ == "__main__":
    main()
