"""A progress bar on stderr for long commands (latency, design): quiet for short runs and pipes."""

from __future__ import annotations

import sys
import time

# Show a progress bar only once a run has taken this long (short runs stay quiet).
PROGRESS_AFTER_S = 1.0

__all__ = ["PROGRESS_AFTER_S", "ProgressBar"]


class ProgressBar:
    """A rich progress bar on stderr that appears only once the run has lasted PROGRESS_AFTER_S
    (and only on a terminal, so pipes and captured output stay clean)."""

    def __init__(self, t0: float):
        self.t0 = t0
        self.progress = None
        self.task = None
        self.enabled = sys.stderr.isatty()

    def __call__(self, stage: str, fraction: float) -> None:
        """The progress callback (orbitlink.report.Progress): ``fraction`` of ``stage`` is done."""
        if not self.enabled:
            return
        overall = min(max(fraction, 0.0), 1.0)     # each caller reports one stage at a time
        if self.progress is None:
            if time.perf_counter() - self.t0 < PROGRESS_AFTER_S:
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(TextColumn("{task.description:<22}"), BarColumn(),
                                     TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self.progress.start()
            self.task = self.progress.add_task(stage, total=1.0)
        self.progress.update(self.task, completed=overall, description=stage)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
