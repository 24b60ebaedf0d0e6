/*
 * atomic.h - writing an output file so that it appears complete or not at all.
 *
 * lmb__atomic_open opens "<path>.tmp"; lmb__atomic_commit closes it and renames it over path
 * when everything was written, or removes it and reports the error. An earlier file at path is
 * never left half-overwritten.
 */
#ifndef LMB_IO_ATOMIC_H
#define LMB_IO_ATOMIC_H

#include "lmb/ctx.h"

#include <stdio.h>

typedef struct lmb__atomic_file {
    FILE *f;
    char tmp[4096];
    char path[4096];
} lmb__atomic_file;

lmb_status lmb__atomic_open(lmb_ctx *ctx, lmb__atomic_file *af, const char *path);

/* ok = 0 if the caller's own writes failed: the temporary file is removed. */
lmb_status lmb__atomic_commit(lmb_ctx *ctx, lmb__atomic_file *af, int ok);

#endif
