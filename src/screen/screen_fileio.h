/* SPDX-License-Identifier: MIT */
/* screen_fileio.h (internal): the file handling the list files share
 * (watchlists and the lost/stolen list): atomic replacement, whole-file
 * reads with a limit, CSV field output. Depends on nothing else in the
 * screening layer, so docindex.c and watchlist_file.c both use it without a
 * cycle. */
#ifndef FR_SCREEN_FILEIO_H
#define FR_SCREEN_FILEIO_H

#include <stddef.h>
#include <stdio.h>

#include "frontera/status.h"

/* Atomic replace of path: begin opens a temporary
 * file next to path (name in tmp); commit flushes, fsyncs, closes, renames it
 * over path and fsyncs the directory; abort (also on commit failure) closes
 * and removes the temporary file. */
int fr__screen_atomic_begin(const char *path, char *tmp, size_t tmpcap, FILE **f, fr_error *err);
int fr__screen_atomic_commit(const char *path, const char *tmp, FILE *f, fr_error *err);
void fr__screen_atomic_abort(const char *tmp, FILE *f);
/* Read a whole file into a new buffer (fr_free it): FR_OK, FR_ENOTFOUND,
 * FR_EIO, FR_ELIMIT (over 2 GiB), FR_ENOMEM. */
int fr__screen_read_file(const char *path, char **data, size_t *len, fr_error *err);
/* Write one CSV field (quoted as needed) and a separator (',' or '\n'). */
int fr__screen_csv_put(FILE *f, const char *s, size_t len, char sep);

#endif
