/*
 * test_sweep.c - sweep files (lmb/sweep.h): the points of a grid, a list and a Latin hypercube,
 * protocol placeholders, the fingerprint, every error of a sweep file, and the metrics of a
 * point (a short, a censored life, an invalid point, the same result from two workers).
 */
#include "sweep/sweep_internal.h"

#include "test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define PROTO                                                                                      \
    "\"protocol_text\": \"# at {i}\\nRepeat 2 times:\\n    Plate at {i} mA/cm2 for 10 min or "     \
    "until short\\n    Strip at {i} mA/cm2 for 10 min or until short\\n\""

static lmb_sweep *parse_ok(lmb_ctx *ctx, const char *json) {
    lmb_sweep *sw = NULL;
    lmb_status st = lmb_sweep_parse(ctx, json, "t.json", NULL, &sw);
    if (st != LMB_OK)
        fail_msg("parse failed: %s", lmb_ctx_errmsg(ctx));
    return sw;
}

/* Parsing fails with status st and a message holding each of the words. */
static void parse_fails(const char *json, lmb_status want, const char *w1, const char *w2) {
    lmb_ctx *ctx;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_sweep *sw = (lmb_sweep *)1;
    lmb_status st = lmb_sweep_parse(ctx, json, "t.json", NULL, &sw);
    if (st != want)
        fail_msg("status %s, want %s: %s", lmb_status_name(st), lmb_status_name(want),
                 lmb_ctx_errmsg(ctx));
    assert_null(sw);
    const char *m = lmb_ctx_errmsg(ctx);
    if (!strstr(m, "t.json") || (w1 && !strstr(m, w1)) || (w2 && !strstr(m, w2)))
        fail_msg("message '%s' lacks t.json / '%s' / '%s'", m, w1 ? w1 : "", w2 ? w2 : "");
    lmb_ctx_free(ctx);
}

static void test_grid_order(void **state) {
    (void)state;
    lmb_ctx *ctx;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_sweep *sw = parse_ok(
        ctx, "{\"cell\": \"li-li:bare\", " PROTO ", \"grid\": {"
             "\"separator.thickness_um\": [10, 20], "
             "\"protocol.i\": {\"from\": 0.1, \"to\": 10, \"n\": 3, \"scale\": \"log\"}}}");
    assert_int_equal(lmb_sweep_point_count(sw), 6);
    assert_int_equal(lmb_sweep_param_count(sw), 2);
    assert_string_equal(lmb_sweep_param_name(sw, 0), "separator.thickness_um");
    assert_int_equal(lmb_sweep_param_is_protocol(sw, 0), 0);
    assert_int_equal(lmb_sweep_param_is_protocol(sw, 1), 1);
    assert_string_equal(lmb_sweep_design(sw), "grid");
    /* the last parameter varies fastest; log axis: 0.1, 1, 10 with both ends exact */
    const double want[6][2] = {{10, 0.1}, {10, 1}, {10, 10}, {20, 0.1}, {20, 1}, {20, 10}};
    for (long i = 0; i < 6; i++) {
        assert_true(lmb_sweep_value(sw, i, 0) == want[i][0]);
        assert_true(fabs((lmb_sweep_value(sw, i, 1)) - (want[i][1])) <= (1e-15 * want[i][1]));
    }
    assert_true(lmb_sweep_value(sw, 0, 1) == 0.1 && lmb_sweep_value(sw, 2, 1) == 10.0);
    assert_true(isnan(lmb_sweep_value(sw, 6, 0)) && isnan(lmb_sweep_value(sw, 0, 2)));
    assert_null(lmb_sweep_param_name(sw, 2));
    assert_int_equal(strlen(lmb_sweep_fingerprint(sw)), 16);
    /* placeholders filled with round-trip decimals, comments too are left alone */
    char *text = lmb__sweep_protocol_text(ctx, sw, 2);
    assert_non_null(text);
    assert_non_null(strstr(text, "Plate at 10 mA/cm2"));
    assert_non_null(strstr(text, "# at {i}"));
    free(text);
    lmb_sweep_free(sw);
    lmb_ctx_free(ctx);
}

static void test_number_format(void **state) {
    (void)state;
    const double xs[] = {0.1, 1.0 / 3.0, 1e-300, 12345.678901234567, 2.5e21};
    for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
        char buf[64];
        lmb__sweep_format_number(xs[k], buf, sizeof buf);
        assert_true(strtod(buf, NULL) == xs[k]);
    }
    char buf[64];
    lmb__sweep_format_number(0.1, buf, sizeof buf);
    assert_string_equal(buf, "0.1");
}

static void test_list(void **state) {
    (void)state;
    lmb_ctx *ctx;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_sweep *sw = parse_ok(ctx, "{\"cell\": \"li-li:bare\", " PROTO ", \"list\": ["
                                  "{\"protocol.i\": 1, \"electrolyte.volume_uL\": 10},"
                                  "{\"electrolyte.volume_uL\": 30, \"protocol.i\": 2}]}");
    assert_int_equal(lmb_sweep_point_count(sw), 2);
    assert_true(lmb_sweep_value(sw, 1, 0) == 2.0 && lmb_sweep_value(sw, 1, 1) == 30.0);
    assert_string_equal(lmb_sweep_design(sw), "list");
    lmb_sweep_free(sw);
    lmb_ctx_free(ctx);
}

/* A Latin hypercube puts exactly one point in each of the N strata of every parameter, and a
 * seed gives the same points. */
static void test_lhs_strata(void **state) {
    (void)state;
    lmb_ctx *ctx;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    const char *json = "{\"cell\": \"li-li:cspbcl3-2mg\", " PROTO ", \"lhs\": {\"points\": 50, "
                       "\"seed\": 11, \"ranges\": {"
                       "\"electrodes.coating.porosity\": {\"from\": 0.2, \"to\": 0.6},"
                       "\"protocol.i\": {\"from\": 0.1, \"to\": 10, \"scale\": \"log\"}}}}";
    lmb_sweep *a = parse_ok(ctx, json), *b = parse_ok(ctx, json);
    const int N = 50;
    assert_int_equal(lmb_sweep_point_count(a), N);
    int seen[2][50] = {{0}};
    for (long i = 0; i < N; i++) {
        double u0 = (lmb_sweep_value(a, i, 0) - 0.2) / 0.4;
        double u1 = (log(lmb_sweep_value(a, i, 1)) - log(0.1)) / (log(10.0) - log(0.1));
        assert_true(u0 >= 0 && u0 < 1 && u1 >= 0 && u1 < 1);
        seen[0][(int)(u0 * N)]++;
        seen[1][(int)(u1 * N)]++;
        assert_true(lmb_sweep_value(a, i, 0) == lmb_sweep_value(b, i, 0));
        assert_true(lmb_sweep_value(a, i, 1) == lmb_sweep_value(b, i, 1));
    }
    for (int k = 0; k < N; k++)
        assert_true(seen[0][k] == 1 && seen[1][k] == 1);
    assert_string_equal(lmb_sweep_fingerprint(a), lmb_sweep_fingerprint(b));
    /* another seed: other points, another fingerprint */
    lmb_sweep *c = parse_ok(ctx, "{\"cell\": \"li-li:cspbcl3-2mg\", " PROTO ", \"lhs\": "
                                 "{\"points\": 50, \"seed\": 12, \"ranges\": {"
                                 "\"electrodes.coating.porosity\": {\"from\": 0.2, \"to\": 0.6},"
                                 "\"protocol.i\": {\"from\": 0.1, \"to\": 10, \"scale\": "
                                 "\"log\"}}}}");
    assert_string_not_equal(lmb_sweep_fingerprint(a), lmb_sweep_fingerprint(c));
    assert_true(lmb_sweep_value(a, 0, 0) != lmb_sweep_value(c, 0, 0));
    lmb_sweep_free(a);
    lmb_sweep_free(b);
    lmb_sweep_free(c);
    lmb_ctx_free(ctx);
}

/* The fingerprint follows the inputs: a changed fixed value, a changed protocol. */
static void test_fingerprint(void **state) {
    (void)state;
    lmb_ctx *ctx;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_sweep *a =
        parse_ok(ctx, "{\"cell\": \"li-li:bare\", " PROTO ", \"grid\": {\"protocol.i\": [1, 2]}}");
    lmb_sweep *b = parse_ok(ctx, "{\"cell\": \"li-li:bare\", " PROTO
                                 ", \"set\": {\"separator.thickness_um\": 20}, "
                                 "\"grid\": {\"protocol.i\": [1, 2]}}");
    lmb_sweep *c = parse_ok(ctx, "{\"cell\": \"li-li:bare\", \"protocol_text\": \"Plate at {i} "
                                 "mA/cm2 for 1 h\", \"grid\": {\"protocol.i\": [1, 2]}}");
    assert_string_not_equal(lmb_sweep_fingerprint(a), lmb_sweep_fingerprint(b));
    assert_string_not_equal(lmb_sweep_fingerprint(a), lmb_sweep_fingerprint(c));
    assert_non_null(strstr(lmb_sweep_json(b), "separator.thickness_um"));
    lmb_sweep_free(a);
    lmb_sweep_free(b);
    lmb_sweep_free(c);
    lmb_ctx_free(ctx);
}

static void test_errors(void **state) {
    (void)state;
    parse_fails("{\"cell\": \"li-li:bare\"", LMB_EPARSE, "not valid JSON", NULL);
    parse_fails("[1]", LMB_EPARSE, "JSON object", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"grid\": {\"protocol.i\": [1]}, "
                "\"grd\": 1}",
                LMB_EKEY, "\"grd\"", NULL);
    parse_fails("{" PROTO ", \"grid\": {\"protocol.i\": [1]}}", LMB_EKEY, "\"cell\"", NULL);
    parse_fails("{\"cell\": \"li-li:nosuch\", " PROTO ", \"grid\": {\"protocol.i\": [1]}}",
                LMB_ENOTFOUND, "li-li:nosuch", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", \"grid\": {\"protocol.i\": [1]}}", LMB_EKEY,
                "protocol_text", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", \"protocol\": \"/nonexistent/p.txt\", \"grid\": "
                "{\"protocol.i\": [1]}}",
                LMB_EIO, "/nonexistent/p.txt", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", \"protocol\": \"protocol:nosuch\", \"grid\": "
                "{\"protocol.i\": [1]}}",
                LMB_EIO, "nosuch", NULL);
    /* designs */
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO "}", LMB_EKEY, "exactly one design", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"grid\": {\"protocol.i\": [1]}, "
                "\"list\": [{\"protocol.i\": 1}]}",
                LMB_EKEY, "more than one", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"grid\": {\"protocol.i\": []}}", LMB_EPARSE,
                "empty list", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"grid\": {\"protocol.i\": [1, \"x\"]}}",
                LMB_EPARSE, "value 2", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"grid\": {\"protocol.i\": {\"from\": 1, "
                "\"to\": 2}}}",
                LMB_EPARSE, "\"n\"", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"grid\": {\"protocol.i\": {\"from\": 0, "
                "\"to\": 2, \"n\": 3, \"scale\": \"log\"}}}",
                LMB_ERANGE, "log scale", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"grid\": {\"protocol.i\": {\"from\": 1, "
                "\"to\": 2, \"n\": 3, \"step\": 1}}}",
                LMB_EKEY, "\"step\"", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"grid\": {\"protocol.i\": [1, -1]}}",
                LMB_ERANGE, "protocol.i", "> 0");
    /* values out of the schema's range, unknown keys and units */
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"defaults\": {\"i\": 1}, \"grid\": "
                "{\"separator.thickness_um\": [16, -5]}}",
                LMB_ERANGE, "separator.thickness", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"defaults\": {\"i\": 1}, \"grid\": "
                "{\"separator.thicknes_um\": [16]}}",
                LMB_EKEY, "separator.thicknes", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"defaults\": {\"i\": 1}, \"grid\": "
                "{\"separator.thickness_furlong\": [16]}}",
                LMB_EUNIT, "furlong", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"set\": {\"separator.thickness_um\": -1},"
                " \"grid\": {\"protocol.i\": [1]}}",
                LMB_ERANGE, "set", "separator.thickness");
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"grid\": {\"protocol.i\": [1], "
                "\"protocol.i\": [2]}}",
                LMB_EKEY, "twice", NULL);
    /* placeholders */
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"grid\": {\"separator.thickness_um\": "
                "[16]}}",
                LMB_EKEY, "{i}", "no value");
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"grid\": {\"protocol.j\": [1]}}", LMB_EKEY,
                "{j}", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"defaults\": {\"k\": 1}, \"grid\": "
                "{\"protocol.i\": [1]}}",
                LMB_EKEY, "{k}", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", \"protocol_text\": \"Plate at {i} mA/cm2 for\", "
                "\"grid\": {\"protocol.i\": [1]}}",
                LMB_EPARSE, "t.json", NULL);
    /* lists and hypercubes */
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"list\": [{\"protocol.i\": 1}, "
                "{\"protocol.k\": 1}]}",
                LMB_EPARSE, "point 1", "protocol.i");
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"list\": []}", LMB_EPARSE, "\"list\"",
                NULL);
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"lhs\": {\"points\": 0, \"ranges\": "
                "{\"protocol.i\": {\"from\": 1, \"to\": 2}}}}",
                LMB_ERANGE, "points", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"lhs\": {\"points\": 5, \"seed\": -1, "
                "\"ranges\": {\"protocol.i\": {\"from\": 1, \"to\": 2}}}}",
                LMB_EPARSE, "seed", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"defaults\": {\"i\": 1}, \"lhs\": "
                "{\"points\": 5, \"ranges\": {\"electrolyte.transference_number\": "
                "{\"from\": 0.2, \"to\": 1}}}}",
                LMB_ERANGE, "transference_number", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"grid\": {\"protocol.i\": [1]}, "
                "\"retention_threshold_percent\": 120}",
                LMB_ERANGE, "retention_threshold_percent", NULL);
    parse_fails("{\"cell\": \"li-li:bare\", " PROTO ", \"grid\": {\"protocol.i\": [1]}, "
                "\"timeseries\": 1}",
                LMB_EPARSE, "timeseries", NULL);
}

static void run_point(lmb_sweep_worker *w, long i, lmb_sweep_result *r) {
    if (lmb_sweep_worker_run(w, i, NULL, r) != LMB_OK)
        fail_msg("point %ld: %s", i, lmb_sweep_worker_errmsg(w));
}

/*
 * Points of a Li||Li sweep: the bare preset with a short thickness so small that the dead-Li
 * layers bridge the separator within a few cycles (the model's short), and one where the short
 * is out of reach (a censored life); a point whose cell is rejected (a porosity the coating
 * cross-check refuses would do; here a Repeat count that is not whole) is invalid with its
 * reason; two workers give bit-identical results.
 */
static void test_points(void **state) {
    (void)state;
    lmb_ctx *ctx;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_sweep *sw = parse_ok(ctx, "{\"cell\": \"li-li:bare\", \"protocol_text\": \"Repeat {n} "
                                  "times:\\n    Plate at 2 mA/cm2 for 2 mAh/cm2 or until short\\n"
                                  "    Strip at 2 mA/cm2 for 2 mAh/cm2 or until short\\n\", "
                                  "\"list\": [{\"separator.short_thickness_um\": 2, "
                                  "\"protocol.n\": 30}, {\"separator.short_thickness_um\": 5000, "
                                  "\"protocol.n\": 3}, {\"separator.short_thickness_um\": 5000, "
                                  "\"protocol.n\": 2.5}]}");
    lmb_sweep_worker *w1 = NULL, *w2 = NULL;
    assert_int_equal(lmb_sweep_worker_create(ctx, sw, &w1), LMB_OK);
    assert_int_equal(lmb_sweep_worker_create(ctx, sw, &w2), LMB_OK);
    lmb_sweep_result a, b;
    run_point(w1, 0, &a);
    assert_int_equal(a.status, LMB_SWEEP_POINT_OK);
    assert_int_equal(a.end, LMB_RUN_SHORT);
    assert_int_equal(a.life_end, LMB_SWEEP_LIFE_SHORT);
    assert_true(a.cycle_life >= 1 && a.cycle_life < 30);
    assert_int_equal(a.cycle_life, a.short_cycle);
    assert_true(a.short_s > 0 && a.short_s == a.test_time_s && a.life_s == a.short_s);
    assert_true(a.eta_initial_V > 0.0 && a.eta_mean_V > 0.0);
    assert_string_equal(lmb_sweep_life_end_name(a.life_end), "short");
    /* the same point on another worker, after it ran another point: bit-identical */
    run_point(w2, 1, &b);
    run_point(w2, 0, &b);
    assert_true(
        memcmp(&a.cycle_life, &b.cycle_life,
               offsetof(lmb_sweep_result, wall_s) - offsetof(lmb_sweep_result, cycle_life)) == 0);
    assert_true(a.eta_mean_V == b.eta_mean_V && a.ida_steps == b.ida_steps);
    /* censored: three complete cycles, no end of life, CE near 1, capacity as asked */
    run_point(w1, 1, &b);
    assert_int_equal(b.status, LMB_SWEEP_POINT_OK);
    assert_int_equal(b.end, LMB_RUN_COMPLETED);
    assert_int_equal(b.cycles, 3);
    assert_int_equal(b.cycle_life, 0);
    assert_null(lmb_sweep_life_end_name(b.life_end));
    assert_true(isnan(b.short_s) && isnan(b.life_s));
    assert_true(b.ce_mean > 0.9 && b.ce_mean <= 1.0 + 1e-9);
    assert_true(fabs((b.capacity_first_C_m2) - (2.0 * 36000.0)) <=
                (1e-6 * 72000.0)); /* 2 mAh/cm2 */
    assert_true(fabs((b.retention_last) - (1.0)) <= (1e-6));
    /* invalid: the protocol of this point does not parse */
    run_point(w1, 2, &b);
    assert_int_equal(b.status, LMB_SWEEP_POINT_INVALID);
    assert_string_equal(lmb_sweep_point_status_name(b.status), "invalid");
    assert_non_null(strstr(b.error, "repetitions"));
    assert_int_equal(b.cycles, 0);
    /* outside the sweep */
    assert_int_equal(lmb_sweep_worker_run(w1, 3, NULL, &b), LMB_EINVAL);
    assert_int_equal(lmb_sweep_worker_run(w1, -1, NULL, &b), LMB_EINVAL);
    lmb_sweep_worker_free(w1);
    lmb_sweep_worker_free(w2);
    lmb_sweep_free(sw);
    lmb_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_order),  cmocka_unit_test(test_number_format),
        cmocka_unit_test(test_list),        cmocka_unit_test(test_lhs_strata),
        cmocka_unit_test(test_fingerprint), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
