/*
 * outfile.c: atomic output.  A copy is written to a temporary file in the
 * target's directory, synced, then linked into place (never clobbering
 * unless forced) and the directory synced: a reader sees the old file or
 * the whole new one, never a part.  Standard output and devices (a
 * device or FIFO named as the output) are written in place.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Directory part of path ("." when none), malloc'd. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 1;
	char *d = malloc(n + 1);

	if (d == NULL)
		return NULL;
	if (slash == NULL)
		memcpy(d, ".", 2);
	else if (n == 0)
		memcpy(d, "/", 2);
	else {
		memcpy(d, path, n);
		d[n] = '\0';
	}
	return d;
}

tl_status
tl_write_all(int fd, const void *bytes, size_t len, const char *name,
    tl_diag *d)
{
	const char *p = bytes;
	ssize_t w;

	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return tl_diag_set(d, TL_EIO, TL_SEV_ERROR, name, 0, 0, NULL,
			    "write: %s", w < 0 ? strerror(errno) : "no progress");
		p += w;
		len -= (size_t)w;
	}
	return TL_OK;
}

int
tl_spool_open(const char *dir)
{
	size_t n = strlen(dir) + sizeof "/.tearline-spool-XXXXXX";
	char *t = malloc(n);
	int fd, saved;

	if (t == NULL) {
		errno = ENOMEM;
		return -1;
	}
	snprintf(t, n, "%s/.tearline-spool-XXXXXX", dir);
	fd = mkstemp(t);
	saved = errno;
	if (fd >= 0)
		unlink(t);
	free(t);
	errno = saved;
	return fd;
}

tl_status
tl_outfile_open(tl_outfile *o, const char *path, unsigned flags, tl_diag *d)
{
	bool force = flags & TL_OUT_FORCE;
	struct stat sb;
	char *dir;
	const char *base;
	size_t n;

	memset(o, 0, sizeof *o);
	o->fd = -1;
	if (strcmp(path, "-") == 0) {
		o->fd = STDOUT_FILENO;
		o->is_stdout = true;
		return TL_OK;
	}
	/* A device is not replaced by a file (as root, a rename over
	 * /dev/null would do it): it is written to, like standard output. */
	if (!(flags & TL_OUT_FILE) && tl_outfile_is_stream(path, NULL)) {
		if ((o->fd = open(path, O_WRONLY | O_CLOEXEC)) < 0) {
			tl_status st = tl_diag_set(d, TL_EIO, TL_SEV_ERROR, path,
			    0, 0, NULL, "%s", strerror(errno));
			o->fd = -1;
			return st;
		}
		o->is_stream = true;
		o->path = strdup(path); /* for messages; NULL: "<stdout>" */
		return TL_OK;
	}
	if (!force && lstat(path, &sb) == 0)
		return tl_diag_set(d, TL_EEXIST, TL_SEV_ERROR, path, 0, 0, NULL,
		    "output exists (use --force to overwrite)");
	if ((dir = dir_of(path)) == NULL || (o->path = strdup(path)) == NULL) {
		free(dir);
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0, NULL,
		    "out of memory");
	}
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	n = strlen(dir) + strlen(base) + sizeof "/..tmp.XXXXXX";
	if ((o->tmp = malloc(n)) == NULL) {
		free(dir);
		free(o->path);
		o->path = NULL;
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0, NULL,
		    "out of memory");
	}
	snprintf(o->tmp, n, "%s/.%s.tmp.XXXXXX", dir, base);
	free(dir);
	o->force = force;
	o->nosync = flags & TL_OUT_NOSYNC;
	if ((o->fd = mkstemp(o->tmp)) < 0) {
		tl_status st = tl_diag_set(d, TL_EIO, TL_SEV_ERROR, path, 0, 0,
		    NULL, "cannot create a file beside it: %s", strerror(errno));
		free(o->tmp);
		free(o->path);
		memset(o, 0, sizeof *o);
		o->fd = -1;
		return st;
	}
	/* Copies are meant to be handed on: readable like a plain file. */
	(void)fchmod(o->fd, 0644);
	return TL_OK;
}

bool
tl_outfile_is_stream(const char *path, bool *exists)
{
	struct stat sb;
	bool there = strcmp(path, "-") != 0 && stat(path, &sb) == 0;

	if (exists)
		*exists = there;
	return there && (S_ISCHR(sb.st_mode) || S_ISFIFO(sb.st_mode) ||
	    S_ISSOCK(sb.st_mode));
}

tl_status
tl_outfile_write(tl_outfile *o, const void *bytes, size_t len, tl_diag *d)
{
	return tl_write_all(o->fd, bytes, len, o->path ? o->path : "<stdout>", d);
}

void
tl_sync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd;

	if (dir && (fd = open(dir, O_RDONLY)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

tl_status
tl_outfile_commit(tl_outfile *o, tl_diag *d)
{
	tl_status st = TL_OK;

	if (o->is_stdout)
		return TL_OK;
	if (o->is_stream) {
		o->is_stream = false;
		if (close(o->fd) != 0)
			st = tl_diag_set(d, TL_EIO, TL_SEV_ERROR, o->path, 0, 0,
			    NULL, "close: %s", strerror(errno));
		o->fd = -1;
		free(o->path);
		o->path = NULL;
		return st;
	}
	if (o->tmp == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, o->path, 0, 0, NULL,
		    "output already closed");
	if (!o->nosync && fsync(o->fd) != 0)
		st = tl_diag_set(d, TL_EIO, TL_SEV_ERROR, o->path, 0, 0, NULL,
		    "fsync: %s", strerror(errno));
	if (close(o->fd) != 0 && st == TL_OK)
		st = tl_diag_set(d, TL_EIO, TL_SEV_ERROR, o->path, 0, 0, NULL,
		    "close: %s", strerror(errno));
	o->fd = -1;
	if (st == TL_OK && o->force && rename(o->tmp, o->path) != 0)
		st = tl_diag_set(d, TL_EIO, TL_SEV_ERROR, o->path, 0, 0, NULL,
		    "rename: %s", strerror(errno));
	if (st == TL_OK && !o->force && link(o->tmp, o->path) != 0)
		st = tl_diag_set(d, errno == EEXIST ? TL_EEXIST : TL_EIO,
		    TL_SEV_ERROR, o->path, 0, 0, NULL, "%s",
		    errno == EEXIST ? "output exists (use --force to overwrite)" :
		    strerror(errno));
	/* After a rename the temporary name is gone; after link (or any
	 * failure) it is removed here. */
	if (st != TL_OK || !o->force)
		(void)unlink(o->tmp);
	if (st == TL_OK && !o->nosync)
		tl_sync_dir(o->path);
	free(o->tmp);
	o->tmp = NULL;
	free(o->path);
	o->path = NULL;
	return st;
}

void
tl_outfile_abort(tl_outfile *o)
{
	if (o->is_stdout) {
		o->is_stdout = false;
		o->fd = -1;
		return;
	}
	if (o->is_stream) {
		o->is_stream = false;
		if (o->fd >= 0)
			close(o->fd);
		o->fd = -1;
		free(o->path);
		o->path = NULL;
		return;
	}
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->tmp)
		(void)unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	o->tmp = NULL;
	o->path = NULL;
}
