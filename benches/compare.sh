#!/usr/bin/env bash
# Whole-process comparisons for the README's Performance section. Rerun with:
#   bash benches/compare.sh            (all)
#   bash benches/compare.sh startup    (one part: startup | batch-gen | batch-check | instructions)
#
# Needs hyperfine, python3 and openssl; installs jwt-cli and PyJWT into a scratch directory
# (never into the repository). N sets the batch size (default 1,000,000), RUNS the batch-gen runs
# to /dev/null whose median is reported (default 5). MMJWT_BIN measures another binary instead
# of a release build of this tree (then no static-pie build is made).
#
# Two builds side by side (a Cargo profile, a dependency change), counted with callgrind, so a
# busy machine does not move the figures: start-up of `check` and `gen`, and batch
# `check --json -` and `gen --user-id -` over CG_N inputs (default 100,000):
#   MMJWT_BIN=/path/to/before MMJWT_BIN_B=/path/to/after bash benches/compare.sh instructions
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benches/common.sh
source benches/common.sh

PART=${1:-all}
N=${N:-1000000}
SCRATCH=${SCRATCH:-${TMPDIR:-/tmp}/mmjwt-bench}
mkdir -p "$SCRATCH"

need() { command -v "$1" >/dev/null || { echo "missing $1 (e.g. apt-get install $2)" >&2; exit 1; }; }
need hyperfine hyperfine
need python3 python3
need openssl openssl

mmjwt_binary
# The static-pie build the README's install section recommends on Linux (glibc linked in, no
# dynamic loader at start-up, ASLR kept). Built for an explicit --target so the flag does not
# reach build scripts and proc-macros.
HOST=$(rustc -vV | sed -n 's/^host: //p')
MMJWT_STATIC=
# (Not for a given MMJWT_BIN: the suffix keeps the pattern from matching.)
case "$HOST${MMJWT_BIN:+ (given)}" in
  *-linux-gnu)
    RUSTFLAGS="-C target-feature=+crt-static" cargo build --release --locked -q --target "$HOST"
    MMJWT_STATIC=$PWD/target/$HOST/release/mmjwt
    ;;
esac

JWT=${JWT_CLI:-$SCRATCH/bin/jwt}
if [ ! -x "$JWT" ]; then
  echo "installing jwt-cli into $SCRATCH (one time)..." >&2
  cargo install --quiet --locked jwt-cli --version "$JWT_CLI_VERSION" --root "$SCRATCH"
fi
VENV=$SCRATCH/venv
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q pyjwt
fi
PY=$VENV/bin/python

printf '%s\n' "$SECRET_HEX" > "$SCRATCH/key.hex"
chmod 600 "$SCRATCH/key.hex"
export MMJWT_APP_CODE=bench-app-code MMJWT_KEY_ID=bench-key

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# date: $(date -u +%Y-%m-%dT%H:%MZ); load average: $(cut -d" " -f1-3 /proc/loadavg)"

if [ "$PART" = all ] || [ "$PART" = startup ]; then
  TOKEN=$("$MMJWT" gen --user-id alice --secret-file "$SCRATCH/key.hex" --ttl 1d)
  # jwt-cli takes the secret as text. Equivalent work: the same claims, kid and lifetime,
  # and verifying a token with exp.
  JS=s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t
  JCLAIMS='{"typ":"Bearer","infobip-api-key":"bench-app-code","jti":"00000000-0000-4000-8000-000000000001"}'
  JTOKEN=$("$JWT" encode --secret "$JS" --kid bench-key --sub alice --exp=+1d "$JCLAIMS")
  echo "## start-up (hyperfine -N, medians)"
  # hyperfine -N splits commands shell-style: single quotes keep the JSON intact.
  # Interleaved in one hyperfine run, so a neighbour's burst hits every command alike.
  STATIC_ARGS=()
  if [ -n "$MMJWT_STATIC" ]; then
    STATIC_ARGS=(
      -n "mmjwt gen (static-pie)" "$MMJWT_STATIC gen --user-id alice --secret-file $SCRATCH/key.hex"
      -n "mmjwt check (static-pie)" "$MMJWT_STATIC check --secret-file $SCRATCH/key.hex $TOKEN"
    )
  fi
  hyperfine -N --warmup 50 --runs 500 --export-json "$SCRATCH/startup.json" \
    -n "mmjwt gen" "$MMJWT gen --user-id alice --secret-file $SCRATCH/key.hex" \
    -n "jwt encode" "$JWT encode --secret $JS --kid bench-key --sub alice --exp=+15m '$JCLAIMS'" \
    -n "mmjwt check" "$MMJWT check --secret-file $SCRATCH/key.hex $TOKEN" \
    -n "jwt decode -S" "$JWT decode -S $JS $JTOKEN" \
    "${STATIC_ARGS[@]}" \
    -n "/bin/true" "/bin/true" >/dev/null 2>&1
  python3 - "$SCRATCH/startup.json" <<'PY'
import json, sys
rows = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
med = {k: r["median"] * 1000 for k, r in rows.items()}
print("| command | median ms | mean ms | ratio mmjwt/jwt-cli |")
print("|---|---:|---:|---:|")
pairs = (("gen", "jwt encode"), ("check", "jwt decode -S"))
for verb, theirs in pairs:
    for ours in (f"mmjwt {verb}", f"mmjwt {verb} (static-pie)"):
        if ours in med:
            print(f"| {ours} | {med[ours]:.2f} | {rows[ours]['mean'] * 1000:.2f} | {med[ours] / med[theirs]:.2f} |")
    print(f"| {theirs} | {med[theirs]:.2f} | {rows[theirs]['mean'] * 1000:.2f} | |")
print(f"| /bin/true (spawn floor) | {med['/bin/true']:.2f} | {rows['/bin/true']['mean'] * 1000:.2f} | |")
PY
  echo
  echo "## binary sizes (bytes)"
  printf 'mmjwt              %s\n' "$(stat -c %s "$MMJWT")"
  [ -z "$MMJWT_STATIC" ] || printf 'mmjwt (static-pie) %s\n' "$(stat -c %s "$MMJWT_STATIC")"
  printf 'jwt-cli            %s\n' "$(stat -c %s "$JWT")"

  # Counted rather than timed: instruction counts do not move with the machine's load, and
  # task-clock and page faults (CPU the process itself used) move much less than wall time.
  STARTUP_CMDS=(
    "mmjwt check|$MMJWT check --secret-file $SCRATCH/key.hex $TOKEN"
    "jwt decode -S|$JWT decode -S $JS $JTOKEN"
    "mmjwt gen|$MMJWT gen --user-id alice --secret-file $SCRATCH/key.hex"
  )
  echo
  echo "## start-up, instructions (valgrind --tool=callgrind, one run each)"
  if command -v valgrind >/dev/null; then
    for entry in "${STARTUP_CMDS[@]}"; do
      # Word splitting is wanted here: the commands hold no spaces inside their arguments.
      # shellcheck disable=SC2086
      n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null ${entry#*|} 2>&1 >/dev/null |
        sed -n 's/.*refs: *//p')
      printf '%-16s %12s\n' "${entry%%|*}" "$n"
    done
    n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
      "$JWT" encode --secret "$JS" --kid bench-key --sub alice --exp=+15m "$JCLAIMS" 2>&1 >/dev/null |
      sed -n 's/.*refs: *//p')
    printf '%-16s %12s\n' "jwt encode" "$n"
  else
    echo "skipped: valgrind is not installed (apt-get install valgrind)"
  fi
  echo
  echo "## start-up, task-clock ms and page faults (perf stat -r 200, three interleaved rounds)"
  if perf stat -e task-clock true >/dev/null 2>&1; then
    for round in 1 2 3; do
      for entry in "${STARTUP_CMDS[@]}"; do
        # shellcheck disable=SC2086
        perf stat -x, -r 200 -e task-clock,page-faults ${entry#*|} 2>&1 >/dev/null |
          awk -F, -v name="${entry%%|*}" -v round="$round" '
            $3 ~ /task-clock/ { t = $1 } $3 ~ /page-faults/ { f = $1 }
            END { printf "round %s  %-16s %7.3f ms %5d faults\n", round, name, t, f }'
      done
    done
  else
    echo "skipped: perf stat does not work here (apt-get install linux-perf)"
  fi
fi

if [ "$PART" = all ] || [ "$PART" = batch-gen ]; then
  seq 1 "$N" | sed 's/^/user-/' > "$SCRATCH/ids.txt"
  echo "## batch gen: $N user ids"
  # The generator's own speed: tokens to /dev/null, as the batch-check part below measures, the
  # median of RUNS runs. Then one run into a file, whose lines are counted: it adds the page
  # cache's copy of every byte, and after a few runs the kernel's write-back of the earlier
  # runs' files competes with the later ones (so a figure to a file depends on what ran before).
  walls=()
  for run in $(seq 1 "${RUNS:-5}"); do
    /usr/bin/time -o "$SCRATCH/time.txt" -f "%e %U %S %M" \
      "$MMJWT" gen --user-id - --secret-file "$SCRATCH/key.hex" < "$SCRATCH/ids.txt" > /dev/null
    read -r wall user sys rss < "$SCRATCH/time.txt"
    printf 'mmjwt gen > /dev/null, run %s: %s s wall, %s s user, %s s sys, peak RSS %s kB\n' \
      "$run" "$wall" "$user" "$sys" "$rss"
    walls+=("$wall")
  done
  awk -v m="$(median "${walls[@]}")" -v n="$N" 'BEGIN { printf "median %s s: %.0f tokens/s\n", m, (m > 0 ? n / m : 0) }'
  /usr/bin/time -f "mmjwt gen > file: %e s wall, %U s user, %S s sys, peak RSS %M kB" \
    "$MMJWT" gen --user-id - --secret-file "$SCRATCH/key.hex" < "$SCRATCH/ids.txt" > "$SCRATCH/tokens.txt"
  test "$(wc -l < "$SCRATCH/tokens.txt")" -eq "$N"
  /usr/bin/time -f "PyJWT loop:  %e s wall, %U s user, peak RSS %M kB" \
    "$PY" benches/pyjwt_gen.py "$SCRATCH/key.hex" < "$SCRATCH/ids.txt" > "$SCRATCH/tokens_py.txt"
  LEN=$(head -1 "$SCRATCH/tokens.txt" | cut -d. -f1-2 | tr -d '\n' | wc -c)
  echo "## HMAC-SHA256 ceiling (openssl speed, one core, $LEN-byte message = the signing input)"
  openssl speed -seconds 3 -bytes "$LEN" -hmac sha256 2>/dev/null | tail -1
fi

if [ "$PART" = all ] || [ "$PART" = batch-check ]; then
  # Fresh tokens valid for a day, so every check runs the whole way (an expired token from an
  # earlier run would measure the failure path instead).
  "$MMJWT" gen --user-id - --secret-file "$SCRATCH/key.hex" --ttl 1d \
    < <(seq 1 "$N" | sed 's/^/user-/') > "$SCRATCH/tokens.txt"
  echo "## batch check --json with signature verification: $N tokens"
  /usr/bin/time -f "mmjwt check: %e s wall, %U s user, %S s sys, peak RSS %M kB" \
    "$MMJWT" check --secret-file "$SCRATCH/key.hex" --json - < "$SCRATCH/tokens.txt" > /dev/null
  /usr/bin/time -f "PyJWT loop:  %e s wall, %U s user, peak RSS %M kB" \
    "$PY" benches/pyjwt_check.py "$SCRATCH/key.hex" < "$SCRATCH/tokens.txt" > /dev/null
fi

if [ "$PART" = instructions ]; then
  need valgrind valgrind
  CG_N=${CG_N:-100000}
  seq 1 "$CG_N" | sed 's/^/user-/' > "$SCRATCH/cg_ids.txt"
  "$MMJWT" gen --user-id - --secret-file "$SCRATCH/key.hex" --ttl 1d \
    < "$SCRATCH/cg_ids.txt" > "$SCRATCH/cg_tokens.txt"
  TOKEN=$(head -1 "$SCRATCH/cg_tokens.txt")
  # The instructions one command executes; the rest of its arguments are the command.
  refs() {
    local input=$1
    shift
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" < "$input" 2>&1 >/dev/null |
      sed -n 's/.*refs: *//p' | tr -d ,
  }
  echo "## instructions (valgrind --tool=callgrind); batches of $CG_N"
  printf '| binary | check TOKEN | gen | batch check --json - | batch gen --user-id - |\n|---|---:|---:|---:|---:|\n'
  for bin in "$MMJWT" ${MMJWT_BIN_B:+"$MMJWT_BIN_B"}; do
    printf '| %s | %s | %s | %s | %s |\n' "$bin" \
      "$(refs /dev/null "$bin" check --secret-file "$SCRATCH/key.hex" "$TOKEN")" \
      "$(refs /dev/null "$bin" gen --user-id alice --secret-file "$SCRATCH/key.hex")" \
      "$(refs "$SCRATCH/cg_tokens.txt" "$bin" check --secret-file "$SCRATCH/key.hex" --json -)" \
      "$(refs "$SCRATCH/cg_ids.txt" "$bin" gen --user-id - --secret-file "$SCRATCH/key.hex")"
  done
  JS=s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t
  JCLAIMS='{"typ":"Bearer","infobip-api-key":"bench-app-code","jti":"00000000-0000-4000-8000-000000000001"}'
  JTOKEN=$("$JWT" encode --secret "$JS" --kid bench-key --sub alice --exp=+1d "$JCLAIMS")
  printf '| jwt-cli (decode -S, encode) | %s | %s | | |\n' \
    "$(refs /dev/null "$JWT" decode -S "$JS" "$JTOKEN")" \
    "$(refs /dev/null "$JWT" encode --secret "$JS" --kid bench-key --sub alice --exp=+15m "$JCLAIMS")"
  printf 'sizes (bytes): %s\n' "$(stat -c '%n %s' "$MMJWT" ${MMJWT_BIN_B:+"$MMJWT_BIN_B"} | tr '\n' ' ')"
fi
