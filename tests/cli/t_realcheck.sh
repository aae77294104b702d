# t_realcheck.sh: scripts/realcheck.py, the measure of tearline on the real
# documents kept in ../shared.  The script's own behaviour (options, the
# skip path, the shape of its JSON) is checked always; a full run needs
# ../shared/real-cables and ../shared/real-modern and skips without them.
# The targets met so far are asserted (they must stay met): every cable
# target of issue #17, and on the modern set the cleared reader and the
# leak target of every reader of every bundled policy.  The rest are
# reported.
. tests/cli/lib.sh

RC=scripts/realcheck.py

run python3 "$RC" --help
expect_rc "realcheck --help exits 0" 0
expect_out "realcheck --help shows the options" '--cables-only'

run python3 "$RC" --no-such-option
expect_rc "realcheck: an unknown option exits 2" 2

run python3 "$RC" --tearline "$T/no-such-binary" --shared "$T" --out "$T/o0"
expect_rc "realcheck: a missing tearline exits 2" 2
expect_err "realcheck: the missing binary is named" 'no-such-binary'

mkdir -p "$T/empty"
run python3 "$RC" --tearline "$TEARLINE" --shared "$T/empty" --out "$T/o1" -q \
	--json "$T/skip.json"
expect_rc "realcheck: absent data is skipped with exit 0" 0
expect_out "realcheck: the cables skip is reported" \
	'^realcheck: skipped: .*real-cables not found'
expect_out "realcheck: the modern skip is reported" \
	'^realcheck: skipped: .*real-modern not found'
expect_true "realcheck: skipped parts are marked in the JSON" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["cables"]["skipped"] and d["modern"]["skipped"]
assert d["targets"] == []
' "$T/skip.json"

if [ ! -d "$SHARED/real-cables" ] || [ ! -d "$SHARED/real-modern" ]; then
	skip "t_realcheck.sh: $SHARED/real-cables or $SHARED/real-modern not found"
	exit 0
fi

# One reading of the oracle, with no tearline involved.
run python3 "$RC" --explain "$SHARED/real-cables/cables/$(ls "$SHARED/real-cables/cables" | head -n 1)"
expect_rc "realcheck --explain exits 0" 0
expect_out "realcheck --explain gives the overall marking" '^overall: '

for p in policies/*.yaml; do
	"$TEARLINE" policy readers "$p" | sed "s|^\([^ ]*\) .*|$(basename "$p" .yaml)/\1|"
done >"$T/readers.txt"

run python3 "$RC" --tearline "$TEARLINE" --out "$T/rc" --json "$T/rc.json" -q
expect_rc "realcheck: a full run exits 0" 0
expect_out "realcheck: the report starts with the cable figures" '^A1 banner, over [0-9]+ cables'
expect_out "realcheck: the report has the modern table" '^B1 overall marking'
expect_out "realcheck: the report lists the targets" '^== targets =='
expect_true "realcheck: report.txt is written" test -s "$T/rc/report.txt"
expect_true "realcheck: the JSON holds every figure, in range, for every reader" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
want = set(l.strip() for l in open(sys.argv[2]) if l.strip())
c, m = d["cables"], d["modern"]
assert not c["skipped"] and not m["skipped"]
assert c["count"] == 658, c["count"]
assert m["count"] == 18, m["count"]
assert set(c["readers"]) == {"public", "us-official", "us-confidential", "gbr-secret"}, c["readers"].keys()
assert set(m["readers"]) == want, set(m["readers"]) ^ want
b, p = c["banner"], c["portions"]
assert 600 <= b["cables_with_banner"] <= 658, b["cables_with_banner"]
assert p["oracle_marks"] > 5000, p["oracle_marks"]
pcts = [b["level_pct"], b["noforn_pct"], b["level_pct_undisputed"],
        b["noforn_pct_undisputed"], p["found_pct"], p["invented_pct"],
        m["portions"]["found_pct"], m["adhoc"]["kept_pct"]]
for r in c["readers"].values():
    assert r["releasable"] > 0 and r["leaked"] >= 0
    pcts.append(r["kept_pct"])
for r in m["readers"].values():
    assert r["leaked"] >= 0
    pcts.append(r["kept_pct"])
for x in pcts:
    assert x is None or 0 <= x <= 100, x
assert len(m["table"]) == 18
assert all(t["met"] in (True, False) for t in d["targets"])
names = " ".join(t["name"] for t in d["targets"])
for k in ("A1", "A2", "A3", "A4", "B3", "B4a", "B4b"):
    assert k + " " in names, k
' "$T/rc.json" "$T/readers.txt"

expect_true "realcheck: the targets met so far stay met" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
must = [t for t in d["targets"] if t["name"][:2] in ("A1", "A2", "A3", "A4")
        or t["name"].startswith("B4a")
        or t["name"].startswith("B3")]
assert len(must) >= 30, len(must)
missed = [t["name"] for t in must if not t["met"]]
assert not missed, missed
' "$T/rc.json"

# --strict exits 1 exactly when a target is missed (the modern part alone,
# to keep the test short).
run python3 "$RC" --tearline "$TEARLINE" --out "$T/rc2" --json "$T/rc2.json" -q \
	--modern-only --strict
strict_rc=$rc
expect_true "realcheck --strict: exit status follows the targets" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
missed = not all(t["met"] for t in d["targets"])
assert int(sys.argv[2]) == (1 if missed else 0), sys.argv[2]
' "$T/rc2.json" "$strict_rc"
