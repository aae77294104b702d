/*
 * policy_show.c: writes a loaded policy back as YAML (`tearline policy
 * show`): the effective policy, defaults filled in, in a form that
 * tl_policy_load reads back to the same policy.
 */
#include "policy.h"

#include <string.h>


/* Appends s as a YAML scalar: plain when that reads back unchanged as a
 * string (also inside a flow list), else double-quoted. */
static tl_status
yq(tl_buf *b, const char *s)
{
	static const char *const words[] = { "true", "false", "yes", "no",
		"on", "off", "null", "y", "n", NULL };
	size_t i, n = strlen(s);
	bool plain = n > 0 && (tl_isalpha((unsigned char)s[0]) ||
	    tl_isdigit((unsigned char)s[0])) && s[n - 1] != ' ';
	bool digits = true;
	tl_status st;

	for (i = 0; plain && i < n; i++) {
		if (!tl_isdigit((unsigned char)s[i]) && s[i] != '.')
			digits = false;
		if (!(tl_isalpha((unsigned char)s[i]) ||
		    tl_isdigit((unsigned char)s[i]) ||
		    strchr(" ._/()+-", s[i]) != NULL))
			plain = false;
	}
	if (digits)
		plain = false;
	for (i = 0; plain && words[i]; i++)
		if (tl_ieq(s, n, words[i]))
			plain = false;
	if (plain)
		return tl_buf_puts(b, s);
	st = tl_buf_putc(b, '"');
	for (i = 0; st == TL_OK && i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned long cp;
		size_t k;

		if (c == '"' || c == '\\')
			st = tl_buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			st = tl_buf_printf(b, "\\x%02x", c);
		else if (c < 0x80)
			st = tl_buf_putc(b, (char)c);
		else if ((k = tl_utf8_decode(s + i, n - i, &cp)) == 0)
			st = tl_buf_printf(b, "\\x%02x", c); /* not from libyaml */
		else {
			/* YAML reads U+0085, U+2028 and U+2029 as line breaks,
			 * which fold inside quotes, and refuses the rest of
			 * these raw (not printable): escaped, they read back
			 * as themselves. */
			if (cp <= 0x9f || cp == 0x2028 || cp == 0x2029 ||
			    cp == 0xfeff || cp == 0xfffe || cp == 0xffff)
				st = tl_buf_printf(b, "\\u%04lx", cp);
			else
				st = tl_buf_append(b, s + i, k);
			i += k - 1;
		}
	}
	return st == TL_OK ? tl_buf_putc(b, '"') : st;
}

static tl_status
ykv(tl_buf *b, const char *indent, const char *key, const char *val)
{
	tl_status st;

	if ((st = tl_buf_printf(b, "%s%s: ", indent, key)) != TL_OK ||
	    (st = yq(b, val)) != TL_OK)
		return st;
	return tl_buf_putc(b, '\n');
}

static tl_status
ylist(tl_buf *b, const char *indent, const char *key, const pol_names *ns)
{
	tl_status st = tl_buf_printf(b, "%s%s: [", indent, key);
	size_t i;

	for (i = 0; st == TL_OK && i < ns->n; i++) {
		if (i)
			st = tl_buf_puts(b, ", ");
		if (st == TL_OK)
			st = yq(b, ns->v[i].s);
	}
	return st == TL_OK ? tl_buf_puts(b, "]\n") : st;
}

static tl_status
write_levels(tl_buf *b, const tl_policy *pol)
{
	tl_status st = tl_buf_puts(b, "\n# Lowest first: a reader cleared for "
	    "a level reads it and every level\n# listed before it.  A level "
	    "the policy does not define ranks above all.\nlevels:\n");
	char routing[2] = "";
	size_t i;

	for (i = 0; st == TL_OK && i < pol->nlevels; i++) {
		const pol_level *lv = &pol->levels[i];

		routing[0] = lv->routing;
		if ((st = ykv(b, "  - ", "name", lv->name.s)) != TL_OK ||
		    (st = ylist(b, "    ", "aliases", &lv->aliases)) != TL_OK ||
		    (st = ykv(b, "    ", "portion", lv->portion)) != TL_OK ||
		    (st = ykv(b, "    ", "banner", lv->banner)) != TL_OK ||
		    (st = ykv(b, "    ", "routing", routing)) != TL_OK ||
		    (st = ykv(b, "    ", "exemption", lv->exemption)) != TL_OK ||
		    (st = tl_buf_printf(b, "    classified: %s\n",
		    lv->classified ? "true" : "false")) != TL_OK)
			return st;
		st = ykv(b, "    ", "description", lv->description);
	}
	return st;
}

static tl_status
write_controls(tl_buf *b, const tl_policy *pol)
{
	tl_status st = tl_buf_puts(b, pol->ncontrols ? "\ncontrols:\n" :
	    "\ncontrols: []\n");
	size_t i;

	for (i = 0; st == TL_OK && i < pol->ncontrols; i++) {
		const pol_control *c = &pol->controls[i];

		if ((st = ykv(b, "  - ", "name", c->name.s)) != TL_OK ||
		    (st = ylist(b, "    ", "aliases", &c->aliases)) != TL_OK ||
		    (st = ykv(b, "    ", "effect", tl_pol_effect_names[c->effect])) != TL_OK)
			return st;
		if (c->effect == POL_EFFECT_NATIONALS)
			st = ylist(b, "    ", "countries", &c->countries);
		else if (c->effect == POL_EFFECT_REL_TO) {
			st = ylist(b, "    ", "implicit", &c->implicit);
			if (st == TL_OK && c->implicit_with.s[0])
				st = ykv(b, "    ", "implicit-with",
				    c->implicit_with.s);
		}
		else if (c->effect == POL_EFFECT_ACCESS ||
		    c->effect == POL_EFFECT_APPROVAL)
			st = ylist(b, "    ", "needs", &c->needs);
		if (st != TL_OK ||
		    (st = ylist(b, "    ", "implies", &c->implies)) != TL_OK ||
		    (st = ykv(b, "    ", "scope", tl_pol_scope_names[c->doc_scope])) != TL_OK ||
		    (st = ykv(b, "    ", "exemption", c->exemption)) != TL_OK)
			return st;
		st = ykv(b, "    ", "description", c->description);
	}
	return st;
}

static tl_status
write_rest(tl_buf *b, const tl_policy *pol)
{
	static const char *const part_keys[] = { "header", "authority",
		"tags", "subject" };
	tl_status st;
	size_t i;

	st = tl_buf_puts(b, pol->ngroups ? "\ngroups:\n" : "\ngroups: {}\n");
	for (i = 0; st == TL_OK && i < pol->ngroups; i++) {
		if ((st = tl_buf_puts(b, "  ")) == TL_OK &&
		    (st = yq(b, pol->groups[i].name.s)) == TL_OK)
			st = ylist(b, "", "", &pol->groups[i].members);
	}
	if (st == TL_OK)
		st = tl_buf_puts(b, pol->nreaders ? "\nreaders:\n" :
		    "\nreaders: []\n");
	for (i = 0; st == TL_OK && i < pol->nreaders; i++) {
		const pol_reader *r = &pol->readers[i];

		if ((st = ykv(b, "  - ", "name", r->name.s)) != TL_OK ||
		    (st = ykv(b, "    ", "clearance", r->clearance.s)) != TL_OK ||
		    (st = ykv(b, "    ", "nationality", r->nationality.s)) != TL_OK ||
		    (st = ylist(b, "    ", "access", &r->access)) != TL_OK ||
		    (st = tl_buf_printf(b, "    public: %s\n",
		    r->is_public ? "true" : "false")) != TL_OK)
			return st;
		st = ykv(b, "    ", "description", r->description);
	}
	if (st == TL_OK)
		st = tl_buf_printf(b, "\nhandling:\n"
		    "  unmarked: %s\n  unknown-level: %s\n"
		    "  unknown-control: %s\n  unknown-token: %s\n"
		    "  unreadable-banner: %s\n  missing-banner: %s\n"
		    "  damaged-banner: %s\n  foreign-disclosure: %s\n"
		    "  buried-marks: %s\n",
		    tl_pol_unmarked_names[pol->unmarked],
		    tl_pol_unknown_level_names[pol->unknown_level],
		    tl_pol_unknown_names[pol->unknown_control],
		    tl_pol_unknown_names[pol->unknown_token],
		    tl_pol_banner_names[pol->unreadable_banner],
		    tl_pol_banner_names[pol->missing_banner],
		    tl_pol_damaged_names[pol->damaged_banner],
		    tl_pol_foreign_names[pol->foreign], tl_pol_buried_names[pol->buried]);
	if (st == TL_OK)
		st = tl_buf_printf(b, "  consistency: %s\n",
		    tl_pol_consistency_names[pol->consistency]);
	if (st == TL_OK && pol->unprefixed_origin[0] != '\0')
		st = tl_buf_printf(b, "  unprefixed-origin: %s\n",
		    pol->unprefixed_origin);
	for (i = 0; st == TL_OK && i < 4; i++)
		st = tl_buf_printf(b, "  %s: %s\n", part_keys[i],
		    tl_pol_part_names[pol->parts[i]]);
	if (st == TL_OK)
		st = tl_buf_puts(b, "\nplaceholder:\n");
	if (st == TL_OK)
		st = ykv(b, "  ", "template", pol->template);
	if (st == TL_OK)
		st = ykv(b, "  ", "exemption", pol->exemption);
	if (st == TL_OK)
		st = tl_buf_puts(b, pol->nrules ? "\naudit:\n" : "\naudit: {}\n");
	for (i = 0; st == TL_OK && i < pol->nrules; i++) {
		const pol_rule *r = &pol->rules[i];

		st = tl_buf_printf(b, "  %s: {", r->id);
		if (st == TL_OK && r->has_enabled)
			st = tl_buf_printf(b, "enabled: %s%s", r->enabled ?
			    "true" : "false", r->has_severity ? ", " : "");
		if (st == TL_OK && r->has_severity)
			st = tl_buf_printf(b, "severity: %s",
			    tl_severity_name(r->severity));
		if (st == TL_OK)
			st = tl_buf_puts(b, "}\n");
	}
	return st;
}

tl_status
tl_policy_write_yaml(const tl_policy *pol, tl_write_fn out, void *ctx)
{
	tl_buf b = { NULL, 0, 0, 0 };
	tl_status st;

	if (pol == NULL || out == NULL)
		return TL_EUSAGE;
	st = tl_buf_printf(&b, "# Effective policy (tearline policy show): "
	    "every default filled in.\n# source: %s\n# sha256: %s\n"
	    "tearline-policy: 1\n", pol->source, pol->hash);
	if (st == TL_OK)
		st = ykv(&b, "", "name", pol->name);
	if (st == TL_OK)
		st = ykv(&b, "", "description", pol->description);
	if (st == TL_OK)
		st = write_levels(&b, pol);
	if (st == TL_OK)
		st = write_controls(&b, pol);
	if (st == TL_OK)
		st = write_rest(&b, pol);
	if (st == TL_OK)
		st = out(ctx, b.data, b.len);
	tl_buf_free(&b);
	return st;
}
