/*
 * text.c - reading whole files, lines, fields and numbers for the instrument readers (text.h).
 */
#include "io/text.h"

#include "core/ctx_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

lmb_status lmb__read_whole_file(lmb_ctx *ctx, const char *path, size_t max_bytes, const char *what,
                                char **buf, size_t *len) {
    *buf = NULL;
    *len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        LMB__FAIL(ctx, LMB_EIO, "%.400s: cannot open: %s", path, strerror(errno));
    size_t cap = 65536, n = 0;
    char *b = malloc(cap + 1);
    if (!b) {
        fclose(fp);
        LMB__FAIL(ctx, LMB_ENOMEM, "%.400s: out of memory", path);
    }
    for (;;) {
        if (n == cap) {
            if (cap >= max_bytes) {
                free(b);
                fclose(fp);
                LMB__FAIL(ctx, LMB_EPARSE, "%.400s: larger than %zu bytes, not %s", path, max_bytes,
                          what);
            }
            cap *= 2;
            char *nb = realloc(b, cap + 1);
            if (!nb) {
                free(b);
                fclose(fp);
                LMB__FAIL(ctx, LMB_ENOMEM, "%.400s: out of memory", path);
            }
            b = nb;
        }
        size_t got = fread(b + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    int err = ferror(fp);
    fclose(fp);
    if (err) {
        free(b);
        LMB__FAIL(ctx, LMB_EIO, "%.400s: read error", path);
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return LMB_OK;
}

char *lmb__next_line(char **pos, char *end) {
    if (*pos >= end)
        return NULL;
    char *s = *pos;
    char *nl = memchr(s, '\n', (size_t)(end - s));
    char *e = nl ? nl : end;
    *pos = nl ? nl + 1 : end;
    *e = '\0';
    if (e > s && e[-1] == '\r')
        e[-1] = '\0';
    return s;
}

int lmb__is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

char *lmb__trim(char *s) {
    while (lmb__is_blank(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && lmb__is_blank(s[n - 1]))
        s[--n] = '\0';
    return s;
}

int lmb__parse_number(char *s, int decimal_comma, double *x) {
    s = lmb__trim(s);
    if (*s == '\0')
        return 0;
    if (decimal_comma) {
        char *c = strchr(s, ',');
        if (c && !strchr(c + 1, ',') && !strchr(s, '.'))
            *c = '.';
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0')
        return 0;
    *x = v;
    return 1;
}

int lmb__split_at(char *s, char sep, char **fields, int max) {
    int nf = 0;
    while (nf < max) {
        fields[nf++] = s;
        char *c = strchr(s, sep);
        if (!c)
            break;
        *c = '\0';
        s = c + 1;
    }
    for (int k = 0; k < nf; k++)
        fields[k] = lmb__trim(fields[k]);
    return nf;
}

int lmb__split_tabs(char *s, char **fields, int max) {
    int nf = lmb__split_at(s, '\t', fields, max);
    if (nf > 0 && *fields[nf - 1] == '\0')
        nf--;
    return nf;
}

int lmb__split_blanks(char *s, char **fields, int max) {
    int nf = 0;
    while (*s && nf < max) {
        while (lmb__is_blank(*s))
            s++;
        if (!*s)
            break;
        fields[nf++] = s;
        while (*s && !lmb__is_blank(*s))
            s++;
        if (*s)
            *s++ = '\0';
    }
    return nf;
}
