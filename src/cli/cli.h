/*
 * cli.h - the lmb command-line tool: the command table and helpers shared by cmd_*.c.
 *
 * Exit statuses: 0 success, 1 runtime failure (solver, I/O on output), 2 bad input or usage
 * (a malformed cell file, an unknown flag, a value out of range). Errors are printed as one line
 * "lmb: <sentence>" on stderr.
 */
#ifndef LMB_CLI_H
#define LMB_CLI_H

#include "lmb/lmb.h"

#define LMB_EXIT_OK    0
#define LMB_EXIT_FAIL  1
#define LMB_EXIT_USAGE 2

typedef struct lmb_cli_cmd {
    const char *name;
    const char *summary;                             /* one line for `lmb help` */
    const char *usage;                               /* full text for `lmb help NAME` */
    int (*run)(lmb_ctx *ctx, int argc, char **argv); /* argv[0] is the command name */
} lmb_cli_cmd;

/* Prints "lmb: <ctx error sentence>" and returns the exit status for status. */
int lmb_cli_fail(lmb_ctx *ctx, lmb_status status);

/* The same for a failure to load an input (a cell file): exit 2 unless memory ran out, since
 * an unreadable or missing input file is bad input too. */
int lmb_cli_fail_input(lmb_ctx *ctx, lmb_status status);

/* Prints "lmb <cmd>: <message>" and the hint to run `lmb help <cmd>`; returns LMB_EXIT_USAGE. */
int lmb_cli_usage_error(const char *cmd, const char *fmt, ...);

/* Exit status for a library status: bad input -> 2, anything else -> 1. */
int lmb_cli_exit_code(lmb_status status);

/*
 * The options that `lmb reproduce` and `lmb fit` share: -o/--output DIR, --bare CELL,
 * --coated CELL. If argv[*i] is one of them, stores its value, advances *i and returns 1;
 * returns 0 if it is not; prints a usage error for cmd and returns -1 if the value is missing.
 */
int lmb_cli_study_option(const char *cmd, int argc, char **argv, int *i, const char **outdir,
                         const char *cells[2]);

/*
 * Reads the quantity of flag argv[*i] of command cmd, of dimension dim: "1mAh/cm2", "1 mAh/cm2"
 * (one quoted word) or "1" "mAh/cm2" (two words). Advances *i past what it used. Returns 0, or
 * prints a usage error and returns -1. *value is the number AS TYPED and *unit its unit:
 * lmb_unit_to_si(*unit, *value) is the SI value (for the dimension the flag accepts several of,
 * as LMB_DIM_COUNT does, the caller looks at the unit first).
 */
int lmb_cli_flag_quantity(lmb_ctx *ctx, const char *cmd, int argc, char **argv, int *i, lmb_dim dim,
                          double *value, const lmb_unit **unit);

/* Creates a directory and its parents (mkdir -p); 0 or -1 with errno set. */
int lmb_cli_make_dir(const char *dir);

int lmb_cmd_help(lmb_ctx *ctx, int argc, char **argv);
int lmb_cmd_params(lmb_ctx *ctx, int argc, char **argv);
int lmb_cmd_run(lmb_ctx *ctx, int argc, char **argv);
int lmb_cmd_reproduce(lmb_ctx *ctx, int argc, char **argv);
int lmb_cmd_fit(lmb_ctx *ctx, int argc, char **argv);
int lmb_cmd_eis(lmb_ctx *ctx, int argc, char **argv);
int lmb_cmd_analyze(lmb_ctx *ctx, int argc, char **argv);
int lmb_cmd_convert(lmb_ctx *ctx, int argc, char **argv);
int lmb_cmd_sweep(lmb_ctx *ctx, int argc, char **argv);

/* MPI for `mpirun -n N lmb sweep` (sweep_mpi.c). launched: 1 if mpirun started this process.
 * init: MPI_Init_thread (funneled), 0 or -1. transport: rank 0's link to ranks 1..size-1.
 * serve: a rank > 0 computes the points rank 0 sends until told to stop; 0 or an exit status. */
int lmb_cli_mpi_launched(void);
int lmb_cli_mpi_init(int *rank, int *size);
void lmb_cli_mpi_finalize(void);
void lmb_cli_mpi_abort(int code);
const lmb_sweep_transport *lmb_cli_mpi_transport(const lmb_sweep *sw, int size);
int lmb_cli_mpi_serve(lmb_ctx *ctx, const lmb_sweep *sw, const char *out_dir, int rank);

extern const lmb_cli_cmd lmb_cli_commands[];
extern const int lmb_cli_command_count;

#endif
