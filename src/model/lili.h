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
#include "model/params.h"
#include "model/sphere.h"

#define LMB__LFP_CLASSES_MAX 8

/*
 * The porous LiFePO4 positive electrode of a li-lfp cell (PHYSICS.md s6; lfp.c): cells k0..n-1
 * of the mesh. Per cell k, after the electrolyte's c_k and phi_k: the double-layer voltage
 * dphi_k = phis_k - phi_k, the solid potential phis_k and, per particle class j, a block
 * [iF, c_0 .. c_{shells-1}] (Faradaic current per particle surface [A/m2], shell
 * concentrations [mol/m3]) starting at iblk[k] + j (1 + shells).
 */
typedef struct lmb__lfp_region {
    int k0;          /* first cell of the electrode */
    int n_cls, n_sh; /* particle classes, shells per particle */
    lmb__sphere_mesh sph[LMB__LFP_CLASSES_MAX];
    double a[LMB__LFP_CLASSES_MAX];     /* [1/m] particle surface per electrode volume */
    double eps_s[LMB__LFP_CLASSES_MAX]; /* [1] volume fraction of accessible LFP per class */
    double a_tot;                       /* [1/m] sum of a */
    double c_max;                       /* [mol/m3] */
    double D_s;                         /* [m2/s] */
    double i0_ref, c_ref;               /* [A/m2], [mol/m3] */
    double cdl;                         /* [F/m2] per particle surface */
    double *g_s;      /* [S/m2] solid conductances, face k -> k+1 and last -> collector (k - k0) */
    lmb__matprop ocv; /* U(x) [V] */
    int *iphs, *iblk; /* per mesh cell, -1 outside the electrode */
} lmb__lfp_region;

enum { LMB_SIDE_NEG = 0, LMB_SIDE_POS = 1 };

/* Morphology and degradation of one Li electrode (PHYSICS.md sections 3-4; see lili.c). */
typedef struct lmb__li_degradation {
    double af0;          /* [1] true-area factor of the fresh electrode */
    double rho_sei;      /* [ohm m] film resistivity */
    double cdl_true;     /* [F/m2] double-layer capacitance per true area */
    double f0;           /* [1] mossy share of plating at low current */
    double f_max;        /* [1] mossy share of plating at high current */
    double i_h;          /* [A/m2] current scale of the mossy share */
    double m_a;          /* [1] area factor per 1 mAh/cm2 of mossy Li */
    double q_star;       /* [C/m2] mossy reserve of the stripping split */
    double f_dead;       /* [1] isolated share of stripped mossy Li */
    double k_sei;        /* [m2/s] parabolic growth constant */
    double L_fresh;      /* [m] film on freshly exposed area */
    double F_V;          /* [C/m3] F / SEI molar volume: Li charge per SEI volume */
    double eps_dead;     /* [1] porosity of the dead-Li layer */
    double f_dead_layer; /* [1] its eps/tau */
    /* the coating's conversion (PHYSICS.md s5): rate 1/tau + k_q |i| / (1 mAh/cm2) on the
     * unconverted share, Li uptake Q_tot when complete, coverage theta, and the effects of the
     * converted, covered share s = theta xi on film, mossy share, SEI growth and dead Li */
    double conv_rate;                      /* [1/s] 1 / conversion time (0 = none) */
    double conv_per_q;                     /* [1] per 1 mAh/cm2 */
    double conv_Q_tot;                     /* [C/m2] Li taken up by full conversion */
    double theta;                          /* [1] coverage */
    double x_film, x_mossy, x_sei, x_dead; /* [1] multipliers on the converted area */
    double x_i0;                           /* [1] exchange-current multiplier there */
    double eps_film; /* [F/m] permittivity of the film (0 = no film capacitance) */
    double f_pit;    /* [1] share of the compact surface that strips */
    /* the electrolyte budget of this electrode (half the cell's: see lili.c) */
    double nu_sol;              /* [1] mol solvent per mol Li bound in the SEI */
    double n_fec0;              /* [mol/m2] FEC available */
    double x_dead_nofec;        /* [1] dead-Li share multiplier without FEC */
    double x_sei_nofec;         /* [1] SEI growth multiplier without FEC */
    double V_liquid0;           /* [m3/m2] liquid electrolyte available */
    double V_sol;               /* [m3/mol] mean molar volume of the solvent consumed */
    double V_pores0;            /* [m3/m2] pores to fill besides the dead-Li layer */
    int iQc, iQh, iQd, iL, iQs; /* states: compact, mossy, dead Li [C/m2], SEI thickness [m],
                                   SEI Li [C/m2] */
    int ixi, iQa;               /* states: converted share xi [1], Li in the converted coating
                                   [C/m2] */
    int iNs, ivf;               /* states: solvent consumed [mol/m2], voltage across the film [V] */
    /* a Cu electrode: Li availability Q/(Q + q_cover) on the Cu, and the exchange current of
     * bare Cu relative to Li's (q_cover = 0 on a Li-metal electrode: always available) */
    double q_cover; /* [C/m2] */
    double cu_i0_ratio;
} lmb__li_degradation;

typedef struct lmb__lili {
    lmb__mesh mesh;
    lmb__electrolyte el;
    lmb__li_interface li[2]; /* [LMB_SIDE_NEG], [LMB_SIDE_POS] */
    lmb__li_degradation deg[2];
    double f; /* [1/V] F/(R T) */
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
    double short_thickness;    /* [m] dead-Li layers that bridge the separator (0 = never) */
    double short_R_area;       /* [ohm m2] the short's resistance times the area */
    int shorted;               /* 1 once the layers have bridged the separator (latched) */
    int i_V;                   /* terminal voltage (copy of the model's iV) */
    int has_lfp; /* 1: the positive is a porous intercalation electrode (li-lfp, li-porous) */
    int is_lfp;  /* 1: and it is LiFePO4 (li-lfp), for messages */
    lmb__lfp_region lfp;
} lmb__lili;

/* Builds the Li||Li model from validated parameters. */
lmb_status lmb__lili_create(lmb_ctx *ctx, const lmb_params *p, lmb__model **out);

const lmb__lili *lmb__lili_of(const lmb__model *m);

/* Salt in the electrolyte per geometric area, sum eps h c [mol/m2]. */
double lmb__lili_salt(const lmb__lili *L, const double *y);

/* Concentration [mol/m3] and potential phi_e [V] at the electrode interface of a side. */
double lmb__lili_surface_c(const lmb__lili *L, const double *y, int side);
double lmb__lili_surface_phi(const lmb__lili *L, const double *y, int side);

/* Lithium inventory of one electrode's side as charge per geometric area [C/m2]: compact +
 * mossy + dead + SEI Li + the Faradaic charge it has given to the electrolyte. Constant in time
 * (the conservation test). */
double lmb__lili_li_inventory(const lmb__lili *L, const double *y, int side);

/* Thickness of the porous dead-Li layer on a side [m]. */
double lmb__lili_dead_layer(const lmb__lili *L, const double *y, int side);

/* FEC left in a side's share of the electrolyte [1 = all, 0 = used up] and the share of the
 * pores the remaining liquid fills (capped at 1; < 1 is dry-out). */
double lmb__lili_fec_share(const lmb__lili *L, const double *y, int side);
double lmb__lili_wetting(const lmb__lili *L, const double *y, int side);

/* Share of a Cu electrode covered by plated Li, Q/(Q + q_cover) [1]; 1 on Li metal. */
double lmb__lili_li_availability(const lmb__lili *L, const double *y, int side);

/* True-area factor of a side at state y. */
double lmb__lili_area_factor(const lmb__lili *L, const double *y, int side);

/* Li in the LFP solid per geometric area as charge [C/m2], and its mean Li fraction x [1]
 * over the accessible particles (0 and NaN without an LFP electrode). */
double lmb__lili_lfp_li(const lmb__lili *L, const double *y);
double lmb__lili_lfp_x(const lmb__lili *L, const double *y);

/* Charge on the double layers of the LFP particles, sum h a C_dl dphi [C/m2] (0 without). The
 * LFP's Li plus the charge passed minus this is constant: Li leaves the particles only as the
 * Faradaic share of the current (the conservation test). */
double lmb__lili_lfp_dl_charge(const lmb__lili *L, const double *y);

/* lfp.c: builds the region of the last lfp.cells cells of a built mesh (states not yet indexed),
 * and its residual rows (adds the Faradaic and double-layer source to the electrolyte charge
 * rows r[ip[k]], writes the rest; returns > 0 if a surface Li fraction leaves (0, 1)). */
lmb_status lmb__lfp_region_init(lmb_ctx *ctx, lmb__lfp_region *R, const lmb_lfp_params *p,
                                const lmb__mesh *M, const char *ocv_what);
/* The current from the collector into the solid of the last cell, g_s (V - phis) [A/m2]: the
 * applied current less a short's (the terminal row, lili.c). */
double lmb__lfp_collector_current(const lmb__lili *L, const double *y);
void lmb__lfp_region_free(lmb__lfp_region *R);
int lmb__lfp_residual(const lmb__lili *L, const double *y, const double *yp, double *r);
/* Smallest and largest surface Li fraction over the LFP particles at state y [1]. */
void lmb__lfp_surface_range(const lmb__lili *L, const double *y, double *x_min, double *x_max);
/* Open-circuit potential of the electrode at Li fraction x [V]. */
double lmb__lfp_region_ocv(const lmb__lfp_region *R, double x);

/* Ohmic resistance of the electrolyte path per area, sum of h/kappa_eff [ohm m2]. */
double lmb__lili_ohmic_area_resistance(const lmb__lili *L);

#endif
