#!/usr/bin/env python3
"""sarif_check.py FILE [N]: structural checks of a SARIF 2.1.0 log as
code-scanning services read it, then JSON-schema validation when the
jsonschema module is available.  Exit 0 when valid."""
import json
import os
import re
import sys

LEVELS = {"error", "warning", "note"}
# RFC 3986 URI reference: no spaces, no characters outside the allowed set.
URI_REF = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")


def fail(msg):
    print("sarif_check: " + msg, file=sys.stderr)
    sys.exit(1)


def want(cond, msg):
    if not cond:
        fail(msg)


def structural(log):
    want(isinstance(log, dict), "the log is not an object")
    want(log.get("version") == "2.1.0", "version is not 2.1.0")
    runs = log.get("runs")
    want(isinstance(runs, list) and len(runs) == 1, "runs is not one run")
    run = runs[0]
    driver = run.get("tool", {}).get("driver")
    want(isinstance(driver, dict), "runs[0].tool.driver missing")
    want(driver.get("name") == "tearline", "driver.name is not tearline")
    want(isinstance(driver.get("version"), str) and driver["version"],
         "driver.version missing")
    rules = driver.get("rules")
    want(isinstance(rules, list) and rules, "driver.rules missing")
    ids = []
    for r in rules:
        want(isinstance(r.get("id"), str) and r["id"], "a rule without id")
        want(isinstance(r.get("shortDescription", {}).get("text"), str),
             "rule %s: no shortDescription.text" % r["id"])
        want(isinstance(r.get("help", {}).get("text"), str) or
             isinstance(r.get("helpUri"), str),
             "rule %s: no help text or helpUri" % r["id"])
        level = r.get("defaultConfiguration", {}).get("level")
        want(level in LEVELS, "rule %s: default level %r" % (r["id"], level))
        want(isinstance(r.get("properties", {}).get("source"), str),
             "rule %s: no source" % r["id"])
        ids.append(r["id"])
    want(len(set(ids)) == len(ids), "duplicate rule ids")
    results = run.get("results")
    want(isinstance(results, list), "runs[0].results missing")
    for i, res in enumerate(results):
        where = "result %d" % i
        rid = res.get("ruleId")
        want(rid in ids, "%s: ruleId %r not in rules" % (where, rid))
        idx = res.get("ruleIndex")
        want(isinstance(idx, int) and 0 <= idx < len(ids) and
             ids[idx] == rid, "%s: ruleIndex %r does not name %s" %
             (where, idx, rid))
        want(res.get("level") in LEVELS, "%s: level %r" %
             (where, res.get("level")))
        want(isinstance(res.get("message", {}).get("text"), str) and
             res["message"]["text"], "%s: no message.text" % where)
        locs = res.get("locations", [])
        want(isinstance(locs, list), "%s: locations not a list" % where)
        if rid != "audit-truncated":
            want(len(locs) >= 1, "%s: no location" % where)
        for loc in locs:
            phys = loc.get("physicalLocation", {})
            uri = phys.get("artifactLocation", {}).get("uri")
            want(isinstance(uri, str) and uri and URI_REF.match(uri),
                 "%s: bad uri %r" % (where, uri))
            region = phys.get("region")
            if region is not None:
                want(isinstance(region.get("startLine"), int) and
                     region["startLine"] >= 1, "%s: startLine" % where)
                if "startColumn" in region:
                    want(isinstance(region["startColumn"], int) and
                         region["startColumn"] >= 1, "%s: startColumn" % where)
    return len(results)


def schema_validate(log):
    try:
        import jsonschema
    except ImportError:
        print("sarif_check: schema validation skipped (no jsonschema module;"
              " Debian: python3-jsonschema)", file=sys.stderr)
        return
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "sarif-schema-2.1.0.json")) as f:
        schema = json.load(f)
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    if errors:
        e = errors[0]
        fail("schema: %s at %s (%d errors)" %
             (e.message[:200], "/".join(str(p) for p in e.path), len(errors)))


def main():
    if len(sys.argv) not in (2, 3):
        fail("usage: sarif_check.py FILE [N]")
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    want(text.endswith("\n") and text.count("\n") == 1,
         "the log is not one line")
    log = json.loads(text)
    n = structural(log)
    if len(sys.argv) == 3:
        want(n == int(sys.argv[2]), "%d results, wanted %s" % (n, sys.argv[2]))
    schema_validate(log)


if __name__ == "__main__":
    main()
