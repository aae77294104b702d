"""realcheck_cables: the oracle's reading of a State Department cable, and
the cable measures (banner agreement, portion marks, leaks, share kept).

The reading is the oracle's own, written from the cables and from
design/markings.md, never from tearline's output:

Banner.  The first line, before the body, that reads as a banner:
  a level word (spaced or not, damaged forms included: SS E C R E T,
  E C R E T, CSE C R E T, S e c r e t, C ONFIDENTIAL, UUNCLAS), then only
  controls (//NOFORN, NOFORN, - ENTIRE TEXT), a SECTION nn OF nn, and/or a
  city and number (LONDON 004327), after which anything may follow.  A
  "strong" banner (spaced letters, a city and number, SECTION, or controls)
  wins over a bare level word such as a print header's CONFIDENTIAL.
  NOFORN counts when it is on any banner line or on a control line after one
  (up to the first E.O./TAGS/SUBJECT/REF/Classified By line); SBU when an
  UNCLAS banner has a SENSITIVE control line (or is SENSITIVE BUT
  UNCLASSIFIED / LIMITED OFFICIAL USE).

Header and body.  After the banner come control lines and the fields
  (E.O., TAGS, SUBJECT, REF, Classified By), each running on until a blank
  line.  The body starts after the last field before the first numbered or
  marked paragraph.  The SUBJECT line is a portion (its mark follows
  "SUBJECT:", or ends the subject: "... iran's dio (s)").  Preamble,
  routing and fields are not portions.

Lines that are not content.  Page and section breaks (KABUL 00003890  002
  OF 003, PAGE 02 ..., a repeated banner or a lone CONFIDENTIAL), stray
  SIPDIS and NNNN lines are skipped: they neither hold text nor end a
  paragraph.  A line of punctuation only (----, -) counts as a blank line.

Portion marks, where a reader sees one.  At the start of a line, after
  optional labels (1., 1.(C) ¶, A., (a) before a mark, roman numbers, --, -,
  *, o bullets): a parenthesised mark the oracle can read (see
  realcheck_marks.read_mark: office symbols such as (S/CT) and acronyms are
  not marks).  A mark is also read mid-line after a sentence end when a
  paragraph number precedes it (a paragraph run into the previous one:
  "... grow. 12. (C) Ambassador ...").  "1. C)" is a malformed mark the
  oracle still reads as C.  A single-letter mark ((C), (S), (U), any case)
  at the start of a line that continues a running paragraph (the line before
  is text that does not end a sentence) is a list label, as is any
  lower-case single letter there; a single letter that continues a list
  sequence ((b) ... (c), (R) ... (S)) is a label too.

Paragraphs.  A block is a run of content lines without a blank line.  A
  new block also starts at a line with a qualifying mark, and at an
  unmarked paragraph number after a sentence end.  A marked block starts a
  paragraph.  An unmarked block continues the paragraph above when
    - that paragraph's text does not end a sentence (no . ! or ?: it was
      split by a page break or a stray line, or it ends in a colon and
      introduces what follows: "Participants:", "Begin statement:"); after
      such a colon the paragraph runs on to the next marked or numbered
      paragraph, headings and lists included;
    - or the block starts in lower case;
    - or it lies between BEGIN TEXT (TALKING POINTS, NON-PAPER ...) and the
      matching END, or the next numbered paragraph.
  Otherwise it is a paragraph of its own (a heading if it is one short
  title line); an unmarked numbered paragraph never continues another.
  An unmarked paragraph is read both at the document's overall marking and
  at the mark of the last marked paragraph above it: a reader must be
  allowed both (unmarked text cannot be assumed lower than its document,
  nor freer than the paragraph it may belong to: fail closed).  Unmarked
  lines without a blank line before them continue the paragraph they
  follow.  A SUBJECT line repeated in a section header is not content.
  Overall marking: the banner (level, NOFORN, SBU); without a banner, the
  routing class letters (ZNY SSSSS ZZH) with NOFORN assumed; without
  either, the highest portion mark with NOFORN; with nothing, TOP
  SECRET//NOFORN.

Measures.  A paragraph leaks to a reader who may not read it when one of
  its 8-word runs (lower-case words, punctuation and line breaks ignored) is
  in the reader's copy and in no text of the cable the reader may read (the
  header, or a paragraph the reader may read): repeated text proves nothing.
  Placeholder lines and non-content lines of the copy are left out.  A
  paragraph the reader may read is kept when 90% of its runs are in the
  copy, or, under 8 words, when its lines are there verbatim.
"""

import re

import realcheck_marks as rm
import realcheck_text as rt

# --- banner -----------------------------------------------------------------

_BANNER_CONTROLS = (r"(?:NO\s?FORN|NF|SIPDIS|EXDIS|NODIS|LIMDIS|FGI|ORCON|"
                    r"SENSITIVE|STADIS|ENTIRE\s+TEXT|E\s?F\s?T\s?O|"
                    r"NOT\s+FOR\s+INTERNET\s+DISTRIBUTION|REL\s+TO\s+[A-Z ,]+)")
_BANNER_LINE = re.compile(
    r"^\s*(?P<lv>" + rm.CABLE_LEVEL_RE.pattern + r")"
    r"(?P<ctl>(?:\s*(?://|/|-|,)?\s*" + _BANNER_CONTROLS + r")*)"
    r"(?P<sec>\s+SECTION\s+\d+\s+OF\s+\d+)?"
    # A city of one to three words and a cable number of three digits or
    # more; after it only upper-case text (SIPDIS, STATE FOR EUR/RU), so
    # that "Confidential sources said 120 ..." is not a banner.
    r"(?P<city>\s+(?:[A-Za-z][A-Za-z.'/-]*\s+){1,3}0*\d{3,}"
    r"(?-i:(?:\s+[A-Z0-9][A-Z0-9/ ,.:;()-]*)?))?"
    r"\s*$", re.I)

_ROUTING = re.compile(r"^\s*ZN[YR]\s+([A-Z])\1{4}\s+ZZH\b")
_ROUTING_LEVEL = {"U": rm.U, "E": rm.U, "C": rm.C, "S": rm.S, "T": rm.TS}

_FIELD = re.compile(
    r"^\s*(?:\(\s*\w{1,4}\s*\)\s*)?(?:TAGS\b|SUBJ(?:ECT)?\b\s*:?|REFS?\b\s*:|"
    r"REFTEL\b|CLASSIFIED\s+BY\b|DERIVED\s+FROM\b|DECLASSIFY\s+ON\b|DECL\s*:|"
    r"E\.?\s?O\.?\s*1\d{4}|EO\s+1\d{4})"
    r"|(?:^|\s)E\.\s?O\.\s*1\d{4}", re.I)
_SUBJECT = re.compile(r"^\s*SUBJ(?:ECT)?\b\s*:?\s*", re.I)

# --- lines that are not content -----------------------------------------------

_PAGE_BREAK = re.compile(
    r"^\s*[A-Za-z][A-Za-z .'-]*\s+0*\d{2,}\s+0*\d{1,3}(?:\.\d+)?\s+OF\s+0*\d{1,3}\s*$", re.I)
_STRAY = re.compile(r"^\s*(?:(?:SIPDIS|NNNN)\s*)+$")
_PAGE_HEADER = re.compile(r"^\s*PAGE\s+\d+\s")
_PUNCT_ONLY = re.compile(r"^[\W_]*$")

# A line that ends a sentence or a lead-in: what may come before a new
# paragraph that has no blank line before it.
_SENTENCE_END = tuple('.!?:;"\u201d\u2019\')]')


def ends_sentence(text):
    """True when text ends a sentence: . ! or ? possibly followed by closing
    quotes or brackets.  A colon, a comma or no punctuation at all means the
    text runs on into what follows."""
    t = text.rstrip().rstrip("\"'\u201d\u2019)]").rstrip()
    return t.endswith((".", "!", "?"))


# Quoted material: "BEGIN TEXT:" ... "END TEXT."  Unmarked blocks inside
# belong to the paragraph that opened it.
_QUOTED = r"(?:TEXT|STATEMENT|TALKING\s+POINTS|POINTS|NON-?PAPER|QUOTE|LETTER|" \
          r"RELEASABLE\s+TEXT|MESSAGE|DEMARCHE|DIPLOMATIC\s+NOTE)"
_BEGIN = re.compile(r"\bBEGIN\s+(?:\w+\s+)?" + _QUOTED + r"\b", re.I)
_END = re.compile(r"\bEND\s+(?:\w+\s+)?" + _QUOTED + r"\b", re.I)


def is_transparent(line):
    """A line that is neither content nor a paragraph break."""
    if _PAGE_BREAK.match(line) or _STRAY.match(line) or _PAGE_HEADER.match(line):
        return True
    mo = _BANNER_LINE.match(line)
    return bool(mo)


def is_blankish(line):
    return not line.strip() or bool(_PUNCT_ONLY.match(line))


# --- labels and marks at the start of a line ----------------------------------

_LABEL = re.compile(
    r"(?P<num>\u00b6?\s*\d{1,2}\s?[.)](?=\s|\(|$))"
    r"|(?P<letter>[A-Z]\.(?=\s)|[A-Za-z]\)(?=\s+\())"
    r"|(?P<bare>\d{1,2}(?=\s+\())"
    r"|(?P<roman>[ivxIVX]{1,4}\.(?=\s))"
    r"|(?P<plabel>\((?:[A-Za-z]|\d{1,2})\)(?=\s))"
    r"|(?P<bullet>(?:-{1,3}|\u2013|\u2014|\u2022|\*|o(?=\s))(?=\s|\())")
_PAREN = re.compile(r"\(\s*([^()\n]{1,120}?)\s*\)")
_BROKEN = re.compile(r"([A-Za-z]{1,3}(?:/[A-Za-z]{1,6})*)\)(?=\s)")
# "6. (C XXXXXXXXXXXX, too, asserted": a mark that lost its ")".
_UNCLOSED = re.compile(r"\(\s*((?:U|C|S|TS|SBU)(?:/{1,2}[A-Za-z]{1,6})*)(?=\s+[A-Z])(?![^()\n]{0,12}\))")


class Lead:
    """What starts a line: labels, then maybe a mark.

    label   "num", "letter", "roman", "plabel", "bullet" or None (the first)
    mark    realcheck_marks.Mark or None
    col     0-based column of the mark's "(" (or of the text for no mark)
    end     0-based column just after the mark and labels
    single  True when the mark is one letter, e.g. (c)
    letter  that letter, as written
    """

    __slots__ = ("label", "mark", "col", "end", "single", "letter")

    def __init__(self):
        self.label = None
        self.mark = None
        self.col = 0
        self.end = 0
        self.single = False
        self.letter = ""


def read_lead(line, start=0):
    """Reads the labels and the mark at line[start:]."""
    lead = Lead()
    pos = start
    n = len(line)
    for _ in range(3):
        while pos < n and line[pos] in " \t":
            pos += 1
        mo = _LABEL.match(line, pos)
        if not mo:
            break
        if mo.lastgroup in ("plabel", "bare") or mo.group().endswith(")") \
                and mo.lastgroup == "letter":
            # "13 (U) CODEL...", "A) (SBU) ...": labels only before a mark.
            # "(a) (C) text", "(6) (S) text": a label when a mark follows it;
            # otherwise ("(C) (Note: ...)", "(c) text") the parenthesis is
            # itself the candidate mark, or text.
            rest = mo.end()
            while rest < n and line[rest] in " \t":
                rest += 1
            nxt = _PAREN.match(line, rest)
            if not (nxt and rm.read_mark(nxt.group(1)) is not None):
                break
        if lead.label is None:
            lead.label = "num" if mo.lastgroup == "bare" else mo.lastgroup
        pos = mo.end()
    while pos < n and line[pos] in " \t":
        pos += 1
    lead.col = pos
    lead.end = pos
    mo = _PAREN.match(line, pos)
    if mo:
        inner = mo.group(1)
        mark = rm.read_mark(inner)
        if mark is not None:
            lead.mark = mark
            lead.end = mo.end()
            letters = re.sub(r"[^A-Za-z]", "", inner)
            if len(letters) == 1:
                lead.single = True
                lead.letter = letters
            return lead
    if lead.label == "num":
        mo = _BROKEN.match(line, pos) or _UNCLOSED.match(line, pos)
        if mo:
            mark = rm.read_mark(mo.group(1))
            if mark is not None and mark.level is not None:
                mark.malformed = True
                lead.mark = mark
                lead.end = mo.end()
                letters = re.sub(r"[^A-Za-z]", "", mo.group(1))
                lead.single = len(letters) == 1
                lead.letter = letters
    return lead


# A mark run into the line before: "... grow. 12. (C) Ambassador".
_RUN_IN = re.compile(r"(?<=[.!?\"\u201d])\s+(\d{1,2})\.\s?\(\s*([^()\n]{1,60}?)\s*\)")

# --- the reading ----------------------------------------------------------------


class OMark:
    """A portion mark the oracle sees: 1-based line, 0-based column,
    kind (paragraph, subject, authority, run-in) and the Mark."""

    __slots__ = ("line", "col", "kind", "mark")

    def __init__(self, line, col, kind, mark):
        self.line, self.col, self.kind, self.mark = line, col, kind, mark


class Paragraph:
    """A portion as the oracle reads it.

    segments  [(line_index, start_col, end_col)] of its text (lead removed)
    mark      its own Mark, or None (unmarked: read at the overall marking)
    line      1-based line where it starts
    """

    __slots__ = ("segments", "mark", "line", "kind", "inherit")

    def __init__(self, line, mark, kind):
        self.segments = []
        self.mark = mark
        self.line = line
        self.kind = kind
        # For an unmarked paragraph: the mark of the last marked paragraph
        # above it (it may belong to that paragraph: see may_read()).
        self.inherit = None

    def text(self, lines):
        return "\n".join(lines[i][a:b] for i, a, b in self.segments)

    def last_text(self, lines):
        for i, a, b in reversed(self.segments):
            t = lines[i][a:b].strip()
            if t:
                return t
        return ""


class Cable:
    """The oracle's reading of one cable (see the module comment)."""

    def __init__(self, path, text):
        self.path = path
        self.lines = text.split("\n")
        self.banner = None        # dict(line, level, noforn, text, strong)
        self.noforn = False
        self.routing = None       # dict(line, level, letters)
        self.body_start = 0       # 0-based index of the first body line
        self.marks = []           # [OMark]
        self.paragraphs = []      # [Paragraph]
        self.overall = None       # Mark
        self.header_lines = []    # indices of lines that are not portions
        self._read()

    # -- banner, routing, header ------------------------------------------
    def _find_banner(self):
        lines = self.lines
        limit = min(len(lines), 160)
        first_body = None
        for i in range(limit):
            lead = read_lead(lines[i])
            if lead.label == "num" and (lead.mark is not None or
                                        re.match(r"^\s*1\s?\.", lines[i])):
                first_body = i
                break
        stop = first_body if first_body is not None else limit
        strong, bare = [], []
        for i in range(stop):
            mo = _BANNER_LINE.match(lines[i])
            if not mo:
                continue
            lv = rm.cable_level_word(mo.group("lv"))
            if lv is None:
                continue
            spaced = len(re.findall(r"[A-Za-z] [A-Za-z]", mo.group("lv"))) >= 3
            is_strong = bool(spaced or mo.group("ctl") or mo.group("sec") or
                             mo.group("city"))
            entry = dict(line=i + 1, level=lv, text=lines[i].strip(),
                         strong=is_strong, ctl=mo.group("ctl") or "")
            (strong if is_strong else bare).append(entry)
        cands = strong + bare
        cands.sort(key=lambda e: e["line"])
        chosen = strong[0] if strong else (bare[0] if bare else None)
        return chosen, cands, stop

    def _control_zone_flags(self, cands, stop):
        """NOFORN / SENSITIVE on banner lines and control lines after them."""
        noforn = sbu = False
        for c in cands:
            if re.search(r"NO\s?FORN", c["text"], re.I):
                noforn = True
            if re.search(r"\bSENSITIVE\b", c["ctl"], re.I):
                sbu = True
            i = c["line"]
            for j in range(i, min(len(self.lines), i + 30, stop)):
                ln = self.lines[j]
                if _FIELD.search(ln) or _BANNER_LINE.match(ln):
                    break
                if re.search(r"\bNO\s?FORN\b", ln, re.I):
                    noforn = True
                s = ln.strip().upper()
                if (re.fullmatch(r"(?:SIPDIS\s*)*SENSITIVE(?:\s*SIPDIS)*", s) or
                        "SENSITIVE BUT UNCLASSIFIED" in s or
                        "FOR OFFICIAL USE ONLY" in s or
                        "LIMITED OFFICIAL USE" in s):
                    sbu = True
        for ln in self.lines[:stop]:
            if re.match(r"^\s*CLASSIFICATION\s*:.*NO\s?FORN", ln, re.I):
                noforn = True
            # "SENSITIVE BUT UNCLASSIFIED -- HANDLE ACCORDINGLY" on a line
            # of its own, anywhere before the first paragraph (after REF
            # too): the cable states its handling.
            if re.match(r"^\s*SENSITIVE BUT UNCLASSIFIED\b", ln):
                sbu = True
        return noforn, sbu

    def _read(self):
        lines = self.lines
        for i, ln in enumerate(lines[:80]):
            mo = _ROUTING.match(ln)
            if mo:
                self.routing = dict(line=i + 1, letters=mo.group(1) * 5,
                                    level=_ROUTING_LEVEL.get(mo.group(1)))
                break
        chosen, cands, stop = self._find_banner()
        if chosen:
            noforn, sbu = self._control_zone_flags(cands, stop)
            level = chosen["level"]
            if level == rm.U and sbu:
                level = rm.SBU
            self.banner = dict(line=chosen["line"], level=level, noforn=noforn,
                               text=chosen["text"], strong=chosen["strong"])
            self.noforn = noforn
        start = chosen["line"] if chosen else 0
        self._split_header(start)
        self._read_body()
        self._overall()

    def _split_header(self, start):
        """Finds the end of the fields after the banner (0-based index of the
        first body line) and reads the SUBJECT portion and marks on fields."""
        lines = self.lines
        n = len(lines)
        first_para = None
        for i in range(start, n):
            if is_transparent(lines[i]) or is_blankish(lines[i]):
                continue
            lead = read_lead(lines[i])
            if _FIELD.search(lines[i]):
                continue
            if (lead.label == "num" and i > start) or (
                    lead.mark is not None and not lead.single):
                first_para = i
                break
        stop = first_para if first_para is not None else min(n, start + 80)
        last_field = None
        i = start
        while i < stop:
            if _FIELD.search(lines[i]):
                last_field = i
                # The field runs on until a blank line or a paragraph start.
                j = i + 1
                while (j < stop and lines[j].strip() and not _FIELD.search(lines[j])
                       and not _PUNCT_ONLY.match(lines[j])):
                    lead = read_lead(lines[j])
                    if lead.label == "num" or (lead.mark and not lead.single):
                        break
                    j += 1
                self._field(i, j)
                last_field = j - 1
                i = j
                continue
            i += 1
        if last_field is not None:
            self.body_start = last_field + 1
        elif self.banner:
            # No fields: the body starts after the banner's control lines.
            j = start
            while j < n and (not lines[j].strip() or is_transparent(lines[j]) or
                             re.fullmatch(r"[A-Z0-9 ,./&'()-]*", lines[j].strip())
                             and j < start + 6 and not read_lead(lines[j]).label):
                j += 1
            self.body_start = j
        else:
            self.body_start = 0
        self.header_lines = list(range(0, self.body_start))

    def _field(self, i, j):
        """A field block lines[i:j]: marks after SUBJECT: or before it."""
        line = self.lines[i]
        mo = _SUBJECT.match(line)
        if mo and re.match(r"^\s*SUBJ", line, re.I):
            lead = read_lead(line, mo.end())
            para = Paragraph(i + 1, lead.mark, "subject")
            text_start = lead.end if lead.mark else mo.end()
            para.segments.append((i, text_start, len(line)))
            for k in range(i + 1, j):
                para.segments.append((k, 0, len(self.lines[k])))
            if lead.mark is not None:
                self.marks.append(OMark(i + 1, lead.col, "subject", lead.mark))
            else:
                # A mark at the end of the subject: "... iran's dio (s)".
                k, a, b = para.segments[-1]
                tail = re.search(r"\(\s*([^()\n]{1,40}?)\s*\)\s*$", self.lines[k][a:b])
                mark = rm.read_mark(tail.group(1)) if tail else None
                if mark is not None:
                    para.mark = mark
                    para.segments[-1] = (k, a, a + tail.start())
                    self.marks.append(OMark(k + 1, a + tail.start(), "subject", mark))
            self.paragraphs.append(para)
            return
        lead = read_lead(line)
        if lead.mark is not None and lead.label is None:
            # "(U) Classified by ...": a mark a reader sees on a field.
            self.marks.append(OMark(i + 1, lead.col, "authority", lead.mark))

    # -- body ---------------------------------------------------------------
    def _read_body(self):
        lines = self.lines
        n = len(lines)
        # Content lines of the body, with whether a blank came before each.
        content = []
        blank_before = True
        subject = ""
        for p in self.paragraphs:
            if p.kind == "subject":
                subject = " ".join(rt.words(p.text(lines)))[:40]
        for i in range(self.body_start, n):
            ln = lines[i]
            if is_transparent(ln):
                continue
            # A section's page header repeats the SUBJECT line.
            if subject and _SUBJECT.match(ln) and re.match(r"^\s*SUBJ", ln, re.I) and \
                    " ".join(rt.words(ln[_SUBJECT.match(ln).end():])).startswith(
                        subject[:30]):
                continue
            if is_blankish(ln):
                blank_before = True
                continue
            content.append((i, blank_before))
            blank_before = False
        leads = {i: read_lead(lines[i]) for i, _ in content}
        # Letters of single-letter labels at line starts, for sequences.
        letter_at = {}
        for i, _ in content:
            mo = re.match(r"^\s*\(([A-Za-z])\)", lines[i])
            if mo:
                letter_at[i] = mo.group(1)
        letter_lines = sorted(letter_at)

        def in_sequence(i):
            """(c) after (b), or before (d), within 40 lines: a list label."""
            ch = letter_at.get(i)
            if not ch:
                return False
            k = letter_lines.index(i)
            prev_ch = letter_at[letter_lines[k - 1]] if k > 0 else ""
            next_ch = letter_at[letter_lines[k + 1]] if k + 1 < len(letter_lines) else ""
            prev_ok = k > 0 and i - letter_lines[k - 1] <= 40
            next_ok = k + 1 < len(letter_lines) and letter_lines[k + 1] - i <= 40
            return ((prev_ok and prev_ch.lower() == chr(ord(ch.lower()) - 1)) or
                    (next_ok and next_ch.lower() == chr(ord(ch.lower()) + 1)))

        # Blocks: runs of content lines; a block also starts at a line with
        # a qualifying mark and at a paragraph number after a sentence end.
        blocks = []          # [[line_index, ...]] with marks in block_mark
        block_mark = []      # Mark or None per block
        prev_text = ""
        for i, blank in content:
            ln = lines[i]
            lead = leads[i]
            mark = lead.mark
            if mark is not None and lead.single and lead.label is None:
                # One letter at the start of a line: a mark only at a paragraph
                # start (after a blank, or after a sentence end or a short
                # heading line), only in upper case there, and never inside
                # a list sequence.
                starts = blank or prev_text.rstrip().endswith(_SENTENCE_END) \
                    or len(prev_text.split()) <= 6
                if in_sequence(i):
                    mark = None
                elif not blank and (lead.letter.islower() or not starts):
                    mark = None
            new = blank or not blocks or mark is not None or (
                lead.label == "num" and prev_text.rstrip().endswith(_SENTENCE_END))
            if new:
                blocks.append([i])
                block_mark.append(mark)
            else:
                blocks[-1].append(i)
            prev_text = ln

        cur = None          # the open Paragraph
        last_mark = None    # the mark of the last marked paragraph
        quoted = False      # inside BEGIN TEXT ... END TEXT
        listing = False     # after a lead-in ending with a colon
        for blk, mark in zip(blocks, block_mark):
            i = blk[0]
            ln = lines[i]
            lead = leads[i]
            if lead.label == "num":
                quoted = False
                listing = False
            if mark is not None:
                listing = False
                cur = Paragraph(i + 1, mark, "paragraph")
                self.paragraphs.append(cur)
                self.marks.append(OMark(i + 1, lead.col, "paragraph", mark))
                cur.segments.append((i, lead.end, len(ln)))
                last_mark = mark
            else:
                first = ln.lstrip()[:1]
                single = len(blk) == 1
                if cur is None or lead.label == "num":
                    cont = False
                elif quoted or listing:
                    cont = True
                elif cur.kind == "heading":
                    cont = first.islower()
                else:
                    last = cur.last_text(lines)
                    if last.endswith(":") or first.islower():
                        cont = True
                    elif not ends_sentence(last):
                        cont = not (single and _heading(ln))
                    else:
                        cont = False
                if cont:
                    cur.segments.append((i, 0, len(ln)))
                else:
                    kind = "heading" if single and _heading(ln) else "unmarked"
                    cur = Paragraph(i + 1, None, kind)
                    cur.inherit = last_mark
                    self.paragraphs.append(cur)
                    start = lead.end if lead.label else 0
                    cur.segments.append((i, start, len(ln)))
            for k in blk[1:]:
                cur.segments.append((k, 0, len(lines[k])))
            # A lead-in ("Participants:", "the following:") holds what follows
            # until the next marked or numbered paragraph.
            if cur.last_text(lines).endswith(":"):
                listing = True
            for k in blk:
                for mo in re.finditer(r"\b(?:BEGIN|END)\b", lines[k], re.I):
                    if _BEGIN.match(lines[k], mo.start()):
                        quoted = True
                    elif _END.match(lines[k], mo.start()):
                        quoted = False
            # Marks run into a line after a sentence end start a paragraph
            # in the middle of that line.
            for k in blk:
                lk = lines[k]
                for mo in _RUN_IN.finditer(lk, 1):
                    m2 = rm.read_mark(mo.group(2))
                    if m2 is None:
                        continue
                    col = mo.start(1)
                    segs = cur.segments
                    for s_i in range(len(segs) - 1, -1, -1):
                        li, a, bb = segs[s_i]
                        if li == k and a < col < bb:
                            segs[s_i] = (li, a, col)
                            rest = segs[s_i + 1:]
                            del segs[s_i + 1:]
                            break
                    else:
                        continue
                    cur = Paragraph(k + 1, m2, "run-in")
                    self.paragraphs.append(cur)
                    self.marks.append(OMark(k + 1, lk.index("(", mo.start(1)),
                                            "run-in", m2))
                    cur.segments.append((k, mo.end(), len(lk)))
                    cur.segments.extend(rest)
                    last_mark = m2

    def _overall(self):
        if self.banner:
            m = rm.Mark(self.banner["text"])
            m.level = self.banner["level"]
            if self.banner["noforn"]:
                m.dissem.add("NOFORN")
            if m.level == rm.SBU:
                m.dissem.add("SBU")
            self.overall = m
            return
        levels = [om.mark.level for om in self.marks if om.mark.level is not None]
        if self.routing and self.routing["level"] is not None:
            m = rm.Mark("routing %s" % self.routing["letters"])
            m.level = max([self.routing["level"]] + levels)
        elif levels:
            m = rm.Mark("highest portion mark")
            m.level = max(levels)
        else:
            self.overall = rm.unreadable_overall()
            return
        m.dissem.add("NOFORN")
        self.overall = m

    def explain(self):
        """The oracle's reading, line by line, for a person to check:
        B banner, H header, S subject, T not content, P marked paragraph
        start, U unmarked paragraph start, | continuation, blank = blank."""
        tag = {}
        for i in self.header_lines:
            tag[i] = "H"
        if self.banner:
            tag[self.banner["line"] - 1] = "B"
        starts = {}
        for p in self.paragraphs:
            for k, (i, a, b) in enumerate(p.segments):
                if k == 0:
                    starts[i] = p
                    tag[i] = {"subject": "S", "unmarked": "U", "heading": "h"}.get(p.kind, "P")
                elif tag.get(i, "H") == "H":
                    tag[i] = "|"
        out = []
        if self.banner:
            out.append("banner line %d: %s%s" % (
                self.banner["line"], rm.LEVEL_NAMES[self.banner["level"]],
                "//NOFORN" if self.banner["noforn"] else ""))
        else:
            out.append("no banner")
        out.append("overall: %s" % self.overall.short())
        for i, ln in enumerate(self.lines):
            t = tag.get(i, "")
            if not t and i >= self.body_start and is_transparent(ln):
                t = "T"
            extra = ""
            if i in starts and starts[i].mark is not None:
                extra = "  <%s>" % starts[i].mark.short()
            out.append("%5d %-2s %s%s" % (i + 1, t, ln[:100], extra))
        return "\n".join(out)

    def has_marking(self):
        """True when the text carries a banner, routing class or mark."""
        return bool(self.banner or self.routing or self.marks)


def _heading(line):
    """A short title line (Comment, Border Security) standing alone: never
    a continuation of the paragraph above."""
    s = line.strip().rstrip("-= ").strip()
    if not s or s.endswith((".", "!", "?", ";", ",")):
        return False
    first = re.search(r"[A-Za-z]", s)
    if not first or first.group(0).islower():
        return False
    return len(s.split()) <= 10


# ---------------------------------------------------------------------------
# The measures.

CABLE_READERS = ["public", "us-official", "us-confidential", "gbr-secret"]
KEPT_TARGET_READERS = ["public", "us-confidential", "gbr-secret"]
KEPT_RUN_SHARE = 0.9     # a paragraph survives when 90% of its runs do

_LABEL_LEVEL = {"UNCLASSIFIED": rm.U, "CONFIDENTIAL": rm.C, "SECRET": rm.S,
                "TOP SECRET": rm.TS}


def read_label(text):
    """labels.csv's classification -> (level, noforn):
    CONFIDENTIAL//NOFORN, UNCLASSIFIED//FOR OFFICIAL USE ONLY (= SBU)."""
    parts = [p.strip().upper() for p in text.split("//")]
    level = _LABEL_LEVEL.get(parts[0])
    rest = set(parts[1:])
    if level == rm.U and rest & {"FOR OFFICIAL USE ONLY", "FOUO", "SBU",
                                 "SENSITIVE BUT UNCLASSIFIED"}:
        level = rm.SBU
    return level, "NOFORN" in rest


def tearline_banner(model):
    """tearline's banner from its parse JSON -> (level, noforn, line) or
    None.  An UNCLASSIFIED banner with an SBU/FOUO/LES control is SBU, the
    way labels.csv writes it."""
    b = model.get("banner") if model else None
    if not b:
        return None
    level = rm.CLEARANCE.get(str(b.get("level", "")).upper())
    controls = {str(c).upper() for c in b.get("controls") or []}
    if level == rm.U and controls & {"SBU", "FOUO", "LES"}:
        level = rm.SBU
    return level, "NOFORN" in controls, b.get("line")


def _lvname(lv):
    return "none" if lv is None else rm.LEVEL_NAMES[lv]


def _excerpt(s, n=70):
    s = re.sub(r"\s+", " ", s).strip()
    return s if len(s) <= n else s[:n - 3] + "..."


def _preamble(cable, upto):
    """The first non-blank line before line `upto` (1-based), if any."""
    for ln in cable.lines[:upto - 1]:
        if ln.strip():
            return _excerpt(ln, 50)
    return ""


def banner_measure(cables, labels, models):
    """A1: tearline's banner level and NOFORN against labels.csv, over the
    cables whose text has a banner (the oracle's reading)."""
    rows = []
    for name, cable in cables.items():
        if not cable.banner:
            continue
        label = labels.get(name)
        if label is None:
            continue
        ob = cable.banner
        tb = tearline_banner(models.get(name))
        lab_lv, lab_nf = label
        tl_lv, tl_nf, tl_line = tb if tb else (None, False, None)
        row = dict(file=name, line=ob["line"], label_level=_lvname(lab_lv),
                   label_noforn=lab_nf, text_level=_lvname(ob["level"]),
                   text_noforn=ob["noforn"], tearline_level=_lvname(tl_lv),
                   tearline_noforn=tl_nf, tearline_line=tl_line,
                   level_ok=(tl_lv == lab_lv), noforn_ok=(tl_nf == lab_nf and
                                                          tb is not None),
                   label_level_dispute=(ob["level"] != lab_lv),
                   label_noforn_dispute=(ob["noforn"] != lab_nf))
        causes = []
        if row["label_level_dispute"] or row["label_noforn_dispute"]:
            causes.append("label disagrees with text banner (text: %s%s at line %d"
                          ", label: %s%s)" % (
                              row["text_level"], "//NOFORN" if ob["noforn"] else "",
                              ob["line"], row["label_level"],
                              "//NOFORN" if lab_nf else ""))
        if tb is None:
            pre = _preamble(cable, ob["line"])
            what = "preamble"
            if re.match(r"^\s*(VZCZC|[A-Z]{1,2}\s+RUE|ZN[YR]\b|DE\s+RUE)", pre):
                what = "routing header"
            elif re.match(r"^\s*INFO\s+LOG", pre):
                what = "INFO LOG distribution list"
            causes.append("tearline found no banner; text banner at line %d '%s'%s" % (
                ob["line"], _excerpt(ob["text"], 45),
                (" after %s line 1 '%s'" % (what, pre)) if ob["line"] > 1 and pre else ""))
        elif tl_line != ob["line"] and (tl_lv != ob["level"] or tl_nf != ob["noforn"]):
            causes.append("tearline read line %s ('%s') as the banner (%s%s); "
                          "text banner at line %d" % (
                              tl_line, _excerpt(cable.lines[tl_line - 1]
                                                if tl_line and tl_line <= len(cable.lines)
                                                else "", 40),
                              row["tearline_level"], "//NOFORN" if tl_nf else "",
                              ob["line"]))
        else:
            if tl_lv != ob["level"]:
                causes.append("tearline read the banner level as %s, text says %s" % (
                    row["tearline_level"], row["text_level"]))
            if tl_nf != ob["noforn"]:
                causes.append("tearline %s NOFORN; text %s" % (
                    "reads" if tl_nf else "misses",
                    "has it on the banner or a control line" if ob["noforn"]
                    else "has none"))
        row["cause"] = "; ".join(causes)
        rows.append(row)
    n = len(rows)
    lvl = sum(r["level_ok"] for r in rows)
    nf = sum(r["noforn_ok"] for r in rows)
    # The same figures over the cables whose label agrees with the text: a
    # label that contradicts the text's own banner cannot be matched by
    # reading the text.
    clean_l = [r for r in rows if not r["label_level_dispute"]]
    clean_n = [r for r in rows if not r["label_noforn_dispute"]]
    return dict(
        cables_with_banner=n,
        level_agree=lvl, level_pct=rt.pct(lvl, n),
        noforn_agree=nf, noforn_pct=rt.pct(nf, n),
        label_level_disputes=n - len(clean_l),
        label_noforn_disputes=n - len(clean_n),
        level_pct_undisputed=rt.pct(sum(r["level_ok"] for r in clean_l), len(clean_l)),
        noforn_pct_undisputed=rt.pct(sum(r["noforn_ok"] for r in clean_n), len(clean_n)),
        oracle_level_vs_label_pct=rt.pct(len(clean_l), n),
        oracle_noforn_vs_label_pct=rt.pct(len(clean_n), n),
        misses=[r for r in rows if not (r["level_ok"] and r["noforn_ok"])])


def portion_measure(cables, models):
    """A2: portion marks the oracle sees against tearline's, line by line
    (several marks on one line are counted with their number)."""
    from collections import Counter
    seen = found = invented = tl_total = 0
    missed, extra = [], []
    for name, cable in cables.items():
        om = Counter(m.line for m in cable.marks)
        ombyline = {}
        for m in cable.marks:
            ombyline.setdefault(m.line, []).append(m)
        model = models.get(name) or {}
        tm = Counter()
        tmbyline = {}
        for p in model.get("portions") or []:
            if p.get("marking") is not None:
                tm[p["line"]] += 1
                tmbyline.setdefault(p["line"], []).append(p["marking"])
        seen += sum(om.values())
        tl_total += sum(tm.values())
        for line in sorted(set(om) | set(tm)):
            o, t = om.get(line, 0), tm.get(line, 0)
            found += min(o, t)
            text = cable.lines[line - 1] if 0 < line <= len(cable.lines) else ""
            if o > t:
                for m in ombyline[line][t:]:
                    missed.append(dict(file=name, line=line, mark=m.mark.text,
                                       kind=m.kind, text=_excerpt(text)))
            elif t > o:
                invented += t - o
                for mk in tmbyline[line][o:]:
                    extra.append(dict(file=name, line=line, mark=mk,
                                      text=_excerpt(text)))
    return dict(oracle_marks=seen, tearline_marks=tl_total, found=found,
                found_pct=rt.pct(found, seen), invented=invented,
                invented_pct=rt.pct(invented, tl_total), missed=missed,
                invented_list=extra)


class _Copy:
    """A reader's copy prepared for the word-run tests."""

    def __init__(self, text):
        self.text = text
        # Placeholder lines hold only a lead and a mark as written (which may
        # spell out country names); they release no text.
        lines = [ln for ln in text.split("\n") if not is_transparent(ln)
                 and rt.placeholder_reason(ln) is None]
        self.lines = set(ln.strip() for ln in lines)
        self.runs = set(rt.runs(rt.words("\n".join(lines))))
        self.whole, self.whole_reason = rt.withheld_whole(text)


def _para_tokens(cable, para):
    toks, where = [], []
    for i, a, b in para.segments:
        w = rt.words(cable.lines[i][a:b])
        toks += w
        where += [i + 1] * len(w)
    return toks, where


def _para_kept(cable, para, toks, copy):
    """Whether a paragraph survives in a copy: 90% of its runs there, or, for
    one shorter than a run, every line of it there verbatim."""
    if len(toks) >= rt.RUN:
        rs = rt.runs(toks)
        present = sum(1 for r in rs if r in copy.runs)
        return present >= KEPT_RUN_SHARE * len(rs), present / len(rs)
    for i, a, b in para.segments:
        seg = cable.lines[i][a:b].strip()
        if not seg:
            continue
        if a == 0 and b == len(cable.lines[i]):
            if seg not in copy.lines:
                return False, 0.0
        elif seg not in copy.text:
            return False, 0.0
    return True, 1.0


def paragraph_readable(cable, para, reader, ctx):
    """The oracle's decision for a paragraph: its own mark; an unmarked one
    needs both the overall marking and the mark of the paragraph above."""
    if para.mark is not None:
        return rm.may_read(para.mark, reader, ctx)
    ok, why = rm.may_read(cable.overall, reader, ctx)
    if not ok:
        return ok, "unmarked, overall " + why
    if para.inherit is not None:
        ok, why = rm.may_read(para.inherit, reader, ctx)
        if not ok:
            return ok, "unmarked after a paragraph: " + why
    return True, ""


def reader_measure(cables, reader, copy_dir):
    """A3 and A4 for one reader: leaked paragraphs and the share of
    releasable paragraphs kept."""
    from collections import Counter
    ctx = rm.Context(origin="USA", explicit_fd=True)
    leaks, lost = [], []
    releasable = kept = unchecked_short = discounted = 0
    whole = []
    per_cable = Counter()
    causes = Counter()
    for name, cable in cables.items():
        path = rt.copy_path(copy_dir, cable.path, reader.name)
        if path is None:
            copy = _Copy("[WITHHELD: no copy written]")
            copy.whole, copy.whole_reason = True, "no copy written"
        else:
            copy = _Copy(rt.read_text(path))
        if copy.whole:
            whole.append((name, copy.whole_reason))
        decided = []
        readable_runs = set()
        # Text outside the portions (preamble, routing, fields) is kept by
        # the policy: a run found there proves nothing.
        subj = {i for p in cable.paragraphs if p.kind == "subject"
                for i, _, _ in p.segments}
        other = [cable.lines[i] for i in cable.header_lines if i not in subj]
        readable_runs |= set(rt.runs(rt.words("\n".join(other))))
        for para in cable.paragraphs:
            ok, why = paragraph_readable(cable, para, reader, ctx)
            toks, where = _para_tokens(cable, para)
            decided.append((para, ok, why, toks, where))
            if ok:
                readable_runs |= set(rt.runs(toks))
        fate = None
        for para, ok, why, toks, where in decided:
            if not toks:
                continue
            if not ok:
                if len(toks) < rt.RUN:
                    unchecked_short += 1
                    continue
                rs = rt.runs(toks)
                hits = [k for k, r in enumerate(rs) if r in copy.runs]
                real = [k for k in hits if rs[k] not in readable_runs]
                discounted += len(hits) - len(real)
                if real:
                    k = real[0]
                    leaks.append(dict(
                        file=name, line=where[k], para_line=para.line,
                        mark=(para.mark.short() if para.mark else
                              "unmarked (%s)" % cable.overall.short()),
                        why=why, runs=len(real), of=len(rs),
                        words=" ".join(rs[k])))
                continue
            releasable += 1
            ok_kept, share = _para_kept(cable, para, toks, copy)
            if ok_kept:
                kept += 1
                continue
            if copy.whole:
                cause = "withheld whole: " + copy.whole_reason
            else:
                if fate is None:
                    fate = rt.align(cable.lines, copy.text.split("\n"))
                reasons = [fate[i] for i, _, _ in para.segments if fate[i]]
                cause = reasons[0] if reasons else "partly kept (%.0f%% of runs)" % (
                    100 * share)
            cause = rt.short_reason(cause)
            per_cable[name] += 1
            causes[cause] += 1
            lost.append(dict(file=name, line=para.line,
                             mark=(para.mark.short() if para.mark else "unmarked"),
                             cause=cause))
    worst = []
    for name, n in per_cable.most_common(20):
        c = Counter(x["cause"] for x in lost if x["file"] == name)
        worst.append(dict(file=name, lost=n, cause=c.most_common(1)[0][0]))
    return dict(reader=reader.name, leaked=len(leaks), leaks=leaks,
                releasable=releasable, kept=kept, kept_pct=rt.pct(kept, releasable),
                unchecked_short=unchecked_short, discounted_runs=discounted,
                withheld_whole=len(whole), worst=worst,
                causes=causes.most_common(15), lost=lost, _whole=whole)


def measure(shared, tl, out_dir, log):
    """All cable measures.  `tl` runs tearline (see realcheck.Tearline);
    `log` prints progress.  Returns a dict (the JSON "cables" member)."""
    import csv
    import glob
    import os
    base = os.path.join(shared, "real-cables")
    files = sorted(glob.glob(os.path.join(base, "cables", "*.txt")))
    labels = {}
    with open(os.path.join(base, "labels.csv"), newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            labels[row["refid"]] = read_label(row["wikileaks_classification"])
    log("cables: reading %d cables" % len(files))
    cables = {}
    for f in files:
        name = os.path.basename(f)[:-4]
        cables[name] = Cable(f, rt.read_text(f))
    log("cables: tearline parse")
    models = {os.path.basename(k)[:-4]: v for k, v in tl.parse(files).items()}
    all_readers = {r.name: r for r in tl.readers(None)}
    missing = [r for r in CABLE_READERS if r not in all_readers]
    readers = [all_readers[r] for r in CABLE_READERS if r in all_readers]
    copy_dir = os.path.join(out_dir, "cables")
    log("cables: tearline redact for %s" % ", ".join(r.name for r in readers))
    redact_rc, redact_err = tl.redact(copy_dir, files, [r.name for r in readers])
    result = dict(skipped=False, count=len(files), labels=len(labels),
                  missing_readers=missing, redact_exit=redact_rc,
                  redact_errors=redact_err if redact_rc >= 2 else "")
    result["banner"] = banner_measure(cables, labels, models)
    result["portions"] = portion_measure(cables, models)
    per = {}
    whole = {}
    for r in readers:
        log("cables: checking copies for %s" % r.name)
        m = reader_measure(cables, r, copy_dir)
        for name, reason in m.pop("_whole"):
            whole.setdefault(name, dict(file=name, readers=[], reason=reason))
            whole[name]["readers"].append(r.name)
        per[r.name] = m
    result["readers"] = per
    flagged = []
    for name, w in sorted(whole.items()):
        c = cables[name]
        what = []
        if c.banner:
            what.append("banner line %d '%s'" % (c.banner["line"],
                                                 _excerpt(c.banner["text"], 40)))
        if c.routing:
            what.append("routing %s line %d" % (c.routing["letters"], c.routing["line"]))
        if c.marks:
            what.append("%d portion marks (first line %d)" % (len(c.marks),
                                                              c.marks[0].line))
        w["marking"] = "; ".join(what)
        if c.has_marking():
            flagged.append(w)
    result["withheld_whole"] = dict(cables=len(whole), with_marking=len(flagged),
                                    list=flagged,
                                    without_marking=[w for w in whole.values()
                                                     if not w["marking"]])
    return result
