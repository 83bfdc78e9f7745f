"""Thermal: radiator area for the waste heat, with the Sun and the Earth as heat sources.

Pure functions on SI floats.

Model
-----
An isothermal flat plate at temperature ``T`` with infrared emissivity ``eps``
and solar absorptivity ``alpha`` radiates ``eps sigma T^4`` per m^2 from each
active side (``sides`` = 1 or 2) and absorbs, on each side ``k``
(Gilmore, *Spacecraft Thermal Control Handbook*, 2nd ed., ch. 2, the usual
orbital heat-load terms):

- Earth infrared: ``eps OLR F_k`` (Kirchhoff: the absorptivity in the thermal
  infrared equals the emissivity);
- albedo: ``alpha S a F_k cos(zeta)``, sunlight reflected by the Earth, with
  ``zeta`` the solar zenith angle at the sub-satellite point (the usual
  engineering approximation that scales the albedo flux with the view factor);
- direct sunlight: ``alpha S max(0, cos(psi_k))`` with ``psi_k`` the angle between
  the side's normal and the Sun.

The net capacity is ``q = sum_k (eps sigma T^4 - q_abs,k)`` W per m^2 of plate
and the area is ``A = Q / q``; if the environment alone brings as much heat as
the plate radiates, no area suffices and :class:`FeasibilityError` says so.

Geometry (defaults and why)
---------------------------
``F_k`` is the view factor from a flat plate element to the Earth, a sphere of
radius R seen from distance r = R + h, for a plate normal at angle ``phi`` from
nadir (Howell, *A Catalog of Radiation Heat Transfer Configuration Factors*,
plane element to sphere; H = r/R):

- whole sphere visible (phi <= acos(1/H)): F = cos(phi) / H^2
- sphere entirely behind the plate (phi >= pi/2 + asin(1/H)): F = 0
- in between:
  F = 1/2 - asin(sqrt(H^2-1) / (H sin phi)) / pi
      + [cos(phi) acos(-sqrt(H^2-1) cot phi) - sqrt(H^2-1) sqrt(1 - H^2 cos^2 phi)] / (pi H^2)

The default radiator is a two-sided panel whose normal is horizontal
(phi = 90 deg, both sides see F(H, 90 deg), 0.241 at 650 km) and which is held
edge-on to the Sun (psi = 90 deg): with yaw steering the panel plane contains
both the nadir and the Sun directions, which is the lowest environmental load a
flat panel in low orbit can have without a sun shade.  The albedo term takes
the hot case of the orbit: cos(zeta) = cos(beta_min), the point of the orbit
nearest the sub-solar point, with beta_min the smallest |beta angle| of the span.

Constants
---------
- sigma = 5.670374419e-8 W m^-2 K^-4, exact in the 2019 SI (CODATA 2018).
  Check: a two-sided black plate at 20 C radiates
  2 x 5.670374419e-8 x 293.15^4 = 837.5 W/m^2.
- Earth's outgoing longwave radiation 238.5 W/m^2 and Bond albedo
  101.9 / 341.3 = 0.30 (Trenberth, Fasullo & Kiehl 2009, Bull. Amer. Meteor.
  Soc. 90, 311, global annual means at the top of the atmosphere).  The OLR is
  referred to the Earth's radius here, which the view factor accounts for.

Not modelled: fin efficiency and the temperature drop from coolant to panel
(a real panel is cooler than the coolant, so ``T`` is the panel's mean
temperature), view of the satellite's own solar arrays, and the seasonal and
geographic variation of OLR and albedo (about +-10 % and +-0.1 around the means).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ..constants import R_EARTH_M
from .power import SOLAR_CONSTANT_W_M2
from ..errors import FeasibilityError

#: Stefan-Boltzmann constant (W m^-2 K^-4), exact since the 2019 SI redefinition (CODATA 2018).
STEFAN_BOLTZMANN_W_M2_K4 = 5.670374419e-8
#: Global annual mean outgoing longwave radiation at the top of the atmosphere (W/m^2),
#: Trenberth, Fasullo & Kiehl (2009).
EARTH_OLR_W_M2 = 238.5
#: Earth's Bond albedo, 101.9 / 341.3 W/m^2 reflected over incoming (Trenberth et al. 2009).
EARTH_ALBEDO = 0.30


def blackbody_flux_w_m2(temperature_k: float, emissivity: float = 1.0) -> float:
    """``eps sigma T^4`` (W/m^2 from one side)."""
    if not (temperature_k > 0.0 and math.isfinite(temperature_k)):
        raise FeasibilityError(f"radiator temperature: {temperature_k!r} K is out of range (more than 0 K)")
    if not (0.0 < emissivity <= 1.0):
        raise FeasibilityError(f"emissivity: {emissivity!r} is out of range (a number in (0, 1])")
    return emissivity * STEFAN_BOLTZMANN_W_M2_K4 * temperature_k**4


def earth_view_factor(altitude_m: float, normal_from_nadir_rad: float) -> float:
    """View factor from a flat plate element to the Earth (sphere of radius ``R_EARTH_M``).

    ``normal_from_nadir_rad`` is the angle between the plate's normal and the
    direction to the Earth's centre: 0 faces the Earth, pi/2 is a vertical plate,
    pi faces away.  See the module doc for the formula and its source.
    """
    if not (altitude_m > 0.0 and math.isfinite(altitude_m)):
        raise FeasibilityError(f"altitude: {altitude_m!r} m is out of range (more than 0 m)")
    if not (0.0 <= normal_from_nadir_rad <= math.pi):
        raise FeasibilityError(f"radiator normal: {math.degrees(normal_from_nadir_rad):g} deg from nadir "
                               "is out of range (0 to 180 deg)")
    h = (R_EARTH_M + altitude_m) / R_EARTH_M
    phi = normal_from_nadir_rad
    half = math.asin(1.0 / h)            # angular radius of the Earth seen from the plate
    if phi <= math.pi / 2 - half:
        return math.cos(phi) / h**2
    if phi >= math.pi / 2 + half:
        return 0.0
    root = math.sqrt(h * h - 1.0)
    sin_phi, cos_phi = math.sin(phi), math.cos(phi)
    cot_phi = cos_phi / sin_phi
    # Clip the arguments: at the two boundaries they reach +-1 up to rounding.
    a1 = min(1.0, root / (h * sin_phi))
    a2 = max(-1.0, min(1.0, -root * cot_phi))
    inner = max(0.0, 1.0 - h * h * cos_phi * cos_phi)
    return (0.5 - math.asin(a1) / math.pi
            + (cos_phi * math.acos(a2) - root * math.sqrt(inner)) / (math.pi * h * h))


@dataclass(frozen=True)
class RadiatorSizing:
    """Radiator area and mass for one heat load (SI floats, units in the names)."""

    heat_w: float
    temperature_k: float
    emissivity: float
    absorptivity: float
    sides: int
    earth_view_factor: float           # per side (both sides alike for the default geometry)
    albedo_cos_factor: float           # cos(solar zenith) of the hot case
    emitted_per_side_w_m2: float       # eps sigma T^4
    earth_ir_per_side_w_m2: float
    albedo_per_side_w_m2: float
    sun_per_side_w_m2: float           # on the sunward side (0 edge-on)
    absorbed_w_m2: float               # all sides, per m^2 of plate
    net_w_m2: float                    # radiated minus absorbed, per m^2 of plate
    sink_temperature_k: float          # plate temperature at which the environment alone balances
    radiator_area_m2: float
    radiator_mass_kg: float
    earth_ir_w_m2: float = 0.0         # absorbed Earth infrared, all sides, per m^2 of plate
    albedo_w_m2: float = 0.0           # absorbed albedo, all sides
    sun_w_m2: float = 0.0              # absorbed direct sunlight, all sides
    normal_from_nadir_deg: float = 90.0  # side 1's normal (90 edge-on, 0 nadir-facing)

    def to_dict(self) -> dict:
        return asdict(self)


def size_radiator(*, heat_w: float, temperature_k: float, emissivity: float, absorptivity: float,
                  sides: int, altitude_m: float, areal_density_kg_m2: float,
                  normal_from_nadir_rad: float = math.pi / 2, sun_angle_rad: float = math.pi / 2,
                  albedo_cos_factor: float = 1.0, earth_ir_w_m2: float = EARTH_OLR_W_M2,
                  albedo: float = EARTH_ALBEDO,
                  solar_constant_w_m2: float = SOLAR_CONSTANT_W_M2) -> RadiatorSizing:
    """Radiator area to reject ``heat_w`` at ``temperature_k`` (see the module doc).

    ``sides`` is 1 (a panel on the body, only the outer side radiates) or 2 (a
    deployed panel).  Side 1's normal is ``normal_from_nadir_rad`` from nadir and
    ``sun_angle_rad`` from the Sun; side 2 faces the opposite way.
    """
    if sides not in (1, 2):
        raise FeasibilityError(f"radiator sides: {sides!r} is out of range (1 or 2)")
    if not (heat_w >= 0.0 and math.isfinite(heat_w)):
        raise FeasibilityError(f"heat load: {heat_w!r} W is out of range (at least 0 W)")
    if not (0.0 <= absorptivity <= 1.0):
        raise FeasibilityError(f"absorptivity: {absorptivity!r} is out of range (a number in [0, 1])")
    if not (0.0 <= albedo_cos_factor <= 1.0):
        raise FeasibilityError(f"albedo factor: {albedo_cos_factor!r} is out of range ([0, 1])")
    if not (areal_density_kg_m2 > 0.0):
        raise FeasibilityError(f"radiator areal density: {areal_density_kg_m2!r} is out of range (more than 0)")
    if not (0.0 <= sun_angle_rad <= math.pi):
        raise FeasibilityError(f"radiator sun angle: {math.degrees(sun_angle_rad):g} deg is out of range (0 to 180 deg)")
    emitted = blackbody_flux_w_m2(temperature_k, emissivity)
    normals = [normal_from_nadir_rad, math.pi - normal_from_nadir_rad][:sides]
    suns = [sun_angle_rad, math.pi - sun_angle_rad][:sides]
    absorbed_sides = []
    ir_sides, alb_sides, sun_sides, f_sides = [], [], [], []
    for phi, psi in zip(normals, suns):
        f = earth_view_factor(altitude_m, phi)
        ir = emissivity * earth_ir_w_m2 * f
        alb = absorptivity * solar_constant_w_m2 * albedo * f * albedo_cos_factor
        sun = absorptivity * solar_constant_w_m2 * max(0.0, math.cos(psi))
        if abs(sun) < 1e-9 * solar_constant_w_m2:   # cos(pi/2) is 6e-17, not 0: edge-on is edge-on
            sun = 0.0
        f_sides.append(f)
        ir_sides.append(ir)
        alb_sides.append(alb)
        sun_sides.append(sun)
        absorbed_sides.append(ir + alb + sun)
    absorbed = sum(absorbed_sides)
    net = sides * emitted - absorbed
    worst = max(absorbed_sides)
    sink_k = (worst / (emissivity * STEFAN_BOLTZMANN_W_M2_K4)) ** 0.25 if worst > 0 else 0.0
    if net <= 0.0:
        raise FeasibilityError(
            f"radiator temperature: {temperature_k:.1f} K radiates {sides * emitted:.1f} W/m^2 but the "
            f"environment brings {absorbed:.1f} W/m^2 (sink {sink_k:.1f} K); raise the temperature "
            "or turn the radiator edge-on to the Sun")
    area = heat_w / net
    return RadiatorSizing(
        heat_w=heat_w,
        temperature_k=temperature_k,
        emissivity=emissivity,
        absorptivity=absorptivity,
        sides=sides,
        earth_view_factor=f_sides[0],
        albedo_cos_factor=albedo_cos_factor,
        emitted_per_side_w_m2=emitted,
        earth_ir_per_side_w_m2=ir_sides[0],
        albedo_per_side_w_m2=alb_sides[0],
        sun_per_side_w_m2=max(sun_sides),
        absorbed_w_m2=absorbed,
        net_w_m2=net,
        sink_temperature_k=sink_k,
        radiator_area_m2=area,
        radiator_mass_kg=area * areal_density_kg_m2,
        earth_ir_w_m2=sum(ir_sides),
        albedo_w_m2=sum(alb_sides),
        sun_w_m2=sum(sun_sides),
        normal_from_nadir_deg=math.degrees(normal_from_nadir_rad),
    )
