/*
 * eis_internal.h - what the library reads back from an impedance-spectra writer.
 */
#ifndef LMB_IO_EIS_INTERNAL_H
#define LMB_IO_EIS_INTERNAL_H

#include "lmb/sim.h"

/* The no-fit arc width R_SEI [ohm] of spectrum i (from 0) written so far; NaN if the spectrum
 * had no capacitive arc or i is out of range. */
double lmb__eis_writer_r_sei(const lmb_eis_writer *w, int i);

#endif
