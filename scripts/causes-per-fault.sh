#!/usr/bin/env bash
# causes-per-fault.sh [ERRPROBE]: the number of causes (JSON groups[]) that
# `errprobe demo --fault F` reports for every fault of the reference server,
# one "FAULT N" line each, then the tally. One fault should be one cause.
set -eu
ep=${1:-./errprobe}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
one=0; two=0; more=0; n=0
for f in $("$ep" serve --list-faults | awk '{print $1}'); do
  "$ep" demo --fault "$f" --no-color --json "$tmp/g.json" >/dev/null 2>&1 || true
  g=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["groups"]))' "$tmp/g.json")
  echo "$f $g"
  n=$((n+1)); case $g in 1) one=$((one+1));; 2) two=$((two+1));; *) more=$((more+1));; esac
done
echo "faults: $n; one cause: $one; two: $two; more: $more"
