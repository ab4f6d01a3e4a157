#!/usr/bin/env bash
# Runs the expense claim of expense.bpmn through SpiffWorkflow and through oa's Python binding,
# the same number of claims in the same run, and prints both figures and their ratio.
#
# Usage: benches/peer_spiff/run.sh [claims]   (default 5000)
#
# Installs what it needs into a venv of its own under the cargo target folder
# ($CARGO_TARGET_DIR or ./target, then peer-spiff/venv), apart from the binding's own venv:
# SpiffWorkflow and maturin at pinned versions, and the binding built with
# `maturin build --release`. Idempotent: it installs only what is missing, and cargo reuses what
# it built before.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
claims="${1:-5000}"

SPIFF_VERSION=3.2.0
MATURIN_VERSION=1.16.0

command -v python3 >/dev/null || { echo "error: python3 (3.10 or newer) with the venv module is needed" >&2; exit 1; }
command -v cargo >/dev/null || { echo "error: cargo is needed to build the binding" >&2; exit 1; }

target="${CARGO_TARGET_DIR:-$root/target}"
work="$target/peer-spiff"
mkdir -p "$work"
if [ ! -x "$work/venv/bin/python" ]; then
    python3 -m venv "$work/venv"
fi
py="$work/venv/bin/python"

installed() { # name version
    [ "$("$py" -c "import importlib.metadata as m; print(m.version('$1'))" 2>/dev/null || true)" = "$2" ]
}
wanted=()
installed SpiffWorkflow "$SPIFF_VERSION" || wanted+=("SpiffWorkflow==$SPIFF_VERSION")
installed maturin "$MATURIN_VERSION" || wanted+=("maturin==$MATURIN_VERSION")
if [ ${#wanted[@]} -gt 0 ]; then
    echo "installing ${wanted[*]} into $work/venv" >&2
    "$py" -m pip install -q --disable-pip-version-check "${wanted[@]}"
fi

echo "building the binding (maturin build --release)" >&2
rm -rf "$work/dist"
(cd "$root/bindings/python" && "$work/venv/bin/maturin" build --release --strip --quiet --out "$work/dist" --interpreter "$py" >&2)
"$py" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$work"/dist/oa-*.whl

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
spiff="$("$py" "$here/bench_spiff.py" --claims "$claims")"
echo "$spiff"
spiff_kept="$("$py" "$here/bench_spiff.py" --claims "$claims" --persist)"
echo "$spiff_kept"
ours="$("$py" "$here/bench_oa.py" --claims "$claims" --store memory)"
echo "$ours"
ours_sled="$("$py" "$here/bench_oa.py" --claims "$(( claims / 5 > 0 ? claims / 5 : 1 ))" --store sled)"
echo "$ours_sled"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$py" - "$spiff" "$spiff_kept" "$ours" "$ours_sled" <<'PY'
import json, sys
spiff, kept, ours, sled = (json.loads(a) for a in sys.argv[1:])
def line(a, b):
    print(f"  oa ({a['store']} store) {a['per_second']:,.0f} claims/s against SpiffWorkflow ({b['mode']}) "
          f"{b['per_second']:,.0f} claims/s: {a['per_second'] / b['per_second']:.1f}x")
print(f"SpiffWorkflow {spiff['version']}:")
line(ours, spiff)
line(ours, kept)
line(sled, kept)
PY
