/* SPDX-License-Identifier: MIT */
/* watchlist_file.c: keeping watchlists (and the lost/stolen list) as files.
 *
 * How it works: each list is one canonical CSV file (the import header and
 * columns) in a watchlist directory, named after the list. A save writes a
 * temporary file beside the target (same file system), flushes and fsyncs
 * it, rename()s it over the target - atomic on POSIX, so a reader sees the
 * old list or the new one - and fsyncs the directory so the rename itself
 * survives a crash. Loading re-validates every row with the import code, so
 * a hand-edited file cannot smuggle in a bad nationality. */
#include <dirent.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontera/alloc.h"
#include "watchlist_internal.h"

/* The canonical CSV of the entries of `list` (all when NULL) to f. */
static int write_csv(const fr_watchlist *wl, const char *list, FILE *f)
{
    int rc = FR_OK;
    for (int i = 0; i < WL_NFIELDS && rc == FR_OK; i++)
        rc = fr__screen_csv_put(f, fr__wl_field_names[i], strlen(fr__wl_field_names[i]),
                                i + 1 < WL_NFIELDS ? ',' : '\n');
    for (size_t e = 0; e < wl->n && rc == FR_OK; e++) {
        const wl_ent *x = &wl->ents[e];
        if (list && strcmp(wl->pool + x->s[WL_LIST], list) != 0) continue;
        for (int i = 0; i < WL_NFIELDS && rc == FR_OK; i++) {
            const char *s = wl->pool + x->s[i];
            rc = fr__screen_csv_put(f, s, strlen(s), i + 1 < WL_NFIELDS ? ',' : '\n');
        }
    }
    return rc;
}

int fr_watchlist_save(const fr_watchlist *wl, const char *list, const char *path, fr_error *err)
{
    if (!wl || !path) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no watchlist or path");
    char tmp[4200];
    FILE *f;
    int rc = fr__screen_atomic_begin(path, tmp, sizeof tmp, &f, err);
    if (rc != FR_OK) return rc;
    rc = write_csv(wl, list, f);
    if (rc != FR_OK) {
        fr__screen_atomic_abort(tmp, f);
        return fr_error_set(err, rc, 0, 0, "", "cannot write %.200s: %s", tmp, fr_strerror(rc));
    }
    return fr__screen_atomic_commit(path, tmp, f, err);
}

int fr_watchlist_csv(const fr_watchlist *wl, const char *list, char **out, size_t *len,
                     fr_error *err)
{
    char *buf = NULL;
    size_t n = 0;
    *out = NULL;
    *len = 0;
    if (!wl) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no watchlist");
    FILE *f = open_memstream(&buf, &n);
    if (!f) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    int rc = write_csv(wl, list, f);
    if (fclose(f) != 0 && rc == FR_OK) rc = FR_ENOMEM;
    if (rc == FR_OK) rc = buf ? FR_OK : FR_ENOMEM;
    if (rc == FR_OK) {
        char *copy = fr_malloc(n + 1); /* the caller frees with fr_free */
        if (!copy)
            rc = FR_ENOMEM;
        else {
            memcpy(copy, buf, n);
            copy[n] = 0;
            *out = copy;
            *len = n;
        }
    }
    free(buf);
    return rc == FR_OK
               ? FR_OK
               : fr_error_set(err, rc, 0, 0, "", "cannot write the list: %s", fr_strerror(rc));
}

typedef struct load_ud {
    fr_error first;
    int have;
} load_ud;

static void load_err(void *ud, const fr_error *e)
{
    load_ud *l = ud;
    if (!l->have) {
        l->first = *e;
        l->have = 1;
    }
}

int fr_watchlist_load(fr_watchlist *wl, const char *path, size_t *rejected, fr_error *err)
{
    char *data;
    size_t len;
    int rc = fr__screen_read_file(path, &data, &len, err);
    if (rc != FR_OK) return rc;
    load_ud l = {.have = 0};
    fr_watchlist_import_options opt = {.on_error = load_err, .ud = &l};
    fr_watchlist_counts counts = {0, 0, 0};
    rc = fr_watchlist_parse(wl, data, len, FR_WATCHLIST_CSV, &opt, &counts);
    fr_free(data);
    if (rejected) *rejected += counts.rejected;
    if (rc != FR_OK) {
        if (l.have && err) *err = l.first;
        return rc;
    }
    if (l.have && err) *err = l.first;
    return FR_OK;
}

int fr_watchlist_load_dir(fr_watchlist *wl, const char *dir, size_t *rejected, fr_error *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT) return FR_OK;
        return fr_error_set(err, FR_EIO, 0, 0, "", "cannot open directory %.200s: %s", dir,
                            strerror(errno));
    }
    int rc = FR_OK;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t nl = strlen(de->d_name);
        if (nl < 8 || strcmp(de->d_name + nl - 7, ".wl.csv") != 0) continue;
        char path[4096];
        int n = snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (n < 0 || (size_t)n >= sizeof path) continue;
        rc = fr_watchlist_load(wl, path, rejected, err);
        if (rc != FR_OK) break;
    }
    closedir(d);
    return rc;
}

int fr_watchlist_file_name(const char *list, char *out, size_t cap)
{
    static const char HEX[] = "0123456789ABCDEF";
    if (!list || !*list) return FR_EINVAL;
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)list; *p; p++) {
        unsigned c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-';
        if (o + (ok ? 1 : 3) + 8 > cap) return FR_ELIMIT;
        if (ok) {
            out[o++] = (char)c;
        } else { /* %XX: distinct names never share a file ("a/b", "a\nb") */
            out[o++] = '%';
            out[o++] = HEX[c >> 4];
            out[o++] = HEX[c & 15];
        }
    }
    memcpy(out + o, ".wl.csv", 8);
    return FR_OK;
}
