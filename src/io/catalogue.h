/*
 * catalogue.h - the SQLite catalogue of a sweep (DIR/sweep.sqlite): one row per point,
 * parameters and metrics as columns, written in transactions so that a sweep killed at any
 * moment can be resumed (lmb/sweep.h, docs/sweeps.md).
 *
 * Tables:
 *   meta(key TEXT PRIMARY KEY, value TEXT)       lmb_version, fingerprint, sweep (JSON), cell,
 *                                                protocol, design, points (total)
 *   parameters(position INTEGER PRIMARY KEY, name TEXT, kind TEXT)   kind "cell" | "protocol"
 *   points(point INTEGER PRIMARY KEY, "<param 1>" REAL, ..., status TEXT NOT NULL, error TEXT,
 *          end_reason TEXT, cycles INTEGER, test_time_h REAL, cycle_life INTEGER,
 *          life_end TEXT, life_h REAL, short_h REAL, short_cycle INTEGER, rise_onset_h REAL,
 *          eta_initial_mV REAL, eta_mean_mV REAL, eta_last_mV REAL, ce_mean_percent REAL,
 *          ce_last_percent REAL, retention_last_percent REAL, capacity_first_mAh_cm2 REAL,
 *          capacity_last_mAh_cm2 REAL, ida_steps INTEGER, residual_evaluations INTEGER)
 *          -- the results proper: a function of the sweep file and the point alone, so two
 *          catalogues of one sweep have identical points tables whoever computed them
 *   runs(run INTEGER PRIMARY KEY, started_utc TEXT, finished_utc TEXT, host TEXT,
 *        command TEXT, workers INTEGER, computed INTEGER, status TEXT)
 *          -- one row per invocation; computed counts the points it committed
 *   point_log(point INTEGER PRIMARY KEY, run INTEGER, rank INTEGER, worker INTEGER,
 *             wall_s REAL)  -- who computed each point and how long it took
 * NaN metrics are NULL, and end_reason of an invalid point (it never ran); a count of 0 that means
 * "undefined" (cycle_life, short_cycle) is NULL. Parameter columns are named by the parameter key
 * exactly ("electrodes.coating.loading_mg_cm2", quoted in SQL).
 *
 * The database runs in WAL mode with synchronous=NORMAL: a commit survives the process being
 * killed (not a power cut, which may lose the last commits; they are then recomputed).
 */
#ifndef LMB_IO_CATALOGUE_H
#define LMB_IO_CATALOGUE_H

#include "lmb/sweep.h"

/* What the catalogue needs to know of the sweep. */
typedef struct lmb__catalogue_spec {
    const char *fingerprint; /* identifies the sweep (lmb_sweep_fingerprint) */
    const char *sweep_json;  /* stored in meta */
    const char *cell;        /* base cell name */
    const char *protocol;    /* protocol origin */
    const char *design;      /* "grid", "list", "lhs" */
    long points;             /* total */
    int n_params;
    const char *const *param_names; /* column names */
    const int *param_is_protocol;   /* 1: kind "protocol", 0: "cell" */
} lmb__catalogue_spec;

/* The invocation, for the runs table (open takes NULL for: no command, 0 workers). */
typedef struct lmb__catalogue_run {
    const char *command; /* may be NULL */
    int workers;         /* threads + remote workers */
} lmb__catalogue_run;

typedef struct lmb__catalogue lmb__catalogue;

/*
 * Opens path, creating the tables if the file is new, and starts a row of the runs table.
 * An existing catalogue must have the same fingerprint (LMB_ESTATE naming the file and both
 * fingerprints if not) and the same parameter columns. The points already present are read
 * into a bitmap (lmb__catalogue_has). Statuses: LMB_OK, LMB_EIO (sqlite3's message, with the
 * path), LMB_ESTATE, LMB_EINVAL, LMB_ENOMEM.
 */
lmb_status lmb__catalogue_open(lmb_ctx *ctx, const char *path, const lmb__catalogue_spec *spec,
                               const lmb__catalogue_run *run, lmb__catalogue **out);

/* 1 if point i has a row (at open, or put since). */
int lmb__catalogue_has(const lmb__catalogue *c, long i);
/* Rows in the points table. */
long lmb__catalogue_count(const lmb__catalogue *c);

/*
 * Inserts one point: its parameter values (n_params, in the units of their keys) and result,
 * its point_log row, and computed + 1 in this run's row, in one transaction. A point already
 * present is LMB_ESTATE (nothing written). Statuses: LMB_OK, LMB_EIO, LMB_ESTATE, LMB_EINVAL.
 */
lmb_status lmb__catalogue_put(lmb_ctx *ctx, lmb__catalogue *c, const double *values,
                              const lmb_sweep_result *r);

/* Marks this run's row finished with status ("completed", "stopped", "failed"), closes and
 * frees (also on failure). c NULL is a no-op. Statuses: LMB_OK, LMB_EINVAL (another status:
 * the row stays 'running'), LMB_EIO. */
lmb_status lmb__catalogue_close(lmb_ctx *ctx, lmb__catalogue *c, const char *status);

#endif
