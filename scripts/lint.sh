#!/bin/sh
# lint.sh SRC... -- CFLAGS: fails on banned calls, then runs clang-tidy's
# static analyzer (clang-analyzer-*) and fails on any finding.
set -eu
srcs=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do srcs="$srcs $1"; shift; done
[ $# -gt 0 ] && shift
status=0
# Unbounded or ambiguous calls that have bounded replacements here.
banned='\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets|strncpy|tmpnam|mktemp)[[:space:]]*\('
# shellcheck disable=SC2086
if grep -nE "$banned" $srcs include/tearline.h; then
	echo "lint: banned call(s) above" >&2
	status=1
fi
# shellcheck disable=SC2086
# valist.Uninitialized is off: clang-tidy 14 reports every vsnprintf and
# vfprintf after a plain va_start as "uninitialized va_list" (a false
# positive of that analyzer version on x86-64, where va_list is an array).
out=$(clang-tidy --quiet -checks='-*,clang-analyzer-*,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,-clang-analyzer-valist.Uninitialized' \
	$srcs -- "$@" 2>/dev/null) || true
if printf '%s\n' "$out" | grep -q 'warning:'; then
	printf '%s\n' "$out"
	echo "lint: clang-tidy findings above" >&2
	status=1
fi
[ $status -eq 0 ] && echo "lint: clean"
exit $status
