/* SPDX-License-Identifier: MIT */
/*
 * cmd-load.c - load and unload, of plist files and directories of them,
 * and launchctl 2's bootstrap and bootout, which name the domain first.
 *
 * bsctl opens each file itself, with the caller's own permissions, and
 * sends its bytes: the daemon never opens a path a client names.  Before
 * sending, it applies launchctl's path_goodness_check (skipped with -F):
 * the file (or directory) must be owned by root or the caller and writable
 * by neither group nor others, and a file named must be a *.plist.  A directory means each *.plist in it (not
 * recursively, names sorted, dot files skipped).
 *
 * Outcomes: a disabled job named on the command line is an error (exit 1,
 * with how to enable it); one found in a directory is skipped with a note,
 * as the daemon's own directory scan does.  A directory without plists is
 * a note, not an error.  As launchctl's load_and_unload_cmd, the legacy
 * verbs take a job already loaded (load) or not loaded (unload) as a note:
 * `launchctl unload x.plist; launchctl load x.plist` runs under `set -e`.
 * bootstrap and bootout keep these strict (exit 1 and 4).  Every argument
 * is tried; the exit code is the last failure's, except that "no daemon"
 * and "not permitted" stop at once.
 *
 * load and unload take launchctl's options: -w, -F, -S SESSIONTYPE
 * (accepted and ignored: no sessions here) and -D DOMAIN, any of launchd's
 * search domains, which here means the job directories of the domain
 * bsctl talks to (the daemon says them, CONTROL_JOB_DIRS).
 *
 * bootstrap DOMAIN PATH... is load into DOMAIN (disabled jobs refused, as
 * launchctl bootstrap does); bootout DOMAIN PATH|LABEL... is unload from it,
 * bootout DOMAIN/LABEL unloads one job, and bootout DOMAIN alone every job
 * of the domain.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bsctl.h"
#include "control-proto.h"
#include "ctl-client.h"
#include "job-plist.h"
#include "job-spec.h"
#include "plist.h"
#include "target.h"

/* How to load or unload: the request's flags, and the verb's strictness. */
struct load_opts {
	uint32_t flags;         /* CONTROL_F_FORCE, CONTROL_F_PERSIST: sent as they are */
	bool legacy;            /* load/unload: already loaded, not loaded are notes */
	bool job_dirs;          /* -D: also the plists of the domain's job directories */
};

/* What to do with each plist found: load or unload it. */
typedef int plist_fn(const char *path, bool in_dir, const struct load_opts *lo);

static bool is_plist_name(const char *name)
{
	size_t n = strlen(name);

	return n > 6 && name[0] != '.' && strcasecmp(name + n - 6, ".plist") == 0;
}

/* launchctl's path_goodness_check. Return: 0, or -1 with a message printed. */
static int check_goodness(const char *path, const struct stat *st)
{
	if (st->st_uid != 0 && st->st_uid != getuid()) {
		fprintf(stderr, "bsctl: %s: dubious ownership (uid %u, neither root nor you): "
			"skipped (-F loads it anyway)\n", path, (unsigned int)st->st_uid);
		return -1;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		fprintf(stderr, "bsctl: %s: dubious permissions (group or world writable): "
			"skipped (-F loads it anyway)\n", path);
		return -1;
	}
	return 0;
}

/* Read all of @fd, at most PLIST_MAX_SIZE bytes.  Return: 0, or a negative errno. */
static int read_capped(int fd, char **out, size_t *out_len)
{
	size_t cap = 16384, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *grown = cap > PLIST_MAX_SIZE ? NULL : realloc(buf, cap * 2);

			if (!grown) {
				free(buf);
				return cap > PLIST_MAX_SIZE ? -EFBIG : -ENOMEM;
			}
			buf = grown;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;

			free(buf);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > PLIST_MAX_SIZE) {
		free(buf);
		return -EFBIG;
	}
	*out = buf;
	*out_len = len;
	return 0;
}

/* Open @path as a regular file, check it, read it.  Return: 0 or -1 (message printed). */
static int read_plist(const char *path, bool force, char **buf, size_t *len)
{
	/* O_NONBLOCK: a FIFO under the name must not hang us before fstat(). */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	int err;

	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "bsctl: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "bsctl: %s: not a regular file\n", path);
		close(fd);
		return -1;
	}
	if (!force && check_goodness(path, &st) < 0) {
		close(fd);
		return -1;
	}
	err = read_capped(fd, buf, len);
	close(fd);
	if (err < 0) {
		fprintf(stderr, "bsctl: %s: %s\n", path,
			err == -EFBIG ? "larger than a plist may be" : strerror(-err));
		return -1;
	}
	return 0;
}

/*
 * A path too long for a request is refused as any over-long argument is
 * (ctl_ask()).  A disabled job in a directory is skipped; a job already
 * loaded is a note for the legacy verb.
 */
static int load_one(const char *path, bool in_dir, const struct load_opts *lo)
{
	struct ctl_msg m = { .id = CONTROL_LOAD, .flags = lo->flags };
	kern_return_t own[3] = { KERN_SUCCESS }, *o = own;
	char *abs = realpath(path, NULL);
	char *buf = NULL;
	struct ctl_reply r;
	int ret;

	if (in_dir)
		*o++ = CONTROL_E_DISABLED;
	if (lo->legacy)
		*o++ = CONTROL_E_EXISTS;
	m.arg = abs ? abs : path;
	if (read_plist(path, lo->flags & CONTROL_F_FORCE, &buf, &m.data_len) < 0) {
		free(abs);
		return BSCTL_FAILURE;
	}
	m.data = buf;
	ret = ctl_ask(&m, path, own, &r);
	free(buf);
	free(abs);
	if (r.kr == CONTROL_E_DISABLED && ret == BSCTL_OK)
		fprintf(stderr, "bsctl: %s: disabled: skipped\n", path);
	else if (ret == BSCTL_OK)
		ctl_print_diag(r.text);         /* warnings, or "already loaded" */
	return ret;
}

int cmd_unload_job(const char *label, uint32_t flags, bool *loaded)
{
	static const kern_return_t not_loaded[] = { CONTROL_E_NOT_FOUND, KERN_SUCCESS };
	struct ctl_msg m = { .id = CONTROL_UNLOAD, .flags = flags, .arg = label };
	struct ctl_reply r;
	int ret = ctl_ask(&m, label, not_loaded, &r);

	*loaded = r.kr != CONTROL_E_NOT_FOUND;
	if (ret == BSCTL_OK && *loaded)
		ctl_print_diag(r.text);
	return ret;
}

static int unload_label(const char *label, const struct load_opts *lo)
{
	bool loaded;
	int ret;

	if (!lo->legacy)
		return ctl_call(CONTROL_UNLOAD, lo->flags, 0, label, stderr);
	ret = cmd_unload_job(label, lo->flags, &loaded);
	if (!loaded)
		fprintf(stderr, "bsctl: Error unloading: %s: not loaded\n", label);
	return ret;
}

/* bsctl unload PATH: the label comes from the plist, parsed here. */
static int unload_one(const char *path, bool in_dir, const struct load_opts *lo)
{
	char msg[PLIST_ERROR_FORMAT_MAX];
	struct plist_error err;
	struct job_spec *spec = NULL;
	int r;

	(void)in_dir;
	memset(&err, 0, sizeof(err));
	if (job_plist_load_file(path, &spec, &err, NULL, NULL) != 0) {
		fprintf(stderr, "bsctl: %s\n", plist_error_format(&err, msg, sizeof(msg)));
		return BSCTL_FAILURE;
	}
	r = unload_label(spec->label, lo);
	job_spec_free(spec);
	return r;
}

/* Nobody listens, or we may not: the other operands would fail alike. */
static bool stop_now(int ret)
{
	return ret == BSCTL_NO_DAEMON || ret == BSCTL_NOT_PERMITTED;
}

/* Each *.plist of @dir, sorted by name. */
static int each_in_dir(const char *dir, plist_fn *fn, const struct load_opts *lo)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	int ret = BSCTL_OK, found = 0;

	if (n < 0) {
		fprintf(stderr, "bsctl: %s: %s\n", dir, strerror(errno));
		return BSCTL_FAILURE;
	}
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char path[4096];
		int r = BSCTL_OK;

		if (!stop_now(ret) && is_plist_name(name) &&
		    snprintf(path, sizeof(path), "%s/%s", dir, name) < (int)sizeof(path)) {
			found++;
			r = fn(path, true, lo);
		}
		if (r != BSCTL_OK)
			ret = r;
		free(names[i]);
	}
	free(names);
	if (!found && ret == BSCTL_OK)
		fprintf(stderr, "bsctl: %s: no *.plist files: nothing to do\n", dir);
	return ret;
}

/*
 * A file, or each plist of a directory.  @check: launchctl's
 * path_goodness_check of what is named (load without -F): a directory's
 * owner and mode, a file's name, which must match *.plist in any case, as
 * launchctl's fnmatch(); a file's owner and mode are checked as it is read.
 * Return: an enum bsctl_exit.
 */
static int each_plist(const char *path, plist_fn *fn, const struct load_opts *lo, bool check)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "bsctl: %s: %s\n", path, strerror(errno));
		return BSCTL_FAILURE;
	}
	if (!S_ISDIR(st.st_mode) && check && fnmatch("*.plist", path, FNM_CASEFOLD) != 0) {
		fprintf(stderr, "bsctl: %s: dubious file, not of type .plist: skipped "
			"(-F loads it anyway)\n", path);
		return BSCTL_FAILURE;
	}
	if (!S_ISDIR(st.st_mode))
		return fn(path, false, lo);
	if (check && check_goodness(path, &st) < 0)
		return BSCTL_FAILURE;
	return each_in_dir(path, fn, lo);
}

/* launchd's search domains (-D): each means, here, the domain's job directories. */
static bool is_search_domain(const char *word)
{
	static const char *const words[] = { "user", "local", "network", "system", "all" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(word, words[i]) == 0)
			return true;
	return false;
}

/*
 * load's and unload's options, as launchctl's getopt("wFS:D:"): -w, -F,
 * -S SESSIONTYPE (no sessions here: accepted, ignored), -D DOMAIN.
 * Return: index of the first operand, or -1.
 */
static int parse_flags(int argc, char **argv, struct load_opts *lo)
{
	int ch;

	optind = 0;             /* glibc: start again, from argv[1] */
	opterr = 0;             /* the usage says it */
	while ((ch = getopt(argc, argv, "+wFS:D:")) != -1) {
		if (ch == 'w')
			lo->flags |= CONTROL_F_PERSIST;
		else if (ch == 'F')
			lo->flags |= CONTROL_F_FORCE;
		else if (ch == 'D' && is_search_domain(optarg))
			lo->job_dirs = true;
		else if (ch != 'S')
			return -1;
	}
	return optind;
}

/*
 * Undo the daemon's escapes of one line of CONTROL_JOB_DIRS, in place: a
 * doubled backslash is one, a backslash and an "n" a newline.
 */
static void unescape_line(char *line)
{
	char *out = line;

	for (const char *p = line; *p; p++) {
		if (*p == '\\' && (p[1] == '\\' || p[1] == 'n'))
			*out++ = *++p == 'n' ? '\n' : '\\';
		else
			*out++ = *p;
	}
	*out = '\0';
}

/*
 * The job directories of the domain bsctl talks to, a line each, escaped
 * (control-proto.h).  Return: a copy of the lines (to free), or NULL with
 * *@ret the exit code (why printed).
 */
static char *job_dirs_lines(int *ret)
{
	struct ctl_msg m = { .id = CONTROL_JOB_DIRS };
	struct ctl_reply r;
	char *lines;

	*ret = ctl_ask(&m, "-D", NULL, &r);
	if (*ret != BSCTL_OK)
		return NULL;
	lines = strdup(r.text);
	if (!lines) {
		fprintf(stderr, "bsctl: -D: out of memory\n");
		*ret = BSCTL_FAILURE;
	}
	return lines;
}

/*
 * -D: each plist of the domain's job directories.  A directory that does
 * not exist is skipped, as launchctl's glob skips it; none at all is
 * launchctl's "nothing found".
 */
static int each_job_dir(plist_fn *fn, const struct load_opts *lo)
{
	int ret, found = 0;
	char *dirs = job_dirs_lines(&ret), *line, *save;

	if (!dirs)
		return ret;
	ret = BSCTL_OK;
	for (line = strtok_r(dirs, "\n", &save); line && !stop_now(ret);
	     line = strtok_r(NULL, "\n", &save)) {
		struct stat st;
		int r;

		unescape_line(line);
		if (stat(line, &st) < 0 && errno == ENOENT)
			continue;
		found++;
		r = each_plist(line, fn, lo, !(lo->flags & CONTROL_F_FORCE));
		if (r != BSCTL_OK)
			ret = r;
	}
	free(dirs);
	if (!found) {
		fprintf(stderr, "bsctl: -D: the domain's job directories do not exist: "
			"nothing found\n");
		return BSCTL_FAILURE;
	}
	return ret;
}

/* What to do with the operands argv[i...]: load_all() or unload_all(). */
typedef int operands_fn(int i, int argc, char **argv, const struct load_opts *lo);

/* -D's directories first, then the operands argv[i...]; the last failure's code. */
static int each_operand(int i, int argc, char **argv, const struct load_opts *lo,
			plist_fn *fn, operands_fn *all)
{
	int ret = lo->job_dirs ? each_job_dir(fn, lo) : BSCTL_OK;
	int r;

	if (stop_now(ret))
		return ret;
	r = all(i, argc, argv, lo);
	return r != BSCTL_OK ? r : ret;
}

/* Load each of argv[i...]. */
static int load_all(int i, int argc, char **argv, const struct load_opts *lo)
{
	int ret = BSCTL_OK;

	for (; i < argc && !stop_now(ret); i++) {
		int r = each_plist(argv[i], load_one, lo, !(lo->flags & CONTROL_F_FORCE));

		if (r != BSCTL_OK)
			ret = r;
	}
	return ret;
}

int cmd_load(int argc, char **argv, const struct bsctl_opts *o)
{
	struct load_opts lo = { .legacy = true };
	int i = parse_flags(argc, argv, &lo);

	(void)o;
	if (i < 0 || (i >= argc && !lo.job_dirs))
		return BSCTL_USAGE;
	return each_operand(i, argc, argv, &lo, load_one, load_all);
}

/* Unload each of argv[i...]: a path if it names a file or directory, else a label. */
static int unload_all(int i, int argc, char **argv, const struct load_opts *lo)
{
	int ret = BSCTL_OK;

	for (; i < argc && !stop_now(ret); i++) {
		struct stat st;
		int r = stat(argv[i], &st) == 0 ? each_plist(argv[i], unload_one, lo, false) :
						   unload_label(argv[i], lo);

		if (r != BSCTL_OK)
			ret = r;
	}
	return ret;
}

/* -F is accepted, as launchctl's: unload checks no owners but -D's directories'. */
int cmd_unload(int argc, char **argv, const struct bsctl_opts *o)
{
	struct load_opts lo = { .legacy = true };
	int i = parse_flags(argc, argv, &lo);

	(void)o;
	if (i < 0 || (i >= argc && !lo.job_dirs))
		return BSCTL_USAGE;
	return each_operand(i, argc, argv, &lo, unload_one, unload_all);
}

/* argv[1] must be a domain target (@service: or a service target). */
static int domain_operand(char **argv, bool service, struct target *t)
{
	if (target_parse(argv[1], t) < 0)
		return -1;
	if (t->kind == TARGET_DOMAIN || (service && t->kind == TARGET_SERVICE))
		return target_use(t);
	fprintf(stderr, "bsctl: %s: not a domain (system, user/UID, gui/UID)%s\n", argv[1],
		service ? " or DOMAIN/LABEL" : "");
	return -1;
}

/* Strict, as launchctl 2's verbs: already loaded and not loaded are failures. */
static const struct load_opts strict;

int cmd_bootstrap(int argc, char **argv, const struct bsctl_opts *o)
{
	struct target t;

	(void)o;
	if (argc < 3 || domain_operand(argv, false, &t) < 0)
		return BSCTL_USAGE;
	return load_all(2, argc, argv, &strict);
}

int cmd_bootout(int argc, char **argv, const struct bsctl_opts *o)
{
	struct target t;

	(void)o;
	if (argc < 2 || domain_operand(argv, true, &t) < 0)
		return BSCTL_USAGE;
	if (t.kind == TARGET_SERVICE)
		return argc == 2 ? unload_label(t.label, &strict) : BSCTL_USAGE;
	if (argc == 2)
		return ctl_call(CONTROL_BOOTOUT_DOMAIN, 0, 0, "", stderr);
	return unload_all(2, argc, argv, &strict);
}
