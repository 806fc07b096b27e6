#!/usr/bin/env bash
# How long a source install takes, against jwt-cli's. Rerun with:
#   bash benches/install.sh                     (one round: mmjwt, then jwt-cli)
#   ROUNDS=3 bash benches/install.sh            (alternating: mmjwt, jwt-cli, mmjwt, jwt-cli, ...)
#   OURS_ARGS="--profile dist" bash benches/install.sh   (the published-binary profile instead)
#   TIMINGS=DIR bash benches/install.sh        (also keeps cargo's --timings report of each
#                                                mmjwt install in DIR: time by crate, the link)
#
# Each install is the user's command, `cargo install --locked`, into a scratch --root and from
# an empty target directory, so every dependency is compiled again. Downloads are not timed:
# the registry is warmed first (`cargo fetch` for this tree, one untimed jwt-cli install when
# its crate is not in the cache yet). Alternating rounds let a neighbour's burst hit both
# alike; the load average before each run is printed because wall time on a busy machine says
# little. JWT_CLI_VERSION pins the jwt-cli release compared (the one benches/compare.sh uses).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benches/common.sh
source benches/common.sh

ROUNDS=${ROUNDS:-1}
OURS_ARGS=${OURS_ARGS:-}
scratch_dir install

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# $(cargo -V); jwt-cli $JWT_CLI_VERSION; date: $(date -u +%Y-%m-%dT%H:%MZ)"

cargo fetch --locked -q
CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
if ! compgen -G "$CARGO_HOME/registry/cache/*/jwt-cli-$JWT_CLI_VERSION.crate" >/dev/null; then
  echo "warming the registry with one untimed jwt-cli install..." >&2
  CARGO_TARGET_DIR=$SCRATCH/warm cargo install -q --locked jwt-cli --version "$JWT_CLI_VERSION" \
    --root "$SCRATCH/warm-root"
  rm -rf "$SCRATCH/warm" "$SCRATCH/warm-root"
fi

# Runs one install ($1 names it; the rest is the command) from an empty target directory and
# appends its wall seconds to the array named by $1.
ours=()
jwt=()
timed_install() {
  local -n walls=$1
  local name=$1 target load wall user sys
  shift
  target=$(mktemp -d "$SCRATCH/target.XXXXXX")
  load=$(cut -d" " -f1-3 /proc/loadavg)
  CARGO_TARGET_DIR=$target /usr/bin/time -o "$SCRATCH/time.txt" -f "%e %U %S" "$@" \
    >"$SCRATCH/install.log" 2>&1 || { tail -20 "$SCRATCH/install.log" >&2; exit 1; }
  read -r wall user sys < "$SCRATCH/time.txt"
  awk -v n="$name" -v r="$round" -v w="$wall" -v u="$user" -v s="$sys" -v l="$load" \
    'BEGIN { printf "%-5s round %s: %6.1f s wall, %6.1f s CPU (user+sys); load average before: %s\n", n, r, w, u + s, l }'
  if [ -n "${TIMINGS:-}" ] && [ -d "$target/cargo-timings" ]; then
    mkdir -p "$TIMINGS"
    cp "$target/cargo-timings/cargo-timing.html" "$TIMINGS/$name-round$round.html"
  fi
  rm -rf "$target" "$SCRATCH/root"
  walls+=("$wall")
}

for round in $(seq 1 "$ROUNDS"); do
  # OURS_ARGS is split into words on purpose (e.g. `--profile dist`).
  # shellcheck disable=SC2086
  timed_install ours cargo install --locked --path . --root "$SCRATCH/root" \
    ${TIMINGS:+--timings} $OURS_ARGS
  timed_install jwt cargo install --locked jwt-cli --version "$JWT_CLI_VERSION" --root "$SCRATCH/root"
done

m_ours=$(median "${ours[@]}")
m_jwt=$(median "${jwt[@]}")
awk -v o="$m_ours" -v j="$m_jwt" -v n="$ROUNDS" 'BEGIN {
  printf "median of %d: mmjwt %.1f s, jwt-cli %.1f s: ratio mmjwt/jwt-cli %.2f\n", n, o, j, o / j
}'
