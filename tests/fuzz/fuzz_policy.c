/*
 * fuzz_policy.c: the policy loader (tl_policy_load_buffer) and checker
 * (tl_policy_check_buffer) on any bytes; a policy that loads is written
 * back as YAML (tl_policy_write_yaml) and loaded again.
 *
 * Invariants: load and check agree on whether the policy is valid; a
 * failure fills the diagnostic, a success the policy; the YAML written
 * for a loaded policy loads, and writing it again gives the same bytes;
 * every reader profile reads back, and a placeholder renders within its
 * buffer.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

static void
on_problem(void *ctx, const tl_diag *d)
{
	unsigned long *n = ctx;

	fuzz_check_diag(d);
	FUZZ_CHECK(d->status != TL_OK, "a problem with status OK: %s",
	    d->message);
	FUZZ_CHECK(d->rule[0] != '\0', "a problem without a rule: %s",
	    d->message);
	(*n)++;
}

/* Exercises what callers read from a loaded policy. */
static void
use_policy(const tl_policy *pol)
{
	tl_policy_level lvl;
	tl_reader r;
	tl_portion po;
	tl_decision dec;
	tl_diag d;
	char buf[256], ph[64];
	unsigned i, nlevels = tl_policy_level_count(pol);
	size_t k, n;

	FUZZ_CHECK(tl_policy_name(pol) && tl_policy_source(pol) &&
	    strlen(tl_policy_hash(pol)) == 64, "policy identity");
	FUZZ_CHECK(nlevels > 0, "a valid policy without levels");
	for (i = 0; i <= nlevels + 1; i++) {
		bool ok = tl_policy_level_at(pol, i, &lvl);

		FUZZ_CHECK(ok == (i >= 1 && i <= nlevels), "level %u of %u: %d",
		    i, nlevels, ok);
		if (ok)
			FUZZ_CHECK(lvl.rank == i && lvl.name && lvl.portion &&
			    lvl.banner && lvl.exemption, "level %u fields", i);
	}
	for (k = 0; k < tl_policy_reader_count(pol); k++) {
		const char *name = tl_policy_reader_name(pol, k);

		FUZZ_CHECK(name != NULL, "reader %zu has no name", k);
		FUZZ_CHECK(tl_reader_profile(pol, name, &r, &d) == TL_OK,
		    "reader \"%s\" does not read back: %s", name, d.message);
		FUZZ_CHECK(r.rank >= 1 && r.rank <= nlevels, "reader \"%s\" "
		    "has rank %u of %u", name, r.rank, nlevels);
		n = tl_reader_format(&r, buf, sizeof buf);
		FUZZ_CHECK(strlen(buf) == (n < sizeof buf ? n : sizeof buf - 1),
		    "tl_reader_format returned %zu", n);
	}
	FUZZ_CHECK(tl_policy_reader_name(pol, tl_policy_reader_count(pol)) ==
	    NULL, "a reader past the end");

	/* A placeholder into a small buffer: truncated, NUL-terminated, and
	 * its length says what the whole would need. */
	memset(&po, 0, sizeof po);
	po.index = 3;
	po.marked = true;
	memcpy(po.lead, "3. ", 4);
	memcpy(po.number, "3", 2);
	memcpy(po.mark_text, "S//NF", 6);
	memset(&dec, 0, sizeof dec);
	memcpy(dec.rule, "clearance", 10);
	memcpy(dec.reason, "above the reader's clearance", 29);
	n = tl_policy_placeholder(pol, &po, &dec, ph, sizeof ph);
	FUZZ_CHECK(strlen(ph) == (n < sizeof ph ? n : sizeof ph - 1),
	    "tl_policy_placeholder returned %zu for \"%s\"", n, ph);
	for (k = 0; ph[k]; k++)
		FUZZ_CHECK((unsigned char)ph[k] >= 0x20 && ph[k] != 0x7f,
		    "control character in a placeholder");
}

/* The YAML after its opening comment (which names the source and its
 * hash, and so differs between the two loads). */
static const char *
body(const char *yaml)
{
	while (yaml[0] == '#') {
		const char *nl = strchr(yaml, '\n');

		if (nl == NULL)
			return "";
		yaml = nl + 1;
	}
	return yaml;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *bytes = (const char *)data;
	tl_policy *pol = NULL, *again = NULL;
	fuzz_bytes y1 = { 0 }, y2 = { 0 };
	unsigned long problems = 0;
	tl_status st, cst;
	tl_diag d;

	memset(&d, 0x5a, sizeof d);
	st = tl_policy_load_buffer("fuzz.yaml", bytes, size, &pol, &d);
	fuzz_check_status(st);
	cst = tl_policy_check_buffer("fuzz.yaml", bytes, size, on_problem,
	    &problems);
	FUZZ_CHECK((st == TL_OK) == (cst == TL_OK), "load says %s, check "
	    "says %s", tl_strerror(st), tl_strerror(cst));
	FUZZ_CHECK((cst == TL_OK) == (problems == 0), "check says %s with %lu "
	    "problems", tl_strerror(cst), problems);
	if (st != TL_OK) {
		FUZZ_CHECK(pol == NULL, "a policy returned with %s",
		    tl_strerror(st));
		fuzz_check_failure(st, &d);
		return 0;
	}
	FUZZ_CHECK(pol != NULL, "TL_OK without a policy");
	use_policy(pol);

	FUZZ_CHECK(tl_policy_write_yaml(pol, fuzz_to_bytes, &y1) == TL_OK,
	    "tl_policy_write_yaml failed");
	st = tl_policy_load_buffer("again.yaml", y1.s, y1.len, &again, &d);
	FUZZ_CHECK(st == TL_OK, "the policy as written does not load: %s "
	    "(line %lu col %lu)\n%s", d.message, d.line, d.col, y1.s);
	FUZZ_CHECK(tl_policy_write_yaml(again, fuzz_to_bytes, &y2) == TL_OK,
	    "tl_policy_write_yaml failed");
	FUZZ_CHECK(strcmp(body(y1.s), body(y2.s)) == 0, "writing the policy "
	    "as written changes it:\n%s\n----\n%s", y1.s, y2.s);
	FUZZ_CHECK(tl_policy_level_count(again) == tl_policy_level_count(pol) &&
	    tl_policy_reader_count(again) == tl_policy_reader_count(pol),
	    "levels or readers lost in writing");
	tl_policy_free(again);
	tl_policy_free(pol);
	free(y1.s);
	free(y2.s);
	return 0;
}
