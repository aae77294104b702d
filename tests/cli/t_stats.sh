# t_stats.sh: the closing summary of `tearline redact` (issue #26 item 3):
# counts on the bundled corpus, the JSON of --stats and its invariants,
# no withheld text in either, no stats file from a failed run.
. tests/cli/lib.sh

PY=python3
if ! command -v "$PY" >/dev/null 2>&1; then
	skip "t_stats: no python3 to read the JSON"
	exit 0
fi

# The corpus and one binary document (a cable with a NUL byte at its end):
# two readers, a run that withholds one document whole (exit 1).
{ cat corpus/cable-kabul-2010-unclassified.txt; printf '\000\n'; } >"$T/bin.txt"
run "$TEARLINE" redact --reader public --reader gbr-secret -d "$T/c" \
    --stats "$T/stats.json" corpus/*.txt "$T/bin.txt"
expect_rc "corpus and a binary document: exit 1 (one withheld whole)" 1
expect_true "--stats file written" test -s "$T/stats.json"
expect_true "--stats file has mode 0644" \
    test "$(stat -c %a "$T/stats.json")" = 644
expect_true "no temporary file beside it" \
    test "$(ls -A "$T" | grep -c '^\.')" -eq 0

# The JSON: it parses, has its version, and every breakdown adds up.
cat >"$T/check.py" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
want = sys.argv[2]
def fail(msg):
    print(msg); sys.exit(1)
readers = {r["reader"]: r for r in d["readers"]}
if want == "invariants":
    if d["tearline_stats"] != 1: fail("version")
    for r in d["readers"]:
        for k in ("portions", "lines"):
            if r[k]["released"] + r[k]["withheld"] != r[k]["total"]:
                fail("%s: %s do not add up" % (r["reader"], k))
        if sum(x["portions"] for x in r["by_rule"]) != r["portions"]["withheld"]:
            fail("%s: by_rule portions" % r["reader"])
        if sum(x["lines"] for x in r["by_rule"]) != r["lines"]["withheld"]:
            fail("%s: by_rule lines" % r["reader"])
        if sum(x["portions"] for x in r["reasons"]) + \
                r["reasons_other"]["portions"] != r["portions"]["withheld"]:
            fail("%s: reasons" % r["reader"])
        if r["whole"]["count"] != len(r["whole"]["documents"]):
            fail("%s: whole" % r["reader"])
elif want == "corpus":
    # Of the 17 cables, the OCR memo and the news article, with the binary
    # document.
    for name in ("public", "gbr-secret"):
        r = readers[name]
        if r["documents"] != 19: fail("%s: documents %d" % (name, r["documents"]))
        if r["portions"]["total"] != 206: fail("%s: portions" % name)
        rules = {x["rule"]: x["portions"] for x in r["by_rule"]}
        diags = {x["rule"]: x["portions"] for x in r["by_diagnostic"]}
        # cable-islamabad-2008-secret.txt has five marks that cannot be
        # parsed: (SNF), C), (N/SF), (/Rel UK) and (S/NF with no ")".
        if rules.get("mark-malformed") != 5: fail("%s: mark-malformed %s" % (name, rules))
        if diags.get("mark-malformed") != 5: fail("%s: diagnostic %s" % (name, diags))
        ex = [x for x in r["reasons"] if x["reason"] == "mark 'N/?' cannot be parsed"]
        if not ex or ex[0]["example"] != {
                "file": "corpus/cable-islamabad-2008-secret.txt", "line": 43}:
            fail("%s: the N/SF mark's reason and example: %s" % (name, ex))
        # The binary document: withheld whole, listed, its 11 portions
        # counted under its rule.
        w = r["whole"]
        if w["count"] != 1 or not w["documents"][0]["file"].endswith("/bin.txt") \
                or w["documents"][0]["rule"] != "document-binary":
            fail("%s: whole %s" % (name, w))
        if rules.get("document-binary") != 11: fail("%s: binary %s" % (name, rules))
    if readers["public"]["portions"]["released"] != 26: fail("public released")
    # 57 US portions, and 7 of the UK EYES ONLY cable (Ankara): a British
    # reader is no foreign reader of a British document.
    if readers["gbr-secret"]["portions"]["released"] != 64: fail("gbr released")
    if {x["rule"]: x["portions"] for x in readers["gbr-secret"]["by_rule"]}.get(
            "nationals-only") != 59: fail("gbr-secret nationals-only")
elif want == "stdin":
    r = d["readers"][0]
    if r["reasons"][0]["example"]["file"] != "<stdin>": fail("stdin example")
    if r["documents"] != 1: fail("stdin documents")
EOF
expect_true "JSON: every reader's counts add up" \
    "$PY" "$T/check.py" "$T/stats.json" invariants
expect_true "JSON: counts on the corpus (malformed marks, the whole document)" \
    "$PY" "$T/check.py" "$T/stats.json" corpus

# The summary on stderr: one block per reader.
expect_err "summary: a block per reader" '^redact: reader public: 19 documents, 1 withheld whole$'
expect_err "summary: the second reader" '^redact: reader gbr-secret: '
expect_err "summary: portions and lines" '^  portions: 26 released, 180 withheld of 206; lines: '
expect_err "summary: by rule, malformed marks counted" '^  withheld by rule: .*mark-malformed 5'
expect_err "summary: by diagnostic" '^  withheld by diagnostic: mark-malformed 5, mark-in-running-text 1$'
expect_err "summary: a reason with its example location" \
    '^  35 portions: NOFORN: for nationals of USA only; reader is GBR \(e\.g\. corpus/cable-baghdad-2007-secret\.txt:30\)$'
expect_err "summary: the document withheld whole" '^  withheld whole: .*/bin\.txt \(document-binary\)$'

# No withheld text, in the JSON or on stderr: a withheld sentence of a
# (S/NF) paragraph, and the text of the malformed-mark paragraphs.
expect_true "the copy withholds the sentence (the test is meaningful)" \
    sh -c "! grep -q 'surveillance of the central North Sea' '$T/c/cable-london-2010-secret.public.txt'"
for f in "$T/stats.json" "$T/err"; do
	expect_true "no withheld text in $(basename "$f")" sh -c \
	    "! grep -Eq 'surveillance of the central North Sea|Additional Inspector General|eleven arrests' '$f'"
done

# -q: no summary (the file is still written).
run "$TEARLINE" redact -q --reader public -d "$T/q" --stats "$T/q.json" \
    corpus/cable-london-2010-secret.txt
expect_rc "-q: exit 0" 0
expect_true "-q: stderr is empty" test ! -s "$T/err"
expect_true "-q: --stats written all the same" test -s "$T/q.json"

# An existing file is refused before any work; --force replaces it.
run "$TEARLINE" redact --reader public -d "$T/q2" --stats "$T/q.json" \
    corpus/cable-london-2010-secret.txt
expect_rc "an existing --stats file is refused" 2
expect_err "refusal says why" 'q\.json exists \(use --force'
expect_true "no copy was made" test ! -e "$T/q2/cable-london-2010-secret.public.txt"
run "$TEARLINE" redact --reader public -d "$T/q2" --force --stats "$T/q.json" \
    corpus/cable-london-2010-secret.txt
expect_rc "--force replaces it" 0

# Standard input, a signed run, stats on standard output.
run sh -c "\"$TEARLINE\" redact -q --reader public -o '$T/in.out' --stats '$T/in.json' - <corpus/cable-london-2010-secret.txt"
expect_rc "standard input: exit 0" 0
expect_true "standard input: named <stdin> in the examples" \
    "$PY" "$T/check.py" "$T/in.json" stdin
run "$TEARLINE" redact -q --reader public -d "$T/sig" -k tests/keys/nopw.key \
    --stats - corpus/cable-london-2010-secret.txt
expect_rc "signed run, --stats - : exit 0" 0
expect_out "signed run: the JSON on standard output" '^\{"tearline_stats":1,'
run "$TEARLINE" redact --reader public --stats - corpus/cable-london-2010-secret.txt
expect_rc "--stats - with the copy on standard output: usage error" 2

# The same counts whatever the number of workers.
run "$TEARLINE" redact -q --reader public --reader gbr-secret -j 1 -d "$T/j1" \
    --stats "$T/j1.json" corpus/*.txt
run "$TEARLINE" redact -q --reader public --reader gbr-secret -j 2 -d "$T/j2" \
    --stats "$T/j2.json" corpus/*.txt
expect_true "-j 1 and -j 2 write the same statistics" cmp -s "$T/j1.json" "$T/j2.json"

# A failed run leaves no stats file: a missing input (exit 2), and a
# file in a directory that does not exist (nothing half-written).
run "$TEARLINE" redact --reader public -d "$T/f1" --stats "$T/f1.json" \
    corpus/cable-london-2010-secret.txt "$T/missing.txt"
expect_rc "a missing input: exit 2" 2
expect_true "a failed run leaves no stats file" test ! -e "$T/f1.json"
expect_err "and says so" 'f1\.json not written: the run failed'
run "$TEARLINE" redact --reader public -d "$T/f2" --stats "$T/nodir/s.json" \
    corpus/cable-london-2010-secret.txt
expect_rc "a stats file that cannot be written: exit 2" 2
expect_true "nothing left where it was to go" test ! -e "$T/nodir"

# The example of tearline(1) (EXAMPLES), as shown.
run "$TEARLINE" redact --reader gbr-secret -d "$T/ex" --stats "$T/ex/stats.json" \
    corpus/cable-islamabad-2008-secret.txt
expect_rc "man example: exit 0" 0
sed -n '/^What a run withheld and why/,/^\.Ed/p' man/tearline.1 |
	sed -n '/^redact: reader/,/^\\&\.\.\./p' | sed '$d' >"$T/ex.want"
grep -A3 '^redact: reader' "$T/err" >"$T/ex.got"
expect_true "man example: the summary as shown" cmp -s "$T/ex.want" "$T/ex.got"
expect_true "man example: the first rule as jq shows it" sh -c \
    "\"$PY\" -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))[\"readers\"][0][\"by_rule\"][0], separators=(\",\", \":\")))' '$T/ex/stats.json' |
    grep -qx '{\"rule\":\"mark-malformed\",\"portions\":5,\"lines\":18}'"
