#!/usr/bin/env bash
# Bring the locked dependency files in requirements/ up to date: the newest releases that
# pyproject.toml's ranges allow, for every platform, with the hash of every file.
#
#   bash tools/lock.sh             # move every package to its newest allowed release
#   bash tools/lock.sh markdown    # move only these packages; keep the others where they are
#
# Then run `.ci/run` and commit requirements/ with what changed. uv is used only here, to
# resolve; installing from the files needs nothing but pip (`pip install --require-hashes`).
set -euo pipefail
cd "$(dirname "$0")/.."

uv_version="0.13.9"
if command -v uv >/dev/null 2>&1; then
  uv=(uv)
else
  tools_venv="${SITEGEN_TOOLS_VENV:-${TMPDIR:-/tmp}/sitegen-lock-tools}"
  if [ ! -x "$tools_venv/bin/uv" ]; then
    python3 -m venv "$tools_venv"
    "$tools_venv/bin/python" -m pip install -q --disable-pip-version-check "uv==$uv_version"
  fi
  uv=("$tools_venv/bin/uv")
fi

upgrade=(--upgrade)
if [ "$#" -gt 0 ]; then
  upgrade=()
  for name in "$@"; do upgrade+=(--upgrade-package "$name"); done
fi

compile() {  # compile OUTPUT [--extra NAME]
  local out="$1"; shift
  "${uv[@]}" pip compile pyproject.toml requirements/build.in "$@" \
    --universal --python-version 3.11 --generate-hashes --quiet --custom-compile-command "bash tools/lock.sh" \
    "${upgrade[@]}" --output-file "$out"
}
compile requirements/run.txt
compile requirements/test.txt --extra test
echo "requirements/run.txt and requirements/test.txt are up to date; run .ci/run, then commit them."
