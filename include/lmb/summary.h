/*
 * lmb/summary.h - the per-cycle summary of a cycling record, simulated or measured.
 *
 * The same accumulator serves the simulator (fed step by step by the protocol engine) and the
 * analysis of real cycler files (fed half cycle by half cycle), so both produce identical
 * tables: cycles.csv and summary.json.
 *
 * Definitions (charge = positive current, BDF convention):
 *   charge / discharge capacity   sum of |charge| passed with I > 0 / I < 0 in the cycle [C]
 *   energies                      integral of V |I| dt over the same steps [J]: signed like
 *                                 V (a Li||Li plating half cycle has a negative voltage and a
 *                                 negative "energy")
 *   mean voltage                  energy / capacity: the charge-weighted mean of V [V]
 *   end voltage                   V at the end of the last charging / discharging step [V]
 *   coulombic efficiency          capacity of the direction that did NOT start the cycle
 *                                 divided by that of the direction that did: discharge/charge
 *                                 for a cathode cycle that starts charging, stripped/plated for
 *                                 a Li||Cu cycle that starts plating; NaN if either is zero
 *   time_end                      test time at the end of the cycle's last step [s]
 *   charge / discharge time       time spent in the cycle's charging / discharging steps [s]
 *                                 (a step lasts from the end of the step added before it, or
 *                                 from the start time, to its own end)
 *   C-rate (nominal capacity Q_n) the mean current of a half cycle over Q_n:
 *                                 capacity / time / Q_n [1/h]; only when Q_n is known
 *   retention                     the returned capacity of the cycle (the direction that did
 *                                 not start it: discharge of a cycle that starts charging)
 *                                 over that of the first cycle with both half cycles; NaN
 *                                 before that cycle and for a cycle without both half cycles
 * Columns in lab units are written: capacities in mAh (and mAh/cm2 when the area is known, mAh/g
 * when the active mass is known), energies in mWh, voltages in V, time in h.
 */
#ifndef LMB_SUMMARY_H
#define LMB_SUMMARY_H

#include <stddef.h>

#include "lmb/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lmb_cycle_row {
    int cycle;                 /* from 1 */
    double charge_C;           /* [C] */
    double discharge_C;        /* [C] */
    double charge_energy_J;    /* [J] */
    double discharge_energy_J; /* [J] */
    double end_charge_V;       /* [V], NaN if no charge */
    double end_discharge_V;    /* [V], NaN if no discharge */
    double time_end_s;         /* [s] */
    double charge_time_s;      /* [s] time in charging steps */
    double discharge_time_s;   /* [s] time in discharging steps */
    int first_sign;            /* +1 if the cycle started charging, -1 discharging, 0 neither */
} lmb_cycle_row;

typedef struct lmb_summary lmb_summary;

lmb_status lmb_summary_create(lmb_ctx *ctx, lmb_summary **out);
void lmb_summary_free(lmb_summary *s);

/* Area [m2] and active mass [kg] for the areal and specific columns (0 = unknown). */
void lmb_summary_set_area(lmb_summary *s, double area_m2);
void lmb_summary_set_active_mass(lmb_summary *s, double mass_kg);
/* Nominal capacity [C] for the C-rate columns (0 = unknown). */
void lmb_summary_set_nominal_capacity(lmb_summary *s, double capacity_C);
/* The area [m2], active mass [kg] and nominal capacity [C] set (0 = unknown). */
double lmb_summary_area(const lmb_summary *s);
double lmb_summary_active_mass(const lmb_summary *s);
double lmb_summary_nominal_capacity(const lmb_summary *s);
/* Test time [s] at which the first step added starts (default 0). */
void lmb_summary_set_start_time(lmb_summary *s, double t_start_s);

/*
 * Adds one step (or one half cycle) of cycle `cycle` (>= the last cycle added): the signed
 * charge passed, integral of I dt [C], the integral of V I dt [J], the voltage at its end [V]
 * and the test time at its end [s]. Steps with no charge (rests) only advance time_end.
 */
lmb_status lmb_summary_add(lmb_ctx *ctx, lmb_summary *s, int cycle, double charge_C,
                           double energy_J, double v_end, double t_end_s);

size_t lmb_summary_cycle_count(const lmb_summary *s);
const lmb_cycle_row *lmb_summary_cycle(const lmb_summary *s, size_t i);

/* Derived per-cycle quantities (NaN when undefined). */
double lmb_cycle_coulombic_efficiency(const lmb_cycle_row *r);
double lmb_cycle_mean_charge_voltage(const lmb_cycle_row *r);
double lmb_cycle_mean_discharge_voltage(const lmb_cycle_row *r);
/* The capacity of the direction that did not start the cycle [C]; NaN if it started neither. */
double lmb_cycle_returned_capacity(const lmb_cycle_row *r);
/* Retention of cycle i (from 0) as defined above; NaN if undefined. */
double lmb_summary_retention(const lmb_summary *s, size_t i);
/* Mean C-rate of the charging / discharging half of cycle i [1/h]; NaN without a nominal
 * capacity or without that half. */
double lmb_summary_c_rate(const lmb_summary *s, size_t i, int sign);

/* Writes cycles.csv (header + one row per cycle); atomic (path.tmp then rename). */
lmb_status lmb_summary_write_csv(lmb_ctx *ctx, const lmb_summary *s, const char *path);

/*
 * Writes summary.json: {"lmb_version", "meta": {...}, "units": {...}, "cycles": [...]}; meta is
 * a JSON object text supplied by the caller (NULL for none) describing the source (cell,
 * protocol, file, solver statistics).
 */
lmb_status lmb_summary_write_json(lmb_ctx *ctx, const lmb_summary *s, const char *meta_json,
                                  const char *path);

#ifdef __cplusplus
}
#endif
#endif
