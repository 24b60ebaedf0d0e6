/*
 * test_core.c - the core module: status codes and messages, the context's error buffer, the
 * unit table and quantity parsing (every error path).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/ctx_internal.h"
#include "lmb/lmb.h"

#include <math.h>
#include <string.h>

static void test_status_list(void **state) {
    (void)state;
    assert_string_equal(lmb_strerror(LMB_OK), "success");
    assert_string_equal(lmb_status_name(LMB_ERANGE), "LMB_ERANGE");
    assert_string_equal(lmb_strerror(12345), "unknown status");
    assert_string_equal(lmb_status_name(12345), "LMB_UNKNOWN");
    /* every error is negative and has its own message */
#define CHECK(name, value, msg)                                                                    \
    assert_true(value <= 0);                                                                       \
    assert_string_equal(lmb_strerror(value), msg);
    LMB_STATUS_LIST(CHECK)
#undef CHECK
}

static void test_ctx_errors(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    assert_int_equal(lmb_ctx_create(NULL), LMB_EINVAL);
    assert_string_equal(lmb_ctx_errmsg(ctx), "");
    assert_int_equal(lmb__ctx_fail(ctx, LMB_ERANGE, "x = %d", 3), LMB_ERANGE);
    assert_string_equal(lmb_ctx_errmsg(ctx), "x = 3");
    assert_int_equal(lmb_ctx_errcode(ctx), LMB_ERANGE);
    lmb__ctx_prefix_error(ctx, "cell.json");
    assert_string_equal(lmb_ctx_errmsg(ctx), "cell.json: x = 3");
    /* whatever the arguments hold (a JSON key, a file name), the sentence stays one line */
    lmb__ctx_fail(ctx, LMB_EKEY, "unknown key \"%s\"", "a\nb\tc");
    assert_string_equal(lmb_ctx_errmsg(ctx), "unknown key \"a\\x0ab\\x09c\"");
    lmb__ctx_prefix_error(ctx, "dir\n/cell.json");
    assert_string_equal(lmb_ctx_errmsg(ctx), "dir\\x0a/cell.json: unknown key \"a\\x0ab\\x09c\"");
    /* a very long message is truncated, not overflowed */
    char big[3000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    lmb__ctx_fail(ctx, LMB_EIO, "%s", big);
    lmb__ctx_prefix_error(ctx, big);
    assert_true(strlen(lmb_ctx_errmsg(ctx)) < LMB__ERRMSG_MAX);
    lmb_ctx_clear_error(ctx);
    assert_int_equal(lmb_ctx_errcode(ctx), LMB_OK);
    assert_string_equal(lmb_ctx_errmsg(NULL), "");
    lmb_ctx_free(ctx);
    lmb_ctx_free(NULL);
}

static void test_units(void **state) {
    (void)state;
    const lmb_unit *u = lmb_unit_find("mA/cm2");
    assert_non_null(u);
    assert_ptr_equal(u, lmb_unit_find("mA_cm2"));
    assert_true(fabs(lmb_unit_to_si(u, 1.0) - 10.0) < 1e-12); /* 1 mA/cm2 = 10 A/m2 */
    assert_true(fabs(lmb_unit_to_si(lmb_unit_find("mAh/cm2"), 1.0) - 36000.0) < 1e-9);
    assert_true(fabs(lmb_unit_to_si(lmb_unit_find("um"), 16.0) - 16e-6) < 1e-18);
    assert_true(fabs(lmb_unit_to_si(lmb_unit_find("mS/cm"), 4.0) - 0.4) < 1e-15);
    assert_true(fabs(lmb_unit_to_si(lmb_unit_find("cm2/s"), 2.5e-6) - 2.5e-10) < 1e-22);
    assert_true(fabs(lmb_unit_to_si(lmb_unit_find("mol/L"), 1.0) - 1000.0) < 1e-12);
    assert_true(fabs(lmb_unit_to_si(lmb_unit_find("uL"), 20.0) - 20e-9) < 1e-21);
    assert_true(fabs(lmb_unit_to_si(lmb_unit_find("mg/cm2"), 2.0) - 0.02) < 1e-15);
    assert_true(fabs(lmb_unit_to_si(lmb_unit_find("h"), 1.0) - 3600.0) < 1e-12);
    assert_true(fabs(lmb_unit_to_si(lmb_unit_find("min"), 1.0) - 60.0) < 1e-12);
    assert_true(fabs(lmb_unit_to_si(lmb_unit_find("C"), 25.0) - 298.15) < 1e-12);
    assert_true(fabs(lmb_unit_from_si(lmb_unit_find("C"), 298.15) - 25.0) < 1e-12);
    assert_null(lmb_unit_find("furlong"));
    assert_null(lmb_unit_find(NULL));
    /* every unit round-trips, every dimension has names */
    for (int i = 0; i < lmb_unit_count(); i++) {
        const lmb_unit *v = lmb_unit_at(i);
        assert_true(v->scale > 0.0);
        assert_true(fabs(lmb_unit_from_si(v, lmb_unit_to_si(v, 1.5)) - 1.5) < 1e-9);
        assert_string_not_equal(lmb_dim_name(v->dim), "?");
    }
    assert_null(lmb_unit_at(-1));
    assert_null(lmb_unit_at(lmb_unit_count()));
    assert_string_equal(lmb_dim_si_name(LMB_DIM_CURRENT_DENSITY), "A/m2");
    assert_string_equal(lmb_dim_si_name(LMB_DIM_COUNT), "?");
}

static void test_quantity_parse(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    double v = 0.0;
    const lmb_unit *u = NULL;
    assert_int_equal(lmb_quantity_parse(ctx, "1.5 mA/cm2", LMB_DIM_CURRENT_DENSITY, &v, &u),
                     LMB_OK);
    assert_true(v == 1.5 && u == lmb_unit_find("mA/cm2"));
    assert_int_equal(lmb_quantity_parse(ctx, "-20um", LMB_DIM_COUNT, &v, &u), LMB_OK);
    assert_true(v == -20.0 && u->dim == LMB_DIM_LENGTH);
    assert_int_equal(lmb_quantity_parse(ctx, "mA", LMB_DIM_CURRENT, &v, &u), LMB_EPARSE);
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "expected a number"));
    assert_int_equal(lmb_quantity_parse(ctx, "1 mA/furlong", LMB_DIM_COUNT, &v, &u), LMB_EUNIT);
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "unknown unit 'mA/furlong'"));
    assert_int_equal(lmb_quantity_parse(ctx, "1 V", LMB_DIM_TIME, &v, &u), LMB_EUNIT);
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "is a voltage, expected a time"));
    assert_int_equal(lmb_quantity_parse(ctx, "nan h", LMB_DIM_TIME, &v, &u), LMB_EPARSE);
    assert_int_equal(lmb_quantity_parse(ctx, "1e999 h", LMB_DIM_TIME, &v, &u), LMB_EPARSE);
    assert_int_equal(lmb_quantity_parse(ctx, NULL, LMB_DIM_TIME, &v, &u), LMB_EPARSE);
    lmb_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_list),
        cmocka_unit_test(test_ctx_errors),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_quantity_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
