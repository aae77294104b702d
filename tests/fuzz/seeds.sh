# seeds.sh: sourced by tests/fuzz/run.sh and replay.sh.  `seeds TARGET
# DIR` copies the seed inputs of a fuzz target into DIR: the committed
# tests/fuzz/seed/TARGET plus files of the repository that the target
# reads (documents, policies, keys, signatures), and for the log
# verifier the known-good log prefixed with its trusted comment.
seeds() {
	mkdir -p "$2"
	if [ -d "tests/fuzz/seed/$1" ]; then
		cp tests/fuzz/seed/"$1"/* "$2"/ 2>/dev/null || :
	fi
	case "$1" in
	document|runlog) cp corpus/*.txt "$2"/ ;;
	policy) for f in policies/*.yaml tests/policies/*.yaml; do
			cp "$f" "$2/$(echo "$f" | tr / _)"
		done ;;
	seckey) cp tests/keys/nopw.key tests/keys/test.key \
		    tests/keys/other.key tests/keys/minisign-w.key "$2"/ ;;
	pubkey) cp tests/keys/*.pub "$2"/ ;;
	commitkey) cp tests/keys/commit.key "$2"/ ;;
	sig) cp tests/keys/golden.log.minisig "$2"/ ;;
	log) { sed -n 's/^trusted comment: //p' tests/keys/golden.log.minisig
	       cat tests/keys/golden.log; } >"$2/golden.log" ;;
	esac
}
