/* SPDX-License-Identifier: MIT */
/*
 * dir-names.h - the names of a directory's entries, sorted, in two
 * allocations whatever their number.
 *
 * scandir() makes one allocation per entry, all before the first is
 * used.  A job directory of 100,000 plists is 100,000 small blocks at the
 * bottom of the heap, freed one by one as the jobs load on top of them:
 * the holes stay, too small for what a job keeps, and 5 MiB of the
 * daemon's resident memory was such holes.  Here the names share one
 * buffer and one index, which glibc maps on their own once large, and
 * gives back whole when freed.
 */
#ifndef BOOTSTRAPD_DIR_NAMES_H
#define BOOTSTRAPD_DIR_NAMES_H

#include <stdbool.h>
#include <stddef.h>

struct dir_names {
	char *text;             /* the names, each after its type byte and NUL-terminated, in the order read */
	size_t *at;             /* offsets of the names into text, sorted */
	size_t n;
	size_t text_used, text_cap, at_cap;
};

/**
 * dir_names_read() - the names in @dir for which @want says yes (every
 * name but "." and ".." when NULL), sorted bytewise, as alphasort() in the
 * C locale.
 * Return: 0, or a negative errno (@names is empty then).
 */
int dir_names_read(const char *dir, bool (*want)(const char *name), struct dir_names *names);

/** dir_names_at() - the @i-th name, in sorted order. */
static inline const char *dir_names_at(const struct dir_names *names, size_t i)
{
	return names->text + names->at[i];
}

/** dir_names_type() - the @i-th name's d_type as the directory gave it (DT_UNKNOWN: not said). */
static inline unsigned char dir_names_type(const struct dir_names *names, size_t i)
{
	return (unsigned char)names->text[names->at[i] - 1];
}

/** dir_names_deinit() - free the names (an empty or failed read too). */
void dir_names_deinit(struct dir_names *names);

#endif
