/* atomic.c - complete-or-nothing output files (see atomic.h). */
#include "io/atomic.h"

#include "core/ctx_internal.h"

#include <errno.h>
#include <string.h>

lmb_status lmb__atomic_open(lmb_ctx *ctx, lmb__atomic_file *af, const char *path) {
    af->f = NULL;
    if (snprintf(af->path, sizeof af->path, "%s", path) >= (int)sizeof af->path ||
        snprintf(af->tmp, sizeof af->tmp, "%s.tmp", path) >= (int)sizeof af->tmp)
        LMB__FAIL(ctx, LMB_EINVAL, "%.200s...: path too long", path);
    af->f = fopen(af->tmp, "w");
    if (!af->f)
        LMB__FAIL(ctx, LMB_EIO, "%s: cannot write: %s", af->tmp, strerror(errno));
    return LMB_OK;
}

lmb_status lmb__atomic_commit(lmb_ctx *ctx, lmb__atomic_file *af, int ok) {
    if (!af->f)
        LMB__FAIL(ctx, LMB_EINVAL, "%s: file is not open", af->path);
    int e = ferror(af->f) ? EIO : 0;
    if (fclose(af->f) != 0 && !e)
        e = errno ? errno : EIO;
    af->f = NULL;
    if (!ok || e) {
        remove(af->tmp);
        LMB__FAIL(ctx, LMB_EIO, "%s: write failed: %s", af->path, strerror(e ? e : EIO));
    }
    if (rename(af->tmp, af->path) != 0) {
        e = errno;
        remove(af->tmp);
        LMB__FAIL(ctx, LMB_EIO, "%s: cannot rename %s into place: %s", af->path, af->tmp,
                  strerror(e));
    }
    return LMB_OK;
}
