"""Issue 13, "images and the asset fence": hostile emblems never crash docgen, never leave a
file behind, and nothing outside the allowed folders is ever opened (docgen/assets.py).

Every test renders real files (symlinks, FIFOs, broken and odd images made with Pillow) with
``api.render_file`` or ``cli.main`` and looks at what was written.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from docgen import api, assets, cli
from docgen.data import ROOT
from docgen.errors import InputError
from tests.conftest import write_letter

FORMATS = ("pdf", "docx")


def letter_text(emblem: str | None, profile: str = "profiles/opdc.yaml") -> str:
    line = f"emblem: {json.dumps(emblem)}\n" if emblem is not None else ""
    return f"""type: external
profile: {profile}
{line}number: 5
date: 2024-05-30
subject: ทดสอบตราครุฑ
to: อธิบดีกรมทดสอบ
body: [ข้อความทดสอบ]
purpose: เพื่อโปรดทราบ
"""


@pytest.fixture(autouse=True)
def no_office_config(tmp_path, monkeypatch):
    """No docgen.toml from the machine: the working folder is the test's, and so is the user's."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def picture(path: Path, size=(120, 140), mode="RGB", fmt="PNG", **save) -> Path:
    """A small image with real content (so compression cannot hide a truncation)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.effect_noise(size, 60).convert("RGB")
    if mode != "RGB":
        img = img.convert(mode)
    img.save(path, fmt, **save)
    return path


def letter_dir(tmp_path: Path) -> Path:
    d = tmp_path / "letters"
    d.mkdir(exist_ok=True)
    return d


def refused(src: Path, out: Path, code: str) -> None:
    """Rendering ``src`` fails with ``code`` on the emblem field, and writes nothing."""
    with pytest.raises(InputError) as e:
        api.render_file(src, out, formats=FORMATS)
    errors = [(p.field, p.code) for p in e.value.problems if p.severity == "error"]
    assert ("emblem", code) in errors, errors
    assert not out.exists() or not any(out.iterdir()), list(out.iterdir())


def rendered_images(result) -> dict:
    """The emblem as each renderer wrote it: the same pixels in both files, and exactly the
    model's validated image (``assets.Image``)."""
    import docx
    with pikepdf.open(result.paths["pdf"]) as pdf:
        xobjects = list(pdf.pages[0].get_images().values())
        assert len(xobjects) == 1, "the PDF carries the emblem"
        pdf_pixels = pikepdf.PdfImage(xobjects[0]).as_pil_image().convert("RGB")
    docx.Document(str(result.paths["docx"]))                        # python-docx opens it
    with zipfile.ZipFile(result.paths["docx"]) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 1, media
        docx_bytes = z.read(media[0])
    docx_image = Image.open(io.BytesIO(docx_bytes))
    assert docx_image.size == pdf_pixels.size, "the PDF and the DOCX carry the same image"
    # the same pixels in both files (WeasyPrint keeps a PNG's pixels losslessly)
    assert docx_image.convert("RGB").tobytes() == pdf_pixels.tobytes()
    image = result.composed.emblem
    assert isinstance(image, assets.Image), type(image)
    validated = Image.open(io.BytesIO(image.data))
    assert validated.size == (image.width, image.height) == docx_image.size
    assert docx_bytes == image.data, "the DOCX embeds exactly the validated bytes"
    return {"image": image, "validated": validated, "docx": docx_bytes}


# ---- 1. the fence: the resolved file, not the path as written ------------------------

def test_symlink_to_etc_passwd_is_refused_and_never_read(tmp_path):
    d = letter_dir(tmp_path)
    os.symlink("/etc/passwd", d / "emblem.png")
    src = write_letter(d, letter_text("emblem.png"))
    refused(src, tmp_path / "out", "emblem-outside")


def test_symlink_to_an_image_outside_the_letters_folder_is_refused(tmp_path):
    outside = picture(tmp_path / "elsewhere" / "garuda.png")
    d = letter_dir(tmp_path)
    os.symlink(outside, d / "emblem.png")
    src = write_letter(d, letter_text("emblem.png"))
    refused(src, tmp_path / "out", "emblem-outside")


def test_a_folder_link_inside_the_path_is_resolved_too(tmp_path):
    picture(tmp_path / "elsewhere" / "garuda.png")
    d = letter_dir(tmp_path)
    os.symlink(tmp_path / "elsewhere", d / "images")          # "images/garuda.png" looks inside
    src = write_letter(d, letter_text("images/garuda.png"))
    refused(src, tmp_path / "out", "emblem-outside")


def test_symlink_loop_is_an_error_not_a_crash(tmp_path):
    d = letter_dir(tmp_path)
    os.symlink("b.png", d / "a.png")
    os.symlink("a.png", d / "b.png")
    src = write_letter(d, letter_text("a.png"))
    refused(src, tmp_path / "out", "emblem-loop")


def test_fifo_is_refused_without_blocking(tmp_path):
    d = letter_dir(tmp_path)
    os.mkfifo(d / "emblem.png")
    src = write_letter(d, letter_text("emblem.png"))
    refused(src, tmp_path / "out", "emblem-not-file")


def test_a_link_that_stays_inside_the_folder_is_followed(tmp_path):
    d = letter_dir(tmp_path)
    picture(d / "art" / "garuda.png")
    os.symlink("art/garuda.png", d / "emblem.png")
    src = write_letter(d, letter_text("emblem.png"))
    result = api.render_file(src, tmp_path / "out", formats=FORMATS)
    assert result.composed.emblem.path == os.path.realpath(d / "art" / "garuda.png")
    rendered_images(result)


def test_the_profiles_emblem_is_fenced_by_the_profiles_folder(tmp_path):
    """The profile names the emblem: its folder (profiles/) is the fence, not the letter's."""
    d = letter_dir(tmp_path)
    src = write_letter(d, letter_text(None))
    profile = d / "profiles" / "opdc.yaml"
    text = profile.read_text(encoding="utf-8").replace("emblem: null", "emblem: garuda.png")
    profile.write_text(text, encoding="utf-8")
    picture(d / "profiles" / "garuda.png")
    result = api.render_file(src, tmp_path / "out", formats=FORMATS)
    rendered_images(result)
    # a link from profiles/ to the letter's folder leaves the profile's folder: refused
    (d / "profiles" / "garuda.png").unlink()
    picture(d / "beside-the-letter.png")
    os.symlink(d / "beside-the-letter.png", d / "profiles" / "garuda.png")
    refused(src, tmp_path / "out2", "emblem-outside")


def test_an_allowed_assets_folder_from_docgen_toml(tmp_path):
    shared = tmp_path / "srv" / "office" / "images"
    picture(shared / "garuda.png")
    d = letter_dir(tmp_path)
    os.symlink(shared / "garuda.png", d / "linked.png")
    absolute = write_letter(d, letter_text(str(shared / "garuda.png")), name="absolute.yaml")
    linked = write_letter(d, letter_text("linked.png"), name="linked.yaml")
    upward = write_letter(d, letter_text("../srv/office/images/garuda.png"), name="upward.yaml")
    # not configured: an absolute path is unsafe as written, the link leaves the folder
    refused(absolute, tmp_path / "out0", "path-unsafe")
    refused(linked, tmp_path / "out0", "emblem-outside")
    refused(upward, tmp_path / "out0", "path-unsafe")
    (tmp_path / "docgen.toml").write_text(f'[assets]\nallowed = ["{tmp_path / "srv/office/images"}"]\n',
                                          encoding="utf-8")
    for src in (absolute, linked, upward):
        result = api.render_file(src, tmp_path / "out", formats=FORMATS)
        assert result.composed.emblem.path == os.path.realpath(shared / "garuda.png")
        rendered_images(result)
    # an allowed folder does not open the rest of the disk
    os.symlink("/etc/passwd", shared / "passwd.png")
    refused(write_letter(d, letter_text(str(shared / "passwd.png")), name="p.yaml"), tmp_path / "out1",
            "emblem-outside")


def test_relative_allowed_folder_and_a_bad_assets_table(tmp_path):
    picture(tmp_path / "images" / "garuda.png")
    d = letter_dir(tmp_path)
    src = write_letter(d, letter_text("../images/garuda.png"))
    (tmp_path / "docgen.toml").write_text('[assets]\nallowed = ["images"]\n', encoding="utf-8")
    rendered_images(api.render_file(src, tmp_path / "out", formats=FORMATS))
    (tmp_path / "docgen.toml").write_text('[assets]\nallowed = "images"\n', encoding="utf-8")
    refused(src, tmp_path / "out1", "emblem-config")
    (tmp_path / "docgen.toml").write_text('[assets]\nallow = ["images"]\n', encoding="utf-8")
    refused(src, tmp_path / "out2", "emblem-config")
    # a register-only docgen.toml still works for the register and allows no folder
    (tmp_path / "docgen.toml").write_text('[register]\nurl = "sqlite:///r.db"\n', encoding="utf-8")
    refused(src, tmp_path / "out3", "path-unsafe")
    from docgen import config
    assert config.locate_register(cwd=tmp_path).url == f"sqlite:///{tmp_path}/r.db"


def test_a_link_swapped_after_the_check_is_refused_from_the_open_descriptor(tmp_path, monkeypatch):
    """No TOCTOU: the link is checked, then swapped to /etc/passwd just before the open;
    the open descriptor's real path is what decides, and nothing is read from it."""
    d = letter_dir(tmp_path)
    picture(d / "garuda.png")
    os.symlink("garuda.png", d / "emblem.png")
    real_open, real_read = os.open, os.read
    reads = []

    def swapping_open(path, flags, *a, **kw):
        if str(path).endswith("emblem.png"):
            os.unlink(path)
            os.symlink("/etc/passwd", path)
        return real_open(path, flags, *a, **kw)

    def watched_read(fd, n):
        reads.append(fd)
        return real_read(fd, n)

    monkeypatch.setattr(assets.os, "open", swapping_open)
    monkeypatch.setattr(assets.os, "read", watched_read)
    with pytest.raises(assets.AssetError) as e:
        assets.read_fenced(d / "emblem.png", (os.path.realpath(d),), 10_000_000)
    assert e.value.code == "emblem-outside" and not reads


def test_the_cli_api_and_batch_check_say_emblem_in_both_languages(tmp_path, capsys):
    d = letter_dir(tmp_path)
    os.symlink("/etc/passwd", d / "emblem.png")
    src = write_letter(d, letter_text("emblem.png"))
    out = tmp_path / "out"
    assert cli.main(["render", str(src), "-o", str(out), "--format", "pdf,docx"]) == 1
    err = capsys.readouterr()
    text = err.out + err.err
    assert "[emblem]" in text and "ตราครุฑ" in text and "outside the allowed folders" in text
    assert "Traceback" not in text and "internal error" not in text
    assert not out.exists() or not any(out.iterdir())
    assert cli.main(["check", str(src)]) == 1
    assert "[emblem]" in capsys.readouterr().out
    problems = api.check(src)
    assert [p.code for p in problems.errors if p.field == "emblem"] == ["emblem-outside"]
    # the batch validates every row through the same function (api.validate_mapping)
    batch = tmp_path / "batch"
    shutil.copytree(ROOT / "examples" / "batch", batch / "batch")
    shutil.copytree(ROOT / "examples" / "profiles", batch / "profiles")
    shutil.copy(ROOT / "examples" / "docgen.toml", batch / "docgen.toml")   # the office folder: ../profiles
    notice = batch / "batch" / "notice.yaml"
    notice.write_text(notice.read_text(encoding="utf-8") + "emblem: emblem.png\n", encoding="utf-8")
    os.symlink("/etc/passwd", batch / "batch" / "emblem.png")
    code = cli.main(["check", str(notice), "--to", str(batch / "batch" / "recipients.csv")])
    text = "".join(capsys.readouterr())
    assert code == 1 and "[emblem]" in text and "Traceback" not in text, text


# ---- 2. images decoded before use; both renderers get the same one ---------------------

def _truncated_png(path: Path) -> Path:
    data = picture(path.with_suffix(".full.png")).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _fake_png(path: Path) -> Path:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00\x00\x01\x00" * 2 + b"junk" * 300)
    return path


def _truncated_jpeg(path: Path) -> Path:
    data = picture(path.with_suffix(".full.jpg"), fmt="JPEG").read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _fake_jpeg(path: Path) -> Path:
    path.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(2000))
    return path


def _bomb(path: Path) -> Path:
    Image.new("1", (20000, 20000)).save(path, optimize=True)      # ~50 kB, 400 M pixels
    return path


def _animated(path: Path) -> Path:
    frames = [Image.new("RGB", (60, 70), c) for c in ("red", "blue")]
    frames[0].save(path, "PNG", save_all=True, append_images=frames[1:], duration=100)
    return path


@pytest.mark.parametrize("make,code", [
    (_truncated_png, "emblem-decode"),
    (_fake_png, "emblem-decode"),
    (_truncated_jpeg, "emblem-decode"),
    (_fake_jpeg, "emblem-decode"),
    (_bomb, "emblem-pixels"),
    (_animated, "emblem-frames"),
], ids=["truncated-png", "fake-png", "truncated-jpeg", "fake-jpeg", "bomb", "animated"])
def test_an_unusable_image_is_an_error_on_emblem_and_nothing_is_written(tmp_path, make, code):
    d = letter_dir(tmp_path)
    make(d / "emblem.png")
    src = write_letter(d, letter_text("emblem.png"))
    refused(src, tmp_path / "out", code)


def test_an_oversized_file_is_refused_before_it_is_decoded(tmp_path, monkeypatch):
    from docgen import limits
    d = letter_dir(tmp_path)
    size = picture(d / "emblem.png").stat().st_size
    real_get = limits.get
    monkeypatch.setattr(limits, "get", lambda k: size - 1 if k == "image.bytes" else real_get(k))
    refused(write_letter(d, letter_text("emblem.png")), tmp_path / "out", "emblem-bytes")


def _cmyk_jpeg(path: Path) -> Path:
    return picture(path, mode="CMYK", fmt="JPEG", quality=95)


def _png16(path: Path) -> Path:
    Image.linear_gradient("L").resize((120, 140)).convert("I").point(lambda v: v * 257).convert("I;16").save(path, "PNG")
    return path


def _palette(path: Path) -> Path:
    img = Image.effect_noise((120, 140), 60).convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE)
    img.save(path, "PNG", transparency=0)
    return path


def _exif_rotated(path: Path) -> Path:
    img = Image.effect_noise((160, 90), 60).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6                                             # rotate 90° to display
    img.save(path, "JPEG", exif=exif, quality=95)
    return path


def _zero_dpi(path: Path) -> Path:
    return picture(path, dpi=(0.03, 0.03))                       # pHYs 1 px/m: python-docx's dpi is 0


def _grey_alpha(path: Path) -> Path:
    return picture(path, mode="LA")


@pytest.mark.parametrize("make,size,mode", [
    (_cmyk_jpeg, (120, 140), "RGB"),
    (_png16, (120, 140), "RGB"),
    (_palette, (120, 140), "RGBA"),
    (_exif_rotated, (90, 160), "RGB"),                            # upright
    (_zero_dpi, (120, 140), "RGB"),
    (_grey_alpha, (120, 140), "RGBA"),
], ids=["cmyk-jpeg", "png-16bit", "palette-transparent", "exif-orientation", "zero-dpi", "grey-alpha"])
def test_odd_images_are_normalised_once_and_both_files_carry_the_same(tmp_path, make, size, mode):
    d = letter_dir(tmp_path)
    make(d / "emblem.img")
    src = write_letter(d, letter_text("emblem.img"))
    result = api.render_file(src, tmp_path / "out", formats=FORMATS)
    got = rendered_images(result)
    assert got["validated"].format == "PNG" and got["validated"].mode == mode
    assert got["validated"].size == size


def test_a_plain_png_is_kept_byte_for_byte(tmp_path):
    d = letter_dir(tmp_path)
    data = picture(d / "emblem.png", mode="RGBA").read_bytes()
    result = api.render_file(write_letter(d, letter_text("emblem.png")), tmp_path / "out", formats=FORMATS)
    assert rendered_images(result)["docx"] == data


def test_the_docx_cache_follows_the_content_not_the_path(tmp_path):
    """The compiled DOCX template is cached per emblem image: a file replaced by another of
    the same size and time must not print the old picture."""
    d = letter_dir(tmp_path)
    src = write_letter(d, letter_text("emblem.png"))
    first = picture(d / "emblem.png", size=(100, 100))
    st = first.stat()
    data1 = first.read_bytes()
    api.render_file(src, tmp_path / "out1", formats=FORMATS)
    navy = io.BytesIO()
    Image.new("RGB", (100, 100), "navy").save(navy, "PNG")
    assert len(navy.getvalue()) < len(data1)
    first.write_bytes(navy.getvalue().ljust(len(data1), b"\x00"))   # the same size as the first …
    os.utime(first, ns=(st.st_atime_ns, st.st_mtime_ns))            # … and the same time
    result = api.render_file(src, tmp_path / "out2", formats=FORMATS)
    got = rendered_images(result)
    assert got["validated"].getpixel((0, 0)) == (0, 0, 128)


def test_the_pdf_fetcher_serves_only_the_validated_bytes(tmp_path):
    from docgen.render import pdf as pdf_render
    d = letter_dir(tmp_path)
    picture(d / "emblem.png")
    image = assets.load_image("emblem.png", d)
    fetch = pdf_render.project_fetcher((pdf_render.FONTS_DIR,), (image,))
    assert fetch.fetch(image.url).read() == image.data
    for url in [f"{assets.URL_SCHEME}:{'0' * 64}.png", (d / "emblem.png").as_uri(), "data:image/png;base64,AAAA",
                "http://127.0.0.1:1/x.png", "file:///etc/passwd"]:
        with pytest.raises(ValueError):
            fetch.fetch(url)
    with pytest.raises(TypeError):                               # renderers take validated images only
        assets.validated(str(d / "emblem.png"))


# ---- 3. no file outside the allowed set is opened (an audit hook, in a subprocess) ----------

_AUDIT = textwrap.dedent("""
    import json, os, sys
    opened = []
    def hook(event, args):
        if event == "open" and args and isinstance(args[0], (str, bytes)):
            opened.append(os.fsdecode(args[0]))
    from docgen import api
    from docgen.errors import InputError
    sys.addaudithook(hook)
    results = {}
    for name in sys.argv[2:]:
        try:
            api.render_file(name, sys.argv[1], formats=("pdf", "docx"))
            results[name] = "ok"
        except InputError as e:
            results[name] = [p.code for p in e.problems if p.severity == "error"]
    print(json.dumps({"opened": opened, "results": results}))
""")


def test_no_file_outside_the_allowed_set_is_opened(tmp_path):
    d = letter_dir(tmp_path)
    outside = picture(tmp_path / "elsewhere" / "garuda.png")
    os.symlink("/etc/passwd", d / "passwd.png")
    os.symlink(outside, d / "outside.png")
    os.symlink(tmp_path / "elsewhere", d / "dir")
    picture(d / "good.png")
    letters = [write_letter(d, letter_text(e), name=f"{n}.yaml") for n, e in
               [("passwd", "passwd.png"), ("outside", "outside.png"), ("dir", "dir/garuda.png"),
                ("good", "good.png")]]
    out = tmp_path / "out"
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg"), "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", _AUDIT, str(out), *map(str, letters)], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout.splitlines()[-1])
    assert report["results"] == {str(letters[0]): ["emblem-outside"], str(letters[1]): ["emblem-outside"],
                                 str(letters[2]): ["emblem-outside"], str(letters[3]): "ok"}
    real = [os.path.realpath(os.path.join(tmp_path, p)) for p in report["opened"]]

    def under(p, folders):
        return any(p == f or p.startswith(f + os.sep) for f in map(os.path.realpath, folders))

    # inside the test's folder only the letters' folder (with its profiles/) and the output;
    # elsewhere docgen's own files, Python's, and what libraries open by themselves (urllib's
    # /etc/mime.types, WeasyPrint's scratch files in the temporary folder, the time zone)
    import sysconfig
    import tempfile
    mine = [p for p in real if under(p, [tmp_path])]
    assert all(under(p, [d, out]) for p in mine), [p for p in mine if not under(p, [d, out])]
    system = [ROOT, sys.prefix, sys.base_prefix, sys.exec_prefix, *sysconfig.get_paths().values(),
              "/usr/share/zoneinfo", "/etc/mime.types", tempfile.gettempdir(),
              "/proc"]          # docgen/render/fonts.py reads /proc/*/stat: is a font folder's process alive?
    elsewhere = [p for p in real if not under(p, [tmp_path]) and not under(p, system)
                 and not p.endswith("/docgen.toml")]
    assert not elsewhere, elsewhere
    assert "/etc/passwd" not in real and str(os.path.realpath(outside)) not in real
    # the good emblem is opened once, by the model: neither renderer reads it again
    assert real.count(os.path.realpath(d / "good.png")) == 1, real


@pytest.mark.parametrize("value", ["\ud800.png", "a\x00.png", "x" * 5000 + ".png", " ", "\uffff.png",
                                   "docgen-asset:" + "0" * 64 + ".png", "FILE:///etc/passwd", "sub/"])
def test_odd_emblem_names_are_field_errors(tmp_path, value):
    d = letter_dir(tmp_path)
    (d / "sub").mkdir()
    letter = {"type": "external", "profile": "profiles/opdc.yaml", "emblem": value, "subject": "ทดสอบ",
              "to": "อธิบดีกรมทดสอบ", "body": ["ข้อความ"], "purpose": "เพื่อโปรดทราบ"}
    write_letter(d, "type: external\n")
    model, problems = api.validate_mapping(letter, d)
    assert model is None
    assert [p.field for p in problems.errors] == ["emblem"], [str(p) for p in problems.errors]
    for p in problems.errors:
        assert p.th and p.en                                  # both languages format


# ---------------------------------------------------------------- the profile's own fence

def _profile_letter(folder: Path, profile_ref: str) -> Path:
    from tests.test_input import GOOD
    import yaml as _yaml
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "letter.yaml"
    path.write_text(_yaml.safe_dump({**GOOD, "profile": profile_ref}, allow_unicode=True), encoding="utf-8")
    return path


def test_a_profile_outside_the_letter_and_office_folders_is_never_read(tmp_path, monkeypatch):
    import shutil as _sh
    from docgen import api
    from docgen.data import EXAMPLES_DIR
    office = tmp_path / "office"
    (office / "profiles").mkdir(parents=True)
    _sh.copy(EXAMPLES_DIR / "profiles" / "opdc.yaml", office / "profiles" / "opdc.yaml")
    letter = _profile_letter(office / "กอง", "../profiles/opdc.yaml")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    fields = lambda: [(p.field, p.code) for p in api.check(letter).errors]   # noqa: E731
    assert fields() == [("profile", "profile-outside")]          # no office folder declared
    (office / "docgen.toml").write_text("")                       # the office's folder
    assert fields() == []
    for ref in ("/etc/passwd", "../../../../../../etc/passwd"):
        bad = _profile_letter(office / "กอง", ref)
        assert [(p.field, p.code) for p in api.check(bad).errors] == [("profile", "profile-outside")]
    (office / "กอง" / "link.yaml").symlink_to("/etc/passwd")
    bad = _profile_letter(office / "กอง", "link.yaml")
    problems = api.check(bad).errors
    assert [(p.field, p.code) for p in problems] == [("profile", "profile-outside")]
    assert "root:" not in " ".join(p.th + p.en for p in problems)
