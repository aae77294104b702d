# t_redact.sh: `tearline redact` from the command line.
. tests/cli/lib.sh

in=corpus/cable-london-2010-secret.txt
run "$TEARLINE" redact --reader gbr-secret "$in"
expect_rc "redact to stdout exits 0" 0
expect_out "REL TO portion released for a British reader" '^\[1\]\(#\)2\. \(S//REL TO USA, GBR\) '
expect_out "NOFORN portion becomes a placeholder" '^\[1\]\(#\)1\. \(S/NF\) \[WITHHELD'
expect_no_out "no NOFORN control line for a British reader" '^NOFORN$'
expect_true "input unchanged" git diff --quiet -- "$in"

run "$TEARLINE" redact --reader public "$in"
expect_rc "public reader exits 0" 0
expect_no_out "no Classified By for the public" 'Classified By'

run "$TEARLINE" redact --reader gbr-secret --reader public -d "$T/copies" corpus/cable-london-2010-secret.txt corpus/cable-ottawa-2012-secret.txt
expect_rc "two readers, two files, out-dir exits 0" 0
expect_true "NAME.READER.txt copies written" test -s "$T/copies/cable-london-2010-secret.gbr-secret.txt" -a -s "$T/copies/cable-ottawa-2012-secret.public.txt"
expect_true "no temporary files left" test "$(ls -A "$T/copies" | grep -c '^\.')" -eq 0

run "$TEARLINE" redact --reader public -d "$T/copies" "$in"
expect_rc "an existing copy is refused" 2
expect_err "refusal says why" 'output exists \(use --force'
run "$TEARLINE" redact --reader public -d "$T/copies" --force "$in"
expect_rc "--force replaces it" 0

printf 'SECRET\n\n1. (U) ok\000junk\n' >"$T/bin.txt"
run "$TEARLINE" redact --reader us-secret -o "$T/bin.out" "$T/bin.txt"
expect_rc "binary input: withheld whole, exit 1" 1
expect_true "one placeholder line" test "$(cat "$T/bin.out")" = "[WITHHELD: entire document: binary input (NUL byte at line 3)]"

run "$TEARLINE" redact --reader nobody "$in"
expect_rc "unknown reader exits 2" 2
run "$TEARLINE" redact --reader public a.txt b.txt
expect_rc "several files without --out-dir exit 2" 2
run "$TEARLINE" redact --reader public -o /dev/full "$in"
expect_rc "full disk exits 2" 2

mkdir -p "$T/tree/sub" && cp corpus/cable-ottawa-2012-secret.txt "$T/tree/sub/a.txt" && cp corpus/cable-kabul-2010-unclassified.txt "$T/tree/b.txt"
run "$TEARLINE" redact --reader us-secret -r -j 2 -d "$T/rout" "$T/tree"
expect_rc "-r walks a directory" 0
expect_true "-r keeps the layout" test -s "$T/rout/sub/a.us-secret.txt" -a -s "$T/rout/b.us-secret.txt"

# The closing summary counts only documents that got their copies.
run "$TEARLINE" redact --reader public -d "$T/sum" corpus/cable-london-2010-secret.txt "$T/nope.txt"
expect_rc "a missing input among others: exit 2" 2
expect_err "the summary counts the copies made and the failure" \
	'^redact: 1 document, 1 reader, copies in .*; 1 document failed, no copy$'

# --sync run: the same copies as the default, in a tree two levels deep
# that -r has to create; no fsync per copy, one syncfs at the end.
mkdir -p "$T/stree/x/y" && cp corpus/cable-*.txt "$T/stree/x/y/" &&
	cp corpus/cable-ottawa-2012-secret.txt "$T/stree/top.txt"
run "$TEARLINE" redact --reader us-secret -q -r -j 2 -d "$T/scopy" "$T/stree"
expect_rc "--sync copy (the default) over a tree (no cable withheld whole)" 0
run "$TEARLINE" redact --reader us-secret -q -r -j 2 --sync run -d "$T/srun" "$T/stree"
expect_rc "--sync run over a tree" 0
expect_true "--sync run makes the same copies, in the same layout" \
	diff -r "$T/scopy" "$T/srun"
expect_true "the tree has its copies two levels down" \
	test -s "$T/srun/x/y/cable-ottawa-2012-secret.us-secret.txt"
run "$TEARLINE" redact --reader us-secret --sync never -o "$T/never.txt" "$in"
expect_rc "--sync with an unknown mode exits 2" 2
expect_err "and names the modes" "--sync takes copy or run, not 'never'"
expect_true "and writes nothing" test ! -e "$T/never.txt"
if command -v strace >/dev/null 2>&1; then
	ncopies=$(find "$T/scopy" -type f | wc -l)
	rm -rf "$T/scopy" "$T/srun"
	strace -f -qq -e trace=fsync,syncfs -o "$T/st.copy" "$TEARLINE" redact \
	    --reader us-secret -q -r -j 2 -d "$T/scopy" "$T/stree" 2>/dev/null
	strace -f -qq -e trace=fsync,syncfs,mkdir -o "$T/st.run" "$TEARLINE" redact \
	    --reader us-secret -q -r -j 2 --sync run -d "$T/srun" "$T/stree" 2>/dev/null
	expect_true "--sync copy: a copy and its directory synced, for each of $ncopies copies" \
	    test "$(grep -c 'fsync(' "$T/st.copy")" -eq $((2 * ncopies))
	expect_true "--sync run: no fsync" test "$(grep -c 'fsync(' "$T/st.run")" -eq 0
	expect_true "--sync run: one syncfs" test "$(grep -c 'syncfs(' "$T/st.run")" -eq 1
	# A worker makes (or finds) a directory once, not once per copy:
	# -d itself, then x and x/y at most once per worker (two).
	expect_true "directories made once per worker, not per copy ($ncopies copies)" \
	    test "$(grep -c 'mkdir(' "$T/st.run")" -le 7
else
	skip "strace is not installed: fsync counts not checked"
fi

# More files than the work queue holds (256): the walker waits on a full
# queue and is woken when it has drained to half; every file must still
# get its copy, with one worker and with three.
copies "$T/many" 700 corpus/cable-kabul-2010-unclassified.txt
for j in 1 3; do
	run "$TEARLINE" redact --reader public -q -r -j "$j" --sync run \
	    -d "$T/many.out$j" "$T/many"
	expect_rc "700 files, -j $j: all redacted" 0
	expect_true "700 files, -j $j: 700 copies" \
	    test "$(find "$T/many.out$j" -type f -name '*.txt' | wc -l)" -eq 700
done

# One archive, one answer (corpus/memo-tanker-2011-*.md): the (C)
# paragraph of the CONFIDENTIAL memo repeats what the SECRET memo marks
# (S//NF).  --consistency report (the default) counts it, withhold decides
# it at (S//NF) too, off does not compare.
A1=corpus/memo-tanker-2011-secret.md
A2=corpus/memo-tanker-2011-confidential.md
CC=memo-tanker-2011-confidential.md.us-confidential.txt
run "$TEARLINE" redact --reader us-confidential -d "$T/cr" "$A1" "$A2"
expect_rc "consistency report: exit 0" 0
expect_err "consistency report: the run says so" '^redact: 2 portions carry a passage marked higher in another input \(consistency: reported; --consistency withhold withholds them\)$'
expect_true "consistency report: the passage is released" grep -q 'MARLIN ROSE left the northern anchorage' "$T/cr/$CC"
run "$TEARLINE" redact --consistency withhold --reader us-confidential -j 2 -d "$T/cw" "$A1" "$A2"
expect_rc "consistency withhold: exit 0" 0
expect_true "consistency withhold: the passage is withheld" sh -c "! grep -q 'MARLIN ROSE' '$T/cw/$CC'"
expect_true "consistency withhold: the placeholder names the other place" grep -q '^1\. (C) \[WITHHELD (b)(1): passage also in corpus/memo-tanker-2011-secret.md:9, marked (S//NF) there: portion is SECRET; reader is cleared CONFIDENTIAL\]$' "$T/cw/$CC"
expect_true "consistency withhold: a passage marked lower elsewhere stays" grep -q '^2\. (U) The harbour master will ask' "$T/cw/$CC"
expect_err "consistency withhold: the summary counts the rule" 'withheld by rule: .*consistency 1'
run "$TEARLINE" redact --consistency off --reader us-confidential -d "$T/co" "$A1" "$A2"
expect_no_out "consistency off: nothing said" 'passage marked higher'
expect_true "consistency off: released" grep -q 'MARLIN ROSE' "$T/co/$CC"
sed 's/^  foreign-disclosure: explicit$/  foreign-disclosure: explicit\n  consistency: withhold/' policies/us-cables.yaml >"$T/cons.yaml"
expect_true "consistency: the test policy sets it" grep -q '^  consistency: withhold$' "$T/cons.yaml"
run "$TEARLINE" redact --policy "$T/cons.yaml" --reader us-confidential -d "$T/cp" "$A1" "$A2"
expect_true "consistency: the policy's handling.consistency withholds" sh -c "! grep -q 'MARLIN ROSE' '$T/cp/$CC'"
run "$TEARLINE" redact --consistency sometimes --reader us-confidential -d "$T/cx" "$A1" "$A2"
expect_rc "consistency: a bad mode exits 2" 2
expect_err "consistency: the bad mode is named" "--consistency takes report, withhold or off, not 'sometimes'"
cp tests/keys/nopw.key "$T/ck.key"; chmod 600 "$T/ck.key"
run "$TEARLINE" redact --consistency withhold --reader us-confidential -d "$T/cs" -k "$T/ck.key" "$A1" "$A2"
expect_rc "consistency: a signed run" 0
run "$TEARLINE" verify -p tests/keys/nopw.pub --all-outputs "$T/cs/redact.log"
expect_rc "consistency: its log verifies with the copies" 0
