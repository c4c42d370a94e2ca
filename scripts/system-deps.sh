#!/usr/bin/env bash
# Check (and, as root with apt, install) the system packages leadroi needs:
#   - Pango (and HarfBuzz's font subsetter) for WeasyPrint's PDF rendering,
#   - a CJK font, so Chinese renders in charts and PDFs instead of empty boxes,
#   - poppler-utils (pdftotext, pdffonts, pdftoppm) used by the tests to read PDFs,
#   - python3-venv when the system Python cannot create virtual environments.
# With the argument `test` (make test, make test-fast, the bench extra) also:
#   - g++ and the Python headers, to build ChannelAttribution (the bench extra, a test
#     and benchmark reference for attribution),
#   - a PostgreSQL server, which the tests start in a throwaway cluster to read a real
#     database (tests/postgres_server.py). Installed as root with apt; otherwise only
#     reported, and those tests skip with the reason (CI sets LEADROI_REQUIRE_POSTGRES=1
#     and runs as root, so there they always run).
#   - a Java runtime (17+) for the Spark test (engine: {backend: spark}, pyspark 4.0);
#     likewise installed as root with apt, else reported (CI sets LEADROI_REQUIRE_SPARK=1).
# Idempotent: prints nothing when everything is present.
set -euo pipefail

missing=()
optional=()
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
if [ "${1:-}" = test ]; then
  # the bench extra's ChannelAttribution (attribution reference) builds from source
  command -v g++ >/dev/null 2>&1 || missing+=(g++)
  python3 -c "import os, sysconfig; assert os.path.exists(sysconfig.get_paths()['include'] + '/Python.h')" \
    >/dev/null 2>&1 || missing+=(python3-dev)
fi

have_initdb() {
  local bindir
  bindir="$(pg_config --bindir 2>/dev/null || true)"
  [ -n "$bindir" ] && [ -x "$bindir/initdb" ] && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && return 0
  command -v initdb >/dev/null 2>&1
}
if [ "${1:-}" = test ] && ! have_initdb; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    missing+=(postgresql)
  else
    optional+=(postgresql)
  fi
fi
if [ ${#optional[@]} -gt 0 ]; then
  echo "Note: ${optional[*]} not installed; the PostgreSQL source tests will be skipped" \
       "(sudo apt-get install ${optional[*]})." >&2
fi
have_java() { { [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; } || command -v java >/dev/null 2>&1; }
if [ "${1:-}" = test ] && ! have_java; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    missing+=(openjdk-17-jre-headless)
  else
    echo "Note: Java not installed; the Spark test will be skipped" \
         "(sudo apt-get install -y openjdk-17-jre-headless)." >&2
  fi
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # slim images drop /usr/share/man; the JRE's post-install step links man pages into it
  mkdir -p /usr/share/man/man1
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
