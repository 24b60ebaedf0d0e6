/*
 * test_catalogue.c - the SQLite catalogue of a sweep (io/catalogue.h): a catalogue of two
 * parameters created, filled, closed and resumed; what its tables hold, read back here with
 * sqlite3 directly (lab units, NULL for NaN and undefined counts, the runs and point_log rows);
 * and every error path: arguments, a file that is not a database, a database that is not a
 * catalogue, a catalogue of another sweep or with other parameters, a point already present
 * (in this process or written by another), a failure inside a point's transaction (injected by
 * a trigger, which must leave nothing of the point behind), a lock held by another connection.
 *
 * Values stored are compared bit for bit: SQLite keeps a REAL as the 8-byte double, so any
 * difference is a bug. The unit conversions are compared with values converted by hand
 * (5400 s = 1.5 h, 36000 C/m2 = 1 mAh/cm2) within 1e-15 relative: the library multiplies or
 * divides by constants that are not all exact in binary (1 / 3.6), a few rounding errors of
 * 1.1e-16 each.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_tmpdir.h"

#include "io/catalogue.h"
#include "lmb/lmb.h"

#include <sqlite3.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FP     "0123456789abcdef" /* the sweep's fingerprint */
#define FP_NEW "fedcba9876543210"
#define NPTS   10
#define TOL    1e-15
#define BUSY_S 4.0 /* [s] at least this long before a locked catalogue gives up (5 s in it) */

static char tmpdir[64];

static const char *const names2[] = {"electrodes.coating.loading_mg_cm2",
                                     "protocol.current_mA_cm2"};
static const int kinds2[] = {0, 1};

static lmb__catalogue_spec spec2(void) {
    lmb__catalogue_spec s = {
        FP,     "{\"grid\":{}}", "li-li:cspbcl3-2mg", "protocol:sweep", "grid", NPTS, 2,
        names2, kinds2};
    return s;
}

static const lmb__catalogue_run run_cli = {"lmb sweep s.json -o out -j 3", 3};

/* A path in the test directory (a static buffer per call site is not needed: callers copy). */
static void tmp_path(char *buf, size_t size, const char *name) {
    snprintf(buf, size, "%s/%s", tmpdir, name);
}

/* A result with distinct, defined values for point i. */
static lmb_sweep_result result(long i) {
    lmb_sweep_result r;
    memset(&r, 0, sizeof r);
    r.point = i;
    r.status = LMB_SWEEP_POINT_OK;
    r.end = LMB_RUN_SHORT;
    r.cycles = 40 + (int)i;
    r.test_time_s = 5400.0 * (double)(i + 1);
    r.cycle_life = 30 + (int)i;
    r.life_end = LMB_SWEEP_LIFE_SHORT;
    r.life_s = 3600.0 * 2.5;
    r.short_s = 3600.0 * 2.5;
    r.short_cycle = 31 + (int)i;
    r.rise_onset_s = 1800.0;
    r.eta_initial_V = 0.025;
    r.eta_mean_V = 0.0375;
    r.eta_last_V = 0.05;
    r.ce_mean = 0.995;
    r.ce_last = 0.5;
    r.retention_last = 0.8;
    r.capacity_first_C_m2 = 36000.0;
    r.capacity_last_C_m2 = 18000.0;
    r.ida_steps = 123456789L + i;
    r.res_evals = 987654321L + i;
    r.wall_s = 1.25 + (double)i;
    r.rank = 1;
    r.worker = 2 + (int)i;
    return r;
}

static lmb__catalogue *open_ok(lmb_ctx *ctx, const char *path, const lmb__catalogue_spec *spec,
                               const lmb__catalogue_run *run) {
    lmb__catalogue *c = NULL;
    lmb_status st = lmb__catalogue_open(ctx, path, spec, run, &c);
    if (st != LMB_OK)
        fail_msg("open %s: %s: %s", path, lmb_status_name(st), lmb_ctx_errmsg(ctx));
    assert_non_null(c);
    return c;
}

static void put_ok(lmb_ctx *ctx, lmb__catalogue *c, const double *v, const lmb_sweep_result *r) {
    lmb_status st = lmb__catalogue_put(ctx, c, v, r);
    if (st != LMB_OK)
        fail_msg("put %ld: %s: %s", r->point, lmb_status_name(st), lmb_ctx_errmsg(ctx));
}

static void close_ok(lmb_ctx *ctx, lmb__catalogue *c, const char *status) {
    lmb_status st = lmb__catalogue_close(ctx, c, status);
    if (st != LMB_OK)
        fail_msg("close: %s: %s", lmb_status_name(st), lmb_ctx_errmsg(ctx));
}

/* The context's sentence contains each of the (up to three) texts. */
static void msg_has(lmb_ctx *ctx, const char *a, const char *b, const char *c) {
    const char *m = lmb_ctx_errmsg(ctx);
    const char *want[] = {a, b, c};
    for (int k = 0; k < 3; k++)
        if (want[k] && !strstr(m, want[k]))
            fail_msg("message \"%s\" does not contain \"%s\"", m, want[k]);
    print_message("    %s\n", m);
}

static void open_fails(lmb_ctx *ctx, const char *path, const lmb__catalogue_spec *spec,
                       lmb_status want, const char *a, const char *b, const char *c) {
    lmb__catalogue *cat = (lmb__catalogue *)&cat; /* must be reset to NULL */
    lmb_status st = lmb__catalogue_open(ctx, path, spec, &run_cli, &cat);
    if (st != want)
        fail_msg("open %s: %s (%s), expected %s", path ? path : "(null)", lmb_status_name(st),
                 lmb_ctx_errmsg(ctx), lmb_status_name(want));
    assert_null(cat);
    msg_has(ctx, a, b, c);
}

static void put_fails(lmb_ctx *ctx, lmb__catalogue *c, const double *v, const lmb_sweep_result *r,
                      lmb_status want, const char *a, const char *b) {
    lmb_status st = lmb__catalogue_put(ctx, c, v, r);
    if (st != want)
        fail_msg("put %ld: %s (%s), expected %s", r ? r->point : -1L, lmb_status_name(st),
                 lmb_ctx_errmsg(ctx), lmb_status_name(want));
    msg_has(ctx, a, b, NULL);
}

/* ---- direct sqlite3 access ---- */

static sqlite3 *raw_open(const char *path) {
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        fail_msg("sqlite3_open %s: %s", path, sqlite3_errmsg(db));
    return db;
}

static void raw_exec(sqlite3 *db, const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

/* The first column of the one row of sql, as a statement left stepped (the caller finalizes). */
static sqlite3_stmt *row(sqlite3 *db, const char *sql) {
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(s) != SQLITE_ROW)
        fail_msg("%s: no row (%s)", sql, sqlite3_errmsg(db));
    return s;
}

static sqlite3_int64 q_int(sqlite3 *db, const char *sql) {
    sqlite3_stmt *s = row(db, sql);
    if (sqlite3_column_type(s, 0) != SQLITE_INTEGER)
        fail_msg("%s: not an integer (type %d)", sql, sqlite3_column_type(s, 0));
    sqlite3_int64 v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static double q_real(sqlite3 *db, const char *sql) {
    sqlite3_stmt *s = row(db, sql);
    if (sqlite3_column_type(s, 0) != SQLITE_FLOAT)
        fail_msg("%s: not a REAL (type %d)", sql, sqlite3_column_type(s, 0));
    double v = sqlite3_column_double(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* The text of the row into buf; "(null)" for NULL. */
static const char *q_text(sqlite3 *db, const char *sql, char *buf, size_t size) {
    sqlite3_stmt *s = row(db, sql);
    const unsigned char *t = sqlite3_column_text(s, 0);
    snprintf(buf, size, "%s", t ? (const char *)t : "(null)");
    sqlite3_finalize(s);
    return buf;
}

static int q_null(sqlite3 *db, const char *sql) {
    sqlite3_stmt *s = row(db, sql);
    int null = sqlite3_column_type(s, 0) == SQLITE_NULL;
    sqlite3_finalize(s);
    return null;
}

static sqlite3_int64 q_count(sqlite3 *db, const char *table) {
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    return q_int(db, sql);
}

static void near(double got, double want, const char *what) {
    if (!(fabs(got - want) <= TOL * fabs(want)))
        fail_msg("%s: %.17g, expected %.17g within %g", what, got, want, TOL);
}

static void same_bits(double got, double want, const char *what) {
    if (memcmp(&got, &want, sizeof got) != 0)
        fail_msg("%s: %a read back as %a", what, want, got);
}

static void write_file(const char *path, const char *text, size_t n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state) {
    (void)state;
    return lmb_test_tmpdir_make(tmpdir, sizeof tmpdir, "test_catalogue");
}

static int teardown(void **state) {
    (void)state;
    return lmb_test_tmpdir_remove(tmpdir);
}

/* ---- a catalogue created, filled and resumed ---- */

static void test_create_and_resume(void **state) {
    (void)state;
    char path[128], buf[256];
    tmp_path(path, sizeof path, "resume.sqlite");
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb__catalogue_spec spec = spec2();

    lmb__catalogue *c = open_ok(ctx, path, &spec, &run_cli);
    assert_int_equal(lmb__catalogue_count(c), 0);
    for (long i = -1; i <= NPTS; i++)
        assert_int_equal(lmb__catalogue_has(c, i), 0);
    const long first[] = {0, 3, 9};
    for (size_t k = 0; k < 3; k++) {
        lmb_sweep_result r = result(first[k]);
        double v[2] = {1.0 + (double)first[k], 0.5 * (double)(first[k] + 1)};
        put_ok(ctx, c, v, &r);
        assert_int_equal(lmb__catalogue_has(c, first[k]), 1);
        assert_int_equal(lmb__catalogue_count(c), (long)k + 1);
    }
    /* a point put is refused a second time, in the same run */
    lmb_sweep_result r3 = result(3);
    double v3[2] = {7.0, 7.0};
    put_fails(ctx, c, v3, &r3, LMB_ESTATE, path, "point 3 is already");
    assert_int_equal(lmb__catalogue_count(c), 3);
    close_ok(ctx, c, "completed");

    /* the second run sees the first's points */
    c = open_ok(ctx, path, &spec, NULL);
    assert_int_equal(lmb__catalogue_count(c), 3);
    for (long i = 0; i < NPTS; i++)
        assert_int_equal(lmb__catalogue_has(c, i), i == 0 || i == 3 || i == 9);
    assert_int_equal(lmb__catalogue_has(c, NPTS), 0);
    assert_int_equal(lmb__catalogue_has(c, -1), 0);
    assert_int_equal(lmb__catalogue_has(NULL, 0), 0);
    assert_int_equal(lmb__catalogue_count(NULL), 0);
    put_fails(ctx, c, v3, &r3, LMB_ESTATE, path, "point 3 is already");
    lmb_sweep_result r5 = result(5);
    double v5[2] = {6.0, 3.0};
    put_ok(ctx, c, v5, &r5);
    assert_int_equal(lmb__catalogue_count(c), 4);

    /* while it is open, another connection reads it (WAL: readers do not block the writer) */
    sqlite3 *db = raw_open(path);
    assert_string_equal(q_text(db, "PRAGMA journal_mode", buf, sizeof buf), "wal");
    assert_int_equal(q_count(db, "points"), 4);
    assert_string_equal(q_text(db, "SELECT status FROM runs WHERE run = 2", buf, sizeof buf),
                        "running");
    assert_true(q_null(db, "SELECT finished_utc FROM runs WHERE run = 2"));
    close_ok(ctx, c, "stopped");

    /* the tables */
    assert_int_equal(q_count(db, "points"), 4);
    assert_int_equal(q_count(db, "point_log"), 4);
    assert_int_equal(q_count(db, "runs"), 2);
    assert_int_equal(q_int(db, "SELECT computed FROM runs WHERE run = 1"), 3);
    assert_int_equal(q_int(db, "SELECT computed FROM runs WHERE run = 2"), 1);
    assert_string_equal(q_text(db, "SELECT status FROM runs WHERE run = 1", buf, sizeof buf),
                        "completed");
    assert_string_equal(q_text(db, "SELECT status FROM runs WHERE run = 2", buf, sizeof buf),
                        "stopped");
    assert_string_equal(q_text(db, "SELECT command FROM runs WHERE run = 1", buf, sizeof buf),
                        run_cli.command);
    assert_int_equal(q_int(db, "SELECT workers FROM runs WHERE run = 1"), 3);
    assert_true(q_null(db, "SELECT command FROM runs WHERE run = 2"));
    assert_int_equal(q_int(db, "SELECT workers FROM runs WHERE run = 2"), 0);
    assert_false(q_null(db, "SELECT host FROM runs WHERE run = 1"));
    /* started and finished: ISO 8601 UTC, within a minute of now, in order */
    const char *const times[] = {"SELECT started_utc FROM runs WHERE run = 1",
                                 "SELECT finished_utc FROM runs WHERE run = 1",
                                 "SELECT started_utc FROM runs WHERE run = 2",
                                 "SELECT finished_utc FROM runs WHERE run = 2"};
    char prev[256] = "";
    for (size_t k = 0; k < 4; k++) {
        q_text(db, times[k], buf, sizeof buf);
        struct tm tm;
        memset(&tm, 0, sizeof tm);
        int n = 0;
        if (sscanf(buf, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
            n != 20 || buf[n] != '\0')
            fail_msg("%s: \"%s\" is not ISO 8601 UTC", times[k], buf);
        time_t now = time(NULL);
        struct tm utc;
        char now_s[32];
        strftime(now_s, sizeof now_s, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &utc));
        now -= 60;
        char before[32];
        strftime(before, sizeof before, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &utc));
        assert_true(strcmp(buf, before) >= 0 && strcmp(buf, now_s) <= 0);
        assert_true(strcmp(buf, prev) >= 0);
        snprintf(prev, sizeof prev, "%s", buf);
    }
    /* point_log: which run computed what, where and how long */
    assert_int_equal(q_int(db, "SELECT run FROM point_log WHERE point = 0"), 1);
    assert_int_equal(q_int(db, "SELECT run FROM point_log WHERE point = 9"), 1);
    assert_int_equal(q_int(db, "SELECT run FROM point_log WHERE point = 5"), 2);
    assert_int_equal(q_int(db, "SELECT rank FROM point_log WHERE point = 5"), 1);
    assert_int_equal(q_int(db, "SELECT worker FROM point_log WHERE point = 5"), 7);
    same_bits(q_real(db, "SELECT wall_s FROM point_log WHERE point = 5"), 6.25, "wall_s");
    /* the refused second put of point 3 changed nothing */
    same_bits(q_real(db, "SELECT \"protocol.current_mA_cm2\" FROM points WHERE point = 3"), 2.0,
              "point 3's current");
    /* meta and parameters */
    assert_string_equal(
        q_text(db, "SELECT value FROM meta WHERE key = 'fingerprint'", buf, sizeof buf), FP);
    assert_string_equal(
        q_text(db, "SELECT value FROM meta WHERE key = 'lmb_version'", buf, sizeof buf),
        lmb_version());
    assert_string_equal(q_text(db, "SELECT value FROM meta WHERE key = 'sweep'", buf, sizeof buf),
                        spec.sweep_json);
    assert_string_equal(q_text(db, "SELECT value FROM meta WHERE key = 'cell'", buf, sizeof buf),
                        spec.cell);
    assert_string_equal(
        q_text(db, "SELECT value FROM meta WHERE key = 'protocol'", buf, sizeof buf),
        spec.protocol);
    assert_string_equal(q_text(db, "SELECT value FROM meta WHERE key = 'design'", buf, sizeof buf),
                        "grid");
    assert_string_equal(q_text(db, "SELECT value FROM meta WHERE key = 'points'", buf, sizeof buf),
                        "10");
    assert_int_equal(q_count(db, "meta"), 7);
    assert_int_equal(q_count(db, "parameters"), 2);
    assert_string_equal(
        q_text(db, "SELECT name FROM parameters ORDER BY position LIMIT 1", buf, sizeof buf),
        names2[0]);
    assert_string_equal(
        q_text(db, "SELECT kind FROM parameters ORDER BY position LIMIT 1", buf, sizeof buf),
        "cell");
    assert_string_equal(q_text(db, "SELECT name FROM parameters ORDER BY position LIMIT 1 OFFSET 1",
                               buf, sizeof buf),
                        names2[1]);
    assert_string_equal(q_text(db, "SELECT kind FROM parameters ORDER BY position LIMIT 1 OFFSET 1",
                               buf, sizeof buf),
                        "protocol");
    sqlite3_close(db);
    lmb_ctx_free(ctx);
}

/* ---- what a row holds ---- */

static void test_values_and_units(void **state) {
    (void)state;
    char path[128], buf[256], sql[256];
    tmp_path(path, sizeof path, "values.sqlite");
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb__catalogue_spec spec = spec2();
    lmb__catalogue *c = open_ok(ctx, path, &spec, &run_cli);

    /* parameter values that a decimal round trip or a float would change */
    const double v[][2] = {{0.1, 1.0 / 3.0},
                           {DBL_MIN, DBL_MAX},
                           {4.9406564584124654e-324, -2.2250738585072009e-308},
                           {9007199254740993.0, 1e23},
                           {3.14159265358979323846, -2.71828182845904523536},
                           {INFINITY, -INFINITY},
                           {-0.0, 123456789.0}};
    const size_t nv = sizeof v / sizeof v[0];
    for (size_t k = 0; k < nv; k++) {
        lmb_sweep_result r = result((long)k);
        put_ok(ctx, c, v[k], &r);
    }
    close_ok(ctx, c, "completed");

    sqlite3 *db = raw_open(path);
    for (size_t k = 0; k < nv; k++)
        for (int j = 0; j < 2; j++) {
            snprintf(sql, sizeof sql, "SELECT \"%s\" FROM points WHERE point = %zu", names2[j], k);
            sqlite3_stmt *s = row(db, sql);
            double got = sqlite3_column_double(s, 0);
            sqlite3_finalize(s);
            if (v[k][j] == 0.0) /* SQLite stores an integral REAL as an integer: -0.0 -> +0.0 */
                assert_true(got == 0.0);
            else
                same_bits(got, v[k][j], sql);
        }

    /* point 1: the metrics of result(1), in lab units */
    lmb_sweep_result r = result(1);
    assert_string_equal(q_text(db, "SELECT status FROM points WHERE point = 1", buf, sizeof buf),
                        "ok");
    assert_true(q_null(db, "SELECT error FROM points WHERE point = 1"));
    assert_string_equal(
        q_text(db, "SELECT end_reason FROM points WHERE point = 1", buf, sizeof buf),
        lmb_run_end_name(LMB_RUN_SHORT));
    assert_int_equal(q_int(db, "SELECT cycles FROM points WHERE point = 1"), r.cycles);
    near(q_real(db, "SELECT test_time_h FROM points WHERE point = 1"), 3.0, "test_time_h");
    assert_int_equal(q_int(db, "SELECT cycle_life FROM points WHERE point = 1"), r.cycle_life);
    assert_string_equal(q_text(db, "SELECT life_end FROM points WHERE point = 1", buf, sizeof buf),
                        "short");
    near(q_real(db, "SELECT life_h FROM points WHERE point = 1"), 2.5, "life_h");
    near(q_real(db, "SELECT short_h FROM points WHERE point = 1"), 2.5, "short_h");
    assert_int_equal(q_int(db, "SELECT short_cycle FROM points WHERE point = 1"), r.short_cycle);
    near(q_real(db, "SELECT rise_onset_h FROM points WHERE point = 1"), 0.5, "rise_onset_h");
    near(q_real(db, "SELECT eta_initial_mV FROM points WHERE point = 1"), 25.0, "eta_initial_mV");
    near(q_real(db, "SELECT eta_mean_mV FROM points WHERE point = 1"), 37.5, "eta_mean_mV");
    near(q_real(db, "SELECT eta_last_mV FROM points WHERE point = 1"), 50.0, "eta_last_mV");
    near(q_real(db, "SELECT ce_mean_percent FROM points WHERE point = 1"), 99.5, "ce_mean");
    near(q_real(db, "SELECT ce_last_percent FROM points WHERE point = 1"), 50.0, "ce_last");
    near(q_real(db, "SELECT retention_last_percent FROM points WHERE point = 1"), 80.0,
         "retention_last");
    near(q_real(db, "SELECT capacity_first_mAh_cm2 FROM points WHERE point = 1"), 1.0,
         "capacity_first");
    near(q_real(db, "SELECT capacity_last_mAh_cm2 FROM points WHERE point = 1"), 0.5,
         "capacity_last");
    assert_int_equal(q_int(db, "SELECT ida_steps FROM points WHERE point = 1"), r.ida_steps);
    assert_int_equal(q_int(db, "SELECT residual_evaluations FROM points WHERE point = 1"),
                     r.res_evals);
    /* the columns, by name and in order (the header's list) */
    const char *const cols[] = {"point",
                                names2[0],
                                names2[1],
                                "status",
                                "error",
                                "end_reason",
                                "cycles",
                                "test_time_h",
                                "cycle_life",
                                "life_end",
                                "life_h",
                                "short_h",
                                "short_cycle",
                                "rise_onset_h",
                                "eta_initial_mV",
                                "eta_mean_mV",
                                "eta_last_mV",
                                "ce_mean_percent",
                                "ce_last_percent",
                                "retention_last_percent",
                                "capacity_first_mAh_cm2",
                                "capacity_last_mAh_cm2",
                                "ida_steps",
                                "residual_evaluations"};
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT * FROM points", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_column_count(s), (int)(sizeof cols / sizeof cols[0]));
    for (int k = 0; k < sqlite3_column_count(s); k++)
        assert_string_equal(sqlite3_column_name(s, k), cols[k]);
    sqlite3_finalize(s);
    sqlite3_close(db);
    lmb_ctx_free(ctx);
}

static void test_nan_is_null(void **state) {
    (void)state;
    char path[128], buf[LMB_SWEEP_ERROR_MAX + 16];
    tmp_path(path, sizeof path, "nan.sqlite");
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb__catalogue_spec spec = spec2();
    lmb__catalogue *c = open_ok(ctx, path, &spec, &run_cli);

    /* an invalid point: nothing ran, every metric undefined */
    lmb_sweep_result r;
    memset(&r, 0, sizeof r);
    r.point = 2;
    r.status = LMB_SWEEP_POINT_INVALID;
    snprintf(r.error, sizeof r.error, "li-li: separator.thickness_um = -5 is out of range");
    r.test_time_s = r.life_s = r.short_s = r.rise_onset_s = NAN;
    r.eta_initial_V = r.eta_mean_V = r.eta_last_V = NAN;
    r.ce_mean = r.ce_last = r.retention_last = NAN;
    r.capacity_first_C_m2 = r.capacity_last_C_m2 = NAN;
    r.wall_s = NAN;
    double v[2] = {NAN, 2.0};
    put_ok(ctx, c, v, &r);
    /* a failed point: an error, a censored life, an error text filling its buffer without NUL */
    lmb_sweep_result f = result(4);
    f.status = LMB_SWEEP_POINT_FAILED;
    f.end = LMB_RUN_FAILED;
    f.life_end = LMB_SWEEP_LIFE_NONE;
    f.cycle_life = 0;
    f.short_cycle = 0;
    f.life_s = f.short_s = NAN;
    memset(f.error, 'x', sizeof f.error);
    put_ok(ctx, c, v, &f);
    close_ok(ctx, c, "completed");

    sqlite3 *db = raw_open(path);
    const char *const null2[] = {
        "\"electrodes.coating.loading_mg_cm2\"",
        "end_reason",
        "test_time_h",
        "cycle_life",
        "life_end",
        "life_h",
        "short_h",
        "short_cycle",
        "rise_onset_h",
        "eta_initial_mV",
        "eta_mean_mV",
        "eta_last_mV",
        "ce_mean_percent",
        "ce_last_percent",
        "retention_last_percent",
        "capacity_first_mAh_cm2",
        "capacity_last_mAh_cm2",
    };
    char sql[160];
    for (size_t k = 0; k < sizeof null2 / sizeof null2[0]; k++) {
        snprintf(sql, sizeof sql, "SELECT %s FROM points WHERE point = 2", null2[k]);
        if (!q_null(db, sql))
            fail_msg("%s is not NULL", sql);
    }
    assert_true(q_null(db, "SELECT wall_s FROM point_log WHERE point = 2"));
    assert_string_equal(q_text(db, "SELECT status FROM points WHERE point = 2", buf, sizeof buf),
                        "invalid");
    assert_string_equal(q_text(db, "SELECT error FROM points WHERE point = 2", buf, sizeof buf),
                        r.error);
    assert_int_equal(q_int(db, "SELECT cycles FROM points WHERE point = 2"), 0);
    assert_int_equal(q_int(db, "SELECT ida_steps FROM points WHERE point = 2"), 0);

    assert_string_equal(q_text(db, "SELECT status FROM points WHERE point = 4", buf, sizeof buf),
                        "failed");
    assert_string_equal(
        q_text(db, "SELECT end_reason FROM points WHERE point = 4", buf, sizeof buf),
        lmb_run_end_name(LMB_RUN_FAILED));
    assert_int_equal(q_int(db, "SELECT length(error) FROM points WHERE point = 4"),
                     LMB_SWEEP_ERROR_MAX);
    const char *const null4[] = {"\"electrodes.coating.loading_mg_cm2\"",
                                 "cycle_life",
                                 "short_cycle",
                                 "life_end",
                                 "life_h",
                                 "short_h"};
    for (size_t k = 0; k < sizeof null4 / sizeof null4[0]; k++) {
        snprintf(sql, sizeof sql, "SELECT %s FROM points WHERE point = 4", null4[k]);
        if (!q_null(db, sql))
            fail_msg("%s is not NULL", sql);
    }
    near(q_real(db, "SELECT ce_mean_percent FROM points WHERE point = 4"), 99.5, "ce_mean");
    sqlite3_close(db);
    lmb_ctx_free(ctx);
}

/* Parameter keys with a double quote, a space and a semicolon make valid quoted columns. */
static void test_quoted_names(void **state) {
    (void)state;
    char path[128], buf[64];
    tmp_path(path, sizeof path, "quoted.sqlite");
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    static const char *const odd[] = {"protocol.a \"quoted\" name", "x\"); DROP TABLE meta; --"};
    lmb__catalogue_spec spec = spec2();
    spec.param_names = odd;
    lmb__catalogue *c = open_ok(ctx, path, &spec, &run_cli);
    lmb_sweep_result r = result(0);
    double v[2] = {1.5, 2.5};
    put_ok(ctx, c, v, &r);
    close_ok(ctx, c, "completed");
    c = open_ok(ctx, path, &spec, &run_cli);
    assert_int_equal(lmb__catalogue_has(c, 0), 1);
    close_ok(ctx, c, "completed");

    sqlite3 *db = raw_open(path);
    same_bits(q_real(db, "SELECT \"protocol.a \"\"quoted\"\" name\" FROM points"), 1.5, "odd 0");
    same_bits(q_real(db, "SELECT \"x\"\"); DROP TABLE meta; --\" FROM points"), 2.5, "odd 1");
    assert_string_equal(
        q_text(db, "SELECT value FROM meta WHERE key = 'fingerprint'", buf, sizeof buf), FP);
    sqlite3_close(db);
    lmb_ctx_free(ctx);
}

/* The largest sweep: a bitmap of 1e8 bits, its last point. */
static void test_largest_sweep(void **state) {
    (void)state;
    char path[128];
    tmp_path(path, sizeof path, "large.sqlite");
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb__catalogue_spec spec = spec2();
    spec.points = LMB_SWEEP_MAX_POINTS;
    lmb__catalogue *c = open_ok(ctx, path, &spec, &run_cli);
    lmb_sweep_result r = result(LMB_SWEEP_MAX_POINTS - 1);
    double v[2] = {1.0, 2.0};
    put_ok(ctx, c, v, &r);
    r.point = 8;
    put_ok(ctx, c, v, &r);
    close_ok(ctx, c, "completed");
    c = open_ok(ctx, path, &spec, &run_cli);
    assert_int_equal(lmb__catalogue_count(c), 2);
    assert_int_equal(lmb__catalogue_has(c, LMB_SWEEP_MAX_POINTS - 1), 1);
    assert_int_equal(lmb__catalogue_has(c, LMB_SWEEP_MAX_POINTS - 2), 0);
    assert_int_equal(lmb__catalogue_has(c, 8), 1);
    assert_int_equal(lmb__catalogue_has(c, 7), 0);
    assert_int_equal(lmb__catalogue_has(c, 9), 0);
    assert_int_equal(lmb__catalogue_has(c, LMB_SWEEP_MAX_POINTS), 0);
    close_ok(ctx, c, "completed");
    lmb_ctx_free(ctx);
}

/* An empty file (touched, or left by an open killed before its first commit) is a new one. */
static void test_empty_file_is_new(void **state) {
    (void)state;
    char path[128];
    tmp_path(path, sizeof path, "empty.sqlite");
    write_file(path, "", 0);
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb__catalogue_spec spec = spec2();
    lmb__catalogue *c = open_ok(ctx, path, &spec, &run_cli);
    assert_int_equal(lmb__catalogue_count(c), 0);
    close_ok(ctx, c, "completed");
    sqlite3 *db = raw_open(path);
    assert_int_equal(q_count(db, "runs"), 1);
    sqlite3_close(db);
    lmb_ctx_free(ctx);
}

/* ---- files that are not this sweep's catalogue ---- */

static void test_other_sweep(void **state) {
    (void)state;
    char path[128];
    tmp_path(path, sizeof path, "other.sqlite");
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb__catalogue_spec spec = spec2();
    lmb__catalogue *c = open_ok(ctx, path, &spec, &run_cli);
    lmb_sweep_result r = result(9);
    double v[2] = {1.0, 2.0};
    put_ok(ctx, c, v, &r);
    close_ok(ctx, c, "completed");

    lmb__catalogue_spec other = spec;
    other.fingerprint = FP_NEW;
    open_fails(ctx, path, &other, LMB_ESTATE, path, FP, FP_NEW);
    msg_has(ctx, "another output directory", "remove the file", NULL);

    static const char *const renamed[] = {"electrodes.coating.loading_mg_cm2",
                                          "protocol.rate_mA_cm2"};
    static const int kinds_swapped[] = {1, 1};
    static const char *const three[] = {"electrodes.coating.loading_mg_cm2",
                                        "protocol.current_mA_cm2", "separator.thickness_um"};
    static const int kinds3[] = {0, 1, 0};
    other = spec;
    other.param_names = renamed;
    open_fails(ctx, path, &other, LMB_ESTATE, path, "protocol.rate_mA_cm2", "parameter 1");
    other = spec;
    other.param_is_protocol = kinds_swapped;
    open_fails(ctx, path, &other, LMB_ESTATE, path, "(cell)", "(protocol)");
    other = spec;
    other.n_params = 1;
    open_fails(ctx, path, &other, LMB_ESTATE, path, "more parameters than the sweep's 1", NULL);
    other = spec;
    other.n_params = 3;
    other.param_names = three;
    other.param_is_protocol = kinds3;
    open_fails(ctx, path, &other, LMB_ESTATE, path, "has 2 parameters, the sweep 3", NULL);
    /* the sweep's points must include those present */
    other = spec;
    other.points = 9;
    open_fails(ctx, path, &other, LMB_ESTATE, path, "point 9", "9 points");

    /* none of the refusals wrote anything */
    sqlite3 *db = raw_open(path);
    assert_int_equal(q_count(db, "runs"), 1);
    assert_int_equal(q_count(db, "points"), 1);
    /* a catalogue whose meta lost its fingerprint */
    raw_exec(db, "DELETE FROM meta WHERE key = 'fingerprint'");
    sqlite3_close(db);
    open_fails(ctx, path, &spec, LMB_ESTATE, path, "no fingerprint", NULL);
    lmb_ctx_free(ctx);
}

static void test_not_a_catalogue(void **state) {
    (void)state;
    char path[128], buf[64];
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb__catalogue_spec spec = spec2();

    /* text, and random bytes, are not a database; the file is left as it was */
    tmp_path(path, sizeof path, "garbage.sqlite");
    char junk[4096];
    uint64_t x = 12345;
    for (size_t k = 0; k < sizeof junk; k++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        junk[k] = (char)(x >> 56);
    }
    write_file(path, junk, sizeof junk);
    open_fails(ctx, path, &spec, LMB_EIO, path, "not an SQLite database", NULL);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char back[sizeof junk + 1];
    assert_int_equal(fread(back, 1, sizeof back, f), sizeof junk);
    fclose(f);
    assert_memory_equal(back, junk, sizeof junk);
    tmp_path(path, sizeof path, "text.sqlite");
    const char *text = "point,status\n0,ok\n1,failed\n";
    write_file(path, text, strlen(text));
    open_fails(ctx, path, &spec, LMB_EIO, path, "not an SQLite database", NULL);

    /* another program's database: refused, its journal mode untouched */
    tmp_path(path, sizeof path, "foreign.sqlite");
    sqlite3 *db = raw_open(path);
    raw_exec(db, "CREATE TABLE other(x INTEGER)");
    sqlite3_close(db);
    open_fails(ctx, path, &spec, LMB_ESTATE, path, "not a sweep catalogue", "no table meta");
    db = raw_open(path);
    assert_string_equal(q_text(db, "PRAGMA journal_mode", buf, sizeof buf), "delete");
    sqlite3_close(db);

    /* a catalogue that lost a table */
    tmp_path(path, sizeof path, "partial.sqlite");
    lmb__catalogue *c = open_ok(ctx, path, &spec, &run_cli);
    close_ok(ctx, c, "completed");
    db = raw_open(path);
    raw_exec(db, "DROP TABLE point_log");
    sqlite3_close(db);
    open_fails(ctx, path, &spec, LMB_ESTATE, path, "no table point_log", NULL);

    /* a directory that does not exist */
    tmp_path(path, sizeof path, "missing/sweep.sqlite");
    open_fails(ctx, path, &spec, LMB_EIO, path, "cannot open", NULL);
    /* a directory in place of the file */
    open_fails(ctx, tmpdir, &spec, LMB_EIO, tmpdir, NULL, NULL);
    lmb_ctx_free(ctx);
}

/* ---- arguments ---- */

static void test_open_arguments(void **state) {
    (void)state;
    char path[128];
    tmp_path(path, sizeof path, "args.sqlite");
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb__catalogue_spec spec = spec2();
    lmb__catalogue *c = NULL;

    assert_int_equal(lmb__catalogue_open(ctx, path, &spec, &run_cli, NULL), LMB_EINVAL);
    open_fails(ctx, NULL, &spec, LMB_EINVAL, "no path", NULL, NULL);
    open_fails(ctx, "", &spec, LMB_EINVAL, "no path", NULL, NULL);
    open_fails(ctx, path, NULL, LMB_EINVAL, "no path, spec", NULL, NULL);

    lmb__catalogue_spec bad = spec;
    bad.fingerprint = NULL;
    open_fails(ctx, path, &bad, LMB_EINVAL, path, "no fingerprint", NULL);
    bad.fingerprint = "";
    open_fails(ctx, path, &bad, LMB_EINVAL, path, "no fingerprint", NULL);
    bad = spec;
    bad.points = 0;
    open_fails(ctx, path, &bad, LMB_EINVAL, path, "0 points", NULL);
    bad.points = LMB_SWEEP_MAX_POINTS + 1;
    open_fails(ctx, path, &bad, LMB_EINVAL, path, "100000001 points", NULL);
    bad = spec;
    bad.n_params = -1;
    open_fails(ctx, path, &bad, LMB_EINVAL, path, "-1 parameters", NULL);
    bad.n_params = LMB_SWEEP_MAX_PARAMS + 1;
    open_fails(ctx, path, &bad, LMB_EINVAL, path, "33 parameters", NULL);
    bad = spec;
    bad.param_names = NULL;
    open_fails(ctx, path, &bad, LMB_EINVAL, path, "no names or kinds", NULL);
    bad = spec;
    bad.param_is_protocol = NULL;
    open_fails(ctx, path, &bad, LMB_EINVAL, path, "no names or kinds", NULL);

    static const char *const null_name[] = {"a", NULL};
    static const char *const empty_name[] = {"", "b"};
    static const char *const same_name[] = {"protocol.Rate", "protocol.rate"};
    static const char *const result_name[] = {"a", "Status"};
    static const char *const point_name[] = {"point", "b"};
    bad = spec;
    bad.param_names = null_name;
    open_fails(ctx, path, &bad, LMB_EINVAL, path, "parameter 1 has no name", NULL);
    bad.param_names = empty_name;
    open_fails(ctx, path, &bad, LMB_EINVAL, path, "parameter 0 has no name", NULL);
    bad.param_names = same_name;
    open_fails(ctx, path, &bad, LMB_EINVAL, "\"protocol.Rate\" and \"protocol.rate\"", "case",
               NULL);
    bad.param_names = result_name;
    open_fails(ctx, path, &bad, LMB_EINVAL, "\"Status\"", "result column", NULL);
    bad.param_names = point_name;
    open_fails(ctx, path, &bad, LMB_EINVAL, "\"point\"", "result column", NULL);

    /* none of these made a file; a sweep without parameters is a valid catalogue */
    FILE *f = fopen(path, "rb");
    assert_null(f);
    bad = spec;
    bad.n_params = 0;
    bad.param_names = NULL;
    bad.param_is_protocol = NULL;
    bad.sweep_json = bad.cell = bad.protocol = bad.design = NULL;
    c = open_ok(ctx, path, &bad, NULL);
    lmb_sweep_result r = result(1);
    put_ok(ctx, c, NULL, &r);
    close_ok(ctx, c, "completed");
    sqlite3 *db = raw_open(path);
    assert_true(q_null(db, "SELECT value FROM meta WHERE key = 'cell'"));
    assert_int_equal(q_count(db, "points"), 1);
    sqlite3_close(db);
    lmb_ctx_free(ctx);
}

static void test_put_arguments(void **state) {
    (void)state;
    char path[128];
    tmp_path(path, sizeof path, "put_args.sqlite");
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb__catalogue_spec spec = spec2();
    lmb__catalogue *c = open_ok(ctx, path, &spec, &run_cli);
    double v[2] = {1.0, 2.0};
    lmb_sweep_result r = result(1);

    put_fails(ctx, NULL, v, &r, LMB_EINVAL, "no catalogue", NULL);
    put_fails(ctx, c, v, NULL, LMB_EINVAL, "no catalogue", NULL);
    put_fails(ctx, c, NULL, &r, LMB_EINVAL, "no catalogue", NULL);
    r.point = -1;
    put_fails(ctx, c, v, &r, LMB_EINVAL, path, "point -1 is not one of the sweep's 10");
    r.point = NPTS;
    put_fails(ctx, c, v, &r, LMB_EINVAL, path, "point 10 is not one");
    r = result(1);
    r.status = 3;
    put_fails(ctx, c, v, &r, LMB_EINVAL, path, "status 3");
    r.status = -1;
    put_fails(ctx, c, v, &r, LMB_EINVAL, path, "status -1");
    r = result(1);
    r.end = LMB_RUN_FAILED + 1;
    put_fails(ctx, c, v, &r, LMB_EINVAL, path, "end 4");
    r = result(1);
    r.life_end = -1;
    put_fails(ctx, c, v, &r, LMB_EINVAL, path, "life end -1");
    r.life_end = LMB_SWEEP_LIFE_RETENTION + 1;
    put_fails(ctx, c, v, &r, LMB_EINVAL, path, "life end 3");
    assert_int_equal(lmb__catalogue_count(c), 0);
    assert_int_equal(lmb__catalogue_has(c, 1), 0);
    /* the retention end of life is written by its name */
    r = result(1);
    r.life_end = LMB_SWEEP_LIFE_RETENTION;
    put_ok(ctx, c, v, &r);
    close_ok(ctx, c, "completed");

    sqlite3 *db = raw_open(path);
    char buf[32];
    assert_int_equal(q_count(db, "points"), 1);
    assert_int_equal(q_count(db, "point_log"), 1);
    assert_int_equal(q_int(db, "SELECT computed FROM runs"), 1);
    assert_string_equal(q_text(db, "SELECT life_end FROM points", buf, sizeof buf), "retention");
    sqlite3_close(db);
    lmb_ctx_free(ctx);
}

/* ---- failures inside a point's transaction ---- */

static void test_put_rollback(void **state) {
    (void)state;
    char path[128];
    tmp_path(path, sizeof path, "rollback.sqlite");
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb__catalogue_spec spec = spec2();
    lmb__catalogue *c = open_ok(ctx, path, &spec, &run_cli);
    double v[2] = {1.0, 2.0};
    lmb_sweep_result r = result(0);
    put_ok(ctx, c, v, &r);

    /* triggers, added while the catalogue is open, make each statement of a put fail in turn:
     * the points row (point 1), the point_log row (point 2), the runs update (point 4) */
    sqlite3 *db = raw_open(path);
    raw_exec(db, "CREATE TRIGGER fail_points BEFORE INSERT ON points WHEN NEW.point = 1"
                 " BEGIN SELECT RAISE(ABORT, 'injected points failure'); END;"
                 "CREATE TRIGGER fail_log BEFORE INSERT ON point_log WHEN NEW.point = 2"
                 " BEGIN SELECT RAISE(ABORT, 'injected point_log failure'); END;"
                 "CREATE TRIGGER fail_runs BEFORE UPDATE OF computed ON runs"
                 " WHEN EXISTS (SELECT 1 FROM points WHERE point = 4)"
                 " BEGIN SELECT RAISE(ABORT, 'injected runs failure'); END;");
    const long bad[] = {1, 2, 4};
    const char *const why[] = {"injected points failure", "injected point_log failure",
                               "injected runs failure"};
    for (int k = 0; k < 3; k++) {
        r = result(bad[k]);
        put_fails(ctx, c, v, &r, LMB_EIO, path, why[k]);
        assert_int_equal(lmb__catalogue_has(c, bad[k]), 0);
        assert_int_equal(lmb__catalogue_count(c), 1);
    }
    /* nothing of the failed points was kept, and the catalogue goes on */
    assert_int_equal(q_count(db, "points"), 1);
    assert_int_equal(q_count(db, "point_log"), 1);
    assert_int_equal(q_int(db, "SELECT computed FROM runs"), 1);
    r = result(3);
    put_ok(ctx, c, v, &r);
    assert_int_equal(q_count(db, "points"), 2);
    assert_int_equal(q_int(db, "SELECT computed FROM runs"), 2);

    /* a point written by another process since the open: refused, then known */
    raw_exec(db, "INSERT INTO points(point, status) VALUES(6, 'ok')");
    r = result(6);
    put_fails(ctx, c, v, &r, LMB_ESTATE, path, "point 6 is already in the catalogue");
    assert_int_equal(lmb__catalogue_has(c, 6), 1);
    assert_int_equal(lmb__catalogue_count(c), 3);
    assert_int_equal(q_count(db, "point_log"), 2);
    assert_int_equal(q_int(db, "SELECT computed FROM runs"), 2);

    /* the update of close fails */
    raw_exec(db, "CREATE TRIGGER fail_close BEFORE UPDATE OF finished_utc ON runs"
                 " BEGIN SELECT RAISE(ABORT, 'injected close failure'); END;");
    assert_int_equal(lmb__catalogue_close(ctx, c, "completed"), LMB_EIO);
    msg_has(ctx, path, "injected close failure", NULL);
    char buf[32];
    assert_string_equal(q_text(db, "SELECT status FROM runs", buf, sizeof buf), "running");
    sqlite3_close(db);
    lmb_ctx_free(ctx);
}

/* Another connection holds the write lock: open and put wait, then fail naming the file. */
static void test_locked(void **state) {
    (void)state;
    char path[128];
    tmp_path(path, sizeof path, "locked.sqlite");
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb__catalogue_spec spec = spec2();
    lmb__catalogue *c = open_ok(ctx, path, &spec, &run_cli);
    double v[2] = {1.0, 2.0};

    sqlite3 *db = raw_open(path);
    raw_exec(db, "BEGIN IMMEDIATE");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    lmb_sweep_result r = result(1);
    put_fails(ctx, c, v, &r, LMB_EIO, path, "locked");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double waited = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    print_message("    put waited %.2f s for the lock\n", waited);
    assert_true(waited >= BUSY_S);
    assert_int_equal(lmb__catalogue_has(c, 1), 0);
    open_fails(ctx, path, &spec, LMB_EIO, path, "locked", NULL);
    raw_exec(db, "COMMIT");
    put_ok(ctx, c, v, &r);
    close_ok(ctx, c, "completed");
    assert_int_equal(q_count(db, "runs"), 1);
    assert_int_equal(q_count(db, "points"), 1);
    sqlite3_close(db);
    lmb_ctx_free(ctx);
}

static void test_close(void **state) {
    (void)state;
    char path[128], buf[32];
    tmp_path(path, sizeof path, "close.sqlite");
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    assert_int_equal(lmb__catalogue_close(ctx, NULL, "completed"), LMB_OK);
    lmb__catalogue_spec spec = spec2();

    /* an unknown status: closed and freed all the same, the run left marked running */
    lmb__catalogue *c = open_ok(ctx, path, &spec, &run_cli);
    assert_int_equal(lmb__catalogue_close(ctx, c, "done"), LMB_EINVAL);
    msg_has(ctx, path, "\"done\"", "left marked running");
    c = open_ok(ctx, path, &spec, &run_cli);
    assert_int_equal(lmb__catalogue_close(ctx, c, NULL), LMB_EINVAL);
    msg_has(ctx, path, "(null)", NULL);
    c = open_ok(ctx, path, &spec, &run_cli);
    close_ok(ctx, c, "failed");

    sqlite3 *db = raw_open(path);
    assert_string_equal(q_text(db, "SELECT status FROM runs WHERE run = 1", buf, sizeof buf),
                        "running");
    assert_true(q_null(db, "SELECT finished_utc FROM runs WHERE run = 1"));
    assert_string_equal(q_text(db, "SELECT status FROM runs WHERE run = 2", buf, sizeof buf),
                        "running");
    assert_string_equal(q_text(db, "SELECT status FROM runs WHERE run = 3", buf, sizeof buf),
                        "failed");
    assert_false(q_null(db, "SELECT finished_utc FROM runs WHERE run = 3"));
    sqlite3_close(db);
    lmb_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_and_resume),
        cmocka_unit_test(test_values_and_units),
        cmocka_unit_test(test_nan_is_null),
        cmocka_unit_test(test_quoted_names),
        cmocka_unit_test(test_largest_sweep),
        cmocka_unit_test(test_empty_file_is_new),
        cmocka_unit_test(test_other_sweep),
        cmocka_unit_test(test_not_a_catalogue),
        cmocka_unit_test(test_open_arguments),
        cmocka_unit_test(test_put_arguments),
        cmocka_unit_test(test_put_rollback),
        cmocka_unit_test(test_locked),
        cmocka_unit_test(test_close),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
