/*
 * lfp.c - the porous intercalation positive electrode: LiFePO4 in a li-lfp cell (PHYSICS.md
 * section 6), any material in a li-porous cell (the Doyle-Fuller-Newman electrode of the
 * reference case, docs/reference-case.md). It is the region of cells k0 .. n-1 of the Li-metal
 * cell model (lili.c), in the Newman tradition:
 *
 *   electrolyte (lili.c's rows, with the source of this file):
 *     i_{k+1/2} - i_{k-1/2} = h_k sum_j a_j iF_j + h_k a C_dl d(dphi_k)/dt
 *   solid (Ohm's law, sigma_eff = sigma (1 - eps)^(1 + b), Bruggeman on the solid fraction as on
 *   the pores; no current into the separator, the applied
 *   current I through the current collector at x = L):
 *     is_{k+1/2} - is_{k-1/2} = -(h_k sum_j a_j iF_j + h_k a C_dl d(dphi_k)/dt),
 *     is_{k+1/2} = -sigma_eff (phis_{k+1} - phis_k) / (h_k/2 + h_{k+1}/2)
 *   double layer: dphi_k = phis_k - phi_k, on the whole particle surface a = sum_j a_j
 *   kinetics per class j (Butler-Volmer, alpha = 0.5; anodic iF > 0 delithiates):
 *     iF_j = i0 (exp(f eta / 2) - exp(-f eta / 2)),  eta = dphi_k - U(x_s),
 *     i0 = i0_ref (c_k / c_ref)^0.5 (x_s (1 - x_s) / 0.25)^0.5,  x_s = c_s / c_max
 *   which is i0 = F k c_k^0.5 (c_max - c_s)^0.5 c_s^0.5 with i0_ref = F k c_ref^0.5 c_max / 2: a
 *   rate constant k (li-porous) is turned into i0_ref once, here
 *   open-circuit potential U: a named function (lfp_ocv.h) or a table (matprop.h)
 *   solid diffusion (sphere.h): the particle loses iF_j / F per surface area.
 * Particle classes j: equal volumes at the quantiles of a log-normal radius distribution
 * (lmb__lfp_class_radii), a_j = 3 eps_j / R_j with eps_j the class's share of the accessible
 * active volume fraction. The inaccessible share of the LFP (isolated particles) takes no part;
 * nor does an inert filler (binder and carbon, li-porous: 1 - porosity - active fraction), which
 * conducts: the solid conductivity's Bruggeman factor is on the whole solid fraction 1 - eps.
 *
 * The terminal row (lili.c) closes the solid at the collector:
 *   sigma_eff (V - phis_{n-1}) / (h_{n-1}/2) = I - (shunt),
 * so that V couples only to the last cell and the Jacobian stays banded (half-bandwidth about
 * one cell's block, 4 + classes (1 + shells) states).
 *
 * Scaling: the shell rows are divided by the particle volume (per 4 pi), R^3/3, so that they
 * read in mol/(m3 s) like the electrolyte's; without it they are ~1e-23 of the charge rows and
 * KLU's pivoting sees them as near-zero.
 */
#include "model/lfp_ocv.h"
#include "model/lili.h"

#include "core/ctx_internal.h"
#include "lmb/units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LMB__LFP_X_SLACK 1e-2  /* [1] overshoot of a surface Li fraction that is retried */
#define LMB__LFP_X_EDGE  1e-12 /* [1] closest approach to x = 0 or 1 in the kinetics */

lmb_status lmb__lfp_region_init(lmb_ctx *ctx, lmb__lfp_region *R, const lmb_lfp_params *p,
                                const lmb__mesh *M, const char *ocv_what) {
    const int k0 = M->n - p->cells;
    R->k0 = k0;
    R->n_cls = p->size_classes;
    R->n_sh = p->shells;
    if (R->n_cls < 1 || R->n_cls > LMB__LFP_CLASSES_MAX)
        LMB__FAIL(ctx, LMB_ERANGE, "lfp.size_classes = %d: must be 1 to %d", R->n_cls,
                  LMB__LFP_CLASSES_MAX);
    double radii[LMB__LFP_CLASSES_MAX];
    if (lmb__lfp_class_radii(p, radii) != 0)
        LMB__FAIL(ctx, LMB_ERANGE, "lfp: the particle-size classes could not be formed");
    /* active volume fraction of the electrode (lmb__params_finish), of which the accessible
     * share takes part */
    double eps_acc = p->accessible_fraction * p->active_volume_fraction;
    R->a_tot = 0.0;
    for (int j = 0; j < R->n_cls; j++) {
        lmb_status st = lmb__sphere_mesh_build(ctx, R->n_sh, radii[j], &R->sph[j]);
        if (st != LMB_OK) {
            lmb__lfp_region_free(R);
            return st;
        }
        R->eps_s[j] = eps_acc / R->n_cls;
        R->a[j] = 3.0 * R->eps_s[j] / radii[j];
        R->a_tot += R->a[j];
    }
    R->c_max = p->c_max_mol_m3;
    R->D_s = p->D_s_m2_s;
    R->c_ref = p->c_ref_mol_m3;
    R->i0_ref = lmb__lfp_i0_ref(p);
    R->cdl = p->cdl_F_m2;
    /* Bruggeman on the solid fraction as on the pores: sigma (1 - eps) / tau_s with
     * tau_s = (1 - eps)^-b */
    const double sigma_eff = lmb__lfp_sigma_eff(p);
    lmb_prop named = {.kind = LMB_PROP_NAMED, .named = p->ocv};
    lmb_status ost =
        lmb__matprop_init(ctx, &R->ocv, LMB__PROP_OCV,
                          p->ocv_fn.kind == LMB_PROP_TABLE ? &p->ocv_fn : &named, 0.0, ocv_what);
    if (ost != LMB_OK) {
        lmb__lfp_region_free(R);
        return ost;
    }
    /* solid conductances [S/m2] of the faces to the next cell, and of the last cell's half to
     * the current collector */
    R->g_s = malloc((size_t)p->cells * sizeof(double));
    if (!R->g_s) {
        lmb__lfp_region_free(R);
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for the LFP electrode");
    }
    for (int k = k0; k < M->n; k++)
        R->g_s[k - k0] =
            sigma_eff / (k + 1 < M->n ? 0.5 * (M->h_m[k] + M->h_m[k + 1]) : 0.5 * M->h_m[k]);
    return LMB_OK;
}

void lmb__lfp_region_free(lmb__lfp_region *R) {
    for (int j = 0; j < LMB__LFP_CLASSES_MAX; j++)
        lmb__sphere_mesh_free(&R->sph[j]);
    lmb__matprop_free(&R->ocv);
    memset(&R->ocv, 0, sizeof R->ocv);
    free(R->g_s);
    R->g_s = NULL;
}

double lmb__lfp_collector_current(const lmb__lili *L, const double *y) {
    const lmb__lfp_region *R = &L->lfp;
    const int last = L->mesh.n - 1;
    return R->g_s[last - R->k0] * (y[L->i_V] - y[R->iphs[last]]);
}

double lmb__lfp_region_ocv(const lmb__lfp_region *R, double x) {
    return lmb__matprop_eval(&R->ocv, x, NULL);
}

int lmb__lfp_residual(const lmb__lili *L, const double *y, const double *yp, double *r) {
    const lmb__lfp_region *R = &L->lfp;
    const lmb__mesh *M = &L->mesh;
    const int n = M->n, stride = 1 + R->n_sh;
    const double half_f = 0.5 * L->f; /* alpha = 0.5 */
    double is_left = 0.0;             /* solid current through the left face of cell k (+x) */
    for (int k = R->k0; k < n; k++) {
        const double h = M->h_m[k];
        const double ce = y[L->ic[k]], dphi = y[L->idp[k]];
        const double i0_c = R->i0_ref * sqrt(ce / R->c_ref); /* i0 at x = 1/2 */
        double src = 0.0; /* Faradaic current per electrode volume [A/m3] */
        for (int j = 0; j < R->n_cls; j++) {
            const lmb__sphere_mesh *S = &R->sph[j];
            const int b = L->lfp.iblk[k] + j * stride;
            const double iF = y[b];
            const double jn = iF / LMB_FARADAY; /* [mol/(m2 s)] out of the particle */
            double xs = lmb__sphere_surface(S, R->D_s, y + b + 1, jn) / R->c_max;
            if (!(xs > -LMB__LFP_X_SLACK && xs < 1.0 + LMB__LFP_X_SLACK))
                return 1; /* recoverable: a smaller step keeps the surface inside [0, 1] */
            /* Newton's iterates may overshoot the full or empty particle slightly near the end
             * of a discharge, where i0 ~ (1 - x)^0.5 vanishes: evaluate at the nearest point
             * inside (converged states stay inside: the voltage limits end the step first) */
            xs = fmin(fmax(xs, LMB__LFP_X_EDGE), 1.0 - LMB__LFP_X_EDGE);
            double U = lmb__matprop_eval(&R->ocv, xs, NULL);
            if (!isfinite(U))
                return 1; /* outside the OCV table: explain() names it if the step fails */
            double i0 = i0_c * sqrt(4.0 * xs * (1.0 - xs));
            double ex = exp(half_f * (dphi - U));
            r[b] = iF - i0 * (ex - 1.0 / ex);
            lmb__sphere_residual(S, R->D_s, y + b + 1, yp + b + 1, jn, r + b + 1);
            const double inv_vol = 1.0 / S->vol_sum;
            for (int q = 0; q < R->n_sh; q++)
                r[b + 1 + q] *= inv_vol;
            src += R->a[j] * iF;
        }
        double div = h * (src + R->a_tot * R->cdl * yp[L->idp[k]]); /* [A/m2] */
        r[L->ip[k]] -= div;
        r[L->idp[k]] = dphi - (y[R->iphs[k]] - y[L->ip[k]]);
        /* the solid current leaving through the right face: to the next cell, or, from the last,
         * the current collector (its row is the terminal's, in lili.c) */
        double is_right = k + 1 < n ? -R->g_s[k - R->k0] * (y[R->iphs[k + 1]] - y[R->iphs[k]])
                                    : -lmb__lfp_collector_current(L, y);
        r[R->iphs[k]] = is_right - is_left + div;
        is_left = is_right;
    }
    return 0;
}

double lmb__lili_lfp_li(const lmb__lili *L, const double *y) {
    if (!L->has_lfp)
        return 0.0;
    const lmb__lfp_region *R = &L->lfp;
    double s = 0.0;
    for (int k = R->k0; k < L->mesh.n; k++)
        for (int j = 0; j < R->n_cls; j++) {
            int b = R->iblk[k] + j * (1 + R->n_sh);
            s += L->mesh.h_m[k] * R->eps_s[j] * lmb__sphere_mean(&R->sph[j], y + b + 1);
        }
    return s * LMB_FARADAY;
}

double lmb__lili_lfp_x(const lmb__lili *L, const double *y) {
    if (!L->has_lfp)
        return NAN;
    const lmb__lfp_region *R = &L->lfp;
    double vol = 0.0;
    for (int k = R->k0; k < L->mesh.n; k++)
        for (int j = 0; j < R->n_cls; j++)
            vol += L->mesh.h_m[k] * R->eps_s[j];
    return lmb__lili_lfp_li(L, y) / (LMB_FARADAY * R->c_max * vol);
}

double lmb__lili_lfp_dl_charge(const lmb__lili *L, const double *y) {
    if (!L->has_lfp)
        return 0.0;
    double q = 0.0;
    for (int k = L->lfp.k0; k < L->mesh.n; k++)
        q += L->mesh.h_m[k] * L->lfp.a_tot * L->lfp.cdl * y[L->idp[k]];
    return q;
}

void lmb__lfp_surface_range(const lmb__lili *L, const double *y, double *x_min, double *x_max) {
    const lmb__lfp_region *R = &L->lfp;
    *x_min = INFINITY;
    *x_max = -INFINITY;
    for (int k = R->k0; k < L->mesh.n; k++)
        for (int j = 0; j < R->n_cls; j++) {
            int b = R->iblk[k] + j * (1 + R->n_sh);
            double x =
                lmb__sphere_surface(&R->sph[j], R->D_s, y + b + 1, y[b] / LMB_FARADAY) / R->c_max;
            *x_min = fmin(*x_min, x);
            *x_max = fmax(*x_max, x);
        }
}
