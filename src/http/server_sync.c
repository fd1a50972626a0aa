/* SPDX-License-Identifier: MIT */
/* server_sync.c: what a central serves its border posts besides taking
 * their events (docs/sync.md), to a user of role post only:
 * - GET /v1/sync/watchlist: every *.wl.csv list of the central's watchlist
 *   directory (serve --watchlists) as one canonical CSV (each entry keeps
 *   its list's name), and GET /v1/sync/lost-stolen: its lost-stolen.docs.csv.
 *   Each answer carries its version (the newest file's modification time,
 *   seconds since the epoch) and its BLAKE2b-256 digest (headers and ETag);
 *   a post that already holds that digest (If-None-Match) gets 304 and no
 *   body. The text is built again only when a file's name, size or time
 *   changes (a new import), else served from the cache.
 * - GET /v1/sync/histories?days=N: the events of the last N days (default
 *   180, the longest stay period of the policies in use) of the travellers
 *   the post is likely to see: those with a crossing at one of the post's
 *   ports in that time, and those still in the country (their last entry or
 *   exit is an entry) whose entry is in that time: anyone in the country
 *   may leave by any post. Each event as POST /v1/events takes it, with its
 *   officer. The answer names the ledger's last sequence and its
 *   fingerprint (store.h); a post that sends them back (since=,
 *   fingerprint=) gets only the travellers with an event recorded since
 *   (their whole window: a new member of the set always has a new event),
 *   or everything when the central's ledger is not the one it stamped.
 *   Personal data: every answer is audited (sync.histories). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "event_json.h"
#include "frontera/alloc.h"
#include "server_internal.h"

#define HIST_DAYS_DEFAULT 180
#define HIST_DAYS_MAX 730

/* ---- lists ---- */

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h;
}

static uint64_t mix_str(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = mix(h, (unsigned char)*s);
    return h;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

/* The stamp of the files a list is made of, and their newest time. */
static uint64_t stamp_of(const char *dir, int lost, int64_t *newest)
{
    uint64_t h = 1469598103934665603ull;
    char path[4200];
    struct stat st;
    *newest = 0;
    if (lost) {
        snprintf(path, sizeof path, "%s/lost-stolen.docs.csv", dir);
        if (stat(path, &st) != 0) return 0;
        *newest = (int64_t)st.st_mtim.tv_sec;
        return mix(mix(mix(h, (uint64_t)st.st_size), (uint64_t)st.st_mtim.tv_sec),
                   (uint64_t)st.st_mtim.tv_nsec) |
               1;
    }
    DIR *d = opendir(dir);
    if (!d) return 0;
    struct dirent *e;
    uint64_t sum = 0; /* readdir's order is not stable: combine the files commutatively */
    while ((e = readdir(d)) != NULL) {
        if (!ends_with(e->d_name, ".wl.csv")) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0) continue;
        uint64_t f =
            mix(mix(mix_str(h, e->d_name), (uint64_t)st.st_size),
                (uint64_t)st.st_mtim.tv_sec * 1000000000ull + (uint64_t)st.st_mtim.tv_nsec);
        sum += f;
        if (st.st_mtim.tv_sec > *newest) *newest = (int64_t)st.st_mtim.tv_sec;
    }
    closedir(d);
    return mix(h, sum) | 1;
}

/* The list's text: every *.wl.csv as one canonical CSV, or the lost/stolen file. */
static int build_text(const char *dir, int lost, char **text, size_t *len, fr_error *err)
{
    if (lost) {
        char path[4200];
        snprintf(path, sizeof path, "%s/lost-stolen.docs.csv", dir);
        FILE *f = fopen(path, "rb");
        if (!f) return fr_error_set(err, FR_ENOTFOUND, 0, 0, "list", "no lost/stolen list");
        char *b = NULL;
        size_t n = 0, cap = 0, got;
        char chunk[65536];
        while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
            if (n + got + 1 > cap) {
                size_t ncap = cap ? cap * 2 : 1 << 16;
                while (ncap < n + got + 1)
                    ncap *= 2;
                char *nb = fr_realloc(b, ncap);
                if (!nb) {
                    fclose(f);
                    fr_free(b);
                    return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
                }
                b = nb;
                cap = ncap;
            }
            memcpy(b + n, chunk, got);
            n += got;
        }
        int bad = ferror(f);
        fclose(f);
        if (bad || !b) {
            fr_free(b);
            return fr_error_set(err, FR_EIO, 0, 0, "list", "cannot read the lost/stolen list");
        }
        b[n] = 0;
        *text = b;
        *len = n;
        return FR_OK;
    }
    fr_watchlist *wl = NULL;
    size_t rejected = 0;
    int rc = fr_watchlist_new(&wl);
    if (rc != FR_OK) return fr_error_set(err, rc, 0, 0, "", "out of memory");
    if ((rc = fr_watchlist_load_dir(wl, dir, &rejected, err)) == FR_OK)
        rc = fr_watchlist_csv(wl, NULL, text, len, err);
    fr_watchlist_free(wl);
    return rc;
}

enum MHD_Result fr__srv_sync_list(srv_req *r)
{
    fr_server *s = r->srv;
    int lost = r->route == R_SYNC_LOST;
    srv_listfile *lf = &s->listfile[lost];
    fr_error err;
    fr_error_clear(&err);
    if (!s->lists_dir)
        return fr__srv_problem(r, 404, "no-lists", "No lists here", NULL, NULL,
                               "this server was started without --watchlists: it serves no lists");
    int64_t newest = 0;
    pthread_mutex_lock(&s->listfile_mu);
    uint64_t stamp = stamp_of(s->lists_dir, lost, &newest);
    if (stamp == 0) {
        pthread_mutex_unlock(&s->listfile_mu);
        if (lost)
            return fr__srv_problem(r, 404, "no-lists", "No lists here", NULL, NULL,
                                   "the central holds no lost/stolen list (lost-stolen.docs.csv)");
        return fr__srv_problem(r, 404, "no-lists", "No lists here", NULL, NULL,
                               "the central's watchlist directory cannot be read");
    }
    if (stamp != lf->stamp) {
        char *text = NULL;
        size_t len = 0;
        if (build_text(s->lists_dir, lost, &text, &len, &err) != FR_OK) {
            pthread_mutex_unlock(&s->listfile_mu);
            return fr__srv_problem_err(r, &err);
        }
        unsigned char h[32];
        crypto_generichash(h, sizeof h, (const unsigned char *)text, len, NULL, 0);
        fr_free(lf->text);
        lf->text = text;
        lf->len = len;
        lf->stamp = stamp;
        lf->version = newest;
        sodium_bin2hex(lf->digest, sizeof lf->digest, h, sizeof h);
    }
    /* sent while locked: a new import waits for this answer, never frees its text */
    enum MHD_Result ret = fr__srv_send_list(r, lf->text, lf->len, lf->version, lf->digest);
    pthread_mutex_unlock(&s->listfile_mu);
    return ret;
}

/* ---- histories ---- */

/* A traveller seen in the window: an open-addressing table on the id. */
typedef struct trav {
    int64_t id;       /* 0: empty slot */
    int64_t move_utc; /* the last entry or exit */
    int8_t move_kind; /* FR_EVENT_ENTRY or FR_EVENT_EXIT, 0: none */
    int8_t at_port;   /* a crossing at one of the post's ports */
} trav;

typedef struct hist {
    trav *slot;
    size_t cap, n;
    const fr_user *post;
    int pass;        /* 1: find the travellers; 2: write their events */
    int incremental; /* only the travellers already in the table (new events since the post's
                        last pull) are looked at */
    json_t *events;
    size_t nevents, ntrav;
    int failed;
} hist;

static trav *find(hist *h, int64_t id, int add)
{
    if (add && (h->n + 1) * 2 > h->cap) {
        size_t ncap = h->cap ? h->cap * 2 : 1024;
        trav *ns = fr_calloc(ncap, sizeof *ns);
        if (!ns) return NULL;
        for (size_t i = 0; i < h->cap; i++) {
            if (!h->slot[i].id) continue;
            size_t j = (size_t)((uint64_t)h->slot[i].id * 0x9e3779b97f4a7c15ull) & (ncap - 1);
            while (ns[j].id)
                j = (j + 1) & (ncap - 1);
            ns[j] = h->slot[i];
        }
        fr_free(h->slot);
        h->slot = ns;
        h->cap = ncap;
    }
    if (!h->cap) return NULL;
    size_t j = (size_t)((uint64_t)id * 0x9e3779b97f4a7c15ull) & (h->cap - 1);
    while (h->slot[j].id && h->slot[j].id != id)
        j = (j + 1) & (h->cap - 1);
    if (h->slot[j].id) return &h->slot[j];
    if (!add) return NULL;
    h->slot[j].id = id;
    h->n++;
    return &h->slot[j];
}

static int likely(const trav *t)
{
    return t->at_port || t->move_kind == FR_EVENT_ENTRY;
}

static int on_event(void *ud, const fr_event *ev)
{
    hist *h = ud;
    if (ev->traveller_id <= 0 || !ev->doc.number[0]) return 0; /* an erased person's */
    if (h->pass == 1) {
        trav *t = find(h, ev->traveller_id, !h->incremental);
        if (!t && h->incremental) return 0; /* nothing new about them since the last pull */
        if (!t) {
            h->failed = 1;
            return FR_ENOMEM;
        }
        if (fr_auth_port_allowed(h->post, ev->port)) t->at_port = 1;
        int64_t at = fr_datetime_utc(&ev->at);
        if ((ev->kind == FR_EVENT_ENTRY || ev->kind == FR_EVENT_EXIT) &&
            (!t->move_kind || at >= t->move_utc)) {
            t->move_kind = (int8_t)ev->kind;
            t->move_utc = at;
        }
        return 0;
    }
    const trav *t = find(h, ev->traveller_id, 0);
    if (!t || !likely(t)) return 0;
    json_t *o = fr__event_json(ev);
    if (!o || json_array_append_new(h->events, o) != 0) {
        h->failed = 1;
        return FR_ENOMEM;
    }
    h->nevents++;
    return 0;
}

/* The travellers with an event recorded after the post's last pull. */
static int on_crossing(void *ud, const fr_store_crossing *c)
{
    hist *h = ud;
    if (c->traveller_id > 0 && !find(h, c->traveller_id, 1)) {
        h->failed = 1;
        return FR_ENOMEM;
    }
    return 0;
}

/* An integer query argument into *out (absent: 0): 0, or -1 when malformed. */
static int arg_i64(srv_req *r, const char *name, long long *out)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    char *end = NULL;
    *out = 0;
    if (!v) return 0;
    errno = 0;
    *out = strtoll(v, &end, 10);
    return !*v || *end || errno ? -1 : 0;
}

enum MHD_Result fr__srv_sync_histories(srv_req *r)
{
    fr_server *s = r->srv;
    fr_error err;
    fr_error_clear(&err);
    long days = HIST_DAYS_DEFAULT;
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "days");
    if (v) {
        char *end = NULL;
        days = strtol(v, &end, 10);
        if (!*v || *end || days < 1 || days > HIST_DAYS_MAX)
            return fr__srv_problem(r, 400, "invalid", "Invalid request", "days", NULL,
                                   "days is 1 to %d", HIST_DAYS_MAX);
    }
    long long since = 0, fingerprint = 0; /* a fingerprint may be negative */
    int bad_since = arg_i64(r, "since", &since) != 0 || since < 0;
    if (bad_since || arg_i64(r, "fingerprint", &fingerprint) != 0)
        return fr__srv_problem(r, 400, "invalid", "Invalid request",
                               bad_since ? "since" : "fingerprint", NULL,
                               "since and fingerprint are the numbers of the last answer");
    fr_date today = (fr_date)(fr__srv_now_ms(s) / 86400000);
    fr_date from = today - (fr_date)days;
    hist h = {.post = &r->user, .pass = 1};
    int64_t last = 0, fp = 0, fp_since = 0;
    srv_ctx *c = fr__srv_ctx_acquire(s, &err);
    if (!c) return fr__srv_problem_err(r, &err);
    /* read first: an event recorded during the walks is sent now or next time */
    int rc = fr_store_last_sequence(c->store, &last, &fp, &err);
    /* since the post's last answer, when it is of this ledger: only the
     * travellers with a new event (a new member of the set always has one:
     * an entry, or a crossing at the post) are looked at */
    if (rc == FR_OK && since > 0 && since <= last &&
        fr_store_sequence_fingerprint(c->store, since, &fp_since, &err) == FR_OK &&
        fp_since == fingerprint) {
        h.incremental = 1;
        rc = fr_store_crossings_since(c->store, since, last, on_crossing, &h, &err);
    }
    fr_error_clear(&err);
    /* the statistics' walk: it gives every event its traveller on every
     * backend (the erased persons' events, without a document, are skipped) */
    int nothing_new = h.incremental && h.n == 0; /* the walks would find no one */
    if (rc == FR_OK && !nothing_new)
        rc = fr_store_export_stats(c->store, from, FR_DATE_NONE, on_event, &h, &err);
    if (rc == FR_OK && nothing_new) h.events = json_array();
    if (rc == FR_OK && !nothing_new) {
        for (size_t i = 0; i < h.cap; i++)
            if (h.slot[i].id && likely(&h.slot[i])) h.ntrav++;
        h.pass = 2;
        h.events = json_array();
        rc = h.events ? fr_store_export_stats(c->store, from, FR_DATE_NONE, on_event, &h, &err)
                      : FR_ENOMEM;
    }
    fr__srv_ctx_release(s, c);
    fr_free(h.slot);
    if (rc != FR_OK || h.failed) {
        json_decref(h.events);
        if (h.failed || rc == FR_ENOMEM) return MHD_NO;
        return fr__srv_problem_err(r, &err);
    }
    char object[FR_AUDIT_OBJECT_MAX + 1], detail[96], asof[FR_DATE_BUFSZ];
    snprintf(object, sizeof object, "histories:post:%s", r->user.name);
    snprintf(detail, sizeof detail, "%zu travellers, %zu events, %ld days%s", h.ntrav, h.nevents,
             days, h.incremental ? ", since the last pull" : "");
    fr_audit_record rec;
    fr__srv_audit_record_for(r, &rec, "sync.histories", object, 200, detail);
    if (fr__srv_audit_write(s, &rec, 1) != FR_OK) {
        json_decref(h.events);
        return fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                               "the histories could not be audited: nothing sent");
    }
    json_t *j =
        json_pack("{s:s, s:i, s:b, s:I, s:I, s:I, s:I, s:o}", "as_of", fr_date_format(today, asof),
                  "days", (int)days, "incremental", h.incremental, "seq", (json_int_t)last,
                  "fingerprint", (json_int_t)fp, "travellers", (json_int_t)h.ntrav, "count",
                  (json_int_t)h.nevents, "events", h.events);
    return j ? fr__srv_send_json(r, 200, j) : MHD_NO;
}
