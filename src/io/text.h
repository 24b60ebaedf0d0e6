/*
 * text.h - what every reader of instrument files shares: reading a whole file into memory,
 * cutting it into lines and fields in place, and parsing a field as a number.
 *
 * Buffers are NUL-terminated (one byte beyond len), so the readers may use the C string
 * functions; lines end at '\n' with a trailing '\r' dropped (LF and CRLF read alike). Numbers
 * are parsed with strtod after a decimal comma, where the format allows one, has been turned
 * into a point; the library never calls setlocale, so strtod reads a point under the "C" locale
 * a program starts in. A field must be consumed whole: "1.5abc" is not a number.
 */
#ifndef LMB_IO_TEXT_H
#define LMB_IO_TEXT_H

#include "lmb/status.h"

#include <stddef.h>

struct lmb_ctx;

/*
 * Reads the whole file at path into *buf (malloc'ed, NUL-terminated at (*buf)[*len]). A file
 * larger than max_bytes is refused with LMB_EPARSE ("larger than N bytes, not a WHAT"); what
 * names the kind of file expected. Statuses: LMB_OK, LMB_EIO, LMB_EPARSE, LMB_ENOMEM; the
 * sentence names the path.
 */
lmb_status lmb__read_whole_file(struct lmb_ctx *ctx, const char *path, size_t max_bytes,
                                const char *what, char **buf, size_t *len);

/* Cuts the next line out of [*pos, end) in place and advances *pos; NULL at the end. */
char *lmb__next_line(char **pos, char *end);

/* Space, tab, CR, VT or FF. */
int lmb__is_blank(char c);

/* Trims blanks at both ends in place; returns the start. */
char *lmb__trim(char *s);

/*
 * Parses a whole (trimmed) field as a number; a single decimal comma becomes a point if
 * decimal_comma and the field has no point. Returns 1 and *x on success, 0 if the field is empty
 * or not a number. Overflow gives +-HUGE_VAL: callers reject what is not finite.
 */
int lmb__parse_number(char *s, int decimal_comma, double *x);

/* Splits s at every sep in place into at most max trimmed fields; returns their number. */
int lmb__split_at(char *s, char sep, char **fields, int max);

/* Splits at tabs (trimmed fields); a trailing tab does not make an empty last field. */
int lmb__split_tabs(char *s, char **fields, int max);

/* Splits at runs of blanks (spaces and tabs); returns the number of fields. */
int lmb__split_blanks(char *s, char **fields, int max);

#endif
