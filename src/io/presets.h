/*
 * presets.h - the built-in cell presets, generated at build time from presets/<type>/<name>.json
 * by cmake/embed_presets.cmake. A preset is selected by "<type>:<name>" (e.g. "li-li:bare")
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
extern const int lmb__preset_count;

#endif
