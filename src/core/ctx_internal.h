/*
 * ctx_internal.h - what the library's modules see of the context: the error-setting macro and
 * the logger. LMB__FAIL(ctx, status, fmt, ...) writes one sentence to the context and returns
 * status from the calling function; it is the only way errors are raised inside lmb.
 */
#ifndef LMB_CTX_INTERNAL_H
#define LMB_CTX_INTERNAL_H

#include "lmb/ctx.h"

#include <stdarg.h>
#include <stddef.h>

#define LMB__ERRMSG_MAX 1024

struct lmb_ctx {
    lmb_status errcode;
    char errmsg[LMB__ERRMSG_MAX];
    lmb_log_fn log_fn;
    void *log_user;
    lmb_log_level log_max;
};

#if defined(__GNUC__)
#define LMB__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define LMB__PRINTF(a, b)
#endif

/*
 * Copies the len bytes at s into dst (size n) for an error message: bytes that would break a
 * one-line message (control characters) become \xNN, and a text longer than dst holds is cut
 * with "...". lmb__escape: the same for the NUL-terminated s (NULL: "").
 */
void lmb__escape_n(char *dst, size_t n, const char *s, size_t len);
void lmb__escape(char *dst, size_t n, const char *s);

/* Records status and a formatted sentence in ctx (ctx may be NULL); returns status. The
 * sentence stays one line whatever the arguments hold: control characters become \xNN
 * (lmb__escape). */
lmb_status lmb__ctx_fail(lmb_ctx *ctx, lmb_status status, const char *fmt, ...) LMB__PRINTF(3, 4);

/* Prefixes the present error sentence with "prefix: " (e.g. a file name; escaped as above). */
void lmb__ctx_prefix_error(lmb_ctx *ctx, const char *prefix);

void lmb__log(lmb_ctx *ctx, lmb_log_level level, const char *fmt, ...) LMB__PRINTF(3, 4);

#define LMB__FAIL(ctx, status, ...) return lmb__ctx_fail((ctx), (status), __VA_ARGS__)

#endif
