"""Issue 13, part "input files, register URLs, recipient sheets, file names": hostile input
never crashes docgen, never hangs it and never leaves a file behind.

Every test drives real code (``docgen.cli.main`` or the module it names) and asserts: exit code
0 or 1, a bilingual message naming the field, no "internal error"/"Traceback", nothing left in
the output folder on failure.  Each one failed on the code as it was before this work.
"""
from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import signal
import time
import zipfile
from pathlib import Path

import pytest

from docgen import api, limits
from docgen.batch import recipients
from docgen.cli import main
from docgen.errors import InputError, os_error, reading
from docgen.input import parse_mapping, read_mapping
from docgen.output import atomic_path, atomic_write
from docgen.register import store

from .conftest import write_letter
from tests.test_register_support import make_register

LETTER = """
type: external
profile: profiles/opdc.yaml
date: 2025-01-20
to: ปลัดกระทรวงการคลัง
subject: การประเมินผล
body: [สำนักงาน ก.พ.ร. ขอแจ้งผลการประเมิน]
purpose: จึงเรียนมาเพื่อโปรดทราบ
"""

NOTICE = """
type: external
profile: profiles/opdc.yaml
date: 2025-01-20
subject: การแจ้งมติคณะกรรมการพัฒนาระบบราชการ
body:
  - ขอเชิญ{{ recipient.agency }} ส่งผู้แทนจำนวน {{ recipient.seats }} คน
purpose: โปรดทราบ
"""


def cli(capsys, *argv) -> tuple[int, str]:
    rc = main([str(a) for a in argv])
    cap = capsys.readouterr()
    text = cap.out + cap.err
    assert rc in (0, 1), text
    assert "Traceback" not in text and "internal error" not in text, text
    return rc, text


@contextlib.contextmanager
def within(seconds: float):
    """Fail (instead of hanging the suite) if the block takes longer than ``seconds``."""
    def expired(*_):
        raise TimeoutError(f"took longer than {seconds} s")
    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _register(tmp_path: Path) -> str:
    return make_register(tmp_path)


def _csv(path: Path, rows) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def _names_fit(folder: Path) -> None:
    for p in folder.rglob("*"):
        assert len(p.name.encode()) <= 255, p.name


# --- 1. YAML alias bombs -------------------------------------------------------------------------

def _alias_bomb(levels: int = 9, width: int = 9) -> str:
    """~20 kB: each level a list of ``width`` aliases of the one below (width**levels leaves)."""
    lines = ["base: &l0 [" + ", ".join(["ขอแจ้งผลการประเมิน" * 20] * 9) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return "type: external\nprofile: profiles/opdc.yaml\n" + "\n".join(lines) + f"\nbody: *l{levels}\n"


def test_alias_bomb_is_refused_while_loading_in_well_under_a_second(tmp_path, capsys):
    letter = write_letter(tmp_path, _alias_bomb(), "bomb.yaml")
    assert 1000 < letter.stat().st_size < 30000
    start = time.perf_counter()
    with within(5), pytest.raises(InputError) as e:
        read_mapping(letter)
    assert time.perf_counter() - start < 0.5
    p = e.value.problems[0]
    assert p.code == "file-expanded" and "bomb.yaml" in p.th and "bomb.yaml" in p.en
    assert str(limits.get("files.expanded_nodes")) in p.en
    with within(10):
        rc, out = cli(capsys, "check", letter)
    assert rc == 1 and "YAML aliases" in out and "alias" in out and "ผิดพลาด/error" in out


def test_merge_key_bomb_and_a_bomb_in_the_profile(tmp_path, capsys):
    merge = ["m0: &m0 {" + ", ".join(f"k{i}: v" for i in range(9)) + "}"]
    merge += [f"m{i}: &m{i} {{" + ", ".join(f"k{j}: *m{i - 1}" for j in range(9)) + "}"
              for i in range(1, 9)]
    text = "type: external\n" + "\n".join(merge) + "\nsigner:\n  <<: *m8\n"
    with within(5), pytest.raises(InputError) as e:
        parse_mapping(text, "YAML")
    assert e.value.problems[0].code == "file-expanded"
    # the profile a letter names: the error names the profile
    write_letter(tmp_path, LETTER)
    (tmp_path / "profiles" / "bomb.yaml").write_text(_alias_bomb().replace(
        "type: external\nprofile: profiles/opdc.yaml\n", "ref_prefix: นร 1200\n"), encoding="utf-8")
    letter = write_letter(tmp_path, LETTER.replace("profiles/opdc.yaml", "profiles/bomb.yaml"), "l.yaml")
    with within(5):
        problems = api.check(letter)
    assert [(p.field, p.code) for p in problems.errors] == [("profile", "file-expanded")]
    assert "bomb.yaml" in problems.errors[0].en


def test_a_large_file_of_shared_aliases_within_the_limit_still_loads():
    text = "base: &b {a: 1, b: 2}\n" + "".join(f"x{i}: *b\n" for i in range(1000))
    assert len(parse_mapping(text, "YAML")) == 1001


# --- 2. reading inputs: every OSError is a read error, never "cannot write", never a hang --------

def test_profile_path_longer_than_a_file_name_is_a_profile_error(tmp_path, capsys):
    letter = write_letter(tmp_path, LETTER.replace("profiles/opdc.yaml", "profiles/" + "ก" * 300 + ".yaml"))
    problems = api.check(letter)                      # used to raise OSError: File name too long
    assert [(p.field, p.code) for p in problems.errors] == [("profile", "path-too-long")]
    rc, out = cli(capsys, "check", letter)
    assert rc == 1 and "[profile]" in out and "cannot write" not in out
    rc, out = cli(capsys, "render", letter, "-o", tmp_path / "out")
    assert rc == 1 and "[profile]" in out and not (tmp_path / "out").exists()


def test_letter_path_too_long_fifo_folder_loop_and_not_a_folder(tmp_path, capsys):
    long_name = tmp_path / ("ก" * 90 + ".yaml")
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    (tmp_path / "folder.yaml").mkdir()
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    (tmp_path / "plain").write_text("x")
    cases = {long_name: "the path is longer", fifo: "not a regular file (it is a FIFO",
             tmp_path / "folder.yaml": "not a regular file (it is a folder",
             tmp_path / "loop.yaml": "cannot read", tmp_path / "plain" / "l.yaml": "cannot read"}
    for path, said in cases.items():
        for command in ("check", "render"):
            with within(10):                      # a FIFO is never opened: no hang
                rc, out = cli(capsys, command, path, "-o", tmp_path / "out") if command == "render" \
                    else cli(capsys, command, path)
            assert rc == 1 and said in out and "[file]" in out, (path, out)
            assert "cannot write" not in out
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_a_letter_without_read_permission_is_a_read_error(tmp_path, capsys):
    letter = write_letter(tmp_path, LETTER)
    letter.chmod(0)
    rc, out = cli(capsys, "check", letter)
    assert rc == 1 and "cannot read" in out and "[file]" in out


def test_a_fifo_profile_is_never_opened(tmp_path):
    write_letter(tmp_path, LETTER)
    os.mkfifo(tmp_path / "profiles" / "pipe.yaml")
    letter = write_letter(tmp_path, LETTER.replace("opdc.yaml", "pipe.yaml"), "l.yaml")
    with within(5):
        problems = api.check(letter)
    assert [(p.field, p.code) for p in problems.errors] == [("profile", "file-not-regular")]


def test_os_error_says_read_or_write():
    e = OSError(errno.ENAMETOOLONG, "File name too long", "ก.yaml")
    assert "cannot read 'ก.yaml'" in str(os_error(reading(e)))
    assert "อ่านไฟล์" in str(os_error(e, "read"))
    assert "cannot write" in str(os_error(OSError(errno.ENOSPC, "No space left on device", "o.pdf")))


def test_register_commands_read_errors_are_read_errors(tmp_path, capsys):
    url = _register(tmp_path)
    rc, out = cli(capsys, "register", "list", "--db", url, "--profile", tmp_path / ("ข" * 100 + ".yaml"))
    assert rc == 1 and "cannot write" not in out and "[profile]" in out
    rc, out = cli(capsys, "issue", tmp_path / ("ข" * 100 + ".yaml"), "--db", url, "--format", "pdf")
    assert rc == 1 and "cannot write" not in out and "[file]" in out


# --- 3. malformed register URLs ------------------------------------------------------------------

BAD_URLS = ["postgresql://u:secret@[::1", "postgresql://u@h:abc/db", "postgresql://u@h:99999/db",
            "sqlite://relative", "postgresql://u@h/my db", "sqlite:///a\x00b.db", "sqlite:///a\nb.db",
            "postgresql://u@h/" + "x" * 10000, "mysql://u@h/db", "ftp://x", "sqlite:///",
            "sqlite:///reg.db?timeout=abc"]


@pytest.mark.parametrize("url", BAD_URLS, ids=range(len(BAD_URLS)))
def test_malformed_url_from_db_is_a_db_url_error_in_every_command(tmp_path, capsys, monkeypatch, url):
    monkeypatch.chdir(tmp_path)
    letter = write_letter(tmp_path, LETTER)
    notice = write_letter(tmp_path, NOTICE, "notice.yaml")
    sheet = _csv(tmp_path / "r.csv", [["position", "agency", "seats"], ["ปลัด", "กรม", "2"]])
    for argv in (["register", "list"], ["register", "init", "--prefix", "นร 1200"],
                 ["issue", letter, "--format", "pdf", "-o", tmp_path / "out"],
                 ["batch", notice, "--to", sheet, "--format", "pdf", "-o", tmp_path / "out"]):
        rc, out = cli(capsys, *argv, "--db", url)
        assert rc == 1 and "unsupported database URL" in out and "ที่อยู่ฐานข้อมูล" in out, (argv, out)
        assert "secret" not in out and "\x00" not in out
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob("*.db"))


def test_malformed_url_from_environment_profile_and_docgen_toml(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    monkeypatch.delenv(store.ENV_URL, raising=False)
    letter = write_letter(tmp_path, LETTER)
    # docgen.toml (a NUL through a TOML escape)
    (tmp_path / "docgen.toml").write_text('[register]\nurl = "sqlite:///a\\u0000b.db"\n', encoding="utf-8")
    rc, out = cli(capsys, "register", "list")
    assert rc == 1 and "unsupported database URL" in out
    (tmp_path / "docgen.toml").write_text('[register]\nurl = "postgresql://u@h:abc/db"\n', encoding="utf-8")
    rc, out = cli(capsys, "issue", letter, "--format", "pdf")
    assert rc == 1 and "unsupported database URL" in out
    rc, out = cli(capsys, "render", letter.parent / "x.yaml")       # unrelated: still a clean error
    assert rc == 1
    rc, out = cli(capsys, "register", "list", "--db", "")            # never "not given"
    assert rc == 1 and "the register URL in --db must be a URL text" in out
    # the environment wins over docgen.toml
    monkeypatch.setenv(store.ENV_URL, "postgresql://u@[::1")
    rc, out = cli(capsys, "register", "list")
    assert rc == 1 and "unsupported database URL" in out
    monkeypatch.delenv(store.ENV_URL)
    # the profile's register: (a letter's profile)
    (tmp_path / "docgen.toml").unlink()
    prof = (tmp_path / "profiles" / "opdc.yaml").read_text(encoding="utf-8")
    (tmp_path / "profiles" / "opdc.yaml").write_text(prof + '\nregister: "postgresql://u@h:x/db"\n',
                                                      encoding="utf-8")
    rc, out = cli(capsys, "issue", letter, "--format", "pdf", "-o", tmp_path / "out")
    assert rc == 1 and "unsupported database URL" in out and not (tmp_path / "out").exists()


def test_bad_timeouts_are_config_errors(tmp_path, capsys, monkeypatch):
    url = _register(tmp_path)
    rc, out = cli(capsys, "register", "list", "--db", url, "--db-timeout", "nan")
    assert rc == 1 and "timeout" in out
    monkeypatch.setenv(store.ENV_TIMEOUT, "soon")
    rc, out = cli(capsys, "register", "list", "--db", url)
    assert rc == 1 and "DOCGEN_DB_TIMEOUT" in out


def test_good_urls_still_parse():
    assert store.to_sa_url("postgresql://u:p@[::1]:5432/db").port == 5432
    assert store.to_sa_url("sqlite:////srv/My Office/reg.db").database == "/srv/My Office/reg.db"
    assert store.to_sa_url("postgres://u@h/db?schema=docgen").get_backend_name() == "postgresql"


# --- 4. recipient sheets -------------------------------------------------------------------------

@pytest.fixture()
def notice(tmp_path):
    return write_letter(tmp_path, NOTICE, "notice.yaml")


def test_csv_field_over_128k_is_that_rows_error_and_the_batch_goes_on(tmp_path, capsys, notice):
    url = _register(tmp_path)
    sheet = _csv(tmp_path / "r.csv", [["position", "agency", "seats"],
                                      ["ปลัดกระทรวงการคลัง", "ก" * 50000, "2"],      # 150 kB
                                      ["อธิบดีกรมบัญชีกลาง", "กรมบัญชีกลาง", "3"]])
    rc, out = cli(capsys, "check", notice, "--to", sheet)
    assert rc == 1 and "[row 2.agency]" in out and "at most 131072" in out and "good rows 1" in out
    rc, out = cli(capsys, "batch", notice, "--to", sheet, "--format", "pdf", "--db", url, "-o", tmp_path / "out")
    assert rc == 1 and "row 2" in out and "succeeded 1" in out
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 1


def test_too_many_cells_header_and_rows(tmp_path, capsys, notice, monkeypatch):
    wide = _csv(tmp_path / "wide.csv", [["position", "agency", "seats"], ["ปลัด", "กรม", "2"] + ["x"] * 300])
    rc, out = cli(capsys, "check", notice, "--to", wide)
    assert rc == 1 and "[row 2]" in out and "303 cells (at most 200)" in out
    header = _csv(tmp_path / "header.csv", [["position"] + [f"c{i}" for i in range(300)], ["ปลัด"]])
    rc, out = cli(capsys, "check", notice, "--to", header)
    assert rc == 1 and "[recipients]" in out and "the header row has 301 columns" in out
    real = limits.get
    monkeypatch.setattr(limits, "get", lambda key: 3 if key == "batch.rows" else real(key))
    many = _csv(tmp_path / "many.csv", [["position", "agency", "seats"]] + [["ปลัด", "กรม", "1"]] * 4)
    rc, out = cli(capsys, "check", notice, "--to", many)
    assert rc == 1 and "more than 3 rows" in out and "good rows" not in out


@pytest.mark.parametrize("data,said", [
    (b"position,agency,seats\n\xbb\xc5\xd1\xb4,a,1\n", "TIS-620/Windows-874"),      # cp874 "ปลัด"
    ("position,agency,seats\nปลัด,a,1\n".encode("utf-16"), "UTF-16"),
    (b"position,agency,seats\nx\x00y,a,1\n", "NUL bytes"),
    (b"\xef\xbb\xbf", "the recipient list is empty"),
])
def test_csv_encodings_and_nul_are_sheet_errors_with_a_hint(tmp_path, capsys, notice, data, said):
    (tmp_path / "r.csv").write_bytes(data)
    rc, out = cli(capsys, "check", notice, "--to", tmp_path / "r.csv")
    assert rc == 1 and said in out and "[--to]" in out or "[recipients]" in out, out


def test_xlsx_with_a_formatted_cell_at_xfd1048576_reads_only_its_data(tmp_path, capsys, notice):
    import openpyxl
    from openpyxl.styles import Font
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ตำแหน่ง", "หน่วยงาน", "seats"])
    ws.append(["ปลัดกระทรวงการคลัง", "กระทรวงการคลัง", 2])
    ws["A40"] = "อธิบดีกรมบัญชีกลาง"                # after a gap of empty rows: still read
    ws["B40"], ws["C40"] = "กรมบัญชีกลาง", 3
    ws["XFD1048576"].font = Font(bold=True)
    wb.save(tmp_path / "r.xlsx")
    assert (tmp_path / "r.xlsx").stat().st_size < 10000
    with within(10):
        rows = list(recipients.load(str(tmp_path / "r.xlsx")))
        rc, out = cli(capsys, "check", notice, "--to", tmp_path / "r.xlsx")
    assert [(r.row, r.position) for r in rows] == [(2, "ปลัดกระทรวงการคลัง"), (40, "อธิบดีกรมบัญชีกลาง")]
    assert rc == 0 and "good rows 2" in out


def test_xlsx_whose_rows_really_hold_many_cells_is_capped(tmp_path, capsys, notice, monkeypatch):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["position", "agency", "seats"])
    for r in range(2, 40):
        ws.cell(r, 1, "ปลัด")
        ws.cell(r, 16000, "x")
    wb.save(tmp_path / "r.xlsx")
    real = limits.get
    monkeypatch.setattr(limits, "get", lambda key: 100000 if key == "batch.xlsx_cells" else real(key))
    with within(10):
        rc, out = cli(capsys, "check", notice, "--to", tmp_path / "r.xlsx")
    assert rc == 1 and "more than 100000 cells" in out


def _workbook(path: Path, rows) -> Path:
    import openpyxl
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def test_xlsx_bomb_not_a_zip_and_macros_are_refused_before_openpyxl(tmp_path, capsys, notice):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            chunk = b"<si><t>a</t></si>" * 65536
            for _ in range(limits.get("batch.xlsx_unzipped_bytes") // len(chunk) + 2):
                f.write(chunk)
    assert bomb.stat().st_size < 5_000_000
    rc, out = cli(capsys, "check", notice, "--to", bomb)
    assert rc == 1 and "expands to" in out and "[--to]" in out
    (tmp_path / "text.xlsx").write_text("position\nปลัด\n", encoding="utf-8")
    rc, out = cli(capsys, "check", notice, "--to", tmp_path / "text.xlsx")
    assert rc == 1 and "not a valid Excel workbook" in out
    macro = _workbook(tmp_path / "macro.xlsx", [["position", "agency", "seats"], ["ปลัด", "กรม", 1]])
    with zipfile.ZipFile(macro, "a") as z:
        z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 fake VBA")
    rc, out = cli(capsys, "check", notice, "--to", macro)
    assert rc == 1 and "vbaProject.bin" in out and "macro" in out


def test_xlsx_formula_gives_its_saved_value_never_evaluated(tmp_path, notice):
    path = _workbook(tmp_path / "f.xlsx", [["position", "agency", "seats"], ["ปลัด", "กรม", "=1+1"]])
    # give the formula a saved value, as a spreadsheet program does on saving
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<f>1+1</f><v></v>" in sheet or "<f>1+1</f><v />" in sheet or "<f>1+1</f>" in sheet
    sheet = sheet.replace("<f>1+1</f><v></v>", "<f>1+1</f><v>7</v>").replace(
        "<f>1+1</f><v />", "<f>1+1</f><v>7</v>")
    if "<v>7</v>" not in sheet:
        sheet = sheet.replace("<f>1+1</f>", "<f>1+1</f><v>7</v>")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    (rec,) = recipients.load(str(path))
    assert rec.extra["seats"] == "7"                   # the saved value, not "=1+1", not 2


def test_missing_or_unreadable_sheet_paths(tmp_path, capsys, notice):
    os.mkfifo(tmp_path / "pipe.csv")
    (tmp_path / "dir.xlsx").mkdir()
    for sheet, said in ((tmp_path / "pipe.csv", "FIFO"), (tmp_path / "dir.xlsx", "folder"),
                        (tmp_path / ("ก" * 90 + ".csv"), "longer than the file system allows"),
                        (tmp_path / "none.csv", "file not found")):
        with within(5):
            rc, out = cli(capsys, "check", notice, "--to", sheet)
        assert rc == 1 and said in out and "cannot write" not in out, out


def test_an_empty_cell_filling_a_placeholder_is_a_row_warning_naming_the_column(tmp_path, capsys, notice):
    sheet = _csv(tmp_path / "r.csv", [["position", "agency", "seats"],
                                      ["ปลัดกระทรวงการคลัง", "กระทรวงการคลัง", "2"],
                                      ["อธิบดีกรมบัญชีกลาง", "กรมบัญชีกลาง"]])       # no seats cell
    rc, out = cli(capsys, "check", notice, "--to", sheet)
    assert rc == 0 and "good rows 2" in out
    (line,) = [ln for ln in out.splitlines() if "is empty" in ln]
    assert "แถว/row 3" in line and "row 3: the column 'seats' is empty" in line and "[body]" in line
    assert "คอลัมน์ 'seats' ว่าง" in line


# --- 5. file names -------------------------------------------------------------------------------

def test_temporary_names_are_short_whatever_the_target(tmp_path):
    target = tmp_path / ("ก" * 83 + ".pdf")          # 253 bytes: a valid name
    assert len(target.name.encode()) == 253
    with atomic_path(target) as tmp:
        assert len(tmp.name.encode()) < 40 and tmp.name.endswith(".pdf.part")
        tmp.write_bytes(b"%PDF")
    assert target.read_bytes() == b"%PDF" and os.listdir(tmp_path) == [target.name]
    atomic_write(tmp_path / ("ข" * 84 + ".x"), b"ok")


LONG_80 = "หนังสือราชการ" * 6 + "กก"                   # 80 characters, 240 bytes (+ .yaml = 245)
LONG_200 = "ก" * 25 + "a" * 175                         # 200 characters, 250 bytes (+ .yaml = 255)


@pytest.mark.parametrize("stem", [LONG_80, LONG_200], ids=["80", "200"])
def test_long_thai_file_names_render_and_issue(tmp_path, capsys, stem):
    assert len(stem) in (80, 200) and len((stem + ".yaml").encode()) <= 255
    letter = write_letter(tmp_path, LETTER, stem + ".yaml")
    rc, out = cli(capsys, "render", letter, "-o", tmp_path / "render")
    assert rc == 0 and len(list((tmp_path / "render").iterdir())) == 2
    url = _register(tmp_path)
    rc, out = cli(capsys, "issue", letter, "--db", url, "-o", tmp_path / "issue", "--format", "pdf")
    assert rc == 0 and "ที่ นร ๑๒๐๐/๑" in out
    (pdf,) = (tmp_path / "issue").iterdir()
    assert pdf.name.startswith("นร1200-1-") and pdf.suffix == ".pdf"
    _names_fit(tmp_path)


def test_long_names_in_a_batch_notice_rows_and_output_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = _register(tmp_path)
    notice = write_letter(tmp_path, NOTICE, LONG_80 + ".yaml")
    sheet = _csv(tmp_path / (LONG_80[:70] + ".csv"), [["position", "agency", "seats"],
                                                      ["ปลัดกระทรวงการคลัง", "กรม" * 100, "2"]])
    out_dir = tmp_path / ("ผล" * 42)                     # 252 bytes: the .zip beside it must fit
    rc, out = cli(capsys, "batch", notice, "--to", sheet, "--format", "pdf", "--db", url,
                  "-o", out_dir, "--zip")
    assert rc == 0, out
    assert len(list(out_dir.glob("*.pdf"))) == 1 and list(tmp_path.glob("*.zip"))
    rc, out = cli(capsys, "batch", notice, "--to", sheet, "--dry-run", "--format", "pdf")
    assert rc == 0 and list((tmp_path / "output").rglob("*.pdf"))   # the default folder name
    _names_fit(tmp_path)


# --- 6. one output per input ---------------------------------------------------------------------

def test_same_name_in_two_folders(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = write_letter(tmp_path / "a", LETTER)
    b = write_letter(tmp_path / "b", LETTER.replace("การประเมินผล", "การประเมินผลรอบสอง"))
    rc, out = cli(capsys, "render", a, b, "-o", tmp_path / "out", "--format", "pdf")
    assert rc == 1 and not (tmp_path / "out").exists()
    # issue names files by number: two letters of the same name never share an output
    url = _register(tmp_path)
    rc, out = cli(capsys, "issue", a, b, "--db", url, "-o", tmp_path / "out", "--format", "pdf")
    assert rc == 0
    assert sorted(p.name.split("-")[1] for p in (tmp_path / "out").iterdir()) == ["1", "2"]


def test_a_recipient_cell_with_a_control_character_is_a_bad_row(tmp_path):
    """The distribution list of a circular is printed from the sheet after compose: its cells get
    the model's text hygiene where they are read."""
    from docgen.batch import recipients
    sheet = tmp_path / "r.csv"
    sheet.write_text("position,agency\nผู้ว่าราชการจังหวัดเชียงใหม่,จังหวัด\x07เชียงใหม่\nปลัดกระทรวงการคลัง,กระทรวงการคลัง\n",
                     encoding="utf-8")
    rows = list(recipients.load(str(sheet)))
    bad = [r for r in rows if isinstance(r, recipients.BadRow)]
    assert [(r.row, r.problem.field, r.problem.code) for r in bad] == [(2, "row 2.agency", "char-control")]
    assert "U+0007" in str(bad[0].problem) and len(rows) == 2
