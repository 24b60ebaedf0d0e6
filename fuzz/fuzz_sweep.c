/*
 * fuzz_sweep.c - libFuzzer target for the sweep-file parser (src/sweep/spec.c).
 *
 * Feeds arbitrary bytes to lmb_sweep_parse (relative paths resolve under a directory that does
 * not exist, so only presets and built-in protocols load). Any input must give LMB_OK or an error
 * status with a non-empty one-line message; crashes, leaks and undefined behaviour are what the
 * fuzzer and its sanitizers look for. Seed corpus: examples/sweep-coating.json.
 *
 * Build: cmake -DLMB_FUZZ=ON -DCMAKE_C_COMPILER=clang; run: make fuzz (one minute per target).
 */
#include "lmb/lmb.h"

#include "fuzz_util.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    lmb_ctx *ctx = NULL;
    char *text = fuzz_text(data, size, &ctx);
    if (!text)
        return 0;
    lmb_sweep *sw = NULL;
    lmb_status st = lmb_sweep_parse(ctx, text, "fuzz.json", "/nonexistent-fuzz-dir", &sw);
    if (st != LMB_OK) {
        fuzz_check_msg(ctx); /* every error is one non-empty line */
    } else {
        lmb_sweep_free(sw);
    }
    lmb_ctx_free(ctx);
    free(text);
    return 0;
}
