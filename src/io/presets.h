/*
 * presets.h - the built-in cell presets, generated at build time from presets/<type>/<name>.json
 * by cmake/embed_files.cmake. A preset is selected by "<type>:<name>" (e.g. "li-li:bare")
 * wherever a cell file path is accepted.
 */
#ifndef LMB_IO_PRESETS_H
#define LMB_IO_PRESETS_H

typedef struct lmb__preset {
    const char *name; /* "li-li:bare" */
    const char *path; /* "presets/li-li/bare.json", for messages */
    const char *json; /* the file's text */
} lmb__preset;

extern const lmb__preset lmb__presets[];
extern const int lmb__presets_count;

/* The protocol files of protocols/ ("li-li-1mA" for protocols/li-li-1mA.txt), the same entry
 * type; lmb_protocol_load() takes "protocol:<name>" for them. */
extern const lmb__preset lmb__protocol_files[];
extern const int lmb__protocol_files_count;

/* Data files of the presets (CSV files under presets/, e.g. an OCV table a preset reads), by path
 * ("presets/li-li:..." keys are unused): a preset's table path resolves among these. */
extern const lmb__preset lmb__preset_tables[];
extern const int lmb__preset_tables_count;

/* The preset called name ("li-li:bare"), or NULL (cell_json.c). */
const lmb__preset *lmb__preset_named(const char *name);
/* The built-in table file at path ("presets/li-licoo2/licoo2_ocv.csv"), or NULL. */
const lmb__preset *lmb__preset_table(const char *path);

#endif
