/*
 * lmb/run.h - running a protocol on a simulated cell (the cycler engine).
 *
 * The engine walks the parsed protocol (lmb/protocol.h), resolves every quantity against the
 * cell (areal currents and capacities times the area, C-rates times the nominal capacity),
 * turns each line into an lmb_step for the step driver (lmb/sim.h), counts steps and cycles,
 * feeds every step to the per-cycle summary (lmb/summary.h) and streams the time series.
 *
 * Semantics:
 *  - Charge and Strip are positive currents, Discharge and Plate negative (BDF convention; Plate
 *    and Strip act on the working electrode, the positive terminal of Li||Li and Li||Cu).
 *  - A step's limits are joined by "or": the first reached ends it. A voltage limit is reached
 *    from below on a charging step and from above on a discharging one; on a rest or hold, from
 *    the side where the voltage is when the step starts.
 *  - A step that ends on "total time" or "short" ends the whole run.
 *  - Cycles: if the protocol has "New cycle" lines, each starts a cycle; otherwise a cycle begins
 *    at each Charge that follows a discharging step and at each Plate that follows a charging
 *    step. The first step is in cycle 1.
 */
#ifndef LMB_RUN_H
#define LMB_RUN_H

#include "lmb/protocol.h"
#include "lmb/sim.h"
#include "lmb/summary.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lmb_run_options {
    /* [C] capacity that defines 1C; 0 takes the cell's nominal capacity (areal value times
     * area). A C-rate with neither is an error naming the protocol line. */
    double nominal_capacity_C;
    /* streaming output: after each step the record is appended here and cleared from the
     * simulation (NULL: the record stays in the simulation) */
    lmb_bdf_writer *bdf;
    /* impedance spectra of EIS steps (NULL: computed but not written) */
    lmb_eis_writer *eis;
    /* called after each step; may be NULL */
    void (*progress)(void *user, const lmb_sim *sim, long steps_done);
    void *progress_user;
} lmb_run_options;

typedef enum lmb_run_end {
    LMB_RUN_COMPLETED = 0, /* every step of the protocol ran */
    LMB_RUN_TOTAL_TIME,    /* a "total time" limit ended the run */
    LMB_RUN_SHORT,         /* a short circuit ended the run */
    LMB_RUN_FAILED         /* the solver failed; the record up to the failure is kept */
} lmb_run_end;

const char *lmb_run_end_name(lmb_run_end e);

typedef struct lmb_run_result {
    lmb_run_end end;
    long steps;          /* steps simulated (repeats expanded): the Step Count of the record */
    int cycles;          /* last cycle number */
    long spectra;        /* EIS steps computed (from the linearised model) */
    long ended_at_start; /* steps that ended as they started: a limit was already met */
    double t_end_s;      /* [s] */
    int fail_line;       /* protocol line of the step that failed (0 if none) */
} lmb_run_result;

/*
 * Runs the protocol on sim from its present state. summary may be NULL. On a solver failure
 * returns LMB_ESOLVER with the protocol line in the message, after writing what was simulated
 * to the summary and the streaming writer.
 */
lmb_status lmb_protocol_run(lmb_ctx *ctx, lmb_sim *sim, const lmb_protocol *protocol,
                            const lmb_run_options *opt, lmb_summary *summary,
                            lmb_run_result *result);

#ifdef __cplusplus
}
#endif
#endif
