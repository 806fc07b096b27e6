# Shared by the benchmark scripts (sourced, not run): the binary to measure, a scratch
# directory that goes away on exit together with the server the script started, the jwt-cli
# release compared against, the fixed test credentials, and the median of a list of figures.

# Sets MMJWT to $MMJWT_BIN (a binary to measure instead, for before/after comparisons) or to a
# release build of this tree.
mmjwt_binary() {
  if [ -n "${MMJWT_BIN:-}" ]; then
    MMJWT=$MMJWT_BIN
  else
    cargo build --release --locked -q
    MMJWT=$PWD/target/release/mmjwt
  fi
}

# Sets SCRATCH to a new directory named after $1. On exit the process in SERVER_PID (when the
# script has set it) is stopped and waited for, and SCRATCH is removed.
SERVER_PID=
scratch_dir() {
  SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/mmjwt-$1-bench.XXXXXX")
  trap stop_server_and_clean EXIT
}
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
stop_server_and_clean() {
  stop_server
  rm -rf "$SCRATCH"
}

# The jwt-cli release the comparisons install (its own `--locked` dependencies).
JWT_CLI_VERSION=${JWT_CLI_VERSION:-6.2.0}

# Fixed test credentials (never a real key): SECRET_HEX, the key in $SCRATCH/key.hex (mode
# 600), the app code and key id in mmjwt's variables, and none of mmjwt's other settings from
# the caller's environment.
SECRET_HEX=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
test_credentials() {
  printf '%s\n' "$SECRET_HEX" > "$SCRATCH/key.hex"
  chmod 600 "$SCRATCH/key.hex"
  export MMJWT_APP_CODE=bench-app-code MMJWT_KEY_ID=bench-key
  unset MMJWT_SECRET MMJWT_BASE_URL MMJWT_PUSH_REG_ID
}

# The median of the figures given as arguments (the middle one; the lower middle of an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
