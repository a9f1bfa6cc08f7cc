#!/usr/bin/env bash
# Builds the Debian package from a build tree with cpack (into a temporary directory, so the build
# tree is left as it was) and checks what an operator gets from it: the real binaries, the units,
# the tmpfiles.d entry, the example config, the maintainer scripts and the package metadata.
#   check_deb.sh CPACK BUILD_DIR SOURCE_DIR VERSION
# Exit 77 (skipped) where dpkg-deb is missing (not a Debian system).
set -euo pipefail
cpack=$1 build=$2 source=$3 version=$4
command -v dpkg-deb >/dev/null || { echo "dpkg-deb not found: skipped"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

if ! "$cpack" -G DEB -B "$tmp/out" --config "$build/CPackConfig.cmake" >"$tmp/cpack.log" 2>&1; then
  cat "$tmp/cpack.log" >&2
  fail "cpack -G DEB failed"
fi
shopt -s nullglob
debs=("$tmp"/out/*.deb)
[ ${#debs[@]} -eq 1 ] || fail "expected one .deb, found ${#debs[@]}: ${debs[*]}"
deb=${debs[0]}
arch=$(dpkg --print-architecture)
[ "$(basename "$deb")" = "bai2aml_${version}_${arch}.deb" ] || fail "unexpected file name $(basename "$deb")"

# Contents: path and mode of every file the service needs.
dpkg-deb -c "$deb" >"$tmp/contents"
unit_dir=$(sed -n 's/^BAI2AML_SYSTEMD_UNIT_DIR:PATH=//p' "$build/CMakeCache.txt")
tmpfiles_dir=$(sed -n 's/^BAI2AML_TMPFILES_DIR:PATH=//p' "$build/CMakeCache.txt")
expect() {  # expect MODE PATH
  grep -Eq "^$1 .* \.$2\$" "$tmp/contents" || { cat "$tmp/contents" >&2; fail "no $2 with mode $1 in the package"; }
}
expect -rwxr-xr-x /usr/bin/bai2aml
expect -rwxr-xr-x /usr/bin/bai2aml-emulator
expect -rw-r--r-- "$unit_dir/bai2aml.service"
expect -rw-r--r-- "$unit_dir/bai2aml@.service"
expect -rw-r--r-- "$tmpfiles_dir/bai2aml.conf"
expect -rw-r--r-- /usr/share/doc/bai2aml/bai2aml.example.json
expect -rw-r--r-- /usr/share/doc/bai2aml/bai2aml.schema.json
expect -rw-r--r-- /usr/share/doc/bai2aml/README.md
if grep -Eq '\./(tmp|home|root|build)|/_CPack_Packages|bench_|test_' "$tmp/contents"; then
  fail "build or test files leaked into the package: $(grep -E '\./(tmp|home|root|build)|/_CPack_Packages|bench_|test_' "$tmp/contents")"
fi

# The files are the real ones: the binaries run and say who they are, the rest are byte-identical.
dpkg-deb -x "$deb" "$tmp/root"
[ "$("$tmp/root/usr/bin/bai2aml" --version)" = "bai2aml $version" ] || fail "packaged bai2aml --version is wrong"
"$tmp/root/usr/bin/bai2aml-emulator" --help | grep -q -- "--listen" || fail "packaged bai2aml-emulator --help is wrong"
cmp "$tmp/root/usr/share/doc/bai2aml/bai2aml.example.json" "$source/config/bai2aml.example.json"
cmp "$tmp/root$unit_dir/bai2aml.service" "$source/systemd/bai2aml.service"
cmp "$tmp/root$unit_dir/bai2aml@.service" "$source/systemd/bai2aml@.service"
cmp "$tmp/root$tmpfiles_dir/bai2aml.conf" "$source/systemd/bai2aml.tmpfiles"

# Metadata: name, version, architecture, and a Depends naming the libraries the binaries load.
dpkg-deb -I "$deb" >"$tmp/info"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = bai2aml ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version)"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: $(field Architecture)"
depends=$(field Depends)
# The package names alone, one a line ("libc6 (>= 2.34)" -> "libc6").
tr ',' '\n' <<<"$depends" | awk '{print $1}' | sort >"$tmp/depends"
for pkg in libc6 libstdc++6 libcpprest2.10 libspdlog1.10-fmt9 libsqlite3-0 libsystemd0 libssl3 systemd; do
  grep -qxF "$pkg" "$tmp/depends" || grep -qxF "${pkg%-fmt9}" "$tmp/depends" || fail "Depends lacks $pkg: $depends"
done
twice=$(uniq -d "$tmp/depends")
[ -z "$twice" ] || fail "Depends names $twice more than once: $depends"
for script in postinst prerm postrm; do
  grep -Eq "^ +[0-9]+ bytes, +[0-9]+ lines +\* +$script " "$tmp/info" || { cat "$tmp/info" >&2; fail "no executable $script"; }
done

echo "ok: $(basename "$deb"), $(grep -c '^-' "$tmp/contents") files; Depends: $depends"
