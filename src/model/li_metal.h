/*
 * li_metal.h - the lithium-metal / electrolyte interface (PHYSICS.md section 3).
 *
 * Butler-Volmer kinetics on the true area, in series with the SEI film resistance, in parallel
 * with the double layer:
 *   i_tot = i_F + a_f C_dl d(dphi)/dt                             [A/m2 geometric]
 *   i_F   = a_f i0 (c_s/c_ref)^alpha_a [exp(alpha_a f eta) - exp(-alpha_c f eta)]
 *   eta   = dphi - i_F rho_SEI L_SEI / a_f,  dphi = phi_s - phi_e(interface),  f = F/(R T)
 * a_f is the true area per geometric area: the film, the double layer and the kinetics all sit
 * on the true area.
 * Currents are anodic-positive (Li -> Li+ + e-, stripping). The open-circuit potential of Li
 * against a Li reference in the same solution is zero. With alpha_a = alpha_c = 1/2 the
 * inversion is exact: eta = (2/f) asinh(i_F / (2 a_f i0)), the analytic check of the tests
 * (with strip_area = 1).
 */
#ifndef LMB_MODEL_LI_METAL_H
#define LMB_MODEL_LI_METAL_H

#include <math.h>

typedef struct lmb__li_interface {
    double i0;          /* [A/m2] exchange current density per true area at c_ref */
    double c_ref;       /* [mol/m3] */
    double alpha_a;     /* [1] */
    double alpha_c;     /* [1] */
    double area_factor; /* [1] true/geometric area */
    double r_sei;       /* [ohm m2] per geometric area: rho_SEI L_SEI / a_f */
    double cdl;         /* [F/m2] per geometric area: C_dl (per true area) times a_f */
    double strip_area;  /* [1] share of the area that strips (pits and mossy Li); 1 = all */
    /* Li on a Cu electrode: availability theta of Li to strip (multiplies the anodic branch) and
     * the cathodic multiplier theta + (1 - theta) i0_Cu/i0 (plating on Li, and nucleation on
     * bare Cu); both 1 on a Li-metal electrode */
    double anodic_share, cathodic_share;
} lmb__li_interface;

/* Width of the switch between the plating and the stripping site area [V]. */
#define LMB__SITE_SWITCH_V 0.005

/* Butler-Volmer Faradaic current density [A/m2 geometric] at overpotential eta [V] and
 * surface concentration c_s [mol/m3]; f = F/(RT) [1/V]. */
static inline double lmb__li_bv(const lmb__li_interface *li, double f, double eta, double c_s) {
    double i0 = li->area_factor * li->i0 * pow(c_s / li->c_ref, li->alpha_a);
    if (li->strip_area < 1.0) {
        /* two kinds of sites (PHYSICS.md s3, Wood et al. 2016): Li plates on the whole area but
         * strips only from mossy Li and pits. The active area moves smoothly from 1 (eta << 0)
         * to strip_area (eta >> 0) over LMB__SITE_SWITCH_V; the current stays zero at eta = 0,
         * where the exchange runs on the mean of the two areas. */
        double s = 1.0 / (1.0 + exp(-eta / LMB__SITE_SWITCH_V));
        i0 *= 1.0 - s * (1.0 - li->strip_area);
    }
    return i0 * (li->anodic_share * exp(li->alpha_a * f * eta) -
                 li->cathodic_share * exp(-li->alpha_c * f * eta));
}

#endif
