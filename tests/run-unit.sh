#!/bin/sh
# run-unit.sh TEST...: runs each Check test binary and prints one closing
# line "unit: N passed, N failed" over all of them.  Check prints its own
# per-suite summary ("100%: Checks: 12, Failures: 0, Errors: 0").
set -u
pass=0 fail=0
for t in "$@"; do
	if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $t" >&2; fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
