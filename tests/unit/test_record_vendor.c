/*
 * test_record_vendor.c - the readers of vendor cycler exports (lmb/record.h: "bdf-csv",
 * "arbin-csv", "maccor-text", "neware-csv", "landt-csv") on every such file of
 * ../shared/data/cycler/ (PROVENANCE.md), on small variants written here (units, durations, a
 * magnitude current, lmb's own BDF labels) and on the error paths (truncated last line, a
 * non-number, a missing column, a header-only file, NUL bytes, a metadata file from a buffer).
 *
 * The expected values come from an independent reading: every file is also read here line by
 * line with fgets and split at its separator with strchr, the row count is the number of
 * non-blank lines after the header that have at least as many fields as the header, and the
 * values of a few rows are converted to SI by hand (Ah * 3600 = C, minutes * 60 = s, h:mm:ss).
 * Both readers go through strtod on the same digits and one multiplication, so they agree
 * exactly; TOL (relative 1e-15) only allows for a compiler contracting x * s + o into one
 * rounding.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, strdup */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lmb/ctx.h"
#include "lmb/record.h"

#include "io/record_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CYC             LMB_SHARED_DIR "/data/cycler/"
#define EIS             LMB_SHARED_DIR "/data/eis/"
#define F_BDF           "bdf_csv__SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv"
#define F_LANDT         "landt_csv__SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv"
#define F_ARBIN_TC      "arbin_csv__beep_2017-05-09_test-TC-contact_CH33.csv"
#define F_ARBIN_TC_META "arbin_csv__beep_2017-05-09_test-TC-contact_CH33_Metadata.csv"
#define F_ARBIN_FC      "arbin_csv__beep_FastCharge_000025_CH8.csv"
#define F_ARBIN_FC_META "arbin_csv__beep_FastCharge_000025_CH8_Metadata.csv"
#define F_MACCOR1       "maccor_text__beep_PreDiag_000229_000229_truncated.034"
#define F_MACCOR2       "maccor_text__cellpy_maccor_two.txt"
#define F_NEWARE        "neware_csv__cellpy_neware_uio.csv"
#define TOL             1e-15
#define LINE_MAX_T      65536

static char tmpdir[64];

/* ---- helpers ---- */

static void near(double got, double want, const char *what, const char *file, size_t row) {
    if (!(fabs(got - want) <= TOL * fabs(want)))
        fail_msg("%s: %s row %zu: %.17g, expected %.17g", file, what, row, got, want);
}

static char *slurp(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot open %s", path);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    long n = ftell(fp);
    assert_true(n > 0);
    rewind(fp);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
    b[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return b;
}

static const char *tmp_path(const char *name) {
    static char paths[16][160];
    static int next = 0;
    char *p = paths[next++ % 16];
    snprintf(p, 160, "%s/%s", tmpdir, name);
    return p;
}

static const char *write_tmp(const char *name, const char *data, size_t len) {
    const char *p = tmp_path(name);
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    return p;
}

static lmb_record *load_ok(lmb_ctx *ctx, const char *path) {
    lmb_record *r = NULL;
    lmb_status st = lmb_record_load(ctx, path, &r);
    if (st != LMB_OK)
        fail_msg("%s: %s", path, lmb_ctx_errmsg(ctx));
    return r;
}

/* Loads a file that must fail with status want; the message must name the file and hold each
 * of the texts given (NULL-terminated). */
static void load_fails(lmb_ctx *ctx, const char *path, lmb_status want, ...) {
    lmb_record *r = NULL;
    lmb_status st = lmb_record_load(ctx, path, &r);
    assert_null(r);
    const char *msg = lmb_ctx_errmsg(ctx);
    if (st != want)
        fail_msg("%s: status %d, expected %d (%s)", path, (int)st, (int)want, msg);
    if (!strstr(msg, path))
        fail_msg("the message does not name the file %s: %s", path, msg);
    va_list ap;
    va_start(ap, want);
    const char *s;
    while ((s = va_arg(ap, const char *)) != NULL)
        if (!strstr(msg, s))
            fail_msg("the message lacks \"%s\": %s", s, msg);
    va_end(ap);
}

static int has_note(const lmb_record *r, const char *text) {
    for (size_t i = 0; i < lmb_record_note_count(r); i++)
        if (strstr(lmb_record_note(r, i), text))
            return 1;
    return 0;
}

/* ---- the independent reading: fgets, and fields split with strchr ---- */

typedef struct tab {
    char sep;
    char *header;
    int n_head;
    char **rows; /* the data lines with at least n_head fields, without their line end */
    size_t n, cap;
    size_t n_short; /* non-blank lines after the header with fewer fields */
} tab;

static int count_fields(const char *s, char sep) {
    int n = 1;
    for (; *s; s++)
        n += *s == sep;
    return n;
}

static int blank_line(const char *s, char sep) {
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != sep)
            return 0;
    return 1;
}

static void chomp(char *s) {
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

static tab tab_read(const char *path, char sep, int header_line) {
    tab t;
    memset(&t, 0, sizeof t);
    t.sep = sep;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot open %s", path);
    static char line[LINE_MAX_T];
    int ln = 0;
    while (fgets(line, sizeof line, fp)) {
        ln++;
        chomp(line);
        if (ln < header_line)
            continue;
        if (ln == header_line) {
            t.header = strdup(line);
            t.n_head = count_fields(line, sep);
            continue;
        }
        if (blank_line(line, sep))
            continue;
        if (count_fields(line, sep) < t.n_head) {
            t.n_short++;
            continue;
        }
        if (t.n == t.cap) {
            t.cap = t.cap ? 2 * t.cap : 1024;
            t.rows = realloc(t.rows, t.cap * sizeof *t.rows);
            assert_non_null(t.rows);
        }
        t.rows[t.n++] = strdup(line);
    }
    fclose(fp);
    assert_non_null(t.header);
    return t;
}

static void tab_free(tab *t) {
    for (size_t i = 0; i < t->n; i++)
        free(t->rows[i]);
    free(t->rows);
    free(t->header);
}

/* Copies field k (from 0) of line into out. */
static void field(const char *line, char sep, int k, char *out, size_t cap) {
    const char *s = line;
    for (int i = 0; i < k; i++) {
        s = strchr(s, sep);
        if (!s)
            fail_msg("no field %d in \"%.80s\"", k, line);
        s++;
    }
    const char *e = strchr(s, sep);
    size_t n = e ? (size_t)(e - s) : strlen(s);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

static int col_index(const tab *t, const char *name) {
    char f[256];
    for (int k = 0; k < t->n_head; k++) {
        field(t->header, t->sep, k, f, sizeof f);
        if (strcmp(f, name) == 0)
            return k;
    }
    fail_msg("no column \"%s\" in %.100s", name, t->header);
    return -1;
}

static double num(const char *line, char sep, int k, int decimal_comma) {
    char f[128];
    field(line, sep, k, f, sizeof f);
    if (decimal_comma)
        for (char *p = f; *p; p++)
            if (*p == ',')
                *p = '.';
    char *end = NULL;
    double x = strtod(f, &end);
    if (end == f || *end != '\0')
        fail_msg("\"%s\" is not a number", f);
    return x;
}

static double hms(const char *line, char sep, int k) {
    char f[64];
    field(line, sep, k, f, sizeof f);
    int h, m, s;
    if (sscanf(f, "%d:%d:%d", &h, &m, &s) != 3)
        fail_msg("\"%s\" is not h:mm:ss", f);
    return h * 3600.0 + m * 60.0 + s;
}

/* ---- every file of a format: rows and values against the independent reading ---- */

typedef struct spec {
    const char *file, *format;
    char sep;
    int header_line, decimal_comma;
    const char *time, *volt, *cur, *cap, *state; /* column names in the file */
    double time_scale;                           /* to s; 0: h:mm:ss */
    lmb_rec_col cap_col;                         /* LMB_REC_N_COLS: by the Maccor State */
    size_t rows, short_rows;                     /* as counted independently (PROVENANCE.md) */
} spec;

static const spec specs[] = {
    {F_BDF, "bdf-csv", ',', 1, 0, "test_time_second", "voltage_volt", "current_ampere",
     "discharging_capacity_ah", NULL, 1.0, LMB_REC_DISCHARGE_CAPACITY, 25162, 0},
    {F_LANDT, "landt-csv", ',', 7, 0, "test_time_s", "voltage_V", "current_A", "charge_capacity_Ah",
     NULL, 1.0, LMB_REC_CHARGE_CAPACITY, 25162, 0},
    {F_ARBIN_TC, "arbin-csv", ',', 1, 0, "Test_Time", "Voltage", "Current", "Charge_Capacity", NULL,
     1.0, LMB_REC_CHARGE_CAPACITY, 287, 0},
    {F_ARBIN_FC, "arbin-csv", ',', 1, 0, "Test_Time", "Voltage", "Current", "Discharge_Capacity",
     NULL, 1.0, LMB_REC_DISCHARGE_CAPACITY, 248, 0},
    {F_MACCOR1, "maccor-text", '\t', 2, 0, "Test (Sec)", "Volts", "Amps", "Amp-hr", "State", 1.0,
     LMB_REC_N_COLS, 4061, 0},
    /* TestTime is in minutes: the DPT Time wall clock advances 60 s per unit (checked on rows
     * 1 and 2 by hand: 11:23:46, 11:24:46 against 0 and 1); the last line is cut after 9 of 28
     * fields and dropped */
    {F_MACCOR2, "maccor-text", '\t', 14, 1, "TestTime", "Voltage [V]", "Current [A]", "Cap. [Ah]",
     "Md", 60.0, LMB_REC_N_COLS, 213, 1},
    /* PROVENANCE.md says 9,064 rows: the file has DataPoint 1 to 9065 and no final newline */
    {F_NEWARE, "neware-csv", ',', 1, 0, "Cumulative Time", "Voltage(V)", "Current(A)",
     "DChg. Cap.(Ah)", NULL, 0.0, LMB_REC_DISCHARGE_CAPACITY, 9065, 0},
};

static void check_spec(lmb_ctx *ctx, const spec *s) {
    char path[512];
    snprintf(path, sizeof path, "%s%s", CYC, s->file);
    tab t = tab_read(path, s->sep, s->header_line);
    assert_int_equal(t.n, s->rows);
    assert_int_equal(t.n_short, s->short_rows);
    lmb_record *r = load_ok(ctx, path);
    assert_string_equal(lmb_record_format(r), s->format);
    assert_int_equal(lmb_record_rows(r), t.n);
    int ct = col_index(&t, s->time), cv = col_index(&t, s->volt), ci = col_index(&t, s->cur);
    int cq = col_index(&t, s->cap), cs = s->state ? col_index(&t, s->state) : -1;
    const double *T = lmb_record_column(r, LMB_REC_TIME),
                 *V = lmb_record_column(r, LMB_REC_VOLTAGE);
    const double *I = lmb_record_column(r, LMB_REC_CURRENT);
    assert_non_null(T);
    assert_non_null(V);
    assert_non_null(I);
    size_t n = t.n, rows[] = {0, n / 4, n / 2, 3 * n / 4, n - 1};
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        size_t i = rows[k];
        const char *line = t.rows[i];
        double tt = s->time_scale > 0.0 ? num(line, s->sep, ct, s->decimal_comma) * s->time_scale
                                        : hms(line, s->sep, ct);
        near(T[i], tt, "time", s->file, i);
        near(V[i], num(line, s->sep, cv, s->decimal_comma), "voltage", s->file, i);
        near(I[i], num(line, s->sep, ci, s->decimal_comma), "current", s->file, i);
        double q = num(line, s->sep, cq, s->decimal_comma) * 3600.0;
        if (s->cap_col != LMB_REC_N_COLS) {
            near(lmb_record_column(r, s->cap_col)[i], q, s->cap, s->file, i);
        } else { /* Maccor: the per-step counter goes where the State says */
            char st[8];
            field(line, s->sep, cs, st, sizeof st);
            const double *qc = lmb_record_column(r, LMB_REC_CHARGE_CAPACITY);
            const double *qd = lmb_record_column(r, LMB_REC_DISCHARGE_CAPACITY);
            near(qc[i], st[0] == 'D' ? 0.0 : q, "charging capacity", s->file, i);
            near(qd[i], st[0] == 'C' ? 0.0 : q, "discharging capacity", s->file, i);
        }
    }
    lmb_record_free(r);
    tab_free(&t);
}

static void test_bdf_file(void **state) {
    check_spec(*state, &specs[0]);
}
static void test_landt_file(void **state) {
    check_spec(*state, &specs[1]);
}
static void test_arbin_files(void **state) {
    check_spec(*state, &specs[2]);
    check_spec(*state, &specs[3]);
}
static void test_maccor_files(void **state) {
    check_spec(*state, &specs[4]);
    check_spec(*state, &specs[5]);
    lmb_record *r = load_ok(*state, CYC F_MACCOR2);
    assert_true(has_note(r, "read as minutes"));
    assert_true(has_note(r, "line 229, the last"));
    assert_true(has_note(r, "Cycle P"));
    assert_null(lmb_record_column(r, LMB_REC_CYCLE_INDEX)); /* Cycle P/C are not defined */
    lmb_record_free(r);
}
static void test_neware_file(void **state) {
    check_spec(*state, &specs[6]);
}

/* ---- the sign of the current, row by row against what the file says the row is ---- */

/* For every row: the record's current has the file's value, and its sign is the direction the
 * row's step name or State gives (dir_of: +1 charge, -1 discharge, 0 no claim). */
static void check_sign(lmb_ctx *ctx, const char *file, char sep, int header_line, const char *cur,
                       const char *kind, int (*dir_of)(const char *), size_t want_charge,
                       size_t want_discharge) {
    char path[512];
    snprintf(path, sizeof path, "%s%s", CYC, file);
    tab t = tab_read(path, sep, header_line);
    lmb_record *r = load_ok(ctx, path);
    assert_int_equal(lmb_record_rows(r), t.n);
    const double *I = lmb_record_column(r, LMB_REC_CURRENT);
    int ci = col_index(&t, cur), ck = col_index(&t, kind);
    size_t nc = 0, nd = 0;
    for (size_t i = 0; i < t.n; i++) {
        char k[64];
        field(t.rows[i], sep, ck, k, sizeof k);
        double x = num(t.rows[i], sep, ci, 0);
        near(I[i], x, "current", file, i);
        int d = dir_of(k);
        if (d > 0) {
            nc++;
            if (!(I[i] > 0.0))
                fail_msg("%s row %zu: %s \"%s\" but current %g", file, i, kind, k, I[i]);
        } else if (d < 0) {
            nd++;
            if (!(I[i] < 0.0))
                fail_msg("%s row %zu: %s \"%s\" but current %g", file, i, kind, k, I[i]);
        }
    }
    assert_int_equal(nc, want_charge);
    assert_int_equal(nd, want_discharge);
    assert_true(has_note(r, "agree that positive current charges the cell") ||
                has_note(r, "written signed"));
    lmb_record_free(r);
    tab_free(&t);
}

static int landt_dir(const char *s) {
    return strncmp(s, "discharge", 9) == 0 ? -1 : strncmp(s, "charge", 6) == 0 ? 1 : 0;
}
static int neware_dir(const char *s) {
    return strstr(s, "DChg") ? -1 : strstr(s, "Chg") ? 1 : 0;
}
static int maccor_dir(const char *s) {
    return strcmp(s, "D") == 0 ? -1 : strcmp(s, "C") == 0 ? 1 : 0;
}

static void test_current_sign(void **state) {
    lmb_ctx *ctx = *state;
    check_sign(ctx, F_LANDT, ',', 7, "current_A", "step_name", landt_dir, 6417, 15864);
    check_sign(ctx, F_NEWARE, ',', 1, "Current(A)", "Step Type", neware_dir, 3409, 4667);
    check_sign(ctx, F_MACCOR1, '\t', 2, "Amps", "State", maccor_dir, 2183, 1453);
    /* Arbin: every row of the TC-contact file charges (Charge_Capacity grows, I > 0) */
    lmb_record *r = load_ok(ctx, CYC F_ARBIN_TC);
    const double *I = lmb_record_column(r, LMB_REC_CURRENT);
    for (size_t i = 0; i < lmb_record_rows(r); i++)
        assert_true(I[i] > 0.0);
    assert_true(has_note(r, "206 rows agree"));
    lmb_record_free(r);
}

/* ---- the BDF reference file against its Landt raw export ---- */

static void test_bdf_vs_landt(void **state) {
    lmb_ctx *ctx = *state;
    lmb_record *b = load_ok(ctx, CYC F_BDF), *l = load_ok(ctx, CYC F_LANDT);
    size_t n = lmb_record_rows(b);
    assert_int_equal(lmb_record_rows(l), n);
    /* the same rows: time, voltage, current, step index, both capacities equal; BDF's ambient
     * temperature is Landt's temperature_1 (0 degC throughout: no sensor) */
    static const lmb_rec_col same[] = {
        LMB_REC_TIME,       LMB_REC_VOLTAGE,         LMB_REC_CURRENT,
        LMB_REC_STEP_INDEX, LMB_REC_CHARGE_CAPACITY, LMB_REC_DISCHARGE_CAPACITY,
        LMB_REC_TEMPERATURE};
    for (size_t k = 0; k < sizeof same / sizeof same[0]; k++) {
        const double *x = lmb_record_column(b, same[k]), *y = lmb_record_column(l, same[k]);
        assert_non_null(x);
        assert_non_null(y);
        for (size_t i = 0; i < n; i++)
            if (x[i] != y[i])
                fail_msg("%s row %zu: BDF %.17g, Landt %.17g", lmb_record_label(same[k]), i, x[i],
                         y[i]);
    }
    /* the BDF file leaves out what Landt has besides */
    assert_null(lmb_record_column(b, LMB_REC_CYCLE_INDEX));
    assert_non_null(lmb_record_column(l, LMB_REC_CYCLE_INDEX));
    assert_non_null(lmb_record_column(l, LMB_REC_DISCHARGE_ENERGY));
    assert_true(lmb_record_nominal_capacity(l) == 0.0); /* the header's value is empty */
    lmb_record_free(b);
    lmb_record_free(l);
}

/* ---- Arbin's metadata side file ---- */

static void copy_file(const char *from, const char *to_name) {
    size_t len;
    char *b = slurp(from, &len);
    write_tmp(to_name, b, len);
    free(b);
}

static void test_arbin_metadata(void **state) {
    lmb_ctx *ctx = *state;
    /* beside the data file: its schedule and start are noted */
    lmb_record *r = load_ok(ctx, CYC F_ARBIN_FC);
    assert_true(has_note(r, "20170512-4_4C-80PER_4_4C.SDU"));
    assert_true(has_note(r, "first start 1494645214 s"));
    lmb_record_free(r);
    /* the metadata file given: the data beside it are read, and the same rows come out */
    static const char *const pairs[2][2] = {{F_ARBIN_FC, F_ARBIN_FC_META},
                                            {F_ARBIN_TC, F_ARBIN_TC_META}};
    for (int k = 0; k < 2; k++) {
        char dp[512], mp[512];
        snprintf(dp, sizeof dp, "%s%s", CYC, pairs[k][0]);
        snprintf(mp, sizeof mp, "%s%s", CYC, pairs[k][1]);
        lmb_record *d = load_ok(ctx, dp), *m = load_ok(ctx, mp);
        assert_string_equal(lmb_record_format(m), "arbin-csv");
        assert_int_equal(lmb_record_rows(m), lmb_record_rows(d));
        assert_true(has_note(m, "the data were read from"));
        assert_true(has_note(m, pairs[k][0]));
        const double *a = lmb_record_column(d, LMB_REC_VOLTAGE),
                     *b = lmb_record_column(m, LMB_REC_VOLTAGE);
        for (size_t i = 0; i < lmb_record_rows(d); i++)
            assert_true(a[i] == b[i]);
        lmb_record_free(d);
        lmb_record_free(m);
    }
    /* copies: a data file without metadata has no note; metadata without its data file fails */
    copy_file(CYC F_ARBIN_TC, "run_CH1.csv");
    r = load_ok(ctx, tmp_path("run_CH1.csv"));
    assert_false(has_note(r, "Arbin metadata"));
    lmb_record_free(r);
    copy_file(CYC F_ARBIN_TC_META, "run_CH1_Metadata.csv");
    r = load_ok(ctx, tmp_path("run_CH1.csv"));
    assert_true(has_note(r, "20170509-6C_1C_36CV.sdu"));
    lmb_record_free(r);
    copy_file(CYC F_ARBIN_TC_META, "lone_Metadata.csv");
    load_fails(ctx, tmp_path("lone_Metadata.csv"), LMB_EIO, "lone.csv", NULL);
    /* from a buffer there is nothing beside it */
    size_t len;
    char *b = slurp(CYC F_ARBIN_TC_META, &len);
    lmb_record *x = NULL;
    assert_int_equal(lmb_record_read_buffer(ctx, "meta-buffer", b, len, &x), LMB_EPARSE);
    assert_null(x);
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "meta-buffer"));
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "metadata file"));
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "holds no data"));
    free(b);
}

/* ---- detection from content ---- */

static const char *const all_files[] = {
    CYC F_BDF,
    CYC F_LANDT,
    CYC F_ARBIN_TC,
    CYC F_ARBIN_TC_META,
    CYC F_ARBIN_FC,
    CYC F_ARBIN_FC_META,
    CYC F_MACCOR1,
    CYC F_MACCOR2,
    CYC F_NEWARE,
    CYC "biologic_LiLi_symm_settings__insitu.mps",
    CYC "biologic_gcpl_LiLi_symm_plating__insitu.mpr",
    CYC "biologic_gcpl_LiLi_symm_time_Ewe_export__insitu.txt",
    CYC "biologic_gcpl_NaCoO2_coin_5cyc__datalab.mpr",
    CYC "biologic_mb_gcpl_eis_halfcell__cellpy.mpr",
    EIS "biologic_geis_LiLi_symm_45spectra__insitu.mpr",
    EIS "biologic_peis_LSC_thinfilm__impedancepy.mpt",
    EIS "eis_liion_f_re_im__impedancepy.csv",
    EIS "eis_LIB_f_re_im__pyDRTtools.txt",
    EIS "eis_LIB_f_re_im__pyDRTtools_data_1.csv",
};
/* the format each file is, among the five (NULL: none of them) */
static const char *const all_formats[] = {
    "bdf-csv",     "landt-csv",  "arbin-csv", "arbin-csv", "arbin-csv", "arbin-csv", "maccor-text",
    "maccor-text", "neware-csv", NULL,        NULL,        NULL,        NULL,        NULL,
    NULL,          NULL,         NULL,        NULL,        NULL};
static const char *const mine[] = {"bdf-csv", "arbin-csv", "maccor-text", "neware-csv",
                                   "landt-csv"};

static void test_detection(void **state) {
    lmb_ctx *ctx = *state;
    assert_int_equal(sizeof all_files / sizeof all_files[0],
                     sizeof all_formats / sizeof all_formats[0]);
    /* each detector claims its own files and no other file */
    for (size_t f = 0; f < sizeof all_files / sizeof all_files[0]; f++) {
        size_t len;
        char *b = slurp(all_files[f], &len);
        for (size_t k = 0; k < 5; k++) {
            const lmb__record_reader *rd = lmb__record_reader_find(mine[k]);
            assert_non_null(rd);
            int want = all_formats[f] && strcmp(all_formats[f], mine[k]) == 0;
            if (rd->detect(b, len) != want)
                fail_msg("%s: detector %s says %d", all_files[f], mine[k], !want);
        }
        free(b);
    }
    /* a copy with a wrong extension is read by its content */
    static const struct {
        const char *file, *name, *format;
    } copies[] = {{CYC F_BDF, "a.dat", "bdf-csv"},         {CYC F_LANDT, "b.dat", "landt-csv"},
                  {CYC F_ARBIN_FC, "c.dat", "arbin-csv"},  {CYC F_MACCOR1, "d.dat", "maccor-text"},
                  {CYC F_MACCOR2, "e.csv", "maccor-text"}, {CYC F_NEWARE, "f.txt", "neware-csv"}};
    for (size_t k = 0; k < sizeof copies / sizeof copies[0]; k++) {
        copy_file(copies[k].file, copies[k].name);
        lmb_record *r = load_ok(ctx, tmp_path(copies[k].name));
        assert_string_equal(lmb_record_format(r), copies[k].format);
        assert_true(lmb_record_rows(r) > 100);
        lmb_record_free(r);
    }
}

/* ---- error paths, on small files made from the real ones ---- */

/* The first n lines of a file (with their line ends). */
static char *head_lines(const char *path, int n, size_t *len) {
    size_t all;
    char *b = slurp(path, &all);
    size_t k = 0;
    for (int i = 0; i < n && k < all; i++) {
        const char *nl = memchr(b + k, '\n', all - k);
        k = nl ? (size_t)(nl - b) + 1 : all;
    }
    b[k] = '\0';
    *len = k;
    return b;
}

/* Replaces field k of line number ln (from 1) of text by repl; returns a new string. */
static char *edit_field(const char *text, char sep, int ln, int k, const char *repl) {
    const char *s = text;
    for (int i = 1; i < ln; i++) {
        s = strchr(s, '\n');
        assert_non_null(s);
        s++;
    }
    for (int i = 0; i < k; i++) {
        s = strchr(s, sep);
        assert_non_null(s);
        s++;
    }
    const char *e = s;
    while (*e && *e != sep && *e != '\n' && *e != '\r')
        e++;
    size_t a = (size_t)(s - text), rl = strlen(repl), bl = strlen(e);
    char *out = malloc(a + rl + bl + 1);
    assert_non_null(out);
    memcpy(out, text, a);
    memcpy(out + a, repl, rl);
    memcpy(out + a + rl, e, bl + 1);
    return out;
}

typedef struct err_spec {
    const char *file, *tag;
    char sep;
    int header_line;
    const char *volt, *cur; /* column names */
} err_spec;

static const err_spec err_specs[] = {
    {F_BDF, "bdf", ',', 1, "voltage_volt", "current_ampere"},
    {F_LANDT, "landt", ',', 7, "voltage_V", "current_A"},
    {F_ARBIN_TC, "arbin", ',', 1, "Voltage", "Current"},
    {F_MACCOR1, "maccor1", '\t', 2, "Volts", "Amps"},
    {F_MACCOR2, "maccor2", '\t', 14, "Voltage [V]", "Current [A]"},
    {F_NEWARE, "neware", ',', 1, "Voltage(V)", "Current(A)"},
};

static void test_errors(void **state) {
    lmb_ctx *ctx = *state;
    for (size_t s = 0; s < sizeof err_specs / sizeof err_specs[0]; s++) {
        const err_spec *e = &err_specs[s];
        char path[512], name[64], where[32];
        snprintf(path, sizeof path, "%s%s", CYC, e->file);
        tab t = tab_read(path, e->sep, e->header_line);
        int cv = col_index(&t, e->volt), ci = col_index(&t, e->cur);
        tab_free(&t);
        /* maccor_two has a blank line after its header */
        int first = e->header_line + (strcmp(e->tag, "maccor2") == 0 ? 2 : 1);
        int nl = first + 3; /* four data rows */
        size_t len;
        char *text = head_lines(path, nl, &len);

        /* a truncated last line: cut after its third field, no line end */
        char *cut = strdup(text);
        char *last = cut + len - 1;
        while (last > cut && last[-1] != '\n')
            last--;
        for (int f = 0; f < 3; f++)
            last = strchr(last, e->sep) + 1;
        *last = '\0';
        snprintf(name, sizeof name, "%s_truncated.x", e->tag);
        snprintf(where, sizeof where, ":%d:", nl);
        load_fails(ctx, write_tmp(name, cut, strlen(cut)), LMB_EPARSE, where, "truncated", NULL);
        free(cut);

        /* a non-number in the voltage column of the second data row */
        char *bad = edit_field(text, e->sep, first + 1, cv, "3.3x");
        snprintf(name, sizeof name, "%s_nonnumber.x", e->tag);
        snprintf(where, sizeof where, ":%d:", first + 1);
        load_fails(ctx, write_tmp(name, bad, strlen(bad)), LMB_EPARSE, where, e->volt, "3.3x",
                   "not a number", NULL);
        free(bad);

        /* the current column renamed: missing */
        char *nocur = edit_field(text, e->sep, e->header_line, ci, "Foo");
        snprintf(name, sizeof name, "%s_nocurrent.x", e->tag);
        snprintf(where, sizeof where, ":%d:", e->header_line);
        load_fails(ctx, write_tmp(name, nocur, strlen(nocur)), LMB_EPARSE, where, "no current",
                   NULL);
        free(nocur);

        /* only the header */
        char *ho = head_lines(path, e->header_line, &len);
        snprintf(name, sizeof name, "%s_header_only.x", e->tag);
        snprintf(where, sizeof where, ":%d", e->header_line);
        load_fails(ctx, write_tmp(name, ho, len), LMB_EPARSE, "no data rows", where, NULL);
        free(ho);
        free(text);
    }
}

static void test_binary_and_range(void **state) {
    lmb_ctx *ctx = *state;
    size_t len;
    char *b = slurp(CYC F_BDF, &len);
    /* a NUL far into the file: the detector (first 64 KiB) says BDF, the reader refuses */
    size_t at = len / 2;
    b[at] = '\0';
    size_t line = 1;
    for (size_t i = 0; i < at; i++)
        line += b[i] == '\n';
    char where[32];
    snprintf(where, sizeof where, ":%zu:", line);
    load_fails(ctx, write_tmp("nul_late.csv", b, len), LMB_EPARSE, where, "binary content", NULL);
    /* a NUL in the first line: no vendor detector claims it */
    b[at] = '0';
    b[5] = '\0';
    for (size_t k = 0; k < 5; k++)
        assert_int_equal(lmb__record_reader_find(mine[k])->detect(b, len), 0);
    free(b);
    /* a value that overflows in SI units, and one that is "inf" */
    static const char big[] = "Test Time / s,Voltage / V,Current / A\n0,3.1,1e308\n1,3.2,0\n";
    lmb_record *r = NULL;
    assert_int_equal(lmb_record_read_buffer(ctx, "big.csv", big, sizeof big - 1, &r), LMB_OK);
    lmb_record_free(r);
    static const char over[] = "test_time_hour,voltage_volt,current_ampere\n1e306,3.1,1\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "over.csv", over, sizeof over - 1, &r),
                     LMB_ERANGE);
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "over.csv:2:"));
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "test_time_hour"));
    static const char inf[] = "Test Time / s,Voltage / V,Current / A\n0,inf,1\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "inf.csv", inf, sizeof inf - 1, &r), LMB_ERANGE);
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "inf.csv:2:"));
}

/* ---- BDF: lmb's own labels round-trip, machine names and units ---- */

static void test_bdf_labels(void **state) {
    lmb_ctx *ctx = *state;
    /* every label lmb_record_label gives, with values written as lmb would write them */
    char text[4096];
    size_t k = 0;
    for (int c = 0; c < LMB_REC_N_COLS; c++)
        k += (size_t)snprintf(text + k, sizeof text - k, "%s%s", c ? "," : "",
                              lmb_record_label((lmb_rec_col)c));
    text[k++] = '\n';
    double si[2][LMB_REC_N_COLS];
    for (int row = 0; row < 2; row++) {
        for (int c = 0; c < LMB_REC_N_COLS; c++) {
            si[row][c] = (c + 1) * 1.25 + row * 1000.0;
            double w = si[row][c] * lmb_record_bdf_scale((lmb_rec_col)c) +
                       lmb_record_bdf_offset((lmb_rec_col)c);
            k += (size_t)snprintf(text + k, sizeof text - k, "%s%.17g", c ? "," : "", w);
        }
        text[k++] = '\n';
    }
    lmb_record *r = NULL;
    assert_int_equal(lmb_record_read_buffer(ctx, "labels.bdf.csv", text, k, &r), LMB_OK);
    assert_string_equal(lmb_record_format(r), "bdf-csv");
    assert_int_equal(lmb_record_rows(r), 2);
    for (int c = 0; c < LMB_REC_N_COLS; c++) {
        const double *v = lmb_record_column(r, (lmb_rec_col)c);
        if (!v)
            fail_msg("label %s not read back", lmb_record_label((lmb_rec_col)c));
        for (int row = 0; row < 2; row++)
            assert_true(fabs(v[row] - si[row][c]) <= 1e-12 * fabs(si[row][c]));
    }
    assert_false(has_note(r, "not read"));
    lmb_record_free(r);

    /* lmb's simulator output: Step Count is the step index */
    static const char sim[] = "Test Time / s,Voltage / V,Current / A,Step Count / 1,Cycle Count "
                              "/ 1\n0,3.5,-0.001,1,1\n10,3.4,-0.001,2,1\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "sim.csv", sim, sizeof sim - 1, &r), LMB_OK);
    assert_true(lmb_record_column(r, LMB_REC_STEP_INDEX)[1] == 2.0);
    assert_true(lmb_record_column(r, LMB_REC_CYCLE_INDEX)[1] == 1.0);
    assert_true(has_note(r, "Step Count"));
    lmb_record_free(r);

    /* machine names in other units: ms, mA, mAh, mWh, degC; an unknown column is noted */
    static const char mach[] = "test_time_millisecond,voltage_volt,current_milliampere,"
                               "charging_capacity_milliampere_hour,discharging_energy_mwh,"
                               "temperature_celsius,foo_bar\n1500,3.7,250,2.5,4,25,x\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "mach.csv", mach, sizeof mach - 1, &r), LMB_OK);
    assert_true(lmb_record_column(r, LMB_REC_TIME)[0] == 1.5);
    assert_true(fabs(lmb_record_column(r, LMB_REC_CURRENT)[0] - 0.25) < 1e-15);
    assert_true(fabs(lmb_record_column(r, LMB_REC_CHARGE_CAPACITY)[0] - 9.0) < 1e-12);
    assert_true(fabs(lmb_record_column(r, LMB_REC_DISCHARGE_ENERGY)[0] - 14.4) < 1e-12);
    assert_true(fabs(lmb_record_column(r, LMB_REC_TEMPERATURE)[0] - 298.15) < 1e-12);
    assert_true(has_note(r, "\"foo_bar\""));
    lmb_record_free(r);

    /* short machine-name units are BDF, not Landt (whose header follows a key:value block) */
    static const char shortn[] = "test_time_s,voltage_v,current_a\n0,3.1,0.5\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "short.csv", shortn, sizeof shortn - 1, &r),
                     LMB_OK);
    assert_string_equal(lmb_record_format(r), "bdf-csv");
    assert_true(lmb_record_column(r, LMB_REC_CURRENT)[0] == 0.5);
    lmb_record_free(r);

    /* an empty voltage cell is NaN (noted); an empty time cell is an error */
    static const char gap[] = "Test Time / s,Voltage / V,Current / A\n0,,1\n1,3.2,1\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "gap.csv", gap, sizeof gap - 1, &r), LMB_OK);
    assert_true(isnan(lmb_record_column(r, LMB_REC_VOLTAGE)[0]));
    assert_true(has_note(r, "1 empty cell"));
    lmb_record_free(r);
    static const char notime[] = "Test Time / s,Voltage / V,Current / A\n0,3.1,1\n,3.2,1\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "notime.csv", notime, sizeof notime - 1, &r),
                     LMB_EPARSE);
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "notime.csv:3:"));
    /* two columns of one quantity are ambiguous */
    static const char two[] = "Test Time / s,Voltage / V,voltage_volt,Current / A\n0,3,3,1\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "two.csv", two, sizeof two - 1, &r), LMB_EPARSE);
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "ambiguous"));
    /* a unit that is not the quantity's: the column is not the voltage, which is then missing */
    static const char unit[] = "Test Time / s,Voltage / V,Current / degC\n0,3,1\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "unit.csv", unit, sizeof unit - 1, &r),
                     LMB_EPARSE);
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "no current"));
}

/* ---- vendor variants ---- */

static void test_variants(void **state) {
    lmb_ctx *ctx = *state;
    lmb_record *r = NULL;
    /* Neware: mA, mAh, durations with days and fractions, quoted fields, CRLF */
    static const char nw[] =
        "\xEF\xBB\xBF"
        "DataPoint,Step Type,Total Time,Current(mA),Voltage(V),Chg. Cap.(mAh),DChg. Cap.(mAh),"
        "Note\r\n"
        "1,\"CC Chg\",1-02:03:04.5,250,3.5,1.5,0,\"a, b\"\r\n"
        "2,CC DChg,26:03:05,-250,3.4,0,0.25,x\r\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "nw.csv", nw, sizeof nw - 1, &r), LMB_OK);
    assert_string_equal(lmb_record_format(r), "neware-csv");
    assert_true(lmb_record_column(r, LMB_REC_TIME)[0] == 93784.5);
    assert_true(lmb_record_column(r, LMB_REC_TIME)[1] == 93785.0);
    assert_true(fabs(lmb_record_column(r, LMB_REC_CURRENT)[1] + 0.25) < 1e-15);
    assert_true(fabs(lmb_record_column(r, LMB_REC_CHARGE_CAPACITY)[0] - 5.4) < 1e-12);
    lmb_record_free(r);
    /* Neware with the other sign convention: negated; with both: an error */
    static const char nwf[] = "DataPoint,Step Type,Total Time,Current(A),Voltage(V)\n"
                              "1,CC Chg,0:00:00,-1,3.5\n2,CC DChg,0:00:01,1,3.4\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "nwf.csv", nwf, sizeof nwf - 1, &r), LMB_OK);
    assert_true(lmb_record_column(r, LMB_REC_CURRENT)[0] == 1.0);
    assert_true(has_note(r, "negated"));
    lmb_record_free(r);
    /* Neware whose "Step Type" is inside a quoted name: the detector (which does not read
     * quotes) sees it, the table has no such column (found by fuzz_record_neware, which read
     * field -1): loaded, the current kept as written with nothing to check its sign against */
    static const char nwn[] = "DataPoint,\"q,Step Type,q\",Total Time,Current(A),Voltage(V)\n"
                              "1,a,0:00:00,1,3.5\n2,b,0:00:01,-1,3.4\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "nwn.csv", nwn, sizeof nwn - 1, &r), LMB_OK);
    assert_string_equal(lmb_record_format(r), "neware-csv");
    assert_true(lmb_record_column(r, LMB_REC_CURRENT)[1] == -1.0);
    lmb_record_free(r);
    static const char nwm[] = "DataPoint,Step Type,Total Time,Current(A),Voltage(V)\n"
                              "1,CC Chg,0:00:00,1,3.5\n2,CC Chg,0:00:01,-1,3.4\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "nwm.csv", nwm, sizeof nwm - 1, &r), LMB_EPARSE);
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "nwm.csv:3:"));
    static const char nwt[] = "DataPoint,Step Type,Total Time,Current(A),Voltage(V)\n"
                              "1,Rest,0:61:00,0,3.5\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "nwt.csv", nwt, sizeof nwt - 1, &r), LMB_EPARSE);
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "duration"));

    /* Maccor writing |I| with the State: negated on D rows; Test Time as d:hh:mm:ss */
    static const char mc[] = "Today's Date 01/01/2020\n"
                             "Rec#\tCyc#\tStep\tTest Time\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\n"
                             "1\t0\t1\t0:00:00:00\t0\t0\t0\t3.5\tR\n"
                             "2\t0\t2\t0:00:00:10\t0.001\t0.004\t0.5\t3.6\tC\n"
                             "3\t0\t3\t1:00:00:10\t0.002\t0.007\t0.5\t3.4\tD\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "mc.txt", mc, sizeof mc - 1, &r), LMB_OK);
    assert_string_equal(lmb_record_format(r), "maccor-text");
    assert_true(lmb_record_column(r, LMB_REC_TIME)[2] == 86410.0);
    assert_true(lmb_record_column(r, LMB_REC_CURRENT)[1] == 0.5);
    assert_true(lmb_record_column(r, LMB_REC_CURRENT)[2] == -0.5);
    assert_true(lmb_record_column(r, LMB_REC_CHARGE_CAPACITY)[2] == 0.0);
    assert_true(fabs(lmb_record_column(r, LMB_REC_DISCHARGE_CAPACITY)[2] - 7.2) < 1e-12);
    assert_true(has_note(r, "magnitude"));
    lmb_record_free(r);
    static const char mcm[] = "Rec#\tCyc#\tStep\tTest (Sec)\tAmps\tVolts\tState\n"
                              "1\t0\t1\t0\t-0.5\t3.5\tD\n2\t0\t1\t1\t0.5\t3.5\tD\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "mcm.txt", mcm, sizeof mcm - 1, &r), LMB_EPARSE);
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "mcm.txt:3:"));
    /* a bare TestTime without a wall clock: the unit cannot be told */
    static const char mcu[] = "Rec\tStep\tTestTime\tCurrent [A]\tVoltage [V]\tMd\n"
                              "1\t1\t0,5\t0\t3,5\tR\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "mcu.txt", mcu, sizeof mcu - 1, &r), LMB_EPARSE);
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "TestTime"));

    /* Landt with a nominal capacity, in mA and mAh */
    static const char ld[] = "cell model:X1,,,\n"
                             "Nominal capacity used to define the C rate:mAh,4.5,,\n"
                             "test_time_s,current_mA,voltage_V,charge_capacity_mAh,step_name\n"
                             "0,1.5,3.5,0,charge CC\n1,1.5,3.6,0.1,charge CC\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "ld.csv", ld, sizeof ld - 1, &r), LMB_OK);
    assert_string_equal(lmb_record_format(r), "landt-csv");
    assert_true(fabs(lmb_record_nominal_capacity(r) - 16.2) < 1e-12);
    assert_true(fabs(lmb_record_column(r, LMB_REC_CURRENT)[0] - 1.5e-3) < 1e-15);
    assert_true(has_note(r, "cell model: X1"));
    lmb_record_free(r);

    /* Arbin with units in the names */
    static const char ab[] = "Data_Point,Test_Time(s),Step_Index,Current(mA),Voltage(V),"
                             "Charge_Capacity(mAh),Discharge_Capacity(Ah)\n"
                             "1,0.5,1,100,3.3,0,0\n2,1.5,1,100,3.31,0.5,0\n";
    assert_int_equal(lmb_record_read_buffer(ctx, "ab.csv", ab, sizeof ab - 1, &r), LMB_OK);
    assert_string_equal(lmb_record_format(r), "arbin-csv");
    assert_true(fabs(lmb_record_column(r, LMB_REC_CURRENT)[1] - 0.1) < 1e-15);
    assert_true(fabs(lmb_record_column(r, LMB_REC_CHARGE_CAPACITY)[1] - 1.8) < 1e-12);
    lmb_record_free(r);
}

/* ---- no input crashes a reader: mutated heads of the real files through every reader ---- */

static uint64_t rng_next(uint64_t *s) { /* SplitMix64 */
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void test_mutations(void **state) {
    lmb_ctx *ctx = *state;
    static const char alphabet[] = "0123456789.,;:-+eE\t\n\r \"/()[]abcDCR\0";
    uint64_t seed = 12345;
    const char *files[] = {CYC F_BDF,     CYC F_LANDT,   CYC F_ARBIN_TC, CYC F_ARBIN_TC_META,
                           CYC F_MACCOR1, CYC F_MACCOR2, CYC F_NEWARE};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        size_t len;
        char *head = head_lines(files[f], 20, &len);
        char *m = malloc(len + 1);
        assert_non_null(m);
        for (int it = 0; it < 200; it++) {
            memcpy(m, head, len);
            size_t n = len;
            int edits = 1 + (int)(rng_next(&seed) % 8);
            for (int e = 0; e < edits; e++) {
                size_t at = (size_t)(rng_next(&seed) % n);
                uint64_t what = rng_next(&seed) % 3;
                if (what == 0)
                    m[at] = alphabet[rng_next(&seed) % (sizeof alphabet - 1)];
                else if (what == 1)
                    n = at + 1; /* cut */
                else
                    m[at] = (char)(rng_next(&seed) & 0xFF);
            }
            for (size_t k = 0; k < 5; k++) {
                lmb_record *r = NULL;
                const lmb__record_reader *rd = lmb__record_reader_find(mine[k]);
                (void)rd->detect(m, n);
                lmb_status st = lmb__record_read_as(ctx, rd, "mutant", m, n, &r);
                if (st == LMB_OK) {
                    assert_non_null(r);
                    assert_true(lmb_record_rows(r) > 0);
                    lmb_record_free(r);
                } else {
                    assert_null(r);
                    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "mutant"));
                }
            }
            lmb_record *r = NULL;
            if (lmb_record_read_buffer(ctx, "mutant", m, n, &r) == LMB_OK)
                lmb_record_free(r);
        }
        free(m);
        free(head);
    }
}

/* ---- set-up ---- */

static int setup(void **state) {
    lmb_ctx *ctx = NULL;
    if (lmb_ctx_create(&ctx) != LMB_OK)
        return -1;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/lmb_vendor_XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    *state = ctx;
    return 0;
}

static int teardown(void **state) {
    lmb_ctx_free(*state);
    static const char *const names[] = {"run_CH1.csv",
                                        "run_CH1_Metadata.csv",
                                        "lone_Metadata.csv",
                                        "a.dat",
                                        "b.dat",
                                        "c.dat",
                                        "d.dat",
                                        "e.csv",
                                        "f.txt",
                                        "nul_late.csv",
                                        "bdf_truncated.x",
                                        "bdf_nonnumber.x",
                                        "bdf_nocurrent.x",
                                        "bdf_header_only.x",
                                        "landt_truncated.x",
                                        "landt_nonnumber.x",
                                        "landt_nocurrent.x",
                                        "landt_header_only.x",
                                        "arbin_truncated.x",
                                        "arbin_nonnumber.x",
                                        "arbin_nocurrent.x",
                                        "arbin_header_only.x",
                                        "maccor1_truncated.x",
                                        "maccor1_nonnumber.x",
                                        "maccor1_nocurrent.x",
                                        "maccor1_header_only.x",
                                        "maccor2_truncated.x",
                                        "maccor2_nonnumber.x",
                                        "maccor2_nocurrent.x",
                                        "maccor2_header_only.x",
                                        "neware_truncated.x",
                                        "neware_nonnumber.x",
                                        "neware_nocurrent.x",
                                        "neware_header_only.x"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        remove(tmp_path(names[i]));
    rmdir(tmpdir);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bdf_file),         cmocka_unit_test(test_landt_file),
        cmocka_unit_test(test_arbin_files),      cmocka_unit_test(test_maccor_files),
        cmocka_unit_test(test_neware_file),      cmocka_unit_test(test_current_sign),
        cmocka_unit_test(test_bdf_vs_landt),     cmocka_unit_test(test_arbin_metadata),
        cmocka_unit_test(test_detection),        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_binary_and_range), cmocka_unit_test(test_bdf_labels),
        cmocka_unit_test(test_variants),         cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
