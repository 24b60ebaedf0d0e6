/*
 * record.c - the measured cycling record (lmb/record.h): building it, the table of readers and
 * the detection of a file's format from its content, and the impedance-text reader.
 */
#include "lmb/record.h"

#include "lmb/eis_data.h"

#include "core/ctx_internal.h"
#include "io/eis_internal.h"
#include "io/record_internal.h"
#include "io/text.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the columns ---- */

static const struct {
    const char *label;
    double scale, offset;
} bdf_units[LMB_REC_N_COLS] = {
    [LMB_REC_TIME] = {"Test Time / s", 1.0, 0.0},
    [LMB_REC_VOLTAGE] = {"Voltage / V", 1.0, 0.0},
    [LMB_REC_CURRENT] = {"Current / A", 1.0, 0.0},
    [LMB_REC_STEP_INDEX] = {"Step Index / 1", 1.0, 0.0},
    [LMB_REC_CYCLE_INDEX] = {"Cycle Count / 1", 1.0, 0.0},
    [LMB_REC_UNIX_TIME] = {"Unix Time / s", 1.0, 0.0},
    [LMB_REC_CHARGE_CAPACITY] = {"Charging Capacity / Ah", 1.0 / 3600.0, 0.0},
    [LMB_REC_DISCHARGE_CAPACITY] = {"Discharging Capacity / Ah", 1.0 / 3600.0, 0.0},
    [LMB_REC_CHARGE_ENERGY] = {"Charging Energy / Wh", 1.0 / 3600.0, 0.0},
    [LMB_REC_DISCHARGE_ENERGY] = {"Discharging Energy / Wh", 1.0 / 3600.0, 0.0},
    [LMB_REC_NET_CHARGE] = {"Net Capacity / Ah", 1.0 / 3600.0, 0.0},
    [LMB_REC_TEMPERATURE] = {"Temperature T1 / degC", 1.0, -273.15},
    [LMB_REC_HALF_CYCLE] = {"Half Cycle / 1", 1.0, 0.0},
    [LMB_REC_FREQUENCY] = {"Frequency / Hz", 1.0, 0.0},
    [LMB_REC_Z_RE] = {"Real Impedance / Ohm", 1.0, 0.0},
    [LMB_REC_Z_IM] = {"Imaginary Impedance / Ohm", 1.0, 0.0},
};

const char *lmb_record_label(lmb_rec_col c) {
    return (unsigned)c < LMB_REC_N_COLS ? bdf_units[c].label : NULL;
}

double lmb_record_bdf_scale(lmb_rec_col c) {
    return (unsigned)c < LMB_REC_N_COLS ? bdf_units[c].scale : NAN;
}

double lmb_record_bdf_offset(lmb_rec_col c) {
    return (unsigned)c < LMB_REC_N_COLS ? bdf_units[c].offset : NAN;
}

/* ---- building ---- */

lmb_status lmb__record_add_column(lmb_ctx *ctx, lmb_record *r, lmb_rec_col c) {
    if ((unsigned)c >= LMB_REC_N_COLS)
        LMB__FAIL(ctx, LMB_EINVAL, "%.400s: column %d does not exist", r->path, (int)c);
    if (r->col[c])
        return LMB_OK;
    double *v = malloc((r->cap ? r->cap : 1) * sizeof *v);
    if (!v)
        LMB__FAIL(ctx, LMB_ENOMEM, "%.400s: out of memory", r->path);
    for (size_t i = 0; i < r->n; i++)
        v[i] = NAN;
    r->col[c] = v;
    return LMB_OK;
}

lmb_status lmb__record_reserve(lmb_ctx *ctx, lmb_record *r, size_t n) {
    if (n <= r->cap)
        return LMB_OK;
    if (n > LMB__RECORD_FILE_MAX) /* more rows than a file of the largest size has bytes */
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s: %zu rows announced, more than a file can hold", r->path,
                  n);
    for (int c = 0; c < LMB_REC_N_COLS; c++) {
        if (!r->col[c])
            continue;
        double *nv = realloc(r->col[c], n * sizeof *nv);
        if (!nv)
            LMB__FAIL(ctx, LMB_ENOMEM, "%.400s: out of memory for %zu rows", r->path, n);
        r->col[c] = nv;
    }
    r->cap = n;
    return LMB_OK;
}

lmb_status lmb__record_push(lmb_ctx *ctx, lmb_record *r, const double *v) {
    if (r->n == r->cap) {
        lmb_status st = lmb__record_reserve(ctx, r, r->cap ? 2 * r->cap : 1024);
        if (st != LMB_OK)
            return st;
    }
    for (int c = 0; c < LMB_REC_N_COLS; c++)
        if (r->col[c])
            r->col[c][r->n] = v[c];
    r->n++;
    return LMB_OK;
}

lmb_status lmb__record_note(lmb_ctx *ctx, lmb_record *r, const char *fmt, ...) {
    char text[241];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    char **nn = realloc(r->notes, (r->n_notes + 1) * sizeof *nn);
    if (!nn)
        LMB__FAIL(ctx, LMB_ENOMEM, "%.400s: out of memory", r->path);
    r->notes = nn;
    size_t len = strlen(text);
    char *t = malloc(len + 1);
    if (!t)
        LMB__FAIL(ctx, LMB_ENOMEM, "%.400s: out of memory", r->path);
    memcpy(t, text, len + 1);
    r->notes[r->n_notes++] = t;
    return LMB_OK;
}

/* ---- accessors ---- */

void lmb_record_free(lmb_record *r) {
    if (!r)
        return;
    for (int c = 0; c < LMB_REC_N_COLS; c++)
        free(r->col[c]);
    for (size_t i = 0; i < r->n_notes; i++)
        free(r->notes[i]);
    free(r->notes);
    free(r->path);
    free(r);
}

size_t lmb_record_rows(const lmb_record *r) {
    return r ? r->n : 0;
}

const double *lmb_record_column(const lmb_record *r, lmb_rec_col c) {
    return r && (unsigned)c < LMB_REC_N_COLS ? r->col[c] : NULL;
}

const char *lmb_record_format(const lmb_record *r) {
    return r ? r->format : NULL;
}

const char *lmb_record_path(const lmb_record *r) {
    return r ? r->path : NULL;
}

double lmb_record_active_mass(const lmb_record *r) {
    return r ? r->mass_kg : 0.0;
}

double lmb_record_area(const lmb_record *r) {
    return r ? r->area_m2 : 0.0;
}

double lmb_record_nominal_capacity(const lmb_record *r) {
    return r ? r->capacity_C : 0.0;
}

size_t lmb_record_note_count(const lmb_record *r) {
    return r ? r->n_notes : 0;
}

const char *lmb_record_note(const lmb_record *r, size_t i) {
    return r && i < r->n_notes ? r->notes[i] : NULL;
}

/* ---- impedance spectra as text columns, through the EIS reader ---- */

static int detect_eis_text(const char *buf, size_t len) {
    (void)buf;
    (void)len;
    return 1; /* the last resort: the EIS reader says clearly what it cannot read */
}

static lmb_status read_eis_text(lmb_ctx *ctx, lmb_record *r, char *buf, size_t len) {
    lmb_eis_data *d = NULL;
    lmb_status st = lmb__eis_data_parse(ctx, r->path, buf, len, &d);
    if (st != LMB_OK)
        return st;
    static const lmb_rec_col cols[] = {LMB_REC_FREQUENCY, LMB_REC_Z_RE, LMB_REC_Z_IM};
    for (size_t k = 0; k < 3 && st == LMB_OK; k++)
        st = lmb__record_add_column(ctx, r, cols[k]);
    for (size_t i = 0; i < lmb_eis_data_count(d) && st == LMB_OK; i++) {
        const double *f = lmb_eis_data_f(d, i), *re = lmb_eis_data_re(d, i),
                     *im = lmb_eis_data_im(d, i);
        for (size_t k = 0; k < lmb_eis_data_n(d, i) && st == LMB_OK; k++) {
            double v[LMB_REC_N_COLS];
            v[LMB_REC_FREQUENCY] = f[k];
            v[LMB_REC_Z_RE] = re[k];
            v[LMB_REC_Z_IM] = im[k];
            st = lmb__record_push(ctx, r, v);
        }
    }
    if (st == LMB_OK)
        st = lmb__record_note(ctx, r, "impedance spectrum only (no time series): %s",
                              lmb_eis_data_sign_note(d));
    lmb_eis_data_free(d);
    return st;
}

const lmb__record_reader lmb__reader_eis_text = {"eis-text", detect_eis_text, read_eis_text};

/* ---- detection and loading ---- */

/* In the order they are tried: binary magic first, the loosest text format last. */
static const lmb__record_reader *const readers[] = {
    &lmb__reader_biologic_mpr, &lmb__reader_biologic_mps, &lmb__reader_biologic_mpt,
    &lmb__reader_maccor,       &lmb__reader_arbin,        &lmb__reader_neware,
    &lmb__reader_landt,        &lmb__reader_bdf,          &lmb__reader_eis_text,
};

const lmb__record_reader *lmb__record_reader_find(const char *format) {
    for (size_t k = 0; k < sizeof readers / sizeof readers[0]; k++)
        if (format && strcmp(readers[k]->format, format) == 0)
            return readers[k];
    return NULL;
}

lmb_status lmb__record_new(lmb_ctx *ctx, const char *name, lmb_record **out) {
    lmb_record *r = calloc(1, sizeof *r);
    size_t len = strlen(name);
    char *p = r ? malloc(len + 1) : NULL;
    if (!p) {
        free(r);
        LMB__FAIL(ctx, LMB_ENOMEM, "%.400s: out of memory", name);
    }
    memcpy(p, name, len + 1);
    r->path = p;
    *out = r;
    return LMB_OK;
}

/* Reads buf (NUL-terminated copy, cut in place) with rd, or with the detected reader if NULL. */
static lmb_status parse(lmb_ctx *ctx, const lmb__record_reader *rd, const char *name, int from_file,
                        char *buf, size_t len, lmb_record **out) {
    if (len == 0)
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s: the file is empty", name);
    for (size_t k = 0; !rd && k < sizeof readers / sizeof readers[0]; k++)
        if (readers[k]->detect(buf, len))
            rd = readers[k];
    lmb_record *r = NULL;
    lmb_status st = lmb__record_new(ctx, name, &r);
    if (st != LMB_OK)
        return st;
    r->from_file = from_file;
    r->format = rd->format;
    st = rd->read(ctx, r, buf, len);
    if (st == LMB_OK && r->n == 0 && strcmp(rd->format, "biologic-mps") != 0)
        st = lmb__ctx_fail(ctx, LMB_EPARSE, "%.400s: no data rows (read as %s)", name, rd->format);
    if (st != LMB_OK) {
        lmb_record_free(r);
        return st;
    }
    *out = r;
    return LMB_OK;
}

static lmb_status read_copy(lmb_ctx *ctx, const lmb__record_reader *rd, const char *name,
                            const void *buf, size_t len, lmb_record **out) {
    if (!out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_record_read_buffer: out is NULL");
    *out = NULL;
    if (!name || (!buf && len > 0))
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_record_read_buffer: name or buffer is NULL");
    if (len > LMB__RECORD_FILE_MAX)
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s: larger than %zu bytes", name, LMB__RECORD_FILE_MAX);
    char *copy = malloc(len + 1);
    if (!copy)
        LMB__FAIL(ctx, LMB_ENOMEM, "%.400s: out of memory", name);
    if (len)
        memcpy(copy, buf, len);
    copy[len] = '\0';
    lmb_status st = parse(ctx, rd, name, 0, copy, len, out);
    free(copy);
    return st;
}

lmb_status lmb_record_read_buffer(lmb_ctx *ctx, const char *name, const void *buf, size_t len,
                                  lmb_record **out) {
    return read_copy(ctx, NULL, name, buf, len, out);
}

lmb_status lmb__record_read_as(lmb_ctx *ctx, const lmb__record_reader *rd, const char *name,
                               const void *buf, size_t len, lmb_record **out) {
    return read_copy(ctx, rd, name, buf, len, out);
}

lmb_status lmb_record_load(lmb_ctx *ctx, const char *path, lmb_record **out) {
    if (!out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_record_load: out is NULL");
    *out = NULL;
    if (!path)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_record_load: path is NULL");
    char *buf = NULL;
    size_t len = 0;
    lmb_status st =
        lmb__read_whole_file(ctx, path, LMB__RECORD_FILE_MAX, "a cycler file", &buf, &len);
    if (st != LMB_OK)
        return st;
    st = parse(ctx, NULL, path, 1, buf, len, out);
    free(buf);
    return st;
}
