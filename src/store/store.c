/* SPDX-License-Identifier: MIT */
/* store.c: the backend-neutral face of the ledger (store.h). It picks a
 * backend from the location ("sqlite:PATH" or a plain path -> SQLite; a
 * postgres:// or postgresql:// URI, or libpq keyword=value pairs ->
 * PostgreSQL, store/postgres/), validates
 * and normalises every event before a backend sees it, and forwards each
 * call through the backend's table of functions (store_impl.h). */
#include <ctype.h>
#include <string.h>

#include <jansson.h>

#include "frontera/alloc.h"
#include "ledger_rules.h"
#include "frontera/linkage.h"
#include "frontera/retention.h"
#include "store_impl.h"

int fr_store_is_pg(const char *where)
{
    if (strncmp(where, "postgres://", 11) == 0 || strncmp(where, "postgresql://", 13) == 0)
        return 1;
    /* libpq keyword/value form: "dbname=x host=y" (a file path has no '=' before a '/') */
    const char *eq = strchr(where, '='), *slash = strchr(where, '/');
    return eq && (!slash || eq < slash) && strncmp(where, "sqlite:", 7) != 0;
}

/* A backend that does not (yet) implement an operation says so. */
static int unsupported(const fr_store *s, const char *what, fr_error *err)
{
    return fr_error_set(err, FR_EVERSION, 0, 0, "db", "the %s store cannot %s", s->ops->name, what);
}

int fr_store_open(const char *where, unsigned flags, fr_store **out, fr_error *err)
{
    fr_error_clear(err);
    if (!where || !*where || !out)
        return fr_error_set(err, FR_EINVAL, 0, 0, "db", "no database location was given");
    *out = NULL;
    if (strncmp(where, "postgres:", 9) == 0 && strncmp(where, "postgres://", 11) != 0)
        where += 9; /* "postgres:host=... dbname=..." */
    if (fr_store_is_pg(where)) return fr__store_pg_open(where, flags, out, err);
    if (strncmp(where, "sqlite:", 7) == 0) where += 7;
    return fr__store_sqlite_open(where, flags, out, err);
}

void fr_store_close(fr_store *s)
{
    if (!s) return;
    if (s->in_batch) s->ops->batch_rollback(s);
    s->ops->close(s);
}

const char *fr_store_backend(const fr_store *s)
{
    return s ? s->ops->name : "";
}

int fr_store_schema_version(fr_store *s, int *version, fr_error *err)
{
    return s->ops->schema_version(s, version, err);
}

static int validate_reasons(const char *js, fr_error *err)
{
    size_t n = strlen(js);
    if (n > FR_REASONS_MAX)
        return fr_error_set(err, FR_EINVAL, 0, 0, "reasons", "reasons are longer than %d bytes",
                            FR_REASONS_MAX);
    json_error_t je;
    json_t *j = json_loadb(js, n, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        return fr_error_set(err, FR_EINVAL, 0, 0, "reasons",
                            "reasons are not JSON (at byte %d): %s", je.position, je.text);
    int ok = json_is_array(j) || json_is_object(j);
    json_decref(j);
    if (!ok)
        return fr_error_set(err, FR_EINVAL, 0, 0, "reasons",
                            "reasons must be a JSON array or object");
    return FR_OK;
}

static void norm_doc(fr_document *d)
{
    fr__ledger_name_norm(d->surname);
    fr__ledger_name_norm(d->given_names);
}

int fr_store_record_flags(fr_store *s, const fr_event *ev, unsigned flags, fr_record_result *result,
                          fr_error *err)
{
    fr_record_result dummy;
    if (!result) result = &dummy;
    memset(result, 0, sizeof *result);
    if (!s || !ev) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no store or event");
    if (flags & ~FR_RECORD_REASONS_BUILT)
        return fr_error_set(err, FR_EINVAL, 0, 0, "", "unknown recording flags %#x", flags);
    fr_event copy = *ev;
    norm_doc(&copy.doc);
    int rc = fr_event_validate(&copy, err);
    if (rc != FR_OK) return rc;
    if (copy.reasons_json && copy.reasons_json[0]) {
        if (!(flags & FR_RECORD_REASONS_BUILT))
            rc = validate_reasons(copy.reasons_json, err);
        else if (strlen(copy.reasons_json) > FR_REASONS_MAX)
            rc = fr_error_set(err, FR_EINVAL, 0, 0, "reasons", "reasons are longer than %d bytes",
                              FR_REASONS_MAX);
        if (rc != FR_OK) return rc;
    }
    return s->ops->record(s, &copy, result, err);
}

int fr_store_record(fr_store *s, const fr_event *ev, fr_record_result *result, fr_error *err)
{
    return fr_store_record_flags(s, ev, 0, result, err);
}

int fr_store_prefetch(fr_store *s, const fr_event *const *evs, size_t n, fr_error *err)
{
    if (!s || !s->in_batch || !s->ops->prefetch || n == 0) return FR_OK;
    if (!evs) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no events");
    /* the backend sees what fr_store_record would pass it */
    fr_event *copies = fr_malloc(n * sizeof *copies);
    const fr_event **ptrs = fr_malloc(n * sizeof *ptrs);
    int rc = FR_OK;
    if (!copies || !ptrs) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        ptrs[i] = NULL;
        if (!evs[i]) continue;
        copies[i] = *evs[i];
        norm_doc(&copies[i].doc);
        fr_error e;
        if (fr_event_validate(&copies[i], &e) == FR_OK) ptrs[i] = &copies[i];
    }
    rc = s->ops->prefetch(s, ptrs, n, err);
done:
    fr_free(copies);
    fr_free(ptrs);
    return rc;
}

int fr_store_batch_begin(fr_store *s, fr_error *err)
{
    if (s->in_batch) return fr_error_set(err, FR_EINVAL, 0, 0, "", "a batch is already open");
    int rc = s->ops->batch_begin(s, err);
    if (rc == FR_OK) s->in_batch = 1;
    return rc;
}

int fr_store_batch_commit(fr_store *s, fr_error *err)
{
    if (!s->in_batch) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no batch is open");
    int rc = s->ops->batch_commit(s, err);
    if (rc == FR_OK) s->in_batch = 0;
    return rc;
}

void fr_store_batch_rollback(fr_store *s)
{
    if (!s || !s->in_batch) return;
    s->ops->batch_rollback(s);
    s->in_batch = 0;
}

int fr_store_find_document(fr_store *s, const char *state, const char *number,
                           int64_t *traveller_id, fr_error *err)
{
    if (!state || !number || !traveller_id)
        return fr_error_set(err, FR_EINVAL, 0, 0, "", "no document given");
    return s->ops->find_document(s, state, number, traveller_id, err);
}

int fr_store_link_document(fr_store *s, const fr_document *doc, fr_date day, int entering,
                           fr_store_link *out, fr_error *err)
{
    if (!s || !doc || !out) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no document given");
    fr_document copy = *doc;
    norm_doc(&copy);
    if (!s->ops->link) return unsupported(s, "link documents to travellers by weight", err);
    return s->ops->link(s, &copy, day, entering, out, err);
}

int fr_store_resolve(fr_store *s, const fr_document *doc, int64_t *traveller_id, fr_link_kind *how,
                     fr_error *err)
{
    if (!doc || !traveller_id || !how)
        return fr_error_set(err, FR_EINVAL, 0, 0, "", "no document given");
    *traveller_id = 0;
    *how = FR_LINK_NONE;
    fr_store_link l;
    int rc = fr_store_link_document(s, doc, FR_DATE_NONE, 0, &l, err);
    if (rc != FR_OK) return rc;
    *traveller_id = l.traveller_id;
    *how = l.how;
    return FR_OK;
}

int fr_store_set_linkage(fr_store *s, const fr_linkage_params *p, fr_error *err)
{
    if (!s || !p || !(p->review_bits <= p->link_bits) || !(p->renewal_rate > 0) ||
        !(p->renewal_rate < 1))
        return fr_error_set(err, FR_EINVAL, 0, 0, "linkage",
                            "the review threshold must not exceed the link threshold, and the "
                            "renewal rate must be between 0 and 1");
    if (s->in_batch) return fr_error_set(err, FR_EINVAL, 0, 0, "", "a batch is open");
    if (!s->ops->set_linkage) return unsupported(s, "store linking thresholds", err);
    return s->ops->set_linkage(s, p, err);
}

void fr_store_get_linkage(fr_store *s, fr_linkage_params *p)
{
    if (s->ops->get_linkage)
        s->ops->get_linkage(s, p);
    else
        fr_linkage_defaults(p);
}

int fr_store_reviews(fr_store *s, int open_only, fr_link_review **out, size_t *n, fr_error *err)
{
    if (!s || !out || !n) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no output given");
    *out = NULL;
    *n = 0;
    if (!s->ops->reviews) return unsupported(s, "list link reviews", err);
    return s->ops->reviews(s, open_only, out, n, err);
}

static int actor_ok(const char *actor, fr_error *err)
{
    if (!actor || !actor[0] || strlen(actor) > FR_OFFICER_MAX)
        return fr_error_set(err, FR_EINVAL, 0, 0, "actor", "say who decides (1 to %d characters)",
                            FR_OFFICER_MAX);
    return FR_OK;
}

/* A decision on who is who states why: the note is all the audit keeps of the
 * supervisor's reasoning (a link merges two people's records; keeping them
 * apart decides as much). */
static int note_ok(const char *note, fr_error *err)
{
    size_t n = note ? strlen(note) : 0, a = 0;
    while (a < n && isspace((unsigned char)note[a]))
        a++;
    while (n > a && isspace((unsigned char)note[n - 1]))
        n--;
    if (n - a < 3 || n - a > FR_STORE_NOTE_MAX)
        return fr_error_set(err, FR_EINVAL, 0, 0, "note",
                            "say why in the note, in 3 to %d characters: it is what the audit "
                            "keeps of the decision",
                            FR_STORE_NOTE_MAX);
    return FR_OK;
}

int fr_store_review_resolve(fr_store *s, int64_t id, int same_person, const char *actor,
                            int64_t at_utc, const char *note, fr_error *err)
{
    if (!s) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no store");
    int rc = actor_ok(actor, err);
    if (rc == FR_OK) rc = note_ok(note, err);
    if (rc != FR_OK) return rc;
    if (s->in_batch) return fr_error_set(err, FR_EINVAL, 0, 0, "", "a batch is open");
    if (!s->ops->review_resolve) return unsupported(s, "resolve link reviews", err);
    return s->ops->review_resolve(s, id, same_person != 0, actor, at_utc, note ? note : "", err);
}

int fr_store_split(fr_store *s, const char *state, const char *number, const char *actor,
                   int64_t at_utc, const char *note, int64_t *new_traveller, fr_error *err)
{
    if (!s || !state || !number || !new_traveller)
        return fr_error_set(err, FR_EINVAL, 0, 0, "document", "no document given");
    int rc = actor_ok(actor, err);
    if (rc == FR_OK) rc = note_ok(note, err);
    if (rc != FR_OK) return rc;
    if (s->in_batch) return fr_error_set(err, FR_EINVAL, 0, 0, "", "a batch is open");
    if (!s->ops->split) return unsupported(s, "split documents off a traveller", err);
    return s->ops->split(s, state, number, actor, at_utc, note ? note : "", new_traveller, err);
}

int fr_store_history(fr_store *s, int64_t traveller_id, fr_history **out, fr_error *err)
{
    if (!out) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no output given");
    *out = NULL;
    return s->ops->history(s, traveller_id, out, err);
}

int fr_store_export(fr_store *s, fr_date from, fr_date to, fr_store_event_fn fn, void *ud,
                    fr_error *err)
{
    if (!fn) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no callback given");
    return s->ops->export_events(s, from, to, 0, fn, ud, err);
}

int fr_store_export_stats(fr_store *s, fr_date from, fr_date to, fr_store_event_fn fn, void *ud,
                          fr_error *err)
{
    if (!fn) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no callback given");
    return s->ops->export_events(s, from, to, 1, fn, ud, err);
}

int fr_store_last_sequence(fr_store *s, int64_t *seq, int64_t *fingerprint, fr_error *err)
{
    if (!seq || !fingerprint) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no output given");
    *seq = 0;
    *fingerprint = 0;
    if (!s->ops->last_sequence) return unsupported(s, "read event sequence numbers", err);
    return s->ops->last_sequence(s, seq, fingerprint, err);
}

int fr_store_sequence_fingerprint(fr_store *s, int64_t seq, int64_t *fingerprint, fr_error *err)
{
    if (!fingerprint) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no output given");
    *fingerprint = 0;
    if (!s->ops->sequence_fingerprint) return unsupported(s, "read event sequence numbers", err);
    return s->ops->sequence_fingerprint(s, seq, fingerprint, err);
}

int fr_store_crossings_since(fr_store *s, int64_t after, int64_t upto, fr_store_crossing_fn fn,
                             void *ud, fr_error *err)
{
    if (!fn) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no callback given");
    if (after < 0) after = 0;
    if (!s->ops->crossings_since) return unsupported(s, "read events by sequence number", err);
    return s->ops->crossings_since(s, after, upto, fn, ud, err);
}

int fr_store_events_since(fr_store *s, int64_t after, size_t limit, fr_store_seq_event_fn fn,
                          void *ud, fr_error *err)
{
    if (!fn) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no callback given");
    if (after < 0) after = 0;
    if (!s->ops->events_since) return unsupported(s, "read whole events by sequence number", err);
    return s->ops->events_since(s, after, limit, fn, ud, err);
}

typedef struct {
    uint64_t count, sum;
} digest_acc;

static int digest_one(void *ud, const fr_event *ev)
{
    digest_acc *a = ud;
    uint64_t h = (uint64_t)fr__ledger_event_digest(ev);
    uint64_t p = (uint64_t)fr__ledger_person_digest(&ev->doc);
    /* mix (splitmix64 finaliser) so that a sum of digests is still a digest */
    uint64_t x = h ^ (p * 0x9e3779b97f4a7c15ULL);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    a->sum += x ^ (x >> 31);
    a->count++;
    return 0;
}

int fr_store_digest(fr_store *s, uint64_t *count, uint64_t *digest, fr_error *err)
{
    digest_acc a = {0, 0};
    int rc = fr_store_export(s, FR_DATE_NONE, FR_DATE_NONE, digest_one, &a, err);
    if (rc != FR_OK) return rc;
    *count = a.count;
    *digest = a.sum;
    return FR_OK;
}

int fr_store_purge(fr_store *s, const fr_retention *r, fr_date as_of, unsigned flags,
                   int64_t *cursor, size_t max_persons, fr_purge_counts *counts, int *done,
                   fr_error *err)
{
    if (!s || !r || !cursor || !counts || !done)
        return fr_error_set(err, FR_EINVAL, 0, 0, "", "no store, retention, cursor or counts");
    int rc = fr_retention_check(r, err);
    if (rc != FR_OK) return rc;
    if (as_of < FR_EVENT_DATE_MIN || as_of > FR_EVENT_DATE_MAX)
        return fr_error_set(err, FR_EINVAL, 0, 0, "as_of", "the purge date must be 2000..2099");
    if (!s->ops->purge) return unsupported(s, "purge", err);
    *done = 0;
    if (*cursor < 0) *cursor = 0;
    return s->ops->purge(s, r, as_of, flags, cursor, max_persons ? max_persons : 1000, counts, done,
                         err);
}

int fr_store_checkpoint(fr_store *s, int64_t *log_frames, int64_t *copied, fr_error *err)
{
    if (log_frames) *log_frames = 0;
    if (copied) *copied = 0;
    if (!s) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no store");
    if (!s->ops->checkpoint) return FR_OK;
    return s->ops->checkpoint(s, log_frames, copied, err);
}

int fr_store_warm(fr_store *s, size_t dates, int *done, fr_error *err)
{
    int ignored;
    if (!done) done = &ignored;
    *done = 1;
    if (!s) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no store");
    if (s->in_batch) return fr_error_set(err, FR_EINVAL, 0, 0, "", "a batch is open");
    if (!s->ops->warm) return FR_OK;
    return s->ops->warm(s, dates, done, err);
}

int fr__store_load_begin(fr_store *s, int *on, fr_error *err)
{
    *on = 0;
    if (!s) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no store");
    if (s->in_batch) return fr_error_set(err, FR_EINVAL, 0, 0, "", "a batch is open");
    if (!s->ops->load_begin) return FR_OK;
    return s->ops->load_begin(s, on, err);
}

int fr__store_load_end(fr_store *s, fr_error *err)
{
    if (!s) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no store");
    if (s->in_batch) return fr_error_set(err, FR_EINVAL, 0, 0, "", "a batch is open");
    if (!s->ops->load_end) return FR_OK;
    return s->ops->load_end(s, err);
}

int fr_store_lost(fr_store *s)
{
    return s && s->ops->lost && s->ops->lost(s);
}
