/*
 * lili.h - the Li||Li symmetric cell (and, with a coating, a coated Li||Li cell) as a DAE.
 *
 * See lili.c for the equations and the state layout. The functions below expose the internal
 * state to the tests and to diagnostics; the solver only uses the lmb__model interface.
 */
#ifndef LMB_MODEL_LILI_H
#define LMB_MODEL_LILI_H

#include "model/electrolyte.h"
#include "model/li_metal.h"
#include "model/mesh.h"
#include "model/model.h"

enum { LMB_SIDE_NEG = 0, LMB_SIDE_POS = 1 };

typedef struct lmb__lili {
    lmb__mesh mesh;
    lmb__electrolyte el;
    lmb__li_interface li[2]; /* [LMB_SIDE_NEG], [LMB_SIDE_POS] */
    double f;                /* [1/V] F/(R T) */
    /* state layout */
    int i_qF[2], i_dphi[2], i_iF[2], i_ie[2];
    /* per cell k: c_k = y[ic[k]], phi_k = y[ip[k]]; in a reactive coating cell also the
     * double-layer voltage phi_s - phi_k = y[idp[k]] and the Faradaic current per active area
     * y[iif[k]] (-1 elsewhere) */
    int *ic, *ip, *idp, *iif;
    int *side; /* LMB_SIDE_NEG / LMB_SIDE_POS for coating cells, -1 in the separator */
    double *a; /* [1/m] active area per volume (0 = not reactive) */
    lmb__li_interface coat[2]; /* the reaction on each coating's active surface */
    int k_pos_face;            /* first cell of a reactive positive coating (-1 if none) */
    int i_V;                   /* terminal voltage (copy of the model's iV) */
} lmb__lili;

/* Builds the Li||Li model from validated parameters. */
lmb_status lmb__lili_create(lmb_ctx *ctx, const lmb_params *p, lmb__model **out);

const lmb__lili *lmb__lili_of(const lmb__model *m);

/* Salt in the electrolyte per geometric area, sum eps h c [mol/m2]. */
double lmb__lili_salt(const lmb__lili *L, const double *y);

/* Concentration [mol/m3] and potential phi_e [V] at the electrode interface of a side. */
double lmb__lili_surface_c(const lmb__lili *L, const double *y, int side);
double lmb__lili_surface_phi(const lmb__lili *L, const double *y, int side);

/* Ohmic resistance of the electrolyte path per area, sum of h/kappa_eff [ohm m2]. */
double lmb__lili_ohmic_area_resistance(const lmb__lili *L);

#endif
