# Sourced by the other scripts: the PATH and variables every step needs.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
export PATH="$ROOT/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Trunk's update check ignores Trunk.toml's trunk-version; never phone home.
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
# Folder of the release build the end-to-end tests serve (not dist/, which
# `trunk serve` fills with a debug build).
export E2E_DIST="${E2E_DIST:-$ROOT/target/dist-release}"
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
# The wasm-bindgen that Cargo.lock pins; the CLI must match it exactly.
WASM_BINDGEN_VERSION="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
export TRUNK_VERSION BINARYEN_VERSION WASM_BINDGEN_VERSION
