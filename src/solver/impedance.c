/*
 * impedance.c - impedance spectra of the model itself, from its linearisation (PHYSICS.md s7).
 *
 * Around the present state (y, y') the DAE F(t, y, y', u) = 0 is linearised in the applied
 * current density u (galvanostatic control with the present current as set-point):
 *     J dy + M dy' + F_u du = 0,   J = dF/dy, M = dF/dy', F_u = dF/du = -e_I
 * and for a small sinusoid dy(t) = Re(Y e^{j w t}) this becomes the complex linear system
 *     (J + j w M) Y = e_I du,    Z(w) = Y_V / (du A)   [ohm]
 * with A the geometric area. J and M are built by central differences of the model's own
 * residual over the band of the Jacobian (the model is banded, src/solver/bandwidth.c), so the
 * spectrum is consistent with the time-domain model by construction; each frequency is one
 * sparse complex LU (SuiteSparse KLU, klu_z_*). The state is not changed.
 *
 * Sign convention: Z = Z' + j Z'' with Z'' < 0 for capacitive behaviour (physics sign; Nyquist
 * plots show -Z'').
 */
#include "lmb/sim.h"

#include "core/ctx_internal.h"
#include "solver/solver_internal.h"

#include <suitesparse/klu.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TWO_PI 6.283185307179586

/* The band of J and M as a CSC pattern with values (J and M share the pattern). */
typedef struct band_csc {
    int n, nnz;
    int *Ap, *Ai;
    double *Jx, *Mx;
} band_csc;

static void band_free(band_csc *b) {
    free(b->Ap);
    free(b->Ai);
    free(b->Jx);
    free(b->Mx);
}

/* Central differences of the residual, column by column, kept inside the band. */
static int build_jacobians(const lmb__model *m, const double *y0, const double *yp0, int mu, int ml,
                           band_csc *b) {
    const int n = m->n;
    b->n = n;
    b->Ap = malloc(((size_t)n + 1) * sizeof(int));
    size_t cap = (size_t)n * (size_t)(mu + ml + 1);
    b->Ai = malloc(cap * sizeof(int));
    b->Jx = calloc(cap, sizeof(double));
    b->Mx = calloc(cap, sizeof(double));
    double *work = malloc(4 * (size_t)n * sizeof(double));
    if (!b->Ap || !b->Ai || !b->Jx || !b->Mx || !work) {
        free(work);
        return -1;
    }
    double *y = work, *yp = work + n, *rp = work + 2 * n, *rm = work + 3 * n;
    memcpy(y, y0, (size_t)n * sizeof(double));
    memcpy(yp, yp0, (size_t)n * sizeof(double));
    int nnz = 0, rc = 0;
    for (int j = 0; j < n && rc == 0; j++) {
        b->Ap[j] = nnz;
        int lo = j - mu < 0 ? 0 : j - mu, hi = j + ml >= n ? n - 1 : j + ml;
        for (int i = lo; i <= hi; i++)
            b->Ai[nnz + i - lo] = i;
        /* step: a small fraction of the value or of the state's tolerance scale */
        double d = 1e-6 * fmax(fabs(y0[j]), 1e2 * m->atol[j]);
        /* y' of an algebraic state does not enter the residual: its M column is zero */
        int n_which = m->is_diff[j] != 0.0 ? 2 : 1;
        for (int which = 0; which < n_which && rc == 0; which++) {
            double *v = which ? yp : y;
            double vj = v[j];
            double dj = which ? 1e-6 * fmax(fabs(yp0[j]), 1e2 * m->atol[j]) : d;
            v[j] = vj + dj;
            rc = m->residual(m, 0.0, y, yp, rp);
            v[j] = vj - dj;
            if (rc == 0)
                rc = m->residual(m, 0.0, y, yp, rm);
            v[j] = vj;
            double *x = which ? b->Mx : b->Jx;
            for (int i = lo; i <= hi && rc == 0; i++)
                x[nnz + i - lo] = (rp[i] - rm[i]) / (2.0 * dj);
        }
        nnz += hi - lo + 1;
    }
    b->Ap[n] = nnz;
    b->nnz = nnz;
    free(work);
    return rc == 0 ? 0 : -1;
}

lmb_status lmb_sim_impedance(lmb_ctx *ctx, const lmb_sim *sim, const double *f_Hz, size_t n_f,
                             double *Z_re, double *Z_im) {
    if (!sim || (!f_Hz && n_f) || (n_f && (!Z_re || !Z_im)))
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_sim_impedance: missing argument");
    for (size_t k = 0; k < n_f; k++)
        if (!(f_Hz[k] > 0.0) || !isfinite(f_Hz[k]))
            LMB__FAIL(ctx, LMB_EINVAL, "impedance: frequency %zu is %g Hz, must be > 0", k,
                      f_Hz[k]);
    lmb__model *m = (lmb__model *)lmb__sim_model(sim);
    const double *y = lmb__sim_y(sim), *yp = lmb__sim_yp(sim);
    int mu = 0, ml = 0;
    lmb__sim_bandwidth(sim, &mu, &ml);

    /* linearise under galvanostatic control at the present current */
    lmb_control saved_c = m->control;
    double saved_sp = m->setpoint;
    m->control = LMB_CONTROL_CURRENT;
    m->setpoint = y[m->iI];
    band_csc b;
    memset(&b, 0, sizeof b);
    int rc = build_jacobians(m, y, yp, mu, ml, &b);
    m->control = saved_c;
    m->setpoint = saved_sp;
    if (rc != 0) {
        band_free(&b);
        LMB__FAIL(ctx, LMB_ESOLVER,
                  "impedance: the residual could not be evaluated around the "
                  "state at t = %.6g s",
                  lmb_sim_time(sim));
    }

    const int n = b.n;
    klu_common common;
    klu_defaults(&common);
    klu_symbolic *sym = klu_analyze(n, b.Ap, b.Ai, &common);
    double *Ax = malloc(2 * (size_t)b.nnz * sizeof(double));
    double *rhs = malloc(2 * (size_t)n * sizeof(double));
    lmb_status st = LMB_OK;
    if (!sym || !Ax || !rhs)
        st = lmb__ctx_fail(ctx, sym ? LMB_ENOMEM : LMB_ESOLVER,
                           "impedance: KLU analysis failed (status %d)", common.status);
    for (size_t k = 0; k < n_f && st == LMB_OK; k++) {
        double w = TWO_PI * f_Hz[k];
        for (int p = 0; p < b.nnz; p++) {
            Ax[2 * p] = b.Jx[p];
            Ax[2 * p + 1] = w * b.Mx[p];
        }
        klu_numeric *num = klu_z_factor(b.Ap, b.Ai, Ax, sym, &common);
        if (!num) {
            st = lmb__ctx_fail(ctx, LMB_ESOLVER,
                               "impedance: the linearised cell is singular at %g Hz (KLU status "
                               "%d)",
                               f_Hz[k], common.status);
            break;
        }
        memset(rhs, 0, 2 * (size_t)n * sizeof(double));
        rhs[2 * m->iI] = 1.0; /* du = 1 A/m2: the control row is I - u = 0 */
        if (!klu_z_solve(sym, num, n, 1, rhs, &common))
            st = lmb__ctx_fail(ctx, LMB_ESOLVER, "impedance: KLU solve failed at %g Hz", f_Hz[k]);
        klu_z_free_numeric(&num, &common);
        Z_re[k] = rhs[2 * m->iV] / m->area_m2;
        Z_im[k] = rhs[2 * m->iV + 1] / m->area_m2;
    }
    klu_free_symbolic(&sym, &common);
    free(Ax);
    free(rhs);
    band_free(&b);
    return st;
}
