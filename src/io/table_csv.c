/*
 * table_csv.c - the reader of two-column property tables (CSV; model/table.h): the parser and
 * the file loader. See src/model/table.c for the format's rules (units in the header, decimal
 * numbers only, monotone x).
 */
#include "model/table.h"

#include "core/ctx_internal.h"
#include "io/text.h"

#include <sys/stat.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NUM_TEXT_MAX 64 /* longest number text read [characters] */
#define SHOW_MAX     48 /* longest field text quoted in a message [bytes] */
#define HEADER_MAX   96 /* longest column header [characters] */
#define ORIGIN_SHOW  300
#define ROWS_FIRST   1024 /* first capacity of the row arrays */

static int is_space(char c) {
    return c == ' ' || c == '\t';
}

/* Trims spaces and tabs off both ends of [*s, *e). */
static void trim(const char **s, const char **e) {
    while (*s < *e && is_space(**s))
        (*s)++;
    while (*e > *s && is_space((*e)[-1]))
        (*e)--;
}

/* The key of the SI unit of dim ("V", "mol_m3"). */
static const char *si_key(lmb_dim dim) {
    const lmb_unit *u = lmb__unit_of_dim(lmb_dim_si_name(dim), dim);
    return u ? u->key : lmb_dim_si_name(dim);
}

/* ---- the parser ---- */

typedef struct parser {
    lmb_ctx *ctx;
    char org[ORIGIN_SHOW]; /* origin, shown */
    int line;              /* present line, from 1 */
    char sep;              /* ',', '\t' or ';' */
    char col[2][SHOW_MAX]; /* the header fields as written, shown */
    const lmb_unit *unit[2];
    lmb_dim dim[2];
    double *x, *y;
    int n, cap;
    int dir;               /* +1 x increasing, -1 decreasing, 0 not known yet */
    int prev_line;         /* line of the last row */
    char prev_x[SHOW_MAX]; /* its x as written */
} parser;

static const char *col_label(int c) {
    return c == 0 ? "column 1" : "column 2";
}

/* Resolves header field [s, e) of column c into its name and unit. */
static lmb_status header_column(parser *P, int c, const char *s, const char *e, lmb__table *out) {
    size_t len = (size_t)(e - s);
    /* one pair of double quotes, as spreadsheets write them */
    if (len >= 2 && s[0] == '"' && e[-1] == '"') {
        s++, e--;
        len -= 2;
        trim(&s, &e);
        len = (size_t)(e - s);
    }
    lmb__escape_n(P->col[c], sizeof P->col[c], s, len);
    if (len == 0)
        LMB__FAIL(P->ctx, LMB_EPARSE, "%s:%d: %s of the header has no name", P->org, P->line,
                  col_label(c));
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f)
            LMB__FAIL(P->ctx, LMB_EPARSE, "%s:%d: '%s' (%s of the header) is not a column name",
                      P->org, P->line, P->col[c], col_label(c));
    }
    if (len >= HEADER_MAX)
        LMB__FAIL(P->ctx, LMB_EPARSE, "%s:%d: %s of the header, '%s', is longer than %d characters",
                  P->org, P->line, col_label(c), P->col[c], HEADER_MAX - 1);
    char name[HEADER_MAX];
    memcpy(name, s, len);
    name[len] = '\0';

    /* the longest '_' suffix that is a unit of the dimension; else the first (longest) that is
     * a unit of another dimension, for the message */
    lmb_dim dim = P->dim[c];
    const lmb_unit *u = NULL, *other = NULL;
    const char *split = NULL, *other_at = NULL;
    for (const char *p = strchr(name + 1, '_'); p && !u; p = strchr(p + 1, '_')) {
        if ((u = lmb__unit_of_dim(p + 1, dim)) != NULL)
            split = p;
        else if (!other && (other = lmb_unit_find(p + 1)) != NULL)
            other_at = p + 1;
    }
    const char *dn = lmb_dim_name(dim);
    if (!u && other && dim == LMB_DIM_NONE)
        LMB__FAIL(P->ctx, LMB_EUNIT,
                  "%s:%d: %s '%s': %s is a unit of %s, but the column must be dimensionless (no "
                  "unit suffix)",
                  P->org, P->line, col_label(c), P->col[c], other_at, lmb_dim_name(other->dim));
    char base[SHOW_MAX];
    lmb__escape_n(base, sizeof base, name, other ? (size_t)(other_at - 1 - name) : len);
    if (!u && other)
        LMB__FAIL(P->ctx, LMB_EUNIT,
                  "%s:%d: %s '%s': %s is a unit of %s, but the column needs a unit of %s (e.g. "
                  "%s_%s)",
                  P->org, P->line, col_label(c), P->col[c], other_at, lmb_dim_name(other->dim), dn,
                  base, si_key(dim));
    if (!u && dim != LMB_DIM_NONE)
        LMB__FAIL(P->ctx, LMB_EUNIT,
                  "%s:%d: %s '%s' has no unit suffix; it needs a unit of %s (e.g. %s_%s)", P->org,
                  P->line, col_label(c), P->col[c], dn, base, si_key(dim));
    char *nm = c == 0 ? out->x_name : out->y_name;
    char *uk = c == 0 ? out->x_unit : out->y_unit;
    size_t nl = split ? (size_t)(split - name) : len;
    size_t ul = split ? strlen(split + 1) : 0;
    if (nl >= sizeof out->x_name || ul >= sizeof out->x_unit)
        LMB__FAIL(P->ctx, LMB_EPARSE,
                  "%s:%d: %s of the header, '%s': the name is longer than %zu characters", P->org,
                  P->line, col_label(c), P->col[c], sizeof out->x_name - 1);
    memcpy(nm, name, nl);
    nm[nl] = '\0';
    memcpy(uk, split ? split + 1 : "", ul + 1);
    P->unit[c] = u ? u : lmb_unit_find("1");
    return LMB_OK;
}

/* Parses the trimmed field [s, e) as a decimal number into *v: 1, or 0 if it is not one. */
static int read_number(const char *s, const char *e, double *v) {
    size_t len = (size_t)(e - s);
    if (len == 0 || len >= NUM_TEXT_MAX)
        return 0;
    char buf[NUM_TEXT_MAX];
    int digits = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch >= '0' && ch <= '9')
            digits = 1;
        else if (ch != '+' && ch != '-' && ch != '.' && ch != 'e' && ch != 'E')
            return 0;
        buf[i] = ch;
    }
    buf[len] = '\0';
    if (!digits)
        return 0;
    char *end = NULL;
    double d = strtod(buf, &end);
    if (end != buf + len)
        return 0;
    *v = d; /* overflow: +-HUGE_VAL, rejected by the caller as not finite */
    return 1;
}

/* The header line [s, e). */
static lmb_status parse_header(parser *P, const char *s, const char *e, lmb__table *out) {
    const char *q = s;
    while (q < e && *q != ',' && *q != '\t' && *q != ';')
        q++;
    char shown[SHOW_MAX];
    lmb__escape_n(shown, sizeof shown, s, (size_t)(e - s));
    if (memchr(s, '\r', (size_t)(e - s)))
        LMB__FAIL(P->ctx, LMB_EPARSE,
                  "%s:%d: header '%s' holds a carriage return: lines must end in LF or CRLF",
                  P->org, P->line, shown);
    if (q == e)
        LMB__FAIL(P->ctx, LMB_EPARSE,
                  "%s:%d: header '%s' must name two columns separated by a comma, tab or "
                  "semicolon (e.g. stoichiometry,ocp_V)",
                  P->org, P->line, shown);
    P->sep = *q;
    const char *r = memchr(q + 1, P->sep, (size_t)(e - q - 1));
    if (r) {
        int nf = 2;
        for (; r; r = memchr(r + 1, P->sep, (size_t)(e - r - 1)))
            nf++;
        LMB__FAIL(P->ctx, LMB_EPARSE, "%s:%d: header '%s' has %d columns; a table has exactly 2",
                  P->org, P->line, shown, nf);
    }
    const char *a = s, *ae = q, *b = q + 1, *be = e;
    trim(&a, &ae);
    trim(&b, &be);
    double v0, v1;
    if (read_number(a, ae, &v0) && read_number(b, be, &v1))
        LMB__FAIL(P->ctx, LMB_EPARSE,
                  "%s:%d: the first line '%s' holds numbers; a table starts with a header of two "
                  "column names (e.g. stoichiometry,ocp_V)",
                  P->org, P->line, shown);
    lmb_status st = header_column(P, 0, a, ae, out);
    return st == LMB_OK ? header_column(P, 1, b, be, out) : st;
}

/* One value: field [s, e) of column c into *si [SI]. */
static lmb_status parse_value(parser *P, int c, const char *s, const char *e, double *si) {
    trim(&s, &e);
    char shown[SHOW_MAX];
    lmb__escape_n(shown, sizeof shown, s, (size_t)(e - s));
    if (s == e)
        LMB__FAIL(P->ctx, LMB_EPARSE, "%s:%d: %s (%s) is empty", P->org, P->line, col_label(c),
                  P->col[c]);
    double v = 0.0;
    if (!read_number(s, e, &v)) {
        int comma = memchr(s, ',', (size_t)(e - s)) != NULL;
        LMB__FAIL(P->ctx, LMB_EPARSE, "%s:%d: '%s' is not a number (%s, %s%s)", P->org, P->line,
                  shown, col_label(c), P->col[c], comma ? "; decimal point only" : "");
    }
    if (!isfinite(v))
        LMB__FAIL(P->ctx, LMB_EPARSE, "%s:%d: '%s' is not a finite number (%s, %s)", P->org,
                  P->line, shown, col_label(c), P->col[c]);
    *si = lmb_unit_to_si(P->unit[c], v);
    if (!isfinite(*si))
        LMB__FAIL(P->ctx, LMB_ERANGE,
                  "%s:%d: '%s' is beyond the range of a double once converted to %s (%s, %s)",
                  P->org, P->line, shown, lmb_dim_si_name(P->dim[c]), col_label(c), P->col[c]);
    return LMB_OK;
}

/* A data line [s, e). */
static lmb_status parse_row(parser *P, const char *s, const char *e) {
    const char *q = memchr(s, P->sep, (size_t)(e - s));
    int nf = 1;
    for (const char *r = q; r; r = memchr(r + 1, P->sep, (size_t)(e - r - 1)))
        nf++;
    if (nf != 2)
        LMB__FAIL(P->ctx, LMB_EPARSE, "%s:%d: %d column%s, expected 2 (%s, %s)", P->org, P->line,
                  nf, nf == 1 ? "" : "s", P->col[0], P->col[1]);
    double x, y;
    lmb_status st = parse_value(P, 0, s, q, &x);
    if (st == LMB_OK)
        st = parse_value(P, 1, q + 1, e, &y);
    if (st != LMB_OK)
        return st;

    const char *xs = s, *xe = q;
    trim(&xs, &xe);
    char xt[SHOW_MAX];
    lmb__escape_n(xt, sizeof xt, xs, (size_t)(xe - xs));
    if (P->n > 0) {
        double last = P->x[P->n - 1];
        if (x == last)
            LMB__FAIL(P->ctx, LMB_ERANGE,
                      "%s:%d: %s %s repeats the value of line %d; the column must be strictly "
                      "increasing or strictly decreasing",
                      P->org, P->line, P->col[0], xt, P->prev_line);
        int d = x > last ? 1 : -1;
        if (P->dir == 0)
            P->dir = d;
        else if (d != P->dir)
            LMB__FAIL(P->ctx, LMB_ERANGE,
                      "%s:%d: %s goes from %s (line %d) %s to %s; it %s before and must be "
                      "strictly monotone",
                      P->org, P->line, P->col[0], P->prev_x, P->prev_line, d > 0 ? "up" : "down",
                      xt, d > 0 ? "decreased" : "increased");
    }
    if (P->n == P->cap) {
        if (P->n >= LMB__TABLE_MAX_ROWS)
            LMB__FAIL(P->ctx, LMB_EPARSE, "%s:%d: more than %d rows; a table holds at most %d",
                      P->org, P->line, LMB__TABLE_MAX_ROWS, LMB__TABLE_MAX_ROWS);
        int cap = P->cap ? 2 * P->cap : ROWS_FIRST;
        if (cap > LMB__TABLE_MAX_ROWS)
            cap = LMB__TABLE_MAX_ROWS;
        double *nx = realloc(P->x, (size_t)cap * sizeof *nx);
        if (nx)
            P->x = nx;
        double *ny = nx ? realloc(P->y, (size_t)cap * sizeof *ny) : NULL;
        if (!nx || !ny)
            LMB__FAIL(P->ctx, LMB_ENOMEM, "%s:%d: out of memory for %d rows", P->org, P->line, cap);
        P->y = ny;
        P->cap = cap;
    }
    P->x[P->n] = x;
    P->y[P->n] = y;
    P->n++;
    P->prev_line = P->line;
    memcpy(P->prev_x, xt, sizeof xt);
    return LMB_OK;
}

static lmb_status parse_text(parser *P, const char *text, size_t len, lmb__table *out) {
    if (len > LMB__TABLE_MAX_BYTES)
        LMB__FAIL(P->ctx, LMB_EPARSE, "%s: %zu bytes, larger than the %zu MiB of a table", P->org,
                  len, LMB__TABLE_MAX_BYTES >> 20);
    const char *nul = len ? memchr(text, '\0', len) : NULL;
    if (nul) {
        int line = 1;
        for (const char *p = text; p < nul; p++)
            line += *p == '\n';
        LMB__FAIL(P->ctx, LMB_EPARSE, "%s:%d: NUL byte; not a text file", P->org, line);
    }
    const char *pos = text, *end = text + len;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos += 3; /* UTF-8 byte-order mark */
    int header = 0;
    while (pos < end) {
        const char *s = pos, *nl = memchr(pos, '\n', (size_t)(end - pos));
        const char *e = nl ? nl : end;
        pos = nl ? nl + 1 : end;
        P->line++;
        if (e > s && e[-1] == '\r')
            e--;
        trim(&s, &e);
        if (s == e || *s == '#')
            continue;
        lmb_status st = header ? parse_row(P, s, e) : parse_header(P, s, e, out);
        if (st != LMB_OK)
            return st;
        header = 1;
    }
    int last = P->line > 0 ? P->line : 1;
    if (!header)
        LMB__FAIL(P->ctx, LMB_EPARSE, "%s:%d: no header: the table is empty or holds only comments",
                  P->org, last);
    if (P->n < LMB__TABLE_MIN_ROWS)
        LMB__FAIL(P->ctx, LMB_EPARSE, "%s:%d: %d data row%s; a table needs at least %d", P->org,
                  last, P->n, P->n == 1 ? "" : "s", LMB__TABLE_MIN_ROWS);
    return LMB_OK;
}

lmb_status lmb__table_parse(lmb_ctx *ctx, const char *text, size_t len, const char *origin,
                            lmb_dim x_dim, lmb_dim y_dim, lmb__table *out) {
    if (!out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb__table_parse: NULL table");
    memset(out, 0, sizeof *out);
    if (!origin)
        origin = "table";
    parser P;
    memset(&P, 0, sizeof P);
    P.ctx = ctx;
    lmb__escape_n(P.org, sizeof P.org, origin, strlen(origin));
    if (!text && len > 0)
        LMB__FAIL(ctx, LMB_EINVAL, "%s: no text", P.org);
    if (x_dim < 0 || x_dim >= LMB_DIM_COUNT || y_dim < 0 || y_dim >= LMB_DIM_COUNT)
        LMB__FAIL(ctx, LMB_EINVAL, "%s: unknown column dimension", P.org);
    P.dim[0] = x_dim;
    P.dim[1] = y_dim;
    lmb_status st = parse_text(&P, text ? text : "", len, out);
    if (st != LMB_OK) {
        free(P.x);
        free(P.y);
        memset(out, 0, sizeof *out);
        return st;
    }
    if (P.dir < 0) /* decreasing: reverse the rows */
        for (int i = 0, j = P.n - 1; i < j; i++, j--) {
            double tx = P.x[i], ty = P.y[i];
            P.x[i] = P.x[j], P.y[i] = P.y[j];
            P.x[j] = tx, P.y[j] = ty;
        }
    out->n = P.n;
    out->x_dim = x_dim;
    out->y_dim = y_dim;
    out->x = P.x;
    out->y = P.y;
    snprintf(out->origin, sizeof out->origin, "%s", origin);
    return LMB_OK;
}

lmb_status lmb__table_load(lmb_ctx *ctx, const char *path, lmb_dim x_dim, lmb_dim y_dim,
                           lmb__table *out) {
    if (!out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb__table_load: NULL table");
    memset(out, 0, sizeof *out);
    if (!path)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb__table_load: NULL path");
    /* a table is a regular file: a device or a pipe named by a cell file (/dev/zero, a FIFO)
     * would be read for ever or block */
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        char shown[ORIGIN_SHOW];
        lmb__escape_n(shown, sizeof shown, path, strlen(path));
        LMB__FAIL(ctx, LMB_EIO, "%s: not a regular file (a table is a CSV file)", shown);
    }
    char *buf = NULL;
    size_t len = 0;
    lmb_status st =
        lmb__read_whole_file(ctx, path, LMB__TABLE_MAX_BYTES, "a property table", &buf, &len);
    if (st != LMB_OK)
        return st;
    st = lmb__table_parse(ctx, buf, len, path, x_dim, y_dim, out);
    free(buf);
    return st;
}
