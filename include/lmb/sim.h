/*
 * lmb/sim.h - simulating a cell: the step driver and the recorded time series.
 *
 * Life cycle (as SUNDIALS objects): lmb_sim_create -> set options -> lmb_sim_run_step (any
 * number of times) -> read results -> lmb_sim_free. The simulation owns the DAE state of the
 * cell and a growing time series of what a cycler would record.
 *
 * Units at this interface are the cycler's: time in s, voltage in V, current in A, charge in C
 * (coulombs). Sign convention: positive current charges the cell (Battery Data Format); for a
 * Li||Li cell it strips the working (positive-terminal) electrode and plates the counter
 * electrode.
 */
#ifndef LMB_SIM_H
#define LMB_SIM_H

#include <stddef.h>

#include "lmb/cell.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lmb_sim lmb_sim;

typedef enum lmb_control {
    LMB_CONTROL_REST = 0, /* I = 0 */
    LMB_CONTROL_CURRENT,  /* I = value [A] */
    LMB_CONTROL_VOLTAGE   /* V = value [V] */
} lmb_control;

/* Why a step ended. */
typedef enum lmb_end_reason {
    LMB_END_NONE = 0,
    LMB_END_DURATION,   /* the step's time limit */
    LMB_END_CAPACITY,   /* |charge passed in the step| reached its limit */
    LMB_END_VMAX,       /* V rose to v_max */
    LMB_END_VMIN,       /* V fell to v_min */
    LMB_END_IMIN,       /* |I| fell to i_min (voltage hold) */
    LMB_END_TOTAL_TIME, /* the test time reached total_time_s */
    LMB_END_SHORT       /* the model reports an internal short circuit */
} lmb_end_reason;

const char *lmb_end_reason_name(lmb_end_reason r);

/*
 * One cycler step. Limits that are zero (or, for voltages, NaN-free disabled flags below) are
 * off; a step must have at least one limit that can end it.
 */
typedef struct lmb_step {
    lmb_control control;
    double value;        /* [A] for CURRENT (positive charges), [V] for VOLTAGE */
    double duration_s;   /* [s] step time limit, 0 = none */
    double capacity_C;   /* [C] limit on |charge passed in this step|, 0 = none */
    int use_v_max;       /* end when V >= v_max */
    double v_max;        /* [V] */
    int use_v_min;       /* end when V <= v_min */
    double v_min;        /* [V] */
    double i_min_A;      /* [A] end when |I| <= i_min (voltage control), 0 = none */
    double total_time_s; /* [s] end when the test time reaches this, 0 = none */
    int until_short;     /* end when the model reports a short circuit (models without a short
                            mechanism never do) */
    int new_cycle;       /* 1: the cycle counter is incremented when this step starts */
} lmb_step;

/* Returns a step with every limit off (control REST, value 0). */
lmb_step lmb_step_init(void);

typedef struct lmb_step_result {
    lmb_end_reason reason;
    double t_start_s, t_end_s; /* [s] test time at start and end */
    double charge_C;           /* [C] signed charge passed (integral of I dt) */
    double energy_J;           /* [J] integral of V I dt */
    double v_end;              /* [V] */
    double i_end_A;            /* [A] */
} lmb_step_result;

/* Solver statistics, cumulative over the life of the simulation. */
typedef struct lmb_sim_stats {
    long steps;        /* IDA internal steps */
    long res_evals;    /* residual evaluations (incl. those for the DQ Jacobian) */
    long jac_evals;    /* Jacobian evaluations */
    long nonlin_iters; /* Newton iterations */
    long err_test_fails;
    long conv_fails;
    long root_events;
    long beyond_limit; /* current steps that could not start: the cell was beyond its limiting
                          current, and the step ended at once at its voltage limit */
    int n_states;      /* size of the DAE */
    int bandwidth;     /* upper = lower half-bandwidth of the Jacobian */
    int colors;        /* sparse solver: residual evaluations per Jacobian (0 with the band) */
} lmb_sim_stats;

/* Options; defaults come from the cell's "numerics" section. */
typedef struct lmb_sim_options {
    double record_dt_s;   /* [s] minimum spacing of recorded points inside a step (0 = every
                             internal solver step); step starts and ends are always recorded */
    double max_untimed_s; /* [s] a step with no time limit that has not ended after this much
                             simulated time fails (0 = the default, 1e8 s, about 3 years) */
    int sparse;           /* linear solver: 0 = band LU with IDA's banded difference-quotient
                             Jacobian (the default), 1 = sparse LU (KLU) with a column-coloured
                             difference-quotient Jacobian on the measured sparsity pattern */
} lmb_sim_options;

lmb_status lmb_sim_create(lmb_ctx *ctx, const lmb_cell *cell, const lmb_sim_options *opt,
                          lmb_sim **out);
void lmb_sim_free(lmb_sim *sim);

/*
 * Runs one step from the present state to the first limit it reaches. On LMB_ESOLVER the
 * context message names the time, step and the IDA flag; the record up to the failure is kept.
 */
lmb_status lmb_sim_run_step(lmb_ctx *ctx, lmb_sim *sim, const lmb_step *step,
                            lmb_step_result *result);

/* Present test time [s], voltage [V] and current [A]. */
double lmb_sim_time(const lmb_sim *sim);
double lmb_sim_voltage(const lmb_sim *sim);
double lmb_sim_current(const lmb_sim *sim);
int lmb_sim_step_count(const lmb_sim *sim);
int lmb_sim_cycle_count(const lmb_sim *sim);
double lmb_sim_area_m2(const lmb_sim *sim);
/* The cell's nominal capacity [C]: its nominal areal capacity times the area (0 if none). */
double lmb_sim_nominal_capacity_C(const lmb_sim *sim);

void lmb_sim_get_stats(const lmb_sim *sim, lmb_sim_stats *stats);

/*
 * The impedance of the cell at its present state [ohm], from the linearised model at the
 * present current (galvanostatic; at rest this is the OCV spectrum, under current the
 * quasi-stationary operando spectrum). Z = Z_re + j Z_im with Z_im < 0 for capacitive
 * behaviour. The state is not changed. Statuses: LMB_OK, LMB_EINVAL (a frequency <= 0),
 * LMB_ESOLVER, LMB_ENOMEM.
 */
lmb_status lmb_sim_impedance(lmb_ctx *ctx, const lmb_sim *sim, const double *f_Hz, size_t n_f,
                             double *Z_re, double *Z_im);

/* The recorded time series; the arrays belong to the simulation and grow as it runs (the
 * pointers are invalidated by the next lmb_sim_run_step). */
typedef struct lmb_series {
    size_t n;
    const double *t_s; /* [s] */
    const double *V;   /* [V] */
    const double *I_A; /* [A] */
    const int *step;   /* Step Count, from 1 */
    const int *cycle;  /* Cycle Count, from 1 */
} lmb_series;

void lmb_sim_series(const lmb_sim *sim, lmb_series *out);

/* Forgets the recorded points (keeps the state); for long runs that stream their output. */
void lmb_sim_series_clear(lmb_sim *sim);

/*
 * Writes the series as a Battery Data Format CSV: Test Time / s, Voltage / V, Current / A,
 * Step Count / 1, Cycle Count / 1. The file is written to path + ".tmp" and renamed, so an
 * existing file is not lost when writing fails.
 */
lmb_status lmb_series_write_bdf(lmb_ctx *ctx, const lmb_series *s, const char *path);

/*
 * A streaming Battery Data Format writer for long runs: open once, append the record after
 * each step (then lmb_sim_series_clear), close. The file appears under its name only when
 * closed (written as path.tmp until then); rows are kept on close even after a failed run.
 */
typedef struct lmb_bdf_writer lmb_bdf_writer;
lmb_status lmb_bdf_writer_open(lmb_ctx *ctx, const char *path, lmb_bdf_writer **out);
lmb_status lmb_bdf_writer_append(lmb_ctx *ctx, lmb_bdf_writer *w, const lmb_series *s);
lmb_status lmb_bdf_writer_close(lmb_ctx *ctx, lmb_bdf_writer *w); /* frees w; NULL is a no-op */
size_t lmb_bdf_writer_rows(const lmb_bdf_writer *w);

/*
 * A writer of impedance spectra (eis.csv): one row per frequency with the spectrum's index, the
 * cycle and Step Count it follows, its test time, the frequency and Z in ohm:
 *   spectrum,cycle,step,time_s,frequency_Hz,Z_re_ohm,Z_im_ohm
 * (Z_im < 0 for capacitive behaviour). Complete-or-nothing like the BDF writer.
 */
typedef struct lmb_eis_writer lmb_eis_writer;
lmb_status lmb_eis_writer_open(lmb_ctx *ctx, const char *path, lmb_eis_writer **out);
lmb_status lmb_eis_writer_append(lmb_ctx *ctx, lmb_eis_writer *w, int cycle, int step, double t_s,
                                 size_t n, const double *f_Hz, const double *Z_re,
                                 const double *Z_im);
lmb_status lmb_eis_writer_close(lmb_ctx *ctx, lmb_eis_writer *w); /* frees w; NULL is a no-op */
int lmb_eis_writer_spectra(const lmb_eis_writer *w);

#ifdef __cplusplus
}
#endif
#endif
