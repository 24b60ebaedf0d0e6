/*
 * lmb/sweep.h - design sweeps: many independent simulations of one base cell and protocol over
 * a grid, a list or a Latin hypercube of parameter values, with one catalogue row per point.
 *
 * A sweep file is JSON (docs/sweeps.md):
 *
 *   {
 *     "cell": "li-li:cspbcl3-2mg",                       preset name or cell file
 *     "protocol": "sweep-protocol.txt",                  file, "protocol:<name>", or
 *     "protocol_text": "Repeat 50 times:\n ...",         the protocol inline
 *     "set": {"separator.thickness_um": 20},             fixed changes to the base cell
 *     "defaults": {"current_mA_cm2": 1},                 values of protocol placeholders
 *     "grid": {"electrodes.coating.loading_mg_cm2": [1, 2, 4],
 *              "protocol.current_mA_cm2": {"from": 0.5, "to": 4, "n": 4, "scale": "log"}},
 *  or "list": [{"electrodes.coating.porosity": 0.3, "protocol.current_mA_cm2": 2}, ...],
 *  or "lhs": {"points": 1000, "seed": 1,
 *             "ranges": {"electrodes.coating.porosity": {"from": 0.2, "to": 0.6}, ...}},
 *     "retention_threshold_percent": 80,                 end of life by capacity (optional)
 *     "timeseries": false                                write each point's record too
 *   }
 *
 * A parameter is a cell key as lmb_cell_set() takes it (with its unit suffix), or
 * "protocol.NAME": the protocol text's placeholder {NAME} is replaced by the value's shortest
 * round-trip decimal text before the protocol is parsed ("Plate at {current_mA_cm2} mA/cm2").
 *
 * Points are numbered from 0 in a fixed order (grid: the last parameter varies fastest; list:
 * file order; LHS: the order drawn). A point's result depends only on the sweep file and the
 * point's number, never on which worker, thread or MPI rank computed it, so catalogues made with
 * any number of workers are identical (tested).
 *
 * Life cycle: lmb_sweep_load -> lmb_sweep_run (a catalogue, local worker threads, optionally
 * remote workers through a transport) -> lmb_sweep_free. Lower level: lmb_sweep_worker_run
 * computes one point, which is what a remote worker (an MPI rank) calls.
 */
#ifndef LMB_SWEEP_H
#define LMB_SWEEP_H

#include "lmb/ctx.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lmb_sweep lmb_sweep;

/* Limits of a sweep file. */
#define LMB_SWEEP_MAX_PARAMS 32
#define LMB_SWEEP_MAX_POINTS 100000000L /* points of one sweep */
#define LMB_SWEEP_ERROR_MAX  512        /* bytes of a point's error text, NUL included */

/*
 * Reads a sweep file; relative cell and protocol paths are taken relative to its directory.
 * Every parameter value of every point is checked against the cell schema's range here, so a
 * value out of range (a negative thickness in a grid) fails at once naming the file, the
 * parameter and the point. Statuses: LMB_OK, LMB_EIO, LMB_EPARSE, LMB_EKEY (unknown parameter,
 * a placeholder without a value or a value without a placeholder), LMB_ERANGE, LMB_EUNIT, and
 * those of loading the cell and the protocol.
 */
lmb_status lmb_sweep_load(lmb_ctx *ctx, const char *path, lmb_sweep **out);

/* The same from JSON text; origin names it in messages, base_dir (NULL: ".") resolves paths. */
lmb_status lmb_sweep_parse(lmb_ctx *ctx, const char *json, const char *origin, const char *base_dir,
                           lmb_sweep **out);

void lmb_sweep_free(lmb_sweep *sw);

long lmb_sweep_point_count(const lmb_sweep *sw);
int lmb_sweep_param_count(const lmb_sweep *sw);
/* "electrodes.coating.loading_mg_cm2", "protocol.current_mA_cm2" */
const char *lmb_sweep_param_name(const lmb_sweep *sw, int j);
/* 1 for a protocol placeholder, 0 for a cell parameter */
int lmb_sweep_param_is_protocol(const lmb_sweep *sw, int j);
/* Value of parameter j at point i, in the unit of its key; NaN outside the ranges. */
double lmb_sweep_value(const lmb_sweep *sw, long i, int j);
/* "grid", "list" or "lhs" */
const char *lmb_sweep_design(const lmb_sweep *sw);
/* 1 when each point's time series is to be written (the file's "timeseries") */
int lmb_sweep_wants_timeseries(const lmb_sweep *sw);
/* A 16-hex-digit fingerprint of everything that decides the results: the sweep file's
 * settings, the resolved base cell and the protocol text. A catalogue made by one sweep is
 * resumed only by a sweep with the same fingerprint. */
const char *lmb_sweep_fingerprint(const lmb_sweep *sw);
/* The canonical sweep settings as JSON text (stored in the catalogue). */
const char *lmb_sweep_json(const lmb_sweep *sw);
/* The base cell's name and the protocol's origin, for messages and the catalogue. */
const char *lmb_sweep_cell_name(const lmb_sweep *sw);
const char *lmb_sweep_protocol_name(const lmb_sweep *sw);

/* How a point ended. */
typedef enum lmb_sweep_point_status {
    LMB_SWEEP_POINT_OK = 0,  /* the protocol ran to its end, a short or its total time */
    LMB_SWEEP_POINT_FAILED,  /* the solver failed; the metrics are those of what ran */
    LMB_SWEEP_POINT_INVALID, /* the point's cell or protocol was rejected (error says why) */
} lmb_sweep_point_status;

const char *lmb_sweep_point_status_name(int status); /* "ok", "failed", "invalid"; NULL else */

/* Why a point's life ended (cycle_life). */
typedef enum lmb_sweep_life_end {
    LMB_SWEEP_LIFE_NONE = 0,  /* neither criterion met within the protocol: censored */
    LMB_SWEEP_LIFE_SHORT,     /* a short circuit */
    LMB_SWEEP_LIFE_RETENTION, /* retention fell below the threshold */
} lmb_sweep_life_end;

const char *lmb_sweep_life_end_name(int end); /* NULL, "short", "retention" */

/*
 * The metrics of one point, SI (the catalogue writes lab units). Undefined values are NaN (and
 * counts 0). Definitions (docs/sweeps.md): cycles are those with both half cycles; the short
 * is the model's short flag ending the run, else the collapse of the overpotential
 * (lmb/symmetric.h); the overpotential metrics are those of symmetric cells and NaN otherwise;
 * means run over the complete cycles before the end of life.
 */
typedef struct lmb_sweep_result {
    long point;
    int status;                      /* lmb_sweep_point_status */
    char error[LMB_SWEEP_ERROR_MAX]; /* "" if none */
    int end;                         /* lmb_run_end of the run */
    int cycles;                      /* complete cycles */
    double test_time_s;              /* [s] simulated */
    int cycle_life;                  /* the cycle in which life ended, 0 if it did not */
    int life_end;                    /* lmb_sweep_life_end */
    double life_s;                   /* [s] test time at the end of life */
    double short_s;                  /* [s] */
    int short_cycle;
    double rise_onset_s;                          /* [s] */
    double eta_initial_V, eta_mean_V, eta_last_V; /* [V] */
    double ce_mean, ce_last;                      /* [1] */
    double retention_last;                        /* [1] */
    double capacity_first_C_m2; /* [C/m2] returned capacity of the first complete cycle */
    double capacity_last_C_m2;  /* [C/m2] of the last one */
    long ida_steps, res_evals;
    /* not part of the result proper: where and how long (the catalogue keeps them apart) */
    double wall_s; /* [s] */
    int rank, worker;
} lmb_sweep_result;

/*
 * A worker computes points: it holds its own context, the base cell and the parsed protocol.
 * One per thread; create it from the thread that uses it.
 */
typedef struct lmb_sweep_worker lmb_sweep_worker;

lmb_status lmb_sweep_worker_create(lmb_ctx *ctx, const lmb_sweep *sw, lmb_sweep_worker **out);
void lmb_sweep_worker_free(lmb_sweep_worker *w);

/* The sentence of the worker's last failure (its own context's; "" if none). */
const char *lmb_sweep_worker_errmsg(const lmb_sweep_worker *w);

/*
 * Computes point i (0 <= i < count). A point that fails or is rejected is a result, not an
 * error: *out is always filled. With series_dir (may be NULL) the point's timeseries.bdf.csv and
 * cycles.csv are written there (created if missing). Statuses: LMB_OK, LMB_EINVAL (i out of
 * range), LMB_ENOMEM, LMB_EIO (the series could not be written).
 */
lmb_status lmb_sweep_worker_run(lmb_sweep_worker *w, long i, const char *series_dir,
                                lmb_sweep_result *out);

/* The directory of point i's time series: "OUT_DIR/points/NNN" with as many digits as the
 * largest point number has (snprintf semantics: returns the length needed). */
int lmb_sweep_point_dir(const lmb_sweep *sw, const char *out_dir, long i, char *buf, size_t size);

/* Progress after each point committed. */
typedef struct lmb_sweep_progress {
    long total;      /* points of the sweep */
    long done;       /* in the catalogue, this run's included */
    long computed;   /* by this run */
    long failed;     /* this run's points with status failed or invalid */
    long to_compute; /* missing when this run started */
    double elapsed_s;
} lmb_sweep_progress;

/*
 * Remote workers (MPI ranks, other processes): the coordinator hands each one point at a time.
 * poll() returns 1 when a remote worker has spoken (*worker its number, 0..workers-1, and
 * *has_result 1 with *result filled when it returns a point, 0 when it asks for its first), 0
 * when none has, -1 on a transport failure; it must not block. send() gives worker a point, or
 * -1 to stop it; 0 on success, -1 on failure.
 */
typedef struct lmb_sweep_transport {
    int workers;
    int (*poll)(void *user, int *worker, int *has_result, lmb_sweep_result *result);
    int (*send)(void *user, int worker, long point);
    void *user;
} lmb_sweep_transport;

typedef struct lmb_sweep_options {
    int jobs;                          /* local worker threads (>= 0; 0 only with remote workers) */
    const char *out_dir;               /* with timeseries: DIR/points/<point>/ */
    const char *command;               /* for the catalogue's run log (may be NULL) */
    const lmb_sweep_transport *remote; /* NULL: local threads only */
    /* checked between points: when it becomes non-zero no new point starts, the points
     * running finish and are committed, and lmb_sweep_run returns LMB_ESTATE */
    const volatile int *stop;
    void (*progress)(void *user, const lmb_sweep_progress *p);
    void *progress_user;
} lmb_sweep_options;

/*
 * Runs the points missing from the catalogue path (SQLite; created if absent) on opt->jobs
 * threads and the remote workers, committing each result in its own transaction as it arrives,
 * so that a run killed at any moment loses only the points in flight and a re-run computes only
 * the missing ones. A catalogue made by another sweep (another fingerprint) is refused. Stats
 * may be NULL. Statuses: LMB_OK, LMB_EINVAL, LMB_EIO (the catalogue: sqlite3's message kept),
 * LMB_ESTATE (a catalogue of another sweep, or stopped), LMB_ENOMEM.
 */
lmb_status lmb_sweep_run(lmb_ctx *ctx, const lmb_sweep *sw, const char *path,
                         const lmb_sweep_options *opt, lmb_sweep_progress *stats);

#ifdef __cplusplus
}
#endif
#endif
