# t_scale.sh: a document with more lines to render at the end than fit in
# memory's share (an archive of cables in one file has a banner every few
# kilobytes): redact keeps them in a spool file, not in memory, and a
# cap of 65536 such lines no longer applies.
. tests/cli/lib.sh

{
	printf 'SECRET//NOFORN\n\nE.O. 13526: DECL: 01/02/2030\n'
	printf 'SUBJECT: (U) SCALE\n\n1. (U) Released text.\n\n'
	awk 'BEGIN { for (i = 0; i < 70000; i++) print "SECRET//NOFORN" }'
	printf '\n2. (S//NF) Withheld text.\n'
} >"$T/many.txt"
run "$TEARLINE" redact --reader gbr-secret -q -o "$T/many.out" "$T/many.txt"
expect_rc "redact of 70,000 banner lines exits 0" 0
# Every line but the E.O. line, which goes with the classified portions.
expect_true "every other line is in the copy" \
    test "$(wc -l <"$T/many.out")" -eq "$(($(wc -l <"$T/many.txt") - 1))"
expect_true "the banners are rendered from what was released" \
    test "$(grep -c '^UNCLASSIFIED$' "$T/many.out")" -eq 70001
expect_true "the released paragraph is copied" grep -qx '1. (U) Released text.' "$T/many.out"
expect_true "the withheld one is a placeholder" grep -q '^2\. (S//NF) \[WITHHELD' "$T/many.out"
