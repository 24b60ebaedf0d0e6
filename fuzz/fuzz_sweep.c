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

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    lmb_ctx *ctx = NULL;
    if (lmb_ctx_create(&ctx) != LMB_OK) {
        free(text);
        return 0;
    }
    lmb_sweep *sw = NULL;
    lmb_status st = lmb_sweep_parse(ctx, text, "fuzz.json", "/nonexistent-fuzz-dir", &sw);
    if (st != LMB_OK) {
        const char *msg = lmb_ctx_errmsg(ctx);
        if (!msg[0] || strchr(msg, '\n'))
            abort(); /* every error is one non-empty line */
    } else {
        lmb_sweep_free(sw);
    }
    lmb_ctx_free(ctx);
    free(text);
    return 0;
}
