"""Workload verdicts: can the links serve an inference service, or feed a training run?

Each verdict is a list of :class:`Constraint` checks, each stating what is
required, what the links provide, whether it clears, the margin in physical
units and the headroom factor (provided / required; > 1 clears).  The
*binding* constraint is the one with the smallest headroom: the first to fail,
or the one that fails by the largest factor.

**Inference** (:func:`inference_verdict`), a request/response service:

- *latency*: RTT at the SLO percentile + the request's transfer time on the
  uplink + ``processing_time`` (time to first token) must not exceed the SLO;
- *availability*: the fraction of time a path exists (from the latency
  analysis) times the weather availability of the links must reach the target;
  the headroom is allowed downtime / expected downtime;
- *uplink* / *downlink*: ``requests_per_s x size x 8 x (1 + overhead)`` must fit in
  the link rate while connected.  ``tokens_per_s`` (per request) sets how long
  each response streams and so how many streams are open at once
  (Little's law), which is reported.

**Training** (:func:`training_verdict`): the dataset must go up within
``upload_time`` and checkpoints must come down every day: daily volume needed
vs daily volume delivered (e.g. from :mod:`orbitlink.link.volume`).

RTT and availability come in as numbers (Quantities or strings) or as a
latency result object: this module reads ``.availability`` and
``.rtt.p50_ms/.p95_ms/.p99_ms`` (or ``.series.rtt_s`` samples for another
percentile) defensively, with ``getattr``, so it depends on no internals of
:mod:`orbitlink.link.latency`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import astropy.units as u
import numpy as np

from ..constants import DAY_S
from ..errors import QuantityError, WorkloadError
from .. import units
from ..report import rounded

__all__ = ["Constraint", "WorkloadError", "WorkloadVerdict", "inference_verdict", "training_verdict"]

DEFAULT_BYTES_PER_TOKEN = 4.0  # ~4 characters of English text per token, UTF-8 (OpenAI tokenizer rule of thumb)
DEFAULT_OVERHEAD = 0.1  # framing, TCP/IP/TLS headers and retransmissions on top of the payload



@dataclass(frozen=True)
class Constraint:
    """One requirement: ``required`` vs ``provided`` in ``unit`` (SI: s, bit/s, bit/day, fraction)."""

    name: str
    required: float
    provided: float
    unit: str
    higher_is_better: bool
    detail: str = ""

    @property
    def ok(self) -> bool:
        if self.higher_is_better:
            return self.provided >= self.required
        return self.provided <= self.required

    @property
    def margin(self) -> float:
        """How much it clears by (negative: misses by), in ``unit``."""
        return self.provided - self.required if self.higher_is_better else self.required - self.provided

    @property
    def headroom(self) -> float:
        """Provided / required for capacities, required / provided for delays and downtime."""
        if self.unit == "fraction":
            # Availability: allowed downtime / expected downtime (99.5 % vs 99.9 % is x0.2,
            # not x0.996: downtime is the quantity that scales with the problem).
            num, den = 1.0 - self.required, 1.0 - self.provided
        elif self.higher_is_better:
            num, den = self.provided, self.required
        else:
            num, den = self.required, self.provided
        if den == 0:
            return math.inf if num > 0 else 1.0
        return num / den

    def _fmt(self, x: float) -> str:
        if self.unit == "s":
            return f"{x * 1e3:.3g} ms" if abs(x) < 10 else f"{x:.4g} s"
        if self.unit == "bit/s":
            return f"{x / 1e6:.4g} Mbps"
        if self.unit == "bit/day":
            return f"{x / 8e12:.4g} TB/day"
        if self.unit == "fraction":
            return f"{x * 100:.4f} %"
        return f"{x:g} {self.unit}"

    @property
    def text(self) -> str:
        verb = "clears" if self.ok else "misses"
        if self.unit == "fraction":
            # Availability: compare downtime, the quantity that scales.
            need, got = 1.0 - self.required, 1.0 - self.provided
            amount = f"{abs(self.margin) * 100:.4f} percentage points"
            how = (f"downtime {got * 8766:.3g} h/yr vs {need * 8766:.3g} h/yr allowed")
        else:
            amount = self._fmt(abs(self.margin))
            how = f"{self._fmt(self.provided)} vs {self._fmt(self.required)} {'needed' if self.higher_is_better else 'allowed'}"
        factor = "inf" if math.isinf(self.headroom) else f"{self.headroom:.3g}"
        extra = f"; {self.detail}" if self.detail else ""
        return f"{self.name}: {verb} by {amount} ({how}; headroom x{factor}){extra}"

    def to_dict(self) -> dict:
        scale = {"s": (1e3, "ms"), "bit/s": (1e-6, "mbps"), "bit/day": (1.0 / 8e12, "tbyte_per_day"),
                 "fraction": (100.0, "percent")}.get(self.unit, (1.0, self.unit))
        k, suffix = scale
        r = lambda x: None if x is None else rounded(float(x) * k)  # noqa: E731
        return {"constraint": self.name, "ok": self.ok, f"required_{suffix}": r(self.required),
                f"provided_{suffix}": r(self.provided), f"margin_{suffix}": r(self.margin),
                "headroom": None if math.isinf(self.headroom) else round(self.headroom, 6),
                "text": self.text}


@dataclass(frozen=True)
class WorkloadVerdict:
    """``workable`` when every constraint clears; ``binding`` has the smallest headroom."""

    kind: str
    constraints: tuple[Constraint, ...]
    info: dict
    notes: tuple[str, ...] = ()

    @property
    def workable(self) -> bool:
        return all(c.ok for c in self.constraints)

    @property
    def binding(self) -> Constraint | None:
        if not self.constraints:
            return None
        return min(self.constraints, key=lambda c: c.headroom)

    @property
    def message(self) -> str:
        if self.binding is None:
            return f"{self.kind}: nothing to check (no link figures given)"
        word = "workable" if self.workable else "not workable"
        return f"{self.kind}: {word}; binding {self.binding.text}"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "workable": self.workable,
                "binding": None if self.binding is None else self.binding.name,
                "message": self.message,
                "constraints": [c.to_dict() for c in self.constraints],
                "info": dict(self.info), "notes": list(self.notes)}


# --- reading inputs --------------------------------------------------------------------

def _rtt_at(rtt, percentile: float) -> float | None:
    """RTT (s) at ``percentile`` from a time value or a latency-result-like object."""
    if rtt is None:
        return None
    if isinstance(rtt, str) or hasattr(rtt, "unit"):
        return units.to_si(rtt, "time", "rtt")
    stats = getattr(rtt, "rtt", None)
    key = f"p{percentile:g}_ms"
    value = getattr(stats, key, None) if stats is not None else None
    if value is None and isinstance(rtt, dict):
        value = rtt.get(key, rtt.get(f"p{percentile:g}"))
    if value is not None:
        return float(value) / 1e3
    series = getattr(rtt, "series", None)
    samples = getattr(series, "rtt_s", None)
    if samples is not None:
        v = np.asarray(samples, dtype=np.float64)
        v = v[np.isfinite(v)]
        if v.size:
            return float(np.percentile(v, percentile))
    raise WorkloadError(f"rtt: cannot read the p{percentile:g} round-trip time from {type(rtt).__name__} "
                        "(give a time such as 40ms, or a latency result)")


def _availability_of(availability, rtt) -> float | None:
    if availability is not None:
        return units.fraction(availability, "availability")
    value = getattr(rtt, "availability", None)
    if value is not None and not isinstance(rtt, str):
        return float(value)
    return None


def _rate_bps(value, field: str) -> float | None:
    """A link rate from "10Gbps", a Quantity, or an object with ``data_rate_bps`` (a link budget)."""
    if value is None:
        return None
    if hasattr(value, "data_rate_bps"):
        return float(value.data_rate_bps)
    return units.data_rate_bps(value, field)


def _volume_per_day_bits(value, field: str) -> float | None:
    """Daily volume from "50TB" (per day), or an object with ``network_bits_per_day`` (a volume result)."""
    if value is None:
        return None
    if hasattr(value, "network_bits_per_day"):
        return float(value.network_bits_per_day)
    return units.data_bits(value, field)


# --- verdicts ---------------------------------------------------------------------------

def inference_verdict(*, requests_per_s, request_size, response_size, latency_slo="100ms",
                      slo_percentile: float = 99.0, availability_target="99.9%", rtt=None,
                      availability=None, weather_availability=None, uplink_rate=None,
                      downlink_rate=None, tokens_per_s=None,
                      bytes_per_token: float = DEFAULT_BYTES_PER_TOKEN,
                      processing_time="0s", overhead: float = DEFAULT_OVERHEAD) -> WorkloadVerdict:
    """Is an inference service over these links workable?  See the module docstring.

    ``rtt`` is the round-trip time at ``slo_percentile`` ("42ms") or a latency
    result; ``availability`` (0..1 or "99.95%") defaults to that result's.
    ``uplink_rate``/``downlink_rate`` are link rates ("2Gbps") or link budgets.
    Constraints whose inputs are missing are left out and listed in ``notes``.
    """
    rps = units.number(requests_per_s, "requests_per_s", example="50")
    if not 0.0 < float(slo_percentile) < 100.0:
        raise QuantityError(f"slo_percentile: {slo_percentile!r} is out of range (0 to 100, e.g. 99)")
    req_bits = units.data_bits(request_size, "request_size")
    resp_bits = units.data_bits(response_size, "response_size")
    slo = units.to_si(latency_slo, "time", "latency_slo", lo=0 * u.s, lo_inclusive=False)
    target = units.fraction(availability_target, "availability_target")
    proc = units.to_si(processing_time, "time", "processing_time")
    ovh = units.fraction(overhead, "overhead", hi=10.0)
    up = _rate_bps(uplink_rate, "uplink_rate")
    down = _rate_bps(downlink_rate, "downlink_rate")
    rtt_s = _rtt_at(rtt, float(slo_percentile))
    avail = _availability_of(availability, rtt)
    if avail is not None and weather_availability is not None:
        # Path geometry and weather outages are independent to first order.
        avail *= units.fraction(weather_availability, "weather_availability")
    elif avail is None and weather_availability is not None:
        avail = units.fraction(weather_availability, "weather_availability")

    cons, notes = [], []
    if rtt_s is not None:
        transfer = req_bits * (1.0 + ovh) / up if up else 0.0
        detail = f"p{slo_percentile:g} RTT {rtt_s * 1e3:.3g} ms"
        if up:
            detail += f" + request transfer {transfer * 1e3:.3g} ms"
        if proc:
            detail += f" + processing {proc * 1e3:.3g} ms"
        cons.append(Constraint("latency", slo, rtt_s + transfer + proc, "s", False, detail))
    else:
        notes.append("latency not checked: no RTT given")
    if avail is not None:
        cons.append(Constraint("availability", target, avail, "fraction", True))
    else:
        notes.append("availability not checked: no availability given")
    up_need = rps * req_bits * (1.0 + ovh)
    down_need = rps * resp_bits * (1.0 + ovh)
    if up is not None:
        cons.append(Constraint("uplink", up_need, up, "bit/s", True))
    else:
        notes.append("uplink throughput not checked: no uplink rate given")
    if down is not None:
        cons.append(Constraint("downlink", down_need, down, "bit/s", True))
    else:
        notes.append("downlink throughput not checked: no downlink rate given")
    info = {"uplink_demand_mbps": round(up_need / 1e6, 6), "downlink_demand_mbps": round(down_need / 1e6, 6)}
    if tokens_per_s is not None:
        tps = units.number(tokens_per_s, "tokens_per_s", example="50")
        stream_s = resp_bits / 8.0 / bytes_per_token / tps
        info.update(stream_s=round(stream_s, 6), concurrent_streams=round(rps * stream_s, 6),
                    per_stream_kbps=round(tps * bytes_per_token * 8.0 * (1.0 + ovh) / 1e3, 6))
    return WorkloadVerdict("inference", tuple(cons), info, tuple(notes))


def training_verdict(*, dataset_size, checkpoint_size_per_day, upload_time="30d",
                     uplink_volume_per_day=None, downlink_volume_per_day=None) -> WorkloadVerdict:
    """Is a training run fed by these links workable?

    The dataset (``dataset_size``, "200TB") must go up within ``upload_time``
    ("30d"), so the uplink must carry ``dataset_size / upload_time`` per day;
    ``checkpoint_size_per_day`` ("5TB") must come down each day.  Daily volumes
    are sizes per day ("3TB") or :class:`~orbitlink.link.volume.VolumeResult`
    objects (their ``network_bits_per_day``).
    """
    data = units.data_bits(dataset_size, "dataset_size")
    ckpt = units.data_bits(checkpoint_size_per_day, "checkpoint_size_per_day")
    span = units.to_si(upload_time, "time", "upload_time", lo=0 * u.s, lo_inclusive=False)
    up = _volume_per_day_bits(uplink_volume_per_day, "uplink_volume_per_day")
    down = _volume_per_day_bits(downlink_volume_per_day, "downlink_volume_per_day")
    cons, notes = [], []
    need_up = data * DAY_S / span
    if up is not None:
        cons.append(Constraint("dataset upload", need_up, up, "bit/day", True,
                               f"{data / 8e12:.4g} TB in {span / DAY_S:.4g} d"))
    else:
        notes.append("dataset upload not checked: no uplink volume given")
    if down is not None:
        cons.append(Constraint("checkpoint download", ckpt, down, "bit/day", True))
    else:
        notes.append("checkpoint download not checked: no downlink volume given")
    info = {"uplink_need_tbyte_per_day": round(need_up / 8e12, 6),
            "downlink_need_tbyte_per_day": round(ckpt / 8e12, 6)}
    return WorkloadVerdict("training", tuple(cons), info, tuple(notes))
