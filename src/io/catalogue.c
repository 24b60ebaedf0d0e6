/*
 * catalogue.c - the SQLite catalogue of a sweep (catalogue.h): the tables, the check that an
 * existing file is a catalogue of the same sweep, and one transaction per point.
 *
 * Opening is one BEGIN IMMEDIATE transaction: deciding that the file is new, creating the
 * tables with their meta and parameters rows, or checking the fingerprint and the parameters of
 * an existing catalogue, reading the points present, and starting this run's row. Two processes
 * opening one new file therefore cannot both create it, and a process killed while opening
 * leaves either the file as it was or a complete catalogue. A file is new when it holds no
 * table at all (an empty file, or one left by an open killed before its commit); a database
 * with tables that are not a catalogue's is refused, never written into.
 *
 * Each point is one BEGIN IMMEDIATE ... COMMIT of three prepared statements (its points row,
 * its point_log row, computed + 1 in this run's row); on any failure the transaction is rolled
 * back, so the points table, point_log and runs.computed always agree. The journal is WAL with
 * synchronous=NORMAL (catalogue.h says what that survives) and a busy timeout, so that a reader
 * (the sqlite3 shell looking at a running sweep) delays a commit instead of failing it.
 *
 * Units: the result is SI (lmb/sweep.h), the points table is in lab units, converted here once:
 * h = s / 3600, mV = V * 1000, percent = 1 * 100, mAh/cm2 = C/m2 * LMB_MAH_PER_C / 1e4. NaN is
 * NULL, and so are the counts cycle_life and short_cycle when 0 (undefined), an empty error
 * text, a censored life_end and the end_reason of an invalid point (which never ran). REAL
 * columns hold the 8-byte IEEE double, so every value reads back bit for bit, except that
 * SQLite stores a REAL with an integral value as an integer and -0.0 therefore reads back as
 * +0.0.
 *
 * The points table is a function of the result alone; where and how long a point was computed
 * (rank, worker, wall_s) goes to point_log. Parameter columns are named by their keys, quoted
 * as SQL identifiers; since SQLite compares identifiers without regard to ASCII case, keys that
 * differ only in case, or that equal a metric column's name, are refused at open.
 *
 * A catalogue is one connection, used by one thread at a time; there is no global state.
 */
#define _POSIX_C_SOURCE 200809L

#include "io/catalogue.h"

#include "core/ctx_internal.h"
#include "lmb/lmb.h"

#include <sqlite3.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LMB__CATALOGUE_BUSY_MS 5000 /* [ms] wait for another connection's lock */
#define LMB__CM2_PER_M2        1e4
#define LMB__HOST_MAX          256 /* bytes of the host name, NUL included */

/* The result columns of the points table after the parameters, in insert order. */
static const struct {
    const char *name, *type;
} metric_columns[] = {
    {"status", "TEXT NOT NULL"},
    {"error", "TEXT"},
    {"end_reason", "TEXT"},
    {"cycles", "INTEGER"},
    {"test_time_h", "REAL"},
    {"cycle_life", "INTEGER"},
    {"life_end", "TEXT"},
    {"life_h", "REAL"},
    {"short_h", "REAL"},
    {"short_cycle", "INTEGER"},
    {"rise_onset_h", "REAL"},
    {"eta_initial_mV", "REAL"},
    {"eta_mean_mV", "REAL"},
    {"eta_last_mV", "REAL"},
    {"ce_mean_percent", "REAL"},
    {"ce_last_percent", "REAL"},
    {"retention_last_percent", "REAL"},
    {"capacity_first_mAh_cm2", "REAL"},
    {"capacity_last_mAh_cm2", "REAL"},
    {"ida_steps", "INTEGER"},
    {"residual_evaluations", "INTEGER"},
};
enum { N_METRICS = sizeof metric_columns / sizeof metric_columns[0] };

static const char *const table_names[] = {"meta", "parameters", "points", "runs", "point_log"};
enum { N_TABLES = sizeof table_names / sizeof table_names[0] };

struct lmb__catalogue {
    sqlite3 *db;
    char *path; /* for messages */
    int n_params;
    long points;         /* of the sweep */
    unsigned char *have; /* bit i set: point i has a row */
    long count;          /* rows of the points table */
    sqlite3_int64 run;   /* this run's row */
    sqlite3_stmt *begin, *commit, *rollback, *put_point, *put_log, *add_computed;
};

/* An SQLite failure as LMB_EIO, with SQLite's message. */
static lmb_status db_fail(lmb_ctx *ctx, const lmb__catalogue *c, const char *what) {
    if ((sqlite3_errcode(c->db) & 0xff) == SQLITE_NOTADB)
        LMB__FAIL(ctx, LMB_EIO,
                  "%s: not an SQLite database, so not a sweep catalogue (%s); use another output "
                  "directory or remove the file",
                  c->path, sqlite3_errmsg(c->db));
    LMB__FAIL(ctx, LMB_EIO, "%s: %s: %s", c->path, what, sqlite3_errmsg(c->db));
}

static lmb_status prepare(lmb_ctx *ctx, lmb__catalogue *c, const char *sql, sqlite3_stmt **s) {
    if (sqlite3_prepare_v2(c->db, sql, -1, s, NULL) != SQLITE_OK)
        return db_fail(ctx, c, "cannot prepare a statement");
    return LMB_OK;
}

/* Runs a statement without parameters or rows. */
static lmb_status exec(lmb_ctx *ctx, lmb__catalogue *c, const char *sql, const char *what) {
    if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(ctx, c, what);
    return LMB_OK;
}

/* Rolls back the open transaction, if SQLite has not already done so after an error. */
static void rollback(lmb__catalogue *c) {
    if (sqlite3_get_autocommit(c->db))
        return;
    if (c->rollback) {
        sqlite3_step(c->rollback);
        sqlite3_reset(c->rollback);
    } else {
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    }
}

/* Binds the parameters of a statement in order, remembering the first failure. */
typedef struct binder {
    sqlite3_stmt *s;
    int k;  /* the last parameter bound */
    int rc; /* SQLITE_OK or the first failure */
} binder;

static void bind_null(binder *b) {
    int rc = sqlite3_bind_null(b->s, ++b->k);
    if (b->rc == SQLITE_OK)
        b->rc = rc;
}

static void bind_real(binder *b, double v) {
    if (isnan(v)) {
        bind_null(b);
        return;
    }
    int rc = sqlite3_bind_double(b->s, ++b->k, v);
    if (b->rc == SQLITE_OK)
        b->rc = rc;
}

static void bind_int(binder *b, sqlite3_int64 v) {
    int rc = sqlite3_bind_int64(b->s, ++b->k, v);
    if (b->rc == SQLITE_OK)
        b->rc = rc;
}

/* Text of n bytes (n < 0: up to the NUL); NULL text is NULL. */
static void bind_text(binder *b, const char *text, int n) {
    if (!text) {
        bind_null(b);
        return;
    }
    int rc = sqlite3_bind_text(b->s, ++b->k, text, n, SQLITE_TRANSIENT);
    if (b->rc == SQLITE_OK)
        b->rc = rc;
}

/* The present time, ISO 8601 UTC ("2025-01-31T12:00:00Z"); "" if unknown. */
static void utc_now(char *buf, size_t size) {
    time_t t = time(NULL);
    struct tm tm;
    if (t == (time_t)-1 || !gmtime_r(&t, &tm) ||
        strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        buf[0] = '\0';
}

static void set_have(lmb__catalogue *c, long i) {
    c->have[(size_t)i >> 3] |= (unsigned char)(1u << (i & 7));
}

int lmb__catalogue_has(const lmb__catalogue *c, long i) {
    if (!c || i < 0 || i >= c->points)
        return 0;
    return (c->have[(size_t)i >> 3] >> (i & 7)) & 1;
}

long lmb__catalogue_count(const lmb__catalogue *c) {
    return c ? c->count : 0;
}

static void destroy(lmb__catalogue *c) {
    if (!c)
        return;
    sqlite3_finalize(c->begin);
    sqlite3_finalize(c->commit);
    sqlite3_finalize(c->rollback);
    sqlite3_finalize(c->put_point);
    sqlite3_finalize(c->put_log);
    sqlite3_finalize(c->add_computed);
    sqlite3_close_v2(c->db); /* the last connection also checkpoints and removes the WAL */
    free(c->have);
    free(c->path);
    free(c);
}

/* The arguments of open: the spec's column names must make a valid points table. */
static lmb_status check_spec(lmb_ctx *ctx, const char *path, const lmb__catalogue_spec *spec) {
    if (!spec->fingerprint || !spec->fingerprint[0])
        LMB__FAIL(ctx, LMB_EINVAL, "%s: the sweep has no fingerprint", path);
    if (spec->points < 1 || spec->points > LMB_SWEEP_MAX_POINTS)
        LMB__FAIL(ctx, LMB_EINVAL, "%s: %ld points; a sweep has 1 to %ld", path, spec->points,
                  LMB_SWEEP_MAX_POINTS);
    if (spec->n_params < 0 || spec->n_params > LMB_SWEEP_MAX_PARAMS)
        LMB__FAIL(ctx, LMB_EINVAL, "%s: %d parameters; a sweep has 0 to %d", path, spec->n_params,
                  LMB_SWEEP_MAX_PARAMS);
    if (spec->n_params > 0 && (!spec->param_names || !spec->param_is_protocol))
        LMB__FAIL(ctx, LMB_EINVAL, "%s: the sweep's %d parameters have no names or kinds", path,
                  spec->n_params);
    for (int j = 0; j < spec->n_params; j++) {
        const char *name = spec->param_names[j];
        if (!name || !name[0])
            LMB__FAIL(ctx, LMB_EINVAL, "%s: parameter %d has no name", path, j);
        if (sqlite3_stricmp(name, "point") == 0)
            LMB__FAIL(ctx, LMB_EINVAL, "%s: parameter \"%s\" has the name of a result column", path,
                      name);
        for (int m = 0; m < N_METRICS; m++)
            if (sqlite3_stricmp(name, metric_columns[m].name) == 0)
                LMB__FAIL(ctx, LMB_EINVAL, "%s: parameter \"%s\" has the name of a result column",
                          path, name);
        for (int k = 0; k < j; k++)
            if (sqlite3_stricmp(name, spec->param_names[k]) == 0)
                LMB__FAIL(ctx, LMB_EINVAL,
                          "%s: parameters \"%s\" and \"%s\" would be one column (SQLite column "
                          "names ignore case)",
                          path, spec->param_names[k], name);
    }
    return LMB_OK;
}

static const char *kind_name(int is_protocol) {
    return is_protocol ? "protocol" : "cell";
}

/* "INSERT INTO points(point, "p1", ..., status, ...) VALUES(?, ...)" or, with create, the
 * CREATE TABLE of points; malloc'ed through sqlite3 (sqlite3_free), NULL when out of memory. */
static char *points_sql(const lmb__catalogue_spec *spec, int create) {
    sqlite3_str *q = sqlite3_str_new(NULL);
    sqlite3_str_appendall(q, create ? "CREATE TABLE points(point INTEGER PRIMARY KEY"
                                    : "INSERT INTO points(point");
    /* %w doubles the double quotes inside an identifier */
    for (int j = 0; j < spec->n_params; j++)
        sqlite3_str_appendf(q, ", \"%w\"%s", spec->param_names[j], create ? " REAL" : "");
    for (int m = 0; m < N_METRICS; m++)
        sqlite3_str_appendf(q, ", %s%s%s", metric_columns[m].name, create ? " " : "",
                            create ? metric_columns[m].type : "");
    if (create) {
        sqlite3_str_appendall(q, ")");
    } else {
        sqlite3_str_appendall(q, ") VALUES(?");
        for (int k = 0; k < spec->n_params + N_METRICS; k++)
            sqlite3_str_appendall(q, ", ?");
        sqlite3_str_appendall(q, ")");
    }
    if (sqlite3_str_errcode(q) != SQLITE_OK) {
        sqlite3_free(sqlite3_str_finish(q));
        return NULL;
    }
    return sqlite3_str_finish(q);
}

static lmb_status create_tables(lmb_ctx *ctx, lmb__catalogue *c, const lmb__catalogue_spec *spec) {
    lmb_status st = exec(ctx, c,
                         "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
                         "CREATE TABLE parameters(position INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                         " kind TEXT NOT NULL);"
                         "CREATE TABLE runs(run INTEGER PRIMARY KEY, started_utc TEXT,"
                         " finished_utc TEXT, host TEXT, command TEXT, workers INTEGER,"
                         " computed INTEGER, status TEXT);"
                         "CREATE TABLE point_log(point INTEGER PRIMARY KEY, run INTEGER,"
                         " rank INTEGER, worker INTEGER, wall_s REAL);",
                         "cannot create the tables");
    if (st != LMB_OK)
        return st;
    char *sql = points_sql(spec, 1);
    if (!sql)
        LMB__FAIL(ctx, LMB_ENOMEM, "%s: out of memory", c->path);
    st = exec(ctx, c, sql, "cannot create the points table");
    sqlite3_free(sql);
    if (st != LMB_OK)
        return st;

    char points[32];
    snprintf(points, sizeof points, "%ld", spec->points);
    const char *const meta[][2] = {
        {"lmb_version", lmb_version()},
        {"fingerprint", spec->fingerprint},
        {"sweep", spec->sweep_json},
        {"cell", spec->cell},
        {"protocol", spec->protocol},
        {"design", spec->design},
        {"points", points},
    };
    sqlite3_stmt *s = NULL;
    if ((st = prepare(ctx, c, "INSERT INTO meta(key, value) VALUES(?, ?)", &s)) != LMB_OK)
        return st;
    for (size_t i = 0; i < sizeof meta / sizeof meta[0] && st == LMB_OK; i++) {
        binder b = {s, 0, SQLITE_OK};
        bind_text(&b, meta[i][0], -1);
        bind_text(&b, meta[i][1], -1);
        if (b.rc != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE)
            st = db_fail(ctx, c, "cannot write the meta table");
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    if (st != LMB_OK)
        return st;

    s = NULL;
    if ((st = prepare(ctx, c, "INSERT INTO parameters(position, name, kind) VALUES(?, ?, ?)",
                      &s)) != LMB_OK)
        return st;
    for (int j = 0; j < spec->n_params && st == LMB_OK; j++) {
        binder b = {s, 0, SQLITE_OK};
        bind_int(&b, j);
        bind_text(&b, spec->param_names[j], -1);
        bind_text(&b, kind_name(spec->param_is_protocol[j]), -1);
        if (b.rc != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE)
            st = db_fail(ctx, c, "cannot write the parameters table");
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    return st;
}

/* The number of tables in the file (0: a new file), and when there are any, that they include
 * the catalogue's. */
static lmb_status check_tables(lmb_ctx *ctx, lmb__catalogue *c, sqlite3_int64 *tables) {
    sqlite3_stmt *s = NULL;
    lmb_status st = prepare(ctx, c, "SELECT count(*) FROM sqlite_master WHERE type = 'table'", &s);
    if (st != LMB_OK)
        return st;
    int rc = sqlite3_step(s);
    *tables = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    if (rc != SQLITE_ROW)
        st = db_fail(ctx, c, "cannot read the schema");
    sqlite3_finalize(s);
    if (st != LMB_OK || *tables == 0)
        return st;

    s = NULL;
    st = prepare(ctx, c, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", &s);
    for (int t = 0; t < N_TABLES && st == LMB_OK; t++) {
        sqlite3_bind_text(s, 1, table_names[t], -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        if (rc == SQLITE_DONE)
            st = lmb__ctx_fail(ctx, LMB_ESTATE,
                               "%s: an SQLite database but not a sweep catalogue (it has no "
                               "table %s); use another output directory or remove the file",
                               c->path, table_names[t]);
        else if (rc != SQLITE_ROW)
            st = db_fail(ctx, c, "cannot read the schema");
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    return st;
}

/* An existing catalogue: the same fingerprint and parameters. */
static lmb_status check_existing(lmb_ctx *ctx, lmb__catalogue *c, const lmb__catalogue_spec *spec) {
    sqlite3_stmt *s = NULL;
    lmb_status st = prepare(ctx, c, "SELECT value FROM meta WHERE key = 'fingerprint'", &s);
    if (st != LMB_OK)
        return st;
    int rc = sqlite3_step(s);
    const char *fp = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = db_fail(ctx, c, "cannot read the meta table");
    else if (!fp)
        st = lmb__ctx_fail(ctx, LMB_ESTATE,
                           "%s: the catalogue has no fingerprint in its meta table; use another "
                           "output directory or remove the file",
                           c->path);
    else if (strcmp(fp, spec->fingerprint) != 0)
        st = lmb__ctx_fail(ctx, LMB_ESTATE,
                           "%s: a catalogue of another sweep (fingerprint %s, this sweep's %s); "
                           "use another output directory or remove the file",
                           c->path, fp, spec->fingerprint);
    sqlite3_finalize(s);
    if (st != LMB_OK)
        return st;

    s = NULL;
    if ((st = prepare(ctx, c, "SELECT name, kind FROM parameters ORDER BY position", &s)) != LMB_OK)
        return st;
    int j = 0;
    while (st == LMB_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 0);
        const char *kind = (const char *)sqlite3_column_text(s, 1);
        if (j >= spec->n_params)
            st = lmb__ctx_fail(ctx, LMB_ESTATE,
                               "%s: the catalogue has more parameters than the sweep's %d; use "
                               "another output directory or remove the file",
                               c->path, spec->n_params);
        else if (!name || !kind || strcmp(name, spec->param_names[j]) != 0 ||
                 strcmp(kind, kind_name(spec->param_is_protocol[j])) != 0)
            st = lmb__ctx_fail(ctx, LMB_ESTATE,
                               "%s: parameter %d of the catalogue is \"%s\" (%s), the sweep's is "
                               "\"%s\" (%s); use another output directory or remove the file",
                               c->path, j, name ? name : "(null)", kind ? kind : "(null)",
                               spec->param_names[j], kind_name(spec->param_is_protocol[j]));
        j++;
    }
    if (st == LMB_OK && rc != SQLITE_DONE)
        st = db_fail(ctx, c, "cannot read the parameters table");
    else if (st == LMB_OK && j < spec->n_params)
        st = lmb__ctx_fail(ctx, LMB_ESTATE,
                           "%s: the catalogue has %d parameters, the sweep %d; use another output "
                           "directory or remove the file",
                           c->path, j, spec->n_params);
    sqlite3_finalize(s);
    return st;
}

/* The points present, into the bitmap. */
static lmb_status load_points(lmb_ctx *ctx, lmb__catalogue *c) {
    sqlite3_stmt *s = NULL;
    lmb_status st = prepare(ctx, c, "SELECT point FROM points", &s);
    int rc = SQLITE_DONE;
    while (st == LMB_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        sqlite3_int64 i = sqlite3_column_int64(s, 0);
        if (i < 0 || i >= c->points)
            st = lmb__ctx_fail(ctx, LMB_ESTATE,
                               "%s: the catalogue has point %lld, beyond the sweep's %ld points; "
                               "use another output directory or remove the file",
                               c->path, (long long)i, c->points);
        else {
            set_have(c, (long)i);
            c->count++;
        }
    }
    if (st == LMB_OK && rc != SQLITE_DONE)
        st = db_fail(ctx, c, "cannot read the points table");
    sqlite3_finalize(s);
    return st;
}

static lmb_status start_run(lmb_ctx *ctx, lmb__catalogue *c, const lmb__catalogue_run *run) {
    char now[32], host[LMB__HOST_MAX];
    utc_now(now, sizeof now);
    if (gethostname(host, sizeof host) != 0)
        host[0] = '\0';
    host[sizeof host - 1] = '\0';
    sqlite3_stmt *s = NULL;
    lmb_status st = prepare(ctx, c,
                            "INSERT INTO runs(started_utc, finished_utc, host, command, workers,"
                            " computed, status) VALUES(?, NULL, ?, ?, ?, 0, 'running')",
                            &s);
    if (st != LMB_OK)
        return st;
    binder b = {s, 0, SQLITE_OK};
    bind_text(&b, now[0] ? now : NULL, -1);
    bind_text(&b, host[0] ? host : NULL, -1);
    bind_text(&b, run ? run->command : NULL, -1);
    bind_int(&b, run ? run->workers : 0);
    if (b.rc != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE)
        st = db_fail(ctx, c, "cannot write the runs table");
    else
        c->run = sqlite3_last_insert_rowid(c->db);
    sqlite3_finalize(s);
    return st;
}

/* In the opening transaction: a new file's tables, or the check of an existing catalogue; the
 * points present; this run's row. */
static lmb_status setup(lmb_ctx *ctx, lmb__catalogue *c, const lmb__catalogue_spec *spec,
                        const lmb__catalogue_run *run) {
    sqlite3_int64 tables = 0;
    lmb_status st = check_tables(ctx, c, &tables);
    if (st != LMB_OK)
        return st;
    st = tables == 0 ? create_tables(ctx, c, spec) : check_existing(ctx, c, spec);
    if (st == LMB_OK && tables > 0)
        st = load_points(ctx, c);
    if (st == LMB_OK)
        st = start_run(ctx, c, run);
    return st;
}

/* Everything of open after the allocation; c is freed by the caller on failure. */
static lmb_status open_db(lmb_ctx *ctx, lmb__catalogue *c, const lmb__catalogue_spec *spec,
                          const lmb__catalogue_run *run) {
    int rc = sqlite3_open_v2(c->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (!c->db)
        LMB__FAIL(ctx, LMB_ENOMEM, "%s: out of memory opening the catalogue", c->path);
    if (rc != SQLITE_OK)
        return db_fail(ctx, c, "cannot open the catalogue");
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, LMB__CATALOGUE_BUSY_MS);

    /* Read before anything is written, so that a file that is not a database, or a database
     * that is not a catalogue, is refused as it was (its journal mode included); checked again
     * under the lock below. */
    sqlite3_int64 tables = 0;
    lmb_status st = check_tables(ctx, c, &tables);
    if (st != LMB_OK)
        return st;
    sqlite3_stmt *s = NULL;
    if ((st = prepare(ctx, c, "PRAGMA journal_mode = WAL", &s)) != LMB_OK)
        return st;
    rc = sqlite3_step(s);
    const char *mode = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
    if (rc != SQLITE_ROW)
        st = db_fail(ctx, c, "cannot set the journal mode");
    else if (!mode || strcmp(mode, "wal") != 0)
        st = lmb__ctx_fail(ctx, LMB_EIO, "%s: cannot use a write-ahead log (journal mode %s)",
                           c->path, mode ? mode : "unknown");
    sqlite3_finalize(s);
    if (st != LMB_OK)
        return st;
    if ((st = exec(ctx, c, "PRAGMA synchronous = NORMAL", "cannot set synchronous")) != LMB_OK)
        return st;

    if ((st = exec(ctx, c, "BEGIN IMMEDIATE", "cannot lock the catalogue")) != LMB_OK)
        return st;
    st = setup(ctx, c, spec, run);
    if (st == LMB_OK)
        st = exec(ctx, c, "COMMIT", "cannot commit the opening of the catalogue");
    if (st != LMB_OK) {
        rollback(c);
        return st;
    }

    char *sql = points_sql(spec, 0);
    if (!sql)
        LMB__FAIL(ctx, LMB_ENOMEM, "%s: out of memory", c->path);
    st = prepare(ctx, c, sql, &c->put_point);
    sqlite3_free(sql);
    if (st == LMB_OK)
        st = prepare(ctx, c, "BEGIN IMMEDIATE", &c->begin);
    if (st == LMB_OK)
        st = prepare(ctx, c, "COMMIT", &c->commit);
    if (st == LMB_OK)
        st = prepare(ctx, c, "ROLLBACK", &c->rollback);
    if (st == LMB_OK)
        st = prepare(ctx, c,
                     "INSERT INTO point_log(point, run, rank, worker, wall_s)"
                     " VALUES(?, ?, ?, ?, ?)",
                     &c->put_log);
    if (st == LMB_OK)
        st = prepare(ctx, c, "UPDATE runs SET computed = computed + 1 WHERE run = ?",
                     &c->add_computed);
    return st;
}

lmb_status lmb__catalogue_open(lmb_ctx *ctx, const char *path, const lmb__catalogue_spec *spec,
                               const lmb__catalogue_run *run, lmb__catalogue **out) {
    if (out)
        *out = NULL;
    if (!path || !path[0] || !spec || !out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb__catalogue_open: no path, spec or output");
    lmb_status st = check_spec(ctx, path, spec);
    if (st != LMB_OK)
        return st;
    lmb__catalogue *c = calloc(1, sizeof *c);
    size_t n = strlen(path) + 1;
    if (c) {
        c->path = malloc(n);
        c->have = calloc((size_t)(spec->points + 7) / 8, 1);
    }
    if (!c || !c->path || !c->have) {
        destroy(c);
        LMB__FAIL(ctx, LMB_ENOMEM, "%s: out of memory for a catalogue of %ld points", path,
                  spec->points);
    }
    memcpy(c->path, path, n);
    c->n_params = spec->n_params;
    c->points = spec->points;
    st = open_db(ctx, c, spec, run);
    if (st != LMB_OK) {
        destroy(c);
        return st;
    }
    *out = c;
    return LMB_OK;
}

/* The three statements of a point; the caller resets them and ends the transaction. */
static lmb_status put_rows(lmb_ctx *ctx, lmb__catalogue *c, const double *values,
                           const lmb_sweep_result *r, int *duplicate) {
    const char *nul = memchr(r->error, '\0', sizeof r->error);
    int error_len = nul ? (int)(nul - r->error) : (int)sizeof r->error;
    binder b = {c->put_point, 0, SQLITE_OK};
    bind_int(&b, r->point);
    for (int j = 0; j < c->n_params; j++)
        bind_real(&b, values[j]);
    bind_text(&b, lmb_sweep_point_status_name(r->status), -1);
    bind_text(&b, error_len > 0 ? r->error : NULL, error_len);
    bind_text(&b,
              r->status == LMB_SWEEP_POINT_INVALID ? NULL : lmb_run_end_name((lmb_run_end)r->end),
              -1);
    bind_int(&b, r->cycles);
    bind_real(&b, r->test_time_s / 3600.0);
    if (r->cycle_life > 0)
        bind_int(&b, r->cycle_life);
    else
        bind_null(&b);
    bind_text(&b, lmb_sweep_life_end_name(r->life_end), -1);
    bind_real(&b, r->life_s / 3600.0);
    bind_real(&b, r->short_s / 3600.0);
    if (r->short_cycle > 0)
        bind_int(&b, r->short_cycle);
    else
        bind_null(&b);
    bind_real(&b, r->rise_onset_s / 3600.0);
    bind_real(&b, r->eta_initial_V * 1000.0);
    bind_real(&b, r->eta_mean_V * 1000.0);
    bind_real(&b, r->eta_last_V * 1000.0);
    bind_real(&b, r->ce_mean * 100.0);
    bind_real(&b, r->ce_last * 100.0);
    bind_real(&b, r->retention_last * 100.0);
    bind_real(&b, r->capacity_first_C_m2 * LMB_MAH_PER_C / LMB__CM2_PER_M2);
    bind_real(&b, r->capacity_last_C_m2 * LMB_MAH_PER_C / LMB__CM2_PER_M2);
    bind_int(&b, r->ida_steps);
    bind_int(&b, r->res_evals);
    if (b.rc != SQLITE_OK)
        LMB__FAIL(ctx, LMB_EIO, "%s: point %ld: cannot bind its values: %s", c->path, r->point,
                  sqlite3_errstr(b.rc));
    int rc = sqlite3_step(c->put_point);
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        *duplicate = 1;
        LMB__FAIL(ctx, LMB_ESTATE,
                  "%s: point %ld is already in the catalogue (written by another process)", c->path,
                  r->point);
    }
    if (rc != SQLITE_DONE) {
        char what[64];
        snprintf(what, sizeof what, "cannot insert point %ld", r->point);
        return db_fail(ctx, c, what);
    }

    b = (binder){c->put_log, 0, SQLITE_OK};
    bind_int(&b, r->point);
    bind_int(&b, c->run);
    bind_int(&b, r->rank);
    bind_int(&b, r->worker);
    bind_real(&b, r->wall_s);
    if (b.rc != SQLITE_OK || sqlite3_step(c->put_log) != SQLITE_DONE) {
        char what[64];
        snprintf(what, sizeof what, "cannot log point %ld", r->point);
        return db_fail(ctx, c, what);
    }

    b = (binder){c->add_computed, 0, SQLITE_OK};
    bind_int(&b, c->run);
    if (b.rc != SQLITE_OK || sqlite3_step(c->add_computed) != SQLITE_DONE)
        return db_fail(ctx, c, "cannot count a point in the runs table");
    return LMB_OK;
}

lmb_status lmb__catalogue_put(lmb_ctx *ctx, lmb__catalogue *c, const double *values,
                              const lmb_sweep_result *r) {
    if (!c || !r || (!values && c->n_params > 0))
        LMB__FAIL(ctx, LMB_EINVAL, "lmb__catalogue_put: no catalogue, values or result");
    if (r->point < 0 || r->point >= c->points)
        LMB__FAIL(ctx, LMB_EINVAL, "%s: point %ld is not one of the sweep's %ld points", c->path,
                  r->point, c->points);
    if (r->status < LMB_SWEEP_POINT_OK || r->status > LMB_SWEEP_POINT_INVALID ||
        !lmb_sweep_point_status_name(r->status))
        LMB__FAIL(ctx, LMB_EINVAL, "%s: point %ld: status %d is not a point status", c->path,
                  r->point, r->status);
    if (r->end < LMB_RUN_COMPLETED || r->end > LMB_RUN_FAILED)
        LMB__FAIL(ctx, LMB_EINVAL, "%s: point %ld: end %d is not an end of a run", c->path,
                  r->point, r->end);
    if (r->life_end < LMB_SWEEP_LIFE_NONE || r->life_end > LMB_SWEEP_LIFE_RETENTION)
        LMB__FAIL(ctx, LMB_EINVAL, "%s: point %ld: life end %d is not an end of life", c->path,
                  r->point, r->life_end);
    if (lmb__catalogue_has(c, r->point))
        LMB__FAIL(ctx, LMB_ESTATE, "%s: point %ld is already in the catalogue", c->path, r->point);

    if (sqlite3_step(c->begin) != SQLITE_DONE) {
        lmb_status st = db_fail(ctx, c, "cannot lock the catalogue");
        sqlite3_reset(c->begin);
        return st;
    }
    sqlite3_reset(c->begin);
    int duplicate = 0;
    lmb_status st = put_rows(ctx, c, values, r, &duplicate);
    sqlite3_reset(c->put_point);
    sqlite3_reset(c->put_log);
    sqlite3_reset(c->add_computed);
    sqlite3_clear_bindings(c->put_point);
    sqlite3_clear_bindings(c->put_log);
    sqlite3_clear_bindings(c->add_computed);
    if (st == LMB_OK) {
        if (sqlite3_step(c->commit) != SQLITE_DONE) {
            char what[64];
            snprintf(what, sizeof what, "cannot commit point %ld", r->point);
            st = db_fail(ctx, c, what);
        }
        sqlite3_reset(c->commit);
    }
    if (st != LMB_OK) {
        rollback(c);
        if (duplicate) {
            set_have(c, r->point);
            c->count++;
        }
        return st;
    }
    set_have(c, r->point);
    c->count++;
    return LMB_OK;
}

lmb_status lmb__catalogue_close(lmb_ctx *ctx, lmb__catalogue *c, const char *status) {
    if (!c)
        return LMB_OK;
    lmb_status st = LMB_OK;
    if (!status || (strcmp(status, "completed") != 0 && strcmp(status, "stopped") != 0 &&
                    strcmp(status, "failed") != 0))
        st = lmb__ctx_fail(ctx, LMB_EINVAL,
                           "%s: run status \"%s\" is not completed, stopped or failed; the run "
                           "is left marked running",
                           c->path, status ? status : "(null)");
    sqlite3_stmt *s = NULL;
    if (st == LMB_OK)
        st = prepare(ctx, c, "UPDATE runs SET finished_utc = ?, status = ? WHERE run = ?", &s);
    if (st == LMB_OK) {
        char now[32];
        utc_now(now, sizeof now);
        binder b = {s, 0, SQLITE_OK};
        bind_text(&b, now[0] ? now : NULL, -1);
        bind_text(&b, status, -1);
        bind_int(&b, c->run);
        if (b.rc != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE)
            st = db_fail(ctx, c, "cannot mark the run finished");
    }
    sqlite3_finalize(s);
    destroy(c);
    return st;
}
