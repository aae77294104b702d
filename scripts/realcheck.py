#!/usr/bin/env python3
"""realcheck: measures tearline on the real documents kept beside the
checkout (../shared/real-cables, ../shared/real-modern).

    python3 scripts/realcheck.py [--tearline build/tearline] [--shared ../shared]
        [--out build/realcheck] [--cables-only | --modern-only] [--verbose]
        [--json FILE] [--strict] [--explain FILE]

The script is an oracle independent of the parser: it reads banners,
portion marks, paragraphs and reader permissions with its own rules
(realcheck_marks, realcheck_cables, realcheck_modern; realcheck_consistency
for passages that two cables mark at different levels) and uses tearline
only as the thing under test: `tearline redact` writes the copies whose
contents are checked, `tearline parse --format json` gives the marks and
banners compared with the oracle's, `tearline audit --format json` the
consistency findings compared with the oracle's pairs of cables.  Nothing
tearline says decides what is correct.  Where the two disagree a person
reads the document, so every miss is listed with its file, line and a short
cause.

Output: the figures first, then the lists, on standard output (lists cut at
25 entries unless --verbose) and in full in OUT/report.txt; --json FILE
writes every figure and list.  The copies go to OUT/cables,
OUT/consistency (once `redact --consistency` exists), OUT/modern/POLICY and
OUT/modern/adhoc-N, each emptied before its run.
--explain FILE prints the oracle's line-by-line reading of one document,
for a person checking a miss.  Exit status: 0, also when targets are missed;
with --strict, 1 when a target is missed; 2 for a usage error or when
tearline cannot be run.  Python 3 standard library only.
"""

import argparse
import errno
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True     # no __pycache__ in the source tree

import realcheck_cables as rcab  # noqa: E402
import realcheck_consistency as rcon  # noqa: E402
import realcheck_marks as rm     # noqa: E402
import realcheck_modern as rmod  # noqa: E402
import realcheck_text as rt      # noqa: E402

TOP = os.path.dirname(HERE)
LIST_LIMIT = 25


class Tearline:
    """Runs the binary under test.  Every call is one process over many
    files; exit status 1 from parse (error diagnostics) and from redact
    (a document withheld whole) is a result, not a failure."""

    def __init__(self, path, jobs):
        self.path = path
        self.jobs = jobs
        self.calls = []     # what was run, for the JSON

    def _run(self, args):
        t0 = time.time()
        proc = subprocess.run([self.path] + args, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
        self.calls.append(dict(args=args[:6] + (["..."] if len(args) > 6 else []),
                               exit=proc.returncode,
                               seconds=round(time.time() - t0, 2)))
        return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
                proc.stderr.decode("utf-8", "replace"))

    def parse(self, files):
        """{file: model} from `tearline parse --format json`; a file whose
        model is missing maps to None."""
        rc, out, err = self._run(["parse", "--format", "json"] + list(files))
        if rc >= 2 and not out:
            raise RuntimeError("tearline parse failed (exit %d): %s" % (rc, err[:300]))
        models = {}
        for line in out.splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                d = json.loads(line)
            except ValueError:
                continue
            models[d.get("file")] = d
        return {f: models.get(f) for f in files}

    def audit(self, files):
        """`tearline audit --format json` over all files in one run (a
        finding may relate two files).  Exit status 0 and 1 are results, 2
        an error for some file whose others are still audited: the JSON
        lines are kept whatever the status.  Only when the argument list is
        too long are the files split into batches.  Returns (runs,
        findings, unreadable lines); runs is [dict(files, exit, stderr)],
        exit -1 for a run that could not be started."""
        files = list(files)
        if not files:
            return [], [], 0      # no FILE would make audit read stdin
        size = len(files)
        while True:
            runs, findings, bad = [], [], 0
            try:
                for k in range(0, len(files), size):
                    part = files[k:k + size]
                    try:
                        rc, out, err = self._run(["audit", "--format", "json"] + part)
                    except OSError as e:
                        if e.errno == errno.E2BIG and size > 1:
                            raise
                        rc, out, err = -1, "", str(e)
                    runs.append(dict(files=len(part), exit=rc, stderr=err))
                    for line in out.splitlines():
                        if not line.strip():
                            continue
                        try:
                            d = json.loads(line)
                        except ValueError:
                            bad += 1
                            continue
                        if isinstance(d, dict):
                            findings.append(d)
                        else:
                            bad += 1
                return runs, findings, bad
            except OSError:
                size = (size + 1) // 2     # the argument list is too long

    def help(self, command):
        """(exit status, stdout, stderr) of `tearline COMMAND --help`."""
        return self._run([command, "--help"])

    def readers(self, policy):
        """The reader profiles of a policy (None: the built-in us-cables)."""
        args = ["policy", "readers"] + ([policy] if policy else [])
        rc, out, err = self._run(args)
        if rc != 0:
            raise RuntimeError("tearline %s failed (exit %d): %s" % (
                " ".join(args), rc, err[:300]))
        readers = []
        for line in out.splitlines():
            r = rm.parse_reader_line(line)
            if r is not None:
                readers.append(r)
        return readers

    def redact(self, out_dir, files, readers, policy=None, extra=()):
        """One `tearline redact` run writing OUT_DIR/NAME.READER.txt for each
        reader (or the ad-hoc reader given by `extra`).  Returns (exit
        status, standard error)."""
        args = ["redact", "-q", "-f", "-j", str(self.jobs), "-d", out_dir]
        if policy:
            args += ["--policy", policy]
        for r in readers:
            args += ["--reader", r]
        args += list(extra)
        args += list(files)
        # A fresh directory: a copy left by an earlier run must never be
        # measured as this run's (OUT_DIR is always a subdirectory of --out
        # that this script owns: cables, modern/POLICY, modern/adhoc-N).
        shutil.rmtree(out_dir, ignore_errors=True)
        os.makedirs(out_dir, exist_ok=True)
        rc, _, err = self._run(args)
        return rc, err


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="realcheck.py",
        description="Measure tearline on the real cables and modern documents.")
    ap.add_argument("--tearline", default=os.path.join(TOP, "build", "tearline"),
                    help="the binary under test (default: build/tearline)")
    ap.add_argument("--shared", default=os.path.join(TOP, "..", "shared"),
                    help="the shared data directory (default: ../shared)")
    ap.add_argument("--out", default=os.path.join(TOP, "build", "realcheck"),
                    help="where copies and report.txt go (default: build/realcheck)")
    ap.add_argument("--policies", default=os.path.join(TOP, "policies"),
                    help="bundled policies (default: policies/)")
    only = ap.add_mutually_exclusive_group()
    only.add_argument("--cables-only", action="store_true")
    only.add_argument("--modern-only", action="store_true")
    ap.add_argument("--verbose", action="store_true",
                    help="list every miss on standard output, not the first 25")
    ap.add_argument("--json", metavar="FILE", help="write all figures as JSON")
    ap.add_argument("--strict", action="store_true",
                    help="exit 1 when a target is missed")
    ap.add_argument("-j", "--jobs", type=int, default=2,
                    help="tearline redact worker threads (default 2)")
    ap.add_argument("--explain", metavar="FILE",
                    help="print the oracle's reading of one document and exit")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    return ap.parse_args(argv)


def shown(path):
    """A path as a person would type it from here (../shared/real-cables)."""
    full = os.path.normpath(os.path.abspath(path))
    try:
        rel = os.path.relpath(full)
    except ValueError:
        return full
    return rel if len(rel) <= len(full) else full


def explain(path):
    """Prints the oracle's line-by-line reading of one document."""
    text = rt.read_text(path)
    if path.endswith(".md"):
        print(rmod.Doc(path, text).explain())
    else:
        print(rcab.Cable(path, text).explain())


# ---------------------------------------------------------------------------
# Targets ("Done when").

def targets(result):
    """[(name, value, wanted, met)] for every target the data allows."""
    out = []

    def add(name, value, wanted, ok):
        out.append(dict(name=name, value=value, target=wanted,
                        met=bool(ok) if value is not None else False))

    cab = result.get("cables") or {}
    if cab and not cab.get("skipped"):
        b = cab["banner"]
        add("A1 cable banner level agreement (labels whose text agrees)",
            b["level_pct_undisputed"], ">= 99.5%",
            b["level_pct_undisputed"] is not None and b["level_pct_undisputed"] >= 99.5)
        add("A1 cable NOFORN agreement (labels whose text agrees)",
            b["noforn_pct_undisputed"], ">= 99%",
            b["noforn_pct_undisputed"] is not None and b["noforn_pct_undisputed"] >= 99)
        w = cab["withheld_whole"]
        add("A1 cables withheld whole that carry a marking", w["with_marking"], "0",
            w["with_marking"] == 0)
        p = cab["portions"]
        add("A2 cable portion marks found", p["found_pct"], ">= 99%",
            p["found_pct"] is not None and p["found_pct"] >= 99)
        add("A2 cable portion marks invented", p["invented_pct"], "< 1%",
            p["invented_pct"] is not None and p["invented_pct"] < 1)
        for name, r in cab["readers"].items():
            add("A3 cable leaked paragraphs, %s" % name, r["leaked"], "0",
                r["leaked"] == 0)
        for name, r in cab["readers"].items():
            if name in rcab.KEPT_TARGET_READERS:
                add("A4 cable releasable paragraphs kept, %s" % name, r["kept_pct"],
                    ">= 95%", r["kept_pct"] is not None and r["kept_pct"] >= 95)
    mod = result.get("modern") or {}
    if mod and not mod.get("skipped"):
        for key, r in mod["readers"].items():
            add("B3 modern leaked lines, %s" % key, r["leaked"], "0", r["leaked"] == 0)
        a = mod["adhoc"]
        add("B4a modern lines kept, reader cleared for everything", a["kept_pct"],
            ">= 95%", a["kept_pct"] is not None and a["kept_pct"] >= 95)
        for key, r in mod["readers"].items():
            add("B4b modern readable lines kept, %s" % key, r["kept_pct"], ">= 95%",
                r["kept_pct"] is not None and r["kept_pct"] >= 95)
    rcon.targets(result.get("consistency"), add)
    return out


# ---------------------------------------------------------------------------
# The report.

class Report:
    """Collects the report's lines; lists are cut at LIST_LIMIT entries in
    the short form (standard output) and complete in the long form."""

    def __init__(self):
        self.items = []   # (text, is_list_entry, list_id)
        self._list = 0

    def line(self, text=""):
        self.items.append((text, False, None))

    def listing(self, title, entries):
        self._list += 1
        self.line("%s (%d)" % (title, len(entries)))
        for e in entries:
            self.items.append(("  " + e, True, self._list))
        if not entries:
            self.line("  none")

    def render(self, limit):
        out, shown = [], {}
        for text, is_entry, lid in self.items:
            if is_entry and limit is not None:
                shown[lid] = shown.get(lid, 0) + 1
                if shown[lid] > limit:
                    if shown[lid] == limit + 1:
                        total = sum(1 for _, e, l2 in self.items if e and l2 == lid)
                        out.append("  ... %d more (see report.txt or --verbose)" % (
                            total - limit))
                    continue
            out.append(text)
        return "\n".join(out) + "\n"


def fmt(p):
    return rt.fmt_pct(p)


def report_cables(rep, cab):
    rep.line("== A. CABLES ==")
    if cab.get("skipped"):
        rep.line("realcheck: skipped: %s" % cab["reason"])
        return
    b, p, w = cab["banner"], cab["portions"], cab["withheld_whole"]
    rep.line("cables: %d (labels: %d)" % (cab["count"], cab["labels"]))
    if cab["missing_readers"]:
        rep.line("readers missing from the built-in policy: %s" %
                 ", ".join(cab["missing_readers"]))
    if cab.get("redact_errors"):
        rep.line("tearline redact exited %d: %s" % (cab["redact_exit"],
                                                    cab["redact_errors"][:300]))
    rep.line("A1 banner, over %d cables whose text has a banner:" % b["cables_with_banner"])
    rep.line("   level agreement with labels.csv:  %s (%d/%d)" % (
        fmt(b["level_pct"]), b["level_agree"], b["cables_with_banner"]))
    rep.line("   NOFORN agreement with labels.csv: %s (%d/%d)" % (
        fmt(b["noforn_pct"]), b["noforn_agree"], b["cables_with_banner"]))
    rep.line("   labels that disagree with the text's own banner: %d on level, %d on"
             " NOFORN" % (b["label_level_disputes"], b["label_noforn_disputes"]))
    rep.line("   without those: level %s (target >= 99.5%%), NOFORN %s (target >= 99%%)"
             % (fmt(b["level_pct_undisputed"]), fmt(b["noforn_pct_undisputed"])))
    rep.line("   withheld whole (copy is one placeholder) for some reader: %d cables, "
             "%d of them with a banner, routing class or mark (target 0)" % (
                 w["cables"], w["with_marking"]))
    rep.line("A2 portion marks: oracle %d, tearline %d; found %s (target >= 99%%), "
             "invented %s (%d; target < 1%%)" % (
                 p["oracle_marks"], p["tearline_marks"], fmt(p["found_pct"]),
                 fmt(p["invented_pct"]), p["invented"]))
    rep.line("A3/A4 per reader: leaked paragraphs (target 0); releasable "
             "paragraphs kept (target >= 95%, us-official reported only)")
    for name, r in cab["readers"].items():
        rep.line("   %-16s leaked %4d   kept %8s (%d/%d)   withheld whole %d" % (
            name, r["leaked"], fmt(r["kept_pct"]), r["kept"], r["releasable"],
            r["withheld_whole"]))
    rep.line("   (8-word runs also found in text the reader may read are not counted as "
             "leaks: %s; paragraphs under 8 words that the reader may not read are "
             "not checked: %s)" % (
                 ", ".join("%s %d" % (n, r["discounted_runs"])
                           for n, r in cab["readers"].items()),
                 ", ".join("%s %d" % (n, r["unchecked_short"])
                           for n, r in cab["readers"].items())))
    rep.line()


def report_cable_lists(rep, cab):
    if cab.get("skipped"):
        return
    b, p, w = cab["banner"], cab["portions"], cab["withheld_whole"]
    rep.listing("A1 banner misses (file:line  label / text / tearline  cause)", [
        "%s:%d  %s%s / %s%s / %s%s  %s" % (
            r["file"], r["line"], r["label_level"], "//NF" if r["label_noforn"] else "",
            r["text_level"], "//NF" if r["text_noforn"] else "",
            r["tearline_level"], "//NF" if r["tearline_noforn"] else "", r["cause"])
        for r in b["misses"]])
    rep.listing("A1 cables withheld whole although they carry a marking", [
        "%s  readers %s  tearline: %s  text: %s" % (
            x["file"], ",".join(x["readers"]), x["reason"], x["marking"])
        for x in w["list"]])
    rep.listing("A2 marks tearline missed (file:line mark kind  text)", [
        "%s:%d (%s) %s  %s" % (m["file"], m["line"], m["mark"], m["kind"], m["text"])
        for m in p["missed"]])
    rep.listing("A2 marks tearline invented (file:line mark  text)", [
        "%s:%d (%s)  %s" % (m["file"], m["line"], m["mark"], m["text"])
        for m in p["invented_list"]])
    for name, r in cab["readers"].items():
        rep.listing("A3 leaks to %s (file:line mark: the 8 words; runs found/runs)" % name, [
            "%s:%d %s (%s): \"%s\" %d/%d" % (x["file"], x["line"], x["mark"], x["why"],
                                            x["words"], x["runs"], x["of"])
            for x in r["leaks"]])
    for name, r in cab["readers"].items():
        rep.listing("A4 %s: top causes of releasable paragraphs lost" % name, [
            "%5d  %s" % (n, c) for c, n in r["causes"]])
        rep.listing("A4 %s: worst cables (lost paragraphs, main cause)" % name, [
            "%-22s %3d  %s" % (x["file"], x["lost"], x["cause"]) for x in r["worst"]])
    rep.line()


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.explain:
        explain(args.explain)
        return 0
    log = (lambda s: None) if args.quiet else (lambda s: print("realcheck: " + s,
                                                               file=sys.stderr))
    if not (os.path.isfile(args.tearline) and os.access(args.tearline, os.X_OK)):
        print("realcheck: error: tearline binary not found or not executable: %s"
              % args.tearline, file=sys.stderr)
        return 2
    tl = Tearline(os.path.abspath(args.tearline), args.jobs)
    os.makedirs(args.out, exist_ok=True)
    t0 = time.time()
    result = dict(tearline=args.tearline, shared=args.shared, out=args.out)
    try:
        if not args.modern_only:
            cdir = os.path.join(args.shared, "real-cables")
            if os.path.isdir(cdir):
                result["cables"] = rcab.measure(args.shared, tl, args.out, log)
                result["consistency"] = rcon.measure(args.shared, tl, args.out, log,
                                                     result["cables"])
            else:
                msg = "%s not found" % shown(cdir)
                print("realcheck: skipped: %s" % msg)
                result["cables"] = dict(skipped=True, reason=msg)
                result["consistency"] = dict(skipped=True, reason=msg)
        if not args.cables_only:
            mdir = os.path.join(args.shared, "real-modern")
            if os.path.isdir(mdir):
                result["modern"] = rmod.measure(args.shared, args.policies, tl,
                                                args.out, log)
            else:
                msg = "%s not found" % shown(mdir)
                print("realcheck: skipped: %s" % msg)
                result["modern"] = dict(skipped=True, reason=msg)
    except RuntimeError as e:
        print("realcheck: error: %s" % e, file=sys.stderr)
        return 2
    result["seconds"] = round(time.time() - t0, 1)
    result["tearline_calls"] = tl.calls
    result["targets"] = targets(result)

    rep = Report()
    rep.line("realcheck: tearline %s, data %s, %.1f s" % (
        shown(args.tearline), shown(args.shared), result["seconds"]))
    rep.line()
    if "cables" in result:
        report_cables(rep, result["cables"])
    if "modern" in result:
        rmod.report_figures(rep, result["modern"])
    if "consistency" in result:
        rcon.report_figures(rep, result["consistency"])
    rep.line("== targets ==")
    for t in result["targets"]:
        v = t["value"]
        vs = "n/a" if v is None else (("%.2f%%" % v) if isinstance(v, float) else str(v))
        rep.line("  [%s] %-66s %10s  (target %s)" % (
            "met" if t["met"] else "not met", t["name"], vs, t["target"]))
    rep.line()
    if "cables" in result:
        report_cable_lists(rep, result["cables"])
    if "modern" in result:
        rmod.report_lists(rep, result["modern"])
    if "consistency" in result:
        rcon.report_lists(rep, result["consistency"])
    with open(os.path.join(args.out, "report.txt"), "w", encoding="utf-8") as fh:
        fh.write(rep.render(None))
    try:
        sys.stdout.write(rep.render(None if args.verbose else LIST_LIMIT))
        sys.stdout.flush()
    except BrokenPipeError:
        # A reader such as head(1) went away: the report is in report.txt.
        sys.stdout = None
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=1, sort_keys=False, default=list)
            fh.write("\n")
    if args.strict and not all(t["met"] for t in result["targets"]):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
