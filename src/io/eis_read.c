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
#include "io/text.h"

#include <math.h>
#include <stdint.h>
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
 * The layout (reverse engineered by the galvani project, checked here on the files of
 * ../shared/data/eis): a 52-byte magic "BIO-LOGIC MODULAR FILE\x1a" padded with spaces to 48
 * bytes and 4 zero bytes, then modules, each "MODULE", a 10-byte short name ("VMP data  "), a
 * 25-byte long name, then either (EC-Lab < 11.50) length u32, version u32, date 8 bytes, or
 * (>= 11.50, marked by 0xFFFFFFFF where the length would be) max length u32, length u32,
 * version u32, u32, date 8 bytes; then length bytes of content. All integers little-endian.
 * The "VMP data" content: points u32, columns u8, then the column IDs (version 0: u8 each, data
 * from byte 100; or, if the first ID byte is 0, u8 pairs whose second byte is the ID, data from
 * byte 1007; versions 2 and 3: u16 each, data from byte 405 resp. 406), then one record per
 * point: the columns in ID order, each of the width its ID implies, except the flag IDs, which
 * share one byte at the position of the first of them. An ID of unknown width makes the record
 * unreadable, so it is refused (LMB_EUNSUPPORTED) rather than guessed.
 */

/* Column IDs of the VMP data table that the reader uses. */
enum {
    MPR_CYCLE = 24,
    MPR_FREQ = 32,
    MPR_PHASE = 35,
    MPR_ABSZ = 36,
    MPR_RE = 37,
    MPR_MIM = 38,
    MPR_ZCYCLE_OLD = 213,
    MPR_ZCYCLE = 469
};

/* Width of a column ID's value: 'f' f32, 'd' f64, 'H' u16, 'I' u32, 'B' u8, 'F' a flag bit. */
static const struct {
    unsigned short id;
    char type;
} mpr_columns[] = {
    {1, 'F'},   {2, 'F'},   {3, 'F'},   {4, 'd'},   {5, 'f'},   {6, 'f'},   {7, 'd'},   {8, 'f'},
    {9, 'f'},   {11, 'd'},  {13, 'd'},  {16, 'f'},  {17, 'f'},  {19, 'f'},  {20, 'f'},  {21, 'F'},
    {23, 'd'},  {24, 'd'},  {26, 'f'},  {27, 'f'},  {31, 'F'},  {32, 'f'},  {33, 'f'},  {34, 'f'},
    {35, 'f'},  {36, 'f'},  {37, 'f'},  {38, 'f'},  {39, 'H'},  {65, 'F'},  {69, 'f'},  {70, 'f'},
    {74, 'd'},  {75, 'f'},  {76, 'f'},  {77, 'f'},  {78, 'f'},  {96, 'f'},  {98, 'f'},  {99, 'f'},
    {100, 'f'}, {101, 'f'}, {123, 'd'}, {124, 'd'}, {125, 'd'}, {126, 'd'}, {131, 'H'}, {163, 'f'},
    {168, 'f'}, {169, 'f'}, {172, 'f'}, {173, 'f'}, {174, 'f'}, {178, 'f'}, {179, 'f'}, {182, 'd'},
    {211, 'd'}, {212, 'I'}, {213, 'I'}, {217, 'f'}, {218, 'f'}, {220, 'f'}, {221, 'f'}, {223, 'f'},
    {224, 'f'}, {230, 'f'}, {231, 'f'}, {232, 'f'}, {233, 'f'}, {234, 'f'}, {235, 'f'}, {236, 'f'},
    {237, 'f'}, {238, 'f'}, {239, 'f'}, {240, 'f'}, {241, 'f'}, {242, 'f'}, {271, 'f'}, {272, 'f'},
    {301, 'f'}, {302, 'f'}, {331, 'f'}, {332, 'f'}, {361, 'f'}, {362, 'f'}, {391, 'f'}, {392, 'f'},
    {422, 'f'}, {423, 'f'}, {424, 'f'}, {425, 'f'}, {426, 'f'}, {430, 'f'}, {431, 'f'}, {432, 'f'},
    {433, 'f'}, {434, 'f'}, {435, 'f'}, {438, 'd'}, {441, 'f'}, {462, 'f'}, {467, 'd'}, {468, 'I'},
    {469, 'I'}, {471, 'f'}, {473, 'f'}, {474, 'f'}, {476, 'f'}, {477, 'f'}, {479, 'f'}, {480, 'f'},
    {486, 'f'}, {487, 'f'}, {488, 'f'}, {489, 'f'}, {490, 'f'}, {491, 'f'}, {492, 'f'}, {493, 'f'},
    {494, 'f'}, {495, 'f'}, {496, 'f'}, {497, 'f'}, {498, 'd'}, {499, 'd'}, {500, 'd'}, {501, 'd'},
    {502, 'd'}, {505, 'f'}, {509, 'B'},
};

static char mpr_type(unsigned id) {
    for (size_t k = 0; k < sizeof mpr_columns / sizeof mpr_columns[0]; k++)
        if (mpr_columns[k].id == id)
            return mpr_columns[k].type;
    return 0;
}

static uint32_t rd_u32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd_u64(const unsigned char *p) {
    return (uint64_t)rd_u32(p) | (uint64_t)rd_u32(p + 4) << 32;
}

/* A value of the given type at p, as a double. */
static double rd_value(const unsigned char *p, char type) {
    switch (type) {
    case 'f': {
        uint32_t u = rd_u32(p);
        float x;
        memcpy(&x, &u, sizeof x);
        return (double)x;
    }
    case 'd': {
        uint64_t u = rd_u64(p);
        double x;
        memcpy(&x, &u, sizeof x);
        return x;
    }
    case 'H':
        return (double)((unsigned)p[0] | (unsigned)p[1] << 8);
    case 'I':
        return (double)rd_u32(p);
    default:
        return (double)p[0];
    }
}

#define MPR_MAGIC_LEN 52
#define MPR_MAX_COLS  255

static lmb_status read_mpr(lmb_ctx *ctx, lmb_eis_data *d, const unsigned char *b, size_t len) {
    d->format = "biologic-mpr";
    static const char magic[] = "BIO-LOGIC MODULAR FILE\x1a";
    if (len < MPR_MAGIC_LEN)
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s: truncated .mpr: %zu bytes, shorter than its header",
                  d->path, len);
    for (size_t k = 0; k < MPR_MAGIC_LEN; k++)
        if (b[k] != (k < sizeof magic - 1 ? (unsigned char)magic[k] : k < 48 ? ' ' : 0))
            LMB__FAIL(ctx, LMB_EPARSE, "%.400s: byte %zu of the .mpr magic is 0x%02x", d->path, k,
                      b[k]);
    /* the modules: find "VMP data" */
    const unsigned char *data = NULL;
    size_t data_len = 0, data_off = 0;
    uint32_t version = 0;
    size_t pos = MPR_MAGIC_LEN;
    while (pos < len) {
        if (len - pos < 6 + 51 || memcmp(b + pos, "MODULE", 6) != 0)
            LMB__FAIL(ctx, LMB_EPARSE,
                      "%.400s: byte offset %zu: expected a module header (\"MODULE\") of at least "
                      "57 bytes (truncated .mpr?)",
                      d->path, pos);
        const unsigned char *h = b + pos + 6;
        int v2 = rd_u32(h + 35) == 0xFFFFFFFFu;
        size_t hlen = v2 ? 59 : 51;
        if (len - pos - 6 < hlen)
            LMB__FAIL(ctx, LMB_EPARSE, "%.400s: byte offset %zu: module header truncated", d->path,
                      pos);
        size_t mlen = rd_u32(h + (v2 ? 39 : 35));
        uint32_t mver = rd_u32(h + (v2 ? 43 : 39));
        size_t start = pos + 6 + hlen;
        if (mlen > len - start)
            LMB__FAIL(ctx, LMB_EPARSE,
                      "%.400s: byte offset %zu: module \"%.10s\" announces %zu bytes, the file "
                      "holds %zu more (truncated .mpr?)",
                      d->path, pos, (const char *)h, mlen, len - start);
        if (memcmp(h, "VMP data  ", 10) == 0) {
            data = b + start;
            data_len = mlen;
            data_off = start;
            version = mver;
        }
        pos = start + mlen;
    }
    if (!data)
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s: no \"VMP data\" module in this .mpr", d->path);
    if (data_len < 5)
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s: the VMP data module (offset %zu) has %zu bytes",
                  d->path, data_off, data_len);
    size_t npts = rd_u32(data), ncol = data[4];
    unsigned ids[MPR_MAX_COLS];
    size_t rec0;
    if (version == 0 && data_len > 5 && data[5] != 0) {
        rec0 = 100;
        for (size_t k = 0; k < ncol && 5 + k < data_len; k++)
            ids[k] = data[5 + k];
        if (5 + ncol > rec0)
            rec0 = 0; /* flagged below */
    } else if (version == 0) {
        rec0 = 1007;
        for (size_t k = 0; k < ncol && 6 + 2 * k < data_len; k++)
            ids[k] = data[6 + 2 * k];
    } else if (version == 2 || version == 3) {
        rec0 = version == 2 ? 405 : 406;
        for (size_t k = 0; k < ncol && 6 + 2 * k < data_len; k++)
            ids[k] = (unsigned)data[5 + 2 * k] | (unsigned)data[6 + 2 * k] << 8;
        if (5 + 2 * ncol > rec0)
            rec0 = 0;
    } else {
        LMB__FAIL(ctx, LMB_EUNSUPPORTED,
                  "%.400s: unsupported format: VMP data module version %u (known: 0, 2, 3)",
                  d->path, (unsigned)version);
    }
    if (rec0 == 0 || rec0 > data_len)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s: the VMP data module (offset %zu, %zu bytes, %zu columns) is shorter "
                  "than its column table (truncated .mpr?)",
                  d->path, data_off, data_len, ncol);
    /* the record layout */
    size_t off[MPR_MAX_COLS], rec = 0;
    long flag_off = -1;
    int c_f = -1, c_re = -1, c_mim = -1, c_abs = -1, c_ph = -1, c_cyc = -1, c_z = -1;
    for (size_t k = 0; k < ncol; k++) {
        char t = mpr_type(ids[k]);
        if (!t)
            LMB__FAIL(ctx, LMB_EUNSUPPORTED,
                      "%.400s: unsupported .mpr: column ID %u (column %zu of %zu in the VMP data "
                      "table) is not known to lmb, so the record layout cannot be read",
                      d->path, ids[k], k + 1, ncol);
        if (t == 'F') {
            if (flag_off < 0)
                flag_off = (long)rec++;
            off[k] = (size_t)flag_off;
            continue;
        }
        off[k] = rec;
        rec += t == 'd' ? 8 : t == 'f' || t == 'I' ? 4 : t == 'H' ? 2 : 1;
        int *slot = ids[k] == MPR_FREQ                                   ? &c_f
                    : ids[k] == MPR_RE                                   ? &c_re
                    : ids[k] == MPR_MIM                                  ? &c_mim
                    : ids[k] == MPR_ABSZ                                 ? &c_abs
                    : ids[k] == MPR_PHASE                                ? &c_ph
                    : ids[k] == MPR_CYCLE                                ? &c_cyc
                    : (ids[k] == MPR_ZCYCLE || ids[k] == MPR_ZCYCLE_OLD) ? &c_z
                                                                         : NULL;
        if (slot && *slot < 0)
            *slot = (int)k;
    }
    if (c_f < 0 || ((c_re < 0 || c_mim < 0) && (c_abs < 0 || c_ph < 0)))
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s: not an impedance record: the VMP data table (%zu columns) lacks "
                  "%s",
                  d->path, ncol,
                  c_f < 0 ? "freq/Hz (ID 32)"
                          : "Re(Z)/Ohm, -Im(Z)/Ohm (IDs 37, 38) or |Z|, Phase(Z)");
    if (rec == 0 || (data_len - rec0) / rec < npts || (data_len - rec0) != npts * rec)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s: the VMP data module holds %zu bytes of records, the header announces "
                  "%zu points of %zu bytes (truncated .mpr, or a column of another width)",
                  d->path, data_len - rec0, npts, rec);
    int polar = c_re < 0 || c_mim < 0;
    double prev_z = NAN, prev_cyc = NAN;
    int dir = 0, gap = 0;
    size_t skipped = 0; /* rows of other techniques (f = 0 and Z = 0) */
    for (size_t i = 0; i < npts; i++) {
        const unsigned char *r = data + rec0 + i * rec;
        double f = rd_value(r + off[c_f], 'f'), re, im;
        if (polar) {
            double mag = rd_value(r + off[c_abs], 'f');
            double ph = rd_value(r + off[c_ph], 'f') * 3.14159265358979323846 / 180.0;
            re = mag * cos(ph);
            im = mag * sin(ph);
        } else {
            re = rd_value(r + off[c_re], 'f');
            im = -rd_value(r + off[c_mim], 'f');
        }
        if (f == 0.0 && !(polar ? rd_value(r + off[c_abs], 'f') != 0.0 : re != 0.0 || im != 0.0)) {
            /* a row of another technique of the same record (Modulo Bat): not a point */
            gap = 1;
            skipped++;
            continue;
        }
        if (!(f > 0.0 && isfinite(f)))
            LMB__FAIL(ctx, LMB_ERANGE,
                      "%.400s: point %zu of %zu (byte offset %zu): frequency %g Hz is not positive "
                      "and finite",
                      d->path, i + 1, npts, data_off + rec0 + i * rec, f);
        if (!isfinite(re) || !isfinite(im))
            LMB__FAIL(ctx, LMB_ERANGE,
                      "%.400s: point %zu of %zu (byte offset %zu): impedance not finite", d->path,
                      i + 1, npts, data_off + rec0 + i * rec);
        double zc = c_z >= 0 ? rd_value(r + off[c_z], 'I') : 0.0;
        double cy = c_cyc >= 0 ? rd_value(r + off[c_cyc], 'd') : 0.0;
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
        lmb_status st = add_point(ctx, d, f, re, im, split, cycle);
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
