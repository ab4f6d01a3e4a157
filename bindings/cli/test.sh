#!/usr/bin/env bash
# Builds the administrator's command line (bindings/cli, binary `oa`) and runs its tests: unit
# tests of the binary (the parity table among them) and the integration tests that run the
# built binary over offices in temporary folders. Needs only the Rust toolchain of the
# workspace; a second run reuses the first one's build.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

if ! command -v cargo >/dev/null; then
  echo "cli: cargo is not installed; install the Rust toolchain the workspace names (rust-version in Cargo.toml)" >&2
  exit 1
fi
echo "== cli: $(cargo --version)"

cd "$ROOT"
cargo test -p oa-cli --locked
