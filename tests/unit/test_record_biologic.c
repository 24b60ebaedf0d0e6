/*
 * test_record_biologic.c - the BioLogic EC-Lab readers of cycling records (lmb/record.h,
 * src/io/record_biologic.c, src/io/mpr.c) on every BioLogic file of ../shared/data
 * (PROVENANCE.md), on variants written here (CRLF, decimal commas, latin-1 and UTF-8 micro signs,
 * impedance rows among others) and on their error paths.
 *
 * Expected values come from independent readings:
 *   .mpr   a small reader here that finds the "VMP data" module by searching for its header
 *          bytes and reads given fields at offsets it computes from the column IDs, with its own
 *          table of the widths of the IDs these files hold (from galvani, galvani/BioLogic.py);
 *          it shares no code with src/io/mpr.c. Both convert the same float32/float64 bytes
 *          and apply the same factor, so they must agree to rounding: relative 1e-15.
 *   .mpt   sscanf of given lines of the file (strtod on the same digits: 1e-15).
 *   .mps   the settings text of the same experiment gives the active mass and area its .mpr
 *          holds in binary.
 * Physics checks on the NaCoO2 record: the vendor's (Q-Qo) against the integral of the current
 * per half cycle, and the derived cycle number and Q charge / Q discharge against (Q-Qo).
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, gmtime_r */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_tmpdir.h"

#include "lmb/ctx.h"
#include "lmb/record.h"

#include "io/record_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CYC_DIR   LMB_SHARED_DIR "/data/cycler/"
#define EIS_DIR   LMB_SHARED_DIR "/data/eis/"
#define MPR_PLATE CYC_DIR "biologic_gcpl_LiLi_symm_plating__insitu.mpr"
#define TXT_LILI  CYC_DIR "biologic_gcpl_LiLi_symm_time_Ewe_export__insitu.txt"
#define MPS_LILI  CYC_DIR "biologic_LiLi_symm_settings__insitu.mps"
#define MPR_NACO  CYC_DIR "biologic_gcpl_NaCoO2_coin_5cyc__datalab.mpr"
#define MPR_MB    CYC_DIR "biologic_mb_gcpl_eis_halfcell__cellpy.mpr"
#define MPR_GEIS  EIS_DIR "biologic_geis_LiLi_symm_45spectra__insitu.mpr"
#define MPR_PRE   EIS_DIR "biologic_geis_LiLi_symm_prerun__insitu.mpr"
#define MPR_PEIS  EIS_DIR "biologic_peis_60pt__bdf.mpr"
#define MPT_LSC   EIS_DIR "biologic_peis_LSC_thinfilm__impedancepy.mpt"

/* Same bytes, same conversion: only the last bit may differ where a factor is applied. */
#define TOL_SAME 1e-15
/*
 * Per half cycle of the NaCoO2 record, the sum of dq (the current's integral) and the change of
 * (Q-Qo) are two accumulators EC-Lab keeps separately; they drift apart by about 1e-11 mA.h a
 * row (measured: at most 3.2e-8 relative over a half cycle of ~4000 rows).
 */
#define TOL_QINT 1e-7
/*
 * The set point control/V/mA integrated over the galvanostatic rows against (Q-Qo): the measured
 * current is 2.3e-4 to 2.7e-4 below the set point (0.088773 vs 0.088796 mA, the source's
 * calibration), so 1e-3 relative.
 */
#define TOL_CTRL 1e-3

static char tmpdir[64];

static int setup(void **state) {
    (void)state;
    return lmb_test_tmpdir_make(tmpdir, sizeof tmpdir, "test_biologic");
}

static int teardown(void **state) {
    (void)state;
    return lmb_test_tmpdir_remove(tmpdir);
}

static unsigned char *slurp(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot open %s (LMB_SHARED_DIR wrong?)", path);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    long n = ftell(fp);
    assert_true(n > 0);
    rewind(fp);
    unsigned char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
    b[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return b;
}

static const char *write_tmp(const char *name, const void *data, size_t len) {
    static char paths[16][160];
    static int next = 0;
    char *p = paths[next++ % 16];
    snprintf(p, 160, "%s/%s", tmpdir, name);
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
        fail_msg("load %s: %s: %s", path, lmb_status_name(st), lmb_ctx_errmsg(ctx));
    assert_non_null(r);
    return r;
}

static const char *load_fail(lmb_ctx *ctx, const char *path, lmb_status want) {
    lmb_record *r = (lmb_record *)&r;
    lmb_status st = lmb_record_load(ctx, path, &r);
    print_message("  %s -> %s: %s\n", strrchr(path, '/') + 1, lmb_status_name(st),
                  lmb_ctx_errmsg(ctx));
    assert_null(r);
    if (st != want)
        fail_msg("%s: %s, expected %s (%s)", path, lmb_status_name(st), lmb_status_name(want),
                 lmb_ctx_errmsg(ctx));
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), path));
    return lmb_ctx_errmsg(ctx);
}

/* Reads bytes with one named reader (no detection), which must fail with want. */
static const char *read_as_fail(lmb_ctx *ctx, const char *format, const char *text, size_t len,
                                lmb_status want) {
    const lmb__record_reader *rd = lmb__record_reader_find(format);
    assert_non_null(rd);
    lmb_record *r = NULL;
    lmb_status st = lmb__record_read_as(ctx, rd, "bytes.in", text, len, &r);
    print_message("  %s on %zu bytes -> %s: %s\n", format, len, lmb_status_name(st),
                  lmb_ctx_errmsg(ctx));
    assert_null(r);
    if (st != want)
        fail_msg("%s: %s, expected %s (%s)", format, lmb_status_name(st), lmb_status_name(want),
                 lmb_ctx_errmsg(ctx));
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "bytes.in"));
    return lmb_ctx_errmsg(ctx);
}

static void has(const char *msg, const char *part) {
    if (!strstr(msg, part))
        fail_msg("message \"%s\" lacks \"%s\"", msg, part);
}

static void near(double got, double want, double tol, const char *what, size_t i) {
    if (!(fabs(got - want) <= tol * fabs(want)))
        fail_msg("%s[%zu]: %.17g, expected %.17g (relative tolerance %g)", what, i, got, want, tol);
}

/* The note of a record that contains part, NULL if none. */
static const char *note_with(const lmb_record *r, const char *part) {
    for (size_t k = 0; k < lmb_record_note_count(r); k++)
        if (strstr(lmb_record_note(r, k), part))
            return lmb_record_note(r, k);
    return NULL;
}

/* ---- an independent reader of the VMP data records ---- */

typedef struct mini_mpr {
    const unsigned char *b;
    size_t n, ncol, rec, rec0, log; /* log: start of the VMP LOG content, 0 if none */
    unsigned id[64];
    size_t off[64];
} mini_mpr;

static uint32_t u32le(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static size_t find_bytes(const unsigned char *b, size_t len, const char *pat) {
    size_t n = strlen(pat);
    for (size_t k = 0; k + n <= len; k++)
        if (memcmp(b + k, pat, n) == 0)
            return k;
    return SIZE_MAX;
}

/* Widths of the IDs the files of shared/data hold (galvani's VMPdata_colID_dtype_map). */
static size_t mini_width(unsigned id) {
    static const unsigned f8[] = {4, 7, 13, 24, 74, 123, 124, 125, 126, 467};
    static const unsigned u2[] = {39, 131};
    static const unsigned u4[] = {468, 469};
    static const unsigned flags[] = {1, 2, 3, 21, 31, 65};
    static const unsigned f4[] = {5,  6,  8,  9,  20,  32,  33,  34,  35,  36,  37,  38,  70, 76,
                                  77, 96, 98, 99, 100, 101, 169, 172, 430, 431, 432, 433, 471};
    for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++)
        if (id == flags[k])
            return 0;
    for (size_t k = 0; k < sizeof f8 / sizeof f8[0]; k++)
        if (id == f8[k])
            return 8;
    for (size_t k = 0; k < sizeof u2 / sizeof u2[0]; k++)
        if (id == u2[k])
            return 2;
    for (size_t k = 0; k < sizeof u4 / sizeof u4[0]; k++)
        if (id == u4[k])
            return 4;
    for (size_t k = 0; k < sizeof f4 / sizeof f4[0]; k++)
        if (id == f4[k])
            return 4;
    fail_msg("the test's reader does not know column ID %u", id);
    return 0;
}

static void mini_open(mini_mpr *m, const unsigned char *b, size_t len) {
    memset(m, 0, sizeof *m);
    m->b = b;
    size_t h = find_bytes(b, len, "MODULEVMP data  ");
    assert_true(h != SIZE_MAX);
    /* the module header before EC-Lab 11.50: names 35 bytes, length u32, version u32, date */
    assert_true(u32le(b + h + 6 + 35) != 0xFFFFFFFFu);
    size_t mlen = u32le(b + h + 6 + 35), ver = u32le(b + h + 6 + 39), c = h + 6 + 51;
    assert_true(ver == 2 || ver == 3);
    m->n = u32le(b + c);
    m->ncol = b[c + 4];
    assert_true(m->ncol <= 64);
    int flag_seen = 0;
    for (size_t k = 0; k < m->ncol; k++) {
        m->id[k] = (unsigned)b[c + 5 + 2 * k] | (unsigned)b[c + 6 + 2 * k] << 8;
        size_t w = mini_width(m->id[k]);
        if (w == 0 && flag_seen) {
            m->off[k] = SIZE_MAX; /* a later flag: in the byte of the first */
            continue;
        }
        flag_seen |= w == 0;
        m->off[k] = m->rec;
        m->rec += w ? w : 1;
    }
    m->rec0 = c + (ver == 2 ? 405 : 406);
    assert_int_equal(mlen - (ver == 2 ? 405 : 406), m->n * m->rec);
    size_t lg = find_bytes(b, len, "MODULEVMP LOG   ");
    m->log = lg == SIZE_MAX ? 0 : lg + 6 + 51;
}

static int mini_has(const mini_mpr *m, unsigned id) {
    for (size_t k = 0; k < m->ncol; k++)
        if (m->id[k] == id)
            return 1;
    return 0;
}

/* The value of column id in row i; the flag IDs give the whole flags byte. */
static double mini_get(const mini_mpr *m, size_t i, unsigned id) {
    for (size_t k = 0; k < m->ncol; k++) {
        if (m->id[k] != id)
            continue;
        size_t o = m->off[k];
        for (size_t j = 0; o == SIZE_MAX && j < k; j++)
            if (mini_width(m->id[j]) == 0)
                o = m->off[j];
        const unsigned char *p = m->b + m->rec0 + i * m->rec + o;
        size_t w = mini_width(id);
        if (w == 0)
            return p[0];
        if (w == 2)
            return (double)((unsigned)p[0] | (unsigned)p[1] << 8);
        if (w == 4 && (id == 468 || id == 469))
            return (double)u32le(p);
        if (w == 4) {
            float x;
            memcpy(&x, p, 4);
            return (double)x;
        }
        double x;
        memcpy(&x, p, 8);
        return x;
    }
    fail_msg("column ID %u not in the file", id);
    return NAN;
}

/* ---- formats and row counts ---- */

static const struct {
    const char *path, *format;
    size_t rows;
} files[] = {
    {MPR_PLATE, "biologic-mpr", 109}, {TXT_LILI, "biologic-mpt", 76807},
    {MPS_LILI, "biologic-mps", 0},    {MPR_NACO, "biologic-mpr", 46102},
    {MPR_MB, "biologic-mpr", 23561},  {MPR_GEIS, "biologic-mpr", 405},
    {MPR_PRE, "biologic-mpr", 15},    {MPR_PEIS, "biologic-mpr", 60},
    {MPT_LSC, "biologic-mpt", 43},
};

/* Every BioLogic file loads with its format and row count (PROVENANCE.md: 109, 76,807, 46,102,
 * 23,561; the impedance files 45 x 9, 15, 60 and 43 points), also under a .csv name. */
static void test_formats_and_rows(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        lmb_record *r = load_ok(ctx, files[k].path);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        size_t len = 0;
        unsigned char *b = slurp(files[k].path, &len);
        double s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
        print_message("%s: %s, %zu rows, %zu notes, %.1f MB in %.4f s\n",
                      strrchr(files[k].path, '/') + 1, lmb_record_format(r), lmb_record_rows(r),
                      lmb_record_note_count(r), (double)len / 1e6, s);
        assert_string_equal(lmb_record_format(r), files[k].format);
        assert_int_equal(lmb_record_rows(r), files[k].rows);
        lmb_record_free(r);
        /* the content decides, not the name */
        r = load_ok(ctx, write_tmp("renamed.csv", b, len));
        assert_string_equal(lmb_record_format(r), files[k].format);
        assert_int_equal(lmb_record_rows(r), files[k].rows);
        lmb_record_free(r);
        free(b);
    }
    lmb_ctx_free(ctx);
}

/* ---- the .mpr values against the independent reader ---- */

/* A record column read straight from one of the given IDs times a factor. */
static const struct {
    lmb_rec_col col;
    unsigned id[2];
    double scale, offset;
} direct[] = {
    {LMB_REC_TIME, {4, 0}, 1.0, 0.0},
    {LMB_REC_VOLTAGE, {6, 77}, 1.0, 0.0},
    {LMB_REC_CURRENT, {8, 76}, 1e-3, 0.0},
    {LMB_REC_STEP_INDEX, {131, 0}, 1.0, 0.0},
    {LMB_REC_HALF_CYCLE, {468, 0}, 1.0, 0.0},
    {LMB_REC_CYCLE_INDEX, {24, 0}, 1.0, 0.0},
    {LMB_REC_NET_CHARGE, {13, 0}, 3.6, 0.0},
    {LMB_REC_CHARGE_ENERGY, {123, 0}, 3600.0, 0.0},
    {LMB_REC_DISCHARGE_ENERGY, {124, 0}, 3600.0, 0.0},
};

static void check_mpr(lmb_ctx *ctx, const char *path) {
    size_t len = 0;
    unsigned char *b = slurp(path, &len);
    mini_mpr m;
    mini_open(&m, b, len);
    lmb_record *r = load_ok(ctx, path);
    assert_int_equal(lmb_record_rows(r), m.n);
    size_t rows[6] = {0, 1, m.n / 3, m.n / 2, m.n - 2, m.n - 1};
    for (size_t d = 0; d < sizeof direct / sizeof direct[0]; d++) {
        unsigned id = mini_has(&m, direct[d].id[0])   ? direct[d].id[0]
                      : mini_has(&m, direct[d].id[1]) ? direct[d].id[1]
                                                      : 0;
        const double *v = lmb_record_column(r, direct[d].col);
        if (id == 0)
            continue; /* absent or derived: checked elsewhere */
        assert_non_null(v);
        for (int k = 0; k < 6; k++)
            near(v[rows[k]], mini_get(&m, rows[k], id) * direct[d].scale, TOL_SAME,
                 lmb_record_label(direct[d].col), rows[k]);
    }
    /* impedance: -Im(Z) negated, or Z from |Z| and the phase; NaN where f = 0 */
    const double *f = lmb_record_column(r, LMB_REC_FREQUENCY),
                 *re = lmb_record_column(r, LMB_REC_Z_RE), *im = lmb_record_column(r, LMB_REC_Z_IM);
    if (mini_has(&m, 32)) {
        assert_non_null(f);
        size_t n_imp = 0;
        for (size_t i = 0; i < m.n; i++) {
            double fi = mini_get(&m, i, 32);
            if (fi == 0.0) {
                assert_true(isnan(f[i]) && isnan(re[i]) && isnan(im[i]));
                continue;
            }
            n_imp++;
            near(f[i], fi, TOL_SAME, "f", i);
            if (mini_has(&m, 37)) {
                near(re[i], mini_get(&m, i, 37), TOL_SAME, "Re(Z)", i);
                near(im[i], -mini_get(&m, i, 38), TOL_SAME, "Im(Z)", i);
            } else {
                double ph = mini_get(&m, i, 35) * 3.14159265358979323846 / 180.0;
                near(re[i], mini_get(&m, i, 36) * cos(ph), 1e-14, "Re(Z) polar", i);
                near(im[i], mini_get(&m, i, 36) * sin(ph), 1e-14, "Im(Z) polar", i);
            }
        }
        print_message("  %s: %zu impedance rows of %zu\n", strrchr(path, '/') + 1, n_imp, m.n);
    } else {
        assert_null(f);
    }
    /* Unix time: the OLE date at byte 0x249 of the VMP LOG (read here) + time/s */
    const double *ut = lmb_record_column(r, LMB_REC_UNIX_TIME);
    assert_true(m.log > 0);
    assert_non_null(ut);
    double ole;
    memcpy(&ole, b + m.log + 0x249, 8);
    for (int k = 0; k < 6; k++)
        near(ut[rows[k]], (ole - 25569.0) * 86400.0 + mini_get(&m, rows[k], 4), TOL_SAME,
             "Unix Time", rows[k]);
    lmb_record_free(r);
    free(b);
}

static void test_mpr_values(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    static const char *const mprs[] = {MPR_PLATE, MPR_NACO, MPR_MB, MPR_GEIS, MPR_PRE, MPR_PEIS};
    for (size_t k = 0; k < sizeof mprs / sizeof mprs[0]; k++)
        check_mpr(ctx, mprs[k]);

    /* 45 spectra x 9 points on cycle number 1..45, 500 Hz down to 0.8 Hz */
    lmb_record *r = load_ok(ctx, MPR_GEIS);
    const double *cyc = lmb_record_column(r, LMB_REC_CYCLE_INDEX),
                 *f = lmb_record_column(r, LMB_REC_FREQUENCY);
    for (size_t i = 0; i < 405; i++)
        assert_true(cyc[i] == (double)(i / 9 + 1));
    near(f[0], 500.160034, 1e-7, "f row 0 (float32, 9 digits)", 0);
    near(f[404], 0.799805403, 1e-7, "f row 404", 404);
    assert_non_null(note_with(r, "VMP loop: 46 loop indexes"));
    lmb_record_free(r);

    /* The PEIS ran 70 days into its experiment: start (2024-10-31, the VMP Set's date) +
     * time/s falls on 2025-01-10, the date in the header of its VMP LOG module. */
    r = load_ok(ctx, MPR_PEIS);
    time_t t = (time_t)lmb_record_column(r, LMB_REC_UNIX_TIME)[0];
    struct tm tm;
    assert_non_null(gmtime_r(&t, &tm));
    assert_int_equal(tm.tm_year + 1900, 2025);
    assert_int_equal(tm.tm_mon + 1, 1);
    assert_int_equal(tm.tm_mday, 10);
    /* cell data of its VMP Set: 8.582 mg, 1.539 cm2, 1.631 mA.h (float32) */
    near(lmb_record_active_mass(r), 8.582e-6, 1e-7, "mass [kg]", 0);
    near(lmb_record_area(r), 1.539e-4, 1e-7, "area [m2]", 0);
    near(lmb_record_nominal_capacity(r), 1.631 * 3.6, 1e-7, "capacity [C]", 0);
    lmb_record_free(r);

    /* The Li||Li plating record and its experiment's settings file agree: 7000 mg, 0.001 cm2,
     * battery capacity 0 (not given) */
    r = load_ok(ctx, MPR_PLATE);
    lmb_record *s = load_ok(ctx, MPS_LILI);
    near(lmb_record_active_mass(r), 7000e-6, 1e-7, "mass .mpr", 0);
    near(lmb_record_active_mass(s), 7000e-6, TOL_SAME, "mass .mps", 0);
    near(lmb_record_area(r), 1e-7, 1e-7, "area .mpr", 0);
    near(lmb_record_area(s), 1e-7, TOL_SAME, "area .mps", 0);
    assert_true(lmb_record_nominal_capacity(r) == 0.0 && lmb_record_nominal_capacity(s) == 0.0);
    /* plating at +0.4 mA: the derived <I> = dq/dt is 0.4 mA within 5e-3 once the step runs
     * (measured: 0.3992 to 0.3999 mA, the source's accuracy at this current) */
    const double *cur = lmb_record_column(r, LMB_REC_CURRENT),
                 *ns = lmb_record_column(r, LMB_REC_STEP_INDEX);
    for (size_t i = 40; i < 109; i++) {
        assert_true(ns[i] == 1.0);
        near(cur[i], 0.4e-3, 5e-3, "plating current", i);
    }
    assert_non_null(note_with(r, "Current / A derived"));
    lmb_record_free(s);
    lmb_record_free(r);
    lmb_ctx_free(ctx);
}

/* ---- the text files against sscanf ---- */

/* Line lineno (from 1) of the file, cut at its end of line. */
static char *text_line(const unsigned char *b, size_t len, size_t lineno, char *out, size_t cap) {
    size_t at = 0;
    for (size_t l = 1; l < lineno; l++) {
        const unsigned char *nl = memchr(b + at, '\n', len - at);
        assert_non_null(nl);
        at = (size_t)(nl - b) + 1;
    }
    size_t n = 0;
    while (at + n < len && b[at + n] != '\n' && n + 1 < cap)
        n++;
    memcpy(out, b + at, n);
    out[n] = '\0';
    return out;
}

static void test_text_values(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    size_t len = 0;
    char line[2048];

    /* bare export: names on line 1, row i on line i + 2 */
    unsigned char *b = slurp(TXT_LILI, &len);
    lmb_record *r = load_ok(ctx, TXT_LILI);
    assert_null(lmb_record_column(r, LMB_REC_CURRENT));
    const double *t = lmb_record_column(r, LMB_REC_TIME),
                 *v = lmb_record_column(r, LMB_REC_VOLTAGE);
    static const size_t lines[] = {2, 3, 38404, 76807, 76808};
    for (size_t k = 0; k < sizeof lines / sizeof lines[0]; k++) {
        double x, y;
        assert_int_equal(sscanf(text_line(b, len, lines[k], line, sizeof line), "%lf\t%lf", &x, &y),
                         2);
        near(t[lines[k] - 2], x, TOL_SAME, "time/s", lines[k]);
        near(v[lines[k] - 2], y, TOL_SAME, "Ewe/V", lines[k]);
    }
    lmb_record_free(r);
    free(b);

    /* .mpt with a 61-line header: names on line 61, row i on line 62 + i */
    b = slurp(MPT_LSC, &len);
    r = load_ok(ctx, MPT_LSC);
    const double *f = lmb_record_column(r, LMB_REC_FREQUENCY),
                 *re = lmb_record_column(r, LMB_REC_Z_RE), *im = lmb_record_column(r, LMB_REC_Z_IM),
                 *tt = lmb_record_column(r, LMB_REC_TIME),
                 *ee = lmb_record_column(r, LMB_REC_VOLTAGE),
                 *ii = lmb_record_column(r, LMB_REC_CURRENT),
                 *cy = lmb_record_column(r, LMB_REC_CYCLE_INDEX);
    static const size_t mlines[] = {62, 83, 104};
    for (size_t k = 0; k < 3; k++) {
        double x[11];
        size_t i = mlines[k] - 62;
        assert_int_equal(sscanf(text_line(b, len, mlines[k], line, sizeof line),
                                "%lf\t%lf\t%lf\t%lf\t%lf\t%lf\t%lf\t%lf\t%lf\t%lf\t%lf", &x[0],
                                &x[1], &x[2], &x[3], &x[4], &x[5], &x[6], &x[7], &x[8], &x[9],
                                &x[10]),
                         11);
        near(f[i], x[0], TOL_SAME, "freq/Hz", i);
        near(re[i], x[1], TOL_SAME, "Re(Z)/Ohm", i);
        near(im[i], -x[2], TOL_SAME, "-Im(Z)/Ohm negated", i);
        near(tt[i], x[5], TOL_SAME, "time/s", i);
        near(ee[i], x[6], TOL_SAME, "<Ewe>/V", i);
        near(ii[i], x[7] * 1e-3, TOL_SAME, "<I>/mA", i);
        near(cy[i], x[10], TOL_SAME, "cycle number", i);
    }
    /* "Electrode surface area : 0.001 cm2" (latin-1 superscript two) on line 28 */
    near(lmb_record_area(r), 1e-7, TOL_SAME, "area", 0);
    assert_true(lmb_record_active_mass(r) == 0.0);
    lmb_record_free(r);
    free(b);
    lmb_ctx_free(ctx);
}

/* ---- the NaCoO2 record: charge bookkeeping ---- */

static void test_nacoo2_charge(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    size_t len = 0;
    unsigned char *b = slurp(MPR_NACO, &len);
    mini_mpr m;
    mini_open(&m, b, len);
    lmb_record *r = load_ok(ctx, MPR_NACO);
    size_t n = lmb_record_rows(r);
    const double *t = lmb_record_column(r, LMB_REC_TIME),
                 *i_a = lmb_record_column(r, LMB_REC_CURRENT),
                 *u = lmb_record_column(r, LMB_REC_VOLTAGE),
                 *q = lmb_record_column(r, LMB_REC_NET_CHARGE),
                 *h = lmb_record_column(r, LMB_REC_HALF_CYCLE),
                 *cyc = lmb_record_column(r, LMB_REC_CYCLE_INDEX),
                 *qc = lmb_record_column(r, LMB_REC_CHARGE_CAPACITY),
                 *qd = lmb_record_column(r, LMB_REC_DISCHARGE_CAPACITY);
    assert_true(t && i_a && u && q && h && cyc && qc && qd);
    assert_non_null(note_with(r, "Cycle Count / 1 derived"));
    assert_non_null(note_with(r, "Charging / Discharging Capacity derived"));
    size_t first = 0, n_half = 0, n_charge = 0;
    double q_before = 0.0; /* (Q-Qo) at the end of the previous half cycle */
    for (size_t i = 0; i < n; i++) {
        /* the cycle number is floor(half cycle / 2) on every row */
        assert_true(cyc[i] == floor(h[i] / 2.0));
        /* Q charge and Q discharge are never both non-zero */
        assert_true(qc[i] >= 0.0 && qd[i] >= 0.0 && (qc[i] == 0.0 || qd[i] == 0.0));
        if (i + 1 < n && h[i + 1] == h[i])
            continue;
        /* rows first..i are one half cycle */
        double dq = q[i] - q_before, integral = 0.0, ctrl = 0.0;
        for (size_t k = first > 0 ? first : 1; k <= i; k++) {
            double dt = t[k] - t[k - 1];
            integral += i_a[k] * dt;
            if (((int)mini_get(&m, k, 1) & 3) == 1) /* galvanostatic rows: the set point */
                ctrl += mini_get(&m, k, 5) * 1e-3 * dt;
        }
        near(integral, dq, TOL_QINT, "integral of I dt over the half cycle vs (Q-Qo)", i);
        near(ctrl, dq, TOL_CTRL, "integral of control/mA dt vs (Q-Qo)", i);
        if (dq > 0.0) {
            /* a charge: positive current takes the voltage up (no sign change needed) */
            near(qc[i], dq, TOL_QINT, "Q charge at the end of a charge half cycle", i);
            assert_true(qd[i] == 0.0);
            assert_true(u[i] > u[first] + 1.0);
            n_charge++;
        } else {
            near(qd[i], -dq, TOL_QINT, "Q discharge at the end of a discharge half cycle", i);
            assert_true(qc[i] == 0.0);
            assert_true(u[i] < u[first] - 0.1);
        }
        print_message("  half cycle %2.0f (cycle %.0f): rows %5zu-%5zu, %+.6f mA.h, "
                      "integral of I dt %+.6f, of the set point %+.6f\n",
                      h[i], cyc[i], first, i, dq / 3.6, integral / 3.6, ctrl / 3.6);
        n_half++;
        q_before = q[i];
        first = i + 1;
    }
    /* half cycle 0 (rest and the first discharge), then 2..13: 6 charges, 7 discharges */
    assert_int_equal(n_half, 13);
    assert_int_equal(n_charge, 6);
    assert_true(h[n - 1] == 13.0 && cyc[n - 1] == 6.0);
    lmb_record_free(r);
    free(b);
    lmb_ctx_free(ctx);
}

/* ---- the settings file ---- */

static void test_mps(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_record *r = load_ok(ctx, MPS_LILI);
    assert_int_equal(lmb_record_rows(r), 0);
    for (int c = 0; c < LMB_REC_N_COLS; c++)
        assert_null(lmb_record_column(r, (lmb_rec_col)c));
    assert_non_null(note_with(r, "4 linked techniques"));
    assert_non_null(note_with(r, "technique 1: Galvanostatic Cycling with Potential Limitation"));
    assert_non_null(note_with(r, "technique 2: Galvano Electrochemical Impedance Spectroscopy"));
    assert_non_null(note_with(r, "technique 4: Loop"));
    assert_non_null(note_with(r, "not positive, taken as not given")); /* 0.000 A.h */
    lmb_record_free(r);

    /* truncated inside the techniques, or with a technique name missing */
    size_t len = 0;
    unsigned char *b = slurp(MPS_LILI, &len);
    char *at = strstr((char *)b, "Technique : 3");
    assert_non_null(at);
    has(load_fail(ctx, write_tmp("trunc.mps", b, (size_t)(at - (char *)b)), LMB_EPARSE),
        "announces 4");
    has(load_fail(ctx, write_tmp("trunc2.mps", b, (size_t)(at - (char *)b) + 15), LMB_EPARSE),
        "after 2 complete techniques");
    has(load_fail(ctx, write_tmp("head.mps", b, 40), LMB_EPARSE), "Number of linked techniques");
    const char *bad = "EC-LAB SETTING FILE\r\n\r\nNumber of linked techniques : 2\r\n"
                      "Technique : 2\r\nLoop\r\n";
    has(load_fail(ctx, write_tmp("order.mps", bad, strlen(bad)), LMB_EPARSE), ":4:");
    free(b);
    lmb_ctx_free(ctx);
}

/* ---- text variants ---- */

/* Latin-1 micro sign, decimal commas, CRLF; the derived cycle number and Q charge/discharge. */
static void test_mpt_variants(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    const char *mpt = "EC-Lab ASCII FILE\r\n"
                      "Nb header lines : 7   \r\n"
                      "\r\n"
                      "Mass of active material : 7,5 mg\r\n"
                      "Electrode surface area : 1,1 cm\xb2\r\n"
                      "Battery capacity : 2 mA.h\r\n"
                      "mode\ttime/s\tEcell/V\tEwe/V\tI/\xb5"
                      "A\t(Q-Qo)/mA.h\thalf cycle\tNs\tTemperature/\xb0"
                      "C\t\r\n"
                      "1\t0,0\t3,5\t1,0\t100,0\t0,0\t0\t1\t25,0\r\n"
                      "1\t3600,0\t3,6\t1,0\t100,0\t0,1\t0\t1\t25,5\r\n"
                      "1\t7200,0\t3,4\t1,0\t-200,0\t-0,1\t1\t2\t25,0\r\n"
                      "1\t9000,0\t3,3\t1,0\t-200,0\t-0,2\t1\t2\t25,0\r\n"
                      "3\t9100,0\t3,35\t1,0\t0,0\t-0,2\t2\t3\t25,0\r\n";
    lmb_record *r = load_ok(ctx, write_tmp("variant.mpt", mpt, strlen(mpt)));
    assert_string_equal(lmb_record_format(r), "biologic-mpt");
    assert_int_equal(lmb_record_rows(r), 5);
    near(lmb_record_active_mass(r), 7.5e-6, TOL_SAME, "mass", 0);
    near(lmb_record_area(r), 1.1e-4, TOL_SAME, "area", 0);
    near(lmb_record_nominal_capacity(r), 7.2, TOL_SAME, "capacity", 0);
    const double *v = lmb_record_column(r, LMB_REC_VOLTAGE),
                 *i = lmb_record_column(r, LMB_REC_CURRENT),
                 *c = lmb_record_column(r, LMB_REC_CYCLE_INDEX),
                 *qc = lmb_record_column(r, LMB_REC_CHARGE_CAPACITY),
                 *qd = lmb_record_column(r, LMB_REC_DISCHARGE_CAPACITY),
                 *k = lmb_record_column(r, LMB_REC_TEMPERATURE);
    near(v[0], 3.5, TOL_SAME, "Ecell preferred to Ewe", 0);
    near(i[2], -200e-6, TOL_SAME, "uA (latin-1 micro sign)", 2);
    near(k[1], 298.65, TOL_SAME, "degC (latin-1 degree sign)", 1);
    static const double want_c[5] = {0, 0, 0, 0, 1}, want_qc[5] = {0, 0.36, 0, 0, 0},
                        want_qd[5] = {0, 0, 0.72, 1.08, 0};
    for (size_t n = 0; n < 5; n++) {
        assert_true(c[n] == want_c[n]);
        if (!(fabs(qc[n] - want_qc[n]) <= 1e-12 && fabs(qd[n] - want_qd[n]) <= 1e-12))
            fail_msg("row %zu: Q charge %g, Q discharge %g, expected %g, %g", n, qc[n], qd[n],
                     want_qc[n], want_qd[n]);
    }
    assert_non_null(note_with(r, "Cycle Count / 1 derived"));
    assert_non_null(note_with(r, "(Q-Qo) minus its value"));
    lmb_record_free(r);

    /* UTF-8 micro sign; Q charge and Q discharge given; impedance rows among others */
    const char *mpt2 = "freq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\ttime/s\tI/\xc2\xb5"
                       "A\tQ charge/mA.h\t"
                       "Q discharge/mA.h\tcycle number\n"
                       "0\t0\t0\t1\t5\t0,5\t0\t3\n"
                       "1000\t10\t2\t2\t5\t0,5\t0\t3\n"
                       "\n";
    r = load_ok(ctx, write_tmp("bare_eis.txt", mpt2, strlen(mpt2)));
    assert_string_equal(lmb_record_format(r), "biologic-mpt");
    const double *f = lmb_record_column(r, LMB_REC_FREQUENCY),
                 *im = lmb_record_column(r, LMB_REC_Z_IM);
    assert_true(isnan(f[0]) && isnan(im[0]));
    near(f[1], 1000.0, TOL_SAME, "f", 1);
    near(im[1], -2.0, TOL_SAME, "Im", 1);
    near(lmb_record_column(r, LMB_REC_CURRENT)[1], 5e-6, TOL_SAME, "uA (UTF-8)", 1);
    near(lmb_record_column(r, LMB_REC_CHARGE_CAPACITY)[1], 1.8, TOL_SAME, "Q charge", 1);
    assert_true(lmb_record_column(r, LMB_REC_CYCLE_INDEX)[1] == 3.0);
    assert_null(note_with(r, "derived"));
    lmb_record_free(r);

    /* GCPL text without I: <I> from dq/mA.h and time, as for the .mpr */
    const char *mpt3 = "time/s\tEwe/V\tdq/mA.h\n0\t1\t0\n10\t1\t0,01\n30\t1\t-0,01\n";
    r = load_ok(ctx, write_tmp("dq.txt", mpt3, strlen(mpt3)));
    i = lmb_record_column(r, LMB_REC_CURRENT);
    assert_true(i[0] == 0.0);
    near(i[1], 0.036 / 10.0, 1e-14, "dq/dt", 1);
    near(i[2], -0.036 / 20.0, 1e-14, "dq/dt", 2);
    lmb_record_free(r);
    lmb_ctx_free(ctx);
}

/* ---- detection ---- */

static void test_detection(void **state) {
    (void)state;
    static const char *const others[] = {
        CYC_DIR "arbin_csv__beep_2017-05-09_test-TC-contact_CH33.csv",
        CYC_DIR "arbin_csv__beep_FastCharge_000025_CH8.csv",
        CYC_DIR "arbin_csv__beep_FastCharge_000025_CH8_Metadata.csv",
        CYC_DIR "bdf_csv__SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv",
        CYC_DIR "landt_csv__SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv",
        CYC_DIR "maccor_text__beep_PreDiag_000229_000229_truncated.034",
        CYC_DIR "maccor_text__cellpy_maccor_two.txt",
        CYC_DIR "neware_csv__cellpy_neware_uio.csv",
        EIS_DIR "eis_liion_f_re_im__impedancepy.csv",
        EIS_DIR "eis_LIB_f_re_im__pyDRTtools.txt",
        EIS_DIR "eis_LIB_f_re_im__pyDRTtools_data_1.csv",
    };
    static const char *const formats[] = {"biologic-mpr", "biologic-mps", "biologic-mpt"};
    for (size_t k = 0; k < sizeof others / sizeof others[0]; k++) {
        size_t len = 0;
        unsigned char *b = slurp(others[k], &len);
        for (int j = 0; j < 3; j++)
            if (lmb__record_reader_find(formats[j])->detect((const char *)b, len))
                fail_msg("%s claims %s", formats[j], others[k]);
        free(b);
    }
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        size_t len = 0;
        unsigned char *b = slurp(files[k].path, &len);
        assert_true(lmb__record_reader_find(files[k].format)->detect((const char *)b, len));
        free(b);
    }
}

/* ---- truncation and errors ---- */

/* The .mpr reader on the first cut bytes of b without a copy: the function the format's entry
 * in record.c's table points to, given a record as record.c makes one. */
static lmb_status read_mpr_direct(lmb_ctx *ctx, const char *name, unsigned char *b, size_t cut) {
    const lmb__record_reader *rd = lmb__record_reader_find("biologic-mpr");
    lmb_record *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->path = strdup(name);
    assert_non_null(r->path);
    r->format = rd->format;
    lmb_status st = rd->read(ctx, r, (char *)b, cut);
    lmb_record_free(r);
    return st;
}

/*
 * Every .mpr cut at every 1 KiB boundary fails with a sentence naming it, and never crashes.
 * lmb_record_read_buffer copies what it is given, which for the 2.5 and 3.6 MB files at every
 * boundary would be 9 GB of copies (a minute under ASan): there the reader is also called on the
 * bytes in place at every boundary, and through lmb_record_read_buffer at the boundaries of the
 * first and last 64 KiB (all module headers, VMP Set and VMP LOG) and at every 64th in between.
 */
#define CUT_EDGE  (64 * 1024)
#define CUT_EVERY 64

static void test_mpr_truncated(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    static const char *const mprs[] = {MPR_PLATE, MPR_NACO, MPR_MB, MPR_GEIS, MPR_PRE, MPR_PEIS};
    for (size_t k = 0; k < sizeof mprs / sizeof mprs[0]; k++) {
        size_t len = 0, n = 0, n_copy = 0;
        unsigned char *b = slurp(mprs[k], &len);
        const char *name = strrchr(mprs[k], '/') + 1;
        for (size_t cut = 0; cut < len; cut += 1024, n++) {
            if (read_mpr_direct(ctx, name, b, cut) == LMB_OK)
                fail_msg("%s cut at %zu of %zu bytes was read", name, cut, len);
            assert_non_null(strstr(lmb_ctx_errmsg(ctx), name));
            if (!(cut < CUT_EDGE || cut + CUT_EDGE > len || n % CUT_EVERY == 0))
                continue;
            lmb_record *r = NULL;
            lmb_status st = lmb_record_read_buffer(ctx, name, b, cut, &r);
            if (st == LMB_OK)
                fail_msg("%s cut at %zu of %zu bytes loaded", name, cut, len);
            assert_null(r);
            assert_non_null(strstr(lmb_ctx_errmsg(ctx), name));
            n_copy++;
        }
        print_message("  %s: %zu cuts (%zu through lmb_record_read_buffer), the last: %s\n", name,
                      n, n_copy, lmb_ctx_errmsg(ctx));
        free(b);
    }
    lmb_ctx_free(ctx);
}

static void test_errors(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    has(load_fail(ctx, write_tmp("empty.mpr", "", 0), LMB_EPARSE), "empty");

    /* garbage given to each reader */
    char junk[3000];
    uint64_t s = 12345;
    for (size_t k = 0; k < sizeof junk; k++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        junk[k] = (char)(s >> 56);
    }
    has(read_as_fail(ctx, "biologic-mpr", junk, sizeof junk, LMB_EPARSE), "magic");
    read_as_fail(ctx, "biologic-mpt", junk, sizeof junk, LMB_EPARSE);
    read_as_fail(ctx, "biologic-mps", junk, sizeof junk, LMB_EPARSE);
    has(read_as_fail(ctx, "biologic-mpr", junk, 10, LMB_EPARSE), "truncated");

    /* .mpr: an unknown column ID, an unknown data version, a second data module */
    size_t len = 0;
    unsigned char *b = slurp(MPR_PLATE, &len);
    size_t h = find_bytes(b, len, "MODULEVMP data  "), ids = h + 6 + 51 + 5;
    assert_int_equal(b[ids + 2 * 15], 70); /* the 16th and last column, P/W */
    b[ids + 2 * 15] = (unsigned char)(999 & 0xff);
    b[ids + 2 * 15 + 1] = (unsigned char)(999 >> 8);
    const char *msg = load_fail(ctx, write_tmp("id999.mpr", b, len), LMB_EUNSUPPORTED);
    has(msg, "column ID 999");
    has(msg, "column 16 of 16");
    b[ids + 2 * 15] = 70;
    b[ids + 2 * 15 + 1] = 0;
    b[h + 6 + 39] = 7; /* the data module's version */
    has(load_fail(ctx, write_tmp("v7.mpr", b, len), LMB_EUNSUPPORTED), "version 7");
    b[h + 6 + 39] = 3;
    size_t lg = find_bytes(b, len, "MODULEVMP LOG   ");
    memcpy(b + lg + 6, "VMP data  ", 10);
    has(load_fail(ctx, write_tmp("twice.mpr", b, len), LMB_EPARSE), "a second");
    memcpy(b + lg + 6, "VMP LOG   ", 10);
    /* a VMP Set whose text field is not zero padded is not read: a note, no mass */
    size_t set = find_bytes(b, len, "MODULEVMP Set   ") + 6 + 51;
    b[set + 0x200] = 'x';
    lmb_record *r = load_ok(ctx, write_tmp("set.mpr", b, len));
    assert_true(lmb_record_active_mass(r) == 0.0);
    assert_non_null(note_with(r, "not zero padded"));
    lmb_record_free(r);
    free(b);

    /* .mpt: header cut short, bad count, a bad unit, a non-number, a short row */
    b = slurp(MPT_LSC, &len);
    has(load_fail(ctx, write_tmp("head.mpt", b, 600), LMB_EPARSE), "inside its header");
    free(b);
    const char *t1 = "EC-Lab ASCII FILE\nNb header lines : two\n";
    has(load_fail(ctx, write_tmp("count.mpt", t1, strlen(t1)), LMB_EPARSE), ":2:");
    const char *t2 = "time/s\tI/xA\n1\t2\n";
    msg = load_fail(ctx, write_tmp("unit.mpt", t2, strlen(t2)), LMB_EPARSE);
    has(msg, ":1:");
    has(msg, "\"xA\"");
    const char *t3 = "time/s\tEwe/V\n1\t2\n2\t3,5x\n";
    msg = load_fail(ctx, write_tmp("nan.mpt", t3, strlen(t3)), LMB_EPARSE);
    has(msg, ":3:");
    has(msg, "column 2");
    has(msg, "\"3,5x\"");
    const char *t4 = "time/s\tEwe/V\n1\t2\n2\n";
    has(load_fail(ctx, write_tmp("short.mpt", t4, strlen(t4)), LMB_EPARSE), "truncated?");
    const char *t5 = "time/s\tEwe/V\n";
    has(load_fail(ctx, write_tmp("norows.mpt", t5, strlen(t5)), LMB_EPARSE), "no data rows");
    const char *t6 = "EC-Lab ASCII FILE\nNb header lines : 3\nmode\tox/red\n1\t0\n";
    has(load_fail(ctx, write_tmp("nothing.mpt", t6, strlen(t6)), LMB_EPARSE), "none of the 2");
    lmb_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats_and_rows),
        cmocka_unit_test(test_mpr_values),
        cmocka_unit_test(test_text_values),
        cmocka_unit_test(test_nacoo2_charge),
        cmocka_unit_test(test_mps),
        cmocka_unit_test(test_mpt_variants),
        cmocka_unit_test(test_detection),
        cmocka_unit_test(test_mpr_truncated),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
