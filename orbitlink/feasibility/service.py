"""The service side of a data-center report: latency, availability, data volume and workload verdicts.

:func:`link_section` runs the same code path as ``orbitlink latency``
(:func:`orbitlink.link.latency.round_trip`, no second latency model) with every
service option it takes (users, gateways, ``direct``, ``isl``, relays, ``to``,
``slo``, ``availability_target``, ``min_elevation``, ``max_backhaul``,
``max_gsl_range``, ...), then :func:`orbitlink.link.volume.data_volume` for the
daily downlink volume and :mod:`orbitlink.link.workload` for the inference and
training verdicts.  The data-center verdict is workable only when the latency
verdict and, when a served workload is given (``requests_per_s`` ...), the
workload's inference verdict both clear.
"""

from __future__ import annotations

#: Defaults of the link section (keyword arguments of :func:`link_section`) and their sources.
LINK_DEFAULTS = {
    "duration": ("24h", "one day, as `orbitlink latency`"),
    "step": ("10s", "as `orbitlink latency`"),
    "gateways": ("starlink-gateways", "bundled Starlink gateway catalog (the latency default)"),
    "users": ("cities-top100", "bundled 100 largest cities, reaching the gateways over fibre"),
    "min_elevation": ("25deg", "the latency default elevation mask"),
    "slo": ("100ms", "the latency default p99 round-trip target for the network leg"),
    "availability_target": ("99.9%", "three nines, the latency default"),
    "radio": ("Ka 26 GHz, 10 dBW, 30 dBi, 1 dB line + 3 dB other losses, G/T 31 dB/K, 500 MBd, "
              "roll-off 0.1, 3 dB margin, DVB-S2X ACM", "the link-budget module's reference Ka downlink "
              "(issue 6), free space"),
    "dataset_size": ("60TB", "Llama 3 pre-training set: 15T tokens (Meta, 2024) x ~4 bytes/token"),
    "upload_time": ("30d", "assumption: the dataset goes up within a month"),
    "checkpoint_size_per_day": ("5.67TB", "one full checkpoint a day of a 405B-parameter model at "
                                "14 bytes/parameter (bf16 weights + fp32 master weights and two Adam "
                                "moments; Rajbhandari et al. 2020, ZeRO)"),
}
_RADIO = dict(band="Ka", tx_power="10dBW", tx_gain="30dBi", tx_loss="1dB", losses="3dB",
              g_over_t="31dB/K", margin="3dB")

#: Keywords of :func:`link_section` passed on, unchanged, to :func:`orbitlink.link.latency.round_trip`.
SERVICE_KEYS = ("users", "direct", "isl", "isl_max_range", "to", "compute", "min_elevation",
                "route_factor", "fibre_index", "processing", "slo", "availability_target",
                "max_backhaul", "max_gsl_range", "relay", "relay_propagator")
#: Keywords of the served workload (:func:`orbitlink.link.workload.inference_verdict`).
WORKLOAD_KEYS = ("requests_per_s", "request_size", "response_size", "tokens_per_s")


def link_section(source, *, start, propagator="auto", duration=None, step=None, gateways=None,
                 dataset_size=None, upload_time=None, checkpoint_size_per_day=None,
                 requests_per_s=None, request_size=None, response_size=None, tokens_per_s=None,
                 **service) -> dict:
    """Latency, bandwidth and workload verdicts for ``source`` and a ground network (a JSON-ready dict).

    ``service`` holds any keyword of :func:`orbitlink.link.latency.round_trip` listed in
    :data:`SERVICE_KEYS` (``users`` default: the 100 largest cities over fibre to the
    gateways).  Two round trips run: every gateway its own user (the network leg) and
    the service as the users see it, which gives the inference verdict.  With
    ``requests_per_s``, ``request_size`` and ``response_size`` the served traffic is
    checked too (:func:`orbitlink.link.workload.inference_verdict`: the service's p99
    RTT and availability, and the reference radio's rate while a gateway is in view,
    both ways).  If the link modules are not importable the section says so.
    """
    unknown = sorted(set(service) - set(SERVICE_KEYS))
    if unknown:
        raise TypeError(f"link_section() got unexpected keyword(s): {', '.join(unknown)}")
    opts = {k: v[0] for k, v in LINK_DEFAULTS.items() if k != "radio"}
    given = dict(duration=duration, step=step, gateways=gateways, dataset_size=dataset_size,
                 upload_time=upload_time, checkpoint_size_per_day=checkpoint_size_per_day)
    opts.update({k: v for k, v in given.items() if v is not None})
    for key in ("users", "min_elevation", "slo", "availability_target"):
        if service.get(key) is None:
            service[key] = opts[key]
    workload = {k: v for k, v in dict(requests_per_s=requests_per_s, request_size=request_size,
                                      response_size=response_size, tokens_per_s=tokens_per_s).items()
                if v is not None}
    if workload and not all(k in workload for k in WORKLOAD_KEYS[:3]):
        from ..errors import WorkloadError

        missing = [k for k in WORKLOAD_KEYS[:3] if k not in workload]
        raise WorkloadError(f"{missing[0].replace('_', '-')}: the served workload needs requests-per-s, "
                            "request-size and response-size together (e.g. 50, 4kB, 16kB)")
    try:
        from .. import propagators
        from ..link.budget import link_parameters
        from ..link.latency import round_trip
        from ..link.volume import data_volume
        from ..link.workload import inference_verdict, training_verdict
        from ..stations import load_catalog
    except ImportError as exc:  # a link module missing from this install
        return {"available": False, "note": f"link verdicts left out: {exc}"}

    gw = load_catalog(opts["gateways"]) if isinstance(opts["gateways"], str) else opts["gateways"]
    users = service.get("users")
    users_label = users if isinstance(users, str) else _describe(users)
    if isinstance(users, str) and users.startswith("cities"):
        service["users"] = load_catalog(users)
    track = propagators.propagate(source, start=start, duration=opts["duration"], step=opts["step"],
                                  propagator=propagator)
    leg_opts = {k: service[k] for k in ("min_elevation", "slo", "availability_target", "max_gsl_range",
                                         "isl", "isl_max_range", "processing", "compute")
                if service.get(k) is not None}
    # The source, not the track: round_trip propagates and routes slice by slice (bounded
    # memory), and takes a relay constellation as a source.
    span = dict(start=start, duration=opts["duration"], step=opts["step"], propagator=propagator)
    leg = round_trip(source, gw, **span, **leg_opts)
    served = round_trip(source, gw, **span, **{k: v for k, v in service.items() if v is not None})
    radio = link_parameters(**_RADIO)
    vol = data_volume(track, gw, radio, min_elevation=service["min_elevation"])
    # Assumption (stated in the output): the uplink carries what the downlink does.
    training = training_verdict(dataset_size=opts["dataset_size"],
                                checkpoint_size_per_day=opts["checkpoint_size_per_day"],
                                upload_time=opts["upload_time"], uplink_volume_per_day=vol,
                                downlink_volume_per_day=vol)
    leg_d, served_d = leg.to_dict(), served.to_dict()
    vol_d = vol.to_dict()
    contact_s = float(vol.station_contact_s.sum())
    rate_bps = vol.network_bits / contact_s if contact_s > 0 else 0.0
    n_users = served_d.get("users", {}).get("count") if isinstance(served_d.get("users"), dict) else None
    section = {
        "available": True,
        "start": served_d["scenario"]["start"],
        "end": served_d["scenario"]["end"],
        "step_s": served_d["scenario"]["step_s"],
        "gateways": {"source": (opts["gateways"] if isinstance(opts["gateways"], str)
                                else _describe(gw)), "count": len(gw)},
        "users": {"source": users_label, "count": n_users or _count(service.get("users"))},
        "service_options": {k: _describe(v) for k, v in service.items() if v is not None and k != "users"},
        "min_elevation": _describe(service["min_elevation"]),
        "network_leg": {"rtt_ms": leg_d["rtt_ms"], "availability_per_gateway": leg_d["availability"],
                        "what": "user at a gateway, bent pipe to the satellite and back"},
        "service": {"availability": served_d["availability"], "rtt_ms": served_d["rtt_ms"],
                    "outage_s": served_d["outage_s"], "handovers_per_hour": served_d["handovers_per_hour"],
                    "what": "the users over the options given (as `orbitlink latency`)"},
        "inference": served_d["inference"],
        "downlink": {"tbyte_per_day": vol_d["network_tbyte_per_day"], "passes": vol_d["passes"],
                     "rate_while_in_view_mbps": round(rate_bps / 1e6, 3),
                     "radio": LINK_DEFAULTS["radio"][0], "notes": vol_d["notes"]},
        "training": training.to_dict(),
        "workload": {k: str(opts[k]) for k in ("dataset_size", "upload_time", "checkpoint_size_per_day")},
        "notes": ["the uplink is assumed to carry the same daily volume and rate as the downlink (same radio)"],
        "sources": {k: v[1] for k, v in LINK_DEFAULTS.items()},
    }
    workable = bool(served_d["inference"]["workable"])
    if workload:
        verdict = inference_verdict(**workload, latency_slo=service["slo"],
                                    availability_target=service["availability_target"], rtt=served,
                                    uplink_rate=f"{rate_bps}bit/s", downlink_rate=f"{rate_bps}bit/s")
        section["served_workload"] = {**verdict.to_dict(),
                                      "given": {k: str(v) for k, v in workload.items()}}
        workable = workable and verdict.workable
    section["verdict"] = {"workable": workable,
                          "from": ["latency (round_trip)"] + (["served workload"] if workload else [])}
    return section


def _describe(value) -> str:
    import astropy.units as u

    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, u.Quantity):
        for unit in (u.deg, u.km, u.ms):
            if value.unit.is_equivalent(unit):
                return f"{value.to_value(unit):g} {unit}"
        return str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    label = getattr(value, "description", "")
    if isinstance(label, str) and label:
        return label
    names = getattr(value, "names", None)
    if names is not None and len(names) <= 3:
        return ", ".join(names)
    if names is not None:
        return f"{len(names)} stations"
    return str(value)


def _count(value) -> int:
    if value is None:
        return 0
    if isinstance(value, (list, tuple)):
        return len(value)
    return len(value) if hasattr(value, "__len__") and not isinstance(value, str) else 1


def link_rows(link: dict) -> list[tuple[str, str]]:
    """Human rows of a link section."""
    if not link.get("available"):
        return [("link verdicts", link.get("note", "not computed"))]
    leg, svc = link["network_leg"], link["service"]
    inf, tr = link["inference"], link["training"]
    rows = [
        ("span (UTC)", f"{link['start'][:16]} to {link['end'][:16]}, step {link['step_s']:g} s"),
        ("ground network", f"{link['gateways']['source']} ({link['gateways']['count']} gateways), "
                           f"mask {link['min_elevation']}"),
        ("users", f"{link['users']['source']} ({link['users']['count']})"),
    ]
    opts = link.get("service_options", {})
    shown = {k: v for k, v in opts.items() if k not in ("min_elevation",)}
    if shown:
        rows.append(("service options", ", ".join(f"{k.replace('_', '-')} {v}" for k, v in shown.items())))
    if leg["rtt_ms"].get("p50") is not None:
        rows.append(("network leg RTT p50 / p99", f"{leg['rtt_ms']['p50']:.1f} / {leg['rtt_ms']['p99']:.1f} ms "
                                                   "(gateway - satellite - gateway)"))
    rows.append(("service availability", f"{svc['availability']:.1%} of the time"))
    if svc["rtt_ms"].get("p50") is not None:
        rows.append(("user RTT p50 / p99", f"{svc['rtt_ms']['p50']:.1f} / {svc['rtt_ms']['p99']:.1f} ms"))
    rows.append(("inference (latency)", ("workable" if inf["workable"] else "not workable") + ": "
                 + (inf["reasons"][0] if inf["reasons"] else "")))
    if "served_workload" in link:
        rows.append(("served workload", link["served_workload"]["message"].removeprefix("inference: ")))
    rows.append(("downlink volume", f"{link['downlink']['tbyte_per_day']:,.2f} TB/day "
                                    f"({link['downlink']['passes']} passes)"))
    rows.append(("training", tr["message"].removeprefix("training: ")))
    if "verdict" in link:
        rows.append(("service verdict", "workable" if link["verdict"]["workable"] else "not workable"))
    return rows


__all__ = ["LINK_DEFAULTS", "SERVICE_KEYS", "WORKLOAD_KEYS", "link_rows", "link_section"]
