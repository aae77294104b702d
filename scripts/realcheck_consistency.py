"""realcheck_consistency: one archive, one answer.  The same passage marked
at different levels in two cables, found by the oracle and looked for in
tearline's audit (and, once it exists, in `redact --consistency`).

The oracle's rules (its own; tearline is never asked where the marks are):

Cables and paragraphs.  Each cable is read by realcheck_cables.Cable: its
  portions (SUBJECT line, marked paragraphs, unmarked paragraphs and
  headings) and the mark of each.  Only portions with a mark of their own
  whose level the oracle reads (U, SBU, C, S, TS on realcheck_marks' scale)
  take part: an unmarked paragraph has no level to disagree with.  SBU and
  U are different levels here (the oracle's scale; a public reader may read
  one and not the other).

Words.  A portion's text is normalised line by line: a paragraph number and
  a portion mark at the start of a line (1. (C), -- (S/NF)) are removed, and
  so is any parenthesised portion mark inside a line ((C), (S//NF): what
  realcheck_marks.read_mark reads); then the lower-case words of letters and
  digits (realcheck_text.words), line breaks and punctuation ignored.

Passages.  A shared passage is 12 consecutive words (a shingle) that stand in
  a portion of one cable and in a portion of another.  Two kinds of shingle
  are not content and never make a pair:
    - boilerplate: a shingle found in more than 5 of the cables (in any of
      their portions, marked or not; 6 cables are about 1% of the 658): the
      standard trailers ("Visit Paris' Classified Website at ...") and the
      Department's stock sentences;
    - a trailer that points to a post's intranet site: a shingle holding an
      address word (http, www, sgov, intelink).  Every post words that line
      its own way and signs it, so the count above misses its variants;
      where a cable runs it on into its last marked paragraph it would
      otherwise pair two cables by a web address.

Pairs.  Two cables (unordered) are a pair when some content shingle stands
  in a portion of each and the two portions' levels differ.  For each pair
  the example is the pair of portions with the most such shingles (ties:
  the earliest lines): both files, the first line of each portion, both
  marks as written and their levels, the longest shared run of words (its
  length, the line where it starts in each cable and its first 12 words).

On the 658 cables the oracle finds 19 pairs (all listed in the report).  The
issue counts "about 16" without stating its rule; both its examples are
among the 19 (09BERLIN1393:143 (S/NF) in 09BERLIN1167:211 (C);
09BRASILIA1216:40 (S) in 09BRASILIA1540:30 (SBU)).  Where a rule could go
either way the oracle keeps what the rule as written admits:
  - three pairs are the Department's action request ("... deliver talking
    points/non-paper in paragraph 4 below and report response.  Talking
    points also may be provided as a non-paper."), stock text but in only 4
    cables: (U) in 09STATE4134, 09STATE68250 and 88BAGHDAD28 (a STATE
    cable's body), (S) in 10STATE16932.  Without them there are 16;
  - three pairs share only a name or title of 12 or 13 words ("Convention
    against Torture and Other Cruel, Inhuman or Degrading Treatment or
    Punishment", "Abu Dhabi Crown Prince and Deputy Supreme Commander of
    the UAE Armed Forces"), and two differ only by SBU against U;
  - in two pairs the lower side is a "--" item inside BEGIN TALKING POINTS
    or after a lead-in (10STATE9124:206, 10STATE7810:49), which the oracle
    reads as part of the (U) paragraph above it; a reader that takes such
    items as unmarked portions of their own sees no mark to disagree with.
The address rule leaves out 3 pairs that share only a post's classified
website line (08LONDON639/08LONDON929, 10ANKARA251 with 10ANKARA126 and
with 10ANKARA87); the count rule alone would give 22.

The measures.  C1: `tearline audit --format json` over all cables in one
run; a pair is named when a finding of rule "consistency-mark" has its
"file" in one cable and a "related" entry ({"file", "line"}) in the other.
Pairs it names that the oracle does not have are listed, not counted.
C2/C3, only when `tearline redact --help` mentions --consistency: `redact
--consistency withhold` for us-confidential (built-in policy); a pair whose
passage is above CONFIDENTIAL in one cable and CONFIDENTIAL or lower in the
other is released when one of its shared shingles is in the reader's copy
of the lower-marked cable (copy normalised like the portions, placeholder
and non-content lines left out); and the share of releasable paragraphs
kept, measured as A4 does (realcheck_cables.reader_measure), may drop by at
most 1 point from A4's figure.
"""

import glob
import os
import re
from collections import Counter, defaultdict

import realcheck_cables as rcab
import realcheck_marks as rm
import realcheck_text as rt

SHINGLE = 12              # words in a shared passage
BOILERPLATE_CABLES = 5    # a shingle in more than this many cables is boilerplate
_ADDRESS = frozenset(("http", "https", "www", "sgov", "intelink"))
_PAREN = re.compile(r"\(\s*([^()\n]{1,60}?)\s*\)")
READER = "us-confidential"   # the reader of the leak check (2b)
KEPT_DROP_MAX = 1.0          # points of A4's share the option may cost

# ---------------------------------------------------------------------------
# The oracle.


def _drop_marks(text):
    """A line without the parenthesised portion marks inside it."""
    def repl(mo):
        return " " if rm.read_mark(mo.group(1)) is not None else mo.group(0)
    return _PAREN.sub(repl, text)


def norm_line(line):
    """The words of one line, its lead (paragraph number, mark) and any
    portion mark inside it removed."""
    lead = rcab.read_lead(line)
    if lead.mark is not None or lead.label == "num":
        line = line[lead.end:]
    return rt.words(_drop_marks(line))


def portion_words(cable, para):
    """The normalised words of a portion, in order, and the 1-based line of
    each."""
    toks, where = [], []
    for i, a, b in para.segments:
        w = norm_line(cable.lines[i][a:b])
        toks += w
        where += [i + 1] * len(w)
    return toks, where


def shingles(toks, n=SHINGLE):
    """The n-word shingles of a token list, as strings."""
    return [" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1)]


def is_address(sh):
    """True for a shingle of a post's intranet-address trailer."""
    return not _ADDRESS.isdisjoint(sh.split())


def read_cables(shared):
    """{name: realcheck_cables.Cable} for every cable of the set."""
    files = sorted(glob.glob(os.path.join(shared, "real-cables", "cables", "*.txt")))
    return {os.path.basename(f)[:-4]: rcab.Cable(f, rt.read_text(f)) for f in files}


class _Portion:
    """One portion of one cable: its cable's name, the Paragraph, its words,
    the line of each word and its shingles in order."""

    __slots__ = ("cable", "para", "toks", "where", "shingles")

    def __init__(self, cable, para, words):
        self.cable, self.para = cable, para
        self.toks, self.where = words
        self.shingles = shingles(self.toks)


def _longest_run(toks, shared):
    """(start, words) of the longest chain of consecutive shingle positions
    of toks whose shingles are in `shared`: the longest shared passage."""
    best = (0, 0)
    run_start, run = 0, 0
    for i, sh in enumerate(shingles(toks)):
        if sh in shared:
            if run == 0:
                run_start = i
            run += 1
            if run > best[1]:
                best = (run_start, run)
        else:
            run = 0
    start, n = best
    return start, (n + SHINGLE - 1) if n else 0


def find_pairs(cables):
    """The oracle's pairs (see the module comment).  Returns (pairs, stats):
    pairs sorted by (file_a, file_b), each a dict with the example and, in
    "_hits", every pair of portions [(portion_a, portion_b, shared shingles)]
    for the leak check."""
    portions = {}
    df = Counter()        # shingle -> cables it stands in
    for name in sorted(cables):
        cable = cables[name]
        lst = []
        mine = set()
        for para in cable.paragraphs:
            p = _Portion(name, para, portion_words(cable, para))
            lst.append(p)
            mine.update(p.shingles)
        portions[name] = lst
        df.update(mine)
    shared = {sh for sh, n in df.items() if n > 1}
    boiler = {sh for sh in shared if df[sh] > BOILERPLATE_CABLES}
    address = {sh for sh in shared if is_address(sh)}
    content = shared - boiler - address
    # Postings of content shingles in portions that carry a level.
    post = defaultdict(list)
    for name, lst in portions.items():
        for p in lst:
            if p.para.mark is None or p.para.mark.level is None:
                continue
            for sh in set(p.shingles):
                if sh in content:
                    post[sh].append(p)
    hits = defaultdict(lambda: defaultdict(set))   # (a, b) -> (pa, pb) -> shingles
    for sh, ps in post.items():
        for x in ps:
            for y in ps:
                if x.cable >= y.cable:
                    continue
                if x.para.mark.level != y.para.mark.level:
                    hits[(x.cable, y.cable)][(x, y)].add(sh)
    pairs = []
    for (a, b), by in sorted(hits.items()):
        (pa, pb), common = max(by.items(), key=lambda kv: (
            len(kv[1]), -kv[0][0].para.line, -kv[0][1].para.line))
        start, length = _longest_run(pa.toks, common)
        first = pa.shingles[start]
        pairs.append(dict(
            file_a=a, line_a=pa.para.line, mark_a=pa.para.mark.text,
            level_a=rm.LEVEL_NAMES[pa.para.mark.level],
            file_b=b, line_b=pb.para.line, mark_b=pb.para.mark.text,
            level_b=rm.LEVEL_NAMES[pb.para.mark.level],
            at_a=pa.where[start], at_b=pb.where[pb.shingles.index(first)],
            words=length, shingles=len(set().union(*by.values())),
            portion_pairs=len(by),
            passage=" ".join(pa.toks[start:start + SHINGLE]),
            _hits=[(x, y, s) for (x, y), s in by.items()]))
    stats = dict(portions=sum(len(v) for v in portions.values()),
                 shared_shingles=len(shared), boilerplate_shingles=len(boiler),
                 address_shingles=len(address - boiler))
    return pairs, stats


# ---------------------------------------------------------------------------
# The measures.


def _stem(path):
    """A cable's name from a path tearline prints: 09ROME97.txt -> 09ROME97."""
    if not isinstance(path, str) or not path:
        return None
    base = os.path.basename(path)
    return base[:-4] if base.endswith(".txt") else base


def _place(d):
    """file:line of a finding or of one of its "related" entries."""
    return "%s:%s" % (_stem(d.get("file")) or "?", d.get("line", "?"))


def named_pairs(findings):
    """{(a, b): example} for every pair of cables that a consistency-mark
    finding relates: its "file" in one, a "related" entry's file in the
    other (a < b; either direction counts)."""
    named = {}
    for f in findings:
        if f.get("rule") != "consistency-mark":
            continue
        a = _stem(f.get("file"))
        rel = f.get("related")
        if a is None or not isinstance(rel, list):
            continue
        for r in rel:
            if not isinstance(r, dict):
                continue
            b = _stem(r.get("file"))
            if b is None or b == a:
                continue
            named.setdefault(tuple(sorted((a, b))), dict(
                at=_place(f), related=_place(r),
                message=str(f.get("message", ""))[:120]))
    return named


def audit_measure(pairs, tl, files):
    """2a: which oracle pairs `tearline audit --format json` names."""
    runs, findings, bad = tl.audit(files)
    named = named_pairs(findings)
    cons = [f for f in findings if f.get("rule") == "consistency-mark"]
    hit = 0
    for p in pairs:
        ex = named.get((p["file_a"], p["file_b"]))
        p["named"] = ex is not None
        p["named_by"] = ex
        hit += ex is not None
    oracle = {(p["file_a"], p["file_b"]) for p in pairs}
    tool_only = [dict(file_a=a, file_b=b, **ex) for (a, b), ex in sorted(named.items())
                 if (a, b) not in oracle]
    errors = "; ".join("exit %d: %s" % (r["exit"], r["stderr"][:300].strip())
                       for r in runs if r["exit"] not in (0, 1))
    return dict(runs=[dict(files=r["files"], exit=r["exit"]) for r in runs],
                batches=len(runs), errors=errors, findings=len(findings),
                unreadable_lines=bad, consistency_findings=len(cons),
                with_related=sum(1 for f in cons if isinstance(f.get("related"), list)
                                 and f["related"]),
                named=hit, named_pct=rt.pct(hit, len(pairs)),
                pairs_named_by_tool=len(named), tool_only=tool_only)


def _copy_shingles(text):
    """The shingles of a reader's copy: placeholder lines and lines that
    are not content left out, each line normalised as the portions are."""
    toks = []
    for ln in text.split("\n"):
        if rcab.is_transparent(ln) or rt.placeholder_reason(ln) is not None:
            continue
        toks += norm_line(ln)
    return set(shingles(toks))


def withhold_measure(pairs, hits, cables, tl, out_dir, cab):
    """2b: `redact --consistency withhold` for us-confidential, when the
    option exists.  A pair is at risk when a shared passage is above
    CONFIDENTIAL in one cable and CONFIDENTIAL or lower in the other; it is
    released when one of those shingles is in the reader's copy of the
    lower-marked cable."""
    rc, out, err = tl.help("redact")
    if "--consistency" not in out + err:
        return dict(implemented=False,
                    reason="redact --consistency is not implemented")
    res = dict(implemented=True, reader=READER)
    readers = {r.name: r for r in tl.readers(None)}
    if READER not in readers:
        res.update(reason="the built-in policy has no reader %s" % READER,
                   released=None, kept_drop=None)
        return res
    copy_dir = os.path.join(out_dir, "consistency")
    files = [c.path for c in cables.values()]
    rc, err = tl.redact(copy_dir, files, [READER], extra=["--consistency", "withhold"])
    res.update(redact_exit=rc, redact_errors=err[:300] if rc >= 2 else "")
    copies = {}
    at_risk = released = 0
    releases = []
    for p, by in zip(pairs, hits):
        risky = False
        first = None
        for x, y, common in by:
            lx, ly = x.para.mark.level, y.para.mark.level
            lo, hi = (x, y) if lx < ly else (y, x)
            if not (hi.para.mark.level > rm.C >= lo.para.mark.level):
                continue
            risky = True
            if lo.cable not in copies:
                path = rt.copy_path(copy_dir, cables[lo.cable].path, READER)
                copies[lo.cable] = _copy_shingles(rt.read_text(path)) if path else set()
            found = [sh for sh in lo.shingles if sh in common and sh in copies[lo.cable]]
            if found and first is None:
                first = dict(file=lo.cable, line=lo.para.line, mark=lo.para.mark.text,
                             other=hi.cable, other_line=hi.para.line,
                             other_mark=hi.para.mark.text, words=found[0])
        at_risk += risky
        if first is not None:
            released += 1
            releases.append(first)
    m = rcab.reader_measure(cables, readers[READER], copy_dir)
    a4 = ((cab.get("readers") or {}).get(READER) or {}).get("kept_pct")
    drop = None
    if a4 is not None and m["kept_pct"] is not None:
        drop = round(a4 - m["kept_pct"], 2)
    res.update(pairs_at_risk=at_risk, released=released, releases=releases,
               kept=m["kept"], releasable=m["releasable"], kept_pct=m["kept_pct"],
               a4_kept_pct=a4, kept_drop=drop, leaked=m["leaked"])
    return res


def measure(shared, tl, out_dir, log, cab):
    """All consistency measures.  `cab` is the cable measures' result (for
    the A4 figure).  Returns a dict (the JSON "consistency" member)."""
    log("consistency: reading cables and shared passages")
    cables = read_cables(shared)
    pairs, stats = find_pairs(cables)
    hits = [p.pop("_hits") for p in pairs]
    log("consistency: tearline audit over %d cables" % len(cables))
    files = [c.path for c in cables.values()]
    result = dict(skipped=False, cables=len(cables), words=SHINGLE,
                  boilerplate_cables=BOILERPLATE_CABLES, oracle_pairs=len(pairs),
                  **stats)
    result["audit"] = audit_measure(pairs, tl, files)
    result["pairs"] = pairs
    result["withhold"] = withhold_measure(pairs, hits, cables, tl, out_dir, cab)
    return result


def targets(con, add):
    """The C targets through realcheck's add(name, value, wanted, met)."""
    if not con or con.get("skipped"):
        return
    a = con["audit"]
    add("C1 cable pairs marked two ways, named by audit", a["named_pct"], "100%",
        a["named_pct"] is not None and a["named_pct"] >= 100)
    w = con["withhold"]
    if w.get("implemented"):
        add("C2 shared passages released at the lower mark, %s" % READER,
            w.get("released"), "0", w.get("released") == 0)
        d = w.get("kept_drop")
        add("C3 %s paragraphs kept: drop with --consistency (points)" % READER,
            d, "<= %g point" % KEPT_DROP_MAX, d is not None and d <= KEPT_DROP_MAX)


# ---------------------------------------------------------------------------
# The report.

def _pair_text(p):
    return "%s:%d (%s) %s / %s:%d (%s) %s  %d words at lines %d/%d: \"%s ...\"" % (
        p["file_a"], p["line_a"], p["mark_a"], p["level_a"],
        p["file_b"], p["line_b"], p["mark_b"], p["level_b"], p["words"],
        p["at_a"], p["at_b"], p["passage"])


def report_figures(rep, con):
    rep.line("== C. CONSISTENCY ==")
    if con.get("skipped"):
        rep.line("realcheck: skipped: %s" % con["reason"])
        return
    a, w = con["audit"], con["withhold"]
    rep.line("cables: %d, portions: %d; %d-word passages shared by cables: %d "
             "(boilerplate, in more than %d cables: %d; intranet-address trailers: %d)" % (
                 con["cables"], con["portions"], con["words"], con["shared_shingles"],
                 con["boilerplate_cables"], con["boilerplate_shingles"],
                 con["address_shingles"]))
    rep.line("C1 pairs of cables sharing a passage marked at different levels "
             "(oracle): %d" % con["oracle_pairs"])
    rep.line("   named by tearline audit (a consistency-mark finding relating the "
             "two): %d (%s; target 100%%)" % (a["named"], rt.fmt_pct(a["named_pct"])))
    rep.line("   audit: %d run(s), exit %s; %d findings, %d consistency-mark (%d with "
             "\"related\"); pairs it names: %d, not the oracle's: %d" % (
                 a["batches"], ",".join(str(r["exit"]) for r in a["runs"]),
                 a["findings"], a["consistency_findings"], a["with_related"],
                 a["pairs_named_by_tool"], len(a["tool_only"])))
    if a["batches"] > 1:
        rep.line("   note: the files went to audit in %d batches (argument list too "
                 "long): a pair split across batches cannot be named" % a["batches"])
    if a["errors"]:
        rep.line("   audit errors: %s" % a["errors"])
    if not w.get("implemented"):
        rep.line("C2/C3 skipped: %s" % w["reason"])
    elif w.get("released") is None:
        rep.line("C2/C3 not measured: %s" % w["reason"])
    else:
        if w.get("redact_errors"):
            rep.line("   tearline redact --consistency exited %d: %s" % (
                w["redact_exit"], w["redact_errors"]))
        rep.line("C2 redact --consistency withhold, %s: pairs with a passage above "
                 "CONFIDENTIAL in one cable and at or below it in the other: %d; "
                 "released in the lower cable's copy: %d (target 0)" % (
                     w["reader"], w["pairs_at_risk"], w["released"]))
        rep.line("C3 releasable paragraphs kept with the option: %s (%d/%d), A4 %s: "
                 "drop %s points (target <= %g); leaked paragraphs %d" % (
                     rt.fmt_pct(w["kept_pct"]), w["kept"], w["releasable"],
                     rt.fmt_pct(w["a4_kept_pct"]),
                     "n/a" if w["kept_drop"] is None else "%.2f" % w["kept_drop"],
                     KEPT_DROP_MAX, w["leaked"]))
    rep.line()


def report_lists(rep, con):
    if con.get("skipped"):
        return
    a, w = con["audit"], con["withhold"]
    rep.listing("C1 oracle pairs (file:line (mark) level / file:line (mark) level  "
                "longest shared run: first words)", [
                    "%s  [%s]" % (_pair_text(p), "named" if p["named"] else "not named")
                    for p in con["pairs"]])
    rep.listing("C1 oracle pairs NOT named by audit", [
        _pair_text(p) for p in con["pairs"] if not p["named"]])
    rep.listing("C1 pairs named by audit that the oracle does not have (reported only)", [
        "%s / %s  finding %s -> %s: %s" % (x["file_a"], x["file_b"], x["at"],
                                          x["related"], x["message"])
        for x in a["tool_only"]])
    if w.get("implemented") and w.get("released") is not None:
        rep.listing("C2 shared passages released to %s (file:line (mark), also in "
                    "file:line (mark): the words)" % w["reader"], [
                        "%s:%d (%s), also in %s:%d (%s): \"%s\"" % (
                            x["file"], x["line"], x["mark"], x["other"], x["other_line"],
                            x["other_mark"], x["words"]) for x in w["releases"]])
    rep.line()
