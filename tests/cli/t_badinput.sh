# t_badinput.sh: the bad inputs of SECURITY.md's table, one block per row
# (keep the two in step).  Each row checks the exit status, the message as
# printed and that no partial copy is left.
. tests/cli/lib.sh

# The release build beside build/asan/tearline, for the rows that would
# take minutes under ASan or that limit virtual memory (ASan reserves
# terabytes of it): build/tearline when $TEARLINE is the ASan build.
case "$TEARLINE" in
*/asan/tearline) REL=${TEARLINE%/asan/tearline}/tearline ;;
*) REL=$TEARLINE ;;
esac
[ -x "$REL" ] || REL=$TEARLINE

# --- binary junk: the tearline executable itself ----------------------
run "$TEARLINE" redact --reader us-secret -o "$T/bin.out" "$REL"
expect_rc "junk: withheld whole, exit 1" 1
expect_err "junk: says why" 'withheld whole for us-secret: binary input \(NUL byte at line 1\)'
expect_true "junk: the copy is one placeholder line" \
    test "$(cat "$T/bin.out")" = "[WITHHELD: entire document: binary input (NUL byte at line 1)]"

# --- NUL bytes in a cable ------------------------------------------------
printf 'SECRET\n\n1. (U) Harmless.\n\n2. (U) Not\000so.\n' >"$T/nul.txt"
run "$TEARLINE" redact --reader us-secret -o "$T/nul.out" "$T/nul.txt"
expect_rc "NUL: withheld whole, exit 1" 1
expect_err "NUL: says where" 'binary input \(NUL byte at line 5\)'
expect_true "NUL: nothing of the text" test "$(grep -c Harmless "$T/nul.out")" -eq 0

# --- invalid UTF-8 ---------------------------------------------------------
printf 'SECRET\n\n1. (U) Caf\351 \377\376 open.\n\n2. (S) Hidden \377 bytes.\n' >"$T/utf.txt"
run "$TEARLINE" redact --reader public -o "$T/utf.out" "$T/utf.txt"
expect_rc "UTF-8: exit 0" 0
expect_true "UTF-8: a released portion keeps its bytes" \
    grep -q "$(printf '1. (U) Caf\351 \377\376 open.')" "$T/utf.out"
expect_true "UTF-8: a withheld one is a placeholder" \
    grep -qx '2. (S) \[WITHHELD (b)(1): portion is SECRET; reader is cleared UNCLASSIFIED\]' "$T/utf.out"
run "$TEARLINE" parse --format text "$T/utf.txt"
expect_err "UTF-8: parse warns" 'warning: invalid UTF-8 \(first of possibly more\); bytes are kept as they are \[input-utf8\]'

# --- CRLF ------------------------------------------------------------------
run "$TEARLINE" redact --reader public -o "$T/crlf.out" corpus/cable-riyadh-2009-secret.txt
expect_rc "CRLF: exit 0" 0
expect_true "CRLF: every line of the copy ends in CR LF, placeholders too" \
    test "$(grep -c "$(printf '\r')\$" "$T/crlf.out")" -eq "$(grep -c '' "$T/crlf.out")"
expect_true "CRLF: no diagnostic on stderr (the closing summary only)" \
    sh -c "! grep -Eq '(warning|error|note):' '$T/err'"

# --- a 100 MB single line --------------------------------------------------
# A SECRET paragraph of one 100 000 000-byte line (no newline in it).
awk 'BEGIN {
	s = "0123456789"; while (length(s) < 100000) s = s s
	s = substr(s, 1, 100000)
	printf "S E C R E T ROME 000001\n\n1. (S) "
	for (i = 0; i < 1000; i++) printf "%s", s
	printf "\n\n2. (U) After the long line.\n"
}' >"$T/line.txt"
run "$TEARLINE" redact --reader public -o "$T/line.out" "$T/line.txt"
expect_rc "100 MB line: exit 0" 0
expect_true "100 MB line: withheld as one placeholder line" \
    test "$(sed -n 3p "$T/line.out")" = "1. (S) [WITHHELD (b)(1): portion is SECRET; reader is cleared UNCLASSIFIED]"
expect_true "100 MB line: the copy is small" test "$(wc -c <"$T/line.out")" -lt 300
rm -f "$T/line.out"
# Released, under a 64 MB address-space limit (release build): streamed.
run sh -c 'ulimit -v 65536 && exec "$1" redact --reader us-secret -o "$2" "$3"' sh "$REL" "$T/line.out" "$T/line.txt"
expect_rc "100 MB line: released under ulimit -v 64 MB, exit 0" 0
expect_true "100 MB line: the released line is copied whole" \
    test "$(sed -n 3p "$T/line.out" | wc -c)" -eq 100000008
rm -f "$T/line.txt" "$T/line.out"

# --- 10 million tiny paragraphs (release build: minutes under ASan) -------
awk 'BEGIN {
	print "SECRET\n"
	for (i = 0; i < 10000000; i++) printf "%d. (U) x.\n\n", i % 999 + 1
}' >"$T/many.txt"
run sh -c 'ulimit -v 65536 && exec "$1" redact --reader us-secret -o "$2" "$3"' sh "$REL" "$T/many.out" "$T/many.txt"
expect_rc "10M paragraphs: exit 0 under ulimit -v 64 MB" 0
expect_true "10M paragraphs: every one released" \
    test "$(grep -c '(U) x\.$' "$T/many.out")" -eq 10000000
expect_true "10M paragraphs: banner lowered to UNCLAS" test "$(head -n 1 "$T/many.out")" = UNCLAS
rm -f "$T/many.txt" "$T/many.out"

# --- a truncated mark ------------------------------------------------------
printf 'SECRET\n\n1. (S/NF The mark is never closed.\n\n2. (U) Fine.\n' >"$T/trunc.txt"
run "$TEARLINE" redact --reader us-top-secret -o "$T/trunc.out" "$T/trunc.txt"
expect_rc "truncated mark: exit 0" 0
expect_true "truncated mark: withheld even from the highest reader" \
    grep -qx "1. (S/NF) \[WITHHELD: mark 'S/NF' cannot be parsed\]" "$T/trunc.out"
expect_true "truncated mark: no text of it" test "$(grep -c 'never closed' "$T/trunc.out")" -eq 0
run "$TEARLINE" parse --format text "$T/trunc.txt"
expect_rc "truncated mark: parse exits 1" 1
expect_err "truncated mark: parse says why" 'error: malformed portion mark "S/NF": mark "\(S/NF" has no closing parenthesis; the portion is withheld \[mark-malformed\]'

# --- an unknown control ----------------------------------------------------
printf 'SECRET\n\n1. (S//XYZZY) Odd control.\n\n2. (U) Fine.\n' >"$T/unk.txt"
run "$TEARLINE" redact --reader us-top-secret -o "$T/unk.out" "$T/unk.txt"
expect_rc "unknown control in a portion: exit 0" 0
expect_true "unknown control in a portion: withheld" \
    grep -qx "1. (S//XYZZY) \[WITHHELD (b)(1): unknown token 'XYZZY' in the marking\]" "$T/unk.out"
printf 'SECRET//XYZZY\n\n1. (U) Fine.\n\nUnmarked text under the odd banner.\n' >"$T/unkb.txt"
run "$TEARLINE" redact --reader us-top-secret -o "$T/unkb.out" "$T/unkb.txt"
expect_rc "unknown control on the banner: not withheld whole, exit 0" 0
expect_true "unknown control on the banner: a marked portion is decided by its mark" \
    grep -qx "1. (U) Fine." "$T/unkb.out"
expect_true "unknown control on the banner: the text that inherits it is withheld, naming it" \
    grep -qx "\[WITHHELD (b)(1): unmarked, takes the document's SECRET: unknown token 'XYZZY' in the marking\]" "$T/unkb.out"
expect_true "unknown control on the banner: none of that text" \
    test "$(grep -c 'odd banner' "$T/unkb.out")" -eq 0

# --- a YAML bomb (alias expansion) ----------------------------------------
{
	printf 'tearline-policy: 1\nname: bomb\n'
	printf 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
	prev=a
	for l in b c d e f g h i; do
		printf '%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n' "$l" "$l" \
		    "$prev" "$prev" "$prev" "$prev" "$prev" "$prev" "$prev" "$prev" "$prev"
		prev=$l
	done
	printf 'levels: [{name: SECRET}]\n'
} >"$T/bomb.yaml"
run "$TEARLINE" policy check "$T/bomb.yaml"
expect_rc "YAML bomb: policy check exits 2" 2
expect_err "YAML bomb: aliases refused" 'bomb.yaml:4:8: error: YAML aliases \(\*a\) are not allowed in a policy \[policy-yaml\]'
run "$TEARLINE" redact --policy "$T/bomb.yaml" --reader x -o "$T/bomb.out" corpus/cable-london-2010-secret.txt
expect_rc "YAML bomb: redact refuses the policy, exit 2" 2
expect_true "YAML bomb: no copy" test ! -e "$T/bomb.out"

# --- deep YAML nesting -----------------------------------------------------
awk 'BEGIN {
	printf "tearline-policy: 1\nname: deep\nlevels: "
	for (i = 0; i < 100000; i++) printf "["
	for (i = 0; i < 100000; i++) printf "]"
	print ""
}' >"$T/deep.yaml"
run "$TEARLINE" policy check "$T/deep.yaml"
expect_rc "deep YAML: exit 2" 2
expect_err "deep YAML: refused at depth 17" 'deep.yaml:3:24: error: nesting deeper than 16 levels \[policy-limit\]'

# --- a key with the wrong password ---------------------------------------
printf 'not-the-password\n' >"$T/badpw"
run env TEARLINE_PASSWORD_FILE="$T/badpw" "$TEARLINE" redact --reader public \
    -k tests/keys/test.key -d "$T/pw" corpus/cable-london-2010-secret.txt
expect_rc "wrong password: exit 2" 2
expect_err "wrong password: says so" 'tests/keys/test.key: error: wrong password for this secret key \[key-password\]'
expect_true "wrong password: no copy, no log" test -z "$(ls -A "$T/pw" 2>/dev/null)"

# --- an output directory that cannot be written ---------------------------
# Tests run as root, which ignores modes: the run is made as nobody
# (setpriv) in a directory of mode 0555, and, as root, below a regular
# file, where no directory can be made.
mkdir -p "$T/pub" "$T/pub/ro"
cp corpus/cable-london-2010-secret.txt "$T/pub/in.txt"
chmod 755 "$T" "$T/pub"
chmod 644 "$T/pub/in.txt"
chmod 555 "$T/pub/ro"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$TEARLINE" redact --reader public -d "$T/pub/ro" "$T/pub/in.txt"
	expect_rc "read-only directory (as nobody): exit 2" 2
	expect_err "read-only directory: says why" "in.public.txt: error: cannot write in $T/pub/ro: Permission denied"
	expect_true "read-only directory: left empty" test -z "$(ls -A "$T/pub/ro")"
else
	# Not root: the mode is enough.
	run "$TEARLINE" redact --reader public -d "$T/pub/ro" "$T/pub/in.txt"
	expect_rc "read-only directory: exit 2" 2
	expect_err "read-only directory: says why" 'Permission denied'
fi
chmod 700 "$T"
: >"$T/regular"
run "$TEARLINE" redact --reader public -d "$T/regular/out" corpus/cable-london-2010-secret.txt
expect_rc "directory below a regular file: exit 2" 2
expect_err "directory below a regular file: says why" "redact: $T/regular/out: Not a directory"
run "$TEARLINE" redact --reader public -o "$T/regular/copy.txt" corpus/cable-london-2010-secret.txt
expect_rc "-o below a regular file: exit 2" 2
expect_err "-o below a regular file: says why" "copy.txt: error: cannot write in $T/regular: Not a directory"

# --- a full disk -----------------------------------------------------------
run "$TEARLINE" redact --reader public -o /dev/full corpus/cable-london-2010-secret.txt
expect_rc "-o /dev/full: exit 2" 2
expect_err "-o /dev/full: says why" '^/dev/full: error: write: No space left on device'
expect_true "/dev/full is still a device" test -c /dev/full
run sh -c '"$1" redact --reader public "$2" >/dev/full' sh "$TEARLINE" corpus/cable-london-2010-secret.txt
expect_rc "stdout > /dev/full: exit 2" 2
expect_err "stdout > /dev/full: says why" '^<stdout>: error: write: No space left on device'

# --- a reader that goes away (tearline ... | head) -------------------------
# SIGPIPE is ignored (a signed run must clean up), so a closed pipe is a
# write error: one line that says so, with the cause, exit 2, and no
# further input read.  1000 inputs make far more than a pipe holds.
f=corpus/cable-tripoli-2008-confidential.txt
many=$(i=0; while [ $i -lt 1000 ]; do printf '%s ' "$f"; i=$((i + 1)); done)
for cmd in "parse" "parse -f text" "audit" "audit --format sarif" \
    "decide --reader public" "decide -f json --reader public"; do
	# shellcheck disable=SC2086 # $cmd and $many are word lists
	run sh -c '{ "$@"; echo $? >"$0"; } | head -c 10 >/dev/null' "$T/pipe.rc" \
	    "$TEARLINE" $cmd $many
	rc=$(cat "$T/pipe.rc")
	expect_rc "$cmd | head: exit 2" 2
	expect_err "$cmd | head: says why" \
	    '^tearline: [a-z]+: cannot write standard output: Broken pipe$'
	expect_true "$cmd | head: that one line only" \
	    test "$(wc -l <"$T/err")" -eq 1
done

run "$TEARLINE" redact --reader public -o /dev/null corpus/cable-london-2010-secret.txt
expect_rc "-o /dev/null is written to, not replaced: exit 0" 0
expect_true "/dev/null is still a device" test -c /dev/null

# --- logs: truncated, reordered, signed for another file --------------------
"$TEARLINE" keygen -W -p "$T/k.pub" -s "$T/k.key" >/dev/null
"$TEARLINE" redact -q --reader public -d "$T/lg" -k "$T/k.key" \
	corpus/cable-london-2010-secret.txt corpus/cable-berlin-2009-secret.txt
"$TEARLINE" redact -q --reader public -d "$T/lg2" -k "$T/k.key" \
	corpus/cable-riyadh-2009-secret.txt
n=$(wc -l <"$T/lg/redact.log")
head -n $((n - 1)) "$T/lg/redact.log" >"$T/t.log"
cp "$T/lg/redact.log.minisig" "$T/t.log.minisig"
run "$TEARLINE" verify -p "$T/k.pub" "$T/t.log"
expect_rc "truncated log: exit 1" 1
expect_err "truncated log: says why" "t\.log:$((n - 1)): error: no end line after line $((n - 1)): the log is truncated \[log-truncated\]"
expect_err "truncated log: names the check" "INVALID: check 'truncated' failed"
awk 'NR == 3 { h = $0; next } NR == 4 { print; print h; next } { print }' \
	"$T/lg/redact.log" >"$T/r.log"
cp "$T/lg/redact.log.minisig" "$T/r.log.minisig"
run "$TEARLINE" verify -p "$T/k.pub" "$T/r.log"
expect_rc "reordered log: exit 1" 1
expect_err "reordered log: says why" 'r\.log:3:21: error: seq is 4 on line 3: a line was removed, added or moved \[log-sequence\]'
cp "$T/lg/redact.log" "$T/x.log"
cp "$T/lg2/redact.log.minisig" "$T/x.log.minisig"
run "$TEARLINE" verify -p "$T/k.pub" "$T/x.log"
expect_rc "signature of another log: exit 1" 1
expect_err "signature of another log: says why" 'x\.log\.minisig: error: signature verification failed \[log-signature\]'
