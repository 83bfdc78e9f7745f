"""Inference and training verdicts: binding constraint, margins in physical units, inputs read defensively.

The arithmetic references are hand-computed here from the definitions (demand = rate x size x 8
x (1 + overhead); Little's law for concurrent streams; 8766 h in a Julian year).
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from orbitlink.errors import OrbitlinkError, QuantityError
from orbitlink.link.workload import WorkloadError, inference_verdict, training_verdict

ONE_US = 1e-6
ONE_BIT_S = 1.0

BASE = dict(requests_per_s=200, request_size="2kB", response_size="4kB", latency_slo="100ms",
            uplink_rate="50Mbps", downlink_rate="1Gbps", overhead=0.1)


def _by_name(v):
    return {c.name: c for c in v.constraints}


def test_inference_clears_with_margins_in_units():
    v = inference_verdict(**BASE, rtt="42ms", availability="99.95%")
    c = _by_name(v)
    assert v.workable
    # Latency: 42 ms + 2 kB x 8 x 1.1 / 50 Mbps = 42.352 ms against 100 ms.
    assert c["latency"].provided == pytest.approx(0.042352, abs=ONE_US)
    assert c["latency"].margin == pytest.approx(0.057648, abs=ONE_US)
    # Uplink demand 200 x 16000 bit x 1.1 = 3.52 Mbps; downlink 7.04 Mbps.
    assert c["uplink"].required == pytest.approx(3.52e6, abs=ONE_BIT_S)
    assert c["downlink"].required == pytest.approx(7.04e6, abs=ONE_BIT_S)
    assert c["downlink"].headroom == pytest.approx(1e9 / 7.04e6)
    # Availability headroom compares downtime: 0.1 % allowed / 0.05 % expected = 2.
    assert c["availability"].headroom == pytest.approx(2.0)
    # The binding constraint is the one with the least headroom.
    assert v.binding.name == "availability"
    assert v.to_dict()["binding"] == "availability"


def test_inference_fails_on_availability_and_says_by_how_much():
    v = inference_verdict(**BASE, rtt="42ms", availability=0.995)
    assert not v.workable
    assert v.binding.name == "availability"
    a = v.binding
    assert a.margin == pytest.approx(-0.004)
    assert a.headroom == pytest.approx(0.001 / 0.005)
    assert "misses by 0.4000 percentage points" in a.text
    assert "downtime 43.8 h/yr vs 8.77 h/yr allowed" in a.text   # 0.5 % and 0.1 % of 8766 h
    assert v.message.startswith("inference: not workable; binding availability")


def test_inference_latency_binding_and_processing_time():
    v = inference_verdict(**BASE, rtt="80ms", availability="99.99%", processing_time="30ms")
    assert v.binding.name == "latency" and not v.workable
    assert v.binding.margin == pytest.approx(0.1 - (0.08 + 0.000352 + 0.03), abs=ONE_US)


def test_inference_streams_littles_law():
    v = inference_verdict(**BASE, rtt="42ms", tokens_per_s=50, bytes_per_token=4)
    # 4 kB response = 1000 tokens at 50 tokens/s = 20 s per stream; 200/s x 20 s = 4000 streams.
    assert v.info["stream_s"] == pytest.approx(20.0)
    assert v.info["concurrent_streams"] == pytest.approx(4000.0)


def test_latency_result_is_read_defensively():
    # An object shaped like orbitlink.link.latency.LatencyResult (rtt stats in ms + availability).
    res = SimpleNamespace(availability=0.9995, rtt=SimpleNamespace(p50_ms=30.0, p95_ms=41.0, p99_ms=55.0))
    v = inference_verdict(**BASE, rtt=res)
    c = _by_name(v)
    assert c["latency"].provided == pytest.approx(0.055352, abs=ONE_US)
    assert c["availability"].provided == pytest.approx(0.9995)
    # A percentile the stats do not carry comes from the per-step samples.
    samples = np.array([[0.010, 0.020, np.nan, 0.030, 0.040]])
    res2 = SimpleNamespace(availability=0.8, rtt=SimpleNamespace(p99_ms=39.0),
                           series=SimpleNamespace(rtt_s=samples))
    v2 = inference_verdict(**BASE, rtt=res2, slo_percentile=50)
    assert _by_name(v2)["latency"].provided == pytest.approx(0.025 + 0.000352, abs=ONE_US)
    # Weather availability multiplies (independent outages).
    v3 = inference_verdict(**BASE, rtt=res, weather_availability="99.9%")
    assert _by_name(v3)["availability"].provided == pytest.approx(0.9995 * 0.999)
    with pytest.raises(WorkloadError, match="rtt"):
        inference_verdict(**BASE, rtt=SimpleNamespace(foo=1))


def test_real_latency_stats_object():
    latency = pytest.importorskip("orbitlink.link.latency")
    stats = latency.RttStats.of(np.array([0.02, 0.03, 0.04]))
    res = SimpleNamespace(availability=0.9999, rtt=stats)
    v = inference_verdict(**BASE, rtt=res)
    assert _by_name(v)["latency"].provided == pytest.approx(np.percentile([0.02, 0.03, 0.04], 99) + 0.000352,
                                                            abs=ONE_US)


def test_link_budget_as_a_rate():
    from orbitlink.link.budget import link_budget

    down = link_budget(frequency="26GHz", distance="1123.4km", tx_power="10dBW", tx_gain="30dBi",
                       tx_loss="1dB", losses="3dB", g_over_t="31dB/K", symbol_rate="500MBd")
    v = inference_verdict(**dict(BASE, downlink_rate=down), rtt="40ms")
    assert _by_name(v)["downlink"].provided == pytest.approx(500e6 * 5.900855)


def test_missing_inputs_are_noted_not_guessed():
    v = inference_verdict(requests_per_s=10, request_size="1kB", response_size="1kB")
    assert v.constraints == () and v.binding is None
    assert len(v.notes) == 4
    assert "nothing to check" in v.message


@pytest.mark.parametrize("kw", [
    dict(requests_per_s=0), dict(requests_per_s=-1), dict(request_size="-1kB"),
    dict(latency_slo="0ms"), dict(latency_slo="100"), dict(availability_target="101%"),
    dict(slo_percentile=100), dict(uplink_rate="fast"),
])
def test_inference_bad_input(kw):
    with pytest.raises(OrbitlinkError):
        inference_verdict(**dict(BASE, **kw), rtt="40ms")


def test_training_verdict():
    # 200 TB in 30 days needs 6.667 TB/day up; 5 TB/day of checkpoints down.
    v = training_verdict(dataset_size="200TB", checkpoint_size_per_day="5TB", upload_time="30d",
                         uplink_volume_per_day="3TB", downlink_volume_per_day="1.7TB")
    c = _by_name(v)
    assert c["dataset upload"].required == pytest.approx(200e12 * 8 / 30)
    assert c["dataset upload"].margin == pytest.approx((3 - 200 / 30) * 8e12)
    assert c["checkpoint download"].headroom == pytest.approx(1.7 / 5)
    assert not v.workable and v.binding.name == "checkpoint download"
    assert "misses by 3.3 TB/day" in v.binding.text


def test_training_with_a_volume_result():
    vol = SimpleNamespace(network_bits_per_day=10e12 * 8)  # 10 TB/day, like VolumeResult
    v = training_verdict(dataset_size="100TB", checkpoint_size_per_day="2TB", upload_time="20d",
                         uplink_volume_per_day=vol, downlink_volume_per_day=vol)
    assert v.workable
    assert v.binding.name == "dataset upload"  # 5 TB/day of 10 (x2) vs 2 of 10 (x5)
    assert v.binding.headroom == pytest.approx(2.0)
    assert math.isclose(v.to_dict()["constraints"][0]["headroom"], 2.0)
    # A time that is not positive is a QuantityError, as for every reader of orbitlink.units.
    with pytest.raises(QuantityError, match="upload_time"):
        training_verdict(dataset_size="1TB", checkpoint_size_per_day="1TB", upload_time="0d")
