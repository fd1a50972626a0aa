/* SPDX-License-Identifier: MIT */
/* series.c: the monthly series set (series.h): months as integers, and one
 * dense array of counts per key (nationality, metric).
 *
 * Each key keeps the months [first, first + n) in an array of int64 where -1
 * means missing; adding a month outside the range grows the array on the
 * side that needs it (bounded by FR_SERIES_MAX_SPAN). Keys are found by a
 * linear scan behind a one-entry cache: sets hold hundreds of keys at most
 * and rows for one key usually come together. */
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/date.h"
#include "frontera/series.h"
#include "series_internal.h"

typedef struct series_key {
    int nationality;
    char metric[FR_SERIES_METRIC_MAX + 1];
    fr_month first;
    int32_t n;
    int64_t *v;
} series_key;

struct fr_series {
    series_key *keys;
    size_t count, cap;
    size_t last_hit;
    fr_month lo, hi; /* first and last month over all keys; FR_MONTH_NONE when empty */
};

int fr_month_parse(const char *s, size_t len, fr_month *out, fr_error *err)
{
    if (len != 7 || s[4] != '-')
        return fr_error_set(err, FR_EPARSE, 0, 1, "period", "a period must be YYYY-MM, not '%.*s'",
                            (int)(len > 20 ? 20 : len), s);
    int y = 0, m = 0;
    for (size_t i = 0; i < 7; i++) {
        if (i == 4) continue;
        if (s[i] < '0' || s[i] > '9')
            return fr_error_set(err, FR_EPARSE, 0, (int)i + 1, "period",
                                "a period must be YYYY-MM, not '%.7s'", s);
        if (i < 4)
            y = y * 10 + (s[i] - '0');
        else
            m = m * 10 + (s[i] - '0');
    }
    if (y < 1900 || y > 2999 || m < 1 || m > 12)
        return fr_error_set(err, FR_EPARSE, 0, y < 1900 || y > 2999 ? 1 : 6, "period",
                            "'%.7s' is not a month between 1900-01 and 2999-12", s);
    *out = y * 12 + (m - 1);
    return FR_OK;
}

fr_month fr_month_of_date(fr_date d)
{
    int y, m, day;
    fr_date_to_ymd(d, &y, &m, &day);
    return y * 12 + (m - 1);
}

void fr_month_format(fr_month m, char buf[FR_MONTH_BUFSZ])
{
    int y = m / 12, mm = m % 12 + 1;
    if (m < 0 || y > 9999) {
        memcpy(buf, "0000-00", 8);
        return;
    }
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + mm / 10);
    buf[6] = (char)('0' + mm % 10);
    buf[7] = 0;
}

fr_date fr_month_first_day(fr_month m)
{
    fr_date d = FR_DATE_NONE;
    if (fr_date_from_ymd(m / 12, m % 12 + 1, 1, &d) != FR_OK) return FR_DATE_NONE;
    return d;
}

int fr_series_new(fr_series **out)
{
    fr_series *s = fr_calloc(1, sizeof *s);
    if (!s) return FR_ENOMEM;
    s->lo = s->hi = FR_MONTH_NONE;
    *out = s;
    return FR_OK;
}

void fr_series_free(fr_series *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->count; i++)
        fr_free(s->keys[i].v);
    fr_free(s->keys);
    fr_free(s);
}

int fr__series_metric_ok(const char *metric, size_t len)
{
    if (len == 0 || len > FR_SERIES_METRIC_MAX) return 0;
    for (size_t i = 0; i < len; i++) {
        char c = metric[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return 0;
    }
    return 1;
}

long fr_series_find(const fr_series *s, int nationality, const char *metric)
{
    for (size_t i = 0; i < s->count; i++)
        if (s->keys[i].nationality == nationality && strcmp(s->keys[i].metric, metric) == 0)
            return (long)i;
    return -1;
}

/* Make room for month m in key k; FR_ELIMIT past the span, FR_ENOMEM. */
static int key_reserve(series_key *k, fr_month m, fr_error *err)
{
    if (k->n == 0) {
        k->v = fr_malloc(sizeof *k->v);
        if (!k->v) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
        k->first = m;
        k->n = 1;
        k->v[0] = -1;
        return FR_OK;
    }
    if (m >= k->first && m < k->first + k->n) return FR_OK;
    fr_month lo = m < k->first ? m : k->first;
    fr_month hi = m >= k->first + k->n ? m : k->first + k->n - 1;
    if ((int64_t)hi - lo + 1 > FR_SERIES_MAX_SPAN)
        return fr_error_set(err, FR_ELIMIT, 0, 0, "period", "a series may span at most %d months",
                            FR_SERIES_MAX_SPAN);
    int32_t n = hi - lo + 1;
    int64_t *v = fr_malloc((size_t)n * sizeof *v);
    if (!v) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    for (int32_t i = 0; i < n; i++)
        v[i] = -1;
    memcpy(v + (k->first - lo), k->v, (size_t)k->n * sizeof *v);
    fr_free(k->v);
    k->v = v;
    k->first = lo;
    k->n = n;
    return FR_OK;
}

int fr_series_add(fr_series *s, int nationality, const char *metric, fr_month m, int64_t count,
                  fr_error *err)
{
    if (!fr_country_code(nationality))
        return fr_error_set(err, FR_EINVAL, 0, 0, "nationality", "no such country index %d",
                            nationality);
    if (!fr__series_metric_ok(metric, strlen(metric)))
        return fr_error_set(err, FR_EINVAL, 0, 0, "metric",
                            "a metric is 1 to %d characters among a-z, 0-9 and _",
                            FR_SERIES_METRIC_MAX);
    if (count < 0 || count > FR_SERIES_MAX_COUNT)
        return fr_error_set(err, count < 0 ? FR_EINVAL : FR_ELIMIT, 0, 0, "count",
                            "a count must be between 0 and %lld", (long long)FR_SERIES_MAX_COUNT);
    if (s->lo != FR_MONTH_NONE &&
        (int64_t)(m > s->hi ? m : s->hi) - (m < s->lo ? m : s->lo) + 1 > FR_SERIES_MAX_SPAN)
        return fr_error_set(err, FR_ELIMIT, 0, 0, "period",
                            "a series set may span at most %d months", FR_SERIES_MAX_SPAN);
    long ki = -1;
    if (s->last_hit < s->count && s->keys[s->last_hit].nationality == nationality &&
        strcmp(s->keys[s->last_hit].metric, metric) == 0)
        ki = (long)s->last_hit;
    else
        ki = fr_series_find(s, nationality, metric);
    int fresh = 0;
    if (ki < 0) {
        if (s->count >= FR_SERIES_MAX_KEYS)
            return fr_error_set(err, FR_ELIMIT, 0, 0, "nationality",
                                "a series set may hold at most %d nationality/metric pairs",
                                FR_SERIES_MAX_KEYS);
        if (s->count == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 16;
            series_key *k = fr_realloc(s->keys, cap * sizeof *k);
            if (!k) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
            s->keys = k;
            s->cap = cap;
        }
        series_key *k = &s->keys[s->count];
        memset(k, 0, sizeof *k);
        k->nationality = nationality;
        strcpy(k->metric, metric);
        ki = (long)s->count;
        fresh = 1;
    }
    series_key *k = &s->keys[ki];
    int rc = key_reserve(k, m, err);
    if (rc != FR_OK) return rc;
    int64_t *slot = &k->v[m - k->first];
    int64_t now = (*slot < 0 ? 0 : *slot) + count;
    if (now > FR_SERIES_MAX_COUNT)
        return fr_error_set(err, FR_ELIMIT, 0, 0, "count", "a value may not exceed %lld",
                            (long long)FR_SERIES_MAX_COUNT);
    *slot = now;
    if (fresh) s->count++;
    if (s->lo == FR_MONTH_NONE || m < s->lo) s->lo = m;
    if (s->hi == FR_MONTH_NONE || m > s->hi) s->hi = m;
    s->last_hit = (size_t)ki;
    return FR_OK;
}

size_t fr_series_key_count(const fr_series *s)
{
    return s->count;
}
int fr_series_key_nationality(const fr_series *s, size_t key)
{
    return key < s->count ? s->keys[key].nationality : -1;
}
const char *fr_series_key_metric(const fr_series *s, size_t key)
{
    return key < s->count ? s->keys[key].metric : "";
}

fr_month fr_series_first(const fr_series *s)
{
    return s->lo;
}
fr_month fr_series_last(const fr_series *s)
{
    return s->hi;
}

int64_t fr_series_get(const fr_series *s, size_t key, fr_month m)
{
    if (key >= s->count) return -1;
    const series_key *k = &s->keys[key];
    if (k->n == 0 || m < k->first || m >= k->first + k->n) return -1;
    return k->v[m - k->first];
}

int64_t fr_series_total(const fr_series *s, size_t key, fr_month from, fr_month to)
{
    int64_t t = 0;
    for (fr_month m = from; m <= to; m++) {
        int64_t v = fr_series_get(s, key, m);
        if (v > 0) t += v;
    }
    return t;
}
