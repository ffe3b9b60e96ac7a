#!/usr/bin/env bash
# Build the wheel, install it into a new venv OUTSIDE the repository, and from another folder
# run `docgen demo`, render every example and run a short API script; then check the files.
# Used by .ci/run after the tests (the repo's own .venv must exist: scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/pip wheel -q --disable-pip-version-check --no-deps -w "$work/dist" . >/dev/null
wheel=$(ls "$work"/dist/docgen-*.whl)
# the message catalogs travel compiled (setup.py), their .po sources stay here
listing=$(unzip -l "$wheel")        # once: grep -q closing a pipe early would fail it (pipefail)
for lang in th en; do
  grep -q "docgen/locale/$lang/LC_MESSAGES/docgen.mo" <<<"$listing" \
    || { echo "check_wheel: the wheel lacks the $lang message catalog" >&2; exit 1; }
done
if grep -q "\.po$" <<<"$listing"; then echo "check_wheel: .po sources in the wheel" >&2; exit 1; fi
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check "$wheel" pikepdf python-docx >/dev/null
mkdir "$work/elsewhere"
cd "$work/elsewhere"                        # no repository files reachable from here
"$work/venv/bin/docgen" --help >/dev/null
"$work/venv/bin/docgen" --version | grep -qx "docgen [0-9][0-9.]*"
"$work/venv/bin/python" -c "import docgen, importlib.resources as r; assert (r.files('docgen') / 'py.typed').is_file()"
"$work/venv/bin/docgen" demo -o demo >/dev/null
site=$("$work/venv/bin/python" -c "import docgen, pathlib; print(pathlib.Path(docgen.__file__).parent)")
case "$site" in "$repo"*) echo "check_wheel: docgen was imported from the repository ($site)" >&2; exit 1;; esac
cp -r "$site/_assets/examples" examples
"$work/venv/bin/docgen" check examples/*.yaml >/dev/null 2>&1
# messages from the installed catalogs, in the language asked for (no Babel in this venv)
printf 'type: external\nsubject: x\n' > bad.yaml
th=$(DOCGEN_LANG=th "$work/venv/bin/docgen" check bad.yaml 2>&1 || true)     # exit 1: it is invalid
en=$(DOCGEN_LANG=en "$work/venv/bin/docgen" check bad.yaml 2>&1 || true)
grep -q "ต้องระบุ ข้อความ (body)" <<<"$th" && ! grep -q "body is required" <<<"$th" \
    || { echo "check_wheel: no Thai-only message from the installed catalog: $th" >&2; exit 1; }
grep -q "body is required" <<<"$en" && ! grep -q "ต้องระบุ" <<<"$en" \
    || { echo "check_wheel: no English-only message from the installed catalog: $en" >&2; exit 1; }
if "$work/venv/bin/python" -c "import babel" 2>/dev/null; then echo "check_wheel: Babel is installed at run time" >&2; exit 1; fi
"$work/venv/bin/docgen" render examples/*.yaml -o rendered >/dev/null 2>&1
printf '[register]\nurl = "sqlite:///office.db"\n' > docgen.toml           # the README's register steps
"$work/venv/bin/docgen" register init --profile examples/profiles/opdc.yaml >/dev/null
"$work/venv/bin/docgen" issue examples/01_external_references.yaml -o issued >/dev/null 2>&1
"$work/venv/bin/docgen" batch examples/batch/notice.yaml --to examples/batch/recipients.csv \
    --dry-run -o batch >/dev/null 2>&1
"$work/venv/bin/docgen" register export --format xlsx -o register.xlsx >/dev/null
"$work/venv/bin/python" - <<'PY'
from pathlib import Path
import docx, pikepdf
from docgen import api
result = api.render_file("examples/02_memo.yaml", "api-out")
assert set(result.paths) == {"pdf", "docx"}, result.paths
examples = sorted(p.stem for p in Path("examples").glob("*.yaml"))
for folder in ("demo", "rendered"):
    for stem in examples:
        with pikepdf.open(f"{folder}/{stem}.pdf") as pdf:
            assert len(pdf.pages) >= 1 and "letter.json" in pdf.attachments, stem
        assert docx.Document(f"{folder}/{stem}.docx").paragraphs, stem
issued = list(Path("issued").glob("นร1200-1-*-01_external_references.pdf"))
assert len(issued) == 1 and len(list(Path("batch/preview").glob("*.pdf"))) == 5, issued
assert Path("register.xlsx").stat().st_size > 0
print(f"check_wheel: {len(examples)} examples rendered from the installed wheel (demo, render, API), "
      "a letter issued, a batch previewed, the register exported")
PY
