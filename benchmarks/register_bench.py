"""Register benchmark: allocations/s (SQLite, PostgreSQL; 1 and 8 clients) and issue vs render.

    .venv/bin/python benchmarks/register_bench.py [--pg postgresql://postgres@127.0.0.1:5432/postgres]

Writes benchmarks/results/register.md.  An allocation is one committed transaction that
takes the next number and inserts its register row (what ``issue`` does before rendering).
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.register import service, store  # noqa: E402
from docgen.register.keys import SeriesKey  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "register.md"


def _client(url: str, count: int, barrier) -> float:
    engine = store.make_engine(url, timeout=60)
    key = SeriesKey("นร 1200", "ปกติ", 2567)
    with store.transaction(engine) as conn:          # connect + warm the pool outside the clock
        store.lock_sequence(conn, key)
    barrier.wait()
    start = time.perf_counter()
    for _ in range(count):
        with store.transaction(engine) as conn:
            n = store.allocate(conn, key)[0]
            store.insert_entries(conn, [dict(prefix=key.prefix, series=key.series, year=key.year,
                                             number=n, status="reserved", ref_text=str(n),
                                             issued_at="x", updated_at="x")])
    engine.dispose()
    return time.perf_counter() - start


def allocations_per_second(url: str, clients: int, each: int) -> float:
    engine = store.make_engine(url)
    with engine.begin() as c:
        store.metadata.drop_all(c)
    store.init_schema(engine, "bench", prefix="นร 1200")
    engine.dispose()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Manager().Barrier(clients + 1)
    with ctx.Pool(clients) as pool:
        pending = pool.starmap_async(_client, [(url, each, barrier)] * clients)
        barrier.wait()
        start = time.perf_counter()
        pending.get()
        elapsed = time.perf_counter() - start
    return clients * each / elapsed


def issue_overhead(url: str, letter: Path, formats, runs: int = 15) -> tuple[float, float, float]:
    """Medians of api.render_file and service.issue (--new) for one letter, warm, run in pairs,
    and the median of the paired differences (steadier than a difference of medians on a
    shared machine)."""
    from docgen import api
    engine = store.make_engine(url)
    out = Path(tempfile.mkdtemp())
    api.render_file(letter, out, formats, overrides={"number": 1})      # warm caches
    service.issue(engine, letter, out, formats, new=True)
    render_t, issue_t = [], []
    for _ in range(runs):
        t = time.perf_counter()
        api.render_file(letter, out, formats, overrides={"number": 1})
        render_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        service.issue(engine, letter, out, formats, new=True)
        issue_t.append(time.perf_counter() - t)
    engine.dispose()
    diffs = [i - r for r, i in zip(render_t, issue_t)]
    return statistics.median(render_t), statistics.median(issue_t), statistics.median(diffs)


def pg_database(base: str):
    import sqlalchemy as sa
    name = f"docgen_bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(store.to_sa_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = store.to_sa_url(base).set(database=name).render_as_string(hide_password=False)

    def drop():
        with admin.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return url, drop


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", default=os.environ.get("DOCGEN_TEST_PG_URL"))
    ap.add_argument("--each", type=int, default=300)
    ap.add_argument("--formats", default="pdf")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    backends = [("SQLite (WAL, synchronous=FULL)", f"sqlite:///{tmp / 'bench.db'}", None)]
    if args.pg:
        url, drop = pg_database(args.pg)
        backends.append(("PostgreSQL", url, drop))
    lines = ["# Register benchmark", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} CPU(s) (shared), Python {platform.python_version()}, "
             f"{time.strftime('%Y-%m-%d')}. `benchmarks/register_bench.py`.", "",
             "Allocation = one committed transaction: next number (atomic upsert) + its register row.", "",
             "| backend | clients | allocations/s |", "|---|---:|---:|"]
    try:
        for name, url, _ in backends:
            for clients in (1, 8):
                rate = allocations_per_second(url, clients, args.each)
                lines.append(f"| {name} | {clients} | {rate:,.0f} |")
                print(lines[-1], flush=True)
        formats = tuple(args.formats.split(","))
        letter = ROOT / "examples" / "01_external_references.yaml"
        lines += ["", f"Issue vs render, one letter ({letter.name}, formats {','.join(formats)}), "
                  "medians of 15 warm runs in one process, overhead = median of the paired differences (`issue --new`: validate, hash, register check, "
                  "free-name check, 2 write transactions (agency check, number; issued + revision 1), "
                  "staging + no-clobber link, SHA-256 of the outputs). Aim: ≤ 20 ms over render "
                  "(issue 8); 8-client SQLite allocation ≥ 500/s:", "",
                  "| backend | render | issue | overhead |", "|---|---:|---:|---:|"]
        jobs = [(name, url, formats, False) for name, url, _ in backends]
        jobs += [(name + ", no-op renderer", url, formats, True) for name, url, _ in backends]
        for name, url, fmts, noop in jobs:
            try:
                if noop:                         # isolates the register's own cost
                    from docgen import render
                    render.get = lambda fmt: (lambda composed, target: Path(target).write_bytes(b"x"))
                r, i, d = issue_overhead(url, letter, fmts)
                lines.append(f"| {name} | {r * 1000:.1f} ms | {i * 1000:.1f} ms | {d * 1000:+.1f} ms |")
            except Exception as e:               # renderer not available yet
                lines.append(f"| {name} | – | – | not measured: {str(e)[:120]} |")
            else:
                pass
            print(lines[-1], flush=True)
    finally:
        for _, _, drop in backends:
            if drop:
                drop()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"→ {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
