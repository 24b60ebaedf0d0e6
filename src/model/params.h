/*
 * params.h - the resolved, validated parameter set of a cell, in SI units.
 *
 * This is what the model sees. It is filled by the cell-file loader (src/io/cell_json.c) from a
 * JSON file or a built-in preset, where every key carries its unit and is converted once. The
 * loader validates every field against the ranges in its schema table, so the model may assume
 * the values are physical (positive thicknesses, 0 < porosity <= 1, 0 <= t+ < 1, ...).
 *
 * Geometry (x across the cell, from the negative terminal to the positive one):
 *   [neg Li | neg coating] [separator] [pos coating | pos Li]
 * Sign convention: a current I > 0 charges the cell (BDF): it flows into the positive terminal,
 * oxidises (strips) the positive Li electrode and reduces (plates) the negative one.
 */
#ifndef LMB_MODEL_PARAMS_H
#define LMB_MODEL_PARAMS_H

#define LMB_NAME_MAX 96
#define LMB_TEXT_MAX 512

/* li-li: two Li-metal electrodes; li-cu: Li-metal negative, Cu working (positive) electrode;
 * li-lfp: Li-metal negative, porous LiFePO4 positive (lmb_lfp_params, geometry from the
 * loading); li-porous: Li-metal negative, porous intercalation positive of any material (the
 * same electrode model, geometry from thickness and volume fractions, OCV named or tabulated). */
typedef enum lmb_cell_type {
    LMB_CELL_LI_LI = 0,
    LMB_CELL_LI_CU = 1,
    LMB_CELL_LI_LFP = 2,
    LMB_CELL_LI_POROUS = 3
} lmb_cell_type;

/* Whether the cell's positive is a porous intercalation electrode (lfp.c): li-lfp, li-porous. */
static inline int lmb__type_porous(lmb_cell_type t) {
    return t == LMB_CELL_LI_LFP || t == LMB_CELL_LI_POROUS;
}

/*
 * How a material property is given (src/model/matprop.h): a constant (its numeric parameter), a
 * named published correlation, or a table of measured values (src/model/table.h), interpolated
 * smoothly; leaving a table's range is an error, not an extrapolation. The table belongs to the
 * lmb_cell (copied with it); the model builds its own interpolant from it.
 */
typedef enum lmb_prop_kind {
    LMB_PROP_CONSTANT = 0,
    LMB_PROP_NAMED = 1,
    LMB_PROP_TABLE = 2
} lmb_prop_kind;

struct lmb__table;

typedef struct lmb_prop {
    int kind;                       /* lmb_prop_kind */
    int named;                      /* the correlation (per property: matprop.h) */
    int interp;                     /* lmb__interp of a table (0 = Steffen) */
    const struct lmb__table *table; /* kind TABLE: owned by the cell; else NULL */
} lmb_prop;

/* Named open-circuit potentials of positive materials (src/model/lfp_ocv.h). */
typedef enum lmb_lfp_ocv {
    LMB_LFP_OCV_PRADA2013 = 0,   /* LiFePO4, the Prada 2013 form: "prada2013" */
    LMB_LFP_OCV_SAFARI2011 = 1,  /* LiFePO4, Safari & Delacourt 2011: "safari2011" */
    LMB_LFP_OCV_DUALFOIL1998 = 2 /* LiCoO2 of DUALFOIL: "dualfoil1998" */
} lmb_lfp_ocv;

/* Binary electrolyte, concentrated-solution theory (PHYSICS.md s2). Each transport property is
 * its constant below unless its lmb_prop names a correlation or a table of c. */
typedef struct lmb_electrolyte_params {
    double c0_mol_m3; /* [mol/m3] initial salt concentration */
    double kappa_S_m; /* [S/m] bulk ionic conductivity */
    double D_m2_s;    /* [m2/s] salt diffusivity */
    double t_plus;    /* [1] cation transference number (Hittorf, solvent frame) */
    double tdf;       /* [1] thermodynamic factor 1 + dln f / dln c */
    lmb_prop kappa_fn, D_fn, tplus_fn, tdf_fn; /* of c: constant (the values above) by default */
    double volume_m3;    /* [m3] electrolyte volume in the cell (the budget SEI growth draws on) */
    double fec_fraction; /* [1] FEC volume fraction of the solvent (the rest taken as DEC) */
} lmb_electrolyte_params;

/*
 * An ion-conducting porous layer (separator or coating). Effective transport follows
 * D_eff = D eps / tau; the tortuosity is tau = N_M * eps if a MacMullin number is given,
 * else tau = eps^(-bruggeman) (Bruggeman).
 */
typedef struct lmb_layer_params {
    int present;        /* 0: layer absent (coating only) */
    double thickness_m; /* [m] */
    double porosity;    /* [1] electrolyte volume fraction, 0 < eps <= 1 */
    double macmullin;   /* [1] N_M = tau/eps; 0 = use Bruggeman */
    double bruggeman;   /* [1] exponent b in tau = eps^-b */
    int cells;          /* [1] finite volumes across the layer */
    /* coating only: loading, skeleton density, particle size (thickness derived from them) */
    double loading_kg_m2;   /* [kg/m2] */
    double density_kg_m3;   /* [kg/m3] skeleton density of the coating material */
    double particle_size_m; /* [m] */
    /* coating only: reactive surface (Li-Pb alloy sites) distributed through the layer */
    double active_fraction; /* [1] active fraction of the particle surface (0 = inert) */
    double i0_A_m2;         /* [A/m2] exchange current density per active surface */
    double cdl_F_m2;        /* [F/m2] double-layer capacitance per active surface */
    /* coating only: conversion with Li (PHYSICS.md s5) and the converted layer's effects */
    double conversion_time_s;       /* [s] contact conversion time constant, 0 = none */
    double conversion_per_capacity; /* [1] share converted per 1 mAh/cm2 passed */
    double molar_mass_kg_mol;       /* [kg/mol] */
    double li_per_formula;          /* [1] Li per formula unit when fully converted */
    double coverage_loading_kg_m2;  /* [kg/m2] m0 of the coverage 1 - exp(-m/m0) */
    double film_factor;             /* [1] multipliers of film resistivity, mossy share, */
    double mossy_factor;            /* [1]   SEI growth and dead-Li share on the covered, */
    double sei_growth_factor;       /* [1]   converted area */
    double dead_factor;             /* [1] */
    double i0_factor;               /* [1] exchange current of Li under the converted coating */
} lmb_layer_params;

/* A lithium-metal electrode with its native SEI film and double layer (PHYSICS.md s3). */
typedef struct lmb_li_params {
    double thickness_m;           /* [m] Li foil thickness (inventory) */
    double i0_A_m2;               /* [A/m2] exchange current density per true area at c_ref */
    double c_ref_mol_m3;          /* [mol/m3] reference concentration of i0 */
    double alpha_a;               /* [1] anodic transfer coefficient */
    double alpha_c;               /* [1] cathodic transfer coefficient */
    double area_factor;           /* [1] true area / geometric area */
    double sei_thickness_m;       /* [m] */
    double sei_resistivity_ohm_m; /* [ohm m] */
    double cdl_F_m2;              /* [F/m2] double-layer capacitance per geometric area */
    /* morphology and degradation (PHYSICS.md sections 3-4); all zero = a flat, stable electrode */
    double mossy_fraction;          /* [1] share of plated Li that grows mossy at low current */
    double mossy_fraction_max;      /* [1] share that grows mossy at high current */
    double mossy_current_A_m2;      /* [A/m2] current halfway between the two shares */
    double mossy_area_factor;       /* [1] true-area factor added per 1 mAh/cm2 of mossy Li */
    double mossy_reserve_C_m2;      /* [C/m2] mossy Li below which stripping turns to the bulk */
    double dead_fraction;           /* [1] share of stripped mossy Li that is isolated (dead) */
    double sei_growth_m2_s;         /* [m2/s] parabolic SEI growth constant, dL/dt = k / L */
    double sei_fresh_m;             /* [m] film that forms at once on freshly exposed area */
    double sei_molar_volume_m3_mol; /* [m3/mol] SEI volume per mole of Li it holds */
    double dead_porosity;           /* [1] electrolyte fraction of the dead-Li layer */
    double dead_bruggeman;          /* [1] its Bruggeman exponent */
    double sei_permittivity;        /* [1] relative permittivity of the film (0 = no film
                                       capacitance: one interface arc) */
    double pit_fraction;            /* [1] share of the compact surface that strips (pits) */
    double sei_solvent_per_li;      /* [1] mol of solvent consumed per mol of Li in the SEI */
    double fec_free_dead_factor;    /* [1] dead-Li share multiplier once FEC is used up */
    double fec_free_sei_factor;     /* [1] SEI growth multiplier once FEC is used up */
    /* a Cu electrode (kind "cu", the working electrode of Li||Cu): no Li at the start; the
     * Li plated on it behaves as the Li-metal electrode above */
    int is_cu;                /* 1: Cu current collector, Li inventory starts at zero */
    double cu_i0_A_m2;        /* [A/m2] exchange current of Li+/Li on bare Cu (nucleation) */
    double li_cover_C_m2;     /* [C/m2] plated Li that half covers the Cu */
    lmb_layer_params coating; /* porous coating on this electrode (present = 0 if none) */
} lmb_li_params;

/*
 * The porous intercalation positive electrode: LiFePO4 in a li-lfp cell (PHYSICS.md section 6),
 * any material in a li-porous cell ("porous" section; docs/reference-case.md). In a li-lfp cell
 * the thickness follows from the loading: solid volume per area (LFP + carbon + binder, each mass
 * over its density; carbon and binder from their mass fractions relative to the active mass)
 * divided by (1 - porosity). Particles: size_classes classes of equal volume at the quantiles of a
 * log-normal radius distribution (median radius, standard deviation size_spread of ln R).
 * Kinetics: Butler-Volmer with alpha = 0.5 and
 *   i0 = i0_ref (c_e / c_ref)^0.5 (x (1 - x) / 0.25)^0.5,
 * i.e. i0 = F k c_e^0.5 (c_max - c_s)^0.5 c_s^0.5 with k = i0_ref / (F c_ref^0.5 c_max / 2).
 * In a li-porous cell the thickness, the active volume fraction (the rest of the solid is an
 * inert, conducting filler) and the rate constant k are given (the loading and mass fractions
 * are unused).
 */
typedef struct lmb_lfp_params {
    double loading_kg_m2;        /* [kg/m2] LiFePO4 (active material) per area */
    double active_mass_fraction; /* [1] LFP share of the electrode mass (0.90) */
    double carbon_mass_fraction; /* [1] carbon share (0.05); the binder is the rest */
    double density_kg_m3;        /* [kg/m3] LiFePO4 */
    double carbon_density_kg_m3; /* [kg/m3] */
    double binder_density_kg_m3; /* [kg/m3] */
    double porosity;             /* [1] electrolyte volume fraction */
    double bruggeman;            /* [1] tau = eps^-b in the pores; solid: (1-eps)^b */
    int cells;                   /* [1] finite volumes across the electrode */
    double c_max_mol_m3;         /* [mol/m3] Li sites in LiFePO4 */
    double initial_x;            /* [1] Li fraction x in Li_xFePO4 at assembly */
    double accessible_fraction;  /* [1] share of the LFP that takes part (the rest is isolated) */
    double D_s_m2_s;             /* [m2/s] solid diffusivity */
    double i0_ref_A_m2;          /* [A/m2] exchange current at c_ref and x = 0.5 */
    double c_ref_mol_m3;         /* [mol/m3] */
    double cdl_F_m2;             /* [F/m2] double layer per particle surface */
    double sigma_S_m;            /* [S/m] conductivity of the solid (LFP + carbon) */
    double radius_m;             /* [m] median particle radius */
    double size_spread;          /* [1] standard deviation of ln R (0 = one size) */
    int size_classes;            /* [1] particle-size classes */
    int shells;                  /* [1] finite volumes in r per particle */
    int ocv;                     /* lmb_lfp_ocv, when ocv_fn is NAMED */
    lmb_prop ocv_fn;             /* U(x) [V]: NAMED (ocv) or TABLE */
    /* li-porous: the geometry is given, not derived from a loading */
    double given_thickness_m;      /* [m] */
    double active_volume_fraction; /* [1] active material; filler = 1 - porosity - this */
    double rate_constant;          /* [m2.5 mol-0.5 s-1] k of i0 = F k c^0.5 (c_max - c_s)^0.5
                                      c_s^0.5 (0 = use i0_ref) */
    double thickness_m;            /* [m] derived by lmb__params_finish (li-lfp) or given */
} lmb_lfp_params;

/* Numerical settings: part of the cell file so that a run is reproducible from it alone. */
typedef struct lmb_numerics {
    double rtol;       /* [1] IDA relative tolerance */
    double atol_c;     /* [mol/m3] absolute tolerance on concentrations */
    double atol_phi;   /* [V] absolute tolerance on potentials */
    double atol_iface; /* [V] absolute tolerance on film and double-layer voltages */
    double atol_i;     /* [A/m2] absolute tolerance on current densities */
    double max_step_s; /* [s] largest internal step (0 = unlimited) */
    double mesh_ratio; /* [1] geometric grading towards interfaces (1 = uniform) */
} lmb_numerics;

typedef struct lmb_params {
    char name[LMB_NAME_MAX];
    char description[LMB_TEXT_MAX];
    lmb_cell_type type;
    double area_m2;               /* [m2] electrochemically active geometric area */
    double T_K;                   /* [K] temperature */
    double nominal_capacity_C_m2; /* [C/m2] areal capacity defining 1C (0 = none) */
    double short_thickness_m; /* [m] dead-Li layers (both) that bridge the separator, 0 = never */
    double short_resistance_ohm; /* [ohm] the short's resistance once formed */
    lmb_electrolyte_params electrolyte;
    lmb_layer_params separator;
    lmb_li_params neg, pos; /* pos: unused in a li-lfp cell */
    lmb_lfp_params lfp;     /* li-lfp only */
    lmb_numerics num;
} lmb_params;

/* Fills p with the built-in defaults (documented in the cell-file schema). */
void lmb__params_defaults(lmb_params *p);

/* Sets the cell type and gives its porous positive electrode (li-lfp, li-porous) the defaults of
 * its section. Call before writing any of that section's values. */
void lmb__params_set_type(lmb_params *p, lmb_cell_type type);

/* Name of a cell type as cell files spell it ("li-li", "li-cu", "li-lfp"); NULL if unknown. */
const char *lmb__cell_type_name(lmb_cell_type type);

/* Derived quantities used by the model and by `lmb params show`. */
double lmb__layer_tortuosity(const lmb_layer_params *l); /* [1] */
double lmb__sei_resistance(const lmb_li_params *e);      /* [ohm m2] r_SEI = rho L */
/* [A/m2] the porous positive's exchange current at c_ref and stoichiometry 0.5: with a rate
 * constant k, F k c_ref^0.5 (c_max/2)^0.5 (c_max/2)^0.5; otherwise the i0 given */
double lmb__lfp_i0_ref(const lmb_lfp_params *p);
/* [S/m] the porous positive's effective solid conductivity sigma (1-eps)^(1+b) (Bruggeman on
 * the whole solid fraction, filler included) */
double lmb__lfp_sigma_eff(const lmb_lfp_params *p);

/*
 * Radii [m] of the LFP's particle-size classes, smallest first: p->size_classes classes of
 * equal volume at the quantiles (j + 0.5)/n of the log-normal distribution of the radius,
 * R_j = radius exp(size_spread z_j), z_j the standard normal quantile of (j + 0.5)/n. One class
 * is the median radius; the classes are symmetric in ln R (R_j R_{n-1-j} = radius^2). Returns
 * 0, or -1 (R_out untouched) if size_classes < 1, the radius is not > 0 or the spread < 0.
 */
int lmb__lfp_class_radii(const lmb_lfp_params *p, double *R_out /* size_classes */);

#endif
