/*
 * run.c - the sweep's coordinator (lmb_sweep_run): hands the missing points out to local
 * worker threads and remote workers, one point at a time as each becomes free (dynamic
 * scheduling: points differ in cost by orders of magnitude, a short ends a run early), and
 * commits every result to the catalogue as it arrives, in its own transaction.
 *
 * Threads: each local worker thread owns an lmb_sweep_worker (its own context; lmb has no global
 * mutable state) and a one-result mailbox. The calling thread is the coordinator: the only one
 * that touches the catalogue and the remote transport (so an MPI library needs only
 * MPI_THREAD_FUNNELED). With remote workers it polls every millisecond instead of sleeping on the
 * condition variable, since their messages arrive outside it.
 *
 * The order in which points finish does not matter: a point's row depends on the point alone,
 * and the catalogue's rows are keyed by point number.
 */
#define _POSIX_C_SOURCE 200809L
#include "sweep/sweep_internal.h"

#include "core/clock.h"
#include "core/ctx_internal.h"
#include "io/catalogue.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define POLL_NS 1000000L /* 1 ms between looks at the remote workers */

typedef struct mailbox {
    int full;
    lmb_sweep_result r;
} mailbox;

typedef struct shared {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* a mailbox filled, a thread ended, or a mailbox emptied */
    const lmb_sweep *sw;
    const char *out_dir; /* DIR, when time series are written (DIR/points/<point>), else NULL */
    const long *todo;
    long n_todo, next;
    int stop;    /* no new point starts */
    int running; /* local threads not yet ended */
    lmb_status fatal;
    char fatal_msg[LMB__ERRMSG_MAX];
    mailbox *box;
} shared;

typedef struct thread_arg {
    shared *sh;
    int index;
} thread_arg;

static void set_fatal(shared *sh, lmb_status st, const char *msg) {
    if (sh->fatal == LMB_OK) {
        sh->fatal = st;
        snprintf(sh->fatal_msg, sizeof sh->fatal_msg, "%s", msg);
    }
    sh->stop = 1;
}

/* The next point to compute (under the lock), -1 when none is left or the run stops. */
static long take_point(shared *sh) {
    if (sh->stop || sh->next >= sh->n_todo)
        return -1;
    return sh->todo[sh->next++];
}

int lmb_sweep_point_dir(const lmb_sweep *sw, const char *out_dir, long i, char *buf, size_t size) {
    int width = 0;
    for (long n = sw ? sw->n_points - 1 : 0; n > 0 || width == 0; n /= 10)
        width++;
    return snprintf(buf, size, "%s/points/%0*ld", out_dir ? out_dir : ".", width, i);
}

static void *worker_main(void *p) {
    thread_arg *a = p;
    shared *sh = a->sh;
    lmb_ctx *ctx = NULL;
    lmb_sweep_worker *w = NULL;
    lmb_status st = lmb_ctx_create(&ctx);
    if (st == LMB_OK)
        st = lmb_sweep_worker_create(ctx, sh->sw, &w);
    pthread_mutex_lock(&sh->mu);
    if (st != LMB_OK)
        set_fatal(sh, st, ctx ? lmb_ctx_errmsg(ctx) : "out of memory");
    for (;;) {
        while (sh->box[a->index].full && !sh->stop)
            pthread_cond_wait(&sh->cv, &sh->mu);
        long i = take_point(sh);
        if (i < 0)
            break;
        pthread_mutex_unlock(&sh->mu);
        lmb_sweep_result r;
        char dir[4200];
        if (sh->out_dir)
            lmb_sweep_point_dir(sh->sw, sh->out_dir, i, dir, sizeof dir);
        st = lmb_sweep_worker_run(w, i, sh->out_dir ? dir : NULL, &r);
        r.rank = 0;
        r.worker = a->index;
        pthread_mutex_lock(&sh->mu);
        if (st != LMB_OK) {
            set_fatal(sh, st, lmb_sweep_worker_errmsg(w));
            break;
        }
        sh->box[a->index].r = r;
        sh->box[a->index].full = 1;
        pthread_cond_broadcast(&sh->cv);
    }
    sh->running--;
    pthread_cond_broadcast(&sh->cv);
    pthread_mutex_unlock(&sh->mu);
    lmb_sweep_worker_free(w);
    lmb_ctx_free(ctx);
    return NULL;
}

typedef struct coord {
    lmb_ctx *ctx;
    const lmb_sweep *sw;
    lmb__catalogue *cat;
    const lmb_sweep_options *opt;
    lmb_sweep_progress prog;
    double t0;
} coord;

static lmb_status commit(coord *c, const lmb_sweep_result *r) {
    if (r->point < 0 || r->point >= c->sw->n_points)
        LMB__FAIL(c->ctx, LMB_EIO, "a worker returned point %ld, outside the sweep's 0..%ld",
                  r->point, c->sw->n_points - 1);
    lmb_status st = lmb__catalogue_put(
        c->ctx, c->cat, c->sw->values + (size_t)r->point * (size_t)c->sw->n_params, r);
    if (st != LMB_OK)
        return st;
    c->prog.done++;
    c->prog.computed++;
    if (r->status != LMB_SWEEP_POINT_OK)
        c->prog.failed++;
    c->prog.elapsed_s = lmb__now_s() - c->t0;
    if (c->opt->progress)
        c->opt->progress(c->opt->progress_user, &c->prog);
    return LMB_OK;
}

static int make_dir(const char *d) {
    return mkdir(d, 0777) == 0 || errno == EEXIST ? 0 : -1;
}

/* The coordinator's loop; returns the first failure. */
static lmb_status coordinate(coord *c, shared *sh, int jobs) {
    const lmb_sweep_transport *rt = c->opt->remote;
    int remote_live = rt ? rt->workers : 0;
    lmb_status st = LMB_OK;
    mailbox *got = calloc((size_t)(jobs > 0 ? jobs : 1), sizeof *got);
    if (!got)
        LMB__FAIL(c->ctx, LMB_ENOMEM, "out of memory");
    for (;;) {
        pthread_mutex_lock(&sh->mu);
        if (c->opt->stop && *c->opt->stop && !sh->stop) {
            sh->stop = 1;
            pthread_cond_broadcast(&sh->cv);
        }
        int n_got = 0;
        for (int t = 0; t < jobs; t++)
            if (sh->box[t].full) {
                got[n_got++] = sh->box[t];
                sh->box[t].full = 0;
            }
        if (n_got)
            pthread_cond_broadcast(&sh->cv);
        int local_done = sh->running == 0;
        pthread_mutex_unlock(&sh->mu);
        for (int k = 0; k < n_got && st == LMB_OK; k++)
            st = commit(c, &got[k].r);
        if (st != LMB_OK)
            break;
        /* the remote workers: every message is answered with the next point or a stop */
        int heard = 0;
        while (rt && remote_live > 0) {
            int wk = -1, has = 0;
            lmb_sweep_result r;
            int rc = rt->poll(rt->user, &wk, &has, &r);
            if (rc == 0)
                break;
            if (rc < 0 || wk < 0 || wk >= rt->workers) {
                st = lmb__ctx_fail(c->ctx, LMB_EIO, "the transport to the remote workers failed");
                break;
            }
            heard = 1;
            if (has && (st = commit(c, &r)) != LMB_OK)
                break;
            pthread_mutex_lock(&sh->mu);
            long i = take_point(sh);
            pthread_mutex_unlock(&sh->mu);
            if (rt->send(rt->user, wk, i) != 0) {
                st = lmb__ctx_fail(c->ctx, LMB_EIO, "cannot send a point to remote worker %d", wk);
                break;
            }
            if (i < 0)
                remote_live--;
        }
        if (st != LMB_OK)
            break;
        pthread_mutex_lock(&sh->mu);
        int pending = 0;
        for (int t = 0; t < jobs; t++)
            pending |= sh->box[t].full;
        if (local_done && sh->running == 0 && !pending && remote_live == 0) {
            pthread_mutex_unlock(&sh->mu);
            break;
        }
        if (!heard && !pending) {
            if (rt && remote_live > 0) {
                struct timespec ts;
                clock_gettime(CLOCK_REALTIME, &ts);
                ts.tv_nsec += POLL_NS;
                if (ts.tv_nsec >= 1000000000L) {
                    ts.tv_sec++;
                    ts.tv_nsec -= 1000000000L;
                }
                pthread_cond_timedwait(&sh->cv, &sh->mu, &ts);
            } else if (sh->running > 0) {
                pthread_cond_wait(&sh->cv, &sh->mu);
            }
        }
        pthread_mutex_unlock(&sh->mu);
    }
    free(got);
    return st;
}

lmb_status lmb_sweep_run(lmb_ctx *ctx, const lmb_sweep *sw, const char *path,
                         const lmb_sweep_options *opt, lmb_sweep_progress *stats) {
    if (!sw || !path || !opt)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_sweep_run: NULL argument");
    const lmb_sweep_transport *rt = opt->remote;
    int jobs = opt->jobs;
    if (jobs < 0 || jobs > 4096 || (jobs == 0 && !(rt && rt->workers > 0)))
        LMB__FAIL(ctx, LMB_EINVAL,
                  "lmb_sweep_run: %d worker threads (need 1 to 4096, or 0 with "
                  "remote workers)",
                  jobs);
    if (rt && (rt->workers < 0 || !rt->poll || !rt->send))
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_sweep_run: incomplete transport");
    const char *names[LMB_SWEEP_MAX_PARAMS];
    int kinds[LMB_SWEEP_MAX_PARAMS];
    for (int j = 0; j < sw->n_params; j++) {
        names[j] = sw->params[j].name;
        kinds[j] = sw->params[j].is_protocol;
    }
    lmb__catalogue_spec spec = {.fingerprint = sw->fingerprint,
                                .sweep_json = sw->json,
                                .cell = sw->cell_arg,
                                .protocol = sw->protocol_name,
                                .design = sw->design,
                                .points = sw->n_points,
                                .n_params = sw->n_params,
                                .param_names = names,
                                .param_is_protocol = kinds};
    lmb__catalogue_run run = {.command = opt->command, .workers = jobs + (rt ? rt->workers : 0)};
    lmb__catalogue *cat = NULL;
    lmb_status st = lmb__catalogue_open(ctx, path, &spec, &run, &cat);
    if (st != LMB_OK)
        return st;

    shared sh;
    memset(&sh, 0, sizeof sh);
    sh.sw = sw;
    long *todo = malloc((size_t)sw->n_points * sizeof *todo);
    mailbox *box = calloc((size_t)(jobs > 0 ? jobs : 1), sizeof *box);
    pthread_t *th = calloc((size_t)(jobs > 0 ? jobs : 1), sizeof *th);
    thread_arg *args = calloc((size_t)(jobs > 0 ? jobs : 1), sizeof *args);
    char points_dir[4200];
    if (!todo || !box || !th || !args) {
        st = lmb__ctx_fail(ctx, LMB_ENOMEM, "out of memory for %ld points", sw->n_points);
        goto out;
    }
    for (long i = 0; i < sw->n_points; i++)
        if (!lmb__catalogue_has(cat, i))
            todo[sh.n_todo++] = i;
    sh.todo = todo;
    sh.box = box;
    if (sw->timeseries) {
        snprintf(points_dir, sizeof points_dir, "%s/points", opt->out_dir ? opt->out_dir : ".");
        if (make_dir(points_dir) != 0) {
            st = lmb__ctx_fail(ctx, LMB_EIO, "%s: cannot create directory: %s", points_dir,
                               strerror(errno));
            goto out;
        }
        sh.out_dir = opt->out_dir ? opt->out_dir : ".";
    }
    coord c = {.ctx = ctx, .sw = sw, .cat = cat, .opt = opt, .t0 = lmb__now_s()};
    c.prog.total = sw->n_points;
    c.prog.done = sw->n_points - sh.n_todo;
    c.prog.to_compute = sh.n_todo;
    if (opt->progress)
        opt->progress(opt->progress_user, &c.prog);

    pthread_mutex_init(&sh.mu, NULL);
    pthread_cond_init(&sh.cv, NULL);
    int started = 0;
    for (int t = 0; t < jobs; t++) {
        args[t].sh = &sh;
        args[t].index = t;
        pthread_mutex_lock(&sh.mu);
        sh.running++;
        pthread_mutex_unlock(&sh.mu);
        if (pthread_create(&th[t], NULL, worker_main, &args[t]) != 0) {
            pthread_mutex_lock(&sh.mu);
            sh.running--;
            set_fatal(&sh, LMB_ENOMEM, "cannot start a worker thread");
            pthread_mutex_unlock(&sh.mu);
            break;
        }
        started++;
    }
    st = coordinate(&c, &sh, jobs);
    /* on a failure of the coordinator the threads still running are told to stop */
    pthread_mutex_lock(&sh.mu);
    sh.stop = 1;
    pthread_cond_broadcast(&sh.cv);
    pthread_mutex_unlock(&sh.mu);
    for (int t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    pthread_cond_destroy(&sh.cv);
    pthread_mutex_destroy(&sh.mu);
    if (st == LMB_OK && sh.fatal != LMB_OK)
        st = lmb__ctx_fail(ctx, sh.fatal, "%s", sh.fatal_msg);
    int stopped = st == LMB_OK && c.prog.done < sw->n_points;
    if (stopped)
        st = lmb__ctx_fail(ctx, LMB_ESTATE,
                           "stopped: %ld of %ld points in %s; run the same command again to "
                           "compute the %ld missing",
                           c.prog.done, sw->n_points, path, sw->n_points - c.prog.done);
    if (stats)
        *stats = c.prog;
out:;
    lmb_ctx *cctx = NULL;
    lmb_ctx_create(&cctx);
    lmb_status cst = lmb__catalogue_close(cctx, cat,
                                          st == LMB_OK       ? "completed"
                                          : st == LMB_ESTATE ? "stopped"
                                                             : "failed");
    if (st == LMB_OK && cst != LMB_OK)
        st = lmb__ctx_fail(ctx, cst, "%s", lmb_ctx_errmsg(cctx));
    lmb_ctx_free(cctx);
    free(todo);
    free(box);
    free(th);
    free(args);
    return st;
}
