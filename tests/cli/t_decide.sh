# t_decide.sh: `tearline decide` from the command line.
. tests/cli/lib.sh

run "$TEARLINE" help decide
expect_out "help decide shows usage" '^usage: tearline decide'
run "$TEARLINE" decide --help
expect_out "decide --help lists the reader options" '^  --nationality CODE'

printf 'S E C R E T ROME 000001\n\nNOFORN\n\nE.O. 12958: DECL: 01/02/2030\nSUBJECT: (C) TALKS\n\nClassified By: DCM A. Person, reasons 1.4 (b,d)\n\n1. (S/NF) First.\n\n2. (C) Second.\n\n3. (S//REL TO USA, FVEY) Third.\n\n4. (U) Fourth.\n' >"$T/c.txt"

# Usage errors.
run "$TEARLINE" decide --reader us-secret
expect_rc "no files exits 2" 2
run "$TEARLINE" decide "$T/c.txt"
expect_rc "no reader exits 2" 2
expect_err "no reader says what to give" 'no reader: give --reader NAME, or --clearance LEVEL and --nationality CODE'
run "$TEARLINE" decide --reader nobody "$T/c.txt"
expect_rc "unknown reader exits 2" 2
expect_err "unknown reader lists the readers" "no reader 'nobody' \(readers: us-top-secret, us-secret"
run "$TEARLINE" decide --reader us-secret --clearance S --nationality USA "$T/c.txt"
expect_rc "profile and ad hoc together exit 2" 2
run "$TEARLINE" decide --clearance COSMIC --nationality USA "$T/c.txt"
expect_rc "unknown clearance exits 2" 2
expect_err "unknown clearance lists the levels" "no level 'COSMIC' \(levels: UNCLASSIFIED, SBU, CONFIDENTIAL, SECRET, TOP SECRET\)"
run "$TEARLINE" decide --clearance S --nationality UK "$T/c.txt"
expect_rc "a two-letter nationality exits 2" 2
run "$TEARLINE" decide --clearance S --nationality USA --access SAR-BP "$T/c.txt"
expect_rc "an access the policy lacks exits 2" 2
run "$TEARLINE" decide --reader us-secret --format xml "$T/c.txt"
expect_rc "unknown format exits 2" 2
run "$TEARLINE" decide --policy tests/policies/cycle-group.yaml --reader x "$T/c.txt"
expect_rc "an invalid policy exits 2" 2
expect_err "an invalid policy is reported at its position" '^tests/policies/cycle-group.yaml:8:15: error: group cycle'

# A British reader cleared SECRET.
run "$TEARLINE" decide --reader gbr-secret "$T/c.txt"
expect_rc "decide exits 0" 0
expect_out "the reader and policy are named" '^reader gbr-secret \(SECRET, GBR\), policy us-cables \(builtin:us-cables.yaml\)$'
expect_out "the document is decided first" "c.txt: document SECRET//NOFORN \(banner line 1\): release \[cleared\]"
expect_out "NOFORN withholds from a foreign reader" 'c.txt:10: paragraph [0-9]+ \(S/NF\): withhold \[nationals-only\] NOFORN: for nationals of USA only; reader is GBR$'
expect_out "REL TO FVEY releases to GBR" 'c.txt:14: paragraph [0-9]+ \(S//REL TO USA, FVEY\): release \[cleared\]'
expect_out "foreign disclosure is explicit: (C) with no REL TO stays" 'c.txt:12: paragraph [0-9]+ \(C\): withhold \[foreign-disclosure\] CONFIDENTIAL with no REL TO: not released to a reader of nationality GBR$'
expect_out "the subject is a portion" 'c.txt:6: subject 1 \(C\): withhold \[foreign-disclosure\]'
expect_out "the unclassified portion goes abroad" 'c.txt:16: paragraph [0-9]+ \(U\): release'
expect_out "a summary per file" 'c.txt: 2 released, 3 withheld$'

# The same cable for others.
run "$TEARLINE" decide --reader us-confidential "$T/c.txt"
expect_out "clearance below the level withholds" 'c.txt:10: paragraph [0-9]+ \(S/NF\): withhold \[clearance\] portion is SECRET; reader is cleared CONFIDENTIAL$'
run "$TEARLINE" decide --clearance secret --nationality fra "$T/c.txt"
expect_out "an ad-hoc reader is decided" '^reader ad hoc \(SECRET, FRA\)'
expect_out "REL TO without the reader's country withholds" 'c.txt:14: paragraph [0-9]+ \(S//REL TO USA, FVEY\): withhold \[rel-to\]'
run "$TEARLINE" decide --reader public "$T/c.txt"
expect_out "the public gets the unclassified portion" 'c.txt:16: paragraph [0-9]+ \(U\): release'
expect_out "and nothing classified" 'c.txt: 1 released, 4 withheld$'

# JSON Lines.
run "$TEARLINE" decide --reader gbr-secret --format json "$T/c.txt"
expect_rc "json exits 0" 0
expect_true "json: every line valid, fields as documented" python3 -c '
import json,sys
recs=[json.loads(l) for l in open(sys.argv[1])]
assert recs[0]["type"]=="document" and recs[0]["marking"]=="SECRET//NOFORN" and recs[0]["line"]==1
p=[r for r in recs if r["type"]=="portion"]
assert len(p)==5 and len(recs)==6
for r in p:
    assert set(r)=={"type","file","line","portion","kind","marking","decision","rule","reason","exemption"}, r
one=[r for r in p if r["line"]==10][0]
assert one["marking"]=="S/NF" and one["decision"]=="withhold" and one["rule"]=="nationals-only" and one["exemption"]=="(b)(1)"
assert [r["decision"] for r in p].count("release")==2
' "$T/out"

# Standard input; several files, one missing.
run sh -c "\"\$0\" decide --reader us-secret - <'$T/c.txt'" "$TEARLINE"
expect_rc "standard input exits 0" 0
expect_out "standard input is named" '^<stdin>:10: paragraph'
run "$TEARLINE" decide --reader us-secret "$T/missing.txt" "$T/c.txt"
expect_rc "a missing file exits 2" 2
expect_out "the other files are still decided" 'c.txt: 5 released, 0 withheld$'

# No banner: the document is TOP SECRET//NOFORN; its unmarked text
# goes only to a national cleared for that.  Not withheld whole.
printf 'Just a paragraph of news, with no marking at all.\n' >"$T/news.txt"
run "$TEARLINE" decide --reader us-secret "$T/news.txt"
expect_rc "a document without a banner is decided portion by portion" 0
expect_out "the document line says there is no banner" 'document without a banner: release \[cleared\] no banner; portions decided one by one$'
expect_out "its unmarked text takes the highest level" 'news.txt:1: [a-z]+ 1 unmarked: withhold \[clearance\] unmarked, takes the document.s TOP SECRET \(banner not read\): portion is TOP SECRET; reader is cleared SECRET$'
run "$TEARLINE" decide --reader us-top-secret "$T/news.txt"
expect_rc "the highest clearance reads it portion by portion" 0
expect_out "an unmarked portion goes to the highest clearance" 'news.txt:1: [a-z]+ 1 unmarked: release \[cleared\]'
run "$TEARLINE" decide --clearance "TOP SECRET" --nationality GBR "$T/news.txt"
expect_out "but not abroad (NOFORN)" 'news.txt:1: [a-z]+ 1 unmarked: withhold \[nationals-only\]'
# Whole-document decisions: exit 1.
printf 'S E C R E T ROME 000002\n\nNODIS\n\n1. (S) First.\n' >"$T/nodis.txt"
run "$TEARLINE" decide --reader us-secret "$T/nodis.txt"
expect_rc "NODIS withholds the whole cable, exit 1" 1
expect_out "every portion says why" 'nodis.txt:5: paragraph 1 \(S\): withhold \[approval\] banner NODIS: reader lacks the originator.s approval NODIS$'
run "$TEARLINE" decide --reader us-top-secret "$T/nodis.txt"
expect_rc "with the approval, exit 0" 0

# Another policy: SCI compartments are all-of.
printf 'TOP SECRET//SI//NOFORN\n\n1. (TS//SI//NF) First.\n\n2. (TS//SI//TK//REL TO USA, AUS) Second.\n\n3. (TS//SI//REL TO USA, AUS) Third.\n' >"$T/sci.txt"
run "$TEARLINE" decide --policy policies/capco.yaml --reader aus-ts-si "$T/sci.txt"
expect_rc "capco decide exits 0" 0
expect_out "NOFORN withholds from the Australian" 'sci.txt:3: paragraph 1 \(TS//SI//NF\): withhold \[nationals-only\]'
expect_out "a missing compartment withholds" 'sci.txt:5: paragraph 2 \(TS//SI//TK//REL TO USA, AUS\): withhold \[access\] TK: reader lacks access TK$'
expect_out "every compartment held releases" 'sci.txt:7: paragraph 3 \(TS//SI//REL TO USA, AUS\): release'

# The seeds, when ../shared is beside the checkout.
seed=$SHARED/corpus/seeds/cable-london-2007-secret.txt
if [ -r "$seed" ]; then
	run "$TEARLINE" decide --reader gbr-secret --format json "$seed"
	expect_rc "seed: decided" 0
	expect_true "seed: NOFORN portions withheld from the British reader, (U) released" python3 -c '
import json,sys
p=[json.loads(l) for l in open(sys.argv[1])][1:]
nf=[r for r in p if r["marking"] and r["marking"].endswith("/NF")]
assert nf and all(r["rule"]=="nationals-only" for r in nf)
assert any(r["marking"]=="U" and r["decision"]=="release" for r in p)
assert all(r["decision"]=="withhold" for r in p if r["marking"] is None)
' "$T/out"
else
	skip "t_decide: $seed absent"
fi

# capco's readers for the register's wider controls: a SAR program, a NATO
# ally outside FVEY, a FVEY partner with no SCI access.
printf 'SECRET//SAR-BP//NOFORN\n\n(S//SAR-BP//NF) Program text.\n\n(S//REL TO USA, NATO) Alliance text.\n\n(TS//REL TO USA, FVEY) Partner text.\n' >"$T/sar.txt"
run "$TEARLINE" decide --policy policies/capco.yaml --reader us-secret-sar "$T/sar.txt"
expect_out "capco us-secret-sar reads the SAR-BP paragraph" ':3: paragraph 1 \(S//SAR-BP//NF\): release'
run "$TEARLINE" decide --policy policies/capco.yaml --reader us-secret "$T/sar.txt"
expect_out "capco us-secret lacks SAR-BP" ':3: paragraph 1 \(S//SAR-BP//NF\): withhold \[access\]'
run "$TEARLINE" decide --policy policies/capco.yaml --reader deu-secret "$T/sar.txt"
expect_out "capco deu-secret reads REL TO NATO" ':5: paragraph 2 \(S//REL TO USA, NATO\): release'
expect_out "capco deu-secret does not read REL TO FVEY" ':7: paragraph 3 .*withhold'
run "$TEARLINE" decide --policy policies/capco.yaml --reader can-top-secret "$T/sar.txt"
expect_out "capco can-top-secret reads REL TO FVEY" ':7: paragraph 3 \(TS//REL TO USA, FVEY\): release'
expect_out "capco can-top-secret never reads NOFORN" ':3: paragraph 1 .*withhold'

# nato: NATO nations pass a NATO marking's RELEASABLE TO, not a US REL TO
# list that does not name them (implicit-with), nor uncaveated US text.
printf 'NATO SECRET\n\n(NS) Alliance text.\n\n(NS//REL TO AUS) Partner text.\n' >"$T/nato.txt"
printf 'SECRET//REL TO USA, FVEY\n\n(S//REL TO USA, FVEY) Partner text.\n\n(S) Uncaveated text.\n' >"$T/usrel.txt"
run "$TEARLINE" decide --policy policies/nato.yaml --reader nato-secret "$T/nato.txt"
expect_out "nato: a NATO nation reads NATO SECRET REL TO AUS" ':5: paragraph 2 \(NS//REL TO AUS\): release'
run "$TEARLINE" decide --policy policies/nato.yaml --reader nato-secret "$T/usrel.txt"
expect_out "nato: a US REL TO USA, FVEY does not reach DEU" ':3: paragraph 1 .*withhold \[rel-to\]'
expect_out "nato: uncaveated US SECRET does not reach DEU" ':5: paragraph 2 .*withhold \[foreign-disclosure\]'
run "$TEARLINE" decide --policy policies/nato.yaml --reader aus-secret "$T/usrel.txt"
expect_out "nato: REL TO FVEY reaches AUS" ':3: paragraph 1 .*release'
sed 's/^    implicit-with: NATO$/    implicit-with: NOSUCH/' policies/nato.yaml >"$T/badnato.yaml"
run "$TEARLINE" policy check "$T/badnato.yaml"
expect_rc "implicit-with naming an undefined control is refused" 2
expect_err "implicit-with: the undefined control is named" "undefined control 'NOSUCH'"

# The body forms of real cables (corpus/cable-sanaa-2009-secret.txt): no
# SECRET word reaches a CONFIDENTIAL reader, and what it may read it gets.
run "$TEARLINE" redact --reader us-confidential corpus/cable-sanaa-2009-secret.txt
expect_no_out "sanaa: the (c) line stays in its S/NF paragraph" 'smugglers know the patrol'
expect_no_out "sanaa: the (DHS) line stays in its (S) paragraph" 'survey the three berths'
expect_no_out "sanaa: 1) (S/NF) is its own portion, not the (U) heading's" 'KEEP AT SEA'
expect_no_out "sanaa: the heading after END SUMMARY is not the (C) paragraph's" 'Harbour Patrols Resume'
expect_out "sanaa: the (C) summary is released" 'listened to our three requests'
expect_out "sanaa: 2) (U) is released" 'WHEN WILL THE NEW BERTHS OPEN'
expect_out "sanaa: 13 (U) is released" 'CODEL Example will visit'
run "$TEARLINE" parse --format text corpus/cable-sanaa-2009-secret.txt
expect_err "sanaa: the (c) line is warned about" ':29:1: warning: .*\[mark-in-running-text\]'

# uk-gsc: a list that starts with USA is the United States' own: GBR, the
# policy's implicit nationality, passes it only where it is named.
printf 'UK SECRET\n\n(S//REL TO USA, SWE) Swedish text.\n\n(S) UK text.\n\n(S//REL TO USA, GBR) Shared.\n' >"$T/uk.txt"
run "$TEARLINE" decide --policy policies/uk-gsc.yaml --reader gbr-secret "$T/uk.txt"
expect_out "uk-gsc: REL TO USA, SWE does not reach GBR" ':3: paragraph 1 .*withhold \[rel-to\]'
expect_out "uk-gsc: a UK (S) reaches GBR" ':5: paragraph 2 .*release'
expect_out "uk-gsc: REL TO USA, GBR reaches GBR" ':7: paragraph 3 .*release'
printf 'TOP SECRET//SI//NOFORN\n\n(S//REL) Bare.\n' >"$T/bare.txt"
run "$TEARLINE" decide --policy policies/uk-gsc.yaml --reader gbr-secret "$T/bare.txt"
expect_out "uk-gsc: a bare REL under a NOFORN banner does not reach GBR" ':3: paragraph 1 .*withhold \[rel-to\]'
run "$TEARLINE" decide --policy policies/capco.yaml --reader us-secret "$T/bare.txt"
expect_out "capco: the same bare REL reaches a US reader" ':3: paragraph 1 .*release'

# Marks at the end of a line, agenda rows and marks broken by <br>
# (corpus/memo-procedures-2012-secret.md, a SECRET//SI//NOFORN document).
M=corpus/memo-procedures-2012-secret.md
run "$TEARLINE" decide --policy policies/capco.yaml --reader us-secret "$M"
expect_out "trailing: a heading marked at its end is its own (U) portion" ':7: text 3 \(U\): release'
expect_out "trailing: the line after it is a portion of its own" ':8: text 4 \(U\): release'
expect_out "trailing: (c) after (b) is an item, its (S//SI) at the end decides" ':13: item 8 \(S//SI\): withhold \[access\]'
expect_out "trailing: a (C) line after a page banner is its own portion" ':16: item 9 \(C\): release'
expect_out "agenda: the time is the row's label, the mark its mark" ':22: paragraph 14 \(U\): release'
expect_out "agenda: an SI row is withheld from a reader without SI" ':23: paragraph 15 \(S//SI//REL TO USA, GBR\): withhold'
expect_out "a mark broken by <br> is read whole" ':28: paragraph 19 \(C//REL TO USA, GBR\): release'
expect_out "agenda line: 1030-1100 (S//REL) is a portion" ':31: paragraph 21 \(S//REL\): release'
run "$TEARLINE" parse --format text "$M"
expect_err "trailing: warned about" ':7:31: warning: .*\[mark-trailing\]'
run "$TEARLINE" redact --policy policies/capco.yaml --reader us-secret "$M"
expect_no_out "trailing: no SI text reaches us-secret" 'Restricted source|northern array|Northern array'
expect_out "trailing: (U) text is kept" 'tide gauge readings'
run "$TEARLINE" decide --policy policies/uk-gsc.yaml --reader gbr-secret "$M"
expect_out "uk-gsc: a (C) of an American NOFORN document does not reach GBR" ':16: item 9 \(C\): withhold \[foreign-disclosure\]'
expect_out "uk-gsc: a REL TO naming GBR does" ':28: paragraph 19 \(C//REL TO USA, GBR\): release'
expect_out "uk-gsc: a bare REL does not" ':31: paragraph 21 \(S//REL\): withhold'
# A (U//FOUO) and a (S//REL) buried in one paragraph: the REL list is the
# classified mark's, never dropped by the unclassified one.
printf 'SECRET\n\n(U//FOUO) Welcome by the host, then lunch (U//FOUO) and the\ntalks (S//REL) in room 2B.\n' >"$T/agenda.txt"
run "$TEARLINE" decide --policy policies/uk-gsc.yaml --reader gbr-secret "$T/agenda.txt"
expect_out "buried: S//REL rolled in after a (U//FOUO) is not released to GBR" ':3: paragraph 1 \(U//FOUO\): withhold \[rel-to\]'

# Page scopes (corpus/briefing-tides-2011-topsecret.md): US pages under
# TOP SECRET//SI//REL TO USA, FVEY, then two pages of a partner's under
# UK TOP SECRET STRAP1.  Unmarked text takes its pages' banner.
B=corpus/briefing-tides-2011-topsecret.md
run "$TEARLINE" decide --policy policies/capco.yaml --reader aus-ts-si "$B"
expect_out "scopes: a US page reaches an FVEY reader with SI" ':15: text 6 unmarked: release \[cleared\] unmarked: takes the TOP SECRET of its pages \(lines 1-24\)'
expect_out "scopes: a STRAP1 page does not" ':40: text 13 unmarked: withhold \[access\] .*STRAP1'
expect_out "scopes: text between the last US and the first UK banner takes both" ':33: text 11 unmarked: withhold \[access\] .*lines 25-35'
run "$TEARLINE" redact --policy policies/capco.yaml --reader aus-ts-si "$B"
expect_out "scopes: the copy keeps the US pages" 'northern array'
expect_no_out "scopes: no STRAP1 page text in the copy" 'partner gauges|Calibration|lifeboat'
run "$TEARLINE" parse "$B"
expect_out "scopes: parse shows them" '"scopes":\[\{"line":1,"level":"TOP SECRET"'
# A second banner while the header zone is still open raises the
# document (it was dropped: its STRAP1 text reached an FVEY reader).
printf 'TOP SECRET//SI//REL TO USA, FVEY\n\nSome text here\n\nUK TOP SECRET STRAP1\n\nPositions of the partner gauges\n' >"$T/strap.md"
run "$TEARLINE" decide --policy policies/capco.yaml --reader aus-ts-si "$T/strap.md"
expect_out "a second banner in the header withholds its STRAP1 text" ':7: heading 2 unmarked: withhold \[access\] .*STRAP1'
expect_no_out "nothing of that document is released" ': release \[cleared\] unmarked'

# Tables that state their marking (corpus/budget-survey-2013-topsecret.md):
# "| This Exhibit is SECRET//NOFORN |" heads a table whose rows take it,
# in a document raised to TOP SECRET by a (TS//SI//NF) paragraph.
E=corpus/budget-survey-2013-topsecret.md
run "$TEARLINE" decide --policy policies/capco.yaml --reader us-secret "$E"
expect_out "exhibit: a row takes its table's SECRET" ':6: heading 4 unmarked: release \[cleared\] unmarked: takes the SECRET of its table \(lines 3-8\)'
expect_out "exhibit: the statement after a caption counts too" ':20: heading 12 unmarked: release .*of its table \(lines 18-21\)'
expect_out "exhibit: text after the table takes the document's TOP SECRET" ':16: heading 10 unmarked: withhold \[clearance\] unmarked, takes the document'"'"'s TOP SECRET'
run "$TEARLINE" decide --policy policies/capco.yaml --reader gbr-secret "$E"
expect_out "exhibit: NOFORN keeps the table from a foreign reader" ':6: heading 4 unmarked: withhold'

# The originator's own nationals are no foreign readers: a UK EYES ONLY
# cable's (SECRET) and unmarked text reach a British reader; an American
# NOFORN document's (S) reaches an American reader of uk-gsc, not a
# British one.
run "$TEARLINE" decide --reader gbr-secret corpus/cable-ankara-2016-secret.txt
expect_out "origin: a UK EYES ONLY document's SECRET reaches GBR" ':26: paragraph 6 \(SECRET\): release'
expect_out "origin: and its unmarked text" ':12: heading 2 unmarked: release'
printf 'SECRET//NOFORN\n\n(S) The talks went on.\n\nThe delegates left.\n' >"$T/nf.txt"
run "$TEARLINE" decide --policy policies/uk-gsc.yaml --reader usa-secret "$T/nf.txt"
expect_out "origin: a NOFORN document's (S) reaches a US reader of uk-gsc" ':3: paragraph 1 \(S\): release'
run "$TEARLINE" decide --policy policies/uk-gsc.yaml --reader gbr-secret "$T/nf.txt"
expect_out "origin: not a British one" ':3: paragraph 1 \(S\): withhold'

# The placeholder of an item marked at its end keeps a space after its
# label: "(c) (S//SI) [portion 8 withheld...".
run "$TEARLINE" redact --policy policies/capco.yaml --reader us-secret corpus/memo-procedures-2012-secret.md
expect_out "placeholder: a space after an item's label" '^\(c\) \(S//SI\) \[portion 8 withheld'

# A classification guide (corpus/guide-harborlight-2010-secret.md): each
# table cell that starts with a mark is a portion of its own, and a REL TO
# list with a country code no table knows ("CBR") is decided by the
# countries it names; the code itself admits nobody.
G=corpus/guide-harborlight-2010-secret.md
run "$TEARLINE" decide --policy policies/capco.yaml --clearance SECRET --nationality DEU --access SI "$G"
expect_out "cells: the row's (U) fact is decided alone" ':12: paragraph 7 \(U\): release'
expect_out "cells: its (C//REL) remark is a portion of its own" ':12: text 8 \(C//REL\): withhold \[rel-to\]'
expect_out "cells: a remark after <br> too" ':14: text 13 \(S//SI//REL TO USA, FVEY\): withhold \[rel-to\]'
expect_out "cells: a cell of only a mark raises its row" ':15: paragraph 14 \(C//REL\): withhold'
expect_out "unknown country code: DEU is named, released" ':13: paragraph 9 \(S//REL TO USA, AUS, CAN, DEU, CBR, NZL\): release'
run "$TEARLINE" decide --policy policies/capco.yaml --clearance SECRET --nationality CBR --access SI "$G"
expect_out "unknown country code: it admits nobody, not its own code" ':13: paragraph 9 .*: withhold \[rel-to\]'
run "$TEARLINE" parse "$G"
expect_out "unknown country code: parse names it" 'country code \\"CBR\\" in the REL TO list is not known'
run "$TEARLINE" redact --policy policies/capco.yaml --reader public "$G"
expect_out "cells: a withheld cell's placeholder stands on its row" '^\| 2\. \(S//REL TO USA, AUS, CAN, DEU, CBR, NZL\) \[portion 9 withheld.*\] \| \(U\) The covername alone is UNCLASSIFIED\. \|$'

# A plain banner ("SECRET") names no nation: the policy says whose levels
# are written so (handling.unprefixed-origin).  NATO's own are always
# "NATO ...", so nato.yaml reads a plain SECRET as American; a UK office
# (uk-gsc.yaml) as British.  "UK SECRET" is British in every policy.
printf 'SECRET\n\n1. (S) The talks went on.\n\n2. The delegates left the hall at noon.\n' >"$T/plain.txt"
run "$TEARLINE" decide --policy policies/nato.yaml --reader usa-secret "$T/plain.txt"
expect_out "unprefixed: nato reads a plain SECRET as American" ':3: paragraph 1 \(S\): release'
expect_out "unprefixed: and its unmarked text" ':5: paragraph 2 unmarked: release'
run "$TEARLINE" decide --policy policies/nato.yaml --reader nato-secret "$T/plain.txt"
expect_out "unprefixed: not to other NATO nations without a REL TO" ':3: paragraph 1 \(S\): withhold \[foreign-disclosure\]'
run "$TEARLINE" decide --policy policies/uk-gsc.yaml --reader usa-secret "$T/plain.txt"
expect_out "unprefixed: uk-gsc reads it as British" ':3: paragraph 1 \(S\): withhold \[foreign-disclosure\]'
run "$TEARLINE" decide --policy policies/uk-gsc.yaml --reader gbr-secret "$T/plain.txt"
expect_out "unprefixed: its own nationals read it" ':3: paragraph 1 \(S\): release'
sed 's/^SECRET$/UK SECRET/' "$T/plain.txt" >"$T/uks.txt"
run "$TEARLINE" decide --policy policies/capco.yaml --reader gbr-secret "$T/uks.txt"
expect_out "unprefixed: a UK SECRET document's (S) reaches GBR under capco" ':3: paragraph 1 \(S\): release'
run "$TEARLINE" decide --policy policies/capco.yaml --reader gbr-secret "$T/plain.txt"
expect_out "unprefixed: a plain SECRET one's does not" ':3: paragraph 1 \(S\): withhold \[foreign-disclosure\]'
