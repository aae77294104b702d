#!/bin/sh
# run.sh: runs every tests/cli/t_*.sh against $TEARLINE and prints
# "cli: N passed, N failed" (a test is one `ok`/`not ok` line of lib.sh).
set -u
: "${TEARLINE:?set TEARLINE to the binary under test}"
TEARLINE=$(cd "$(dirname "$TEARLINE")" && pwd)/$(basename "$TEARLINE")
export TEARLINE
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for t in "$here"/t_*.sh; do
	[ -e "$t" ] || continue
	( cd "$top" && RESULTS=$results sh "$t" ) || echo "not ok - $(basename "$t") exited non-zero" >>"$results"
done
pass=$(grep -c '^ok' "$results")
fail=$(grep -c '^not ok' "$results")
grep '^not ok' "$results" >&2
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
