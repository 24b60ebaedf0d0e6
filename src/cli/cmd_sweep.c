/*
 * cmd_sweep.c - `lmb sweep SWEEP.json -o DIR`: a design sweep, its points computed in parallel
 * (worker threads, and MPI ranks when started by mpirun) into the SQLite catalogue
 * DIR/sweep.sqlite, resumable after an interruption (lmb/sweep.h, docs/sweeps.md).
 *
 * The progress bar goes to stderr: redrawn in place four times a second on a terminal, a line
 * at every tenth of the work (and at most every 10 s) otherwise, so that a log shows it too.
 * SIGINT and SIGTERM stop the sweep cleanly (the points running finish and are committed; exit
 * 130); a second SIGINT, or SIGKILL, ends it at once, which loses only the points in flight.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

#include "core/clock.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_INTERRUPTED 130

static volatile int g_stop; /* set by the signal handler: the one global of the CLI */

static void on_signal(int sig) {
    g_stop = 1;
    signal(sig, SIG_DFL); /* a second signal ends the process */
}

typedef struct bar_state {
    int tty, quiet;
    double last;
    long last_tenth;
} bar_state;

static void format_duration(double s, char *buf, size_t n) {
    if (!isfinite(s) || s < 0)
        snprintf(buf, n, "?");
    else if (s < 60)
        snprintf(buf, n, "%.0f s", s);
    else if (s < 3600)
        snprintf(buf, n, "%.0f min %02.0f s", floor(s / 60), fmod(s, 60));
    else
        snprintf(buf, n, "%.0f h %02.0f min", floor(s / 3600), floor(fmod(s, 3600) / 60));
}

static void draw_bar(bar_state *b, const lmb_sweep_progress *p, int final) {
    double rate = p->elapsed_s > 0 ? (double)p->computed / p->elapsed_s : 0.0;
    double left = rate > 0 ? (double)(p->to_compute - p->computed) / rate : NAN;
    char eta[32];
    format_duration(p->computed == p->to_compute ? 0.0 : left, eta, sizeof eta);
    const int width = 30;
    int fill = p->total > 0 ? (int)((double)width * (double)p->done / (double)p->total) : width;
    char bar[64];
    for (int k = 0; k < width; k++)
        bar[k] = k < fill ? '#' : '.';
    bar[width] = '\0';
    fprintf(stderr,
            "%slmb sweep: [%s] %ld/%ld points (%.0f %%), %.1f points/s, %s left, %ld "
            "failed%s",
            b->tty ? "\r" : "", bar, p->done, p->total,
            p->total ? 100.0 * (double)p->done / (double)p->total : 100.0, rate, eta, p->failed,
            b->tty ? "   " : "\n");
    if (final && b->tty)
        fputc('\n', stderr);
    fflush(stderr);
}

static void progress(void *user, const lmb_sweep_progress *p) {
    bar_state *b = user;
    if (b->quiet)
        return;
    double t = lmb__now_s();
    int last = p->computed == p->to_compute;
    if (b->tty) {
        if (t - b->last >= 0.25 || last) {
            b->last = t;
            draw_bar(b, p, last);
        }
        return;
    }
    long tenth = p->to_compute > 0 ? 10 * p->computed / p->to_compute : 10;
    if (tenth != b->last_tenth || (t - b->last >= 10.0) || last) {
        b->last_tenth = tenth;
        b->last = t;
        draw_bar(b, p, last);
    }
}

/* The points of the design as CSV on stdout (--points). */
static void print_points(const lmb_sweep *sw) {
    printf("point");
    for (int j = 0; j < lmb_sweep_param_count(sw); j++)
        printf(",%s", lmb_sweep_param_name(sw, j));
    printf("\n");
    for (long i = 0; i < lmb_sweep_point_count(sw); i++) {
        printf("%ld", i);
        for (int j = 0; j < lmb_sweep_param_count(sw); j++)
            printf(",%.17g", lmb_sweep_value(sw, i, j));
        printf("\n");
    }
}

static void command_line(int argc, char **argv, char *buf, size_t n) {
    size_t k = (size_t)snprintf(buf, n, "lmb");
    for (int i = 0; i < argc && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, " %s", argv[i]);
}

int lmb_cmd_sweep(lmb_ctx *ctx, int argc, char **argv) {
    const char *file = NULL, *outdir = "out/sweep";
    long jobs = 1;
    int quiet = 0, list = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (i + 1 >= argc)
                return lmb_cli_usage_error("sweep", "%s needs a directory", a);
            outdir = argv[++i];
        } else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
            char *end = NULL;
            if (i + 1 >= argc)
                return lmb_cli_usage_error("sweep", "%s needs a number of workers", a);
            errno = 0;
            jobs = strtol(argv[++i], &end, 10);
            if (errno || !end || *end || end == argv[i] || jobs < 1 || jobs > 4096)
                return lmb_cli_usage_error("sweep",
                                           "%s: '%s' is not a number of workers from 1 "
                                           "to 4096",
                                           a, argv[i]);
        } else if (!strcmp(a, "--points")) {
            list = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            return lmb_cli_usage_error("sweep", "unknown option '%s'", a);
        } else if (!file) {
            file = a;
        } else {
            return lmb_cli_usage_error("sweep", "unexpected argument '%s'", a);
        }
    }
    if (!file)
        return lmb_cli_usage_error("sweep", "missing SWEEP (a sweep file, docs/sweeps.md)");

    int rank = 0, size = 1, mpi = lmb_cli_mpi_launched() && !list;
    if (mpi && lmb_cli_mpi_init(&rank, &size) != 0) {
        fprintf(stderr, "lmb: sweep: MPI_Init failed\n");
        return LMB_EXIT_FAIL;
    }
    lmb_sweep *sw = NULL;
    lmb_status st = lmb_sweep_load(ctx, file, &sw);
    if (st != LMB_OK) {
        int rc = lmb_cli_fail_input(ctx, st);
        if (mpi)
            lmb_cli_mpi_abort(rc); /* every rank read the same file: none can go on */
        return rc;
    }
    if (list) {
        print_points(sw);
        lmb_sweep_free(sw);
        return LMB_EXIT_OK;
    }
    if (rank > 0) { /* a remote worker: points from rank 0 until it says stop */
        int rc = lmb_cli_mpi_serve(ctx, sw, outdir, rank);
        lmb_sweep_free(sw);
        if (rc != 0)
            lmb_cli_mpi_abort(rc);
        lmb_cli_mpi_finalize();
        return rc;
    }
    if (lmb_cli_make_dir(outdir) != 0) {
        fprintf(stderr, "lmb: %s: cannot create directory: %s\n", outdir, strerror(errno));
        lmb_sweep_free(sw);
        if (mpi)
            lmb_cli_mpi_abort(LMB_EXIT_FAIL);
        return LMB_EXIT_FAIL;
    }
    char path[4200], cmd[2048];
    snprintf(path, sizeof path, "%s/sweep.sqlite", outdir);
    command_line(argc, argv, cmd, sizeof cmd);
    bar_state bar = {.tty = isatty(STDERR_FILENO), .quiet = quiet, .last_tenth = -1};
    g_stop = 0;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    lmb_sweep_options opt = {.jobs = (int)jobs,
                             .out_dir = outdir,
                             .command = cmd,
                             .remote = mpi && size > 1 ? lmb_cli_mpi_transport(sw, size) : NULL,
                             .stop = &g_stop,
                             .progress = progress,
                             .progress_user = &bar};
    lmb_sweep_progress stats;
    memset(&stats, 0, sizeof stats);
    double t0 = lmb__now_s();
    st = lmb_sweep_run(ctx, sw, path, &opt, &stats);
    double wall = lmb__now_s() - t0;
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    int rc = LMB_EXIT_OK;
    if (st == LMB_ESTATE && g_stop) {
        fprintf(stderr, "lmb: sweep interrupted: %s\n", lmb_ctx_errmsg(ctx));
        rc = EXIT_INTERRUPTED;
    } else if (st != LMB_OK) {
        /* a catalogue of another sweep is bad input, like a bad file */
        rc = st == LMB_ESTATE ? lmb_cli_fail_input(ctx, st) : lmb_cli_fail(ctx, st);
    } else if (!quiet) {
        int workers = (int)jobs + (opt.remote ? size - 1 : 0);
        printf("sweep      %s: %ld points (%s of %d parameter%s), fingerprint %s\n", file,
               lmb_sweep_point_count(sw), lmb_sweep_design(sw), lmb_sweep_param_count(sw),
               lmb_sweep_param_count(sw) == 1 ? "" : "s", lmb_sweep_fingerprint(sw));
        printf("computed   %ld now (%ld were in the catalogue), %ld failed or invalid, "
               "%.3f s on %d worker%s",
               stats.computed, stats.total - stats.to_compute, stats.failed, wall, workers,
               workers == 1 ? "" : "s");
        if (stats.computed > 0 && wall > 0)
            printf(", %.1f points/s", (double)stats.computed / wall);
        printf("\ncatalogue  %s (table points; docs/sweeps.md)\n", path);
    }
    lmb_sweep_free(sw);
    if (mpi) {
        if (rc != LMB_EXIT_OK && rc != EXIT_INTERRUPTED && opt.remote)
            lmb_cli_mpi_abort(rc); /* remote ranks may still wait for a point */
        lmb_cli_mpi_finalize();
    }
    return rc;
}
