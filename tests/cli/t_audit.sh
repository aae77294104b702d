# t_audit.sh: `tearline audit` from the command line: formats, exit
# codes, -r, --policy, SARIF validity, the corpus and the seeds.
. tests/cli/lib.sh

# The SARIF checker validates against the schema when some python3 has
# the jsonschema module (Debian's python3-jsonschema is /usr/bin/python3's).
PY=python3
if ! python3 -c 'import jsonschema' 2>/dev/null && [ -x /usr/bin/python3 ] &&
    /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	PY=/usr/bin/python3
fi
CHECK="$PY tests/audit/sarif_check.py"

run "$TEARLINE" --help
expect_out "help lists audit" '^  audit '
run "$TEARLINE" help audit
expect_out "help audit shows usage" '^usage: tearline audit'
run "$TEARLINE" audit --help
expect_rc "audit --help exits 0" 0
run "$TEARLINE" audit
expect_rc "audit without files exits 2" 2
run "$TEARLINE" audit --format xml x
expect_rc "audit: unknown format exits 2" 2
expect_err "audit: unknown format is named" "unknown format 'xml'"
run "$TEARLINE" audit --list-rules
expect_rc "list-rules exits 0" 0
expect_out "list-rules names rules and severities" '^portion-above-banner +error '
expect_out "list-rules gives sources" 'ISM-ID-00056'

# A clean cable: no output, exit 0.
printf 'S E C R E T ROME 000001\n\nNOFORN\n\nE.O. 12958: DECL: 01/02/2030\nSUBJECT: (C) TALKS\n\nClassified By: DCM A. Person, reasons 1.4 (b,d)\n\n1. (S/NF) First.\n\n2. (C) Second.\n' >"$T/clean.txt"
run "$TEARLINE" audit "$T/clean.txt"
expect_rc "clean cable exits 0" 0
expect_true "clean cable prints nothing" test ! -s "$T/out"

# A spill: file:line:col: error: message [rule], exit 1.
printf 'CONFIDENTIAL\n\nE.O. 12958: DECL: 01/02/2030\nSUBJECT: (C) TALKS\n\nClassified By: DCM A. Person, reasons 1.4 (b,d)\n\n1. (S) Too high.\n\nSummary\n\n2. (C) Fine.\n' >"$T/spill.txt"
run "$TEARLINE" audit "$T/spill.txt"
expect_rc "an error finding exits 1" 1
expect_out "text: compiler-style error line" "spill.txt:8:4: error: .*SECRET.*spill risk \[portion-above-banner\]$"
expect_out "text: warning line" "spill.txt:10:1: warning: unmarked heading .*\[portion-unmarked-heading\]$"

# Warnings only: exit 0.
printf 'CONFIDENTIAL\n\nE.O. 12958: DECL: 01/02/2030\nSUBJECT: (C) TALKS\n\nClassified By: DCM A. Person, reasons 1.4 (b,d)\n\nSummary\n\n1. (C) Text.\n' >"$T/warn.txt"
run "$TEARLINE" audit "$T/warn.txt"
expect_rc "warnings only exit 0" 0
expect_out "the warning is printed" '\[portion-unmarked-heading\]'

# JSON Lines.
run "$TEARLINE" audit --format json "$T/spill.txt" "$T/warn.txt"
expect_rc "json: exit 1 with an error" 1
expect_true "json: one valid object per line with the fields" python3 -c '
import json,sys
lines=open(sys.argv[1]).read().splitlines()
assert len(lines)==3, lines
for l in lines:
    d=json.loads(l)
    assert set(d)=={"file","line","column","severity","rule","message","source"}, d
    assert d["severity"] in ("error","warning","note")
d=json.loads(lines[0])
assert d["rule"]=="portion-above-banner" and d["line"]==8 and d["column"]==4
assert d["file"].endswith("spill.txt") and "ISM-ID-00056" in d["source"]
assert json.loads(lines[2])["file"].endswith("warn.txt")
' "$T/out"

# SARIF: one log for all files, valid.
run "$TEARLINE" audit --format sarif "$T/spill.txt" "$T/warn.txt" "$T/clean.txt"
expect_rc "sarif: exit 1 with an error" 1
expect_true "sarif: valid log with 3 results" $CHECK "$T/out" 3
expect_true "sarif: result positions" python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))["runs"][0]["results"]
loc=r[0]["locations"][0]["physicalLocation"]
assert r[0]["ruleId"]=="portion-above-banner" and r[0]["level"]=="error"
assert loc["region"]=={"startLine":8,"startColumn":4}, loc
assert loc["artifactLocation"]["uri"].endswith("spill.txt")
' "$T/out"
run "$TEARLINE" audit --format sarif "$T/clean.txt"
expect_rc "sarif: a clean file exits 0" 0
expect_true "sarif: no results is still a valid log" $CHECK "$T/out" 0

# Input errors: exit 2, the other files are still audited.
run "$TEARLINE" audit "$T/missing.txt" "$T/spill.txt"
expect_rc "a missing file exits 2" 2
expect_err "the missing file is named" "missing.txt: error: No such file or directory"
expect_out "the other file is still audited" '\[portion-above-banner\]'
run "$TEARLINE" audit --format sarif "$T/missing.txt" "$T/clean.txt"
expect_rc "sarif: a missing file exits 2" 2
expect_true "sarif: the failure is in a valid log" python3 -c '
import json,sys
inv=json.load(open(sys.argv[1]))["runs"][0]["invocations"][0]
assert inv["executionSuccessful"] is False
assert "missing.txt" in inv["toolExecutionNotifications"][0]["message"]["text"]
' "$T/out"
expect_true "sarif: ... and schema-valid" $CHECK "$T/out" 0

# Standard input.
run sh -c '"$TEARLINE" audit - <"$1"' sh "$T/spill.txt"
expect_rc "stdin: exit 1" 1
expect_out "stdin is named <stdin>" '^<stdin>:8:4: error: '

# Directories: -r walks them (sorted, dot names skipped).
mkdir -p "$T/dir/sub" "$T/dir/.hidden"
cp "$T/spill.txt" "$T/dir/sub/b.txt"
cp "$T/warn.txt" "$T/dir/a.txt"
cp "$T/spill.txt" "$T/dir/.hidden/c.txt"
run "$TEARLINE" audit "$T/dir"
expect_rc "a directory without -r exits 2" 2
run "$TEARLINE" audit -r "$T/dir"
expect_rc "-r: exit 1 (b.txt has an error)" 1
expect_true "-r: a.txt before sub/b.txt, hidden skipped" sh -c '
grep -q "dir/a.txt:" "$1" && grep -q "dir/sub/b.txt:" "$1" &&
! grep -q hidden "$1" &&
[ "$(grep -n "dir/a.txt:" "$1" | head -1 | cut -d: -f1)" -lt \
  "$(grep -n "dir/sub/b.txt:" "$1" | head -1 | cut -d: -f1)" ]' sh "$T/out"

# --policy: the audit section sets severities and disables rules.
sed 's/^audit: {}$/audit:\n  portion-unmarked-heading: {severity: error}\n  portion-above-banner: {enabled: false}/' \
    policies/us-cables.yaml >"$T/pol.yaml"
expect_true "the test policy has an audit section" grep -q 'portion-above-banner: {enabled: false}' "$T/pol.yaml"
run "$TEARLINE" audit --policy "$T/pol.yaml" "$T/warn.txt"
expect_rc "--policy: a heading made an error exits 1" 1
expect_out "--policy: severity changed" 'warn.txt:8:1: error: .*\[portion-unmarked-heading\]'
run "$TEARLINE" audit --policy "$T/pol.yaml" "$T/spill.txt"
expect_no_out "--policy: disabled rule is silent" 'portion-above-banner'
run "$TEARLINE" audit --policy "$T/pol.yaml" --format sarif "$T/spill.txt"
expect_true "--policy: SARIF shows the rule settings" python3 -c '
import json,sys
rules={r["id"]:r for r in json.load(open(sys.argv[1]))["runs"][0]["tool"]["driver"]["rules"]}
assert rules["portion-above-banner"]["defaultConfiguration"]["enabled"] is False
assert rules["portion-unmarked-heading"]["defaultConfiguration"]["level"]=="error"
assert rules["subject-unmarked"]["defaultConfiguration"]=={"enabled":True,"level":"error"}
' "$T/out"
run "$TEARLINE" audit --policy "$T/missing.yaml" "$T/clean.txt"
expect_rc "--policy: a missing policy exits 2" 2

# Output that cannot be written.
if [ -w /dev/full ]; then
	run sh -c '"$TEARLINE" audit "$1" >/dev/full' sh "$T/spill.txt"
	expect_rc "a full disk exits 2" 2
	expect_err "a full disk is reported" 'cannot write standard output'
fi

# SARIF keeps at most 10000 results per document, then one note.
python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    f.write("SECRET\n\nE.O. 13526: DECL: 01/02/2030\nSUBJECT: (U) X\n\nClassified By: A, reasons 1.4 (b)\n\n")
    for i in range(10050):
        f.write("%d. Unmarked paragraph.\n\n" % (i % 999 + 1))
' "$T/many.txt"
run "$TEARLINE" audit --format sarif "$T/many.txt"
expect_rc "sarif cap: exit 1" 1
expect_true "sarif cap: 10000 results and a note" $CHECK "$T/out" 10001
expect_true "sarif cap: the note counts the rest" grep -q '50 more findings in this document' "$T/out"
run "$TEARLINE" audit --format json "$T/many.txt"
expect_true "json streams every finding" test "$(wc -l <"$T/out")" -eq 10050

# The project corpus: SARIF over all of it is valid; JSON agrees.
run "$TEARLINE" audit -r --format sarif corpus
expect_rc "corpus: exit 1 (deliberate mistakes)" 1
expect_true "corpus: SARIF valid" $CHECK "$T/out"
cp "$T/out" "$T/corpus.sarif"
run "$TEARLINE" audit -r --format json corpus
expect_true "corpus: SARIF and JSON hold the same findings" python3 -c '
import json,sys
s=json.load(open(sys.argv[1]))["runs"][0]["results"]
j=[json.loads(l) for l in open(sys.argv[2])]
assert len(s)==len(j), (len(s), len(j))
for a,b in zip(s,j):
    assert a["ruleId"]==b["rule"] and a["message"]["text"]==b["message"]
' "$T/corpus.sarif" "$T/out"
run "$TEARLINE" audit corpus/cable-ottawa-2012-secret.txt corpus/cable-london-2010-secret.txt corpus/cable-canberra-2013-confidential.txt corpus/cable-tbilisi-2006-unclassified.txt corpus/cable-paris-2008-unclassified.txt
expect_rc "corpus: the clean cables exit 0" 0
expect_true "corpus: the clean cables have no findings" test ! -s "$T/out"
run "$TEARLINE" audit corpus/cable-tripoli-2008-confidential.txt
expect_out "corpus: tripoli portion above banner" 'tripoli-2008-confidential.txt:49:4: error: .*\[portion-above-banner\]'
expect_out "corpus: tripoli NOFORN with REL" 'tripoli-2008-confidential.txt:58:4: error: .*\[noforn-relto\]'

# The seeds, when ../shared is beside the checkout.
if [ -d "$SHARED/corpus/seeds" ]; then
	run "$TEARLINE" audit "$SHARED/corpus/seeds/cable-london-2007-secret.txt"
	expect_rc "seed 2007: exit 1 (unmarked SUBJECT)" 1
	expect_out "seed 2007: unmarked SUBJECT" 'london-2007-secret.txt:24:1: error: .*\[subject-unmarked\]'
	expect_out "seed 2007: unmarked headings" 'london-2007-secret.txt:31:1: warning: .*\[portion-unmarked-heading\]'
	expect_no_out "seed 2007: banner roll-up is consistent" 'banner|routing|portion-above'
	run "$TEARLINE" audit "$SHARED/corpus/seeds/news-2007-unmarked.txt"
	expect_rc "seed news: exit 0" 0
	expect_no_out "seed news: no error findings" ': error: '
	run "$TEARLINE" audit --format sarif "$SHARED/corpus/seeds"/*.txt
	expect_true "seeds: SARIF valid" $CHECK "$T/out"
else
	skip "t_audit.sh: $SHARED/corpus/seeds absent; seed checks skipped"
fi

# One archive, one answer (corpus/memo-tanker-2011-*.md): the same
# passage marked (S//NF) in one memo and (C) in the other is a finding at
# the lower-marked place naming the other; the trailer both share raises
# nothing; the scratch database under $TMPDIR is gone afterwards.
A1=corpus/memo-tanker-2011-secret.md
A2=corpus/memo-tanker-2011-confidential.md
mkdir -p "$T/tmpdir"
OLD_TMPDIR=${TMPDIR-}
export TMPDIR="$T/tmpdir"
run "$TEARLINE" audit "$A1" "$A2"
TMPDIR=$OLD_TMPDIR
expect_out "consistency: a passage marked two ways" "^$A2:7:1: warning: passage also in $A1:9, marked \\(S//NF\\) there and \\(C\\) here: one copy may release what the other withholds \\[consistency-mark\\]\$"
expect_out "consistency: (C) and (U) too" "^$A2:9:1: warning: passage also in $A1:11, marked \\(C\\) there"
expect_true "consistency: two findings, not the shared trailer" test "$(grep -c consistency-mark "$T/out")" -eq 2
expect_true "consistency: the scratch database is removed" test -z "$(ls -A "$T/tmpdir")"
run "$TEARLINE" audit --format json "$A1" "$A2"
expect_out "consistency: JSON names the other place" '"rule":"consistency-mark".*"related":\[\{"file":"corpus/memo-tanker-2011-secret.md","line":9\}\]'
run "$TEARLINE" audit --format sarif "$A1" "$A2"
expect_true "consistency: SARIF is valid" $CHECK "$T/out"
expect_true "consistency: SARIF relatedLocations" python3 -c '
import json, sys
r = [x for x in json.load(open(sys.argv[1]))["runs"][0]["results"] if x["ruleId"] == "consistency-mark"]
assert len(r) == 2, r
loc = r[0]["relatedLocations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"].endswith("memo-tanker-2011-secret.md"), loc
assert loc["region"]["startLine"] == 9, loc' "$T/out"
run "$TEARLINE" audit "$A1"
expect_true "consistency: one document, no finding" test "$(grep -c consistency-mark "$T/out")" -eq 0
sed 's/^audit: {}$/audit:\n  consistency-mark: {enabled: false}/' policies/us-cables.yaml >"$T/nocons.yaml"
run "$TEARLINE" audit --policy "$T/nocons.yaml" "$A1" "$A2"
expect_true "consistency: the policy turns it off" test "$(grep -c consistency-mark "$T/out")" -eq 0
TMPDIR="$T/no/such/dir"
run "$TEARLINE" audit "$A1" "$A2"
TMPDIR=$OLD_TMPDIR
expect_rc "consistency: no scratch directory exits 2" 2
expect_err "consistency: and says where" 'no/such/dir: error: cannot create the consistency database here'

# The documentation: the rule list of man/tearline.1 is the table,
# and the examples of the man text and of the usage run as shown.
run "$TEARLINE" audit --list-rules
expect_true "man text lists exactly the rules of the table" sh -c '
sed -n "/^\.Sh AUDIT RULES/,/^\.Sh EXIT/p" man/tearline.1 | sed -n "s/^\.It Li \([a-z0-9-]*\)$/\1/p" | sed -n "/^mark-malformed$/,\$p" >"$1.man"
awk "NR % 2 == 1 { print \$1 }" "$1" >"$1.ids"
cmp -s "$1.man" "$1.ids"' sh "$T/out"
run "$TEARLINE" audit corpus/cable-tripoli-2008-confidential.txt
expect_out "man example: the tripoli finding as shown" '^corpus/cable-tripoli-2008-confidential.txt:49:4: error: portion marked \(S/NF\) is SECRET, above the banner level CONFIDENTIAL: spill risk \[portion-above-banner\]$'
run "$TEARLINE" audit corpus/cable-london-2010-secret.txt
expect_rc "usage example: the London cable is clean" 0
