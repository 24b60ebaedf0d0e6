/*
 * test_sphere.c - the finite-volume sphere (model/sphere.h) against the analytic galvanostatic
 * sphere, its exact conservation, relaxation at zero flux, and every error path of the mesh.
 *
 * The ODE system V dc/dt = -(Q_{k+1} - Q_k) is integrated here with a small implicit scheme of
 * the test's own (Crank-Nicolson with a backward-Euler start, tridiagonal Thomas solves); its
 * matrix is read off lmb__sphere_residual itself (the residual is linear in c), so the test
 * integrates exactly the module's discretisation.
 *
 * Analytic solution (Carslaw & Jaeger, Conduction of Heat in Solids, 2nd ed. 1959, ch. IX, the
 * sphere with a constant flux at its surface; Crank, The Mathematics of Diffusion, 2nd ed. 1975,
 * ch. 6), for a constant flux F_in INTO a sphere of radius R from a uniform c0:
 *   c - c0 = (F_in R / D) u(r/R, D t/R^2),
 *   u(rho, tau) = 3 tau + rho^2/2 - 3/10
 *                 - (2/rho) sum_n sin(l_n rho) / (l_n^2 sin l_n) exp(-l_n^2 tau),
 * l_n the positive roots of tan l = l. The module's j is the flux OUT of the particle,
 * F_in = -j, so
 *   c(r, t) = c0 - (j R / D) u(r/R, D t/R^2),
 * consistent with the conservation law d<c>/dt = -3 j / R (u grows as 3 tau). At rho = 0 the
 * series term is 2 / (l_n sin l_n) exp(-l_n^2 tau). At tau = 0 the series equals
 * rho^2/2 - 3/10; at rho = 1 that is sum_n 1/l_n^2 = 1/10, the check of the roots below.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lmb/lmb.h"
#include "model/sphere.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI_ 3.14159265358979323846

/* A LiFePO4 particle of PHYSICS.md s6: R = 50 nm, D_s = 6.6e-19 m2/s (R^2/D = 3788 s), starting
 * fully lithiated (c_max = 22,806 mol/m3) and delithiated at j = 5e-8 mol/(m2 s) (about C/2.1:
 * the mean falls at 3 j / R = 3 mol/(m3 s)). The scale of the profile is j R / D = 3788 mol/m3. */
#define R_P   50e-9
#define D_S   6.6e-19
#define C_MAX 22806.0
#define J_OUT 5e-8

#define N_ROOTS 2000

static double roots[N_ROOTS]; /* positive roots of tan l = l */

static void find_roots(void) {
    if (roots[0] > 0.0)
        return;
    for (int n = 1; n <= N_ROOTS; n++) {
        /* f(l) = sin l - l cos l changes sign once in (n pi, n pi + pi/2) */
        double a = n * PI_, b = n * PI_ + 0.5 * PI_;
        double fa = sin(a) - a * cos(a);
        for (int it = 0; it < 200 && b - a > 1e-15 * b; it++) {
            double m = 0.5 * (a + b), fm = sin(m) - m * cos(m);
            if ((fm < 0.0) == (fa < 0.0)) {
                a = m;
                fa = fm;
            } else {
                b = m;
            }
        }
        roots[n - 1] = 0.5 * (a + b);
    }
}

/* u(rho, tau) of the file comment. */
static double u_exact(double rho, double tau) {
    double s = 0.0;
    for (int n = 0; n < N_ROOTS; n++) {
        double l = roots[n], e = exp(-l * l * tau);
        double term = rho > 0.0 ? 2.0 * sin(l * rho) / (rho * l * l * sin(l)) : 2.0 / (l * sin(l));
        s += term * e;
        if (tau > 0.0 && l * l * tau > 60.0)
            break; /* e^-60: the rest is below rounding */
    }
    return 3.0 * tau + 0.5 * rho * rho - 0.3 - s;
}

/* ---- the test's integrator ---------------------------------------------------------------- */

typedef struct tri {
    int n;
    double *lo, *di, *up; /* A: row k has lo[k] (col k-1), di[k], up[k] (col k+1) */
    double *b;            /* the flow vector of a unit surface flux: r(c = 0, j = 1) */
    double *work, *rhs, *cp;
} tri;

/* Reads the tridiagonal matrix A of r(c) = A c + b j off the module's residual. */
static void tri_probe(const lmb__sphere_mesh *m, double D, tri *t) {
    int n = m->n;
    t->n = n;
    t->lo = calloc((size_t)n, sizeof(double));
    t->di = calloc((size_t)n, sizeof(double));
    t->up = calloc((size_t)n, sizeof(double));
    t->b = calloc((size_t)n, sizeof(double));
    t->work = calloc((size_t)n, sizeof(double));
    t->rhs = calloc((size_t)n, sizeof(double));
    t->cp = calloc((size_t)n, sizeof(double));
    double *e = calloc((size_t)n, sizeof(double)), *r = calloc((size_t)n, sizeof(double));
    assert_non_null(t->cp);
    assert_non_null(r);
    for (int k = 0; k < n; k++) {
        e[k] = 1.0;
        lmb__sphere_residual(m, D, e, NULL, 0.0, r);
        for (int i = 0; i < n; i++) {
            if (i == k)
                t->di[i] = r[i];
            else if (i == k - 1)
                t->up[i] = r[i];
            else if (i == k + 1)
                t->lo[i] = r[i];
            else
                assert_true(r[i] == 0.0); /* the stencil is three points wide */
        }
        e[k] = 0.0;
    }
    lmb__sphere_residual(m, D, e, NULL, 1.0, t->b);
    free(e);
    free(r);
}

static void tri_free(tri *t) {
    free(t->lo);
    free(t->di);
    free(t->up);
    free(t->b);
    free(t->work);
    free(t->rhs);
    free(t->cp);
}

/* Solves (diag(s) + theta A) x = rhs by the Thomas algorithm (A is diagonally dominant with
 * positive diagonal, s > 0: no pivoting needed). rhs is overwritten; x may alias rhs. */
static void thomas(const tri *t, const double *s, double theta, double *rhs, double *x) {
    int n = t->n;
    double *cp = t->cp;
    double beta = s[0] + theta * t->di[0];
    cp[0] = n > 1 ? theta * t->up[0] / beta : 0.0;
    rhs[0] /= beta;
    for (int k = 1; k < n; k++) {
        beta = s[k] + theta * t->di[k] - theta * t->lo[k] * cp[k - 1];
        cp[k] = k < n - 1 ? theta * t->up[k] / beta : 0.0;
        rhs[k] = (rhs[k] - theta * t->lo[k] * rhs[k - 1]) / beta;
    }
    x[n - 1] = rhs[n - 1];
    for (int k = n - 2; k >= 0; k--)
        x[k] = rhs[k] - cp[k] * x[k + 1];
}

/* One theta-step of V dc/dt = -(A c + b j) over h: theta = 1 backward Euler, 1/2 Crank-Nicolson:
 *   (V/h + theta A) c' = (V/h - (1 - theta) A) c - b j. */
static void theta_step(const lmb__sphere_mesh *m, tri *t, double theta, double h, double j,
                       double *c) {
    int n = m->n;
    double *s = t->work;
    for (int k = 0; k < n; k++) {
        double Ac = t->di[k] * c[k];
        if (k > 0)
            Ac += t->lo[k] * c[k - 1];
        if (k < n - 1)
            Ac += t->up[k] * c[k + 1];
        s[k] = m->vol[k] / h;
        t->rhs[k] = s[k] * c[k] - (1.0 - theta) * Ac - t->b[k] * j;
    }
    thomas(t, s, theta, t->rhs, c);
}

/* Crank-Nicolson from 0 to t_end in `steps` steps; the first step is four backward-Euler
 * quarter steps (Rannacher start), which damps the stiff modes the switch-on of the flux
 * excites and that Crank-Nicolson alone would leave oscillating. */
static void integrate(const lmb__sphere_mesh *m, tri *t, double j, double t_end, int steps,
                      double *c) {
    double h = t_end / steps;
    for (int q = 0; q < 4; q++)
        theta_step(m, t, 1.0, 0.25 * h, j, c);
    for (int i = 1; i < steps; i++)
        theta_step(m, t, 0.5, h, j, c);
}

/* ---- (a) galvanostatic sphere against the series ------------------------------------------ */

static void test_series_roots(void **state) {
    (void)state;
    find_roots();
    /* tan l = l to rounding, and sum 1/l^2 = 1/10 up to the tail sum_{n>K} 1/(n pi)^2 */
    double s = 0.0;
    for (int n = 0; n < N_ROOTS; n++) {
        assert_true(fabs(tan(roots[n]) - roots[n]) < 1e-9 * roots[n] * roots[n]);
        s += 1.0 / (roots[n] * roots[n]);
    }
    double tail = 1.0 / (PI_ * PI_ * N_ROOTS);
    assert_true(fabs(s + tail - 0.1) < 0.01 * tail);
    /* u(rho, 0) = 0: the series reproduces the initial condition inside the sphere */
    assert_true(fabs(u_exact(0.5, 0.0)) < 1e-6);
    assert_true(fabs(u_exact(0.0, 0.0)) < 1e-3); /* the slowest partial sums: 2/(l sin l) */
}

#define N_TAU 3
static const double taus[N_TAU] = {0.01, 0.1, 0.5};

/* Errors of surface and centre concentration at the taus, scaled by j R / D. */
static void galvanostatic_errors(lmb__sphere_mesh *m, int steps_per_tau, double *err_s,
                                 double *err_c) {
    tri t;
    tri_probe(m, D_S, &t);
    double *c = calloc((size_t)m->n, sizeof(double));
    assert_non_null(c);
    for (int k = 0; k < m->n; k++)
        c[k] = C_MAX;
    double scale = J_OUT * R_P / D_S, tR = R_P * R_P / D_S, tau0 = 0.0;
    for (int i = 0; i < N_TAU; i++) {
        double dtau = taus[i] - tau0;
        int steps = (int)ceil(dtau * steps_per_tau);
        if (i == 0)
            integrate(m, &t, J_OUT, dtau * tR, steps, c);
        else
            for (int s = 0; s < steps; s++)
                theta_step(m, &t, 0.5, dtau * tR / steps, J_OUT, c);
        tau0 = taus[i];
        double cs = lmb__sphere_surface(m, D_S, c, J_OUT);
        double cs_ex = C_MAX - scale * u_exact(1.0, taus[i]);
        double cc_ex = C_MAX - scale * u_exact(0.0, taus[i]);
        err_s[i] = (cs - cs_ex) / scale;
        err_c[i] = (c[0] - cc_ex) / scale;
        /* the mean is exact whatever N: c0 - 3 tau j R / D (see the conservation test) */
        assert_true(fabs(lmb__sphere_mean(m, c) - (C_MAX - 3.0 * taus[i] * scale)) < 1e-12 * C_MAX);
        /* delithiation empties the surface first */
        assert_true(cs < c[m->n - 1] && c[m->n - 1] < c[0]);
    }
    free(c);
    tri_free(&t);
}

/* Error bounds, in units of j R / D, from the leading second-order term on the parabola the late
 * profile becomes (u = 3 tau + rho^2/2 + const):
 *   surface: the mean of rho^2/2 over the last shell exceeds its mid-radius value by about
 *     5 h^2/24, h = R/N for equal shells: 0.21/N^2 (observed: 0.25/N^2 at tau = 0.5);
 *   centre: the first shell's mean is compared with the point value c(0); on the parabola they
 *     differ by (3/10)(h_0/R)^2, h_0 = 1.8 R/N with the default span: 1.0/N^2 (observed:
 *     0.41/N^2 at tau = 0.1, the scheme's own error offsets part of it).
 * Bounds 0.4/N^2 and 1.0/N^2: a first-order error, or a wrong sign or factor in the surface
 * formula (an O(1/N) error), exceeds them. */
#define ERR_SURF   0.4
#define ERR_CENTRE 1.0

static void test_galvanostatic(void **state) {
    (void)state;
    find_roots();
    double es[3][N_TAU], ec[3][N_TAU];
    for (int g = 0; g < 3; g++) {
        int n = 10 << g;
        lmb__sphere_mesh m;
        assert_int_equal(lmb__sphere_mesh_build(NULL, n, R_P, &m), LMB_OK);
        galvanostatic_errors(&m, 20000, es[g], ec[g]);
        for (int i = 0; i < N_TAU; i++) {
            assert_true(fabs(es[g][i]) < ERR_SURF / (n * n));
            assert_true(fabs(ec[g][i]) < ERR_CENTRE / (n * n));
        }
        if (g == 2) {
            /* time-step error: halving the step changes the N = 40 result by < 1 % of its
             * spatial error, so the orders below are those of the finite volumes */
            double es2[N_TAU], ec2[N_TAU];
            galvanostatic_errors(&m, 40000, es2, ec2);
            for (int i = 0; i < N_TAU; i++) {
                print_message("tau %.2f, N = 40: time-step effect on the surface error %.2e\n",
                              taus[i], fabs(es2[i] - es[g][i]));
                assert_true(fabs(es2[i] - es[g][i]) < 0.01 * fabs(es[g][i]));
            }
        }
        lmb__sphere_mesh_free(&m);
    }
    for (int i = 0; i < N_TAU; i++) {
        double ps1 = log2(es[0][i] / es[1][i]), ps2 = log2(es[1][i] / es[2][i]);
        print_message("tau = %.2f surface error / (jR/D): N=10 %.3e, N=20 %.3e, N=40 %.3e; "
                      "orders %.2f %.2f\n",
                      taus[i], es[0][i], es[1][i], es[2][i], ps1, ps2);
        /* observed order 2 (1.8-2.2: the ratio of two second-order errors on meshes that are
         * not yet asymptotic differs from 4 by O(h)) */
        assert_true(ps1 > 1.8 && ps1 < 2.2 && ps2 > 1.8 && ps2 < 2.2);
        if (taus[i] < 0.05) {
            /* at tau = 0.01 the centre has not yet felt the flux (the analytic change there is
             * 3e-12 j R / D, the finite volumes leak 2e-7 of it there at N = 10): no order */
            print_message("tau = %.2f centre error / (jR/D): N=10 %.3e, N=20 %.3e, N=40 %.3e\n",
                          taus[i], ec[0][i], ec[1][i], ec[2][i]);
            continue;
        }
        double pc1 = log2(ec[0][i] / ec[1][i]), pc2 = log2(ec[1][i] / ec[2][i]);
        print_message("tau = %.2f centre error / (jR/D): N=10 %.3e, N=20 %.3e, N=40 %.3e; "
                      "orders %.2f %.2f\n",
                      taus[i], ec[0][i], ec[1][i], ec[2][i], pc1, pc2);
        assert_true(pc1 > 1.8 && pc1 < 2.2 && pc2 > 1.8 && pc2 < 2.2);
    }
}

/* ---- (b) exact conservation ---------------------------------------------------------------- */

/* Relative tolerance of the conservation checks: the balance holds in exact arithmetic; what is
 * left is the rounding of n-term sums and of the Thomas solve, O(n eps) = 1e-14 for n = 20.
 * 1e-12 leaves a margin of 100 and is still far below any discretisation error (1e-4). */
#define CONS_TOL 1e-12

static void test_conservation(void **state) {
    (void)state;
    lmb__sphere_mesh m;
    int n = 20;
    assert_int_equal(lmb__sphere_mesh_build(NULL, n, R_P, &m), LMB_OK);
    double *c = calloc((size_t)n, sizeof(double)), *cd = calloc((size_t)n, sizeof(double));
    double *r = calloc((size_t)n, sizeof(double)), *d = calloc((size_t)n, sizeof(double));
    assert_non_null(c);
    assert_non_null(cd);
    assert_non_null(r);
    assert_non_null(d);
    double flow = m.area * J_OUT; /* [mol/s per 4 pi] */

    /* the residual itself: sum_k r_k = sum_k V_k cdot_k + R^2 j for any c, cdot */
    for (int k = 0; k < n; k++) {
        double rho = m.r_mid[k] / R_P;
        c[k] = C_MAX * (0.6 + 0.3 * cos(PI_ * rho) + 0.05 * sin(7.0 * k));
        cd[k] = 1e-2 * C_MAX * cos(3.0 * k) / (R_P * R_P / D_S);
    }
    lmb__sphere_residual(&m, D_S, c, cd, J_OUT, r);
    double sr = 0.0, svc = 0.0;
    for (int k = 0; k < n; k++) {
        sr += r[k];
        svc += m.vol[k] * cd[k];
    }
    assert_true(fabs(sr - svc - flow) < CONS_TOL * (fabs(flow) + fabs(svc)));
    /* cdot = NULL is cdot = 0 */
    double *r0 = calloc((size_t)n, sizeof(double));
    assert_non_null(r0);
    lmb__sphere_residual(&m, D_S, c, NULL, J_OUT, r0);
    for (int k = 0; k < n; k++)
        assert_true(fabs(r[k] - r0[k] - m.vol[k] * cd[k]) <= CONS_TOL * (fabs(r[k]) + fabs(r0[k])));
    free(r0);

    /* backward-Euler steps solved from the module's residual (one Newton step is exact for a
     * linear residual): (V/dt + A) delta = -r(c, 0, j). Each step must move
     * sum_k V_k c_k by -R^2 j dt, and the residual at the new state must vanish. */
    tri t;
    tri_probe(&m, D_S, &t);
    double dt = 0.01 * R_P * R_P / D_S, total0 = 0.0, worst = 0.0;
    for (int k = 0; k < n; k++)
        total0 += m.vol[k] * c[k];
    double *s = calloc((size_t)n, sizeof(double));
    assert_non_null(s);
    for (int k = 0; k < n; k++)
        s[k] = m.vol[k] / dt;
    int steps = 100;
    for (int step = 0; step < steps; step++) {
        lmb__sphere_residual(&m, D_S, c, NULL, J_OUT, r);
        for (int k = 0; k < n; k++)
            r[k] = -r[k];
        thomas(&t, s, 1.0, r, d);
        double change = 0.0;
        for (int k = 0; k < n; k++) {
            change += m.vol[k] * d[k];
            c[k] += d[k];
            cd[k] = d[k] / dt;
        }
        double rel = fabs(change + flow * dt) / fabs(flow * dt);
        worst = rel > worst ? rel : worst;
        assert_true(rel < CONS_TOL);
        lmb__sphere_residual(&m, D_S, c, cd, J_OUT, r);
        for (int k = 0; k < n; k++)
            assert_true(fabs(r[k]) < CONS_TOL * fabs(flow));
    }
    double total = 0.0;
    for (int k = 0; k < n; k++)
        total += m.vol[k] * c[k];
    double rel_total = fabs(total - total0 + flow * dt * steps) / fabs(flow * dt * steps);
    print_message("conservation: worst step %.2e, after %d steps %.2e (relative to R^2 j dt)\n",
                  worst, steps, rel_total);
    assert_true(rel_total < CONS_TOL);
    /* the mean follows d<c>/dt = -3 j / R */
    double mean = lmb__sphere_mean(&m, c);
    assert_true(fabs(mean - total0 / m.vol_sum + 3.0 * J_OUT / R_P * dt * steps) <
                CONS_TOL * C_MAX);

    tri_free(&t);
    free(s);
    free(c);
    free(cd);
    free(r);
    free(d);
    lmb__sphere_mesh_free(&m);
}

/* ---- (c) relaxation at zero flux ------------------------------------------------------------ */

static void test_relaxation(void **state) {
    (void)state;
    lmb__sphere_mesh m;
    int n = 20;
    assert_int_equal(lmb__sphere_mesh_build(NULL, n, R_P, &m), LMB_OK);
    double *c = calloc((size_t)n, sizeof(double)), *r = calloc((size_t)n, sizeof(double));
    assert_non_null(c);
    assert_non_null(r);
    tri t;
    tri_probe(&m, D_S, &t);
    double tR = R_P * R_P / D_S;

    /* a uniform particle at zero flux has a zero residual and stays uniform: no flow is
     * computed from equal neighbours, so this holds exactly */
    double c0 = 0.37 * C_MAX;
    for (int k = 0; k < n; k++)
        c[k] = c0;
    lmb__sphere_residual(&m, D_S, c, NULL, 0.0, r);
    for (int k = 0; k < n; k++)
        assert_true(r[k] == 0.0);
    assert_true(lmb__sphere_surface(&m, D_S, c, 0.0) == c0);
    /* the test's solver then reproduces c0 up to the rounding of its Thomas sweeps */
    for (int step = 0; step < 100; step++)
        theta_step(&m, &t, 1.0, 0.01 * tR, 0.0, c);
    for (int k = 0; k < n; k++)
        assert_true(fabs(c[k] - c0) < 1e-13 * c0);
    assert_true(fabs(lmb__sphere_mean(&m, c) - c0) < 1e-14 * c0);

    /* a lithiated core in a delithiated shell relaxes to its mean: the mean is kept at every
     * step (CONS_TOL), the deviation decays at the rate of the slowest mode, l_1^2 D / R^2
     * (l_1 = 4.4934, tan l = l), and is gone after tau = 2 */
    for (int k = 0; k < n; k++)
        c[k] = m.r_mid[k] < 0.5 * R_P ? C_MAX : 0.2 * C_MAX;
    double mean0 = lmb__sphere_mean(&m, c), dev_a = 0.0, dev_b = 0.0, dtau = 1e-3;
    for (int step = 1; step <= 2000; step++) {
        theta_step(&m, &t, 1.0, dtau * tR, 0.0, c);
        assert_true(fabs(lmb__sphere_mean(&m, c) - mean0) < CONS_TOL * mean0);
        double dev = 0.0;
        for (int k = 0; k < n; k++)
            dev = fmax(dev, fabs(c[k] - mean0));
        if (step == 300)
            dev_a = dev;
        if (step == 600)
            dev_b = dev;
    }
    find_roots();
    double rate = log(dev_a / dev_b) / 0.3, l1 = roots[0];
    print_message("relaxation: decay rate %.4f R^2/D vs l_1^2 = %.4f (%.2f %%)\n", rate, l1 * l1,
                  100.0 * (rate / (l1 * l1) - 1.0));
    /* 3 %: backward Euler with dtau = 1e-3 slows the mode by l_1^2 dtau / 2 = 1.0 %, the
     * N = 20 mesh moves the eigenvalue by O(h^2) ~ 0.5 % */
    assert_true(fabs(rate / (l1 * l1) - 1.0) < 0.03);
    double dev = 0.0;
    for (int k = 0; k < n; k++)
        dev = fmax(dev, fabs(c[k] - mean0));
    /* after tau = 2 the slowest mode is down by e^-40; what is left is rounding */
    assert_true(dev < 1e-12 * mean0);

    tri_free(&t);
    free(c);
    free(r);
    lmb__sphere_mesh_free(&m);
}

/* ---- the mesh and its error paths ---------------------------------------------------------- */

static void test_mesh(void **state) {
    (void)state;
    lmb__sphere_mesh m;
    /* the grading: centre shell LMB__SPHERE_SPAN times the surface shell, faces increasing,
     * volumes adding up to R^3/3 */
    assert_int_equal(lmb__sphere_mesh_build(NULL, 12, R_P, &m), LMB_OK);
    assert_int_equal(m.n, 12);
    assert_true(m.r_face[0] == 0.0 && m.r_face[12] == R_P);
    for (int k = 0; k < 12; k++) {
        assert_true(m.r_face[k + 1] > m.r_face[k]);
        assert_true(m.r_mid[k] > m.r_face[k] && m.r_mid[k] < m.r_face[k + 1]);
    }
    double h0 = m.r_face[1], hs = R_P - m.r_face[11];
    assert_true(fabs(h0 / hs - LMB__SPHERE_SPAN) < 1e-12 * LMB__SPHERE_SPAN);
    assert_true(fabs(m.vol_sum - R_P * R_P * R_P / 3.0) < 1e-14 * R_P * R_P * R_P);
    assert_true(fabs(m.dr_surf - 0.5 * hs) < 1e-14 * R_P);
    assert_true(m.area == R_P * R_P);
    lmb__sphere_mesh_free(&m);
    lmb__sphere_mesh_free(&m); /* freeing twice is a no-op */
    lmb__sphere_mesh_free(NULL);
    /* span 1: equal shells */
    assert_int_equal(lmb__sphere_mesh_build_graded(NULL, 5, 2.0, 1.0, &m), LMB_OK);
    for (int k = 0; k < 5; k++)
        assert_true(fabs(m.r_face[k + 1] - m.r_face[k] - 0.4) < 1e-15);
    lmb__sphere_mesh_free(&m);

    /* one shell: the residual is V cdot + R^2 j, the surface value extrapolates over R/2 */
    assert_int_equal(lmb__sphere_mesh_build(NULL, 1, R_P, &m), LMB_OK);
    double c = 1000.0, cd = -2.0, r = 0.0;
    lmb__sphere_residual(&m, D_S, &c, &cd, J_OUT, &r);
    assert_true(fabs(r - (R_P * R_P * R_P / 3.0 * cd + R_P * R_P * J_OUT)) <
                1e-14 * R_P * R_P * fabs(J_OUT));
    assert_true(fabs(lmb__sphere_surface(&m, D_S, &c, J_OUT) - (c - J_OUT * 0.5 * R_P / D_S)) <
                1e-12 * c);
    assert_true(fabs(lmb__sphere_mean(&m, &c) - c) < 1e-15 * c);
    lmb__sphere_mesh_free(&m);

    /* error paths: the status, a sentence in the context, a zeroed mesh */
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    assert_int_equal(lmb__sphere_mesh_build(ctx, 0, R_P, &m), LMB_EINVAL);
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "0 shells"));
    assert_null(m.r_face);
    assert_int_equal(m.n, 0);
    static const double bad_R[] = {0.0, -1e-9, NAN, INFINITY};
    for (size_t i = 0; i < sizeof bad_R / sizeof bad_R[0]; i++) {
        assert_int_equal(lmb__sphere_mesh_build(ctx, 10, bad_R[i], &m), LMB_ERANGE);
        assert_non_null(strstr(lmb_ctx_errmsg(ctx), "particle radius"));
        assert_null(m.r_face);
    }
    static const double bad_span[] = {0.5, 2e3, NAN};
    for (size_t i = 0; i < sizeof bad_span / sizeof bad_span[0]; i++) {
        assert_int_equal(lmb__sphere_mesh_build_graded(ctx, 10, R_P, bad_span[i], &m), LMB_ERANGE);
        assert_non_null(strstr(lmb_ctx_errmsg(ctx), "span"));
        assert_null(m.r_face);
    }
    /* ctx may be NULL */
    assert_int_equal(lmb__sphere_mesh_build(NULL, -3, R_P, &m), LMB_EINVAL);
    lmb_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mesh),          cmocka_unit_test(test_series_roots),
        cmocka_unit_test(test_galvanostatic), cmocka_unit_test(test_conservation),
        cmocka_unit_test(test_relaxation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
