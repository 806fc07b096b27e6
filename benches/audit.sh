#!/usr/bin/env bash
# `mmjwt audit` over many users against a local issuer, for the README's Performance section.
# Rerun with:
#   bash benches/audit.sh                 (1,000 users x 2 fetches, 3 rounds)
#   USERS=200 ROUNDS=5 bash benches/audit.sh
#
# The issuer is benches/audit_issuer.py (Python's standard library, a separate process on
# 127.0.0.1 that signs a fresh token per GET), so the figure that matters is mmjwt's own CPU:
# user + sys of the audit process as /usr/bin/time reports it (the issuer is not its child).
# Target: under 2 s for 1,000 users x 2. Needs python3, jq and /usr/bin/time. Knobs: USERS,
# ROUNDS, CONCURRENCY (default: audit's own), MMJWT_BIN (a binary to measure instead of
# building this tree). Without an `audit` subcommand in the binary, says so and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benches/common.sh
source benches/common.sh

USERS=${USERS:-1000}
ROUNDS=${ROUNDS:-3}

need() { command -v "$1" >/dev/null || { echo "missing $1 (e.g. apt-get install $2)" >&2; exit 1; }; }
need python3 python3
need jq jq
[ -x /usr/bin/time ] || { echo "missing /usr/bin/time (apt-get install time)" >&2; exit 1; }

mmjwt_binary
if ! "$MMJWT" audit --help >/dev/null 2>&1; then
  echo "skipped: this mmjwt has no audit subcommand (benches/audit.sh measures it once it exists)"
  exit 0
fi

scratch_dir audit
test_credentials

python3 benches/audit_issuer.py "$SCRATCH/key.hex" >"$SCRATCH/port" 2>"$SCRATCH/issuer.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do
  [ -s "$SCRATCH/port" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SCRATCH/issuer.log" >&2; exit 1; }
  sleep 0.1
done
PORT=$(head -1 "$SCRATCH/port")
[ -n "$PORT" ] || { echo "the issuer printed no port within 10 s" >&2; exit 1; }

seq 1 "$USERS" | sed 's/^/bench-user-/' > "$SCRATCH/users.txt"
CONC=()
[ -z "${CONCURRENCY:-}" ] || CONC=(--concurrency "$CONCURRENCY")

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# date: $(date -u +%Y-%m-%dT%H:%MZ); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## audit: $USERS users x 2 fetches against a local issuer (python3, 127.0.0.1)"
printf '%-6s %8s %8s %8s %10s %8s\n' round wall user sys 'cpu(u+s)' 'RSS kB'
cpus=()
for round in $(seq 1 "$ROUNDS"); do
  code=0
  /usr/bin/time -f '%e %U %S %M' -o "$SCRATCH/time" \
    "$MMJWT" audit --url "http://127.0.0.1:$PORT/t/{user}" --users "$SCRATCH/users.txt" \
      --secret-file "$SCRATCH/key.hex" --app-code "$MMJWT_APP_CODE" --key-id "$MMJWT_KEY_ID" \
      "${CONC[@]}" --json >"$SCRATCH/out.json" 2>"$SCRATCH/err" || code=$?
  summary=$(tail -1 "$SCRATCH/out.json")
  passed=$(jq -r '.summary.passed // empty' <<<"$summary")
  want=$((USERS * 2))
  if [ "$code" -ne 0 ] || [ "$passed" != "$want" ]; then
    echo "round $round: audit exited $code with $passed of $want fetches passed:" >&2
    head -5 "$SCRATCH/err" >&2
    jq -c '.summary' <<<"$summary" >&2 || true
    exit 1
  fi
  read -r wall user sys rss < "$SCRATCH/time"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  cpus+=("$cpu")
  printf '%-6s %7ss %7ss %7ss %9ss %8s\n' "$round" "$wall" "$user" "$sys" "$cpu" "$rss"
done
echo "median CPU of mmjwt audit: $(median "${cpus[@]}") s (target: under 2 s for 1,000 users x 2)"
