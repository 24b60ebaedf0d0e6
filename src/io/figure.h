/*
 * figure.h - lmb's figures module: x-y panels drawn with PLplot's cairo drivers, written as SVG
 * and PNG in one house style.
 *
 * Style (one for every figure lmb draws): white background, black frame with ticks on all four
 * sides, axis labels that carry their units ("time / h"), series in a fixed sequence of colours
 * (red, blue, green, orange, purple, teal), lines 1.5 px, symbols filled circles, a legend of
 * coloured labels in the top right with headroom kept for it above the data. A one-panel figure
 * is 600 x 420 px with text about 17 px high, so that set at a journal column width (8.5 cm)
 * its text is about 7 pt; the panels of a grid are the same size each, with the same text.
 *
 * Long series are thinned for drawing: at most max_points per series (default 4000) through the
 * minimum and maximum of each bucket of rows, so a spike stays visible; a panel with an x range
 * thins only what falls in it. The data themselves are never changed.
 */
#ifndef LMB_IO_FIGURE_H
#define LMB_IO_FIGURE_H

#include <stddef.h>

#include "lmb/ctx.h"

/* One series: n points (NaN points are left out), drawn as a line or as symbols. */
typedef struct lmb__series {
    const double *x, *y;
    size_t n;
    int points;        /* 1: symbols, 0: a line */
    int right;         /* 1: on the right-hand y axis */
    const char *label; /* legend text, NULL for none */
    int color;         /* 0: the series' place in the panel; k > 0: colour k of the sequence */
} lmb__series;

/* One panel's axes. */
typedef struct lmb__figure {
    const char *title;
    const char *xlabel, *ylabel, *y2label; /* with units; y2label NULL for one axis */
    int equal;                             /* 1: the same scale on x and y (Nyquist) */
} lmb__figure;

/* A panel of a grid: its axes, its series, and optionally a fixed x range (a zoom). */
typedef struct lmb__panel {
    lmb__figure fig;
    const lmb__series *s;
    size_t ns;
    double x0, x1; /* the x range shown when x0 < x1, else the data's */
    int logx;      /* 1: logarithmic x axis (x values > 0) */
    int logy;      /* 1: logarithmic left y axis (its values > 0) */
} lmb__panel;

/*
 * Writes BASE.svg and BASE.png: np panels in a grid of ncols columns, filled row by row. A panel
 * with no finite point is drawn empty with "no data"; a figure with no point at all is an error
 * (LMB_EINVAL). Statuses: LMB_OK, LMB_EINVAL, LMB_ENOMEM, LMB_EIO.
 */
lmb_status lmb__figure_panels(lmb_ctx *ctx, const char *base, const lmb__panel *p, size_t np,
                              int ncols);

/* One panel (lmb__figure_panels with a single panel and no zoom). */
lmb_status lmb__figure_write(lmb_ctx *ctx, const char *base, const lmb__figure *fig,
                             const lmb__series *s, size_t ns);

#endif
