/*
 * lmb/analyze.h - the analysis of a measured record (lmb/record.h): steps, half cycles, cycles,
 * the per-cycle summary (lmb/summary.h, the same accumulator the simulator feeds) and the
 * impedance spectra inside the record.
 *
 * How a record is cut (every rule is applied the same way to every instrument):
 *   rows        only rows with a finite time, voltage and current take part; impedance rows
 *               (frequency > 0) are not time-series rows: they end a step and open a spectrum.
 *   rest        |I| <= the rest current (given, or 1e-3 of the largest |I| of the record) is a
 *               rest: it passes no charge and belongs to the cycle it falls in; a rest before
 *               the first half cycle belongs to no cycle. A record with time and voltage but
 *               no current (an EC-Lab export of time and Ewe only) has no steps and no cycles.
 *   steps       a new step starts where the instrument's step index changes, where the current
 *               changes sign (charge, rest, discharge), or after an impedance measurement. Charge
 *               and energy of a step are the trapezoidal integrals of I dt and V I dt over its
 *               rows, unless the record has the instrument's own capacity counter of the step's
 *               direction: then the step's charge is the counter's increase over the step (it
 *               restarts at 0 where its first value is below the value before the step, else it
 *               runs on), and its energy the integral's scaled to that charge (the integral's
 *               charge-weighted voltage is kept). Cyclers count charge from currents sampled far
 *               faster than they log rows, and some exports round the current (a Landt export
 *               writes 0.1 mA steps), so the counter is the better number; the difference between
 *               the two is reported (lmb_analysis_counter_mismatch). integrate_only = 1 uses
 *               the integral everywhere. The interval between the last row of a step and the
 *               first row of the next
 *               is split at its midpoint, each half counted to its own step at that step's
 *               current (instruments log a row at the end of a step and one at the start of the
 *               next, so the interval is short and where in it the current switched is unknown).
 *   half cycle  the steps of one current sign in a row, rests between them included; it ends
 *               where a step of the other sign starts. A CC-CV charge is one half cycle.
 *   cycle       starts with a half cycle in the cycle direction and ends before the next one.
 *               The cycle direction is that of the first half cycle of the record, unless the
 *               options name it; a record that then starts with a half cycle of the other
 *               direction has it alone as cycle 1 (a leading partial cycle, CE undefined), and
 *               the first full cycle is cycle 2. The instrument's own cycle column is not used,
 *               so that every instrument and the simulator count alike.
 *   symmetric   a record whose mean charging voltage and mean discharging voltage have opposite
 *               signs (Li||Li: stripping positive, plating negative) is a symmetric cell; its
 *               overpotential metrics and short detection are those of lmb/symmetric.h.
 */
#ifndef LMB_ANALYZE_H
#define LMB_ANALYZE_H

#include <stddef.h>

#include "lmb/ctx.h"
#include "lmb/record.h"
#include "lmb/summary.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Pass as cycle_start to take the direction of the record's first half cycle. */
#define LMB_CYCLE_START_AUTO 0

/* The rest current, when not given, as a fraction of the largest |I| of the record. */
#define LMB_ANALYZE_REST_FRACTION 1e-3

typedef struct lmb_analyze_options {
    int cycle_start;           /* LMB_CYCLE_START_AUTO, +1 (charge first) or -1 (discharge) */
    double rest_current_A;     /* <= 0: LMB_ANALYZE_REST_FRACTION of the largest |I| */
    double nominal_capacity_C; /* for C-rates; <= 0: the record's, if it states one */
    double area_m2;            /* for areal columns; <= 0: the record's */
    double active_mass_kg;     /* for specific columns; <= 0: the record's */
    int integrate_only;        /* 1: charges from the integral of I dt even where the record has
                                  the instrument's capacity counters */
} lmb_analyze_options;

/* One half cycle of the record. */
typedef struct lmb_half_cycle {
    int cycle;        /* the cycle it belongs to (from 1) */
    int sign;         /* +1 charge, -1 discharge */
    size_t row_first; /* first and last rows (indices into the record) */
    size_t row_last;
    double t_start_s;  /* [s] start (end of what came before) */
    double t_end_s;    /* [s] */
    double charge_C;   /* [C] signed: > 0 charge */
    double energy_J;   /* [J] integral of V I dt */
    double v_end_V;    /* [V] voltage at its last row */
    double mean_abs_V; /* [V] |energy / charge|: the charge-weighted mean of |V| */
} lmb_half_cycle;

/* One impedance spectrum inside the record: a run of consecutive rows with frequency > 0, the
 * same instrument cycle index (if the record has one) and a frequency that keeps the direction
 * of its sweep (a sweep that turns back starts the next spectrum). */
typedef struct lmb_record_spectrum {
    size_t row_first, n; /* rows row_first .. row_first + n - 1 */
    int cycle;           /* the cycle it was measured in (0 before the first half cycle) */
    int step;            /* the analysis' step count when it was measured */
    double t_s;          /* [s] time of its first row, NaN if the record has no time there */
} lmb_record_spectrum;

typedef struct lmb_analysis lmb_analysis;

/*
 * Analyses a record. opt may be NULL (all automatic). Statuses: LMB_OK; LMB_EINVAL (NULL
 * argument, cycle_start not -1, 0 or +1); LMB_ENOTFOUND (the record has neither time and
 * voltage columns nor an impedance spectrum); LMB_ENOMEM.
 */
lmb_status lmb_record_analyze(lmb_ctx *ctx, const lmb_record *r, const lmb_analyze_options *opt,
                              lmb_analysis **out);
void lmb_analysis_free(lmb_analysis *a);

/* The per-cycle summary (owned by the analysis); empty if the record passed no charge. */
const lmb_summary *lmb_analysis_summary(const lmb_analysis *a);

size_t lmb_analysis_half_cycle_count(const lmb_analysis *a);
const lmb_half_cycle *lmb_analysis_half_cycle(const lmb_analysis *a, size_t i);

/* The number of steps found (charge, discharge and rest). */
size_t lmb_analysis_step_count(const lmb_analysis *a);

/* The number of steps whose charge is the instrument's capacity counter (see above). */
size_t lmb_analysis_counted_steps(const lmb_analysis *a);

/* Over those steps, (sum of |integral of I dt| - sum of counter) / sum of counter: how far the
 * record's current column is from the instrument's own count; NaN if no step was counted. */
double lmb_analysis_counter_mismatch(const lmb_analysis *a);

/* The rest current used [A]. */
double lmb_analysis_rest_current(const lmb_analysis *a);

/* The cycle direction used (+1 or -1; 0 if the record has no half cycle). */
int lmb_analysis_cycle_direction(const lmb_analysis *a);

/* 1 if the record is a symmetric cell (see above), else 0. */
int lmb_analysis_is_symmetric(const lmb_analysis *a);

size_t lmb_analysis_spectrum_count(const lmb_analysis *a);
const lmb_record_spectrum *lmb_analysis_spectrum(const lmb_analysis *a, size_t i);

/*
 * The signed charges of the half cycles in order [C] (n of them, owned by the analysis): the
 * input of lmb_adams_ce (lmb/adams.h) for a Li||Cu record.
 */
const double *lmb_analysis_half_charges(const lmb_analysis *a, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
