/* SPDX-License-Identifier: MIT */
/* skew.c: an LD_PRELOAD shim that moves a process's wall clock by
 * $FR_SKEW_S seconds (clock_gettime CLOCK_REALTIME, time, gettimeofday):
 * tests/cli/pg_sync.sh runs a border post hours off with it. Test-only. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

static long skew(void)
{
    const char *e = getenv("FR_SKEW_S");
    return e ? atol(e) : 0;
}

int clock_gettime(clockid_t c, struct timespec *ts)
{
    static int (*real)(clockid_t, struct timespec *);
    if (!real) *(void **)&real = dlsym(RTLD_NEXT, "clock_gettime");
    int rc = real(c, ts);
    if (rc == 0 && c == CLOCK_REALTIME) ts->tv_sec += skew();
    return rc;
}

time_t time(time_t *t)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (t) *t = ts.tv_sec;
    return ts.tv_sec;
}

int gettimeofday(struct timeval *tv, void *tz)
{
    struct timespec ts;
    (void)tz;
    clock_gettime(CLOCK_REALTIME, &ts);
    tv->tv_sec = ts.tv_sec;
    tv->tv_usec = ts.tv_nsec / 1000;
    return 0;
}
