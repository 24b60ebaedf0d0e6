/*
 * lmb/protocol.h - cycler protocols: the text language, its parsed form, and running it.
 *
 * A protocol is a text file of cycler steps, one a line, in the grammar PyBaMM users know plus
 * lithium-metal words and loops (docs/protocols.md):
 *
 *   # Adams CE protocol, one preconditioning cycle
 *   Plate at 0.4 mA/cm2 for 4 mAh/cm2
 *   Strip at 0.4 mA/cm2 until 1 V
 *   Repeat 10 times:
 *       Strip at 0.4 mA/cm2 for 0.5 mAh/cm2
 *       Plate at 0.4 mA/cm2 for 0.5 mAh/cm2
 *   Charge at C/10 for 11 hours or until 3.6 V
 *   Hold at 3.6 V until C/50
 *   Rest for 30 minutes
 *   EIS from 1 MHz to 1 mHz with 10 points per decade at 10 mV
 *   Plate at 1 mA/cm2 for 1 mAh/cm2 or until short or until total time 600 h
 *
 * Parsing gives an lmb_protocol: a flat array of steps in file order where a Repeat step is
 * followed by its body (body_len entries, nested repeats included). Quantities are stored in SI
 * with the kind of unit the user wrote (absolute, areal, C-rate), because areal values and
 * C-rates are resolved against a cell only when the protocol runs.
 */
#ifndef LMB_PROTOCOL_H
#define LMB_PROTOCOL_H

#include "lmb/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum lmb_pstep_kind {
    LMB_PSTEP_CHARGE = 0, /* positive current */
    LMB_PSTEP_DISCHARGE,  /* negative current */
    LMB_PSTEP_PLATE,      /* Li onto the working electrode: negative current (BDF) */
    LMB_PSTEP_STRIP,      /* Li off the working electrode: positive current */
    LMB_PSTEP_HOLD,       /* constant voltage */
    LMB_PSTEP_REST,
    LMB_PSTEP_EIS,
    LMB_PSTEP_REPEAT,
    LMB_PSTEP_NEW_CYCLE /* the line "New cycle": the next step starts a cycle */
} lmb_pstep_kind;

/* How a current or capacity was given. */
typedef enum lmb_qty_kind {
    LMB_QTY_ABSOLUTE = 0, /* A, or C for capacities */
    LMB_QTY_AREAL,        /* A/m2, or C/m2 */
    LMB_QTY_CRATE         /* multiple of the nominal capacity per hour [1/h]; C/10 -> 0.1 */
} lmb_qty_kind;

typedef enum lmb_cond_kind {
    LMB_COND_STEP_TIME = 0, /* "for 1 h", "until 1 h": step time >= value [s] */
    LMB_COND_CAPACITY,      /* "for 1 mAh/cm2": |charge in the step| >= value [C or C/m2] */
    LMB_COND_VOLTAGE,       /* "until 3.6 V": V reaches value [V] (from either side) */
    LMB_COND_CURRENT,       /* "until 50 mA", "until C/50": |I| <= value [A, A/m2 or C-rate] */
    LMB_COND_TOTAL_TIME,    /* "until total time 600 h": test time >= value [s]; ends the run */
    LMB_COND_SHORT          /* "until short": the model's short-circuit flag; ends the run */
} lmb_cond_kind;

typedef struct lmb_condition {
    lmb_cond_kind kind;
    double value;     /* SI: s, C, C/m2, V, A, A/m2, or 1/h for C-rates */
    lmb_qty_kind qty; /* for CAPACITY and CURRENT */
    int line, column; /* where it was written (1-based) */
} lmb_condition;

#define LMB_PROTOCOL_MAX_CONDITIONS 8

typedef struct lmb_protocol_step {
    lmb_pstep_kind kind;
    int line; /* 1-based line in the file */
    /* CHARGE/DISCHARGE/PLATE/STRIP: the magnitude of the current (always > 0) */
    double current; /* [A], [A/m2] or C-rate [1/h] */
    lmb_qty_kind current_qty;
    /* HOLD */
    double voltage; /* [V] */
    /* EIS */
    double f_start_Hz, f_end_Hz;
    int points_per_decade;    /* default 10 */
    double amplitude;         /* [V] if amplitude_is_current == 0, else [A] or [A/m2] */
    int amplitude_is_current; /* 0: potentiostatic (V), 1: galvanostatic */
    lmb_qty_kind amplitude_qty;
    /* REPEAT */
    long count;   /* number of repetitions */
    int body_len; /* number of entries after this one that form its body */
    /* limits of a current, hold or rest step, joined by "or" */
    int n_conditions;
    lmb_condition conditions[LMB_PROTOCOL_MAX_CONDITIONS];
} lmb_protocol_step;

typedef struct lmb_protocol lmb_protocol;

/* Limits and defaults of the language (docs/protocols.md). */
#define LMB_PROTOCOL_MAX_DEPTH                 64          /* nested Repeat blocks */
#define LMB_PROTOCOL_MAX_STEPS                 100000      /* entries (lines of steps) */
#define LMB_PROTOCOL_MAX_BYTES                 (16 << 20)  /* text size: 16 MiB */
#define LMB_PROTOCOL_MAX_REPEAT                1000000000L /* "Repeat N times:", N <= this */
#define LMB_PROTOCOL_MAX_POINTS_PER_DECADE     1000
#define LMB_PROTOCOL_DEFAULT_POINTS_PER_DECADE 10
#define LMB_PROTOCOL_DEFAULT_AMPLITUDE_V       0.01 /* [V] EIS amplitude when none is given */

/*
 * Parses protocol text. origin names it in messages ("adams.txt"). On a syntax error the
 * context holds one line "ORIGIN:LINE:COL: found 'X', expected Y" and the status is LMB_EPARSE
 * (LMB_EUNIT for a unit that does not parse or has the wrong dimension, LMB_ERANGE for a value
 * out of range such as a negative current or "Repeat 0 times").
 */
lmb_status lmb_protocol_parse(lmb_ctx *ctx, const char *text, const char *origin,
                              lmb_protocol **out);

/* Reads and parses a file, or a built-in protocol named "protocol:<name>" (the files of
 * protocols/ are compiled in: "protocol:li-li-1mA"). (LMB_EIO if it cannot be read; LMB_ERANGE if
 * it is larger than LMB_PROTOCOL_MAX_BYTES; LMB_EPARSE if it holds a NUL byte). */
lmb_status lmb_protocol_load(lmb_ctx *ctx, const char *path, lmb_protocol **out);

void lmb_protocol_free(lmb_protocol *p);

int lmb_protocol_step_count(const lmb_protocol *p); /* entries, repeats and bodies included */
const lmb_protocol_step *lmb_protocol_step_at(const lmb_protocol *p, int i);
const char *lmb_protocol_origin(const lmb_protocol *p);

/* Canonical text of one entry (no indentation), e.g. "Plate at 0.4 mA/cm2 for 4 mAh/cm2";
 * writes at most size bytes, returns the length it needed (snprintf semantics). */
int lmb_protocol_step_format(const lmb_protocol_step *s, char *buf, int size);

#ifdef __cplusplus
}
#endif
#endif
