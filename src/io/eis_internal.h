/*
 * eis_internal.h - what the library shares inside about impedance: the writer's R_SEI, the reader
 * of bytes in memory.
 */
#ifndef LMB_IO_EIS_INTERNAL_H
#define LMB_IO_EIS_INTERNAL_H

#include "lmb/eis_data.h"
#include "lmb/sim.h"

/* The no-fit arc width R_SEI [ohm] of spectrum i (from 0) written so far; NaN if the spectrum
 * had no capacitive arc or i is out of range. */
double lmb__eis_writer_r_sei(const lmb_eis_writer *w, int i);

/* Reads a spectrum set from bytes in memory (len bytes, NUL-terminated at buf[len], cut in
 * place); name stands for the path in messages. As lmb_eis_data_load otherwise. */
lmb_status lmb__eis_data_parse(lmb_ctx *ctx, const char *name, char *buf, size_t len,
                               lmb_eis_data **out);

#endif
