/*
 * table.c - two-column property tables and their interpolants (table.h); the CSV reader is
 * src/io/table_csv.c.
 *
 * The reader works on the caller's bytes as they are (no copy, no NUL needed): it walks the
 * lines as [start, end) spans and copies only a field it converts into a small buffer for
 * strtod. Every failure is one line of text: the bytes of a file quoted in a message pass
 * through show(), which writes control characters as \xNN.
 *
 * Column units follow the rule of the cell-file keys (lmb__schema_resolve): a header name is
 * split at its longest '_' suffix that is a unit of the column's dimension, so
 * "conductivity_mS_cm" is conductivity in mS/cm and "diffusivity_m2_s" diffusivity in m2/s.
 * Units are looked up by dimension, so "charge_C" is coulombs in a charge column although
 * lmb_unit_find("C") alone gives degrees Celsius.
 *
 * Numbers: decimal only. strtod alone would also take "inf", "nan", hexadecimal floats and
 * (under a program's setlocale) a decimal comma; a field is therefore checked to hold only
 * digits, signs, '.', 'e' and 'E' before strtod reads it, and strtod must consume all of it.
 *
 * Interpolation: GSL's Steffen and Akima interpolants (gsl_interp) on the spline's own copy of
 * the table. Both are piecewise cubics with first derivatives estimated at the data points:
 * Steffen's from the neighbouring secants, limited so that the cubic stays monotone between
 * monotone data (second-order accurate derivatives where the data are smooth, so an O(h^3)
 * interpolation error inside, O(h^2) in the end intervals, whose outer slope is the secant);
 * Akima's a weighted mean of the secants.
 */
#include "model/table.h"

#include "core/ctx_internal.h"

#include <gsl/gsl_errno.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORIGIN_SHOW 300 /* longest origin quoted in a message [bytes] */

/* ---- text helpers ---- */

/* The length of the NUL-terminated text in a buffer of size n (n if it has no NUL). */
static size_t text_len(const char *s, size_t n) {
    const char *z = memchr(s, '\0', n);
    return z ? (size_t)(z - s) : n;
}

/* The unit of dimension dim whose display name or key is s, or NULL. */
const lmb_unit *lmb__unit_of_dim(const char *s, lmb_dim dim) {
    for (int i = 0; i < lmb_unit_count(); i++) {
        const lmb_unit *u = lmb_unit_at(i);
        if (u->dim == dim && (strcmp(u->name, s) == 0 || strcmp(u->key, s) == 0))
            return u;
    }
    return NULL;
}

/* 1 if t is a table as lmb__table_parse makes them. */
static int table_valid(const lmb__table *t) {
    if (!t || t->n < 1 || !t->x || !t->y)
        return 0;
    for (int i = 0; i < t->n; i++)
        if (!isfinite(t->x[i]) || !isfinite(t->y[i]) || (i > 0 && !(t->x[i] > t->x[i - 1])))
            return 0;
    return 1;
}

lmb_status lmb__table_copy(lmb_ctx *ctx, const lmb__table *src, lmb__table *dst) {
    if (!dst)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb__table_copy: NULL destination");
    memset(dst, 0, sizeof *dst);
    if (!table_valid(src))
        LMB__FAIL(ctx, LMB_EINVAL, "lmb__table_copy: no valid table to copy");
    char org[ORIGIN_SHOW];
    lmb__escape_n(org, sizeof org, src->origin, text_len(src->origin, sizeof src->origin));
    size_t bytes = (size_t)src->n * sizeof(double);
    double *x = malloc(bytes), *y = malloc(bytes);
    if (!x || !y) {
        free(x);
        free(y);
        LMB__FAIL(ctx, LMB_ENOMEM, "table '%s': out of memory for a copy of %d rows", org, src->n);
    }
    *dst = *src;
    memcpy(x, src->x, bytes);
    memcpy(y, src->y, bytes);
    dst->x = x;
    dst->y = y;
    return LMB_OK;
}

void lmb__table_free(lmb__table *t) {
    if (!t)
        return;
    free(t->x);
    free(t->y);
    memset(t, 0, sizeof *t);
}

/* ---- messages ---- */

/* "%.*g" of v with the fewest digits (6 to 17) that tell it from a and b (if it differs). */
static void fmt_apart(char *dst, size_t n, double v, double a, double b) {
    for (int prec = 6; prec <= 17; prec++) {
        char ta[40], tb[40];
        snprintf(dst, n, "%.*g", prec, v);
        snprintf(ta, sizeof ta, "%.*g", prec, a);
        snprintf(tb, sizeof tb, "%.*g", prec, b);
        if ((v == a || strcmp(dst, ta) != 0) && (v == b || strcmp(dst, tb) != 0))
            return;
    }
}

void lmb__table_range_text(const lmb__table *t, const char *what, double x_si, char *buf,
                           size_t n) {
    if (!buf || n == 0)
        return;
    const char *w = what ? what : "";
    const char *ws = w[0] ? " " : "";
    char org[ORIGIN_SHOW];
    if (!t || t->n < 1 || !t->x) {
        snprintf(buf, n, "%s%stable: no data", w, ws);
        return;
    }
    lmb__escape_n(org, sizeof org, t->origin, text_len(t->origin, sizeof t->origin));
    char unit[sizeof t->x_unit];
    memcpy(unit, t->x_unit, sizeof unit);
    unit[sizeof unit - 1] = '\0';
    const lmb_unit *u = unit[0] ? lmb__unit_of_dim(unit, t->x_dim) : NULL;
    const char *un = (u && strcmp(u->name, "1") != 0) ? u->name : "";
    double lo = u ? lmb_unit_from_si(u, t->x[0]) : t->x[0];
    double hi = u ? lmb_unit_from_si(u, t->x[t->n - 1]) : t->x[t->n - 1];
    double v = u ? lmb_unit_from_si(u, x_si) : x_si;
    char ts_lo[40], ts_hi[40], ts_v[40];
    snprintf(ts_lo, sizeof ts_lo, "%g", lo);
    snprintf(ts_hi, sizeof ts_hi, "%g", hi);
    fmt_apart(ts_v, sizeof ts_v, v, lo, hi);
    snprintf(buf, n, "%s%stable '%s' covers %.63s %s to %s%s%s; asked for %s", w, ws, org,
             t->x_name, ts_lo, ts_hi, un[0] ? " " : "", un, ts_v);
}

/* ---- interpolation ---- */

static const char *const k_interp_names[LMB__INTERP_COUNT] = {"steffen", "akima"};

const char *lmb__interp_name(lmb__interp k) {
    return ((int)k >= 0 && (int)k < LMB__INTERP_COUNT) ? k_interp_names[k] : NULL;
}

int lmb__interp_parse(const char *name, lmb__interp *out) {
    for (int k = 0; name && k < LMB__INTERP_COUNT; k++)
        if (strcmp(name, k_interp_names[k]) == 0) {
            if (out)
                *out = (lmb__interp)k;
            return 0;
        }
    return -1;
}

lmb_status lmb__spline_init(lmb_ctx *ctx, const lmb__table *t, lmb__interp kind, lmb__spline *out) {
    if (!out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb__spline_init: NULL spline");
    memset(out, 0, sizeof *out);
    const char *name = lmb__interp_name(kind);
    if (!t)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb__spline_init: NULL table");
    char org[ORIGIN_SHOW];
    lmb__escape_n(org, sizeof org, t->origin, text_len(t->origin, sizeof t->origin));
    if (!name)
        LMB__FAIL(ctx, LMB_EINVAL, "table '%s': unknown interpolation %d (steffen or akima)", org,
                  (int)kind);
    if (!table_valid(t))
        LMB__FAIL(ctx, LMB_EINVAL,
                  "table '%s' is not valid: %d rows, x must be finite and strictly increasing", org,
                  t->n);
    const gsl_interp_type *T = kind == LMB__INTERP_AKIMA ? gsl_interp_akima : gsl_interp_steffen;
    unsigned int min = gsl_interp_type_min_size(T);
    if ((unsigned int)t->n < min)
        LMB__FAIL(ctx, LMB_ERANGE, "table '%s' has %d rows; %s interpolation needs at least %u%s",
                  org, t->n, name, min, kind == LMB__INTERP_AKIMA ? " (steffen needs 3)" : "");

    /* Bounds of the cubics: on an interval of width h a Hermite cubic whose end values are at
     * most Y and end slopes at most D stays below Y + 8 h D / 27 and its slope below
     * 1.5 S + 2 D (S the interval's secant). Both kinds take end slopes of at most 3 S_max
     * (Steffen's are limited by the neighbouring secants, Akima's are means of secants extended
     * past the ends as 2 m_0 - m_1). With the margins below, values and derivatives are finite
     * wherever the data are, so the residual never meets an inf made by the interpolant. */
    double Y = 0.0, H = 0.0, S = 0.0;
    for (int i = 0; i < t->n; i++) {
        Y = fmax(Y, fabs(t->y[i]));
        if (i + 1 == t->n)
            break;
        double h = t->x[i + 1] - t->x[i], sl = (t->y[i + 1] - t->y[i]) / h;
        if (!isfinite(h) || !isfinite(sl))
            LMB__FAIL(ctx, LMB_ERANGE,
                      "table '%s': the slope between rows %d and %d is not finite (values or "
                      "spacings too extreme)",
                      org, i + 1, i + 2);
        H = fmax(H, h);
        S = fmax(S, fabs(sl));
    }
    if (!isfinite(8.0 * (Y + 8.0 * H * S) + 128.0 * S))
        LMB__FAIL(ctx, LMB_ERANGE,
                  "table '%s': values up to %g and slopes up to %g are too large to interpolate",
                  org, Y, S);

    size_t nn = (size_t)t->n;
    double *block = malloc(2 * nn * sizeof(double));
    if (!block)
        LMB__FAIL(ctx, LMB_ENOMEM, "table '%s': out of memory for its interpolant", org);
    memcpy(block, t->x, nn * sizeof(double));
    memcpy(block + nn, t->y, nn * sizeof(double));
    /* GSL calls its error handler only if its malloc fails here: the size and the order of x
     * are checked above, and gsl_interp_init fails for nothing else */
    gsl_interp *g = gsl_interp_alloc(T, nn);
    if (!g) {
        free(block);
        LMB__FAIL(ctx, LMB_ENOMEM, "table '%s': out of memory for its interpolant", org);
    }
    if (gsl_interp_init(g, block, block + nn, nn) != GSL_SUCCESS) {
        gsl_interp_free(g);
        free(block);
        LMB__FAIL(ctx, LMB_EINVAL, "table '%s': GSL refuses the %s interpolant", org, name);
    }
    out->interp = g;
    out->x = block;
    out->y = block + nn;
    out->n = t->n;
    out->x_lo = block[0];
    out->x_hi = block[nn - 1];

    /* Finite data and slopes can still give a cubic coefficient that is not finite (GSL divides
     * by h^2, which underflows for spacings below 1e-154); such a cubic is not finite at the
     * middle of its interval, so one look there in each interval finds it. */
    for (size_t i = 0; i + 1 < nn; i++) {
        double xm = out->x[i] + 0.5 * (out->x[i + 1] - out->x[i]), ym = 0.0, dm = 0.0;
        if (lmb__spline_eval(out, xm, &ym, &dm) != 0 || !isfinite(ym) || !isfinite(dm)) {
            lmb__spline_free(out);
            LMB__FAIL(ctx, LMB_ERANGE,
                      "table '%s': the %s interpolant between rows %zu and %zu is not finite "
                      "(values or spacings too extreme)",
                      org, name, i + 1, i + 2);
        }
    }
    return LMB_OK;
}

int lmb__spline_eval(const lmb__spline *s, double x, double *y, double *dydx) {
    /* the range first: GSL's own check calls no handler in the _e functions, but NaN passes it */
    if (!s || !s->interp || !(x >= s->x_lo && x <= s->x_hi))
        return -1;
    double v = 0.0, d = 0.0;
    if (y && gsl_interp_eval_e(s->interp, s->x, s->y, x, NULL, &v) != GSL_SUCCESS)
        return -1;
    if (dydx && gsl_interp_eval_deriv_e(s->interp, s->x, s->y, x, NULL, &d) != GSL_SUCCESS)
        return -1;
    if (y)
        *y = v;
    if (dydx)
        *dydx = d;
    return 0;
}

void lmb__spline_free(lmb__spline *s) {
    if (!s)
        return;
    if (s->interp)
        gsl_interp_free(s->interp);
    free(s->x);
    memset(s, 0, sizeof *s);
}
