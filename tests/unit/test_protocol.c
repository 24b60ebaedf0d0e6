/*
 * test_protocol.c - the protocol language (src/protocol/parser.c): every production of the
 * grammar with its SI values, blocks and nesting, comments, case, line endings, the canonical
 * text of steps, the study's protocol files, file loading, the size and depth limits, and every
 * error message (a table of malformed protocols, each with its status and exact message).
 *
 * Tolerances: values are compared to 1e-12 relative, the rounding of one unit conversion
 * (scale factors such as 3.6 / 1e-4 are not exact in binary).
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, mkdtemp, opendir */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lmb/lmb.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REL_TOL 1e-12

static void assert_close(double got, double want) {
    if (!(fabs(got - want) <= REL_TOL * fabs(want)))
        fail_msg("got %.17g, want %.17g", got, want);
}

/* Parses text that must be valid; fails the test with the message otherwise. */
static lmb_protocol *parse_ok(lmb_ctx *ctx, const char *text) {
    lmb_protocol *p = NULL;
    lmb_status st = lmb_protocol_parse(ctx, text, "p.txt", &p);
    if (st != LMB_OK)
        fail_msg("parse failed (%s): %s\n--- text:\n%s", lmb_status_name(st), lmb_ctx_errmsg(ctx),
                 text);
    return p;
}

static const lmb_protocol_step *step(const lmb_protocol *p, int i) {
    const lmb_protocol_step *s = lmb_protocol_step_at(p, i);
    assert_non_null(s);
    return s;
}

static void check_cond(const lmb_protocol_step *s, int k, lmb_cond_kind kind, double value,
                       lmb_qty_kind qty) {
    assert_true(k < s->n_conditions);
    assert_int_equal(s->conditions[k].kind, kind);
    if (kind == LMB_COND_CAPACITY || kind == LMB_COND_CURRENT)
        assert_int_equal(s->conditions[k].qty, qty);
    if (kind != LMB_COND_SHORT)
        assert_close(s->conditions[k].value, value);
}

static void check_current(const lmb_protocol_step *s, lmb_pstep_kind kind, double current,
                          lmb_qty_kind qty) {
    assert_int_equal(s->kind, kind);
    assert_close(s->current, current);
    assert_int_equal(s->current_qty, qty);
}

/* Each verb and each unit family of currents and limits, with SI values. */
static void test_currents_and_units(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_protocol *p = parse_ok(ctx, "Charge at 1 A for 1 s\n"
                                    "Discharge at 2 mA for 1 sec\n"
                                    "Plate at 3 uA for 1 second\n"
                                    "Strip at 4 A/m2 for 2 seconds\n"
                                    "Charge at 0.5 mA/cm2 for 1 min\n"
                                    "Discharge at 2 uA/cm2 for 1 minute\n"
                                    "Plate at 0.001 A/cm2 for 2 minutes\n"
                                    "Strip at C/10 for 1 h\n"
                                    "Charge at 2C for 1 hr\n"
                                    "Charge at 0.5C for 1 hour\n"
                                    "Charge at C for 2 hours\n"
                                    "Charge at 0.25 C for 1 day\n"
                                    "Charge at C/2.5 for 2 days\n"
                                    "Charge at 1 mA for 1 Ah\n"
                                    "Charge at 1 mA for 2 mAh\n"
                                    "Charge at 1 mA for 3 uAh\n"
                                    "Plate at 0.4 mA/cm2 for 4 mAh/cm2\n"
                                    "Plate at 0.4 mA/cm2 for 5 uAh/cm2\n"
                                    "Charge at 1 mA until 3.6 V\n"
                                    "Strip at 1 mA/cm2 until -500 mV\n"
                                    "Charge at 1 mA until 2 h\n"
                                    "Discharge at 1e-3 A for 1.5e1 min\n");
    assert_int_equal(lmb_protocol_step_count(p), 22);
    const double cm2 = 1e-4, mAh = 3.6;
    check_current(step(p, 0), LMB_PSTEP_CHARGE, 1.0, LMB_QTY_ABSOLUTE);
    check_cond(step(p, 0), 0, LMB_COND_STEP_TIME, 1.0, 0);
    check_current(step(p, 1), LMB_PSTEP_DISCHARGE, 2e-3, LMB_QTY_ABSOLUTE);
    check_current(step(p, 2), LMB_PSTEP_PLATE, 3e-6, LMB_QTY_ABSOLUTE);
    check_current(step(p, 3), LMB_PSTEP_STRIP, 4.0, LMB_QTY_AREAL);
    check_cond(step(p, 3), 0, LMB_COND_STEP_TIME, 2.0, 0);
    check_current(step(p, 4), LMB_PSTEP_CHARGE, 0.5e-3 / cm2, LMB_QTY_AREAL);
    check_cond(step(p, 4), 0, LMB_COND_STEP_TIME, 60.0, 0);
    check_current(step(p, 5), LMB_PSTEP_DISCHARGE, 2e-6 / cm2, LMB_QTY_AREAL);
    check_current(step(p, 6), LMB_PSTEP_PLATE, 0.001 / cm2, LMB_QTY_AREAL);
    check_cond(step(p, 6), 0, LMB_COND_STEP_TIME, 120.0, 0);
    check_current(step(p, 7), LMB_PSTEP_STRIP, 0.1, LMB_QTY_CRATE);
    check_cond(step(p, 7), 0, LMB_COND_STEP_TIME, 3600.0, 0);
    check_current(step(p, 8), LMB_PSTEP_CHARGE, 2.0, LMB_QTY_CRATE);
    check_current(step(p, 9), LMB_PSTEP_CHARGE, 0.5, LMB_QTY_CRATE);
    check_current(step(p, 10), LMB_PSTEP_CHARGE, 1.0, LMB_QTY_CRATE);
    check_cond(step(p, 10), 0, LMB_COND_STEP_TIME, 7200.0, 0);
    check_current(step(p, 11), LMB_PSTEP_CHARGE, 0.25, LMB_QTY_CRATE);
    check_cond(step(p, 11), 0, LMB_COND_STEP_TIME, 86400.0, 0);
    check_current(step(p, 12), LMB_PSTEP_CHARGE, 0.4, LMB_QTY_CRATE);
    check_cond(step(p, 12), 0, LMB_COND_STEP_TIME, 2 * 86400.0, 0);
    check_cond(step(p, 13), 0, LMB_COND_CAPACITY, 3600.0, LMB_QTY_ABSOLUTE);
    check_cond(step(p, 14), 0, LMB_COND_CAPACITY, 2 * mAh, LMB_QTY_ABSOLUTE);
    check_cond(step(p, 15), 0, LMB_COND_CAPACITY, 3e-3 * mAh, LMB_QTY_ABSOLUTE);
    check_current(step(p, 16), LMB_PSTEP_PLATE, 4.0, LMB_QTY_AREAL);
    check_cond(step(p, 16), 0, LMB_COND_CAPACITY, 4 * mAh / cm2, LMB_QTY_AREAL);
    check_cond(step(p, 17), 0, LMB_COND_CAPACITY, 5e-3 * mAh / cm2, LMB_QTY_AREAL);
    check_cond(step(p, 18), 0, LMB_COND_VOLTAGE, 3.6, 0);
    check_cond(step(p, 19), 0, LMB_COND_VOLTAGE, -0.5, 0);
    check_cond(step(p, 20), 0, LMB_COND_STEP_TIME, 7200.0, 0); /* "until" a time */
    check_current(step(p, 21), LMB_PSTEP_DISCHARGE, 1e-3, LMB_QTY_ABSOLUTE);
    check_cond(step(p, 21), 0, LMB_COND_STEP_TIME, 900.0, 0);
    for (int i = 0; i < lmb_protocol_step_count(p); i++) {
        assert_int_equal(step(p, i)->line, i + 1);
        assert_int_equal(step(p, i)->n_conditions, 1);
    }
    lmb_protocol_free(p);
    lmb_ctx_free(ctx);
}

/* Limits joined by "or", in both spellings, with the place each was written. */
static void test_or_limits(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_protocol *p =
        parse_ok(ctx, "Charge at C/10 for 1 hour or until 3.6 V\n"
                      "Plate at 1 mA/cm2 for 1 mAh/cm2 or until short or until total time 600 h\n"
                      "Discharge at 1 mA until 2.5 V or 10 h or short or test time 2 days\n"
                      "Strip at 1 mA for 1 h or for 2 mAh or until 1 V or until 30 min\n");
    const lmb_protocol_step *s = step(p, 0);
    assert_int_equal(s->n_conditions, 2);
    check_cond(s, 0, LMB_COND_STEP_TIME, 3600.0, 0);
    check_cond(s, 1, LMB_COND_VOLTAGE, 3.6, 0);
    assert_int_equal(s->conditions[0].line, 1);
    assert_int_equal(s->conditions[0].column, 20); /* the "1" of "1 hour" */
    assert_int_equal(s->conditions[1].column, 36); /* the "3" of "3.6 V" */
    s = step(p, 1);
    assert_int_equal(s->n_conditions, 3);
    check_cond(s, 0, LMB_COND_CAPACITY, 36000.0, LMB_QTY_AREAL);
    check_cond(s, 1, LMB_COND_SHORT, 0.0, 0);
    check_cond(s, 2, LMB_COND_TOTAL_TIME, 600 * 3600.0, 0);
    assert_int_equal(s->conditions[1].column, 42); /* "short" */
    assert_int_equal(s->conditions[2].column, 57); /* "total" */
    s = step(p, 2);
    assert_int_equal(s->n_conditions, 4);
    check_cond(s, 0, LMB_COND_VOLTAGE, 2.5, 0);
    check_cond(s, 1, LMB_COND_STEP_TIME, 36000.0, 0);
    check_cond(s, 2, LMB_COND_SHORT, 0.0, 0);
    check_cond(s, 3, LMB_COND_TOTAL_TIME, 2 * 86400.0, 0);
    assert_int_equal(s->conditions[3].line, 3);
    s = step(p, 3);
    assert_int_equal(s->n_conditions, 4);
    check_cond(s, 1, LMB_COND_CAPACITY, 7.2, LMB_QTY_ABSOLUTE);
    check_cond(s, 3, LMB_COND_STEP_TIME, 1800.0, 0);
    lmb_protocol_free(p);
    /* the most limits a step takes */
    p = parse_ok(ctx, "Rest for 1 s or for 2 s or for 3 s or for 4 s or for 5 s or for 6 s or "
                      "for 7 s or for 8 s");
    assert_int_equal(step(p, 0)->n_conditions, LMB_PROTOCOL_MAX_CONDITIONS);
    lmb_protocol_free(p);
    lmb_ctx_free(ctx);
}

/* Hold, Rest, EIS and New cycle. */
static void test_hold_rest_eis(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_protocol *p = parse_ok(ctx, "Hold at 3.6 V until C/50\n"
                                    "Hold at -10 mV until 50 mA or for 2 h\n"
                                    "Hold at 4.2 V until 0.05 mA/cm2 or 1 uA or 1 mAh\n"
                                    "Rest for 30 minutes\n"
                                    "Rest for 10 min or until total time 600 h or until short\n"
                                    "Rest until 3 V or for 1 h\n"
                                    "EIS from 1 MHz to 1 mHz\n"
                                    "EIS from 100 kHz to 10 Hz with 5 points per decade\n"
                                    "EIS from 20 mHz to 1 MHz at 5 mV\n"
                                    "EIS from 1 kHz to 1 Hz with 1 point per decade at 1 mA\n"
                                    "EIS from 1 MHz to 20 mHz at 100 uA/cm2 with 12 points per "
                                    "decade\n"
                                    "EIS from 10 Hz to 1 Hz at 0.01 A\n"
                                    "New cycle\n");
    assert_int_equal(lmb_protocol_step_count(p), 13);
    const lmb_protocol_step *s = step(p, 0);
    assert_int_equal(s->kind, LMB_PSTEP_HOLD);
    assert_close(s->voltage, 3.6);
    check_cond(s, 0, LMB_COND_CURRENT, 0.02, LMB_QTY_CRATE);
    s = step(p, 1);
    assert_close(s->voltage, -0.01);
    check_cond(s, 0, LMB_COND_CURRENT, 0.05, LMB_QTY_ABSOLUTE);
    check_cond(s, 1, LMB_COND_STEP_TIME, 7200.0, 0);
    s = step(p, 2);
    check_cond(s, 0, LMB_COND_CURRENT, 0.5, LMB_QTY_AREAL);
    check_cond(s, 1, LMB_COND_CURRENT, 1e-6, LMB_QTY_ABSOLUTE);
    check_cond(s, 2, LMB_COND_CAPACITY, 3.6, LMB_QTY_ABSOLUTE);
    s = step(p, 3);
    assert_int_equal(s->kind, LMB_PSTEP_REST);
    check_cond(s, 0, LMB_COND_STEP_TIME, 1800.0, 0);
    s = step(p, 4);
    assert_int_equal(s->n_conditions, 3);
    check_cond(s, 1, LMB_COND_TOTAL_TIME, 2.16e6, 0);
    check_cond(s, 2, LMB_COND_SHORT, 0.0, 0);
    s = step(p, 5);
    check_cond(s, 0, LMB_COND_VOLTAGE, 3.0, 0);
    check_cond(s, 1, LMB_COND_STEP_TIME, 3600.0, 0);
    s = step(p, 6); /* the defaults */
    assert_int_equal(s->kind, LMB_PSTEP_EIS);
    assert_close(s->f_start_Hz, 1e6);
    assert_close(s->f_end_Hz, 1e-3);
    assert_int_equal(s->points_per_decade, 10);
    assert_close(s->amplitude, 0.01);
    assert_int_equal(s->amplitude_is_current, 0);
    assert_int_equal(s->n_conditions, 0);
    s = step(p, 7);
    assert_close(s->f_start_Hz, 1e5);
    assert_close(s->f_end_Hz, 10.0);
    assert_int_equal(s->points_per_decade, 5);
    s = step(p, 8); /* either direction of sweep */
    assert_close(s->f_start_Hz, 0.02);
    assert_close(s->f_end_Hz, 1e6);
    assert_close(s->amplitude, 5e-3);
    assert_int_equal(s->amplitude_is_current, 0);
    s = step(p, 9);
    assert_int_equal(s->points_per_decade, 1);
    assert_close(s->amplitude, 1e-3);
    assert_int_equal(s->amplitude_is_current, 1);
    assert_int_equal(s->amplitude_qty, LMB_QTY_ABSOLUTE);
    s = step(p, 10); /* the options in either order */
    assert_int_equal(s->points_per_decade, 12);
    assert_close(s->amplitude, 1.0);
    assert_int_equal(s->amplitude_is_current, 1);
    assert_int_equal(s->amplitude_qty, LMB_QTY_AREAL);
    s = step(p, 11);
    assert_close(s->amplitude, 0.01);
    assert_int_equal(s->amplitude_is_current, 1);
    assert_int_equal(step(p, 12)->kind, LMB_PSTEP_NEW_CYCLE);
    lmb_protocol_free(p);
    lmb_ctx_free(ctx);
}

/* Repeat blocks: nesting three deep, siblings, closing several levels at once, body lengths. */
static void test_repeat(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_protocol *p = parse_ok(ctx, "Rest for 1 s\n"                 /* 0 */
                                    "Repeat 2 times:\n"              /* 1 */
                                    "  New cycle\n"                  /* 2 */
                                    "  Repeat 3 times:\n"            /* 3 */
                                    "        Repeat 4 times:\n"      /* 4 */
                                    "           Rest for 2 s\n"      /* 5 */
                                    "           Rest for 3 s\n"      /* 6 */
                                    "        Rest for 4 s\n"         /* 7 */
                                    "  Rest for 5 s\n"               /* 8 */
                                    "Repeat 1 time:\n"               /* 9 */
                                    "    Repeat 1000000000 times:\n" /* 10 */
                                    "        Rest for 6 s\n"         /* 11 */
                                    "Rest for 7 s\n");               /* 12 */
    assert_int_equal(lmb_protocol_step_count(p), 13);
    static const struct {
        lmb_pstep_kind kind;
        long count;
        int body_len;
    } want[] = {
        {LMB_PSTEP_REST, 0, 0},
        {LMB_PSTEP_REPEAT, 2, 7},
        {LMB_PSTEP_NEW_CYCLE, 0, 0},
        {LMB_PSTEP_REPEAT, 3, 4},
        {LMB_PSTEP_REPEAT, 4, 2},
        {LMB_PSTEP_REST, 0, 0},
        {LMB_PSTEP_REST, 0, 0},
        {LMB_PSTEP_REST, 0, 0},
        {LMB_PSTEP_REST, 0, 0},
        {LMB_PSTEP_REPEAT, 1, 2},
        {LMB_PSTEP_REPEAT, 1000000000L, 1},
        {LMB_PSTEP_REST, 0, 0},
        {LMB_PSTEP_REST, 0, 0},
    };
    for (int i = 0; i < 13; i++) {
        const lmb_protocol_step *s = step(p, i);
        assert_int_equal(s->kind, want[i].kind);
        assert_int_equal(s->line, i + 1);
        assert_int_equal(s->body_len, want[i].body_len);
        if (s->kind == LMB_PSTEP_REPEAT)
            assert_int_equal(s->count, want[i].count);
    }
    lmb_protocol_free(p);
    /* a block that ends at the end of the file, with comment lines at any indentation */
    p = parse_ok(ctx, "Repeat 2 times:\n"
                      "# a comment at column 1 does not close the block\n"
                      "    Plate at 1 mA for 1 h\n"
                      "          # nor one indented oddly\n"
                      "\n"
                      "    Strip at 1 mA for 1 h");
    assert_int_equal(lmb_protocol_step_count(p), 3);
    assert_int_equal(step(p, 0)->body_len, 2);
    assert_int_equal(step(p, 2)->line, 6);
    lmb_protocol_free(p);
    lmb_ctx_free(ctx);
}

/* Comments, blank lines, case, CRLF and CR line ends, a byte-order mark, tabs between words,
 * units touching their numbers. */
static void test_lexical(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_protocol *p = parse_ok(ctx, "\xEF\xBB\xBF# heading\r\n"
                                    "\r\n"
                                    "   \t  \r\n"
                                    "pLaTe AT 1mA/cm2 FOR 1mAh/cm2 oR UnTiL ShOrT # trailing\r\n"
                                    "REPEAT 2 TIMES:\r\n"
                                    "    strip\tat\t1 mA/cm2\tfor 10sec\r\n"
                                    "eis FROM 1MHz TO 1mHz WITH 3 POINTS PER DECADE AT 10mV\r"
                                    "new CYCLE\r"
                                    "rest for 1 HOURS or until TOTAL TIME 2 Hours #\r\n");
    assert_int_equal(lmb_protocol_step_count(p), 6);
    check_current(step(p, 0), LMB_PSTEP_PLATE, 10.0, LMB_QTY_AREAL);
    check_cond(step(p, 0), 0, LMB_COND_CAPACITY, 36000.0, LMB_QTY_AREAL);
    check_cond(step(p, 0), 1, LMB_COND_SHORT, 0.0, 0);
    assert_int_equal(step(p, 0)->line, 4);
    assert_int_equal(step(p, 1)->kind, LMB_PSTEP_REPEAT);
    assert_int_equal(step(p, 1)->body_len, 1);
    check_current(step(p, 2), LMB_PSTEP_STRIP, 10.0, LMB_QTY_AREAL);
    check_cond(step(p, 2), 0, LMB_COND_STEP_TIME, 10.0, 0);
    assert_int_equal(step(p, 3)->kind, LMB_PSTEP_EIS);
    assert_int_equal(step(p, 3)->line, 7);
    assert_int_equal(step(p, 3)->points_per_decade, 3);
    assert_close(step(p, 3)->amplitude, 0.01);
    assert_int_equal(step(p, 4)->kind, LMB_PSTEP_NEW_CYCLE);
    assert_int_equal(step(p, 4)->line, 8);
    check_cond(step(p, 5), 0, LMB_COND_STEP_TIME, 3600.0, 0);
    check_cond(step(p, 5), 1, LMB_COND_TOTAL_TIME, 7200.0, 0);
    assert_int_equal(step(p, 5)->line, 9);
    lmb_protocol_free(p);
    /* a number and its unit read the same with or without a space */
    p = parse_ok(ctx, "Plate at 1mA/cm2 for 1mAh/cm2\nPlate at 1 mA/cm2 for 1 mAh/cm2\n"
                      "Charge at 2C for 1h\nCharge at 2 C for 1 h\n");
    for (int i = 0; i < 4; i += 2) {
        assert_true(step(p, i)->current == step(p, i + 1)->current);
        assert_true(step(p, i)->conditions[0].value == step(p, i + 1)->conditions[0].value);
    }
    lmb_protocol_free(p);
    lmb_ctx_free(ctx);
}

/* The canonical text of steps, and its snprintf contract. */
static void test_format(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plate at 0.4 mA/cm2 for 4 mAh/cm2", "Plate at 0.4 mA/cm2 for 4 mAh/cm2"},
        {"Strip at 400uA/cm2 for 0.5 mAh/cm2 or until 1 V",
         "Strip at 0.4 mA/cm2 for 0.5 mAh/cm2 or until 1 V"},
        {"Plate at 50 uA/cm2 for 50 uAh/cm2", "Plate at 50 uA/cm2 for 50 uAh/cm2"},
        {"Charge at C/10 for 11 hours or until 3.6 V", "Charge at C/10 for 11 h or until 3.6 V"},
        {"Charge at 0.5C for 144 minutes", "Charge at C/2 for 144 min"},
        {"Discharge at 2C for 72 min or until 2.5 V", "Discharge at 2C for 72 min or until 2.5 V"},
        {"Discharge at 1.5 C for 90 s", "Discharge at 1.5C for 90 s"},
        {"Charge at 2500 mA for 1.5 s", "Charge at 2.5 A for 1.5 s"},
        {"Charge at 0.02 mA for 0.5 Ah", "Charge at 20 uA for 500 mAh"},
        {"Charge at 0.02 mA for 0.0005 Ah", "Charge at 20 uA for 0.5 mAh"},
        {"Charge at 20 mA for 2 Ah", "Charge at 20 mA for 2 Ah"},
        {"Charge at 1 mA until -500 mV or 30 s", "Charge at 1 mA until -0.5 V or for 30 s"},
        {"Hold at 3.6 V until C/50", "Hold at 3.6 V until C/50"},
        {"Hold at 3.6 V until 0.05 mA/cm2 or for 1 day",
         "Hold at 3.6 V until 50 uA/cm2 or for 24 h"},
        {"Rest for 30 minutes", "Rest for 30 min"},
        {"Rest for 0.5 s or until short or until total time 600 h",
         "Rest for 0.5 s or until short or until total time 600 h"},
        {"Rest for 5400 s", "Rest for 90 min"},
        {"EIS from 1 MHz to 1 mHz", "EIS from 1 MHz to 1 mHz with 10 points per decade at 10 mV"},
        {"EIS from 20 mHz to 100 kHz with 5 points per decade at 100 uA/cm2",
         "EIS from 20 mHz to 100 kHz with 5 points per decade at 0.1 mA/cm2"},
        {"EIS from 1.5 Hz to 0.5 Hz at 1.2 V", "EIS from 1.5 Hz to 500 mHz with 10 points per "
                                               "decade at 1.2 V"},
        {"New  cycle\nRest for 1 s", "New cycle"},
    };
    char buf[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lmb_protocol *p = parse_ok(ctx, cases[i].in);
        int n = lmb_protocol_step_format(step(p, 0), buf, sizeof buf);
        assert_string_equal(buf, cases[i].out);
        assert_int_equal(n, (int)strlen(cases[i].out));
        lmb_protocol_free(p);
    }
    lmb_protocol *p = parse_ok(ctx, "Repeat 3 times:\n  Repeat 1 time:\n    Rest for 1 s\n");
    lmb_protocol_step_format(step(p, 0), buf, sizeof buf);
    assert_string_equal(buf, "Repeat 3 times:");
    lmb_protocol_step_format(step(p, 1), buf, sizeof buf);
    assert_string_equal(buf, "Repeat 1 time:");
    /* snprintf semantics: the length needed, truncated text, NULL buffer */
    char small[8];
    assert_int_equal(lmb_protocol_step_format(step(p, 0), small, sizeof small), 15);
    assert_string_equal(small, "Repeat ");
    assert_int_equal(lmb_protocol_step_format(step(p, 0), NULL, 0), 15);
    assert_int_equal(lmb_protocol_step_format(NULL, small, sizeof small), 0);
    assert_string_equal(small, "");
    lmb_protocol_free(p);
    lmb_ctx_free(ctx);
}

/* Every step's canonical text parses back to the same step. */
static void check_round_trip(lmb_ctx *ctx, const lmb_protocol *p) {
    for (int i = 0; i < lmb_protocol_step_count(p); i++) {
        const lmb_protocol_step *s = step(p, i);
        char text[512];
        lmb_protocol_step_format(s, text, sizeof text);
        if (s->kind == LMB_PSTEP_REPEAT)
            strcat(text, "\n  Rest for 1 s");
        if (s->kind == LMB_PSTEP_NEW_CYCLE)
            strcat(text, "\nRest for 1 s");
        lmb_protocol *q = parse_ok(ctx, text);
        const lmb_protocol_step *r = step(q, 0);
        assert_int_equal(r->kind, s->kind);
        assert_int_equal(r->current_qty, s->current_qty);
        assert_true(fabs(r->current - s->current) <= REL_TOL * s->current);
        assert_true(fabs(r->voltage - s->voltage) <= REL_TOL * fabs(s->voltage));
        assert_int_equal(r->count, s->count);
        assert_int_equal(r->points_per_decade, s->points_per_decade);
        assert_int_equal(r->n_conditions, s->n_conditions);
        for (int k = 0; k < s->n_conditions; k++) {
            assert_int_equal(r->conditions[k].kind, s->conditions[k].kind);
            assert_true(fabs(r->conditions[k].value - s->conditions[k].value) <=
                        REL_TOL * fabs(s->conditions[k].value));
        }
        lmb_protocol_free(q);
    }
}

/* The study's protocol files all load; their steps survive the canonical text. */
static void test_protocol_files(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    DIR *d = opendir(LMB_SOURCE_DIR "/protocols");
    assert_non_null(d);
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".txt") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/protocols/%s", LMB_SOURCE_DIR, e->d_name);
        lmb_protocol *p = NULL;
        if (lmb_protocol_load(ctx, path, &p) != LMB_OK)
            fail_msg("%s", lmb_ctx_errmsg(ctx));
        assert_string_equal(lmb_protocol_origin(p), path);
        assert_true(lmb_protocol_step_count(p) > 0);
        check_round_trip(ctx, p);
        lmb_protocol_free(p);
        files++;
    }
    closedir(d);
    assert_true(files >= 9);
    /* and the adams-ce-1 file as the engine will see it */
    lmb_protocol *p = NULL;
    assert_int_equal(lmb_protocol_load(ctx, LMB_SOURCE_DIR "/protocols/adams-ce-1.txt", &p),
                     LMB_OK);
    assert_int_equal(lmb_protocol_step_count(p), 11);
    assert_int_equal(step(p, 0)->kind, LMB_PSTEP_NEW_CYCLE);
    assert_int_equal(step(p, 5)->kind, LMB_PSTEP_REPEAT);
    assert_int_equal(step(p, 5)->count, 10);
    assert_int_equal(step(p, 5)->body_len, 3);
    assert_int_equal(step(p, 6)->kind, LMB_PSTEP_NEW_CYCLE);
    assert_int_equal(step(p, 10)->kind, LMB_PSTEP_STRIP);
    lmb_protocol_free(p);
    lmb_ctx_free(ctx);
}

/* One malformed protocol, its status and its exact message. */
typedef struct bad_case {
    const char *text;
    lmb_status status;
    const char *msg;
} bad_case;

static const bad_case k_bad[] = {
    /* empty protocols */
    {"", LMB_EPARSE, "p.txt:1:1: found end of file, expected at least one step"},
    {"# only a comment\n\n   \n", LMB_EPARSE,
     "p.txt:4:1: found end of file, expected at least one step"},
    {"New cycle", LMB_EPARSE, "p.txt:1:10: found end of file, expected at least one step"},
    /* verbs */
    {"Plat at 1 mA for 1 h", LMB_EPARSE,
     "p.txt:1:1: found 'Plat', expected a step: did you mean 'Plate'?"},
    {"Rest for 1 s\n  \n Dischrage at 1 mA for 1 h", LMB_EPARSE,
     "p.txt:3:2: found 'Dischrage' indented by 1 space, expected no indentation (only the body "
     "of a Repeat is indented)"},
    {"Dischrage at 1 mA for 1 h", LMB_EPARSE,
     "p.txt:1:1: found 'Dischrage', expected a step: did you mean 'Discharge'?"},
    {"NewCycle", LMB_EPARSE,
     "p.txt:1:1: found 'NewCycle', expected a step: did you mean 'New "
     "cycle'?"},
    {"Wait for 1 h", LMB_EPARSE,
     "p.txt:1:1: found 'Wait', expected a step (Charge, Discharge, Plate, Strip, Hold, Rest, EIS, "
     "Repeat or New cycle)"},
    {"Charge 1 mA for 1 h", LMB_EPARSE, "p.txt:1:8: found '1', expected 'at' and a current"},
    {"New cycles", LMB_EPARSE,
     "p.txt:1:5: found 'cycles', expected 'cycle' (the line 'New cycle')"},
    {"New cycle now", LMB_EPARSE, "p.txt:1:11: found 'now', expected end of line"},
    /* currents */
    {"Charge at -1 mA for 1 h", LMB_ERANGE,
     "p.txt:1:11: found '-1 mA', expected a current without a sign (the verb gives the "
     "direction)"},
    {"Strip at +1 mA/cm2 for 1 h", LMB_ERANGE,
     "p.txt:1:10: found '+1 mA/cm2', expected a current without a sign (the verb gives the "
     "direction)"},
    {"Plate at 0 mA/cm2 for 1 h", LMB_ERANGE,
     "p.txt:1:10: found '0 mA/cm2', expected a current > 0"},
    {"Charge at 3.6 V for 1 h", LMB_EUNIT,
     "p.txt:1:11: found '3.6 V', expected a current or a C-rate"},
    {"Charge at 1 furlong for 1 h", LMB_EUNIT,
     "p.txt:1:13: found 'furlong', expected a unit such as A, mA, uA, mA/cm2, uA/cm2, or a C-rate "
     "such as C/10 or 2C"},
    {"Charge at 1 MA for 1 h", LMB_EUNIT,
     "p.txt:1:13: found 'MA', expected a unit such as A, mA, uA, mA/cm2, uA/cm2, or a C-rate such "
     "as C/10 or 2C"},
    {"Charge at fast for 1 h", LMB_EPARSE,
     "p.txt:1:11: found 'fast', expected a current or a C-rate"},
    {"Charge at C/0 for 1 h", LMB_ERANGE,
     "p.txt:1:11: found 'C/0', expected a C-rate with a divisor > 0"},
    {"Charge at C/x for 1 h", LMB_EPARSE,
     "p.txt:1:11: found 'C/x', expected a C-rate such as C/10 or 2C"},
    {"Charge at 1e999 mA for 1 h", LMB_ERANGE,
     "p.txt:1:11: found '1e999 mA', expected a magnitude from 1e-100 to 1e100 in SI units"},
    {"Charge at 1.5.2 mA for 1 h", LMB_EPARSE,
     "p.txt:1:11: found '1.5.2', expected a current or a C-rate"},
    /* limits */
    {"Charge at 1 mA", LMB_EPARSE,
     "p.txt:1:15: found end of line, expected 'for' or 'until' (a step needs a limit)"},
    {"Charge at 1 mA for 3.6 V", LMB_EUNIT,
     "p.txt:1:20: found '3.6 V', expected a time or a capacity"},
    {"Charge at 1 mA for 2C", LMB_EUNIT, "p.txt:1:20: found '2C', expected a time or a capacity"},
    {"Charge at 1 mA for 1 h foo", LMB_EPARSE,
     "p.txt:1:24: found 'foo', expected 'or' or end of "
     "line"},
    {"Charge at 1 mA for 1 h or", LMB_EPARSE,
     "p.txt:1:26: found end of line, expected 'for' or 'until'"},
    {"Charge at 1 mA for 1 h or 2 mAh", LMB_EPARSE,
     "p.txt:1:27: found '2', expected 'for' or 'until'"},
    {"Charge at 1 mA for 1 h:", LMB_EPARSE, "p.txt:1:23: found ':', expected 'or' or end of line"},
    {"Charge at 1 mA until 50 mA", LMB_EUNIT,
     "p.txt:1:22: found '50 mA', expected a voltage, a time, a capacity, 'short' or 'total time'"},
    {"Charge at 1 mA until shrt", LMB_EPARSE,
     "p.txt:1:22: found 'shrt', expected a voltage, a time, a capacity, 'short' or 'total time'"},
    {"Charge at 1 mA until 3.6 V or", LMB_EPARSE,
     "p.txt:1:30: found end of line, expected a voltage, a time, a capacity, 'short' or 'total "
     "time'"},
    {"Charge at 1 mA until total 1 h", LMB_EPARSE,
     "p.txt:1:28: found '1', expected 'time' (as in 'until total time 600 h')"},
    {"Charge at 1 mA until total time 0 h", LMB_ERANGE,
     "p.txt:1:33: found '0 h', expected a time > 0"},
    {"Charge at 1 mA until total time 3.6 V", LMB_EUNIT,
     "p.txt:1:33: found '3.6 V', expected a time"},
    {"Charge at 1 mA for 1hours", LMB_EPARSE,
     "p.txt:1:20: found '1hours', expected a space between '1' and 'hours'"},
    {"Charge at 1 mA for 1", LMB_EUNIT,
     "p.txt:1:21: found end of line, expected a unit such as s, min, h, Ah, mAh, mAh/cm2"},
    {"Charge at 1 mA for 0 mAh", LMB_ERANGE, "p.txt:1:20: found '0 mAh', expected a capacity > 0"},
    {"Charge at 1 mA for 1 h or until 3 um", LMB_EUNIT,
     "p.txt:1:33: found '3 um', expected a voltage, a time, a capacity, 'short' or 'total time'"},
    {"Rest for 1 s or for 2 s or for 3 s or for 4 s or for 5 s or for 6 s or for 7 s or for 8 s "
     "or for 9 s",
     LMB_ERANGE, "p.txt:1:94: found 'for', expected at most 8 limits joined by 'or'"},
    /* hold and rest */
    {"Hold at 1 mA until 1 mA", LMB_EUNIT, "p.txt:1:9: found '1 mA', expected a voltage"},
    {"Hold 3.6 V until 1 mA", LMB_EPARSE, "p.txt:1:6: found '3.6', expected 'at' and a voltage"},
    {"Hold at 3.6 V until 3.5 V", LMB_EUNIT,
     "p.txt:1:21: found '3.5 V', expected a current, a time, a capacity, 'short' or 'total "
     "time'"},
    {"Hold at 3.6 V until -1 mA", LMB_ERANGE,
     "p.txt:1:21: found '-1 mA', expected a current without a sign (the limit is on its "
     "magnitude)"},
    {"Hold at 3.6 V until 0 mA", LMB_ERANGE, "p.txt:1:21: found '0 mA', expected a current > 0"},
    {"Rest", LMB_EPARSE,
     "p.txt:1:5: found end of line, expected 'for' or 'until' (a step needs a limit)"},
    {"Rest for 1 mAh", LMB_EUNIT, "p.txt:1:10: found '1 mAh', expected a time"},
    {"Rest for -1 h", LMB_ERANGE, "p.txt:1:10: found '-1 h', expected a time > 0"},
    {"Rest until 1 mA", LMB_EUNIT,
     "p.txt:1:12: found '1 mA', expected a voltage, a time, 'short' or 'total time'"},
    {"Rest at 1 V", LMB_EPARSE, "p.txt:1:6: found 'at', expected 'for' or 'until'"},
    {"Rest for 1e-400 s", LMB_ERANGE,
     "p.txt:1:10: found '1e-400 s', expected a magnitude from 1e-100 to 1e100 in SI units"},
    /* EIS */
    {"EIS 1 Hz to 2 Hz", LMB_EPARSE, "p.txt:1:5: found '1', expected 'from' and a frequency"},
    {"EIS from 1 Hz 2 Hz", LMB_EPARSE, "p.txt:1:15: found '2', expected 'to' and a frequency"},
    {"EIS from 1 V to 2 Hz", LMB_EUNIT, "p.txt:1:10: found '1 V', expected a frequency"},
    {"EIS from 0 Hz to 1 Hz", LMB_ERANGE, "p.txt:1:10: found '0 Hz', expected a frequency > 0"},
    {"EIS from 1 kHz to 1000 Hz", LMB_ERANGE,
     "p.txt:1:19: found '1000 Hz', expected a frequency different from the first one"},
    {"EIS from 1 Hz to 2 Hz with 0 points per decade", LMB_ERANGE,
     "p.txt:1:28: found '0', expected a number of points per decade from 1 to 1000"},
    {"EIS from 1 Hz to 2 Hz with ten points per decade", LMB_EPARSE,
     "p.txt:1:28: found 'ten', expected a whole number of points per decade"},
    {"EIS from 1 Hz to 2 Hz with 10 points", LMB_EPARSE,
     "p.txt:1:37: found end of line, expected 'per decade'"},
    {"EIS from 1 Hz to 2 Hz with 10 pts per decade", LMB_EPARSE,
     "p.txt:1:31: found 'pts', expected 'points per decade'"},
    {"EIS from 1 Hz to 2 Hz at 0 mV", LMB_ERANGE,
     "p.txt:1:26: found '0 mV', expected an amplitude > 0"},
    {"EIS from 1 Hz to 2 Hz at 1 h", LMB_EUNIT,
     "p.txt:1:26: found '1 h', expected a voltage or a current"},
    {"EIS from 1 Hz to 2 Hz at C/10", LMB_EUNIT,
     "p.txt:1:26: found 'C/10', expected a voltage or a current"},
    {"EIS from 1 Hz to 2 Hz at 1 mV at 2 mV", LMB_EPARSE,
     "p.txt:1:31: found 'at', expected 'with' or end of line"},
    {"EIS from 1 Hz to 2 Hz for 1 h", LMB_EPARSE,
     "p.txt:1:23: found 'for', expected 'with', 'at' or end of line"},
    /* Repeat and blocks */
    {"Repeat 0 times:\n  Rest for 1 s", LMB_ERANGE,
     "p.txt:1:8: found '0', expected a number of repetitions from 1 to 1000000000"},
    {"Repeat -1 times:\n  Rest for 1 s", LMB_ERANGE,
     "p.txt:1:8: found '-1', expected a number of repetitions from 1 to 1000000000"},
    {"Repeat 1000000001 times:\n  Rest for 1 s", LMB_ERANGE,
     "p.txt:1:8: found '1000000001', expected a number of repetitions from 1 to 1000000000"},
    {"Repeat 99999999999999999999999 times:\n  Rest for 1 s", LMB_ERANGE,
     "p.txt:1:8: found '99999999999999999999999', expected a number of repetitions from 1 to "
     "1000000000"},
    {"Repeat 2.5 times:\n  Rest for 1 s", LMB_EPARSE,
     "p.txt:1:8: found '2.5', expected a whole number of repetitions"},
    {"Repeat 3 times\n  Rest for 1 s", LMB_EPARSE, "p.txt:1:15: found end of line, expected ':'"},
    {"Repeat 3:\n  Rest for 1 s", LMB_EPARSE, "p.txt:1:9: found ':', expected 'times:'"},
    {"Repeat 3 times: Rest for 1 s", LMB_EPARSE,
     "p.txt:1:17: found 'Rest', expected end of line (the body goes on the next lines)"},
    {"Repeat 3 times:", LMB_EPARSE,
     "p.txt:1:16: found end of file, expected an indented line (the body of the Repeat on line "
     "1)"},
    {"Rest for 1 s\nRepeat 3 times:\n\n# nothing\n", LMB_EPARSE,
     "p.txt:5:1: found end of file, expected an indented line (the body of the Repeat on line "
     "2)"},
    {"Repeat 3 times:\nRest for 1 s", LMB_EPARSE,
     "p.txt:2:1: found 'Rest', expected an indented line (the body of the Repeat on line 1)"},
    {"  Rest for 1 s", LMB_EPARSE,
     "p.txt:1:3: found 'Rest' indented by 2 spaces, expected no indentation (only the body of a "
     "Repeat is indented)"},
    {"Repeat 2 times:\n    Rest for 1 s\n      Rest for 1 s", LMB_EPARSE,
     "p.txt:3:7: found 'Rest' indented by 6 spaces, expected 4 spaces, as the other lines of its "
     "block"},
    {"Repeat 2 times:\n    Repeat 2 times:\n        Rest for 1 s\n  Rest for 1 s", LMB_EPARSE,
     "p.txt:4:3: found 'Rest' indented by 2 spaces, expected no indentation (only the body of a "
     "Repeat is indented)"},
    {"Repeat 2 times:\n\tRest for 1 s", LMB_EPARSE,
     "p.txt:2:1: found a tab, expected spaces (indentation is by spaces only)"},
    {"Repeat 2 times:\n  \tRest for 1 s", LMB_EPARSE,
     "p.txt:2:3: found a tab, expected spaces (indentation is by spaces only)"},
    /* odd bytes and positions */
    {"Rest for 1 \x01s", LMB_EUNIT,
     "p.txt:1:12: found '\\x01s', expected a unit such as s, min, h"},
    {"Rest for 1 s\r\nRest for 2 s\r\nRest for 3 x\r\n", LMB_EUNIT,
     "p.txt:3:12: found 'x', expected a unit such as s, min, h"},
    {"Rest for 1 s\rRest\r", LMB_EPARSE,
     "p.txt:2:5: found end of line, expected 'for' or 'until' (a step needs a limit)"},
    {"Rest for 1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", LMB_EUNIT,
     "p.txt:1:12: found 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...', expected a unit such as s, "
     "min, h"},
};

static void test_errors(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    size_t n = sizeof k_bad / sizeof k_bad[0];
    assert_true(n >= 35);
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        lmb_protocol *p = (lmb_protocol *)&failures; /* must be reset to NULL */
        lmb_status st = lmb_protocol_parse(ctx, k_bad[i].text, "p.txt", &p);
        const char *msg = lmb_ctx_errmsg(ctx);
        if (st != k_bad[i].status || strcmp(msg, k_bad[i].msg) != 0 || p != NULL) {
            print_error("case %zu: %s\n  got  %s: %s\n  want %s: %s\n", i, k_bad[i].text,
                        lmb_status_name(st), msg, lmb_status_name(k_bad[i].status), k_bad[i].msg);
            failures++;
        }
        assert_null(strchr(msg, '\n'));
    }
    assert_int_equal(failures, 0);
    lmb_ctx_free(ctx);
}

/* Writes n bytes to a new temporary file made from the template path (which it fills in). */
static void write_temp(char *path, const char *data, size_t n) {
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void test_load(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_protocol *p = NULL;
    /* a file that does not exist: the system's reason */
    assert_int_equal(lmb_protocol_load(ctx, "/nonexistent/x.txt", &p), LMB_EIO);
    char want[512];
    snprintf(want, sizeof want, "/nonexistent/x.txt: cannot open: %s", strerror(ENOENT));
    assert_string_equal(lmb_ctx_errmsg(ctx), want);
    assert_null(p);
    /* a directory opens but does not read */
    char dir[] = "/tmp/lmb_test_protocol_XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(lmb_protocol_load(ctx, dir, &p), LMB_EIO);
    snprintf(want, sizeof want, "%s: ", dir);
    assert_memory_equal(lmb_ctx_errmsg(ctx), want, strlen(want));
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), strerror(EISDIR)));
    assert_int_equal(rmdir(dir), 0);
    /* a NUL byte */
    char path[] = "/tmp/lmb_test_protocol_XXXXXX";
    write_temp(path, "Rest for 1 s\nRest \0for 1 s\n", 27);
    assert_int_equal(lmb_protocol_load(ctx, path, &p), LMB_EPARSE);
    snprintf(want, sizeof want,
             "%s:2:6: found a NUL byte, expected text (a protocol is a text file)", path);
    assert_string_equal(lmb_ctx_errmsg(ctx), want);
    assert_null(p);
    unlink(path);
    /* a good file: messages name it */
    char good[] = "/tmp/lmb_test_protocol_XXXXXX";
    write_temp(good, "Rest for 1 s\nRest for 1 q\n", 26);
    assert_int_equal(lmb_protocol_load(ctx, good, &p), LMB_EUNIT);
    snprintf(want, sizeof want, "%s:2:12: found 'q', expected a unit such as s, min, h", good);
    assert_string_equal(lmb_ctx_errmsg(ctx), want);
    unlink(good);
    char good2[] = "/tmp/lmb_test_protocol_XXXXXX";
    write_temp(good2, "Rest for 1 s\n", 13);
    assert_int_equal(lmb_protocol_load(ctx, good2, &p), LMB_OK);
    assert_string_equal(lmb_protocol_origin(p), good2);
    assert_int_equal(lmb_protocol_step_count(p), 1);
    lmb_protocol_free(p);
    unlink(good2);
    /* a file over the size limit */
    size_t big = (size_t)LMB_PROTOCOL_MAX_BYTES + 1;
    char *text = malloc(big);
    assert_non_null(text);
    memset(text, '#', big);
    char large[] = "/tmp/lmb_test_protocol_XXXXXX";
    write_temp(large, text, big);
    p = NULL;
    assert_int_equal(lmb_protocol_load(ctx, large, &p), LMB_ERANGE);
    snprintf(want, sizeof want, "%s: larger than 16 MiB; not a protocol file", large);
    assert_string_equal(lmb_ctx_errmsg(ctx), want);
    assert_null(p);
    unlink(large);
    /* the same limit on text handed to the parser */
    char *str = realloc(text, big + 1);
    assert_non_null(str);
    str[big] = '\0';
    assert_int_equal(lmb_protocol_parse(ctx, str, "big", &p), LMB_ERANGE);
    assert_string_equal(lmb_ctx_errmsg(ctx), "big: larger than 16 MiB; not a protocol file");
    free(str);
    /* NULL arguments */
    assert_int_equal(lmb_protocol_load(ctx, NULL, &p), LMB_EINVAL);
    assert_int_equal(lmb_protocol_load(ctx, good, NULL), LMB_EINVAL);
    assert_int_equal(lmb_protocol_parse(ctx, NULL, "x", &p), LMB_EINVAL);
    assert_int_equal(lmb_protocol_parse(ctx, "Rest for 1 s", "x", NULL), LMB_EINVAL);
    assert_string_equal(lmb_ctx_errmsg(ctx), "lmb_protocol_parse: NULL argument");
    lmb_ctx_free(ctx);
}

/* Nesting depth, number of steps, accessors, a NULL origin and context. */
static void test_limits(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    /* LMB_PROTOCOL_MAX_DEPTH nested Repeats parse, one more does not */
    size_t cap = 200000;
    char *text = malloc(cap);
    assert_non_null(text);
    for (int depth = LMB_PROTOCOL_MAX_DEPTH; depth <= LMB_PROTOCOL_MAX_DEPTH + 1; depth++) {
        size_t n = 0;
        for (int d = 0; d < depth; d++)
            n += (size_t)snprintf(text + n, cap - n, "%*sRepeat 2 times:\n", d, "");
        snprintf(text + n, cap - n, "%*sRest for 1 s\n", depth, "");
        lmb_protocol *p = NULL;
        lmb_status st = lmb_protocol_parse(ctx, text, "deep", &p);
        if (depth == LMB_PROTOCOL_MAX_DEPTH) {
            assert_int_equal(st, LMB_OK);
            assert_int_equal(lmb_protocol_step_count(p), depth + 1);
            for (int d = 0; d < depth; d++)
                assert_int_equal(step(p, d)->body_len, depth - d);
            lmb_protocol_free(p);
        } else {
            assert_int_equal(st, LMB_ERANGE);
            assert_string_equal(lmb_ctx_errmsg(ctx), "deep:65:65: found 'Repeat', expected at "
                                                     "most 64 nested Repeats");
        }
    }
    free(text);
    /* LMB_PROTOCOL_MAX_STEPS entries parse, one more does not */
    const char *line = "New cycle\n";
    size_t len = strlen(line), n_lines = LMB_PROTOCOL_MAX_STEPS + 1;
    text = malloc(n_lines * len + 32);
    assert_non_null(text);
    strcpy(text, "Rest for 1 s\n");
    size_t n = strlen(text);
    for (size_t i = 1; i < n_lines - 1; i++, n += len)
        memcpy(text + n, line, len);
    text[n] = '\0';
    lmb_protocol *p = parse_ok(ctx, text);
    assert_int_equal(lmb_protocol_step_count(p), LMB_PROTOCOL_MAX_STEPS);
    lmb_protocol_free(p);
    strcpy(text + n, line);
    assert_int_equal(lmb_protocol_parse(ctx, text, "many", &p), LMB_ERANGE);
    assert_string_equal(lmb_ctx_errmsg(ctx),
                        "many:100001:1: found 'New', expected at most 100000 steps (use Repeat)");
    free(text);
    /* accessors */
    p = NULL;
    assert_int_equal(lmb_protocol_parse(NULL, "Rest for 1 s", NULL, &p), LMB_OK);
    assert_string_equal(lmb_protocol_origin(p), "<protocol>");
    assert_null(lmb_protocol_step_at(p, -1));
    assert_null(lmb_protocol_step_at(p, 1));
    assert_int_equal(lmb_protocol_step_count(NULL), 0);
    assert_null(lmb_protocol_step_at(NULL, 0));
    assert_string_equal(lmb_protocol_origin(NULL), "");
    lmb_protocol_free(p);
    lmb_protocol_free(NULL);
    /* errors without a context still return their status */
    assert_int_equal(lmb_protocol_parse(NULL, "Rest", NULL, &p), LMB_EPARSE);
    assert_null(p);
    lmb_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_currents_and_units),
        cmocka_unit_test(test_or_limits),
        cmocka_unit_test(test_hold_rest_eis),
        cmocka_unit_test(test_repeat),
        cmocka_unit_test(test_lexical),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_protocol_files),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
