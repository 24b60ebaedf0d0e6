/*
 * fuzz_protocol.c - libFuzzer target for the protocol parser (src/protocol/parser.c).
 *
 * Feeds arbitrary bytes to lmb_protocol_parse. Any input must give LMB_OK or an error status
 * with a non-empty one-line message; crashes, leaks and undefined behaviour are what the fuzzer
 * and its sanitizers look for. A protocol that parses must also satisfy what the engine relies
 * on: every Repeat body lies inside the array and inside its enclosing body, every current step
 * has a current > 0 and 1..LMB_PROTOCOL_MAX_CONDITIONS limits, and the canonical text of each
 * step parses back to a step of the same kind. Seed corpus: the protocol files under protocols/.
 *
 * Build: cmake -DLMB_FUZZ=ON -DCMAKE_C_COMPILER=clang; run: make fuzz (one minute per target).
 */
#include "lmb/lmb.h"

#include "fuzz_util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Equal to the 12 significant digits of the canonical text. */
static int close_to(double a, double b) {
    return fabs(a - b) <= 1e-11 * fmax(fabs(a), fabs(b));
}

/* The invariants of a parsed protocol; aborts when one fails. */
static void check(lmb_ctx *ctx, const lmb_protocol *p) {
    int n = lmb_protocol_step_count(p);
    if (n <= 0)
        abort();
    /* end of the innermost enclosing body of each entry, checked with an explicit stack */
    int end[LMB_PROTOCOL_MAX_DEPTH + 1];
    int depth = 0;
    end[0] = n;
    for (int i = 0; i < n; i++) {
        while (depth > 0 && i >= end[depth])
            depth--;
        const lmb_protocol_step *s = lmb_protocol_step_at(p, i);
        if (!s || s->line < 1)
            abort();
        if (s->kind == LMB_PSTEP_REPEAT) {
            if (s->body_len < 1 || i + 1 + s->body_len > end[depth] || s->count < 1 ||
                depth >= LMB_PROTOCOL_MAX_DEPTH)
                abort();
            end[++depth] = i + 1 + s->body_len;
        }
        if (s->kind <= LMB_PSTEP_STRIP && !(s->current > 0.0))
            abort();
        if (s->kind <= LMB_PSTEP_REST &&
            (s->n_conditions < 1 || s->n_conditions > LMB_PROTOCOL_MAX_CONDITIONS))
            abort();
        char text[1024];
        int len = lmb_protocol_step_format(s, text, sizeof text);
        if (len <= 0 || len >= (int)sizeof text)
            abort();
        if (s->kind == LMB_PSTEP_REPEAT) {
            /* a Repeat needs a body to parse on its own */
            strcat(text, "\n    New cycle\nRest for 1 s\n");
        } else if (s->kind == LMB_PSTEP_NEW_CYCLE) {
            strcat(text, "\nRest for 1 s\n");
        }
        lmb_protocol *q = NULL;
        if (lmb_protocol_parse(ctx, text, "canonical", &q) != LMB_OK)
            abort(); /* the canonical text is valid protocol text */
        const lmb_protocol_step *r = lmb_protocol_step_at(q, 0);
        if (r->kind != s->kind || r->n_conditions != s->n_conditions ||
            r->current_qty != s->current_qty || !close_to(r->current, s->current) ||
            !close_to(r->voltage, s->voltage) || !close_to(r->f_start_Hz, s->f_start_Hz) ||
            !close_to(r->f_end_Hz, s->f_end_Hz) || !close_to(r->amplitude, s->amplitude) ||
            r->points_per_decade != s->points_per_decade || r->count != s->count)
            abort(); /* and reads back as the same step */
        for (int k = 0; k < s->n_conditions; k++)
            if (r->conditions[k].kind != s->conditions[k].kind ||
                r->conditions[k].qty != s->conditions[k].qty ||
                !close_to(r->conditions[k].value, s->conditions[k].value))
                abort();
        lmb_protocol_free(q);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    lmb_ctx *ctx = NULL;
    char *text = fuzz_text(data, size, &ctx);
    if (!text)
        return 0;
    lmb_protocol *p = NULL;
    lmb_status st = lmb_protocol_parse(ctx, text, "fuzz.txt", &p);
    if (st != LMB_OK) {
        fuzz_check_msg(ctx); /* every error is one non-empty line ... */
        if (p)
            abort(); /* ... and nothing is returned */
    } else {
        check(ctx, p);
        lmb_protocol_free(p);
    }
    lmb_ctx_free(ctx);
    free(text);
    return 0;
}
