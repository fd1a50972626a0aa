/* SPDX-License-Identifier: MIT */
/* policy_lex.c: the policy file's lexer.
 *
 * A cursor walks the bytes keeping line and column. '#' outside quotes
 * starts a comment. An entry is a line that begins in column 1 with a token,
 * plus the following lines that begin with a space or tab (continuations).
 * Tokens are separated by blanks: a bare word (printable, no '"' or '#'), a
 * "quoted string" (\" and \\ escapes, one line), or key=value where the
 * value may be quoted. Tokens point into the text (no copy). */
#include <string.h>

#include "policy_internal.h"

static int peek(const fr_plexer *lx)
{
    return lx->pos < lx->len ? (unsigned char)lx->s[lx->pos] : -1;
}

static void adv(fr_plexer *lx)
{
    if (lx->s[lx->pos] == '\n') {
        lx->line++;
        lx->col = 1;
    } else {
        lx->col++;
    }
    lx->pos++;
}

static void skip_to_eol(fr_plexer *lx)
{
    while (peek(lx) != -1 && peek(lx) != '\n')
        adv(lx);
}

static int is_blank(int c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* A quoted string starting at the '"'; on success val points after the
 * quote and val_len excludes the closing quote. */
static int lex_quoted(fr_plexer *lx, fr_ptok *t, fr_pdiag *d)
{
    int line = lx->line, col = lx->col;
    adv(lx);
    size_t start = lx->pos;
    for (;;) {
        int c = peek(lx);
        if (c == -1 || c == '\n') {
            fr__pdiag_add(d, FR_EPARSE, line, col, "",
                          "this quoted text is not closed; add a '\"' before the end of the line");
            return -1;
        }
        if (c == '\\') {
            adv(lx);
            c = peek(lx);
            if (c != '"' && c != '\\') {
                fr__pdiag_add(d, FR_EPARSE, lx->line, lx->col, "",
                              "only \\\" and \\\\ may follow a backslash in quoted text");
                return -1;
            }
            adv(lx);
            continue;
        }
        if (c == '"') break;
        if (c < 0x20 && c != '\t') {
            fr__pdiag_add(d, FR_EPARSE, lx->line, lx->col, "",
                          "control character in quoted text; remove it");
            return -1;
        }
        adv(lx);
    }
    t->val = lx->s + start;
    t->val_len = lx->pos - start;
    t->quoted = 1;
    adv(lx); /* closing quote */
    if (t->val_len > FR_POLICY_MAX_TOKEN) {
        fr__pdiag_add(d, FR_ELIMIT, line, col, "", "quoted text longer than %d bytes; shorten it",
                      FR_POLICY_MAX_TOKEN);
        return -1;
    }
    return 0;
}

static int word_char(int c)
{
    return c > 0x20 && c != 0x7f && c != '"' && c != '#' && c != '=';
}

static int lex_token(fr_plexer *lx, fr_ptok *t, fr_pdiag *d)
{
    memset(t, 0, sizeof *t);
    t->line = t->val_line = lx->line;
    t->col = t->val_col = lx->col;
    if (peek(lx) == '"') return lex_quoted(lx, t, d);
    size_t start = lx->pos;
    while (word_char(peek(lx)))
        adv(lx);
    if (peek(lx) == '=') {
        t->key = lx->s + start;
        t->key_len = lx->pos - start;
        if (t->key_len == 0) {
            fr__pdiag_add(d, FR_EPARSE, lx->line, lx->col, "",
                          "'=' without a key before it; write key=value");
            adv(lx);
            return -1;
        }
        adv(lx);
        t->val_line = lx->line;
        t->val_col = lx->col;
        if (peek(lx) == '"') {
            if (lex_quoted(lx, t, d)) return -1;
        } else {
            size_t vs = lx->pos;
            while (word_char(peek(lx)))
                adv(lx);
            t->val = lx->s + vs;
            t->val_len = lx->pos - vs;
        }
    } else {
        t->val = lx->s + start;
        t->val_len = lx->pos - start;
    }
    int c = peek(lx);
    if (c != -1 && !is_blank(c) && c != '\n' && c != '#') {
        fr__pdiag_add(
            d, FR_EPARSE, lx->line, lx->col, "",
            c < 0x20 || c == 0x7f
                ? "control character; remove it"
                : "unexpected character here; put a space between tokens or quote the text");
        skip_to_eol(lx);
        return -1;
    }
    if (t->val_len > FR_POLICY_MAX_TOKEN || t->key_len > 64) {
        fr__pdiag_add(d, FR_ELIMIT, t->line, t->col, "", "token too long; shorten it");
        return -1;
    }
    return 0;
}

int fr__plex_next(fr_plexer *lx, fr_pentry *e, fr_pdiag *d)
{
    e->ntok = 0;
    int started = 0, bad = 0;
    for (;;) {
        int c = peek(lx);
        if (c == -1) return started;
        if (lx->col == 1) {
            /* a new line: blank/comment lines are skipped, an indented line
             * continues the entry, a line starting in column 1 begins one */
            size_t p = lx->pos;
            while (p < lx->len && is_blank((unsigned char)lx->s[p]))
                p++;
            int empty = p == lx->len || lx->s[p] == '\n' || lx->s[p] == '#';
            if (empty) {
                skip_to_eol(lx);
                if (peek(lx) == '\n') adv(lx);
                continue;
            }
            if (!is_blank(c)) {
                if (started) return 1;
                started = 1;
            } else if (!started) {
                while (is_blank(peek(lx)))
                    adv(lx);
                fr__pdiag_add(d, FR_EPARSE, lx->line, lx->col, "",
                              "indented line with no entry to continue; start entries in column 1");
                skip_to_eol(lx);
                continue;
            }
        }
        c = peek(lx);
        if (is_blank(c)) {
            adv(lx);
            continue;
        }
        if (c == '\n') {
            adv(lx);
            continue;
        }
        if (c == '#') {
            skip_to_eol(lx);
            continue;
        }
        if (bad) { /* the rest of a bad entry's line is skipped */
            skip_to_eol(lx);
            continue;
        }
        if (e->ntok == FR_POLICY_MAX_TOKENS) {
            fr__pdiag_add(d, FR_ELIMIT, lx->line, lx->col, "",
                          "more than %d tokens in one entry; split it", FR_POLICY_MAX_TOKENS);
            bad = 1;
            continue;
        }
        if (lex_token(lx, &e->tok[e->ntok], d) != 0) {
            bad = 1;
            e->ntok = 0;
            continue;
        }
        e->ntok++;
    }
}
