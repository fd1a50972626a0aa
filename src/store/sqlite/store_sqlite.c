/* SPDX-License-Identifier: MIT */
/* store_sqlite.c: the SQLite backend of the ledger: opening, settings,
 * schema migrations, transactions and the prepared-statement table.
 *
 * Settings: WAL journal (readers never block the writer), synchronous=FULL
 * (a committed transaction survives power loss: "acknowledged means
 * durable" for single records and for each committed import batch), a busy
 * handler with short sleeps first (fr__modsql_busy) so several connections
 * and processes can share the file, a 32 MiB page cache, and
 * a checkpoint every 16384 WAL pages (64 MiB) rather than SQLite's 1000: a
 * bulk import then copies each hot index page into the database once per
 * several batches instead of once per batch (about 25% faster on 1M rows),
 * with no change to durability since the WAL itself is synced; the WAL file
 * is trimmed back to 64 MiB after a checkpoint.
 * Write transactions start with BEGIN IMMEDIATE so two writers queue on the
 * lock instead of deadlocking on an upgrade.
 *
 * Migrations: PRAGMA user_version holds the schema version; MIGRATIONS[i]
 * takes version i to i+1. Opening reads the version first and takes no
 * lock when it is current; otherwise it applies the missing steps in one
 * IMMEDIATE transaction (re-reading the version under the lock, so two
 * processes opening an old file at once migrate it once). A version above
 * FR_STORE_SCHEMA_VERSION, or a foreign database (tables but no version, or
 * another application_id), is refused. */
#include "store_sqlite.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "frontera/alloc.h"
#include "module_sqlite.h"

#define SQ_APPLICATION_ID 0x46524e54 /* "FRNT" */
#define SQ_BUSY_MS 10000

static const char *const MIGRATIONS[FR_STORE_SCHEMA_VERSION] = {
    /* 0 -> 1: travellers, their documents, events */
    "PRAGMA application_id = 1179799124;"
    "CREATE TABLE travellers("
    "  id INTEGER PRIMARY KEY, surname TEXT NOT NULL, given_names TEXT NOT NULL,"
    "  nationality TEXT NOT NULL, birth_date INTEGER, sex TEXT NOT NULL);"
    /* covering: the linking rule reads candidates from the index alone */
    "CREATE INDEX travellers_birth ON travellers(birth_date, nationality, surname,"
    "  given_names, sex);"
    "CREATE TABLE documents("
    "  id INTEGER PRIMARY KEY, state TEXT NOT NULL, number TEXT NOT NULL,"
    "  type TEXT NOT NULL, expiry INTEGER, surname TEXT NOT NULL, given_names TEXT NOT NULL,"
    "  nationality TEXT NOT NULL, birth_date INTEGER, sex TEXT NOT NULL,"
    "  traveller_id INTEGER NOT NULL REFERENCES travellers(id), link INTEGER NOT NULL,"
    "  person_digest INTEGER NOT NULL, UNIQUE(state, number));"
    "CREATE INDEX documents_traveller ON documents(traveller_id);"
    "CREATE TABLE events("
    "  id INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, kind INTEGER NOT NULL,"
    "  traveller_id INTEGER NOT NULL REFERENCES travellers(id),"
    "  document_id INTEGER NOT NULL REFERENCES documents(id),"
    "  at_utc INTEGER NOT NULL, local_date INTEGER NOT NULL, local_secs INTEGER NOT NULL,"
    "  offset_min INTEGER NOT NULL, port TEXT NOT NULL, admission_class TEXT NOT NULL,"
    "  authorised_until INTEGER, officer TEXT NOT NULL, decision TEXT NOT NULL, reasons TEXT,"
    "  digest INTEGER NOT NULL, anomalies INTEGER NOT NULL DEFAULT 0, paired_id INTEGER);"
    "CREATE INDEX events_traveller_time ON events(traveller_id, at_utc);",
    /* 1 -> 2: uncertain document links kept for review */
    "CREATE TABLE link_reviews("
    "  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id),"
    "  traveller_id INTEGER NOT NULL REFERENCES travellers(id),"
    "  candidate_id INTEGER NOT NULL REFERENCES travellers(id), reason TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'open', UNIQUE(document_id, candidate_id));"
    "CREATE INDEX link_reviews_traveller ON link_reviews(traveller_id);"
    "CREATE INDEX link_reviews_candidate ON link_reviews(candidate_id);",
    /* 2 -> 3: probabilistic linking: term frequencies, review weight, audit */
    "CREATE TABLE link_nat_freq(nationality TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE link_name_freq(nationality TEXT NOT NULL, surname TEXT NOT NULL,"
    "  given_names TEXT NOT NULL, n INTEGER NOT NULL,"
    "  PRIMARY KEY(nationality, surname, given_names)) WITHOUT ROWID;"
    "CREATE TABLE link_birth_freq(birth_date INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
    "INSERT INTO link_nat_freq SELECT nationality, count(*) FROM travellers GROUP BY 1;"
    "INSERT INTO link_name_freq SELECT nationality, surname, given_names, count(*)"
    "  FROM travellers GROUP BY 1, 2, 3;"
    "INSERT INTO link_birth_freq SELECT birth_date, count(*) FROM travellers"
    "  WHERE birth_date IS NOT NULL GROUP BY 1;"
    "ALTER TABLE link_reviews ADD COLUMN bits REAL;"
    "ALTER TABLE link_reviews ADD COLUMN resolved_by TEXT;"
    "ALTER TABLE link_reviews ADD COLUMN resolved_at INTEGER;"
    "CREATE INDEX link_reviews_status ON link_reviews(status, id);"
    "CREATE TABLE link_audit(id INTEGER PRIMARY KEY, at_utc INTEGER NOT NULL,"
    "  actor TEXT NOT NULL, action TEXT NOT NULL, review_id INTEGER, document_id INTEGER,"
    "  from_traveller INTEGER, to_traveller INTEGER, note TEXT NOT NULL);"
    "CREATE TABLE link_settings(name TEXT PRIMARY KEY, value REAL NOT NULL) WITHOUT ROWID;",
    /* 3 -> 4: retention: a purged event keeps its nationality here, its
     * document row being gone (document_id 0); NULL while the document is */
    "ALTER TABLE events ADD COLUMN nationality TEXT;",
};

static const char *const SQL[SQ_COUNT] = {
    [SQ_BEGIN] = "BEGIN IMMEDIATE",
    [SQ_BEGIN_READ] = "BEGIN",
    [SQ_COMMIT] = "COMMIT",
    [SQ_ROLLBACK] = "ROLLBACK",
    [SQ_DATA_VERSION] = "PRAGMA data_version",
    [SQ_DOC_FIND] = "SELECT id, traveller_id, person_digest FROM documents"
                    " WHERE state = ?1 AND number = ?2",
    [SQ_DOC_INSERT] = "INSERT INTO documents(state, number, type, expiry, surname, given_names,"
                      " nationality, birth_date, sex, traveller_id, link, person_digest)"
                      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [SQ_DOC_PERSON] = "SELECT type, expiry, surname, given_names, nationality, birth_date, sex"
                      " FROM documents WHERE id = ?1",
    /* a match needs the same nationality or the same surname (ledger_link.c) */
    [SQ_TRAV_BY_BIRTH] = "SELECT id, surname, given_names, nationality, sex FROM travellers"
                         " WHERE birth_date = ?1 AND (nationality = ?2 OR surname = ?3)"
                         " LIMIT 256",
    /* a traveller number is never given twice, also after the highest one
     * was merged away (store_sqlite_review.c: the audit log and the
     * reviews name travellers by number) or purged (its de-identified
     * events keep it: store_sqlite_purge.c); PostgreSQL's sequence does the
     * same */
    [SQ_TRAV_INSERT] = "INSERT INTO travellers(id, surname, given_names, nationality, birth_date,"
                       " sex) VALUES(max(coalesce((SELECT max(id) FROM travellers), 0),"
                       " coalesce((SELECT CAST(value AS INTEGER) FROM link_settings"
                       " WHERE name = 'traveller_id_floor'), 0),"
                       " coalesce((SELECT max(traveller_id) FROM events), 0)) + 1,"
                       " ?1, ?2, ?3, ?4, ?5)",
    [SQ_REVIEW_INSERT] = "INSERT OR IGNORE INTO link_reviews(document_id, traveller_id,"
                         " candidate_id, reason, bits) VALUES(?1, ?2, ?3, ?4, ?5)",
    [SQ_EVENT_INSERT] = "INSERT INTO events(event_id, kind, traveller_id, document_id, at_utc,"
                        " local_date, local_secs, offset_min, port, admission_class,"
                        " authorised_until, officer, decision, reasons, digest, anomalies,"
                        " paired_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
                        " ?13, ?14, ?15, ?16, ?17) ON CONFLICT(event_id) DO NOTHING",
    [SQ_EVENT_DIGEST] = "SELECT digest, traveller_id, id, anomalies FROM events"
                        " WHERE event_id = ?1",
    [SQ_EVENT_LAST_PAIRING] = "SELECT id, kind, at_utc FROM events WHERE traveller_id = ?1"
                              " AND kind IN (1, 2) ORDER BY at_utc DESC, id DESC LIMIT 1",
    [SQ_EVENT_PAIRING_ALL] = "SELECT id, kind, anomalies, paired_id FROM events"
                             " WHERE traveller_id = ?1 AND kind IN (1, 2) ORDER BY at_utc, id",
    [SQ_EVENT_SET_PAIRING] = "UPDATE events SET anomalies = ?2, paired_id = ?3 WHERE id = ?1",
    [SQ_TRAV_EXISTS] = "SELECT 1 FROM travellers WHERE id = ?1",
    [SQ_HIST_EVENTS] = "SELECT id, event_id, kind, local_date, local_secs, offset_min, at_utc,"
                       " port, document_id, admission_class, authorised_until, decision,"
                       " anomalies, paired_id, officer FROM events WHERE traveller_id = ?1"
                       " ORDER BY at_utc, id",
    [SQ_HIST_DOCS] = "SELECT id, type, state, number, expiry, surname, given_names, nationality,"
                     " birth_date, sex, link FROM documents WHERE traveller_id = ?1 ORDER BY id",
    [SQ_HIST_REVIEWS] = "SELECT document_id, traveller_id, candidate_id, reason, id,"
                        " coalesce(bits, 0) FROM link_reviews"
                        /* "+status": not by the status index, which SQLite picks without
                         * statistics and which reads every open review (1,513 at scale 1)
                         * for each history; the two id indexes read a handful */
                        " WHERE +status = 'open' AND (traveller_id = ?1 OR candidate_id = ?1)"
                        " ORDER BY id",
    /* blocking for store_sqlite_link.c: birth-date keys, same nationality or surname */
    [SQ_LINK_BLOCK] =
        "SELECT id, surname, given_names, nationality, sex, birth_date FROM travellers"
        " WHERE birth_date IN (?1, ?2, ?3) AND (nationality = ?4 OR surname = ?5)"
        " LIMIT 512",
    [SQ_FREQ_TOTAL] = "SELECT coalesce(sum(n), 0) FROM link_nat_freq",
    [SQ_FREQ_NAT] = "SELECT n FROM link_nat_freq WHERE nationality = ?1",
    [SQ_FREQ_NAME] = "SELECT n FROM link_name_freq WHERE nationality = ?1 AND surname = ?2"
                     " AND given_names = ?3",
    [SQ_FREQ_BIRTH] = "SELECT n FROM link_birth_freq WHERE birth_date = ?1",
    [SQ_FREQ_ADD_NAT] = "INSERT INTO link_nat_freq(nationality, n) VALUES(?1, ?2)"
                        " ON CONFLICT(nationality) DO UPDATE SET n = n + excluded.n",
    [SQ_FREQ_ADD_NAME] = "INSERT INTO link_name_freq(nationality, surname, given_names, n)"
                         " VALUES(?1, ?2, ?3, ?4) ON CONFLICT(nationality, surname, given_names)"
                         " DO UPDATE SET n = n + excluded.n",
    [SQ_FREQ_ADD_BIRTH] = "INSERT INTO link_birth_freq(birth_date, n) VALUES(?1, ?2)"
                          " ON CONFLICT(birth_date) DO UPDATE SET n = n + excluded.n",
    [SQ_TRAV_LAST_DOC] = "SELECT state, expiry, type FROM documents WHERE traveller_id = ?1"
                         " ORDER BY (substr(type, 1, 1) = 'P') = ?2 DESC, id DESC LIMIT 1",
    [SQ_TRAV_PERSON] = "SELECT nationality, surname, given_names, birth_date FROM travellers"
                       " WHERE id = ?1",
    [SQ_FREQ_SUB_NAT] = "UPDATE link_nat_freq SET n = n - 1 WHERE nationality = ?1",
    [SQ_FREQ_DROP_NAT] = "DELETE FROM link_nat_freq WHERE nationality = ?1 AND n <= 0",
    [SQ_FREQ_SUB_NAME] = "UPDATE link_name_freq SET n = n - 1 WHERE nationality = ?1"
                         " AND surname = ?2 AND given_names = ?3",
    [SQ_FREQ_DROP_NAME] = "DELETE FROM link_name_freq WHERE nationality = ?1 AND surname = ?2"
                          " AND given_names = ?3 AND n <= 0",
    [SQ_FREQ_SUB_BIRTH] = "UPDATE link_birth_freq SET n = n - 1 WHERE birth_date = ?1",
    [SQ_FREQ_DROP_BIRTH] = "DELETE FROM link_birth_freq WHERE birth_date = ?1 AND n <= 0",
    /* SQ_TRAV_INSERT with the number it gave last plus one (store_sqlite_record.c) */
    [SQ_TRAV_INSERT_ID] = "INSERT INTO travellers(id, surname, given_names, nationality,"
                          " birth_date, sex) VALUES(?6, ?1, ?2, ?3, ?4, ?5)",
    /* store_sqlite_block.c: a date's travellers, from the covering index */
    [SQ_BLOCK_DATE] = "SELECT id, surname, given_names, nationality, sex FROM travellers"
                      " WHERE birth_date = ?1",
    [SQ_BLOCK_WARM] = "SELECT birth_date FROM link_birth_freq WHERE birth_date > ?1"
                      " ORDER BY birth_date LIMIT ?2",
};

int fr__sq_error(sq_store *s, int rc, fr_error *err, const char *what)
{
    const char *msg = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
    int code = FR_ESTORE;
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) code = FR_EBUSY;
    if ((rc & 0xff) == SQLITE_NOMEM) code = FR_ENOMEM;
    if ((rc & 0xff) == SQLITE_FULL) msg = "the disk is full";
    return fr_error_set(err, code, 0, 0, "", "%s: %s", what, msg);
}

/* The deferred index (store_sqlite_load.c) each statement reads through. */
static const unsigned NEEDS[SQ_COUNT] = {
    [SQ_TRAV_BY_BIRTH] = SQ_IDX_BIRTH,      [SQ_LINK_BLOCK] = SQ_IDX_BIRTH,
    [SQ_BLOCK_DATE] = SQ_IDX_BIRTH,         [SQ_EVENT_LAST_PAIRING] = SQ_IDX_EVENTS,
    [SQ_EVENT_PAIRING_ALL] = SQ_IDX_EVENTS, [SQ_HIST_EVENTS] = SQ_IDX_EVENTS,
};

int fr__sq_stmt(sq_store *s, int which, sqlite3_stmt **out, fr_error *err)
{
    if (s->deferred & NEEDS[which]) {
        /* In a write transaction the index is built there (a failure is the
         * transaction's); outside one, a failure leaves the statement to
         * read without it (slower, same rows). */
        fr_error e;
        int rc = fr__sq_index_need(s, NEEDS[which], s->in_tx ? err : &e);
        if (rc != FR_OK && s->in_tx) return rc;
    }
    if (!s->st[which]) {
        int rc = sqlite3_prepare_v3(s->db, SQL[which], -1, SQLITE_PREPARE_PERSISTENT, &s->st[which],
                                    NULL);
        if (rc != SQLITE_OK) return fr__sq_error(s, rc, err, "cannot prepare a statement");
    } else {
        sqlite3_reset(s->st[which]); /* every caller binds every parameter */
    }
    *out = s->st[which];
    return FR_OK;
}

static int sq_step_done(sq_store *s, int which, fr_error *err, const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, which, &st, err);
    if (rc != FR_OK) return rc;
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return fr__sq_error(s, rc, err, what);
    return FR_OK;
}

static int pragma_int(sqlite3 *db, const char *sql, int *out);

/* Drop the connection's maps if another connection has committed since we
 * last looked (PRAGMA data_version), inside the transaction just begun. */
static int maps_check(sq_store *s, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, SQ_DATA_VERSION, &st, err);
    if (rc != FR_OK) return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        int64_t v = sqlite3_column_int64(st, 0);
        if (v != s->data_version) {
            fr__sq_cache_clear(s);
            /* another connection may have dropped or built an index (an
             * initial load: store_sqlite_load.c) */
            int sv = -1;
            if (pragma_int(s->db, "PRAGMA schema_version", &sv) == SQLITE_OK &&
                sv != s->schema_version) {
                if (s->schema_version >= 0) {
                    s->watch = 1;
                    fr__sq_index_refresh(s);
                }
                s->schema_version = sv;
            }
        }
        s->data_version = v;
    } else {
        rc = fr__sq_error(s, step, err, "cannot read the data version");
    }
    sqlite3_reset(st);
    return rc;
}

/* Start a write transaction, the maps checked. */
int fr__sq_tx_begin(sq_store *s, fr_error *err)
{
    int rc = sq_step_done(s, SQ_BEGIN, err, "cannot start a transaction");
    if (rc != FR_OK) return rc;
    if ((rc = maps_check(s, err)) != FR_OK) {
        fr__sq_tx_rollback(s);
        return rc;
    }
    s->in_tx = 1;
    s->memo.valid = 0;
    return FR_OK;
}

int fr__sq_read_begin(sq_store *s, int *own, fr_error *err)
{
    *own = !s->in_tx && sqlite3_get_autocommit(s->db);
    if (!*own) return FR_OK;
    int rc = sq_step_done(s, SQ_BEGIN_READ, err, "cannot start a read");
    if (rc == FR_OK && (rc = maps_check(s, err)) != FR_OK) {
        (void)sq_step_done(s, SQ_COMMIT, NULL, "end a read");
        *own = 0;
    }
    return rc;
}

void fr__sq_read_end(sq_store *s, int own)
{
    if (own) (void)sq_step_done(s, SQ_COMMIT, NULL, "end a read");
}

int fr__sq_tx_commit(sq_store *s, fr_error *err)
{
    int rc = fr__sq_freq_flush(s, err);
    if (rc == FR_OK) rc = sq_step_done(s, SQ_COMMIT, err, "cannot commit");
    if (rc != FR_OK) {
        fr__sq_tx_rollback(s);
        return rc;
    }
    s->in_tx = 0;
    return FR_OK;
}

void fr__sq_tx_rollback(sq_store *s)
{
    if (!sqlite3_get_autocommit(s->db)) sq_step_done(s, SQ_ROLLBACK, NULL, "rollback");
    fr__sq_freq_drop(s);   /* with the travellers they counted */
    fr__sq_cache_clear(s); /* the cache may name rows that no longer exist */
    s->in_tx = 0;
    fr__sq_index_refresh(s); /* an index built in it is gone again */
}

static int pragma_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* The file's schema version, application id and number of tables, read in
 * the transaction the caller holds (or in one of its own). */
static int schema_state(sqlite3 *db, int *version, int *appid, int *tables)
{
    int rc;
    if ((rc = pragma_int(db, "PRAGMA user_version", version)) != SQLITE_OK ||
        (rc = pragma_int(db, "PRAGMA application_id", appid)) != SQLITE_OK ||
        (rc = pragma_int(db, "SELECT count(*) FROM sqlite_master", tables)) != SQLITE_OK)
        return rc;
    return SQLITE_OK;
}

int fr__store_sqlite_migrate(sqlite3 *db, int target, fr_error *err)
{
    int version = 0, appid = 0, tables = 0;
    /* A file already at the target is only read: no write lock. Every
     * connection a server opens comes here, and taking the lock would queue
     * that open behind the group commit's writer, which holds the lock most
     * of the time under load (opens waited up to 3.3 s in SQLite's busy
     * handler). Anything to do is decided again under the lock below. */
    int rc = sqlite3_exec(db, "BEGIN DEFERRED", NULL, NULL, NULL);
    if (rc != SQLITE_OK) goto sqlfail;
    rc = schema_state(db, &version, &appid, &tables);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) goto sqlfail;
    if (version == target && version > 0 && appid == SQ_APPLICATION_ID) return FR_OK;
    rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) goto sqlfail;
    if ((rc = schema_state(db, &version, &appid, &tables)) != SQLITE_OK) goto sqlfail;
    if ((version == 0 && tables > 0) || (appid != 0 && appid != SQ_APPLICATION_ID)) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return fr_error_set(err, FR_EVERSION, 0, 0, "db",
                            "this is not a frontera database (it has other tables)");
    }
    if (version > FR_STORE_SCHEMA_VERSION) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return fr_error_set(err, FR_EVERSION, 0, 0, "db",
                            "the database has schema version %d, newer than the %d this frontera "
                            "knows; use a newer frontera",
                            version, FR_STORE_SCHEMA_VERSION);
    }
    for (int v = version; v < target; v++) {
        if ((rc = sqlite3_exec(db, MIGRATIONS[v], NULL, NULL, NULL)) != SQLITE_OK) goto sqlfail;
        char sql[48];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        if ((rc = sqlite3_exec(db, sql, NULL, NULL, NULL)) != SQLITE_OK) goto sqlfail;
    }
    if ((rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) goto sqlfail;
    return FR_OK;
sqlfail : {
    int code = (rc & 0xff) == SQLITE_BUSY ? FR_EBUSY : FR_ESTORE;
    fr_error_set(err, code, 0, 0, "db", "cannot migrate the schema: %s", sqlite3_errmsg(db));
    if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return code;
}
}

static void sq_close(fr_store *base)
{
    sq_store *s = (sq_store *)base;
    if (s->in_tx) fr__sq_tx_rollback(s);
    for (int i = 0; i < SQ_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    fr__sq_load_release(s); /* while the connection names its file */
    sqlite3_close(s->db);
    fr__sq_cache_free(s);
    fr__sq_freq_free(s);
    fr_free(s);
}

static int sq_schema_version(fr_store *base, int *version, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    int rc = pragma_int(s->db, "PRAGMA user_version", version);
    return rc == SQLITE_OK ? FR_OK : fr__sq_error(s, rc, err, "cannot read the schema version");
}

/* A connection that runs batches (a bulk import, a server's groups) keeps a
 * 256 MiB page cache and maps the file for reads: at millions of events the
 * random-order index pages no longer fit in 32 MiB and each miss became a
 * read system call and a copy (perf at 5.5 M events: a fifth of the time in
 * the kernel copying pages). Writes, syncs and durability are unchanged. */
void fr__sq_bulk_settings(sq_store *s)
{
    if (s->bulk) return;
    s->bulk = 1;
    (void)fr__sq_block_enable(s); /* without it, the query answers */
    sqlite3_exec(s->db, "PRAGMA cache_size = -262144; PRAGMA mmap_size = 4294967296;", NULL, NULL,
                 NULL); /* a hint: on failure the defaults stay */
}

void fr__sq_batch_row(sq_store *s)
{
    if (s->big_cache || ++s->batch_rows < SQ_BIG_BATCH_ROWS) return;
    /* A batch this large is an import's (a server's groups hold hundreds):
     * one of several seconds dirties more pages than 256 MiB hold, which
     * SQLite then spills to the WAL before the commit writes them again
     * (1 M rows after 7 M in one batch: 31.7 s with 256 MiB, 27.6 s with
     * 1 GiB). Pages read through the map are not copied into the cache, so
     * it fills with the batch's dirty pages. */
    s->big_cache = 1;
    sqlite3_exec(s->db, "PRAGMA cache_size = -1048576", NULL, NULL, NULL); /* a hint */
}

static int sq_warm(fr_store *base, size_t dates, int *done, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    fr__sq_bulk_settings(s); /* the connection runs batches: keep the rows it reads */
    *done = 1;
    if (!s->block) return FR_OK; /* no memory for it: the query answers */
    return fr__sq_block_warm(s, dates, done, err);
}

static int sq_batch_begin(fr_store *base, fr_error *err)
{
    fr__sq_bulk_settings((sq_store *)base);
    ((sq_store *)base)->batch_rows = 0;
    return fr__sq_tx_begin((sq_store *)base, err);
}
static int sq_batch_commit(fr_store *base, fr_error *err)
{
    return fr__sq_tx_commit((sq_store *)base, err);
}
static void sq_batch_rollback(fr_store *base)
{
    fr__sq_tx_rollback((sq_store *)base);
}

static void *sq_connection(fr_store *base)
{
    return ((sq_store *)base)->db;
}

/* Passive: copies the frames no reader still needs and never takes the
 * writer's lock, so the server's group commit goes on meanwhile. SQLITE_BUSY
 * means another connection is checkpointing: nothing done here (-1). */
static int sq_checkpoint(fr_store *base, int64_t *log_frames, int64_t *copied, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    int nlog = 0, nckpt = 0;
    int rc = sqlite3_wal_checkpoint_v2(s->db, "main", SQLITE_CHECKPOINT_PASSIVE, &nlog, &nckpt);
    if (rc == SQLITE_BUSY) {
        if (log_frames) *log_frames = -1;
        if (copied) *copied = -1;
        return FR_OK;
    }
    if (rc != SQLITE_OK) return fr__sq_error(s, rc, err, "cannot checkpoint the write-ahead log");
    if (log_frames) *log_frames = nlog > 0 ? nlog : 0;
    if (copied) *copied = nckpt > 0 ? nckpt : 0;
    return FR_OK;
}

static const fr_store_ops SQ_OPS = {
    .name = "sqlite",
    .close = sq_close,
    .schema_version = sq_schema_version,
    .batch_begin = sq_batch_begin,
    .batch_commit = sq_batch_commit,
    .batch_rollback = sq_batch_rollback,
    .record = fr__sq_record,
    .find_document = fr__sq_find_document,
    .link = fr__sq_link,
    .set_linkage = fr__sq_set_linkage,
    .get_linkage = fr__sq_get_linkage,
    .reviews = fr__sq_reviews,
    .review_resolve = fr__sq_review_resolve,
    .split = fr__sq_split,
    .history = fr__sq_history,
    .export_events = fr__sq_export,
    .last_sequence = fr__sq_last_sequence,
    .sequence_fingerprint = fr__sq_sequence_fingerprint,
    .crossings_since = fr__sq_crossings_since,
    .connection = sq_connection,
    .events_since = fr__sq_events_since,
    .purge = fr__sq_purge,
    .checkpoint = sq_checkpoint,
    .warm = sq_warm,
    .load_begin = fr__sq_load_begin,
    .load_end = fr__sq_load_end,
};

int fr__store_sqlite_open(const char *path, unsigned flags, fr_store **out, fr_error *err)
{
    sq_store *s = fr_calloc(1, sizeof *s);
    if (!s) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    s->base.ops = &SQ_OPS;
    s->data_version = -1;
    s->link_total = -1;
    s->load_fd = -1;
    s->schema_version = -1;
    fr_linkage_defaults(&s->link_params);
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (flags & FR_STORE_CREATE) oflags |= SQLITE_OPEN_CREATE;
    /* a new ledger holds people's records: readable by its owner only
     * (SQLite would make it 0644 under the usual umask; its -wal and -shm
     * files take the database file's mode) */
    if ((flags & FR_STORE_CREATE) && path[0] != ':' && strncmp(path, "file:", 5) != 0) {
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) close(fd); /* an existing file is left as it is; errors: SQLite says */
    }
    int rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
    int status;
    if (rc == SQLITE_CANTOPEN && !(flags & FR_STORE_CREATE)) {
        status = fr_error_set(err, FR_ENOTFOUND, 0, 0, "db",
                              "there is no database at %s (frontera init creates one)", path);
        goto fail;
    }
    if (rc != SQLITE_OK) {
        status = fr_error_set(err, FR_ESTORE, 0, 0, "db", "cannot open %s: %s", path,
                              s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_busy_handler(s->db, fr__modsql_busy, (void *)(intptr_t)SQ_BUSY_MS);
    char mode[16] = "";
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *m = sqlite3_column_text(st, 0);
        snprintf(mode, sizeof mode, "%s", m ? (const char *)m : "");
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK) {
        status = fr__sq_error(s, rc, err, "cannot set the journal mode");
        if ((rc & 0xff) == SQLITE_NOTADB)
            status = fr_error_set(err, FR_EVERSION, 0, 0, "db", "%s is not a database", path);
        goto fail;
    }
    if (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0) {
        status = fr_error_set(err, FR_ESTORE, 0, 0, "db",
                              "cannot put %s in WAL mode (it stays in '%s')", path, mode);
        goto fail;
    }
    rc = sqlite3_exec(s->db,
                      "PRAGMA synchronous = FULL; PRAGMA cache_size = -32768;"
                      " PRAGMA wal_autocheckpoint = 16384; PRAGMA journal_size_limit = 67108864;"
                      " PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF;",
                      NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        status = fr__sq_error(s, rc, err, "cannot configure the database");
        goto fail;
    }
    status = fr__store_sqlite_migrate(s->db, FR_STORE_SCHEMA_VERSION, err);
    if (status != FR_OK) goto fail;
    if ((status = fr__sq_load_linkage(s, err)) != FR_OK) goto fail;
    fr__sq_indexes_restore(s);
    *out = &s->base;
    return FR_OK;
fail:
    sqlite3_close(s->db);
    fr_free(s);
    return status;
}
