#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# install-deps.sh: install the Debian packages frontera's build, tests and
# benchmarks need. Idempotent: it asks apt-get only for packages that are
# missing, so a second run costs a dpkg query and nothing else.
set -euo pipefail

PKGS=(
  build-essential cmake pkg-config clang libclang-rt-dev llvm
  libsqlite3-dev sqlite3 libpq-dev postgresql postgresql-contrib
  libmicrohttpd-dev libjansson-dev libicu-dev libsodium-dev libcmocka-dev
  valgrind python3 clang-format clang-tidy
  libxml2-dev libcurl4-gnutls-dev gettext libxlsxwriter-dev
  libxxhash-dev  # XXH3: the analytics snapshot's checksums
  nodejs npm   # the web pages' build (chart library from npm) and the browser tests
  chromium     # the browser tests (Playwright drives Debian's Chromium)
  unicode-data iso-codes  # read only to regenerate src/screen tables (gen-name-variants.py, gen-iso2-table.py)
)
# Tools only the benchmarks and the load test use. Installed by default;
# FRONTERA_MINIMAL_DEPS=1 skips them on a machine that only builds and tests.
EXTRA=(wrk hyperfine)

want=("${PKGS[@]}")
if [ "${FRONTERA_MINIMAL_DEPS:-0}" != 1 ]; then want+=("${EXTRA[@]}"); fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# node and npm may come from outside Debian's packages (a preinstalled Node.js);
# a working binary is as good as the package.
filtered=()
for p in "${missing[@]}"; do
  case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  filtered+=("$p")
done
missing=("${filtered[@]+"${filtered[@]}"}")

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
