/*
 * electrolyte.h - transport of a binary salt in the pores (PHYSICS.md section 2).
 *
 * Concentrated-solution theory, solvent frame, with the potential phi_e measured by a lithium
 * reference electrode in the local solution:
 *   i_e = -kappa_eff [ dphi_e/dx - (2 R T / F)(1 - t+) TDF dln(c)/dx ]          [A/m2]
 *   N_- = -D_eff dc/dx - (1 - t+) i_e / F          (anion molar flux)             [mol/(m2 s)]
 *   eps dc/dt = -dN_-/dx,   d i_e/dx = a j F       (mass and charge balance)
 * Writing the salt balance as the anion balance makes the discrete form conservative: a Li
 * interface is impermeable to anions (N_- = 0 there), so the salt in the cell is constant to
 * rounding error. Effective properties: kappa_eff = kappa eps/tau, D_eff = D eps/tau.
 *
 * Each property is a function of the local concentration (matprop.h): a constant, a named
 * correlation or a table. Face values are taken at the mean of the two cells' concentrations.
 */
#ifndef LMB_MODEL_ELECTROLYTE_H
#define LMB_MODEL_ELECTROLYTE_H

#include "model/matprop.h"
#include "model/params.h"

typedef struct lmb__electrolyte {
    double c0;          /* [mol/m3] */
    lmb__matprop kappa; /* [S/m] */
    lmb__matprop D;     /* [m2/s] */
    lmb__matprop tplus; /* [1] */
    lmb__matprop tdf;   /* [1] */
    double RT_F;        /* [V] R T / F */
} lmb__electrolyte;

/* Builds the four properties from the parameters (matprop.h statuses). */
lmb_status lmb__electrolyte_init(lmb_ctx *ctx, lmb__electrolyte *e, const lmb_electrolyte_params *p,
                                 double T_K);
void lmb__electrolyte_free(lmb__electrolyte *e);

/* The properties at concentration c [mol/m3]; NaN outside a table's range. */
static inline double lmb__el_kappa(const lmb__electrolyte *e, double c) {
    return lmb__matprop_eval(&e->kappa, c, NULL);
}
static inline double lmb__el_D(const lmb__electrolyte *e, double c) {
    return lmb__matprop_eval(&e->D, c, NULL);
}
static inline double lmb__el_tplus(const lmb__electrolyte *e, double c) {
    return lmb__matprop_eval(&e->tplus, c, NULL);
}
/* Coefficient of dln c in the current: (2 R T / F)(1 - t+) TDF [V], with tplus the caller's
 * lmb__el_tplus(e, c) (the anion flux needs it too: evaluated once). */
static inline double lmb__el_diffusion_potential(const lmb__electrolyte *e, double c,
                                                 double tplus) {
    return 2.0 * e->RT_F * (1.0 - tplus) * lmb__matprop_eval(&e->tdf, c, NULL);
}

/* A sentence naming the first electrolyte table whose range c leaves ("" if none) into buf. */
void lmb__electrolyte_range_text(const lmb__electrolyte *e, double c, char *buf, size_t n);

#endif
