"""Run every benchmark and print one table (orbitlink vs its peer, same machine, same run).

``python -m benchmarks.run_all [--quick] [--markdown docs/performance.md]``

Each benchmark module exposes ``run(quick) -> list[dict]`` with the keys
work, orbitlink_s, peer, peer_s, ratio, peak_mib; each case runs in its own
process (see benchmarks/_harness.py) so peak memory is per case.
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
import time

from benchmarks._harness import print_table

MODULES = ("propagate", "eclipse", "visibility", "latency", "scale", "schedule", "memory", "design")


def machine() -> str:
    import numpy

    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}, "
            f"numpy {numpy.__version__}{_huge_pages()}")


def _huge_pages() -> str:
    """The kernel's transparent-huge-page policy: it decides what fresh memory costs
    (numpy asks for huge pages on large arrays; docs/performance.md)."""
    def setting(name):
        try:
            with open(f"/sys/kernel/mm/transparent_hugepage/{name}") as f:
                text = f.read()
        except OSError:
            return None
        return text[text.find("[") + 1:text.find("]")] if "[" in text else text.strip()

    enabled, defrag = setting("enabled"), setting("defrag")
    return "" if enabled is None else f", transparent huge pages {enabled} (defrag {defrag})"


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    rows = []
    for name in MODULES:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ImportError as exc:
            print(f"skipping {name}: {exc}", file=sys.stderr)
            continue
        t0 = time.perf_counter()
        rows.extend(module.run(quick=quick))
        print(f"{name}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    print(machine())
    print_table(rows)
    if "--markdown" in argv:
        path = argv[argv.index("--markdown") + 1]
        kept = _hand_written(path)
        with open(path, "w", encoding="utf-8") as f:
            f.write(markdown(rows, quick) + kept)
    return 0


# What follows this line in the Markdown file is the hand-written assessment of
# the run; regenerating the table keeps it (it must then be re-read and updated).
HAND_WRITTEN = "<!-- hand-written assessment below: kept when the table is regenerated -->"


def _hand_written(path) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return ""
    at = text.find(HAND_WRITTEN)
    return "\n" + text[at:] if at >= 0 else ""


def markdown(rows, quick) -> str:
    lines = [
        "# Performance",
        "",
        f"Measured with `python -m benchmarks.run_all{' --quick' if quick else ''}` on {machine()}.",
        "Each case runs in a fresh process; peer times are measured in the same run (sampled and",
        "extrapolated where the peer would take minutes). Ratios above 1 mean orbitlink is faster.",
        "",
        "| work | orbitlink | peer | peer time | ratio | peak memory |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['work']} | {r['orbitlink_s']:.2f} s | {r['peer']} | {r['peer_s']:.2f} s | "
                     f"{r['ratio']:.1f}x | {r['peak_mib']:.0f} MiB |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
