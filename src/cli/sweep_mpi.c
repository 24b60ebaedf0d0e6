/*
 * sweep_mpi.c - `mpirun -n N lmb sweep ...`: the sweep's remote workers over MPI.
 *
 * Rank 0 is the coordinator of lmb_sweep_run: it computes points on its own worker threads
 * (--jobs) and, through the transport below, hands one point at a time to each other rank, which
 * computes it and sends the result back (dynamic scheduling); only rank 0 writes the catalogue.
 * Every rank reads the sweep file itself and sends its fingerprint with its first message, so
 * a rank that read a different file (another machine's copy) is refused instead of writing
 * wrong rows. Results travel as the bytes of lmb_sweep_result: the ranks run the same binary
 * (a homogeneous cluster, which is how lmb is deployed under mpirun).
 *
 * MPI is initialised only when the process was started by mpirun (Open MPI's OMPI_COMM_WORLD_SIZE
 * or PMIx's PMIX_RANK in the environment), with MPI_THREAD_FUNNELED: only the main thread calls
 * MPI, the worker threads never do. Without LMB_WITH_MPI the functions say no MPI is there.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int lmb_cli_mpi_launched(void) {
    return getenv("OMPI_COMM_WORLD_SIZE") != NULL || getenv("PMIX_RANK") != NULL;
}

#ifdef LMB_WITH_MPI
#include <mpi.h>

#define TAG_UP   1 /* worker -> rank 0: a hello or a result */
#define TAG_DOWN 2 /* rank 0 -> worker: a point, or -1 to stop */

typedef struct up_msg {
    int has_result;
    char fingerprint[17];
    lmb_sweep_result result;
} up_msg;

typedef struct transport_state {
    lmb_sweep_transport t;
    const char *fingerprint;
} transport_state;

static transport_state g_transport; /* one per process: MPI itself is process-global */

int lmb_cli_mpi_init(int *rank, int *size) {
    int provided = 0;
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return -1;
    if (provided < MPI_THREAD_FUNNELED) {
        fprintf(stderr,
                "lmb: sweep: the MPI library does not allow threads (MPI_THREAD_FUNNELED)\n");
        MPI_Abort(MPI_COMM_WORLD, LMB_EXIT_FAIL);
    }
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    return 0;
}

void lmb_cli_mpi_finalize(void) {
    MPI_Finalize();
}

void lmb_cli_mpi_abort(int code) {
    MPI_Abort(MPI_COMM_WORLD, code);
}

static int mpi_poll(void *user, int *worker, int *has_result, lmb_sweep_result *result) {
    transport_state *ts = user;
    int flag = 0;
    MPI_Status status;
    if (MPI_Iprobe(MPI_ANY_SOURCE, TAG_UP, MPI_COMM_WORLD, &flag, &status) != MPI_SUCCESS)
        return -1;
    if (!flag)
        return 0;
    up_msg m;
    if (MPI_Recv(&m, (int)sizeof m, MPI_BYTE, status.MPI_SOURCE, TAG_UP, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE) != MPI_SUCCESS)
        return -1;
    m.fingerprint[16] = '\0';
    if (strcmp(m.fingerprint, ts->fingerprint) != 0) {
        fprintf(stderr,
                "lmb: sweep: rank %d read a different sweep (fingerprint %s, rank 0 has %s): "
                "every rank must see the same sweep file, cell and protocol\n",
                status.MPI_SOURCE, m.fingerprint, ts->fingerprint);
        return -1;
    }
    *worker = status.MPI_SOURCE - 1;
    *has_result = m.has_result;
    if (m.has_result)
        *result = m.result;
    return 1;
}

static int mpi_send(void *user, int worker, long point) {
    (void)user;
    return MPI_Send(&point, 1, MPI_LONG, worker + 1, TAG_DOWN, MPI_COMM_WORLD) == MPI_SUCCESS ? 0
                                                                                              : -1;
}

const lmb_sweep_transport *lmb_cli_mpi_transport(const lmb_sweep *sw, int size) {
    g_transport.fingerprint = lmb_sweep_fingerprint(sw);
    g_transport.t.workers = size - 1;
    g_transport.t.poll = mpi_poll;
    g_transport.t.send = mpi_send;
    g_transport.t.user = &g_transport;
    return &g_transport.t;
}

int lmb_cli_mpi_serve(lmb_ctx *ctx, const lmb_sweep *sw, const char *out_dir, int rank) {
    lmb_sweep_worker *w = NULL;
    lmb_status st = lmb_sweep_worker_create(ctx, sw, &w);
    if (st != LMB_OK) {
        fprintf(stderr, "lmb: sweep: rank %d: %s\n", rank, lmb_ctx_errmsg(ctx));
        return LMB_EXIT_FAIL;
    }
    up_msg *m = calloc(1, sizeof *m);
    if (!m) {
        lmb_sweep_worker_free(w);
        return LMB_EXIT_FAIL;
    }
    snprintf(m->fingerprint, sizeof m->fingerprint, "%s", lmb_sweep_fingerprint(sw));
    int rc = 0;
    for (;;) {
        if (MPI_Send(m, (int)sizeof *m, MPI_BYTE, 0, TAG_UP, MPI_COMM_WORLD) != MPI_SUCCESS) {
            rc = LMB_EXIT_FAIL;
            break;
        }
        long point = -1;
        if (MPI_Recv(&point, 1, MPI_LONG, 0, TAG_DOWN, MPI_COMM_WORLD, MPI_STATUS_IGNORE) !=
            MPI_SUCCESS) {
            rc = LMB_EXIT_FAIL;
            break;
        }
        if (point < 0)
            break;
        char dir[4200];
        if (lmb_sweep_wants_timeseries(sw))
            lmb_sweep_point_dir(sw, out_dir, point, dir, sizeof dir);
        st =
            lmb_sweep_worker_run(w, point, lmb_sweep_wants_timeseries(sw) ? dir : NULL, &m->result);
        if (st != LMB_OK) {
            fprintf(stderr, "lmb: sweep: rank %d, point %ld: %s\n", rank, point,
                    lmb_sweep_worker_errmsg(w));
            rc = LMB_EXIT_FAIL;
            break;
        }
        m->result.rank = rank;
        m->result.worker = 0;
        m->has_result = 1;
    }
    free(m);
    lmb_sweep_worker_free(w);
    return rc;
}

#else /* no MPI in this build */

int lmb_cli_mpi_init(int *rank, int *size) {
    (void)rank;
    (void)size;
    fprintf(stderr, "lmb: sweep: started by mpirun, but this lmb was built without MPI "
                    "(cmake -DLMB_WITH_MPI=ON)\n");
    return -1;
}
void lmb_cli_mpi_finalize(void) {}
void lmb_cli_mpi_abort(int code) {
    exit(code);
}
const lmb_sweep_transport *lmb_cli_mpi_transport(const lmb_sweep *sw, int size) {
    (void)sw;
    (void)size;
    return NULL;
}
int lmb_cli_mpi_serve(lmb_ctx *ctx, const lmb_sweep *sw, const char *out_dir, int rank) {
    (void)ctx;
    (void)sw;
    (void)out_dir;
    (void)rank;
    return LMB_EXIT_FAIL;
}
#endif
