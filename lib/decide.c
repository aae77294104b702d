/*
 * decide.c: reader decisions.  A reader (a policy profile or ad hoc) is
 * checked against a document's banner first, then against each portion's
 * level and controls; anything uncertain is withheld, and the decision
 * names the first condition that failed.  Also renders placeholders.
 */
#include "policy.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Readers.
 * ---------------------------------------------------------------------- */

tl_status
tl_reader_profile(const tl_policy *pol, const char *name, tl_reader *out,
    tl_diag *diag)
{
	const pol_reader *r;
	char known[300] = "";
	size_t i;

	if (out)
		memset(out, 0, sizeof *out);
	if (pol == NULL || name == NULL || out == NULL)
		return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "tl_reader_profile: NULL argument");
	for (i = 0; i < pol->nreaders; i++)
		if (strcmp(pol->readers[i].name.s, name) == 0)
			break;
	if (i == pol->nreaders) {
		for (i = 0; i < pol->nreaders; i++)
			tl_pol_append(known, sizeof known, ", ",
			    pol->readers[i].name.s);
		return tl_diag_set(diag, TL_ENOTFOUND, TL_SEV_ERROR, NULL, 0, 0,
		    "reader-unknown", "policy '%s' has no reader '%s' "
		    "(readers: %s)", pol->name, name, known[0] ? known : "none");
	}
	r = &pol->readers[i];
	if (r->rank == 0 || r->rank > pol->nlevels)
		return tl_diag_set(diag, TL_EPOLICY, TL_SEV_ERROR, NULL, 0, 0,
		    "reader-clearance", "reader '%s' has no clearance in policy "
		    "'%s'", name, pol->name);
	tl_strlcpy(out->name, r->name.s, strlen(r->name.s), sizeof out->name);
	out->rank = r->rank;
	tl_strlcpy(out->clearance, pol->levels[r->rank - 1].name.s,
	    strlen(pol->levels[r->rank - 1].name.s), sizeof out->clearance);
	tl_strlcpy(out->nationality, r->nationality.key,
	    strlen(r->nationality.key), sizeof out->nationality);
	out->is_public = r->is_public;
	for (i = 0; i < r->access.n && i < TL_READER_ACCESS_MAX; i++)
		tl_strlcpy(out->access[i], r->access.v[i].key,
		    strlen(r->access.v[i].key), sizeof out->access[i]);
	out->naccess = (unsigned)i;
	return TL_OK;
}

static tl_status
adhoc_access(const tl_policy *pol, const char *access, tl_reader *out,
    tl_diag *diag)
{
	const char *p = access, *end;
	char key[POL_NAME_MAX], known[300] = "";
	size_t i, j;

	while (*p) {
		for (end = p; *end && *end != ','; end++)
			;
		tl_pol_key(key, p, (size_t)(end - p));
		if (key[0] == '\0' || (size_t)(end - p) >= TL_TOKEN_MAX)
			return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, NULL, 0,
			    0, "reader-access", "malformed access list '%s' "
			    "(names separated by commas)", access);
		if (!tl_pol_needs_access(pol, key)) {
			for (i = 0; i < pol->ncontrols; i++)
				for (j = 0; j < pol->controls[i].needs.n; j++)
					tl_pol_append(known, sizeof known, ", ",
					    pol->controls[i].needs.v[j].s);
			return tl_diag_set(diag, TL_ENOTFOUND, TL_SEV_ERROR, NULL,
			    0, 0, "reader-access", "policy '%s' knows no access "
			    "or approval '%.*s' (known: %s)", pol->name,
			    (int)(end - p), p, known[0] ? known : "none");
		}
		if (out->naccess == TL_READER_ACCESS_MAX)
			return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, NULL, 0,
			    0, "reader-access", "more than %d accesses",
			    TL_READER_ACCESS_MAX);
		tl_strlcpy(out->access[out->naccess], key, strlen(key),
		    sizeof out->access[0]);
		out->naccess++;
		p = *end ? end + 1 : end;
	}
	return TL_OK;
}

tl_status
tl_reader_adhoc(const tl_policy *pol, const char *clearance,
    const char *nationality, const char *access, bool is_public,
    tl_reader *out, tl_diag *diag)
{
	char known[300] = "";
	size_t lv, i;
	tl_status st;

	if (out)
		memset(out, 0, sizeof *out);
	if (pol == NULL || clearance == NULL || nationality == NULL ||
	    out == NULL)
		return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "tl_reader_adhoc: NULL argument");
	if ((lv = tl_pol_find_level(pol, clearance, strlen(clearance))) ==
	    SIZE_MAX) {
		for (i = 0; i < pol->nlevels; i++)
			tl_pol_append(known, sizeof known, ", ",
			    pol->levels[i].name.s);
		return tl_diag_set(diag, TL_ENOTFOUND, TL_SEV_ERROR, NULL, 0, 0,
		    "reader-clearance", "policy '%s' has no level '%s' "
		    "(levels: %s)", pol->name, clearance, known);
	}
	for (i = 0; i < 3 && tl_isalpha((unsigned char)nationality[i]); i++)
		;
	if (i != 3 || nationality[3] != '\0')
		return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    "reader-nationality", "nationality '%s' is not a three-letter "
		    "ISO 3166 code such as USA or GBR", nationality);
	out->rank = (unsigned)lv + 1;
	tl_strlcpy(out->clearance, pol->levels[lv].name.s,
	    strlen(pol->levels[lv].name.s), sizeof out->clearance);
	for (i = 0; i < 3; i++)
		out->nationality[i] = (char)tl_toupper((unsigned char)nationality[i]);
	out->is_public = is_public;
	if (access && (st = adhoc_access(pol, access, out, diag)) != TL_OK) {
		memset(out, 0, sizeof *out);
		return st;
	}
	return TL_OK;
}

size_t
tl_reader_format(const tl_reader *r, char *buf, size_t size)
{
	char acc[TL_READER_ACCESS_MAX * TL_TOKEN_MAX + 16] = "";
	char item[TL_TOKEN_MAX];
	size_t i;
	int n;

	for (i = 0; i < r->naccess && i < TL_READER_ACCESS_MAX; i++) {
		/* A caller may have filled the struct: bound each string. */
		tl_strlcpy(item, r->access[i], strnlen(r->access[i],
		    sizeof r->access[i]), sizeof item);
		tl_pol_append(acc, sizeof acc, ",", item);
	}
	n = snprintf(buf, size, "%.*s (%.*s, %.*s%s%s%s)",
	    (int)sizeof r->name, r->name[0] ? r->name : "ad hoc",
	    (int)sizeof r->clearance, r->clearance[0] ? r->clearance :
	    "no clearance", (int)sizeof r->nationality, r->nationality[0] ?
	    r->nationality : "no nationality",
	    r->is_public ? ", public" : "", acc[0] ? ", access " : "", acc);
	return n < 0 ? 0 : (size_t)n;
}

/* ------------------------------------------------------------------------
 * Decisions.
 * ---------------------------------------------------------------------- */

static tl_verdict __attribute__((format(printf, 4, 5)))
set(tl_decision *d, tl_verdict v, const char *rule, const char *fmt, ...)
{
	va_list ap;

	d->verdict = v;
	tl_strlcpy(d->rule, rule, strlen(rule), sizeof d->rule);
	va_start(ap, fmt);
	vsnprintf(d->reason, sizeof d->reason, fmt, ap);
	va_end(ap);
	return v;
}

/* Puts a formatted prefix before d->reason ("unmarked, takes the
 * document's SECRET: " + the cause); what does not fit is cut from the
 * end. */
static void __attribute__((format(printf, 2, 3)))
prefix_reason(tl_decision *d, const char *fmt, ...)
{
	char cause[sizeof d->reason];
	va_list ap;
	int n;

	memcpy(cause, d->reason, sizeof cause);
	va_start(ap, fmt);
	n = vsnprintf(d->reason, sizeof d->reason, fmt, ap);
	va_end(ap);
	if (n < 0)
		d->reason[0] = '\0';
	else if ((size_t)n < sizeof d->reason)
		snprintf(d->reason + n, sizeof d->reason - (size_t)n, "%s",
		    cause);
}

#define SET_RULE(d, id) tl_strlcpy((d)->rule, (id), strlen(id), \
	sizeof (d)->rule)

static void
set_exemption(tl_decision *d, const char *code)
{
	tl_strlcpy(d->exemption, code, strlen(code), sizeof d->exemption);
}

/* The exemption of a withholding: the control's, else the level's, else
 * the policy's default. */
static void
exempt(const tl_policy *pol, tl_decision *d, const pol_control *c)
{
	if (c && c->exemption[0])
		set_exemption(d, c->exemption);
	else if (d->rank && d->rank <= pol->nlevels &&
	    pol->levels[d->rank - 1].exemption[0])
		set_exemption(d, pol->levels[d->rank - 1].exemption);
	else
		set_exemption(d, pol->exemption);
}

static bool
holds(const tl_reader *r, const char *key)
{
	unsigned i;

	for (i = 0; i < r->naccess && i < TL_READER_ACCESS_MAX; i++)
		if (strcmp(r->access[i], key) == 0)
			return true;
	return false;
}

/* Writes "A, B, C" of a list of names. */
static void
join(char *buf, size_t size, const pol_names *ns)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < ns->n; i++)
		tl_pol_append(buf, size, ", ", ns->v[i].s);
}

/* Whether REL TO control c's implicit nationalities pass for marking m:
 * always, or only when m carries the control `implicit-with` names (a
 * NATO marking: NATO nations pass its RELEASABLE TO; a US marking's REL
 * TO USA, FVEY does not let them in); never in a `foreign` document
 * (tl_docdecision.foreign). */
static bool
implicit_applies(const pol_control *c, const tl_marking *m, bool foreign)
{
	return !foreign && (c->implicit_with.s[0] == '\0' ||
	    (m != NULL && tl_marking_has(m, c->implicit_with.s)));
}

/* A REL TO list that starts with USA is the United States' own (CAPCO
 * writes the originator first), and so is a bare REL: a policy whose
 * implicit nationalities do not hold USA (uk-gsc's GBR) does not let them
 * through it, so "REL TO USA, SWE" does not reach a British reader. */
static bool
foreign_list(const tl_policy *pol, const pol_control *c, const tl_marking *m)
{
	size_t i;

	if (m == NULL)
		return false;
	/* A bare REL with no list to take from the banner is CAPCO's form
	 * too: a US list, of nobody named. */
	if (!(m->rel_banner && m->nrel == 0) && (m->nrel == 0 ||
	    strncmp(m->rel[0], "USA", sizeof m->rel[0]) != 0))
		return false;
	for (i = 0; i < c->implicit.n; i++)
		if (tl_pol_country_in(pol, "USA", c->implicit.v[i].s))
			return false;
	return true;
}

/*
 * Checks control `ci` (and what it implies) for the reader against
 * marking `m`.  `where` prefixes the reason ("" or "banner ").  Returns
 * true when satisfied; else fills `d`.  `depth` bounds `implies` chains,
 * which load-time validation already made acyclic.
 */
static bool
control_ok(const tl_policy *pol, const tl_reader *r, const tl_marking *m,
    bool foreign, size_t ci, const char *where, tl_decision *d,
    unsigned depth)
{
	const pol_control *c = &pol->controls[ci];
	char list[160];
	size_t i;
	unsigned k;
	bool ok;

	switch (c->effect) {
	case POL_EFFECT_NONE:
		break;
	case POL_EFFECT_NATIONALS:
		for (ok = false, i = 0; !ok && i < c->countries.n; i++)
			ok = tl_pol_country_in(pol, r->nationality,
			    c->countries.v[i].s);
		if (!ok) {
			join(list, sizeof list, &c->countries);
			set(d, TL_WITHHOLD, "nationals-only", "%s%s: for "
			    "nationals of %s only; reader is %s", where,
			    c->name.s, list, r->nationality[0] ?
			    r->nationality : "of no nationality");
			exempt(pol, d, c);
			return false;
		}
		break;
	case POL_EFFECT_REL_TO:
		ok = false;
		for (i = 0; !ok && implicit_applies(c, m, foreign) &&
		    !foreign_list(pol, c, m) && i < c->implicit.n; i++)
			ok = tl_pol_country_in(pol, r->nationality,
			    c->implicit.v[i].s);
		list[0] = '\0';
		for (k = 0; k < m->nrel && k < TL_MARK_REL_MAX; k++) {
			char code[sizeof m->rel[0] + 1];

			tl_strlcpy(code, m->rel[k], strnlen(m->rel[k],
			    sizeof m->rel[k]), sizeof code);
			/* A code no table knows (tl_marking.rel_unknown)
			 * admits nobody, a reader who claims it included. */
			ok = ok || (!has_code(m->rel_unknown,
			    m->nrel_unknown < TL_MARK_UNKNOWN_MAX ?
			    m->nrel_unknown : TL_MARK_UNKNOWN_MAX, code) &&
			    tl_pol_country_in(pol, r->nationality, code));
			tl_pol_append(list, sizeof list, ", ", code);
		}
		if (!ok) {
			set(d, TL_WITHHOLD, "rel-to", "%s%s %s: reader "
			    "nationality %s is not listed, nor a group holding "
			    "it", where, c->name.s, list[0] ? list :
			    "(empty list)", r->nationality[0] ?
			    r->nationality : "(none)");
			exempt(pol, d, c);
			return false;
		}
		break;
	case POL_EFFECT_APPROVAL:
	case POL_EFFECT_ACCESS:
		for (i = 0; i < c->needs.n; i++)
			if (!holds(r, c->needs.v[i].key)) {
				if (c->effect == POL_EFFECT_APPROVAL)
					set(d, TL_WITHHOLD, "approval", "%s%s: "
					    "reader lacks the originator's "
					    "approval %s", where, c->name.s,
					    c->needs.v[i].s);
				else
					set(d, TL_WITHHOLD, "access", "%s%s: "
					    "reader lacks access %s", where,
					    c->name.s, c->needs.v[i].s);
				exempt(pol, d, c);
				return false;
			}
		break;
	case POL_EFFECT_NOT_PUBLIC:
		if (r->is_public) {
			set(d, TL_WITHHOLD, "not-public", "%s%s: not for the "
			    "public", where, c->name.s);
			exempt(pol, d, c);
			return false;
		}
		break;
	}
	if (depth >= 16)
		return true;
	for (i = 0; i < c->implies.n; i++) {
		if (c->implies_idx == NULL || c->implies_idx[i] == SIZE_MAX)
			continue;
		if (!control_ok(pol, r, m, foreign, c->implies_idx[i], where,
		    d, depth + 1)) {
			char why[sizeof d->reason], rule[sizeof d->rule];

			memcpy(why, d->reason, sizeof why);
			memcpy(rule, d->rule, sizeof rule);
			set(d, TL_WITHHOLD, rule, "%s implies %s", c->name.s,
			    why);
			return false;
		}
	}
	return true;
}

/*
 * Everything a marking demands besides its level: controls in written
 * order, then REL TO, then unknown tokens.  `scope_doc` limits the check
 * to controls with document scope (the banner's whole-document effect).
 * Returns true when the reader satisfies all of it; else fills `d`.
 */
static bool
marking_ok(const tl_policy *pol, const tl_reader *r, const tl_marking *m,
    bool foreign, const char *where, bool doc_only, tl_decision *d)
{
	unsigned i, n = m->ncontrols < TL_MARK_CONTROLS_MAX ? m->ncontrols :
	    TL_MARK_CONTROLS_MAX;
	size_t ci;

	for (i = 0; i < n; i++) {
		const char *name = m->controls[i];
		size_t len = strnlen(name, TL_TOKEN_MAX);

		ci = tl_pol_find_control(pol, name, len);
		if (ci == SIZE_MAX) {
			/* An unknown control binds only the text that carries
			 * or inherits it, never the whole document. */
			if (doc_only || pol->unknown_control == POL_UNKNOWN_IGNORE)
				continue;
			set(d, TL_WITHHOLD, "control-unknown", "%scontrol "
			    "'%.*s' is not defined by policy '%s'", where,
			    (int)len, name, pol->name);
			exempt(pol, d, NULL);
			return false;
		}
		if (doc_only && !pol->controls[ci].doc_scope)
			continue;
		if (!control_ok(pol, r, m, foreign, ci, where, d, 0))
			return false;
	}
	if (m->rel_to && !doc_only) {
		if (pol->rel_to == SIZE_MAX) {
			if (pol->unknown_control != POL_UNKNOWN_IGNORE) {
				set(d, TL_WITHHOLD, "control-unknown", "%sREL TO "
				    "is not defined by policy '%s'", where,
				    pol->name);
				exempt(pol, d, NULL);
				return false;
			}
		} else if (!control_ok(pol, r, m, foreign, pol->rel_to, where,
		    d, 0))
			return false;
	}
	if (m->nunknown && !doc_only &&
	    pol->unknown_token != POL_UNKNOWN_IGNORE) {
		set(d, TL_WITHHOLD, "token-unknown", "%sunknown token '%.*s' in "
		    "the marking", where, TL_TOKEN_MAX, m->unknown[0]);
		exempt(pol, d, NULL);
		return false;
	}
	return true;
}

/*
 * A bounded copy of a caller's reader: a tl_reader is a plain struct that
 * anyone may fill, so every string is cut to its array and the counts to
 * their maxima.  Returns false for a rank the policy does not have, which
 * then withholds everything.
 */
static bool
sane_reader(const tl_policy *pol, const tl_reader *in, tl_reader *out)
{
	unsigned i;

	*out = *in;
	out->name[sizeof out->name - 1] = '\0';
	out->clearance[sizeof out->clearance - 1] = '\0';
	out->nationality[sizeof out->nationality - 1] = '\0';
	if (out->naccess > TL_READER_ACCESS_MAX)
		out->naccess = TL_READER_ACCESS_MAX;
	for (i = 0; i < out->naccess; i++)
		out->access[i][sizeof out->access[i] - 1] = '\0';
	return out->rank <= pol->nlevels;
}

/* Rank a level resolves to, after the policy's unknown-level rule. */
static unsigned
effective_rank(const tl_policy *pol, unsigned rank)
{
	if (rank == 0 && pol->unknown_level == POL_UNKNOWN_LEVEL_HIGHEST)
		return (unsigned)pol->nlevels;
	return rank;
}

static const char *
level_label(const tl_policy *pol, unsigned rank)
{
	return rank && rank <= pol->nlevels ? pol->levels[rank - 1].name.s :
	    "UNKNOWN";
}

/* True when the reader is a national of the originator of marking `m`:
 * a nationality the policy's REL TO control always passes (`implicit`,
 * when the marking carries the control `implicit-with` names, if any), or,
 * in a policy without REL TO, one its nationals-only controls (NOFORN)
 * admit.  A policy with neither has no notion of foreign: every reader
 * passes. */
static bool
originator_national(const tl_policy *pol, const tl_reader *r,
    const tl_marking *m, bool foreign, const char *origin)
{
	const pol_control *c;
	bool any = false;
	size_t i, k;

	/* The document's own nation (tl_docdecision.origin). */
	if (origin[0] != '\0' && strncmp(r->nationality, origin,
	    sizeof r->nationality) == 0)
		return true;
	if (pol->rel_to != SIZE_MAX) {
		c = &pol->controls[pol->rel_to];
		if (!implicit_applies(c, m, foreign))
			return false; /* another originator's marking */
		for (i = 0; i < c->implicit.n; i++)
			if (tl_pol_country_in(pol, r->nationality,
			    c->implicit.v[i].s))
				return true;
		if (c->implicit.n)
			return false;
	}
	for (k = 0; k < pol->ncontrols; k++) {
		c = &pol->controls[k];
		if (c->effect != POL_EFFECT_NATIONALS)
			continue;
		for (i = 0; i < c->countries.n; i++) {
			any = true;
			if (tl_pol_country_in(pol, r->nationality,
			    c->countries.v[i].s))
				return true;
		}
	}
	return !any;
}

/* Foreign disclosure is explicit: classified text goes to a reader of
 * another nationality only under a REL TO (or DISPLAY ONLY) list, which
 * marking_ok then checks names the reader.  The absence of a control is
 * not a release.  True when the marking may go on to that check. */
static bool
foreign_ok(const tl_policy *pol, const tl_reader *r, const tl_marking *m,
    bool foreign, const char *origin, unsigned eff, tl_decision *d)
{
	if (pol->foreign == POL_FOREIGN_IMPLIED || eff == 0 ||
	    eff > pol->nlevels || !pol->levels[eff - 1].classified ||
	    m->rel_to || m->ndisplay ||
	    originator_national(pol, r, m, foreign, origin))
		return true;
	set(d, TL_WITHHOLD, "foreign-disclosure", "%s with no REL TO: not "
	    "released to a reader of nationality %s", level_label(pol, eff),
	    r->nationality[0] ? r->nationality : "(none)");
	exempt(pol, d, NULL);
	return false;
}

/* Level, then the rest of marking `m` decided as a portion would be. */
static tl_verdict
decide_marking(const tl_policy *pol, const tl_reader *r, const tl_marking *m,
    bool foreign, const char *origin, unsigned rank, tl_decision *d)
{
	unsigned eff = effective_rank(pol, rank);

	d->rank = rank;
	if (eff == 0) {
		set(d, TL_WITHHOLD, "level-unknown", "level '%.*s' is not "
		    "defined by policy '%s' and ranks above every clearance",
		    TL_TOKEN_MAX, m->level_token[0] ? m->level_token :
		    tl_level_name(m->level), pol->name);
		exempt(pol, d, NULL);
		return TL_WITHHOLD;
	}
	if (r->rank < eff) {
		set(d, TL_WITHHOLD, "clearance", "portion is %s; reader is "
		    "cleared %s", level_label(pol, eff), r->rank ?
		    level_label(pol, r->rank) : "for nothing");
		exempt(pol, d, NULL);
		return TL_WITHHOLD;
	}
	if (!marking_ok(pol, r, m, foreign, "", false, d))
		return TL_WITHHOLD;
	if (!foreign_ok(pol, r, m, foreign, origin, eff, d))
		return TL_WITHHOLD;
	return set(d, TL_RELEASE, "cleared", "reader cleared %s for %s; every "
	    "control satisfied", level_label(pol, r->rank),
	    level_label(pol, eff));
}

/* The marking's level becomes policy level `lv`. */
static void
set_level(tl_marking *m, const pol_level *lv)
{
	tl_strlcpy(m->level_token, lv->name.key, strlen(lv->name.key),
	    sizeof m->level_token);
	m->level = tl_level_lookup(lv->name.s, strlen(lv->name.s));
}

/* Rank of the highest level the policy routes with ZNY letter `c`; 0
 * when none does. */
static unsigned
routing_rank(const tl_policy *pol, char c)
{
	size_t i;

	for (i = pol->nlevels; c && i > 0; i--)
		if (pol->levels[i - 1].routing == c)
			return (unsigned)i;
	return 0;
}

/* Raises the document marking `dm` (rank `*rank`) by the evidence `ev`:
 * its level when higher, its controls added.  Never lowers.  True when
 * anything changed. */
static bool
raise_by(const tl_policy *pol, tl_marking *dm, unsigned *rank,
    const tl_marking *ev)
{
	unsigned er = ev->level != TL_LEVEL_UNKNOWN || ev->level_token[0] ?
	    tl_policy_level_rank(pol, ev) : 0;
	unsigned i, before = dm->ncontrols;
	bool raised = false;

	if (er > *rank) {
		*rank = er;
		dm->level = ev->level;
		memcpy(dm->level_token, ev->level_token, sizeof dm->level_token);
		raised = true;
	}
	for (i = 0; i < ev->ncontrols && i < TL_MARK_CONTROLS_MAX; i++)
		tl_marking_add_control(dm, ev->controls[i]);
	if (ev->malformed)
		dm->malformed = true; /* a control the roll-up could not hold */
	/* NOFORN anywhere clears a REL TO list the banner gave. */
	if (tl_marking_has(dm, "NOFORN") && dm->rel_to) {
		dm->rel_to = false;
		dm->nrel = 0;
	}
	return raised || dm->ncontrols != before;
}

/* True when banner marking `b` is another originator's than the nations
 * the policy's REL TO control passes implicitly: a nationals-only control
 * (NOFORN) that admits none of them, or a REL TO list that is the United
 * States' own (foreign_list).  A British reader of uk-gsc then gets the
 * "(C)" of an American SECRET//NOFORN document only where its own REL TO
 * names GBR. */
static bool
foreign_banner(const tl_policy *pol, const tl_marking *b)
{
	const pol_control *c;
	unsigned k;
	size_t ci, i, j;

	if (pol->rel_to == SIZE_MAX)
		return false;
	c = &pol->controls[pol->rel_to];
	if (c->implicit.n == 0)
		return false;
	if (b->rel_to && foreign_list(pol, c, b))
		return true;
	for (k = 0; k < b->ncontrols && k < TL_MARK_CONTROLS_MAX; k++) {
		const pol_control *nc;
		bool admits = false;
		ci = tl_pol_find_control(pol, b->controls[k],
		    strnlen(b->controls[k], TL_TOKEN_MAX));
		if (ci == SIZE_MAX)
			continue;
		nc = &pol->controls[ci];
		if (nc->effect != POL_EFFECT_NATIONALS)
			continue;
		for (i = 0; i < c->implicit.n && !admits; i++)
			for (j = 0; j < nc->countries.n && !admits; j++)
				admits = tl_pol_country_in(pol,
				    c->implicit.v[i].s, nc->countries.v[j].s);
		if (!admits)
			return true;
	}
	return false;
}

/* The nation banner marking `b` shows the document is from
 * (tl_docdecision.origin) into origin[8]: the one country of its
 * nationals-only controls (NOFORN: USA; UK EYES ONLY: GBR), or USA for a
 * REL TO list that starts with it (CAPCO writes the originator first);
 * else GBR for a "UK" level, or for a level with no country before it
 * the policy's handling.unprefixed-origin; "" when it shows none or two. */
static void
origin_of(const tl_policy *pol, const tl_marking *b, char origin[8])
{
	unsigned k;

	origin[0] = '\0';
	for (k = 0; k < b->ncontrols && k < TL_MARK_CONTROLS_MAX; k++) {
		size_t ci = tl_pol_find_control(pol, b->controls[k],
		    strnlen(b->controls[k], TL_TOKEN_MAX));
		const pol_control *nc;
		const char *code;

		if (ci == SIZE_MAX)
			continue;
		nc = &pol->controls[ci];
		if (nc->effect != POL_EFFECT_NATIONALS || nc->countries.n != 1)
			continue;
		code = nc->countries.v[0].s;
		if (strlen(code) != 3 || tl_pol_find_group(pol, code,
		    strlen(code)) != SIZE_MAX)
			continue; /* a group (NATO) is no one nation */
		if (origin[0] != '\0' && strcmp(origin, code) != 0) {
			origin[0] = '\0';
			return;
		}
		tl_strlcpy(origin, code, 3, 8);
	}
	if (origin[0] == '\0' && b->rel_to && b->nrel > 0 &&
	    strncmp(b->rel[0], "USA", sizeof b->rel[0]) == 0)
		tl_strlcpy(origin, "USA", 3, 8);
	if (origin[0] != '\0' || b->level == TL_LEVEL_UNKNOWN || b->malformed)
		return;
	/* "UK SECRET": the UK's level, written for readers abroad. */
	if (strncmp(b->level_token, "UK", 2) == 0) {
		tl_strlcpy(origin, "GBR", 3, 8);
		return;
	}
	/* A level with no country before it (no "//GBR", "NATO", "JOINT"):
	 * the nation the policy says writes its levels so. */
	if (pol->unprefixed_origin[0] != '\0' && b->nfgi == 0 &&
	    !tl_marking_has(b, "NATO") && !tl_marking_has(b, "FGI") &&
	    !tl_marking_has(b, "JOINT") &&
	    strncmp(b->level_token, "NATO", 4) != 0 &&
	    strncmp(b->level_token, "COSMIC", 6) != 0)
		tl_strlcpy(origin, pol->unprefixed_origin, 3, 8);
}

/* Text with no mark of its own on pages whose banners differ from the
 * rest (tl_docinfo.scopes): each scope decided at its own marking, as
 * the document's is at the banner raised by the evidence.  A scope whose
 * level the policy cannot rank takes the document's decision. */
static void
decide_scopes(const tl_policy *pol, const tl_reader *r, const tl_docinfo *doc,
    tl_docdecision *dd)
{
	unsigned i;

	for (i = 0; i < doc->nscopes && i < TL_SCOPES_MAX; i++) {
		const tl_scope *sc = &doc->scopes[i];
		tl_decision *out = &dd->scopes[i].unmarked;
		unsigned long last = i + 1 < doc->nscopes ?
		    doc->scopes[i + 1].line - 1 : doc->lines;
		unsigned rank = tl_policy_level_rank(pol, &sc->marking);
		char origin[8];

		dd->scopes[i].line = sc->line;
		if (sc->document || rank == 0 || sc->marking.malformed) {
			*out = dd->unmarked;
			continue;
		}
		origin_of(pol, &sc->marking, origin);
		if (decide_marking(pol, r, &sc->marking, dd->foreign ||
		    foreign_banner(pol, &sc->marking), origin, rank, out) ==
		    TL_RELEASE) {
			set(out, TL_RELEASE, "cleared", "unmarked: takes the %s "
			    "of its %s (lines %lu-%lu); reader cleared, every "
			    "control satisfied", level_label(pol, rank),
			    sc->table ? "table" : "pages", sc->line, last);
		} else {
			prefix_reason(out, "unmarked, takes the %s of its %s "
			    "(lines %lu-%lu): ", level_label(pol, rank),
			    sc->table ? "table" : "pages", sc->line, last);
		}
		out->rank = rank;
	}
	dd->nscopes = i;
}

/* The decision for unmarked text at `line`: its page scope's, or the
 * document's. */
static const tl_decision *
unmarked_at(const tl_docdecision *dd, unsigned long line)
{
	unsigned i = dd->nscopes < TL_SCOPES_MAX ? dd->nscopes : TL_SCOPES_MAX;

	while (i > 0 && dd->scopes[i - 1].line > line)
		i--;
	return i > 0 ? &dd->scopes[i - 1].unmarked : &dd->unmarked;
}

tl_verdict
tl_decide_document(const tl_policy *pol, const tl_reader *reader,
    const tl_docinfo *doc, tl_docdecision *out)
{
	const tl_reader *r;
	const tl_banner *b;
	tl_banner lb;
	pol_banner_missing how;
	tl_reader copy;
	unsigned rank;
	const char *why = NULL;

	if (out == NULL)
		return TL_WITHHOLD;
	memset(out, 0, sizeof *out);
	if (pol == NULL || reader == NULL || doc == NULL || pol->nlevels == 0) {
		set(&out->unmarked, TL_WITHHOLD, "document-banner",
		    "no policy, reader or document");
		return set(&out->whole, TL_WITHHOLD, "document-banner",
		    "no policy, reader or document");
	}
	if (!sane_reader(pol, reader, &copy)) {
		set(&out->unmarked, TL_WITHHOLD, "clearance", "reader's "
		    "clearance is not a level of policy '%s'", pol->name);
		return set(&out->whole, TL_WITHHOLD, "clearance", "reader's "
		    "clearance is not a level of policy '%s'", pol->name);
	}
	r = &copy;
	b = &doc->banner;
	if (b->line == 0 && doc->labelled) {
		/* No banner in the text: the STANAG 4774 label given with
		 * it is the overall marking. */
		memset(&lb, 0, sizeof lb);
		lb.line = ULONG_MAX;
		lb.marking = doc->label;
		b = &lb;
	}
	rank = b->line ? tl_policy_level_rank(pol, &b->marking) : 0;
	if (b->line && rank && !b->marking.malformed &&
	    !(b->damaged && pol->damaged_banner == POL_DAMAGED_HIGHEST)) {
		out->banner_read = true;
		out->rank = rank;
		out->marking = b->marking;
		/* Only a document-scope control of the banner (NODIS) binds
		 * every portion; the rest binds what inherits the banner. */
		out->foreign = foreign_banner(pol, &b->marking);
		origin_of(pol, &b->marking, out->origin);
		if (!marking_ok(pol, r, &b->marking, out->foreign, "banner ",
		    true, &out->whole))
			return TL_WITHHOLD;
	} else if (b->line == 0 && doc->routing.line &&
	    (rank = routing_rank(pol, doc->routing.letters[0])) != 0) {
		/* No banner, but the routing class (ZNY SSSSS) is an overall
		 * marking: the highest level that travels on that route. */
		why = "no banner: routing class";
		out->rank = rank;
		set_level(&out->marking, &pol->levels[rank - 1]);
	} else {
		how = b->line ? pol->unreadable_banner : pol->missing_banner;
		if (b->line && b->damaged && rank && !b->marking.malformed)
			how = POL_BANNER_HIGHEST; /* damaged-banner: highest */
		why = b->line == 0 ? "no banner" : b->damaged && rank ?
		    "damaged banner" : "banner cannot be read";
		if (how == POL_BANNER_HIGHEST) {
			/* The overall marking cannot be read: the document is
			 * the policy's highest level, for nationals only, with
			 * every control it shows anywhere (raise_by below). */
			out->rank = (unsigned)pol->nlevels;
			set_level(&out->marking, &pol->levels[pol->nlevels - 1]);
			tl_marking_add_control(&out->marking, "NOFORN");
		}
	}
	/* A banner not read still adds its controls: it never lowers. */
	if (out->rank && !out->banner_read && b->line)
		raise_by(pol, &out->marking, &out->rank, &b->marking);
	if (out->rank)
		out->raised = raise_by(pol, &out->marking, &out->rank,
		    &doc->evidence);
	/* A label beside a banner raises it, as a mark would. */
	if (out->rank && doc->labelled && b != &lb &&
	    raise_by(pol, &out->marking, &out->rank, &doc->label))
		out->raised = true;
	out->whole.rank = out->rank;
	if (why)
		set(&out->whole, TL_RELEASE, "cleared", "%s; portions decided "
		    "one by one", why);
	else if (out->raised && rank != out->rank)
		set(&out->whole, TL_RELEASE, "cleared", "banner %s read, raised "
		    "to %s by the document's marks; portions decided one by one",
		    level_label(pol, rank), level_label(pol, out->rank));
	else
		set(&out->whole, TL_RELEASE, "cleared", "%s %s read; "
		    "portions decided one by one", b == &lb ? "label" : "banner",
		    level_label(pol, out->rank));

	/* Text with no mark of its own. */
	if (pol->unmarked == POL_UNMARKED_WITHHOLD) {
		set(&out->unmarked, TL_WITHHOLD, "unmarked", "portion is "
		    "unmarked");
		exempt(pol, &out->unmarked, NULL);
	} else if (out->marking.malformed) {
		set(&out->unmarked, TL_WITHHOLD, "document-banner", "unmarked, "
		    "and the document shows more controls than a marking holds "
		    "(%d)", TL_MARK_CONTROLS_MAX);
		exempt(pol, &out->unmarked, NULL);
	} else if (out->rank == 0) {
		set(&out->unmarked, TL_WITHHOLD, "document-banner", "unmarked, "
		    "and %s: the document's level is unknown", why ? why :
		    "the banner's level is not defined by the policy");
		exempt(pol, &out->unmarked, NULL);
	} else if (decide_marking(pol, r, &out->marking, out->foreign,
	    out->origin, out->rank, &out->unmarked) == TL_RELEASE) {
		out->cleared = true;
		set(&out->unmarked, TL_RELEASE, "cleared", "unmarked: takes the "
		    "document's %s%s%s; reader cleared, every control satisfied",
		    level_label(pol, out->rank), out->raised ?
		    " (banner raised by the document's marks)" : "",
		    why ? " (highest: the banner was not read)" : "");
	} else {
		prefix_reason(&out->unmarked, "unmarked, takes the document's "
		    "%s%s: ", level_label(pol, out->rank), why ?
		    " (banner not read)" : out->raised ? " (raised)" : "");
	}
	out->unmarked.rank = out->rank;
	if (out->banner_read && out->unmarked.rule[0] != '\0' &&
	    pol->unmarked != POL_UNMARKED_WITHHOLD && !out->marking.malformed)
		decide_scopes(pol, r, doc, out);
	return TL_RELEASE;
}

/* tl_decide_portion by the portion's lead mark alone. */
static tl_verdict
decide_lead(const tl_policy *pol, const tl_reader *reader,
    const tl_docdecision *dd, const tl_portion *p, tl_decision *out)
{
	const tl_reader *r;
	tl_reader copy;
	tl_marking m;

	if (out == NULL)
		return TL_WITHHOLD;
	memset(out, 0, sizeof *out);
	if (pol == NULL || reader == NULL || dd == NULL || p == NULL)
		return set(out, TL_WITHHOLD, "document-banner",
		    "no policy, reader, document or portion");
	if (!sane_reader(pol, reader, &copy))
		return set(out, TL_WITHHOLD, "clearance", "reader's clearance "
		    "is not a level of policy '%s'", pol->name);
	r = &copy;
	if (dd->whole.verdict != TL_RELEASE) {
		*out = dd->whole;
		out->verdict = TL_WITHHOLD;
		out->rank = 0;
		if (p->marked)
			out->rank = tl_policy_level_rank(pol, &p->marking);
		return TL_WITHHOLD;
	}
	if (p->kind == TL_PORTION_SUBJECT &&
	    pol->parts[TL_PART_SUBJECT] != TL_PART_PORTION)
		return tl_decide_part(pol, dd, TL_PART_SUBJECT, out);
	if (!p->marked && p->errors == 0) {
		*out = *unmarked_at(dd, p->line);
		return out->verdict;
	}
	if (p->marking.malformed || p->errors) {
		if (p->marking.malformed)
			set(out, TL_WITHHOLD, "mark-malformed", "mark '%.*s' "
			    "cannot be parsed", TL_MARK_MAX, p->mark_text);
		else
			set(out, TL_WITHHOLD, "mark-malformed", "portion has %u "
			    "parse error%s", p->errors, p->errors == 1 ? "" : "s");
		exempt(pol, out, NULL);
		return TL_WITHHOLD;
	}
	/* A bare "REL" releases to the banner's list (CAPCO lets a portion
	 * say REL when its list is the banner's); with none, to nobody
	 * foreign. */
	if (p->marking.rel_to && p->marking.nrel == 0 && dd->marking.rel_to) {
		m = p->marking;
		m.nrel = dd->marking.nrel;
		memcpy(m.rel, dd->marking.rel, sizeof m.rel);
		return decide_marking(pol, r, &m, dd->foreign, dd->origin,
		    tl_policy_level_rank(pol, &m), out);
	}
	return decide_marking(pol, r, &p->marking, dd->foreign, dd->origin,
	    tl_policy_level_rank(pol, &p->marking), out);
}

/* A portion with marks buried in its text is released only when its
 * lead mark and the buried marks rolled into one both release it: the
 * most restrictive of every mark (tl_portion.buried).  A policy that
 * trusts lead marks decides by the lead mark alone. */
tl_verdict
tl_decide_portion(const tl_policy *pol, const tl_reader *reader,
    const tl_docdecision *dd, const tl_portion *p, tl_decision *out)
{
	tl_verdict v = decide_lead(pol, reader, dd, p, out);
	tl_decision bd;
	tl_reader copy;
	tl_marking m;

	if (v != TL_RELEASE || p->nburied == 0 ||
	    pol->buried == POL_BURIED_TRUST_LEAD)
		return v;
	if (p->buried.malformed) {
		set(out, TL_WITHHOLD, "mark-buried", "a mark buried in the "
		    "portion's text cannot be read");
		exempt(pol, out, NULL);
		return TL_WITHHOLD;
	}
	if (!sane_reader(pol, reader, &copy))
		return set(out, TL_WITHHOLD, "clearance", "reader's clearance "
		    "is not a level of policy '%s'", pol->name);
	m = p->buried;
	if (m.rel_to && m.nrel == 0 && dd->marking.rel_to) {
		m.nrel = dd->marking.nrel;
		memcpy(m.rel, dd->marking.rel, sizeof m.rel);
	}
	memset(&bd, 0, sizeof bd);
	if (decide_marking(pol, &copy, &m, dd->foreign, dd->origin,
	    tl_policy_level_rank(pol, &m),
	    &bd) == TL_RELEASE) {
		if (bd.rank > out->rank)
			out->rank = bd.rank;
		return TL_RELEASE;
	}
	*out = bd;
	prefix_reason(out, "buried mark: ");
	return TL_WITHHOLD;
}

tl_verdict
tl_decide_part(const tl_policy *pol, const tl_docdecision *dd, tl_part part,
    tl_decision *out)
{
	static const char *const names[] = { "header", "authority block",
		"TAGS line", "subject line" };
	tl_part_action act;

	if (out == NULL)
		return TL_WITHHOLD;
	memset(out, 0, sizeof *out);
	if (pol == NULL || dd == NULL || (unsigned)part > TL_PART_SUBJECT)
		return set(out, TL_WITHHOLD, "part", "no policy or document");
	if (dd->whole.verdict != TL_RELEASE) {
		*out = dd->whole;
		out->verdict = TL_WITHHOLD;
		return TL_WITHHOLD;
	}
	act = pol->parts[part];
	out->rank = dd->rank;
	switch (act) {
	case TL_PART_KEEP:
		return set(out, TL_RELEASE, "part", "%s: kept by policy",
		    names[part]);
	case TL_PART_DOCUMENT:
		if (dd->cleared)
			return set(out, TL_RELEASE, "part", "%s: reader may read "
			    "the whole document", names[part]);
		set(out, TL_WITHHOLD, "part", "%s: reader may not read the whole "
		    "document", names[part]);
		break;
	case TL_PART_PORTION:
		set(out, TL_WITHHOLD, "part", "%s: decided as a portion, not "
		    "as a part", names[part]);
		break;
	case TL_PART_WITHHOLD:
		set(out, TL_WITHHOLD, "part", "%s: withheld by policy",
		    names[part]);
		break;
	}
	exempt(pol, out, NULL);
	return TL_WITHHOLD;
}

/* ------------------------------------------------------------------------
 * Decisions as JSON Lines (tearline decide --format json).
 * ---------------------------------------------------------------------- */

/* Appends "key":"value" (or null for a NULL value), comma first. */
static tl_status
json_field(tl_buf *b, const char *key, const char *val, size_t len)
{
	tl_status st = tl_buf_printf(b, ",\"%s\":", key);

	if (st != TL_OK)
		return st;
	return val ? tl_buf_json_str(b, val, len) : tl_buf_puts(b, "null");
}

tl_status
tl_decision_write_json(const char *file, const tl_docinfo *doc,
    const tl_portion *p, const tl_decision *d, tl_write_fn out, void *ctx)
{
	tl_buf b = { NULL, 0, 0, 0 };
	char banner[512];
	const char *mark = NULL;
	size_t mlen = 0;
	tl_status st;

	if (file == NULL || d == NULL || out == NULL || (p == NULL && doc == NULL))
		return TL_EUSAGE;
	if (p && p->marked) {
		mark = p->mark_text;
		mlen = strnlen(p->mark_text, sizeof p->mark_text);
	} else if (p == NULL && doc->banner.line) {
		mlen = tl_marking_format(&doc->banner.marking, banner,
		    sizeof banner);
		mark = banner;
		if (mlen >= sizeof banner)
			mlen = sizeof banner - 1;
	}
	st = tl_buf_printf(&b, "{\"type\":\"%s\"", p ? "portion" : "document");
	if (st == TL_OK)
		st = json_field(&b, "file", file, strlen(file));
	if (st == TL_OK && p)
		st = tl_buf_printf(&b, ",\"line\":%lu,\"portion\":%lu,"
		    "\"kind\":\"%s\"", p->line, p->index,
		    tl_portion_kind_name(p->kind));
	else if (st == TL_OK)
		st = tl_buf_printf(&b, ",\"line\":%lu", doc->banner.line);
	if (st == TL_OK)
		st = json_field(&b, "marking", mark, mlen);
	if (st == TL_OK)
		st = tl_buf_printf(&b, ",\"decision\":\"%s\"",
		    d->verdict == TL_RELEASE ? "release" : "withhold");
	if (st == TL_OK)
		st = json_field(&b, "rule", d->rule, strnlen(d->rule,
		    sizeof d->rule));
	if (st == TL_OK)
		st = json_field(&b, "reason", d->reason, strnlen(d->reason,
		    sizeof d->reason));
	if (st == TL_OK)
		st = json_field(&b, "exemption", d->exemption,
		    strnlen(d->exemption, sizeof d->exemption));
	if (st == TL_OK)
		st = tl_buf_puts(&b, "}\n");
	if (st == TL_OK)
		st = out(ctx, b.data, b.len);
	tl_buf_free(&b);
	return st;
}

/* ------------------------------------------------------------------------
 * Placeholders.  Grammar (checked when the policy loads): {field} is the
 * value; {field:TEXT} is TEXT with each % replaced by the value, or
 * nothing when the value is empty; {{ and }} are literal braces.
 * ---------------------------------------------------------------------- */

typedef struct out_text {
	char *buf;
	size_t size, len;
} out_text;

static void
emit(out_text *o, const char *s, size_t n)
{
	size_t i, room = o->len + 1 < o->size ? o->size - 1 - o->len : 0;

	for (i = 0; i < n && i < room; i++) {
		unsigned char c = (unsigned char)s[i];

		/* A placeholder is one line of the output. */
		o->buf[o->len + i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	if (i > 0)
		o->buf[o->len + i] = '\0';
	o->len += n;
}

static void
field_value(const tl_policy *pol, const tl_portion *p, const tl_decision *d,
    const char *f, size_t n, char *val, size_t size)
{
	val[0] = '\0';
	if (n == 4 && memcmp(f, "lead", 4) == 0) {
		size_t len = strnlen(p->lead, sizeof p->lead);
		tl_strlcpy(val, p->lead, len, size);
		/* "(c)" of an item marked at its end: a space before what
		 * follows, as "1. " has its own. */
		if (len > 0 && len + 1 < size && !tl_isspace((unsigned char)
		    p->lead[len - 1])) {
			val[len] = ' ';
			val[len + 1] = '\0';
		}
	}
	else if (n == 6 && memcmp(f, "number", 6) == 0)
		tl_strlcpy(val, p->number, strnlen(p->number, sizeof p->number),
		    size);
	else if (n == 5 && memcmp(f, "index", 5) == 0)
		snprintf(val, size, "%lu", p->index);
	else if (n == 7 && memcmp(f, "marking", 7) == 0)
		(void)tl_mark_shown(p, val, size); /* prose never shows */
	else if (n == 5 && memcmp(f, "level", 5) == 0) {
		if (d->rank && d->rank <= pol->nlevels)
			tl_strlcpy(val, pol->levels[d->rank - 1].name.s,
			    strlen(pol->levels[d->rank - 1].name.s), size);
	} else if (n == 6 && memcmp(f, "reason", 6) == 0) {
		/* A reason quotes the mark: masked with it. */
		if (!p->marked || tl_mark_readable(p))
			tl_strlcpy(val, d->reason, strnlen(d->reason,
			    sizeof d->reason), size);
		else
			tl_reason_mask(d->reason, pol->name, val, size);
	} else if (n == 4 && memcmp(f, "rule", 4) == 0)
		tl_strlcpy(val, d->rule, strnlen(d->rule, sizeof d->rule), size);
	else if (n == 9 && memcmp(f, "exemption", 9) == 0)
		tl_strlcpy(val, d->exemption, strnlen(d->exemption,
		    sizeof d->exemption), size);
}

size_t
tl_policy_placeholder(const tl_policy *pol, const tl_portion *p,
    const tl_decision *d, char *buf, size_t size)
{
	out_text o = { buf, size, 0 };
	char val[TL_MARK_MAX + 256];
	const char *t, *name, *text;
	size_t nlen, tlen, i;

	if (size)
		buf[0] = '\0';
	if (pol == NULL || p == NULL || d == NULL)
		return 0;
	for (t = pol->template; *t; t++) {
		if ((t[0] == '{' && t[1] == '{') || (t[0] == '}' && t[1] == '}')) {
			emit(&o, t++, 1);
			continue;
		}
		if (*t != '{') {
			emit(&o, t, 1);
			continue;
		}
		name = t + 1;
		for (nlen = 0; name[nlen] && name[nlen] != '}' &&
		    name[nlen] != ':'; nlen++)
			;
		text = NULL;
		tlen = 0;
		if (name[nlen] == ':') {
			text = name + nlen + 1;
			for (; text[tlen] && text[tlen] != '}'; tlen++)
				;
		}
		field_value(pol, p, d, name, nlen, val, sizeof val);
		if (text == NULL)
			emit(&o, val, strlen(val));
		else if (val[0])
			for (i = 0; i < tlen; i++) {
				if (text[i] == '%' && i + 1 < tlen &&
				    text[i + 1] == '%')
					emit(&o, text + i++, 1);
				else if (text[i] == '%')
					emit(&o, val, strlen(val));
				else
					emit(&o, text + i, 1);
			}
		/* Load-time validation guarantees the closing brace. */
		t = text ? text + tlen : name + nlen;
		if (*t == '\0')
			break;
	}
	return o.len;
}
