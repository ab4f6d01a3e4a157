#!/usr/bin/env bash
# Builds the web frontend (bindings/wasm) for browsers and Node and runs its checks: the
# TypeScript declarations (tsc --noEmit), the tests of the Node build (node --test) and the demo
# page in headless Chromium. Installs what is missing on a fresh Debian 12 machine and skips
# what is already in place, so a second run reuses the first one's work.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WASM_BINDGEN_VERSION=0.2.130
TARGET=wasm32-unknown-unknown
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n== wasm: %s\n' "$*"; }

apt_install() {
  if [ -z "${APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

step "toolchain"
if ! rustup target list --installed | grep -qx "$TARGET"; then
  rustup target add "$TARGET"
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  # Not --locked: the CLI's own lockfile asks for a crate version the registry may lack.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install nodejs npm
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "wasm: playwright-core needs Node.js 20 or later, found $(node --version)" >&2
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium
fi
echo "$(rustc --version); $(wasm-bindgen --version); node $(node --version); $(/usr/bin/chromium --version)"

step "build (release: argon2 unoptimised is far too slow in wasm)"
cd "$ROOT"
cargo build -p oa-wasm --target "$TARGET" --release
WASM="${CARGO_TARGET_DIR:-$ROOT/target}/$TARGET/release/oa_wasm.wasm"
rm -rf "$HERE/pkg-web" "$HERE/pkg-node"
wasm-bindgen --target web --out-dir "$HERE/pkg-web" "$WASM"
wasm-bindgen --target nodejs --out-dir "$HERE/pkg-node" "$WASM"

step "npm packages"
cd "$HERE"
npm ci --no-audit --no-fund --loglevel=error

step "types (tsc --noEmit)"
npx --no-install tsc --noEmit -p tsconfig.json
echo "tsc: declarations and test/types-*.ts check"

step "tests (node --test)"
node --test test/*.test.mjs

step "demo page in headless Chromium"
node scripts/demo-check.mjs
