#!/usr/bin/env bash
# Builds the Python binding of oa and runs its checks: the wheel is built with maturin and
# installed into bindings/python/.venv, the stubs are checked against the compiled module with
# mypy.stubtest and used by mypy over the tests, then pytest runs the tests.
#
# Idempotent: it installs only what is missing (python3-venv from apt on Debian; maturin, pytest
# and mypy at pinned versions in the venv) and cargo reuses what it built before.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

MATURIN_VERSION=1.16.0
PYTEST_VERSION=9.2.0
MYPY_VERSION=2.4.1

# Python 3.10 or newer (mypy needs it; the wheel itself runs on 3.9+) with venv and ensurepip,
# which Debian ships in python3-venv.
python_ok() {
    command -v python3 >/dev/null &&
        python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' 2>/dev/null
}
if ! python_ok; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "installing python3 and python3-venv with apt"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq python3 python3-venv >/dev/null
    fi
    python_ok || { echo "error: python3 (3.10 or newer) with the venv module is needed" >&2; exit 1; }
fi
command -v cargo >/dev/null || { echo "error: cargo is needed to build the binding (see rustup.rs)" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
py="$here/.venv/bin/python"

installed() { # name version
    [ "$("$py" -c "import importlib.metadata as m; print(m.version('$1'))" 2>/dev/null || true)" = "$2" ]
}
wanted=()
installed maturin "$MATURIN_VERSION" || wanted+=("maturin==$MATURIN_VERSION")
installed pytest "$PYTEST_VERSION" || wanted+=("pytest==$PYTEST_VERSION")
installed mypy "$MYPY_VERSION" || wanted+=("mypy==$MYPY_VERSION")
if [ ${#wanted[@]} -gt 0 ]; then
    echo "installing ${wanted[*]} into bindings/python/.venv"
    "$py" -m pip install -q --disable-pip-version-check "${wanted[@]}"
fi

# A debug build: the tests are quick either way, and argon2 is optimised in the dev profile
# (see the root Cargo.toml), so sign-ins cost what they cost in production.
rm -rf dist
"$here/.venv/bin/maturin" build --out dist --strip --interpreter "$py"
"$py" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps dist/oa-*.whl

echo "checking the stubs against the compiled module"
"$py" -m mypy.stubtest oa --allowlist stubtest-allowlist.txt
"$py" -m mypy
"$py" -m pytest -q
