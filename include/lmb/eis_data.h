/*
 * lmb/eis_data.h - measured impedance spectra read from instrument and text files.
 *
 * lmb_eis_data_load reads a file into a spectrum set: one or more spectra, each of n points of
 * frequency f [Hz], Z_re and Z_im [ohm]. The format is detected from the content, not from the
 * extension:
 *   "biologic-mpt"  BioLogic EC-Lab ASCII export (PEIS, GEIS): first line "EC-Lab ASCII FILE",
 *                   "Nb header lines : N", tab-separated columns named freq/Hz, Re(Z)/Ohm,
 *                   -Im(Z)/Ohm (or Im(Z)/Ohm), optional "cycle number" / "z cycle"; also the
 *                   export without the header block (the first line is the column names).
 *                   Latin-1, LF or CRLF, decimal point or decimal comma.
 *   "text-columns"  CSV, TSV or whitespace-separated text whose first three columns are f,
 *                   Re(Z), Im(Z); optional header lines of text before the data, comments after
 *                   '#'. Separators: ';' (decimal commas allowed), ',' (decimal point), or runs
 *                   of tabs/spaces (decimal commas allowed). One spectrum per file.
 *   "biologic-mpr"  BioLogic EC-Lab binary file ("BIO-LOGIC MODULAR FILE"): the "VMP data"
 *                   module, its column-ID table and records (data module versions 0, 2, 3; both
 *                   module-header layouts, before and after EC-Lab 11.50). Z from the Re(Z) and
 *                   -Im(Z) columns, or from |Z| and Phase(Z) if those are absent. Rows with
 *                   f = 0 and Z = 0 belong to other techniques of the same record (a Modulo Bat
 *                   file mixing GCPL and EIS): they are skipped and end a spectrum. A column ID
 *                   whose width lmb does not know makes the record unreadable: LMB_EUNSUPPORTED.
 *
 * Sign convention: Z_im is in the physics sign, Z = Z_re + j Z_im, so capacitive behaviour has
 * Z_im < 0 (a Nyquist plot shows -Z_im upwards). Files that store -Z'' are negated on reading and
 * say so (lmb_eis_data_im_flipped). How a file is judged:
 *   .mpt: from the column name: "-Im(Z)/Ohm" is -Z'' (flipped), "Im(Z)/Ohm" is Z''.
 *   .mpr: column ID 38 is -Im(Z)/Ohm (flipped); Z from |Z| and Phase(Z) needs no flip.
 *   text: a header whose third column name starts with '-' ("-Z''", "-Im(Z)") is -Z''; else the
 *         data decide: among the points at or below the median frequency (where a battery or
 *         electrode spectrum is capacitive; the highest frequencies may be inductive), if more
 *         have Im > 0 than Im < 0 the column is -Z'' and is negated.
 *
 * Spectra: an .mpt or .mpr with a "z cycle" or "cycle number" column gives one spectrum per
 * run of rows with the same values of those columns; without them a new spectrum starts where
 * the frequency sweep turns back (the frequency steps against the direction of the sweep so
 * far). A text-columns file is one spectrum.
 */
#ifndef LMB_EIS_DATA_H
#define LMB_EIS_DATA_H

#include <stddef.h>

#include "lmb/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A set of measured spectra and where they came from; opaque, read through the accessors. */
typedef struct lmb_eis_data lmb_eis_data;

/*
 * Reads the impedance spectra of the file at path; *out is NULL on failure, else owned by the
 * caller (lmb_eis_data_free). Every point has 0 < f < inf and finite Z_re, Z_im.
 * Statuses: LMB_OK; LMB_EINVAL (NULL argument); LMB_EIO (the file cannot be opened or read);
 * LMB_EPARSE (empty file, binary content, a missing column, a field that is not a number, a
 * row with too few fields, a header that announces more lines than the file has, no data rows);
 * LMB_ERANGE (a frequency <= 0 or not finite, an impedance not finite); LMB_EUNSUPPORTED
 * (an .mpr with an unknown column ID or data-module version); LMB_ENOMEM. The context's sentence
 * names the file and, for content errors, the line (from 1) and the field or column of a text
 * file, or the point and byte offset of an .mpr.
 */
lmb_status lmb_eis_data_load(lmb_ctx *ctx, const char *path, lmb_eis_data **out);

/* Frees a spectrum set; NULL is a no-op. */
void lmb_eis_data_free(lmb_eis_data *d);

/* The number of spectra (>= 1 for a loaded set; 0 for NULL). */
size_t lmb_eis_data_count(const lmb_eis_data *d);

/*
 * Spectrum i (from 0), in file order: number of points, and arrays of n values owned by the set
 * (valid until lmb_eis_data_free). Out of range or NULL d: n = 0 and the arrays are NULL.
 */
size_t lmb_eis_data_n(const lmb_eis_data *d, size_t i);
const double *lmb_eis_data_f(const lmb_eis_data *d, size_t i);  /* [Hz] */
const double *lmb_eis_data_re(const lmb_eis_data *d, size_t i); /* Z_re [ohm] */
const double *lmb_eis_data_im(const lmb_eis_data *d, size_t i); /* Z_im [ohm], physics sign */

/*
 * The cycle/loop index of spectrum i as the file writes it ("z cycle" if the file has that
 * column, else "cycle number"), or -1 if the file has no such column (or i is out of range).
 */
long lmb_eis_data_cycle(const lmb_eis_data *d, size_t i);

/* The path the set was loaded from. */
const char *lmb_eis_data_path(const lmb_eis_data *d);

/* The detected format: "biologic-mpr", "biologic-mpt" or "text-columns". */
const char *lmb_eis_data_format(const lmb_eis_data *d);

/* 1 if the file's imaginary column held -Z'' and was negated on reading, else 0. */
int lmb_eis_data_im_flipped(const lmb_eis_data *d);

/*
 * One sentence saying how the sign was decided, for a CLI to print, e.g.
 * "column \"-Im(Z)/Ohm\" holds -Z''; negated" or
 * "Im(Z) < 0 at 50 of 53 points at or below the median frequency: physics sign, kept".
 */
const char *lmb_eis_data_sign_note(const lmb_eis_data *d);

#ifdef __cplusplus
}
#endif
#endif
