/*
 * main.c - entry point of the lmb command-line tool: the command table and `lmb help`.
 *
 * Each subcommand lives in cmd_<name>.c and is listed once in the table below; `lmb help` and
 * `lmb help NAME` are generated from the table.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const lmb_cli_cmd lmb_cli_commands[] = {
    {"run", "simulate one cell under a protocol",
     "usage: lmb run CELL PROTOCOL [options]\n"
     "\n"
     "Simulates CELL (a cell file or a preset such as li-li:bare) under PROTOCOL (a protocol\n"
     "file, docs/protocols.md) and writes, in the output directory:\n"
     "  timeseries.bdf.csv  Battery Data Format time series (positive current charges)\n"
     "  cycles.csv          one row per cycle: capacities, CE, energies, mean/end voltages\n"
     "  summary.json        the same table with the run's metadata and solver statistics\n"
     "\n"
     "options:\n"
     "  -o, --output DIR              output directory (default out/run)\n"
     "  --nominal-capacity Q UNIT     capacity that defines 1C for C-rates, e.g. '1.27 mAh/cm2'\n"
     "                                (default: the cell's nominal_capacity)\n"
     "  --record-every T UNIT         record at most one point per T inside a step, e.g. '10 s'\n"
     "                                (default: every solver step; step ends always recorded)\n"
     "  --sparse                      sparse LU (KLU) with a coloured Jacobian instead of the\n"
     "                                band LU: the same result, about twice as fast\n"
     "  -q, --quiet                   no summary on stdout, no progress line\n"
     "\n"
     "Exit status: 0 done (also when a short or the total time ended the run), 1 solver or\n"
     "output failure (what was simulated is written), 2 bad cell, protocol or option.\n",
     lmb_cmd_run},
    {"params", "show or check the resolved parameters of a cell",
     "usage: lmb params show CELL [--json]     every parameter with unit, SI value, allowed\n"
     "                                        range and source (--json: the resolved cell\n"
     "                                        file, every value with its unit and source)\n"
     "       lmb params show --schema [--markdown]  the cell-file schema: keys, units,\n"
     "                                        ranges, defaults\n"
     "       lmb params show --presets        the built-in presets\n"
     "       lmb params check CELL            validate; exit 0 if valid, 2 with one message\n"
     "                                        naming the file and field if not\n"
     "\n"
     "CELL is a JSON cell file (docs/cell-files.md) or a preset name such as li-li:bare.\n",
     lmb_cmd_params},
    {"reproduce", "re-run the reference study and compare with its measured values",
     "usage: lmb reproduce [-o DIR] [--bare CELL] [--coated CELL] [--bare-cu CELL]\n"
     "                     [--coated-cu CELL] [--bare-lfp CELL] [--coated-lfp CELL]\n"
     "                     [--calibration-only] [--no-report | --report-only] [-q]\n"
     "\n"
     "Runs the campaign of the reference study (Juhi et al., Chem. Mater. 2025) on the\n"
     "calibrated presets, for bare and CsPbCl3-coated Li: Li||Li OCV impedance\n"
     "(protocols/eis-ocv.txt) and cycling at 1 mA/cm2 until short or 600 h\n"
     "(protocols/li-li-1mA.txt), the Li||Cu Adams CE (protocols/adams-ce-1.txt), Li||LFP\n"
     "formation and 250 cycles at 1C (protocols/lfp-formation-1c.txt); then the predictions:\n"
     "2 and 4 mA/cm2, coating loadings of 1 and 4 mg/cm2, operando EIS, Adams with 3\n"
     "preconditioning cycles, the Li||LFP rate test. Prints the table\n"
     "quantity / measured / simulated / relative error and writes, in DIR (default out):\n"
     "  comparison.csv, comparison.json   the table, predictions included, and the time of\n"
     "                                    each experiment\n"
     "  <experiment>/                     timeseries.bdf.csv, cycles.csv (and eis.csv), and\n"
     "                                    the experiment's figures (.svg, .png)\n"
     "  report.html                       the table, a parity plot and every experiment's\n"
     "                                    figures, bare and coated side by side, in one page\n"
     "                                    a browser opens offline\n"
     "\n"
     "options:\n"
     "  --bare CELL      the bare-Li cell (default li-li:bare)\n"
     "  --coated CELL    the coated cell at 2 mg/cm2 (default li-li:cspbcl3-2mg); its 1 and\n"
     "                   4 mg/cm2 variants change only the coating loading\n"
     "  --bare-cu CELL, --coated-cu CELL   the Li||Cu cells (default li-cu:bare,\n"
     "                   li-cu:cspbcl3-2mg)\n"
     "  --bare-lfp CELL, --coated-lfp CELL   the Li||LFP cells (default li-lfp:bare,\n"
     "                   li-lfp:cspbcl3-2mg)\n"
     "  --calibration-only  only the six calibration experiments\n"
     "  --no-report      tables only: no figures, no report.html\n"
     "  --report-only    no simulation: the figures and report.html of the output an\n"
     "                   earlier run left in DIR\n"
     "  -q, --quiet      no progress on stderr\n"
     "\n"
     "Exit status: 0 every experiment ran (within tolerance or not: the table says), 1 a\n"
     "solver or output failure (the table is still written), 2 bad cell or option.\n",
     lmb_cmd_reproduce},
    {"fit", "re-derive the fitted values of the presets from the study's measurements",
     "usage: lmb fit li-li [-o DIR] [--bare CELL] [--coated CELL] [--bare-cu CELL]\n"
     "                    [--coated-cu CELL] [--ocv-only]\n"
     "       lmb fit li-lfp [-o DIR] [--bare-lfp CELL] [--coated-lfp CELL]\n"
     "\n"
     "li-li: fits the Li||Li and Li||Cu presets to the measured values of the reference study\n"
     "(Juhi et al., Chem. Mater. 2025): film resistivity, exchange current and pit fraction of\n"
     "Li to the bare cell's OCV spectrum and initial overpotential, its dead-Li share to the\n"
     "Adams CE, its electrolyte consumption and short thickness to the overpotential rise and\n"
     "the short, then the coating's film, kinetics, porosity and dead-Li factors to the coated\n"
     "cell, and the dead-Li factor of the coating on Cu to the coated Adams CE. Starts from the\n"
     "given cells (default: the presets) and writes DIR/bare.json, DIR/cspbcl3-2mg.json,\n"
     "DIR/li-cu-bare.json and DIR/li-cu-cspbcl3-2mg.json (default DIR out/fit).\n"
     "li-lfp: fits the LFP electrode's accessible fraction and solid diffusivity to the coated\n"
     "Li||LFP cell's formation and 1C capacities and writes DIR/li-lfp-bare.json and\n"
     "DIR/li-lfp-cspbcl3-2mg.json, one LFP set for both anodes.\n"
     "Every fitted value is annotated with the measurement it was fitted to;\n"
     "docs/calibration.md explains it.\n"
     "\n"
     "  --ocv-only   li-li: fit only the parameters of the OCV spectra and the first cycle\n",
     lmb_cmd_fit},
    {"eis", "impedance: fit measured spectra, simulate a cell's spectrum",
     "usage: lmb eis fit FILE --circuit CIRCUIT [--guess V1,V2,...] [--weighting unit|modulus]\n"
     "                   [--multistart N] [--json] [-o DIR]\n"
     "       lmb eis kk FILE [--mu-c X | --M N] [--add-capacitance] [--no-inductance] [--json]\n"
     "       lmb eis drt FILE [--lambda X] [--json]\n"
     "       lmb eis sim CELL [--after PROTOCOL] [--from HZ] [--to HZ] [--points-per-decade N]\n"
     "                   [-o FILE]\n"
     "\n"
     "kk: the linear Kramers-Kronig test (Schoenleber et al. 2014, as impedance.py's linKK) of\n"
     "every spectrum: M Voigt elements with fixed time constants (and a series inductance,\n"
     "unless --no-inductance; a series capacitance with --add-capacitance), M grown until\n"
     "mu <= 0.85 (--mu-c) or fixed (--M: the criterion stops early on ideal, sharp arcs);\n"
     "prints M, mu and the residuals relative to |Z| (rms, max; with --json every point's).\n"
     "Residuals within ~1 % mean a spectrum consistent with KK.\n"
     "\n"
     "drt: the distribution of relaxation times of every spectrum: Gaussian basis on ln tau,\n"
     "Tikhonov penalty on its curvature with lambda by generalised cross-validation (or\n"
     "--lambda), gamma >= 0 (non-negative least squares); prints R_inf, R_pol, L and the peaks\n"
     "(tau, resistance under each); --json adds gamma on a fine tau grid.\n"
     "\n"
     "sim: the impedance of the cell model at rest (or at the state a PROTOCOL leaves it in),\n"
     "from the linearised DAE, 1 MHz to 1 mHz by default, 10 points per decade; writes\n"
     "frequency_Hz,Z_re_ohm,Z_im_ohm (physics sign) to stdout or FILE and the arc reading\n"
     "(R_hf, R_SEI, R_diff, R_total, apex) on stderr.\n"
     "\n"
     "fit: fits CIRCUIT to every spectrum of FILE: a text file of columns f, Re(Z), Im(Z) (either\n"
     "sign of the imaginary part: detected and stated on stderr) or a BioLogic .mpt/.mpr\n"
     "(PEIS, GEIS; a file with several loops gives several spectra). Circuits are written as in\n"
     "impedance.py: series '-', parallel 'p(A,B)', elements R, C, L, CPE, W, Wo, Ws, K, Zarc, G,\n"
     "Gs, TLMQ with a number (R0, CPE1); parameters are named R0, CPE1_0, CPE1_1, ...\n"
     "Least squares with GSL (trust region), positive parameters in log space, exponents in\n"
     "(0, 1); standard errors from the Jacobian at the optimum.\n"
     "\n"
     "options:\n"
     "  --circuit C       the circuit, e.g. 'R0-p(R1,CPE1)-p(R2,CPE2)'\n"
     "  --guess V,...     starting values in parameter order (default: from the spectrum)\n"
     "  --weighting W     modulus (default: residuals divided by |Z|) or unit\n"
     "  --multistart N    N more starts from random perturbations (deterministic); the best wins\n"
     "  --json            one JSON object per spectrum per line: circuit, parameters, stderr,\n"
     "                    units, rmse_ohm, converged, spectrum, points\n"
     "  -o DIR            figures: DIR/nyquist_<k> and DIR/bode_<k> (.svg, .png) of spectrum k,\n"
     "                    the data and the fitted circuit\n"
     "\n"
     "Exit status: 0 every spectrum fitted, 1 a fit failed, 2 bad file, circuit or option.\n",
     lmb_cmd_eis},
    {"analyze", "real cycler data -> cycle table, metrics, figures",
     "usage: lmb analyze FILE... [-o DIR] [--cycle-start charge|discharge|auto]\n"
     "                   [--capacity Q] [--area A] [--mass M] [--rest-current I]\n"
     "                   [--integrate] [--compare RUN] [--no-figures] [-q]\n"
     "\n"
     "Reads each FILE (BioLogic .mpr/.mpt/.mps, Battery Data Format CSV, Arbin CSV, Maccor\n"
     "text, Neware CSV, Landt CSV, or impedance columns f, Re(Z), Im(Z); the format is\n"
     "detected from the content), cuts it into steps, half cycles and cycles exactly as a\n"
     "simulation is summarised (lmb/analyze.h states the rules) and writes, in DIR (default\n"
     "out/analyze; DIR/<name>/ for each of several files):\n"
     "  cycles.csv       per cycle: capacities, CE, energies, mean and end voltages, time,\n"
     "                   retention, C-rates (with a nominal capacity), areal/specific columns\n"
     "  half_cycles.csv  per half cycle: times, capacity, energy, mean |V|, end voltage\n"
     "  summary.json     the same and the record's description, the cut, symmetric-cell\n"
     "                   metrics (overpotential, rise onset, short), the Adams CE when the\n"
     "                   record follows that protocol, the number of spectra\n"
     "  eis.csv          the impedance spectra inside the record\n"
     "  voltage, capacity, overpotential, rate, impedance (.svg, .png)   figures\n"
     "  report.html      the record, the cut, the cycle table and the figures in one page\n"
     "\n"
     "options:\n"
     "  --cycle-start D   a cycle starts with a charge or a discharge half cycle (default\n"
     "                    auto: the direction of the record's first half cycle; a leading\n"
     "                    half cycle of the other direction is then cycle 1 alone)\n"
     "  --capacity Q      nominal capacity for C-rates, e.g. '2 mAh' (default: the file's)\n"
     "  --area A, --mass M   electrode area ('1.13 cm2') and active mass ('5 mg') for the\n"
     "                    areal and specific columns (default: the file's, if it states them)\n"
     "  --rest-current I  |I| at or below I is rest (default 1e-3 of the largest |I|)\n"
     "  --integrate       charges from the integral of the current column even where the\n"
     "                    file has the instrument's capacity counters (default: the counters,\n"
     "                    and the difference is reported)\n"
     "  --compare RUN     draw a simulation beside the record (one FILE): RUN is the output\n"
     "                    directory of lmb run (or any file lmb analyze reads); adds\n"
     "                    compare_voltage, compare_capacity and, for symmetric cells,\n"
     "                    compare_overpotential, cut by the same rules\n"
     "  --no-figures      tables only (no figures, no report.html)\n"
     "  -q, --quiet       nothing on stdout\n"
     "\n"
     "Exit status: 0 every file analysed, 1 an output failure, 2 a file that cannot be read.\n",
     lmb_cmd_analyze},
    {"convert", "write a cycler file as Battery Data Format CSV",
     "usage: lmb convert FILE -o OUT.bdf.csv\n"
     "\n"
     "Reads FILE as lmb analyze does and writes its record as Battery Data Format CSV: the\n"
     "quantities the file has, under BDF labels ('Test Time / s', 'Current / A', ...), positive\n"
     "current charging; values the file left empty stay empty.\n",
     lmb_cmd_convert},
    {"sweep", "many simulations over a design grid, in parallel, into an SQLite catalogue",
     "usage: lmb sweep SWEEP.json [-o DIR] [--jobs N] [--points] [-q]\n"
     "       mpirun -n N lmb sweep SWEEP.json [-o DIR] [--jobs N]\n"
     "\n"
     "Runs a base cell and protocol at every point of a design (a grid, a list or a Latin\n"
     "hypercube over cell parameters such as electrodes.coating.loading_mg_cm2 and protocol\n"
     "placeholders such as protocol.current_mA_cm2; docs/sweeps.md) and writes one row per\n"
     "point to DIR/sweep.sqlite (table points: the parameters, status and error, cycle life\n"
     "to a short or to the retention threshold, time to short, overpotentials, CE,\n"
     "retention, capacities, solver counts). Each result is committed as it arrives: after an\n"
     "interruption (Ctrl-C, a kill, a crash) the same command computes only the missing\n"
     "points. A catalogue made by a different sweep is refused. With \"timeseries\": true in\n"
     "the sweep file each point's timeseries.bdf.csv and cycles.csv go to DIR/points/<point>/.\n"
     "\n"
     "Under mpirun every rank computes points, handed out one at a time; rank 0 also writes\n"
     "the catalogue (as root: mpirun --allow-run-as-root; more ranks than cores:\n"
     "--oversubscribe). The catalogue does not depend on the number of workers.\n"
     "\n"
     "options:\n"
     "  -o, --output DIR   output directory (default out/sweep)\n"
     "  -j, --jobs N       worker threads of this process (default 1; under mpirun, per rank 0)\n"
     "  --points           print the design's points (CSV) and exit\n"
     "  -q, --quiet        no progress bar, no summary\n"
     "\n"
     "Exit status: 0 every point is in the catalogue (failed points included: they are\n"
     "results), 1 a catalogue or output failure, 2 a bad sweep file or option, or a catalogue\n"
     "of another sweep, 130 interrupted (run again to resume).\n",
     lmb_cmd_sweep},
    {"help", "show help for lmb or for one command", "usage: lmb help [COMMAND]\n", lmb_cmd_help},
};
const int lmb_cli_command_count = (int)(sizeof lmb_cli_commands / sizeof lmb_cli_commands[0]);

static void print_overview(FILE *out) {
    fprintf(out, "lmb %s - lithium-metal battery cells: simulate, cycle, analyse\n\n",
            lmb_version());
    fprintf(out, "usage: lmb COMMAND [ARGS]\n\ncommands:\n");
    for (int i = 0; i < lmb_cli_command_count; i++)
        fprintf(out, "  %-10s %s\n", lmb_cli_commands[i].name, lmb_cli_commands[i].summary);
    fprintf(out, "\n`lmb help COMMAND` shows a command's options.\n");
}

static const lmb_cli_cmd *find_cmd(const char *name) {
    for (int i = 0; i < lmb_cli_command_count; i++)
        if (strcmp(lmb_cli_commands[i].name, name) == 0)
            return &lmb_cli_commands[i];
    return NULL;
}

int lmb_cmd_help(lmb_ctx *ctx, int argc, char **argv) {
    (void)ctx;
    if (argc < 2) {
        print_overview(stdout);
        return LMB_EXIT_OK;
    }
    const lmb_cli_cmd *c = find_cmd(argv[1]);
    if (!c) {
        fprintf(stderr, "lmb help: unknown command '%s'\n", argv[1]);
        print_overview(stderr);
        return LMB_EXIT_USAGE;
    }
    fputs(c->usage, stdout);
    return LMB_EXIT_OK;
}

int lmb_cli_exit_code(lmb_status status) {
    switch (status) {
    case LMB_OK:
        return LMB_EXIT_OK;
    case LMB_EINVAL:
    case LMB_EPARSE:
    case LMB_EUNIT:
    case LMB_ERANGE:
    case LMB_EKEY:
    case LMB_ENOTFOUND:
        return LMB_EXIT_USAGE;
    default:
        return LMB_EXIT_FAIL;
    }
}

int lmb_cli_fail(lmb_ctx *ctx, lmb_status status) {
    const char *msg = lmb_ctx_errmsg(ctx);
    fprintf(stderr, "lmb: %s\n", msg[0] ? msg : lmb_strerror(status));
    return lmb_cli_exit_code(status);
}

int lmb_cli_fail_input(lmb_ctx *ctx, lmb_status status) {
    int rc = lmb_cli_fail(ctx, status);
    return status == LMB_ENOMEM ? rc : LMB_EXIT_USAGE;
}

int lmb_cli_usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "lmb %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see `lmb help %s`)\n", cmd);
    va_end(ap);
    return LMB_EXIT_USAGE;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        print_overview(stderr);
        return LMB_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return lmb_cmd_help(NULL, 1, argv);
    if (strcmp(argv[1], "--version") == 0) {
        printf("lmb %s\n", lmb_version());
        return LMB_EXIT_OK;
    }
    const lmb_cli_cmd *c = find_cmd(argv[1]);
    if (!c) {
        fprintf(stderr, "lmb: unknown command '%s'\n", argv[1]);
        print_overview(stderr);
        return LMB_EXIT_USAGE;
    }
    lmb_ctx *ctx = NULL;
    if (lmb_ctx_create(&ctx) != LMB_OK) {
        fprintf(stderr, "lmb: out of memory\n");
        return LMB_EXIT_FAIL;
    }
    int rc = c->run(ctx, argc - 1, argv + 1);
    lmb_ctx_free(ctx);
    return rc;
}

int lmb_cli_make_dir(const char *dir) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return -1;
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return (mkdir(path, 0777) != 0 && errno != EEXIST) ? -1 : 0;
}

int lmb_cli_study_option(const char *cmd, int argc, char **argv, int *i, const char **outdir,
                         const char *cells[2]) {
    const char *a = argv[*i];
    const char **dst = !strcmp(a, "-o") || !strcmp(a, "--output") ? outdir
                       : !strcmp(a, "--bare")                     ? &cells[0]
                       : !strcmp(a, "--coated")                   ? &cells[1]
                                                                  : NULL;
    if (!dst)
        return 0;
    if (*i + 1 >= argc) {
        lmb_cli_usage_error(cmd, "%s needs a value", a);
        return -1;
    }
    *dst = argv[++*i];
    return 1;
}

/* Reads the quantity of a flag (cli.h). */
int lmb_cli_flag_quantity(lmb_ctx *ctx, const char *cmd, int argc, char **argv, int *i, lmb_dim dim,
                          double *value, const lmb_unit **unit) {
    const char *flag = argv[*i];
    if (*i + 1 >= argc) {
        lmb_cli_usage_error(cmd, "%s needs a value with a unit", flag);
        return -1;
    }
    char buf[256];
    const char *text = argv[++*i];
    char *end = NULL;
    strtod(text, &end);
    if (end != text && *end == '\0' && *i + 1 < argc && lmb_unit_find(argv[*i + 1])) {
        snprintf(buf, sizeof buf, "%s %s", text, argv[*i + 1]);
        text = buf;
        ++*i;
    }
    if (lmb_quantity_parse(ctx, text, dim, value, unit) != LMB_OK) {
        lmb_cli_usage_error(cmd, "%s: %s", flag, lmb_ctx_errmsg(ctx));
        return -1;
    }
    return 0;
}
