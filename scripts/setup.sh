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
for dist in gxf_core gxf_std gxf_cuda gxf_python_codelet gxf_serialization gxf_http gxf_grpc gxf_ucx; do
    if [[ -f "$dist/pyproject.toml" ]]; then
        installs+=(-e "./$dist")
    fi
done

"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${installs[@]}" -r requirements-dev.txt

# Graphviz's dot lays out `gxf graph --format svg|png` (dot and mermaid text need nothing): installed
# from the system's packages where that is possible, otherwise named.
if ! command -v dot >/dev/null 2>&1; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz; } >/dev/null 2>&1 \
            || echo "warning: could not install graphviz; gxf graph --format svg|png needs its dot program" >&2
    else
        echo "note: install Graphviz (apt-get install graphviz) for gxf graph --format svg|png" >&2
    fi
fi

# Chromium drives the dashboard's browser test (tests/dashboard/) headless; without it that test is
# skipped, saying why.
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 \
            || echo "warning: could not install chromium; the dashboard's browser test will be skipped" >&2
    else
        echo "note: install Chromium (apt-get install chromium) for the dashboard's browser test" >&2
    fi
fi
echo "set up $venv with: ${installs[*]//-e /}" >&2
