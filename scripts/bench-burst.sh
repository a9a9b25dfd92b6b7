#!/usr/bin/env bash
# bench-burst.sh — errprobe's burst engine against hey and wrk, in one run.
#
# Starts the reference server (erzycall) with its rate limit out of reach on
# a free 127.0.0.1 port, then, on the same endpoint (GET the list path with
# the valid key) and with the same concurrency, measures requests/s for
# `errprobe bench-burst` (the real burst code path: every response's
# rate-limit headers parsed), `hey` and `wrk`, ROUNDS times interleaved, and
# prints every figure, the medians and the ratios. Then compares the peak
# RSS of a 200,000-request burst with a 2,000-request one.
#
# Environment: CONC (8), ROUNDS (3), SECS (3, per measurement), ERRPROBE
# (binary; default ./errprobe, built if absent).
set -euo pipefail

CONC=${CONC:-8}
ROUNDS=${ROUNDS:-3}
SECS=${SECS:-3}
ERRPROBE=${ERRPROBE:-./errprobe}
LIMIT=${LIMIT:-120} # seconds any one command may take
cd "$(dirname "$0")/.."

work=$(mktemp -d)
server_pid=
cleanup() {
	if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x "$ERRPROBE" ]; then
	echo "building $ERRPROBE"
	go build -o "$ERRPROBE" .
fi

# wrk and hey come from Debian; apt-get update runs at most once.
updated=
install_pkg() { # tool package
	command -v "$1" >/dev/null && return 0
	if ! command -v apt-get >/dev/null; then
		echo "skip: $1 is not installed and apt-get is not available"
		return 1
	fi
	local sudo=
	[ "$(id -u)" = 0 ] || sudo="sudo -n"
	if [ -z "$updated" ]; then
		timeout "$LIMIT" $sudo apt-get update -qq >/dev/null 2>&1 || true
		updated=1
	fi
	if ! timeout "$LIMIT" $sudo apt-get install -y -qq "$2" >/dev/null 2>&1 || ! command -v "$1" >/dev/null; then
		echo "skip: could not install $1 (apt-get install $2 failed; no root or no network?)"
		return 1
	fi
}
have_hey=1 have_wrk=1
install_pkg hey hey || have_hey=
install_pkg wrk wrk || have_wrk=

# The reference server, rate limit out of reach, on a port the kernel picks.
"$ERRPROBE" serve --profile erzycall --addr 127.0.0.1:0 --rate-limit 1000000000/1h >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
key= base=
for _ in $(seq 1 100); do
	key=$(sed -n 's/^export ERRPROBE_API_KEY=//p' "$work/serve.out")
	base=$(sed -n 's/^errprobe reference server: .* at \(http:[^ ]*\)$/\1/p' "$work/serve.out")
	[ -n "$key" ] && [ -n "$base" ] && break
	kill -0 "$server_pid" 2>/dev/null || { echo "errprobe serve exited:"; cat "$work/serve.err"; exit 1; }
	sleep 0.1
done
[ -n "$key" ] || { echo "errprobe serve printed no key within 10s"; exit 1; }
url="$base/api/v1/contacts"
echo "target: GET $url (X-API-Key: ${key:0:8}…), concurrency $CONC, ${SECS}s per measurement, $ROUNDS rounds"
echo "machine: $(nproc) cores, $(go env GOVERSION 2>/dev/null || echo go), load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)"

run_errprobe() {
	timeout "$LIMIT" "$ERRPROBE" bench-burst "$url" -c "$CONC" -n 100000000 -d "${SECS}s" --header "X-API-Key:$key" |
		awk '/^requests\/s:/ {r=$2} /^errors:/ {e=$2} END {if (e > 0) print "errors:" e > "/dev/stderr"; print r}'
}
run_hey() {
	timeout "$LIMIT" hey -z "${SECS}s" -c "$CONC" -H "X-API-Key: $key" "$url" | awk '/Requests\/sec:/ {printf "%.0f\n", $2}'
}
run_wrk() {
	timeout "$LIMIT" wrk -t "$(nproc)" -c "$CONC" -d "${SECS}s" -H "X-API-Key: $key" "$url" | awk '/^Requests\/sec:/ {printf "%.0f\n", $2}'
}

# A short warm-up burst, then the interleaved rounds.
timeout "$LIMIT" "$ERRPROBE" bench-burst "$url" -c "$CONC" -n 2000 --header "X-API-Key:$key" >/dev/null
: >"$work/errprobe" >"$work/hey" >"$work/wrk"
for round in $(seq 1 "$ROUNDS"); do
	line="round $round:"
	r=$(run_errprobe || echo 0); echo "$r" >>"$work/errprobe"; line="$line errprobe $r"
	if [ -n "$have_hey" ]; then r=$(run_hey || echo 0); echo "$r" >>"$work/hey"; line="$line  hey $r"; fi
	if [ -n "$have_wrk" ]; then r=$(run_wrk || echo 0); echo "$r" >>"$work/wrk"; line="$line  wrk $r"; fi
	echo "$line  (req/s)"
done

median() { sort -n "$1" | awk '{v[NR]=$1} END {if (NR==0) {print 0} else if (NR%2) {print v[(NR+1)/2]} else {printf "%.0f\n", (v[NR/2]+v[NR/2+1])/2}}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a/b; else printf "n/a"}'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN {if (r == "n/a") print "n/a"; else if (r+0 >= t) print "ok"; else print "BELOW TARGET"}'; }

m_e=$(median "$work/errprobe")
echo
echo "== burst requests/s, medians of $ROUNDS =="
echo "errprobe bench-burst: $m_e"
if [ -n "$have_hey" ]; then
	m_h=$(median "$work/hey"); r=$(ratio "$m_e" "$m_h")
	echo "hey:                  $m_h"
	echo "errprobe/hey:         $r (target >= 1.0: $(verdict "$r" 1.0))"
else
	echo "hey:                  skipped (not installed)"
fi
if [ -n "$have_wrk" ]; then
	m_w=$(median "$work/wrk"); r=$(ratio "$m_e" "$m_w")
	echo "wrk:                  $m_w"
	echo "errprobe/wrk:         $r (target >= 0.7: $(verdict "$r" 0.7))"
else
	echo "wrk:                  skipped (not installed)"
fi

# Peak memory: a long burst must stay flat (counters and samples only).
rss() {
	timeout "$LIMIT" "$ERRPROBE" bench-burst "$url" -c "$CONC" -n "$1" --header "X-API-Key:$key" | sed -n 's/^max_rss_kb: //p'
}
small=$(rss 2000)
large=$(rss 200000)
echo
echo "== peak RSS (bench-burst's own getrusage) =="
if [ -n "$small" ] && [ -n "$large" ]; then
	r=$(ratio "$large" "$small")
	echo "2,000 requests:       ${small} KiB"
	echo "200,000 requests:     ${large} KiB"
	echo "ratio 200k/2k:        $r (target <= 1.5: $(awk -v r="$r" 'BEGIN {print (r+0 <= 1.5) ? "ok" : "ABOVE TARGET"}'))"
else
	echo "max RSS not reported on this platform"
fi
