"""Fault cases: satellites decaying mid-run, full disks, unwritable paths, Ctrl-C."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from .conftest import EPHEMERIS, ROOT, assert_cli_error

# 28872 of Vallado's SGP4-VER.TLE decays about an hour after its epoch (SGP4 error 6);
# the ISS beside it must be unaffected.
DECAYING = (
    "DECAYING 28872\n"
    "1 28872U 05037B   05333.02012661  .25992681  00000-0  24476-3 0  1534\n"
    "2 28872  96.4736 157.9986 0303955 244.0492 110.6523 16.46015938 10708\n"
)


def test_satellite_decaying_mid_run_is_masked(run_cli, tmp_path):
    path = tmp_path / "decay.tle"
    path.write_text(DECAYING + (EPHEMERIS / "tle" / "iss-skyfield-doc.tle").read_text())
    r = run_cli("track", "--tle", str(path), "--start", "2005-11-29T00:30:00Z",
                "--duration", "3h", "--step", "60s", "--json")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    rows = {row["satellite"]: row for row in d["per_satellite"]}
    assert 0.0 < rows["DECAYING 28872"]["valid_fraction"] < 1.0
    assert rows["ISS (ZARYA)"]["valid_fraction"] == 1.0
    assert "DECAYING 28872: SGP4 error" in r.err and "masked" in r.err


def test_disk_full_leaves_no_partial_file(run_cli, tmp_path, monkeypatch):
    import orbitlink.cli.track as track_cli

    def full(f, *args):
        f.write("time,satellite\n")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(track_cli, "write_csv", full)
    out = tmp_path / "track.csv"
    r = run_cli("track", "--orbit", "550km", "--duration", "1h", "--csv", str(out))
    assert_cli_error(r, "output", "No space left")
    assert list(tmp_path.iterdir()) == []


def test_unwritable_location(run_cli):
    assert_cli_error(run_cli("track", "--orbit", "550km", "--duration", "1h",
                             "--geojson", "/proc/orbitlink-track.json"), "output", "cannot write")


# --- interrupts ---------------------------------------------------------------
# The child gets the default SIGINT disposition itself: a suite started as a
# background job (`pytest &`, nohup, some CI runners) runs with SIGINT ignored,
# and children inherit that.  Readiness is observed, not slept for: the hidden
# temporary output file appearing (the run is writing) or the SGP4 worker pool
# existing.  Deadlines only bound a hung run; they are not timing assumptions.
DEADLINE_S = 300.0
POLL_S = 0.02


def _default_sigint():
    # nohup also ignores SIGHUP, and children inherit it: the signal tests need the defaults.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def _start(args, cwd, out="out.csv"):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "orbitlink", "track", *args, "--csv", out],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=cwd, start_new_session=True, preexec_fn=_default_sigint)


def _wait_for(ready, proc):
    deadline = time.monotonic() + DEADLINE_S
    while not ready():
        if proc.poll() is not None:
            pytest.fail(f"the run ended (exit {proc.returncode}) before it was ready: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the run never became ready")
        time.sleep(POLL_S)


def _temporaries(folder):
    return [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def _workers(pid):
    psutil = pytest.importorskip("psutil")
    try:
        return psutil.Process(pid).children()
    except psutil.NoSuchProcess:
        return []


WRITING = ["--walker", "400/20/1", "--duration", "24h", "--step", "10s"]   # 3.5 M rows to write
SGP4_WORKERS = ["--tle", str(EPHEMERIS / "tle" / "starlink-sample.tle"), "--duration", "30d", "--step", "10s",
                "--propagator", "sgp4"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_signal_while_writing_leaves_no_file(sig, tmp_path):
    proc = _start(WRITING, tmp_path)
    _wait_for(lambda: _temporaries(tmp_path), proc)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)     # the whole group, as a terminal's Ctrl-C does
    else:
        os.kill(proc.pid, sig)       # kill PID / a closed terminal: the process alone
    out, err = proc.communicate(timeout=DEADLINE_S)
    assert proc.returncode == 128 + sig, err
    assert "Traceback" not in err
    assert f"orbitlink: interrupted ({sig.name})" in err
    assert list(tmp_path.iterdir()) == []  # no partial output, no temporary


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_signal_stops_sgp4_workers(sig, tmp_path):
    psutil = pytest.importorskip("psutil")
    proc = _start(SGP4_WORKERS, tmp_path)
    _wait_for(lambda: _workers(proc.pid), proc)
    workers = _workers(proc.pid)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)
    else:
        os.kill(proc.pid, sig)
    out, err = proc.communicate(timeout=DEADLINE_S)
    assert proc.returncode == 128 + sig, err
    assert "Traceback" not in err
    _, alive = psutil.wait_procs(workers, timeout=30)
    assert alive == []
    assert list(tmp_path.iterdir()) == []


def test_sigkill_workers_die_with_parent_and_next_run_cleans_up(run_cli, tmp_path, monkeypatch):
    psutil = pytest.importorskip("psutil")
    proc = _start(WRITING, tmp_path)
    _wait_for(lambda: _temporaries(tmp_path), proc)
    os.kill(proc.pid, signal.SIGKILL)   # no handler runs: the temporary stays behind
    proc.communicate(timeout=DEADLINE_S)
    stale = _temporaries(tmp_path)
    assert len(stale) == 1 and f"orbitlink-{proc.pid}@" in stale[0].name
    monkeypatch.chdir(tmp_path)
    r = run_cli("track", "--orbit", "550km", "--duration", "10min", "--csv", "out.csv")
    assert r.code == 0, r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]

    proc = _start(SGP4_WORKERS, tmp_path, out="out2.csv")
    _wait_for(lambda: _workers(proc.pid), proc)
    workers = _workers(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=DEADLINE_S)
    _, alive = psutil.wait_procs(workers, timeout=30)
    assert alive == []     # PR_SET_PDEATHSIG: the kernel stopped the orphaned workers


def test_sighup_ignored_by_nohup_stays_ignored(run_cli):
    from orbitlink.cli.main import _signals_as_interrupts

    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with _signals_as_interrupts():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    finally:
        signal.signal(signal.SIGHUP, previous)


# --- outputs onto special files ------------------------------------------------
TRACK = ("track", "--orbit", "550km", "--start", "2026-01-01T00:00:00Z", "--duration", "10min")


def _device_full(tmp_path):
    """A /dev/full node: a private copy when we may make one (root), else /dev/full itself
    (which an unprivileged run could not rename over anyway)."""
    if os.geteuid() == 0:
        node = tmp_path / "full"
        os.mknod(node, 0o666 | __import__("stat").S_IFCHR, os.makedev(1, 7))
        return node
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    return "/dev/full"


def test_dev_full_is_no_space_and_stays_a_device(run_cli, tmp_path):
    import stat

    node = _device_full(tmp_path)
    assert_cli_error(run_cli(*TRACK, "--csv", node), "output", "No space left")
    assert stat.S_ISCHR(os.stat(node).st_mode)
    assert [p.name for p in tmp_path.iterdir() if p.name != "full"] == []


def test_dev_null_and_dev_stdout_are_written_directly(tmp_path):
    import stat

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    (tmp_path / "to-stdout").symlink_to("/dev/stdout")
    r = subprocess.run([sys.executable, "-m", "orbitlink", *TRACK, "--csv", "to-stdout"],
                       capture_output=True, text=True, env=env, cwd=tmp_path, timeout=DEADLINE_S)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("time,satellite,lat_deg,lon_deg,alt_km\n")   # it reached the pipe
    assert os.path.islink(tmp_path / "to-stdout")
    r = subprocess.run([sys.executable, "-m", "orbitlink", *TRACK, "--csv", "/dev/null"],
                       capture_output=True, text=True, env=env, cwd=tmp_path, timeout=DEADLINE_S)
    assert r.returncode == 0, r.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_fifo_reader_gets_the_rows(tmp_path):
    import threading

    fifo = tmp_path / "rows.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()), daemon=True)
    reader.start()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-m", "orbitlink", *TRACK, "--csv", str(fifo), "--json"],
                       capture_output=True, text=True, env=env, cwd=tmp_path, timeout=DEADLINE_S)
    reader.join(DEADLINE_S)
    assert r.returncode == 0, r.stderr
    assert got and got[0].count("\n") == 12          # header + 11 samples
    assert fifo.is_fifo()


def test_symlinked_output_replaces_the_target_and_keeps_the_link(run_cli, tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to("real.csv")
    r = run_cli(*TRACK, "--csv", link)
    assert r.code == 0, r.err
    assert link.is_symlink()
    assert target.read_text().startswith("time,satellite")
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)   # an existing file keeps its mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "real.csv"]


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_new_output_honours_the_umask(run_cli, tmp_path, mask):
    old = os.umask(mask)
    try:
        r = run_cli(*TRACK, "--csv", tmp_path / "out.csv")
    finally:
        os.umask(old)
    assert r.code == 0, r.err
    assert (tmp_path / "out.csv").stat().st_mode & 0o777 == 0o666 & ~mask


def test_stale_temporary_of_a_dead_run_is_removed_live_ones_kept(run_cli, tmp_path):
    from orbitlink.cli.output_files import _host

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".out.csv.orbitlink-{dead.pid}@{_host()}.abc123.tmp"
    live = tmp_path / f".out.csv.orbitlink-{os.getppid()}@{_host()}.def456.tmp"
    other = tmp_path / ".out.csv.unrelated.tmp"
    for p in (stale, live, other):
        p.write_text("partial")
    r = run_cli(*TRACK, "--csv", tmp_path / "out.csv")
    assert r.code == 0, r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.csv", live.name, other.name])


@pytest.mark.parametrize("path", ["", " "])
def test_empty_output_path(run_cli, path):
    assert_cli_error(run_cli(*TRACK, "--csv", path), "output", "empty")


def test_output_into_a_folder(run_cli, tmp_path):
    assert_cli_error(run_cli(*TRACK, "--csv", tmp_path), "output", "folder")


def test_broken_pipe_exits_0(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "orbitlink", "track", "--orbit", "550km", "--duration", "30d",
                             "--csv", "-"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    proc.stdout.readline()          # `| head -1`
    proc.stdout.close()
    _, err = proc.communicate(timeout=DEADLINE_S)
    assert proc.returncode == 0, err
    assert b"Traceback" not in err


# --- --dask at things that are not a scheduler (loopback only, bounded by --dask-timeout) ---
DASK_RUN = ("eclipse", "--orbit", "550km", "--start", "2026-01-01T00:00:00Z", "--duration", "1d",
            "--dask-timeout", "2s", "--dask")


@pytest.fixture
def silent_listener():
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(5)
    for c in accepted:
        c.close()
    server.close()


@pytest.fixture
def http_server():
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Answer(BaseHTTPRequestHandler):
        def handle(self):      # answer anything at once, whatever was sent
            self.wfile.write(b"HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    server = HTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_dask_silent_listener_times_out(run_cli, silent_listener):
    pytest.importorskip("distributed")
    assert_cli_error(run_cli(*DASK_RUN, silent_listener), "dask", "within 2 s", "--dask-timeout")


def test_dask_http_server_is_not_a_scheduler(run_cli, http_server):
    pytest.importorskip("distributed")
    assert_cli_error(run_cli(*DASK_RUN, http_server), "dask", http_server)


@pytest.mark.parametrize("address", ["tls://127.0.0.1:1", "inproc://x", "ucx://127.0.0.1:1",
                                     "tcp://127.0.0.1:1"])
def test_dask_unusable_transports(run_cli, address):
    pytest.importorskip("distributed")
    assert_cli_error(run_cli(*DASK_RUN, address), "dask", address)


def test_dask_timeout_bounds(run_cli):
    assert_cli_error(run_cli(*DASK_RUN[:-3], "--dask-timeout", "0s", "--dask", "tcp://127.0.0.1:1"),
                     "dask-timeout")


def test_an_interrupt_swallowed_by_a_finalizer_still_stops_the_output(tmp_path, capsys):
    """The SIGTERM handler's exception is lost when it lands in a __del__ or weakref callback
    (seen once in a CI run: the command then finished and exited 0).  The signal is remembered:
    the output is not put in place, the command ends as interrupted, and no "Exception ignored"
    traceback is printed."""
    import gc

    from orbitlink.cli import interrupts, main
    from orbitlink.cli.common import output_file

    class Finalizer:
        def __del__(self):
            interrupts.handle(signal.SIGTERM, None)     # what the handler does, inside a finalizer

    out = tmp_path / "out.csv"
    with main._signals_as_interrupts():
        Finalizer()                                     # collected at once: the exception is swallowed
        gc.collect()
        assert interrupts.pending == [signal.SIGTERM]
        with pytest.raises(interrupts.Interrupted):
            with output_file(str(out)) as f:
                f.write("time,value\n")
    assert list(tmp_path.iterdir()) == []               # neither the output nor its temporary
    assert "Exception ignored" not in capsys.readouterr().err
    assert interrupts.pending == [signal.SIGTERM]
    with main._signals_as_interrupts():                 # the next command starts clean
        assert interrupts.pending == []
