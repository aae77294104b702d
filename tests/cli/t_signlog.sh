# t_signlog.sh: `tearline redact --sign-key` and `tearline verify`, end to
# end: one log and one signature per run, stock minisign agreeing, and the
# tamper groups of the design (lines, signatures, copies, policy, keys,
# malformed files) through the command line.
. tests/cli/lib.sh

V() { "$TEARLINE" verify "$@"; }
lines() { wc -l <"$1" | tr -d ' '; }

"$TEARLINE" keygen -W -p "$T/k.pub" -s "$T/k.key" >/dev/null
"$TEARLINE" keygen -W -p "$T/other.pub" -s "$T/other.key" >/dev/null

# --- 1. happy path, both verifiers -------------------------------------
run "$TEARLINE" redact -q --reader gbr-secret --reader public -d "$T/o" \
	-k "$T/k.key" corpus/cable-london-2010-secret.txt \
	corpus/cable-baghdad-2007-secret.txt corpus/cable-berlin-2009-secret.txt
expect_rc "signed redact of three cables succeeds" 0
expect_true "the log is DIR/redact.log" test -s "$T/o/redact.log"
expect_true "its signature is LOG.minisig" test -s "$T/o/redact.log.minisig"
expect_true "the commitment key is LOG.ckey, mode 0600" \
	test "$(stat -c %a "$T/o/redact.log.ckey")" = 600
expect_true "one doc line per copy (3 cables x 2 readers)" \
	test "$(grep -c '"type":"doc"' "$T/o/redact.log")" = 6
expect_true "the commitment key is not in the log" \
	sh -c "! grep -qF \"\$(sed -n 2p '$T/o/redact.log.ckey')\" '$T/o/redact.log'"
run V -p "$T/k.pub" "$T/o/redact.log"
expect_rc "verify accepts the log" 0
expect_out "verify reports 6 documents" ' 6 documents'
run V -p "$T/k.pub" -a "$T/o/redact.log"
expect_rc "verify --all-outputs accepts every copy" 0
expect_out "--all-outputs checked 6 copies" ' 6 copies'
run V -p "$T/k.pub" --policy policies/us-cables.yaml "$T/o/redact.log" \
	"$T/o/cable-london-2010-secret.public.txt"
expect_rc "verify with the policy and a named copy" 0
expect_out "one copy checked" ' 1 copy '
run minisign -Vm "$T/o/redact.log" -p "$T/k.pub"
expect_rc "stock minisign -Vm accepts the log" 0
run minisign -QVm "$T/o/redact.log" -p "$T/k.pub"
expect_out "minisign -Q prints the trusted comment with the root" \
	"^format:tearline-log-1	log:[0-9a-f]{32}	entries:[0-9]+	root:[0-9a-f]{64}$"
root=$(sed -n 's/.*root:\([0-9a-f]*\).*/\1/p' "$T/out")
expect_true "the end line carries the same root" \
	grep -q "\"root\":\"$root\"" "$T/o/redact.log"
run V -p "$T/k.pub" --commit-key "$T/o/redact.log.ckey" \
	--original corpus/cable-baghdad-2007-secret.txt "$T/o/redact.log"
expect_rc "the original matches its keyed tags" 0
expect_out "two docs of that original checked" ' 2 originals'
mkdir -p "$T/alt/corpus"
{ cat corpus/cable-baghdad-2007-secret.txt; printf 'x'; } \
	>"$T/alt/corpus/cable-baghdad-2007-secret.txt"
( cd "$T/alt" && "$TEARLINE" verify -p "$T/k.pub" --commit-key \
	"$T/o/redact.log.ckey" --original corpus/cable-baghdad-2007-secret.txt \
	"$T/o/redact.log" ) >"$T/out.txt" 2>"$T/err"
rc=$?
expect_rc "an original with one byte more fails its keyed tag" 1
expect_err "the failed check is input-tag" "check 'input-tag'"

# Many files on two threads: one log, one signature, every copy checked.
mkdir -p "$T/many"
i=0
for f in corpus/cable-*.txt; do
	for k in 1 2 3; do cp "$f" "$T/many/$k-$(basename "$f")"; done
done
n=$(ls "$T/many" | wc -l)
run "$TEARLINE" redact -q --reader public -d "$T/mout" -j 2 -k "$T/k.key" \
	--log "$T/many.log" -r "$T/many"
expect_true "-j 2 run ends (0 or 1: some cables are withheld whole)" test "$rc" -le 1
expect_true "one signature for the run" test "$(ls "$T"/*.minisig | wc -l)" = 1
expect_true "one doc line per file ($n)" \
	test "$(grep -c '"type":"doc"' "$T/many.log")" = "$n"
run V -p "$T/k.pub" -a "$T/many.log"
expect_rc "the -j 2 log verifies with all its copies" 0
expect_true "doc numbers are 1..n in order" sh -c \
	"grep -o '\"type\":\"doc\",[^}]*\"doc\":[0-9]*' '$T/many.log' | \
	 sed 's/.*\"doc\"://' | awk '\$1 != NR { exit 1 }'"

# A document that fails leaves a gap, and the rest of the run is signed.
# One worker: with two, which input takes number 2 depends on timing.
run "$TEARLINE" redact -q --reader public -d "$T/gap" -j 1 -k "$T/k.key" \
	corpus/cable-london-2010-secret.txt "$T/missing.txt" \
	corpus/cable-berlin-2009-secret.txt
expect_rc "a missing input fails the run" 2
expect_err "the missing input is named" 'missing\.txt'
run V -p "$T/k.pub" -a "$T/gap/redact.log"
expect_rc "the log of the other two still verifies" 0
expect_true "document 2 was skipped" sh -c \
	"grep -q '\"doc\":3' '$T/gap/redact.log' && ! grep -q '\"doc\":2' '$T/gap/redact.log'"

# Refusals: an existing log, a log without a key, stdout without --log.
run "$TEARLINE" redact -q --reader public -d "$T/o" -k "$T/k.key" \
	corpus/cable-london-2010-secret.txt
expect_rc "an existing log is refused without --force" 2
expect_err "the refusal names the log" 'redact\.log exists'
run "$TEARLINE" redact --reader public --log "$T/x.log" corpus/cable-london-2010-secret.txt
expect_rc "--log without --sign-key is a usage error" 2
run "$TEARLINE" redact --reader public -k "$T/k.key" corpus/cable-london-2010-secret.txt
expect_rc "a signed copy to stdout needs --log" 2
expect_true "no commitment key is left by a refused run" test ! -e "$T/x.log.ckey"

# --- 2. every single-line mutation (of a one-cable log, to stay quick) --
"$TEARLINE" redact -q --reader gbr-secret -d "$T/small" -k "$T/k.key" \
	corpus/cable-london-2010-secret.txt
log=$T/small/redact.log
n=$(lines "$log")
bad=0
i=1
while [ "$i" -le "$n" ]; do
	for m in rename flip delete dup swap; do
		case $m in
		rename) awk -v k="$i" 'NR == k { sub(/"seq":/, "\"seQ\":") } { print }' "$log" ;;
		flip) awk -v k="$i" 'NR == k { p = index($0, "\"prev\":\"") + 8
		          c = substr($0, p, 1) == "0" ? "1" : "0"
		          $0 = substr($0, 1, p - 1) c substr($0, p + 1) } { print }' "$log" ;;
		delete) sed "${i}d" "$log" ;;
		dup) sed "${i}p" "$log" ;;
		swap) [ "$i" -lt "$n" ] || continue
		      awk -v k="$i" 'NR == k { hold = $0; next }
		          NR == k + 1 { print; print hold; next } { print }' "$log" ;;
		esac >"$T/m.log"
		cp "$log.minisig" "$T/m.log.minisig"
		V -p "$T/k.pub" "$T/m.log" >/dev/null 2>&1
		r=$?
		if [ "$r" -eq 0 ]; then bad=$((bad + 1)); echo "  $m of line $i accepted" >&2; fi
		if [ "$m" != rename ] && [ "$r" -ne 1 ]; then
			bad=$((bad + 1)); echo "  $m of line $i: exit $r, wanted 1" >&2
		fi
	done
	i=$((i + 1))
done
expect_true "no renamed key, flipped hash digit, deletion, duplication or swap of any of $n lines passes" test "$bad" -eq 0
head -n $((n - 1)) "$log" >"$T/m.log"; cp "$log.minisig" "$T/m.log.minisig"
run V -p "$T/k.pub" "$T/m.log"
expect_rc "a truncated log is invalid" 1
expect_err "truncation is named" "truncated"
{ cat "$log"; tail -n 1 "$log"; } >"$T/m.log"
run V -p "$T/k.pub" "$T/m.log"
expect_rc "a line appended after the end is invalid" 1
run minisign -Vm "$T/m.log" -x "$log.minisig" -p "$T/k.pub"
expect_true "minisign rejects it too" test "$rc" -ne 0

# --- 3. another signer --------------------------------------------------
log=$T/o/redact.log
cp "$log" "$T/r.log"
if command -v minisign >/dev/null 2>&1; then
	minisign -G -W -p "$T/mini.pub" -s "$T/mini.key" -f >/dev/null 2>&1
	minisign -S -s "$T/mini.key" -m "$T/r.log" -t "forged" >/dev/null 2>&1
	run V -p "$T/k.pub" "$T/r.log"
	expect_rc "a log re-signed with another key is invalid" 1
	expect_err "the key id mismatch is named" "key-id|key id"
	run V -p "$T/mini.pub" "$T/r.log"
	expect_rc "checked with the forger's key, the head's key id differs" 1
else
	skip "minisign not installed: re-signing checks"
fi

# --- 4. signature files ---------------------------------------------------
cp "$log" "$T/s.log"
sed '3s/entries:/entries:1/' "$log.minisig" >"$T/s.log.minisig"
run V -p "$T/k.pub" "$T/s.log"
expect_rc "an edited trusted comment is invalid" 1
cp "$T/many.log.minisig" "$T/s.log.minisig"
run V -p "$T/k.pub" "$T/s.log"
expect_rc "the signature of another log is invalid" 1
sed '1s/.*/untrusted comment: edited by anyone/' "$log.minisig" >"$T/s.log.minisig"
run V -p "$T/k.pub" "$T/s.log"
expect_rc "an edited untrusted comment still verifies (it is not signed)" 0

# --- 5. copies and policy ---------------------------------------------------
c=$T/o/cable-london-2010-secret.public.txt
cp "$c" "$T/keep"
printf 'X' | dd of="$c" bs=1 seek=10 conv=notrunc 2>/dev/null
run V -p "$T/k.pub" "$log" "$c"
expect_rc "a copy changed by one byte is invalid" 1
expect_err "the failed check is output" "check 'output'"
cp "$T/o/cable-berlin-2009-secret.public.txt" "$c"
run V -p "$T/k.pub" -a "$log"
expect_rc "a copy swapped with another one is invalid" 1
cp "$T/keep" "$c"
run V -p "$T/k.pub" --policy policies/capco.yaml "$log"
expect_rc "another policy is invalid" 1
expect_err "the failed check is policy" "check 'policy'"
run V -p "$T/k.pub" "$log" "$T/not-in-log.txt"
expect_rc "a copy the log does not name is invalid" 1

# --- 8. keys ------------------------------------------------------------------
printf 'correct horse\n' >"$T/pw"
TEARLINE_PASSWORD_FILE=$T/pw "$TEARLINE" keygen --kdf interactive \
	-p "$T/e.pub" -s "$T/e.key" >/dev/null
run env TEARLINE_PASSWORD_FILE="$T/pw" "$TEARLINE" redact -q --reader public \
	-d "$T/enc" -k "$T/e.key" corpus/cable-london-2010-secret.txt
expect_rc "an encrypted key signs with its password" 0
run V -p "$T/e.pub" -a "$T/enc/redact.log"
expect_rc "...and the log verifies" 0
printf 'wrong\n' >"$T/badpw"
run env TEARLINE_PASSWORD_FILE="$T/badpw" "$TEARLINE" redact -q --reader public \
	-d "$T/enc2" -k "$T/e.key" corpus/cable-london-2010-secret.txt
expect_rc "a wrong password is refused" 2
expect_err "the refusal says why" "password"
expect_true "nothing was written with a wrong password" test ! -e "$T/enc2/redact.log"
expect_true "...not even a copy" sh -c "! ls '$T/enc2'/*.txt >/dev/null 2>&1"
if command -v minisign >/dev/null 2>&1; then
	run "$TEARLINE" redact -q --reader public -d "$T/mk" -k "$T/mini.key" \
		corpus/cable-london-2010-secret.txt
	expect_rc "a key made by minisign -G -W signs" 0
	run minisign -Vm "$T/mk/redact.log" -p "$T/mini.pub"
	expect_rc "...and minisign verifies it" 0
	run V -p "$T/mini.pub" "$T/mk/redact.log"
	expect_rc "...and so does tearline" 0
fi

# --- 9. malformed logs and signatures: exit 2, no crash ------------------------
sed 's/$/\r/' "$log" >"$T/crlf.log"; cp "$log.minisig" "$T/crlf.log.minisig"
run V -p "$T/k.pub" "$T/crlf.log"
expect_rc "a CRLF log is malformed" 2
head -c -1 "$log" >"$T/nonl.log"; cp "$log.minisig" "$T/nonl.log.minisig"
run V -p "$T/k.pub" "$T/nonl.log"
expect_true "a log without its final newline is rejected" test "$rc" -ge 1
{ head -n 1 "$log"; head -c 70000 /dev/zero | tr '\0' a; echo; } >"$T/long.log"
cp "$log.minisig" "$T/long.log.minisig"
run V -p "$T/k.pub" "$T/long.log"
expect_rc "an over-long line is malformed" 2
{ head -n 1 "$log"; printf 'a\000b\n'; } >"$T/nul.log"
cp "$log.minisig" "$T/nul.log.minisig"
run V -p "$T/k.pub" "$T/nul.log"
expect_rc "a NUL byte is malformed" 2
sed '2s/^R/*/' "$log.minisig" >"$T/b64.log.minisig"; cp "$log" "$T/b64.log"
run V -p "$T/k.pub" "$T/b64.log"
expect_rc "bad base64 in the signature is malformed" 2
run V -p "$T/k.pub" "$T/absent.log"
expect_rc "a missing log is an I/O error" 2
run V "$log"
expect_rc "no ./tearline.pub is an error" 2
run V -p "$T/k.pub"
expect_rc "no log is a usage error" 2
run V --help
expect_rc "verify --help" 0
expect_out "--help shows the usage" '^usage: tearline verify'

# --- an interrupted signed run: the copies done are signed, no partial one --
# The second input is a FIFO, so the run is provably in the middle of it
# when SIGINT comes; the rest is written afterwards so that it can notice.
mkfifo "$T/fifo.txt"
"$TEARLINE" redact -q --reader public -d "$T/int" -j 1 -k "$T/k.key" \
	corpus/cable-london-2010-secret.txt "$T/fifo.txt" >"$T/int.out" 2>"$T/int.err" &
pid=$!
exec 3>"$T/fifo.txt"
head -n 20 corpus/cable-berlin-2009-secret.txt >&3
i=0
while [ ! -e "$T/int/cable-london-2010-secret.public.txt" ] && [ $i -lt 600 ]; do
	sleep 0.1; i=$((i + 1))
done
kill -INT "$pid"
sleep 0.2
tail -n +21 corpus/cable-berlin-2009-secret.txt >&3
exec 3>&-
wait "$pid"
rc=$?
expect_rc "an interrupted signed run exits 2" 2
expect_true "it says it was interrupted" grep -q interrupted "$T/int.err"
expect_true "no copy of the interrupted input" test ! -e "$T/int/fifo.public.txt"
expect_true "no temporary file left" sh -c "! ls -A '$T/int' | grep -q '^\.'"
run V -p "$T/k.pub" -a "$T/int/redact.log"
expect_rc "the log of the copy finished before it verifies" 0
expect_out "...and records that one copy" ' 1 document'

# A secret key others can read signs, with a warning.
cp "$T/k.key" "$T/open.key"; chmod 644 "$T/open.key"
run "$TEARLINE" redact -q --reader public -d "$T/open" -k "$T/open.key" corpus/cable-london-2010-secret.txt
expect_rc "a 0644 secret key still signs" 0
expect_err "...with a warning naming the mode" 'open\.key can be read by others \(mode 0644\)'

# --- a mark that does not read may be prose: never in a copy or the log --
printf 'SECRET\n\n1. (the plan//an attack on Tuesday) Text.\n\n2. (S//XYZZY) Odd control.\n\n3. (U) Open text.\n' >"$T/prose.txt"
run "$TEARLINE" redact -q --reader us-top-secret -d "$T/pr" -k "$T/k.key" "$T/prose.txt"
expect_rc "prose taken for a mark: the run succeeds" 0
expect_true "prose taken for a mark: the copy masks it" \
    grep -q "^1. (? ?//? ? ? ?) \[WITHHELD" "$T/pr/prose.us-top-secret.txt"
expect_true "prose taken for a mark: not a word of it in the copy" \
    test "$(grep -c -e Tuesday -e attack "$T/pr/prose.us-top-secret.txt")" -eq 0
expect_true "prose taken for a mark: not a word of it in the log" \
    test "$(grep -c -e Tuesday -e attack "$T/pr/redact.log")" -eq 0
expect_true "a mark that reads keeps its unknown word, named" \
    grep -q "^2. (S//XYZZY) \[WITHHELD.*unknown token 'XYZZY'" "$T/pr/prose.us-top-secret.txt"
run V -p "$T/k.pub" --all-outputs "$T/pr/redact.log"
expect_rc "prose taken for a mark: the log and copy verify" 0
