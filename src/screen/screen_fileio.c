/* SPDX-License-Identifier: MIT */
/* screen_fileio.c: the list files' atomic replacement and reads
 * (screen_fileio.h). A save writes a temporary file beside the target (same
 * file system), flushes and fsyncs it, rename()s it over the target - atomic
 * on POSIX, so a reader sees the old file or the new one - and fsyncs the
 * directory so the rename itself survives a crash. */
#include "screen_fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontera/alloc.h"
#include "frontera/csv.h"

#define WL_FILE_MAX ((size_t)1 << 31)

int fr__screen_atomic_begin(const char *path, char *tmp, size_t tmpcap, FILE **f, fr_error *err)
{
    *f = NULL;
    int n = snprintf(tmp, tmpcap, "%s.tmp.%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= tmpcap)
        return fr_error_set(err, FR_ELIMIT, 0, 0, "", "the path %.200s is too long", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return fr_error_set(err, FR_EIO, 0, 0, "", "cannot create %.200s: %s", tmp,
                            strerror(errno));
    *f = fdopen(fd, "w");
    if (!*f) {
        close(fd);
        unlink(tmp);
        return fr_error_set(err, FR_EIO, 0, 0, "", "cannot open %.200s: %s", tmp, strerror(errno));
    }
    return FR_OK;
}

void fr__screen_atomic_abort(const char *tmp, FILE *f)
{
    if (f) fclose(f);
    unlink(tmp);
}

int fr__screen_atomic_commit(const char *path, const char *tmp, FILE *f, fr_error *err)
{
    if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
        int e = errno;
        fr__screen_atomic_abort(tmp, f);
        return fr_error_set(err, FR_EIO, 0, 0, "", "cannot write %.200s: %s", tmp, strerror(e));
    }
    if (fclose(f) != 0) {
        unlink(tmp);
        return fr_error_set(err, FR_EIO, 0, 0, "", "cannot close %.200s: %s", tmp, strerror(errno));
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return fr_error_set(err, FR_EIO, 0, 0, "", "cannot replace %.200s: %s", path, strerror(e));
    }
    char dir[4096];
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path) : 0;
    if (dl >= sizeof dir) dl = 0;
    if (dl)
        memcpy(dir, path, dl);
    else
        dir[dl++] = slash ? '/' : '.';
    dir[dl] = '\0';
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        int rc = fsync(dfd);
        close(dfd);
        if (rc != 0)
            return fr_error_set(err, FR_EIO, 0, 0, "", "cannot sync directory %.200s: %s", dir,
                                strerror(errno));
    }
    return FR_OK;
}

int fr__screen_csv_put(FILE *f, const char *s, size_t len, char sep)
{
    char small[512];
    size_t need = fr_csv_quote(s, len, NULL, 0);
    char *buf = need <= sizeof small ? small : fr_malloc(need);
    if (!buf) return FR_ENOMEM;
    fr_csv_quote(s, len, buf, need);
    size_t w = fwrite(buf, 1, need, f);
    if (buf != small) fr_free(buf);
    if (w != need || fputc(sep, f) == EOF) return FR_EIO;
    return FR_OK;
}

int fr__screen_read_file(const char *path, char **data, size_t *len, fr_error *err)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fr_error_set(err, errno == ENOENT ? FR_ENOTFOUND : FR_EIO, 0, 0, "",
                            "cannot open %.200s: %s", path, strerror(errno));
    struct stat st;
    int rc = FR_OK;
    char *buf = NULL;
    if (fstat(fd, &st) != 0) {
        rc = fr_error_set(err, FR_EIO, 0, 0, "", "cannot stat %.200s: %s", path, strerror(errno));
        goto done;
    }
    if ((size_t)st.st_size > WL_FILE_MAX) {
        rc = fr_error_set(err, FR_ELIMIT, 0, 0, "", "%.200s is larger than 2 GiB", path);
        goto done;
    }
    buf = fr_malloc((size_t)st.st_size + 1);
    if (!buf) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory reading %.200s", path);
        goto done;
    }
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            rc = fr_error_set(err, FR_EIO, 0, 0, "", "cannot read %.200s: %s", path,
                              r ? strerror(errno) : "short read");
            goto done;
        }
        got += (size_t)r;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    buf = NULL;
done:
    fr_free(buf);
    close(fd);
    return rc;
}
