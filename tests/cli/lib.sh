# lib.sh: sourced by tests/cli/t_*.sh.  Each check appends one "ok - name"
# or "not ok - name" line to $RESULTS; failures also show what happened.
# $TEARLINE is the binary under test; tests run from the repository top.
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
SHARED=../shared

_record() { # status name detail
	if [ "$1" -eq 0 ]; then echo "ok - $2" >>"$RESULTS"
	else echo "not ok - $2" >>"$RESULTS"; printf '  %s: %s\n' "$2" "$3" >&2; fi
}

# run CMD...: runs the command, keeping stdout in $T/out, stderr in $T/err
# and the exit status in $rc.
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}

expect_rc() { # name expected
	[ "$rc" -eq "$2" ]; _record $? "$1" "exit $rc, wanted $2; stderr: $(head -c 400 "$T/err")"
}
expect_out() { # name grep-ERE: stdout matches
	grep -Eq -- "$2" "$T/out"; _record $? "$1" "stdout lacks /$2/: $(head -c 400 "$T/out")"
}
expect_no_out() { # name grep-ERE: stdout does not match
	! grep -Eq -- "$2" "$T/out"; _record $? "$1" "stdout has /$2/"
}
expect_err() { # name grep-ERE: stderr matches
	grep -Eq -- "$2" "$T/err"; _record $? "$1" "stderr lacks /$2/: $(head -c 400 "$T/err")"
}
expect_true() { # name command...: records whether the command succeeds
	name=$1; shift
	"$@"; _record $? "$name" "command failed: $*"
}
skip() { echo "skip: $*" >&2; }

# copies DIR N FILE: DIR/c0000.txt .. DIR/c<N-1>.txt, each a copy of FILE
# (one awk, not N processes).
copies() {
	mkdir -p "$1"
	awk -v d="$1" -v n="$2" -v src="$3" 'BEGIN {
		while ((getline l < src) > 0)
			s = s l "\n"
		for (i = 0; i < n; i++) {
			f = sprintf("%s/c%04d.txt", d, i)
			printf "%s", s > f
			close(f)
		}
	}'
}
