/*
 * eis_read.c - readers of measured impedance spectra (lmb/eis_data.h).
 *
 * The whole file is read into memory (at most LMB__EIS_FILE_MAX bytes), NUL-terminated, and
 * cut into lines in place ('\n' ends a line, a trailing '\r' is dropped, so LF and CRLF read
 * alike). The format is chosen from the first bytes: "BIO-LOGIC MODULAR FILE" is the binary
 * .mpr, "EC-Lab ASCII FILE" or a first line starting "freq/Hz" with a
 * tab is the EC-Lab text export, anything else without NUL bytes is tried as text columns.
 *
 * Numbers are parsed with strtod after a decimal comma, where the format allows one, has been
 * turned into a point; the library never calls setlocale, so strtod reads a point under the
 * "C" locale a program starts in. Every field must be consumed whole by strtod: "1.5abc" is an
 * error, not 1.5.
 *
 * All points of the file go into one set of growing arrays; spectra are runs of them, so the
 * set holds four allocations whatever the number of spectra.
 */
#include "lmb/eis_data.h"

#include "core/ctx_internal.h"
#include "io/eis_internal.h"
#include "io/mpr.h"
#include "io/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest file accepted [bytes]; EIS exports are kilobytes to a few megabytes. */
#define LMB__EIS_FILE_MAX ((size_t)256 * 1024 * 1024)
/* Most fields a text or .mpt row may have (EC-Lab exports have about 20). */
#define LMB__EIS_MAX_FIELDS 256
/* Most header lines an .mpt may announce. */
#define LMB__EIS_MPT_MAX_HEADER 100000L

typedef struct eis_spectrum {
    size_t start, n;
    long cycle;
} eis_spectrum;

struct lmb_eis_data {
    char *path;
    const char *format;
    int im_flipped;
    char sign_note[160];
    double *f, *re, *im; /* all points, spectra are runs of them */
    size_t n_points, cap;
    eis_spectrum *spec;
    size_t n_spec, spec_cap;
};

/* ---- accessors ---- */

void lmb_eis_data_free(lmb_eis_data *d) {
    if (!d)
        return;
    free(d->path);
    free(d->f);
    free(d->re);
    free(d->im);
    free(d->spec);
    free(d);
}

size_t lmb_eis_data_count(const lmb_eis_data *d) {
    return d ? d->n_spec : 0;
}

static const eis_spectrum *spectrum(const lmb_eis_data *d, size_t i) {
    return d && i < d->n_spec ? &d->spec[i] : NULL;
}

size_t lmb_eis_data_n(const lmb_eis_data *d, size_t i) {
    const eis_spectrum *s = spectrum(d, i);
    return s ? s->n : 0;
}

const double *lmb_eis_data_f(const lmb_eis_data *d, size_t i) {
    const eis_spectrum *s = spectrum(d, i);
    return s ? d->f + s->start : NULL;
}

const double *lmb_eis_data_re(const lmb_eis_data *d, size_t i) {
    const eis_spectrum *s = spectrum(d, i);
    return s ? d->re + s->start : NULL;
}

const double *lmb_eis_data_im(const lmb_eis_data *d, size_t i) {
    const eis_spectrum *s = spectrum(d, i);
    return s ? d->im + s->start : NULL;
}

long lmb_eis_data_cycle(const lmb_eis_data *d, size_t i) {
    const eis_spectrum *s = spectrum(d, i);
    return s ? s->cycle : -1;
}

const char *lmb_eis_data_path(const lmb_eis_data *d) {
    return d && d->path ? d->path : "";
}

const char *lmb_eis_data_format(const lmb_eis_data *d) {
    return d && d->format ? d->format : "";
}

int lmb_eis_data_im_flipped(const lmb_eis_data *d) {
    return d ? d->im_flipped : 0;
}

const char *lmb_eis_data_sign_note(const lmb_eis_data *d) {
    return d ? d->sign_note : "";
}

/* ---- building the set ---- */

/* Appends a point; begins a new spectrum (with the given cycle) if new_spectrum or none yet. */
static lmb_status add_point(lmb_ctx *ctx, lmb_eis_data *d, double f, double re, double im,
                            int new_spectrum, long cycle) {
    if (d->n_points == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 256;
        double *nf = realloc(d->f, cap * sizeof *nf);
        if (nf)
            d->f = nf;
        double *nr = nf ? realloc(d->re, cap * sizeof *nr) : NULL;
        if (nr)
            d->re = nr;
        double *ni = nr ? realloc(d->im, cap * sizeof *ni) : NULL;
        if (!ni)
            LMB__FAIL(ctx, LMB_ENOMEM, "%.400s: out of memory at %zu points", d->path, d->n_points);
        d->im = ni;
        d->cap = cap;
    }
    if (new_spectrum || d->n_spec == 0) {
        if (d->n_spec == d->spec_cap) {
            size_t cap = d->spec_cap ? 2 * d->spec_cap : 8;
            eis_spectrum *ns = realloc(d->spec, cap * sizeof *ns);
            if (!ns)
                LMB__FAIL(ctx, LMB_ENOMEM, "%.400s: out of memory at %zu spectra", d->path,
                          d->n_spec);
            d->spec = ns;
            d->spec_cap = cap;
        }
        d->spec[d->n_spec++] = (eis_spectrum){d->n_points, 0, cycle};
    }
    d->f[d->n_points] = f;
    d->re[d->n_points] = re;
    d->im[d->n_points] = im;
    d->n_points++;
    d->spec[d->n_spec - 1].n++;
    return LMB_OK;
}

static void negate_im(lmb_eis_data *d) {
    for (size_t k = 0; k < d->n_points; k++)
        d->im[k] = -d->im[k];
    d->im_flipped = 1;
}

/* ---- reading and cutting the text ---- */

/* A field shortened for messages, so that one sentence never exceeds the context's buffer. */
#define FIELD_FMT "\"%.40s\""

/* ---- text columns ---- */

/*
 * Splits a trimmed line into fields in place. The separator: ';' if the line has one, else ','
 * if it has one and no tab, else runs of tabs and spaces. *decimal_comma tells whether a comma
 * inside a field is a decimal comma.
 */
static int split_text(char *s, char **fields, int max, int *decimal_comma) {
    char sep = strchr(s, ';') ? ';' : (strchr(s, ',') && !strchr(s, '\t')) ? ',' : ' ';
    *decimal_comma = sep != ',';
    return sep == ' ' ? lmb__split_blanks(s, fields, max) : lmb__split_at(s, sep, fields, max);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static const char *const text_names[3] = {"f", "Re(Z)", "Im(Z)"};

static lmb_status read_text(lmb_ctx *ctx, lmb_eis_data *d, char *buf, size_t len) {
    d->format = "text-columns";
    char *pos = buf, *end = buf + len, *line;
    size_t lineno = 0, header_line = 0;
    int header_minus = 0; /* the last header line names the third column with a leading '-' */
    char header_name[48] = "";
    char *fields[LMB__EIS_MAX_FIELDS];
    while ((line = lmb__next_line(&pos, end)) != NULL) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        line = lmb__trim(line);
        if (*line == '\0')
            continue;
        int dc = 0;
        int nf = split_text(line, fields, LMB__EIS_MAX_FIELDS, &dc);
        double v[3];
        if (d->n_points == 0 && !lmb__parse_number(fields[0], dc, &v[0])) {
            /* text before the first data row: a header; its third field may name -Z'' */
            header_line = lineno;
            header_minus = 0;
            header_name[0] = '\0';
            if (nf >= 3) {
                const char *h = fields[2];
                while (*h == '"' || *h == '\'')
                    h++;
                header_minus = *h == '-';
                snprintf(header_name, sizeof header_name, "%s", fields[2]);
            }
            continue;
        }
        if (nf < 3)
            LMB__FAIL(ctx, LMB_EPARSE,
                      "%.400s:%zu: %d field%s, expected 3 columns f [Hz], Re(Z), Im(Z) [ohm]",
                      d->path, lineno, nf, nf == 1 ? "" : "s");
        for (int k = 0; k < 3; k++)
            if (!lmb__parse_number(fields[k], dc, &v[k]))
                LMB__FAIL(ctx, LMB_EPARSE,
                          "%.400s:%zu: field %d (%s) " FIELD_FMT " is not a number", d->path,
                          lineno, k + 1, text_names[k], fields[k]);
        if (!(v[0] > 0.0 && isfinite(v[0])))
            LMB__FAIL(ctx, LMB_ERANGE,
                      "%.400s:%zu: field 1 (f): frequency %g Hz is not positive and finite",
                      d->path, lineno, v[0]);
        for (int k = 1; k < 3; k++)
            if (!isfinite(v[k]))
                LMB__FAIL(ctx, LMB_ERANGE, "%.400s:%zu: field %d (%s): %g ohm is not finite",
                          d->path, lineno, k + 1, text_names[k], v[k]);
        lmb_status st = add_point(ctx, d, v[0], v[1], v[2], 0, -1);
        if (st != LMB_OK)
            return st;
    }
    if (d->n_points == 0)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s: no data rows (%zu lines; expected 3 numeric columns f [Hz], Re(Z), "
                  "Im(Z) [ohm])",
                  d->path, lineno);

    if (header_minus) {
        negate_im(d);
        snprintf(d->sign_note, sizeof d->sign_note,
                 "header (line %zu) names the imaginary column \"%.40s\": -Z''; negated",
                 header_line, header_name);
        return LMB_OK;
    }
    /* the data decide: the sign of Im at and below the median frequency */
    size_t n = d->n_points;
    double *fs = malloc(n * sizeof *fs);
    if (!fs)
        LMB__FAIL(ctx, LMB_ENOMEM, "%.400s: out of memory", d->path);
    memcpy(fs, d->f, n * sizeof *fs);
    qsort(fs, n, sizeof *fs, cmp_double);
    double fmed = fs[(n - 1) / 2];
    free(fs);
    size_t pos_n = 0, neg_n = 0, low = 0;
    for (size_t k = 0; k < n; k++) {
        if (d->f[k] > fmed)
            continue;
        low++;
        pos_n += d->im[k] > 0.0;
        neg_n += d->im[k] < 0.0;
    }
    if (pos_n > neg_n) {
        negate_im(d);
        snprintf(d->sign_note, sizeof d->sign_note,
                 "Im(Z) > 0 at %zu of %zu points at or below the median frequency (%g Hz): "
                 "the column holds -Z''; negated",
                 pos_n, low, fmed);
    } else {
        snprintf(d->sign_note, sizeof d->sign_note,
                 "Im(Z) < 0 at %zu of %zu points at or below the median frequency (%g Hz): "
                 "physics sign, kept",
                 neg_n, low, fmed);
    }
    return LMB_OK;
}

/* ---- BioLogic EC-Lab ASCII export (.mpt) ---- */

static int find_column(char **names, int n, const char *name) {
    for (int k = 0; k < n; k++)
        if (strcmp(names[k], name) == 0)
            return k;
    return -1;
}

/*
 * The column names are on line n_header (from 1); the data follow. n_header is 1 for an export
 * without the header block.
 */
static lmb_status read_mpt(lmb_ctx *ctx, lmb_eis_data *d, char *buf, size_t len) {
    d->format = "biologic-mpt";
    char *pos = buf, *end = buf + len, *line = lmb__next_line(&pos, end);
    size_t lineno = 1;
    long n_header = 1;
    if (strncmp(line, "EC-Lab ASCII FILE", 17) == 0) {
        line = lmb__next_line(&pos, end);
        lineno = 2;
        const char *key = line ? strstr(line, "Nb header lines") : NULL;
        const char *colon = key ? strchr(key, ':') : NULL;
        char *e = NULL;
        n_header = colon ? strtol(colon + 1, &e, 10) : 0;
        if (!colon || e == colon + 1 || *lmb__trim(e) != '\0')
            LMB__FAIL(ctx, LMB_EPARSE,
                      "%.400s:2: expected \"Nb header lines : N\" after \"EC-Lab ASCII FILE\"",
                      d->path);
        if (n_header < 3 || n_header > LMB__EIS_MPT_MAX_HEADER)
            LMB__FAIL(ctx, LMB_EPARSE, "%.400s:2: Nb header lines %ld outside 3..%ld", d->path,
                      n_header, LMB__EIS_MPT_MAX_HEADER);
        while ((long)lineno < n_header && (line = lmb__next_line(&pos, end)) != NULL)
            lineno++;
        if ((long)lineno < n_header || !line)
            LMB__FAIL(ctx, LMB_EPARSE,
                      "%.400s:%zu: the file ends inside its header, which line 2 says has %ld "
                      "lines (truncated?)",
                      d->path, lineno, n_header);
    }
    char *names[LMB__EIS_MAX_FIELDS];
    int ncol = lmb__split_tabs(line, names, LMB__EIS_MAX_FIELDS);
    size_t name_line = lineno;
    int c_f = find_column(names, ncol, "freq/Hz");
    int c_re = find_column(names, ncol, "Re(Z)/Ohm");
    int c_im = find_column(names, ncol, "-Im(Z)/Ohm");
    int minus = c_im >= 0;
    if (c_im < 0)
        c_im = find_column(names, ncol, "Im(Z)/Ohm");
    const char *missing = c_f < 0    ? "freq/Hz"
                          : c_re < 0 ? "Re(Z)/Ohm"
                          : c_im < 0 ? "-Im(Z)/Ohm"
                                     : NULL;
    if (missing)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s:%zu: no column \"%s\" among the %d column names of the header (not an "
                  "impedance record?)",
                  d->path, name_line, missing, ncol);
    int c_z = find_column(names, ncol, "z cycle");
    int c_cyc = find_column(names, ncol, "cycle number");
    int c_idx = c_z >= 0 ? c_z : c_cyc; /* the index reported per spectrum */
    int need = c_f;
    int used[5] = {c_f, c_re, c_im, c_z, c_cyc};
    for (int k = 0; k < 5; k++)
        if (used[k] > need)
            need = used[k];
    const char *nm[5] = {names[c_f], names[c_re], names[c_im], c_z >= 0 ? names[c_z] : "",
                         c_cyc >= 0 ? names[c_cyc] : ""};

    double prev_z = NAN, prev_cyc = NAN;
    int dir = 0; /* sweep direction of the present spectrum: -1 down, +1 up, 0 not known yet */
    char *fields[LMB__EIS_MAX_FIELDS];
    while ((line = lmb__next_line(&pos, end)) != NULL) {
        lineno++;
        if (*lmb__trim(line) == '\0')
            continue;
        int nf = lmb__split_tabs(line, fields, LMB__EIS_MAX_FIELDS);
        if (nf <= need)
            LMB__FAIL(ctx, LMB_EPARSE,
                      "%.400s:%zu: %d field%s, but column \"%s\" is number %d (line %zu names %d "
                      "columns; truncated?)",
                      d->path, lineno, nf, nf == 1 ? "" : "s", names[need], need + 1, name_line,
                      ncol);
        double v[5] = {0, 0, 0, 0, 0};
        for (int k = 0; k < 5; k++) {
            if (used[k] < 0)
                continue;
            if (!lmb__parse_number(fields[used[k]], 1, &v[k]))
                LMB__FAIL(ctx, LMB_EPARSE,
                          "%.400s:%zu: column %d (\"%s\") " FIELD_FMT " is not a number", d->path,
                          lineno, used[k] + 1, nm[k], fields[used[k]]);
        }
        if (!(v[0] > 0.0 && isfinite(v[0])))
            LMB__FAIL(ctx, LMB_ERANGE,
                      "%.400s:%zu: column %d (\"%s\"): frequency %g Hz is not positive and finite",
                      d->path, lineno, c_f + 1, nm[0], v[0]);
        for (int k = 1; k < 5; k++)
            if (used[k] >= 0 && !isfinite(v[k]))
                LMB__FAIL(ctx, LMB_ERANGE, "%.400s:%zu: column %d (\"%s\"): %g is not finite",
                          d->path, lineno, used[k] + 1, nm[k], v[k]);
        int split = 0;
        if (c_z >= 0 || c_cyc >= 0) {
            split = d->n_points > 0 &&
                    ((c_z >= 0 && v[3] != prev_z) || (c_cyc >= 0 && v[4] != prev_cyc));
            prev_z = v[3];
            prev_cyc = v[4];
        } else if (d->n_points > 0) {
            double fp = d->f[d->n_points - 1];
            if (dir != 0 && (v[0] - fp) * dir < 0.0)
                split = 1;
        }
        if (split)
            dir = 0;
        else if (d->n_points > 0 && dir == 0 && d->spec[d->n_spec - 1].n > 0) {
            double fp = d->f[d->n_points - 1];
            dir = v[0] > fp ? 1 : v[0] < fp ? -1 : 0;
        }
        double idx = c_idx == c_z ? v[3] : v[4];
        long cycle = c_idx >= 0 && fabs(idx) < 1e15 ? lround(idx) : -1;
        lmb_status st = add_point(ctx, d, v[0], v[1], minus ? -v[2] : v[2], split, cycle);
        if (st != LMB_OK)
            return st;
    }
    if (d->n_points == 0)
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s: no data rows after the column names (line %zu)",
                  d->path, name_line);
    d->im_flipped = minus;
    snprintf(d->sign_note, sizeof d->sign_note, "column \"%s\" holds %s", nm[2],
             minus ? "-Z''; negated" : "Z'': physics sign, kept");
    return LMB_OK;
}

/* ---- BioLogic binary .mpr ---- */

/*
 * The container (magic, modules, the VMP data column table and record layout) is read by
 * io/mpr.c, which the cycling-record reader shares. Here: the impedance columns of the records,
 * freq/Hz (ID 32) with Re(Z)/Ohm, -Im(Z)/Ohm (37, 38) or else |Z|/Ohm, Phase(Z)/deg (36, 35),
 * and the spectrum index "z cycle" (469, or 213 in older files) or "cycle number" (24). Rows of
 * other techniques of the same record (Modulo Bat) have f = 0 and Z = 0 and are skipped.
 */
static lmb_status read_mpr(lmb_ctx *ctx, lmb_eis_data *d, const unsigned char *b, size_t len) {
    d->format = "biologic-mpr";
    lmb__mpr m;
    lmb_status st = lmb__mpr_open(ctx, d->path, b, len, &m);
    if (st != LMB_OK)
        return st;
    int c_f = lmb__mpr_find(&m, LMB__MPR_ID_FREQ), c_re = lmb__mpr_find(&m, LMB__MPR_ID_RE),
        c_mim = lmb__mpr_find(&m, LMB__MPR_ID_MIM), c_abs = lmb__mpr_find(&m, LMB__MPR_ID_ABSZ),
        c_ph = lmb__mpr_find(&m, LMB__MPR_ID_PHASE), c_cyc = lmb__mpr_find(&m, LMB__MPR_ID_CYCLE),
        c_z = lmb__mpr_find(&m, LMB__MPR_ID_ZCYCLE);
    if (c_z < 0)
        c_z = lmb__mpr_find(&m, LMB__MPR_ID_ZCYCLE_OLD);
    if (c_f < 0 || ((c_re < 0 || c_mim < 0) && (c_abs < 0 || c_ph < 0)))
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s: not an impedance record: the VMP data table (%zu columns) lacks "
                  "%s",
                  d->path, m.n_cols,
                  c_f < 0 ? "freq/Hz (ID 32)"
                          : "Re(Z)/Ohm, -Im(Z)/Ohm (IDs 37, 38) or |Z|, Phase(Z)");
    size_t npts = m.n_rows;
    int polar = c_re < 0 || c_mim < 0;
    double prev_z = NAN, prev_cyc = NAN;
    int dir = 0, gap = 0;
    size_t skipped = 0; /* rows of other techniques (f = 0 and Z = 0) */
    for (size_t i = 0; i < npts; i++) {
        double f = lmb__mpr_get(&m, i, c_f), re, im;
        if (polar) {
            double mag = lmb__mpr_get(&m, i, c_abs);
            double ph = lmb__mpr_get(&m, i, c_ph) * 3.14159265358979323846 / 180.0;
            re = mag * cos(ph);
            im = mag * sin(ph);
        } else {
            re = lmb__mpr_get(&m, i, c_re);
            im = -lmb__mpr_get(&m, i, c_mim);
        }
        if (f == 0.0 && !(polar ? lmb__mpr_get(&m, i, c_abs) != 0.0 : re != 0.0 || im != 0.0)) {
            /* a row of another technique of the same record (Modulo Bat): not a point */
            gap = 1;
            skipped++;
            continue;
        }
        if (!(f > 0.0 && isfinite(f)))
            LMB__FAIL(ctx, LMB_ERANGE,
                      "%.400s: point %zu of %zu (byte offset %zu): frequency %g Hz is not positive "
                      "and finite",
                      d->path, i + 1, npts, lmb__mpr_row_offset(&m, i), f);
        if (!isfinite(re) || !isfinite(im))
            LMB__FAIL(ctx, LMB_ERANGE,
                      "%.400s: point %zu of %zu (byte offset %zu): impedance not finite", d->path,
                      i + 1, npts, lmb__mpr_row_offset(&m, i));
        double zc = c_z >= 0 ? lmb__mpr_get(&m, i, c_z) : 0.0;
        double cy = c_cyc >= 0 ? lmb__mpr_get(&m, i, c_cyc) : 0.0;
        int split = gap;
        gap = 0;
        if (d->n_points > 0 && (c_z >= 0 || c_cyc >= 0))
            split |= zc != prev_z || cy != prev_cyc;
        else if (d->n_points > 0 && dir != 0)
            split |= (f - d->f[d->n_points - 1]) * dir < 0.0;
        prev_z = zc;
        prev_cyc = cy;
        if (split || d->n_points == 0)
            dir = 0;
        else if (dir == 0) {
            double fp = d->f[d->n_points - 1];
            dir = f > fp ? 1 : f < fp ? -1 : 0;
        }
        double idx = c_z >= 0 ? zc : cy;
        long cycle = (c_z >= 0 || c_cyc >= 0) && fabs(idx) < 1e15 ? lround(idx) : -1;
        st = add_point(ctx, d, f, re, im, split, cycle);
        if (st != LMB_OK)
            return st;
    }
    if (d->n_points == 0)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s: the .mpr holds no impedance points (%zu rows, %zu of them of other "
                  "techniques with f = 0)",
                  d->path, npts, skipped);
    d->im_flipped = !polar;
    snprintf(d->sign_note, sizeof d->sign_note, "%s",
             polar ? "Z from |Z| and Phase(Z) (IDs 36, 35): physics sign"
                   : "column ID 38 (-Im(Z)/Ohm) holds -Z''; negated");
    return LMB_OK;
}

/* ---- detection ---- */

/* Reads a spectrum set from buf (len bytes, NUL-terminated, cut in place); name in messages. */
lmb_status lmb__eis_data_parse(lmb_ctx *ctx, const char *name, char *buf, size_t len,
                               lmb_eis_data **out) {
    *out = NULL;
    lmb_eis_data *d = calloc(1, sizeof *d);
    size_t plen = strlen(name);
    char *p = d ? malloc(plen + 1) : NULL;
    if (!p) {
        free(d);
        LMB__FAIL(ctx, LMB_ENOMEM, "%.400s: out of memory", name);
    }
    memcpy(p, name, plen + 1);
    d->path = p;

    static const char mpr_magic[] = "BIO-LOGIC MODULAR FILE";
    const char *nul = memchr(buf, '\0', len);
    lmb_status st;
    if (len == 0) {
        st = lmb__ctx_fail(ctx, LMB_EPARSE, "%.400s: the file is empty", name);
    } else if (len >= sizeof mpr_magic - 1 && memcmp(buf, mpr_magic, sizeof mpr_magic - 1) == 0) {
        st = read_mpr(ctx, d, (const unsigned char *)buf, len);
    } else if (nul) {
        st = lmb__ctx_fail(ctx, LMB_EPARSE,
                           "%.400s: binary content (a NUL byte at offset %zu), not an impedance "
                           "text file",
                           name, (size_t)(nul - buf));
    } else if (strncmp(buf, "EC-Lab ASCII FILE", 17) == 0 || (strncmp(buf, "freq/Hz\t", 8) == 0)) {
        st = read_mpt(ctx, d, buf, len);
    } else {
        st = read_text(ctx, d, buf, len);
    }
    if (st != LMB_OK) {
        lmb_eis_data_free(d);
        return st;
    }
    *out = d;
    return LMB_OK;
}

lmb_status lmb_eis_data_load(lmb_ctx *ctx, const char *path, lmb_eis_data **out) {
    if (!out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_eis_data_load: out is NULL");
    *out = NULL;
    if (!path)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_eis_data_load: path is NULL");
    char *buf = NULL;
    size_t len = 0;
    lmb_status st =
        lmb__read_whole_file(ctx, path, LMB__EIS_FILE_MAX, "an impedance file", &buf, &len);
    if (st != LMB_OK)
        return st;
    st = lmb__eis_data_parse(ctx, path, buf, len, out);
    free(buf);
    return st;
}
