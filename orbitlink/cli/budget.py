"""``orbitlink budget``: one RF or optical link budget, or data volume over a network's passes.

Three modes, chosen by the options:

- one RF budget: ``--distance`` (or ``--orbit ALT --elevation EL``);
- one optical budget: ``--band optical`` or ``--wavelength``;
- network volume: an orbit source (``--orbit``, ``--walker``, ``--tle`` ...)
  with ``--stations``/``--station`` and no ``--distance``/``--elevation``:
  adaptive coding along every pass -> volume per pass, station and day.
"""

from __future__ import annotations

import math

import click

from ..errors import OrbitSpecError
from . import common as c
from .visibility_common import read_antennas


def _budget_options(func):
    opts = [
        click.option("--band", help="Preset S, X, Ku, Ka (frequency, symbol rate, roll-off) or optical; options override it."),
        click.option("--frequency", help="Carrier frequency, e.g. 26GHz."),
        click.option("--wavelength", help="Optical wavelength, e.g. 1550nm (implies --band optical)."),
        click.option("--distance", help="Slant range, e.g. 1123.4km (one budget)."),
        click.option("--elevation", help="Elevation at the station with --orbit ALT, e.g. 25deg (one budget)."),
        click.option("--tx-power", help="Transmitter power, e.g. 10W, 10dBW or 40dBm."),
        click.option("--tx-gain", help="Transmit antenna gain, e.g. 30dBi."),
        click.option("--tx-dish", help="Transmit dish (optical: aperture) diameter, e.g. 0.5m."),
        click.option("--tx-efficiency", help="Transmit aperture efficiency in (0, 1] [RF 0.65, optical 0.8145]."),
        click.option("--tx-loss", default="0dB", show_default=True, help="Transmit line loss."),
        click.option("--losses", default="0dB", show_default=True, help="Other fixed losses."),
        click.option("--pointing-loss", help="Pointing loss [0dB]."),
        click.option("--polarization-loss", default="0dB", show_default=True, help="Polarisation mismatch loss."),
        click.option("--implementation-loss", default="0dB", show_default=True, help="Modem loss added to every MODCOD threshold."),
        click.option("--atmospheric-loss", help="Fixed atmospheric loss instead of ITU-R (e.g. 2dB)."),
        click.option("--g-over-t", help="Receiver figure of merit, e.g. 31dB/K."),
        click.option("--rx-gain", help="Receive antenna gain (with --system-temp), e.g. 40dBi."),
        click.option("--rx-dish", help="Receive dish (optical: aperture) diameter, e.g. 1.2m."),
        click.option("--rx-efficiency", help="Receive aperture efficiency in (0, 1] [RF 0.65, optical 1]."),
        click.option("--system-temp", help="Receiver system noise temperature, e.g. 290K."),
        click.option("--symbol-rate", help="Symbol rate, e.g. 500MBd."),
        click.option("--roll-off", help="Root-raised-cosine roll-off in [0, 1] [band preset, else 0.1]."),
        click.option("--margin", default="3dB", show_default=True, help="Required margin above the MODCOD threshold."),
        click.option("--modcods", default="dvbs2x", show_default=True, type=click.Choice(["dvbs2", "dvbs2x"]),
                     help="MODCOD set: DVB-S2 only, or DVB-S2 + S2X."),
        click.option("--direction", default="downlink", show_default=True, type=click.Choice(["downlink", "uplink"]),
                     help="Which end is on the ground (downlink: the receiver)."),
        click.option("--station", multiple=True, help="Station NAME or LAT,LON[,ALT_M] (repeatable)."),
        click.option("--stations", multiple=True, help="Station catalog or CSV/GeoJSON file (network mode)."),
        click.option("--availability", help="ITU-R atmosphere at this availability, e.g. 99.9% (needs orbitlink[itur])."),
        click.option("--polarization-tilt", default="45deg", show_default=True,
                     help="Polarisation tilt for ITU-R rain (45deg circular, 0deg horizontal)."),
        click.option("--min-elevation", help="Elevation threshold for every station (network mode) [station's own, else 10deg]."),
        click.option("--antennas", help="Antennas at every station (network mode; a whole number >= 1) "
                     "[catalog's antennas column, else 1]."),
        click.option("--setup", default="60s", show_default=True,
                     help="Time between two contacts on one antenna (network mode)."),
        click.option("--sensitivity", default="100ph/bit", show_default=True,
                     help="Optical receiver sensitivity: photons/bit or a power at --data-rate (e.g. -40dBm)."),
        click.option("--data-rate", help="Optical data rate to check, e.g. 100Gbps."),
    ]
    for option in reversed(opts):
        func = option(func)
    return func


@click.command()
@c.orbit_options
@c.time_options(duration="24h", step="10s")
@_budget_options
@c.output_options(plot=False)
def budget(orbit, inclination, raan, phase, kepler, walker, constellation, tle, propagator,
           start, duration, step, band, frequency, wavelength, distance, elevation, tx_power, tx_gain,
           tx_dish, tx_efficiency, tx_loss, losses, pointing_loss, polarization_loss,
           implementation_loss, atmospheric_loss, g_over_t, rx_gain, rx_dish, rx_efficiency,
           system_temp, symbol_rate, roll_off, margin, modcods, direction, station, stations,
           availability, polarization_tilt, min_elevation, antennas, setup, sensitivity, data_rate, json_out,
           csv) -> None:
    """Link budget (every term), the best DVB-S2/S2X MODCOD and data rate; or data volume per pass/day."""
    o = dict(locals())  # every option by name, for the mode helpers
    has_source = any(v is not None for v in (orbit, walker, kepler, constellation, tle))
    optical = wavelength is not None or (band is not None and band.strip().lower() == "optical")
    if optical:
        result = _optical(o)
        _emit(result, json_out, csv, _print_optical)
        return
    radio = dict(band=band, frequency=frequency, tx_power=tx_power, tx_gain=tx_gain, tx_dish=tx_dish,
                 tx_loss=tx_loss, g_over_t=g_over_t, rx_gain=rx_gain, rx_dish=rx_dish,
                 system_temperature=system_temp, pointing_loss=pointing_loss or "0dB",
                 polarization_loss=polarization_loss, losses=losses,
                 implementation_loss=implementation_loss, symbol_rate=symbol_rate, roll_off=roll_off,
                 margin=margin, direction=direction, modcods=modcods)
    if tx_efficiency is not None:
        radio["tx_efficiency"] = tx_efficiency
    if rx_efficiency is not None:
        radio["rx_efficiency"] = rx_efficiency
    from ..link.budget import check_budget_inputs, link_parameters

    if distance is not None:
        _check_distance(distance)
    if has_source and distance is None and elevation is None:
        if atmospheric_loss is not None:
            raise OrbitSpecError("atmospheric_loss: network mode takes the ITU-R atmosphere (--availability), "
                                 "not a fixed loss")
        params = _check_radio(link_parameters(**radio))
        result = _network(params, o)
        _emit(result, json_out, csv, _print_network, csv_writer=lambda f: result.write_passes_csv(f))
        return
    check_budget_inputs(radio, distance=distance, orbit=orbit or has_source or None, elevation=elevation)  # all missing, one line
    result = _single(_check_radio(link_parameters(**radio)), o)
    _emit(result, json_out, csv, _print_single)


# --- input bounds (issue 19) ----------------------------------------------------------------
# Radio waves are below 3000 GHz (ITU Radio Regulations, No. 1.5); a carrier must be wider
# than the signal it carries (occupied bandwidth = symbol rate x (1 + roll-off)); and no
# link reaches past 1e13 km (about 67,000 au, beyond any spacecraft; Voyager 1 is ~2.5e10 km).
MAX_RADIO_FREQUENCY_HZ = 3e12
MAX_DISTANCE_M = 1e16


def _check_radio(params):
    from ..errors import BudgetError

    f = params.frequency_hz
    if f > MAX_RADIO_FREQUENCY_HZ:
        raise BudgetError(f"frequency: {f / 1e9:g} GHz is above the radio spectrum (at most 3000 GHz; "
                          "for a laser link give --wavelength or --band optical)")
    bandwidth = params.symbol_rate_hz * (1 + params.roll_off)
    if bandwidth >= f:
        raise BudgetError(f"symbol_rate: {params.symbol_rate_hz / 1e6:g} MBd occupies {bandwidth / 1e6:g} MHz, "
                          f"not less than the {f / 1e6:g} MHz carrier (a lower --symbol-rate or a higher --frequency)")
    return params


def _check_distance(distance) -> None:
    from ..errors import BudgetError
    from ..units import to_si

    d = to_si(distance, "length", "distance")
    if d > MAX_DISTANCE_M:
        raise BudgetError(f"distance: {d / 1e3:g} km is beyond any link (at most {MAX_DISTANCE_M / 1e3:g} km)")


# --- the three modes ----------------------------------------------------------------------

def _altitude_of(o) -> str | None:
    """The altitude of one circular ``--orbit`` for a single budget (``--orbit 550km --elevation 25deg``)."""
    if o["orbit"] is None:
        if any(o[k] is not None for k in ("walker", "kepler", "constellation", "tle")):
            raise OrbitSpecError("orbit: one budget needs --distance, or one circular --orbit ALT with "
                                 "--elevation (drop --elevation/--distance for the network volume mode)")
        return None
    from .. import orbits as orbit_specs
    import astropy.units as u

    src = orbit_specs.parse_orbit(o["orbit"], inclination=o["inclination"])
    return float(src.altitude_m[0]) * u.m


def _station_for_budget(o):
    if o["stations"]:
        raise OrbitSpecError("stations: --stations is for the network volume mode (an orbit with no "
                             "--distance/--elevation); one budget takes one --station LAT,LON")
    if not o["station"]:
        return None
    if len(o["station"]) > 1:
        raise OrbitSpecError("station: one budget takes one --station")
    from ..stations import parse_station

    return parse_station(o["station"][0])


def _single(params, o):
    from ..link.budget import link_budget

    altitude = _altitude_of(o)
    if altitude is not None and o["distance"] is not None:
        raise OrbitSpecError("distance: give --distance or --orbit with --elevation, not both")
    st = _station_for_budget(o)
    return link_budget(params=params, distance=o["distance"], altitude=altitude,
                       elevation=o["elevation"], atmospheric_loss=o["atmospheric_loss"], station=st,
                       availability=o["availability"], polarization_tilt=o["polarization_tilt"])


def _optical(o):
    from ..link.optical import optical_budget

    if o["distance"] is None and o["orbit"] is None:
        raise OrbitSpecError("distance: the optical budget needs --distance (e.g. 5000km), "
                             "or --orbit ALT with --elevation")
    for name in ("g_over_t", "symbol_rate", "system_temp", "tx_gain", "rx_gain", "station", "stations", "availability"):
        if o[name]:
            raise OrbitSpecError(f"{name}: not used by the optical budget (apertures: --tx-dish/--rx-dish; "
                                 "receiver: --sensitivity)")
    band = o["band"]
    if o["frequency"] is not None and o["wavelength"] is not None:
        raise OrbitSpecError("wavelength: give --wavelength or --frequency, not both")
    if band is not None and band.strip().lower() != "optical":
        raise OrbitSpecError(f"band: --wavelength is optical, --band {band} is radio")
    altitude = _altitude_of(o)
    distance = o["distance"]
    if altitude is not None:
        from ..link.budget import slant_range_m
        from ..units import to_si
        import astropy.units as u

        if distance is not None:
            raise OrbitSpecError("distance: give --distance or --orbit with --elevation, not both")
        if o["elevation"] is None:
            raise OrbitSpecError("elevation: --orbit needs --elevation for one budget (e.g. --elevation 25deg)")
        distance = float(slant_range_m(altitude.to_value(u.m), to_si(o["elevation"], "angle", "elevation"))) * u.m
    for name in ("tx_power", "tx_dish", "rx_dish"):
        if o[name] is None:
            raise OrbitSpecError(f"{name}: the optical budget needs --{name.replace('_', '-')}")
    kw = {}
    if o["tx_efficiency"] is not None:
        kw["tx_efficiency"] = o["tx_efficiency"]
    if o["rx_efficiency"] is not None:
        kw["rx_efficiency"] = o["rx_efficiency"]
    return optical_budget(distance=distance, tx_power=o["tx_power"], tx_aperture=o["tx_dish"],
                          rx_aperture=o["rx_dish"], wavelength=o["wavelength"], frequency=o["frequency"],
                          tx_optics_loss=o["tx_loss"], pointing_loss=o["pointing_loss"],
                          atmospheric_loss=o["atmospheric_loss"] or "0dB", losses=o["losses"],
                          sensitivity=o["sensitivity"], data_rate=o["data_rate"], margin=o["margin"], **kw)


def _network(params, o):
    from .. import propagators
    from ..link.volume import data_volume
    from ..stations import resolve_stations

    if not o["station"] and not o["stations"]:
        raise OrbitSpecError("stations: the network volume mode needs --stations CATALOG|FILE or --station "
                             "(or give --distance/--elevation for one budget)")
    st = resolve_stations(o["station"], o["stations"])
    source = c.resolve_source(orbit=o["orbit"], inclination=o["inclination"], raan=o["raan"],
                              phase=o["phase"], kepler=o["kepler"], walker=o["walker"],
                              constellation=o["constellation"], tle=o["tle"], start=o["start"])
    grid = c.resolve_grid(source, o["start"], o["duration"], o["step"])
    tr = propagators.propagate(source, grid, propagator=o["propagator"])
    for message in tr.messages:
        c.warn(message)
    return data_volume(tr, st, params, min_elevation=o["min_elevation"], availability=o["availability"],
                       polarization_tilt=o["polarization_tilt"], antennas=read_antennas(o["antennas"]),
                       setup=o["setup"])


# --- output ---------------------------------------------------------------------------------

def _emit(result, json_out, csv, printer, csv_writer=None):
    if csv is not None:
        with c.output_file(csv) as f:
            if csv_writer is not None:
                csv_writer(f)
            else:
                _write_terms_csv(f, result.to_dict())
    if json_out:
        c.print_json(result.to_dict())
    elif csv != "-":
        printer(result)


def _write_terms_csv(f, d: dict) -> None:
    f.write("term,value\n")
    for k, v in d.items():
        if isinstance(v, (list, dict)):
            continue
        text = "" if v is None else str(v)
        if any(ch in text for ch in ',"\n'):
            text = '"' + text.replace('"', '""') + '"'
        f.write(f"{k},{text}\n")


def _table(title: str):
    from rich.table import Table

    table = Table(title=title, show_header=True)
    table.add_column("term")
    table.add_column("value", justify="right")
    table.add_column("unit")
    return table


def _fmt(x, nd=2):
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{nd}f}"


def _print_single(b) -> None:

    d = b.to_dict()
    t = _table("orbitlink budget")
    rows = [
        ("frequency", _fmt(d["frequency_ghz"], 4), "GHz"),
        ("distance", _fmt(d["distance_km"], 1), "km"),
        ("elevation", _fmt(d["elevation_deg"], 2), "deg"),
        ("transmit power", _fmt(d["tx_power_dbw"]), "dBW"),
        ("transmit gain", _fmt(d["tx_gain_dbi"]), "dBi"),
        ("transmit line loss", _fmt(d["tx_loss_db"]), "dB"),
        ("EIRP", _fmt(d["eirp_dbw"]), "dBW"),
        ("free-space path loss", _fmt(d["fspl_db"], 3), "dB"),
        ("atmospheric attenuation", _fmt(d["atmospheric_db"], 3), "dB"),
    ]
    if d["rain_db"] is not None:
        # The ITU-R rows do not add up to the total: say how they combine (P.618-13 eq. 64).
        rows += [("  gases A_G", _fmt(d["gaseous_db"], 3), "dB"), ("  clouds A_C", _fmt(d["cloud_db"], 3), "dB"),
                 ("  rain A_R", _fmt(d["rain_db"], 3), "dB"),
                 ("  scintillation A_S", _fmt(d["scintillation_db"], 3), "dB"),
                 ("  A_G + sqrt((A_R + A_C)^2 + A_S^2)", _fmt(d["atmospheric_db"], 3), "dB"),
                 ("  availability", _fmt(d["availability_percent"], 3), "%")]
    rows += [
        ("pointing loss", _fmt(d["pointing_loss_db"]), "dB"),
        ("polarisation loss", _fmt(d["polarization_loss_db"]), "dB"),
        ("other losses", _fmt(d["other_losses_db"]), "dB"),
        ("total path loss", _fmt(d["path_loss_db"], 3), "dB"),
        ("receive gain", _fmt(d["rx_gain_dbi"]), "dBi"),
        ("system temperature", _fmt(d["system_temperature_k"], 1), "K"),
        ("sky-noise increase", _fmt(d["sky_noise_k"], 1), "K"),
        ("G/T", _fmt(d["g_over_t_dbk"]), "dB/K"),
        ("received power", _fmt(d["received_power_dbw"]), "dBW"),
        ("C/N0", _fmt(d["cn0_dbhz"], 3), "dB-Hz"),
        ("symbol rate", _fmt(d["symbol_rate_mbd"], 3), "MBd"),
        ("roll-off", _fmt(d["roll_off"]), ""),
        ("occupied bandwidth", _fmt(d["bandwidth_mhz"], 3), "MHz"),
        ("Es/N0", _fmt(d["esn0_db"], 3), "dB"),
        ("MODCOD", d["modcod"] or "none closes", d["modcod_standard"] or ""),
        ("required Es/N0 (threshold + impl. + margin)", _fmt(d["required_esn0_db"]), "dB"),
        ("margin over threshold", _fmt(d["margin_db"]), "dB"),
        ("Eb/N0", _fmt(d["ebn0_db"]), "dB"),
        ("data rate", _fmt(d["data_rate_mbps"], 1), "Mbps"),
        ("Shannon bound", _fmt(d["shannon_mbps"], 1), "Mbps"),
    ]
    for row in rows:
        t.add_row(*row)
    console = c.stdout_console()
    console.print(t)
    if d["atmospheric_combination"] is not None:
        print(f"atmospheric attenuation (not the sum of its rows): {d['atmospheric_combination']}")
    print(d["message"])
    for note in d["notes"]:
        c.warn(note)


def _print_optical(b) -> None:

    d = b.to_dict()
    t = _table("orbitlink budget (optical)")
    for row in [
        ("wavelength", _fmt(d["wavelength_nm"], 1), "nm"),
        ("distance", _fmt(d["distance_km"], 1), "km"),
        ("transmit power", _fmt(d["tx_power_dbm"]), "dBm"),
        ("transmit aperture gain", _fmt(d["tx_gain_dbi"]), "dBi"),
        ("transmit optics loss", _fmt(d["tx_optics_loss_db"]), "dB"),
        ("pointing loss", _fmt(d["pointing_loss_db"]), "dB"),
        ("free-space loss", _fmt(d["fspl_db"], 3), "dB"),
        ("atmospheric loss", _fmt(d["atmospheric_db"]), "dB"),
        ("other losses", _fmt(d["other_losses_db"]), "dB"),
        ("receive aperture gain", _fmt(d["rx_gain_dbi"]), "dBi"),
        ("received power", _fmt(d["received_power_dbm"], 3), "dBm"),
        ("sensitivity", _fmt(d["photons_per_bit_required"], 1), "photons/bit"),
        ("data rate", _fmt(d["data_rate_mbps"], 1), "Mbps"),
        ("required power", _fmt(d["required_power_dbm"], 3), "dBm"),
        ("margin", _fmt(d["margin_db"]), "dB"),
        ("max data rate at required margin", _fmt(d["max_data_rate_mbps"], 1), "Mbps"),
    ]:
        t.add_row(*row)
    c.stdout_console().print(t)
    print(d["message"])


def _print_network(v) -> None:

    d = v.to_dict()
    console = c.stdout_console()
    t = _table("orbitlink budget (network volume)")
    for row in [
        ("satellites / stations", f"{d['satellites']} / {d['stations']}", ""),
        ("start (UTC)", d["start"], ""),
        ("duration", _fmt(d["duration_s"] / 3600.0, 2), "h"),
        ("step", _fmt(d["step_s"], 1), "s"),
        ("frequency", _fmt(d["frequency_ghz"], 4), "GHz"),
        ("EIRP / G/T", f"{_fmt(d['eirp_dbw'])} / {_fmt(d['g_over_t_dbk'])}", "dBW / dB/K"),
        ("symbol rate", _fmt(d["symbol_rate_mbd"], 3), "MBd"),
        ("availability (ITU-R)", _fmt(d["availability_percent"], 3), "%"),
        ("passes", str(d["passes"]), ""),
        ("mean pass duration", _fmt(d["pass_mean_duration_s"], 1), "s"),
        ("mean volume per pass", _fmt(d["pass_mean_volume_gbyte"], 2), "GB"),
        ("network volume per day (contact plan)", _fmt(d["network_tbyte_per_day"], 3), "TB/day"),
        ("contacts / setup", f"{d['contacts']} / {_fmt(d['setup_s'], 0)}", "- / s"),
        ("per satellite per day (mean)", _fmt(d["satellite_gbyte_per_day"]["mean"], 2), "GB/day"),
    ]:
        t.add_row(*row)
    console.print(t)
    rows = sorted(d["per_station"], key=lambda r: -(r["assigned_gbyte_per_day"] or 0.0))
    shown = rows[:20]
    s = _table("per station (per day)")
    s.columns[0].header = "station"
    s.columns[1].header = "assigned GB"
    s.columns[2].header = "capacity GB / passes"
    for r in shown:
        s.add_row(r["station"], _fmt(r["assigned_gbyte_per_day"], 2),
                  f"{_fmt(r['capacity_gbyte_per_day'], 2)} / {r['passes']}")
    console.print(s)
    if len(rows) > len(shown):
        print(f"... {len(rows) - len(shown)} more stations (--json lists all)")
    for note in d["notes"]:
        c.warn(note)
