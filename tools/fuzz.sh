#!/usr/bin/env bash
# make fuzz: runs each fuzz target (build/fuzz/bin/TARGET, afl++ with ASan
# and UBSan) from its seed corpus for FUZZ_SECONDS (300) seconds, FUZZ_JOBS
# (1, at most 2) at a time, and prints "TARGET execs=N crashes=C hangs=H".
# afl++'s findings stay in build/fuzz/TARGET/out (crashes/, hangs/, queue/).
# FUZZ_RESUME=1 goes on from that directory where an earlier run left it
# (its queue, and its counts: execs and run time add up across runs), so a
# long fuzzing can be spread over several sittings; without it each run
# starts again from the seeds. Exits non-zero when any target crashed or
# hung, or could not run.
# Usage: tools/fuzz.sh TARGET...
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-300}
JOBS=${FUZZ_JOBS:-1}
[ "$JOBS" -ge 1 ] && [ "$JOBS" -le 2 ] || { echo "FUZZ_JOBS is 1 or 2" >&2; exit 2; }
[ $# -gt 0 ] || { echo "usage: tools/fuzz.sh TARGET..." >&2; exit 2; }

# afl++ in a container: no core_pattern or CPU governor to tune, other
# programs on the cores, no screen
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1
export AFL_NO_UI=1 AFL_NO_AUTODICT=0 AFL_QUIET=1
# the sanitizers' reports end the run as a crash afl++ sees
export ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:symbolize=0

stat_of() { # FILE KEY: a value of afl++'s fuzzer_stats
	sed -n "s/^$2 *: *//p" "$1" 2>/dev/null | head -1
}

run_one() { # TARGET: fuzzes it; its summary line into build/fuzz/TARGET/summary
	local t=$1 d=build/fuzz/$1 bin=build/fuzz/bin/$1 in=tests/fuzz/corpus/$1
	if [ "${FUZZ_RESUME:-0}" = 1 ] && [ -f "$d/out/default/fuzzer_stats" ]; then
		in=-   # afl++: resume from -o
	else
		rm -rf "$d/out"
	fi
	mkdir -p "$d"
	if [ ! -x "$bin" ] || [ ! -d "tests/fuzz/corpus/$t" ]; then
		echo "$t execs=0 crashes=0 hangs=0 (no program or corpus)" > "$d/summary"
		return
	fi
	# -t: a hang is an input that takes over 2 s, generous on a shared CPU
	timeout -k 10 $((SECONDS_EACH + 60)) afl-fuzz -V "$SECONDS_EACH" -t 2000 -m none \
		-i "$in" -o "$d/out" -- "$bin" >"$d/afl.log" 2>&1
	local rc=$? s=$d/out/default/fuzzer_stats
	if [ ! -f "$s" ]; then
		echo "$t execs=0 crashes=0 hangs=0 (afl-fuzz exited $rc: $d/afl.log)" > "$d/summary"
		return
	fi
	local execs crashes hangs
	execs=$(stat_of "$s" execs_done)
	crashes=$(stat_of "$s" saved_crashes)
	[ -n "$crashes" ] || crashes=$(stat_of "$s" unique_crashes)
	hangs=$(stat_of "$s" saved_hangs)
	[ -n "$hangs" ] || hangs=$(stat_of "$s" unique_hangs)
	local summary="$t execs=${execs:-0} crashes=${crashes:-0} hangs=${hangs:-0}"
	[ "$in" = - ] && summary="$summary (resumed: $(stat_of "$s" run_time) s in all)"
	echo "$summary" > "$d/summary"
}

pending=("$@")
while [ ${#pending[@]} -gt 0 ]; do
	batch=("${pending[@]:0:$JOBS}")
	pending=("${pending[@]:$JOBS}")
	pids=()
	for t in "${batch[@]}"; do run_one "$t" & pids+=($!); done
	wait "${pids[@]}"
	for t in "${batch[@]}"; do cat "build/fuzz/$t/summary"; done
done

status=0
for t in "$@"; do
	line=$(cat "build/fuzz/$t/summary")
	case $line in
	*"execs=0 "*) status=1 ;;
	*"crashes=0 hangs=0" | *"crashes=0 hangs=0 ("*) ;;
	*) status=1; echo "# $t: the inputs are in build/fuzz/$t/out/default/crashes and hangs" ;;
	esac
done
exit $status
