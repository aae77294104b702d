# t_bench.sh: the benchmark's own tools (tests/bench/gen.c, runstat.c):
# the corpus is deterministic and parses as cables; runstat reports what
# the child did.  No timing is asserted.
. tests/cli/lib.sh

GEN=build/bench/gen
RUNSTAT=build/bench/runstat
if [ ! -x "$GEN" ] || [ ! -x "$RUNSTAT" ]; then
	skip "t_bench: $GEN or $RUNSTAT not built"
	_record 1 "bench tools built" "make check builds them"
	exit 0
fi

run "$GEN" -S 3 -s 200K "$T/a.txt"
expect_rc "gen -s exits 0" 0
expect_out "gen -s reports cables and bytes" '^cables [0-9]+ bytes [0-9]+$'
ncab=$(awk '{ print $2 }' "$T/out")
"$GEN" -S 3 -s 200K "$T/b.txt" >/dev/null
expect_true "same seed, same bytes" cmp -s "$T/a.txt" "$T/b.txt"
"$GEN" -S 4 -s 200K "$T/c.txt" >/dev/null
expect_true "another seed, other bytes" sh -c '! cmp -s "$1" "$2"' - "$T/a.txt" "$T/c.txt"
expect_true "gen -s writes at least the size asked" \
    test "$(wc -c <"$T/a.txt")" -ge 204800

run "$GEN" -S 3 -n 5 "$T/d"
expect_rc "gen -n exits 0" 0
expect_true "gen -n writes DIR/000/cable-NNNNNNN.txt" \
    test -f "$T/d/000/cable-0000004.txt"
# Cable k is the same bytes in both forms: the big file is the small
# files joined by one blank line.
{ cat "$T/d/000/cable-0000000.txt"; for k in 1 2 3 4; do echo;
    cat "$T/d/000/cable-000000$k.txt"; done; } >"$T/joined.txt"
head -c "$(wc -c <"$T/joined.txt")" "$T/a.txt" >"$T/head.txt"
expect_true "small files are the big file's cables" \
    cmp -s "$T/joined.txt" "$T/head.txt"
expect_true "gen reported more than 5 cables for 200K" test "$ncab" -gt 5

# Each generated cable is a cable: a banner, a routing class, portions.
expect_true "generated cables parse with a banner and portions" python3 -c '
import json, subprocess, sys
for k in range(5):
    f = "%s/d/000/cable-%07d.txt" % (sys.argv[2], k)
    r = subprocess.run([sys.argv[1], "parse", f], capture_output=True, text=True)
    assert r.returncode in (0, 1), r.stderr
    d = json.loads(r.stdout)
    assert d["banner"] is not None and d["routing"] is not None, f
    assert d["portion_count"] >= 4 and d["marked_count"] >= 3, f
' "$TEARLINE" "$T"

run "$GEN" -s 1K
expect_rc "gen without a target is a usage error" 2

run "$RUNSTAT" -o "$T/rs.out" -- sh -c 'echo hello; exit 3'
expect_rc "runstat exits 0 when the child ran" 0
expect_out "runstat prints seconds, KiB and the child's status" '^[0-9]+\.[0-9]{4} [1-9][0-9]* 3$'
expect_true "runstat sends the child's output to -o" grep -qx hello "$T/rs.out"
run "$RUNSTAT" -- sh -c 'kill -TERM $$'
expect_out "runstat reports a death by signal as 128+N" ' 143$'
run "$RUNSTAT" -- /nonexistent/program
expect_rc "runstat exits 2 when the command cannot start" 2
