#!/usr/bin/env python3
"""ism2reg.py: writes tearline's marking register (tearline-register(5))
from the ODNI ISM controlled vocabulary (the CAPCO register as CVE XML
files) and the forms this script adds by hand.

    python3 register/ism2reg.py ../shared/ism/CVE > register/tearline.reg

Python 3 standard library only.  The XML is read here, never at run
time: the library compiles register/tearline.reg in (scripts/embed.sh).

Where the two meet:
- The ISM value of a term is its portion form (NF, OC, IMC); the
  canonical name tearline gives the control is its banner form (NOFORN,
  ORCON, IMCON): CANONICAL maps the one to the other, and the ISM
  description (the long form) becomes one more written form.
- ISM terms given as regular expressions (SI-[A-Z]{3}, SAR names,
  ACCM-...) become patterns with one "*".
- What ISM does not hold, or holds elsewhere, is added below with the
  reason: cable forms (SBU, LOU, SENSITIVE, NOCONTRACT), later register
  values (RSEN, HCS-O, HCS-P, ORCON-USGOV, TK compartments), UK and NATO
  markings, and the declassification fields that banners carry.
- Country codes: the REL TO and FGI lists of ISM name the ISO 3166
  trigraphs that lib/country.c already knows, plus tetragraphs and
  GENC codes; only the codes lib/country.c lacks are written, and never
  XXX, which the bundled policies use for "no nationality".
"""

import os
import re
import sys
import xml.etree.ElementTree as ET

NS_CVE = "{urn:us:gov:ic:cve}"
NS_DDMS = "{urn:us:mil:ces:metadata:ddms:5}"
NS_ISM = "{urn:us:gov:ic:ism}"

# ISM value -> tearline's canonical control name (the banner form).
CANONICAL = {
    "RS": "RSEN", "OC": "ORCON", "IMC": "IMCON", "NF": "NOFORN",
    "PR": "PROPIN", "REL": "REL TO", "DISPLAYONLY": "DISPLAY ONLY",
    "DS": "LIMDIS", "XD": "EXDIS", "ND": "NODIS",
}

# Forms that the ISM descriptions do not give, by canonical name.
EXTRA_FORMS = {
    "UNCLASSIFIED": ["UNCLAS"],
    "SI": ["COMINT"],
    "SI-G": ["SI GAMMA"],
    "HCS": ["HUMINT CONTROL SYSTEM"],
    "NOFORN": ["N", "NOT RELEASABLE TO FOREIGN NATIONALS"],
    "ORCON": [],
    "PROPIN": ["CAUTION PROPRIETARY INFORMATION INVOLVED"],
    "REL TO": ["REL", "RELEASABLE TO"],
    "RSEN": [],
    "LIMDIS": [],
    "FOUO": [],
    "DSEN": [],
}

# SCI, dissemination and non-IC values ISM v10 (2012) lacks, from later
# registers and from the issue (#18): canonical, forms.
SCI_EXTRA = [
    ("HCS-O", ["HCS-OPERATIONS"]),
    ("HCS-P", ["HCS-PRODUCT"]),
    ("TK-BLFH", ["TK BLUEFISH"]),
    ("TK-IDIT", ["TK IDITAROD"]),
    ("TK-KAND", ["TK KANDIK"]),
]
SCI_EXTRA_PATTERNS = [
    ("TK-BLFH-*", []), ("TK-IDIT-*", []), ("TK-KAND-*", []),
    # Exceptionally controlled information inside SI: "SI-ECI ABC".
    ("SI-ECI *", []),
]

# The order of controls in a canonical banner, by category; within a
# category, the order below.  It keeps the order tearline has always
# written (NOFORN before REL TO, PROPIN before NOFORN; FOUO with the
# non-IC markings, as cables write it).
SCI_ORDER = ["EL", "EL-EU", "EL-NK", "HCS", "HCS-O", "HCS-P", "KDK",
             "KDK-BLFH", "KDK-IDIT", "KDK-KAND", "RSV", "SI", "SI-G", "TK",
             "TK-BLFH", "TK-IDIT", "TK-KAND"]

DISSEM = [
    # canonical, forms, flags (ISM forms are added to these)
    ("RSEN", ["RS", "RISK SENSITIVE"], ""),
    ("ORCON", ["OC", "ORIGINATOR CONTROLLED"], ""),
    ("ORCON-USGOV", ["OC-USGOV", "ORIGINATOR CONTROLLED US GOVERNMENT"], ""),
    ("IMCON", ["IMC", "CONTROLLED IMAGERY"], ""),
    ("NOCONTRACT", [], ""),
    ("PROPIN", ["PR"], ""),
    ("NOFORN", ["NF"], ""),
    ("REL TO", [], "list=rel"),
    ("RELIDO", [], ""),
    ("FISA", [], ""),
    ("DSEN", [], ""),
    ("DISPLAY ONLY", ["DISPLAYONLY"], "list=display"),
]

NONIC = [
    ("NODIS", ["ND", "NO DISTRIBUTION"]),
    ("EXDIS", ["XD", "EXCLUSIVE DISTRIBUTION"]),
    ("LIMDIS", ["DS", "LIMITED DISTRIBUTION"]),
    ("SBU", ["SENSITIVE BUT UNCLASSIFIED"]),
    ("FOUO", ["FOR OFFICIAL USE ONLY"]),
    ("LES", ["LAW ENFORCEMENT SENSITIVE"]),
    ("LOU", ["LIMITED OFFICIAL USE"]),
    ("SENSITIVE", []),
    ("SSI", ["SENSITIVE SECURITY INFORMATION"]),
    ("NNPI", ["NAVAL NUCLEAR PROPULSION INFORMATION"]),
]


def terms(path):
    """(value, description, is_pattern) of every Term of a CVE file."""
    out = []
    for term in ET.parse(path).getroot().iter(NS_CVE + "Term"):
        value = term.find(NS_CVE + "Value")
        desc = term.find(NS_DDMS + "description")
        text = " ".join((desc.text or "").split()) if desc is not None else ""
        pattern = value.get(NS_CVE + "regularExpression") == "true" or \
            value.get("regularExpression") == "true"
        out.append((value.text.strip(), text, pattern))
    return out


def regex_to_glob(rx):
    """ISM's regular expressions as the register's "*" patterns."""
    if rx.startswith("[A-Z"):
        return None            # a SAR name alone: written SAR-name
    g = re.sub(r"\[[^\]]*\](\{[0-9,]+\}|\+)?", "*", rx)
    g = re.sub(r"\*(-\*)+", "*", g)   # SI-*-* is SI-* (* takes hyphens)
    return g if g.count("*") == 1 else None


def form(s):
    return " ".join(s.upper().split())


def line(kind, name, forms=(), arrow=None, flags=""):
    seen, fs = {name}, []
    for f in forms:
        f = form(f)
        if f and f not in seen:
            seen.add(f)
            fs.append(f)
    s = "%-8s %s" % (kind, name)
    if fs:
        s += " = " + " | ".join(fs)
    if arrow:
        s += " -> " + " + ".join(arrow)
    if flags:
        s += " ; " + flags
    return s


def known_countries(country_c):
    """Codes lib/country.c already resolves to themselves."""
    with open(country_c, encoding="utf-8") as f:
        text = f.read()
    return {a for a, b in re.findall(r'\{ "([A-Z]+)", "([A-Z]+)" \}', text)
            if a == b}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: ism2reg.py CVE-DIR > register/tearline.reg")
    cve = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    known = known_countries(os.path.join(here, "..", "lib", "country.c"))

    def cvefile(name):
        return terms(os.path.join(cve, "CVEnumISM%s.xml" % name))

    out = []
    w = out.append
    w("# tearline.reg: the marking register compiled into tearline.")
    w("# Generated by register/ism2reg.py from the ODNI ISM vocabulary")
    w("# (CVEnumISM*.xml, DES version 10) and the forms that script adds;")
    w("# edit the script, not this file.  Format: tearline-register(5).")
    w("#")
    w("#   KIND NAME [= FORM | FORM...] [-> TARGET + TARGET...] [; FLAG...]")

    # ---- levels -----------------------------------------------------
    w("")
    w("# Classification levels (CVEnumISMClassificationAll), with the UK")
    w("# levels of tearline's tl_level.  Names are tl_level_name's.")
    order = ["UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "TOP SECRET",
             "RESTRICTED"]
    levels = {form(d): [v] + EXTRA_FORMS.get(form(d), [])
              for v, d, _ in cvefile("ClassificationAll")}
    for name in order:
        w(line("level", name, levels.pop(name)))
    assert not levels, levels
    w(line("level", "OFFICIAL", ["O"]))
    w(line("level", "OFFICIAL-SENSITIVE", ["OS", "OFFICIAL SENSITIVE"]))
    w(line("level", "PROTECT"))

    w("")
    w("# Forms that stand where a level stands but are a level and")
    w("# controls.  Cables: SBU and LOU.  NATO: NATO SECRET is SECRET with")
    w("# the control NATO; COSMIC TOP SECRET is TOP SECRET with NATO; the")
    w("# ATOMAL, BOHEMIA and BALK forms add that control.  UK: UK SECRET is")
    w("# SECRET (its level_token, UKSECRET, lets a policy tell it apart).")
    for name, forms, arrow in [
        ("SBU", ["SENSITIVE BUT UNCLASSIFIED"], ["UNCLASSIFIED", "SBU"]),
        ("LOU", ["LIMITED OFFICIAL USE"], ["UNCLASSIFIED", "LOU"]),
        ("NATO UNCLASSIFIED", ["NU"], ["UNCLASSIFIED", "NATO"]),
        ("NATO RESTRICTED", ["NR"], ["RESTRICTED", "NATO"]),
        ("NATO CONFIDENTIAL", ["NC"], ["CONFIDENTIAL", "NATO"]),
        ("NATO SECRET", ["NS"], ["SECRET", "NATO"]),
        ("COSMIC TOP SECRET", ["CTS"], ["TOP SECRET", "NATO"]),
        ("NCA", [], ["CONFIDENTIAL", "NATO", "ATOMAL"]),
        ("NSAT", [], ["SECRET", "NATO", "ATOMAL"]),
        ("CTSA", [], ["TOP SECRET", "NATO", "ATOMAL"]),
        ("CTS-B", [], ["TOP SECRET", "NATO", "BOHEMIA"]),
        ("CTS-BALK", [], ["TOP SECRET", "NATO", "BALK"]),
        ("UK UNCLASSIFIED", [], ["UNCLASSIFIED"]),
        ("UK OFFICIAL", [], ["OFFICIAL"]),
        ("UK OFFICIAL-SENSITIVE", ["UK OFFICIAL SENSITIVE"],
         ["OFFICIAL-SENSITIVE"]),
        ("UK PROTECT", [], ["PROTECT"]),
        ("UK RESTRICTED", [], ["RESTRICTED"]),
        ("UK CONFIDENTIAL", [], ["CONFIDENTIAL"]),
        ("UK SECRET", [], ["SECRET"]),
        ("UK TOP SECRET", [], ["TOP SECRET"]),
    ]:
        w(line("marking", name, forms, arrow))

    # ---- SCI ----------------------------------------------------------
    w("")
    w("# SCI control systems and compartments (CVEnumISMSCIControls),")
    w("# with later values (HCS-O, HCS-P, TK compartments) and SI-ECI.")
    sci, sci_patterns = {}, []
    for value, desc, pattern in cvefile("SCIControls"):
        if pattern:
            g = regex_to_glob(value)
            if g and g not in sci_patterns:
                sci_patterns.append(g)
            continue
        sci[value] = [desc] + EXTRA_FORMS.get(value, [])
    for name, forms in SCI_EXTRA:
        sci[name] = forms
    for name in SCI_ORDER:
        w(line("sci", name, sci.pop(name)))
    for name, forms in sorted(sci.items()):
        w(line("sci", name, forms))
    for name, forms in SCI_EXTRA_PATTERNS:
        w(line("sci", name, forms))
    for g in sci_patterns:
        w(line("sci", g))

    # ---- SAP ----------------------------------------------------------
    w("")
    w("# Special access programs (CVEnumISMSAR): the program's identifier")
    w("# is kept as written, SAR-BP; the long form is SPECIAL ACCESS")
    w("# REQUIRED-BP.")
    w(line("sap", "SAR-*", ["SPECIAL ACCESS REQUIRED-*"]))

    # ---- AEA ----------------------------------------------------------
    w("")
    w("# Atomic energy markings (CVEnumISMAtomicEnergyMarkings).  RD-CNWDI")
    w("# is RD and CNWDI; the SIGMA forms are kept as RD-SG-14...")
    aea = cvefile("AtomicEnergyMarkings")
    for value, desc, pattern in aea:
        if value == "RD-CNWDI":
            continue
        if pattern:
            base = value.split("-SG-")[0]
            for n in re.findall(r"\((\d+)\)", value):
                w(line("aea", "%s-SG-%s" % (base, n),
                       ["%s-SIGMA-%s" % (base, n), "%s-SIGMA %s" %
                        (base, n)]))
            continue
        forms = [desc]
        if value == "DCNI":
            forms += ["DOD UCNI"]
        if value == "UCNI":
            forms += ["DOE UCNI"]
        w(line("aea", value, forms))
        if value == "RD":
            w(line("aea", "CNWDI",
                   ["CRITICAL NUCLEAR WEAPON DESIGN INFORMATION"]))
            w(line("aea", "RD-CNWDI",
                   ["RD-CRITICAL NUCLEAR WEAPON DESIGN INFORMATION"],
                   ["RD", "CNWDI"]))

    # ---- non-US -------------------------------------------------------
    w("")
    w("# NATO and other non-US controls (CVEnumISMNonUSControls).  NATO")
    w("# marks information NATO classified (see the NATO level forms);")
    w("# JOINT opens a jointly owned level, //JOINT SECRET CAN GBR USA,")
    w("# whose owners are kept with the marking's FGI countries.")
    w(line("nonus", "NATO"))
    for value, desc, _ in cvefile("NonUSControls"):
        w(line("nonus", value))
    w(line("nonus", "JOINT", flags="list=joint"))

    # ---- FGI ----------------------------------------------------------
    w("")
    w("# Foreign government information, with its countries when named:")
    w("# FGI DEU GBR (CVEnumISMFGIOpen, CVEnumISMFGIProtected).")
    w(line("fgi", "FGI", ["FOREIGN GOVERNMENT INFORMATION"],
           flags="list=fgi"))

    # ---- dissemination ------------------------------------------------
    w("")
    w("# Dissemination controls (CVEnumISMDissem), with the cable-era")
    w("# NOCONTRACT.  EYES ONLY is written with its country (UK EYES ONLY)")
    w("# and is read by the grammar.  REL TO and DISPLAY ONLY open a")
    w("# country list; a bare REL takes the banner's list.")
    ism_dissem = {CANONICAL.get(v, v): [v, d] for v, d, _ in cvefile("Dissem")}
    for name, forms, flags in DISSEM:
        extra = ism_dissem.pop(name, [])
        w(line("dissem", name, forms + extra + EXTRA_FORMS.get(name, []),
               flags=flags))
    ism_dissem.pop("EYES", None)
    fouo = ism_dissem.pop("FOUO")
    for name, forms in sorted(ism_dissem.items()):
        w(line("dissem", name, forms))

    # ---- non-IC -------------------------------------------------------
    w("")
    w("# Non-IC dissemination controls (CVEnumISMNonIC) and the cable")
    w("# forms: FOUO is written here, after SBU, as cables write it.")
    nonic = {}
    for value, desc, pattern in terms(os.path.join(cve, "CVEnumISMNonIC.xml")):
        if pattern and value.startswith("ACCM"):
            continue
        nonic[CANONICAL.get(value, value)] = [value, desc]
    for name, forms in NONIC:
        extra = nonic.pop(name, []) + (fouo if name == "FOUO" else [])
        w(line("nonic", name, forms + extra + EXTRA_FORMS.get(name, [])))
    for combined in ("SBU-NF", "LES-NF"):
        desc = nonic.pop(combined)[1]
        w(line("nonic", combined, [desc], [combined[:3], "NOFORN"]))
    w(line("nonic", "ACCM-*", ["ALTERNATE COMPENSATORY CONTROL MEASURE-*"]))
    for name, forms in sorted(nonic.items()):
        w(line("nonic", name, forms))

    # ---- UK caveats ---------------------------------------------------
    w("")
    w("# UK caveats and descriptors: STRAP 1 to 3, UK EYES ONLY (also")
    w("# read as <country> EYES ONLY), the OFFICIAL-SENSITIVE descriptors.")
    w(line("caveat", "UK EYES ONLY", ["UKEO"]))
    for n in (1, 2, 3):
        w(line("caveat", "STRAP%d" % n, ["STRAP %d" % n, "STRAP-%d" % n]))
    w(line("caveat", "COMMERCIAL"))
    w(line("caveat", "PERSONAL"))
    w(line("caveat", "LOCSEN", ["LOCATION SENSITIVE"]))

    # ---- declassification ---------------------------------------------
    w("")
    w("# Declassification fields a banner may end with (CVEnumISM25X),")
    w("# besides a date (YYYYMMDD, read by the grammar): kept in the")
    w("# marking's declass, never an unknown token.  AEA, NATO and")
    w("# NATO-AEA belong to the Declassify On line, not to a banner.")
    for value, _, _ in cvefile("25X"):
        if value in ("AEA", "NATO", "NATO-AEA"):
            continue
        forms = []
        if value == "25X1-EO-12951":
            forms = ["25X1 EO 12951"]
        if value == "50X1-HUM":
            forms = ["50X1-HUMAN"]
        w(line("declass", value, forms))
    w(line("declass", "25X1-HUMAN"))
    w(line("declass", "MR", ["MANUAL REVIEW"]))
    w(line("declass", "OADR"))

    # ---- countries ----------------------------------------------------
    w("")
    w("# Codes of REL TO and FGI lists that lib/country.c does not know")
    w("# (CVEnumISMRelTo, CVEnumISMFGIOpen): tetragraphs and GENC codes.")
    w("# Their members, where public, are the policies' groups.  XXX is")
    w("# left out: the bundled policies give it to readers of no")
    w("# nationality, whom no list may name.")
    codes = []
    for name in ("RelTo", "FGIOpen"):
        for value, desc, _ in cvefile(name):
            if value not in known and value not in codes and \
                    value != "XXX" and re.fullmatch(r"[A-Z][A-Z0-9]{2,3}",
                                                    value):
                codes.append(value)
    for code in codes:
        w(line("country", code))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
