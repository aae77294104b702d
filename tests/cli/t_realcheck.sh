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
assert d["consistency"]["skipped"]
assert d["targets"] == []
' "$T/skip.json"

# The consistency oracle on a few cables written here (no ../shared needed):
# ROMA101 (S) and ROMA102 (C) share a passage of 20 words (a pair); ROMA103
# shares another with ROMA101 at the same level (no pair); a stock sentence
# in six cables, marked (C) in some and (S) in others, is boilerplate (no
# pair).  Whether tearline names the pair is reported, not asserted.
mini="$T/mini/real-cables"
mkdir -p "$mini/cables"
cable() { # refid banner mark text...
	id=$1 banner=$2 mark=$3
	shift 3
	printf '%s ROMA %s\n\nE.O. 12958: DECL: 01/01/2019\nTAGS: PREL, XX\n' \
		"$banner" "${id#ROMA}" >"$mini/cables/$id.txt"
	printf 'SUBJECT: (U) A CABLE FOR THE CONSISTENCY CHECK\n\n' >>"$mini/cables/$id.txt"
	printf 'Classified By: Ambassador for reasons 1.4 (b) and (d).\n\n' >>"$mini/cables/$id.txt"
	n=1
	for para in "$@"; do
		printf '%d. (%s) %s\n\n' "$n" "$mark" "$para" >>"$mini/cables/$id.txt"
		n=$((n + 1))
	done
}
pier="the harbour authority confirmed on Tuesday that the northern pier will close for repairs from the first week of March"
rail="the ministry of transport expects the new rail link between the two southern ports to open before the winter holidays"
stock="we would appreciate any comments that the host government may wish to share on these points before the next round"
cable ROMA101 "S E C R E T" S "Sources say $pier." "Officials added that $rail."
cable ROMA102 "C O N F I D E N T I A L" C "As reported earlier, $pier."
cable ROMA103 "S E C R E T" S "Separately, $rail."
for k in 1 2 3 4 5 6; do
	if [ $((k % 2)) -eq 0 ]; then m=S b="S E C R E T"; else m=C b="C O N F I D E N T I A L"; fi
	cable "ROMA20$k" "$b" $m "Paragraph $k of a routine note on port number $k." "In closing, $stock."
done
{
	echo "refid,wikileaks_classification"
	for f in "$mini"/cables/*.txt; do
		id=$(basename "$f" .txt)
		case $(head -n 1 "$f") in S*) echo "$id,SECRET" ;; *) echo "$id,CONFIDENTIAL" ;; esac
	done
} >"$mini/labels.csv"
run python3 "$RC" --tearline "$TEARLINE" --shared "$T/mini" --out "$T/o2" -q --cables-only \
	--json "$T/mini.json"
expect_rc "realcheck: the consistency check runs on a small set" 0
expect_out "realcheck: the report has the consistency section" '^== C. CONSISTENCY =='
expect_out "realcheck: the C1 target is in the summary" '^  \[(met|not met)\] C1 cable pairs marked two ways'
expect_true "realcheck: the consistency oracle finds the one pair marked two ways" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
c = d["consistency"]
assert not c["skipped"] and c["cables"] == 9, c
pairs = [(p["file_a"], p["file_b"]) for p in c["pairs"]]
assert pairs == [("ROMA101", "ROMA102")], pairs
p = c["pairs"][0]
assert (p["level_a"], p["level_b"], p["words"]) == ("SECRET", "CONFIDENTIAL", 20), p
assert p["passage"].startswith("the harbour authority confirmed"), p["passage"]
a = c["audit"]
assert a["named"] in (0, 1) and a["named_pct"] == 100.0 * a["named"], a
t = [t for t in d["targets"] if t["name"].startswith("C1 ")]
assert len(t) == 1 and t[0]["met"] == (a["named"] == 1), t
if not c["withhold"]["implemented"]:
    assert not [t for t in d["targets"] if t["name"][:3] in ("C2 ", "C3 ")]
' "$T/mini.json"

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
for k in ("A1", "A2", "A3", "A4", "B3", "B4a", "B4b", "C1"):
    assert k + " " in names, k
' "$T/rc.json" "$T/readers.txt"
expect_true "realcheck: the consistency oracle finds the examples of the issue" python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["consistency"]
assert not c["skipped"] and c["cables"] == 658, c.get("cables")
assert 10 <= c["oracle_pairs"] <= 30, c["oracle_pairs"]
by = {(p["file_a"], p["file_b"]): p for p in c["pairs"]}
b = by[("09BERLIN1167", "09BERLIN1393")]
assert (b["level_a"], b["level_b"]) == ("CONFIDENTIAL", "SECRET"), b
b = by[("09BRASILIA1216", "09BRASILIA1540")]
assert (b["level_a"], b["level_b"]) == ("SECRET", "SBU"), b
a = c["audit"]
assert 0 <= a["named"] <= c["oracle_pairs"], a
' "$T/rc.json"

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
