# t_parse.sh: `tearline parse` from the command line.
. tests/cli/lib.sh

run "$TEARLINE" --version
expect_rc "version exits 0" 0
expect_out "version prints the version" '^tearline [0-9]+\.[0-9]+\.[0-9]+$'

run "$TEARLINE" --help
expect_rc "help exits 0" 0
expect_out "help lists parse" '^  parse '

run "$TEARLINE" help parse
expect_out "help parse shows usage" '^usage: tearline parse'

run "$TEARLINE" parse --help
expect_out "parse --help shows usage" '^usage: tearline parse'

run "$TEARLINE" frobnicate
expect_rc "unknown command exits 2" 2
expect_err "unknown command is named" "unknown command 'frobnicate'"

run "$TEARLINE" parse
expect_rc "parse without files exits 2" 2

run "$TEARLINE" parse --format xml x
expect_rc "unknown format exits 2" 2

printf 'S E C R E T ROME 000001\n\nNOFORN\n\nE.O. 12958: DECL: 01/02/2030\nSUBJECT: (C) TALKS\n\nClassified By: DCM A. Person, reasons 1.4 (b,d)\n\n1. (S/NF) First.\n\n2. (C) Second.\n' >"$T/c.txt"
run "$TEARLINE" parse "$T/c.txt"
expect_rc "parse a clean cable exits 0" 0
expect_true "json output is one valid JSON line" python3 -c '
import json,sys
lines=open(sys.argv[1]).read().splitlines()
assert len(lines)==1
d=json.loads(lines[0])
assert d["banner"]["level"]=="SECRET" and d["banner"]["controls"]==["NOFORN"] and d["banner"]["line"]==1
assert d["declassify"]["date"]=="2030-01-02" and d["declassify"]["line"]==5
assert d["authority"]["classified_by"]=="DCM A. Person" and d["authority"]["reasons"]==["1.4(b)","1.4(d)"]
p=d["portions"]
assert [x["kind"] for x in p]==["subject","paragraph","paragraph"]
assert p[1]["marking"]=="S/NF" and p[1]["level"]=="SECRET" and p[1]["controls"]==["NOFORN"]
assert p[1]["line"]==10 and p[1]["column"]==1 and p[1]["end_line"]==10
assert d["diagnostics"]==[]
' "$T/out"

run "$TEARLINE" parse - <"$T/c.txt"
expect_rc "parse reads standard input" 0
expect_out "stdin is named <stdin>" '"file":"<stdin>"'

run "$TEARLINE" parse "$T/c.txt" "$T/c.txt"
expect_true "two files give two JSON lines" test "$(wc -l <"$T/out")" -eq 2

printf 'SECRET\n\n1. (SNF) Bad mark.\n' >"$T/bad.txt"
run "$TEARLINE" parse "$T/bad.txt"
expect_rc "a malformed mark exits 1" 1
expect_out "the diagnostic is in the JSON" '"rule":"mark-malformed"'
run "$TEARLINE" parse --format text "$T/bad.txt"
expect_rc "text format: malformed mark exits 1" 1
expect_err "text format: diagnostic file:line:col" "bad.txt:3:4: error: .*\[mark-malformed\]"

run "$TEARLINE" parse "$T/missing.txt"
expect_rc "a missing file exits 2" 2
expect_err "a missing file is named" "missing.txt: error: No such file or directory"

run "$TEARLINE" parse "$T"
expect_rc "a directory exits 2" 2
expect_err "a directory is named" "error: Is a directory"
expect_true "a failed file writes no JSON" test ! -s "$T/out"

: >"$T/empty.txt"
run "$TEARLINE" parse "$T/empty.txt"
expect_rc "an empty file parses" 0
expect_out "an empty file warns" '"rule":"input-empty"'

head -c 200000 /dev/urandom >"$T/junk.bin"
run "$TEARLINE" parse "$T/junk.bin"
expect_true "binary junk: exit 0 or 1, never a crash" test "$rc" -le 1
expect_true "binary junk: output is valid JSON" python3 -c 'import json,sys; json.loads(open(sys.argv[1]).read())' "$T/out"

if [ -d "$SHARED/corpus/seeds" ]; then
	run "$TEARLINE" parse "$SHARED/corpus/seeds/cable-london-2007-secret.txt"
	expect_true "seed 2007: 9 marked paragraphs, SECRET//NOFORN banner" python3 -c '
import json,sys
d=json.loads(open(sys.argv[1]).read())
assert d["marked_count"]==9, d["marked_count"]
assert d["banner"]["level"]=="SECRET" and "NOFORN" in d["banner"]["controls"]
' "$T/out"
else
	skip "seeds absent: $SHARED/corpus/seeds"
fi

# --register FILE: an office's marking words, without a rebuild.
printf 'CUI\n\n(CUI//SP-PRVCY) A name and a date of birth.\n\n(U) Public text.\n' >"$T/cui.txt"
run "$TEARLINE" parse "$T/cui.txt"
expect_rc "CUI without its register: a mark that cannot be read (exit 1)" 1
run "$TEARLINE" --register register/cui.reg parse "$T/cui.txt"
expect_rc "--register register/cui.reg: CUI is read (exit 0)" 0
expect_true "--register: the CUI banner and mark are read" python3 -c '
import json,sys
d=json.loads(open(sys.argv[1]).read())
assert d["banner"]["level"]=="UNCLASSIFIED" and "CUI" in d["banner"]["controls"], d["banner"]
assert d["error_count"]==0, d["error_count"]
' "$T/out"
run "$TEARLINE" --register="$T/no-such.reg" parse "$T/cui.txt"
expect_rc "--register of a missing file exits 2" 2
expect_err "--register: the missing file is named" 'no-such.reg'
printf 'bogus line here\n' >"$T/bad.reg"
run "$TEARLINE" --register "$T/bad.reg" parse "$T/cui.txt"
expect_rc "--register of a bad file exits 2" 2
expect_err "--register: file:line of the bad entry" 'bad.reg:1: error'
run "$TEARLINE" --register
expect_rc "--register with no FILE exits 2" 2

# HTML input (corpus/memo-lighthouse-2011-secret.html): read as its text,
# with a note; the JSON says so; a comment's mark is no mark.
run "$TEARLINE" parse --format json corpus/memo-lighthouse-2011-secret.html
expect_rc "html: parses clean" 0
expect_out "html: the JSON says the input was HTML" '"html":true'
expect_out "html: the note names the reading" 'input-html'
expect_no_out "html: a comment's mark is not read" 'TS//SI//NF'
expect_out "html: the banner in a div is read" '"banner":\{"level":"SECRET"'
run "$TEARLINE" parse --format json corpus/memo-procedures-2012-secret.md
expect_out "html: a markdown file is not HTML" '"html":false'

# A STANAG 4774 label beside a document (corpus/note-panel-2015-nato.*):
# its marking is the overall marking where the text has no banner.
N=corpus/note-panel-2015-nato.md
L=corpus/note-panel-2015-nato.label.xml
run "$TEARLINE" --label "$L" parse "$N"
expect_rc "label: parse exits 0" 0
expect_out "label: the JSON shows the label's marking" '"label":\{"level":"SECRET","controls":\["NATO","REL TO [A-Z, ]*FIN, SWE"\]\}'
run "$TEARLINE" parse "$N"
expect_out "label: none without --label" '"label":null'
run "$TEARLINE" --label "$L" decide --policy policies/nato.yaml --reader nato-secret "$N"
expect_out "label: the document is decided at the label" 'document without a banner: release \[cleared\] label NATO SECRET read'
expect_out "label: unmarked text takes it" ':3: text 2 unmarked: release \[cleared\] unmarked: takes the document.s NATO SECRET'
run "$TEARLINE" decide --policy policies/nato.yaml --reader nato-secret "$N"
expect_out "label: without it the text is TOP SECRET" ':3: text 2 unmarked: withhold \[clearance\] unmarked, takes the document.s COSMIC TOP SECRET \(banner not read\)'
run "$TEARLINE" --label "$L" decide --policy policies/nato.yaml --reader aus-secret "$N"
expect_out "label: a partner outside NATO is refused" ':3: text 2 unmarked: withhold \[nationals-only\]'
run "$TEARLINE" --label "$L" decide --policy policies/nato.yaml --reader nato-secret "$N" corpus/news-2008-unmarked.txt
expect_rc "label: a second document is an error" 2
expect_err "label: the error names both" "news-2008-unmarked.txt: error: the label .*note-panel-2015-nato.label.xml is .*note-panel-2015-nato.md's overall marking: give --label with one document"
run "$TEARLINE" --label "$L" --label "$L" parse "$N"
expect_rc "label: given twice exits 2" 2
printf '<?xml version="1.0"?>\n<label><Classification>SECRET</Classification></label>\n' >"$T/notlabel.xml"
run "$TEARLINE" --label "$T/notlabel.xml" parse "$N"
expect_rc "label: another XML file exits 2" 2
expect_err "label: file:line:col of the root" 'notlabel.xml:2:2: error: not a STANAG 4774 confidentiality label: the root element is <label> \[label-syntax\]'
sed 's/urn:nato:stanag:4774:confidentialitymetadatalabel:1:0/urn:example/' "$L" >"$T/nons.xml"
run "$TEARLINE" --label "$T/nons.xml" parse "$N"
expect_err "label: the namespace is checked" 'does not declare the STANAG 4774 namespace'
printf '<!DOCTYPE x [<!ENTITY a "b">]>\n<slab:ConfidentialityLabel xmlns:slab="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"/>\n' >"$T/doctype.xml"
run "$TEARLINE" --label "$T/doctype.xml" parse "$N"
expect_err "label: a DOCTYPE is refused" 'doctype.xml:1:1: error: a DOCTYPE or CDATA section is not read in a label'
sed 's/<slab:Classification>SECRET</<slab:Classification>VERY SECRET</' "$L" >"$T/badlevel.xml"
run "$TEARLINE" --label "$T/badlevel.xml" parse "$N"
expect_err "label: a classification the register cannot read" 'badlevel.xml: error: the label.s marking "NATO VERY SECRET.*" cannot be read'
sed 's/Type="PERMISSIVE"/Type="LOOSE"/' "$L" >"$T/badtype.xml"
run "$TEARLINE" --label "$T/badtype.xml" parse "$N"
expect_err "label: a Category's Type is checked" 'badtype.xml:7:6: error: <Category> of Type "LOOSE"'
run "$TEARLINE" --label "$T/absent.xml" parse "$N"
expect_rc "label: a missing file exits 2" 2
expect_err "label: the missing file is named" 'absent.xml: error: No such file'
