"""realcheck_modern: the oracle's reading of a modern marked document
(CAPCO, UK, NATO; markdown converted from PDF, or OCR text) and the modern
measures (overall marking, portion marks, leaks, lines kept).

The reading is the oracle's own:

Lines.  A line is a piece of at least 20 characters after splitting the
  text at newlines and at HTML line ends (<br>, <br/>, </p>).  Marks are
  read before the split, with those tags taken as spaces, because a mark
  can straddle one: (S//REL TO USA, <br> FVEY).  A mark belongs to the
  piece where it opens.

Portion marks.  Anywhere in a line: a parenthesised text that
  realcheck_marks.read_mark reads as a mark (a level, then controls the
  oracle knows; one recognised control or the CAPCO double slash is enough
  to tell a mark with an OCR-damaged token, (S//S1//REL ...), from an
  acronym).  Lower-case single letters ((a), (c)) are list labels, never
  marks; (A) (B) (C) in sequence are labels too.

Overall marking.  The highest level among banner lines: a line (markdown
  heading signs, emphasis and surrounding spaces removed) that starts with a
  level and continues with CAPCO controls (TOP SECRET//SI//REL TO USA,
  FVEY; UNCLASSIFIED//FOR OFFICIAL USE ONLY followed by a title), UK
  caveats (UK TOP SECRET STRAP1), or nothing but OCR debris (SECRET .°,
  TOP. SECRET, S E C R E T), plus "Overall Classification:", "This Exhibit
  is ...", "Classification: ..." statements.  Table rows are not banners
  (classification guides describe other information in their cells) except
  for those statements.  Among the banners at the highest level the most
  frequent form gives the controls.  A document without a readable banner
  counts as TOP SECRET//NOFORN with every SCI control its marks show.  A
  banner with UK or STRAP makes the document British (its nationals pass
  REL TO); otherwise it is American.

Permission: realcheck_marks.may_read with explicit foreign disclosure (a
  classified portion goes to a non-US reader only with a REL TO naming the
  reader's country; a bare REL takes the overall marking's list).  A line
  is readable when every mark governing it is: its own marks, or, for a
  piece without marks after a <br> on a line that has a mark before it
  (a table cell or heading broken for layout), that mark; words before a
  piece's first mark ("| N/A | (U) remark") are governed by the mark
  before them on the line too.  Other lines are read at the overall
  marking and, where the banners differ from page to page, at the nearest
  banner above and below as well (Doc._pages).

Measures.  A line is kept when a piece of the copy has the same content (a
  leading banner removed on both sides, since tearline recomputes banners).
  A leak is a line governed by a mark the reader may not read, holding text
  beyond marks and numbers, whose content, or the text after that mark, is
  in the copy more often than the source has it in lines the reader may
  read.  Banner-only lines are not lines.
"""

import os
import re
from collections import Counter

import realcheck_marks as rm
import realcheck_text as rt

MIN_LINE = 20
_MARKING_WORDS = {"SECRET", "CONFIDENTIAL", "UNCLASSIFIED", "COMINT", "NOFORN",
                  "TALENT", "KEYHOLE", "OFFICIAL", "ONLY", "ORCON", "RELIDO"}
_HTML_BREAK = re.compile(r"<br\s*/?>|</p>", re.I)
_PAREN = re.compile(r"\(\s*([^()\n]{1,160}?)\s*\)")
_UNCLOSED = re.compile(r"^[\s#*>-]*\(\s*((?:U|C|S|TS)\s*//?\s*[A-Z][A-Z/ ,-]*?)\s*$")

# --- banners --------------------------------------------------------------------

_LEVEL_START = re.compile(
    r"^(?:UK\s+|NATO\s+|COSMIC\s+)?(?:TOP\.?\s*SECRET|T O P S E C R E T|SECRET|"
    r"S E C R E T|CONFIDENTIAL|C O N F I D E N T I A L|UNCLASSIFIED|"
    r"OFFICIAL(?:[- ]SENSITIVE)?|RESTRICTED)\b")
_STATEMENT = re.compile(
    r"(?:Overall\s+Classification|This\s+Exhibit\s+is|\bClassification)\s*:?\s*"
    r"(?P<b>(?-i:(?:UK\s+|NATO\s+)?(?:TOP\s+SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED)"
    r"[A-Z0-9 /,-]*))", re.I)
_SEP = re.compile(r"\s*/{1,2}\s*")
_SPACE = re.compile(r"\s+")
_UK_CAVEAT = re.compile(r"(STRAP\s*[123I]|UK EYES ONLY|COMINT)\b")
_DATE8 = re.compile(r"\d{8}\b")
_TOKENS = sorted((t for t in rm.TOKEN if len(t) > 1), key=len, reverse=True)
_REL_LIST = re.compile(r"REL(?:EASABLE)?\s+TO\s+[A-Z]{2,4}(?:\s*,\s*(?:AND\s+)?[A-Z]{2,4})*")


def _banner_prefix(s):
    """(banner, rest, separated): the banner at the start of s (upper-case,
    markdown removed), what follows it, and whether controls followed the
    level; (None, s, False) when s does not start with a level."""
    mo = _LEVEL_START.match(s)
    if not mo:
        return None, s, False
    pos = mo.end()
    seen_sep = False
    while True:
        m2 = _SEP.match(s, pos)
        if m2 and m2.end() > pos:
            seen_sep = True
            pos = m2.end()
        else:
            m3 = _SPACE.match(s, pos)
            p2 = m3.end() if m3 else pos
            # UK caveats follow a space: STRAP1, UK EYES ONLY, COMINT.
            m4 = _UK_CAVEAT.match(s, p2)
            if m4:
                pos = m4.end()
                seen_sep = True
                continue
            break
        m5 = _REL_LIST.match(s, pos)
        if m5:
            pos = m5.end()
            continue
        m6 = _DATE8.match(s, pos)
        if m6:
            pos = m6.end()
            continue
        for tok in _TOKENS:
            if s.startswith(tok, pos) and (pos + len(tok) == len(s) or
                                           not s[pos + len(tok)].isalnum()):
                pos += len(tok)
                break
        else:
            m7 = _UK_CAVEAT.match(s, pos)
            if m7:
                pos = m7.end()
                continue
            break
    return s[:pos].rstrip(" /"), s[pos:], seen_sep


def banner_of(piece_text, in_table=False):
    """A banner Mark read from one piece, or None.  In a table row (the
    source line starts with "|", whatever piece of it this is) only an
    explicit statement ("This Exhibit is SECRET//NOFORN") counts."""
    raw = piece_text.strip()
    if in_table or raw.startswith("|"):
        mo = _STATEMENT.search(raw)
        return rm.capco_banner(mo.group("b")) if mo else None
    s = re.sub(r"^[#>*\s]+", "", raw)
    s = re.sub(r"[*_]{2}", "", s).strip()
    mo = _STATEMENT.search(s)
    if mo and not _LEVEL_START.match(s.upper()):
        return rm.capco_banner(mo.group("b"))
    up = s.upper()
    res = _banner_prefix(up)
    if res[0] is None:
        return None
    banner, rest, sep = res
    rest = rest.strip()
    if sep:
        return rm.capco_banner(banner)
    # A bare level: the line must hold nothing else but OCR debris or a
    # stamp's DOCUMENT.
    rest = re.sub(r"\bDOCUMENT\b", "", rest)
    if len(re.sub(r"[\W_]", "", rest)) <= 1:
        return rm.capco_banner(banner)
    return None


def strip_banner(text):
    """The piece without a leading banner (used to compare content when
    tearline recomputes the banner of a line that also holds a portion)."""
    s = re.sub(r"^[#>*\s]+", "", text)
    res = _banner_prefix(s.upper())
    if res[0] is None or not (res[2] or not res[1].strip()):
        return text
    return s[len(res[0]):]


# --- the reading ----------------------------------------------------------------

def norm(text):
    """Whitespace-collapsed text with HTML line ends as spaces."""
    return re.sub(r"\s+", " ", _HTML_BREAK.sub(" ", text)).strip()


class Piece:
    """One line in the sense of the measures.

    line     1-based source line
    text     the piece as written (HTML breaks removed at its ends)
    content  normalised text without a leading banner; compared with copies
    marks    [(column, Mark)] opening in this piece
    banner   Mark when the piece is (or starts with) a banner
    """

    __slots__ = ("line", "text", "content", "marks", "banner", "segs", "inherited",
                 "lead_text", "pages")

    def __init__(self, line, text):
        self.line = line
        self.text = text
        self.content = norm(strip_banner(text))
        self.marks = []
        self.banner = None
        self.segs = []     # [(Mark, text after it up to the next mark)]
        # A piece without marks after a <br> in a line that has a mark before
        # it: the text of that mark, broken for layout (a table cell, a
        # wrapped heading).  It is governed by the last mark before it.
        self.inherited = None
        # Words before the piece's first mark ("| UNCLASSIFIED | N/A | (U)
        # remark"): they belong to the mark before them on the line.
        self.lead_text = False
        # The page banners of an unmarked piece when the document's banners
        # change from page to page (Doc._pages).
        self.pages = []

    def governing(self):
        """The marks that govern the piece: its own (and, for words before
        the first of them, the mark before it on the line), else the
        inherited one."""
        if self.marks:
            own = [m for _, m in self.marks]
            if self.lead_text and self.inherited is not None:
                own.append(self.inherited)
            return own
        return [self.inherited] if self.inherited is not None else []

    def has_text(self):
        """Whether the piece holds text beyond marks, numbers and markup: a
        line such as "| 3.10. (TS//SI//NF)" releases nothing but a marking."""
        bare = _PAREN.sub(" ", re.sub(r"\$[^$]*\$", " ", self.content))
        for w in re.findall(r"[A-Za-z]{3,}", bare):
            if w.isupper() and (len(w) <= 4 or w in _MARKING_WORDS):
                continue          # country codes, REL, a banner's words
            if w.lower() in ("years", "minimum", "least", "remarks"):
                continue          # a classification guide's value cells
            return True
        return False

    def is_line(self):
        """At least 20 characters of content once any banner is removed."""
        return len(self.content) >= MIN_LINE


class Doc:
    """The oracle's reading of one modern document (module comment)."""

    def __init__(self, path, text):
        self.path = path
        self.name = os.path.basename(path)
        self.lines = text.split("\n")
        self.pieces = []
        self.marks = []          # [(line, col, Mark)]
        self.banners = []        # [(line, Mark)]
        self.overall = None
        self.overall_from_banner = False
        # The nation the banners show: GBR for UK or STRAP, USA for NOFORN
        # or a REL TO list that starts with USA; None when they show none
        # (a plain "SECRET"), and then the policy's convention decides
        # (context).
        self.origin = None
        self._read()

    def _read(self):
        for i, raw in enumerate(self.lines):
            spaced = _HTML_BREAK.sub(lambda m: " " * len(m.group(0)), raw)
            found = []
            for mo in _PAREN.finditer(spaced):
                inner = mo.group(1)
                letters = re.sub(r"[^A-Za-z]", "", inner)
                if len(letters) == 1 and letters.islower():
                    continue
                mark = rm.read_mark(re.sub(r"\s+", " ", inner), "capco")
                if mark is None:
                    continue
                found.append((mo.start(), mo.end(), mark, letters))
            # A mark that lost its ")" at the end of a line: "(U//FOUO".
            mo = _UNCLOSED.match(spaced)
            if mo:
                mark = rm.read_mark(mo.group(1), "capco")
                if mark is not None:
                    mark.malformed = True
                    found.append((mo.start(1) - 1, len(spaced), mark, "xx"))
            found = self._drop_list_labels(found, spaced)
            last_mark = None
            cuts = [0] + [m.end() for m in _HTML_BREAK.finditer(raw)] + [len(raw) + 1]
            starts = [m.start() for m in _HTML_BREAK.finditer(raw)] + [len(raw)]
            for k in range(len(starts)):
                a, b = cuts[k], starts[k]
                piece = Piece(i + 1, raw[a:b])
                piece.banner = banner_of(raw[a:b], raw.lstrip().startswith("|"))
                if piece.banner is not None:
                    self.banners.append((i + 1, piece.banner))
                for s, e, mark, _ in found:
                    if a <= s < max(b, a + 1):
                        piece.marks.append((s, mark))
                        self.marks.append((i + 1, s, mark))
                # The text a mark governs: from it to the next mark.
                for n_, (s, mark) in enumerate(piece.marks):
                    end = piece.marks[n_ + 1][0] if n_ + 1 < len(piece.marks) else len(spaced)
                    piece.segs.append((mark, norm(spaced[s:end])))
                piece.inherited = last_mark
                if piece.marks:
                    lead = raw[a:min(piece.marks[0][0], b)]
                    piece.lead_text = re.search(r"[A-Za-z]{3,}", lead) is not None
                    last_mark = piece.marks[-1][1]
                self.pieces.append(piece)
        self._overall()
        self._pages()

    @staticmethod
    def _drop_list_labels(found, line):
        """(A) ... (B) ... (C): a single capital in a sequence is a label."""
        singles = [f for f in found if len(f[3]) == 1]
        if not singles:
            return found
        letters = set(re.findall(r"\(([A-Z])\)", line))
        keep = []
        for f in found:
            ch = f[3]
            if len(ch) == 1 and (chr(ord(ch) - 1) in letters or
                                 chr(ord(ch) + 1) in letters):
                continue
            keep.append(f)
        return keep

    def _overall(self):
        if not self.banners:
            # TOP SECRET//NOFORN with every SCI control the document shows.
            self.overall = rm.unreadable_overall()
            for _, _, m in self.marks:
                self.overall.sci |= m.sci
            return
        top = max(m.level for _, m in self.banners)
        forms = Counter(m.short() for _, m in self.banners if m.level == top)
        best = forms.most_common(1)[0][0]
        for _, m in self.banners:
            if m.level == top and m.short() == best:
                self.overall = m
                break
        self.overall_from_banner = True
        for _, m in self.banners:
            if m.text.upper().startswith("UK") or any(s.startswith("STRAP") for s in m.sci):
                self.origin = "GBR"
        if self.origin is None:
            for _, m in self.banners:
                if "NOFORN" in m.dissem or (m.rel and "USA" in m.rel):
                    self.origin = "USA"

    def _pages(self):
        """Where a document's banners differ from page to page, an unmarked
        piece must also be readable at the banners around it: the nearest
        above and the nearest below (a page's banner stands at its top or
        its bottom, so a piece between two different ones may be on either
        page).  Pages only restrict: text on a UK TOP SECRET STRAP1 page of
        a TOP SECRET//SI//REL TO USA, FVEY deck needs STRAP1, but text on a
        SECRET page of a TOP SECRET document still counts at the overall
        marking (an OCR'd cover sheet's "SECRET DOCUMENT" is no page
        banner the oracle could tell from a real one)."""
        if len({m.short() for _, m in self.banners}) < 2:
            return
        for p in self.pieces:
            if p.governing() or p.banner is not None:
                continue
            above = [m for ln, m in self.banners if ln < p.line]
            below = [m for ln, m in self.banners if ln > p.line]
            p.pages = ([above[-1]] if above else []) + ([below[0]] if below else [])

    def context(self, unprefixed=None):
        """The decision context for a reader of a policy whose
        handling.unprefixed-origin is `unprefixed` (the nation that writes
        its levels with no country before them; CAPCO's reading, USA, when
        the policy says none)."""
        rel = self.overall.rel if self.overall_from_banner else None
        origin = self.origin or unprefixed or "USA"
        return rm.Context(origin=origin, banner_rel=rel, explicit_fd=True)

    def access_seen(self):
        """Every SCI control and approval the oracle saw in marks and banners:
        what a reader cleared for everything in the document must hold."""
        seen = set()
        for _, _, m in self.marks:
            seen |= m.sci | (m.dissem & rm.APPROVALS)
        for _, m in self.banners:
            seen |= m.sci | (m.dissem & rm.APPROVALS)
        return sorted(seen)

    def line_readable(self, piece, reader, ctx):
        """A line is readable when every mark governing it is (its own, or
        the one before it on the same source line); other lines are read at
        the overall marking."""
        marks = piece.governing()
        if marks:
            for m in marks:
                ok, why = rm.may_read(m, reader, ctx)
                if not ok:
                    return False, "%s%s: %s" % (
                        "" if piece.marks else "under ", m.text, why)
            return True, ""
        for m in piece.pages:
            ok, why = rm.may_read(m, reader, ctx)
            if not ok:
                return False, "page " + why
        ok, why = rm.may_read(self.overall, reader, ctx)
        return ok, ("overall " + why) if not ok else ""

    def explain(self):
        out = ["overall: %s%s, origin %s" % (
            self.overall.short(), "" if self.overall_from_banner else " (no banner)",
            self.origin or "none shown")]
        for p in self.pieces:
            tag = "B" if p.banner is not None else ("L" if p.is_line() else " ")
            marks = " ".join("<%s>" % m.short() for _, m in p.marks)
            out.append("%5d %s %s%s" % (p.line, tag, p.text[:100],
                                        ("  " + marks) if marks else ""))
        return "\n".join(out)


# --- the measures ---------------------------------------------------------------

def _tl_banner(model):
    """tearline's banner -> (Mark-like summary, text) or (None, 'none')."""
    b = (model or {}).get("banner")
    if not b:
        return None, "none"
    m = rm.Mark(b.get("text") or "")
    m.level = rm.CLEARANCE.get(str(b.get("level", "")).upper())
    for c in b.get("controls") or []:
        c = str(c).upper()
        if c.startswith("REL TO"):
            m.rel = rm._read_countries(c[len("REL TO"):])
        elif c in rm.TOKEN:
            kind, canon = rm.TOKEN[c]
            (m.dissem if kind == "dissem" else m.sci).add(canon)
        else:
            m.unknown.append(c)
    text = "//".join([str(b.get("level"))] + [str(c) for c in b.get("controls") or []])
    return m, text


def _agree(o, t):
    if t is None or t.level is None:
        return False
    return (o.level == t.level and o.sci == t.sci and
            ("NOFORN" in o.dissem) == ("NOFORN" in t.dissem) and
            ("FOUO" in o.dissem) == ("FOUO" in t.dissem) and
            (o.rel or frozenset()) == (t.rel or frozenset()))


class _Copy:
    """A copy prepared for the presence tests: the contents of its pieces
    (split and normalised as the source's are) and its whole text."""

    def __init__(self, path):
        if path is None:
            self.text, self.whole, self.reason = "", True, "no copy written"
        else:
            self.text = rt.read_text(path)
            self.whole, self.reason = rt.withheld_whole(self.text)
        self.lines = self.text.split("\n")
        self.norm = norm(self.text)
        self.contents = Counter()
        for raw in self.lines:
            for part in _HTML_BREAK.split(raw):
                c = norm(strip_banner(part))
                if c:
                    self.contents[c] += 1

    def has(self, piece):
        """A line is kept when a piece of the copy has the same content (a
        banner in front may differ: tearline recomputes banners)."""
        return piece.content in self.contents


def _cause(doc, piece, whole, reason, fate):
    if whole:
        return "withheld whole: " + reason
    f = fate[piece.line - 1] if fate and piece.line - 1 < len(fate) else None
    return f if f else "line changed or moved"


def _unprefixed_origin(policy_path):
    """handling.unprefixed-origin of a policy file (tearline-policy(5)), or
    None: the office's statement of whose levels carry no country code."""
    with open(policy_path, encoding="utf-8") as fh:
        mo = re.search(r"^\s+unprefixed-origin:\s*([A-Z]{3})\s*$", fh.read(), re.M)
    return mo.group(1) if mo else None


def _check_reader(doc, reader, copy_path, lost_causes, lost_examples, key,
                  unprefixed=None):
    """B3 and B4 for one document and reader -> dict of counts and lists."""
    ctx = doc.context(unprefixed)
    copy = _Copy(copy_path)
    res = dict(lines=0, readable=0, kept=0, leaks=[])
    readable_text = []
    verdicts = []
    for p in doc.pieces:
        if not p.is_line():
            continue
        ok, why = doc.line_readable(p, reader, ctx)
        verdicts.append((p, ok, why))
        if ok:
            readable_text.append(p.content)
    readable_count = Counter(readable_text)
    readable_norm = None
    fate = None
    for p, ok, why in verdicts:
        res["lines"] += 1
        if ok:
            res["readable"] += 1
            if copy.has(p):
                res["kept"] += 1
            else:
                if fate is None and not copy.whole:
                    fate = rt.align(doc.lines, copy.lines)
                cause = rt.short_reason(_cause(doc, p, copy.whole, copy.reason, fate))
                lost_causes[cause] += 1
                lost_examples.setdefault(cause, "%s:%d" % (doc.name, p.line))
            continue
        if not p.governing() or copy.whole or not p.has_text():
            continue
        # A leak: the line, or the text governed by a mark the reader may
        # not read, is in the copy more often than the source has it in
        # lines the reader may read (text repeated in a readable line proves
        # nothing).
        if copy.contents[p.content] > readable_count[p.content]:
            res["leaks"].append(dict(file=doc.name, line=p.line, reader=key,
                                     why=why, text=p.content[:90]))
            continue
        units = [seg for m, seg in p.segs
                 if not rm.may_read(m, reader, ctx)[0] and len(seg) >= MIN_LINE]
        for u in units:
            if u not in copy.norm:
                continue
            if readable_norm is None:
                readable_norm = " \n ".join(readable_text)
            if copy.norm.count(u) > readable_norm.count(u):
                res["leaks"].append(dict(file=doc.name, line=p.line, reader=key,
                                         why=why, text=u[:90]))
                break
    return res


def measure(shared, policies_dir, tl, out_dir, log):
    """All modern measures; returns the JSON "modern" member."""
    import glob
    files = sorted(glob.glob(os.path.join(shared, "real-modern", "docs", "*.md")))
    log("modern: reading %d documents" % len(files))
    docs = {f: Doc(f, rt.read_text(f)) for f in files}
    log("modern: tearline parse")
    models = tl.parse(files)

    # B1: overall marking.
    table = []
    for f, d in docs.items():
        t, ttext = _tl_banner(models.get(f))
        if d.overall_from_banner:
            otext = d.overall.short()
            ok = _agree(d.overall, t)
        else:
            otext = "(none: TOP SECRET//NOFORN assumed)"
            ok = t is None
        table.append(dict(file=d.name, oracle=otext, tearline=ttext, agree=ok,
                          both_none=(t is None and not d.overall_from_banner),
                          banner_lines=len(d.banners)))

    # B2: portion marks.
    seen = tl_total = found = invented = 0
    missed, extra = [], []
    for f, d in docs.items():
        om = Counter(line for line, _, _ in d.marks)
        obyl = {}
        for line, _, m in d.marks:
            obyl.setdefault(line, []).append(m.text)
        tm = Counter()
        tbyl = {}
        for p in (models.get(f) or {}).get("portions") or []:
            if p.get("marking") is not None:
                tm[p["line"]] += 1
                tbyl.setdefault(p["line"], []).append(p["marking"])
        seen += sum(om.values())
        tl_total += sum(tm.values())
        for line in sorted(set(om) | set(tm)):
            o, t = om.get(line, 0), tm.get(line, 0)
            found += min(o, t)
            text = norm(d.lines[line - 1])[:70] if 0 < line <= len(d.lines) else ""
            for mk in obyl.get(line, [])[t:]:
                missed.append(dict(file=d.name, line=line, mark=mk, text=text))
            if t > o:
                invented += t - o
                for mk in tbyl[line][o:]:
                    extra.append(dict(file=d.name, line=line, mark=mk, text=text))
    portions = dict(oracle_marks=seen, tearline_marks=tl_total, found=found,
                    found_pct=rt.pct(found, seen), invented=invented,
                    invented_pct=rt.pct(invented, tl_total), missed=missed,
                    invented_list=extra)

    # B3 and B4b: every reader of every bundled policy.
    readers_out = {}
    per_doc = {d.name: dict(readable=0, kept=0, worst=None) for d in docs.values()}
    all_leaks = []
    causes = Counter()
    examples = {}
    for pol in sorted(glob.glob(os.path.join(policies_dir, "*.yaml"))):
        pname = os.path.basename(pol)[:-5]
        readers = tl.readers(pol)
        unprefixed = _unprefixed_origin(pol)
        cdir = os.path.join(out_dir, "modern", pname)
        log("modern: tearline redact --policy %s (%d readers)" % (pname, len(readers)))
        tl.redact(cdir, files, [r.name for r in readers], policy=pol)
        for r in readers:
            key = "%s/%s" % (pname, r.name)
            tot = dict(readable=0, kept=0, leaked=0)
            shares = []
            rc = Counter()
            for f, d in docs.items():
                res = _check_reader(d, r, rt.copy_path(cdir, f, r.name), rc,
                                    examples, key, unprefixed)
                tot["readable"] += res["readable"]
                tot["kept"] += res["kept"]
                tot["leaked"] += len(res["leaks"])
                all_leaks += res["leaks"]
                pd = per_doc[d.name]
                pd["readable"] += res["readable"]
                pd["kept"] += res["kept"]
                share = rt.pct(res["kept"], res["readable"])
                if share is not None:
                    shares.append(share)
                if share is not None and (pd["worst"] is None or share < pd["worst"][1]):
                    pd["worst"] = (key, share)
            for c, n in rc.items():
                causes["%s: %s" % (pname, c)] += n
            readers_out[key] = dict(policy=pname, reader=r.name,
                                    readable=tot["readable"], kept=tot["kept"],
                                    kept_pct=rt.pct(tot["kept"], tot["readable"]),
                                    kept_pct_doc_mean=(round(sum(shares) / len(shares), 2)
                                                       if shares else None),
                                    leaked=tot["leaked"])

    # B4a: a reader cleared above everything in each document.
    adhoc_docs = []
    a_lines = a_kept = 0
    a_causes = Counter()
    a_examples = {}
    groups = {}
    for f, d in docs.items():
        groups.setdefault(tuple(d.access_seen()), []).append(f)
    notes = []
    for n_, (access, fs) in enumerate(sorted(groups.items())):
        cdir = os.path.join(out_dir, "modern", "adhoc-%d" % n_)
        held = list(access)
        while True:
            extra_args = ["--clearance", "TOP SECRET", "--nationality", "USA"]
            if held:
                extra_args += ["--access", ",".join(held)]
            rc_, err = tl.redact(cdir, fs, [], policy=os.path.join(policies_dir,
                                                                   "capco.yaml"),
                                 extra=extra_args)
            mo = re.search(r"knows no access or approval '([^']+)'", err)
            if rc_ == 2 and mo and mo.group(1) in held:
                notes.append("capco knows no access %s (seen in %s): dropped from "
                             "the ad-hoc reader" % (mo.group(1), ", ".join(
                                 os.path.basename(x) for x in fs)))
                held.remove(mo.group(1))
                continue
            break
        for f in fs:
            d = docs[f]
            path = None
            if os.path.isdir(cdir):
                for cand in os.listdir(cdir):
                    if cand.startswith(d.name + ".") and cand.endswith(".txt"):
                        path = os.path.join(cdir, cand)
            copy = _Copy(path)
            fate = None
            n_lines = n_kept = 0
            for p in d.pieces:
                if not p.is_line():
                    continue
                n_lines += 1
                if copy.has(p):
                    n_kept += 1
                    continue
                if fate is None and not copy.whole:
                    fate = rt.align(d.lines, copy.lines)
                cause = rt.short_reason(_cause(d, p, copy.whole, copy.reason, fate))
                a_causes[cause] += 1
                a_examples.setdefault(cause, "%s:%d" % (d.name, p.line))
            a_lines += n_lines
            a_kept += n_kept
            adhoc_docs.append(dict(file=d.name, access=",".join(access) or "-",
                                   lines=n_lines, kept=n_kept,
                                   kept_pct=rt.pct(n_kept, n_lines)))
    adhoc_docs.sort(key=lambda x: x["file"])
    for row in adhoc_docs:
        pd = per_doc[row["file"]]
        row["readers_readable"] = pd["readable"]
        row["readers_kept_pct"] = rt.pct(pd["kept"], pd["readable"])
        row["worst_reader"] = "%s %s" % (pd["worst"][0], rt.fmt_pct(pd["worst"][1])) \
            if pd["worst"] else "-"
    return dict(
        skipped=False, count=len(files), table=table,
        banner_agree=sum(1 for r in table if r["agree"] and not r["both_none"]),
        banner_both_none=sum(1 for r in table if r["both_none"]),
        portions=portions, readers=readers_out, leaks=all_leaks,
        adhoc=dict(lines=a_lines, kept=a_kept, kept_pct=rt.pct(a_kept, a_lines),
                   docs=adhoc_docs, notes=notes,
                   causes=[(c, n, a_examples[c]) for c, n in a_causes.most_common(15)]),
        causes=[(c, n, examples[c.split(": ", 1)[1]]) for c, n in causes.most_common(20)])


# --- report ---------------------------------------------------------------------

def report_figures(rep, mod):
    rep.line("== B. MODERN DOCUMENTS ==")
    if mod.get("skipped"):
        rep.line("realcheck: skipped: %s" % mod["reason"])
        return
    rep.line("documents: %d" % mod["count"])
    rep.line("B1 overall marking (agree? document / oracle / tearline banner): agree on "
             "%d of %d, neither finds a banner in %d" % (
                 mod["banner_agree"], mod["count"], mod["banner_both_none"]))
    for r in mod["table"]:
        rep.line("   %-4s %-44s %-44s %s" % (
            "none" if r["both_none"] else ("yes" if r["agree"] else "NO"),
                                            r["file"][:44], r["oracle"][:44],
                                            r["tearline"][:60]))
    p = mod["portions"]
    rep.line("B2 portion marks: oracle %d, tearline %d; found %s, invented %s (%d)" % (
        p["oracle_marks"], p["tearline_marks"], rt.fmt_pct(p["found_pct"]),
        rt.fmt_pct(p["invented_pct"]), p["invented"]))
    rep.line("B3/B4b per reader: leaked lines (target 0); readable lines kept "
             "(target >= 95%; the mean of the per-document shares is shown too, since "
             "jfk_doc_300 alone holds most lines)")
    for key, r in mod["readers"].items():
        rep.line("   %-28s leaked %4d   kept %8s (%d/%d)   per-document mean %s" % (
            key, r["leaked"], rt.fmt_pct(r["kept_pct"]), r["kept"], r["readable"],
            rt.fmt_pct(r["kept_pct_doc_mean"])))
    a = mod["adhoc"]
    rep.line("B4a reader cleared for everything in the document (capco, TOP SECRET, "
             "USA, every access seen): kept %s (%d/%d; target >= 95%%)" % (
                 rt.fmt_pct(a["kept_pct"]), a["kept"], a["lines"]))
    for n in a["notes"]:
        rep.line("   note: %s" % n)
    rep.line("   per document: lines, kept by the ad-hoc reader; readable lines kept "
             "over all bundled readers; worst reader")
    for r in a["docs"]:
        rep.line("   %-44s %5d %8s   %8s  %s   [access %s]" % (
            r["file"][:44], r["lines"], rt.fmt_pct(r["kept_pct"]),
            rt.fmt_pct(r["readers_kept_pct"]), r["worst_reader"], r["access"]))
    rep.line()


def report_lists(rep, mod):
    if mod.get("skipped"):
        return
    rep.listing("B3 leaks (file:line reader: why  text)", [
        "%s:%d %s: %s  \"%s\"" % (x["file"], x["line"], x["reader"], x["why"], x["text"])
        for x in mod["leaks"]])
    rep.listing("B4a top causes of lines withheld from the cleared reader (count, "
                "example)", ["%5d  %s  (e.g. %s)" % (n, c, ex)
                             for c, n, ex in mod["adhoc"]["causes"]])
    rep.listing("B4b top causes of readable lines withheld (policy: cause; count, "
                "example)", ["%5d  %s  (e.g. %s)" % (n, c, ex)
                             for c, n, ex in mod["causes"]])
    p = mod["portions"]
    rep.listing("B2 marks tearline missed (file:line mark  text)", [
        "%s:%d (%s)  %s" % (m["file"], m["line"], m["mark"], m["text"])
        for m in p["missed"]])
    rep.listing("B2 marks tearline invented (file:line mark  text)", [
        "%s:%d (%s)  %s" % (m["file"], m["line"], m["mark"], m["text"])
        for m in p["invented_list"]])
    rep.line()
