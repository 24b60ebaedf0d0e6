/*
 * fuzz_util.h - what the libFuzzer targets of text parsers share: the input as a C string with
 * a fresh context, and the check that an error is reported as one non-empty line.
 */
#ifndef LMB_FUZZ_UTIL_H
#define LMB_FUZZ_UTIL_H

#include "lmb/lmb.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A NUL-terminated copy of data[0..size) (free it) and a new context in *ctx (lmb_ctx_free
 * it); NULL, with nothing to free, when either cannot be had. */
static inline char *fuzz_text(const uint8_t *data, size_t size, lmb_ctx **ctx) {
    *ctx = NULL;
    char *text = malloc(size + 1);
    if (!text)
        return NULL;
    memcpy(text, data, size);
    text[size] = '\0';
    if (lmb_ctx_create(ctx) != LMB_OK) {
        free(text);
        return NULL;
    }
    return text;
}

/* Aborts unless the context's error message is one non-empty line. */
static inline void fuzz_check_msg(const lmb_ctx *ctx) {
    const char *msg = lmb_ctx_errmsg(ctx);
    if (!msg[0] || strchr(msg, '\n'))
        abort();
}

#endif
