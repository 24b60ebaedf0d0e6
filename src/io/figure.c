/*
 * figure.c - x-y figures with PLplot's cairo drivers (figure.h).
 *
 * Style as eis_figure.c: white background, black axes with unit labels; series in a fixed
 * sequence of colours, a legend when series are labelled. A series longer than MAX_DRAWN points
 * is drawn through the minimum and maximum of each of MAX_DRAWN / 2 buckets, so that a spike
 * stays visible while a million-row record still draws in milliseconds.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/figure.h"

#include "core/ctx_internal.h"

#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define COL_BG    0
#define COL_AXES  15
#define MAX_DRAWN 20000

static const unsigned char palette[][3] = {
    {200, 30, 30}, {30, 60, 200}, {20, 140, 60}, {220, 130, 0}, {130, 50, 160}, {0, 150, 170},
};
#define N_PALETTE (sizeof palette / sizeof palette[0])

static int file_ok(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && st.st_size > 0;
}

/* The finite points of a series, thinned to at most MAX_DRAWN (min and max of each bucket). */
static size_t thin(const lmb__series *s, double *x, double *y) {
    size_t n = 0;
    size_t bucket = s->n > MAX_DRAWN ? (s->n + MAX_DRAWN / 2 - 1) / (MAX_DRAWN / 2) : 1;
    for (size_t b = 0; b < s->n; b += bucket) {
        size_t lo = (size_t)-1, hi = (size_t)-1;
        for (size_t i = b; i < b + bucket && i < s->n; i++) {
            if (!isfinite(s->x[i]) || !isfinite(s->y[i]))
                continue;
            if (lo == (size_t)-1 || s->y[i] < s->y[lo])
                lo = i;
            if (hi == (size_t)-1 || s->y[i] > s->y[hi])
                hi = i;
        }
        if (lo == (size_t)-1)
            continue;
        size_t first = lo < hi ? lo : hi, second = lo < hi ? hi : lo;
        x[n] = s->x[first];
        y[n++] = s->y[first];
        if (second != first) {
            x[n] = s->x[second];
            y[n++] = s->y[second];
        }
    }
    return n;
}

static void widen(double *lo, double *hi) {
    double pad = 0.05 * (*hi - *lo > 0.0 ? *hi - *lo : fmax(fabs(*hi), 1.0));
    *lo -= pad;
    *hi += pad;
}

static void draw(const lmb__figure *fig, const lmb__series *s, size_t ns, double **xs, double **ys,
                 const size_t *nd, const double lim[6]) {
    plscol0(COL_BG, 255, 255, 255);
    plscol0(COL_AXES, 0, 0, 0);
    for (size_t k = 0; k < N_PALETTE; k++)
        plscol0((PLINT)(1 + k), palette[k][0], palette[k][1], palette[k][2]);
    plinit();
    plschr(0.0, 0.9);
    plcol0(COL_AXES);
    const int two = fig->y2label != NULL;
    pladv(0);
    if (fig->equal)
        plvasp(1.0);
    else
        plvpor(0.12, two ? 0.86 : 0.95, 0.12, 0.9);
    plwind(lim[0], lim[1], lim[2], lim[3]);
    plbox("bcnst", 0.0, 0, two ? "bnstv" : "bcnstv", 0.0, 0);
    pllab(fig->xlabel, fig->ylabel, fig->title ? fig->title : "");
    for (int side = 0; side <= two; side++) {
        if (side) {
            plwind(lim[0], lim[1], lim[4], lim[5]);
            plcol0(COL_AXES);
            plbox("", 0.0, 0, "cmstv", 0.0, 0);
            plmtex("r", 4.0, 0.5, 0.5, fig->y2label);
        }
        for (size_t k = 0; k < ns; k++) {
            if (s[k].right != side || nd[k] == 0)
                continue;
            plcol0((PLINT)(1 + k % N_PALETTE));
            if (s[k].points)
                plpoin((PLINT)nd[k], xs[k], ys[k], 17);
            else {
                plwidth(1.5);
                plline((PLINT)nd[k], xs[k], ys[k]);
                plwidth(1.0);
            }
        }
    }
    /* legend: the labelled series, top right, as text in their colours */
    int row = 0;
    for (size_t k = 0; k < ns; k++) {
        if (!s[k].label || nd[k] == 0)
            continue;
        plcol0((PLINT)(1 + k % N_PALETTE));
        plmtex("t", -1.5 - 1.3 * row++, 0.97, 1.0, s[k].label);
    }
}

lmb_status lmb__figure_write(lmb_ctx *ctx, const char *base, const lmb__figure *fig,
                             const lmb__series *s, size_t ns) {
    size_t total = 0;
    for (size_t k = 0; k < ns; k++)
        total += s[k].n < MAX_DRAWN ? s[k].n : MAX_DRAWN + 2;
    double *buf = malloc((2 * total + 2) * sizeof *buf);
    double **xs = malloc((ns + 1) * 2 * sizeof *xs);
    size_t *nd = calloc(ns + 1, sizeof *nd);
    if (!buf || !xs || !nd) {
        free(buf);
        free(xs);
        free(nd);
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for the figure %.400s", base);
    }
    double **ys = xs + ns + 1;
    double lim[6] = {INFINITY, -INFINITY, INFINITY, -INFINITY, INFINITY, -INFINITY};
    size_t used = 0, drawn = 0;
    for (size_t k = 0; k < ns; k++) {
        xs[k] = buf + used;
        ys[k] = buf + total + used;
        nd[k] = thin(&s[k], xs[k], ys[k]);
        used += nd[k];
        drawn += nd[k];
        for (size_t i = 0; i < nd[k]; i++) {
            lim[0] = fmin(lim[0], xs[k][i]);
            lim[1] = fmax(lim[1], xs[k][i]);
            lim[s[k].right ? 4 : 2] = fmin(lim[s[k].right ? 4 : 2], ys[k][i]);
            lim[s[k].right ? 5 : 3] = fmax(lim[s[k].right ? 5 : 3], ys[k][i]);
        }
    }
    lmb_status st = LMB_OK;
    if (drawn == 0) {
        st = lmb__ctx_fail(ctx, LMB_EINVAL, "figure %.400s: no finite point to draw", base);
    } else {
        for (int a = 0; a < 6; a += 2) {
            if (!isfinite(lim[a]))
                lim[a] = 0.0, lim[a + 1] = 1.0;
            widen(&lim[a], &lim[a + 1]);
        }
        if (fig->equal) { /* the same span on both axes, centred */
            double span = fmax(lim[1] - lim[0], lim[3] - lim[2]);
            double cx = 0.5 * (lim[0] + lim[1]), cy = 0.5 * (lim[2] + lim[3]);
            lim[0] = cx - span / 2, lim[1] = cx + span / 2;
            lim[2] = cy - span / 2, lim[3] = cy + span / 2;
        }
        static const char *const ext[2] = {"svg", "png"};
        char path[4200];
        for (int e = 0; e < 2 && st == LMB_OK; e++) {
            snprintf(path, sizeof path, "%s.%s", base, ext[e]);
            plsdev(e ? "pngcairo" : "svgcairo");
            plsfnam(path);
            plsetopt("geometry", fig->equal ? "640x600" : "720x480");
            draw(fig, s, ns, xs, ys, nd, lim);
            plend();
            if (!file_ok(path))
                st = lmb__ctx_fail(ctx, LMB_EIO, "%.400s: the figure could not be written", path);
        }
    }
    free(buf);
    free(xs);
    free(nd);
    return st;
}
