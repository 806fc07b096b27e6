#!/usr/bin/env bash
# Time-boxed fuzzing of every target with the shared dictionary. Needs the nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz`). Usage: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
# Findings land in fuzz/artifacts/<target>/; the growing corpus in fuzz/corpus/<target>/ (both
# ignored by git). Seeds from fuzz/seeds/<target>/ are copied in first.
set -euo pipefail
cd "$(dirname "$0")"

secs="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(check_token android_sdk ios_sdk strict_json sandbox_request)
fi

cargo +nightly fuzz build --release
mkdir -p artifacts
status=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    if [ -d "seeds/$t" ]; then
        cp -n seeds/"$t"/* "corpus/$t/" 2>/dev/null || true
    fi
    echo "== $t (${secs}s)"
    if ! cargo +nightly fuzz run --release "$t" "corpus/$t" -- \
        -max_total_time="$secs" -dict=token.dict -max_len=16384 -timeout=2 \
        -rss_limit_mb=1024 -print_final_stats=1 2>"artifacts/$t.log"; then
        status=1
        echo "   FAILED: see fuzz/artifacts/$t.log and fuzz/artifacts/$t/"
    fi
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE' "artifacts/$t.log" || true
done
exit "$status"
