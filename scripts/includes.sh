#!/bin/sh
# includes.sh -- the house's two include rules and no include circle
# (doc/architecture.md):
#   1. the tool (src/) includes, of the project's headers, only the
#      public include/tearline.h and its own src/*.h;
#   2. the library (lib/) never includes a header of the tool;
#   3. no chain of quoted includes leads back to where it started.
# Run from the top of the checkout; prints every breach, exits 1 on any.
set -eu
status=0

# FILE HEADER pairs of every quoted include, as "dir/file header".
edges=$(grep -H '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' \
	include/*.h lib/*.c lib/*.h src/*.c src/*.h 2>/dev/null |
	sed 's/^\([^:]*\):[^"]*"\([^"]*\)".*/\1 \2/')

# Where a quoted header name resolves: the including file's own folder
# first, then include/ (the -I order of the Makefile).
resolve() {
	if [ -f "$(dirname "$1")/$2" ]; then
		echo "$(dirname "$1")/$2"
	elif [ -f "include/$2" ]; then
		echo "include/$2"
	else
		echo "?/$2"
	fi
}

resolved=$(printf '%s\n' "$edges" | while read -r from name; do
	[ -n "$from" ] || continue
	echo "$from $(resolve "$from" "$name")"
done)

printf '%s\n' "$resolved" | while read -r from to; do
	case "$from:$to" in
	src/*:include/tearline.h | src/*:src/*) ;;
	src/*:*)
		echo "includes: $from includes $to: the tool includes only include/tearline.h" >&2
		echo bad ;;
	lib/*:src/*)
		echo "includes: $from includes $to: the library never includes the tool's headers" >&2
		echo bad ;;
	*:\?/*)
		echo "includes: $from includes ${to#?/}, which is not in its folder or include/" >&2
		echo bad ;;
	esac
done | grep -q bad && status=1

# A circle: tsort(1) names the files of any loop in the graph.
loops=$(printf '%s\n' "$resolved" | awk 'NF == 2 { print $2, $1 }' |
	tsort 2>&1 >/dev/null || :)
if [ -n "$loops" ]; then
	echo "includes: include circle:" >&2
	printf '%s\n' "$loops" | grep -v 'contains a loop' | sed 's/^tsort: /  /' >&2
	status=1
fi

[ $status -eq 0 ] && echo "includes: clean"
exit $status
