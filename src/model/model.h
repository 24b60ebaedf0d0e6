/*
 * model.h - the interface between a cell model and the solver.
 *
 * A model is a DAE F(t, y, y') = 0 on plain double arrays, with a few states the solver and the
 * cycler need to know by index: the terminal voltage V [V], the applied current density
 * I [A/m2] (positive charges the cell), the charge passed Q [C/m2] (dQ/dt = I) and the energy
 * E [J/m2] (dE/dt = V I). The control (rest, current or voltage) is one algebraic equation of
 * the model, switched by the solver at step boundaries.
 *
 * The residual returns 0 when it could be evaluated, > 0 when the state is unphysical but a
 * smaller step may recover (a concentration at or below zero), < 0 for an unrecoverable error
 * (the SUNDIALS convention).
 */
#ifndef LMB_MODEL_MODEL_H
#define LMB_MODEL_MODEL_H

#include "lmb/sim.h"

#include <stddef.h>

typedef struct lmb__model lmb__model;

struct lmb__model {
    const char *kind; /* "li-li" */
    int n;            /* number of states */
    int iV, iI, iQ, iE;
    double area_m2;  /* [m2] geometric area: I [A] = I [A/m2] * area */
    double *y0;      /* consistent initial state at rest, n */
    double *is_diff; /* 1 for differential states, 0 for algebraic, n */
    double *atol;    /* absolute tolerances in the states' units, n */
    /* 1 for explicit ODE rows, residual = y'_i - f(y): the solver sets their y' from f after
     * the consistent initial conditions (IDACalcIC skips corrections to y' that are small in
     * its norm, and a slow inventory's rate left at zero fails the first error tests) */
    char *is_ode;
    double rtol;
    double max_step_s;
    lmb_control control;
    double setpoint; /* [A/m2] for CURRENT, [V] for VOLTAGE */
    int (*residual)(const lmb__model *m, double t, const double *y, const double *yp, double *r);
    /* Distance from an internal short circuit (> 0 while there is none; the short happens
     * where it crosses zero), in any unit; NULL for models without a short mechanism. */
    double (*short_margin)(const lmb__model *m, const double *y);
    /* Called at the start of every step with the state it starts from, before the consistent
     * initial conditions: discrete changes of the model (a short that has formed) latch here.
     * NULL if the model has none. */
    void (*step_start)(lmb__model *m, const double *y);
    /* A sentence for the solver's failure message when the state explains it (an electrode run
     * empty or full), written to buf (size n; "" if none). NULL if the model has none. */
    void (*explain)(const lmb__model *m, const double *y, char *buf, size_t n);
    void (*destroy)(lmb__model *m);
    void *impl;
};

/* Frees the model and its arrays; NULL is a no-op. */
void lmb__model_free(lmb__model *m);

/* Allocates y0, is_diff, atol, is_ode for n states (zeroed). */
int lmb__model_alloc_arrays(lmb__model *m, int n);

#endif
