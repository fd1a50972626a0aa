/* SPDX-License-Identifier: MIT */
/* store_pg.c: the PostgreSQL backend of the ledger (libpq): connecting,
 * the versioned schema, transactions, id allocation, monthly partitions,
 * and sending the rows a transaction wrote (store_pg.h).
 *
 * Schema: frontera_schema holds the version; MIGRATIONS[i] takes version i
 * to i+1 and all steps run in one transaction under an advisory lock, so two
 * processes opening an old database migrate it once. A newer version, or a
 * database with other tables and no frontera_schema, is refused. Events are
 * partitioned by month of their local date (declarative RANGE partitioning);
 * a month's partition is created on first use through a second, autocommit
 * connection (CREATE TABLE + ATTACH PARTITION, which takes only a SHARE
 * UPDATE EXCLUSIVE lock on the parent, so writers in other transactions go
 * on). Event ids must be unique across partitions, which a partitioned table
 * cannot enforce, so event_keys (event_id primary key) does.
 *
 * Writes: a transaction's new travellers, documents, events and link reviews
 * are kept in memory (so later records of the same batch see them) and sent
 * at commit, or earlier when a read needs them (fr__pg_flush): by COPY in a
 * batch (bulk import), by pipelined INSERTs for a single record, so the
 * booth's write is one short transaction of three round trips.
 *
 * Ids come from sequences, fetched ahead (one at a time for a single record,
 * 256 for a batch); after a batch the unused ones are handed back when no
 * other process took ids meanwhile, so ids stay dense as on SQLite. */
#include "store_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"

#define PG_BATCH_IDS 256
#define PG_PIPELINE_ROWS 64 /* fewer pending events and travellers: INSERTs, not COPY */

/* 0 -> 1: travellers, documents, events (monthly partitions), event ids */
static const char *const STEP1[] = {
    "CREATE SEQUENCE travellers_id_seq; CREATE SEQUENCE documents_id_seq;"
    " CREATE SEQUENCE events_id_seq;"
    "CREATE TABLE travellers(id bigint PRIMARY KEY, surname text NOT NULL,"
    "  given_names text NOT NULL, nationality text NOT NULL, birth_date int, sex text NOT NULL);"
    /* the linking rule's look-up: same birth date and same nationality or surname */
    "CREATE INDEX travellers_birth_nat ON travellers(birth_date, nationality);"
    "CREATE INDEX travellers_birth_surname ON travellers(birth_date, surname);"
    "CREATE TABLE documents(id bigint PRIMARY KEY, state text NOT NULL, number text NOT NULL,"
    "  type text NOT NULL, expiry int, surname text NOT NULL, given_names text NOT NULL,"
    "  nationality text NOT NULL, birth_date int, sex text NOT NULL, traveller_id bigint NOT NULL,"
    "  link int NOT NULL, person_digest bigint NOT NULL, UNIQUE(state, number));"
    "CREATE INDEX documents_traveller ON documents(traveller_id);"
    "CREATE TABLE events(id bigint NOT NULL, event_id text NOT NULL, kind int NOT NULL,"
    "  traveller_id bigint NOT NULL, document_id bigint NOT NULL, at_utc bigint NOT NULL,"
    "  local_date int NOT NULL, local_secs int NOT NULL, offset_min int NOT NULL,"
    "  port text NOT NULL, admission_class text NOT NULL, authorised_until int,"
    "  officer text NOT NULL, decision text NOT NULL, reasons text, digest bigint NOT NULL,"
    "  anomalies int NOT NULL DEFAULT 0, paired_id bigint, PRIMARY KEY (id, local_date))"
    "  PARTITION BY RANGE (local_date);"
    /* the booth's history and the pairing: a traveller's events in time order */
    "CREATE INDEX events_traveller_time ON events(traveller_id, at_utc, id);"
    "CREATE TABLE event_keys(event_id text PRIMARY KEY, id bigint NOT NULL,"
    "  local_date int NOT NULL, digest bigint NOT NULL, traveller_id bigint NOT NULL);",
    /* one month's partition, created once under a lock */
    "CREATE FUNCTION frontera_ensure_month(p_name text, p_from int, p_to int) RETURNS void"
    " LANGUAGE plpgsql AS $f$ BEGIN"
    "  PERFORM pg_advisory_xact_lock(1179799120, 1);"
    "  IF to_regclass(p_name) IS NULL THEN"
    "    EXECUTE format('CREATE TABLE %I (LIKE events INCLUDING DEFAULTS)', p_name);"
    "    EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)',"
    "                   p_name, p_from, p_to);"
    "  END IF; END $f$;",
    /* ids ahead: under a shared lock so that hand-back (exclusive) sees no one */
    "CREATE FUNCTION frontera_ids(p_seq text, p_n int) RETURNS SETOF bigint"
    " LANGUAGE plpgsql AS $f$ BEGIN"
    "  PERFORM pg_advisory_xact_lock_shared(1179799120, 2);"
    "  RETURN QUERY SELECT nextval(p_seq::regclass) FROM generate_series(1, p_n); END $f$;"
    "CREATE FUNCTION frontera_ids_return(p_seq text, p_last bigint, p_keep bigint) RETURNS void"
    " LANGUAGE plpgsql AS $f$ DECLARE v bigint; BEGIN"
    "  PERFORM pg_advisory_xact_lock(1179799120, 2);"
    "  EXECUTE format('SELECT last_value FROM %I', p_seq) INTO v;"
    "  IF v = p_last THEN PERFORM setval(p_seq::regclass, greatest(p_keep, 1), p_keep > 0); END IF;"
    " END $f$;",
    /* What recording one event needs to know, in one round trip. Each query
     * of a VOLATILE function takes a new snapshot, so what follows a lock
     * sees every transaction that held it. k 0: the event id's digest,
     * traveller, row, anomalies; k 1: the document (id, traveller, person
     * digest); k 3: the traveller's last entry/exit (row, utc, kind), its
     * row locked first; k 2: travellers who may hold a new document (born the
     * same day, same nationality or surname), after locking that birth date. */
    "CREATE FUNCTION frontera_lookup(p_event text, p_state text, p_number text, p_birth int,"
    "  p_nat text, p_sur text, p_pairs boolean)"
    " RETURNS TABLE(k int, a bigint, b bigint, c bigint, d int, s1 text, s2 text, s3 text,"
    "  s4 text) LANGUAGE plpgsql AS $f$ DECLARE v_doc bigint; v_tid bigint; v_pd bigint; BEGIN"
    "  RETURN QUERY SELECT 0, ek.digest, ek.traveller_id, ek.id, e.anomalies, NULL::text,"
    "    NULL::text, NULL::text, NULL::text FROM event_keys ek JOIN events e"
    "    ON e.id = ek.id AND e.local_date = ek.local_date WHERE ek.event_id = p_event;"
    "  SELECT id, traveller_id, person_digest INTO v_doc, v_tid, v_pd FROM documents"
    "    WHERE state = p_state AND number = p_number;"
    "  IF FOUND THEN"
    "    RETURN QUERY SELECT 1, v_doc, v_tid, v_pd, 0, NULL::text, NULL::text, NULL::text,"
    "      NULL::text;"
    "    IF p_pairs THEN RETURN QUERY SELECT * FROM frontera_last_crossing(v_tid); END IF;"
    "  ELSIF p_birth IS NOT NULL AND p_sur <> '' AND p_nat <> '' THEN"
    "    PERFORM pg_advisory_xact_lock(1179799121, p_birth % 2048);"
    "    RETURN QUERY SELECT 2, t.id, 0::bigint, 0::bigint, 0, t.surname, t.given_names,"
    "      t.nationality, t.sex FROM travellers t WHERE t.birth_date = p_birth"
    "      AND (t.nationality = p_nat OR t.surname = p_sur) ORDER BY t.id LIMIT 256;"
    "  END IF; END $f$;",
    "CREATE FUNCTION frontera_last_crossing(p_tid bigint)"
    " RETURNS TABLE(k int, a bigint, b bigint, c bigint, d int, s1 text, s2 text, s3 text,"
    "  s4 text) LANGUAGE plpgsql AS $f$ BEGIN"
    "  PERFORM 1 FROM travellers WHERE id = p_tid FOR UPDATE;"
    "  RETURN QUERY SELECT 3, e.id, e.at_utc, 0::bigint, e.kind, NULL::text, NULL::text,"
    "    NULL::text, NULL::text FROM events e WHERE e.traveller_id = p_tid AND e.kind IN (1, 2)"
    "    ORDER BY e.at_utc DESC, e.id DESC LIMIT 1; END $f$;",
    NULL,
};

/* 1 -> 2: uncertain document links kept for review */
static const char *const STEP2[] = {
    "CREATE TABLE link_reviews(id bigserial PRIMARY KEY, document_id bigint NOT NULL,"
    "  traveller_id bigint NOT NULL, candidate_id bigint NOT NULL, reason text NOT NULL,"
    "  status text NOT NULL DEFAULT 'open', UNIQUE(document_id, candidate_id));"
    "CREATE INDEX link_reviews_traveller ON link_reviews(traveller_id);"
    "CREATE INDEX link_reviews_candidate ON link_reviews(candidate_id);",
    NULL,
};

/* 2 -> 3: probabilistic linking (term frequencies, review weights, audit,
 * thresholds), as the SQLite schema's step 3; the commit-ordered event
 * sequence (event_seq, store_pg_seq.c); and the one-round-trip look-up with
 * the linking evidence (frontera_lookup3, replacing frontera_lookup). */
static const char *const STEP3[] = {
    "CREATE TABLE link_nat_freq(nationality text PRIMARY KEY, n bigint NOT NULL);"
    "CREATE TABLE link_name_freq(nationality text NOT NULL, surname text NOT NULL,"
    "  given_names text NOT NULL, n bigint NOT NULL, PRIMARY KEY(nationality, surname,"
    "  given_names));"
    "CREATE TABLE link_birth_freq(birth_date int PRIMARY KEY, n bigint NOT NULL);"
    "INSERT INTO link_nat_freq SELECT nationality, count(*) FROM travellers GROUP BY 1;"
    "INSERT INTO link_name_freq SELECT nationality, surname, given_names, count(*)"
    "  FROM travellers GROUP BY 1, 2, 3;"
    "INSERT INTO link_birth_freq SELECT birth_date, count(*) FROM travellers"
    "  WHERE birth_date IS NOT NULL GROUP BY 1;"
    "ALTER TABLE link_reviews ADD COLUMN bits double precision, ADD COLUMN resolved_by text,"
    "  ADD COLUMN resolved_at bigint;"
    "CREATE INDEX link_reviews_status ON link_reviews(status, id);"
    "CREATE TABLE link_audit(id bigserial PRIMARY KEY, at_utc bigint NOT NULL,"
    "  actor text NOT NULL, action text NOT NULL, review_id bigint, document_id bigint,"
    "  from_traveller bigint, to_traveller bigint, note text NOT NULL);"
    "CREATE TABLE link_settings(name text PRIMARY KEY, value double precision NOT NULL);"
    "CREATE TABLE event_seq(seq bigint PRIMARY KEY, id bigint NOT NULL, local_date int NOT NULL,"
    "  digest bigint NOT NULL);"
    "INSERT INTO event_seq SELECT row_number() OVER (ORDER BY id), id, local_date, digest"
    "  FROM events;"
    "CREATE TABLE frontera_counters(name text PRIMARY KEY, value bigint NOT NULL);"
    "INSERT INTO frontera_counters VALUES ('event_seq', (SELECT count(*) FROM events)),"
    "  ('link_generation', 0);"
    "DROP FUNCTION frontera_lookup(text, text, text, int, text, text, boolean);",
    /* What recording one event needs, in one round trip (the rows' meaning
     * by k is in store_pg_link.c). For a new document, under the linking
     * locks when p_lock: the frequency totals (k 4), the blocking rows with
     * their frequencies (k 2), and the frequencies of this transaction's
     * unsent candidates (k 6). The latest document and last crossing of the
     * few candidates that can reach review are read after (a second round
     * trip, only then). */
    "CREATE FUNCTION frontera_lookup3(p_event text, p_state text, p_number text, p_keys int[],"
    "  p_nat text, p_sur text, p_pairs boolean, p_lock boolean, p_pn text[], p_ps text[],"
    "  p_pg text[], p_pb int[])"
    " RETURNS TABLE(k int, a bigint, b bigint, c bigint, d int, s1 text, s2 text, s3 text,"
    "  s4 text, e bigint, h text, i bigint, j bigint, l int)"
    " LANGUAGE plpgsql AS $f$ DECLARE v_doc bigint; v_tid bigint; v_pd bigint; BEGIN"
    "  RETURN QUERY SELECT 5, value, 0::bigint, 0::bigint, 0, NULL::text, NULL::text,"
    "    NULL::text, NULL::text, NULL::bigint, NULL::text, NULL::bigint, NULL::bigint, NULL::int"
    "    FROM frontera_counters WHERE name = 'link_generation';"
    "  RETURN QUERY SELECT 0, ek.digest, ek.traveller_id, ek.id, e.anomalies, NULL::text,"
    "    NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::text, NULL::bigint,"
    "    NULL::bigint, NULL::int FROM event_keys ek JOIN events e"
    "    ON e.id = ek.id AND e.local_date = ek.local_date WHERE ek.event_id = p_event;"
    "  SELECT id, traveller_id, person_digest INTO v_doc, v_tid, v_pd FROM documents"
    "    WHERE state = p_state AND number = p_number;"
    "  IF FOUND THEN"
    "    RETURN QUERY SELECT 1, v_doc, v_tid, v_pd, 0, NULL::text, NULL::text, NULL::text,"
    "      NULL::text, NULL::bigint, NULL::text, NULL::bigint, NULL::bigint, NULL::int;"
    "    IF p_pairs THEN"
    "      PERFORM 1 FROM travellers WHERE id = v_tid FOR UPDATE;"
    "      RETURN QUERY SELECT 3, e.id, e.at_utc, 0::bigint, e.kind, NULL::text, NULL::text,"
    "        NULL::text, NULL::text, NULL::bigint, NULL::text, NULL::bigint, NULL::bigint,"
    "        NULL::int FROM events e WHERE e.traveller_id = v_tid AND e.kind IN (1, 2)"
    "        ORDER BY e.at_utc DESC, e.id DESC LIMIT 1;"
    "    END IF;"
    "  ELSIF p_keys IS NOT NULL AND p_sur <> '' AND p_nat <> '' THEN"
    "    IF p_lock THEN"
    "      PERFORM pg_advisory_xact_lock_shared(1179799122, 0);"
    "      PERFORM pg_advisory_xact_lock(1179799121, q.x) FROM (SELECT DISTINCT y % 2048 AS x"
    "        FROM unnest(p_keys) y ORDER BY 1) q;"
    "    END IF;"
    "    RETURN QUERY SELECT 4, (SELECT coalesce(sum(n), 0) FROM link_nat_freq)::bigint,"
    "      coalesce((SELECT n FROM link_nat_freq WHERE nationality = p_nat), 0)::bigint,"
    "      0::bigint, 0, NULL::text, NULL::text, NULL::text, NULL::text, NULL::bigint,"
    "      NULL::text, NULL::bigint, NULL::bigint, NULL::int;"
    "    RETURN QUERY SELECT 2, t.id, coalesce(nf.n, 0)::bigint, coalesce(bf.n, 0)::bigint, 0,"
    "      t.surname, t.given_names, t.nationality, t.sex, t.birth_date::bigint, NULL::text,"
    "      NULL::bigint, NULL::bigint, NULL::int FROM (SELECT * FROM travellers x"
    "      WHERE x.birth_date = ANY(p_keys) AND (x.nationality = p_nat OR x.surname = p_sur)"
    "      ORDER BY x.id LIMIT 512) t"
    "      LEFT JOIN link_name_freq nf ON nf.nationality = t.nationality"
    "        AND nf.surname = t.surname AND nf.given_names = t.given_names"
    "      LEFT JOIN link_birth_freq bf ON bf.birth_date = t.birth_date"
    "      ORDER BY t.id;"
    "    RETURN QUERY SELECT 6, u.o, coalesce((SELECT n FROM link_name_freq f"
    "      WHERE f.nationality = u.na AND f.surname = u.su AND f.given_names = u.gi), 0)::bigint,"
    "      coalesce((SELECT n FROM link_birth_freq f WHERE f.birth_date = u.bi), 0)::bigint, 0,"
    "      NULL::text, NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::text,"
    "      NULL::bigint, NULL::bigint, NULL::int"
    "      FROM unnest(p_pn, p_ps, p_pg, p_pb) WITH ORDINALITY AS u(na, su, gi, bi, o);"
    "  END IF; END $f$;",
    NULL,
};

/* 3 -> 4: retention (store_pg_purge.c): a purged event keeps its nationality
 * on its row, its document being gone (document_id 0); its sequence row is
 * found by event id to replace its digest */
static const char *const STEP4[] = {
    "ALTER TABLE events ADD COLUMN nationality text;"
    "CREATE INDEX event_seq_id ON event_seq(id);",
    NULL,
};

/* MIGRATIONS[i] takes the schema from version i to i+1. */
static const char *const *const MIGRATIONS[FR_STORE_SCHEMA_VERSION] = {STEP1, STEP2, STEP3, STEP4};

static const char *const SEQ_NAMES[PG_SEQ_COUNT] = {"travellers_id_seq", "documents_id_seq",
                                                    "events_id_seq"};

const char *fr__pg_i64(char *buf, int64_t v)
{
    snprintf(buf, 24, "%lld", (long long)v);
    return buf;
}

const char *fr__pg_date(char *buf, fr_date d)
{
    if (d == FR_DATE_NONE) return NULL;
    snprintf(buf, 24, "%ld", (long)d);
    return buf;
}

int fr__pg_error(pg_store *s, const PGresult *r, fr_error *err, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!msg || !*msg) msg = s && s->conn ? PQerrorMessage(s->conn) : "no connection";
    int code = FR_ESTORE;
    if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
                  strcmp(state, "23505") == 0 || strcmp(state, "55P03") == 0))
        code = FR_EBUSY; /* serialization, deadlock, a concurrent insert, lock timeout */
    if (state && strcmp(state, "53100") == 0) msg = "the database server's disk is full";
    char clean[200];
    snprintf(clean, sizeof clean, "%s", msg);
    size_t n = strlen(clean);
    while (n && (clean[n - 1] == '\n' || clean[n - 1] == ' '))
        clean[--n] = '\0';
    return fr_error_set(err, code, 0, 0, "", "%s: %s", what, clean);
}

int fr__pg_exec(pg_store *s, const char *sql, fr_error *err, const char *what)
{
    PGresult *r = PQexec(s->conn, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    int rc = ok ? FR_OK : fr__pg_error(s, r, err, what);
    PQclear(r);
    return rc;
}

/* ---- maps ---------------------------------------------------------------- */

static uint64_t hash_key(const char *k)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211ULL;
    return h ^ (h >> 29);
}

pg_slot *fr__pg_map_get(pg_map *m, const char *key)
{
    if (!m->cap) return NULL;
    for (size_t j = hash_key(key) & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
        if (!m->slots[j].key[0]) return NULL;
        if (strcmp(m->slots[j].key, key) == 0) return &m->slots[j];
    }
}

pg_slot *fr__pg_map_put(pg_map *m, const char *key)
{
    if (strlen(key) >= sizeof m->slots->key) return NULL;
    pg_slot *hit = fr__pg_map_get(m, key);
    if (hit) return hit;
    if (!m->cap || (m->used + 1) * 10 >= m->cap * 7) {
        size_t ncap = m->cap ? m->cap * 2 : 256;
        pg_slot *ns = fr_calloc(ncap, sizeof *ns);
        if (!ns) return NULL;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->slots[i].key[0]) continue;
            size_t j = hash_key(m->slots[i].key) & (ncap - 1);
            while (ns[j].key[0])
                j = (j + 1) & (ncap - 1);
            ns[j] = m->slots[i];
        }
        fr_free(m->slots);
        m->slots = ns;
        m->cap = ncap;
    }
    size_t j = hash_key(key) & (m->cap - 1);
    while (m->slots[j].key[0])
        j = (j + 1) & (m->cap - 1);
    memset(&m->slots[j], 0, sizeof m->slots[j]);
    snprintf(m->slots[j].key, sizeof m->slots[j].key, "%s", key);
    m->used++;
    return &m->slots[j];
}

void fr__pg_map_clear(pg_map *m)
{
    if (m->cap && m->used) memset(m->slots, 0, m->cap * sizeof *m->slots);
    m->used = 0;
}

void fr__pg_map_free(pg_map *m)
{
    fr_free(m->slots);
    memset(m, 0, sizeof *m);
}

/* ---- transactions -------------------------------------------------------- */

static void pending_clear(pg_store *s)
{
    for (size_t i = 0; i < s->npev; i++)
        fr_free(s->pev[i].reasons);
    s->nptrav = s->npdoc = s->npev = s->nprev = 0;
    s->flushed_trav = s->flushed_doc = 0;
    fr__pg_map_clear(&s->evs);
    fr__pg_map_clear(&s->travs);
    fr__pg_map_clear(&s->births);
    fr__pg_map_clear(&s->freq);
    s->ntxev = 0;
    fr__pg_prefetch_clear(s);
    memset(s->id_hint, 0, sizeof s->id_hint);
}

int fr__pg_tx_begin(pg_store *s, fr_error *err)
{
    int rc = fr__pg_exec(s, "BEGIN", err, "cannot start a transaction");
    if (rc != FR_OK) return rc;
    pending_clear(s);
    s->in_tx = 1;
    return FR_OK;
}

/* Hand unused prefetched ids back when the sequence still ends with ours. */
static void ids_return(pg_store *s)
{
    for (int q = 0; q < PG_SEQ_COUNT; q++) {
        pg_ids *ids = &s->seq[q];
        if (ids->pos >= ids->n) continue;
        int contiguous = 1;
        for (size_t i = ids->pos + 1; i < ids->n; i++)
            if (ids->ids[i] != ids->ids[i - 1] + 1) contiguous = 0;
        if (contiguous) {
            char last[24], keep[24];
            const char *p[3] = {SEQ_NAMES[q], fr__pg_i64(last, ids->ids[ids->n - 1]),
                                fr__pg_i64(keep, ids->ids[ids->pos] - 1)};
            PGresult *r = PQexecParams(s->conn, "SELECT frontera_ids_return($1, $2, $3)", 3, NULL,
                                       p, NULL, NULL, 0);
            PQclear(r); /* best effort: a gap in the ids is harmless */
        }
        ids->pos = ids->n = 0;
    }
}

/* The commit is one round trip when the pending rows are few: rows, counts,
 * numbering and COMMIT in one pipeline (a bulk batch sends its rows by COPY
 * first). */
/* What one pipeline sends: the pending rows as INSERTs (rows), their
 * frequency counts with them, and at a commit the numbering and COMMIT. */
struct pipe_job {
    int rows, commit;
    int seq_at; /* index of the numbering statement among those sent, or -1 */
};
typedef struct pipe_job pipe_job;
static int pipelined(pg_store *s, pipe_job *job, fr_error *err);
static int few_rows(const pg_store *s);

int fr__pg_tx_commit(pg_store *s, fr_error *err)
{
    int rc = few_rows(s) ? FR_OK : fr__pg_flush(s, err);
    if (rc == FR_OK) {
        pipe_job job = {1, 1, -1};
        rc = pipelined(s, &job, err);
    }
    if (rc != FR_OK) {
        fr__pg_tx_rollback(s);
        return rc;
    }
    s->in_tx = 0;
    pending_clear(s);
    if (s->batch) ids_return(s);
    return FR_OK;
}

void fr__pg_tx_rollback(pg_store *s)
{
    if (PQtransactionStatus(s->conn) != PQTRANS_IDLE) {
        PGresult *r = PQexec(s->conn, "ROLLBACK");
        PQclear(r);
    }
    pending_clear(s);
    fr__pg_map_clear(&s->docs); /* may name documents that were never written */
    s->in_tx = 0;
}

/* ---- ids and partitions -------------------------------------------------- */

/* Fetch ids ahead for every sequence that has none left, in one round trip:
 * want[q] of sequence q (0: none). */
static int ids_fetch(pg_store *s, const int want[PG_SEQ_COUNT], fr_error *err)
{
    char n[PG_SEQ_COUNT][24];
    const char *p[PG_SEQ_COUNT];
    for (int q = 0; q < PG_SEQ_COUNT; q++)
        p[q] = fr__pg_i64(n[q], want[q]);
    PGresult *r = PQexecParams(s->conn,
                               "SELECT 0, frontera_ids('travellers_id_seq', $1) WHERE $1 > 0"
                               " UNION ALL SELECT 1, frontera_ids('documents_id_seq', $2)"
                               " WHERE $2 > 0 UNION ALL SELECT 2, frontera_ids('events_id_seq', $3)"
                               " WHERE $3 > 0",
                               PG_SEQ_COUNT, NULL, p, NULL, NULL, 0);
    int total = 0;
    for (int q = 0; q < PG_SEQ_COUNT; q++)
        total += want[q];
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != total) {
        int rc = fr__pg_error(s, r, err, "cannot allocate ids");
        PQclear(r);
        return rc;
    }
    for (int q = 0; q < PG_SEQ_COUNT; q++) {
        pg_ids *ids = &s->seq[q];
        if (!want[q]) continue;
        if ((size_t)want[q] > ids->cap) {
            int64_t *a = fr_realloc(ids->ids, (size_t)want[q] * sizeof *a);
            if (!a) {
                PQclear(r);
                return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
            }
            ids->ids = a;
            ids->cap = (size_t)want[q];
        }
        ids->n = ids->pos = 0;
    }
    for (int i = 0; i < total; i++) { /* in order within each sequence */
        int q = atoi(PQgetvalue(r, i, 0));
        if (q < 0 || q >= PG_SEQ_COUNT || s->seq[q].n >= (size_t)want[q]) continue;
        s->seq[q].ids[s->seq[q].n++] = strtoll(PQgetvalue(r, i, 1), NULL, 10);
    }
    PQclear(r);
    return FR_OK;
}

void fr__pg_ids_hint(pg_store *s, size_t travellers, size_t documents, size_t events)
{
    s->id_hint[PG_SEQ_TRAV] = travellers;
    s->id_hint[PG_SEQ_DOC] = documents;
    s->id_hint[PG_SEQ_EVENT] = events;
}

int fr__pg_next_id(pg_store *s, int seq, int64_t *id, fr_error *err)
{
    pg_ids *ids = &s->seq[seq];
    if (ids->pos >= ids->n) {
        /* a batch takes what its chunk said it needs (fr__pg_ids_hint), for
         * every sequence that ran out at once, else PG_BATCH_IDS; a single
         * record one */
        int want[PG_SEQ_COUNT] = {0};
        for (int q = 0; q < PG_SEQ_COUNT; q++) {
            if (s->seq[q].pos < s->seq[q].n || (q != seq && !s->id_hint[q])) continue;
            size_t h = s->id_hint[q];
            want[q] = !s->batch ? 1
                      : h       ? (int)(h < PG_BATCH_IDS * 4 ? h : PG_BATCH_IDS * 4)
                                : PG_BATCH_IDS;
            s->id_hint[q] = 0;
        }
        int rc = ids_fetch(s, want, err);
        if (rc != FR_OK) return rc;
    }
    *id = ids->ids[ids->pos++];
    return FR_OK;
}

int fr__pg_ensure_month(pg_store *s, fr_date d, fr_error *err)
{
    int y, m, day;
    fr_date_to_ymd(d, &y, &m, &day);
    char key[16];
    snprintf(key, sizeof key, "%04d%02d", y, m);
    if (fr__pg_map_get(&s->months, key)) return FR_OK;
    if (!s->ddl) {
        s->ddl = PQconnectdb(s->conninfo);
        if (PQstatus(s->ddl) != CONNECTION_OK)
            return fr_error_set(err, FR_ESTORE, 0, 0, "db", "cannot connect to the database: %s",
                                PQerrorMessage(s->ddl));
    }
    fr_date from, to;
    fr_date_from_ymd(y, m, 1, &from);
    to = fr_date_add_months(from, 1);
    char name[32], f[24], t[24];
    snprintf(name, sizeof name, "events_%04d_%02d", y, m);
    const char *p[3] = {name, fr__pg_i64(f, from), fr__pg_i64(t, to)};
    PGresult *r =
        PQexecParams(s->ddl, "SELECT frontera_ensure_month($1, $2, $3)", 3, NULL, p, NULL, NULL, 0);
    int rc = FR_OK;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        rc = fr_error_set(err, FR_ESTORE, 0, 0, "db", "cannot add the partition for %04d-%02d: %s",
                          y, m, msg ? msg : PQerrorMessage(s->ddl));
    } else if (!fr__pg_map_put(&s->months, key)) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    }
    PQclear(r);
    return rc;
}

/* ---- sending pending rows ------------------------------------------------ */

typedef pg_buf cbuf;

static void cb_put(cbuf *b, const char *s, size_t n)
{
    if (b->oom) return;
    if (b->n + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 65536;
        while (nc < b->n + n + 1)
            nc *= 2;
        char *q = fr_realloc(b->p, nc);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = nc;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

void fr__pg_buf_put(pg_buf *b, const char *s, size_t n)
{
    cb_put(b, s, n);
}

void fr__pg_buf_elem(pg_buf *b, const char *s, int first)
{
    cb_put(b, first ? "{" : ",", 1);
    if (!s) {
        cb_put(b, "NULL", 4);
        return;
    }
    cb_put(b, "\"", 1);
    const char *run = s;
    for (const char *c = s; *c; c++) {
        if (*c != '"' && *c != '\\') continue;
        cb_put(b, run, (size_t)(c - run));
        cb_put(b, "\\", 1);
        run = c;
    }
    cb_put(b, run, strlen(run));
    cb_put(b, "\"", 1);
}

void fr__pg_buf_end(pg_buf *b, int empty)
{
    cb_put(b, empty ? "{}" : "}", empty ? 2 : 1);
    cb_put(b, "", 0); /* makes room for the NUL */
    if (!b->oom) b->p[b->n] = '\0';
}

/* One COPY text field: NULL as \N, backslash, tab, newline, CR escaped. */
static void cb_field(cbuf *b, const char *s, int last)
{
    if (!s) {
        cb_put(b, "\\N", 2);
    } else {
        const char *run = s;
        for (const char *c = s; *c; c++) {
            const char *esc = *c == '\\'   ? "\\\\"
                              : *c == '\t' ? "\\t"
                              : *c == '\n' ? "\\n"
                              : *c == '\r' ? "\\r"
                                           : NULL;
            if (!esc) continue;
            cb_put(b, run, (size_t)(c - run));
            cb_put(b, esc, 2);
            run = c + 1;
        }
        cb_put(b, run, strlen(run));
    }
    cb_put(b, last ? "\n" : "\t", 1);
}

/* The text parameters of each pending row, in the tables' column order. */
#define TRAV_COLS 6
static void trav_params(const pg_trav_row *t, char num[][24], const char **p)
{
    static const char *const SEXES[] = {"", "M", "F", "X"};
    p[0] = fr__pg_i64(num[0], t->id);
    p[1] = t->surname;
    p[2] = t->given_names;
    p[3] = t->nationality;
    p[4] = fr__pg_date(num[1], t->birth_date);
    p[5] = t->sex == 'M' ? SEXES[1] : t->sex == 'F' ? SEXES[2] : t->sex == 'X' ? SEXES[3] : "";
}

#define DOC_COLS 13
static void doc_params(const pg_doc_row *d, char num[][24], const char **p)
{
    p[0] = fr__pg_i64(num[0], d->id);
    p[1] = d->doc.state;
    p[2] = d->doc.number;
    p[3] = d->doc.type;
    p[4] = fr__pg_date(num[1], d->doc.expiry);
    p[5] = d->doc.surname;
    p[6] = d->doc.given_names;
    p[7] = d->doc.nationality;
    p[8] = fr__pg_date(num[2], d->doc.birth_date);
    p[9] = d->doc.sex == 'M' ? "M" : d->doc.sex == 'F' ? "F" : d->doc.sex == 'X' ? "X" : "";
    p[10] = fr__pg_i64(num[3], d->traveller_id);
    p[11] = fr__pg_i64(num[4], d->link);
    p[12] = fr__pg_i64(num[5], d->person_digest);
}

#define EV_COLS 18
static void ev_params(const pg_event_row *e, char num[][24], const char **p)
{
    const fr_event *ev = &e->ev;
    p[0] = fr__pg_i64(num[0], e->id);
    p[1] = ev->event_id;
    p[2] = fr__pg_i64(num[1], ev->kind);
    p[3] = fr__pg_i64(num[2], e->traveller_id);
    p[4] = fr__pg_i64(num[3], e->document_id);
    p[5] = fr__pg_i64(num[4], fr_datetime_utc(&ev->at));
    p[6] = fr__pg_i64(num[5], ev->at.date);
    p[7] = fr__pg_i64(num[6], ev->at.seconds);
    p[8] = fr__pg_i64(num[7], ev->at.offset_min);
    p[9] = ev->port;
    p[10] = ev->admission_class;
    p[11] = fr__pg_date(num[8], ev->authorised_until);
    p[12] = ev->officer;
    p[13] = ev->decision;
    p[14] = e->reasons;
    p[15] = fr__pg_i64(num[9], e->digest);
    p[16] = fr__pg_i64(num[10], e->anomalies);
    p[17] = e->paired_id ? fr__pg_i64(num[11], e->paired_id) : NULL;
}

#define KEY_COLS 5
static void key_params(const pg_event_row *e, char num[][24], const char **p)
{
    p[0] = e->ev.event_id;
    p[1] = fr__pg_i64(num[0], e->id);
    p[2] = fr__pg_i64(num[1], e->ev.at.date);
    p[3] = fr__pg_i64(num[2], e->digest);
    p[4] = fr__pg_i64(num[3], e->traveller_id);
}

#define REV_COLS 5
static void rev_params(const pg_review_row *r, char num[][24], const char **p)
{
    p[0] = fr__pg_i64(num[0], r->document_id);
    p[1] = fr__pg_i64(num[1], r->traveller_id);
    p[2] = fr__pg_i64(num[2], r->candidate_id);
    p[3] = r->reason;
    snprintf(num[3], 24, "%.17g", r->bits);
    p[4] = num[3];
}

static const char *const COPY_SQL[] = {
    "COPY travellers(id, surname, given_names, nationality, birth_date, sex) FROM STDIN",
    "COPY documents(id, state, number, type, expiry, surname, given_names, nationality,"
    " birth_date, sex, traveller_id, link, person_digest) FROM STDIN",
    "COPY events(id, event_id, kind, traveller_id, document_id, at_utc, local_date, local_secs,"
    " offset_min, port, admission_class, authorised_until, officer, decision, reasons, digest,"
    " anomalies, paired_id) FROM STDIN",
    "COPY event_keys(event_id, id, local_date, digest, traveller_id) FROM STDIN",
    "COPY link_reviews(document_id, traveller_id, candidate_id, reason, bits) FROM STDIN",
};

/* A group's rows of each table in one statement: the columns as arrays
 * (one parse and plan per table, not per row; a group of 30 admissions sent
 * 120 INSERTs before). */
static const char *const INSERT_SQL[] = {
    "INSERT INTO travellers(id, surname, given_names, nationality, birth_date, sex)"
    " SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::int[],"
    " $6::text[])",
    "INSERT INTO documents(id, state, number, type, expiry, surname, given_names, nationality,"
    " birth_date, sex, traveller_id, link, person_digest)"
    " SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::int[],"
    " $6::text[], $7::text[], $8::text[], $9::int[], $10::text[], $11::bigint[], $12::int[],"
    " $13::bigint[])",
    "INSERT INTO events(id, event_id, kind, traveller_id, document_id, at_utc, local_date,"
    " local_secs, offset_min, port, admission_class, authorised_until, officer, decision,"
    " reasons, digest, anomalies, paired_id)"
    " SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::bigint[], $5::bigint[],"
    " $6::bigint[], $7::int[], $8::int[], $9::int[], $10::text[], $11::text[], $12::int[],"
    " $13::text[], $14::text[], $15::text[], $16::bigint[], $17::int[], $18::bigint[])",
    "INSERT INTO event_keys(event_id, id, local_date, digest, traveller_id)"
    " SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::bigint[], $5::bigint[])",
    "INSERT INTO link_reviews(document_id, traveller_id, candidate_id, reason, bits)"
    " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[],"
    " $5::double precision[]) ON CONFLICT DO NOTHING",
};

/* Row i of table t (0 travellers .. 4 reviews) as parameters; count. */
static size_t table_rows(pg_store *s, int t, size_t *first)
{
    switch (t) {
    case 0:
        *first = s->flushed_trav;
        return s->nptrav;
    case 1:
        *first = s->flushed_doc;
        return s->npdoc;
    case 2:
    case 3:
        *first = 0;
        return s->npev;
    default:
        *first = 0;
        return s->nprev;
    }
}

static int row_params(pg_store *s, int t, size_t i, char num[][24], const char **p)
{
    switch (t) {
    case 0:
        trav_params(&s->ptrav[i], num, p);
        return TRAV_COLS;
    case 1:
        doc_params(&s->pdoc[i], num, p);
        return DOC_COLS;
    case 2:
        ev_params(&s->pev[i], num, p);
        return EV_COLS;
    case 3:
        key_params(&s->pev[i], num, p);
        return KEY_COLS;
    default:
        rev_params(&s->prev[i], num, p);
        return REV_COLS;
    }
}

static int copy_table(pg_store *s, int t, fr_error *err)
{
    size_t first, n = table_rows(s, t, &first);
    if (first >= n) return FR_OK;
    cbuf b = {0};
    char num[12][24];
    const char *p[EV_COLS];
    for (size_t i = first; i < n; i++) {
        int cols = row_params(s, t, i, num, p);
        for (int c = 0; c < cols; c++)
            cb_field(&b, p[c], c == cols - 1);
    }
    if (b.oom) {
        fr_free(b.p);
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory sending rows");
    }
    PGresult *r = PQexec(s->conn, COPY_SQL[t]);
    int rc = FR_OK;
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        rc = fr__pg_error(s, r, err, "cannot start COPY");
        PQclear(r);
        fr_free(b.p);
        return rc;
    }
    PQclear(r);
    if (PQputCopyData(s->conn, b.p, (int)b.n) != 1 || PQputCopyEnd(s->conn, NULL) != 1)
        rc = fr_error_set(err, FR_ESTORE, 0, 0, "", "COPY failed: %s", PQerrorMessage(s->conn));
    fr_free(b.p);
    while ((r = PQgetResult(s->conn)) != NULL) {
        if (rc == FR_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = fr__pg_error(s, r, err, "cannot write the rows");
        PQclear(r);
    }
    return rc;
}

static int pipe_send(pg_store *s, const char *sql, int n, const char *const *p, int *sent,
                     fr_error *err)
{
    if (PQsendQueryParams(s->conn, sql, n, NULL, p, NULL, NULL, 0) == 1) {
        (*sent)++;
        return FR_OK;
    }
    return fr_error_set(err, FR_ESTORE, 0, 0, "", "cannot send: %s", PQerrorMessage(s->conn));
}

static int pipe_rows(pg_store *s, int *sent, fr_error *err)
{
    char num[12][24];
    const char *p[EV_COLS];
    pg_buf col[EV_COLS];
    int rc = FR_OK;
    memset(col, 0, sizeof col);
    for (int t = 0; t < 5 && rc == FR_OK; t++) {
        size_t first, n = table_rows(s, t, &first);
        if (first >= n) continue;
        int cols = 0, oom = 0;
        for (size_t i = first; i < n; i++) {
            cols = row_params(s, t, i, num, p);
            for (int c = 0; c < cols; c++)
                fr__pg_buf_elem(&col[c], p[c], i == first);
        }
        const char *arr[EV_COLS];
        for (int c = 0; c < cols; c++) {
            fr__pg_buf_end(&col[c], 0);
            oom |= col[c].oom;
            arr[c] = col[c].p;
        }
        rc = oom ? fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory sending rows")
                 : pipe_send(s, INSERT_SQL[t], cols, arr, sent, err);
        for (int c = 0; c < cols; c++) { /* the buffers are kept for the next table */
            col[c].n = 0;
            col[c].oom = 0;
        }
    }
    for (int c = 0; c < EV_COLS; c++)
        fr_free(col[c].p);
    return rc;
}

int fr__pg_pipe_read(pg_store *s, pg_pipe_fn fn, void *ud, fr_error *err)
{
    int rc = FR_OK, at = 0;
    for (;;) {
        PGresult *r = PQgetResult(s->conn);
        if (!r) { /* the end of one statement's results */
            if (PQstatus(s->conn) != CONNECTION_OK) {
                if (rc == FR_OK)
                    rc = fr_error_set(err, FR_ESTORE, 0, 0, "", "the connection was lost: %s",
                                      PQerrorMessage(s->conn));
                break;
            }
            at++;
            continue;
        }
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        int lost = st == PGRES_FATAL_ERROR && PQstatus(s->conn) != CONNECTION_OK;
        int kept = 0;
        if (rc == FR_OK && st != PGRES_PIPELINE_ABORTED) rc = fn(ud, at, r, &kept, err);
        if (!kept) PQclear(r);
        if (lost) break;
    }
    PQexitPipelineMode(s->conn);
    return rc;
}

typedef struct commit_read {
    pg_store *s;
    const pipe_job *job;
} commit_read;

static int commit_result(void *ud, int at, PGresult *r, int *keep, fr_error *err)
{
    commit_read *c = ud;
    (void)keep;
    if (at == c->job->seq_at) return fr__pg_seq_check(c->s, r, err);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return FR_OK;
    return fr__pg_error(c->s, r, err, c->job->commit ? "cannot commit" : "cannot write the rows");
}

/* One round trip: the pending rows and counts (job->rows), then at a commit
 * the numbering (last before COMMIT: store_pg_seq.c) and COMMIT itself. */
static int pipelined(pg_store *s, pipe_job *job, fr_error *err)
{
    pg_buf fb[4] = {{0}}, sb[3] = {{0}};
    char count[24];
    int freq = job->rows && s->flushed_trav < s->nptrav, seq = job->commit && s->ntxev > 0;
    int rc = FR_OK, sent = 0;
    job->seq_at = -1;
    if (freq) rc = fr__pg_freq_args(s, s->flushed_trav, s->nptrav, fb, err);
    if (rc == FR_OK && seq) rc = fr__pg_seq_args(s, sb, count, err);
    if (rc != FR_OK) goto done;
    if (PQenterPipelineMode(s->conn) != 1) {
        rc = fr_error_set(err, FR_ESTORE, 0, 0, "", "cannot use pipeline mode: %s",
                          PQerrorMessage(s->conn));
        goto done;
    }
    if (job->rows) rc = pipe_rows(s, &sent, err);
    if (rc == FR_OK && freq) {
        const char *p[4] = {fb[0].p, fb[1].p, fb[2].p, fb[3].p};
        rc = pipe_send(s, fr__pg_freq_sql(), 4, p, &sent, err);
    }
    if (rc == FR_OK && seq) {
        const char *p[4] = {sb[0].p, sb[1].p, sb[2].p, count};
        job->seq_at = sent;
        rc = pipe_send(s, fr__pg_seq_sql(), 4, p, &sent, err);
    }
    if (rc == FR_OK && job->commit) rc = pipe_send(s, "COMMIT", 0, NULL, &sent, err);
    if (PQpipelineSync(s->conn) != 1 && rc == FR_OK)
        rc = fr_error_set(err, FR_ESTORE, 0, 0, "", "cannot send: %s", PQerrorMessage(s->conn));
    commit_read cr = {s, job};
    int rr = fr__pg_pipe_read(s, commit_result, &cr, err);
    if (rc == FR_OK) rc = rr;
done:
    for (int k = 0; k < 4; k++)
        fr_free(fb[k].p);
    for (int k = 0; k < 3; k++)
        fr_free(sb[k].p);
    return rc;
}

/* Are the pending rows few enough for INSERTs (a single record, a booth's
 * group) rather than a COPY per table (a bulk batch)? */
static int few_rows(const pg_store *s)
{
    return !s->batch || s->npev + (s->nptrav - s->flushed_trav) <= PG_PIPELINE_ROWS;
}

/* The rows are on the server: only travellers and documents stay (for the
 * linking rule and caches); events and reviews leave memory (their ids stay
 * in s->evs, marked as written: ask the server). */
static void flushed(pg_store *s)
{
    s->flushed_trav = s->nptrav;
    s->flushed_doc = s->npdoc;
    for (size_t i = 0; i < s->npev; i++)
        fr_free(s->pev[i].reasons);
    s->npev = s->nprev = 0;
    for (size_t i = 0; i < s->evs.cap; i++)
        if (s->evs.slots[i].key[0]) s->evs.slots[i].d |= 0x100;
    fr__pg_map_clear(&s->freq);
}

int fr__pg_flush(pg_store *s, fr_error *err)
{
    if (s->flushed_trav == s->nptrav && s->flushed_doc == s->npdoc && !s->npev && !s->nprev)
        return FR_OK;
    s->pre_valid = 0; /* the chunk's answers no longer count this transaction's rows */
    int rc = FR_OK;
    if (!few_rows(s)) {
        for (int t = 0; t < 5 && rc == FR_OK; t++)
            rc = copy_table(s, t, err);
        if (rc == FR_OK) rc = fr__pg_freq_flush(s, s->flushed_trav, s->nptrav, err);
    } else { /* one round trip, not a COPY per table */
        pipe_job job = {1, 0, -1};
        rc = pipelined(s, &job, err);
    }
    if (rc == FR_OK) flushed(s);
    return rc;
}

/* ---- open, schema, close -------------------------------------------------- */

static int migrate(pg_store *s, int target, fr_error *err)
{
    int rc = fr__pg_exec(s, "BEGIN", err, "cannot start the migration");
    if (rc != FR_OK) return rc;
    PGresult *r = NULL;
    if ((rc = fr__pg_exec(s, "SELECT pg_advisory_xact_lock(1179799120, 0)", err,
                          "cannot lock the schema")) != FR_OK)
        goto fail;
    r = PQexec(s->conn, "SELECT to_regclass('frontera_schema') IS NOT NULL,"
                        " (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema())");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = fr__pg_error(s, r, err, "cannot read the schema");
        goto fail;
    }
    int have = PQgetvalue(r, 0, 0)[0] == 't';
    long tables = strtol(PQgetvalue(r, 0, 1), NULL, 10);
    PQclear(r);
    r = NULL;
    int version = 0;
    if (!have && tables > 0) {
        rc = fr_error_set(err, FR_EVERSION, 0, 0, "db",
                          "this is not a frontera database (it has other tables)");
        goto fail;
    }
    if (!have) {
        if ((rc = fr__pg_exec(s,
                              "CREATE TABLE frontera_schema(application text NOT NULL,"
                              " version int NOT NULL); INSERT INTO frontera_schema"
                              " VALUES('frontera', 0)",
                              err, "cannot create the schema table")) != FR_OK)
            goto fail;
    } else {
        r = PQexec(s->conn, "SELECT version FROM frontera_schema WHERE application = 'frontera'");
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
            rc = PQresultStatus(r) != PGRES_TUPLES_OK
                     ? fr__pg_error(s, r, err, "cannot read the schema version")
                     : fr_error_set(err, FR_EVERSION, 0, 0, "db",
                                    "this is not a frontera database (no schema version)");
            goto fail;
        }
        version = atoi(PQgetvalue(r, 0, 0));
        PQclear(r);
        r = NULL;
    }
    if (version > FR_STORE_SCHEMA_VERSION) {
        rc = fr_error_set(err, FR_EVERSION, 0, 0, "db",
                          "the database has schema version %d, newer than the %d this frontera "
                          "knows; use a newer frontera",
                          version, FR_STORE_SCHEMA_VERSION);
        goto fail;
    }
    for (int v = version; v < target; v++) {
        char sql[80];
        snprintf(sql, sizeof sql, "UPDATE frontera_schema SET version = %d", v + 1);
        for (const char *const *q = MIGRATIONS[v]; *q; q++)
            if ((rc = fr__pg_exec(s, *q, err, "cannot migrate the schema")) != FR_OK) goto fail;
        if ((rc = fr__pg_exec(s, sql, err, "cannot migrate the schema")) != FR_OK) goto fail;
    }
    return fr__pg_exec(s, "COMMIT", err, "cannot commit the migration");
fail:
    PQclear(r);
    PQclear(PQexec(s->conn, "ROLLBACK"));
    return rc;
}

int fr__store_pg_migrate(const char *conninfo, int target, fr_error *err)
{
    pg_store s;
    memset(&s, 0, sizeof s);
    s.conn = PQconnectdb(conninfo);
    int rc = PQstatus(s.conn) == CONNECTION_OK
                 ? migrate(&s, target, err)
                 : fr_error_set(err, FR_ESTORE, 0, 0, "db", "cannot connect to the database");
    PQfinish(s.conn);
    return rc;
}

static void pg_close(fr_store *base)
{
    pg_store *s = (pg_store *)base;
    if (s->in_tx) fr__pg_tx_rollback(s);
    if (s->conn && PQstatus(s->conn) == CONNECTION_OK) ids_return(s);
    pending_clear(s);
    PQfinish(s->conn);
    PQfinish(s->ddl);
    fr__pg_map_free(&s->docs);
    fr__pg_map_free(&s->months);
    fr__pg_map_free(&s->evs);
    fr__pg_map_free(&s->travs);
    fr__pg_map_free(&s->births);
    fr__pg_map_free(&s->freq);
    fr__pg_prefetch_free(s);
    fr_free(s->txev);
    fr_free(s->ptrav);
    fr_free(s->pdoc);
    fr_free(s->pev);
    fr_free(s->prev);
    for (int q = 0; q < PG_SEQ_COUNT; q++)
        fr_free(s->seq[q].ids);
    fr_free(s->conninfo);
    fr_free(s);
}

static int pg_schema_version(fr_store *base, int *version, fr_error *err)
{
    pg_store *s = (pg_store *)base;
    PGresult *r = PQexec(s->conn, "SELECT version FROM frontera_schema");
    int rc = FR_OK;
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
        rc = fr__pg_error(s, r, err, "cannot read the schema version");
    else
        *version = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return rc;
}

static int pg_batch_begin(fr_store *base, fr_error *err)
{
    pg_store *s = (pg_store *)base;
    s->batch = 1;
    /* A batch links its new documents against travellers it has not sent
     * yet, so no other transaction may link or correct links meanwhile: it
     * holds the linking lock exclusively from its first statement (before
     * any row lock, so it cannot take part in a deadlock through it).
     * Concurrent imports therefore link one batch at a time; a booth's
     * single record of a new document waits for the batch to commit. Both
     * in one round trip. */
    int rc = fr__pg_exec(s, "BEGIN; SELECT pg_advisory_xact_lock(1179799122, 0)", err,
                         "cannot start a batch (the linking lock)");
    if (rc == FR_OK) {
        pending_clear(s);
        s->in_tx = 1;
    } else {
        fr__pg_tx_rollback(s);
        s->batch = 0;
    }
    return rc;
}

static int pg_batch_commit(fr_store *base, fr_error *err)
{
    pg_store *s = (pg_store *)base;
    int rc = fr__pg_tx_commit(s, err);
    s->batch = 0;
    return rc;
}

static void pg_batch_rollback(fr_store *base)
{
    pg_store *s = (pg_store *)base;
    fr__pg_tx_rollback(s);
    ids_return(s);
    s->batch = 0;
}

/* The PGconn, so that the server's audit log joins the store's transaction
 * (one commit for a group's ledger rows and their audit entries). */
static void *pg_connection(fr_store *b)
{
    return ((pg_store *)b)->conn;
}

static int pg_lost(fr_store *base)
{
    pg_store *s = (pg_store *)base;
    return PQstatus(s->conn) == CONNECTION_BAD;
}

static const fr_store_ops PG_OPS = {
    .name = "postgres",
    .close = pg_close,
    .schema_version = pg_schema_version,
    .batch_begin = pg_batch_begin,
    .batch_commit = pg_batch_commit,
    .batch_rollback = pg_batch_rollback,
    .record = fr__pg_record,
    .prefetch = fr__pg_prefetch,
    .find_document = fr__pg_find_document,
    .link = fr__pg_link,
    .set_linkage = fr__pg_set_linkage,
    .get_linkage = fr__pg_get_linkage,
    .reviews = fr__pg_reviews,
    .review_resolve = fr__pg_review_resolve,
    .split = fr__pg_split,
    .history = fr__pg_history,
    .export_events = fr__pg_export,
    .last_sequence = fr__pg_last_sequence,
    .sequence_fingerprint = fr__pg_sequence_fingerprint,
    .crossings_since = fr__pg_crossings_since,
    .connection = pg_connection,
    .lost = pg_lost,
    .purge = fr__pg_purge,
};

int fr__store_pg_open(const char *conninfo, unsigned flags, fr_store **out, fr_error *err)
{
    pg_store *s = fr_calloc(1, sizeof *s);
    if (!s) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    s->base.ops = &PG_OPS;
    s->link_gen = -1;
    fr_linkage_defaults(&s->link_params);
    int rc;
    size_t n = strlen(conninfo);
    if (!(s->conninfo = fr_malloc(n + 1))) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
        goto fail;
    }
    memcpy(s->conninfo, conninfo, n + 1);
    s->conn = PQconnectdb(conninfo);
    if (PQstatus(s->conn) != CONNECTION_OK) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(s->conn));
        msg[strcspn(msg, "\n")] = '\0';
        rc = fr_error_set(err, FR_ESTORE, 0, 0, "db", "cannot connect to the database: %s", msg);
        goto fail;
    }
    /* jit off: compiling a look-up over every monthly partition costs ~0.1 s,
     * a hundred times what running it does. Generic plans: the functions'
     * statements (frontera_lookup3 at every decision) were planned again at
     * each call, a custom plan over every monthly partition: a fifth of the
     * server's CPU per recorded admission (bench/RESULTS.md, "A thread for
     * each connection"); their look-ups by traveller, document or birth date
     * do not get better plans from the values. */
    if ((rc = fr__pg_exec(s,
                          "SET client_min_messages = warning; SET synchronous_commit = on;"
                          " SET jit = off; SET plan_cache_mode = force_generic_plan",
                          err, "cannot configure the session")) != FR_OK)
        goto fail;
    if (flags & FR_STORE_CREATE) {
        if ((rc = migrate(s, FR_STORE_SCHEMA_VERSION, err)) != FR_OK) goto fail;
    } else {
        int v = 0;
        PGresult *r = PQexec(s->conn, "SELECT to_regclass('frontera_schema') IS NOT NULL");
        int have = PQresultStatus(r) == PGRES_TUPLES_OK && PQgetvalue(r, 0, 0)[0] == 't';
        PQclear(r);
        if (!have) {
            rc = fr_error_set(err, FR_ENOTFOUND, 0, 0, "db",
                              "the database has no frontera ledger (frontera init creates one)");
            goto fail;
        }
        if ((rc = pg_schema_version(&s->base, &v, err)) != FR_OK) goto fail;
        if (v != FR_STORE_SCHEMA_VERSION &&
            (rc = migrate(s, FR_STORE_SCHEMA_VERSION, err)) != FR_OK)
            goto fail;
    }
    if ((rc = fr__pg_load_linkage(s, err)) != FR_OK) goto fail;
    *out = &s->base;
    return FR_OK;
fail:
    PQfinish(s->conn);
    fr_free(s->conninfo);
    fr_free(s);
    return rc;
}
