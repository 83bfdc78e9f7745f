"""Power: solar array and battery sizing for a continuous load, and the ground comparison.

Pure functions on SI floats (W, s, J, m^2, kg); the names carry the units.

Array sizing (Wertz & Larson, *Space Mission Analysis and Design*, 3rd ed.,
sec. 11.4, eq. 11-5)
    P_sa = (P_e T_e / X_e + P_d T_d / X_d) / T_d

``P_e``/``P_d`` are the loads in eclipse and in daylight, ``T_e``/``T_d`` the
eclipse and daylight times of the sizing orbit, and ``X_e``/``X_d`` the path
efficiencies from the array through the battery to the loads and directly to the
loads.  SMAD gives X_e = 0.65, X_d = 0.85 for direct energy transfer and 0.60,
0.80 for peak-power tracking.  The array must carry the load *and* recharge the
battery during sunlight: with P_e = P_d = P this is
P_sa = P (T_e / X_e + T_d / X_d) / T_d, i.e. P (1/X_d + (f_ecl/f_sun)/X_e).
The sizing orbit is the one with the longest eclipse of the analysed span.

Array area at end of life (SMAD sec. 11.4: P_BOL = P_0 I_d cos(theta),
P_EOL = P_BOL (1 - d)^L)
    p_BOL = S eta_cell k_pack I_d cos(theta) [1 - gamma (T_cell - 28 C)]
    p_EOL = p_BOL (1 - d)^L                              [W per m^2 of array]
    A = P_sa (1 + m) / p_EOL

``I_d`` is the inherent degradation without its temperature element (SMAD 3rd ed.
Table 11-35: design and assembly 0.85, shadowing 1.00; the table's temperature
element, 0.91 nominal, is replaced here by the orbit's own cell temperature), and
``gamma`` the relative temperature coefficient of the cells' maximum power, applied
from the 28 C at which cell efficiencies are rated (AM0).  The cell temperature
comes from the radiative balance of a sun-pointing array at the hot point of the
orbit (:func:`array_cell_temperature_k`).  Checked against a flown array: Dawn's
two wings, 36.4 m^2 of Emcore ATJ cells averaging 27.6 % (AM0, 28 C), 10.3 kW at
1 au (Fatemi et al., IEEE PVSC 2005, "Performance of high-efficiency advanced
triple-junction solar panels for the LILT mission Dawn"), i.e. 283 W/m^2;
tests/test_feasibility.py reproduces it within 5 %.

with S the solar constant, ``eta_cell`` the cell efficiency (AM0), ``k_pack`` the
fraction of array area covered by cells, ``theta`` the sun-incidence (tracking)
error, ``d`` the degradation per year, ``L`` the mission life in years and ``m``
the end-of-life design margin.

Battery (SMAD eq. 11-6 with one battery, N = 1)
    E = P_e T_e / (DoD n)

with ``DoD`` the depth of discharge and ``n`` the battery-to-load efficiency.

Ground comparison
    ratio = S cos(theta) f_sun / (G_STC CF)

Energy per year per m^2 of the same panel in orbit (sunlit a fraction ``f_sun``
of the time at S = 1361 W/m^2) over the ground (rated at G_STC = 1000 W/m^2,
producing on average its capacity factor ``CF`` of that rating).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ..errors import FeasibilityError

#: Mean total solar irradiance at 1 au (W/m^2): Kopp & Lean (2011), Geophys. Res.
#: Lett. 38, L01706, 1360.8 +- 0.5; IAU 2015 Resolution B3 nominal value 1361.
SOLAR_CONSTANT_W_M2 = 1361.0
#: Standard test condition irradiance that ground modules are rated at (W/m^2):
#: IEC 60904-3 (AM1.5 global spectrum, 1000 W/m^2).
STC_IRRADIANCE_W_M2 = 1000.0
#: SMAD 3rd ed., sec. 11.4 (eq. 11-5): path efficiencies of direct energy transfer.
SMAD_DET_X_ECLIPSE = 0.65
SMAD_DET_X_DAYLIGHT = 0.85
#: The same for peak-power tracking.
SMAD_PPT_X_ECLIPSE = 0.60
SMAD_PPT_X_DAYLIGHT = 0.80
#: SMAD 3rd ed. Table 11-35: inherent degradation elements, design and assembly 0.85 (0.77-0.90)
#: times shadowing of cells 1.00; with the table's temperature element (0.91) their product is
#: the nominal I_d = 0.77 (range 0.49-0.88).  orbitlink computes the temperature element.
INHERENT_DEGRADATION = 0.85
#: Reference temperature of AM0 cell ratings (K): 28 C (e.g. Fetzer et al., IEEE PVSC 2010).
CELL_RATING_TEMPERATURE_K = 301.15
#: Relative temperature coefficient of maximum power of GaInP/GaAs/Ge triple-junction cells
#: (1/K), order of the measured values (Siefer & Bett, Prog. Photovolt. 22, 515 (2014),
#: doi:10.1002/pip.2285); assumption for a generic flight cell.
CELL_TEMPERATURE_COEFFICIENT_PER_K = 0.002
#: Cover-glassed cell front solar absorptance and the infrared emissivity of both faces of
#: a blanket array (Gilmore, Spacecraft Thermal Control Handbook, 2nd ed., app. A: solar
#: cells alpha 0.85-0.92, epsilon 0.80-0.85): assumption at the upper end.
ARRAY_ABSORPTIVITY = 0.92
ARRAY_EMISSIVITY = 0.85
STEFAN_BOLTZMANN = 5.670374419e-8
#: A Julian year (s): the "per year" of degradation rates and annual energies.
YEAR_S = 365.25 * 86_400.0
J_PER_KWH = 3.6e6


def _check_fraction(x: float, name: str, *, lo_inclusive=False, hi_inclusive=True) -> None:
    ok_lo = x >= 0.0 if lo_inclusive else x > 0.0
    ok_hi = x <= 1.0 if hi_inclusive else x < 1.0
    if not (math.isfinite(x) and ok_lo and ok_hi):
        lo, hi = ("[" if lo_inclusive else "("), ("]" if hi_inclusive else ")")
        raise FeasibilityError(f"{name}: {x!r} is out of range (a number in {lo}0, 1{hi})")


def _check_positive(x: float, name: str, *, allow_zero=False) -> None:
    if not math.isfinite(x) or x < 0.0 or (x == 0.0 and not allow_zero):
        raise FeasibilityError(f"{name}: {x!r} is out of range ({'at least' if allow_zero else 'more than'} 0)")


def array_power_required_w(eclipse_load_w: float, daylight_load_w: float, eclipse_s: float,
                           daylight_s: float, *, x_eclipse: float = SMAD_DET_X_ECLIPSE,
                           x_daylight: float = SMAD_DET_X_DAYLIGHT) -> float:
    """Array output needed during daylight, SMAD eq. 11-5 (W).

    ``eclipse_s`` may be 0 (an orbit without eclipse: the array carries the load alone).
    """
    _check_positive(eclipse_load_w, "eclipse load", allow_zero=True)
    _check_positive(daylight_load_w, "daylight load", allow_zero=True)
    _check_positive(eclipse_s, "eclipse duration", allow_zero=True)
    _check_positive(daylight_s, "daylight duration")
    _check_fraction(x_eclipse, "x_eclipse")
    _check_fraction(x_daylight, "x_daylight")
    return (eclipse_load_w * eclipse_s / x_eclipse + daylight_load_w * daylight_s / x_daylight) / daylight_s


def array_areal_power_eol_w_m2(cell_efficiency: float, packing_factor: float, incidence_rad: float,
                               degradation_per_year: float, mission_years: float, *,
                               solar_constant_w_m2: float = SOLAR_CONSTANT_W_M2,
                               inherent_degradation: float = 1.0,
                               temperature_factor: float = 1.0) -> float:
    """Electrical output per m^2 of array at end of life (W/m^2), SMAD sec. 11.4.

    ``inherent_degradation`` and ``temperature_factor`` default to 1 (the bare-cell
    figure); :func:`size_power` passes the flown-array values.
    """
    _check_fraction(cell_efficiency, "cell efficiency")
    _check_fraction(packing_factor, "packing factor")
    _check_fraction(inherent_degradation, "inherent degradation")
    _check_fraction(degradation_per_year, "degradation per year", lo_inclusive=True, hi_inclusive=False)
    _check_positive(mission_years, "mission life", allow_zero=True)
    _check_positive(solar_constant_w_m2, "solar constant")
    _check_positive(temperature_factor, "cell temperature factor")
    if not (0.0 <= incidence_rad < math.pi / 2):
        raise FeasibilityError(f"sun incidence: {math.degrees(incidence_rad):g} deg is out of range (0 to 90 deg, exclusive)")
    bol = (solar_constant_w_m2 * cell_efficiency * packing_factor * math.cos(incidence_rad)
           * inherent_degradation * temperature_factor)
    return bol * (1.0 - degradation_per_year) ** mission_years


def array_cell_temperature_k(*, cell_efficiency: float, packing_factor: float, inherent_degradation: float,
                             earth_view_factor: float = 0.0, albedo_cos_factor: float = 0.0,
                             temperature_coefficient_per_k: float = CELL_TEMPERATURE_COEFFICIENT_PER_K,
                             absorptivity: float = ARRAY_ABSORPTIVITY, emissivity: float = ARRAY_EMISSIVITY,
                             solar_constant_w_m2: float = SOLAR_CONSTANT_W_M2,
                             earth_ir_w_m2: float = 238.5, albedo: float = 0.30) -> tuple[float, float]:
    """(cell temperature K, power factor 1 - gamma (T - 28 C)) of a sun-pointing array.

    Steady radiative balance of a thin array normal to the Sun, both faces at
    one temperature (Gilmore ch. 2): absorbed sunlight on the front, Earth
    infrared and albedo on the back (``earth_view_factor`` of the back face,
    ``albedo_cos_factor`` the cosine of the solar zenith angle below) equal the
    infrared emitted by both faces plus the electrical power taken out.  The
    electrical output depends on the temperature, so the balance is iterated.
    Earth infrared 238.5 W/m^2 and albedo 0.30: Trenberth, Fasullo & Kiehl (2009).
    """
    _check_fraction(absorptivity, "array absorptivity")
    _check_fraction(emissivity, "array emissivity")
    if not (0.0 <= temperature_coefficient_per_k < 0.05):
        raise FeasibilityError(f"cell temperature coefficient: {temperature_coefficient_per_k!r} /K is out of "
                               "range (0 to 0.05 per K, e.g. 0.2%/K)")
    absorbed = (absorptivity * solar_constant_w_m2 + emissivity * earth_ir_w_m2 * earth_view_factor
                + absorptivity * solar_constant_w_m2 * albedo * earth_view_factor * albedo_cos_factor)
    factor, t_k = 1.0, 0.0
    for _ in range(50):  # a contraction (the electrical share is ~20 % of the input): ~8 rounds to 1e-9 K
        out = solar_constant_w_m2 * cell_efficiency * packing_factor * inherent_degradation * factor
        t_new = ((absorbed - out) / (2.0 * emissivity * STEFAN_BOLTZMANN)) ** 0.25
        factor = max(0.0, 1.0 - temperature_coefficient_per_k * (t_new - CELL_RATING_TEMPERATURE_K))
        done, t_k = abs(t_new - t_k) < 1e-9, t_new
        if done:
            break
    return t_k, factor


def battery_energy_j(eclipse_load_w: float, eclipse_s: float, depth_of_discharge: float,
                     discharge_efficiency: float) -> float:
    """Nameplate battery energy to carry ``eclipse_load_w`` through ``eclipse_s`` (J), SMAD eq. 11-6."""
    _check_positive(eclipse_load_w, "eclipse load", allow_zero=True)
    _check_positive(eclipse_s, "eclipse duration", allow_zero=True)
    _check_fraction(depth_of_discharge, "depth of discharge")
    _check_fraction(discharge_efficiency, "battery discharge efficiency")
    return eclipse_load_w * eclipse_s / (depth_of_discharge * discharge_efficiency)


def energy_per_panel_ratio(sunlit_fraction: float, capacity_factor: float, *,
                           incidence_rad: float = 0.0,
                           solar_constant_w_m2: float = SOLAR_CONSTANT_W_M2,
                           stc_irradiance_w_m2: float = STC_IRRADIANCE_W_M2) -> float:
    """Annual energy of one m^2 of panel in orbit over the same panel on the ground."""
    _check_fraction(sunlit_fraction, "sunlit fraction", lo_inclusive=True)
    _check_fraction(capacity_factor, "capacity factor")
    return (solar_constant_w_m2 * math.cos(incidence_rad) * sunlit_fraction
            / (stc_irradiance_w_m2 * capacity_factor))


@dataclass(frozen=True)
class PowerSizing:
    """Solar array and battery of one design (SI floats, units in the names)."""

    load_w: float                   # IT load plus housekeeping overhead, in daylight
    eclipse_load_w: float           # load carried by the battery in eclipse
    sizing_eclipse_s: float         # longest eclipse of the analysed span
    sizing_period_s: float          # orbit period of that sizing orbit
    array_power_required_w: float   # SMAD eq. 11-5 output needed at end of life
    array_design_power_w: float     # ... times (1 + end-of-life margin)
    array_areal_power_bol_w_m2: float
    array_areal_power_eol_w_m2: float
    solar_array_area_m2: float
    array_power_bol_w: float        # the sized array's output at beginning of life
    solar_array_mass_kg: float
    battery_energy_j: float
    battery_mass_kg: float
    orbit_average_array_power_w: float   # EOL array output times the annual sunlit fraction
    sunlit_fraction: float
    energy_per_panel_ratio: float        # orbit vs ground, same panel (see module doc)
    ground_capacity_factor: float
    ground_array_area_m2: float          # same cells on the ground, same annual energy as the load
    inherent_degradation: float = 1.0    # SMAD I_d without its temperature element
    cell_temperature_k: float = CELL_RATING_TEMPERATURE_K   # hot-case cell temperature in this orbit
    temperature_factor: float = 1.0      # 1 - gamma (T_cell - 28 C)
    bare_cell_areal_power_w_m2: float = 0.0   # S eta k_pack cos(theta): the model before flown-array losses

    @property
    def battery_energy_kwh(self) -> float:
        return self.battery_energy_j / J_PER_KWH

    def to_dict(self) -> dict:
        d = asdict(self)
        d["battery_energy_kwh"] = self.battery_energy_kwh
        return d


def size_power(*, load_w: float, sunlit_fraction: float, max_eclipse_s: float, period_s: float,
               cell_efficiency: float, packing_factor: float, incidence_rad: float,
               degradation_per_year: float, mission_years: float, design_margin: float,
               array_areal_density_kg_m2: float, x_eclipse: float = SMAD_DET_X_ECLIPSE,
               x_daylight: float = SMAD_DET_X_DAYLIGHT, eclipse_load_fraction: float = 1.0,
               depth_of_discharge: float, battery_discharge_efficiency: float,
               battery_specific_energy_j_kg: float, ground_capacity_factor: float,
               solar_constant_w_m2: float = SOLAR_CONSTANT_W_M2,
               inherent_degradation: float = 1.0, temperature_factor: float = 1.0,
               cell_temperature_k: float = CELL_RATING_TEMPERATURE_K) -> PowerSizing:
    """Size the array and battery for ``load_w`` on an orbit (all SI; see the module doc)."""
    _check_positive(load_w, "load")
    _check_positive(period_s, "orbit period")
    _check_positive(max_eclipse_s, "longest eclipse", allow_zero=True)
    if max_eclipse_s >= period_s:
        raise FeasibilityError(f"longest eclipse: {max_eclipse_s:g} s is not shorter than the orbit period {period_s:g} s")
    _check_fraction(eclipse_load_fraction, "eclipse load fraction", lo_inclusive=True)
    _check_positive(design_margin, "design margin", allow_zero=True)
    _check_positive(array_areal_density_kg_m2, "array areal density")
    _check_positive(battery_specific_energy_j_kg, "battery specific energy")
    eclipse_load_w = load_w * eclipse_load_fraction
    daylight_s = period_s - max_eclipse_s
    p_req = array_power_required_w(eclipse_load_w, load_w, max_eclipse_s, daylight_s,
                                   x_eclipse=x_eclipse, x_daylight=x_daylight)
    p_design = p_req * (1.0 + design_margin)
    flown = dict(solar_constant_w_m2=solar_constant_w_m2, inherent_degradation=inherent_degradation,
                 temperature_factor=temperature_factor)
    eol = array_areal_power_eol_w_m2(cell_efficiency, packing_factor, incidence_rad,
                                     degradation_per_year, mission_years, **flown)
    bol = array_areal_power_eol_w_m2(cell_efficiency, packing_factor, incidence_rad, 0.0, 0.0, **flown)
    bare = array_areal_power_eol_w_m2(cell_efficiency, packing_factor, incidence_rad, 0.0, 0.0,
                                      solar_constant_w_m2=solar_constant_w_m2)
    area = p_design / eol
    e_batt = battery_energy_j(eclipse_load_w, max_eclipse_s, depth_of_discharge,
                              battery_discharge_efficiency)
    ratio = energy_per_panel_ratio(sunlit_fraction, ground_capacity_factor,
                                   incidence_rad=incidence_rad, solar_constant_w_m2=solar_constant_w_m2)
    # Ground farm of the same cells and packing delivering the load's annual energy:
    # rated at STC, it yields CF of its rating on average.
    ground_area = load_w / (STC_IRRADIANCE_W_M2 * cell_efficiency * packing_factor * ground_capacity_factor)
    return PowerSizing(
        load_w=load_w,
        eclipse_load_w=eclipse_load_w,
        sizing_eclipse_s=max_eclipse_s,
        sizing_period_s=period_s,
        array_power_required_w=p_req,
        array_design_power_w=p_design,
        array_areal_power_bol_w_m2=bol,
        array_areal_power_eol_w_m2=eol,
        solar_array_area_m2=area,
        array_power_bol_w=area * bol,
        solar_array_mass_kg=area * array_areal_density_kg_m2,
        battery_energy_j=e_batt,
        battery_mass_kg=e_batt / battery_specific_energy_j_kg,
        orbit_average_array_power_w=area * eol * sunlit_fraction,
        sunlit_fraction=sunlit_fraction,
        energy_per_panel_ratio=ratio,
        ground_capacity_factor=ground_capacity_factor,
        ground_array_area_m2=ground_area,
        inherent_degradation=inherent_degradation,
        cell_temperature_k=cell_temperature_k,
        temperature_factor=temperature_factor,
        bare_cell_areal_power_w_m2=bare,
    )
