"""Register service on SQLite and PostgreSQL: issue, resume, burn, reserve, cancel, years.

The renderer is replaced by a fake here (what is tested is the register, not the PDF).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from docgen.register import service, store
from docgen.register.errors import RegisterError
from docgen.register.keys import SeriesKey
from docgen.thai.dates import BANGKOK

from .test_register_support import (assert_consistent, db_url, engine, pg_database,  # noqa: F401
                                    use_fake_renderer, write_letter)

NOW = dt.datetime(2024, 5, 30, 10, 0, tzinfo=BANGKOK)
FMT = ("pdf",)


@pytest.fixture(autouse=True)
def fake(monkeypatch):
    use_fake_renderer(monkeypatch)


def issue(engine, path, **kw):
    kw.setdefault("now", NOW)
    return service.issue(engine, path, path.parent / "out", FMT, by="tester", **kw)


def test_numbers_run_and_circulars_have_their_own_series(engine, tmp_path):
    a = issue(engine, write_letter(tmp_path, "a.yaml", subject="เรื่องหนึ่ง"))
    b = issue(engine, write_letter(tmp_path, "b.yaml", subject="เรื่องสอง"))
    c = issue(engine, write_letter(tmp_path, "c.yaml", subject="เรื่องเวียน", circular=True))
    assert [a.entry["number"], b.entry["number"], c.entry["number"]] == [1, 2, 1]
    assert a.entry["ref_text"] == "ที่ นร ๑๒๐๐/๑" and c.entry["ref_text"] == "ที่ นร ๑๒๐๐/ว ๑"
    assert c.entry["series"] == "ว" and a.entry["year"] == 2567
    assert a.paths["pdf"].read_text(encoding="utf-8").startswith("ที่ นร ๑๒๐๐/๑|")
    row = a.entry
    assert (row["status"], row["agency"], row["recipient"], row["subject"], row["issued_by"]) == \
        ("issued", "สำนักงาน ก.พ.ร.", "ปลัดกระทรวงการคลัง", "เรื่องหนึ่ง", "tester")
    assert row["letter_date"] == "2024-05-30" and row["issued_at"].endswith("+07:00")
    assert len(row["content_hash"]) == 64
    assert_consistent(engine)


def test_same_content_returns_the_existing_record_unless_new(engine, tmp_path):
    path = write_letter(tmp_path, number=999)          # a number in the file is ignored
    first = issue(engine, path)
    again = issue(engine, path)
    assert again.outcome == "existing" and again.entry["id"] == first.entry["id"]
    fresh = issue(engine, path, new=True)
    assert fresh.outcome == "issued" and fresh.entry["number"] == 2
    assert fresh.paths["pdf"] != first.paths["pdf"] and first.paths["pdf"].is_file()
    assert_consistent(engine)


def test_profile_change_is_new_content(engine, tmp_path):
    path = write_letter(tmp_path)
    first = issue(engine, path)
    profile = tmp_path / "profiles" / "opdc.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("0 2356 9999", "0 2356 9000"),
                       encoding="utf-8")
    assert issue(engine, path).entry["number"] == first.entry["number"] + 1


def test_bad_letter_never_takes_a_number(engine, tmp_path):
    from docgen.errors import InputError
    with pytest.raises(InputError):
        issue(engine, write_letter(tmp_path, "bad.yaml", subject=""))
    assert issue(engine, write_letter(tmp_path)).entry["number"] == 1


def test_render_failure_burns_the_number_visibly(engine, tmp_path, monkeypatch):
    def broken(composed, target):
        Path(target).write_text("half")
        raise RuntimeError("font exploded")
    use_fake_renderer(monkeypatch, broken)
    path = write_letter(tmp_path)
    with pytest.raises(RegisterError) as e:
        issue(engine, path)
    assert "ที่ นร ๑๒๐๐/๑" in str(e.value) and "font exploded" in str(e.value)
    rows = assert_consistent(engine)
    assert [(r["number"], r["status"]) for r in rows] == [(1, "cancelled")]
    assert "font exploded" in rows[0]["reason"]
    assert not list((tmp_path / "out").iterdir())          # no partial output, no staging left
    use_fake_renderer(monkeypatch)
    assert issue(engine, path).entry["number"] == 2        # never reused


def test_pending_entry_is_resumed_with_the_same_number_and_date(engine, tmp_path):
    path = write_letter(tmp_path)
    p = service.prepare(path, NOW.date())
    entry, outcome = service.claim(engine, p, NOW, "tester")      # … then the process died
    assert outcome == "issued" and entry["status"] == "pending"
    later = NOW + dt.timedelta(days=3)
    resumed = issue(engine, path, now=later)
    assert resumed.outcome == "resumed" and resumed.entry["number"] == entry["number"]
    assert resumed.entry["status"] == "issued" and resumed.entry["letter_date"] == "2024-05-30"
    assert "๓๐ พฤษภาคม ๒๕๖๗" in resumed.paths["pdf"].read_text(encoding="utf-8")
    assert_consistent(engine)


def test_claim_many_numbers_several_letters_in_one_transaction(engine, tmp_path):
    """A batch claims a few letters at a time: consecutive numbers, one per content; a
    content already claimed is found again (resumed), never numbered twice."""
    ps = [service.prepare(write_letter(tmp_path, f"{i}.yaml", subject=f"เรื่องที่ {i}"), NOW.date())
          for i in range(4)]
    circ = service.prepare(write_letter(tmp_path, "c.yaml", subject="เวียน", circular=True), NOW.date())
    first, _ = service.claim(engine, ps[0], NOW, "tester")
    got = service.claim_many(engine, [ps[0], ps[1], circ, ps[2], ps[1], ps[3]], NOW, "tester",
                             batch_id="b1")
    assert [o for _, o in got] == ["resumed", "issued", "issued", "issued", "resumed", "issued"]
    assert got[0][0]["id"] == first["id"] and got[4][0]["id"] == got[1][0]["id"]
    assert [e["number"] for e, _ in got] == [1, 2, 1, 3, 2, 4]
    assert got[2][0]["series"] == "ว" and all(e["status"] == "pending" for e, _ in got)
    assert {e["batch_id"] for e, o in got if o == "issued"} == {"b1"}
    rows = assert_consistent(engine)
    assert len(rows) == 5


def test_cancel_during_rendering_discards_the_files(engine, tmp_path, monkeypatch):
    path = write_letter(tmp_path)

    def cancelling(composed, target):
        Path(target).write_text("x")
        key = SeriesKey("นร 1200", "ปกติ", 2567)
        service.cancel(engine, key, 1, "ยกเลิกระหว่างพิมพ์", now=NOW)
    use_fake_renderer(monkeypatch, cancelling)
    with pytest.raises(RegisterError) as e:
        issue(engine, path)
    assert e.value.code == "cancelled-during-render"
    assert not list((tmp_path / "out").iterdir())
    rows = assert_consistent(engine)
    assert rows[0]["status"] == "cancelled" and not rows[0]["files"]


@pytest.mark.parametrize("year_start, before, after, years", [
    ("calendar", dt.datetime(2024, 12, 31, 23, 59), dt.datetime(2025, 1, 1, 0, 1), (2567, 2568)),
    ("fiscal", dt.datetime(2024, 9, 30, 23, 59), dt.datetime(2024, 10, 1, 0, 1), (2567, 2568)),
])
def test_year_rollover_restarts_at_one(engine, tmp_path, year_start, before, after, years):
    before, after = before.replace(tzinfo=BANGKOK), after.replace(tzinfo=BANGKOK)
    a = issue(engine, write_letter(tmp_path, "a.yaml", subject="ก", year_start=year_start), now=before)
    b = issue(engine, write_letter(tmp_path, "b.yaml", subject="ข", year_start=year_start), now=before)
    c = issue(engine, write_letter(tmp_path, "c.yaml", subject="ค", year_start=year_start), now=after)
    assert [(r.entry["year"], r.entry["number"]) for r in (a, b, c)] == \
        [(years[0], 1), (years[0], 2), (years[1], 1)]
    assert c.entry["letter_date"] == after.date().isoformat()     # no date → today in Bangkok
    assert_consistent(engine)


def test_rollover_is_bangkok_time_not_utc(engine, tmp_path):
    utc_evening = dt.datetime(2024, 12, 31, 17, 1, tzinfo=dt.timezone.utc)   # 00:01 in Bangkok
    r = issue(engine, write_letter(tmp_path), now=utc_evening)
    assert (r.entry["year"], r.entry["letter_date"]) == (2568, "2025-01-01")


def test_reserve_cancel_and_lookup(engine, tmp_path):
    issue(engine, write_letter(tmp_path))
    rows = service.reserve(engine, "นร ๑๒๐๐", "ปกติ", 3, "หนังสือเขียนมือ", by="x", now=NOW)
    assert [r["number"] for r in rows] == [2, 3, 4] and {r["status"] for r in rows} == {"reserved"}
    key = SeriesKey("นร 1200", "ปกติ", 2567)
    done = service.cancel(engine, key, 3, "ไม่ได้ใช้", now=NOW)
    assert done["status"] == "cancelled" and done["reason"] == "ไม่ได้ใช้"
    with pytest.raises(RegisterError) as e:
        service.cancel(engine, key, 3, "อีกครั้ง", now=NOW)
    assert e.value.code == "already-cancelled"
    with pytest.raises(RegisterError) as e:
        service.cancel(engine, key, 99, "ไม่มี", now=NOW)
    assert e.value.code == "number-missing"
    with pytest.raises(RegisterError) as e:
        service.cancel(engine, key, 2, "   ", now=NOW)
    assert e.value.code == "reason-required"
    assert issue(engine, write_letter(tmp_path, "n.yaml", subject="ใหม่")).entry["number"] == 5
    assert_consistent(engine)


def test_search_is_text_not_sql(engine, tmp_path):
    issue(engine, write_letter(tmp_path, "a.yaml", subject="งบประมาณ 100% ของปี"))
    issue(engine, write_letter(tmp_path, "b.yaml", subject="การประชุม", to="อธิบดีกรมบัญชีกลาง"))
    def search(text):
        return [r["subject"] for r in service.entries(engine, search=text)]
    printed = "งบประมาณ ๑๐๐% ของปี"                         # stored as printed: Thai digits
    assert search("งบประมาณ") == [printed]
    assert search("บัญชีกลาง") == ["การประชุม"]
    assert search("100%") == [printed] and search("๑๐๐") == [printed]
    assert search("%") == [printed]                          # % is a character, not a wildcard
    assert search("_") == []
    assert search("' OR 1=1 --") == []
    assert search("x'); DROP TABLE register_entry; --") == []
    assert len(service.entries(engine)) == 2


def test_read_commands_never_create_the_sqlite_file(tmp_path):
    engine = store.make_engine(f"sqlite:///{tmp_path / 'none.db'}")
    with pytest.raises(RegisterError) as e:
        service.entries(engine)
    assert e.value.code == "register-missing" and not (tmp_path / "none.db").exists()


def test_init_is_idempotent(engine):
    assert store.init_schema(engine, "a") == store.SCHEMA_VERSION
    assert store.init_schema(engine, "b") == store.SCHEMA_VERSION
    with store.transaction(engine, read=True) as conn:
        assert store.current_version(conn) == store.SCHEMA_VERSION


def test_unique_constraint_is_the_last_line_of_defence(engine):
    from sqlalchemy.exc import IntegrityError
    store.init_schema(engine, "x")
    row = dict(prefix="นร 1200", series="ปกติ", year=2567, number=7, status="reserved",
               ref_text="x", issued_at="x", updated_at="x")
    with store.transaction(engine) as conn:
        store.insert_entries(conn, [row])
    with pytest.raises((IntegrityError, RegisterError)):
        with engine.begin() as conn:
            store.insert_entries(conn, [row])


def test_renders_the_letter_that_was_hashed_even_if_the_file_changes(engine, tmp_path, monkeypatch):
    """The letter is read once: a file edited between numbering and rendering cannot slip a
    different text under the number (the register's content hash would no longer match it)."""
    letter = write_letter(tmp_path)
    original = letter.read_text(encoding="utf-8")
    claim = service.claim

    def claim_then_someone_edits(*args, **kwargs):
        got = claim(*args, **kwargs)
        letter.write_text(original.replace("subject:", "subject: แก้ไขแล้ว"), encoding="utf-8")
        return got

    def renderer(composed, target):
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_text(composed.subject, encoding="utf-8")
    monkeypatch.setattr(service, "claim", claim_then_someone_edits)
    use_fake_renderer(monkeypatch, renderer)
    result = service.issue(engine, letter, tmp_path / "out", ("pdf",))
    printed = result.paths["pdf"].read_text(encoding="utf-8")
    assert "แก้ไขแล้ว" not in printed and printed == result.entry["subject"]
