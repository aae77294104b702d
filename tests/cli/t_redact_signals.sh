# t_redact_signals.sh: `tearline redact` interrupted by SIGINT or SIGTERM
# leaves no file in its output directory, and the progress line shows on
# a terminal only.
. tests/cli/lib.sh

# A cable of 500 000 paragraphs (about 48 MB): several seconds under
# ASan, so that the signal lands while the input is being read.
big=$T/big.txt
awk 'BEGIN {
	print "S E C R E T ROME 001234\n\nNOFORN\nSIPDIS\n"
	for (i = 1; i <= 500000; i++)
		printf "%d. (%s) Paragraph %d of the generated cable, alpha bravo charlie delta echo.\n\n", \
		    i, (i % 3 == 0 ? "S/NF" : "C"), i
}' >"$big"
sum=$(cksum <"$big")

# opened PID FILE: true once process PID has FILE open (any thread).
opened() {
	for fd in /proc/"$1"/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = "$2" ] && return 0
	done
	return 1
}

# interrupt SIG: starts a redaction into $T/out-SIG, waits (polling, at
# most 60 s) until it has opened the input, sends SIG, and waits for it.
# Sets $rc; stderr in $T/err.
interrupt() {
	out=$T/out-$1
	"$TEARLINE" redact --reader us-secret -d "$out" "$big" >"$T/out" 2>"$T/err" &
	pid=$!
	n=0
	while ! opened "$pid" "$big" && kill -0 "$pid" 2>/dev/null && [ "$n" -lt 6000 ]; do
		sleep 0.01
		n=$((n + 1))
	done
	seen=no
	opened "$pid" "$big" && seen=yes
	kill -s "$1" "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
}

for sig in INT TERM; do
	interrupt "$sig"
	expect_true "SIG$sig: signalled while reading its input" test "$seen" = yes
	expect_rc "SIG$sig: exit 2 (not killed by the signal)" 2
	expect_err "SIG$sig: says it was interrupted" 'interrupted'
	expect_true "SIG$sig: the output directory exists" test -d "$T/out-$sig"
	expect_true "SIG$sig: no copy and no temporary file left" \
	    test -z "$(ls -A "$T/out-$sig")"
done
expect_true "the input is untouched" test "$(cksum <"$big")" = "$sum"

# The same input, not interrupted: the copy is written (so the checks
# above could have failed).
run "$TEARLINE" redact -q --reader us-secret -d "$T/out-none" "$big"
expect_rc "uninterrupted run exits 0" 0
expect_true "uninterrupted run writes its copy" test -s "$T/out-none/big.us-secret.txt"
rm -f "$big"

# Many small files: the walker fills the work queue (256 files) and
# waits for it to drain to half; SIGINT then must still end the run
# promptly, with no temporary file left.
copies "$T/many" 6000 corpus/cable-kabul-2010-unclassified.txt
"$TEARLINE" redact -q --reader public -r -j 1 -d "$T/many.out" "$T/many" \
    >"$T/out" 2>"$T/err" &
pid=$!
n=0
while [ -z "$(ls -A "$T/many.out" 2>/dev/null)" ] && kill -0 "$pid" 2>/dev/null &&
    [ "$n" -lt 6000 ]; do
	sleep 0.01
	n=$((n + 1))
done
kill -INT "$pid" 2>/dev/null
wait "$pid"
rc=$?
made=$(find "$T/many.out" -type f | wc -l)
expect_rc "SIGINT during a run of 6000 files: exit 2" 2
expect_err "and it says it was interrupted" 'interrupted'
expect_true "it stopped early ($made of 6000 copies)" test "$made" -lt 6000
expect_true "no temporary file left" \
    test -z "$(find "$T/many.out" -type f ! -name 'c[0-9][0-9][0-9][0-9].public.txt')"
rm -rf "$T/many" "$T/many.out"

# Progress line: on a terminal standard error shows "redact: N/N files";
# through a pipe only the summary; -q silences both.
two="corpus/cable-london-2010-secret.txt corpus/cable-ottawa-2012-secret.txt"
if command -v script >/dev/null 2>&1; then
	run script -qec "$TEARLINE redact --reader public -d $T/p1 $two" /dev/null
	expect_rc "progress: run under a terminal exits 0" 0
	expect_out "progress: a terminal shows redact: 2/2 files" 'redact: 2/2 files'
	expect_out "progress: then the summary" 'redact: 2 documents, 1 reader, copies in'
	run script -qec "$TEARLINE redact -q --reader public -d $T/p2 $two" /dev/null
	expect_no_out "progress: -q silences the progress line on a terminal" 'files'
	expect_no_out "progress: -q silences the summary on a terminal" 'documents'
else
	skip "script(1) not installed: no terminal for the progress line"
fi
# shellcheck disable=SC2086
run "$TEARLINE" redact --reader public -d "$T/p3" $two
expect_rc "progress: piped run exits 0" 0
expect_true "progress: piped stderr starts with the summary line" \
    test "$(head -n 1 "$T/err")" = "redact: 2 documents, 1 reader, copies in $T/p3"
expect_true "progress: piped stderr has no progress line, only the summary" \
    sh -c "! grep -Eq '$(printf '\r')|files, ' '$T/err' &&
    grep -q '^redact: reader public: 2 documents$' '$T/err'"
# shellcheck disable=SC2086
run "$TEARLINE" redact -q --reader public -d "$T/p4" $two
expect_true "progress: -q leaves stderr empty" test ! -s "$T/err"
