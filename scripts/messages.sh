#!/usr/bin/env bash
# Extract docgen's messages from the source into its gettext catalogs with pybabel, keeping every
# translation already made:  docgen/locale/<th|en>/LC_MESSAGES/docgen.po
#   M_("code", "English")  a coded message (docgen/messages.py): msgctxt code, msgid English
#   tr("English") N_("…")  a plain string of the command line
# Then write the Thai of each new or changed (fuzzy) entry in th.po: tests/test_messages.py fails
# while one is missing.  The English catalog is the message ids: empty English entries are filled
# with their msgid.  The .mo files are compiled when the package is built (setup.py) and by
# scripts/setup.sh; a checkout compiles a .po newer than its .mo in memory (docgen/i18n.py).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
POT=$(mktemp --suffix=.pot)
trap 'rm -f "$POT"' EXIT
"$BIN/pybabel" -q extract -F babel.cfg --no-default-keywords -k M_:1c,2 -k tr -k N_ \
  --no-location --no-wrap --project docgen --copyright-holder "docgen authors" -o "$POT" .
for lang in th en; do
  po=docgen/locale/$lang/LC_MESSAGES/docgen.po
  if [ -f "$po" ]; then
    "$BIN/pybabel" -q update -i "$POT" -d docgen/locale -D docgen -l "$lang" --no-wrap --ignore-obsolete
  else
    "$BIN/pybabel" -q init -i "$POT" -d docgen/locale -D docgen -l "$lang" --no-wrap
  fi
done
"$BIN/python" - <<'PY'
from babel.messages import pofile
path = "docgen/locale/en/LC_MESSAGES/docgen.po"
with open(path, "rb") as f:
    cat = pofile.read_po(f)
for m in cat:
    if m.id and (not m.string or m.fuzzy):
        m.string, m.flags = m.id, m.flags - {"fuzzy"}
with open(path, "wb") as f:
    pofile.write_po(f, cat, width=0, omit_header=False, ignore_obsolete=True, include_lineno=False)
with open("docgen/locale/th/LC_MESSAGES/docgen.po", "rb") as f:
    todo = [m for m in pofile.read_po(f) if m.id and (not m.string or m.fuzzy)]
for m in todo:
    print(f"th.po needs Thai: {m.context or ''} {m.id!r}{' (fuzzy: check it)' if m.fuzzy else ''}")
print(f"docgen: catalogs updated; {len(todo)} Thai entries to write" if todo else "docgen: catalogs up to date")
PY
