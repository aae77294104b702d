#!/bin/sh
# update.sh: regenerates the golden copies of tests/golden/cases with the
# tearline under test and prints, for review, a unified diff of every copy
# that changed.  Run from the repository top:
#
#     make && sh tests/golden/update.sh          # build/tearline
#     TEARLINE=build/asan/tearline sh tests/golden/update.sh
#
# Then read each changed copy line by line against its input and policy
# (tests/golden/README.md says what to look at) before committing it: a
# golden file is a claim that the output is right, not a record of what
# the tool happened to print.  Exit status: 0 nothing changed, 1 some copy
# changed (or is new), 2 a case could not be run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top" || exit 2
TEARLINE=${TEARLINE:-build/tearline}
[ -x "$TEARLINE" ] || { echo "update.sh: $TEARLINE not built (run make)" >&2; exit 2; }
new=$(mktemp)
trap 'rm -f "$new"' EXIT
status=0
while read -r name input policy reader want; do
	case "$name" in ''|'#'*) continue ;; esac
	if [ "$policy" = builtin ]; then
		set -- --reader "$reader"
	else
		set -- --policy "policies/$policy.yaml" --reader "$reader"
	fi
	"$TEARLINE" redact "$@" "$input" >"$new" 2>/dev/null
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "update.sh: $name: exit $rc, the case says $want" >&2
		status=2
		continue
	fi
	if [ -f "$here/$name.out" ] && cmp -s "$new" "$here/$name.out"; then
		continue
	fi
	if [ -f "$here/$name.out" ]; then
		diff -u "$here/$name.out" "$new" | sed "1s|.*|--- tests/golden/$name.out|;2s|.*|+++ $name (new)|"
	else
		echo "new: tests/golden/$name.out ($(grep -c '' "$new") lines)"
	fi
	cp "$new" "$here/$name.out"
	[ "$status" -eq 0 ] && status=1
done <"$here/cases"
exit "$status"
