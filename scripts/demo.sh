#!/usr/bin/env bash
# The README's first command: installs and builds bai2aml, starts bai2aml-emulator seeded with the
# sample Batch AI estate (config/sample-inventory.json), migrates it to Azure ML with `bai2aml apply`
# (progress on stderr), then prints `bai2aml status` and the migration report.
#   scripts/demo.sh [--keep]   (--keep: leave the emulator running and the working directory in place)
set -euo pipefail
cd "$(dirname "$0")/.."
keep=0; [ "${1:-}" = "--keep" ] && keep=1

scripts/setup.sh --binaries-only
bin=build/daemon/bai2aml
emu=build/emulator/bai2aml-emulator

work=$(mktemp -d /tmp/bai2aml-demo.XXXXXX)
chmod 700 "$work"
cleanup() {
  [ -n "${emu_pid:-}" ] && [ $keep -eq 0 ] && kill "$emu_pid" 2>/dev/null || true
  [ $keep -eq 0 ] && rm -rf "$work" || echo "demo: kept $work (emulator pid ${emu_pid:-?})"
}
trap cleanup EXIT

# Secrets live in files (never inline in the config), as systemd's LoadCredential= provides them.
umask 077
echo "demo-client-secret" >"$work/client-secret"
echo "ZGVtby1zdG9yYWdlLWtleQ==" >"$work/storage-researchdata"
echo "ZGVtby1zdG9yYWdlLWtleQ==" >"$work/storage-nlpcorpora"
echo "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDdemo demo@bai2aml" >"$work/ssh-public-key"

"$emu" --listen 127.0.0.1:0 --seed config/sample-inventory.json --lro-ms 500 >"$work/emulator.out" 2>"$work/emulator.log" &
emu_pid=$!
for _ in $(seq 100); do
  port=$(grep -oE '127\.0\.0\.1:[0-9]+' "$work/emulator.out" 2>/dev/null | head -1 | cut -d: -f2 || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "${port:-}" ] || { echo "demo: the emulator did not start:"; cat "$work/emulator.log"; exit 1; }
sed -e "s#@ENDPOINT@#http://127.0.0.1:$port#g" -e "s#@DIR@#$work#g" config/demo.template.json >"$work/bai2aml.json"
echo "demo: emulator on 127.0.0.1:$port, config $work/bai2aml.json"

"$bin" check-config --config "$work/bai2aml.json"
echo "demo: bai2aml plan (the whole plan: $work/plan.txt)"
"$bin" plan --config "$work/bai2aml.json" >"$work/plan.txt"
sed -n '/^Actions against/,/^  \[/p' "$work/plan.txt" | grep -v '^  \[' || true
echo "demo: bai2aml apply (migrating; one progress line per cycle)"
"$bin" apply --config "$work/bai2aml.json" --timeout 300
echo
echo "demo: bai2aml status"
"$bin" status --config "$work/bai2aml.json"
echo
echo "demo: apply again (level-triggered: it re-reads everything; a converged estate costs 0 writes)"
"$bin" apply --config "$work/bai2aml.json" --timeout 60 2>&1 | grep "cycle"
"$bin" apply --config "$work/bai2aml.json" --timeout 60 2>&1 | grep "cycle"
echo
echo "demo: the report is one command away: $bin report --config $work/bai2aml.json"
