/*
 * electrolyte.c - the electrolyte's transport properties as functions of concentration
 * (electrolyte.h, matprop.h).
 */
#include "model/electrolyte.h"

#include "lmb/units.h"

#include <string.h>

lmb_status lmb__electrolyte_init(lmb_ctx *ctx, lmb__electrolyte *e, const lmb_electrolyte_params *p,
                                 double T_K) {
    memset(e, 0, sizeof *e);
    e->c0 = p->c0_mol_m3;
    e->RT_F = LMB_GAS_CONSTANT * T_K / LMB_FARADAY;
    lmb_status st = lmb__matprop_init(ctx, &e->kappa, LMB__PROP_KAPPA, &p->kappa_fn, p->kappa_S_m,
                                      "electrolyte.conductivity");
    if (st == LMB_OK)
        st = lmb__matprop_init(ctx, &e->D, LMB__PROP_D, &p->D_fn, p->D_m2_s,
                               "electrolyte.diffusivity");
    if (st == LMB_OK)
        st = lmb__matprop_init(ctx, &e->tplus, LMB__PROP_TPLUS, &p->tplus_fn, p->t_plus,
                               "electrolyte.transference_number");
    if (st == LMB_OK)
        st = lmb__matprop_init(ctx, &e->tdf, LMB__PROP_TDF, &p->tdf_fn, p->tdf,
                               "electrolyte.thermodynamic_factor");
    if (st != LMB_OK)
        lmb__electrolyte_free(e);
    return st;
}

void lmb__electrolyte_free(lmb__electrolyte *e) {
    lmb__matprop_free(&e->kappa);
    lmb__matprop_free(&e->D);
    lmb__matprop_free(&e->tplus);
    lmb__matprop_free(&e->tdf);
    memset(e, 0, sizeof *e);
}

void lmb__electrolyte_range_text(const lmb__electrolyte *e, double c, char *buf, size_t n) {
    const lmb__matprop *all[4] = {&e->kappa, &e->D, &e->tplus, &e->tdf};
    if (n)
        buf[0] = '\0';
    for (int k = 0; k < 4; k++)
        if (!lmb__matprop_in_range(all[k], c)) {
            lmb__matprop_range_text(all[k], c, buf, n);
            return;
        }
}
