#!/bin/sh
# run.sh SECONDS DIR TARGET...: runs each libFuzzer target DIR/fuzz_TARGET
# for SECONDS seconds, one after the other, one job each.
#
# The corpus grows in DIR/corpus/TARGET (seeded from tests/fuzz/seeds.sh,
# kept between runs); findings land in DIR/artifacts/TARGET and are
# copied to tests/fuzz/regress/TARGET, the only place in the repository
# this writes to, so that `make check` replays them.  Prints one line per
# target and fails when anything was found.
set -u
secs=$1 dir=$2
shift 2
. tests/fuzz/seeds.sh
base=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && base=/dev/shm
scratch=$(mktemp -d "$base/tl-fuzz-run.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM
found=0
# stall_only ART TARGET: true when the artifacts this run added to ART
# are all slow units or timeouts that run in under a second when replayed
# alone: the machine stalled (on two busy cores a niced fuzzer can wait
# seconds for the CPU), the input is not slow.  They move to ART/stalls
# and are not kept.
stall_only() {
	new_artifacts "$1" >"$scratch/new"
	[ -s "$scratch/new" ] || return 1
	while read -r f; do
		case $(basename "$f") in
		slow-unit-*|timeout-*) ;;
		*) return 1 ;;
		esac
		t0=$(date +%s%N)
		timeout 30 "$dir/fuzz_$2" -runs=1 "$f" >/dev/null 2>&1 || return 1
		ms=$((($(date +%s%N) - t0) / 1000000))
		[ "$ms" -lt 1000 ] || return 1
		echo "fuzz $2: $(basename "$f") ran in $ms ms alone: a stall," \
		    "not kept" >&2
	done <"$scratch/new"
	mkdir -p "$1/stalls"
	xargs mv -t "$1/stalls/" <"$scratch/new"
	return 0
}
new_artifacts() {
	find "$1" -maxdepth 1 -type f -newer "$scratch/stamp"
}

# CPU seconds (user + system) used by this script's children so far
# (`times` must run in this shell, not in a subshell: hence the file).
child_cpu() {
	times >"$scratch/times"
	sed -n 2p "$scratch/times" | awk '{ s = 0
		for (i = 1; i <= 2; i++) {
			split($i, a, "m"); sub("s", "", a[2]); s += a[1] * 60 + a[2]
		}
		printf "%.0f\n", s }'
}
for t in "$@"; do
	corpus=$dir/corpus/$t art=$dir/artifacts/$t
	mkdir -p "$corpus" "$art"
	seeds "$t" "$corpus"
	case "$t" in
	mark) opts="-max_len=256" ;;
	document|runlog|policy) opts="-max_len=16384" ;;
	seckey|pubkey|commitkey) opts="-max_len=2200" ;;
	*) opts="-max_len=20000" ;;
	esac
	case "$t" in
	mark|document|runlog|policy|log)
		opts="$opts -dict=tests/fuzz/marking.dict" ;;
	esac
	before=$(ls "$art" | wc -l)
	touch "$scratch/stamp"
	sleep 1 # artifacts of this run are newer than the stamp
	child_cpu >"$scratch/cpu0"
	# shellcheck disable=SC2086
	TL_FUZZ_TMP=$scratch "$dir/fuzz_$t" $opts -max_total_time="$secs" \
	    -timeout=30 -report_slow_units=3 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$art/" "$corpus" \
	    >"$dir/$t.log" 2>&1
	rc=$?
	child_cpu >"$scratch/cpu1"
	cpu=$(($(cat "$scratch/cpu1") - $(cat "$scratch/cpu0")))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/$t.log")
	secs_done=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' \
	    "$dir/$t.log")
	new=$(ls "$art" | wc -l)
	if [ "$new" -gt "$before" ] && { [ "$rc" -eq 0 ] || [ "$rc" -eq 70 ]; } &&
	    stall_only "$art" "$t"; then
		new=$before
		[ "$rc" -eq 70 ] && echo "fuzz $t: stopped early by a stall" >&2
		rc=0
	fi
	if [ "$rc" -ne 0 ] || [ "$new" -gt "$before" ]; then
		found=1
		mkdir -p "tests/fuzz/regress/$t"
		for f in "$art"/*; do
			[ -f "$f" ] && cp "$f" "tests/fuzz/regress/$t/"
		done
		echo "fuzz $t: FOUND something (exit $rc): see $dir/$t.log;" \
		    "inputs copied to tests/fuzz/regress/$t" >&2
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*fuzz invariant broken)' \
		    "$dir/$t.log" | head -5 >&2
	fi
	echo "fuzz $t: ${runs:-?} runs in ${secs_done:-?} s ($cpu CPU s)," \
	    "corpus $(ls "$corpus" | wc -l) files, exit $rc"
done
[ "$found" -eq 0 ]
