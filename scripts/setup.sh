#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks, then configures and builds bai2aml.
#   scripts/setup.sh [--sanitize] [--build-dir DIR] [--binaries-only]
#   scripts/setup.sh --fuzz    the libFuzzer targets only, with clang, in build-fuzz (fuzz/README.md)
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build
cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
targets=()
fuzz=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sanitize) cmake_args+=(-DBAI2AML_SANITIZE=ON); build_dir=build-sanitize ;;
    --build-dir) build_dir="$2"; shift ;;
    --binaries-only) targets=(--target bai2aml bai2aml-emulator) ;;
    --fuzz) fuzz=1; build_dir=build-fuzz; targets=(--target fuzzers)
      cmake_args+=(-DBAI2AML_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++-14 -DBAI2AML_BUILD_TESTS=OFF -DBAI2AML_BUILD_BENCH=OFF) ;;
    *) echo "setup.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

packages=(build-essential cmake pkg-config ca-certificates openssl
  libboost-dev libboost-system-dev libcpprest-dev libssl-dev nlohmann-json3-dev
  libsqlite3-dev sqlite3 libspdlog-dev libfmt-dev catch2 libsystemd-dev systemd
  python3 python3-jsonschema ccache chromium)
# Only the fuzz build needs clang and libFuzzer.
[ "$fuzz" -eq 0 ] || packages+=(clang-14 libfuzzer-14-dev libclang-rt-14-dev)
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
