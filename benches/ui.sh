#!/usr/bin/env bash
# The debugger page's check API under one person typing, for the README's Performance section.
# Rerun with:
#   bash benches/ui.sh                  (3 rounds of 10 s)
#   ROUNDS=5 DURATION=20s bash benches/ui.sh
#
# Starts `mmjwt ui --no-open` (a sandbox on 127.0.0.1:0 with the page) with fixed test
# credentials and runs `wrk -t1 -c1 --latency` with benches/ui_typing.lua: one request in flight
# at a time, each the page's check call for the token typed so far (one character longer each
# time) with the secret, as the page sends on every keystroke, only back to back instead of
# at typing speed. Target: p99 under 2 ms. Needs wrk. Knobs: ROUNDS, DURATION, MMJWT_BIN.
# Without a `ui` subcommand in the binary, says so and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benches/common.sh
source benches/common.sh

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}

command -v wrk >/dev/null || { echo "missing wrk (e.g. apt-get install wrk)" >&2; exit 1; }

mmjwt_binary
if ! "$MMJWT" ui --help >/dev/null 2>&1; then
  echo "skipped: this mmjwt has no ui subcommand (benches/ui.sh measures it once it exists)"
  exit 0
fi

scratch_dir ui
test_credentials

"$MMJWT" ui --no-open --secret-file "$SCRATCH/key.hex" >"$SCRATCH/url" 2>"$SCRATCH/ui.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do
  [ -s "$SCRATCH/url" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SCRATCH/ui.log" >&2; exit 1; }
  sleep 0.1
done
URL=$(head -1 "$SCRATCH/url")
URL=${URL%/}
case "$URL" in http://127.0.0.1:*) ;; *) echo "unexpected page URL '$URL'" >&2; exit 1 ;; esac

export MMJWT_BENCH_TOKEN
MMJWT_BENCH_TOKEN=$("$MMJWT" gen --user-id bench-user --ttl 1h --secret-file "$SCRATCH/key.hex")
export MMJWT_BENCH_SECRET=$SECRET_HEX MMJWT_BENCH_ORIGIN=$URL

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# date: $(date -u +%Y-%m-%dT%H:%MZ); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## debugger check API, one user typing (wrk -t1 -c1 -d$DURATION, ${#MMJWT_BENCH_TOKEN}-character token)"
printf '%-6s %10s %10s %10s %10s\n' round 'req/s' p50 p90 p99
for round in $(seq 0 "$ROUNDS"); do
  out=$(timeout 120 wrk -t1 -c1 -d"$([ "$round" = 0 ] && echo 3s || echo "$DURATION")" --latency \
    -s benches/ui_typing.lua "$URL/_mmjwt/api/check")
  if grep -q 'Non-2xx' <<<"$out"; then
    echo "some answers were not 2xx:" >&2
    echo "$out" >&2
    exit 1
  fi
  # Round 0 is an uncounted warm-up.
  [ "$round" = 0 ] && continue
  printf '%-6s %10s %10s %10s %10s\n' "$round" \
    "$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")" \
    "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
    "$(awk '$1 == "90%" {print $2}' <<<"$out")" \
    "$(awk '$1 == "99%" {print $2}' <<<"$out")"
done
echo "(target: p99 under 2 ms)"
