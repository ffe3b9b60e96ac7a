"""The corpus of inputs that once failed (``tests/corpus/*.json``), one case per failure class of
issue 13, as code: ``python -m tests.fuzz_corpus`` (re)writes the files.  A case found by
``pytest -m fuzz`` (saved in ``output/fuzz-found/``) is added by copying its JSON file into
``tests/corpus/`` (give it a ``class`` and a readable name); nothing else is needed.

Expectations a case may carry (``tests/test_fuzz.py`` ``violations``): ``expect_exit`` (default
[0, 1]), ``expect_field`` (the field the message must name when it fails; with
``field_required`` also when it succeeds, as a warning), ``expect_text``, ``max_seconds``,
``min_pdfs`` (on success), ``outputs`` (all-or-nothing | pairs | none | any).
"""
from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from tests.fuzz_cases import (GOOD, HEADER, ROOT, base_profile, bytes_file, case, csv_bytes, db_case, dump,
                              emblem_case, notice_text, png_bomb, render_case, sheet_case, text_file, xlsx_bytes)

CORPUS = Path(__file__).resolve().parent / "corpus"


def _letter(**fields) -> dict:
    return {**GOOD, **fields}


def _layout_case(name: str, layout: dict, cls: str, fmt="yaml", **kw) -> dict:
    """GOOD with a profile of its own whose ``layout:`` is ``layout`` (YAML carries .nan/.inf)."""
    profile = dict(base_profile(), layout=layout)
    files = {f"p/agency.{fmt}": text_file(dump(profile, fmt))}
    kw.setdefault("expect_field", "layout")
    kw.setdefault("expect_exit", [1])         # outside the limit table: a field-named error
    return render_case(name, "layout", _letter(profile=f"p/agency.{fmt}"), extra_files=files,
                       **{"class": cls, **kw})


def _alias_bomb() -> str:
    """About 2 kB of YAML whose aliases expand to 125,000 paragraphs of 400 characters (50 M)."""
    para = "ขยาย" * 100
    lines = [f"p: &p {para}", "l1: &l1 [" + ", ".join(["*p"] * 50) + "]",
             "l2: &l2 [" + ", ".join(["{text: *p, items: *l1}"] * 50) + "]",
             "l3: &l3 [" + ", ".join(["{items: *l2}"] * 50) + "]"]
    letter = dump(_letter(), "yaml").replace("body:\n- ข้อความ\n", "body: *l3\n")
    return "\n".join(lines) + "\n" + letter


def cases() -> list[dict]:
    out: list[dict] = []

    def add(c: dict, cls: str | None = None, **kw):
        c.update(kw)
        if cls:
            c["class"] = cls
        out.append(c)

    # --- text hygiene: lone surrogates, non-characters, C0/C1 controls (model boundary)
    T = "tracebacks: surrogates and non-characters"
    reject = {"expect_exit": [1]}        # text hygiene: rejected with the field and the position
    add(render_case("surrogate-subject", "letter", _letter(subject="ทดสอบ\ud800")), T, expect_field="subject", **reject)
    add(render_case("surrogate-body", "letter", _letter(body=["ข้อความ\udfff ต่อ"])), T, expect_field="body", **reject)
    add(render_case("surrogate-signer-name", "letter", _letter(signer={"name": "นาย\udc80 ก", "position": "ผู้อำนวยการ"})),
        T, expect_field="signer", **reject)
    add(render_case("noncharacter-to", "letter", _letter(to="เลขาธิการคณะรัฐมนตรี\uffff")), T, expect_field="to", **reject)
    add(render_case("noncharacter-purpose", "letter", _letter(purpose="โปรดทราบ\ufdd0")), T, expect_field="purpose", **reject)
    add(render_case("noncharacter-enclosure", "letter", _letter(enclosures=["เอกสาร\U0010ffff"])), T,
        expect_field="enclosures", **reject)
    add(render_case("c0-control-subject", "letter", _letter(subject="ทดสอบ\x01\x1b[31m")), T, expect_field="subject", **reject)
    add(render_case("c1-control-body", "letter", _letter(body=["ข้อความ\x85\x9f"])), T, expect_field="body", **reject)
    add(render_case("surrogate-in-profile-agency", "profile", _letter(profile="p/agency.json"),
                    extra_files={"p/agency.json": text_file(dump(dict(base_profile(), agency="สำนักงาน\ud800"), "json"))}),
        T, expect_field="agency", **reject)
    add(render_case("bidi-and-markup-are-text", "letter",
                    _letter(subject="\u202eทดสอบ\u202c <b>&amp;</b> {{ 7*7 }} {% if x %}",
                            body=["<w:p/> ]]> &#0; ${HOME} `id`"])), "text hygiene: bidi and markup print as typed",
        expect_exit=[0])

    # --- images
    I = "tracebacks: emblem images"
    named = {"field_required": True}     # an unusable emblem: an error, or the placeholder with a warning
    add(emblem_case("emblem-fake-png-magic", "fake-png-magic"), I, expect_field="emblem", **named)
    add(emblem_case("emblem-fake-jpeg-magic", "fake-jpeg-magic", "profile"), I, expect_field="emblem", **named)
    add(emblem_case("emblem-truncated-png", "truncated-png"), I, expect_field="emblem", **named)
    add(emblem_case("emblem-truncated-jpeg", "truncated-jpeg", "profile"), I, expect_field="emblem", **named)
    add(emblem_case("emblem-png-magic-only", "png-magic-only"), I, expect_field="emblem", **named)
    add(emblem_case("emblem-cmyk-jpeg", "cmyk-jpeg"), I)
    add(emblem_case("emblem-png-claims-100000px", "png-claims-huge"), I, expect_field="emblem", **named)
    c = emblem_case("emblem-decompression-bomb", "valid-png", "profile")
    c["files"]["p/emblem.png"] = bytes_file(png_bomb(10000, 10000))
    add(c, I + " (bomb: 100 M pixels, 12 kB)", expect_field="emblem", **named)
    c = emblem_case("emblem-decompression-bomb-past-pillow", "valid-png")
    c["files"]["emblem.png"] = bytes_file(png_bomb(14000, 14000))
    add(c, I + " (bomb: 196 M pixels)", expect_field="emblem", **named)

    # --- the asset fence (real symlinks)
    F = "files read outside the assets"
    add(emblem_case("emblem-symlink-to-passwd", "symlink-to-passwd"), F, expect_field="emblem", **named)
    add(emblem_case("emblem-symlink-to-passwd-in-profile", "symlink-to-passwd", "profile"), F, expect_field="emblem", **named)
    add(emblem_case("emblem-symlink-outside", "symlink-to-canary"), F, expect_field="emblem", **named)
    add(emblem_case("emblem-symlink-outside-relative", "symlink-to-canary-relative", "profile"), F,
        expect_field="emblem", **named)
    add(emblem_case("emblem-symlink-chain-outside", "symlink-chain-out"), F, expect_field="emblem", **named)
    add(emblem_case("emblem-symlinked-folder-outside", "symlinked-folder-out", "profile"), F, expect_field="emblem", **named)
    add(emblem_case("emblem-written-dotdot", "written-dotdot"), F, expect_field="emblem", **named)
    add(emblem_case("emblem-written-absolute", "written-absolute", "profile"), F, expect_field="emblem", **named)
    add(emblem_case("emblem-symlink-to-dev-zero", "symlink-to-dev-zero"), F, expect_field="emblem", **named)
    add(emblem_case("emblem-fifo", "fifo"), F + " (a FIFO would block the open)", expect_field="emblem", **named)
    c = emblem_case("batch-emblem-symlink-outside", "symlink-to-canary")
    c["files"]["notice.yaml"] = text_file(dump(_letter(emblem="emblem.png", to="{{ recipient.position }}",
                                                       number=None), "yaml"))
    c["files"]["r.csv"] = bytes_file(csv_bytes([HEADER, ["ปลัดกระทรวงการคลัง", "กระทรวงการคลัง", "2"]]))
    c["argv"] = ["batch", "notice.yaml", "--to", "r.csv", "--dry-run", "--jobs", "1", "-o", "out"]
    add(c, F + " (batch)", outputs="pairs", expect_field="emblem", **named)
    L = "tracebacks: emblem symlink loop"
    add(emblem_case("emblem-symlink-loop", "symlink-loop"), L, expect_field="emblem", **named)
    add(emblem_case("emblem-symlink-self-loop", "symlink-self", "profile"), L, expect_field="emblem", **named)

    # --- DOCX core properties, long names
    add(render_case("subject-280-characters", "letter", _letter(subject="ก" * 280)),
        "tracebacks: subject over 255 characters (DOCX core properties)", expect_exit=[0])
    P = "tracebacks: profile path of 300 Thai characters"
    long_profile = "profiles/" + "ก" * 300 + ".yaml"
    c = render_case("profile-path-300-thai-check", "letter", _letter(profile=long_profile))
    c["argv"] = ["check", "letter.json"]
    add(c, P, outputs="none", expect_field="profile", expect_exit=[1])
    add(render_case("profile-path-300-thai-render", "letter", _letter(profile=long_profile)),
        P + " (the CLI said 'cannot write' for a read)", expect_field="profile", expect_exit=[1])

    # --- layout values
    Y = "tracebacks and hangs: layout values"
    add(_layout_case("layout-nan-margin", {"margin": {"left": float("nan")}}, Y))
    add(_layout_case("layout-inf-font-size", {"font": {"size_pt": float("inf")}}, Y))
    add(_layout_case("layout-minus-inf-axis", {"signature": {"axis_x": float("-inf")}}, Y, fmt="json"))
    add(_layout_case("layout-huge-int-page-width", {"page": {"width": 10**400}}, Y))
    add(_layout_case("layout-1e300-margin-top", {"margin": {"top": 1e300}}, Y))
    Z = "half files: a layout value that made a zero-page PDF (exit 0)"
    c = _layout_case("layout-1e300-page-height-zero-pages", {"page": {"height": 1e300}}, Z)
    c["argv"] += ["--format", "pdf"]
    add(c)
    c = _layout_case("layout-1e300-margin-top-zero-pages", {"margin": {"top": 1e300}}, Z)
    c["argv"] += ["--format", "pdf"]
    add(c)
    add(_layout_case("layout-tiny-line-height", {"line_height": 1e-300}, Y))
    add(_layout_case("layout-tiny-font", {"font": {"size_pt": 5e-324}}, Y))
    add(_layout_case("layout-negative-width", {"signature": {"width": -80}}, Y))
    add(_layout_case("layout-bool-gap", {"block_gap_pt": True}, Y))
    add(_layout_case("layout-gap-lines-1000000", {"signature": {"gap_lines": 1000000}},
                     "hangs: signature.gap_lines 1000000 (21 s, 829 MB)", max_seconds=10))
    add(_layout_case("layout-emblem-height-3000", {"emblem": {"external": {"height": 3000}}},
                     "hangs: emblem.height 3000 (37 s, 4.2 GB)", max_seconds=10))
    W = "wrong results: trailing newline in font family or colour"
    add(_layout_case("layout-font-family-newline", {"font": {"family": "TH SarabunPSK\n"}}, W, expect_exit=[0, 1]))
    add(_layout_case("layout-colour-newline", {"marks": {"color": "#FF0000\n"}}, W, expect_exit=[0, 1]))
    add(_layout_case("layout-colour-not-hex", {"marks": {"color": "#GGGGGG"}}, W))

    # --- references
    add(render_case("reference-blank-mapping", "letter", _letter(references=[{}])),
        "tracebacks: reference as a blank mapping", expect_field="references", expect_exit=[1])
    add(render_case("reference-blank-text", "letter", _letter(references=[{"text": " "}])),
        "tracebacks: reference as a blank mapping (compose.reference_text)", expect_field="references", expect_exit=[1])
    add(render_case("reference-invisible-text", "letter", _letter(references=[{"text": "\u200b"}, {"text": "\ufeff"}])),
        "tracebacks: reference as a blank mapping (compose.reference_text)", expect_field="references", expect_exit=[1])
    add(render_case("reference-null-fields", "letter", _letter(references=[{"agency": None, "number": None}])),
        "tracebacks: reference as a blank mapping", expect_field="references", expect_exit=[1])

    # --- register URLs
    D = "tracebacks: malformed database URL"
    add(db_case("db-url-unclosed-ipv6-list", "postgresql://x@[::1", "list"), D)
    add(db_case("db-url-unclosed-ipv6-init", "postgresql://x@[::1/db", "init"), D)
    add(db_case("db-url-port-not-a-number", "postgresql://u@127.0.0.1:abc/docgen_fuzz_nonexistent", "show"), D)
    add(db_case("db-url-port-out-of-range-env", "postgresql://u@127.0.0.1:99999/x", "list", "env"), D)
    add(db_case("db-url-unknown-scheme-toml", "foo://bar/baz", "list", "toml"), D)
    add(db_case("db-url-garbage-issue", "not a url at all", "issue"), D)
    add(db_case("db-url-ipv6-in-profile", "postgresql://x@[::1", "render", "profile"), D)
    add(db_case("db-url-bad-port-toml-render", "postgres://[]:abc/%00", "render", "toml"),
        D + " (render's register check, after the files were written)")
    add(db_case("db-url-empty-port", "postgresql+psycopg://:/ก", "issue"), D)
    c = db_case("db-timeout-inf", "postgresql://user:pw@127.0.0.1:1/x", "export")
    c["argv"] += ["--db-timeout=inf"]
    add(c, D + " (--db-timeout inf)")
    c = db_case("db-timeout-nan-postgres", "postgresql+psycopg://", "list")
    c["argv"] += ["--db-timeout=nan"]
    add(c, D + " (--db-timeout nan)")
    c = db_case("db-timeout-nan", "sqlite:///reg.db", "list")
    c["argv"] += ["--db-timeout", "nan"]
    add(c, D + " (--db-timeout nan)")

    # --- sheets
    S = "tracebacks: CSV field over 128 KiB"
    big = csv_bytes([HEADER, ["ปลัดกระทรวงการคลัง", "ก" * 50000, "2"]])   # 150 kB of UTF-8 in one cell
    add(sheet_case("csv-field-over-128k-check", "r.csv", big, "check"), S)
    add(sheet_case("csv-field-over-128k-batch", "r.csv", big, "batch"), S)
    add(sheet_case("csv-nul-byte", "r.csv", csv_bytes([HEADER, ["ปลัด\x00กระทรวง", "ก", "1"]])), S + " (NUL)")
    add(sheet_case("csv-invalid-utf8-surrogate", "r.csv", csv_bytes([HEADER, ["ปลัด\ud800", "ก", "1"]])),
        S + " (invalid UTF-8)")
    add(sheet_case("csv-utf16", "r.csv", csv_bytes([HEADER, ["ปลัดกระทรวงการคลัง", "ก", "1"]], "utf-16")),
        S + " (UTF-16)")
    add(sheet_case("xlsx-formatted-cell-at-XFD1048576", "r.xlsx",
                   xlsx_bytes([HEADER, ["ปลัดกระทรวงการคลัง", "กระทรวงการคลัง", 2]], "XFD1048576"), "check"),
        "hangs: XLSX with a formatted cell at XFD1048576", max_seconds=10)
    add(sheet_case("xlsx-formatted-cell-at-XFD1048576-batch", "r.xlsx",
                   xlsx_bytes([HEADER, ["ปลัดกระทรวงการคลัง", "กระทรวงการคลัง", 2]], "XFD1048576"), "batch"),
        "hangs: XLSX with a formatted cell at XFD1048576", max_seconds=10)
    c = sheet_case("csv-row-missing-cell", "r.csv",
                   csv_bytes([HEADER, ["ปลัดกระทรวงการคลัง", "กระทรวงการคลัง", "2"],
                              ["ปลัดกระทรวงมหาดไทย", "กระทรวงมหาดไทย"]]), "check")
    add(c, "wrong results: a recipient row with a missing cell ('จำนวน  คน', no warning)",
        expect_text="seats")
    c = sheet_case("batch-numbered-long-cell-missing-cell", "r.csv",
                   csv_bytes([HEADER, ["ปลัดกระทรวงการคลัง", "กระทรวงการคลัง", "2"], ["ปลัดกระทรวงมหาดไทย", "ก" * 50000, "1"],
                              ["อธิบดีกรมบัญชีกลาง", "กรมบัญชีกลาง"]]), "batch")
    c["argv"] = ["batch", "notice.yaml", "--to", "r.csv", "--jobs", "1", "-o", "out"]
    c["files"]["docgen.toml"] = text_file('[register]\nurl = "sqlite:///reg.db"\n')
    c["setup"] = [["register", "init", "--prefix", "นร 1200"]]
    add(c, S + " (a numbered batch: the good row is issued, the bad ones reported)")
    c = sheet_case("group-path-traversal", "r.csv", b"", "check")
    c["argv"][c["argv"].index("r.csv")] = "group:../../../../../../etc/passwd"
    add(c, F + " (group: name)")

    # --- inputs that hang or eat the machine
    H = "hangs: YAML alias chain that multiplies the body"
    add(render_case("yaml-alias-bomb", "letter", _alias_bomb(), fmt="yaml"), H, max_seconds=10)
    c = render_case("yaml-alias-bomb-check", "letter", _alias_bomb(), fmt="yaml")
    c["argv"] = ["check", "letter.yaml"]
    add(c, H, max_seconds=10, outputs="none")
    add(render_case("latin-run-20000", "letter", _letter(body=["a" * 20000])),
        "hangs: one Latin run of 20,000 letters (localize_digits O(n²))", max_seconds=8)
    add(render_case("latin-run-20000-with-digits", "letter", _letter(body=["ab1" * 6600])),
        "hangs: one Latin run of 20,000 letters (localize_digits O(n²))", max_seconds=8)
    add(render_case("number-huge", "letter", _letter(number=10**30)), "limits: a huge running number",
        expect_field="number", expect_exit=[1])
    add(render_case("body-deep-nesting", "letter",
                    _letter(body=[{"items": [{"text": "ก", "items": [{"text": "ข", "items": [{"text": "ค", "items": ["ง"]}]}]}]}])),
        "limits: item levels past three", expect_field="body", expect_exit=[1])

    # --- the time budget (a setting, default 60 s): stopped, reported, nothing left
    B = "time bound: a render past its budget is stopped and leaves nothing"
    three = (ROOT / "examples/06_three_pages.yaml").read_text(encoding="utf-8")
    c = render_case("render-past-time-budget", "letter", three, fmt="yaml", env={"DOCGEN_RENDER_SECONDS": "0.01"})
    add(c, B, expect_exit=[1], max_seconds=10)
    c = render_case("batch-past-time-budget", "sheet", "", fmt="yaml")
    c["files"] = {**c["files"], "notice.yaml": text_file(notice_text()),
                  "r.csv": bytes_file(csv_bytes([HEADER, ["ปลัดกระทรวงการคลัง", "กระทรวงการคลัง", "2"]]))}
    c["argv"] = ["batch", "notice.yaml", "--to", "r.csv", "--dry-run", "--jobs", "1", "-o", "out"]
    add(c, B + " (batch)", env={"DOCGEN_RENDER_SECONDS": "0.01"}, outputs="pairs", max_seconds=10,
        expect_exit=[1])

    # --- output names
    N = "wrong results: Thai file name of about 80 characters (245 bytes)"
    name = "ก" * 80 + ".yaml"            # 240 + 5 bytes: valid, but ".NAME.pdf.XXXXXXXX.part" is not
    add(render_case("thai-file-name-80-render", "filename", GOOD, fmt="yaml", filename=name), N, expect_exit=[0])
    c = render_case("thai-file-name-80-issue", "filename", GOOD, fmt="yaml", filename=name)
    c["files"]["docgen.toml"] = text_file('[register]\nurl = "sqlite:///reg.db"\n')
    c["setup"] = [["register", "init", "--prefix", "นร 1200"]]
    c["argv"] = ["issue", name, "-o", "out"]
    add(c, N + " (issue burnt the number)", expect_exit=[0])
    U = "found by the fuzzer: a file name that is not UTF-8 (a lone surrogate in argv)"
    for name, cmd in (("\udce9tude.yaml", "render"), ("\udce9tude.yaml", "check")):
        c = render_case(f"argv-surrogate-file-name-{cmd}", "filename", GOOD, fmt="yaml", filename=name)
        if cmd == "check":
            c["argv"] = ["check", name]
            c["outputs"] = "none"
        add(c, U)
    for tag, name in (("d800", "ก\ud800.yaml"), ("dce9", "\udce9-missing.yaml"),
                      ("d800-folder", "ก\ud800/x.yaml"), ("dce9-folder", "\udce9/x.yaml")):   # no such file: say so
        argv = ["render", name] + ([] if "folder" in tag else ["-o", "out"])
        add(case(f"argv-surrogate-missing-file-{tag}", "cli", {}, argv), U)
    c = render_case("a-b-same-name-one-output", "filename", GOOD, fmt="yaml", filename="a/letter.yaml")
    c["files"]["b/letter.yaml"] = text_file(dump(_letter(subject="อีกฉบับ"), "yaml"))
    c["files"]["a/letter.yaml"] = text_file(dump(_letter(profile="../profiles/opdc.yaml"), "yaml"))
    c["files"]["b/letter.yaml"] = text_file(dump(_letter(profile="../profiles/opdc.yaml", subject="อีกฉบับ"), "yaml"))
    c["argv"] = ["render", "a/letter.yaml", "b/letter.yaml", "-o", "out"]
    add(c, "wrong results: a/letter.yaml b/letter.yaml overwrite one output", min_pdfs=2)
    return out


_RUN = re.compile(r"(.)\1{999,}", re.S)


def compact(c: dict) -> dict:
    """Long runs of one character as ``concat`` (the worker writes them out): small files."""
    for name, spec in c["files"].items():
        if "b64" in spec:
            data = base64.b64decode(spec["b64"])
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            if not _RUN.search(text):
                continue
            spec = c["files"][name] = {"text": text}
        if "text" in spec and _RUN.search(spec["text"]):
            parts, pos, text = [], 0, spec.pop("text")
            for m in _RUN.finditer(text):
                if m.start() > pos:
                    parts.append([text[pos:m.start()], 1])
                parts.append([m.group(1), len(m.group(0))])
                pos = m.end()
            if pos < len(text):
                parts.append([text[pos:], 1])
            spec["concat"] = parts
    return c


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    for old in CORPUS.glob("*.json"):
        old.unlink()
    names = set()
    for c in map(compact, cases()):
        assert c["name"] not in names, c["name"]
        names.add(c["name"])
        path = CORPUS / f"{c['name']}.json"
        path.write_text(json.dumps(c, ensure_ascii=True, indent=1) + "\n", encoding="utf-8")
    print(f"{len(names)} cases in {CORPUS}")


if __name__ == "__main__":
    main()
