#!/bin/sh
# compare.sh REF NEW [FILE...]: runs two tearline binaries over the same
# inputs and fails unless every output is byte-identical: parse (JSON and
# text), audit (text and JSON), decide, and redact for several readers at
# once (copies, reports, exit status).  Used to check that a speed change
# changes no behaviour.  Default inputs: corpus/*.txt, ../shared seeds and
# whatever build/bench/cmp/*.txt holds (make those with tests/bench/gen).
set -u
REF=$1 NEW=$2
shift 2
if [ $# -eq 0 ]; then
	set -- corpus/*.txt
	for f in ../shared/corpus/seeds/*.txt build/bench/cmp/*.txt; do
		[ -e "$f" ] && set -- "$@" "$f"
	done
fi
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fail=0

# Odd inputs that take the parser's rarer paths: a line longer than a
# fragment, a NUL byte, no final newline, CR LF, long gaps, empty input.
mkdir -p "$W/in"
lf=corpus/cable-london-2010-secret.txt
{ head -n 26 "$lf"; printf '2. (C) '; awk 'BEGIN { for (i = 0; i < 20000; i++)
    printf "word%d ", i; print "" }'; tail -n 20 "$lf"; } >"$W/in/long.txt"
{ head -n 30 "$lf"; printf '3. (S) a NUL \000 here\n'; tail -n 5 "$lf"; } >"$W/in/nul.txt"
head -c 3000 "$lf" >"$W/in/cut.txt"
sed 's/$/\r/' corpus/cable-ottawa-2012-secret.txt >"$W/in/crlf.txt"
{ head -n 30 "$lf"; awk 'BEGIN { for (i = 0; i < 100; i++) print "" }';
    echo "SIPDIS"; echo "continued here."; tail -n 10 "$lf"; } >"$W/in/gap.txt"
: >"$W/in/empty.txt"
printf '\377\376 bad utf8\n1. (U) text\n' >"$W/in/utf8.txt"
set -- "$@" "$W"/in/*.txt

# each BIN TAG: every command over every input, outputs under $W/TAG
each() {
	bin=$1 tag=$2
	mkdir -p "$W/$tag"
	i=0
	shift 2
	for f in "$@"; do
		i=$((i + 1))
		o=$W/$tag/$i
		"$bin" parse "$f" >"$o.json" 2>"$o.json.err"; echo $? >>"$o.json"
		"$bin" parse --format text "$f" >"$o.text" 2>"$o.text.err"; echo $? >>"$o.text"
		"$bin" audit "$f" >"$o.audit" 2>&1; echo $? >>"$o.audit"
		"$bin" audit --format json "$f" >"$o.auditj" 2>&1; echo $? >>"$o.auditj"
		"$bin" decide --reader gbr-secret "$f" >"$o.decide" 2>&1; echo $? >>"$o.decide"
		mkdir -p "$o.red"
		"$bin" redact -q -f --reader gbr-secret --reader public \
		    --reader us-confidential --reader us-top-secret \
		    -d "$o.red" "$f" >"$o.red.out" 2>&1; echo $? >>"$o.red.out"
		"$bin" redact -q --reader gbr-secret - <"$f" >"$o.stdin" 2>&1
		echo $? >>"$o.stdin"
	done
}

each "$REF" ref "$@"
each "$NEW" new "$@"
# Names in messages are the same; temp-dir names are not part of outputs.
if ! diff -r "$W/ref" "$W/new" >"$W/diff"; then
	head -n 40 "$W/diff" >&2
	fail=1
fi
n=$#
if [ "$fail" -eq 0 ]; then
	echo "compare: $n inputs, identical outputs"
else
	echo "compare: outputs differ" >&2
fi
exit "$fail"
