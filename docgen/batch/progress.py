"""The batch's progress bar (tqdm): total, bar, rate and ETA on a terminal; silent otherwise.

``Progress(total)`` counts letters as they finish (``step(ok)``) and ``close()`` ends the
line.  ``total`` is the number of the sheet's recipient rows (``recipients.count``); with
``None`` the bar shows the count and the rate only.  Nothing is written when the stream is
not a terminal (a pipe, a log file, CI) unless ``enabled=True``.
"""
from __future__ import annotations

import io
import os
import sys

from tqdm import tqdm

from ..i18n import N_, tag

# "[#####.....] 3/10 2.1 ฉบับ/letters/s ETA 00:03, ไม่สำเร็จ/failed 1"
BAR_FORMAT = "[{bar:30}] {n_fmt}/{total_fmt} {rate_fmt} ETA {remaining}{postfix}"
COUNT_FORMAT = "{n_fmt} {rate_fmt} {elapsed}{postfix}"      # no total: no bar, no ETA
LETTERS, FAILED = N_("letters"), N_("failed")


class Progress:
    def __init__(self, total: int | None, stream=None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.total, self.done, self.failed = total, 0, 0
        self._bar = tqdm(total=total, file=self.stream, disable=not enabled, unit=" " + tag(LETTERS),
                         bar_format=BAR_FORMAT if total else COUNT_FORMAT, ascii=" #",
                         ncols=_columns(self.stream), nrows=24, leave=True, mininterval=0.1, smoothing=0.3)

    def step(self, ok: bool = True) -> None:
        self.done += 1
        if not ok:
            self.failed += 1
            self._bar.set_postfix_str(tag(FAILED) + f" {self.failed}", refresh=False)
        self._bar.update(1)

    def close(self) -> None:
        self._bar.close()


def _columns(stream) -> int:
    """The terminal's width; a terminal that reports none (0 columns: a fresh pty, some CI
    consoles) gets 100, where tqdm would cut the line to nothing."""
    try:
        cols = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        cols = 0
    return cols if cols > 0 else 100
