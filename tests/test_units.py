"""Direct tests of orbitlink.units, the one reader of "Quantity, or number + unit text".

Every reader: the forms it accepts (text, Quantity, bare number where allowed),
the forms it refuses (with the field named in a QuantityError), and the rules
that hold across readers: percent == fraction, bare numbers refused wherever a
unit is needed, and the old import paths naming the same functions.  Expected
SI values are written out by hand from the unit definitions (1 kW = 1000 W,
0 degC = 273.15 K, 1 TiB = 2**40 bytes, 10 dBW = 10 W ...), not computed by the
code under test.
"""

from __future__ import annotations

import math

import astropy.units as u
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orbitlink import units
from orbitlink.errors import OrbitlinkError, QuantityError


def _refused(call, field):
    """``call()`` raises a QuantityError whose message starts with ``field:``; returns the message."""
    with pytest.raises(QuantityError) as info:
        call()
    message = str(info.value)
    assert message.startswith(f"{field}:"), message
    assert isinstance(info.value, OrbitlinkError) and isinstance(info.value, ValueError)
    return message


# --- lengths, times, angles, frequencies ----------------------------------------------------

@pytest.mark.parametrize("value, kind, si", [
    ("550km", "length", 550e3),
    (" 550 km ", "length", 550e3),
    (550 * u.km, "length", 550e3),
    ("10s", "time", 10.0),
    ("24h", "time", 86400.0),
    ("365d", "time", 365 * 86400.0),
    (2 * u.min, "time", 120.0),
    ("180deg", "angle", math.pi),
    (90 * u.deg, "angle", math.pi / 2),
    ("20GHz", "frequency", 20e9),
    (1 * u.MHz, "frequency", 1e6),
])
def test_to_si_accepts_text_and_quantities(value, kind, si):
    assert units.to_si(value, kind, "f") == pytest.approx(si, rel=1e-15)


@pytest.mark.parametrize("value, kind, fragment", [
    ("550", "length", "has no unit"),            # bare number: metres or kilometres?
    (550, "length", "got 550"),
    (550.0, "length", "got 550.0"),
    ("550 parsecs!", "length", "cannot read"),
    ("10s", "length", "has unit s"),
    ("nan km", "length", "not finite"),
    ([1, 2] * u.km, "length", "expected one value"),
    (None, "time", "got None"),
])
def test_to_si_refuses_with_the_field_named(value, kind, fragment):
    message = _refused(lambda: units.to_si(value, kind, "my_field"), "my_field")
    assert fragment in message


def test_to_si_ranges_are_stated_in_the_callers_units():
    lo, hi = 100 * u.km, 1000 * u.km
    assert units.to_si("100km", "length", "altitude", lo=lo, hi=hi) == 100e3
    message = _refused(lambda: units.to_si("50km", "length", "altitude", lo=lo, hi=hi), "altitude")
    assert message == "altitude: 50 km is out of range (accepted: 100 km to 1000 km)"
    _refused(lambda: units.to_si("100km", "length", "altitude", lo=lo, lo_inclusive=False), "altitude")
    _refused(lambda: units.to_si("0s", "time", "step", lo=0 * u.s, lo_inclusive=False), "step")
    message = _refused(lambda: units.to_si("2000km", "length", "h", hi=hi, hi_inclusive=False), "h")
    assert "less than 1000 km" in message


def test_parse_quantity_keeps_the_unit():
    q = units.parse_quantity("550km", "length", "altitude")
    assert q.unit == u.km and q.value == 550.0


def test_positive_si():
    assert units.positive_si("1.2m", "length", "rx_dish", "1.2m") == 1.2
    message = _refused(lambda: units.positive_si("0m", "length", "rx_dish", "1.2m"), "rx_dish")
    assert "not positive" in message and "1.2m" in message


# --- counts and plain numbers ----------------------------------------------------------------

def test_count():
    assert units.count(3, "k") == 3 and units.count(np.int64(4), "k") == 4
    for bad in (0, 2.5, "3", True, None):
        _refused(lambda: units.count(bad, "k"), "k")
    assert units.count(0, "k", lo=0) == 0


@pytest.mark.parametrize("value", [1.5, "1.5", " 1.5 ", np.float64(1.5), 1.5 * u.one])
def test_number_accepts_bare_numbers(value):
    assert units.number(value, "route_factor", lo=1.0) == 1.5


@pytest.mark.parametrize("value, fragment", [
    ("0.5", "at least 1"), (0.5, "at least 1"), ("x", "cannot read"), (True, "cannot read"),
    ("inf", "out of range"), ("nan", "out of range"), (1.5 * u.m, "takes no unit"),
])
def test_number_refuses(value, fragment):
    assert fragment in _refused(lambda: units.number(value, "route_factor", lo=1.0), "route_factor")


def test_number_is_positive_by_default():
    assert units.number("2", "requests_per_s") == 2.0
    assert "more than 0" in _refused(lambda: units.number(0, "requests_per_s"), "requests_per_s")
    assert "more than 1" in _refused(lambda: units.number(1, "n", lo=1.0, lo_inclusive=False), "n")


# --- fractions and percentages: one value, four spellings -----------------------------------

@pytest.mark.parametrize("value", [0.999, "0.999", "99.9%", " 99.9 % ", "99.9 percent", 99.9 * u.percent,
                                   0.999 * u.one, np.float64(0.999)])
def test_percent_and_fraction_are_the_same_value(value):
    # Exactly the float nearest 0.999, whichever way it was written (not 99.9 / 100).
    assert units.fraction(value, "availability_target") == 0.999
    assert units.percent(value, "availability") == pytest.approx(99.9, rel=1e-15)


def test_fraction_ranges_and_their_ends():
    assert units.fraction("0%", "x") == 0.0 and units.fraction("100%", "x") == 1.0
    _refused(lambda: units.fraction(0, "eta", lo_inclusive=False), "eta")
    _refused(lambda: units.fraction("100%", "f", hi_inclusive=False), "f")
    assert units.fraction("250%", "overhead", hi=10.0) == 2.5
    _refused(lambda: units.fraction("1.01", "x"), "x")
    _refused(lambda: units.fraction(-0.01, "x"), "x")


@pytest.mark.parametrize("value, fragment", [
    ("65", "is outside"), ("0.5dB", "has unit 'dB'"), ("half", "cannot read"), (None, "got None"),
    (True, "got True"), (0.5 * u.m, "not dimensionless"), ([0.1, 0.2] * u.one, "expected one value"),
])
def test_fraction_refuses(value, fragment):
    assert fragment in _refused(lambda: units.fraction(value, "tx_efficiency"), "tx_efficiency")


def test_fraction_messages_keep_their_documented_wording():
    # Quoted in docs/budget.md and docs/datacenter.md.
    message = _refused(lambda: units.fraction("1.2", "tx_efficiency", lo_inclusive=False), "tx_efficiency")
    assert message == "tx_efficiency: 1.2 is outside (0, 1] (tx_efficiency takes a number in (0, 1], e.g. 0.65 or 65%)"
    message = _refused(lambda: units.fraction("1.5", "emissivity", lo_inclusive=False, example="0.3 or 30%",
                                              as_typed=True), "emissivity")
    assert message == "emissivity: '1.5' is out of range (a number in (0, 1], e.g. 0.3 or 30%)"


def test_percent_refuses_a_bare_percentage():
    # A bare number is a fraction everywhere: 99.9 is not 99.9 %, and says how to write it.
    message = _refused(lambda: units.percent("99.9", "availability"), "availability")
    assert "99.9%" in message and "0.999" in message
    _refused(lambda: units.percent("101%", "availability"), "availability")
    _refused(lambda: units.percent(5 * u.m, "availability"), "availability")
    _refused(lambda: units.percent("99.9 dB", "availability"), "availability")


# --- decibels, powers, temperatures, rates, data --------------------------------------------

def test_db():
    assert units.db("30dBi", "tx_gain") == 30.0 and units.db("30 dBic", "g") == 30.0
    assert units.db(3 * u.dB, "g") == 3.0 and units.db("-2dB", "g") == -2.0
    assert "negative" in _refused(lambda: units.db("-1dB", "losses", kind="loss", nonnegative=True), "losses")
    assert "has no unit" in _refused(lambda: units.db("3", "margin", kind="loss"), "margin")  # dB or linear?
    _refused(lambda: units.db("3dBi", "margin", kind="loss"), "margin")   # a loss is not an antenna gain
    _refused(lambda: units.db(3 * u.W, "g"), "g")


def test_g_over_t():
    for text in ("31dB/K", "31 dB/K", "31dBK^-1", "31dBi/K"):
        assert units.g_over_t_dbk(text) == 31.0
    assert units.g_over_t_dbk(31 * u.dB / u.K) == 31.0
    _refused(lambda: units.g_over_t_dbk("31dB"), "g_over_t")


@pytest.mark.parametrize("value, watts", [
    ("10W", 10.0), ("500mW", 0.5), ("2kW", 2000.0), ("40MW", 40e6), ("40 MW", 40e6), ("1 kJ/s", 1000.0),
    ("10dBW", 10.0), ("40dBm", 10.0), ("0dBW", 1.0), (2 * u.kW, 2000.0), (10 * u.dB(u.W), 10.0),
    (40 * u.dB(u.mW), 10.0),
])
def test_power_w_accepts_linear_and_logarithmic_powers(value, watts):
    assert units.power_w(value, "tx_power") == pytest.approx(watts, rel=1e-12)


@pytest.mark.parametrize("value, fragment", [
    ("40", "has no unit"), (40, "has no unit"), ("40km", "has unit 'km'"), ("-5W", "not positive"),
    ("0W", "not positive"), ("1e308kW", "out of range"), ("1e308dBW", "out of range"),
    (5 * u.m, "not a power"), ("lots", "cannot read"),
])
def test_power_w_refuses(value, fragment):
    assert fragment in _refused(lambda: units.power_w(value, "it power"), "it power")


def test_power_w_zero_when_allowed():
    assert units.power_w("0W", "load", allow_zero=True) == 0.0


@pytest.mark.parametrize("value, kelvin", [
    ("290K", 290.0), ("290 K", 290.0), ("20C", 293.15), ("20 degC", 293.15), ("20°C", 293.15),
    ("-40celsius", 233.15), (290 * u.K, 290.0), (u.Quantity(20, u.deg_C), 293.15),
])
def test_temperature_k(value, kelvin):
    assert units.temperature_k(value, "t") == pytest.approx(kelvin, rel=1e-12)


@pytest.mark.parametrize("value", ["0K", "-300C", "-274C", "hot", "1.2.3C", 290, 5 * u.m])
def test_temperature_k_refuses(value):
    _refused(lambda: units.temperature_k(value, "radiator temperature"), "radiator temperature")


def test_temperature_message_keeps_its_documented_wording():
    message = _refused(lambda: units.temperature_k("0K", "radiator temperature"), "radiator temperature")
    assert message == "radiator temperature: '0K' is out of range (a temperature above 0 K, e.g. 20C or 293.15K)"


def test_symbol_rate_data_size_and_data_rate():
    assert units.symbol_rate_hz("500MBd") == 500e6 and units.symbol_rate_hz("2 Msym/s") == 2e6
    assert units.symbol_rate_hz("500Msps") == 500e6 and units.symbol_rate_hz(1 * u.MHz) == 1e6
    _refused(lambda: units.symbol_rate_hz("-5MBd"), "symbol_rate")
    _refused(lambda: units.symbol_rate_hz("500"), "symbol_rate")
    assert units.data_bits("1TB", "d") == 8e12 and units.data_bits("1TiB", "d") == 8 * 2.0**40
    assert units.data_bits("10Gbit", "d") == 10e9 and units.data_bits("500 GB", "d") == 4e12
    assert units.data_bits(1 * u.kbyte, "d") == 8000.0
    _refused(lambda: units.data_bits("-1kB", "request_size"), "request_size")
    assert units.data_rate_bps("10Gbps", "r") == 10e9 and units.data_rate_bps("1GB/s", "r") == 8e9
    assert units.data_rate_bps("10 Gbit/s", "r") == 10e9 and units.data_rate_bps(1 * u.Mbit / u.s, "r") == 1e6
    _refused(lambda: units.data_rate_bps("fast", "uplink_rate"), "uplink_rate")


def test_optical_sensitivity():
    assert units.sensitivity("100ph/bit") == ("photons", 100.0)
    assert units.sensitivity("100 photons/bit") == ("photons", 100.0)
    kind, watts = units.sensitivity("-40dBm")
    assert kind == "power" and watts == pytest.approx(1e-7, rel=1e-12)
    _refused(lambda: units.sensitivity("0ph/bit"), "sensitivity")
    _refused(lambda: units.sensitivity("many"), "sensitivity")


# --- engineering inputs and money -------------------------------------------------------------

def test_engineering_readers():
    assert units.mass_kg("100t", "m") == 100e3 and units.mass_kg(1360 * u.kg, "m") == 1360.0
    assert units.areal_density_kg_m2("3kg/m2", "a") == 3.0
    assert units.specific_energy_j_kg("150Wh/kg", "e") == pytest.approx(150 * 3600.0, rel=1e-15)
    assert units.specific_energy_j_kg("0.15kWh/kg", "e") == pytest.approx(150 * 3600.0, rel=1e-12)
    assert units.duration_s("5yr", "life") == pytest.approx(5 * 365.25 * 86400.0, rel=1e-15)
    assert units.duration_s("0yr", "life", allow_zero=True) == 0.0
    assert units.angle_rad("5deg", "sun incidence") == pytest.approx(math.radians(5.0), rel=1e-15)
    assert units.to_unit("10 m2", u.m**2, "array area", "an area such as 10 m2") == 10.0


@pytest.mark.parametrize("call, field", [
    (lambda: units.mass_kg("100", "rack mass"), "rack mass"),             # no unit
    (lambda: units.mass_kg("100m", "rack mass"), "rack mass"),            # wrong kind
    (lambda: units.mass_kg("-1kg", "rack mass"), "rack mass"),
    (lambda: units.duration_s("0yr", "mission life"), "mission life"),
    (lambda: units.angle_rad("90deg", "sun incidence", hi_inclusive=False), "sun incidence"),
    (lambda: units.angle_rad("-1deg", "sun incidence"), "sun incidence"),
    (lambda: units.specific_energy_j_kg("150Wh", "battery specific energy"), "battery specific energy"),
    (lambda: units.to_unit("10 kg", u.m**2, "array area", "an area such as 10 m2"), "array area"),
])
def test_engineering_readers_refuse(call, field):
    _refused(call, field)


def test_to_unit_message_keeps_its_documented_wording():
    # Quoted in docs/eclipse.md.
    message = _refused(lambda: units.to_unit("10 kg", u.m**2, "array area", "an area such as 10 m2"), "array area")
    assert message == "array area: '10 kg' has unit kg (an area such as 10 m2)"


def test_price_usd_per_kg():
    for value in (3000, 3000.0, "3000", "$3000/kg", "$3,000/kg", "3000 USD/kg", "3_000 $/kg"):
        assert units.price_usd_per_kg(value) == 3000.0
    for value in ("-5", 0, "free", None, "inf"):
        _refused(lambda: units.price_usd_per_kg(value), "launch price")


# --- one reader, every analysis ------------------------------------------------------------

def test_availability_target_reads_the_same_in_every_analysis():
    # The example: round_trip raised on "99.9%" while inference_verdict accepted it.
    from orbitlink.link import latency
    from orbitlink.link.workload import inference_verdict

    for spelled in ("99.9%", 0.999, "0.999", 99.9 * u.percent):
        assert latency.read_targets("100ms", 1.5, 1.468, spelled)[3] == 0.999
        v = inference_verdict(requests_per_s=1, request_size="1kB", response_size="1kB", rtt="40ms",
                              availability=0.9995, availability_target=spelled)
        assert v.constraints[1].required == 0.999


def test_old_import_paths_name_the_same_readers():
    from orbitlink import quantities
    from orbitlink.feasibility import units as feasibility_units
    from orbitlink.link import budget

    assert quantities.to_si is units.to_si and quantities.count is units.count
    assert quantities.parse_quantity is units.parse_quantity
    assert feasibility_units.power_w is units.power_w and feasibility_units.temperature_k is units.temperature_k
    assert budget.parse_db is units.db and budget.parse_percent is units.percent
    assert budget.parse_power_w is units.power_w and budget.parse_positive is units.positive_si
    # The data-center flavour of fraction: low end excluded, the value quoted as typed.
    assert feasibility_units.fraction("30%", "x") == 0.3
    assert "'0' is out of range" in _refused(lambda: feasibility_units.fraction("0", "emissivity"), "emissivity")


READERS = [
    lambda x: units.to_si(x, "length", "f"), lambda x: units.number(x, "f"), lambda x: units.fraction(x, "f"),
    lambda x: units.percent(x, "f"), lambda x: units.db(x, "f"), lambda x: units.g_over_t_dbk(x, "f"),
    lambda x: units.power_w(x, "f"), lambda x: units.temperature_k(x, "f"), lambda x: units.symbol_rate_hz(x, "f"),
    lambda x: units.data_bits(x, "f"), lambda x: units.data_rate_bps(x, "f"), lambda x: units.mass_kg(x, "f"),
    lambda x: units.duration_s(x, "f"), lambda x: units.angle_rad(x, "f"), lambda x: units.price_usd_per_kg(x, "f"),
    lambda x: units.specific_energy_j_kg(x, "f"), lambda x: units.sensitivity(x, "f"),
]


@given(text=st.text(max_size=16))
@settings(max_examples=200, deadline=None)
def test_every_reader_returns_a_finite_value_or_a_quantity_error_naming_the_field(text):
    for read in READERS:
        try:
            value = read(text)
        except QuantityError as exc:
            assert str(exc).startswith("f:"), str(exc)
            continue
        value = value[1] if isinstance(value, tuple) else value
        assert math.isfinite(value)
