"""The executor seam: run render tasks somewhere, get results back, in any order.

A task is a plain, picklable dict; ``render_task`` is a module-level function; results are
plain dicts.  ``LocalPoolExecutor`` runs them in a local process pool (all cores by
default); a distributed queue can implement the same two methods later without any
change to the batch logic.  At most ``window`` tasks are in flight, so memory stays flat
however long the batch is.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol

from ..output import sha256_file


class Executor(Protocol):
    def run(self, fn: Callable[[dict], dict], tasks: Iterable[dict]) -> Iterator[tuple[dict, dict | BaseException]]:
        """Yield (task, result or exception) as tasks finish."""

    def close(self) -> None: ...


# A worker allocates ~100,000 short-lived objects per letter.  With Python's default
# threshold (700) the collector runs hundreds of times per batch and walks the whole warm
# heap (WeasyPrint, fonts, dictionary) at every full collection: about 5 ms per letter.
# The warm heap is frozen (never scanned, and not copied into the forked workers by the
# collector's writes), and the young generation is collected less often.
WORKER_GC_THRESHOLD = (20_000, 20, 20)


def worker_init() -> None:
    """Load WeasyPrint, fonts, the tokenizer and templates once per worker process."""
    from ..render import pdf
    pdf.warm_up()


def worker_gc() -> None:
    """In a worker: the collector tuned for rendering (see ``WORKER_GC_THRESHOLD``), and its
    font folders removed when it exits (``docgen.render.fonts``)."""
    from ..render import fonts
    fonts.at_worker_exit()
    gc.set_threshold(*WORKER_GC_THRESHOLD)


def spawned_worker_init(budget: float | None = None) -> None:
    from .. import render
    render.set_budget(budget)          # the driver's --timeout (a forked worker inherits it)
    worker_init()
    gc.freeze()
    worker_gc()                        # (and its font folders removed at its exit)


def render_task(task: dict) -> dict:
    """Compose and render one letter from a task; returns paths, hashes and the ที่ line.

    task: {"letter": mapping, "base": folder for relative paths, "overrides": {...},
           "out_dir": folder, "stem": file stem, "formats": [...], "today": iso date}

    Every format or none is written (``api.render``).  Compose and render share the render
    time budget: a worker runs tasks in its main thread, so an alarm stops a render over
    budget (``RenderTimeout``, reported for that letter) and the worker takes the next task.
    """
    import datetime as dt

    from .. import api, render
    today = dt.date.fromisoformat(task["today"]) if task.get("today") else None
    render.prepare(task["formats"])          # loaded once per worker (worker_init): outside the budget
    with render.deadline():
        composed, problems = api.compose_mapping(task["letter"], Path(task["base"]),
                                                 task.get("overrides"), today)
        if task.get("distribution") is not None:
            from .circular import attach_distribution
            attach_distribution(composed, task["distribution"])
        paths = api.render(composed, task["out_dir"], task["stem"], tuple(task["formats"]))
    return {"paths": {f: str(p) for f, p in paths.items()},
            "sha256": {f: sha256_file(p) for f, p in paths.items()},
            "ref_text": composed.ref_text, "date_text": composed.date_text,
            "warnings": [p.to_dict() for p in problems.warnings]}


class SerialExecutor:
    """Runs tasks in this process (tests, --jobs 1, debugging)."""

    def run(self, fn, tasks):
        for task in tasks:
            try:
                yield task, fn(task)
            except Exception as e:          # one failing letter does not stop the batch
                yield task, e

    def close(self) -> None:
        pass


class LocalPoolExecutor:
    """A local process pool with a bounded window of tasks in flight.

    Where the platform can fork, this process loads WeasyPrint, the fonts, the tokenizer and
    the templates once and the workers are forked from it, warm (a spawned worker would
    spend about a second loading them again).  Workers never use the driver's database
    connections: they only render, and forked workers leave through ``os._exit``, so the
    inherited connections are never touched or closed.  Elsewhere: ``spawn`` + warm-up.
    """

    def __init__(self, jobs: int | None = None, window: int | None = None):
        from ..render import fonts
        fonts.sweep()                    # font folders of killed workers or batches
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self._frozen = False
        self.window = window or self.jobs * 2
        initargs: tuple = ()
        if "fork" in multiprocessing.get_all_start_methods():
            worker_init()
            gc.freeze()                  # the warm heap: shared with the workers, never scanned
            self._frozen = True
            ctx, init = multiprocessing.get_context("fork"), worker_gc
        else:
            from .. import render
            ctx, init = multiprocessing.get_context("spawn"), spawned_worker_init
            initargs = (render.budget_override(),)
        self.pool = ProcessPoolExecutor(self.jobs, mp_context=ctx, initializer=init, initargs=initargs)

    def run(self, fn, tasks):
        tasks = iter(tasks)
        running: dict[Future, dict] = {}

        def fill():
            while len(running) < self.window:
                try:
                    task = next(tasks)
                except StopIteration:
                    return
                running[self.pool.submit(fn, task)] = task

        fill()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                task = running.pop(fut)
                try:
                    yield task, fut.result()
                except Exception as e:
                    yield task, e
            fill()

    def close(self) -> None:
        from ..render import fonts
        self.pool.shutdown(wait=True, cancel_futures=True)
        fonts.sweep()                    # a worker that died (killed, crashed) left its font folder
        if self._frozen:                 # an application that ran a batch gets its collector back
            gc.unfreeze()
            self._frozen = False


def make(jobs: int | None) -> Executor:
    return SerialExecutor() if jobs == 1 else LocalPoolExecutor(jobs)
