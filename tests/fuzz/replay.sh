#!/bin/sh
# replay.sh DIR TARGET...: runs DIR/fuzz_TARGET (the gcc + ASan/UBSan
# build of each fuzz target with tests/fuzz/driver.c) once over its seeds
# (tests/fuzz/seeds.sh) and its kept crashers and slow inputs
# (tests/fuzz/regress/TARGET).  Prints "fuzz-replay: N passed, N failed"
# (one per target) and, on failure, the end of the target's output.
set -u
dir=$1
shift
. tests/fuzz/seeds.sh
pass=0 fail=0 inputs=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for t in "$@"; do
	seeds "$t" "$tmp/seed-$t"
	if ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} TL_FUZZ_TMP=$tmp \
	    "$dir/fuzz_$t" "$tmp/seed-$t" "tests/fuzz/regress/$t" \
	    >"$tmp/out" 2>"$tmp/err"; then
		pass=$((pass + 1))
		n=$(sed -n 's/.*: \([0-9]*\) inputs$/\1/p' "$tmp/out")
		inputs=$((inputs + ${n:-0}))
	else
		fail=$((fail + 1))
		echo "FAILED: fuzz replay of $t:" >&2
		tail -n 30 "$tmp/err" >&2
	fi
done
echo "fuzz-replay: $pass passed, $fail failed ($inputs inputs)"
[ "$fail" -eq 0 ]
