"""Mass and launch cost: compute racks, arrays, radiators, batteries and structure, times $/kg.

Pure functions on SI floats (kg, W) and US dollars.

- Compute: whole racks, ``ceil(P_IT / P_rack)`` of ``m_rack`` each.  Default
  rack: NVIDIA DGX GB200 NVL72, about 120 kW and 1.36 t (3,000 lb) as reported
  at its GTC 2024 unveiling (The Register / ServeTheHome, March 2024): a
  terrestrial rack, frame and liquid-cooling manifolds included.
- Structure: a fraction ``s`` of the total, so ``M = (sum of the parts) / (1 - s)``.
- Launch cost: ``M x price`` per price scenario; with a payload capacity ``C``
  the mass needs ``ceil(M / C)`` launches, and if every flight is bought whole
  the cost is ``ceil(M / C) x C x price`` (reported beside the pro-rata figure).

Worked check: at $3,000/kg a 1,000 kg rack costs 3,000 x 1,000 = $3 million to
launch, and 1,000 such racks $3 billion (tests/test_feasibility.py).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ..errors import FeasibilityError


def price_key(price_usd_per_kg: float) -> str:
    """The JSON key of a price scenario: ``3000.0 -> "3000"``, ``2500.5 -> "2500.5"``."""
    return f"{price_usd_per_kg:g}" if price_usd_per_kg < 1e15 else repr(price_usd_per_kg)


def launch_cost_usd(mass_kg: float, price_usd_per_kg: float) -> float:
    """Pro-rata launch cost: mass times price per kg."""
    if not (mass_kg >= 0.0 and math.isfinite(mass_kg)):
        raise FeasibilityError(f"mass: {mass_kg!r} kg is out of range (at least 0 kg)")
    if not (price_usd_per_kg > 0.0 and math.isfinite(price_usd_per_kg)):
        raise FeasibilityError(f"launch price: {price_usd_per_kg!r} $/kg is out of range (more than 0)")
    return mass_kg * price_usd_per_kg


def launches_needed(mass_kg: float, payload_capacity_kg: float) -> int:
    """Number of launches of ``payload_capacity_kg`` each to lift ``mass_kg``."""
    if not (payload_capacity_kg > 0.0 and math.isfinite(payload_capacity_kg)):
        raise FeasibilityError(f"payload capacity: {payload_capacity_kg!r} kg is out of range (more than 0 kg)")
    # A tiny tolerance so 100 t exactly on a 100 t vehicle is one launch, not two by rounding.
    return max(1, math.ceil(mass_kg / payload_capacity_kg - 1e-9)) if mass_kg > 0 else 0


def rack_count(it_power_w: float, rack_power_w: float) -> int:
    """Whole racks to host ``it_power_w``."""
    if not (it_power_w > 0.0 and rack_power_w > 0.0):
        raise FeasibilityError("rack power: the IT power and the power per rack must be more than 0 W")
    return math.ceil(it_power_w / rack_power_w - 1e-9)


@dataclass(frozen=True)
class MassBudget:
    """Mass of each part and the launch cost scenarios."""

    racks: int
    compute_kg: float
    solar_array_kg: float
    radiator_kg: float
    battery_kg: float
    structure_fraction: float
    structure_kg: float
    total_mass_kg: float
    launch_cost_usd: dict           # price key ("3000") -> pro-rata cost
    payload_capacity_kg: float | None
    launches: int | None
    launch_cost_full_flights_usd: dict | None

    def to_dict(self) -> dict:
        return asdict(self)


def mass_budget(*, it_power_w: float, rack_power_w: float, rack_mass_kg: float,
                solar_array_kg: float, radiator_kg: float, battery_kg: float,
                structure_fraction: float, prices_usd_per_kg, payload_capacity_kg: float | None = None
                ) -> MassBudget:
    """Total mass and launch cost per price scenario (see the module doc)."""
    if not (0.0 <= structure_fraction < 1.0):
        raise FeasibilityError(f"structure fraction: {structure_fraction!r} is out of range (a number in [0, 1))")
    if not (rack_mass_kg > 0.0):
        raise FeasibilityError(f"rack mass: {rack_mass_kg!r} kg is out of range (more than 0 kg)")
    for name, value in (("solar array mass", solar_array_kg), ("radiator mass", radiator_kg),
                        ("battery mass", battery_kg)):
        if not (value >= 0.0 and math.isfinite(value)):
            raise FeasibilityError(f"{name}: {value!r} kg is out of range (at least 0 kg)")
    prices = list(prices_usd_per_kg)
    if not prices:
        raise FeasibilityError("launch price: give at least one price in $/kg (e.g. 3000)")
    racks = rack_count(it_power_w, rack_power_w)
    compute = racks * rack_mass_kg
    parts = compute + solar_array_kg + radiator_kg + battery_kg
    total = parts / (1.0 - structure_fraction)
    costs = {price_key(p): launch_cost_usd(total, p) for p in prices}
    launches = full = None
    if payload_capacity_kg is not None:
        launches = launches_needed(total, payload_capacity_kg)
        full = {price_key(p): launches * payload_capacity_kg * p for p in prices}
    return MassBudget(
        racks=racks,
        compute_kg=compute,
        solar_array_kg=solar_array_kg,
        radiator_kg=radiator_kg,
        battery_kg=battery_kg,
        structure_fraction=structure_fraction,
        structure_kg=total - parts,
        total_mass_kg=total,
        launch_cost_usd=costs,
        payload_capacity_kg=payload_capacity_kg,
        launches=launches,
        launch_cost_full_flights_usd=full,
    )
