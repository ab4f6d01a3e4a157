#!/usr/bin/env bash
# Builds and tests everything on a fresh machine: the one command a newcomer (and CI) runs.
# Each suite is a function below; a suite that fails is reported and the rest still run.
# Installs are idempotent: what is already in place is skipped, so a second run reuses the
# first one's work.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export CARGO_TERM_COLOR=never
if [ "${CI:-}" = true ]; then
  # A CI clone is built once and thrown away: incremental caches and full debug info would only
  # fill the disk (a full debug build with both is tens of gigabytes). Line tables keep backtraces
  # readable.
  export CARGO_INCREMENTAL=0 CARGO_PROFILE_DEV_DEBUG=line-tables-only \
    CARGO_PROFILE_TEST_DEBUG=line-tables-only
fi

passed=0; failed=0; failed_names=()
run_suite() {
  local name=$1; shift
  echo "=== ${name}"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1)); echo "=== ${name}: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1)); failed_names+=("$name"); echo "=== ${name}: FAILED ($((SECONDS - start)) s)"
  fi
}

suite_rust() {
  cargo test --workspace --all-features --locked --exclude oa-python --exclude oa-wasm --exclude oa-uniffi
}

suite_examples() {
  # The demo runs end to end on sled (in a temporary folder); the benches are only built.
  cargo build --locked --examples --benches -q &&
    local dir && dir=$(mktemp -d) &&
    cargo run --locked -q --example demo -- "$dir/office" > "$dir/demo.log" &&
    grep -q "intact: true" "$dir/demo.log" && tail -n 3 "$dir/demo.log" && rm -rf "$dir"
}

suite_parity() { python3 scripts/parity.py --check; }

suite_python() { bindings/python/test.sh; }
suite_wasm() { bindings/wasm/test.sh; }
suite_kotlin() { bindings/uniffi/test.sh; }

for s in ${OA_SUITES:-rust examples parity python wasm kotlin}; do
  run_suite "$s" "suite_$s"
done

echo
if [ "$failed" -gt 0 ]; then echo "failed suites: ${failed_names[*]}"; fi
echo "suites: ${passed} passed, ${failed} failed"
test "$failed" -eq 0
