#!/usr/bin/env bash
# Checks the systemd units and tmpfiles.d file in systemd/ with systemd's own tools, as CI can run
# them: as root on a plain Debian 12 machine where systemd is not PID 1.
#   check_systemd_units.sh verify|security|tmpfiles|negative SYSTEMD_DIR
#
# verify:   `systemd-analyze verify` must print nothing and succeed. Without a running manager it
#           still loads the units, but it checks that every Exec*= command exists and is executable,
#           and that the units they depend on exist. So it runs with --root= on an image directory
#           holding a copy of the host's system units (/lib/systemd/system), the units under test in
#           /etc/systemd/system, and executable stand-ins for /usr/bin/bai2aml and /bin/kill (verify
#           looks at the unit, not at the binary, so a stand-in checks exactly the same thing).
# security: `systemd-analyze security --offline=yes --threshold=12` (exposure at most 1.2) on the unit
#           files themselves; --offline needs no manager and no image.
# instances: every bai2aml@NAME instance runs as a dynamic user of its own (DynamicUser=yes with a
#           User= that contains the instance name), valid for systemd, and distinct for two instances.
# tmpfiles: `systemd-tmpfiles --root=IMAGE --create` must create the documented directories and modes.
# negative: the same checks reject a broken unit and an unhardened one (so the checks above can fail).
# Exit 77 (CTest: skipped) when systemd-analyze is not installed.
set -euo pipefail

mode=$1
units=$(cd "$2" && pwd)
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not installed"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/bai2aml-units-XXXXXX")
trap 'rm -rf "$work"' EXIT

system_units=/lib/systemd/system
[ -d "$system_units" ] || system_units=/usr/lib/systemd/system

# make_image DIR UNIT_FILE...: an image root for `verify --root=DIR`.
make_image() {
  local root=$1; shift
  mkdir -p "$root/lib/systemd" "$root/etc/systemd/system" "$root/usr/bin" "$root/bin"
  cp -a "$system_units" "$root/lib/systemd/system"
  cp "$@" "$root/etc/systemd/system/"
  printf '#!/bin/sh\nexit 0\n' > "$root/usr/bin/bai2aml"
  cp "$root/usr/bin/bai2aml" "$root/bin/kill"
  chmod 0755 "$root/usr/bin/bai2aml" "$root/bin/kill"
}

# verify_clean DIR UNIT...: succeeds only when verify succeeds and prints nothing at all.
verify_clean() {
  local root=$1; shift
  local out
  out=$(systemd-analyze verify --root="$root" "$@" 2>&1) || { echo "$out"; return 1; }
  [ -z "$out" ] || { echo "$out"; return 1; }
}

case $mode in
  verify)
    make_image "$work/image" "$units/bai2aml.service" "$units/bai2aml@.service"
    verify_clean "$work/image" bai2aml.service bai2aml@example.service
    echo "verify: bai2aml.service and bai2aml@example.service are clean"
    ;;
  security)
    for unit in "$units/bai2aml.service" "$units/bai2aml@.service"; do
      systemd-analyze security --offline=yes --threshold=12 "$unit" | grep 'Overall exposure level'
    done
    ;;
  instances)
    unit="$units/bai2aml@.service"
    grep -qx 'DynamicUser=yes' "$unit" || { echo "bai2aml@.service: DynamicUser=yes missing"; exit 1; }
    users=$(grep -c '^User=' "$unit")
    [ "$users" = 1 ] || { echo "bai2aml@.service: expected one User= line, found $users"; exit 1; }
    template=$(sed -n 's/^User=//p' "$unit")
    case $template in *%i*) ;; *) echo "bai2aml@.service: User=$template is shared by every instance"; exit 1 ;; esac
    a=${template//%i/contoso-prod}; b=${template//%i/fabrikam-test}
    [ "$a" != "$b" ] || { echo "two instances share user $a"; exit 1; }
    for u in "$a" "$b"; do
      # systemd's strict user-name rule for dynamic users: [a-z_][a-z0-9_-]*, at most 31 characters.
      [[ $u =~ ^[a-z_][a-z0-9_-]{0,30}$ ]] || { echo "invalid dynamic user name $u"; exit 1; }
    done
    # The instance's state and runtime directories are its own too.
    grep -qx 'StateDirectory=bai2aml/%i' "$unit" && grep -qx 'RuntimeDirectory=bai2aml/%i' "$unit" \
      || { echo "bai2aml@.service: state/runtime directories are not per instance"; exit 1; }
    echo "instances: bai2aml@contoso-prod runs as $a, bai2aml@fabrikam-test as $b"
    ;;
  tmpfiles)
    systemd-tmpfiles --root="$work/image" --create "$units/bai2aml.tmpfiles"
    [ "$(stat -c '%a %U' "$work/image/etc/bai2aml")" = "755 root" ]
    [ "$(stat -c '%a %U' "$work/image/etc/bai2aml/credentials")" = "700 root" ]
    echo "tmpfiles: /etc/bai2aml 0755, /etc/bai2aml/credentials 0700"
    ;;
  negative)
    # A misspelt directive and a missing ExecStart binary must make verify complain.
    sed 's/^Restart=on-failure/Restartt=on-failure/' "$units/bai2aml.service" > "$work/typo.service"
    make_image "$work/typo" "$work/typo.service"
    if verify_clean "$work/typo" typo.service >/dev/null; then echo "verify accepted a misspelt directive"; exit 1; fi
    make_image "$work/nobin" "$units/bai2aml.service"
    rm "$work/nobin/usr/bin/bai2aml"
    if verify_clean "$work/nobin" bai2aml.service >/dev/null; then echo "verify accepted a missing binary"; exit 1; fi
    # The unit without its hardening must exceed the threshold.
    grep -v -E '^(CapabilityBoundingSet|NoNewPrivileges|Protect|Private|Restrict|SystemCall|LockPersonality|MemoryDeny|DynamicUser|User|DevicePolicy|KeyringMode|RemoveIPC|UMask|ProcSubset)' \
      "$units/bai2aml.service" > "$work/soft.service"
    if systemd-analyze security --offline=yes --threshold=20 "$work/soft.service" >/dev/null 2>&1; then
      echo "security accepted an unhardened unit"; exit 1
    fi
    echo "negative: broken and unhardened units are rejected"
    ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
