/*
 * cell.c - the parameter schema of a cell, its defaults and validation, and the lmb_cell object.
 *
 * A cell is a validated lmb_params (SI) plus, for every parameter, where its value came from:
 * the "source" and "fitted_to" texts of the cell file and whether it was given or defaulted.
 * The schema table below is the single list of parameters: key, display unit, dimension, field,
 * allowed range, default and a one-line description. The JSON reader (src/io/cell_json.c),
 * lmb_cell_set/get and `lmb params show` all work from it.
 *
 * Ranges are physical, not merely numerical: thicknesses > 0 and at most 10 mm, porosities in
 * (0, 1], 0 <= t+ < 1, transfer coefficients in (0, 1], 200 K < T <= 400 K, mesh cells 1..2000.
 * They are stored, like the defaults, in the display unit, and converted to the unit a value is
 * written in when it is checked, so that an error speaks the user's unit.
 *
 * Rows belong to groups (cell_schema.h) that decide whether a row is a parameter of a given
 * cell: coating rows count only for an electrode with a coating, "lfp.*" rows only in a li-lfp
 * cell, and the "positive.*" rows not in a li-lfp cell (its positive electrode is the LFP).
 * Everything that walks the rows - the listing, the JSON writer, lmb_cell_set/get - asks
 * row_active or row_in_type, so that the groups are decided in one place.
 *
 * Derived quantities (PHYSICS.md s2, s3, s6):
 *   tortuosity tau = N_M eps if a MacMullin number N_M > 0 is given, else eps^(-b) (Bruggeman)
 *   SEI film resistance r_SEI = rho_SEI L_SEI                                    [ohm m2]
 *   coating thickness L = loading / (rho_skeleton (1 - eps))                       [m]
 *   LFP electrode thickness L = (m/rho + m (w_c/w_a)/rho_c + m (w_b/w_a)/rho_b) / (1 - eps),
 *     m the LiFePO4 loading, w_a, w_c, w_b = 1 - w_a - w_c the mass fractions   [m]
 *   LFP particle classes R_j = R_median exp(s z_j), z_j = Phi^-1((j + 0.5)/n)     [m]
 */
#include "model/cell_schema.h"

#include "core/ctx_internal.h"
#include "model/cell_internal.h"
#include "model/lfp_ocv.h"
#include "model/matprop.h"
#include "model/table.h"

#include <gsl/gsl_cdf.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPEN   1
#define CLOSED 0

/* Row groups (cell_schema.h): when a row is a parameter of a given cell. */
#define G_CELL LMB__GROUP_CELL
#define G_COAT LMB__GROUP_COATING
#define G_LFP  LMB__GROUP_LFP
#define G_POR  LMB__GROUP_POROUS

#define ROW(key, unit, dim, field, is_int, lo, hi, lo_open, hi_open, def, scope, group, desc)      \
    {                                                                                              \
        key, unit, dim, offsetof(lmb_params, field), is_int, lo, hi, lo_open, hi_open, def, scope, \
            group, desc                                                                            \
    }

/* The parameters of one Li-metal electrode and its optional coating; S is the key prefix, M the
 * lmb_params member (neg or pos) and SC the scope. */
#define LI_ROWS(S, M, SC)                                                                          \
    ROW(S ".thickness", "um", LMB_DIM_LENGTH, M.thickness_m, 0, 0.0, 1e4, OPEN, CLOSED, 500.0, SC, \
        G_CELL, "Li foil thickness (the electrode's lithium inventory)"),                          \
        ROW(S ".exchange_current", "mA/cm2", LMB_DIM_CURRENT_DENSITY, M.i0_A_m2, 0, 1e-6, 1e5,     \
            CLOSED, CLOSED, 6.4, SC, G_CELL,                                                       \
            "exchange current density i0 of Li/Li+ per true area, at the reference "               \
            "concentration"),                                                                      \
        ROW(S ".reference_concentration", "mol/L", LMB_DIM_CONCENTRATION, M.c_ref_mol_m3, 0, 1e-3, \
            10.0, CLOSED, CLOSED, 1.0, SC, G_CELL,                                                 \
            "concentration at which i0 is given: i0(c) = i0 (c/c_ref)^alpha_a"),                   \
        ROW(S ".alpha_a", "1", LMB_DIM_NONE, M.alpha_a, 0, 0.0, 1.0, OPEN, CLOSED, 0.5, SC,        \
            G_CELL, "anodic transfer coefficient of Butler-Volmer kinetics"),                      \
        ROW(S ".alpha_c", "1", LMB_DIM_NONE, M.alpha_c, 0, 0.0, 1.0, OPEN, CLOSED, 0.5, SC,        \
            G_CELL, "cathodic transfer coefficient of Butler-Volmer kinetics"),                    \
        ROW(S ".area_factor", "1", LMB_DIM_NONE, M.area_factor, 0, 0.0, 1e4, OPEN, CLOSED, 1.0,    \
            SC, G_CELL, "true (electrochemically active) area per geometric area"),                \
        ROW(S ".sei_thickness", "nm", LMB_DIM_LENGTH, M.sei_thickness_m, 0, 0.0, 1e4, CLOSED,      \
            CLOSED, 20.0, SC, G_CELL, "thickness of the native SEI film"),                         \
        ROW(S ".sei_resistivity", "ohm m", LMB_DIM_RESISTIVITY, M.sei_resistivity_ohm_m, 0, 0.0,   \
            1e12, CLOSED, CLOSED, 2e5, SC, G_CELL,                                                 \
            "ionic resistivity of the SEI film (r_SEI = resistivity x thickness)"),                \
        ROW(S ".double_layer", "uF/cm2", LMB_DIM_AREAL_CAPACITANCE, M.cdl_F_m2, 0, 0.01, 1e5,      \
            CLOSED, CLOSED, 10.0, SC, G_CELL, "double-layer capacitance per true area"),           \
        ROW(S ".mossy_fraction", "1", LMB_DIM_NONE, M.mossy_fraction, 0, 0.0, 1.0, CLOSED, CLOSED, \
            0.0, SC, G_CELL,                                                                       \
            "share of plated Li that grows mossy at low current (0 = all compact)"),               \
        ROW(S ".mossy_fraction_max", "1", LMB_DIM_NONE, M.mossy_fraction_max, 0, 0.0, 1.0, CLOSED, \
            CLOSED, 0.0, SC, G_CELL, "share of plated Li that grows mossy at high current"),       \
        ROW(S ".mossy_current", "mA/cm2", LMB_DIM_CURRENT_DENSITY, M.mossy_current_A_m2, 0, 1e-6,  \
            1e5, CLOSED, CLOSED, 1.0, SC, G_CELL,                                                  \
            "plating current halfway between the low- and high-current mossy shares"),             \
        ROW(S ".mossy_area_factor", "1", LMB_DIM_NONE, M.mossy_area_factor, 0, 0.0, 1e4, CLOSED,   \
            CLOSED, 0.0, SC, G_CELL, "true-area factor added per 1 mAh/cm2 of mossy Li"),          \
        ROW(S ".mossy_reserve", "mAh/cm2", LMB_DIM_AREAL_CHARGE, M.mossy_reserve_C_m2, 0, 1e-6,    \
            1e3, CLOSED, CLOSED, 0.01, SC, G_CELL,                                                 \
            "mossy Li at which stripping draws half from mossy Li, half from the bulk"),           \
        ROW(S ".dead_fraction", "1", LMB_DIM_NONE, M.dead_fraction, 0, 0.0, 1.0, CLOSED, OPEN,     \
            0.0, SC, G_CELL, "share of the stripped mossy Li that loses contact (dead Li)"),       \
        ROW(S ".sei_growth", "nm2/h", LMB_DIM_DIFFUSIVITY, M.sei_growth_m2_s, 0, 0.0, 1e9, CLOSED, \
            CLOSED, 0.0, SC, G_CELL, "parabolic SEI growth constant k: dL/dt = k / L"),            \
        ROW(S ".sei_fresh_thickness", "nm", LMB_DIM_LENGTH, M.sei_fresh_m, 0, 0.0, 1e4, CLOSED,    \
            CLOSED, 2.0, SC, G_CELL, "SEI that forms at once on freshly exposed Li"),              \
        ROW(S ".sei_molar_volume", "cm3/mol", LMB_DIM_MOLAR_VOLUME, M.sei_molar_volume_m3_mol, 0,  \
            1.0, 1e3, CLOSED, CLOSED, 30.0, SC, G_CELL, "SEI volume per mole of Li it holds"),     \
        ROW(S ".dead_porosity", "1", LMB_DIM_NONE, M.dead_porosity, 0, 0.05, 0.99, CLOSED, CLOSED, \
            0.6, SC, G_CELL, "electrolyte fraction of the porous dead-Li layer"),                  \
        ROW(S ".dead_bruggeman", "1", LMB_DIM_NONE, M.dead_bruggeman, 0, 0.0, 10.0, CLOSED,        \
            CLOSED, 1.5, SC, G_CELL,                                                               \
            "Bruggeman exponent of the dead-Li layer, tortuosity eps^-b"),                         \
        ROW(S ".sei_permittivity", "1", LMB_DIM_NONE, M.sei_permittivity, 0, 0.0, 1e3, CLOSED,     \
            CLOSED, 0.0, SC, G_CELL,                                                               \
            "relative permittivity of the SEI film: its capacitance separates the film's arc "     \
            "from charge transfer (0 = no film capacitance, one arc)"),                            \
        ROW(S ".pit_fraction", "1", LMB_DIM_NONE, M.pit_fraction, 0, 0.0, 1.0, OPEN, CLOSED, 1.0,  \
            SC, G_CELL,                                                                            \
            "share of the compact Li surface that strips (pits); mossy Li strips freely"),         \
        ROW(S ".sei_solvent_per_li", "1", LMB_DIM_NONE, M.sei_solvent_per_li, 0, 0.0, 100.0,       \
            CLOSED, CLOSED, 1.0, SC, G_CELL,                                                       \
            "mol of solvent (FEC first) consumed per mol of Li in SEI"),                           \
        ROW(S ".fec_free_dead_factor", "1", LMB_DIM_NONE, M.fec_free_dead_factor, 0, 0.0, 100.0,   \
            CLOSED, CLOSED, 1.0, SC, G_CELL, "dead-Li share multiplier once the FEC is used up"),  \
        ROW(S ".fec_free_sei_factor", "1", LMB_DIM_NONE, M.fec_free_sei_factor, 0, 0.0, 100.0,     \
            CLOSED, CLOSED, 1.0, SC, G_CELL, "SEI growth multiplier once the FEC is used up"),     \
        ROW(S ".cu_exchange_current", "mA/cm2", LMB_DIM_CURRENT_DENSITY, M.cu_i0_A_m2, 0, 1e-9,    \
            1e5, CLOSED, CLOSED, 0.01, SC, G_CELL,                                                 \
            "Cu electrode only: exchange current of Li+/Li on bare Cu (the nucleation "            \
            "overpotential of the first plating)"),                                                \
        ROW(S ".li_cover", "mAh/cm2", LMB_DIM_AREAL_CHARGE, M.li_cover_C_m2, 0, 1e-9, 1e3, CLOSED, \
            CLOSED, 0.01, SC, G_CELL,                                                              \
            "Cu electrode only: plated Li that covers half the Cu (Li availability "               \
            "Q/(Q + this); stripping ends as it runs out)"),                                       \
        ROW(S ".coating.loading", "mg/cm2", LMB_DIM_AREAL_MASS, M.coating.loading_kg_m2, 0, 1e-3,  \
            1e3, CLOSED, CLOSED, NAN, SC, G_COAT,                                                  \
            "mass of coating per geometric area (required when a coating is given)"),              \
        ROW(S ".coating.density", "g/cm3", LMB_DIM_DENSITY, M.coating.density_kg_m3, 0, 0.0, 30.0, \
            OPEN, CLOSED, 4.21, SC, G_COAT,                                                        \
            "skeleton density of the coating material (CsPbCl3: 4.21)"),                           \
        ROW(S ".coating.porosity", "1", LMB_DIM_NONE, M.coating.porosity, 0, 0.0, 1.0, OPEN, OPEN, \
            0.4, SC, G_COAT, "electrolyte-filled volume fraction of the coating"),                 \
        ROW(S ".coating.bruggeman", "1", LMB_DIM_NONE, M.coating.bruggeman, 0, 0.0, 10.0, CLOSED,  \
            CLOSED, 1.5, SC, G_COAT, "Bruggeman exponent b of the coating, tortuosity eps^-b"),    \
        ROW(S ".coating.particle_size", "nm", LMB_DIM_LENGTH, M.coating.particle_size_m, 0, 0.0,   \
            1e6, OPEN, CLOSED, 170.0, SC, G_COAT, "size of the coating's particles"),              \
        ROW(S ".coating.cells", "1", LMB_DIM_NONE, M.coating.cells, 1, 1.0, 2000.0, CLOSED,        \
            CLOSED, 5.0, SC, G_COAT, "finite volumes across the coating"),                         \
        ROW(S ".coating.active_fraction", "1", LMB_DIM_NONE, M.coating.active_fraction, 0, 0.0,    \
            1.0, CLOSED, CLOSED, 0.0, SC, G_COAT,                                                  \
            "fraction of the particles' surface (6 (1 - eps) / d per volume) that is "             \
            "electrochemically"                                                                    \
            " active, e.g. Li-Pb alloy sites; 0 = an inert coating"),                              \
        ROW(S ".coating.exchange_current", "mA/cm2", LMB_DIM_CURRENT_DENSITY, M.coating.i0_A_m2,   \
            0, 1e-6, 1e5, CLOSED, CLOSED, 1.0, SC, G_COAT,                                         \
            "exchange current density of Li/Li+ on the active coating surface"),                   \
        ROW(S ".coating.double_layer", "uF/cm2", LMB_DIM_AREAL_CAPACITANCE, M.coating.cdl_F_m2, 0, \
            0.01, 1e5, CLOSED, CLOSED, 10.0, SC, G_COAT,                                           \
            "double-layer capacitance per active coating surface"),                                \
        ROW(S ".coating.conversion_time", "h", LMB_DIM_TIME, M.coating.conversion_time_s, 0, 0.0,  \
            1e9, CLOSED, CLOSED, 0.0, SC, G_COAT,                                                  \
            "time constant of the coating's conversion with the Li it touches (0 = none)"),        \
        ROW(S ".coating.conversion_per_capacity", "1", LMB_DIM_NONE,                               \
            M.coating.conversion_per_capacity, 0, 0.0, 1e3, CLOSED, CLOSED, 0.0, SC, G_COAT,       \
            "share of the unconverted coating converted per 1 mAh/cm2 passed through it"),         \
        ROW(S ".coating.molar_mass", "g/mol", LMB_DIM_MOLAR_MASS, M.coating.molar_mass_kg_mol, 0,  \
            1.0, 1e4, CLOSED, CLOSED, 446.46, SC, G_COAT,                                          \
            "molar mass of the coating (CsPbCl3: 446.46)"),                                        \
        ROW(S ".coating.li_per_formula", "1", LMB_DIM_NONE, M.coating.li_per_formula, 0, 0.0,      \
            100.0, CLOSED, CLOSED, 6.4, SC, G_COAT,                                                \
            "Li taken up per formula unit when fully converted (CsPbCl3: 2 + 4.4 for Li4.4Pb)"),   \
        ROW(S ".coating.coverage_loading", "mg/cm2", LMB_DIM_AREAL_MASS,                           \
            M.coating.coverage_loading_kg_m2, 0, 1e-3, 1e3, CLOSED, CLOSED, 1.0, SC, G_COAT,       \
            "loading m0 of the coverage law 1 - exp(-m/m0) (bare patches at low loading)"),        \
        ROW(S ".coating.film_factor", "1", LMB_DIM_NONE, M.coating.film_factor, 0, 0.0, 10.0,      \
            CLOSED, CLOSED, 1.0, SC, G_COAT,                                                       \
            "SEI film resistivity under the converted coating, relative to the bare film"),        \
        ROW(S ".coating.mossy_factor", "1", LMB_DIM_NONE, M.coating.mossy_factor, 0, 0.0, 10.0,    \
            CLOSED, CLOSED, 1.0, SC, G_COAT,                                                       \
            "mossy share of plating under the converted coating"),                                 \
        ROW(S ".coating.sei_growth_factor", "1", LMB_DIM_NONE, M.coating.sei_growth_factor, 0,     \
            0.0, 10.0, CLOSED, CLOSED, 1.0, SC, G_COAT, "SEI growth under the converted coating"), \
        ROW(S ".coating.dead_factor", "1", LMB_DIM_NONE, M.coating.dead_factor, 0, 0.0, 10.0,      \
            CLOSED, CLOSED, 1.0, SC, G_COAT, "dead-Li share under the converted coating"),         \
        ROW(S ".coating.exchange_current_factor", "1", LMB_DIM_NONE, M.coating.i0_factor, 0, 0.0,  \
            100.0, OPEN, CLOSED, 1.0, SC, G_COAT,                                                  \
            "exchange current of the Li surface under the converted coating, relative to bare")

static const lmb__param_row k_rows[] = {
    ROW("area", "cm2", LMB_DIM_AREA, area_m2, 0, 0.0, 1e5, OPEN, CLOSED, 0.502, LMB__SCOPE_CELL,
        G_CELL, "electrochemically active geometric area"),
    ROW("temperature", "C", LMB_DIM_TEMPERATURE, T_K, 0, -73.15, 126.85, OPEN, CLOSED, 25.0,
        LMB__SCOPE_CELL, G_CELL, "cell temperature (200 K < T <= 400 K)"),
    ROW("nominal_capacity", "mAh/cm2", LMB_DIM_AREAL_CHARGE, nominal_capacity_C_m2, 0, 0.0, 1e3,
        CLOSED, CLOSED, 0.0, LMB__SCOPE_CELL, G_CELL,
        "areal capacity that defines 1C for C-rates in protocols (0 = none)"),
    ROW("electrolyte.concentration", "mol/L", LMB_DIM_CONCENTRATION, electrolyte.c0_mol_m3, 0, 1e-3,
        10.0, CLOSED, CLOSED, 1.0, LMB__SCOPE_CELL, G_CELL, "initial salt concentration"),
    ROW("electrolyte.conductivity", "mS/cm", LMB_DIM_CONDUCTIVITY, electrolyte.kappa_S_m, 0, 1e-3,
        1e3, CLOSED, CLOSED, 4.0, LMB__SCOPE_CELL, G_CELL, "bulk ionic conductivity"),
    ROW("electrolyte.diffusivity", "cm2/s", LMB_DIM_DIFFUSIVITY, electrolyte.D_m2_s, 0, 1e-10, 1e-3,
        CLOSED, CLOSED, 2.5e-6, LMB__SCOPE_CELL, G_CELL, "salt diffusion coefficient"),
    ROW("electrolyte.transference_number", "1", LMB_DIM_NONE, electrolyte.t_plus, 0, 0.0, 1.0,
        CLOSED, OPEN, 0.35, LMB__SCOPE_CELL, G_CELL,
        "Li+ transference number t+ (Hittorf, solvent frame)"),
    ROW("electrolyte.thermodynamic_factor", "1", LMB_DIM_NONE, electrolyte.tdf, 0, 0.0, 100.0, OPEN,
        CLOSED, 1.5, LMB__SCOPE_CELL, G_CELL, "thermodynamic factor 1 + dln f / dln c"),
    ROW("electrolyte.volume", "uL", LMB_DIM_VOLUME, electrolyte.volume_m3, 0, 0.0, 1e6, OPEN,
        CLOSED, 20.0, LMB__SCOPE_CELL, G_CELL, "electrolyte volume in the cell"),
    ROW("electrolyte.fec_fraction", "1", LMB_DIM_NONE, electrolyte.fec_fraction, 0, 0.0, 1.0,
        CLOSED, CLOSED, 0.0, LMB__SCOPE_CELL, G_CELL,
        "FEC volume fraction of the solvent (SEI consumes FEC first; the rest is taken as DEC)"),
    ROW("separator.thickness", "um", LMB_DIM_LENGTH, separator.thickness_m, 0, 0.0, 1e4, OPEN,
        CLOSED, 16.0, LMB__SCOPE_CELL, G_CELL, "separator thickness"),
    ROW("separator.porosity", "1", LMB_DIM_NONE, separator.porosity, 0, 0.0, 1.0, OPEN, CLOSED,
        0.41, LMB__SCOPE_CELL, G_CELL, "electrolyte-filled volume fraction of the separator"),
    ROW("separator.macmullin", "1", LMB_DIM_NONE, separator.macmullin, 0, 0.0, 1e4, CLOSED, CLOSED,
        7.0, LMB__SCOPE_CELL, G_CELL,
        "MacMullin number N_M = tau/eps = kappa/kappa_eff (0: use the Bruggeman exponent)"),
    ROW("separator.bruggeman", "1", LMB_DIM_NONE, separator.bruggeman, 0, 0.0, 10.0, CLOSED, CLOSED,
        1.5, LMB__SCOPE_CELL, G_CELL, "Bruggeman exponent b, tau = eps^-b (used if macmullin = 0)"),
    ROW("separator.cells", "1", LMB_DIM_NONE, separator.cells, 1, 1.0, 2000.0, CLOSED, CLOSED, 20.0,
        LMB__SCOPE_CELL, G_CELL, "finite volumes across the separator"),
    ROW("separator.short_thickness", "um", LMB_DIM_LENGTH, short_thickness_m, 0, 0.0, 1e4, CLOSED,
        CLOSED, 0.0, LMB__SCOPE_CELL, G_CELL,
        "porous dead-Li layer thickness (both electrodes together) at which the cell shorts "
        "through the separator (0 = never)"),
    ROW("separator.short_resistance", "ohm", LMB_DIM_RESISTANCE, short_resistance_ohm, 0, 1e-3, 1e9,
        CLOSED, CLOSED, 10.0, LMB__SCOPE_CELL, G_CELL,
        "resistance of the short-circuit path once it has formed"),
    LI_ROWS("electrodes", neg, LMB__SCOPE_ELECTRODES),
    LI_ROWS("negative", neg, LMB__SCOPE_NEG),
    LI_ROWS("positive", pos, LMB__SCOPE_POS),
    /* the porous LiFePO4 positive of a li-lfp cell (params.h, PHYSICS.md s6) */
    ROW("lfp.loading", "mg/cm2", LMB_DIM_AREAL_MASS, lfp.loading_kg_m2, 0, 0.0, 1e3, OPEN, CLOSED,
        7.55, LMB__SCOPE_CELL, G_LFP, "mass of LiFePO4 (active material) per geometric area"),
    ROW("lfp.active_mass_fraction", "1", LMB_DIM_NONE, lfp.active_mass_fraction, 0, 0.0, 1.0, OPEN,
        CLOSED, 0.90, LMB__SCOPE_CELL, G_LFP, "LiFePO4 share of the electrode's mass"),
    ROW("lfp.carbon_mass_fraction", "1", LMB_DIM_NONE, lfp.carbon_mass_fraction, 0, 0.0, 1.0,
        CLOSED, OPEN, 0.05, LMB__SCOPE_CELL, G_LFP,
        "conductive carbon share of the electrode's mass (the binder is the rest)"),
    ROW("lfp.density", "g/cm3", LMB_DIM_DENSITY, lfp.density_kg_m3, 0, 0.0, 30.0, OPEN, CLOSED, 3.6,
        LMB__SCOPE_CELL, G_LFP, "density of LiFePO4"),
    ROW("lfp.carbon_density", "g/cm3", LMB_DIM_DENSITY, lfp.carbon_density_kg_m3, 0, 0.0, 30.0,
        OPEN, CLOSED, 1.9, LMB__SCOPE_CELL, G_LFP, "density of the conductive carbon"),
    ROW("lfp.binder_density", "g/cm3", LMB_DIM_DENSITY, lfp.binder_density_kg_m3, 0, 0.0, 30.0,
        OPEN, CLOSED, 1.78, LMB__SCOPE_CELL, G_LFP, "density of the binder (PVdF: 1.78)"),
    ROW("lfp.porosity", "1", LMB_DIM_NONE, lfp.porosity, 0, 0.0, 1.0, OPEN, OPEN, 0.4,
        LMB__SCOPE_CELL, G_LFP, "electrolyte-filled volume fraction of the electrode"),
    ROW("lfp.bruggeman", "1", LMB_DIM_NONE, lfp.bruggeman, 0, 0.0, 10.0, CLOSED, CLOSED, 0.5,
        LMB__SCOPE_CELL, G_LFP,
        "tortuosity exponent b: tau = eps^-b in the pores (kappa_eff = kappa eps^(1+b)), "
        "sigma_eff = sigma (1-eps)^(1+b) in the solid; 0.5 is Bruggeman's eps^1.5"),
    ROW("lfp.cells", "1", LMB_DIM_NONE, lfp.cells, 1, 1.0, 2000.0, CLOSED, CLOSED, 6.0,
        LMB__SCOPE_CELL, G_LFP, "finite volumes across the LFP electrode"),
    ROW("lfp.max_concentration", "mol/m3", LMB_DIM_CONCENTRATION, lfp.c_max_mol_m3, 0, 0.0, 1e6,
        OPEN, CLOSED, 22806.0, LMB__SCOPE_CELL, G_LFP,
        "Li sites per volume of LiFePO4 (x = 1), c_max"),
    ROW("lfp.initial_li_fraction", "1", LMB_DIM_NONE, lfp.initial_x, 0, 0.0, 1.0, OPEN, OPEN, 0.999,
        LMB__SCOPE_CELL, G_LFP, "Li fraction x of Li_xFePO4 at assembly (1 = fully lithiated)"),
    ROW("lfp.accessible_fraction", "1", LMB_DIM_NONE, lfp.accessible_fraction, 0, 0.0, 1.0, OPEN,
        CLOSED, 1.0, LMB__SCOPE_CELL, G_LFP,
        "share of the LiFePO4 that takes part (the rest is electronically isolated)"),
    ROW("lfp.diffusivity", "cm2/s", LMB_DIM_DIFFUSIVITY, lfp.D_s_m2_s, 0, 0.0, 1e-3, OPEN, CLOSED,
        6.6e-15, LMB__SCOPE_CELL, G_LFP, "Li diffusivity in the LiFePO4 particles"),
    ROW("lfp.exchange_current", "mA/cm2", LMB_DIM_CURRENT_DENSITY, lfp.i0_ref_A_m2, 0, 1e-9, 1e5,
        CLOSED, CLOSED, 0.005, LMB__SCOPE_CELL, G_LFP,
        "exchange current density per particle surface at the reference concentration and "
        "x = 0.5: i0 = this (c/c_ref)^0.5 (x (1-x) / 0.25)^0.5"),
    ROW("lfp.reference_concentration", "mol/L", LMB_DIM_CONCENTRATION, lfp.c_ref_mol_m3, 0, 1e-3,
        10.0, CLOSED, CLOSED, 1.0, LMB__SCOPE_CELL, G_LFP,
        "electrolyte concentration at which the LFP's i0 is given"),
    ROW("lfp.double_layer", "uF/cm2", LMB_DIM_AREAL_CAPACITANCE, lfp.cdl_F_m2, 0, 0.01, 1e5, CLOSED,
        CLOSED, 10.0, LMB__SCOPE_CELL, G_LFP, "double-layer capacitance per particle surface"),
    ROW("lfp.conductivity", "S/m", LMB_DIM_CONDUCTIVITY, lfp.sigma_S_m, 0, 0.0, 1e6, OPEN, CLOSED,
        1.0, LMB__SCOPE_CELL, G_LFP,
        "electronic conductivity of the solid (LiFePO4 + carbon), before the (1-eps)^(1+b) factor"),
    ROW("lfp.radius", "nm", LMB_DIM_LENGTH, lfp.radius_m, 0, 0.0, 1e5, OPEN, CLOSED, 50.0,
        LMB__SCOPE_CELL, G_LFP,
        "median radius of the LiFePO4 particles by volume (the classes hold equal volumes)"),
    ROW("lfp.size_spread", "1", LMB_DIM_NONE, lfp.size_spread, 0, 0.0, 2.0, CLOSED, CLOSED, 0.4,
        LMB__SCOPE_CELL, G_LFP,
        "standard deviation of ln R of the log-normal particle sizes (0 = one size)"),
    ROW("lfp.size_classes", "1", LMB_DIM_NONE, lfp.size_classes, 1, 1.0, 8.0, CLOSED, CLOSED, 3.0,
        LMB__SCOPE_CELL, G_LFP,
        "particle-size classes: equal volumes at the quantiles (j + 0.5)/n of the distribution"),
    ROW("lfp.shells", "1", LMB_DIM_NONE, lfp.shells, 1, 1.0, 50.0, CLOSED, CLOSED, 6.0,
        LMB__SCOPE_CELL, G_LFP, "finite volumes in r across each particle"),
    /* the porous intercalation positive of a li-porous cell (params.h, lfp.c): the same fields
     * as lfp.*, given by thickness and volume fractions; defaults are the LiCoO2 electrode of the
     * DUALFOIL reference case (docs/reference-case.md) */
    ROW("porous.thickness", "um", LMB_DIM_LENGTH, lfp.given_thickness_m, 0, 0.0, 1e4, OPEN, CLOSED,
        100.0, LMB__SCOPE_CELL, G_POR, "thickness of the porous positive electrode"),
    ROW("porous.porosity", "1", LMB_DIM_NONE, lfp.porosity, 0, 0.0, 1.0, OPEN, OPEN, 0.3,
        LMB__SCOPE_CELL, G_POR, "electrolyte volume fraction of the electrode"),
    ROW("porous.active_fraction", "1", LMB_DIM_NONE, lfp.active_volume_fraction, 0, 0.0, 1.0, OPEN,
        OPEN, 0.5, LMB__SCOPE_CELL, G_POR,
        "active-material volume fraction (the rest of the solid, 1 - porosity - this, is an inert "
        "conducting filler)"),
    ROW("porous.bruggeman", "1", LMB_DIM_NONE, lfp.bruggeman, 0, 0.0, 10.0, CLOSED, CLOSED, 0.5,
        LMB__SCOPE_CELL, G_POR,
        "tortuosity exponent b: kappa_eff = kappa eps^(1+b), D_eff = D eps^(1+b) in the pores, "
        "sigma_eff = sigma (1-eps)^(1+b) in the solid; 0.5 is Bruggeman's eps^1.5"),
    ROW("porous.cells", "1", LMB_DIM_NONE, lfp.cells, 1, 1.0, 2000.0, CLOSED, CLOSED, 20.0,
        LMB__SCOPE_CELL, G_POR, "finite volumes across the electrode"),
    ROW("porous.max_concentration", "mol/m3", LMB_DIM_CONCENTRATION, lfp.c_max_mol_m3, 0, 0.0, 1e6,
        OPEN, CLOSED, 51217.9, LMB__SCOPE_CELL, G_POR,
        "Li sites per volume of the active material (stoichiometry 1), c_max"),
    ROW("porous.initial_stoichiometry", "1", LMB_DIM_NONE, lfp.initial_x, 0, 0.0, 1.0, OPEN, OPEN,
        0.5, LMB__SCOPE_CELL, G_POR, "Li fraction c_s / c_max of the active material at the start"),
    ROW("porous.diffusivity", "cm2/s", LMB_DIM_DIFFUSIVITY, lfp.D_s_m2_s, 0, 0.0, 1e-3, OPEN,
        CLOSED, 1e-9, LMB__SCOPE_CELL, G_POR, "Li diffusivity in the particles"),
    ROW("porous.rate_constant", "m2.5/mol0.5/s", LMB_DIM_INSERTION_RATE, lfp.rate_constant, 0, 0.0,
        1e3, OPEN, CLOSED, 3e-11, LMB__SCOPE_CELL, G_POR,
        "rate constant k of the exchange current i0 = F k c_e^0.5 (c_max - c_s)^0.5 c_s^0.5 "
        "(c_e, c_s in mol/m3; Butler-Volmer, alpha = 0.5)"),
    ROW("porous.double_layer", "uF/cm2", LMB_DIM_AREAL_CAPACITANCE, lfp.cdl_F_m2, 0, 0.01, 1e5,
        CLOSED, CLOSED, 10.0, LMB__SCOPE_CELL, G_POR,
        "double-layer capacitance per particle surface"),
    ROW("porous.conductivity", "S/m", LMB_DIM_CONDUCTIVITY, lfp.sigma_S_m, 0, 0.0, 1e6, OPEN,
        CLOSED, 10.0, LMB__SCOPE_CELL, G_POR,
        "electronic conductivity of the solid (active material and filler), before the "
        "(1-eps)^(1+b) factor"),
    ROW("porous.radius", "um", LMB_DIM_LENGTH, lfp.radius_m, 0, 0.0, 1e5, OPEN, CLOSED, 10.0,
        LMB__SCOPE_CELL, G_POR,
        "median particle radius by volume (the classes hold equal volumes)"),
    ROW("porous.size_spread", "1", LMB_DIM_NONE, lfp.size_spread, 0, 0.0, 2.0, CLOSED, CLOSED, 0.0,
        LMB__SCOPE_CELL, G_POR,
        "standard deviation of ln R of the log-normal particle sizes (0 = one size)"),
    ROW("porous.size_classes", "1", LMB_DIM_NONE, lfp.size_classes, 1, 1.0, 8.0, CLOSED, CLOSED,
        1.0, LMB__SCOPE_CELL, G_POR,
        "particle-size classes: equal volumes at the quantiles (j + 0.5)/n of the distribution"),
    ROW("porous.shells", "1", LMB_DIM_NONE, lfp.shells, 1, 1.0, 50.0, CLOSED, CLOSED, 10.0,
        LMB__SCOPE_CELL, G_POR, "finite volumes in r across each particle"),
    ROW("numerics.rtol", "1", LMB_DIM_NONE, num.rtol, 0, 0.0, 1e-2, OPEN, CLOSED, 1e-6,
        LMB__SCOPE_CELL, G_CELL, "relative tolerance of the DAE solver"),
    ROW("numerics.atol_concentration", "mol/m3", LMB_DIM_CONCENTRATION, num.atol_c, 0, 0.0, 10.0,
        OPEN, CLOSED, 1e-3, LMB__SCOPE_CELL, G_CELL, "absolute tolerance on concentrations"),
    ROW("numerics.atol_potential", "V", LMB_DIM_VOLTAGE, num.atol_phi, 0, 0.0, 0.1, OPEN, CLOSED,
        1e-7, LMB__SCOPE_CELL, G_CELL, "absolute tolerance on potentials"),
    ROW("numerics.atol_interface", "V", LMB_DIM_VOLTAGE, num.atol_iface, 0, 0.0, 0.1, OPEN, CLOSED,
        1e-4, LMB__SCOPE_CELL, G_CELL,
        "absolute tolerance on the interface voltages (film, double layer): their micro- to "
        "millisecond transients after a current step need not be followed more closely"),
    ROW("numerics.atol_current", "A/m2", LMB_DIM_CURRENT_DENSITY, num.atol_i, 0, 0.0, 10.0, OPEN,
        CLOSED, 1e-5, LMB__SCOPE_CELL, G_CELL, "absolute tolerance on current densities"),
    ROW("numerics.max_step", "s", LMB_DIM_TIME, num.max_step_s, 0, 0.0, 1e9, CLOSED, CLOSED, 0.0,
        LMB__SCOPE_CELL, G_CELL, "largest internal solver step (0: unlimited)"),
    ROW("numerics.mesh_ratio", "1", LMB_DIM_NONE, num.mesh_ratio, 0, 1.0, 100.0, CLOSED, CLOSED,
        1.0, LMB__SCOPE_CELL, G_CELL,
        "geometric grading of cell widths towards interfaces (1: uniform)"),
};

#define N_ROWS ((int)(sizeof k_rows / sizeof k_rows[0]))

/* Largest derived coating thickness accepted, as for every other thickness. */
#define MAX_THICKNESS_M 1e-2

/* Slack on closed bounds for values converted between units (relative). */
#define BOUND_SLACK 1e-12

typedef struct lmb__prov {
    char *source;    /* NULL if none */
    char *fitted_to; /* NULL if none */
    int given;       /* LMB__GIVEN_* */
} lmb__prov;

/*
 * Function-valued parameters (lmb_prop, matprop.h): a property that may be a named correlation
 * or a table instead of its number. The electrolyte's keep their numeric row (the constant);
 * "electrolyte.conductivity": "capiglia1999" or {"table": ...} replaces it, a number restores
 * it. The OCV is always a name or a table; lfp.ocv and porous.ocv are one field.
 */
typedef struct lmb__prop_row {
    const char *key;
    lmb__prop_id id;
    size_t offset; /* of the lmb_prop in lmb_params */
    int group;
} lmb__prop_row;

static const lmb__prop_row k_props[] = {
    {"electrolyte.conductivity", LMB__PROP_KAPPA, offsetof(lmb_params, electrolyte.kappa_fn),
     G_CELL},
    {"electrolyte.diffusivity", LMB__PROP_D, offsetof(lmb_params, electrolyte.D_fn), G_CELL},
    {"electrolyte.transference_number", LMB__PROP_TPLUS, offsetof(lmb_params, electrolyte.tplus_fn),
     G_CELL},
    {"electrolyte.thermodynamic_factor", LMB__PROP_TDF, offsetof(lmb_params, electrolyte.tdf_fn),
     G_CELL},
    {"lfp.ocv", LMB__PROP_OCV, offsetof(lmb_params, lfp.ocv_fn), G_LFP},
    {"porous.ocv", LMB__PROP_OCV, offsetof(lmb_params, lfp.ocv_fn), G_POR},
};

#define N_PROPS ((int)(sizeof k_props / sizeof k_props[0]))

struct lmb_cell {
    lmb_params p;
    char *origin;                    /* file path or preset name */
    lmb__prov prov[N_ROWS];          /* by schema row; unused for "electrodes" rows */
    lmb__prov prop_prov[N_PROPS];    /* of the function-valued parameters */
    lmb__table *prop_table[N_PROPS]; /* their tables (NULL unless TABLE); p points at them */
};

static lmb_prop *prop_field(lmb_params *p, int i) {
    return (lmb_prop *)(void *)((char *)p + k_props[i].offset);
}

static const lmb_prop *prop_field_c(const lmb_params *p, int i) {
    return (const lmb_prop *)(const void *)((const char *)p + k_props[i].offset);
}

/* Frees property i's table (the parameter pointing at it is the caller's to reset). */
static void prop_table_drop(lmb_cell *cell, int i) {
    if (cell->prop_table[i]) {
        lmb_prop *f = prop_field(&cell->p, i);
        if (f->table == cell->prop_table[i])
            f->table = NULL;
        lmb__table_free(cell->prop_table[i]);
        free(cell->prop_table[i]);
        cell->prop_table[i] = NULL;
    }
}

/* ---- small helpers ---- */

static char *dup_str(const char *s) {
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void lmb__fmt_num(char *dst, size_t n, double v) {
    /* exponent notation only for very small or large magnitudes: "100", not "1e+02" */
    int plain = fabs(v) >= 1e-5 && fabs(v) < 1e7;
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(dst, n, "%.*g", prec, v);
        if (strtod(dst, NULL) == v && !(plain && strchr(dst, 'e')))
            return;
    }
    snprintf(dst, n, "%.17g", v);
}

/* v rounded to 15 significant digits: hides the last-bit noise of unit conversions. */
static double tidy(double v) {
    if (!isfinite(v) || v == 0.0)
        return v;
    char buf[40];
    snprintf(buf, sizeof buf, "%.15g", v);
    return strtod(buf, NULL);
}

static const lmb_unit *row_unit(const lmb__param_row *r) {
    return lmb_unit_find(r->unit);
}

/* The last dot-separated component of a key: "thickness" of "negative.thickness". */
static const char *last_part(const char *key) {
    const char *d = strrchr(key, '.');
    return d ? d + 1 : key;
}

/* Appends to a message buffer without overflowing. */
static void cat(char *buf, size_t n, const char *s) {
    size_t k = strlen(buf);
    if (k + 1 < n)
        snprintf(buf + k, n - k, "%s", s);
}

/* "(separator.thickness is a length: write thickness_m, thickness_cm, ...)" */
static void dim_hint(char *buf, size_t n, const lmb__param_row *r) {
    const char *base = last_part(r->key);
    buf[0] = '\0';
    if (r->dim == LMB_DIM_NONE) {
        snprintf(buf, n, "%s is dimensionless and takes no unit: write '%s'", r->key, base);
        return;
    }
    snprintf(buf, n, "%s is a %s: write ", r->key, lmb_dim_name(r->dim));
    int shown = 0;
    for (int i = 0; i < lmb_unit_count(); i++) {
        const lmb_unit *u = lmb_unit_at(i);
        if (u->dim != r->dim || lmb_unit_find(u->key) != u)
            continue; /* skips "Coulomb"-style aliases shadowed by an earlier entry */
        char ex[96];
        snprintf(ex, sizeof ex, "%s%s_%s", shown ? ", " : "", base, u->key);
        cat(buf, n, ex);
        if (++shown == 6)
            break;
    }
}

/* ---- the schema ---- */

int lmb__schema_size(void) {
    return N_ROWS;
}

const lmb__param_row *lmb__schema_row(int i) {
    return (i >= 0 && i < N_ROWS) ? &k_rows[i] : NULL;
}

int lmb__schema_index(const char *key) {
    if (!key)
        return -1;
    for (int i = 0; i < N_ROWS; i++)
        if (strcmp(k_rows[i].key, key) == 0)
            return i;
    return -1;
}

/* Row of the negative (side 0) or positive (side 1) electrode for an "electrodes" row. */
static int side_row(int row, int side) {
    char key[128];
    snprintf(key, sizeof key, "%s%s", side == 0 ? "negative" : "positive",
             k_rows[row].key + strlen("electrodes"));
    return lmb__schema_index(key);
}

/* The targets a row writes in the cell p: itself, or for an "electrodes" row every Li-metal
 * electrode of the cell (both, but only the negative in a li-lfp cell). */
static int row_targets(const lmb_params *p, int row, int *t) {
    if (k_rows[row].scope != LMB__SCOPE_ELECTRODES) {
        t[0] = row;
        return 1;
    }
    t[0] = side_row(row, 0);
    if (lmb__type_porous(p->type))
        return 1;
    t[1] = side_row(row, 1);
    return 2;
}

static size_t levenshtein(const char *a, const char *b) {
    enum { MAXL = 128 };
    size_t la = strlen(a), lb = strlen(b);
    if (la >= MAXL || lb >= MAXL)
        return (size_t)-1;
    size_t prev[MAXL + 1], cur[MAXL + 1];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb];
}

/* Keys that are not parameters but may appear in a cell file, for suggestions. */
static const char *const k_other_keys[] = {
    "name",
    "description",
    "type",
    "electrolyte",
    "separator",
    "electrodes",
    "negative",
    "positive",
    "numerics",
    "electrodes.kind",
    "negative.kind",
    "positive.kind",
    "electrodes.coating",
    "negative.coating",
    "positive.coating",
    "lfp",
    "lfp.ocv",
};

void lmb__schema_suggest(const char *key, char *out, size_t n) {
    if (!out || n == 0)
        return;
    out[0] = '\0';
    if (!key)
        return;
    size_t best = (size_t)-1;
    char cand[160];
    /* the key as written, split at its first unit suffix (to keep the user's unit) */
    char base[160] = "";
    const lmb_unit *ku = NULL;
    for (const char *p = strchr(last_part(key), '_'); p; p = strchr(p + 1, '_')) {
        if ((ku = lmb_unit_find(p + 1)) != NULL && (size_t)(p - key) < sizeof base) {
            memcpy(base, key, (size_t)(p - key));
            base[p - key] = '\0';
            break;
        }
        ku = NULL;
    }
    for (int i = 0; i < N_ROWS; i++) {
        const lmb__param_row *r = &k_rows[i];
        if (r->dim == LMB_DIM_NONE)
            snprintf(cand, sizeof cand, "%s", r->key);
        else
            snprintf(cand, sizeof cand, "%s_%s", r->key, row_unit(r)->key);
        size_t d = levenshtein(key, cand);
        if (d < best) {
            best = d;
            snprintf(out, n, "%s", cand);
        }
        if (ku && ku->dim == r->dim && r->dim != LMB_DIM_NONE) {
            d = levenshtein(base, r->key);
            if (d < best) {
                best = d;
                snprintf(out, n, "%s_%s", r->key, ku->key);
            }
        }
    }
    for (size_t i = 0; i < sizeof k_other_keys / sizeof k_other_keys[0]; i++) {
        size_t d = levenshtein(key, k_other_keys[i]);
        if (d < best) {
            best = d;
            snprintf(out, n, "%s", k_other_keys[i]);
        }
    }
    /* close enough: at most 3 edits, and fewer than a third of the last component */
    size_t len = strlen(last_part(key));
    if (best == 0 || best > 3 || best > len / 3 + 1)
        out[0] = '\0';
}

lmb_status lmb__schema_resolve(lmb_ctx *ctx, const char *key, int *row, const lmb_unit **unit) {
    if (!key || !row || !unit)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb__schema_resolve: NULL argument");
    char shown[200], hint[400];
    lmb__escape(shown, sizeof shown, key);

    int i = lmb__schema_index(key);
    if (i >= 0) {
        if (k_rows[i].dim == LMB_DIM_NONE) {
            *row = i;
            *unit = lmb_unit_find("1");
            return LMB_OK;
        }
        dim_hint(hint, sizeof hint, &k_rows[i]);
        LMB__FAIL(ctx, LMB_EUNIT, "key '%s' has no unit (%s)", shown, hint);
    }

    /* the longest unit suffix (after the last '.') that leaves a schema key before it */
    char base[160];
    for (const char *p = strchr(last_part(key), '_'); p; p = strchr(p + 1, '_')) {
        const lmb_unit *u = lmb_unit_find(p + 1);
        size_t bl = (size_t)(p - key);
        if (!u || bl >= sizeof base)
            continue;
        memcpy(base, key, bl);
        base[bl] = '\0';
        if ((i = lmb__schema_index(base)) < 0)
            continue;
        if (u->dim != k_rows[i].dim) {
            char us[64];
            lmb__escape(us, sizeof us, p + 1);
            dim_hint(hint, sizeof hint, &k_rows[i]);
            LMB__FAIL(ctx, LMB_EUNIT, "key '%s': %s is a unit of %s, but %s", shown, us,
                      lmb_dim_name(u->dim), hint);
        }
        *row = i;
        *unit = u;
        return LMB_OK;
    }

    /* a schema key followed by something that is not a unit */
    int best = -1;
    size_t best_len = 0;
    for (int r = 0; r < N_ROWS; r++) {
        size_t kl = strlen(k_rows[r].key);
        if (kl > best_len && strncmp(key, k_rows[r].key, kl) == 0 && key[kl] == '_') {
            best = r;
            best_len = kl;
        }
    }
    if (best >= 0) {
        char us[64];
        lmb__escape(us, sizeof us, key + best_len + 1);
        dim_hint(hint, sizeof hint, &k_rows[best]);
        LMB__FAIL(ctx, LMB_EUNIT, "key '%s': unknown unit '%s' (%s)", shown, us, hint);
    }

    char sugg[160];
    lmb__schema_suggest(key, sugg, sizeof sugg);
    if (sugg[0])
        LMB__FAIL(ctx, LMB_EKEY, "unknown key '%s' (did you mean '%s'?)", shown, sugg);
    LMB__FAIL(ctx, LMB_EKEY, "unknown key '%s'", shown);
}

/* ---- values ---- */

/* "um" -> " um", "1" -> "" (for "16 um" and "0.4") */
static const char *unit_text(const lmb_unit *u) {
    return (u->dim == LMB_DIM_NONE && strcmp(u->name, "1") == 0) ? "" : u->name;
}

/* Checks value (in unit) against the range of row; the message names shown_key. */
static lmb_status check_range(lmb_ctx *ctx, const lmb__param_row *r, double value,
                              const lmb_unit *u, const char *shown_key) {
    char vs[40];
    lmb__fmt_num(vs, sizeof vs, value);
    if (!isfinite(value))
        LMB__FAIL(ctx, LMB_ERANGE, "%s = %s is not a finite number", shown_key, vs);
    const lmb_unit *du = row_unit(r);
    double lo = lmb_unit_from_si(u, lmb_unit_to_si(du, r->min));
    double hi = lmb_unit_from_si(u, lmb_unit_to_si(du, r->max));
    int ok_lo = r->min_open ? value > lo : value >= lo - BOUND_SLACK * fabs(lo);
    int ok_hi = r->max_open ? value < hi : value <= hi + BOUND_SLACK * fabs(hi);
    const char *ut = unit_text(u);
    const char *sp = ut[0] ? " " : "";
    if (!ok_lo || !ok_hi)
        LMB__FAIL(ctx, LMB_ERANGE, "%s = %s%s%s is out of range (must be %s %g%s%s and %s %g%s%s)",
                  shown_key, vs, sp, ut, r->min_open ? ">" : ">=", lo, sp, ut,
                  r->max_open ? "<" : "<=", hi, sp, ut);
    if (r->is_int) {
        double si = lmb_unit_to_si(u, value);
        if (si != floor(si))
            LMB__FAIL(ctx, LMB_ERANGE, "%s = %s%s%s is not a whole number", shown_key, vs, sp, ut);
    }
    return LMB_OK;
}

static void write_field(lmb_params *p, const lmb__param_row *r, double si) {
    char *base = (char *)p;
    if (r->is_int) {
        int v = (int)floor(si + 0.5);
        memcpy(base + r->offset, &v, sizeof v);
    } else {
        memcpy(base + r->offset, &si, sizeof si);
    }
}

static double read_field(const lmb_params *p, const lmb__param_row *r) {
    const char *base = (const char *)p;
    if (r->is_int) {
        int v;
        memcpy(&v, base + r->offset, sizeof v);
        return (double)v;
    }
    double d;
    memcpy(&d, base + r->offset, sizeof d);
    return d;
}

static lmb_layer_params *coating_of(lmb_params *p, const lmb__param_row *r) {
    return r->scope == LMB__SCOPE_POS ? &p->pos.coating : &p->neg.coating;
}

static const lmb_layer_params *coating_of_c(const lmb_params *p, const lmb__param_row *r) {
    return r->scope == LMB__SCOPE_POS ? &p->pos.coating : &p->neg.coating;
}

/* Whether the cell type has the part a row describes: a li-lfp or li-porous cell has no
 * positive Li electrode, only a li-lfp cell has an LFP electrode, only a li-porous cell a
 * "porous" one. */
static int group_in_type(const lmb_params *p, int group, lmb__scope scope) {
    if (group == LMB__GROUP_LFP)
        return p->type == LMB_CELL_LI_LFP;
    if (group == LMB__GROUP_POROUS)
        return p->type == LMB_CELL_LI_POROUS;
    return !(lmb__type_porous(p->type) && scope == LMB__SCOPE_POS);
}

static int row_in_type(const lmb_params *p, const lmb__param_row *r) {
    return group_in_type(p, r->group, r->scope);
}

/* A resolved parameter of this cell: not an "electrodes" shorthand, of a part its type has, and
 * a coating parameter only if its electrode has a coating. */
static int row_active(const lmb_params *p, const lmb__param_row *r) {
    if (r->scope == LMB__SCOPE_ELECTRODES || !row_in_type(p, r))
        return 0;
    /* a constant replaced by a correlation or a table is no parameter */
    int pi = r->group == LMB__GROUP_CELL && strncmp(r->key, "electrolyte.", 12) == 0
                 ? lmb__prop_index(r->key)
                 : -1;
    if (pi >= 0 && prop_field_c(p, pi)->kind != LMB_PROP_CONSTANT)
        return 0;
    return r->group != LMB__GROUP_COATING || coating_of_c(p, r)->present;
}

static lmb_status fail_not_in_type(lmb_ctx *ctx, const lmb_params *p, int group,
                                   const char *shown_key) {
    if (group == LMB__GROUP_LFP)
        LMB__FAIL(ctx, LMB_EKEY, "%s: only a li-lfp cell has an LFP electrode (this cell is %s)",
                  shown_key, lmb__cell_type_name(p->type));
    if (group == LMB__GROUP_POROUS)
        LMB__FAIL(ctx, LMB_EKEY,
                  "%s: only a li-porous cell has a 'porous' electrode (this cell is %s)", shown_key,
                  lmb__cell_type_name(p->type));
    LMB__FAIL(ctx, LMB_EKEY,
              "%s: a %s cell has no positive Li electrode (its positive electrode is %s.*)",
              shown_key, lmb__cell_type_name(p->type),
              p->type == LMB_CELL_LI_LFP ? "lfp" : "porous");
}

/* Fails (LMB_EKEY) for a row of a part that the cell's type does not have. */
static lmb_status check_in_type(lmb_ctx *ctx, const lmb_params *p, const lmb__param_row *r,
                                const char *shown_key) {
    if (row_in_type(p, r))
        return LMB_OK;
    return fail_not_in_type(ctx, p, r->group, shown_key);
}

static void prov_clear(lmb__prov *pv) {
    free(pv->source);
    free(pv->fitted_to);
    pv->source = pv->fitted_to = NULL;
}

static lmb_status prov_set(lmb_ctx *ctx, lmb__prov *pv, const char *source, const char *fitted,
                           int level) {
    char *s = (source && source[0]) ? dup_str(source) : NULL;
    char *f = (fitted && fitted[0]) ? dup_str(fitted) : NULL;
    if ((source && source[0] && !s) || (fitted && fitted[0] && !f)) {
        free(s);
        free(f);
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for a parameter's source text");
    }
    prov_clear(pv);
    pv->source = s;
    pv->fitted_to = f;
    pv->given = level;
    return LMB_OK;
}

/* Property i back to not given: its table freed and its provenance cleared (the parameter is
 * the caller's). */
static void prop_forget(lmb_cell *cell, int i) {
    prop_table_drop(cell, i);
    prov_clear(&cell->prop_prov[i]);
    cell->prop_prov[i].given = LMB__GIVEN_NONE;
}

/* A number given for property i's key replaces its correlation or table. */
static void prop_to_number(lmb_cell *cell, int i) {
    prop_forget(cell, i);
    *prop_field(&cell->p, i) = (lmb_prop){0};
}

lmb_status lmb__cell_assign(lmb_ctx *ctx, lmb_cell *cell, int row, double value,
                            const lmb_unit *unit, const char *shown_key, const char *source,
                            const char *fitted_to, int level, int reject_duplicate) {
    if (!cell || row < 0 || row >= N_ROWS)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb__cell_assign: bad argument");
    const lmb__param_row *r = &k_rows[row];
    if (!unit)
        unit = row_unit(r);
    if (!shown_key)
        shown_key = r->key;
    lmb_status st = check_in_type(ctx, &cell->p, r, shown_key);
    if (st == LMB_OK)
        st = check_range(ctx, r, value, unit, shown_key);
    if (st != LMB_OK)
        return st;
    int t[2];
    int nt = row_targets(&cell->p, row, t);
    if (reject_duplicate)
        for (int k = 0; k < nt; k++)
            if (cell->prov[t[k]].given == level)
                LMB__FAIL(ctx, LMB_EKEY, "duplicate key '%s': %s is already given", shown_key,
                          r->key);
    int pi = lmb__prop_index(r->key);
    if (pi >= 0 && reject_duplicate && cell->prop_prov[pi].given == level)
        LMB__FAIL(ctx, LMB_EKEY, "duplicate key '%s': %s is already given as %s", shown_key, r->key,
                  "a correlation or a table");
    double si = lmb_unit_to_si(unit, value);
    for (int k = 0; k < nt; k++) {
        if ((st = prov_set(ctx, &cell->prov[t[k]], source, fitted_to, level)) != LMB_OK)
            return st;
        write_field(&cell->p, &k_rows[t[k]], si);
    }
    if (pi >= 0)
        prop_to_number(cell, pi);
    return LMB_OK;
}

/* ---- function-valued parameters ---- */

int lmb__prop_count(void) {
    return N_PROPS;
}

int lmb__prop_index(const char *key) {
    for (int i = 0; key && i < N_PROPS; i++)
        if (strcmp(k_props[i].key, key) == 0)
            return i;
    return -1;
}

const char *lmb__prop_key(int i) {
    return i >= 0 && i < N_PROPS ? k_props[i].key : NULL;
}

lmb__prop_id lmb__prop_id_at(int i) {
    return i >= 0 && i < N_PROPS ? k_props[i].id : LMB__PROP_COUNT;
}

int lmb__prop_in_type(const lmb_cell *cell, int i) {
    return cell && i >= 0 && i < N_PROPS &&
           group_in_type(&cell->p, k_props[i].group, LMB__SCOPE_CELL);
}

lmb_status lmb__cell_assign_prop(lmb_ctx *ctx, lmb_cell *cell, int i, const lmb_prop *value,
                                 lmb__table *table, const char *shown_key, const char *source,
                                 const char *fitted_to, int level, int reject_duplicate) {
    if (!cell || i < 0 || i >= N_PROPS || !value)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb__cell_assign_prop: bad argument");
    const lmb__prop_row *pr = &k_props[i];
    if (!shown_key)
        shown_key = pr->key;
    if (!group_in_type(&cell->p, pr->group, LMB__SCOPE_CELL))
        return fail_not_in_type(ctx, &cell->p, pr->group, shown_key);
    if (value->kind == LMB_PROP_TABLE
            ? !table
            : value->kind != LMB_PROP_NAMED || !lmb__prop_named_name(pr->id, value->named))
        LMB__FAIL(ctx, LMB_EINVAL, "%s: not a known correlation or a table", shown_key);
    int num = lmb__schema_index(pr->key);
    if (reject_duplicate &&
        (cell->prop_prov[i].given == level || (num >= 0 && cell->prov[num].given == level)))
        LMB__FAIL(ctx, LMB_EKEY, "duplicate key '%s': %s is already given", shown_key, pr->key);
    /* what can fail first, so that a failure leaves the cell as it was */
    lmb__table *own = NULL;
    if (value->kind == LMB_PROP_TABLE && !(own = malloc(sizeof *own)))
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for the table of %s", shown_key);
    lmb_status st = prov_set(ctx, &cell->prop_prov[i], source, fitted_to, level);
    if (st != LMB_OK) {
        free(own);
        return st;
    }
    prop_table_drop(cell, i);
    lmb_prop *f = prop_field(&cell->p, i);
    *f = *value;
    f->table = NULL;
    if (own) {
        *own = *table; /* moved in */
        memset(table, 0, sizeof *table);
        cell->prop_table[i] = own;
        f->table = own;
    }
    /* the two spellings of the OCV are one field: one table, one provenance */
    for (int j = 0; j < N_PROPS; j++)
        if (j != i && k_props[j].offset == pr->offset)
            prop_forget(cell, j);
    if (pr->id == LMB__PROP_OCV && value->kind == LMB_PROP_NAMED)
        cell->p.lfp.ocv = value->named;
    return LMB_OK;
}

void lmb__cell_prop_info(const lmb_cell *cell, int i, const lmb_prop **value, const char **source,
                         const char **fitted_to, int *is_default) {
    const lmb__prov *pv = cell && i >= 0 && i < N_PROPS ? &cell->prop_prov[i] : NULL;
    if (value)
        *value = pv ? prop_field_c(&cell->p, i) : NULL;
    if (source)
        *source = pv && pv->source ? pv->source : "";
    if (fitted_to)
        *fitted_to = pv && pv->fitted_to ? pv->fitted_to : "";
    if (is_default)
        *is_default = !pv || pv->given == LMB__GIVEN_NONE;
}

/* ---- the parameter set ---- */

void lmb__params_defaults(lmb_params *p) {
    if (!p)
        return;
    memset(p, 0, sizeof *p);
    for (int i = 0; i < N_ROWS; i++) {
        const lmb__param_row *r = &k_rows[i];
        if (r->scope == LMB__SCOPE_ELECTRODES || r->group == LMB__GROUP_POROUS)
            continue; /* (porous.* share lfp.*'s fields: lmb__params_set_type) */
        write_field(p, r, isnan(r->def) ? 0.0 : lmb_unit_to_si(row_unit(r), r->def));
    }
    p->type = LMB_CELL_LI_LI;
    p->separator.present = 1;
    p->neg.coating.present = 0;
    p->pos.coating.present = 0;
    p->lfp.ocv = LMB_LFP_OCV_SAFARI2011;
    p->lfp.ocv_fn = (lmb_prop){.kind = LMB_PROP_NAMED, .named = p->lfp.ocv};
}

const char *lmb__cell_type_name(lmb_cell_type type) {
    switch (type) {
    case LMB_CELL_LI_LI:
        return "li-li";
    case LMB_CELL_LI_CU:
        return "li-cu";
    case LMB_CELL_LI_LFP:
        return "li-lfp";
    case LMB_CELL_LI_POROUS:
        return "li-porous";
    }
    return NULL;
}

void lmb__params_set_type(lmb_params *p, lmb_cell_type type) {
    p->type = type;
    /* the porous electrode's fields take the defaults of the type's section */
    int group = type == LMB_CELL_LI_POROUS ? LMB__GROUP_POROUS : LMB__GROUP_LFP;
    for (int i = 0; i < N_ROWS; i++)
        if ((int)k_rows[i].group == group && !isnan(k_rows[i].def))
            write_field(p, &k_rows[i], lmb_unit_to_si(row_unit(&k_rows[i]), k_rows[i].def));
    p->lfp.accessible_fraction = 1.0;
    p->lfp.rate_constant = type == LMB_CELL_LI_POROUS ? p->lfp.rate_constant : 0.0;
    p->lfp.ocv = type == LMB_CELL_LI_POROUS ? LMB_LFP_OCV_DUALFOIL1998 : LMB_LFP_OCV_SAFARI2011;
    p->lfp.ocv_fn = (lmb_prop){.kind = LMB_PROP_NAMED, .named = p->lfp.ocv};
}

double lmb__layer_tortuosity(const lmb_layer_params *l) {
    if (l->macmullin > 0.0)
        return l->macmullin * l->porosity;
    return pow(l->porosity, -l->bruggeman);
}

double lmb__sei_resistance(const lmb_li_params *e) {
    return e->sei_resistivity_ohm_m * e->sei_thickness_m;
}

double lmb__lfp_i0_ref(const lmb_lfp_params *p) {
    if (p->rate_constant > 0.0)
        return LMB_FARADAY * p->rate_constant * sqrt(p->c_ref_mol_m3) * 0.5 * p->c_max_mol_m3;
    return p->i0_ref_A_m2;
}

double lmb__lfp_sigma_eff(const lmb_lfp_params *p) {
    return p->sigma_S_m * pow(1.0 - p->porosity, 1.0 + p->bruggeman);
}

int lmb__lfp_class_radii(const lmb_lfp_params *p, double *R_out) {
    int n = p ? p->size_classes : 0;
    if (n < 1 || !R_out || !(p->radius_m > 0.0) || !(p->size_spread >= 0.0))
        return -1;
    for (int j = 0; j < n; j++) {
        /* the median class exactly: Pinv(0.5) is 0 only to rounding */
        double z = 2 * j + 1 == n ? 0.0 : gsl_cdf_ugaussian_Pinv((j + 0.5) / n);
        R_out[j] = p->radius_m * exp(p->size_spread * z);
    }
    return 0;
}

/* The LFP electrode's thickness [m]: solid volume per area over (1 - porosity); carbon and
 * binder masses from their fractions relative to the active (LFP) mass. */
static double lfp_thickness(const lmb_lfp_params *l) {
    double m = l->loading_kg_m2, a = l->active_mass_fraction, c = l->carbon_mass_fraction;
    double binder = fmax(1.0 - a - c, 0.0);
    double solid = m / l->density_kg_m3 + m * (c / a) / l->carbon_density_kg_m3 +
                   m * (binder / a) / l->binder_density_kg_m3;
    return solid / (1.0 - l->porosity);
}

/* A table of a function-valued parameter must cover the initial state x (SI) and have the rows
 * its interpolation needs; what_x names x in the message. */
static lmb_status check_table(lmb_ctx *ctx, const lmb_prop *v, const char *key, double x,
                              const char *what_x) {
    if (v->kind != LMB_PROP_TABLE || !v->table)
        return LMB_OK;
    const lmb__table *t = v->table;
    if (v->interp == LMB__INTERP_AKIMA && t->n < 5)
        LMB__FAIL(ctx, LMB_ERANGE,
                  "%s: akima interpolation needs at least 5 rows; its table has %d", key, t->n);
    if (!(x >= t->x[0] && x <= t->x[t->n - 1])) {
        char range[1400];
        lmb__table_range_text(t, key, x, range, sizeof range);
        LMB__FAIL(ctx, LMB_ERANGE, "%s (%s)", range, what_x);
    }
    return LMB_OK;
}

lmb_status lmb__params_finish(lmb_ctx *ctx, lmb_params *p) {
    const lmb_layer_params *s = &p->separator;
    if (s->macmullin > 0.0 && s->macmullin * s->porosity < 1.0) {
        char nm[40], ep[40];
        lmb__fmt_num(nm, sizeof nm, s->macmullin);
        lmb__fmt_num(ep, sizeof ep, s->porosity);
        LMB__FAIL(ctx, LMB_ERANGE,
                  "separator.macmullin = %s with separator.porosity = %s gives a tortuosity "
                  "N_M*eps = %g < 1 (N_M must be 0, to use Bruggeman, or >= 1/eps = %g)",
                  nm, ep, s->macmullin * s->porosity, 1.0 / s->porosity);
    }
    if (lmb__type_porous(p->type))
        p->pos.coating.present = 0; /* no positive Li electrode, so no coating on it */
    for (int side = 0; side < 2; side++) {
        lmb_layer_params *c = side == 0 ? &p->neg.coating : &p->pos.coating;
        const char *name = side == 0 ? "negative" : "positive";
        c->macmullin = 0.0; /* coatings use Bruggeman */
        if (!c->present) {
            c->thickness_m = 0.0;
            continue;
        }
        if (!(c->loading_kg_m2 > 0.0))
            LMB__FAIL(ctx, LMB_EKEY,
                      "%s.coating.loading_mg_cm2 is missing: an electrode with a coating needs "
                      "its loading",
                      name);
        double t = c->loading_kg_m2 / (c->density_kg_m3 * (1.0 - c->porosity));
        if (!(t > 0.0 && t <= MAX_THICKNESS_M))
            LMB__FAIL(ctx, LMB_ERANGE,
                      "%s.coating: thickness = loading / (density (1 - porosity)) = %g um "
                      "is out of range (must be > 0 um and <= %g um)",
                      name, t * 1e6, MAX_THICKNESS_M * 1e6);
        c->thickness_m = t;
    }
    lmb_lfp_params *l = &p->lfp;
    l->thickness_m = 0.0;
    if (p->type == LMB_CELL_LI_LFP) {
        double a = l->active_mass_fraction, c = l->carbon_mass_fraction;
        if (a + c > 1.0 + BOUND_SLACK) {
            char as[40], cs[40];
            lmb__fmt_num(as, sizeof as, a);
            lmb__fmt_num(cs, sizeof cs, c);
            LMB__FAIL(ctx, LMB_ERANGE,
                      "lfp.active_mass_fraction = %s and lfp.carbon_mass_fraction = %s add up to "
                      "%g > 1 (the binder is the rest of the electrode's mass)",
                      as, cs, a + c);
        }
        double t = lfp_thickness(l);
        if (!(t > 0.0 && t <= MAX_THICKNESS_M))
            LMB__FAIL(ctx, LMB_ERANGE,
                      "lfp: thickness = solid volume / (1 - porosity) = %g um is out of range "
                      "(must be > 0 um and <= %g um)",
                      t * 1e6, MAX_THICKNESS_M * 1e6);
        l->thickness_m = t;
        l->active_volume_fraction = l->loading_kg_m2 / l->density_kg_m3 / t;
    } else if (p->type == LMB_CELL_LI_POROUS) {
        if (l->porosity + l->active_volume_fraction > 1.0 + BOUND_SLACK) {
            char es[40], as[40];
            lmb__fmt_num(es, sizeof es, l->porosity);
            lmb__fmt_num(as, sizeof as, l->active_volume_fraction);
            LMB__FAIL(ctx, LMB_ERANGE,
                      "porous.porosity = %s and porous.active_fraction = %s add up to %g > 1 (the "
                      "inert filler is the rest of the volume)",
                      es, as, l->porosity + l->active_volume_fraction);
        }
        l->thickness_m = l->given_thickness_m;
        l->accessible_fraction = 1.0;
    }
    /* tables must cover the initial state and suit their interpolation */
    for (int i = 0; i < N_PROPS; i++) {
        if (!group_in_type(p, k_props[i].group, LMB__SCOPE_CELL))
            continue;
        int ocv = k_props[i].id == LMB__PROP_OCV;
        const char *x0_what = !ocv ? "the initial concentration, electrolyte.concentration"
                              : p->type == LMB_CELL_LI_POROUS
                                  ? "the initial stoichiometry, porous.initial_stoichiometry"
                                  : "the initial Li fraction, lfp.initial_li_fraction";
        lmb_status st = check_table(ctx, prop_field_c(p, i), k_props[i].key,
                                    ocv ? l->initial_x : p->electrolyte.c0_mol_m3, x0_what);
        if (st != LMB_OK)
            return st;
    }
    /* the electrolyte must at least fill the pores it starts in */
    double pores =
        s->thickness_m * s->porosity + p->neg.coating.thickness_m * p->neg.coating.porosity +
        p->pos.coating.thickness_m * p->pos.coating.porosity + l->thickness_m * l->porosity;
    if (p->electrolyte.volume_m3 < pores * p->area_m2)
        LMB__FAIL(ctx, LMB_ERANGE,
                  "electrolyte.volume_uL = %g cannot fill the pores of the separator, coatings "
                  "and porous electrode (%g uL on %g cm2)",
                  p->electrolyte.volume_m3 * 1e9, pores * p->area_m2 * 1e9, p->area_m2 * 1e4);
    return LMB_OK;
}

/* ---- the cell object ---- */

lmb_status lmb__cell_new(lmb_ctx *ctx, const char *origin, lmb_cell **out) {
    if (!out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_cell: NULL output pointer");
    *out = NULL;
    lmb_cell *c = calloc(1, sizeof *c);
    if (!c)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for a cell");
    c->origin = dup_str(origin ? origin : "");
    if (!c->origin) {
        free(c);
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for a cell");
    }
    lmb__params_defaults(&c->p);
    *out = c;
    return LMB_OK;
}

lmb_status lmb_cell_create_default(lmb_ctx *ctx, lmb_cell **out) {
    return lmb__cell_new(ctx, "default", out);
}

void lmb_cell_free(lmb_cell *cell) {
    if (!cell)
        return;
    for (int i = 0; i < N_ROWS; i++)
        prov_clear(&cell->prov[i]);
    for (int i = 0; i < N_PROPS; i++) {
        prov_clear(&cell->prop_prov[i]);
        prop_table_drop(cell, i);
    }
    free(cell->origin);
    free(cell);
}

lmb_status lmb_cell_copy(lmb_ctx *ctx, const lmb_cell *src, lmb_cell **out) {
    if (!src || !out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_cell_copy: NULL argument");
    lmb_status st = lmb__cell_new(ctx, src->origin, out);
    if (st != LMB_OK)
        return st;
    lmb_cell *c = *out;
    c->p = src->p;
    for (int i = 0; i < N_ROWS; i++) {
        st = prov_set(ctx, &c->prov[i], src->prov[i].source, src->prov[i].fitted_to,
                      src->prov[i].given);
        if (st != LMB_OK)
            break;
    }
    for (int i = 0; i < N_PROPS && st == LMB_OK; i++) {
        st = prov_set(ctx, &c->prop_prov[i], src->prop_prov[i].source, src->prop_prov[i].fitted_to,
                      src->prop_prov[i].given);
        lmb_prop *pr = prop_field(&c->p, i);
        if (st == LMB_OK && src->prop_table[i]) {
            /* the copy's own table, and its parameters pointing at it */
            c->prop_table[i] = calloc(1, sizeof *c->prop_table[i]);
            st = c->prop_table[i]
                     ? lmb__table_copy(ctx, src->prop_table[i], c->prop_table[i])
                     : lmb__ctx_fail(ctx, LMB_ENOMEM, "out of memory copying the table of %s",
                                     k_props[i].key);
            if (st == LMB_OK && pr->table == src->prop_table[i])
                pr->table = c->prop_table[i];
        }
    }
    if (st != LMB_OK) {
        lmb_cell_free(c);
        *out = NULL;
    }
    return st;
}

const char *lmb_cell_name(const lmb_cell *cell) {
    if (!cell)
        return "";
    return cell->p.name[0] ? cell->p.name : cell->origin;
}

const lmb_params *lmb__cell_params(const lmb_cell *cell) {
    return cell ? &cell->p : NULL;
}

lmb_params *lmb__cell_params_mut(lmb_cell *cell) {
    return cell ? &cell->p : NULL;
}

lmb_status lmb_cell_set(lmb_ctx *ctx, lmb_cell *cell, const char *key, double value) {
    if (!cell || !key)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_cell_set: NULL argument");
    int row;
    const lmb_unit *u;
    lmb_status st = lmb__schema_resolve(ctx, key, &row, &u);
    if (st != LMB_OK)
        return st;
    char shown[200];
    lmb__escape(shown, sizeof shown, key);
    if ((st = check_in_type(ctx, &cell->p, &k_rows[row], shown)) != LMB_OK)
        return st;
    if ((st = check_range(ctx, &k_rows[row], value, u, shown)) != LMB_OK)
        return st;
    /* write into a copy, so that a failed cross-check leaves the cell as it was */
    lmb_params tmp = cell->p;
    int t[2];
    int nt = row_targets(&tmp, row, t);
    for (int k = 0; k < nt; k++) {
        write_field(&tmp, &k_rows[t[k]], lmb_unit_to_si(u, value));
        if (k_rows[t[k]].group == LMB__GROUP_COATING)
            coating_of(&tmp, &k_rows[t[k]])->present = 1;
    }
    if ((st = lmb__params_finish(ctx, &tmp)) != LMB_OK)
        return st;
    for (int k = 0; k < nt; k++)
        if ((st = prov_set(ctx, &cell->prov[t[k]], NULL, NULL, LMB__GIVEN_OWN)) != LMB_OK)
            return st;
    cell->p = tmp;
    int pi = lmb__prop_index(k_rows[row].key);
    if (pi >= 0)
        prop_to_number(cell, pi);
    return LMB_OK;
}

lmb_status lmb_cell_get(lmb_ctx *ctx, const lmb_cell *cell, const char *key, double *value) {
    if (!cell || !key || !value)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_cell_get: NULL argument");
    int row;
    const lmb_unit *u;
    lmb_status st = lmb__schema_resolve(ctx, key, &row, &u);
    if (st != LMB_OK)
        return st;
    char shown[200];
    lmb__escape(shown, sizeof shown, key);
    if ((st = check_in_type(ctx, &cell->p, &k_rows[row], shown)) != LMB_OK)
        return st;
    int t[2];
    int nt = row_targets(&cell->p, row, t);
    double si = read_field(&cell->p, &k_rows[t[0]]);
    if (nt == 2 && read_field(&cell->p, &k_rows[t[1]]) != si)
        LMB__FAIL(ctx, LMB_EINVAL, "%s differs between the two electrodes: ask for %s or %s",
                  k_rows[row].key, k_rows[t[0]].key, k_rows[t[1]].key);
    *value = tidy(lmb_unit_from_si(u, si));
    return LMB_OK;
}

static void fill_info(const lmb__param_row *r, double si, lmb_param_info *out) {
    const lmb_unit *du = row_unit(r);
    memset(out, 0, sizeof *out);
    out->key = r->key;
    out->unit = r->unit;
    out->value_si = si;
    out->value = isnan(si) ? si : tidy(lmb_unit_from_si(du, si));
    out->si_unit = lmb_dim_si_name(r->dim);
    out->min = r->min;
    out->max = r->max;
    out->min_open = r->min_open;
    out->max_open = r->max_open;
    out->description = r->description;
    out->source = "";
    out->fitted_to = "";
    out->is_default = 1;
}

void lmb__cell_ocv_provenance(const lmb_cell *cell, const char **source, const char **fitted_to,
                              int *is_default) {
    int i = cell && cell->p.type == LMB_CELL_LI_POROUS ? lmb__prop_index("porous.ocv")
                                                       : lmb__prop_index("lfp.ocv");
    lmb__cell_prop_info(cell, i, NULL, source, fitted_to, is_default);
}

int lmb_cell_param_count(const lmb_cell *cell) {
    if (!cell)
        return 0;
    int n = 0;
    for (int i = 0; i < N_ROWS; i++)
        n += row_active(&cell->p, &k_rows[i]);
    return n;
}

lmb_status lmb_cell_param_at(const lmb_cell *cell, int i, lmb_param_info *out) {
    if (!cell || !out || i < 0)
        return LMB_EINVAL;
    for (int r = 0; r < N_ROWS; r++) {
        if (!row_active(&cell->p, &k_rows[r]) || i-- > 0)
            continue;
        fill_info(&k_rows[r], read_field(&cell->p, &k_rows[r]), out);
        const lmb__prov *pv = &cell->prov[r];
        out->source = pv->source ? pv->source : "";
        out->fitted_to = pv->fitted_to ? pv->fitted_to : "";
        out->is_default = pv->given == LMB__GIVEN_NONE;
        return LMB_OK;
    }
    return LMB_EINVAL;
}

/* The schema as a cell file sees it: every row but the resolved negative.* / positive.*. */
static int schema_row_listed(const lmb__param_row *r) {
    return r->scope == LMB__SCOPE_CELL || r->scope == LMB__SCOPE_ELECTRODES;
}

int lmb_cell_schema_count(void) {
    int n = 0;
    for (int i = 0; i < N_ROWS; i++)
        n += schema_row_listed(&k_rows[i]);
    return n;
}

lmb_status lmb_cell_schema_at(int i, lmb_param_info *out) {
    if (!out || i < 0)
        return LMB_EINVAL;
    for (int r = 0; r < N_ROWS; r++) {
        if (!schema_row_listed(&k_rows[r]) || i-- > 0)
            continue;
        const lmb__param_row *row = &k_rows[r];
        fill_info(row, isnan(row->def) ? NAN : lmb_unit_to_si(row_unit(row), row->def), out);
        out->value = row->def; /* exactly as written in the table */
        return LMB_OK;
    }
    return LMB_EINVAL;
}
