#!/usr/bin/env bash
# Set up docgen on a fresh Debian/Ubuntu machine and render the examples into output/.
#   scripts/setup.sh            system libraries + .venv + render the examples
#   scripts/setup.sh --tests    also what the tests need (poppler-utils, LibreOffice), no demo
# System packages are installed with apt-get (as root, or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_TESTS=0
[ "${1:-}" = "--tests" ] && WITH_TESTS=1

# WeasyPrint needs Pango (with libthai for Thai line breaking) and HarfBuzz's subsetter;
# python3-venv for the virtual environment.
PKGS="python3 python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libthai0 fontconfig"
# The tests read PDFs with poppler (pdftotext, pdffonts, pdftoppm), open our DOCX in LibreOffice
# Writer, convert the register XLSX with LibreOffice Calc, and count the programs a render
# runs with strace (none may be spawned).
TEST_PKGS="poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui strace"
[ "$WITH_TESTS" = 1 ] && PKGS="$PKGS $TEST_PKGS"

missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "docgen: installing system packages:$missing"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # with recommends: LibreOffice's headless conversion was only measured that way (rendering.md §4)
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check -e ".[test]"

if [ "$WITH_TESTS" = 0 ]; then
  .venv/bin/docgen demo -o output
  echo "docgen: the examples are in output/ (PDF/A-3b and DOCX)."
fi
