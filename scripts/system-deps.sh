#!/usr/bin/env bash
# Check (and, as root with apt, install) the system packages leadroi needs:
#   - Pango (and HarfBuzz's font subsetter) for WeasyPrint's PDF rendering,
#   - a CJK font, so Chinese renders in charts and PDFs instead of empty boxes,
#   - poppler-utils (pdftotext, pdffonts, pdftoppm) used by the tests to read PDFs,
#   - python3-venv when the system Python cannot create virtual environments,
#   - g++ and the Python headers, to build ChannelAttribution (the bench extra).
# Idempotent: prints nothing when everything is present.
set -euo pipefail

missing=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1" || ls /usr/lib/*/"$1"* >/dev/null 2>&1; }

have_lib libpango-1.0.so || missing+=(libpango-1.0-0)
have_lib libpangoft2-1.0.so || missing+=(libpangoft2-1.0-0)
# HarfBuzz's subsetter makes WeasyPrint embed CJK fonts in seconds instead of ~40 s
have_lib libharfbuzz-subset.so || missing+=(libharfbuzz-subset0)
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
  missing+=(fonts-noto-cjk)
fi
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
python3 -c "import venv, ensurepip" >/dev/null 2>&1 || missing+=(python3-venv)
# the bench extra's ChannelAttribution (attribution reference) builds from source
command -v g++ >/dev/null 2>&1 || missing+=(g++)
python3 -c "import os, sysconfig; assert os.path.exists(sysconfig.get_paths()['include'] + '/Python.h')" \
  >/dev/null 2>&1 || missing+=(python3-dev)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # matplotlib caches the font list; a font installed after the cache is invisible to it
  rm -rf "${HOME:-/root}/.cache/matplotlib"
  exit 0
fi

cat >&2 <<MSG
leadroi needs these system packages: ${missing[*]}
Install them, then run make again:
  Debian/Ubuntu:  sudo apt-get install ${missing[*]}
  macOS (brew):   brew install pango poppler   (a CJK font such as PingFang SC is built in)
Then delete matplotlib's font cache:  rm -rf ~/.cache/matplotlib
MSG
exit 1
