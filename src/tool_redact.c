/*
 * tool_redact.c: `tearline redact`: releasable copies of many documents
 * for one or several readers, by a pool of worker threads fed from a
 * bounded queue, with a progress line on a terminal.
 */
#define _GNU_SOURCE /* syncfs */
#include "tool.h"
#include "tool_reader.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
"usage: tearline redact [--policy FILE] READER-OPTIONS [--reader NAME ...]\n"
"                       [-o OUT | --out-dir DIR] [--force] [-r] [-j N]\n"
"                       [--sync copy|run] [--stats FILE]\n"
"                       [--sign-key SECKEY [--log LOG] [--commit-key CKEY]]\n"
"                       FILE...\n"
"\n"
"Writes the releasable copy of each FILE (- for standard input) for each\n"
"reader: released portions byte for byte, each withheld portion replaced\n"
"by one placeholder line that keeps its number, marking and reason, the\n"
"banner, control lines and routing class recomputed from what was released.\n"
"\n"
TOOL_READER_USAGE
"  --reader NAME        may be repeated: one copy per reader\n"
"  --all-readers        one copy for every reader profile of the policy\n"
"  -o, --output OUT     the copy (one FILE, one reader); default: stdout\n"
"  -d, --out-dir DIR    copies go to DIR/NAME.READER.txt (created if needed);\n"
"                       with -r, the directory layout below each FILE is kept\n"
"  -f, --force          replace existing copies (default: refuse)\n"
"  -r, --recursive      FILE may be a directory: every regular file below it\n"
"  -j, --jobs N         worker threads (default: the number of processors)\n"
"  -q, --quiet          no progress line, no closing summary\n"
"      --stats FILE     the closing summary as JSON in FILE (tearline(1));\n"
"                       not written when the run fails\n"
"      --consistency M  report (default), withhold or off: a passage\n"
"                       marked higher in another FILE is counted, or\n"
"                       withheld too (rule consistency), or not compared\n"
"      --sync MODE      copy (default): each copy and its directory are\n"
"                       fsynced before it takes its name; run: one\n"
"                       syncfs(2) at the end (before the log is signed):\n"
"                       faster for many small files, but a crash in the\n"
"                       run can leave a copy cut short\n"
"  -k, --sign-key SECKEY  record the run in a signed log (minisign's key\n"
"                       format, as `tearline keygen` or `minisign -G` make\n"
"                       it; asks for the password if it is encrypted)\n"
"  -l, --log LOG        the log (default: DIR/redact.log with --out-dir,\n"
"                       OUT.log with -o); its signature is LOG.minisig\n"
"  -c, --commit-key CKEY  where the run's new commitment key goes (mode\n"
"                       0600; default: LOG.ckey): keep it apart from the\n"
"                       log, it lets its holder check the keyed tags\n"
"  -h, --help           this text\n"
"\n"
"Copies are written atomically: on an error, SIGINT or SIGTERM no partial\n"
"copy is left and existing files are untouched.\n"
"\n"
"With --sign-key, one log and one signature cover the whole run: a line\n"
"per portion decision (a keyed tag, never the text) and per copy (its\n"
"SHA-256); `tearline verify` checks it, so does `minisign -Vm LOG`.\n"
"\n"
"The run ends with a summary per reader on standard error: portions and\n"
"lines released and withheld, by rule, diagnostic and reason (never the\n"
"documents' text).\n"
"\n"
"Exit status: 0 all copies written; 1 some document was withheld whole\n"
"(binary or unparseable input, or the policy withheld it whole; its copy\n"
"is one placeholder line); 2 usage or I/O error (other documents are\n"
"still processed).\n"
"\n"
"Examples:\n"
"  tearline redact --reader gbr-secret corpus/cable-london-2010-secret.txt\n"
"  tearline redact --reader gbr-secret --reader public -d out corpus/*.txt\n"
"  tearline redact --clearance CONFIDENTIAL --nationality USA -o c.txt in.txt\n"
"  tearline redact --reader public -d out -k ~/.tearline/tearline.key corpus\n"
"  tearline redact --reader public -r --sync run -d out archive/\n"
"  tearline redact --all-readers -d out --stats out/stats.json corpus\n";

#define READERS_MAX 64
#define QUEUE_MAX 256
#define STATS_TOP 5 /* reasons per reader in the closing summary */

static volatile int cancelled;

static void
on_signal(int sig)
{
	(void)sig;
	cancelled = 1;
}

/* One input: its path and, for -r, the part below the directory given. */
typedef struct job {
	char *path;
	char *rel; /* output name base relative to --out-dir, without extension */
} job;

typedef struct pool {
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	job q[QUEUE_MAX];
	size_t head, count;
	bool closed;
	/* settings */
	const tl_policy *pol;
	tl_reader readers[READERS_MAX];
	size_t nreaders;
	const char *output;  /* -o */
	const char *outdir;  /* -d */
	bool force;
	bool sync_run;       /* --sync run: one syncfs at the end */
	tl_runlog *log;      /* --sign-key: the run's signed log, or NULL */
	tl_redact_stats *stats; /* the closing summary's counts, or NULL */
	tl_consist *consist; /* the run's passages (pass one), or NULL */
	/* results, under mu */
	unsigned long consistency_hits;
	unsigned long done, total, whole, failed;
	unsigned long long bytes_done, bytes_total;
	tl_consistency consistency;
	int rc;
	bool filling;        /* walk: add files to `consist`, queue nothing */
	bool walking;
	bool progress; /* a progress line is shown: count bytes */
} pool;

static int
set_rc(pool *p, int rc)
{
	pthread_mutex_lock(&p->mu);
	if (rc > p->rc)
		p->rc = rc;
	pthread_mutex_unlock(&p->mu);
	return rc;
}

static void
push(pool *p, char *path, char *rel)
{
	pthread_mutex_lock(&p->mu);
	while (p->count == QUEUE_MAX && !cancelled)
		pthread_cond_wait(&p->not_full, &p->mu);
	if (cancelled) {
		pthread_mutex_unlock(&p->mu);
		free(path);
		free(rel);
		return;
	}
	p->q[(p->head + p->count) % QUEUE_MAX] = (job){ path, rel };
	p->count++;
	p->total++;
	pthread_cond_signal(&p->not_empty);
	pthread_mutex_unlock(&p->mu);
}

static bool
pop(pool *p, job *j)
{
	pthread_mutex_lock(&p->mu);
	while (p->count == 0 && !p->closed)
		pthread_cond_wait(&p->not_empty, &p->mu);
	if (p->count == 0) {
		pthread_mutex_unlock(&p->mu);
		return false;
	}
	*j = p->q[p->head];
	p->head = (p->head + 1) % QUEUE_MAX;
	p->count--;
	/* The walker waits only on a full queue: waking it at half full
	 * lets it queue many files per wake-up instead of one. */
	if (p->count == QUEUE_MAX / 2)
		pthread_cond_signal(&p->not_full);
	pthread_mutex_unlock(&p->mu);
	return true;
}

/* mkdir -p for the directory part of `path`.  The directory usually
 * exists (an earlier file of the same directory made it): one mkdir
 * call then, and a walk up only when a parent is missing. */
static int
make_parents(const char *path)
{
	char *d = strdup(path), *slash;
	int rc = 0;

	if (d == NULL)
		return -1;
	if ((slash = strrchr(d, '/')) != NULL && slash != d) {
		*slash = '\0';
		if (mkdir(d, 0755) != 0 && errno != EEXIST) {
			rc = -1;
			if (errno == ENOENT && make_parents(d) == 0)
				rc = mkdir(d, 0755) != 0 && errno != EEXIST ? -1 : 0;
		}
	}
	free(d);
	return rc;
}

/* Output name for one input and reader under --out-dir: DIR/REL.READER.txt */
static char *
out_name(const pool *p, const job *j, const tl_reader *r)
{
	const char *reader = r->name[0] ? r->name : "adhoc";
	size_t n = strlen(p->outdir) + strlen(j->rel) + strlen(reader) + 8;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s/%s.%s.txt", p->outdir, j->rel, reader);
	return s;
}

/* Makes the directory of output `name` unless it is *made, the one this
 * worker made (or found) last: files of one directory come in a row, and
 * each system call counts in a run of many small files.  0 or -1. */
static int
make_dir_of(const char *name, char **made)
{
	const char *slash = strrchr(name, '/');
	size_t n;
	char *d;

	if (slash == NULL) /* in the current directory: nothing to make */
		return 0;
	n = (size_t)(slash - name);
	if (*made && strlen(*made) == n && memcmp(*made, name, n) == 0)
		return 0;
	if (make_parents(name) != 0)
		return -1;
	if ((d = malloc(n + 1)) != NULL) { /* else made, not remembered */
		memcpy(d, name, n);
		d[n] = '\0';
		free(*made);
		*made = d;
	}
	return 0;
}

/* Redacts one input; `made` is the worker's make_dir_of memory. */
static void
process(pool *p, const job *j, char **made)
{
	tl_redact_target targets[READERS_MAX];
	tl_redact_report reports[READERS_MAX];
	char *names[READERS_MAX] = { 0 };
	tl_redact_options opt;
	tl_diag d;
	tl_status st = TL_OK;
	size_t i;
	struct stat sb;

	memset(&opt, 0, sizeof opt);
	opt.force = p->force;
	opt.no_sync = p->sync_run;
	opt.cancel = &cancelled;
	opt.spool_dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	opt.stats = p->stats;
	opt.consist = p->consist;
	opt.consistency = p->consistency;
	for (i = 0; i < p->nreaders; i++) {
		targets[i].reader = &p->readers[i];
		if (p->outdir) {
			names[i] = out_name(p, j, &p->readers[i]);
			/* --out-dir itself exists; only -r adds levels. */
			if (names[i] == NULL || (strchr(j->rel, '/') != NULL &&
			    make_dir_of(names[i], made) != 0)) {
				tool_error("redact: %s: cannot create the output directory: %s",
				    j->path, strerror(errno));
				set_rc(p, TOOL_ERROR);
				goto out;
			}
			targets[i].path = names[i];
		} else {
			targets[i].path = p->output ? p->output : "-";
		}
	}
	st = p->log ? tl_runlog_redact(p->log, p->pol, j->path, targets,
	    p->nreaders, &opt, reports, &d) :
	    tl_redact_file(p->pol, j->path, targets, p->nreaders, &opt, reports, &d);
	if (st != TL_OK) {
		if (st != TL_EINTR)
			tool_diag(&d);
		set_rc(p, TOOL_ERROR);
		pthread_mutex_lock(&p->mu);
		p->failed++;
		pthread_mutex_unlock(&p->mu);
		goto out;
	}
	if (reports[0].consistency) {
		pthread_mutex_lock(&p->mu);
		p->consistency_hits += reports[0].consistency;
		pthread_mutex_unlock(&p->mu);
	}
	for (i = 0; i < p->nreaders; i++) {
		if (!reports[i].whole)
			continue;
		fprintf(stderr, "%s: withheld whole for %s: %s\n", j->path,
		    p->readers[i].name[0] ? p->readers[i].name : "adhoc",
		    reports[i].reason);
		set_rc(p, TOOL_NEGATIVE);
		pthread_mutex_lock(&p->mu);
		p->whole++;
		pthread_mutex_unlock(&p->mu);
		break;
	}
out:
	pthread_mutex_lock(&p->mu);
	p->done++;
	if (p->progress && strcmp(j->path, "-") != 0 && stat(j->path, &sb) == 0)
		p->bytes_done += (unsigned long long)sb.st_size;
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < READERS_MAX; i++) /* NULL past the readers */
		free(names[i]);
}

static void *
worker(void *arg)
{
	pool *p = arg;
	job j;
	char *made = NULL;

	while (pop(p, &j)) {
		if (!cancelled)
			process(p, &j, &made);
		free(j.path);
		free(j.rel);
	}
	free(made);
	return NULL;
}

/* The base of an output name: the file name without a .txt ending. */
static char *
stem(const char *name)
{
	size_t n = strlen(name);
	char *s;

	if (n > 4 && strcmp(name + n - 4, ".txt") == 0)
		n -= 4;
	if ((s = malloc(n + 1)) != NULL) {
		memcpy(s, name, n);
		s[n] = '\0';
	}
	return s;
}

static void
count_bytes(pool *p, const char *path)
{
	struct stat sb;

	if (stat(path, &sb) == 0) {
		pthread_mutex_lock(&p->mu);
		p->bytes_total += (unsigned long long)sb.st_size;
		pthread_mutex_unlock(&p->mu);
	}
}

/* Pass one of --consistency: the passages of input `path`. */
static int
fill_one(pool *p, const char *path)
{
	tl_diag d;
	struct stat sb;

	/* Only a regular file can be read twice: a pipe or a device is
	 * left out (its own portions are still compared with the rest). */
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return TOOL_OK;
	if (tl_consist_add_file(p->consist, p->pol, path, &d) == TL_OK)
		return TOOL_OK;
	tool_diag(&d);
	return TOOL_ERROR;
}

/* Walks `dir` depth first, queueing regular files (sorted per directory
 * so that runs are reproducible).  `rel` is the path below the top.  With
 * p->filling, adds them to the consistency store instead. */
static int
walk(pool *p, const char *dir, const char *rel)
{
	struct dirent **ents;
	int n, i, rc = TOOL_OK;

	if ((n = scandir(dir, &ents, NULL, alphasort)) < 0) {
		tool_error("redact: %s: %s", dir, strerror(errno));
		return TOOL_ERROR;
	}
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		size_t plen = strlen(dir) + strlen(name) + 2;
		size_t rlen = strlen(rel) + strlen(name) + 2;
		char *path = malloc(plen), *r2 = malloc(rlen);
		struct stat sb;

		if (name[0] != '.' && !cancelled && (path == NULL || r2 == NULL)) {
			tool_error("redact: %s/%s: out of memory", dir, name);
			rc = TOOL_ERROR;
		}
		if (name[0] == '.' || path == NULL || r2 == NULL || cancelled) {
			free(path);
			free(r2);
			free(ents[i]);
			continue;
		}
		/* "corpus/" given: "corpus/a.txt", not "corpus//a.txt". */
		snprintf(path, plen, "%s%s%s", dir, dir[0] &&
		    dir[strlen(dir) - 1] == '/' ? "" : "/", name);
		snprintf(r2, rlen, "%s%s%s", rel, rel[0] ? "/" : "", name);
		/* The entry's type, from the directory itself when the file
		 * system gives it (no lstat per file). */
		memset(&sb, 0, sizeof sb);
		if (ents[i]->d_type == DT_DIR)
			sb.st_mode = S_IFDIR;
		else if (ents[i]->d_type == DT_REG)
			sb.st_mode = S_IFREG;
		else if (ents[i]->d_type != DT_UNKNOWN)
			sb.st_mode = S_IFLNK; /* or another kind: skipped */
		if (sb.st_mode == 0 && lstat(path, &sb) != 0) {
			tool_error("redact: %s: %s", path, strerror(errno));
			rc = TOOL_ERROR;
			free(path);
			free(r2);
		} else if (S_ISDIR(sb.st_mode)) {
			if (walk(p, path, r2) != TOOL_OK)
				rc = TOOL_ERROR;
			free(path);
			free(r2);
		} else if (S_ISREG(sb.st_mode)) {
			char *s = stem(r2);
			free(r2);
			if (s == NULL) {
				tool_error("redact: %s: out of memory", path);
				free(path);
				rc = TOOL_ERROR;
			} else if (p->filling) {
				if (fill_one(p, path) != TOOL_OK)
					rc = TOOL_ERROR;
				free(path);
				free(s);
			} else {
				if (p->progress)
					count_bytes(p, path);
				push(p, path, s);
			}
		} else {
			free(path);
			free(r2);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

static void
progress(pool *p, const struct timespec *t0, bool final)
{
	struct timespec now;
	double secs, rate, eta;
	unsigned long done, total;
	unsigned long long bd, bt;
	bool walking;

	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
	pthread_mutex_lock(&p->mu);
	done = p->done;
	total = p->total;
	bd = p->bytes_done;
	bt = p->bytes_total;
	walking = p->walking;
	pthread_mutex_unlock(&p->mu);
	rate = secs > 0 ? (double)bd / secs / 1e6 : 0;
	eta = rate > 0 && !walking ? (double)(bt - bd) / 1e6 / rate : -1;
	fprintf(stderr, "\r\033[Kredact: %lu/%lu%s files, %.1f MB/s", done, total,
	    walking ? "+" : "", rate);
	if (eta >= 0 && !final)
		fprintf(stderr, ", ETA %.0fs", eta);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

/* --sync run: the copies were put in place without an fsync each; one
 * syncfs(2) of the file system they are on makes them all durable, and
 * comes before the log that vouches for them is signed. */
static int
sync_outputs(const pool *p)
{
	const char *out = p->outdir ? p->outdir : p->output, *slash;
	char *dir;
	int fd, rc = TOOL_OK;

	if (out == NULL || strcmp(out, "-") == 0)
		return TOOL_OK; /* standard output: nothing of ours to sync */
	if (p->outdir)
		dir = strdup(out);
	else if ((slash = strrchr(out, '/')) == NULL) /* -o FILE: its directory */
		dir = strdup(".");
	else
		dir = strndup(out, slash == out ? 1 : (size_t)(slash - out));
	if (dir == NULL) {
		tool_error("redact: out of memory");
		return TOOL_ERROR;
	}
	if ((fd = open(dir, O_RDONLY | O_CLOEXEC)) < 0 || syncfs(fd) != 0) {
		tool_error("redact: %s: cannot sync the copies to disk: %s", dir,
		    strerror(errno));
		rc = TOOL_ERROR;
	}
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

/* True, after a message, when --stats FILE would replace a file without
 * --force: refused before any work, as copies are.  A device or FIFO
 * (/dev/stderr) is written in place. */
static bool
stats_refused(const char *path, bool force)
{
	struct stat sb;

	if (force || strcmp(path, "-") == 0 || stat(path, &sb) != 0 ||
	    S_ISCHR(sb.st_mode) || S_ISFIFO(sb.st_mode) ||
	    S_ISSOCK(sb.st_mode))
		return false;
	tool_error("redact: %s exists (use --force to replace it)", path);
	return true;
}

/* --sign-key: the keys and the log of a signed run. */
typedef struct signing {
	const char *key, *log, *ckey; /* as given */
	char *log_def, *ckey_def;     /* defaults, malloc'd */
	char *readers;                /* the head's reader: names, comma-joined */
	tl_seckey *sk;
	tl_commitkey *ck;
	bool ck_made;
} signing;

static char *
concat(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 1;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s%s", a, b);
	return s;
}

/* Loads the signing key, makes the commitment key, starts the log. */
static int
sign_open(signing *g, pool *p, const tl_policy *pol)
{
	tl_log_params lp;
	tl_diag d;
	char created[32], who[200];
	size_t i, k, n = 1;
	time_t now = time(NULL);
	struct tm tm;

	if (g->log == NULL) {
		g->log = g->log_def = p->outdir ? concat(p->outdir, "/redact.log") :
		    concat(p->output, ".log");
		if (g->log == NULL)
			goto nomem;
	}
	if (g->ckey == NULL && (g->ckey = g->ckey_def = concat(g->log, ".ckey")) == NULL)
		goto nomem;
	for (i = 0; i < p->nreaders; i++) {
		tl_reader_format(&p->readers[i], who, sizeof who);
		n += strlen(p->readers[i].name[0] ? p->readers[i].name : who) + 1;
	}
	if ((g->readers = malloc(n)) == NULL)
		goto nomem;
	for (i = 0, k = 0; i < p->nreaders; i++) {
		tl_reader_format(&p->readers[i], who, sizeof who);
		k += (size_t)snprintf(g->readers + k, n - k, "%s%s", i ? "," : "",
		    p->readers[i].name[0] ? p->readers[i].name : who);
	}
	/* Refuse an existing log before asking for a password. */
	if (!p->force && access(g->log, F_OK) == 0) {
		tool_error("redact: %s exists (use --force to replace it)", g->log);
		return TOOL_ERROR;
	}
	if (tool_seckey_open(g->key, &g->sk) != TOOL_OK)
		return TOOL_ERROR;
	if (tl_commitkey_generate(g->ckey, p->force, &g->ck, &d) != TL_OK) {
		tool_diag(&d);
		return TOOL_ERROR;
	}
	g->ck_made = true;
	gmtime_r(&now, &tm);
	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
	memset(&lp, 0, sizeof lp);
	lp.reader = g->readers;
	lp.policy_sha256 = tl_policy_hash(pol);
	lp.created = created;
	lp.force = p->force;
	if (tl_runlog_open(g->log, g->sk, g->ck, &lp, &p->log, &d) != TL_OK) {
		tool_diag(&d);
		return TOOL_ERROR;
	}
	return TOOL_OK;
nomem:
	tool_error("redact: out of memory");
	return TOOL_ERROR;
}

/* Signs the log once the workers are done. */
static int
sign_close(signing *g, pool *p, bool quiet)
{
	unsigned long docs = tl_runlog_documents(p->log);
	tl_diag d;
	tl_status st;

	st = tl_runlog_close(p->log, &d);
	p->log = NULL;
	if (st != TL_OK) {
		tool_diag(&d);
		tool_error("redact: the log was not written; the copies made "
		    "are not recorded");
		return TOOL_ERROR;
	}
	g->ck_made = false; /* keep it: the log names it */
	if (!quiet)
		fprintf(stderr, "redact: signed log %s (%lu cop%s), signature "
		    "%s.minisig, commitment key %s (keep it apart from the "
		    "log)\n", g->log, docs, docs == 1 ? "y" : "ies", g->log,
		    g->ckey);
	return TOOL_OK;
}

static void
sign_free(signing *g)
{
	if (g->ck_made)
		unlink(g->ckey); /* no log came of it */
	tl_commitkey_free(g->ck);
	tl_seckey_free(g->sk);
	free(g->log_def);
	free(g->ckey_def);
	free(g->readers);
	memset(g, 0, sizeof *g);
}

static int
redact_main(int argc, char **argv)
{
	static const struct option opts[] = {
		TOOL_READER_LONGOPTS,
		{ "all-readers", no_argument, NULL, 'A' },
		{ "output", required_argument, NULL, 'o' },
		{ "out-dir", required_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'f' },
		{ "recursive", no_argument, NULL, 'r' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "sign-key", required_argument, NULL, 'k' },
		{ "log", required_argument, NULL, 'l' },
		{ "commit-key", required_argument, NULL, 'c' },
		{ "sync", required_argument, NULL, 'S' },
		{ "stats", required_argument, NULL, 'T' },
		{ "consistency", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	tool_reader_opts ro;
	signing sign;
	const char *names[READERS_MAX];
	size_t nnames = 0, i;
	bool all = false, recursive = false, quiet = false;
	const char *stats_path = NULL;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	tl_policy *pol = NULL;
	pool *p;
	pthread_t th[64];
	long nth = 0;
	int c, rc = TOOL_OK;
	char *end;
	struct timespec t0, tick = { 0, 200 * 1000 * 1000 };
	int cmode = -1;
	struct sigaction sa;

	memset(&ro, 0, sizeof ro);
	memset(&sign, 0, sizeof sign);
	if ((p = calloc(1, sizeof *p)) == NULL) {
		tool_error("redact: out of memory");
		return TOOL_ERROR;
	}
	while ((c = getopt_long(argc, argv, "+o:d:frj:qk:l:c:h", opts, NULL)) != -1) {
		if (c == TOOL_OPT_READER) {
			if (nnames == READERS_MAX) {
				tool_error("redact: at most %d readers", READERS_MAX);
				goto usage_error;
			}
			names[nnames++] = optarg;
			continue;
		}
		if (tool_reader_option(&ro, c, optarg))
			continue;
		switch (c) {
		case 'A': all = true; break;
		case 'o': p->output = optarg; break;
		case 'd': p->outdir = optarg; break;
		case 'f': p->force = true; break;
		case 'r': recursive = true; break;
		case 'q': quiet = true; break;
		case 'k': sign.key = optarg; break;
		case 'l': sign.log = optarg; break;
		case 'c': sign.ckey = optarg; break;
		case 'T': stats_path = optarg; break;
		case 'S':
			if (strcmp(optarg, "copy") == 0)
				p->sync_run = false;
			else if (strcmp(optarg, "run") == 0)
				p->sync_run = true;
			else {
				tool_error("redact: --sync takes copy or run, not '%s'",
				    optarg);
				goto usage_error;
			}
			break;
		case 'j':
			errno = 0;
			jobs = strtol(optarg, &end, 10);
			if (errno || *end || jobs < 1 || jobs > 64) {
				tool_error("redact: -j takes a number from 1 to 64");
				goto usage_error;
			}
			break;
		case 'C':
			if (strcmp(optarg, "report") == 0)
				cmode = TL_CONSISTENCY_REPORT;
			else if (strcmp(optarg, "withhold") == 0)
				cmode = TL_CONSISTENCY_WITHHOLD;
			else if (strcmp(optarg, "off") == 0)
				cmode = TL_CONSISTENCY_OFF;
			else {
				tool_error("redact: --consistency takes report, "
				    "withhold or off, not '%s'", optarg);
				goto usage_error;
			}
			break;
		case 'h':
			fputs(usage_text, stdout);
			free(p);
			return TOOL_OK;
		default:
			goto usage_error;
		}
	}
	if (optind >= argc) {
		tool_error("redact: no input files (use - for standard input)");
		goto usage_error;
	}
	if (p->output && p->outdir) {
		tool_error("redact: -o and --out-dir exclude each other");
		goto usage_error;
	}
	if ((sign.log || sign.ckey) && !sign.key) {
		tool_error("redact: --log and --commit-key need --sign-key");
		goto usage_error;
	}
	if (sign.key && !sign.log && !p->outdir && !p->output) {
		tool_error("redact: a signed copy to standard output needs --log");
		goto usage_error;
	}
	if (stats_path && strcmp(stats_path, "-") == 0 && !p->outdir &&
	    (p->output == NULL || strcmp(p->output, "-") == 0)) {
		tool_error("redact: --stats - needs the copies elsewhere "
		    "(-o FILE or --out-dir)");
		goto usage_error;
	}
	if (stats_path && stats_refused(stats_path, p->force))
		goto usage_error;
	if (tool_policy_open(ro.policy, &pol) != TOOL_OK) {
		free(p);
		return TOOL_ERROR;
	}
	p->pol = pol;
	if (all) {
		for (i = 0; i < tl_policy_reader_count(pol) && nnames < READERS_MAX; i++)
			names[nnames++] = tl_policy_reader_name(pol, i);
	}
	if (nnames == 0) {
		if (tool_reader_make(&ro, pol, &p->readers[0]) != TOOL_OK)
			goto error;
		p->nreaders = 1;
	}
	for (i = 0; i < nnames; i++) {
		tool_reader_opts one = ro;
		one.reader = names[i];
		one.clearance = one.nationality = one.access = NULL;
		if (tool_reader_make(&one, pol, &p->readers[i]) != TOOL_OK)
			goto error;
		p->nreaders++;
	}
	if (!p->outdir && (p->nreaders > 1 || argc - optind > 1 || recursive)) {
		tool_error("redact: several readers or files need --out-dir");
		goto usage_error_pol;
	}
	if (p->outdir && mkdir(p->outdir, 0755) != 0 && errno != EEXIST) {
		tool_error("redact: %s: %s", p->outdir, strerror(errno));
		goto error;
	}

	if ((stats_path || !quiet) && (p->stats = tl_redact_stats_new(pol,
	    p->readers, p->nreaders)) == NULL) {
		tool_error("redact: out of memory");
		goto error;
	}
	if (sign.key && sign_open(&sign, p, pol) != TOOL_OK)
		goto error;
	/* --consistency: every input's passages first (pass one), when the
	 * run has more than one input. */
	p->consistency = cmode >= 0 ? (tl_consistency)cmode :
	    tl_policy_consistency(pol);
	if (p->consistency != TL_CONSISTENCY_OFF &&
	    (argc - optind > 1 || recursive)) {
		tl_diag d;
		int frc = TOOL_OK;
		if (tl_consist_new(&p->consist, &d) != TL_OK) {
			tool_diag(&d);
			goto error;
		}
		p->filling = true;
		for (i = (size_t)optind; i < (size_t)argc && !cancelled; i++) {
			struct stat sb;
			if (strcmp(argv[i], "-") == 0)
				continue;
			if (recursive && stat(argv[i], &sb) == 0 &&
			    S_ISDIR(sb.st_mode)) {
				if (walk(p, argv[i], "") != TOOL_OK)
					frc = TOOL_ERROR;
			} else if (fill_one(p, argv[i]) != TOOL_OK) {
				frc = TOOL_ERROR;
			}
		}
		p->filling = false;
		if (frc != TOOL_OK)
			goto error;
		if (tl_consist_seal(p->consist, &d) != TL_OK) {
			tool_diag(&d);
			goto error;
		}
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->not_empty, NULL);
	pthread_cond_init(&p->not_full, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	p->walking = true;
	p->progress = !quiet && isatty(STDERR_FILENO);
	/* Standard output is one stream: one worker then. */
	if (!p->outdir)
		jobs = 1;
	for (nth = 0; nth < jobs; nth++)
		if (pthread_create(&th[nth], NULL, worker, p) != 0)
			break;
	if (nth == 0) {
		tool_error("redact: cannot start a worker thread");
		goto error;
	}
	for (i = (size_t)optind; i < (size_t)argc && !cancelled; i++) {
		struct stat sb;
		if (recursive && strcmp(argv[i], "-") != 0 && stat(argv[i], &sb) == 0 &&
		    S_ISDIR(sb.st_mode)) {
			if (walk(p, argv[i], "") != TOOL_OK)
				set_rc(p, TOOL_ERROR);
			continue;
		}
		{
			const char *base = strrchr(argv[i], '/');
			char *path = strdup(argv[i]);
			char *s = stem(base ? base + 1 : (strcmp(argv[i], "-") == 0 ? "stdin" : argv[i]));
			if (path == NULL || s == NULL) {
				tool_error("redact: %s: out of memory", argv[i]);
				free(path);
				free(s);
				set_rc(p, TOOL_ERROR);
				continue;
			}
			if (p->progress)
				count_bytes(p, argv[i]);
			push(p, path, s);
		}
	}
	pthread_mutex_lock(&p->mu);
	p->closed = true;
	p->walking = false;
	pthread_cond_broadcast(&p->not_empty);
	pthread_mutex_unlock(&p->mu);
	if (!quiet && isatty(STDERR_FILENO)) {
		for (;;) {
			bool finished;
			pthread_mutex_lock(&p->mu);
			finished = p->done == p->total && p->count == 0;
			pthread_mutex_unlock(&p->mu);
			if (finished || cancelled)
				break;
			progress(p, &t0, false);
			nanosleep(&tick, NULL);
		}
	}
	while (nth > 0)
		pthread_join(th[--nth], NULL);
	if (!quiet && isatty(STDERR_FILENO))
		progress(p, &t0, true);
	rc = p->rc;
	if (p->sync_run && sync_outputs(p) != TOOL_OK) {
		rc = TOOL_ERROR;
		if (p->log) {
			tl_runlog_abort(p->log);
			p->log = NULL;
			tool_error("redact: the log was not written; the copies "
			    "made are not recorded");
		}
	}
	if (p->log && sign_close(&sign, p, quiet) != TOOL_OK)
		rc = TOOL_ERROR;
	if (cancelled) {
		tool_error("redact: interrupted; no partial copies were left");
		rc = TOOL_ERROR;
	} else if (p->outdir && !quiet) {
		fprintf(stderr, "redact: %lu document%s, %zu reader%s, copies in "
		    "%s%s", p->done - p->failed, p->done - p->failed == 1 ? "" :
		    "s", p->nreaders, p->nreaders == 1 ? "" : "s", p->outdir,
		    p->whole ? " (some withheld whole)" : "");
		if (p->failed)
			fprintf(stderr, "; %lu document%s failed, no copy",
			    p->failed, p->failed == 1 ? "" : "s");
		fputc('\n', stderr);
	}
	if (!cancelled && !quiet && p->consistency_hits)
		fprintf(stderr, "redact: %lu portion%s carr%s a passage marked "
		    "higher in another input (consistency: %s)\n",
		    p->consistency_hits, p->consistency_hits == 1 ? "" : "s",
		    p->consistency_hits == 1 ? "ies" : "y",
		    p->consistency == TL_CONSISTENCY_WITHHOLD ? "withheld where "
		    "that marking withholds them" : "reported; --consistency "
		    "withhold withholds them");
	if (!cancelled && !quiet && p->stats)
		(void)tl_redact_stats_write_text(p->stats, STATS_TOP,
		    tool_write_file, stderr);
	if (stats_path && (cancelled || rc == TOOL_ERROR)) {
		tool_error("redact: %s not written: the run failed", stats_path);
	} else if (stats_path) {
		tl_diag d;
		if (tl_redact_stats_save(p->stats, stats_path, p->force, &d) !=
		    TL_OK) {
			tool_diag(&d);
			rc = TOOL_ERROR;
		}
	}
	tl_redact_stats_free(p->stats);
	tl_consist_free(p->consist);
	sign_free(&sign);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->not_empty);
	pthread_cond_destroy(&p->not_full);
	tl_policy_free(pol);
	free(p);
	return rc;

usage_error_pol:
	tl_policy_free(pol);
usage_error:
	fputs("see: tearline redact --help\n", stderr);
	free(p);
	return TOOL_ERROR;
error:
	tl_runlog_abort(p->log);
	tl_consist_free(p->consist);
	tl_redact_stats_free(p->stats);
	sign_free(&sign);
	tl_policy_free(pol);
	free(p);
	return TOOL_ERROR;
}

const tool_cmd tool_redact_cmd = {
	"redact", redact_main, "write releasable copies for one or more readers",
	usage_text,
};
