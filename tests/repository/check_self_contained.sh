#!/usr/bin/env bash
# Fails, naming file and line, when a tracked file refers to the workspace around the repository: the
# sibling specs folder (vendored under third_party/ instead) or a notes folder of the workspace.
set -euo pipefail
root="$1"
# Assembled from pieces so that this script does not match itself.
workspace='/wo''rk/'
sibling='\.\./(\.\./)*sha''red/'
hits=$(grep -rInE "(${workspace}|${sibling})" "$root" \
  --exclude-dir=.git --exclude=.git --exclude-dir='build*' --exclude-dir=third_party --exclude-dir=node_modules || true)
if [ -n "$hits" ]; then
  echo "these lines refer to a path outside the repository; a clone elsewhere does not have it:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "no file refers to a path outside $root"
