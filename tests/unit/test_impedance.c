/*
 * test_impedance.c - model impedance from the linearised DAE against closed forms.
 *
 * A bare Li||Li cell at open circuit is, in the linear limit, the series of
 *   the electrolyte resistance      R_b = N_M L / (kappa A)
 *   two interfaces                  (r_SEI + R_ct) || C_dl per electrode, R_ct = R T/(F i0)
 *   the finite-length Warburg       Z_D = R_diff tanh(sqrt(j w tau_D)) / sqrt(j w tau_D)
 *                                   R_diff = 2 R T (1-t+)^2 TDF N_M L / (F^2 D c0 A)
 *                                   tau_D = tau L^2 / (4 D), tau = N_M eps (docs/model.md)
 * (at open circuit the Butler-Volmer current does not depend on the surface concentration, so
 * interface and diffusion do not couple). The model must reproduce this spectrum within 1 % at
 * every frequency from 10 uHz to 100 kHz, which fixes R_diff, tau_D, the arc width and its apex.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lmb/lmb.h"
#include "test_util.h"
#include "model/cell_internal.h"
#include "solver/solver_internal.h"

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define PI_  3.14159265358979323846
#define RT_F (LMB_GAS_CONSTANT * 298.15 / LMB_FARADAY)

typedef struct cellfx {
    lmb_ctx *ctx;
    lmb_cell *cell;
    lmb_sim *sim;
    lmb_params *p;
} cellfx;

static void make(cellfx *fx, int cells, double ratio) {
    assert_int_equal(lmb_ctx_create(&fx->ctx), LMB_OK);
    assert_int_equal(lmb_test_load_ideal(fx->ctx, "li-li:bare", &fx->cell), LMB_OK);
    fx->p = lmb__cell_params_mut(fx->cell);
    fx->p->T_K = 298.15;
    fx->p->separator.cells = cells;
    fx->p->num.mesh_ratio = ratio;
}

static void start(cellfx *fx) {
    if (lmb_sim_create(fx->ctx, fx->cell, NULL, &fx->sim) != LMB_OK)
        fail_msg("%s", lmb_ctx_errmsg(fx->ctx));
}

static void finish(cellfx *fx) {
    lmb_sim_free(fx->sim);
    lmb_cell_free(fx->cell);
    lmb_ctx_free(fx->ctx);
}

/* The closed-form OCV spectrum of the symmetric cell described by p. */
static double complex z_exact(const lmb_params *p, double f) {
    const lmb_electrolyte_params *e = &p->electrolyte;
    const double A = p->area_m2, L = p->separator.thickness_m, N_M = p->separator.macmullin;
    const double tau = N_M * p->separator.porosity, w = 2.0 * PI_ * f;
    const double R_b = N_M * L / (e->kappa_S_m * A);
    const double r_int =
        (p->neg.sei_thickness_m * p->neg.sei_resistivity_ohm_m + RT_F / p->neg.i0_A_m2) /
        p->neg.area_factor / A;
    const double C = p->neg.cdl_F_m2 * p->neg.area_factor * A;
    const double R_diff = 2.0 * RT_F * pow(1.0 - e->t_plus, 2) * e->tdf * N_M * L /
                          (LMB_FARADAY * e->D_m2_s * e->c0_mol_m3 * A);
    const double tau_D = tau * L * L / (4.0 * e->D_m2_s);
    double complex s = csqrt(I * w * tau_D);
    return R_b + 2.0 * r_int / (1.0 + I * w * r_int * C) + R_diff * ctanh(s) / s;
}

/* Largest |Z_model - Z_exact| / |Z_exact| over 10 uHz .. 100 kHz, 5 points per decade. */
static double spectrum_error(cellfx *fx, double *z_low) {
    double f[51], zr[51], zi[51];
    for (int k = 0; k < 51; k++)
        f[k] = pow(10.0, -5.0 + 0.2 * k);
    if (lmb_sim_impedance(fx->ctx, fx->sim, f, 51, zr, zi) != LMB_OK)
        fail_msg("%s", lmb_ctx_errmsg(fx->ctx));
    double worst = 0.0;
    for (int k = 0; k < 51; k++) {
        double complex ze = z_exact(fx->p, f[k]);
        double err = cabs(zr[k] + I * zi[k] - ze) / cabs(ze);
        worst = fmax(worst, err);
    }
    *z_low = zr[0]; /* Z' at 10 uHz */
    return worst;
}

/* The OCV spectrum of the bare preset (graded 20-cell separator) within 1 % everywhere. */
static void test_ocv_spectrum(void **state) {
    (void)state;
    cellfx fx;
    make(&fx, 20, 1.4);
    start(&fx);
    double r0 = 0.0;
    double err = spectrum_error(&fx, &r0);
    double complex z0 = z_exact(fx.p, 1e-5);
    print_message("OCV spectrum, 10 uHz-100 kHz: worst relative error %.3e; Z(10 uHz) = %.4f "
                  "ohm (closed form %.4f ohm)\n",
                  err, r0, creal(z0));
    assert_true(err < 1e-2);
    assert_true(fabs(r0 - creal(z0)) / creal(z0) < 1e-3);
    finish(&fx);
}

/*
 * The diffusion part alone: with a very fast interface (i0 large, no film) and a tiny double
 * layer the spectrum is R_b + Z_D. R_diff from the low-frequency limit and tau_D from the
 * frequency of the -Z'' maximum (w tau_D = 2.5407 for the tanh form, found by a fine scan)
 * are within 1 %.
 */
static void test_warburg_parameters(void **state) {
    (void)state;
    cellfx fx;
    make(&fx, 40, 1.0);
    lmb_li_params *el[2] = {&fx.p->neg, &fx.p->pos};
    for (int k = 0; k < 2; k++) {
        el[k]->i0_A_m2 = 1e5;
        el[k]->sei_thickness_m = 0.0;
        el[k]->cdl_F_m2 = 1e-4;
    }
    start(&fx);
    const lmb_params *p = fx.p;
    const lmb_electrolyte_params *e = &p->electrolyte;
    const double A = p->area_m2, L = p->separator.thickness_m, N_M = p->separator.macmullin;
    const double R_b = N_M * L / (e->kappa_S_m * A);
    const double R_diff = 2.0 * RT_F * pow(1.0 - e->t_plus, 2) * e->tdf * N_M * L /
                          (LMB_FARADAY * e->D_m2_s * e->c0_mol_m3 * A);
    const double tau_D = N_M * p->separator.porosity * L * L / (4.0 * e->D_m2_s);
    double f_lo = 1e-6, zr = 0.0, zi = 0.0;
    assert_int_equal(lmb_sim_impedance(fx.ctx, fx.sim, &f_lo, 1, &zr, &zi), LMB_OK);
    double R_ct = 2.0 * RT_F / 1e5 / A;
    double R_diff_model = zr - R_b - R_ct;
    /* scan for the -Z'' maximum around the expected frequency */
    double best_f = 0.0, best = -1.0;
    for (int k = 0; k <= 400; k++) {
        double f = 2.5407 / (2.0 * PI_ * tau_D) * pow(10.0, -1.0 + 0.005 * k);
        assert_int_equal(lmb_sim_impedance(fx.ctx, fx.sim, &f, 1, &zr, &zi), LMB_OK);
        if (-zi > best) {
            best = -zi;
            best_f = f;
        }
    }
    double tau_D_model = 2.5407 / (2.0 * PI_ * best_f);
    print_message("Warburg: R_diff %.4f ohm (closed form %.4f), tau_D %.5f s (closed form "
                  "%.5f)\n",
                  R_diff_model, R_diff, tau_D_model, tau_D);
    assert_true(fabs(R_diff_model - R_diff) / R_diff < 1e-2);
    assert_true(fabs(tau_D_model - tau_D) / tau_D < 1e-2);
    finish(&fx);
}

/*
 * The interface arc: with a very fast salt diffusion the spectrum is R_b plus one arc of width
 * 2 (r_SEI + R_ct)/A whose apex is at f = 1/(2 pi R C). The width (difference of Z' at 1 MHz
 * and 1 mHz) and the apex frequency (fine scan) are within 1 %.
 */
static void test_interface_arc(void **state) {
    (void)state;
    cellfx fx;
    make(&fx, 10, 1.0);
    fx.p->electrolyte.D_m2_s = 1e-5;
    start(&fx);
    const lmb_params *p = fx.p;
    const double A = p->area_m2;
    const double r =
        (p->neg.sei_thickness_m * p->neg.sei_resistivity_ohm_m + RT_F / p->neg.i0_A_m2) / A;
    const double C = p->neg.cdl_F_m2 * A;
    double f2[2] = {1e6, 1e-3}, zr[2], zi[2];
    assert_int_equal(lmb_sim_impedance(fx.ctx, fx.sim, f2, 2, zr, zi), LMB_OK);
    double width = zr[1] - zr[0];
    double f_apex = 1.0 / (2.0 * PI_ * r * C), best_f = 0.0, best = -1.0;
    for (int k = 0; k <= 400; k++) {
        double f = f_apex * pow(10.0, -1.0 + 0.005 * k), a = 0.0, b = 0.0;
        assert_int_equal(lmb_sim_impedance(fx.ctx, fx.sim, &f, 1, &a, &b), LMB_OK);
        if (-b > best) {
            best = -b;
            best_f = f;
        }
    }
    print_message("interface arc: width %.3f ohm (closed form %.3f), apex %.2f Hz (closed form "
                  "%.2f)\n",
                  width, 2.0 * r, best_f, f_apex);
    assert_true(fabs(width - 2.0 * r) / (2.0 * r) < 1e-2);
    assert_true(fabs(best_f - f_apex) / f_apex < 1e-2);
    finish(&fx);
}

/*
 * A reactive porous coating is a transmission line (PHYSICS.md section 7; Drvaric Talian et al.,
 * J. Phys. Chem. C 2019, 123, 27997): an ionic rail through the pores, R_ion = L / kappa_eff,
 * the active surface's impedance spread along it, Z_p = z_site / (a L), and the planar Li at the
 * back, Z_b:
 *   Z_c = sqrt(R_ion Z_p), psi = sqrt(R_ion / Z_p),
 *   Z_el = Z_c (Z_b + Z_c tanh psi) / (Z_c + Z_b tanh psi)        [ohm m2]
 * and the cell is (R_sep + 2 Z_el) / A. With a very fast salt diffusion (no concentration
 * coupling) the model must follow this from 10 uHz to 1 MHz: within 2 % on 40 cells per coating
 * (0.5 % observed), and the error must fall as h^2 (by more than 3.5 from 40 to 80 cells).
 * Returns the worst relative error over the spectrum.
 */
static double tlm_error(int cells) {
    cellfx fx;
    assert_int_equal(lmb_ctx_create(&fx.ctx), LMB_OK);
    assert_int_equal(lmb_test_load_ideal(fx.ctx, "li-li:cspbcl3-2mg", &fx.cell), LMB_OK);
    lmb_params *p = fx.p = lmb__cell_params_mut(fx.cell);
    p->T_K = 298.15;
    p->electrolyte.D_m2_s = 1e-5;
    p->num.mesh_ratio = 1.0;
    lmb_li_params *el[2] = {&p->neg, &p->pos};
    for (int k = 0; k < 2; k++) {
        el[k]->coating.cells = cells;
        el[k]->coating.active_fraction = 0.1;
        el[k]->coating.i0_A_m2 = 10.0;
        el[k]->coating.cdl_F_m2 = 0.1;
    }
    start(&fx);
    const lmb_layer_params *c = &p->neg.coating;
    const double A = p->area_m2, kap = p->electrolyte.kappa_S_m;
    const double R_sep = p->separator.macmullin * p->separator.thickness_m / kap;
    const double R_ion = c->thickness_m / (kap * pow(c->porosity, 1.0 + c->bruggeman));
    const double aL = 0.1 * 6.0 * (1.0 - c->porosity) / c->particle_size_m * c->thickness_m;
    const double R_site = RT_F / c->i0_A_m2;
    const double R_base =
        (p->neg.sei_thickness_m * p->neg.sei_resistivity_ohm_m + RT_F / p->neg.i0_A_m2) /
        p->neg.area_factor;
    const double C_base = p->neg.cdl_F_m2 * p->neg.area_factor;
    double worst = 0.0;
    for (int k = 0; k <= 55; k++) {
        double f = pow(10.0, -5.0 + 0.2 * k), w = 2.0 * PI_ * f, zr = 0.0, zi = 0.0;
        assert_int_equal(lmb_sim_impedance(fx.ctx, fx.sim, &f, 1, &zr, &zi), LMB_OK);
        double complex Zp = R_site / (1.0 + I * w * R_site * c->cdl_F_m2) / aL;
        double complex Zb = R_base / (1.0 + I * w * R_base * C_base);
        double complex Zc = csqrt(R_ion * Zp), t = ctanh(csqrt(R_ion / Zp));
        double complex Zel = Zc * (Zb + Zc * t) / (Zc + Zb * t);
        double complex Z = (R_sep + 2.0 * Zel) / A;
        worst = fmax(worst, cabs(zr + I * zi - Z) / cabs(Z));
    }
    finish(&fx);
    return worst;
}

static void test_transmission_line(void **state) {
    (void)state;
    double e40 = tlm_error(40), e80 = tlm_error(80);
    print_message("transmission line of the reactive coating: worst relative error %.3e (40 "
                  "cells), %.3e (80 cells)\n",
                  e40, e80);
    assert_true(e40 < 2e-2);
    assert_true(e40 / e80 > 3.5);
}

/*
 * Under current (operando) the zero-frequency limit of the linearised impedance is the slope of
 * the steady voltage-current curve: Z(1 nHz) against (V(I + dI) - V(I - dI)) / (2 dI) from two
 * steady runs, at 1 and 3 mA/cm2, within 1e-4 (the finite difference's own error is ~1e-6).
 */
static void test_operando_limit(void **state) {
    (void)state;
    const double i_list[2] = {10.0, 30.0}; /* [A/m2] */
    for (int k = 0; k < 2; k++) {
        double v[2], z = 0.0;
        for (int side = 0; side < 3; side++) {
            cellfx fx;
            make(&fx, 20, 1.4);
            start(&fx);
            const double A = fx.p->area_m2;
            double i = i_list[k] * (side == 0 ? 1.0 : side == 1 ? 1.001 : 0.999);
            lmb_step st = lmb_step_init();
            st.control = LMB_CONTROL_CURRENT;
            st.value = i * A;
            st.duration_s = 600.0; /* > 100 tau_D: steady */
            lmb_step_result r;
            assert_int_equal(lmb_sim_run_step(fx.ctx, fx.sim, &st, &r), LMB_OK);
            if (side == 0) {
                double f = 1e-9, zi = 0.0;
                assert_int_equal(lmb_sim_impedance(fx.ctx, fx.sim, &f, 1, &z, &zi), LMB_OK);
                assert_true(fabs(zi) < 1e-6 * z);
            } else {
                v[side - 1] = r.v_end;
            }
            finish(&fx);
        }
        double I_A = i_list[k] * 0.502e-4;
        double slope = (v[0] - v[1]) / (0.002 * I_A);
        print_message("operando at %.0f A/m2: Z(1 nHz) %.5f ohm, dV/dI %.5f ohm\n", i_list[k], z,
                      slope);
        assert_true(fabs(z - slope) / slope < 1e-4);
    }
}

/* Computing a spectrum leaves the state alone: the next step is the same as without it. */
static void test_state_untouched(void **state) {
    (void)state;
    double v[2];
    for (int with = 0; with < 2; with++) {
        cellfx fx;
        make(&fx, 20, 1.4);
        start(&fx);
        lmb_step s = lmb_step_init();
        s.control = LMB_CONTROL_CURRENT;
        s.value = -10.0 * lmb_sim_area_m2(fx.sim);
        s.duration_s = 600.0;
        assert_int_equal(lmb_sim_run_step(fx.ctx, fx.sim, &s, NULL), LMB_OK);
        if (with) {
            double f[3] = {1e5, 1.0, 1e-3}, zr[3], zi[3];
            assert_int_equal(lmb_sim_impedance(fx.ctx, fx.sim, f, 3, zr, zi), LMB_OK);
            assert_true(zr[2] > zr[1] && zr[1] > zr[0] && zr[0] > 0.0);
        }
        s.value = -s.value;
        lmb_step_result r;
        assert_int_equal(lmb_sim_run_step(fx.ctx, fx.sim, &s, &r), LMB_OK);
        v[with] = r.v_end;
        double bad = -1.0, zr = 0.0, zi = 0.0;
        assert_int_equal(lmb_sim_impedance(fx.ctx, fx.sim, &bad, 1, &zr, &zi), LMB_EINVAL);
        finish(&fx);
    }
    assert_true(v[0] == v[1]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ocv_spectrum),   cmocka_unit_test(test_warburg_parameters),
        cmocka_unit_test(test_interface_arc),  cmocka_unit_test(test_transmission_line),
        cmocka_unit_test(test_operando_limit), cmocka_unit_test(test_state_untouched),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
