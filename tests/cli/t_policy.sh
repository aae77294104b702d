# t_policy.sh: `tearline policy check|show|readers` from the command line.
. tests/cli/lib.sh

run "$TEARLINE" help policy
expect_out "help policy shows usage" '^usage: tearline policy check'

run "$TEARLINE" policy
expect_rc "policy without an action exits 2" 2
run "$TEARLINE" policy frob
expect_rc "unknown action exits 2" 2
expect_err "unknown action is named" "unknown action 'frob'"
run "$TEARLINE" policy check
expect_rc "check without files exits 2" 2

# Every bundled policy is valid.
for f in policies/*.yaml; do
	run "$TEARLINE" policy check "$f"
	expect_rc "bundled $f is valid" 0
	expect_out "bundled $f reported ok" "^$f: ok$"
done
run "$TEARLINE" policy check policies/us-cables.yaml policies/capco.yaml
expect_rc "several valid files exit 0" 0

# Every fixture fails at the position its first line names.
for f in tests/policies/*.yaml; do
	exp=$(sed -n '1s/^# \([a-z-]*\) at \([0-9]*:[0-9]*\):.*/\1 \2/p' "$f")
	rule=${exp% *} pos=${exp#* }
	run "$TEARLINE" policy check "$f"
	expect_rc "$f is invalid" 2
	expect_err "$f: $rule at $pos" "^$f:$pos: error: .*\[$rule\]$"
done

# One bad file among good ones: every file checked, exit 2.
run "$TEARLINE" policy check policies/capco.yaml tests/policies/wrong-type.yaml policies/uk-gsc.yaml
expect_rc "a bad file among good ones exits 2" 2
expect_out "files after the bad one are still checked" '^policies/uk-gsc.yaml: ok$'

# Every problem of a file is reported, in file order.
printf 'tearline-policy: 1\nname: two\nlevels:\n  - name: S\n    aliases: [S]\nreaders:\n  - {name: r, clearance: TS, nationality: USA}\n' >"$T/two.yaml"
run "$TEARLINE" policy check "$T/two.yaml"
expect_rc "two problems exit 2" 2
expect_true "both problems, in order" sh -c "
	[ \$(wc -l <'$T/err') -eq 2 ] &&
	head -1 '$T/err' | grep -q ':5:15: error: duplicate level' &&
	tail -1 '$T/err' | grep -q ':7:26: error: .*clearance .TS.'"

run "$TEARLINE" policy check "$T/missing.yaml"
expect_rc "an unreadable file exits 2" 2
expect_err "an unreadable file is named" "missing.yaml: error: cannot open"

run sh -c "\"$TEARLINE\" policy check - <policies/uk-gsc.yaml"
expect_rc "check reads standard input" 0
printf 'junk: [\n' >"$T/junk.yaml"
run sh -c "\"$TEARLINE\" policy check - <'$T/junk.yaml'"
expect_rc "bad standard input exits 2" 2
expect_err "standard input is named" '^<stdin>:2:1: error: YAML'

# Hostile YAML: no crash, a clear error.
head -c 300000 /dev/zero | tr '\0' '[' >"$T/deep.yaml"
run "$TEARLINE" policy check "$T/deep.yaml"
expect_rc "deep nesting exits 2" 2
expect_err "deep nesting is a limit" 'nesting deeper than 16 levels \[policy-limit\]'
printf 'a: &a [x, x]\nb: [*a, *a]\n' >"$T/laughs.yaml"
run "$TEARLINE" policy check "$T/laughs.yaml"
expect_rc "aliases exit 2" 2
expect_err "aliases are refused at their position" ':2:5: error: YAML aliases'
head -c 4096 /dev/urandom >"$T/random.yaml"
run "$TEARLINE" policy check "$T/random.yaml"
expect_rc "random bytes exit 2" 2

# show: the built-in policy, the effective one, itself valid.
run "$TEARLINE" policy show
expect_rc "show exits 0" 0
expect_out "show prints the built-in policy" '^name: us-cables$'
expect_out "show names the source" '^# source: builtin:us-cables.yaml$'
expect_true "show prints the hash of the policy file" grep -q "^# sha256: $(sha256sum policies/us-cables.yaml | cut -c1-64)\$" "$T/out"
expect_out "show fills in defaults" '^    scope: portion$'
cp "$T/out" "$T/shown.yaml"
run "$TEARLINE" policy check "$T/shown.yaml"
expect_rc "the shown policy is itself valid" 0
run "$TEARLINE" policy show "$T/shown.yaml"
expect_true "show of show is the same policy" sh -c "sed 1,3d '$T/shown.yaml' >'$T/a'; sed 1,3d '$T/out' >'$T/b'; cmp -s '$T/a' '$T/b'"
run "$TEARLINE" policy show policies/uk-gsc.yaml
expect_out "show FILE prints that policy" '^name: uk-gsc$'
expect_out "show prints whose levels carry no country code" '^  unprefixed-origin: GBR$'
sed 's/unprefixed-origin: GBR/unprefixed-origin: Gbr/' policies/uk-gsc.yaml >"$T/unpref.yaml"
run "$TEARLINE" policy check "$T/unpref.yaml"
expect_rc "unprefixed-origin must be a trigraph: exit 2" 2
expect_err "unprefixed-origin: the value is named at its position" 'unpref.yaml:[0-9]+:[0-9]+: error: handling.unprefixed-origin: "Gbr" is not a three-letter country code \[policy-value\]'
run "$TEARLINE" policy show tests/policies/cycle-group.yaml
expect_rc "show of an invalid policy exits 2" 2
expect_err "show names the first problem" 'cycle-group.yaml:8:15: error: group cycle'
run "$TEARLINE" policy show a b
expect_rc "show with two files exits 2" 2

# readers
run "$TEARLINE" policy readers
expect_rc "readers exits 0" 0
expect_out "readers lists gbr-secret" '^gbr-secret \(SECRET, GBR\)$'
expect_out "readers marks the public" '^public \(UNCLASSIFIED, XXX, public\)$'
run "$TEARLINE" policy readers policies/capco.yaml
expect_out "capco has a TS/SCI reader" '^us-ts-sci \(TOP SECRET, USA, access SI,SI-G,TK,HCS,ORCON\)$'

# The EXAMPLES of tearline-policy(5), taken from the page itself.
man=man/tearline-policy.5
example() { # FILE: the lines after "$ cat FILE" up to the next "$ " line
	awk -v f="$1" '$0 == "$ cat " f { on = 1; next } /^\$ / { on = 0 } on' "$man"
}
example two-levels.yaml >"$T/two-levels.yaml"
example typo.yaml >"$T/typo.yaml"
run sh -c "cd '$T' && \"\$0\" policy show two-levels.yaml" "$TEARLINE"
expect_rc "man: the minimal policy is valid" 0
expect_out "man: the minimal policy shows" '^name: two-levels$'
run sh -c "cd '$T' && \"\$0\" policy check typo.yaml" "$TEARLINE"
expect_rc "man: the typo is an error" 2
# The page wraps the one-line report; join its lines to compare.
want=$(awk '$0 == "$ tearline policy check typo.yaml" { on = 1; next } /^\.Ed/ { on = 0 } on' "$man" | tr '\n' ' ' | sed 's/ $//')
got=$(tr '\n' ' ' <"$T/err" | sed 's/ $//')
expect_true "man: the typo's report is as documented" [ "$got" = "$want" ]
run "$TEARLINE" policy check policies/capco.yaml
expect_true "man: the check example prints as documented" grep -qx "$(awk '$0 == "$ tearline policy check policies/capco.yaml" { getline; print }' "$man")" "$T/out"
