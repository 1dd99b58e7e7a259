#!/usr/bin/env bash
# Install everything the whole test suite needs, from scratch, then run it (lint, types, tests).
# Used by .ci/run and by the README's second command.
set -euo pipefail
cd "$(dirname "$0")/.."

# Headless Chromium for the web UI tests (Debian package; Playwright drives it, no browser download).
if ! [ -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "warning: could not install chromium; browser tests will skip"
  else
    echo "warning: /usr/bin/chromium missing and not root; browser tests will skip"
  fi
fi

[ -d .venv ] || python3 -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
python -m pip install -q -U pip
# The CPU build of torch for the optional transformers backend's test; a plain `torch` would pull a CUDA build.
python -m pip install -q 'torch==2.13.0' || echo "warning: torch unavailable; transformers tests will skip"
python -m pip install -q -e '.[all,transformers,dev]'

echo "== ruff"; ruff check src tests bench
echo "== mypy"; mypy src/marsad
# pytest includes tests/reliability/test_core_install.py: a fresh core-only venv (no extras) runs the README's first
# command and reads ../shared/data/html-arabic pages (~30 s; pip resolves from the index and the local wheel cache).
echo "== pytest"
export MARSAD_SHARED="${MARSAD_SHARED:-$(cd .. && pwd)/shared}"
python -m pytest -q -p no:cacheprovider --timeout=900 "$@"
