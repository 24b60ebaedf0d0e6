/*
 * figure.h - x-y figures (PLplot, cairo driver) for the analysis of cycling records: curves or
 * points on one or two y axes, written as SVG and PNG.
 *
 * An interim figure writer beside eis_figure.h; the figures issue gives lmb one figures module
 * with one style, which both should then use.
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
} lmb__series;

typedef struct lmb__figure {
    const char *title;
    const char *xlabel, *ylabel, *y2label; /* with units; y2label NULL for one axis */
    int equal;                             /* 1: the same scale on x and y (Nyquist) */
} lmb__figure;

/*
 * Writes BASE.svg and BASE.png. Series with no finite point are skipped; a figure with none at
 * all is an error (LMB_EINVAL). Statuses: LMB_OK, LMB_EINVAL, LMB_ENOMEM, LMB_EIO.
 */
lmb_status lmb__figure_write(lmb_ctx *ctx, const char *base, const lmb__figure *fig,
                             const lmb__series *s, size_t ns);

#endif
