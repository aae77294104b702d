"""realcheck_marks: the oracle's own reading of one marking and of a reader.

This module is deliberately independent of tearline: it never calls the
program and never reads its output.  It knows a small, explicit vocabulary
(levels, dissemination controls, SCI controls, countries and groups) and
reads a mark the way a careful human reviewer would.  Where it cannot read a
mark it says so (Mark.unknown), and such a mark is readable by nobody: the
oracle fails closed, exactly as it expects tearline to.

Contracts:
  read_mark(inner)    -> Mark or None.  `inner` is the text between the
                         parentheses of a candidate portion mark.  None means
                         "not a portion mark at all" (an office symbol such
                         as S/CT, an acronym, a list label); a Mark with
                         `unknown` tokens is a mark the oracle cannot read.
  read_banner(text)   -> Mark or None: a banner line's marking (CAPCO
                         SECRET//SI//NOFORN, cable S E C R E T, UK TOP
                         SECRET STRAP1 ...).
  may_read(mark, reader, ctx) -> (bool, reason)
"""

import re

# One common scale for every scheme the oracle meets.  The numbers order
# the levels; equal numbers are equivalent.  UK and NATO levels are mapped
# onto the US ladder "sensibly": OFFICIAL is unclassified, OFFICIAL-SENSITIVE
# and RESTRICTED sit with SBU/LOU (above unclassified, below CONFIDENTIAL).
U, SBU, C, S, TS = 0, 1, 2, 3, 4
LEVEL_NAMES = {U: "UNCLASSIFIED", SBU: "SBU", C: "CONFIDENTIAL", S: "SECRET",
               TS: "TOP SECRET"}

# Level words, longest first so that "TOP SECRET" wins over "SECRET".
_LEVEL_WORDS = [
    ("SENSITIVE BUT UNCLASSIFIED", SBU), ("LIMITED OFFICIAL USE", SBU),
    ("COSMIC TOP SECRET", TS), ("NATO TOP SECRET", TS), ("UK TOP SECRET", TS),
    ("NATO UNCLASSIFIED", U), ("NATO RESTRICTED", SBU),
    ("NATO CONFIDENTIAL", C), ("NATO SECRET", S),
    ("UK SECRET", S), ("UK CONFIDENTIAL", C), ("UK RESTRICTED", SBU),
    ("UK OFFICIAL-SENSITIVE", SBU), ("UK OFFICIAL SENSITIVE", SBU),
    ("UK OFFICIAL", U),
    ("OFFICIAL-SENSITIVE", SBU), ("OFFICIAL SENSITIVE", SBU),
    ("NOT PROTECTIVELY MARKED", U),
    ("TOP SECRET", TS), ("UNCLASSIFIED", U), ("CONFIDENTIAL", C),
    ("RESTRICTED", SBU), ("OFFICIAL", U), ("PROTECT", U),
    ("SECRET", S), ("UNCLAS", U), ("SBU", SBU), ("LOU", SBU),
    ("TS", TS), ("U", U), ("C", C), ("S", S),
]
# Level names a reader's clearance may be given as (tearline policy readers).
CLEARANCE = {w: lv for w, lv in _LEVEL_WORDS}
CLEARANCE.update({"O": U, "OS": SBU, "R": SBU, "NPM": U})

# Dissemination controls, canonical name -> written forms.
_DISSEM = {
    # N alone is the cables' short form in (SBU/N).
    "NOFORN": ["NOFORN", "NF", "NOT RELEASABLE TO FOREIGN NATIONALS", "NO FORN",
               "N"],
    "ORCON": ["ORCON", "OC", "ORIGINATOR CONTROLLED"],
    "IMCON": ["IMCON", "IMC", "CONTROLLED IMAGERY"],
    "PROPIN": ["PROPIN", "PR", "CAUTION-PROPRIETARY INFORMATION INVOLVED"],
    "FGI": ["FGI", "FOREIGN GOVERNMENT INFORMATION"],
    "FOUO": ["FOUO", "FOR OFFICIAL USE ONLY"],
    "SBU": ["SBU", "SENSITIVE", "SENSITIVE BUT UNCLASSIFIED"],
    "LES": ["LES", "LAW ENFORCEMENT SENSITIVE"],
    "NODIS": ["NODIS", "NO DISTRIBUTION"],
    "EXDIS": ["EXDIS", "EXCLUSIVE DISTRIBUTION"],
    "LIMDIS": ["LIMDIS", "LIMITED DISTRIBUTION"],
    "RELIDO": ["RELIDO"],
    "UK EYES ONLY": ["UK EYES ONLY", "UKEO", "UK EYES"],
    "SIPDIS": ["SIPDIS"],
}
# SCI control systems and compartments: the reader must hold every one.
_SCI = {
    "SI": ["SI", "COMINT", "SPECIAL INTELLIGENCE"],
    "SI-G": ["SI-G"],
    "TK": ["TK", "TALENT KEYHOLE"],
    "HCS": ["HCS", "HUMINT CONTROL SYSTEM"],
    "ECI": ["ECI", "EXCEPTIONALLY CONTROLLED INFORMATION"],
    "STRAP1": ["STRAP1", "STRAP 1", "STRAPI"],
    "STRAP2": ["STRAP2", "STRAP 2"],
    "STRAP3": ["STRAP3", "STRAP 3"],
    "STRAP": ["STRAP"],
}
TOKEN = {}
for _canon, _forms in _DISSEM.items():
    for _f in _forms:
        TOKEN[_f] = ("dissem", _canon)
for _canon, _forms in _SCI.items():
    for _f in _forms:
        TOKEN[_f] = ("sci", _canon)
# Controls that need an approval of the same name in the reader's access.
APPROVALS = {"ORCON", "IMCON", "PROPIN", "NODIS", "EXDIS", "LIMDIS"}
# Controls that keep a portion from the public and nothing more.
NOT_PUBLIC = {"FOUO", "SBU", "LES"}
# Controls that bind to nationals of one country.
NATIONALS = {"NOFORN": "USA", "FGI": "USA", "UK EYES ONLY": "GBR"}

# Country groups (tetragraphs) and the country names cables spell out.  Only
# membership matters to the oracle, so a country without an entry here keeps
# its own (upper-case) name as its code: it simply never equals a reader's.
GROUPS = {
    "FVEY": {"USA", "AUS", "CAN", "GBR", "NZL"},
    "FIVE EYES": {"USA", "AUS", "CAN", "GBR", "NZL"},
    "ACGU": {"AUS", "CAN", "GBR", "USA"},
    "NATO": {"ALB", "BEL", "BGR", "CAN", "HRV", "CZE", "DNK", "EST", "FRA",
             "DEU", "GRC", "HUN", "ISL", "ITA", "LVA", "LTU", "LUX", "NLD",
             "NOR", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "TUR", "GBR",
             "USA"},
    # ISAF is deliberately absent: its membership changed over time and the
    # oracle will not guess it (fail closed: a REL ISAF portion is readable by
    # US readers only).
}
COUNTRY = {
    "US": "USA", "UNITED STATES": "USA", "USA": "USA",
    "UK": "GBR", "GB": "GBR", "BRITAIN": "GBR", "GREAT BRITAIN": "GBR",
    "UNITED KINGDOM": "GBR", "GBR": "GBR",
    "AUS": "AUS", "AUSTRALIA": "AUS", "CAN": "CAN", "CANADA": "CAN",
    "NZL": "NZL", "NZ": "NZL", "NEW ZEALAND": "NZL",
    "DEU": "DEU", "GERMANY": "DEU", "FRA": "FRA", "FRANCE": "FRA",
    "PAK": "PAK", "PAKISTAN": "PAK", "SWE": "SWE", "SWEDEN": "SWE",
}


class Mark:
    """One marking as the oracle reads it.

    level    int on the common scale, or None when no level could be read
    dissem   set of canonical dissemination controls (NOFORN, FOUO, ORCON...)
    sci      set of canonical SCI controls (SI, TK, STRAP1 ...)
    rel      None (no REL TO), or a frozenset of country codes; `bare_rel`
             is True for a bare "REL" whose list is the banner's
    unknown  tokens the oracle could not read; non-empty = readable by nobody
    text     the mark as written
    """

    __slots__ = ("text", "level", "dissem", "sci", "rel", "bare_rel",
                 "unknown", "malformed")

    def __init__(self, text):
        self.text = text
        self.level = None
        self.dissem = set()
        self.sci = set()
        self.rel = None
        self.bare_rel = False
        self.unknown = []
        self.malformed = False

    def readable(self):
        """True when the oracle could read every part of the mark."""
        return self.level is not None and not self.unknown

    def short(self):
        """A canonical spelling for reports: SECRET//SI//NOFORN."""
        if self.level is None:
            return "UNREADABLE(%s)" % self.text
        parts = [LEVEL_NAMES[self.level]]
        parts += sorted(self.sci)
        dissem = self.dissem - {"SIPDIS"}
        if self.level == SBU:
            dissem = dissem - {"SBU"}
        parts += sorted(dissem)
        if self.bare_rel:
            parts.append("REL")
        elif self.rel is not None:
            parts.append("REL TO " + rel_text(self.rel))
        if self.unknown:
            parts.append("?" + ",".join(self.unknown))
        return "//".join(parts)


def rel_text(rel):
    """A REL TO set for reports: USA first, groups folded back (FVEY, NATO)."""
    rel = set(rel)
    out = []
    if "USA" in rel:
        out.append("USA")
    for g in ("NATO", "FVEY", "ACGU"):
        if GROUPS[g] <= rel:
            out.append(g)
            rel -= GROUPS[g]
    out += sorted(rel - {"USA"})
    return ", ".join(out)


def _norm(s):
    return re.sub(r"\s+", " ", s.replace("\u2013", "-").replace("\u2014", "-")
                  ).strip().upper()


def _read_level(s):
    """Longest level word at the start of s -> (level, rest) or (None, s)."""
    for word, lv in _LEVEL_WORDS:
        if s.startswith(word):
            rest = s[len(word):]
            # The level must end at a separator: "SECRETARY", "SI", "CT"
            # are not levels.
            if rest == "" or rest[0] in " /-,":
                return lv, rest
    return None, s


def _read_countries(s):
    """A REL TO list ("TO USA, GBR", "UK", "FRANCE, BRITAIN AND QATAR")."""
    s = re.sub(r"^TO\b", "", s.strip()).strip()
    out = set()
    for part in re.split(r"\s*,\s*|\s+AND\s+|\s*;\s*", s):
        part = part.strip(" .")
        if not part:
            continue
        if part.startswith("AND "):
            part = part[4:]
        if part in GROUPS:
            out |= GROUPS[part]
        elif part in COUNTRY:
            out.add(COUNTRY[part])
        else:
            # A trigraph or a spelled name the oracle has no entry for: it
            # stands for itself (and so never matches a reader it does not
            # name).  Several words separated by spaces (USA GBR) are split.
            words = part.split()
            if len(words) > 1 and all(len(w) == 3 for w in words):
                out |= {COUNTRY.get(w, w) for w in words}
            else:
                out.add(part)
    return frozenset(out)


def _read_controls(mark, rest):
    """Reads the control part of a mark (after its level) into `mark`.

    Returns the number of tokens recognised, which callers use to decide
    whether a doubtful candidate ("S/CT") is a mark at all."""
    known = 0
    rest = rest.strip(" -,/")
    if not rest:
        return 0
    # Segments are separated by slashes (// or /); a cable may also use a
    # space or a dash: (C NF), (S-NF).
    segments = re.split(r"\s*/{1,2}\s*", rest)
    for seg in segments:
        seg = seg.strip(" ,-")
        if not seg:
            continue
        if re.match(r"^(REL|RELEASABLE)\b", seg):
            body = re.sub(r"^(REL|RELEASABLE)\b", "", seg).strip()
            if body:
                mark.rel = _read_countries(body)
            else:
                mark.bare_rel = True
                mark.rel = frozenset()
            known += 1
            continue
        if seg in TOKEN:
            kind, canon = TOKEN[seg]
            (mark.dissem if kind == "dissem" else mark.sci).add(canon)
            known += 1
            continue
        # A segment of several tokens: "OC,NF", "NF SIPDIS", "C NF".
        for tok in re.split(r"\s*,\s*|\s+|-(?=[A-Z]{2,})", seg):
            if not tok:
                continue
            if tok in TOKEN:
                kind, canon = TOKEN[tok]
                (mark.dissem if kind == "dissem" else mark.sci).add(canon)
                known += 1
            else:
                mark.unknown.append(tok)
    return known


# Typed-together forms a human reads at once.  Anything else that does not
# parse is "unknown" (fail closed).
_RUN_TOGETHER = {"SNF": "S/NF", "CNF": "C/NF", "TSNF": "TS/NF", "SBUNF": "SBU/NF"}


def read_mark(inner, style="cable"):
    """Reads the inside of a parenthesised candidate portion mark.

    style "cable": State Department portion marks (C), (S/NF), (SBU/N),
    (S/Rel UK), (Secret/Rel Armenia), (C NF), (S-NF); "capco": modern marks
    (TS//SI//NF), (U//FOUO), (S//REL), NATO and UK forms.

    Returns None when the text is not a portion mark (office symbols such
    as S/CT or S/P, acronyms, lower-case list labels are the caller's
    business), else a Mark, possibly with unknown tokens."""
    raw = inner
    s = _norm(inner)
    if not s or len(s) > 120:
        return None
    if s in _RUN_TOGETHER:
        m = read_mark(_RUN_TOGETHER[s], style)
        m.text, m.malformed = raw, True
        return m
    # A mark that lost its level: (/Rel UK).  A reviewer sees a mark and
    # cannot read its level.
    if s.startswith("/") and re.match(r"^/+\s*(REL|NF|NOFORN)\b", s):
        m = Mark(raw)
        m.malformed = True
        m.unknown.append("no level")
        _read_controls(m, s)
        return m
    lv, rest = _read_level(s)
    if lv is None:
        return None
    m = Mark(raw)
    m.level = lv
    # SBU and LOU are levels on the cable ladder, FOUO-like controls too.
    if s.startswith(("SBU", "SENSITIVE BUT", "LIMITED OFFICIAL", "LOU")):
        m.dissem.add("SBU")
    if s.startswith(("OFFICIAL-SENSITIVE", "OFFICIAL SENSITIVE", "UK OFFICIAL-S",
                     "UK OFFICIAL S", "RESTRICTED", "NATO RESTRICTED",
                     "UK RESTRICTED")):
        m.dissem.add("SBU")
    if not rest.strip():
        return m
    has_double = "//" in rest
    known = _read_controls(m, rest)
    if m.unknown:
        # Office symbols (S/CT, S/P, C/DCM) share the shape of a mark with
        # one slash.  The candidate is a mark only if some token was
        # recognised or it uses the CAPCO double slash, which office symbols
        # never do.
        if known == 0 and not has_double:
            return None
    return m


# ---------------------------------------------------------------------------
# Banners.

def _spaced(word):
    """A regex for a level word written with optional spaces between its
    letters: S E C R E T, S ECRET, SE C R E T."""
    return r"\s?".join(re.escape(ch) for ch in word)


# The level part of a cable banner, damaged forms included: a doubled or
# dropped first letter (SS E C R E T, E C R E T, O N F I D E N T I A L), a
# stray letter in front (CSE C R E T), a re-typed case (S e c r e t), a
# doubled U (UUNCLAS).
CABLE_LEVEL_RE = re.compile(
    r"(?:"
    r"T\s?O\s?P\s+" + _spaced("SECRET") +
    r"|(?:C\s?)?S?S?\s?" + _spaced("ECRET") +
    r"|C?\s?" + _spaced("ONFIDENTIAL") +
    r"|U?U?" + _spaced("NCLAS") + r"(?:SIFIED)?"
    r"|SENSITIVE\s+BUT\s+UNCLASSIFIED|LIMITED\s+OFFICIAL\s+USE"
    r")", re.I)


def cable_level_word(text):
    """The level of a cable banner's level word (already isolated)."""
    t = re.sub(r"\s+", "", text).upper()
    if t.startswith("TOPSECRET"):
        return TS
    if t.endswith("ECRET"):
        return S
    if t.endswith("ONFIDENTIAL"):
        return C
    if "UNCLASSIFIED" in t and t.startswith("SENSITIVE"):
        return SBU
    if t.startswith("LIMITED"):
        return SBU
    if "NCLAS" in t:
        return U
    return None


def capco_banner(text):
    """Reads a modern banner string: TOP SECRET//SI//REL TO USA, FVEY,
    SECRET//COMINT//NOFORN//20320108, UK TOP SECRET STRAP1, TOP. SECRET,
    S E C R E T.  Returns a Mark or None.  Declassification dates inside
    the banner are ignored; tokens the oracle does not know are kept in
    Mark.unknown so that the table shows them."""
    s = _norm(text)
    # OCR damage: TOP. SECRET, S E C R E T, STRAPI.
    s = re.sub(r"^TOP\.\s*SECRET", "TOP SECRET", s)
    s = re.sub(r"^S E C R E T\b", "SECRET", s)
    s = re.sub(r"^T O P S E C R E T\b", "TOP SECRET", s)
    s = re.sub(r"^C O N F I D E N T I A L\b", "CONFIDENTIAL", s)
    lv, rest = _read_level(s)
    if lv is None:
        return None
    m = Mark(text.strip())
    m.level = lv
    rest = rest.strip()
    # UK caveats after a space: TOP SECRET STRAP1 COMINT, UK EYES ONLY.
    rest = re.sub(r"//\s*\d{8}\b", "", rest)          # declassify-on date
    rest = re.sub(r"\bSTRAP\s*([123I])\b", lambda mo: "//STRAP" +
                  ("1" if mo.group(1) == "I" else mo.group(1)), rest)
    rest = re.sub(r"\bUK EYES ONLY\b", "//UK EYES ONLY", rest)
    rest = re.sub(r"^\s+(COMINT|SI|TK)\b", r"//\1", rest)
    rest = re.sub(r"(STRAP\d)\s+(COMINT)", r"\1//\2", rest)
    _read_controls(m, rest)
    return m


# ---------------------------------------------------------------------------
# Readers and decisions.

class Reader:
    """A reader as `tearline policy readers` lists it: name, clearance,
    nationality, accesses/approvals, public flag.  The oracle maps the
    clearance onto its own scale (CLEARANCE)."""

    __slots__ = ("name", "clearance", "level", "country", "access", "public")

    def __init__(self, name, clearance, country, access=(), public=False):
        self.name = name
        self.clearance = clearance
        self.level = CLEARANCE.get(_norm(clearance))
        self.country = country
        self.access = {canon_access(a) for a in access}
        self.public = public

    def __repr__(self):
        return "Reader(%s)" % self.name


def canon_access(name):
    """Canonical name of an access or approval (COMINT -> SI)."""
    n = _norm(name)
    if n in TOKEN:
        return TOKEN[n][1]
    return n


def parse_reader_line(line):
    """One line of `tearline policy readers`:
         us-ts-sci (TOP SECRET, USA, access SI,SI-G,TK,HCS,ORCON)
         public (UNCLASSIFIED, XXX, public)
    Returns a Reader or None."""
    mo = re.match(r"^\s*(\S+)\s+\((.*)\)\s*$", line)
    if not mo:
        return None
    name, inner = mo.group(1), mo.group(2)
    parts = [p.strip() for p in re.split(r",\s*(?=[A-Za-z]+\b)", inner)]
    # The access list itself contains commas without spaces (SI,SI-G): the
    # split above keeps "access SI,SI-G,TK" together only if written so;
    # re-join defensively.
    clearance = parts[0] if parts else ""
    country = parts[1] if len(parts) > 1 else "XXX"
    access, public = [], False
    for p in parts[2:]:
        if p.startswith("access"):
            access += [a for a in re.split(r"[,\s]+", p[len("access"):]) if a]
        elif p == "public":
            public = True
        elif access and re.match(r"^[A-Z0-9-]+$", p):
            access.append(p)
    lv = CLEARANCE.get(_norm(clearance))
    if lv is None:
        return None
    return Reader(name, clearance, country, access, public)


class Context:
    """What a decision needs beyond the mark: the document's origin (its
    nationals always pass REL TO), the banner's REL TO list (a bare REL
    means it), and whether foreign disclosure must be explicit (modern
    documents: a classified portion goes abroad only with REL TO)."""

    __slots__ = ("origin", "banner_rel", "explicit_fd")

    def __init__(self, origin="USA", banner_rel=None, explicit_fd=False):
        self.origin = origin
        self.banner_rel = banner_rel
        self.explicit_fd = explicit_fd


def may_read(mark, reader, ctx):
    """The oracle's decision for one reader and one mark.

    Returns (True, "") or (False, reason).  Rules, in order:
      unreadable mark -> nobody; level above clearance -> no; every SCI
      control held; NOFORN/FGI -> US nationals only; UK EYES ONLY -> GBR
      only; ORCON/NODIS/EXDIS/LIMDIS/PROPIN/IMCON -> the approval held;
      FOUO/SBU/LES -> not the public; the public reads only unclassified
      marks without controls; REL TO -> the reader's country (or a group
      holding it) is listed, the originator's nationals always pass; with
      explicit foreign disclosure, a classified portion goes to a foreign
      reader only with a REL TO naming them."""
    if mark is None or not mark.readable():
        return False, "mark unreadable"
    if reader.level is None:
        return False, "reader clearance unknown"
    if mark.level > reader.level:
        return False, "level %s above clearance" % LEVEL_NAMES[mark.level]
    for sci in mark.sci:
        if sci not in reader.access:
            return False, "lacks %s" % sci
    for ctl in mark.dissem:
        if ctl in NATIONALS and reader.country != NATIONALS[ctl]:
            return False, "%s" % ctl
        if ctl in APPROVALS and ctl not in reader.access:
            return False, "needs %s approval" % ctl
        if ctl in NOT_PUBLIC and reader.public:
            return False, "%s not public" % ctl
    if reader.public:
        controls = (mark.dissem - {"SIPDIS"}) | mark.sci
        if mark.level != U or controls or mark.rel is not None:
            return False, "not unclassified"
        return True, ""
    if reader.country == ctx.origin:
        return True, ""
    rel = mark.rel
    if mark.bare_rel:
        rel = ctx.banner_rel
    if rel is not None:
        if reader.country in rel:
            return True, ""
        return False, "REL TO does not name %s" % reader.country
    if ctx.explicit_fd and mark.level >= C:
        return False, "no REL TO for %s" % reader.country
    return True, ""


def unreadable_overall():
    """The overall marking assumed when a document's banner cannot be read:
    TOP SECRET//NOFORN."""
    m = Mark("(no readable banner)")
    m.level = TS
    m.dissem.add("NOFORN")
    return m
