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
 * Properties are constant in this version; the functions take c so that concentration-dependent
 * correlations and tables can replace them without touching the discretisation.
 */
#ifndef LMB_MODEL_ELECTROLYTE_H
#define LMB_MODEL_ELECTROLYTE_H

#include "model/params.h"

typedef struct lmb__electrolyte {
    double c0;    /* [mol/m3] */
    double kappa; /* [S/m] */
    double D;     /* [m2/s] */
    double tplus; /* [1] */
    double tdf;   /* [1] */
    double RT_F;  /* [V] R T / F */
} lmb__electrolyte;

static inline double lmb__el_kappa(const lmb__electrolyte *e, double c) {
    (void)c;
    return e->kappa;
}
static inline double lmb__el_D(const lmb__electrolyte *e, double c) {
    (void)c;
    return e->D;
}
static inline double lmb__el_tplus(const lmb__electrolyte *e, double c) {
    (void)c;
    return e->tplus;
}
/* Coefficient of dln c in the current: (2 R T / F)(1 - t+) TDF [V]. */
static inline double lmb__el_diffusion_potential(const lmb__electrolyte *e, double c) {
    (void)c;
    return 2.0 * e->RT_F * (1.0 - e->tplus) * e->tdf;
}

#endif
