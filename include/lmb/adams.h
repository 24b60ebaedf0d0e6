/*
 * lmb/adams.h - the coulombic efficiency of Li plating and stripping on Cu by the method of
 * Adams et al. (Adv. Energy Mater. 2018, 8, 1702097, doi:10.1002/aenm.201702097), as modified in
 * the reference study, for a simulated or a measured Li||Cu record alike.
 *
 * The protocol (working electrode = Cu):
 *   n_pre preconditioning cycles   plate Q_p on Cu, strip to a cut-off voltage (typically 1 V)
 *   reservoir                      plate Q_T
 *   n cycles                       strip Q_c, plate Q_c, with Q_c < Q_T
 *   final strip                    strip to the cut-off voltage, which recovers Q_S
 * The nominal efficiency is CE = (n Q_c + Q_S) / (n Q_c + Q_T). So that measured data work, the
 * charges actually passed are used:
 *   CE = (sum of the n cycle strips + Q_S) / (sum of the n cycle plates + Q_T)          [1]
 * Each preconditioning cycle gets its own strip/plate ratio.
 *
 * Sign convention (BDF, of the working electrode Cu): plating Li on Cu is a NEGATIVE charge,
 * stripping it a POSITIVE one. Every charge in the result is a magnitude (>= 0).
 */
#ifndef LMB_ADAMS_H
#define LMB_ADAMS_H

#include <stddef.h>

#include "lmb/ctx.h"
#include "lmb/summary.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest number of preconditioning cycles (the length of precondition_ce). */
#define LMB_ADAMS_MAX_PRECONDITION 8

/* Pass as n_precondition to detect the number of preconditioning cycles from the record. */
#define LMB_ADAMS_DETECT (-1)

/*
 * Detection: a cycle half cycle must pass less than this fraction of the reservoir's charge for
 * the plate before it to count as the reservoir.
 */
#define LMB_ADAMS_RESERVOIR_FRACTION 0.5

typedef struct lmb_adams_result {
    double ce;             /* [1] the Adams coulombic efficiency */
    double Q_T_C;          /* [C] reservoir plated */
    double Q_S_C;          /* [C] recovered by the final strip */
    double Q_c_plated_C;   /* [C] sum of the n cycle plates */
    double Q_c_stripped_C; /* [C] sum of the n cycle strips */
    int n_cycles;          /* n, cycles between the reservoir and the final strip (>= 1) */
    int n_precondition;    /* n_pre, given or detected */
    /* [1] strip/plate of each preconditioning cycle, NaN beyond n_precondition */
    double precondition_ce[LMB_ADAMS_MAX_PRECONDITION];
} lmb_adams_result;

/*
 * Computes the Adams coulombic efficiency of one protocol run.
 *
 * half_charge_C   the signed charge of each consecutive half cycle of the record [C], plating on
 *                 Cu negative, stripping positive; zeros (rests) are skipped. After skipping
 *                 them the signs must alternate, starting with a plate and ending with the final
 *                 strip, and the record must hold exactly one protocol run:
 *                 n_pre x (plate, strip), reservoir plate, n x (strip, plate), final strip.
 * n_half          the number of entries of half_charge_C
 * n_precondition  n_pre in 0..LMB_ADAMS_MAX_PRECONDITION, or LMB_ADAMS_DETECT: the reservoir is
 *                 then the first plate after which every half cycle but the final strip passes
 *                 less than LMB_ADAMS_RESERVOIR_FRACTION of its charge, with at least one cycle
 *                 before the final strip; n_pre is the number of (plate, strip) pairs before it.
 * out             the result, written only on success (caller-owned)
 *
 * Statuses: LMB_OK; LMB_EINVAL for a NULL argument, n_precondition out of range, a charge that is
 * not finite, signs that do not alternate, no final strip, a record too short for n_pre, fewer
 * than one cycle after the reservoir, a cycle half cycle not smaller than the reservoir (n_pre
 * given), or more than LMB_ADAMS_MAX_PRECONDITION preconditioning cycles detected;
 * LMB_ENOTFOUND when detection finds no reservoir. Half cycles are named in the error sentence
 * by their position in half_charge_C, counted from 1 with the zeros.
 */
lmb_status lmb_adams_ce(lmb_ctx *ctx, const double *half_charge_C, size_t n_half,
                        int n_precondition, lmb_adams_result *out);

/*
 * The same from a per-cycle summary (lmb/summary.h) of a Li||Cu record, simulated or measured:
 * each cycle contributes its discharge (plating on the Cu working electrode, negative) and its
 * charge (stripping, positive) in the order the cycle started with. Statuses as above, and
 * LMB_ENOMEM.
 */
lmb_status lmb_adams_ce_summary(lmb_ctx *ctx, const lmb_summary *s, int n_precondition,
                                lmb_adams_result *out);

#ifdef __cplusplus
}
#endif
#endif
