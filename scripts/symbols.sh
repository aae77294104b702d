#!/bin/sh
# symbols.sh LIB -- every symbol the static library defines for the linker
# starts with "tl_" (the API and the stages' shared helpers) or "tlp_" (the
# parser's files among themselves), so that a program linking libtearline.a
# cannot meet one of its names by accident.  Prints each breach, exits 1.
set -eu
bad=$(nm -g --defined-only "$1" | awk 'NF == 3 { print $3 }' |
	grep -v -e '^tl_' -e '^tlp_' | sort -u) || true
if [ -n "$bad" ]; then
	printf '%s\n' "$bad"
	echo "symbols: the names above lack the tl_ or tlp_ prefix" >&2
	exit 1
fi
echo "symbols: every exported name is prefixed"
