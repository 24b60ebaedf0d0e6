/*
 * sweep_internal.h - what the sweep's modules share: the parsed sweep (spec.c), the protocol
 * placeholders, and the per-point runner (point.c) used by the driver (run.c).
 */
#ifndef LMB_SWEEP_INTERNAL_H
#define LMB_SWEEP_INTERNAL_H

#include "lmb/lmb.h"
#include "lmb/sweep.h"

#include <stddef.h>

#define LMB__SWEEP_NAME_MAX 128 /* bytes of a parameter or placeholder name */
#define LMB__SWEEP_MAX_SET  256 /* fixed "set" entries and placeholder defaults */

typedef struct lmb__sweep_param {
    char name[LMB__SWEEP_NAME_MAX]; /* as written: "protocol.current_mA_cm2" or a cell key */
    int is_protocol;
    const char *placeholder; /* into name, after "protocol." (NULL for a cell key) */
} lmb__sweep_param;

struct lmb_sweep {
    char *origin;        /* the sweep file's path, for messages */
    char *cell_arg;      /* the resolved cell path or preset name */
    lmb_cell *base;      /* loaded, with "set" applied */
    char *protocol_name; /* origin of the protocol (path, "protocol:x", or "<origin>:protocol_text")
                          */
    char *protocol_text; /* the template */
    int protocol_has_placeholders;
    /* placeholder defaults */
    int n_defaults;
    char default_name[LMB__SWEEP_MAX_SET][LMB__SWEEP_NAME_MAX];
    double default_value[LMB__SWEEP_MAX_SET];
    /* the design */
    char design[8]; /* "grid", "list", "lhs" */
    int n_params;
    lmb__sweep_param params[LMB_SWEEP_MAX_PARAMS];
    long n_points;
    double *values;             /* n_points x n_params, row-major */
    double retention_threshold; /* [1]; 0 = none */
    int timeseries;
    int sparse; /* the sim option: KLU (1, default) or band (0) */
    char *json; /* canonical settings */
    char fingerprint[17];
};

/*
 * The protocol text of point `point` (point < 0: the defaults only): every {NAME} outside
 * comments replaced by the value of parameter "protocol.NAME" at that point, else by its
 * default. Returns a malloc'ed string, or NULL with the context set (LMB_EKEY for a placeholder
 * with no value, naming the line; LMB_ENOMEM).
 */
char *lmb__sweep_protocol_text(lmb_ctx *ctx, const lmb_sweep *sw, long point);

/* Writes the shortest decimal text of x that reads back to x ("%.15g", else "%.17g"). */
void lmb__sweep_format_number(double x, char *buf, size_t size);

#endif
