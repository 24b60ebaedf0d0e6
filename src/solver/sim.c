/*
 * sim.c - the IDA bridge and the step driver (lmb/sim.h).
 *
 * The model's DAE is integrated by SUNDIALS IDA (variable-order, variable-step BDF) with a
 * banded direct linear solver; the Jacobian is IDA's banded difference quotient, which costs
 * mu + ml + 1 residual evaluations and is exact enough because every residual is smooth.
 * Opt-in (lmb_sim_options.sparse): KLU's sparse LU on the Jacobian's measured sparsity pattern,
 * filled by column-coloured difference quotients with IDA's increments (sparsity.c): one
 * residual evaluation per colour instead of per band column, the same matrix entries.
 *
 * A cycler step is: switch the control equation, re-initialise IDA at the present time,
 * compute consistent initial conditions (IDACalcIC recomputes the algebraic states -- the
 * voltage, the currents, the electrolyte potential -- and the derivatives of the differential
 * ones, which stay continuous), then integrate one internal step at a time. Steps end exactly:
 * time limits through IDA's stop time, every other limit (voltage, capacity, current) through
 * IDA's root finding on g(t, y) = limit - value, which locates the crossing to a relative
 * 1e-13 or so of t.
 *
 * Recording: each internal solver step is a candidate point; with record_dt_s > 0 points closer
 * than that are skipped. The first point of each step (after the control switch) and its last
 * point are always recorded, so a current step shows as two rows at the same time.
 */
#include "lmb/sim.h"

#include "core/ctx_internal.h"
#include "model/cell_internal.h"
#include "model/lili.h"
#include "solver/solver_internal.h"

#include <ida/ida.h>
#include <sundials/sundials_config.h>
#if SUNDIALS_VERSION_MAJOR != 6
#error "lmb's IDA bridge is written for SUNDIALS 6 (Debian 12: 6.4); SUNDIALS 7 changed \
SUNContext_Create and removed IDASetErrHandlerFn"
#endif
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_band.h>
#include <sunlinsol/sunlinsol_klu.h>
#include <sunmatrix/sunmatrix_band.h>
#include <sunmatrix/sunmatrix_sparse.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LMB_STALL_STEPS 100

enum { ROOT_VMAX, ROOT_VMIN, ROOT_IMIN, ROOT_CAPACITY, ROOT_SHORT, N_ROOTS };

struct lmb_sim {
    lmb__model *model;
    lmb_sim_options opt;
    double q_nom_C; /* [C] nominal capacity of the cell (0 = none) */
    SUNContext sun;
    void *ida;
    N_Vector y, yp, id, atol, rtmp;
    SUNMatrix A;
    SUNLinearSolver LS;
    int mu, ml;
    /* the sparse path: pattern and colouring, IDA's error weights, scratch of 4 n doubles */
    lmb__sparsity *sp;
    N_Vector ewt;
    double *jac_work;
    long jac_res_evals; /* residual evaluations of the coloured Jacobian (IDA does not see them) */
    double t;
    int step_count, cycle_count;
    /* the step being run: limits evaluated by the root function */
    lmb_step step;
    double q_start; /* [C/m2] */
    /* cumulative statistics (IDAReInit resets IDA's own counters) */
    lmb_sim_stats stats;
    char ida_msg[512];
    /* the record */
    size_t n, cap;
    double *rec_t, *rec_V, *rec_I;
    int *rec_step, *rec_cycle;
};

const char *lmb_end_reason_name(lmb_end_reason r) {
    switch (r) {
    case LMB_END_NONE:
        return "none";
    case LMB_END_DURATION:
        return "duration";
    case LMB_END_CAPACITY:
        return "capacity";
    case LMB_END_VMAX:
        return "upper voltage";
    case LMB_END_VMIN:
        return "lower voltage";
    case LMB_END_IMIN:
        return "current";
    case LMB_END_TOTAL_TIME:
        return "total time";
    case LMB_END_SHORT:
        return "short circuit";
    }
    return "?";
}

lmb_step lmb_step_init(void) {
    lmb_step s;
    memset(&s, 0, sizeof s);
    s.control = LMB_CONTROL_REST;
    return s;
}

/* ---- IDA callbacks ---- */

/* A residual that overflows (an exponential of a huge overpotential) is reported to IDA as a
 * recoverable failure, so that it retries with a smaller step: IDA's Newton iteration cannot
 * recognise NaN and would otherwise loop without end. */
static int ida_residual(sunrealtype t, N_Vector y, N_Vector yp, N_Vector r, void *user) {
    lmb_sim *sim = user;
    double *rr = N_VGetArrayPointer(r);
    int rc = sim->model->residual(sim->model, t, N_VGetArrayPointer(y), N_VGetArrayPointer(yp), rr);
    if (rc != 0)
        return rc;
    for (int i = 0; i < sim->model->n; i++)
        if (!isfinite(rr[i]))
            return 1;
    return 0;
}

/* The Jacobian of the sparse path (IDALsJacFn): the pattern is copied into J on every call
 * because IDA zeroes the whole matrix, index arrays included, before calling it. */
static int ida_sparse_jac(sunrealtype t, sunrealtype cj, N_Vector y, N_Vector yp, N_Vector r,
                          SUNMatrix J, void *user, N_Vector tmp1, N_Vector tmp2, N_Vector tmp3) {
    (void)tmp1;
    (void)tmp2;
    (void)tmp3;
    lmb_sim *sim = user;
    const lmb__sparsity *sp = sim->sp;
    sunindextype *colptr = SUNSparseMatrix_IndexPointers(J);
    sunindextype *rowind = SUNSparseMatrix_IndexValues(J);
    for (int j = 0; j <= sp->n; j++)
        colptr[j] = sp->colptr[j];
    for (int k = 0; k < sp->nnz; k++)
        rowind[k] = sp->rowind[k];
    sunrealtype h = 0.0;
    if (IDAGetCurrentStep(sim->ida, &h) != IDA_SUCCESS ||
        IDAGetErrWeights(sim->ida, sim->ewt) != IDA_SUCCESS)
        return -1;
    sim->jac_res_evals += sp->n_colors;
    return lmb__sparse_dq_jacobian(sp, sim->model, t, cj, h, N_VGetArrayPointer(y),
                                   N_VGetArrayPointer(yp), N_VGetArrayPointer(r),
                                   N_VGetArrayPointer(sim->ewt), sim->jac_work,
                                   SUNSparseMatrix_Data(J));
}

static int ida_roots(sunrealtype t, N_Vector yv, N_Vector ypv, sunrealtype *g, void *user) {
    (void)t;
    (void)ypv;
    lmb_sim *sim = user;
    const lmb__model *m = sim->model;
    const lmb_step *s = &sim->step;
    const double *y = N_VGetArrayPointer(yv);
    double V = y[m->iV], I = y[m->iI];
    g[ROOT_VMAX] = s->use_v_max ? s->v_max - V : 1.0;
    g[ROOT_VMIN] = s->use_v_min ? V - s->v_min : 1.0;
    g[ROOT_IMIN] = s->i_min_A > 0.0 ? fabs(I) * m->area_m2 - s->i_min_A : 1.0;
    g[ROOT_CAPACITY] =
        s->capacity_C > 0.0 ? s->capacity_C - fabs(y[m->iQ] - sim->q_start) * m->area_m2 : 1.0;
    g[ROOT_SHORT] = s->until_short && m->short_margin ? m->short_margin(m, y) : 1.0;
    return 0;
}

static void ida_errors(int code, const char *module, const char *function, char *msg, void *user) {
    lmb_sim *sim = user;
    snprintf(sim->ida_msg, sizeof sim->ida_msg, "%s (%s, code %d): %s", function, module, code,
             msg);
}

/* ---- record ---- */

static int record(lmb_sim *sim) {
    if (sim->n == sim->cap) {
        size_t cap = sim->cap ? 2 * sim->cap : 1024;
        double *t = realloc(sim->rec_t, cap * sizeof(double));
        if (t)
            sim->rec_t = t;
        double *V = realloc(sim->rec_V, cap * sizeof(double));
        if (V)
            sim->rec_V = V;
        double *I = realloc(sim->rec_I, cap * sizeof(double));
        if (I)
            sim->rec_I = I;
        int *st = realloc(sim->rec_step, cap * sizeof(int));
        if (st)
            sim->rec_step = st;
        int *cy = realloc(sim->rec_cycle, cap * sizeof(int));
        if (cy)
            sim->rec_cycle = cy;
        if (!t || !V || !I || !st || !cy)
            return -1;
        sim->cap = cap;
    }
    const double *y = N_VGetArrayPointer(sim->y);
    sim->rec_t[sim->n] = sim->t;
    sim->rec_V[sim->n] = y[sim->model->iV];
    sim->rec_I[sim->n] = y[sim->model->iI] * sim->model->area_m2;
    sim->rec_step[sim->n] = sim->step_count;
    sim->rec_cycle[sim->n] = sim->cycle_count;
    sim->n++;
    return 0;
}

/* ---- life cycle ---- */

static lmb_status ida_fail(lmb_ctx *ctx, lmb_sim *sim, int flag, const char *what) {
    char *name = IDAGetReturnFlagName(flag);
    const double *y = N_VGetArrayPointer(sim->y);
    /* which state the error test could not satisfy: the largest weighted local error */
    char culprit[96] = "";
    if (flag == IDA_ERR_FAIL && sim->ida) {
        N_Vector e = N_VClone(sim->y), w = N_VClone(sim->y);
        if (e && w && IDAGetEstLocalErrors(sim->ida, e) == IDA_SUCCESS &&
            IDAGetErrWeights(sim->ida, w) == IDA_SUCCESS) {
            const double *ev = N_VGetArrayPointer(e), *wv = N_VGetArrayPointer(w);
            int imax = 0;
            /* the error test covers the differential states only (IDASetSuppressAlg) */
            for (int i = 1; i < sim->model->n; i++)
                if (sim->model->is_diff[i] > 0.0 &&
                    (!(sim->model->is_diff[imax] > 0.0) ||
                     fabs(ev[i] * wv[i]) > fabs(ev[imax] * wv[imax])))
                    imax = i;
            snprintf(culprit, sizeof culprit, "; largest local error in state %d (value %.6g)",
                     imax, y[imax]);
        }
        if (e)
            N_VDestroy(e);
        if (w)
            N_VDestroy(w);
    }
    /* the model's reading of the state (an electrode run full or empty) */
    char hint[512] = "";
    if (sim->model->explain)
        sim->model->explain(sim->model, y, hint, sizeof hint);
    lmb_status st = lmb__ctx_fail(
        ctx, LMB_ESOLVER,
        "IDA %s failed at t = %.6g s (step %d, cycle %d, V = %.6g V, I = %.6g A): %s%s%s%s%s%s",
        what, sim->t, sim->step_count, sim->cycle_count, y[sim->model->iV],
        y[sim->model->iI] * sim->model->area_m2, name ? name : "?", sim->ida_msg[0] ? ": " : "",
        sim->ida_msg, culprit, hint[0] ? "; " : "", hint);
    free(name);
    return st;
}

lmb_status lmb_sim_create(lmb_ctx *ctx, const lmb_cell *cell, const lmb_sim_options *opt,
                          lmb_sim **out) {
    *out = NULL;
    if (!cell)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_sim_create: no cell");
    lmb_sim *sim = calloc(1, sizeof *sim);
    if (!sim)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory creating a simulation");
    if (opt)
        sim->opt = *opt;
    const lmb_params *p = lmb__cell_params(cell);
    lmb_status st = LMB_OK;
    switch (p->type) {
    case LMB_CELL_LI_LI:
    case LMB_CELL_LI_CU:  /* the same model: its positive electrode is Cu (lmb_li_params.is_cu) */
    case LMB_CELL_LI_LFP: /* ... or the porous LFP electrode (lfp.c) */
    case LMB_CELL_LI_POROUS: /* ... or a porous electrode of any material (lfp.c) */
        st = lmb__lili_create(ctx, p, &sim->model);
        break;
    default:
        st = lmb__ctx_fail(ctx, LMB_EUNSUPPORTED, "cell type %d cannot be simulated yet",
                           (int)p->type);
    }
    if (st != LMB_OK) {
        free(sim);
        return st;
    }
    lmb__model *m = sim->model;
    const int n = m->n;
    sim->q_nom_C = p->nominal_capacity_C_m2 * p->area_m2;
    sim->step_count = 0;
    sim->cycle_count = 1;
    if (lmb__model_bandwidth(m, &sim->mu, &sim->ml) != 0) {
        lmb_sim_free(sim);
        LMB__FAIL(ctx, LMB_ESOLVER,
                  "the model's residual cannot be evaluated near its initial "
                  "state (not finite): check the cell's parameters and mesh");
    }
    if (SUNContext_Create(NULL, &sim->sun) != 0) {
        lmb_sim_free(sim);
        LMB__FAIL(ctx, LMB_ENOMEM, "SUNContext_Create failed");
    }
    sim->y = N_VNew_Serial(n, sim->sun);
    sim->yp = N_VNew_Serial(n, sim->sun);
    sim->id = N_VNew_Serial(n, sim->sun);
    sim->atol = N_VNew_Serial(n, sim->sun);
    sim->rtmp = N_VNew_Serial(n, sim->sun);
    if (sim->opt.sparse) {
        if (lmb__model_sparsity(m, &sim->sp) != 0) {
            lmb_sim_free(sim);
            LMB__FAIL(ctx, LMB_ESOLVER,
                      "the sparsity pattern of the model's Jacobian could not be found (a "
                      "residual is not finite near the initial state, or out of memory)");
        }
        sim->A = SUNSparseMatrix(n, n, sim->sp->nnz, CSC_MAT, sim->sun);
        sim->ewt = N_VNew_Serial(n, sim->sun);
        sim->jac_work = malloc(4 * (size_t)n * sizeof(double));
    } else {
        sim->A = SUNBandMatrix(n, sim->mu, sim->ml, sim->sun);
    }
    sim->ida = IDACreate(sim->sun);
    if (!sim->y || !sim->yp || !sim->id || !sim->atol || !sim->rtmp || !sim->A || !sim->ida ||
        (sim->opt.sparse && (!sim->ewt || !sim->jac_work))) {
        lmb_sim_free(sim);
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for the solver (%d states)", n);
    }
    sim->LS = sim->opt.sparse ? SUNLinSol_KLU(sim->y, sim->A, sim->sun)
                              : SUNLinSol_Band(sim->y, sim->A, sim->sun);
    if (!sim->LS) {
        lmb_sim_free(sim);
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for the %s linear solver (%d states)",
                  sim->opt.sparse ? "sparse (KLU)" : "band", n);
    }
    memcpy(N_VGetArrayPointer(sim->y), m->y0, (size_t)n * sizeof(double));
    N_VConst(0.0, sim->yp);
    memcpy(N_VGetArrayPointer(sim->id), m->is_diff, (size_t)n * sizeof(double));
    memcpy(N_VGetArrayPointer(sim->atol), m->atol, (size_t)n * sizeof(double));
    int flag = IDASetErrHandlerFn(sim->ida, ida_errors, sim);
    if (!flag)
        flag = IDAInit(sim->ida, ida_residual, 0.0, sim->y, sim->yp);
    if (!flag)
        flag = IDASetUserData(sim->ida, sim);
    if (!flag)
        flag = IDASVtolerances(sim->ida, m->rtol, sim->atol);
    if (!flag)
        flag = IDASetId(sim->ida, sim->id);
    /* the error test on the differential states only: the algebraic ones (potentials, currents)
     * follow from them through the algebraic equations to the Newton tolerance, and their
     * steep but physically irrelevant transients after a current step otherwise set the step
     * size (the calibrated cells: 30 % fewer steps, metrics unchanged to 4 digits) */
    if (!flag)
        flag = IDASetSuppressAlg(sim->ida, SUNTRUE);

    if (!flag)
        flag = IDASetLinearSolver(sim->ida, sim->LS, sim->A);
    if (!flag && sim->opt.sparse)
        flag = IDASetJacFn(sim->ida, ida_sparse_jac);
    if (!flag)
        flag = IDASetMaxNumSteps(sim->ida, 100000);
    if (!flag && m->max_step_s > 0.0)
        flag = IDASetMaxStep(sim->ida, m->max_step_s);
    if (!flag)
        flag = IDARootInit(sim->ida, N_ROOTS, ida_roots);
    if (flag) {
        st = ida_fail(ctx, sim, flag, "set-up");
        lmb_sim_free(sim);
        return st;
    }
    sim->stats.n_states = n;
    sim->stats.bandwidth = sim->mu > sim->ml ? sim->mu : sim->ml;
    sim->stats.colors = sim->sp ? sim->sp->n_colors : 0;
    /* nothing is recorded before the first step: every row belongs to a step (Step Count >= 1) */
    *out = sim;
    return LMB_OK;
}

void lmb_sim_free(lmb_sim *sim) {
    if (!sim)
        return;
    if (sim->ida)
        IDAFree(&sim->ida);
    if (sim->LS)
        SUNLinSolFree(sim->LS);
    if (sim->A)
        SUNMatDestroy(sim->A);
    N_VDestroy(sim->y);
    N_VDestroy(sim->yp);
    N_VDestroy(sim->id);
    N_VDestroy(sim->atol);
    if (sim->rtmp)
        N_VDestroy(sim->rtmp);
    if (sim->ewt)
        N_VDestroy(sim->ewt);
    free(sim->jac_work);
    lmb__sparsity_free(sim->sp);
    if (sim->sun)
        SUNContext_Free(&sim->sun);
    lmb__model_free(sim->model);
    free(sim->rec_t);
    free(sim->rec_V);
    free(sim->rec_I);
    free(sim->rec_step);
    free(sim->rec_cycle);
    free(sim);
}

/* Sets y' of the explicit ODE rows (residual y'_i - f(y)) from the residual at the consistent
 * state; returns how many changed. */
static int ode_rates(lmb_sim *sim) {
    lmb__model *m = sim->model;
    double *y = N_VGetArrayPointer(sim->y), *yp = N_VGetArrayPointer(sim->yp);
    double *r = N_VGetArrayPointer(sim->rtmp);
    if (m->residual(m, sim->t, y, yp, r) != 0)
        return 0;
    int changed = 0;
    for (int i = 0; i < m->n; i++)
        if (m->is_ode[i] && r[i] != 0.0) {
            yp[i] -= r[i];
            changed++;
        }
    return changed;
}

/* Adds IDA's counters of the step just run to the totals (IDAReInit resets them). */
static void accumulate_stats(lmb_sim *sim) {
    long v = 0;
    if (IDAGetNumSteps(sim->ida, &v) == 0)
        sim->stats.steps += v;
    long res = 0, lres = 0;
    IDAGetNumResEvals(sim->ida, &res);
    IDAGetNumLinResEvals(sim->ida, &lres);
    sim->stats.res_evals += res + lres + sim->jac_res_evals;
    sim->jac_res_evals = 0;
    if (IDAGetNumJacEvals(sim->ida, &v) == 0)
        sim->stats.jac_evals += v;
    if (IDAGetNumNonlinSolvIters(sim->ida, &v) == 0)
        sim->stats.nonlin_iters += v;
    if (IDAGetNumErrTestFails(sim->ida, &v) == 0)
        sim->stats.err_test_fails += v;
    if (IDAGetNumNonlinSolvConvFails(sim->ida, &v) == 0)
        sim->stats.conv_fails += v;
}

static lmb_status validate_step(lmb_ctx *ctx, const lmb_step *s) {
    if (!(s->duration_s >= 0.0) || !(s->capacity_C >= 0.0) || !(s->i_min_A >= 0.0) ||
        !(s->total_time_s >= 0.0))
        LMB__FAIL(ctx, LMB_EINVAL,
                  "step limits must be >= 0 (duration %g s, capacity %g C, "
                  "current %g A, total time %g s)",
                  s->duration_s, s->capacity_C, s->i_min_A, s->total_time_s);
    if (!isfinite(s->value))
        LMB__FAIL(ctx, LMB_EINVAL, "step set-point is not a finite number");
    int has_limit = s->duration_s > 0.0 || s->capacity_C > 0.0 || s->use_v_max || s->use_v_min ||
                    s->i_min_A > 0.0 || s->total_time_s > 0.0 || s->until_short;
    if (!has_limit)
        LMB__FAIL(ctx, LMB_EINVAL,
                  "a step needs at least one limit (time, capacity, voltage "
                  "or current)");
    if ((s->use_v_max && !isfinite(s->v_max)) || (s->use_v_min && !isfinite(s->v_min)) ||
        (s->use_v_max && s->use_v_min && !(s->v_min < s->v_max)))
        LMB__FAIL(ctx, LMB_EINVAL,
                  "voltage limits must be finite with v_min < v_max (got %g V and %g V)", s->v_min,
                  s->v_max);
    if (s->capacity_C > 0.0 && s->control == LMB_CONTROL_REST)
        LMB__FAIL(ctx, LMB_EINVAL, "a rest passes no charge: it cannot end on a capacity");
    return LMB_OK;
}

lmb_status lmb_sim_run_step(lmb_ctx *ctx, lmb_sim *sim, const lmb_step *step,
                            lmb_step_result *result) {
    if (!sim || !step)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_sim_run_step: no simulation or no step");
    lmb_status st = validate_step(ctx, step);
    if (st != LMB_OK)
        return st;
    lmb__model *m = sim->model;
    if (step->until_short && !m->short_margin && !(step->duration_s > 0.0) &&
        !(step->capacity_C > 0.0) && !step->use_v_max && !step->use_v_min &&
        !(step->i_min_A > 0.0) && !(step->total_time_s > 0.0))
        LMB__FAIL(ctx, LMB_EINVAL,
                  "a step that can only end on a short circuit would never end: the %s model "
                  "does not simulate short circuits",
                  m->kind);
    double *y = N_VGetArrayPointer(sim->y);
    lmb_step_result res;
    double v_limit = NAN; /* [V] the limit a step that could not start ended at */
    memset(&res, 0, sizeof res);
    res.t_start_s = sim->t;

    if (step->total_time_s > 0.0 && !(step->total_time_s > sim->t)) {
        /* the test time is already over: the step does not run */
        res.reason = LMB_END_TOTAL_TIME;
        res.t_end_s = sim->t;
        res.v_end = y[m->iV];
        res.i_end_A = y[m->iI] * m->area_m2;
        if (result)
            *result = res;
        return LMB_OK;
    }
    sim->step = *step;
    sim->step_count++;
    if (step->new_cycle && sim->step_count > 1)
        sim->cycle_count++;
    m->control = step->control;
    m->setpoint = step->control == LMB_CONTROL_CURRENT ? step->value / m->area_m2 : step->value;
    if (m->step_start)
        m->step_start(m, y);
    sim->q_start = y[m->iQ];
    double e_start = y[m->iE];

    /* a step without a time limit still gets a finite stop time: reaching it is a failure */
    double t_end = sim->t + (sim->opt.max_untimed_s > 0.0 ? sim->opt.max_untimed_s : 1e8);
    lmb_end_reason stop_reason = LMB_END_NONE;
    if (step->duration_s > 0.0) {
        t_end = sim->t + step->duration_s;
        stop_reason = LMB_END_DURATION;
    }
    /* where the step's duration and the total time coincide, the total time is the reason:
     * it ends the run */
    if (step->total_time_s > 0.0 && step->total_time_s <= t_end) {
        t_end = step->total_time_s;
        stop_reason = LMB_END_TOTAL_TIME;
    }
    sim->ida_msg[0] = '\0';

    /* consistent initial conditions under the new control */
    int flag = IDAReInit(sim->ida, sim->t, sim->y, sim->yp);
    if (!flag)
        flag = IDASetStopTime(sim->ida, t_end);

    /* A short tout1: IDACalcIC's Newton matrix is J + M/h with h a fraction of tout1 - t, which
     * must let M/h dominate the differential columns even where M is small (the double layers
     * of thin reactive coating cells); IDA needs |tout1 - t| above rounding of t. */
    double tout1 = sim->t + fmax(fmin(1e-6, 0.5 * (t_end - sim->t)), 1e-14 * fabs(sim->t));
    if (!flag)
        flag = IDACalcIC(sim->ida, IDA_YA_YDP_INIT, tout1);
    if (!flag)
        flag = IDAGetConsistentIC(sim->ida, sim->y, sim->yp);
    if (!flag && ode_rates(sim) != 0)
        flag = IDAReInit(sim->ida, sim->t, sim->y, sim->yp);
    /* A current step with no consistent state at all: the residual reports an unphysical state
     * (a surface concentration below zero) for every trial, i.e. the cell cannot carry the
     * current - it lies beyond the limiting current of its transport path (a thick dead-Li
     * layer, dried pores). Its voltage would run away at once; with a voltage limit in that
     * direction the step ends there, as on a cycler, and the state stays as it was. (The
     * residual's only recoverable failures are a concentration at or below zero, in a cell or
     * at an electrode surface, so these two flags mean exactly that.) The step reports the
     * limit as its end voltage. */
    if ((flag == IDA_NO_RECOVERY || flag == IDA_FIRST_RES_FAIL) &&
        step->control == LMB_CONTROL_CURRENT &&
        ((step->value > 0.0 && step->use_v_max) || (step->value < 0.0 && step->use_v_min))) {
        res.reason = step->value > 0.0 ? LMB_END_VMAX : LMB_END_VMIN;
        v_limit = step->value > 0.0 ? step->v_max : step->v_min;
        flag = IDAReInit(sim->ida, sim->t, sim->y, sim->yp);
        if (flag) {
            st = ida_fail(ctx, sim, flag, "re-initialisation");
            goto done;
        }
        sim->stats.beyond_limit++;
        goto done;
    }
    if (flag) {
        st = ida_fail(ctx, sim, flag, "initial-condition calculation");
        goto done;
    }
    if (record(sim) != 0) {
        st = lmb__ctx_fail(ctx, LMB_ENOMEM, "out of memory for the record");
        goto done;
    }
    /* a limit already met at the start ends the step at once */
    {
        double g[N_ROOTS];
        ida_roots(sim->t, sim->y, sim->yp, g, sim);
        static const lmb_end_reason why[N_ROOTS] = {LMB_END_VMAX, LMB_END_VMIN, LMB_END_IMIN,
                                                    LMB_END_CAPACITY, LMB_END_SHORT};
        for (int i = 0; i < N_ROOTS; i++)
            if (g[i] <= 0.0 && i != ROOT_CAPACITY) {
                res.reason = why[i];
                goto done;
            }
    }

    double t_last_rec = sim->t;
    int stalled = 0;
    for (;;) {
        sunrealtype tret = sim->t;
        flag = IDASolve(sim->ida, t_end, &tret, sim->y, sim->yp, IDA_ONE_STEP);
        if (flag < 0) {
            st = ida_fail(ctx, sim, flag, "integration");
            break;
        }
        /* IDA accepts steps so small that t + h == t in floating point (it only warns): a
         * solution racing to a singularity would then never end. LMB_STALL_STEPS steps in a row
         * that advance t by no more than a few rounding units of t count as a failure. */
        stalled = tret - sim->t <= 4.0 * DBL_EPSILON * fabs(sim->t) ? stalled + 1 : 0;
        sim->t = tret;
        if (stalled >= LMB_STALL_STEPS) {
            /* the model's reading of the state names the cause when it knows it (a table's
             * end, an electrode run full) */
            char hint[512] = "";
            if (m->explain)
                m->explain(m, y, hint, sizeof hint);
            st = lmb__ctx_fail(ctx, LMB_ESOLVER,
                               "the solver stalled at t = %.9g s (step %d, cycle %d, V = %.6g V, "
                               "I = %.6g A): %d steps in a row did not advance time beyond "
                               "rounding; %s",
                               sim->t, sim->step_count, sim->cycle_count, y[m->iV],
                               y[m->iI] * m->area_m2, LMB_STALL_STEPS,
                               hint[0] ? hint
                                       : "the state is close to a singularity (a concentration "
                                         "reaching zero?)");
            break;
        }
        if (flag == IDA_ROOT_RETURN) {
            int roots[N_ROOTS] = {0};
            IDAGetRootInfo(sim->ida, roots);
            sim->stats.root_events++;
            res.reason = roots[ROOT_VMAX]       ? LMB_END_VMAX
                         : roots[ROOT_VMIN]     ? LMB_END_VMIN
                         : roots[ROOT_IMIN]     ? LMB_END_IMIN
                         : roots[ROOT_CAPACITY] ? LMB_END_CAPACITY
                         : roots[ROOT_SHORT]    ? LMB_END_SHORT
                                                : LMB_END_NONE;
            break;
        }
        if (flag == IDA_TSTOP_RETURN || sim->t >= t_end) {
            sim->t = t_end; /* IDA returns exactly tstop */
            res.reason = stop_reason;
            if (stop_reason == LMB_END_NONE)
                st = lmb__ctx_fail(ctx, LMB_ESOLVER,
                                   "step %d reached none of its limits within %.3g s of "
                                   "simulated time (t = %.6g s, V = %.6g V)",
                                   sim->step_count, t_end - res.t_start_s, sim->t, y[m->iV]);
            break;
        }
        if (sim->t - t_last_rec >= sim->opt.record_dt_s) {
            if (record(sim) != 0) {
                st = lmb__ctx_fail(ctx, LMB_ENOMEM, "out of memory for the record");
                break;
            }
            t_last_rec = sim->t;
        }
    }
    if (record(sim) != 0 && st == LMB_OK)
        st = lmb__ctx_fail(ctx, LMB_ENOMEM, "out of memory for the record");

done:
    accumulate_stats(sim);
    res.t_end_s = sim->t;
    res.charge_C = (y[m->iQ] - sim->q_start) * m->area_m2;
    res.energy_J = (y[m->iE] - e_start) * m->area_m2;
    res.v_end = isnan(v_limit) ? y[m->iV] : v_limit;
    res.i_end_A = y[m->iI] * m->area_m2;
    if (result)
        *result = res;
    return st;
}

double lmb_sim_time(const lmb_sim *sim) {
    return sim->t;
}
double lmb_sim_voltage(const lmb_sim *sim) {
    return NV_Ith_S(sim->y, sim->model->iV);
}
double lmb_sim_current(const lmb_sim *sim) {
    return NV_Ith_S(sim->y, sim->model->iI) * sim->model->area_m2;
}
int lmb_sim_step_count(const lmb_sim *sim) {
    return sim->step_count;
}
int lmb_sim_cycle_count(const lmb_sim *sim) {
    return sim->cycle_count;
}
double lmb_sim_area_m2(const lmb_sim *sim) {
    return sim->model->area_m2;
}
double lmb_sim_nominal_capacity_C(const lmb_sim *sim) {
    return sim->q_nom_C;
}

void lmb_sim_get_stats(const lmb_sim *sim, lmb_sim_stats *stats) {
    *stats = sim->stats;
}

void lmb_sim_series(const lmb_sim *sim, lmb_series *out) {
    out->n = sim->n;
    out->t_s = sim->rec_t;
    out->V = sim->rec_V;
    out->I_A = sim->rec_I;
    out->step = sim->rec_step;
    out->cycle = sim->rec_cycle;
}

void lmb_sim_series_clear(lmb_sim *sim) {
    sim->n = 0;
}

const lmb__model *lmb__sim_model(const lmb_sim *sim) {
    return sim->model;
}
const double *lmb__sim_y(const lmb_sim *sim) {
    return N_VGetArrayPointer(sim->y);
}
void lmb__sim_bandwidth(const lmb_sim *sim, int *mu, int *ml) {
    *mu = sim->mu;
    *ml = sim->ml;
}
const double *lmb__sim_yp(const lmb_sim *sim) {
    return N_VGetArrayPointer(sim->yp);
}
const lmb__sparsity *lmb__sim_sparsity(const lmb_sim *sim) {
    return sim->sp;
}
