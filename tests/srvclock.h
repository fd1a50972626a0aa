/* SPDX-License-Identifier: MIT */
/* srvclock.h: the two clocks fr_server_config asks for (wall time in ms for
 * the audit log, a monotonic clock in ns for latencies), for the unit tests
 * that start a server. Header-only: each test is its own program. */
#ifndef FR_TESTS_SRVCLOCK_H
#define FR_TESTS_SRVCLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t wall_ms(void *ud)
{
    (void)ud;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline int64_t mono_ns(void *ud)
{
    (void)ud;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#endif
