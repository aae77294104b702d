"""realcheck_text: text helpers shared by the cable and modern checks.

Words and 8-word runs (how the oracle decides that text reached a copy),
tearline's copies (where they are, whether one was withheld whole, the
reason a placeholder line gives) and a line alignment of a document with
its copy (used only to say *why* text is missing, never whether it should
be).
"""

import os
import re

RUN = 8   # words in a run: long enough that a shared run is rarely chance

_WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z0-9]+)*")


def words(text):
    """Lower-case words of text; punctuation and whitespace are ignored,
    so a run of words matches across line wraps and spacing changes."""
    return _WORD.findall(text.lower())


def runs(tokens, n=RUN):
    """The n-word runs of a token list, as tuples (empty if shorter)."""
    return [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def read_text(path):
    """A file as text: UTF-8, undecodable bytes replaced, CR removed."""
    with open(path, "rb") as fh:
        data = fh.read()
    return data.decode("utf-8", errors="replace").replace("\r", "")


def copy_path(out_dir, src, reader):
    """Where `tearline redact -d OUT_DIR` put the copy of src for reader:
    OUT_DIR/NAME.READER.txt, where NAME is the file name without a .txt
    suffix (09ROME97.txt -> 09ROME97.public.txt) and with any other suffix
    kept (doc.md -> doc.md.public.txt).  Both spellings are tried so that a
    change of that convention shows up as missing copies, not a crash."""
    base = os.path.basename(src)
    stem = base[:-4] if base.endswith(".txt") else base
    for name in (stem, base):
        p = os.path.join(out_dir, "%s.%s.txt" % (name, reader))
        if os.path.exists(p):
            return p
    return None


# A placeholder line of any bundled policy's template:
#   [WITHHELD: reason]  [WITHHELD s.24: reason]
#   [portion 3 withheld, (b)(1): reason]
# possibly after a lead ("2. (S) ") kept from the withheld portion.
_PLACEHOLDER = re.compile(
    r"\[(?:WITHHELD|portion \d+ withheld)[^:\]]*:\s*(?P<reason>.*)\]\s*$")


def placeholder_reason(line):
    """The reason a placeholder line gives, or None for an ordinary line."""
    mo = _PLACEHOLDER.search(line)
    return mo.group("reason").strip() if mo else None


def withheld_whole(copy_text):
    """(True, reason) when a copy is a single placeholder line, i.e. tearline
    withheld the whole document; else (False, "")."""
    lines = [ln for ln in copy_text.split("\n") if ln.strip()]
    if len(lines) == 1:
        reason = placeholder_reason(lines[0])
        if reason is not None:
            return True, reason
    return False, ""


def short_reason(reason):
    """A reason shortened for grouping: quoted marks are kept (they name the
    form tearline could not read), numbers of portions are dropped."""
    r = re.sub(r"\bportion \d+\b", "portion N", reason)
    return r[:100]


def align(src_lines, copy_lines):
    """For each source line, what became of it in the copy: None when the
    line was found in the copy, else the reason of the placeholder that took
    its place, or "dropped" (gone without a placeholder).

    Only used to name causes.  A copy is the source with runs of lines
    replaced by placeholder lines, so a greedy walk suffices: each ordinary
    copy line is matched to its next occurrence in the source, and the
    source lines skipped on the way take the reason of the placeholder seen
    since the last match.  Linear (with a bisection per line), where a
    general diff is quadratic on a 20,000-line document withheld in pieces."""
    import bisect
    where = {}
    for k, ln in enumerate(src_lines):
        if ln.strip():
            where.setdefault(ln, []).append(k)
    fate = [None] * len(src_lines)
    i = 0
    pending = None
    for ln in copy_lines:
        reason = placeholder_reason(ln)
        if reason is not None:
            if pending is None:
                pending = reason
            continue
        if not ln.strip():
            continue
        pos = where.get(ln)
        if not pos:
            continue          # a line tearline wrote anew (a banner)
        n = bisect.bisect_left(pos, i)
        if n == len(pos):
            continue
        k = pos[n]
        for m in range(i, k):
            fate[m] = pending or "dropped"
        i = k + 1
        pending = None
    for m in range(i, len(src_lines)):
        fate[m] = pending or "dropped"
    return fate


def pct(num, den):
    """A percentage with one decimal, or None when there is nothing to count."""
    if not den:
        return None
    return round(100.0 * num / den, 2)


def fmt_pct(p):
    return "n/a" if p is None else "%.2f%%" % p
