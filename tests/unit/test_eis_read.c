/*
 * test_eis_read.c - readers of measured impedance spectra (lmb/eis_data.h) on the published
 * example files of ../shared/data/eis/ (PROVENANCE.md), on variants of them written here (CRLF,
 * decimal commas, -Z'' columns, several loops) and on every error path (empty file, random
 * bytes, truncated .mpt, a non-numeric field, a negative frequency, ...).
 *
 * The expected values come from an independent reading: each text file is also parsed here line
 * by line with sscanf, and a few numbers are copied from the file text with the line they come
 * from. Both readers go through strtod on the same digits, so they must agree exactly; the
 * tolerance 1e-15 (relative) only allows for a decimal comma read through a different path.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_tmpdir.h"

#include "lmb/ctx.h"
#include "lmb/eis_data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EIS_DIR   LMB_SHARED_DIR "/data/eis/"
#define CSV_IMPY  EIS_DIR "eis_liion_f_re_im__impedancepy.csv"
#define TXT_DRT   EIS_DIR "eis_LIB_f_re_im__pyDRTtools.txt"
#define CSV_DRT1  EIS_DIR "eis_LIB_f_re_im__pyDRTtools_data_1.csv"
#define MPT_LSC   EIS_DIR "biologic_peis_LSC_thinfilm__impedancepy.mpt"
#define MPR_GEIS  EIS_DIR "biologic_geis_LiLi_symm_45spectra__insitu.mpr"
#define MPR_PRE   EIS_DIR "biologic_geis_LiLi_symm_prerun__insitu.mpr"
#define MPR_PEIS  EIS_DIR "biologic_peis_60pt__bdf.mpr"
#define MPR_MB    LMB_SHARED_DIR "/data/cycler/biologic_mb_gcpl_eis_halfcell__cellpy.mpr"
#define TOL_F32   1e-7 /* .mpr values are float32; the copies below have 9 digits */
#define TOL       1e-15
#define MAXPTS    256
#define MPT_NHEAD 61 /* "Nb header lines : 61" on line 2 of MPT_LSC */

static char tmpdir[64];

static void near(double got, double want, const char *what, size_t k) {
    if (!(fabs(got - want) <= TOL * fabs(want)))
        fail_msg("%s[%zu]: %.17g, expected %.17g", what, k, got, want);
}

/* Writes len bytes to tmpdir/name; returns the path (static storage, one per name slot). */
static const char *write_tmp(const char *name, const char *data, size_t len) {
    static char paths[16][128];
    static int next = 0;
    char *p = paths[next++ % 16];
    snprintf(p, 128, "%s/%s", tmpdir, name);
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    return p;
}

static char *slurp(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
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

static lmb_eis_data *load_ok(lmb_ctx *ctx, const char *path) {
    lmb_eis_data *d = NULL;
    lmb_status st = lmb_eis_data_load(ctx, path, &d);
    if (st != LMB_OK)
        fail_msg("load %s: %s: %s", path, lmb_status_name(st), lmb_ctx_errmsg(ctx));
    assert_non_null(d);
    return d;
}

/* Loads a file that must fail with want; returns the context's sentence (valid until next). */
static const char *load_fail(lmb_ctx *ctx, const char *path, lmb_status want) {
    lmb_eis_data *d = (lmb_eis_data *)&d; /* not NULL, to see that the loader clears it */
    lmb_status st = lmb_eis_data_load(ctx, path, &d);
    print_message("  %s -> %s: %s\n", strrchr(path, '/') ? strrchr(path, '/') + 1 : path,
                  lmb_status_name(st), lmb_ctx_errmsg(ctx));
    assert_null(d);
    if (st != want)
        fail_msg("%s: %s, expected %s (%s)", path, lmb_status_name(st), lmb_status_name(want),
                 lmb_ctx_errmsg(ctx));
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), path));
    return lmb_ctx_errmsg(ctx);
}

static void has(const char *msg, const char *part) {
    if (!strstr(msg, part))
        fail_msg("message \"%s\" lacks \"%s\"", msg, part);
}

/* Independent reading of a 3-column text file: sscanf of every line with the given format. */
static size_t scan_columns(const char *path, const char *fmt, double *f, double *re, double *im) {
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char line[512];
    size_t n = 0;
    while (fgets(line, sizeof line, fp) && n < MAXPTS)
        if (sscanf(line, fmt, &f[n], &re[n], &im[n]) == 3)
            n++;
    fclose(fp);
    return n;
}

/* Independent reading of the first three columns of an .mpt's data rows. */
static size_t scan_mpt(const char *path, double *f, double *re, double *mim) {
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char line[2048];
    size_t n = 0, lineno = 0;
    while (fgets(line, sizeof line, fp) && n < MAXPTS)
        if (++lineno > MPT_NHEAD && sscanf(line, "%lf\t%lf\t%lf", &f[n], &re[n], &mim[n]) == 3)
            n++;
    fclose(fp);
    return n;
}

static void same_spectrum(const lmb_eis_data *d, size_t i, const double *f, const double *re,
                          const double *im, size_t n) {
    assert_int_equal(lmb_eis_data_n(d, i), n);
    const double *gf = lmb_eis_data_f(d, i), *gr = lmb_eis_data_re(d, i),
                 *gi = lmb_eis_data_im(d, i);
    for (size_t k = 0; k < n; k++) {
        near(gf[k], f[k], "f", k);
        near(gr[k], re[k], "Re", k);
        near(gi[k], im[k], "Im", k);
    }
}

static int setup(void **state) {
    (void)state;
    return lmb_test_tmpdir_make(tmpdir, sizeof tmpdir, "test_eis_read");
}

static int teardown(void **state) {
    (void)state;
    return lmb_test_tmpdir_remove(tmpdir);
}

/* ---- the example files ---- */

static void test_csv_impedancepy(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_eis_data *d = load_ok(ctx, CSV_IMPY);
    print_message("impedance.py csv: %s; %s\n", lmb_eis_data_format(d), lmb_eis_data_sign_note(d));
    assert_string_equal(lmb_eis_data_format(d), "text-columns");
    assert_string_equal(lmb_eis_data_path(d), CSV_IMPY);
    assert_int_equal(lmb_eis_data_count(d), 1);
    assert_int_equal(lmb_eis_data_n(d, 0), 66);
    assert_int_equal(lmb_eis_data_im_flipped(d), 0);
    assert_int_equal(lmb_eis_data_cycle(d, 0), -1);
    double f[MAXPTS], re[MAXPTS], im[MAXPTS];
    size_t n = scan_columns(CSV_IMPY, "%lf,%lf,%lf", f, re, im);
    assert_int_equal(n, 66);
    same_spectrum(d, 0, f, re, im, n);
    /* line 1: 3.162299999999999833e-03,4.949989776405060160e-02,-2.043869854441892481e-02 */
    near(lmb_eis_data_f(d, 0)[0], 3.162299999999999833e-03, "f line 1", 0);
    near(lmb_eis_data_re(d, 0)[0], 4.949989776405060160e-02, "Re line 1", 0);
    near(lmb_eis_data_im(d, 0)[0], -2.043869854441892481e-02, "Im line 1", 0);
    /* out of range */
    assert_int_equal(lmb_eis_data_n(d, 1), 0);
    assert_null(lmb_eis_data_f(d, 1));
    assert_null(lmb_eis_data_im(d, 1));
    assert_int_equal(lmb_eis_data_cycle(d, 1), -1);
    lmb_eis_data_free(d);
    lmb_ctx_free(ctx);
}

static void test_txt_pydrttools(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_eis_data *d = load_ok(ctx, TXT_DRT);
    print_message("pyDRTtools txt: %s\n", lmb_eis_data_sign_note(d));
    assert_int_equal(lmb_eis_data_count(d), 1);
    assert_int_equal(lmb_eis_data_n(d, 0), 107);
    /* Im > 0 only at the 7 highest frequencies (999-501 Hz: the cell's inductance); the rest,
     * down to 5 mHz, is capacitive with Im < 0: the physics sign, kept */
    assert_int_equal(lmb_eis_data_im_flipped(d), 0);
    double f[MAXPTS], re[MAXPTS], im[MAXPTS];
    size_t n = scan_columns(TXT_DRT, "%lf %lf %lf", f, re, im);
    assert_int_equal(n, 107);
    same_spectrum(d, 0, f, re, im, n);
    /* line 1: 999.040405 	0.112362966 	0.00318273902 */
    near(lmb_eis_data_f(d, 0)[0], 999.040405, "f line 1", 0);
    near(lmb_eis_data_im(d, 0)[0], 0.00318273902, "Im line 1", 0);
    /* line 107: 0.00500083202 	0.151735559 	-0.0137396762 */
    near(lmb_eis_data_f(d, 0)[106], 0.00500083202, "f line 107", 106);
    near(lmb_eis_data_re(d, 0)[106], 0.151735559, "Re line 107", 106);
    near(lmb_eis_data_im(d, 0)[106], -0.0137396762, "Im line 107", 106);
    lmb_eis_data_free(d);

    d = load_ok(ctx, CSV_DRT1);
    print_message("pyDRTtools data_1 csv: %s\n", lmb_eis_data_sign_note(d));
    assert_int_equal(lmb_eis_data_n(d, 0), 107);
    assert_int_equal(lmb_eis_data_im_flipped(d), 0);
    n = scan_columns(CSV_DRT1, "%lf,%lf,%lf", f, re, im);
    assert_int_equal(n, 107);
    same_spectrum(d, 0, f, re, im, n);
    /* line 1: 999.040405,0.109963283,0.003569859; line 107: 0.005000832,0.145364374,-0.021382034 */
    near(lmb_eis_data_im(d, 0)[0], 0.003569859, "Im line 1", 0);
    near(lmb_eis_data_im(d, 0)[106], -0.021382034, "Im line 107", 106);
    lmb_eis_data_free(d);
    lmb_ctx_free(ctx);
}

static void test_mpt_lsc(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_eis_data *d = load_ok(ctx, MPT_LSC);
    print_message("LSC mpt: %s; %s\n", lmb_eis_data_format(d), lmb_eis_data_sign_note(d));
    assert_string_equal(lmb_eis_data_format(d), "biologic-mpt");
    assert_int_equal(lmb_eis_data_count(d), 1);
    assert_int_equal(lmb_eis_data_n(d, 0), 43);
    assert_int_equal(lmb_eis_data_im_flipped(d), 1);
    assert_int_equal(lmb_eis_data_cycle(d, 0), 1); /* "cycle number" 1.000000000000000E+000 */
    double f[MAXPTS], re[MAXPTS], mim[MAXPTS], im[MAXPTS];
    size_t n = scan_mpt(MPT_LSC, f, re, mim);
    assert_int_equal(n, 43);
    for (size_t k = 0; k < n; k++)
        im[k] = -mim[k];
    same_spectrum(d, 0, f, re, im, n);
    const double *gf = lmb_eis_data_f(d, 0), *gr = lmb_eis_data_re(d, 0),
                 *gi = lmb_eis_data_im(d, 0);
    /* line 62: 1.0003201E+003	6.5470886E+001	3.8998979E-001 (-Im) */
    near(gf[0], 1.0003201E+003, "f line 62", 0);
    near(gr[0], 6.5470886E+001, "Re line 62", 0);
    near(gi[0], -3.8998979E-001, "Im line 62", 0);
    /* line 64: 5.9291284E+002	6.3786083E+001	-4.9220982E-001 (an inductive point) */
    near(gi[2], 4.9220982E-001, "Im line 64", 2);
    /* line 104 (last, no newline): 1.6895540E-002	1.1097003E+002	2.3458567E+000 */
    near(gf[42], 1.6895540E-002, "f line 104", 42);
    near(gr[42], 1.1097003E+002, "Re line 104", 42);
    near(gi[42], -2.3458567E+000, "Im line 104", 42);
    lmb_eis_data_free(d);
    lmb_ctx_free(ctx);
}

/* Relative agreement with a float32 value copied with 9 significant digits. */
static void near32(double got, double want, const char *what) {
    if (!(fabs(got - want) <= TOL_F32 * fabs(want)))
        fail_msg("%s: %.9g, expected %.9g within %g", what, got, want, TOL_F32);
}

/*
 * The binary files. Expected values: an independent reading with Python's struct module of the
 * "VMP data" records (column IDs 32 freq/Hz, 37 Re(Z)/Ohm, 38 -Im(Z)/Ohm, 24 cycle number),
 * printed with 9 significant digits.
 */
static void test_mpr(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);

    /* GEIS, 45 spectra x 9 points, 500 Hz - 0.8 Hz, split on "cycle number" 1..45 */
    lmb_eis_data *d = load_ok(ctx, MPR_GEIS);
    print_message("GEIS mpr: %s, %zu spectra; %s\n", lmb_eis_data_format(d), lmb_eis_data_count(d),
                  lmb_eis_data_sign_note(d));
    assert_string_equal(lmb_eis_data_format(d), "biologic-mpr");
    assert_int_equal(lmb_eis_data_count(d), 45);
    assert_int_equal(lmb_eis_data_im_flipped(d), 1);
    for (size_t i = 0; i < 45; i++) {
        assert_int_equal(lmb_eis_data_n(d, i), 9);
        assert_int_equal(lmb_eis_data_cycle(d, i), (long)i + 1);
        near32(lmb_eis_data_f(d, i)[0], 500.160034, "f of the first point of each spectrum");
        near32(lmb_eis_data_f(d, i)[8], 0.799805403, "f of the last point of each spectrum");
    }
    /* row 0: f 500.160034 re 203.128159 -Im 34.9853058; row 1: 223.640289 212.894302
     * 22.0852337; row 404: 0.799805403 99.0155334 0.89711076 */
    near32(lmb_eis_data_re(d, 0)[0], 203.128159, "Re row 0");
    near32(lmb_eis_data_im(d, 0)[0], -34.9853058, "Im row 0");
    near32(lmb_eis_data_f(d, 0)[1], 223.640289, "f row 1");
    near32(lmb_eis_data_re(d, 0)[1], 212.894302, "Re row 1");
    near32(lmb_eis_data_im(d, 0)[1], -22.0852337, "Im row 1");
    near32(lmb_eis_data_re(d, 44)[8], 99.0155334, "Re row 404");
    near32(lmb_eis_data_im(d, 44)[8], -0.89711076, "Im row 404");
    lmb_eis_data_free(d);

    /* GEIS before cycling, 15 points; row 0: 10002.2295 102.915108 110.215874, row 14:
     * 0.0999041125 788.04541 22.5191727 */
    d = load_ok(ctx, MPR_PRE);
    assert_int_equal(lmb_eis_data_count(d), 1);
    assert_int_equal(lmb_eis_data_n(d, 0), 15);
    near32(lmb_eis_data_f(d, 0)[0], 10002.2295, "f row 0");
    near32(lmb_eis_data_im(d, 0)[0], -110.215874, "Im row 0");
    near32(lmb_eis_data_f(d, 0)[14], 0.0999041125, "f row 14");
    near32(lmb_eis_data_re(d, 0)[14], 788.04541, "Re row 14");
    near32(lmb_eis_data_im(d, 0)[14], -22.5191727, "Im row 14");
    lmb_eis_data_free(d);

    /* PEIS, 60 points, cycle number 0; row 0: 10001 5.52131414 1.55130708, row 59:
     * 0.00931322575 95.2886353 80.3527451 */
    d = load_ok(ctx, MPR_PEIS);
    assert_int_equal(lmb_eis_data_count(d), 1);
    assert_int_equal(lmb_eis_data_n(d, 0), 60);
    assert_int_equal(lmb_eis_data_cycle(d, 0), 0);
    near32(lmb_eis_data_f(d, 0)[0], 10001.0, "f row 0");
    near32(lmb_eis_data_re(d, 0)[0], 5.52131414, "Re row 0");
    near32(lmb_eis_data_im(d, 0)[0], -1.55130708, "Im row 0");
    near32(lmb_eis_data_f(d, 0)[59], 0.00931322575, "f row 59");
    near32(lmb_eis_data_im(d, 0)[59], -80.3527451, "Im row 59");
    lmb_eis_data_free(d);

    /* Modulo Bat record mixing GCPL and EIS (23,561 rows; 310 with f > 0), without Re/-Im
     * columns: Z from |Z| and Phase(Z); 5 spectra on "z cycle" 0..4 of 64, 64, 64, 64, 54 points.
     * Row 27: f 100019.508, |Z| 6.57235909, Phase -2.73403859 deg: Z = 6.5648778570 -
     * j 0.3135006631 ohm (float64 from the float32 values; tolerance 1e-12). */
    d = load_ok(ctx, MPR_MB);
    print_message("MB mpr: %zu spectra; %s\n", lmb_eis_data_count(d), lmb_eis_data_sign_note(d));
    assert_int_equal(lmb_eis_data_count(d), 5);
    assert_int_equal(lmb_eis_data_im_flipped(d), 0);
    static const size_t mb_n[5] = {64, 64, 64, 64, 54};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(lmb_eis_data_n(d, i), mb_n[i]);
        assert_int_equal(lmb_eis_data_cycle(d, i), (long)i);
    }
    near32(lmb_eis_data_f(d, 0)[0], 100019.508, "f row 27");
    assert_true(fabs(lmb_eis_data_re(d, 0)[0] - 6.5648778570148876) < 1e-12 * 6.57);
    assert_true(fabs(lmb_eis_data_im(d, 0)[0] + 0.31350066307547775) < 1e-12 * 6.57);
    lmb_eis_data_free(d);
    lmb_ctx_free(ctx);
}

/* ---- variants written here ---- */

/* CRLF line ends and decimal commas throughout give the same values as the original. */
static void test_mpt_crlf_decimal_comma(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    size_t len = 0;
    char *src = slurp(MPT_LSC, &len);
    char *v = malloc(2 * len + 1);
    assert_non_null(v);
    size_t m = 0;
    for (size_t k = 0; k < len; k++) {
        if (src[k] == '\n')
            v[m++] = '\r';
        v[m++] = src[k] == '.' ? ',' : src[k];
    }
    assert_non_null(memchr(v, ',', m));
    lmb_eis_data *a = load_ok(ctx, MPT_LSC);
    lmb_eis_data *b = load_ok(ctx, write_tmp("crlf_comma.mpt", v, m));
    assert_int_equal(lmb_eis_data_count(b), 1);
    assert_int_equal(lmb_eis_data_im_flipped(b), 1);
    same_spectrum(b, 0, lmb_eis_data_f(a, 0), lmb_eis_data_re(a, 0), lmb_eis_data_im(a, 0), 43);
    lmb_eis_data_free(b);

    /* the CSV with CRLF and ';' separators with decimal commas */
    free(src);
    src = slurp(CSV_IMPY, &len);
    m = 0;
    for (size_t k = 0; k < len; k++) {
        if (src[k] == '\n')
            v[m++] = '\r';
        v[m++] = src[k] == '.' ? ',' : src[k] == ',' ? ';' : src[k];
    }
    lmb_eis_data_free(a);
    a = load_ok(ctx, CSV_IMPY);
    b = load_ok(ctx, write_tmp("crlf_semicolon.csv", v, m));
    same_spectrum(b, 0, lmb_eis_data_f(a, 0), lmb_eis_data_re(a, 0), lmb_eis_data_im(a, 0), 66);
    lmb_eis_data_free(b);
    lmb_eis_data_free(a);
    free(v);
    free(src);
    lmb_ctx_free(ctx);
}

static const char mpt_head[] = "EC-Lab ASCII FILE\nNb header lines : 4\n\n";

/* Two loops of a 5-point sweep: split on "cycle number", and without it on the restart. */
static void test_mpt_two_loops(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    const double fs[5] = {1000.0, 100.0, 10.0, 1.0, 0.1};
    char buf[4096], buf2[4096];
    int m = snprintf(buf, sizeof buf, "%sfreq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\ttime/s\tcycle number\n",
                     mpt_head);
    int m2 = snprintf(buf2, sizeof buf2, "%sfreq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\n", mpt_head);
    for (int loop = 1; loop <= 2; loop++)
        for (int k = 0; k < 5; k++) {
            m += snprintf(buf + m, sizeof buf - (size_t)m, "%g\t%g\t%g\t%d\t%d.000000E+000\n",
                          fs[k], 10.0 * loop + k, 0.5 * (k + 1), 5 * loop + k, loop);
            m2 += snprintf(buf2 + m2, sizeof buf2 - (size_t)m2, "%g\t%g\t%g\n", fs[k],
                           10.0 * loop + k, 0.5 * (k + 1));
        }
    for (int variant = 0; variant < 2; variant++) {
        const char *p = variant == 0 ? write_tmp("loops_cycle.mpt", buf, (size_t)m)
                                     : write_tmp("loops_restart.mpt", buf2, (size_t)m2);
        lmb_eis_data *d = load_ok(ctx, p);
        assert_int_equal(lmb_eis_data_count(d), 2);
        for (size_t i = 0; i < 2; i++) {
            assert_int_equal(lmb_eis_data_n(d, i), 5);
            assert_int_equal(lmb_eis_data_cycle(d, i), variant == 0 ? (long)i + 1 : -1);
            for (size_t k = 0; k < 5; k++) {
                near(lmb_eis_data_f(d, i)[k], fs[k], "f", k);
                near(lmb_eis_data_re(d, i)[k], 10.0 * (double)(i + 1) + (double)k, "Re", k);
                near(lmb_eis_data_im(d, i)[k], -0.5 * (double)(k + 1), "Im", k);
            }
        }
        lmb_eis_data_free(d);
    }
    /* the export without the header block: the first line is the column names */
    const char *nohead = "freq/Hz\tRe(Z)/Ohm\tIm(Z)/Ohm\n100\t1\t-2\n10\t1.5\t-3\n";
    lmb_eis_data *d = load_ok(ctx, write_tmp("nohead.mpt", nohead, strlen(nohead)));
    assert_string_equal(lmb_eis_data_format(d), "biologic-mpt");
    assert_int_equal(lmb_eis_data_n(d, 0), 2);
    assert_int_equal(lmb_eis_data_im_flipped(d), 0);
    near(lmb_eis_data_im(d, 0)[1], -3.0, "Im", 1);
    lmb_eis_data_free(d);
    lmb_ctx_free(ctx);
}

/* A text file holding -Z'': found from a "-" header, else from the data; not from the name. */
static void test_text_sign_detection(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_eis_data *a = load_ok(ctx, TXT_DRT);
    const double *f = lmb_eis_data_f(a, 0), *re = lmb_eis_data_re(a, 0),
                 *im = lmb_eis_data_im(a, 0);
    static char body[16384];
    for (int variant = 0; variant < 3; variant++) {
        static const char *const head[3] = {"", "# comment line\nfreq,Zreal,Zimag\n",
                                            "frequency\tZ'\t-Z''\n"};
        int m = snprintf(body, sizeof body, "%s", head[variant]);
        for (size_t k = 0; k < 107; k++)
            m += snprintf(body + m, sizeof body - (size_t)m,
                          variant == 2 ? "%.17g\t%.17g\t%.17g\n" : "%.17g,%.17g,%.17g # pt\n", f[k],
                          re[k], variant == 2 ? im[k] : -im[k]);
        /* variant 2 writes the physics-sign values under a "-Z''" header: the header wins */
        const char *p = write_tmp(variant == 1 ? "minus_header.txt" : "minus.txt", body, (size_t)m);
        lmb_eis_data *d = load_ok(ctx, p);
        print_message("  variant %d: %s\n", variant, lmb_eis_data_sign_note(d));
        assert_int_equal(lmb_eis_data_im_flipped(d), 1);
        assert_int_equal(lmb_eis_data_n(d, 0), 107);
        for (size_t k = 0; k < 107; k++)
            near(lmb_eis_data_im(d, 0)[k], variant == 2 ? -im[k] : im[k], "Im", k);
        lmb_eis_data_free(d);
    }
    lmb_eis_data_free(a);
    /* a tie at and below the median frequency (2 Hz: one Im > 0, one Im < 0) is not evidence of
     * -Z'': kept */
    const char *tie = "1 1 0.5\n2 1 -0.5\n3 1 0.2\n4 1 0.1\n";
    a = load_ok(ctx, write_tmp("tie.txt", tie, strlen(tie)));
    assert_int_equal(lmb_eis_data_im_flipped(a), 0);
    near(lmb_eis_data_im(a, 0)[0], 0.5, "Im", 0);
    lmb_eis_data_free(a);
    lmb_ctx_free(ctx);
}

/* ---- errors ---- */

static void test_errors(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_eis_data *d = NULL;
    assert_int_equal(lmb_eis_data_load(ctx, NULL, &d), LMB_EINVAL);
    assert_int_equal(lmb_eis_data_load(ctx, CSV_IMPY, NULL), LMB_EINVAL);
    lmb_eis_data_free(NULL);
    assert_int_equal(lmb_eis_data_count(NULL), 0);

    char missing[128];
    snprintf(missing, sizeof missing, "%s/no_such_file.csv", tmpdir);
    load_fail(ctx, missing, LMB_EIO);
    load_fail(ctx, tmpdir, LMB_EIO); /* a directory: fopen may succeed, fread fails */

    has(load_fail(ctx, write_tmp("empty.csv", "", 0), LMB_EPARSE), "empty");
    has(load_fail(ctx, write_tmp("blank.csv", "\n\r\n  \n", 6), LMB_EPARSE), "no data rows");

    /* random bytes: with NUL bytes (binary), and printable garbage without them */
    static char rnd[8192];
    uint32_t x = 12345u;
    for (size_t k = 0; k < sizeof rnd; k++) {
        x = x * 1664525u + 1013904223u;
        rnd[k] = (char)(x >> 24);
    }
    has(load_fail(ctx, write_tmp("random.bin", rnd, sizeof rnd), LMB_EPARSE), "binary");
    for (size_t k = 0; k < sizeof rnd; k++)
        rnd[k] = (char)(32 + (unsigned char)rnd[k] % 95);
    for (size_t k = 0; k < sizeof rnd; k += 61)
        rnd[k] = '\n';
    load_fail(ctx, write_tmp("random.txt", rnd, sizeof rnd), LMB_EPARSE);

    /* truncated .mpt: inside the header, and inside a data row (line 80) */
    size_t len = 0;
    char *src = slurp(MPT_LSC, &len);
    has(load_fail(ctx, write_tmp("trunc_head.mpt", src, 1500), LMB_EPARSE), "truncated");
    size_t off = 0;
    for (int line = 1; line < 80; off++)
        if (src[off] == '\n')
            line++;
    const char *msg = load_fail(ctx, write_tmp("trunc_row.mpt", src, off + 30), LMB_EPARSE);
    has(msg, ":80:");
    has(msg, "truncated");
    /* a .mpt without the impedance columns */
    const char *noz = "EC-Lab ASCII FILE\nNb header lines : 4\n\ntime/s\tEwe/V\n1\t2\n";
    has(load_fail(ctx, write_tmp("noz.mpt", noz, strlen(noz)), LMB_EPARSE), "freq/Hz");
    const char *badn = "EC-Lab ASCII FILE\nNb header lines : many\n";
    has(load_fail(ctx, write_tmp("badn.mpt", badn, strlen(badn)), LMB_EPARSE), ":2:");
    /* a non-numeric field in an .mpt row (line 80 of the file) */
    memcpy(src + off, "x", 1); /* first character of line 80 */
    msg = load_fail(ctx, write_tmp("alpha_row.mpt", src, len), LMB_EPARSE);
    has(msg, ":80:");
    has(msg, "freq/Hz");
    free(src);

    /* text: a non-numeric field, too few fields, a negative frequency, an infinite value */
    const char *t1 = "f,re,im\n1,2,-3\n2,abc,-4\n";
    msg = load_fail(ctx, write_tmp("alpha.csv", t1, strlen(t1)), LMB_EPARSE);
    has(msg, ":3:");
    has(msg, "field 2");
    has(msg, "\"abc\"");
    const char *t2 = "1,2,-3\n2,3\n";
    has(load_fail(ctx, write_tmp("short.csv", t2, strlen(t2)), LMB_EPARSE), ":2:");
    const char *t3 = "1 2 -3\n\n-5 2 -3\n";
    msg = load_fail(ctx, write_tmp("negf.txt", t3, strlen(t3)), LMB_ERANGE);
    has(msg, ":3:");
    has(msg, "frequency");
    const char *t4 = "0,2,-3\n";
    has(load_fail(ctx, write_tmp("zerof.csv", t4, strlen(t4)), LMB_ERANGE), ":1:");
    const char *t5 = "1,2,-3\n2,1e999,-3\n";
    has(load_fail(ctx, write_tmp("inf.csv", t5, strlen(t5)), LMB_ERANGE), ":2:");
    const char *t6 = "1,2,-3\n2,nan,-3\n";
    has(load_fail(ctx, write_tmp("nan.csv", t6, strlen(t6)), LMB_ERANGE), ":2:");
    const char *t7 = "1,2,-3x\n";
    has(load_fail(ctx, write_tmp("trail.csv", t7, strlen(t7)), LMB_EPARSE), "field 3");

    /* .mpr: truncated inside the records, inside a module header, an unknown column ID, and a
     * cycler record without impedance columns */
    src = slurp(MPR_GEIS, &len);
    has(load_fail(ctx, write_tmp("trunc.mpr", src, 20000), LMB_EPARSE), "truncated");
    has(load_fail(ctx, write_tmp("trunc_hdr.mpr", src, 6870), LMB_EPARSE), "6857");
    has(load_fail(ctx, write_tmp("magic.mpr", src, 40), LMB_EPARSE), "truncated");
    /* the VMP data module starts at byte 6857; its column IDs (u16) at 6857 + 57 + 5; the
     * 16th, P/W (70), becomes 999 */
    assert_memory_equal(src + 6857, "MODULEVMP data  ", 16);
    assert_int_equal((unsigned char)src[6857 + 57 + 5 + 30], 70);
    src[6857 + 57 + 5 + 30] = (char)(999 & 0xff);
    src[6857 + 57 + 5 + 31] = (char)(999 >> 8);
    has(load_fail(ctx, write_tmp("unknown_id.mpr", src, len), LMB_EUNSUPPORTED), "column ID 999");
    free(src);
    has(load_fail(ctx, LMB_SHARED_DIR "/data/cycler/biologic_gcpl_LiLi_symm_plating__insitu.mpr",
                  LMB_EPARSE),
        "not an impedance record");
    lmb_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_impedancepy),
        cmocka_unit_test(test_txt_pydrttools),
        cmocka_unit_test(test_mpt_lsc),
        cmocka_unit_test(test_mpt_crlf_decimal_comma),
        cmocka_unit_test(test_mpt_two_loops),
        cmocka_unit_test(test_text_sign_detection),
        cmocka_unit_test(test_mpr),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
