#!/usr/bin/env bash
# Builds a wheel and an sdist of every distribution of this repository into dist/ (or the folder
# given as the first argument), then checks them with `twine check` as a package index would.
# Works offline: the build runs without isolation, with the setuptools, build and twine of
# $PYTHON (default: .venv/bin/python, as set up by scripts/setup.sh).
#
#     scripts/build_wheels.sh              # -> dist/
#     scripts/build_wheels.sh /tmp/wheels  # -> /tmp/wheels
#     pip install --find-links dist gxf-std gxf-cuda
set -euo pipefail
out="$(realpath -m "${1:-$(dirname "$0")/../dist}")"  # a relative folder is the caller's
cd "$(dirname "$0")/.."

python="${PYTHON:-.venv/bin/python}"
if [[ ! -x "$python" ]] && ! command -v "$python" >/dev/null; then
    echo "error: no Python at $python: run scripts/setup.sh first, or set PYTHON" >&2
    exit 1
fi
for module in build twine setuptools; do
    if ! "$python" -c "import $module" 2>/dev/null; then
        echo "error: $python has no '$module': run scripts/setup.sh (requirements-dev.txt lists it)" >&2
        exit 1
    fi
done

mkdir -p "$out"
distributions=(gxf_core gxf_std gxf_cuda gxf_python_codelet gxf_serialization gxf_http gxf_grpc gxf_ucx)
for dist in "${distributions[@]}"; do
    # artifacts of an earlier version would be checked, and found by pip, beside the new ones
    rm -f "$out/$dist"-*.whl "$out/$dist"-*.tar.gz
done
for dist in "${distributions[@]}"; do
    "$python" -m build --no-isolation --outdir "$out" "$dist" >"$out/.build-$dist.log" 2>&1 || {
        cat "$out/.build-$dist.log" >&2
        echo "error: building $dist failed (log above)" >&2
        exit 1
    }
    rm -f "$out/.build-$dist.log"
done
"$python" -m twine check --strict "$out"/gxf_*.whl "$out"/gxf_*.tar.gz
echo "built into $out/: $(cd "$out" && ls gxf_*.whl gxf_*.tar.gz | tr '\n' ' ')" >&2
