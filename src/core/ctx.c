/*
 * ctx.c - the library context, status messages and the error buffer.
 *
 * Errors are raised with LMB__FAIL, which stores one sentence in the context beside the code
 * (the sqlite3_errmsg design): the caller prints lmb_ctx_errmsg() and needs nothing else.
 */
#include "core/ctx_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *lmb_strerror(int status) {
    switch (status) {
#define LMB__STATUS_MSG(name, value, msg)                                                          \
    case value:                                                                                    \
        return msg;
        LMB_STATUS_LIST(LMB__STATUS_MSG)
#undef LMB__STATUS_MSG
    default:
        return "unknown status";
    }
}

const char *lmb_status_name(int status) {
    switch (status) {
#define LMB__STATUS_NAME(name, value, msg)                                                         \
    case value:                                                                                    \
        return #name;
        LMB_STATUS_LIST(LMB__STATUS_NAME)
#undef LMB__STATUS_NAME
    default:
        return "LMB_UNKNOWN";
    }
}

lmb_status lmb_ctx_create(lmb_ctx **out) {
    if (!out)
        return LMB_EINVAL;
    *out = calloc(1, sizeof(lmb_ctx));
    if (!*out)
        return LMB_ENOMEM;
    (*out)->log_max = LMB_LOG_WARN;
    return LMB_OK;
}

void lmb_ctx_free(lmb_ctx *ctx) {
    free(ctx);
}

const char *lmb_ctx_errmsg(const lmb_ctx *ctx) {
    return ctx ? ctx->errmsg : "";
}

lmb_status lmb_ctx_errcode(const lmb_ctx *ctx) {
    return ctx ? ctx->errcode : LMB_OK;
}

void lmb_ctx_clear_error(lmb_ctx *ctx) {
    if (!ctx)
        return;
    ctx->errcode = LMB_OK;
    ctx->errmsg[0] = '\0';
}

lmb_status lmb__ctx_fail(lmb_ctx *ctx, lmb_status status, const char *fmt, ...) {
    if (!ctx)
        return status;
    ctx->errcode = status;
    char raw[LMB__ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    lmb__escape(ctx->errmsg, sizeof ctx->errmsg, raw);
    return status;
}

void lmb__ctx_prefix_error(lmb_ctx *ctx, const char *prefix) {
    if (!ctx || !prefix || !prefix[0])
        return;
    char shown[LMB__ERRMSG_MAX / 2], tmp[2 * LMB__ERRMSG_MAX];
    lmb__escape(shown, sizeof shown, prefix);
    snprintf(tmp, sizeof tmp, "%s: %s", shown, ctx->errmsg);
    tmp[LMB__ERRMSG_MAX - 1] = '\0'; /* truncate to the buffer */
    memcpy(ctx->errmsg, tmp, LMB__ERRMSG_MAX);
}

void lmb__escape_n(char *dst, size_t n, const char *s, size_t len) {
    if (!dst || n == 0)
        return;
    size_t full = 0; /* the escaped length */
    for (size_t i = 0; i < len; i++)
        full += ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? 4 : 1;
    int cut = full >= n && n > 4;
    size_t room = cut ? n - 4 : n - 1, o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        size_t need = (c < 0x20 || c == 0x7f) ? 4 : 1;
        if (o + need > room)
            break;
        if (need == 4)
            snprintf(dst + o, 5, "\\x%02x", c);
        else
            dst[o] = (char)c;
        o += need;
    }
    if (cut) {
        memcpy(dst + o, "...", 3);
        o += 3;
    }
    dst[o] = '\0';
}

void lmb__escape(char *dst, size_t n, const char *s) {
    lmb__escape_n(dst, n, s, s ? strlen(s) : 0);
}

void lmb_ctx_set_log(lmb_ctx *ctx, lmb_log_fn fn, void *user, lmb_log_level max_level) {
    if (!ctx)
        return;
    ctx->log_fn = fn;
    ctx->log_user = user;
    ctx->log_max = max_level;
}

void lmb__log(lmb_ctx *ctx, lmb_log_level level, const char *fmt, ...) {
    if (!ctx || !ctx->log_fn || level > ctx->log_max)
        return;
    char buf[LMB__ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ctx->log_fn(ctx->log_user, level, buf);
}
