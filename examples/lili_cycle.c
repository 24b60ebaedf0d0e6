/*
 * lili_cycle.c - using liblmb from C: load a preset, plate and strip a Li||Li cell, print the
 * end-of-step voltages and write the time series.
 *
 *   cc lili_cycle.c $(pkg-config --cflags --libs lmb) -o lili_cycle
 *   ./lili_cycle li-li:cspbcl3-2mg
 */
#include <lmb/lmb.h>

#include <stdio.h>

int main(int argc, char **argv) {
    const char *name = argc > 1 ? argv[1] : "li-li:bare";
    lmb_ctx *ctx = NULL;
    lmb_cell *cell = NULL;
    lmb_sim *sim = NULL;
    if (lmb_ctx_create(&ctx) != LMB_OK)
        return 1;
    if (lmb_cell_load(ctx, name, &cell) != LMB_OK ||
        lmb_sim_create(ctx, cell, NULL, &sim) != LMB_OK) {
        fprintf(stderr, "%s\n", lmb_ctx_errmsg(ctx));
        lmb_cell_free(cell);
        lmb_ctx_free(ctx);
        return 1;
    }
    /* 1 mA/cm2 in A: currents at this interface are in amperes, positive charges the cell */
    double I = 10.0 * lmb_sim_area_m2(sim);
    for (int cycle = 0; cycle < 3; cycle++) {
        for (int half = 0; half < 2; half++) {
            lmb_step s = lmb_step_init();
            s.control = LMB_CONTROL_CURRENT;
            s.value = half == 0 ? -I : I; /* plate, then strip the working electrode */
            s.duration_s = 3600.0;
            s.new_cycle = half == 0;
            lmb_step_result r;
            if (lmb_sim_run_step(ctx, sim, &s, &r) != LMB_OK) {
                fprintf(stderr, "%s\n", lmb_ctx_errmsg(ctx));
                break;
            }
            printf("cycle %d %-9s ends at t = %6.0f s, V = %+.4f V, %.4f mAh\n", cycle + 1,
                   half == 0 ? "plating" : "stripping", r.t_end_s, r.v_end, r.charge_C / 3.6);
        }
    }
    lmb_series series;
    lmb_sim_series(sim, &series);
    if (lmb_series_write_bdf(ctx, &series, "lili_cycle.bdf.csv") != LMB_OK)
        fprintf(stderr, "%s\n", lmb_ctx_errmsg(ctx));
    lmb_sim_free(sim);
    lmb_cell_free(cell);
    lmb_ctx_free(ctx);
    return 0;
}
