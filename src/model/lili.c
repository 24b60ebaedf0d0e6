/*
 * lili.c - the Li||Li cell as one DAE F(t, y, y') = 0 (PHYSICS.md sections 2 and 3).
 *
 *   x = 0                                                                      x = L
 *   [neg Li | SEI, dl] [neg coating pores] [separator] [pos coating pores] [SEI, dl | pos Li]
 *
 * Electrolyte (finite volumes, cell k of width h_k, faces k -+ 1/2; see electrolyte.h):
 *   eps_k h_k dc_k/dt + N-_{k+1/2} - N-_{k-1/2} = 0                       [mol/(m2 s)]
 *   i_{k+1/2} - i_{k-1/2} = 0                                              [A/m2]
 * with face fluxes from two-point differences and the series conductance of mesh.h:
 *   i_{k+1/2}  = -kappa g [ (phi_{k+1} - phi_k) - K (ln c_{k+1} - ln c_k) ], K = 2RT/F (1-t+) TDF
 *   N-_{k+1/2} = -D g (c_{k+1} - c_k) - (1 - t+) i_{k+1/2} / F
 * The Li interfaces block anions: N- = 0 at x = 0 and x = L. The electrolyte current at each
 * interface face is a state (ie_neg at x = 0, ie_pos at x = L, both in +x); the surface
 * concentration follows from N- = 0 over the half cell,
 *   c_s(0) = c_0 + (1-t+) ie_neg / (F D g_left),  c_s(L) = c_{n-1} - (1-t+) ie_pos / (F D g_right),
 * and the face current from the half-cell difference between phi_k and phi_e at the interface.
 *
 * Interfaces (li_metal.h), anodic currents positive, phi_s(neg) = 0 (ground), phi_s(pos) = V:
 *   neg: C_dl d(dphi_neg)/dt + iF_neg = ie_neg,      phi_e(0) = -dphi_neg
 *   pos: C_dl d(dphi_pos)/dt + iF_pos = -ie_pos,     phi_e(L) = V - dphi_pos
 *   iF = Butler-Volmer(eta = dphi - iF r_SEI, c_s)
 * Terminal: -ie_pos = I (the applied current enters the positive electrode), one control
 * equation (I = 0, I = I_set or V = V_set), dQ/dt = I, dE/dt = V I, and per electrode the
 * Faradaic charge dqF/dt = iF (the Li inventory moved by that electrode).
 *
 * Reactive coatings (coating.active_fraction > 0): the coating's particles carry Li/Li+ sites
 * (the Li-Pb alloy of the converted CsPbCl3) on an area a = f_act 6 (1 - eps) / d per volume,
 * electronically part of their Li electrode. In such a cell k of width h_k
 *   i_{k+1/2} - i_{k-1/2} = h_k a (iF_k + C_dl,c d(dphi_k)/dt),   dphi_k = phi_s - phi_k,
 *   iF_k = Butler-Volmer(dphi_k, c_k) per active area,
 * which makes the coating a transmission line (PHYSICS.md section 7; tested against the closed
 * form). The applied current is then imposed on the face between the separator and the
 * positive coating instead of on the positive planar interface (the two are equal by charge
 * conservation; the choice keeps the V row next to the cells it touches).
 *
 * State layout (banded: every equation involves only neighbouring states; docs/model.md):
 *   [Qa, xi, Ns, Qs, Qd, Qc, L, Qh, qF, vf, dphi, iF, ie]_neg [c_0, phi_0 (, dphi_0, iF_0)] ...
 *   [ie, iF, dphi, vf, Qh, L, Qc, Qd, Qs, Ns, xi, Qa]_pos [V, I, qF_pos, Q, E]
 * (Q*: alloy, SEI, dead, compact and mossy Li; xi the converted share, Ns the solvent consumed,
 * L the SEI thickness, vf the film voltage), half-bandwidth 13.
 */
#include "model/lili.h"

#include "core/ctx_internal.h"
#include "lmb/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LMB__MAH_CM2         36000.0 /* [C/m2] 1 mAh/cm2 */
#define LMB__SEI_MIN_M       1e-9    /* [m] floor of the film thickness in the parabolic law */
#define LMB__RATE_SMOOTH     1e-3    /* [A/m2] width of the smooth plating/stripping switch */
#define LMB__LI_MOLAR_VOLUME 1.30e-5 /* [m3/mol] Li metal (PHYSICS.md) */
/* The solvent of the study (PHYSICS.md s4: FEC/DEC 1:2 holds 9.1e-5 mol FEC and 1.1e-4 mol DEC
 * in 20 uL): FEC 106.05 g/mol at 1.45 g/cm3, DEC 118.13 g/mol at 0.975 g/cm3. */
#define LMB__FEC_MOLAR_VOLUME 73.1e-6  /* [m3/mol] */
#define LMB__DEC_MOLAR_VOLUME 121.2e-6 /* [m3/mol] */
#define LMB__FEC_WIDTH        0.02     /* [1] width of the FEC switch, share of its inventory */
#define LMB__DRY_WIDTH        0.05     /* [1] width of the wetting switch in fill ratio */
#define LMB__DRY_FLOOR        0.3      /* [1] transport left through dried-out pores */
/* [C/m2] absolute tolerance of the Li inventories: 3e-7 mAh/cm2. Their sum is conserved by
 * construction whatever the tolerance; 1e-5 (the current tolerance over 1 s) made the mossy
 * reservoir, ~1e2 C/m2, set a third of the step sizes. */
#define LMB__INVENTORY_ATOL 1e-2
#define LMB__FILM_R_FLOOR   1e-12 /* [ohm m2] film resistance floor of the film-voltage row */
#define LMB__EPS0           8.8541878128e-12 /* [F/m] vacuum permittivity */

double lmb__lili_dead_layer(const lmb__lili *L, const double *y, int side);

typedef struct lili_model {
    lmb__model base;
    lmb__lili L;
} lili_model;

const lmb__lili *lmb__lili_of(const lmb__model *m) {
    return &((const lili_model *)m)->L;
}

/* Electrolyte current through an inner face from the two cells' c and phi [A/m2]; the
 * properties at the face's concentration, the mean of the two; t+ there into *tplus. */
static inline double face_current(const lmb__lili *L, double g, double cl, double cr, double pl,
                                  double pr, double *tplus) {
    double cf = 0.5 * (cl + cr);
    *tplus = lmb__el_tplus(&L->el, cf);
    double kap = lmb__el_kappa(&L->el, cf) * g;
    return -kap *
           ((pr - pl) - lmb__el_diffusion_potential(&L->el, cf, *tplus) * (log(cr) - log(cl)));
}

/* The anion flux through that face [mol/(m2 s)], from its current and t+ (face_current). */
static inline double face_anion_flux(const lmb__lili *L, double g, double cl, double cr,
                                     double tplus, double i_face) {
    double cf = 0.5 * (cl + cr);
    return -lmb__el_D(&L->el, cf) * g * (cr - cl) - (1.0 - tplus) * i_face / LMB_FARADAY;
}

/* The surface concentration from N- = 0 across the boundary half cell, with D and t+ taken at
 * the cell's concentration: exact for constant properties; with concentration-dependent ones
 * (the Capiglia D of the reference case) an O(h) approximation in the boundary half cell,
 * which the convergence study covers (docs/reference-case.md: the separator's mesh moves the
 * 1C curve by 0.005 mV). An exact form would make c_s a state of its own (inside the band). */
/*
 * The transport factor [1/m] between the first (last) cell centre and the Li surface: the
 * boundary half cell in series with the porous dead-Li layer on the electrode, of thickness
 * L_p = Q_dead V_Li / (F (1 - eps_p)) and eps/tau = eps_p^(1 + b). The layer is quasi-static
 * (no storage): its diffusion time L_p^2 tau / (D eps) is ~2 min at 100 um, short against a
 * half cycle. It adds ionic and diffusion resistance and lowers the limiting current. The
 * wetting w_liq (lmb__lili_wetting, which the residual also needs for the SEI growth) scales it.
 */
static double boundary_g(const lmb__lili *L, const double *y, int side, double w_liq) {
    double g = side == LMB_SIDE_NEG ? L->mesh.g_left : L->mesh.g_right;
    double Lp = lmb__lili_dead_layer(L, y, side);
    if (Lp > 0.0)
        g = 1.0 / (1.0 / g + Lp / L->deg[side].f_dead_layer);
    /* dry-out: once the liquid no longer fills the pores, the path to the Li closes */
    return g * (LMB__DRY_FLOOR + (1.0 - LMB__DRY_FLOOR) * w_liq);
}

double lmb__lili_wetting(const lmb__lili *L, const double *y, int side) {
    const lmb__li_degradation *dg = &L->deg[side];
    double V_l = dg->V_liquid0 - y[dg->iNs] * dg->V_sol;
    double V_p = dg->V_pores0 + lmb__lili_dead_layer(L, y, side) * dg->eps_dead;
    double x = (V_l / V_p - 1.0) / LMB__DRY_WIDTH;
    return x > 50.0 ? 1.0 : 1.0 / (1.0 + exp(-x));
}

double lmb__lili_fec_share(const lmb__lili *L, const double *y, int side) {
    const lmb__li_degradation *dg = &L->deg[side];
    if (!(dg->n_fec0 > 0.0))
        return 0.0;
    return 0.5 * (1.0 + tanh((dg->n_fec0 - y[dg->iNs]) / (LMB__FEC_WIDTH * dg->n_fec0)));
}

double lmb__lili_dead_layer(const lmb__lili *L, const double *y, int side) {
    const lmb__li_degradation *dg = &L->deg[side];
    return fmax(y[dg->iQd], 0.0) * LMB__LI_MOLAR_VOLUME / (LMB_FARADAY * (1.0 - dg->eps_dead));
}

/* g is boundary_g(L, y, side), which the residual computes once for both uses. */
static double surface_c(const lmb__lili *L, const double *y, int side, double g) {
    const lmb__mesh *M = &L->mesh;
    if (side == LMB_SIDE_NEG) {
        double c = y[L->ic[0]];
        return c + (1.0 - lmb__el_tplus(&L->el, c)) * y[L->i_ie[0]] /
                       (LMB_FARADAY * lmb__el_D(&L->el, c) * g);
    }
    double c = y[L->ic[M->n - 1]];
    return c - (1.0 - lmb__el_tplus(&L->el, c)) * y[L->i_ie[1]] /
                   (LMB_FARADAY * lmb__el_D(&L->el, c) * g);
}

double lmb__lili_surface_c(const lmb__lili *L, const double *y, int side) {
    return surface_c(L, y, side, boundary_g(L, y, side, lmb__lili_wetting(L, y, side)));
}

/*
 * Morphology and degradation of a Li electrode, as rates of its inventories (all per geometric
 * area, anodic iF > 0 strips):
 *   plating p = max(-iF, 0): a share f_h = f0 + (f_max - f0) x/(1 + x), x = p/i_h, grows mossy
 *   stripping q = max(iF, 0): mossy Li goes first, s_h = Q_h/(Q_h + Q*) of q; for each unit of
 *     mossy Li stripped, f_dead more lose contact and become dead Li
 *   true area a_f = a_f0 + m_a Q_h / (1 mAh/cm2): mossy Li is what carries the extra area
 *   SEI: d(a_f L)/dt = a_f k/L + L_fresh (da_f/dt)+, its Li dQ_SEI/dt = (F/V_SEI) times that,
 *     taken from the compact Li (area lost with stripped mossy Li takes its film with it)
 *   dQ_c/dt = (1 - f_h) p - (1 - s_h) q - dQ_SEI/dt
 * so that d(Q_c + Q_h + Q_dead + Q_SEI)/dt = -iF exactly: lithium is conserved.
 */
double lmb__lili_li_availability(const lmb__lili *L, const double *y, int side) {
    const lmb__li_degradation *dg = &L->deg[side];
    if (!(dg->q_cover > 0.0))
        return 1.0;
    double q = fmax(y[dg->iQc], 0.0) + fmax(y[dg->iQh], 0.0);
    return q / (q + dg->q_cover);
}

/* The converted, covered share of the electrode: s = theta xi. */
static double converted_share(const lmb__li_degradation *dg, const double *y) {
    return dg->theta * y[dg->ixi];
}

/* A property p on the bare area and p x on the converted, covered share s. */
static double blend(double s, double x) {
    return 1.0 - s * (1.0 - x);
}

static void degradation_residual(const lmb__li_degradation *dg, const double *y, const double *yp,
                                 double iF, double a_f, double w_fec, double w_liq, double avail,
                                 double *r) {
    /* smooth plating and stripping rates (p - q = -iF exactly; no kink at iF = 0, which would
     * cost the integrator an error-test failure at every current reversal). Both stay positive
     * (at rest each is half the smoothing width, 5e-4 A/m2): rates that could turn negative
     * would let mossy Li grow from stripping, an unstable mode. */
    double root = sqrt(iF * iF + LMB__RATE_SMOOTH * LMB__RATE_SMOOTH);
    double p = 0.5 * (root - iF), q = 0.5 * (root + iF); /* both > 0: no unstable mode */
    double x = p / dg->i_h;
    double sc = converted_share(dg, y);
    double f_h = (dg->f0 + (dg->f_max - dg->f0) * x / (1.0 + x)) * blend(sc, dg->x_mossy);
    /* once the FEC is used up, the SEI forms from DEC and salt: faster, and isolating more Li */
    double f_dead = dg->f_dead * blend(sc, dg->x_dead) * (w_fec + (1.0 - w_fec) * dg->x_dead_nofec);
    /* ... and without liquid there is nothing to form it from: growth stops as the pores dry;
     * on Cu it grows only where there is Li (avail = 1 on a Li-metal electrode) */
    double k_sei = dg->k_sei * blend(sc, dg->x_sei) * (w_fec + (1.0 - w_fec) * dg->x_sei_nofec) *
                   w_liq * avail;
    /* conversion of the coating with the Li it touches, and the Li it takes up */
    double xi = y[dg->ixi];
    double i_abs = root - LMB__RATE_SMOOTH; /* |iF|, smooth, exactly 0 at rest */
    /* (on Cu the coating converts only where plated Li touches it) */
    double dxi = (1.0 - xi) * (dg->conv_rate + dg->conv_per_q * i_abs / LMB__MAH_CM2) * avail;
    double dQa = dg->conv_Q_tot * dxi;
    double Qh = fmax(y[dg->iQh], 0.0);
    double s_h = Qh / (Qh + dg->q_star);
    double dQh = f_h * p - (1.0 + f_dead) * s_h * q;
    double da = dg->m_a * dQh / LMB__MAH_CM2;
    double da_plus = da > 0.0 ? da : 0.0;
    double L_sei = y[dg->iL];
    double grow = a_f * k_sei / (L_sei + LMB__SEI_MIN_M) + w_liq * dg->L_fresh * da_plus;
    double dQs = dg->F_V * grow;
    r[dg->iQh] = yp[dg->iQh] - dQh;
    r[dg->iQd] = yp[dg->iQd] - f_dead * s_h * q;
    r[dg->iL] = yp[dg->iL] -
                (k_sei / (L_sei + LMB__SEI_MIN_M) + (w_liq * dg->L_fresh - L_sei) * da_plus / a_f);
    r[dg->iQs] = yp[dg->iQs] - dQs;
    r[dg->iNs] = yp[dg->iNs] - dg->nu_sol * dQs / LMB_FARADAY;
    r[dg->ixi] = yp[dg->ixi] - dxi;
    r[dg->iQa] = yp[dg->iQa] - dQa;
    r[dg->iQc] = yp[dg->iQc] - ((1.0 - f_h) * p - (1.0 - s_h) * q - dQs - dQa);
}

/* Distance of the two dead-Li layers from bridging the separator [m] (> 0: no short). */
static double margin_of(const lmb__lili *L, const double *y) {
    return L->short_thickness - lmb__lili_dead_layer(L, y, LMB_SIDE_NEG) -
           lmb__lili_dead_layer(L, y, LMB_SIDE_POS);
}

static double short_margin(const lmb__model *m, const double *y) {
    return margin_of(lmb__lili_of(m), y);
}

/* The short latches when a step starts from a state where the layers have bridged the
 * separator (the step before ended on the short's root, so the margin is zero to the root
 * finder's tolerance): from then on the shunt carries V / R_sh. A switch that followed the
 * layers continuously would couple the two ends of the state vector and break the band. */
static void step_start(lmb__model *m, const double *y) {
    lmb__lili *L = m->impl;
    if (L->short_thickness > 0.0 && margin_of(L, y) <= 1e-6 * L->short_thickness)
        L->shorted = 1;
}

double lmb__lili_area_factor(const lmb__lili *L, const double *y, int side) {
    const lmb__li_degradation *dg = &L->deg[side];
    return dg->af0 + dg->m_a * fmax(y[dg->iQh], 0.0) / LMB__MAH_CM2;
}

double lmb__lili_li_inventory(const lmb__lili *L, const double *y, int side) {
    const lmb__li_degradation *dg = &L->deg[side];
    return y[dg->iQc] + y[dg->iQh] + y[dg->iQd] + y[dg->iQs] + y[dg->iQa] + y[L->i_qF[side]];
}

/* A li-lfp cell keeps the state layout of the Li||Li cell; the positive planar interface and
 * its inventories, which it does not have, hold at zero: algebraic rows r = y, and the
 * inventories (explicit ODE rows) r = y'. */
static void trivial_positive_rows(const lmb__lili *L, const double *y, const double *yp,
                                  double *r) {
    const lmb__li_degradation *dg = &L->deg[LMB_SIDE_POS];
    int alg[4] = {L->i_ie[1], L->i_iF[1], L->i_dphi[1], dg->ivf};
    int inv[9] = {dg->iQc, dg->iQh, dg->iQd, dg->iL,    dg->iQs,
                  dg->ixi, dg->iQa, dg->iNs, L->i_qF[1]};
    for (int j = 0; j < 4; j++)
        r[alg[j]] = y[alg[j]];
    for (int j = 0; j < 9; j++)
        r[inv[j]] = yp[inv[j]];
}

static int residual(const lmb__model *m, double t, const double *y, const double *yp, double *r) {
    (void)t;
    const lmb__lili *L = lmb__lili_of(m);
    const lmb__mesh *M = &L->mesh;
    const int n = M->n;
    const int iV = m->iV, iI = m->iI;
    const int *ic = L->ic, *ip = L->ip;

    for (int k = 0; k < n; k++)
        if (!(y[ic[k]] > 0.0))
            return 1; /* recoverable: the solver retries with a smaller step */

    /* storage, then the inner faces' divergences */
    for (int k = 0; k < n; k++) {
        r[ic[k]] = M->eps[k] * M->h_m[k] * yp[ic[k]];
        r[ip[k]] = 0.0;
    }
    for (int k = 0; k + 1 < n; k++) {
        double cl = y[ic[k]], cr = y[ic[k + 1]];
        double tp;
        double i_f = face_current(L, M->g_face[k], cl, cr, y[ip[k]], y[ip[k + 1]], &tp);
        double n_f = face_anion_flux(L, M->g_face[k], cl, cr, tp, i_f);
        r[ic[k]] += n_f;
        r[ic[k + 1]] -= n_f;
        r[ip[k]] += i_f;
        r[ip[k + 1]] -= i_f;
    }

    /* reactive cells of a coating: Li/Li+ on the active surface a per volume, in parallel with
     * its double layer; the solid is the electrode's metal (phi_s = 0 or V) */
    for (int k = 0; k < n; k++) {
        if (!(L->a[k] > 0.0))
            continue;
        const lmb__li_interface *cs = &L->coat[L->side[k]];
        double phi_s = L->side[k] == LMB_SIDE_NEG ? 0.0 : y[iV];
        double dphi = y[L->idp[k]], iF = y[L->iif[k]];
        r[ip[k]] -= M->h_m[k] * L->a[k] * (iF + cs->cdl * yp[L->idp[k]]);
        r[L->idp[k]] = dphi - (phi_s - y[ip[k]]);
        r[L->iif[k]] = iF - lmb__li_bv(cs, L->f, dphi - iF * cs->r_sei, y[ic[k]]);
    }

    /* the porous LFP positive electrode */
    if (L->has_lfp) {
        int rc = lmb__lfp_residual(L, y, yp, r);
        if (rc != 0)
            return rc;
        trivial_positive_rows(L, y, yp, r);
    }

    /* the planar Li interfaces (the positive one unless it is the LFP electrode) */
    for (int s = 0; s < (L->has_lfp ? 1 : 2); s++) {
        const lmb__li_degradation *dg = &L->deg[s];
        /* the interface on its present true area with its present film */
        lmb__li_interface li_now = L->li[s];
        double a_f = lmb__lili_area_factor(L, y, s), L_sei = y[dg->iL];
        li_now.area_factor = a_f;
        double sc = converted_share(dg, y);
        li_now.r_sei = dg->rho_sei * blend(sc, dg->x_film) * L_sei / a_f;
        li_now.cdl = dg->cdl_true * a_f;
        li_now.i0 *= blend(sc, dg->x_i0);
        /* on Cu: Li strips only where there is Li, and plates on Li or nucleates on bare Cu */
        double avail = lmb__lili_li_availability(L, y, s);
        li_now.anodic_share = avail;
        li_now.cathodic_share = avail + (1.0 - avail) * dg->cu_i0_ratio;
        /* stripping sites: the mossy area and the pits of the compact area; under the converted
         * coating the Li-Pb sites let the whole surface strip */
        if (dg->f_pit < 1.0) {
            double f_pit = dg->f_pit * (1.0 - sc) + sc;
            li_now.strip_area = (f_pit * dg->af0 + (a_f - dg->af0)) / a_f;
        }
        const lmb__li_interface *li = &li_now;
        /* the wetting enters the transport and the SEI growth: computed once */
        double w_liq = lmb__lili_wetting(L, y, s);
        double g = boundary_g(L, y, s, w_liq);
        double cs = surface_c(L, y, s, g);
        if (!(cs > 0.0))
            return 1;
        int k = s == LMB_SIDE_NEG ? 0 : n - 1;
        double ck = y[ic[k]], pk = y[ip[k]];
        double ie = y[L->i_ie[s]];
        double dphi = y[L->i_dphi[s]];
        double iF = y[L->i_iF[s]];
        double phi_s = s == LMB_SIDE_NEG ? 0.0 : y[iV];
        double phi_e = phi_s - dphi;
        double tp;
        double ie_model = s == LMB_SIDE_NEG ? face_current(L, g, cs, ck, phi_e, pk, &tp)
                                            : face_current(L, g, ck, cs, pk, phi_e, &tp);
        double i_anodic = s == LMB_SIDE_NEG ? ie : -ie; /* total current leaving the metal */
        double vf = y[dg->ivf];
        double eta = dphi - vf;
        r[L->i_ie[s]] = ie - ie_model;
        r[L->i_iF[s]] = iF - lmb__li_bv(li, L->f, eta, cs);
        if (dg->eps_film > 0.0) {
            /* the film as a leaky dielectric (R_f || C_f) in series with charge transfer ||
             * double layer: two arcs, the film's at 1/(2 pi rho eps) whatever its thickness */
            double c_film = dg->eps_film * a_f / (L_sei + LMB__SEI_MIN_M);
            /* (a floor keeps vf' in its row when the film resistance vanishes) */
            double r_f = li->r_sei + LMB__FILM_R_FLOOR;
            r[dg->ivf] = r_f * (i_anodic - c_film * yp[dg->ivf]) - vf;
            r[L->i_dphi[s]] = li->cdl * (yp[L->i_dphi[s]] - yp[dg->ivf]) + iF - i_anodic;
        } else {
            /* film inside the Faradaic branch: one arc of width r_SEI + R_ct */
            r[dg->ivf] = vf - iF * li->r_sei;
            r[L->i_dphi[s]] = li->cdl * yp[L->i_dphi[s]] + iF - i_anodic;
        }
        r[L->i_qF[s]] = yp[L->i_qF[s]] - iF;
        degradation_residual(dg, y, yp, iF, a_f, lmb__lili_fec_share(L, y, s), w_liq, avail, r);
        /* charge balance of the first/last cell: the interface face */
        if (s == LMB_SIDE_NEG)
            r[ip[k]] -= ie;
        else
            r[ip[k]] += ie;
    }

    /* terminal: the applied current crosses the face between the separator and the positive
     * electrode's reactive region (its planar interface when its coating is inert) */
    double I = y[iI], V = y[iV];
    /* a short circuit through the separator carries V / R_sh of the applied current */
    double shunt = L->shorted ? V / L->short_R_area : 0.0;
    if (L->has_lfp) {
        /* the solid current through the LFP's current collector (lfp.c) */
        r[iV] = lmb__lfp_collector_current(L, y) - (I - shunt);
    } else {
        int kf = L->k_pos_face;
        double tp;
        double i_sep = kf < 0 ? y[L->i_ie[1]]
                              : face_current(L, M->g_face[kf - 1], y[ic[kf - 1]], y[ic[kf]],
                                             y[ip[kf - 1]], y[ip[kf]], &tp);
        r[iV] = -i_sep - (I - shunt);
    }
    switch (m->control) {
    case LMB_CONTROL_REST:
        r[iI] = I;
        break;
    case LMB_CONTROL_CURRENT:
        r[iI] = I - m->setpoint;
        break;
    case LMB_CONTROL_VOLTAGE:
        r[iI] = V - m->setpoint;
        break;
    }
    r[m->iQ] = yp[m->iQ] - I;
    r[m->iE] = yp[m->iE] - V * I;
    return 0;
}

/* Whether the particle surface has reached the end of a tabulated OCV (within 1e-4 of its
 * range: the solver cannot step past it, the residual being undefined there); the sentence
 * into buf. */
static int table_end(const lmb__matprop *ocv, double lo, double hi, char *buf, size_t n) {
    if (ocv->kind != LMB_PROP_TABLE)
        return 0;
    double near = 1e-4 * (ocv->spline.x_hi - ocv->spline.x_lo);
    double x = hi > ocv->spline.x_hi - near ? hi : lo < ocv->spline.x_lo + near ? lo : NAN;
    if (isnan(x))
        return 0;
    char org[300];
    lmb__escape_n(org, sizeof org, ocv->own.origin, strlen(ocv->own.origin));
    snprintf(buf, n,
             "the particle surface reached stoichiometry %.5f, the end of the %s table '%s' "
             "(it covers %g to %g): extend the table, or end the step at a voltage before it",
             x, ocv->what, org, ocv->spline.x_lo, ocv->spline.x_hi);
    return 1;
}

/* Why a step may have failed: the LFP particles full (discharged) or empty (charged) at their
 * surface, where the exchange current vanishes, a current the protocol did not limit. */
static void explain(const lmb__model *m, const double *y, char *buf, size_t n) {
    const lmb__lili *L = lmb__lili_of(m);
    buf[0] = '\0';
    /* a table of the electrolyte left at some concentration (the cells' and the surfaces') */
    for (int k = 0; k < L->mesh.n && !buf[0]; k++)
        lmb__electrolyte_range_text(&L->el, y[L->ic[k]], buf, n);
    for (int s = 0; s < 2 && !buf[0]; s++)
        if (s == LMB_SIDE_NEG || !L->has_lfp)
            lmb__electrolyte_range_text(&L->el, lmb__lili_surface_c(L, y, s), buf, n);
    if (buf[0] || !L->has_lfp)
        return;
    double lo, hi;
    lmb__lfp_surface_range(L, y, &lo, &hi);
    const char *what = L->is_lfp ? "LFP particles" : "particles";
    if (table_end(&L->lfp.ocv, lo, hi, buf, n))
        return;
    if (hi > 0.995)
        snprintf(buf, n,
                 "the %s are full at their surface (x = %.4f): the cell is "
                 "discharged; end discharges at a voltage (e.g. 'or until 2.5 V')",
                 what, hi);
    else if (lo < 0.005)
        snprintf(buf, n,
                 "the %s are empty at their surface (x = %.4f): the cell is charged; "
                 "end charges at a voltage (e.g. 'or until 3.6 V')",
                 what, lo);
}

static void destroy(lmb__model *m) {
    lili_model *lm = (lili_model *)m;
    lmb__mesh_free(&lm->L.mesh);
    lmb__electrolyte_free(&lm->L.el);
    lmb__lfp_region_free(&lm->L.lfp);
    free(lm->L.ic);
    free(lm->L.a);
}

/* The Li/Li+ reaction on a coating's active surface (Li-Pb alloy sites): the electrode's
 * transfer coefficients and reference concentration, the coating's own i0 and double layer, no
 * film; per active area (the cell's volume density a carries the area). */
static void coating_interface(lmb__li_interface *li, const lmb_li_params *p) {
    li->i0 = p->coating.i0_A_m2;
    li->c_ref = p->c_ref_mol_m3;
    li->alpha_a = p->alpha_a;
    li->alpha_c = p->alpha_c;
    li->area_factor = 1.0;
    li->r_sei = 0.0;
    li->cdl = p->coating.cdl_F_m2;
    li->strip_area = 1.0;
    li->anodic_share = li->cathodic_share = 1.0;
}

static void interface_from_params(lmb__li_interface *li, const lmb_li_params *p) {
    li->i0 = p->i0_A_m2;
    li->c_ref = p->c_ref_mol_m3;
    li->alpha_a = p->alpha_a;
    li->alpha_c = p->alpha_c;
    li->area_factor = p->area_factor;
    /* the film and the double layer cover the true area: per geometric area the film resistance
     * is divided and the capacitance multiplied by the area factor */
    li->r_sei = lmb__sei_resistance(p) / p->area_factor;
    li->cdl = p->cdl_F_m2 * p->area_factor;
    li->strip_area = 1.0;
    li->anodic_share = li->cathodic_share = 1.0;
}

/* The LFP electrode at rest at its initial Li fraction: uniform particles, no current, the
 * solid and the terminal at the open-circuit potential (the Li negative is the ground and the
 * electrolyte potential is zero); the absent positive Li interface holds at zero. */
static void lfp_initial_state(const lmb__lili *L, const lmb_lfp_params *p, lmb__model *m) {
    const lmb__lfp_region *R = &L->lfp;
    double U0 = lmb__lfp_region_ocv(R, p->initial_x);
    for (int k = R->k0; k < L->mesh.n; k++) {
        m->y0[L->idp[k]] = U0;
        m->y0[R->iphs[k]] = U0;
        m->atol[R->iphs[k]] = m->atol[L->ip[k]];
        /* the double-layer voltage (~3.4 V) as the Li interfaces' (numerics.atol_interface): at
         * 1e-6 relative its transient after each current step took a third of the steps */
        m->atol[L->idp[k]] = m->atol[L->i_dphi[0]];
        for (int j = 0; j < R->n_cls; j++) {
            int b = R->iblk[k] + j * (1 + R->n_sh);
            /* [A/m2] per particle surface: the current tolerance per geometric area spread
             * over the electrode's particle surface (~1e3 m2 per m2) */
            m->atol[b] = m->atol[L->i_iF[0]] / (R->a_tot * p->thickness_m);
            for (int q = 0; q < R->n_sh; q++) {
                m->y0[b + 1 + q] = p->initial_x * R->c_max;
                m->is_diff[b + 1 + q] = 1.0;
                m->atol[b + 1 + q] = 1e-6 * R->c_max; /* [mol/m3] */
            }
        }
    }
    m->y0[m->iV] = U0;
    /* the absent positive Li electrode: no Li, no film */
    const lmb__li_degradation *dg = &L->deg[LMB_SIDE_POS];
    m->y0[dg->iQc] = m->y0[dg->iL] = m->y0[dg->iQs] = 0.0;
    m->is_diff[L->i_dphi[1]] = 0.0;
    m->is_diff[dg->ivf] = 0.0;
}

lmb_status lmb__lili_create(lmb_ctx *ctx, const lmb_params *p, lmb__model **out) {
    *out = NULL;
    lili_model *lm = calloc(1, sizeof *lm);
    if (!lm)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory creating the Li||Li model");
    lmb__model *m = &lm->base;
    lmb__lili *L = &lm->L;
    m->kind = "li-li";
    m->residual = residual;
    m->destroy = destroy;
    m->explain = explain;
    m->impl = L;
    m->area_m2 = p->area_m2;
    m->rtol = p->num.rtol;
    m->max_step_s = p->num.max_step_s;

    /* a li-lfp cell: the porous LFP electrode takes the place of the positive coating */
    L->has_lfp = lmb__type_porous(p->type);
    L->is_lfp = p->type == LMB_CELL_LI_LFP;
    lmb_layer_params lfp_layer = {0};
    if (L->has_lfp) {
        lfp_layer.present = 1;
        lfp_layer.thickness_m = p->lfp.thickness_m;
        lfp_layer.porosity = p->lfp.porosity;
        lfp_layer.bruggeman = p->lfp.bruggeman;
        lfp_layer.cells = p->lfp.cells;
    }
    const lmb_layer_params *layers[3] = {&p->neg.coating, &p->separator,
                                         L->has_lfp ? &lfp_layer : &p->pos.coating};
    const char *names[3] = {"negative coating", "separator",
                            p->type == LMB_CELL_LI_LFP      ? "LFP electrode"
                            : p->type == LMB_CELL_LI_POROUS ? "porous electrode"
                                                            : "positive coating"};
    lmb_status st = lmb__mesh_build(ctx, layers, names, 3, p->num.mesh_ratio, &L->mesh);
    if (st != LMB_OK) {
        free(lm);
        return st;
    }
    if ((st = lmb__electrolyte_init(ctx, &L->el, &p->electrolyte, p->T_K)) != LMB_OK) {
        lmb__mesh_free(&L->mesh);
        free(lm);
        return st;
    }
    L->f = 1.0 / L->el.RT_F;
    interface_from_params(&L->li[0], &p->neg);
    interface_from_params(&L->li[1], &p->pos);

    const int n = L->mesh.n;
    if (L->has_lfp && (st = lmb__lfp_region_init(ctx, &L->lfp, &p->lfp, &L->mesh,
                                                 L->is_lfp ? "lfp.ocv" : "porous.ocv")) != LMB_OK) {
        lmb__model_free(m);
        return st;
    }
    L->ic = malloc(7 * (size_t)n * sizeof(int));
    L->a = calloc((size_t)n, sizeof(double));
    if (!L->ic || !L->a) {
        lmb__model_free(m); /* (destroy frees L->a) */
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for %d cells", n);
    }
    L->ip = L->ic + n;
    L->idp = L->ic + 2 * n;
    L->iif = L->ic + 3 * n;
    L->side = L->ic + 4 * n;
    L->lfp.iphs = L->ic + 5 * n;
    L->lfp.iblk = L->ic + 6 * n;
    /* which cells belong to a reactive coating, and their active area per volume */
    const lmb_li_params *el[2] = {&p->neg, &p->pos};
    int n_coat[2];
    for (int sd = 0; sd < 2; sd++) {
        const lmb_layer_params *c = &el[sd]->coating;
        n_coat[sd] = c->present && !(sd == LMB_SIDE_POS && L->has_lfp) ? c->cells : 0;
        coating_interface(&L->coat[sd], el[sd]);
    }
    for (int k = 0; k < n; k++) {
        int sd = k < n_coat[0]                  ? LMB_SIDE_NEG
                 : k >= n - n_coat[1]           ? LMB_SIDE_POS
                 : L->has_lfp && k >= L->lfp.k0 ? LMB_SIDE_POS
                                                : -1;
        L->side[k] = sd;
        /* (the LFP cells are the positive side's, but not a coating) */
        int in_lfp = L->has_lfp && k >= L->lfp.k0;
        const lmb_layer_params *c = sd >= 0 && !in_lfp ? &el[sd]->coating : NULL;
        if (c && c->active_fraction > 0.0)
            L->a[k] = c->active_fraction * 6.0 * (1.0 - c->porosity) / c->particle_size_m;
    }
    L->k_pos_face = n_coat[1] > 0 && L->a[n - 1] > 0.0 ? n - n_coat[1] : -1;

    int idx = 0;
    /* negative electrode's inventories first, away from the cells */
    L->deg[0].iQa = idx++;
    L->deg[0].ixi = idx++;
    L->deg[0].iNs = idx++;
    L->deg[0].iQs = idx++;
    L->deg[0].iQd = idx++;
    L->deg[0].iQc = idx++;
    L->deg[0].iL = idx++;
    L->deg[0].iQh = idx++;
    L->i_qF[0] = idx++;
    L->deg[0].ivf = idx++;
    L->i_dphi[0] = idx++;
    L->i_iF[0] = idx++;
    L->i_ie[0] = idx++;
    for (int k = 0; k < n; k++) {
        int in_lfp = L->has_lfp && k >= L->lfp.k0;
        L->ic[k] = idx++;
        L->ip[k] = idx++;
        L->idp[k] = L->a[k] > 0.0 || in_lfp ? idx++ : -1;
        L->iif[k] = L->a[k] > 0.0 ? idx++ : -1;
        L->lfp.iphs[k] = in_lfp ? idx++ : -1;
        L->lfp.iblk[k] = in_lfp ? idx : -1;
        if (in_lfp)
            idx += L->lfp.n_cls * (1 + L->lfp.n_sh);
    }
    /* the terminal next to the states its row reads: the positive interface (Li||Li, Li||Cu),
     * or the last LFP cell's solid potential (Li||LFP: before the unused interface states, which
     * would otherwise widen the band by their number) */
    if (L->has_lfp) {
        m->iV = idx++;
        m->iI = idx++;
    }
    L->i_ie[1] = idx++;
    L->i_iF[1] = idx++;
    L->i_dphi[1] = idx++;
    L->deg[1].ivf = idx++;
    L->deg[1].iQh = idx++;
    L->deg[1].iL = idx++;
    L->deg[1].iQc = idx++;
    L->deg[1].iQd = idx++;
    L->deg[1].iQs = idx++;
    L->deg[1].iNs = idx++;
    L->deg[1].ixi = idx++;
    L->deg[1].iQa = idx++;
    if (!L->has_lfp) {
        m->iV = idx++;
        m->iI = idx++;
    }
    L->i_V = m->iV;
    L->i_qF[1] = idx++;
    m->iQ = idx++;
    m->iE = idx++;
    if (lmb__model_alloc_arrays(m, idx) != 0) {
        lmb__model_free(m);
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for %d states", idx);
    }

    /* rest with a uniform electrolyte: every residual is exactly zero */
    const lmb_numerics *num = &p->num;
    for (int s = 0; s < 2; s++) {
        m->is_diff[L->i_qF[s]] = 1.0;
        m->is_ode[L->i_qF[s]] = 1;
        m->is_diff[L->i_dphi[s]] = 1.0;
        m->atol[L->i_qF[s]] = num->atol_i * 1.0; /* [C/m2]: current tolerance over 1 s */
        m->atol[L->i_dphi[s]] = num->atol_iface;
        m->atol[L->i_iF[s]] = num->atol_i;
        m->atol[L->i_ie[s]] = num->atol_i;
    }
    for (int k = 0; k < n; k++) {
        m->y0[L->ic[k]] = L->el.c0;
        m->is_diff[L->ic[k]] = 1.0;
        m->atol[L->ic[k]] = num->atol_c;
        m->atol[L->ip[k]] = num->atol_phi;
        if (L->idp[k] >= 0) {
            m->is_diff[L->idp[k]] = 1.0;
            m->atol[L->idp[k]] = num->atol_phi;
        }
        if (L->iif[k] >= 0)
            m->atol[L->iif[k]] = num->atol_i;
    }
    for (int sd = 0; sd < 2; sd++) {
        lmb__li_degradation *dg = &L->deg[sd];
        const lmb_li_params *e = el[sd];
        dg->af0 = e->area_factor;
        dg->rho_sei = e->sei_resistivity_ohm_m;
        dg->cdl_true = e->cdl_F_m2;
        dg->f0 = e->mossy_fraction;
        dg->f_max = e->mossy_fraction_max;
        dg->i_h = e->mossy_current_A_m2;
        dg->m_a = e->mossy_area_factor;
        dg->q_star = e->mossy_reserve_C_m2;
        dg->f_dead = e->dead_fraction;
        dg->k_sei = e->sei_growth_m2_s;
        dg->L_fresh = e->sei_fresh_m;
        dg->F_V = LMB_FARADAY / e->sei_molar_volume_m3_mol;
        dg->eps_dead = e->dead_porosity;
        const lmb_layer_params *ct = &e->coating;
        dg->x_film = dg->x_mossy = dg->x_sei = dg->x_dead = dg->x_i0 = 1.0;
        dg->eps_film = LMB__EPS0 * e->sei_permittivity;
        dg->f_pit = e->pit_fraction;
        /* the electrolyte budget: each Li electrode draws on half of it (a shared inventory
         * would couple the two ends of the state vector and destroy the band; the cell is
         * symmetric); in a li-lfp cell the Li negative is the only consumer and draws on all of
         * it, and the liquid must also fill the LFP electrode's pores */
        double share = L->has_lfp ? 1.0 : 0.5;
        double V_half = share * p->electrolyte.volume_m3 / p->area_m2;
        double x_fec = p->electrolyte.fec_fraction;
        dg->nu_sol = e->sei_solvent_per_li;
        dg->n_fec0 = x_fec * V_half / LMB__FEC_MOLAR_VOLUME;
        dg->x_dead_nofec = e->fec_free_dead_factor;
        dg->x_sei_nofec = e->fec_free_sei_factor;
        dg->V_liquid0 = V_half;
        /* FEC goes first; the mean molar volume of what is consumed is taken as the solvent's */
        dg->V_sol = x_fec * LMB__FEC_MOLAR_VOLUME + (1.0 - x_fec) * LMB__DEC_MOLAR_VOLUME;
        double V_sep = share * p->separator.thickness_m * p->separator.porosity +
                       (L->has_lfp ? p->lfp.thickness_m * p->lfp.porosity : 0.0);
        dg->V_pores0 =
            V_sep + (e->coating.present ? e->coating.thickness_m * e->coating.porosity : 0.0);
        if (ct->present) {
            dg->conv_rate = ct->conversion_time_s > 0.0 ? 1.0 / ct->conversion_time_s : 0.0;
            dg->conv_per_q = ct->conversion_per_capacity;
            dg->conv_Q_tot =
                LMB_FARADAY * ct->li_per_formula * ct->loading_kg_m2 / ct->molar_mass_kg_mol;
            dg->theta = 1.0 - exp(-ct->loading_kg_m2 / ct->coverage_loading_kg_m2);
            dg->x_film = ct->film_factor;
            dg->x_mossy = ct->mossy_factor;
            dg->x_sei = ct->sei_growth_factor;
            dg->x_dead = ct->dead_factor;
            dg->x_i0 = ct->i0_factor;
        }
        dg->f_dead_layer = pow(e->dead_porosity, 1.0 + e->dead_bruggeman);
        int inv[8] = {dg->iQc, dg->iQh, dg->iQd, dg->iL, dg->iQs, dg->ixi, dg->iQa, dg->iNs};
        for (int j = 0; j < 8; j++) {
            m->is_diff[inv[j]] = 1.0;
            m->is_ode[inv[j]] = 1;
            m->atol[inv[j]] = LMB__INVENTORY_ATOL; /* [C/m2] */
        }
        m->atol[dg->iL] = 1e-12; /* [m] */
        m->atol[dg->ixi] = 1e-9; /* [1] */
        m->atol[dg->iNs] = 1e-9; /* [mol/m2]: 1e-4 of the FEC of the study's cell */
        m->is_diff[dg->ivf] = dg->eps_film > 0.0 ? 1.0 : 0.0;
        m->atol[dg->ivf] = num->atol_iface;
        /* a Cu electrode starts without Li; the film and its Li form as Li plates on it */
        dg->q_cover = e->is_cu ? e->li_cover_C_m2 : 0.0;
        dg->cu_i0_ratio = e->is_cu ? e->cu_i0_A_m2 / e->i0_A_m2 : 1.0;
        m->y0[dg->iQc] = e->is_cu ? 0.0 : e->thickness_m * LMB_FARADAY / LMB__LI_MOLAR_VOLUME;
        m->y0[dg->iL] = e->is_cu ? 0.0 : e->sei_thickness_m; /* on Cu it forms on the plated Li */
        m->y0[dg->iQs] = e->is_cu ? 0.0 : dg->F_V * dg->af0 * e->sei_thickness_m;
    }
    L->short_thickness = p->short_thickness_m;
    L->short_R_area = p->short_resistance_ohm * p->area_m2;
    if (L->short_thickness > 0.0) {
        m->short_margin = short_margin;
        m->step_start = step_start;
    }
    m->atol[m->iV] = num->atol_phi;
    m->atol[m->iI] = num->atol_i;
    m->is_diff[m->iQ] = 1.0;
    m->is_ode[m->iQ] = m->is_ode[m->iE] = 1;
    m->atol[m->iQ] = num->atol_i * 1.0;
    m->is_diff[m->iE] = 1.0;
    m->atol[m->iE] = num->atol_i * 1.0; /* [J/m2]: ~1 V times the charge tolerance */
    if (L->has_lfp)
        lfp_initial_state(L, &p->lfp, m);
    m->control = LMB_CONTROL_REST;
    *out = m;
    return LMB_OK;
}

double lmb__lili_salt(const lmb__lili *L, const double *y) {
    double s = 0.0;
    for (int k = 0; k < L->mesh.n; k++)
        s += L->mesh.eps[k] * L->mesh.h_m[k] * y[L->ic[k]];
    return s;
}

double lmb__lili_surface_phi(const lmb__lili *L, const double *y, int side) {
    return side == LMB_SIDE_NEG ? -y[L->i_dphi[0]] : y[L->i_V] - y[L->i_dphi[1]];
}

double lmb__lili_ohmic_area_resistance(const lmb__lili *L) {
    double r = 0.0;
    for (int k = 0; k < L->mesh.n; k++)
        r += L->mesh.h_m[k] / (lmb__el_kappa(&L->el, L->el.c0) * L->mesh.f_tr[k]);
    return r;
}
