# t_keygen.sh: `tearline keygen`: files, modes, refusal to overwrite,
# passwords from TEARLINE_PASSWORD_FILE, defaults under $HOME, and keys
# that stock minisign reads.
. tests/cli/lib.sh

mode() { stat -c %a "$1"; }

# Unencrypted pair at given paths.
run "$TEARLINE" keygen -W -p "$T/a.pub" -s "$T/a.key"
expect_rc "keygen -W succeeds" 0
expect_out "keygen prints the key id" '^key id: [0-9A-F]{16}$'
expect_out "keygen prints the minisign command" 'minisign -Vm LOG -P RW[A-Za-z0-9+/]{54}$'
expect_true "secret key is 0600" test "$(mode "$T/a.key")" = 600
expect_true "public key is 0644" test "$(mode "$T/a.pub")" = 644
expect_true "public key comment as minisign writes it" \
	grep -Eq '^untrusted comment: minisign public key [0-9A-F]{16}$' "$T/a.pub"
id=$(sed -n 's/^key id: //p' "$T/out")
expect_true "printed key id is the one in the file" grep -q "$id" "$T/a.pub"

# Existing files are kept unless -f.
cp "$T/a.key" "$T/a.key.orig"
run "$TEARLINE" keygen -W -p "$T/a.pub" -s "$T/a.key"
expect_rc "existing key refused" 2
expect_err "refusal names the file" 'a\.key.*exists'
expect_true "refused keygen left the key alone" cmp -s "$T/a.key" "$T/a.key.orig"
# ...and before any password is asked for (without a terminal, asking
# would fail with another message).
if command -v setsid >/dev/null 2>&1; then
	run setsid -w env -u TEARLINE_PASSWORD_FILE "$TEARLINE" keygen \
		-p "$T/a.pub" -s "$T/a.key"
	expect_rc "existing key refused before the password" 2
	expect_err "refused for the file, not the password" 'a\.key exists'
fi
run "$TEARLINE" keygen -W -f -c "second key" -p "$T/a.pub" -s "$T/a.key"
expect_rc "keygen -f replaces" 0
expect_true "-f wrote a new key" sh -c "! cmp -s '$T/a.key' '$T/a.key.orig'"
expect_true "-c sets the secret key comment" \
	grep -qx 'untrusted comment: second key' "$T/a.key"

# Encrypted key, password from a file (interactive scrypt: fast).
printf 'correct horse\n' >"$T/pw"
TEARLINE_PASSWORD_FILE="$T/pw" run "$TEARLINE" keygen --kdf interactive \
	-p "$T/e.pub" -s "$T/e.key"
expect_rc "encrypted keygen succeeds" 0
expect_out "encrypted key reported" 'secret key: .*e\.key \(encrypted'
if command -v minisign >/dev/null 2>&1; then
	printf 'signed by minisign\n' >"$T/msg"
	printf 'correct horse\n' | minisign -S -s "$T/e.key" -m "$T/msg" >/dev/null 2>&1
	expect_true "minisign signs with tearline's encrypted key" test $? -eq 0
	expect_true "minisign verifies with tearline's public key" \
		minisign -Vqm "$T/msg" -p "$T/e.pub"
	printf 'wrong horse\n' | minisign -S -s "$T/e.key" -m "$T/msg" -x "$T/x.sig" >/dev/null 2>&1
	expect_true "minisign refuses the wrong password" test $? -ne 0
	minisign -S -s "$T/a.key" -m "$T/msg" -x "$T/a.sig" </dev/null >/dev/null 2>&1
	expect_true "minisign signs with tearline's unencrypted key" \
		minisign -Vqm "$T/msg" -x "$T/a.sig" -p "$T/a.pub"
else
	skip "minisign is not installed: interoperability not checked"
fi

# Password problems.
: >"$T/empty"
TEARLINE_PASSWORD_FILE="$T/empty" run "$TEARLINE" keygen --kdf interactive \
	-p "$T/f.pub" -s "$T/f.key"
expect_rc "empty password refused" 2
expect_err "empty password explained" 'empty password'
TEARLINE_PASSWORD_FILE="$T/absent" run "$TEARLINE" keygen -p "$T/f.pub" -s "$T/f.key"
expect_rc "missing password file" 2
expect_true "no key after a password error" test ! -e "$T/f.key"
if command -v setsid >/dev/null 2>&1; then
	# No controlling terminal and no password file: refuse, never hang.
	run setsid -w env -u TEARLINE_PASSWORD_FILE "$TEARLINE" keygen \
		-p "$T/g.pub" -s "$T/g.key"
	expect_rc "no terminal, no password file" 2
	expect_err "says how to give a password" 'TEARLINE_PASSWORD_FILE'
fi

# Defaults: ~/.tearline/tearline.key (directory 0700), ./tearline.pub.
mkdir "$T/home" "$T/cwd"
(cd "$T/cwd" && HOME="$T/home" "$TEARLINE" keygen -W >"$T/out" 2>"$T/err"); rc=$?
expect_rc "keygen with defaults" 0
expect_true "default secret key" test -f "$T/home/.tearline/tearline.key"
expect_true "key directory is 0700" test "$(mode "$T/home/.tearline")" = 700
expect_true "default public key in the current directory" test -f "$T/cwd/tearline.pub"
(cd "$T/cwd" && env -u HOME "$TEARLINE" keygen -W -p x.pub >"$T/out" 2>"$T/err"); rc=$?
expect_rc "no HOME and no -s" 2
expect_err "asks for -s" 'HOME is not set'

# Usage errors and help.
run "$TEARLINE" keygen --kdf cheap -W -p "$T/h.pub" -s "$T/h.key"
expect_rc "unknown kdf cost" 2
run "$TEARLINE" keygen -W -p "$T/h.pub" -s "$T/h.key" extra
expect_rc "stray argument" 2
run "$TEARLINE" keygen -Z
expect_rc "unknown option" 2
expect_err "unknown option shows usage" 'usage: tearline keygen'
run "$TEARLINE" keygen --help
expect_rc "keygen --help" 0
expect_out "help has examples" 'tearline keygen -W -p run.pub -s run.key'

# The example of the usage text and of tearline-log(5), run as written.
(cd "$T/cwd" && "$TEARLINE" keygen -W -p run.pub -s run.key >"$T/out" 2>"$T/err"); rc=$?
expect_rc "usage example runs" 0

# The examples of tearline-log(5) on the known-good log of the unit tests.
if command -v minisign >/dev/null 2>&1; then
	cp tests/keys/golden.log "$T/run.log"
	cp tests/keys/golden.log.minisig "$T/run.log.minisig"
	cp tests/keys/nopw.pub "$T/run.pub"
	run minisign -Vm "$T/run.log" -p "$T/run.pub"
	expect_rc "tearline-log(5): minisign -Vm" 0
	run minisign -QVm "$T/run.log" -p "$T/run.pub"
	expect_out "tearline-log(5): minisign -QVm prints the root" \
		'^format:tearline-log-1	log:[0-9a-f]{32}	entries:12	root:[0-9a-f]{64}$'
	printf 'x' >>"$T/run.log"
	run minisign -Vm "$T/run.log" -p "$T/run.pub"
	expect_rc "tearline-log(5): minisign rejects a changed log" 1
fi
