/*
 * matprop.c - material properties as constants, named correlations or tables (matprop.h).
 */
#include "model/matprop.h"

#include "core/ctx_internal.h"
#include "model/lfp_ocv.h"

#include "lmb/units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Named functions are numbered 0 .. LMB__NAMED_MAX - 1 per property (the OCVs' enum, the
 * electrolyte correlations'). */
#define LMB__NAMED_MAX (LMB__LFP_OCV_COUNT > 1 ? LMB__LFP_OCV_COUNT : 1)

void lmb__prop_dims(lmb__prop_id id, lmb_dim *x_dim, lmb_dim *y_dim) {
    static const lmb_dim y[LMB__PROP_COUNT] = {LMB_DIM_CONDUCTIVITY, LMB_DIM_DIFFUSIVITY,
                                               LMB_DIM_NONE, LMB_DIM_NONE, LMB_DIM_VOLTAGE};
    *x_dim = id == LMB__PROP_OCV ? LMB_DIM_NONE : LMB_DIM_CONCENTRATION;
    *y_dim = id >= 0 && id < LMB__PROP_COUNT ? y[id] : LMB_DIM_NONE;
}

const char *lmb__prop_named_name(lmb__prop_id id, int named) {
    if (id == LMB__PROP_OCV)
        return lmb__lfp_ocv_name((lmb__lfp_ocv_kind)named);
    if ((id == LMB__PROP_KAPPA || id == LMB__PROP_D) && named == LMB__EL_CAPIGLIA1999)
        return "capiglia1999";
    return NULL;
}

int lmb__prop_named_parse(lmb__prop_id id, const char *name, int *out) {
    for (int k = 0; name && k < LMB__NAMED_MAX; k++) {
        const char *s = lmb__prop_named_name(id, k);
        if (s && strcmp(s, name) == 0) {
            *out = k;
            return 0;
        }
    }
    return -1;
}

void lmb__prop_named_choices(lmb__prop_id id, char *buf, size_t n) {
    if (!buf || n == 0)
        return;
    buf[0] = '\0';
    for (int k = 0; k < LMB__NAMED_MAX; k++) {
        const char *s = lmb__prop_named_name(id, k);
        size_t len = strlen(buf);
        if (s && len + 1 < n)
            snprintf(buf + len, n - len, "%s%s", len ? ", " : "", s);
    }
}

lmb_status lmb__matprop_init(lmb_ctx *ctx, lmb__matprop *mp, lmb__prop_id id, const lmb_prop *p,
                             double value, const char *what) {
    memset(mp, 0, sizeof *mp);
    mp->id = (int)id;
    mp->kind = p ? p->kind : LMB_PROP_CONSTANT;
    mp->named = p ? p->named : 0;
    mp->value = value;
    snprintf(mp->what, sizeof mp->what, "%s", what ? what : "");
    if (mp->kind == LMB_PROP_NAMED && !lmb__prop_named_name(id, mp->named))
        LMB__FAIL(ctx, LMB_EINVAL, "%s: no correlation number %d", mp->what, mp->named);
    if (mp->kind == LMB_PROP_TABLE) {
        if (!p->table)
            LMB__FAIL(ctx, LMB_EINVAL, "%s: a table property without its table", mp->what);
        lmb_status st = lmb__table_copy(ctx, p->table, &mp->own);
        if (st != LMB_OK)
            return st;
        if ((st = lmb__spline_init(ctx, &mp->own, (lmb__interp)p->interp, &mp->spline)) != LMB_OK)
            lmb__table_free(&mp->own);
        return st;
    }
    return LMB_OK;
}

void lmb__matprop_free(lmb__matprop *mp) {
    if (mp && mp->kind == LMB_PROP_TABLE) {
        lmb__spline_free(&mp->spline);
        lmb__table_free(&mp->own);
    }
}

double lmb__matprop_eval_slow(const lmb__matprop *mp, double x, double *dydx) {
    switch (mp->kind) {
    case LMB_PROP_CONSTANT:
        if (dydx)
            *dydx = 0.0;
        return mp->value;
    case LMB_PROP_NAMED:
        if (mp->id == LMB__PROP_OCV)
            return lmb__lfp_ocv((lmb__lfp_ocv_kind)mp->named, x, dydx);
        if (dydx) { /* (the residual needs no derivative of the electrolyte's correlations) */
            double h = 1e-6 * (fabs(x) + 1.0);
            *dydx = (lmb__el_named((lmb__prop_id)mp->id, mp->named, x + h) -
                     lmb__el_named((lmb__prop_id)mp->id, mp->named, x - h)) /
                    (2.0 * h);
        }
        return lmb__el_named((lmb__prop_id)mp->id, mp->named, x);
    case LMB_PROP_TABLE: {
        double y = NAN;
        if (lmb__spline_eval(&mp->spline, x, &y, dydx) != 0) {
            if (dydx)
                *dydx = NAN;
            return NAN;
        }
        return y;
    }
    }
    return NAN;
}

int lmb__matprop_in_range(const lmb__matprop *mp, double x) {
    if (mp->kind != LMB_PROP_TABLE)
        return 1;
    return x >= mp->spline.x_lo && x <= mp->spline.x_hi;
}

void lmb__matprop_range_text(const lmb__matprop *mp, double x, char *buf, size_t n) {
    if (mp->kind == LMB_PROP_TABLE)
        lmb__table_range_text(&mp->own, mp->what, x, buf, n);
    else if (n)
        buf[0] = '\0';
}

char *lmb__ocv_table_text(int named, int n, double y0, double y1) {
    const char *name = lmb__lfp_ocv_name((lmb__lfp_ocv_kind)named);
    if (!name || n < 2 || !(y1 > y0))
        return NULL;
    size_t cap = 1024 + (size_t)n * 40, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    len += (size_t)snprintf(buf + len, cap - len,
                            "# open-circuit potential '%s' (src/model/lfp_ocv.h) sampled at %d "
                            "points from %.4f to %.4f\n"
                            "# by `lmb_ocv_table %s`: generated, do not edit. Where the fit "
                            "states a validity range\n"
                            "# (dualfoil1998: 0 < y < 0.99) the rows beyond it are the fit's "
                            "extrapolation.\n"
                            "stoichiometry,ocp_V\n",
                            name, n, y0, y1, name);
    for (int k = 0; k < n && len < cap; k++) {
        double y = y0 + (y1 - y0) * k / (n - 1);
        len += (size_t)snprintf(buf + len, cap - len, "%.4f,%.10f\n", y,
                                lmb__lfp_ocv((lmb__lfp_ocv_kind)named, y, NULL));
    }
    if (len >= cap) {
        free(buf);
        return NULL;
    }
    return buf;
}
