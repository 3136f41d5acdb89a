#!/usr/bin/env bash
# Sets up a development environment in .venv (or $VENV): every distribution of this repository,
# installed editable, plus the test requirements. Safe to run again; --fresh starts from an empty venv.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${VENV:-.venv}"
if [[ "${1:-}" == "--fresh" ]]; then
    rm -rf "$venv"
fi
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi

installs=()
for dist in gxf_core gxf_std gxf_cuda gxf_python_codelet; do
    if [[ -f "$dist/pyproject.toml" ]]; then
        installs+=(-e "./$dist")
    fi
done

"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${installs[@]}" -r requirements-dev.txt
echo "set up $venv with: ${installs[*]//-e /}" >&2
