#!/usr/bin/env bash
# Builds voc-fuzz for libFuzzer and runs every fuzz target (or those named) for
# FUZZ_SECONDS each. A crash stops the run with a non-zero status and leaves its input
# in $FUZZ_FINDINGS/<target>/; replay it with `voc-fuzz <target> <file>`.
#
#   scripts/fuzz.sh                 build, then run every target
#   scripts/fuzz.sh pii multipart   run only these
#   FUZZ_SECONDS=30 scripts/fuzz.sh the short run of `make test`
#
# The build: libFuzzer's coverage instrumentation (`-Xfrontend -sanitize=fuzzer`) and
# libFuzzer without its `main`, because SwiftPM links an executable's entry point as
# `main`: voc-fuzz's own entry point picks the target from its first argument and
# hands the rest to LLVMFuzzerRunDriver. FUZZ_CONFIG=debug (the default) keeps the
# bounds checks of unsafe buffers and builds in a fraction of a release build's time;
# FUZZ_CONFIG=release runs several times faster; FUZZ_SANITIZERS=address adds ASan.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-600}
FUZZ_SCRATCH=${FUZZ_SCRATCH:-.build-fuzz}
FUZZ_FINDINGS=${FUZZ_FINDINGS:-Fuzz/Findings}
FUZZ_RSS_MB=${FUZZ_RSS_MB:-2048}
FUZZ_CONFIG=${FUZZ_CONFIG:-debug}
FUZZ_SANITIZERS=${FUZZ_SANITIZERS:-}

runtime=$(dirname "$(dirname "$(readlink -f "$(command -v swiftc)")")")/lib/clang
runtime=$(ls -d "$runtime"/*/lib/linux | head -1)
libfuzzer="$runtime/libclang_rt.fuzzer_no_main-x86_64.a"
[ -f "$libfuzzer" ] || { echo "fuzz: $libfuzzer not found (libFuzzer of the Swift toolchain)" >&2; exit 1; }

build() {
    local start=$SECONDS
    local sanitize=()
    [ -z "$FUZZ_SANITIZERS" ] || sanitize=(-Xswiftc "-sanitize=$FUZZ_SANITIZERS")
    swift build -c "$FUZZ_CONFIG" --scratch-path "$FUZZ_SCRATCH" --product voc-fuzz \
        -Xswiftc -DVOC_FUZZING -Xswiftc -enable-testing "${sanitize[@]}" -Xswiftc -Xfrontend -Xswiftc -sanitize=fuzzer \
        -Xlinker --whole-archive -Xlinker "$libfuzzer" -Xlinker --no-whole-archive -Xlinker -lstdc++ -Xlinker -lm
    echo "fuzz: voc-fuzz built in $((SECONDS - start)) s"
}

[ "${FUZZ_SKIP_BUILD:-0}" = 1 ] || build
binary="$FUZZ_SCRATCH/$FUZZ_CONFIG/voc-fuzz"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <("$binary" --list)

# The Swift runtime's backtracer would take the crash signal from libFuzzer, which then
# writes no reproducer; leaks of the runtime's caches are no findings.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}
status=0
for target in "${targets[@]}"; do
    seeds="Fuzz/Corpus/$target"
    work="$FUZZ_SCRATCH/corpus/$target"
    findings="$FUZZ_FINDINGS/$target"
    [ -d "$seeds" ] || { echo "fuzz: no seed corpus $seeds" >&2; exit 1; }
    mkdir -p "$work" "$findings"
    dict=()
    [ -f "Fuzz/Dictionaries/$target.dict" ] && dict=(-dict="Fuzz/Dictionaries/$target.dict")
    echo "fuzz: $target for ${FUZZ_SECONDS} s (findings in $findings/)"
    start=$SECONDS
    if ! "$binary" "$target" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb="$FUZZ_RSS_MB" -timeout=10 -detect_leaks=0 \
        -print_final_stats=1 -artifact_prefix="$findings/" "${dict[@]}" "$work" "$seeds" >"$work.log" 2>&1; then
        tail -60 "$work.log" >&2
        echo "fuzz: $target FAILED after $((SECONDS - start)) s; reproducer in $findings/ (log $work.log)" >&2
        status=1
        continue
    fi
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work.log" | grep -o '[0-9]*$' || echo 0)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$work.log" | grep -o '[0-9]*$' || echo 0)
    cov=$(grep -o 'cov: [0-9]*' "$work.log" | tail -1 || true)
    echo "fuzz: $target ok: $execs runs, $rate exec/s, $cov, corpus $(ls "$work" | wc -l) + $(ls "$seeds" | wc -l) seeds"
done
exit $status
