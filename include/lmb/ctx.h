/*
 * lmb/ctx.h - the library context.
 *
 * All state of the library hangs off an lmb_ctx: the last error sentence, the log callback and
 * the options that apply to every object created from it. There is no global mutable state, so
 * two contexts can be used from two threads at once. Objects created from a context must be
 * freed before it.
 */
#ifndef LMB_CTX_H
#define LMB_CTX_H

#include "lmb/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lmb_ctx lmb_ctx;

/* Creates a context. Returns LMB_OK or LMB_ENOMEM; *out is NULL on failure. */
lmb_status lmb_ctx_create(lmb_ctx **out);

/* Frees a context; NULL is a no-op. */
void lmb_ctx_free(lmb_ctx *ctx);

/*
 * The sentence describing the last failure reported through this context ("" if none). The
 * pointer stays valid until the next call that fails.
 */
const char *lmb_ctx_errmsg(const lmb_ctx *ctx);

/* The status of the last failure (LMB_OK if none). */
lmb_status lmb_ctx_errcode(const lmb_ctx *ctx);

/* Forgets the last failure. */
void lmb_ctx_clear_error(lmb_ctx *ctx);

/* Log levels for the optional log callback. */
typedef enum lmb_log_level {
    LMB_LOG_ERROR = 0,
    LMB_LOG_WARN,
    LMB_LOG_INFO,
    LMB_LOG_DEBUG
} lmb_log_level;

typedef void (*lmb_log_fn)(void *user, lmb_log_level level, const char *msg);

/* Installs a log callback (NULL removes it). The library itself never prints. */
void lmb_ctx_set_log(lmb_ctx *ctx, lmb_log_fn fn, void *user, lmb_log_level max_level);

#ifdef __cplusplus
}
#endif
#endif
