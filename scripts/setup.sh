#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks, then configures and builds bai2aml.
#   scripts/setup.sh [--sanitize] [--build-dir DIR] [--binaries-only]
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build
cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sanitize) cmake_args+=(-DBAI2AML_SANITIZE=ON); build_dir=build-sanitize ;;
    --build-dir) build_dir="$2"; shift ;;
    --binaries-only) targets=(--target bai2aml bai2aml-emulator) ;;
    *) echo "setup.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

packages=(build-essential cmake pkg-config ca-certificates openssl
  libboost-dev libboost-system-dev libcpprest-dev libssl-dev nlohmann-json3-dev
  libsqlite3-dev sqlite3 libspdlog-dev libfmt-dev catch2 libsystemd-dev systemd
  python3 python3-jsonschema ccache chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ccache keys on paths relative to the checkout, so any clone of the same sources reuses the cache.
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  cmake_args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

cmake -S . -B "$build_dir" "${cmake_args[@]}" >/dev/null
cmake --build "$build_dir" -j"$(nproc)" "${targets[@]}"
echo "setup: built in $build_dir"
