#!/bin/sh
# run.sh: fault injection.  Runs each command below with its Nth
# allocation failed (TEARLINE_FAULT_ALLOC=N), then with its Nth write
# failed (TEARLINE_FAULT_WRITE=N), for every N from 1 to one past the
# number of calls a run without faults makes (tests/fault/fault.c counts
# them), FAULT_JOBS (default 2) runs at a time (FAULT_ONLY="NAME..."
# runs only the commands named), and checks every run:
#   - no sanitizer report (ASan, LSan, UBSan) and no crash;
#   - exit 2 with a message on stderr, or, when the fault was absorbed or
#     not reached, exit 0 with exactly the output of a run without faults;
#   - after a failure, no partial copy and no temporary file in the
#     output directory: a file left there is a whole copy that a run
#     without faults writes too (of another input of the same run);
#   - a signed log left, after a failure or not, verifies with every copy
#     it names, and no signature or commitment key is left without it.
# Usage: run.sh TEARLINE-FAULT TEARLINE [TEARLINE-LIBFAULT]: the program
# linked with the fault wrappers, an ordinary build that checks the signed
# logs left, and the build whose malloc fails for the whole process
# (tests/fault/libfault.c): with it, allocation faults are also tried
# inside libyaml, PCRE2, OpenSSL and libc, on FAULT_LIB_RUNS (default 150)
# values of N per command, evenly spaced (0: every N).
# Prints one line per command and "fault: N passed, N failed".
#
# (Internally, `run.sh --one NAME KIND N WANT TEARLINE CMD...` is one
# checked run.)
set -u
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
unset TEARLINE_FAULT_ALLOC TEARLINE_FAULT_WRITE TEARLINE_FAULT_REPORT \
    TEARLINE_FAULT_STACK

# run DIR KIND N CMD...: one run in DIR (made fresh; OUT and OUT/FILE in
# CMD name DIR/out), stdout, stderr and the fault report kept in DIR.
run() {
	d=$1 kind=$2 n=$3
	shift 3
	rm -rf "$d"
	mkdir -p "$d/out"
	# shellcheck disable=SC2046
	set -- $(for a in "$@"; do case $a in
		OUT|OUT/*) echo "$d/out${a#OUT}" ;;
		*) echo "$a" ;;
		esac; done)
	env "TEARLINE_FAULT_$kind=$n" TEARLINE_FAULT_REPORT="$d/report" \
	    "$@" >"$d/stdout" 2>"$d/stderr"
	rc=$?
}

# What a run left: its stdout and the files below its out/, with their
# bytes (only the names of a signed log's files, which differ from run to
# run: a random log id and commitment key, a time stamp).
snapshot() {
	cat "$1/stdout"
	(cd "$1/out" && find . -type f | sort | while read -r f; do
		echo "== $f"
		case $f in
		*.log|*.minisig|*.ckey) ;;
		*) cat "$f" ;;
		esac
	done)
}

# Problems with the signed logs a run left in DIR/out: a log must verify
# with every copy it names, a signature or a commitment key must not be
# left without its log.
check_logs() {
	(cd "$1/out" && find . -type f) | while read -r f; do
		case $f in
		*.log) "$PLAIN" verify -q -p "$PUB" -a "$1/out/$f" \
		    >/dev/null 2>&1 || echo "a log that does not verify: $f" ;;
		*.log.minisig) [ -f "$1/out/${f%.minisig}" ] ||
		    echo "a signature without its log: $f" ;;
		*.log.ckey) [ -f "$1/out/${f%.ckey}" ] ||
		    echo "a commitment key without its log: $f" ;;
		esac
	done
}

PUB=tests/keys/nopw.pub

if [ "${1:-}" = --one ]; then
	name=$2 kind=$3 n=$4 want=$5 PLAIN=$6
	shift 6
	d=$(dirname "$want")/$kind-$n
	run "$d" "$kind" "$n" "$@"
	why=""
	if grep -Eq 'Sanitizer|runtime error:|^SUMMARY' "$d/stderr"; then
		why="sanitizer report"
	elif ! grep -q '^injected:' "$d/report" 2>/dev/null; then
		# Not reached: a clean run.
		if [ "$rc" -ne 0 ]; then
			why="exit $rc, fault not reached"
		elif ! snapshot "$d" | cmp -s - "$want"; then
			why="output differs, fault not reached"
		fi
	elif [ "$rc" -eq 0 ]; then
		snapshot "$d" | cmp -s - "$want" ||
		    why="exit 0 with other output than a run without faults"
	elif [ "$rc" -ne 2 ]; then
		why="exit $rc (wanted 2, an error)"
	elif ! grep -q . "$d/stderr"; then
		why="exit 2 without a message"
	else
		# Files left must be whole copies that a run without faults
		# writes too (another document's, with several inputs), or a
		# signed log of what was done.
		clean=$(dirname "$want")/clean/out
		for f in $(cd "$d/out" && find . -type f); do
			case $f in
			*.log|*.log.minisig|*.log.ckey) continue ;;
			esac
			cmp -s "$d/out/$f" "$clean/$f" ||
			    why="$why left behind: $f"
		done
	fi
	[ -z "$why" ] && why=$(check_logs "$d" | head -n 1)
	if [ -n "$why" ]; then
		echo "FAILED: fault $name $kind=$n: $why" >&2
		sed 's/^/    /' "$d/stderr" | head -n 20 >&2
		exit 1
	fi
	rm -rf "$d"
	exit 0
fi

TL=$1
PLAIN=$2
LIBTL=${3:-}
jobs=${FAULT_JOBS:-2}
self=$0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0 runs=0

# fault_test NAME CMD...: the command writes its files into OUT (OUT or
# OUT/FILE in CMD) or to standard output.  Arguments hold no white space.
fault_test() {
	name=$1
	shift
	case " ${FAULT_ONLY:-$name} " in *" $name "*) ;; *) return ;; esac
	mkdir -p "$tmp/$name"
	run "$tmp/$name/clean" NONE 0 "$@"
	if [ "$rc" -ne 0 ]; then
		echo "FAILED: fault $name: exit $rc without a fault" >&2
		sed 's/^/    /' "$tmp/$name/clean/stderr" | head -n 20 >&2
		fail=$((fail + 2))
		return
	fi
	why=$(check_logs "$tmp/$name/clean" | head -n 1)
	if [ -n "$why" ]; then
		echo "FAILED: fault $name: without a fault: $why" >&2
		fail=$((fail + 2))
		return
	fi
	snapshot "$tmp/$name/clean" >"$tmp/$name/want"
	summary=""
	for kind in $kinds; do
		case $kind in
		ALLOC) calls=$(sed -n 's/^alloc \([0-9]*\) .*/\1/p' "$tmp/$name/clean/report") ;;
		WRITE) calls=$(sed -n 's/.* write \([0-9]*\)$/\1/p' "$tmp/$name/clean/report") ;;
		esac
		calls=${calls:-0}
		step=1
		if [ "$limit" -gt 0 ] && [ "$calls" -ge "$limit" ]; then
			step=$(((calls + limit) / limit))
		fi
		runs=$((runs + calls / step + 1))
		what="$kind 1-$calls"
		[ "$step" -gt 1 ] && what="$what, one N in $step"
		if seq 1 "$step" $((calls + 1)) | xargs -P "$jobs" -I{} sh "$self" \
		    --one "$name" "$kind" {} "$tmp/$name/want" "$PLAIN" "$@"
		then
			pass=$((pass + 1))
			summary="$summary $what ok"
		else
			fail=$((fail + 1))
			summary="$summary $what FAILED"
		fi
	done
	echo "fault $name:$summary"
}

# A small document and a small policy keep the loops short (the built-in
# policy alone makes about a thousand allocations; each document adds
# some fifty log writes).  redact walks a tree (-r) with one worker
# (-j 1), so that the calls come in the same order in every run, and signs
# a log of the run.
POLICY=tests/fault/small.yaml
kinds="ALLOC WRITE" # what fault_test fails in turn
limit=0             # at most about this many runs per kind (0: every N)
mkdir -p "$tmp/tree/sub"
cp corpus/cable-tbilisi-2006-unclassified.txt "$tmp/tree/sub/a.txt"

fault_test parse "$TL" parse corpus/cable-tbilisi-2006-unclassified.txt
# --stats: a failure anywhere leaves no statistics file, or a whole one.
fault_test redact "$TL" redact --policy "$POLICY" --reader gbr-secret -j 1 \
    -q -r -d OUT/copies --sign-key tests/keys/nopw.key \
    --stats OUT/stats.json "$tmp/tree"
# --sync run: copies put in place unsynced, one syncfs before the log is
# signed; a failed syncfs must leave no signed log.  Its allocations are
# those of the run above: only its writes are failed.
kinds=WRITE
fault_test redact-sync "$TL" redact --policy "$POLICY" --reader gbr-secret \
    -j 1 -q -r --sync run -d OUT/copies --sign-key tests/keys/nopw.key \
    "$tmp/tree"
kinds="ALLOC WRITE"
fault_test verify "$TL" verify -p "$PUB" tests/keys/golden.log

# Allocation faults anywhere in the process.  The built-in policy (libyaml,
# PCRE2) and OpenSSL's start-up make thousands of allocations: a sample.
if [ -n "$LIBTL" ]; then
	kinds=ALLOC
	limit=${FAULT_LIB_RUNS:-150}
	fault_test lib-decide "$LIBTL" decide --reader gbr-secret \
	    corpus/cable-tbilisi-2006-unclassified.txt
	fault_test lib-redact "$LIBTL" redact --policy "$POLICY" \
	    --reader gbr-secret -j 1 -q -r -d OUT/copies \
	    --sign-key tests/keys/nopw.key "$tmp/tree"
	fault_test lib-verify "$LIBTL" verify -p "$PUB" tests/keys/golden.log
fi

echo "fault: $pass passed, $fail failed ($runs runs)"
[ "$fail" -eq 0 ]
