/*
 * table.h - tabulated material properties: a two-column CSV table y(x) read once at load, and
 * a smooth interpolant of it evaluated inside the residual.
 *
 * A measured open-circuit potential U(stoichiometry), or an electrolyte property of the salt
 * concentration (conductivity, diffusivity, transference number), is often known only as a
 * table. The file format (lmb__table_parse):
 *   # comment lines (after optional spaces) and blank lines are skipped
 *   stoichiometry,ocp_V          the header: two names <name>_<unit>, a unit key of
 *   0.0005,4.714027              lmb_unit_find of the column's dimension ("ocp_V",
 *   0.0010,4.713918              "conductivity_mS_cm", "concentration_mol_L"); a
 *   ...                          dimensionless column has no unit ("transference_number")
 * Separator a comma, tab or semicolon (the first of them in the header; the rows use the same);
 * LF or CRLF; a UTF-8 byte-order mark at the start is skipped. Rows hold exactly two decimal
 * numbers (a point, never a comma; no inf, nan or hex), finite; x strictly increasing or
 * strictly decreasing (the rows are then reversed, so x increases in memory). Values are
 * converted to SI with their column's unit at load, and the table keeps SI only.
 *
 * The interpolant (lmb__spline) is GSL's gsl_interp on the table (Steffen or Akima, both C1
 * piecewise cubics). Leaving the table's range is an error for the caller to report
 * (lmb__table_range_text), never an extrapolation. Evaluation is thread-safe and free of
 * allocation: no gsl_interp_accel (GSL then bisects, O(log n)), and the range is checked here
 * before GSL is called, so GSL's process-global error handler, which aborts by default, is never
 * reached by evaluation. (gsl_interp_alloc reaches it only if its own malloc fails.)
 */
#ifndef LMB_MODEL_TABLE_H
#define LMB_MODEL_TABLE_H

#include "lmb/ctx.h"
#include "lmb/units.h"

#include <gsl/gsl_interp.h>

#include <stddef.h>

/* Limits of a table: rows [1] and bytes of text. */
#define LMB__TABLE_MIN_ROWS  3
#define LMB__TABLE_MAX_ROWS  1000000
#define LMB__TABLE_MAX_BYTES ((size_t)64 << 20) /* 64 MiB */

typedef struct lmb__table {
    int n;                       /* rows, >= LMB__TABLE_MIN_ROWS */
    double *x, *y;               /* [SI of the column's dimension] n each, separately malloc'ed;
                                    x strictly increasing, both finite */
    char origin[1024];           /* where it came from, for messages: the file path as given */
    char x_name[64], y_name[64]; /* column names without the unit suffix ("stoichiometry") */
    char x_unit[32], y_unit[32]; /* unit keys as written in the header ("V", "mol_L"; "" if
                                    dimensionless without a unit) */
    lmb_dim x_dim, y_dim;        /* the dimensions the columns were read as */
} lmb__table;

/*
 * Parses a two-column CSV table (the format above) from text, len bytes (need not be
 * NUL-terminated). origin names it in messages (NULL: "table"). x_dim / y_dim: the dimension
 * each column must have (LMB_DIM_NONE = dimensionless: no unit suffix, or a dimensionless unit
 * such as "pct"). Statuses, each with one sentence in ctx (may be NULL) naming origin and line
 * ("ocv.csv:17: 'abc' is not a number (column 2, ocp_V)"):
 *   LMB_EPARSE  NUL bytes (not a text file), input over LMB__TABLE_MAX_BYTES, no header, a
 *               header without two column names, a row without exactly two numbers, a number
 *               that is not one or not finite, fewer than LMB__TABLE_MIN_ROWS or more than
 *               LMB__TABLE_MAX_ROWS rows;
 *   LMB_EUNIT   a column without a unit of its dimension, or with a unit of another dimension;
 *   LMB_ERANGE  x repeated or not monotone, a value not finite once converted to SI;
 *   LMB_ENOMEM.
 * On failure *out is zeroed. The caller frees the table with lmb__table_free.
 */
lmb_status lmb__table_parse(lmb_ctx *ctx, const char *text, size_t len, const char *origin,
                            lmb_dim x_dim, lmb_dim y_dim, lmb__table *out);

/* Reads the file at path (origin = path) and parses it: lmb__table_parse's statuses and LMB_EIO
 * (the path and strerror) if it cannot be read. */
lmb_status lmb__table_load(lmb_ctx *ctx, const char *path, lmb_dim x_dim, lmb_dim y_dim,
                           lmb__table *out);

/* Deep copy of src into dst. LMB_OK, LMB_EINVAL (src NULL or not a valid table) or LMB_ENOMEM;
 * on failure *dst is zeroed. */
lmb_status lmb__table_copy(lmb_ctx *ctx, const lmb__table *src, lmb__table *dst);

/* Frees the arrays and zeroes the table; a zeroed table (or NULL) is a no-op. */
void lmb__table_free(lmb__table *t);

/*
 * The sentence for a value outside a table's range, for callers' error messages, into buf (size
 * n, always NUL-terminated):
 *   "positive.ocv table 'ocv.csv' covers stoichiometry 0.0005 to 0.99; asked for 0.995"
 * what names the property (NULL or "": the sentence starts with "table"); x_si [SI] is shown,
 * like the range, in the table's own x unit, with as many digits as it takes to tell it from
 * the ends of the range.
 */
void lmb__table_range_text(const lmb__table *t, const char *what, double x_si, char *buf, size_t n);

typedef enum lmb__interp { LMB__INTERP_STEFFEN = 0, LMB__INTERP_AKIMA = 1 } lmb__interp;

#define LMB__INTERP_COUNT 2

/* "steffen", "akima"; NULL if k is not an lmb__interp. */
const char *lmb__interp_name(lmb__interp k);

/* The kind named name (exactly as lmb__interp_name spells it) into *out: 0, or -1 if unknown. */
int lmb__interp_parse(const char *name, lmb__interp *out);

/*
 * A smooth interpolant of a table, on its own copies of x and y:
 *   Steffen (M. Steffen, Astron. Astrophys. 239 (1990) 443): monotone between monotone data (no
 *     overshoot, extrema only at the data points), C1; at least 3 points;
 *   Akima (H. Akima, J. ACM 17 (1970) 589, doi:10.1145/321607.321609): C1, follows the data
 *     more closely near a kink but may overshoot; at least 5 points.
 */
typedef struct lmb__spline {
    gsl_interp *interp; /* NULL in a zeroed spline */
    double *x, *y;      /* [SI] own copies of the table, n each (one block, x first) */
    int n;
    double x_lo, x_hi; /* [SI of x] the range: x[0], x[n-1] */
} lmb__spline;

/*
 * Builds the interpolant of table t. Statuses: LMB_OK; LMB_EINVAL (t NULL or not a valid table,
 * an unknown kind); LMB_ERANGE (fewer points than the kind needs, or data so extreme that a
 * slope between two rows is not finite); LMB_ENOMEM. Messages name t->origin. On failure *out is
 * zeroed. The caller frees it with lmb__spline_free.
 */
lmb_status lmb__spline_init(lmb_ctx *ctx, const lmb__table *t, lmb__interp kind, lmb__spline *out);

/*
 * y(x) and dy/dx [SI] (y or dydx may be NULL). Returns 0 inside [x_lo, x_hi] (both ends
 * included), -1 outside, for NaN x or on a zeroed spline, leaving *y and *dydx untouched.
 * Thread-safe (s is only read) and allocation-free.
 */
int lmb__spline_eval(const lmb__spline *s, double x, double *y, double *dydx);

/* Frees the interpolant and zeroes it; a zeroed spline (or NULL) is a no-op. */
void lmb__spline_free(lmb__spline *s);

/* For the reader (src/io/table_csv.c): the unit of dimension dim whose display name or key is
 * s (NULL if none). */
const lmb_unit *lmb__unit_of_dim(const char *s, lmb_dim dim);

#endif
