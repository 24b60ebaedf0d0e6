/*
 * study.h - the reference study's experiments as library calls (SPEC.md section 1), used by
 * `lmb reproduce` (the comparison with the measured values) and `lmb fit` (the calibration).
 *
 * A Li||Li experiment runs, on one simulated cell, the OCV impedance protocol
 * (protocols/eis-ocv.txt: 1 h rest, then 1 MHz - 1 mHz) and then a cycling protocol
 * (protocols/li-li-1mA.txt, ...). It reports the no-fit arc reading of the OCV spectrum
 * (lmb/eis.h), the symmetric-cell metrics of the cycling (lmb/symmetric.h), how the run ended
 * and the model's own diagnostics (Li inventory drift, FEC left, dead-Li layer).
 */
#ifndef LMB_STUDY_STUDY_H
#define LMB_STUDY_STUDY_H

#include "lmb/lmb.h"

typedef struct lmb__lili_outcome {
    int has_ocv;
    lmb_arc_metrics ocv;       /* OCV spectrum, ohm on the cell's area */
    lmb_symmetric_metrics sym; /* of the cycling protocol */
    lmb_run_end end;           /* how the cycling ended */
    double t_end_s;            /* [s] test time at the end, from the start of cycling */
    double short_s;            /* [s] from the start of cycling; NaN if no short */
    int cycles;
    long ended_at_start;     /* half cycles that ended as they started (a voltage limit) */
    double li_drift;         /* largest relative drift of an electrode's Li inventory */
    double fec_share[2];     /* FEC left at the end [1], negative and positive side */
    double dead_layer_m[2];  /* [m] dead-Li layers at the end */
    int spectra;             /* impedance spectra of the cycling protocol (written only with an
                                output directory) */
    double rsei_spectrum[3]; /* [ohm] their arc widths: first, fifth (after the first plating of
                               the operando protocol) and last; NaN if none */
    double wall_s;           /* [s] */
    long ida_steps, res_evals;
    char error[512]; /* the solver's message if the cycling failed ("" if not) */
} lmb__lili_outcome;

/*
 * Runs the OCV protocol (NULL: none) and the cycling protocol (names as lmb_protocol_load takes
 * them: a path or "protocol:li-li-1mA") on a fresh simulation of cell. With out_dir (may be
 * NULL) the cycling's timeseries.bdf.csv, cycles.csv and the OCV eis.csv are written there.
 * A solver failure during cycling is an outcome (end = LMB_RUN_FAILED, error set), not an error
 * status: the metrics of what ran are kept. Statuses: LMB_OK, or the error of loading, of the
 * OCV protocol, or of writing.
 */
lmb_status lmb__lili_study(lmb_ctx *ctx, const lmb_cell *cell, const char *ocv_protocol,
                           const char *protocol, const char *out_dir, lmb__lili_outcome *out);

/*
 * A Li||Cu Adams experiment: the protocol (a path or "protocol:adams-ce-1") on a fresh
 * simulation of cell; the Adams CE of the record (lmb/adams.h, preconditioning cycles detected)
 * into *ce and *n_pre. With out_dir the timeseries.bdf.csv and cycles.csv are written there.
 * Statuses: LMB_OK, the loading, solver or writing error, or the Adams CE's.
 */
lmb_status lmb__licu_study(lmb_ctx *ctx, const lmb_cell *cell, const char *protocol,
                           const char *out_dir, lmb_adams_result *out, double *wall_s);

/*
 * A Li||LFP experiment: the protocol (formation and 1C cycling, or the rate test) on a fresh
 * simulation of a li-lfp cell. Capacities are per gram of LiFePO4 (the cell's lfp.loading), as
 * the study reports them. With out_dir the timeseries.bdf.csv and cycles.csv are written there.
 * A solver failure is an outcome (error set), as for Li||Li.
 */
#define LMB__LFP_MAX_CYCLES 512
typedef struct lmb__lfp_outcome {
    int cycles;                                  /* cycles with a discharge */
    double discharge_mAh_g[LMB__LFP_MAX_CYCLES]; /* per cycle, from cycle 1 */
    double charge_mAh_g[LMB__LFP_MAX_CYCLES];
    double li_drift;  /* relative drift of the cell's Li (metal + LFP solid) */
    double fec_share; /* FEC left at the end [1] */
    double dead_layer_m;
    lmb_run_end end;
    double t_end_s;
    double wall_s;
    long ida_steps, res_evals;
    char error[512];
} lmb__lfp_outcome;

lmb_status lmb__lfp_study(lmb_ctx *ctx, const lmb_cell *cell, const char *protocol,
                          const char *out_dir, lmb__lfp_outcome *out);
lmb_status lmb__lfp_study_parsed(lmb_ctx *ctx, const lmb_cell *cell, const lmb_protocol *proto,
                                 const char *out_dir, lmb__lfp_outcome *out);

/* Discharge capacity of cycle c (from 1) [mAh/g], NaN if the run did not reach it. */
double lmb__lfp_discharge(const lmb__lfp_outcome *o, int c);

/* The same with parsed protocols (pocv may be NULL; pcyc NULL runs the OCV protocol only). */
lmb_status lmb__lili_study_parsed(lmb_ctx *ctx, const lmb_cell *cell, const lmb_protocol *pocv,
                                  const lmb_protocol *pcyc, const char *out_dir,
                                  lmb__lili_outcome *out);

#endif

/*
 * The measured values of SPEC.md section 1 that the Li||Li presets are fitted to (Juhi et al.,
 * Chem. Mater. 2025, 37, 8745). They live here, in the calibration code, and reach an output
 * only in the "measured" column of the comparison table, never as a simulated value.
 */
typedef enum lmb__target_id {
    LMB__T_OCV_RSEI = 0,  /* ohm: width of the OCV spectrum's high-frequency arc, 0.502 cm2 */
    LMB__T_OCV_RDIFF,     /* ohm: what the low-frequency features add */
    LMB__T_ETA_INITIAL,   /* V: overpotential of cycle 1 at 1 mA/cm2 */
    LMB__T_RISE_ONSET,    /* s: start of the overpotential rise (bare) */
    LMB__T_SHORT,         /* s: time to short (bare) */
    LMB__T_ETA_600H,      /* V: overpotential at 600 h (coated) */
    LMB__T_ADAMS_CE,      /* 1: Li||Cu Adams CE with one preconditioning cycle */
    LMB__T_LFP_FORMATION, /* C/kg: Li||LFP discharge capacity of the first C/10 cycle */
    LMB__T_LFP_1C,        /* C/kg: Li||LFP 1C capacity, mean of the first ten 1C cycles */
    LMB__T_LFP_RETENTION, /* 1: Li||LFP discharge capacity of the n-th 1C cycle / the 1C one */
    LMB__T_COUNT
} lmb__target_id;

typedef struct lmb__target {
    lmb__target_id id;
    int coated;           /* 0 bare, 1 CsPbCl3 2 mg/cm2 */
    double value;         /* SI */
    double tolerance;     /* relative, the acceptance bound; NaN: reported, not fitted */
    const char *quantity; /* "OCV R_SEI" */
    const char *unit;     /* display unit */
    double unit_scale;    /* SI value / unit_scale = display value */
    const char *source;   /* where the study reports it */
} lmb__target;

extern const lmb__target lmb__lili_targets[];
extern const int lmb__lili_target_count;

/* The simulated value of a target from an outcome (NaN when the run did not produce it). */
double lmb__target_simulated(const lmb__target *t, const lmb__lili_outcome *o);

/* The 1C cycles after which the study gives the retention: 150 (bare), 250 (coated). */
int lmb__lfp_retention_cycles(int coated);

/* Everything a target can be read from: the Li||Li outcome, the Li||Cu Adams CE (NaN if not
 * run) and the Li||LFP formation and 1C cycling (NULL if not run). */
typedef struct lmb__study_outcome {
    lmb__lili_outcome lili;
    double adams_ce; /* [1] */
    const lmb__lfp_outcome *lfp;
} lmb__study_outcome;

/* Formation cycles of the Li||LFP protocol before its 1C cycling. */
#define LMB__LFP_FORMATION_CYCLES 3
/* The study's 1C capacities are plateau values ("~136 mAh/g, stable", "~130 mAh/g,
 * fluctuating"): lmb reads them as the mean discharge capacity of the first ten 1C cycles, which
 * also passes over the first 1C cycle's transient from the fully lithiated end of formation. */
#define LMB__LFP_INITIAL_1C_CYCLES 10

/* The rates of protocols/lfp-rate.txt, LMB__LFP_CYCLES_PER_RATE cycles each [1/h]. These
 * readings of the protocol files are checked against them (tests/unit/test_study.c). */
#define LMB__LFP_RATES           5
#define LMB__LFP_CYCLES_PER_RATE 5
extern const double lmb__lfp_rates[LMB__LFP_RATES];

/* That mean [mAh/g]; NaN if the run did not reach it. */
double lmb__lfp_initial_1c(const lmb__lfp_outcome *o);

double lmb__target_value(const lmb__target *t, const lmb__study_outcome *o);

/* The simulated value of a Li||LFP target from a formation-and-1C outcome (SI; NaN if the run
 * did not reach it). */
double lmb__target_lfp(const lmb__target *t, const lmb__lfp_outcome *o);
