"""A progress bar with rate and ETA on a terminal; silent otherwise."""
from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int | None, stream=None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total, self.done, self.failed = total, 0, 0
        self.start = time.monotonic()

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.start, 1e-6)
        rate = self.done / elapsed
        parts = [f"{self.done}" + (f"/{self.total}" if self.total else "")]
        if self.total:
            filled = int(30 * self.done / self.total)
            parts.insert(0, "[" + "#" * filled + "." * (30 - filled) + "]")
            if rate > 0:
                parts.append(f"ETA {max(self.total - self.done, 0) / rate:.0f} s")
        parts.insert(-1 if self.total and rate > 0 else len(parts), f"{rate:.1f} ฉบับ/s letters/s")
        if self.failed:
            parts.append(f"failed {self.failed}")
        return " ".join(parts)

    def step(self, ok: bool = True) -> None:
        self.done += 1
        self.failed += not ok
        if self.enabled:
            self.stream.write("\r" + self.line())
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
