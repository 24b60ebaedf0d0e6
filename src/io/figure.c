/*
 * figure.c - x-y panels with PLplot's cairo drivers (figure.h): the house style, thinning of
 * long series, zoomed panels, a second y axis, logarithmic x.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/figure.h"

#include "core/ctx_internal.h"

#include <errno.h>
#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define COL_BG     0
#define COL_AXES   15
#define MAX_POINTS 4000 /* drawn per series */
#define PANEL_W    600  /* [px] */
#define PANEL_H    420

static const unsigned char palette[][3] = {
    {200, 30, 30}, {30, 60, 200}, {20, 140, 60}, {220, 130, 0}, {130, 50, 160}, {0, 150, 170},
};
#define N_PALETTE (sizeof palette / sizeof palette[0])

static int file_ok(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && st.st_size > 0;
}

static int in_range(const lmb__panel *p, const lmb__series *s, double x, double y) {
    return isfinite(x) && isfinite(y) && (!p->logx || x > 0.0) &&
           (!p->logy || s->right || y > 0.0) && (!(p->x0 < p->x1) || (x >= p->x0 && x <= p->x1));
}

/*
 * The points of series s that the panel shows (finite, inside its x range, x > 0 on a log axis),
 * thinned to at most MAX_POINTS through the minimum and maximum of each bucket; x as drawn
 * (log10 on a log axis). Returns their number.
 */
static size_t thin(const lmb__panel *p, const lmb__series *s, double *x, double *y) {
    size_t n_in = 0;
    const int logy = p->logy && !s->right;
    for (size_t i = 0; i < s->n; i++)
        n_in += in_range(p, s, s->x[i], s->y[i]);
    size_t bucket = n_in > MAX_POINTS ? (n_in + MAX_POINTS / 2 - 1) / (MAX_POINTS / 2) : 1;
    size_t n = 0, seen = 0, lo = (size_t)-1, hi = (size_t)-1;
    for (size_t i = 0; i < s->n; i++) {
        if (!in_range(p, s, s->x[i], s->y[i]))
            continue;
        if (lo == (size_t)-1 || s->y[i] < s->y[lo])
            lo = i;
        if (hi == (size_t)-1 || s->y[i] > s->y[hi])
            hi = i;
        if (++seen % bucket != 0 && seen != n_in)
            continue;
        size_t first = lo < hi ? lo : hi, second = lo < hi ? hi : lo;
        x[n] = p->logx ? log10(s->x[first]) : s->x[first];
        y[n++] = logy ? log10(s->y[first]) : s->y[first];
        if (second != first) {
            x[n] = p->logx ? log10(s->x[second]) : s->x[second];
            y[n++] = logy ? log10(s->y[second]) : s->y[second];
        }
        lo = hi = (size_t)-1;
    }
    return n;
}

/* Pads a range by 5 %; a range narrower than 1e-3 of its values (a constant capacity) is
 * widened to 5 % of them, so that the tick labels differ at the digits they show. */
static void widen(double *lo, double *hi) {
    if (!isfinite(*lo) || !isfinite(*hi)) {
        *lo = 0.0;
        *hi = 1.0;
    }
    double size = fmax(fabs(*lo), fabs(*hi));
    double pad = *hi - *lo > 1e-3 * size ? 0.05 * (*hi - *lo) : size > 0.0 ? 0.05 * size : 1.0;
    *lo -= pad;
    *hi += pad;
}

/* The thinned points of one panel: per series, x and y arrays and their lengths. */
typedef struct drawn {
    double **x, **y;
    size_t *n;
    double lim[6]; /* x0 x1 y0 y1 y2_0 y2_1 */
    size_t total;
} drawn;

/* chr: the character scale (PLplot's text grows with the page, not with the panel: a grid of
 * g x g panels of one size each needs 1/sqrt(g) to keep the text of a single panel) */
static void draw_panel(const lmb__panel *p, const drawn *d, double chr) {
    const lmb__figure *fig = &p->fig;
    const int two = fig->y2label != NULL;
    pladv(0);
    plschr(0.0, chr);
    if (fig->equal) {
        plvpor(0.14, 0.95, 0.13, 0.9);
        plwind(d->lim[0], d->lim[1], d->lim[2], d->lim[3]);
        plvasp(1.0);
    } else {
        plvpor(0.14, two ? 0.86 : 0.95, 0.13, 0.9);
    }
    plcol0(COL_AXES);
    plwind(d->lim[0], d->lim[1], d->lim[2], d->lim[3]);
    plbox(p->logx ? "bcnstl" : "bcnst", 0.0, 0,
          two ? (p->logy ? "bnstvl" : "bnstv") : (p->logy ? "bcnstvl" : "bcnstv"), 0.0, 0);
    pllab(fig->xlabel, fig->ylabel, fig->title ? fig->title : "");
    if (d->total == 0)
        plptex(0.5 * (d->lim[0] + d->lim[1]), 0.5 * (d->lim[2] + d->lim[3]), 1.0, 0.0, 0.5,
               "no data");
    for (int side = 0; side <= two; side++) {
        if (side) {
            plwind(d->lim[0], d->lim[1], d->lim[4], d->lim[5]);
            plcol0(COL_AXES);
            plbox("", 0.0, 0, "cmstv", 0.0, 0);
            plmtex("r", 4.0, 0.5, 0.5, fig->y2label);
        }
        for (size_t k = 0; k < p->ns; k++) {
            if (p->s[k].right != side || d->n[k] == 0)
                continue;
            int c = p->s[k].color > 0 ? p->s[k].color - 1 : (int)k;
            plcol0((PLINT)(1 + c % (int)N_PALETTE));
            if (p->s[k].points) {
                plssym(0.0, 1.8);
                plpoin((PLINT)d->n[k], d->x[k], d->y[k], 17);
            } else {
                plwidth(1.5);
                plline((PLINT)d->n[k], d->x[k], d->y[k]);
                plwidth(1.0);
            }
        }
    }
    int row = 0; /* legend: the labelled series, top right, as text in their colours */
    for (size_t k = 0; k < p->ns; k++) {
        if (!p->s[k].label || d->n[k] == 0)
            continue;
        int c = p->s[k].color > 0 ? p->s[k].color - 1 : (int)k;
        plcol0((PLINT)(1 + c % (int)N_PALETTE));
        plmtex("t", -1.5 - 1.3 * row++, 0.97, 1.0, p->s[k].label);
    }
}

/* Thins the series of panel p into d (buffers from buf) and sets its limits. */
static void prepare(const lmb__panel *p, drawn *d, double *buf) {
    double *lim = d->lim;
    for (int a = 0; a < 6; a += 2) {
        lim[a] = INFINITY;
        lim[a + 1] = -INFINITY;
    }
    d->total = 0;
    size_t used = 0;
    for (size_t k = 0; k < p->ns; k++) {
        size_t cap = p->s[k].n < MAX_POINTS ? p->s[k].n : MAX_POINTS + 2;
        d->x[k] = buf + used;
        d->y[k] = buf + used + cap;
        used += 2 * cap;
        d->n[k] = thin(p, &p->s[k], d->x[k], d->y[k]);
        d->total += d->n[k];
        int yi = p->s[k].right ? 4 : 2;
        for (size_t i = 0; i < d->n[k]; i++) {
            lim[0] = fmin(lim[0], d->x[k][i]);
            lim[1] = fmax(lim[1], d->x[k][i]);
            lim[yi] = fmin(lim[yi], d->y[k][i]);
            lim[yi + 1] = fmax(lim[yi + 1], d->y[k][i]);
        }
    }
    if (p->x0 < p->x1) { /* a zoom shows its whole range */
        lim[0] = p->logx ? log10(p->x0) : p->x0;
        lim[1] = p->logx ? log10(p->x1) : p->x1;
    } else {
        widen(&lim[0], &lim[1]);
    }
    widen(&lim[2], &lim[3]);
    widen(&lim[4], &lim[5]);
    /* headroom for the legend, which is written inside the top right of the frame: 9 % of the
     * height per line, so that it does not cover the data */
    int labels = 0;
    for (size_t k = 0; k < p->ns; k++)
        labels += p->s[k].label && d->n[k] > 0;
    if (labels > 0 && !p->fig.equal) {
        double room = 0.09 * labels / (1.0 - 0.09 * labels);
        lim[3] += room * (lim[3] - lim[2]);
        lim[5] += room * (lim[5] - lim[4]);
    }
    if (p->fig.equal) { /* the same span on both axes, centred */
        double span = fmax(lim[1] - lim[0], lim[3] - lim[2]);
        double cx = 0.5 * (lim[0] + lim[1]), cy = 0.5 * (lim[2] + lim[3]);
        lim[0] = cx - span / 2, lim[1] = cx + span / 2;
        lim[2] = cy - span / 2, lim[3] = cy + span / 2;
    }
}

lmb_status lmb__figure_panels(lmb_ctx *ctx, const char *base, const lmb__panel *p, size_t np,
                              int ncols) {
    if (np == 0 || ncols < 1)
        LMB__FAIL(ctx, LMB_EINVAL, "figure %.400s: no panel", base);
    size_t cap = 0, nser = 0;
    for (size_t j = 0; j < np; j++) {
        nser += p[j].ns;
        for (size_t k = 0; k < p[j].ns; k++)
            cap += 2 * (p[j].s[k].n < MAX_POINTS ? p[j].s[k].n : MAX_POINTS + 2);
    }
    double *buf = malloc((cap + 1) * sizeof *buf);
    double **xy = malloc((2 * nser + 2) * sizeof *xy);
    size_t *nn = calloc(nser + 1, sizeof *nn);
    drawn *d = calloc(np, sizeof *d);
    if (!buf || !xy || !nn || !d) {
        free(buf);
        free(xy);
        free(nn);
        free(d);
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for the figure %.400s", base);
    }
    size_t used = 0, ser = 0, total = 0;
    for (size_t j = 0; j < np; j++) {
        d[j].x = xy + ser;
        d[j].y = xy + nser + 1 + ser;
        d[j].n = nn + ser;
        prepare(&p[j], &d[j], buf + used);
        for (size_t k = 0; k < p[j].ns; k++)
            used += 2 * (p[j].s[k].n < MAX_POINTS ? p[j].s[k].n : MAX_POINTS + 2);
        ser += p[j].ns;
        total += d[j].total;
    }
    lmb_status st = LMB_OK;
    if (total == 0)
        st = lmb__ctx_fail(ctx, LMB_EINVAL, "figure %.400s: no finite point to draw", base);
    int nrows = (int)((np + (size_t)ncols - 1) / (size_t)ncols);
    int cols = np < (size_t)ncols ? (int)np : ncols;
    static const char *const ext[2] = {"svg", "png"};
    char path[4200], geometry[64];
    snprintf(geometry, sizeof geometry, "%dx%d", cols * PANEL_W, nrows * PANEL_H);
    /* each file is drawn into path.tmp, opened here first (PLplot, failing to open a file,
     * asks for another name on stdin and then exits the process), and renamed when complete */
    char tmp[4300];
    for (int e = 0; e < 2 && st == LMB_OK; e++) {
        snprintf(path, sizeof path, "%.4000s.%s", base, ext[e]);
        snprintf(tmp, sizeof tmp, "%s.tmp", path);
        FILE *probe = fopen(tmp, "wb");
        if (!probe) {
            st = lmb__ctx_fail(ctx, LMB_EIO, "%.400s: cannot write: %s", tmp, strerror(errno));
            break;
        }
        fclose(probe);
        plsdev(e ? "pngcairo" : "svgcairo");
        plsfnam(tmp);
        plsetopt("geometry", geometry);
        plscol0(COL_BG, 255, 255, 255);
        plscol0(COL_AXES, 0, 0, 0);
        for (size_t k = 0; k < N_PALETTE; k++)
            plscol0((PLINT)(1 + k), palette[k][0], palette[k][1], palette[k][2]);
        plssub(cols, nrows);
        plinit();
        double chr = 1.25 / sqrt((double)(cols > nrows ? cols : nrows));
        for (size_t j = 0; j < np; j++)
            draw_panel(&p[j], &d[j], chr);
        plend();
        if (!file_ok(tmp) || rename(tmp, path) != 0) {
            remove(tmp);
            st = lmb__ctx_fail(ctx, LMB_EIO, "%.400s: the figure could not be written", path);
        }
    }
    free(buf);
    free(xy);
    free(nn);
    free(d);
    return st;
}

lmb_status lmb__figure_write(lmb_ctx *ctx, const char *base, const lmb__figure *fig,
                             const lmb__series *s, size_t ns) {
    lmb__panel p = {.fig = *fig, .s = s, .ns = ns};
    return lmb__figure_panels(ctx, base, &p, 1, 1);
}
