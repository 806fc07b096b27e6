#!/usr/bin/env bash
# Sandbox and replay throughput over loopback for the README's Performance section. Rerun with:
#   bash benches/sandbox.sh            (both parts)
#   bash benches/sandbox.sh wrk        (fetch-user with App vs Bearer under wrk, log off and on)
#   bash benches/sandbox.sh replay     (replay fetch-user --users - against the sandbox)
#   bash benches/sandbox.sh callgrind  (instructions per fetch-user request, App vs Bearer, under
#                                       valgrind: the load-independent figure; not part of `all`)
#   bash benches/sandbox.sh perf       (where a Bearer request's extra time goes, on the real
#                                       machine: `perf record` of the sandbox during App and
#                                       Bearer runs alternating, microseconds per request by
#                                       function and by kind of code; needs perf and python3;
#                                       not part of `all`)
#   MMJWT_BIN_B=other/mmjwt bash benches/sandbox.sh ab
#                                      (two binaries' sandboxes side by side, log off, rounds
#                                       alternating between them: each round's Bearer/App ratio
#                                       and CPU per request, for before/after comparisons on a
#                                       machine whose speed drifts; not part of `all`)
#
# Needs wrk and jq. Knobs: ROUNDS (rounds of App then Bearer, and of
# replay batches; default 5), DURATION (per wrk run, default 10s),
# N (replay calls, default 20000), LOG (the sandbox's --log-format: by default the wrk part runs
# twice, with `off` and with `text` written to a file as a user redirecting stderr would; the
# replay part runs with the last), MMJWT_BIN (a binary to measure instead of building this
# tree, for before/after comparisons; a `cargo build --profile profiling` binary gives the
# callgrind profiles function names), CG_DURATION (the measured wrk run under callgrind,
# default 8s), CG_KEEP (a directory to keep the callgrind profiles in), CG_CACHE=1 (callgrind
# also simulates the caches and prints L1 instruction and data misses per request),
# CG_SOFT_SHA=compact (callgrind measures a profiling build with sha2's compact portable code;
# see below), CG_LINES=1 (callgrind also records each instruction's address and the table gains
# `code-lines`: the distinct 64-byte lines of machine code run at least once every two requests,
# the request's instruction footprint; needs python3), PERF_FREQ (samples a second for the
# perf part, default 2999).
# The sandbox listens on 127.0.0.1 only and is stopped by its PID when the script ends.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benches/common.sh
source benches/common.sh

PART=${1:-all}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10s}
N=${N:-20000}
LOGS=${LOG:-off text}

need() { command -v "$1" >/dev/null || { echo "missing $1 (e.g. apt-get install $1)" >&2; exit 1; }; }
need wrk
need jq

# Valgrind has no SHA extensions, so sha2 runs its unrolled portable code there: 11.6 KB of
# code standing in for the ~1 KB the SHA-NI path runs natively, which crowds the simulated
# instruction cache and inflates every miss count. CG_SOFT_SHA=compact builds with sha2's compact
# portable code (under 1 KB) instead: more instructions, but a native-like code footprint.
if [ "$PART" = callgrind ] && [ "${CG_SOFT_SHA:-}" = compact ] && [ -z "${MMJWT_BIN:-}" ]; then
  cargo build --profile profiling --locked -q --features sha2/force-soft-compact
  MMJWT_BIN=$PWD/target/profiling/mmjwt
fi
# perf names functions only in a binary with symbols: the profiling profile (release code).
if [ "$PART" = perf ] && [ -z "${MMJWT_BIN:-}" ]; then
  cargo build --profile profiling --locked -q
  MMJWT_BIN=$PWD/target/profiling/mmjwt
fi
mmjwt_binary
LUA=$PWD/benches/sandbox_fetch.lua

scratch_dir sandbox
test_credentials
REG=bench-reg
USER_ID=bench-user

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# date: $(date -u +%Y-%m-%dT%H:%MZ); load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# Starts a sandbox with --log-format $1 (stderr to a file), personalizes one installation and
# mints a 1-hour token for its person; leaves URL and TOKEN.
# Any further arguments are a command to run the sandbox under (valgrind).
URL= TOKEN=
start_sandbox() {
  local log=$1
  shift
  stop_sandbox
  "$@" "$MMJWT" sandbox --listen 127.0.0.1:0 --mode allow-all --secret-file "$SCRATCH/key.hex" \
    --log-format "$log" >"$SCRATCH/url" 2>"$SCRATCH/sandbox.log" &
  SERVER_PID=$!
  # Under valgrind start-up takes seconds, not milliseconds.
  for _ in $(seq 1 300); do
    [ -s "$SCRATCH/url" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SCRATCH/sandbox.log" >&2; exit 1; }
    sleep 0.1
  done
  URL=$(head -1 "$SCRATCH/url")
  [ -n "$URL" ] || { echo "the sandbox printed no URL within 30 s" >&2; exit 1; }
  case "$URL" in http://127.0.0.1:*) ;; *) echo "unexpected sandbox URL $URL" >&2; exit 1 ;; esac
  # One personalized installation: fetch with Bearer needs the token's sub to be its person.
  "$MMJWT" replay personalize --base-url "$URL" --push-reg-id "$REG" --user-id "$USER_ID" \
    --secret-file "$SCRATCH/key.hex" --timeout 30s >/dev/null
  TOKEN=$("$MMJWT" gen --user-id "$USER_ID" --ttl 1h --secret-file "$SCRATCH/key.hex")
}
stop_sandbox() {
  stop_server
  : > "$SCRATCH/url"
}

# One wrk run: prints a table row and leaves req/s in RPS. A run with any non-2xx answer is
# refused (it would measure refusals, not fetches).
RPS=0
run_wrk() {
  local label=$1 auth=$2 out p50 p99
  out=$(MMJWT_BENCH_AUTH=$auth timeout 120 wrk -t2 -c64 -d"$DURATION" --latency -s "$LUA" \
    "$URL/mobile/1/appinstance/$REG/user?ri=true")
  if grep -q 'Non-2xx' <<<"$out"; then
    echo "$label: some answers were not 2xx:" >&2
    echo "$out" >&2
    exit 1
  fi
  RPS=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  printf '%-8s %12s %10s %10s\n' "$label" "$RPS" "$p50" "$p99"
}

for LOG in $LOGS; do
if [ "$PART" = all ] || [ "$PART" = wrk ]; then
  start_sandbox "$LOG"
  echo
  echo "## fetch-user under wrk -t2 -c64 -d$DURATION (loopback), sandbox --log-format $LOG"
  printf '%-8s %12s %10s %10s\n' auth 'req/s' p50 p99
  apps=() bearers=() ratios=()
  # One short run of each first, not counted: the first run after start-up pays for the
  # sandbox's threads and memory coming up, and measured ~10-25% low.
  DURATION=3s run_wrk warm-up "App $MMJWT_APP_CODE" >/dev/null
  DURATION=3s run_wrk warm-up "Bearer $TOKEN" >/dev/null
  for _ in $(seq 1 "$ROUNDS"); do
    run_wrk App "App $MMJWT_APP_CODE"
    apps+=("$RPS")
    run_wrk Bearer "Bearer $TOKEN"
    bearers+=("$RPS")
    ratios+=("$(awk -v a="${apps[-1]}" -v b="$RPS" 'BEGIN { printf "%.3f", (a > 0 ? b / a : 0) }')")
  done
  # Medians over the rounds: a neighbour's burst slows one run, not the median. The ratio is
  # also taken round by round, App and Bearer seconds apart: this machine's speed drifts by
  # 20 % over minutes, which moves both runs of a round together but not the two medians.
  app=$(median "${apps[@]}")
  bearer=$(median "${bearers[@]}")
  awk -v a="$app" -v b="$bearer" -v lf="$LOG" \
    'BEGIN { printf "log %s: median req/s App %.0f, Bearer %.0f; Bearer/App = %.2f\n", lf, a, b, (a > 0 ? b / a : 0) }'
  sorted=$(printf '%s\n' "${ratios[@]}" | sort -g | xargs)
  echo "log $LOG: Bearer/App round by round (sorted): $sorted; median $(median "${ratios[@]}")"
fi
done

if [ "$PART" = all ] || [ "$PART" = replay ]; then
  [ -n "$SERVER_PID" ] || start_sandbox "${LOG:-text}"

  echo
  echo "## replay fetch-user --users - (N=$N, --concurrency 32, a token minted per call)"
  # Every line names the installation's person: the batch shares one push registration id,
  # and a Bearer fetch is only answered 200 for the person the installation belongs to (other
  # ids would measure N SUB_MISMATCH refusals). Each call still mints and signs its own token.
  for round in $(seq 1 "$ROUNDS"); do
    summary=$(awk -v n="$N" -v u="$USER_ID" 'BEGIN { for (i = 0; i < n; i++) print u }' |
      timeout 300 "$MMJWT" replay fetch-user --users - --concurrency 32 --base-url "$URL" \
        --push-reg-id "$REG" --secret-file "$SCRATCH/key.hex" --json | tail -1) || true
    [ -n "$summary" ] || { echo "replay printed no summary" >&2; exit 1; }
    jq -r --arg r "$round" '.summary | "round \($r): \(.requests_per_second) req/s, p50 \(.latency_ms.p50) ms, p99 \(.latency_ms.p99) ms, statuses \(.by_status | tostring)"' <<<"$summary"
  done
fi

# Where a Bearer request's extra time goes, measured where it runs: `perf record` (cpu-clock,
# the sandbox's PID only) over ROUNDS rounds of one App and one Bearer wrk run (log off), the
# samples of each kind summed over the rounds and divided by its requests. Callgrind counts
# instructions and models caches; this is time on the real machine, caches and all, so it moves
# with the machine's speed like any timing: the rounds alternate so that both kinds see the
# same phases, and the kinds' difference is the figure. Sampling costs the sandbox throughput
# (more at higher PERF_FREQ), so these runs' req/s are not the wrk part's.
if [ "$PART" = perf ]; then
  need perf
  need python3
  start_sandbox off
  echo
  echo "## fetch-user under wrk -t2 -c64 -d$DURATION, log off, perf record -F ${PERF_FREQ:-2999} of the sandbox"
  DURATION=2s run_wrk warm-up "Bearer $TOKEN" >/dev/null
  : > "$SCRATCH/perf.requests"
  : > "$SCRATCH/perf.App"
  : > "$SCRATCH/perf.Bearer"
  for _ in $(seq 1 "$ROUNDS"); do
    for kind in App Bearer; do
      if [ "$kind" = App ]; then auth="App $MMJWT_APP_CODE"; else auth="Bearer $TOKEN"; fi
      perf record -q -F "${PERF_FREQ:-2999}" -p "$SERVER_PID" -o "$SCRATCH/perf.data" \
        -- sleep "$(( ${DURATION%s} + 1 ))" >/dev/null 2>&1 &
      perf_pid=$!
      sleep 0.3
      run_wrk "$kind" "$auth"
      wait "$perf_pid" || true
      echo "$kind $RPS" >>"$SCRATCH/perf.requests"
      perf report -i "$SCRATCH/perf.data" --no-children --sort sym -n --stdio 2>/dev/null |
        grep -v '^#' >>"$SCRATCH/perf.$kind"
    done
  done
  python3 - "$SCRATCH" "${DURATION%s}" "${PERF_FREQ:-2999}" <<'PY'
import collections, re, sys
scratch, duration, freq = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
requests = collections.Counter()
for line in open(f"{scratch}/perf.requests"):
    kind, rps = line.split()
    requests[kind] += float(rps) * duration
# What the verdict runs (its functions and the ones it calls), the kernel, the allocator.
VERDICT = re.compile(r"verdict|mmjwt::json|mmjwt::b64|sha2::|mmjwt::secret|KeyRing|KnownHeaders")
def kind_of(symbol):
    if VERDICT.search(symbol):
        return "verdict"
    if symbol.startswith("[k]"):
        return "kernel"
    if re.search(r"malloc|free|_int_|unlink_chunk|consolidate", symbol):
        return "allocator"
    return "other user code"
def load(kind):
    samples = collections.Counter()
    for line in open(f"{scratch}/perf.{kind}"):
        m = re.match(r"\s*[\d.]+%\s+(\d+)\s+(\[.\])\s+(.*)", line)
        if m:
            samples[m.group(2) + " " + m.group(3).strip()] += int(m.group(1))
    return samples
app, bearer = load("App"), load("Bearer")
per_request = lambda n, kind: n / requests[kind] * 1e6 / freq
print(f"sandbox CPU per request: App {per_request(sum(app.values()), 'App'):.2f} us, "
      f"Bearer {per_request(sum(bearer.values()), 'Bearer'):.2f} us")
print(f"{'kind of code':<16} {'App us':>8} {'Bearer us':>10} {'Bearer - App':>13}")
def by_kind(samples):
    kinds = collections.Counter()
    for symbol, n in samples.items():
        kinds[kind_of(symbol)] += n
    return kinds
a_kinds, b_kinds = by_kind(app), by_kind(bearer)
for k in ["verdict", "kernel", "allocator", "other user code"]:
    a, b = per_request(a_kinds[k], "App"), per_request(b_kinds[k], "Bearer")
    print(f"{k:<16} {a:>8.2f} {b:>10.2f} {b - a:>+13.2f}")
print("largest differences by function (us per request, Bearer - App):")
rows = sorted(((per_request(bearer[s], "Bearer") - per_request(app[s], "App"), s)
               for s in set(app) | set(bearer)), reverse=True)
for d, s in rows[:12]:
    print(f"  {d:+.3f} {s[:110]}")
PY
  exit 0
fi

# A/B: this tree's build (or MMJWT_BIN) against MMJWT_BIN_B, each with its own sandbox, log off,
# ROUNDS rounds of App then Bearer per binary, the binaries alternating, so both see the same
# drift. CPU per request is the sandbox's user + system time (/proc/PID/stat) over the run.
if [ "$PART" = ab ]; then
  [ -n "${MMJWT_BIN_B:-}" ] || { echo "set MMJWT_BIN_B to the binary to compare with" >&2; exit 1; }
  A=$MMJWT
  start_sandbox off
  A_PID=$SERVER_PID A_URL=$URL A_TOKEN=$TOKEN
  trap 'kill -TERM "$A_PID" 2>/dev/null || true; stop_server_and_clean' EXIT
  SERVER_PID=
  MMJWT=$MMJWT_BIN_B
  start_sandbox off
  B_PID=$SERVER_PID B_URL=$URL B_TOKEN=$TOKEN
  MMJWT=$A
  ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
  # One wrk run against the sandbox $1 with Authorization $2: leaves req/s in RPS and the
  # sandbox's CPU per request (µs) in US.
  US=0
  measured_run() {
    local t0 t1
    t0=$(ticks "$1"); run_wrk run "$2" >/dev/null; t1=$(ticks "$1")
    US=$(awk -v t="$((t1 - t0))" -v r="$RPS" -v d="${DURATION%s}" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "%.1f", t / hz * 1e6 / (r * d) }')
  }
  # One binary's round: App then Bearer; prints the row and leaves the ratio in RATIO.
  RATIO=0
  ab_round() {
    local label=$1 pid=$2 url=$3 token=$4 app app_us bearer bearer_us
    URL=$url
    measured_run "$pid" "App $MMJWT_APP_CODE"
    app=$RPS app_us=$US
    measured_run "$pid" "Bearer $token"
    bearer=$RPS bearer_us=$US
    RATIO=$(awk -v a="$app" -v b="$bearer" 'BEGIN { printf "%.3f", (a > 0 ? b / a : 0) }')
    printf '%-3s %10s %10s %8s %10s %10s\n' "$label" "$app" "$bearer" "$RATIO" "$app_us" "$bearer_us"
  }
  echo
  echo "## A/B, fetch-user under wrk -t2 -c64 -d$DURATION, log off"
  echo "# A: $A"
  echo "# B: $MMJWT_BIN_B"
  printf '%-3s %10s %10s %8s %10s %10s\n' bin 'App req/s' 'Bearer' ratio 'App us' 'Bearer us'
  DURATION=2s run_wrk warm-up "Bearer $A_TOKEN" >/dev/null
  URL=$B_URL DURATION=2s run_wrk warm-up "Bearer $B_TOKEN" >/dev/null
  ratios_a=() ratios_b=() b_ahead=0
  for _ in $(seq 1 "$ROUNDS"); do
    ab_round A "$A_PID" "$A_URL" "$A_TOKEN"
    ratios_a+=("$RATIO")
    ab_round B "$B_PID" "$B_URL" "$B_TOKEN"
    ratios_b+=("$RATIO")
    b_ahead=$((b_ahead + $(awk -v a="${ratios_a[-1]}" -v b="$RATIO" 'BEGIN { print (b > a) ? 1 : 0 }')))
  done
  echo "A: Bearer/App median $(median "${ratios_a[@]}") over $ROUNDS rounds"
  echo "B: Bearer/App median $(median "${ratios_b[@]}") over $ROUNDS rounds; B ahead of A in $b_ahead of $ROUNDS rounds"
  kill -TERM "$B_PID" 2>/dev/null || true
  exit 0
fi

# Instructions per request, counted by callgrind in the sandbox process (all its threads) over
# one wrk run, so neighbours on the machine do not move the figure. Valgrind runs the
# sandbox's threads one at a time, so wrk gets one thread and 16 connections. Under valgrind
# sha2 has no SHA extensions and uses its portable code: the SHA-256 part of a Bearer request
# counts several times what it costs natively (about 20,000 of the instructions).
# The distinct 64-byte lines of machine code (per object file) that a callgrind profile taken
# with --dump-instr=yes ran at least once every two of its $2 requests: how much code a request
# needs in the instruction cache, whatever the cache. (A cost line right after `calls=` is the
# call's inclusive cost, not the call site's own, so it is skipped.)
code_lines() {
  python3 - "$1" "$2" <<'PY'
import collections, sys
path, requests = sys.argv[1], int(sys.argv[2])
runs = collections.Counter()
ob, call_cost = None, False
with open(path, errors="replace") as f:
    for line in f:
        if line.startswith("ob="):
            ob = line[3:].strip()
        elif line.startswith("calls="):
            call_cost = True
        elif line.startswith("0x"):
            if call_cost:
                call_cost = False
                continue
            fields = line.split()
            if len(fields) > 2:
                runs[(ob, int(fields[0], 16))] += int(fields[2])
print(len({(o, a >> 6) for (o, a), n in runs.items() if 2 * n >= requests}))
PY
}

if [ "$PART" = callgrind ]; then
  need valgrind
  need callgrind_control
  echo
  echo "## instructions per fetch-user request (callgrind; wrk -t1 -c16 -d${CG_DURATION:-8s})"
  CACHE_SIM=no
  [ "${CG_CACHE:-0}" = 1 ] && CACHE_SIM=yes
  DUMP_INSTR=no LINES_HEAD=
  if [ "${CG_LINES:-0}" = 1 ]; then
    need python3
    DUMP_INSTR=yes LINES_HEAD=code-lines
  fi
  if [ "$CACHE_SIM" = yes ]; then
    printf '%-8s %-6s %10s %14s %10s %10s %10s %10s\n' log auth requests 'instr/request' I1-miss D1-rmiss D1-wmiss "$LINES_HEAD"
  else
    printf '%-8s %-6s %10s %14s %10s\n' log auth requests 'instr/request' "$LINES_HEAD"
  fi
  for LOG in $LOGS; do
    for auth in App Bearer; do
      rm -f "$SCRATCH"/cg.out*
      start_sandbox "$LOG" valgrind --tool=callgrind --compress-strings=no --compress-pos=no \
        --cache-sim="$CACHE_SIM" --dump-instr="$DUMP_INSTR" --callgrind-out-file="$SCRATCH/cg.out"
      if [ "$auth" = App ]; then value="App $MMJWT_APP_CODE"; else value="Bearer $TOKEN"; fi
      # Warm-up (threads, buffers, the installation's first answer), then counters from zero.
      MMJWT_BENCH_AUTH=$value timeout 60 wrk -t1 -c16 -d2s -s "$LUA" \
        "$URL/mobile/1/appinstance/$REG/user?ri=true" >/dev/null
      callgrind_control -z "$SERVER_PID" >/dev/null 2>&1
      out=$(MMJWT_BENCH_AUTH=$value timeout 120 wrk -t1 -c16 -d"${CG_DURATION:-8s}" -s "$LUA" \
        "$URL/mobile/1/appinstance/$REG/user?ri=true")
      callgrind_control -d "$SERVER_PID" >/dev/null 2>&1
      if grep -q 'Non-2xx' <<<"$out"; then
        echo "$auth: some answers were not 2xx:" >&2
        echo "$out" >&2
        exit 1
      fi
      requests=$(awk '/requests in/ {print $1}' <<<"$out")
      stop_sandbox
      # The dump taken after the run holds only the measured interval.
      # summary: Ir, and with the cache simulation Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw.
      read -r -a sums < <(awk '/^summary:/ { $1 = ""; print }' "$SCRATCH/cg.out.1")
      lines=
      [ "$DUMP_INSTR" = yes ] && lines=$(code_lines "$SCRATCH/cg.out.1" "$requests")
      if [ "$CACHE_SIM" = yes ]; then
        printf '%-8s %-6s %10s %14s %10s %10s %10s %10s\n' "$LOG" "$auth" "$requests" \
          $((sums[0] / requests)) $((sums[3] / requests)) $((sums[4] / requests)) $((sums[5] / requests)) "$lines"
      else
        printf '%-8s %-6s %10s %14s %10s\n' "$LOG" "$auth" "$requests" $((sums[0] / requests)) "$lines"
      fi
      if [ -n "${CG_KEEP:-}" ]; then
        mkdir -p "$CG_KEEP"
        cp "$SCRATCH/cg.out.1" "$CG_KEEP/callgrind.$LOG.$auth.out"
      fi
    done
  done
fi
