/*
 * eis_figure.h - Nyquist and Bode figures of impedance spectra (PLplot, cairo SVG driver).
 *
 * The figures of `lmb eis ... -o DIR`, drawn by the figures module (figure.h).
 */
#ifndef LMB_IO_EIS_FIGURE_H
#define LMB_IO_EIS_FIGURE_H

#include <stddef.h>

#include "lmb/ctx.h"

/*
 * Writes DIR/nyquist_<k>.svg and .png (-Z'' against Z', equal axes) and DIR/bode_<k>.svg and
 * .png (|Z| and the phase against the frequency) of spectrum k: the n points (f [Hz], Z_re, Z_im
 * [ohm], physics sign) as symbols and, when fit_f is not NULL, the m points of a fitted curve as a
 * line. title heads both figures. Statuses: LMB_OK, LMB_EINVAL (n < 1 or a value not finite),
 * LMB_EIO (a file could not be written).
 */
lmb_status lmb__eis_figures(lmb_ctx *ctx, const char *dir, size_t k, const char *title,
                            const double *f, const double *Z_re, const double *Z_im, size_t n,
                            const double *fit_f, const double *fit_re, const double *fit_im,
                            size_t m);

#endif
