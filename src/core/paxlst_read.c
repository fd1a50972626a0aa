/* SPDX-License-Identifier: MIT */
/* paxlst_read.c: the meaning of PAXLST segments (docs/paxlst.md).
 *
 * One pass over the segments of paxlst_lex.c. The service segments
 * (UNB/UNG/UNH ... UNT/UNE/UNZ) open and close the interchange, group and
 * message and are checked against each other: counts and references. In a
 * message, TDT opens a leg (LOC+125/87 or a pair of LOC+92 set its ends,
 * DTM+189/232 its times; a further LOC on a full leg opens the next one of
 * the same flight), NAD+FL/FM/DDU/DDT opens a person that ATT, DTM+329,
 * NAT, LOC+174/178/179 and DOC fill, and a DOC opens a document that
 * DTM+36/182 and LOC+91 fill. The legacy US form's PDT segment is a whole
 * person. CNT is compared with the persons counted when the message ends.
 *
 * Findings raised outside a message wait for the next message of the
 * interchange (UNB problems) or go to its last one (UNE/UNZ problems). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "paxlst_internal.h"

#define MAX_PENDING 8

enum { CTX_HEADER, CTX_PERSON, CTX_DOC };
enum { DATE_TRANSPORT, DATE_PAST, DATE_EXPIRY };

typedef struct reader {
    const fr_paxlst_options *opt;
    size_t max_persons;
    pax_lexer lx;
    pax_segment seg;
    fr_paxlst *out;
    size_t cap_msgs;
    int oom;
    /* interchange */
    int in_ichg;
    char syntax[8], sender[40], recipient[40], control_ref[16];
    fr_paxlst_time prepared;
    long ichg_msgs, ichg_groups;
    long last; /* index of the interchange's last closed message, -1 */
    /* group */
    int in_group;
    char group_ref[16];
    long group_msgs;
    /* message */
    long cur; /* index of the open message, -1 */
    long msg_segs;
    int ctx;
    size_t cap_persons, cap_legs;
    int persons_limited;
    int legacy;
    char cnt_qual[8];
    long cnt_value;
    int have_cnt;
    long cnt_seg;
    int cnt_line, cnt_col;
    fr_paxlst_finding pending[MAX_PENDING];
    size_t npending;
    int spaces_reported;
    int charset_reported; /* in the open message */
    int after_unz;        /* an interchange has ended and no other has begun */
    int stop;             /* text after UNZ that is not another interchange */
} reader;

const char *fr_paxlst_severity_name(fr_paxlst_severity s)
{
    return s == FR_PAXLST_WARNING ? "warning" : "error";
}

const char *fr_paxlst_role_name(fr_paxlst_role r)
{
    switch (r) {
    case FR_PAXLST_FM:
        return "FM";
    case FR_PAXLST_DDU:
        return "DDU";
    case FR_PAXLST_DDT:
        return "DDT";
    default:
        return "FL";
    }
}

char *fr_paxlst_time_format(const fr_paxlst_time *t, char buf[FR_PAXLST_TIME_BUFSZ])
{
    buf[0] = '\0';
    if (t->date == FR_DATE_NONE) return buf;
    fr_date_format(t->date, buf); /* 10 characters */
    if (t->minute >= 0) {
        int h = (t->minute / 60) % 24, m = t->minute % 60;
        char *p = buf + strlen(buf);
        p[0] = 'T';
        p[1] = (char)('0' + h / 10);
        p[2] = (char)('0' + h % 10);
        p[3] = ':';
        p[4] = (char)('0' + m / 10);
        p[5] = (char)('0' + m % 10);
        p[6] = '\0';
    }
    return buf;
}

static fr_paxlst_message *cur_msg(reader *r)
{
    return r->cur >= 0 ? &r->out->messages[r->cur] : NULL;
}

static void add_to(fr_paxlst_message *m, const fr_paxlst_finding *f)
{
    if (f->severity == FR_PAXLST_ERROR) {
        m->nerrors++;
        m->valid = 0;
    } else {
        m->nwarnings++;
    }
    if (m->nfindings < FR_PAXLST_MAX_FINDINGS)
        m->findings[m->nfindings++] = *f;
    else
        m->findings_overflow = 1;
}

static void finding_at(reader *r, fr_paxlst_severity sev, const char *code, long segment, int line,
                       int column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

static void finding_at(reader *r, fr_paxlst_severity sev, const char *code, long segment, int line,
                       int column, const char *fmt, ...)
{
    fr_paxlst_finding f;
    memset(&f, 0, sizeof f);
    snprintf(f.code, sizeof f.code, "%s", code);
    f.severity = sev;
    f.segment = segment;
    f.line = line;
    f.column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f.message, sizeof f.message, fmt, ap);
    va_end(ap);
    fr_paxlst_message *m = cur_msg(r);
    if (!m && r->last >= 0) m = &r->out->messages[r->last];
    if (m) {
        add_to(m, &f);
    } else if (r->npending < MAX_PENDING) {
        r->pending[r->npending++] = f;
    }
}

/* A finding about the current segment, located at its tag. */
#define SEG_FINDING(r, sev, code, ...)                                                             \
    finding_at((r), (sev), (code), (r)->seg.number, (r)->seg.line, (r)->seg.column, __VA_ARGS__)

static void copy_val(reader *r, char *dst, size_t cap, pax_slice v, const char *what)
{
    if (fr__pax_copy(dst, cap, v, r->lx.release, r->lx.cs))
        SEG_FINDING(r, FR_PAXLST_WARNING, "value.long",
                    "The %s in %s is longer than %zu bytes; it was cut.", what, r->seg.tag,
                    cap - 1);
}

/* A slice for a message: at most cap-1 bytes, printable ASCII, others '?'. */
static const char *show(pax_slice v, char *buf, size_t cap)
{
    size_t n = v.n < cap - 1 ? v.n : cap - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v.p[i];
        buf[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    buf[n] = '\0';
    return buf;
}

/* A character for a message: 'c' when printable, else its byte value. */
static const char *show_char(char c, char *buf, size_t cap)
{
    unsigned char u = (unsigned char)c;
    if (u >= 0x20 && u < 0x7f)
        snprintf(buf, cap, "'%c'", c);
    else
        snprintf(buf, cap, "byte 0x%02X", u);
    return buf;
}

static int digits(pax_slice v, size_t off, size_t n, int *out)
{
    int x = 0;
    if (off + n > v.n) return 0;
    for (size_t i = off; i < off + n; i++) {
        if (v.p[i] < '0' || v.p[i] > '9') return 0;
        x = x * 10 + (v.p[i] - '0');
    }
    *out = x;
    return 1;
}

/* Place a two-digit year: transport dates in this century; birth and issue
 * dates not after the preparation date; expiry dates at most 30 years after
 * it (else the previous century). */
static int full_year(const reader *r, int yy, int mm, int dd, int kind)
{
    int y = 2000 + yy;
    if (kind == DATE_TRANSPORT) return y;
    fr_date ref = r->prepared.date;
    if (ref == FR_DATE_NONE) {
        if (kind == DATE_PAST) return yy <= 30 ? y : 1900 + yy;
        return y;
    }
    int ry, rm, rd;
    fr_date_to_ymd(ref, &ry, &rm, &rd);
    if (kind == DATE_PAST) {
        fr_date d;
        if (fr_date_from_ymd(y, mm, dd, &d) != FR_OK || d > ref) return 1900 + yy;
        return y;
    }
    return y > ry + 30 ? 1900 + yy : y;
}

/* Read a date (and time) of n digits in value v: 6 YYMMDD, 8 CCYYMMDD, 10
 * YYMMDDHHMM, 12 CCYYMMDDHHMM. 0 ok, -1 invalid, -2 empty. */
static int parse_when(const reader *r, pax_slice v, int kind, fr_paxlst_time *out)
{
    int y, mo, d, hh = -1, mi = -1;
    out->date = FR_DATE_NONE;
    out->minute = -1;
    if (v.n == 0) return -2;
    size_t n = v.n;
    if (n == 6 || n == 10) {
        if (!digits(v, 0, 2, &y) || !digits(v, 2, 2, &mo) || !digits(v, 4, 2, &d)) return -1;
        if (n == 10 && (!digits(v, 6, 2, &hh) || !digits(v, 8, 2, &mi))) return -1;
        y = full_year(r, y, mo, d, kind);
    } else if (n == 8 || n == 12) {
        if (!digits(v, 0, 4, &y) || !digits(v, 4, 2, &mo) || !digits(v, 6, 2, &d)) return -1;
        if (n == 12 && (!digits(v, 8, 2, &hh) || !digits(v, 10, 2, &mi))) return -1;
    } else {
        return -1;
    }
    if (fr_date_from_ymd(y, mo, d, &out->date) != FR_OK) {
        out->date = FR_DATE_NONE;
        return -1;
    }
    if (hh >= 0) {
        if (hh > 23 || mi > 59) {
            out->date = FR_DATE_NONE;
            return -1;
        }
        out->minute = hh * 60 + mi;
    }
    return 0;
}

static int date_or_finding(reader *r, pax_slice v, int kind, fr_paxlst_time *out, const char *qual)
{
    char sh[24];
    int rc = parse_when(r, v, kind, out);
    if (rc == -2)
        SEG_FINDING(r, FR_PAXLST_WARNING, "date.empty",
                    "DTM+%s has no date; the date is left empty.", qual);
    else if (rc == -1)
        SEG_FINDING(r, FR_PAXLST_WARNING, "date.invalid",
                    "DTM+%s holds '%s', which is not a valid date (YYMMDD, CCYYMMDD, "
                    "YYMMDDHHMM or CCYYMMDDHHMM); the date is left empty.",
                    qual, show(v, sh, sizeof sh));
    return rc;
}

static int grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 8;
    while (nc < need)
        nc *= 2;
    void *p = fr_realloc(*arr, nc * size);
    if (!p) return -1;
    *arr = p;
    *cap = nc;
    return 0;
}

static void open_message(reader *r)
{
    if (grow((void **)&r->out->messages, &r->cap_msgs, r->out->nmessages + 1,
             sizeof(fr_paxlst_message))) {
        r->oom = 1;
        return;
    }
    fr_paxlst_message *m = &r->out->messages[r->out->nmessages];
    memset(m, 0, sizeof *m);
    m->valid = 1;
    memcpy(m->syntax, r->syntax, sizeof m->syntax);
    memcpy(m->sender, r->sender, sizeof m->sender);
    memcpy(m->recipient, r->recipient, sizeof m->recipient);
    memcpy(m->control_ref, r->control_ref, sizeof m->control_ref);
    m->prepared = r->prepared;
    r->cur = (long)r->out->nmessages++;
    for (size_t i = 0; i < r->npending; i++)
        add_to(m, &r->pending[i]);
    r->npending = 0;
    r->msg_segs = 0;
    r->ctx = CTX_HEADER;
    r->cap_persons = r->cap_legs = 0;
    r->persons_limited = 0;
    r->legacy = 0;
    r->have_cnt = 0;
    r->charset_reported = 0;
}

static size_t count_roles(const fr_paxlst_message *m, int crew)
{
    size_t n = 0;
    for (size_t i = 0; i < m->npersons; i++) {
        int is_crew = m->persons[i].role == FR_PAXLST_FM || m->persons[i].role == FR_PAXLST_DDT;
        if (is_crew == crew) n++;
    }
    return n;
}

static void check_cnt(reader *r, fr_paxlst_message *m)
{
    if (!r->have_cnt || !m->has_header || strcmp(m->type, "PAXLST") != 0) return;
    int crew = strcmp(r->cnt_qual, "41") == 0;
    if (!crew && strcmp(r->cnt_qual, "42") != 0) {
        finding_at(r, FR_PAXLST_WARNING, "cnt.qualifier", r->cnt_seg, r->cnt_line, r->cnt_col,
                   "CNT qualifier '%s' is neither 41 (crew members) nor 42 (passengers); the "
                   "total was not checked.",
                   r->cnt_qual);
        return;
    }
    size_t have = count_roles(m, crew);
    if (r->cnt_value >= 0 && (size_t)r->cnt_value != have)
        finding_at(r, FR_PAXLST_ERROR, "cnt.total", r->cnt_seg, r->cnt_line, r->cnt_col,
                   crew ? "CNT+41 gives %ld crew members but the message lists %zu crew members "
                          "(and %zu passengers)."
                        : "CNT+42 gives %ld passengers but the message lists %zu passengers "
                          "(and %zu crew members).",
                   r->cnt_value, have, count_roles(m, !crew));
}

/* End the open message: at UNT, or (unterminated) at UNH/UNE/UNZ/end. */
static void close_message(reader *r)
{
    fr_paxlst_message *m = cur_msg(r);
    if (!m) return;
    check_cnt(r, m);
    for (size_t i = 0; i < m->nlegs; i++)
        if (!m->legs[i].from[0] || !m->legs[i].to[0])
            finding_at(r, FR_PAXLST_WARNING, "leg.incomplete", m->segment, m->line, 1,
                       "Leg %zu (flight %s) has no %s airport (LOC+125/LOC+87 or a pair of "
                       "LOC+92).",
                       i + 1, m->legs[i].flight[0] ? m->legs[i].flight : "unnamed",
                       m->legs[i].from[0] ? "arrival" : "departure");
    r->last = r->cur;
    r->cur = -1;
    r->ichg_msgs++;
    if (r->in_group) r->group_msgs++;
}

static long to_long(pax_slice v)
{
    int x;
    long n = 0;
    if (v.n == 0 || v.n > 9) return -1;
    for (size_t i = 0; i < v.n; i++) {
        if (!digits(v, i, 1, &x)) return -1;
        n = n * 10 + x;
    }
    return n;
}

static void on_unb(reader *r)
{
    const pax_segment *s = &r->seg;
    if (r->in_ichg)
        SEG_FINDING(r, FR_PAXLST_ERROR, "unz.missing",
                    "A new interchange (UNB) starts before the previous one ended with UNZ.");
    r->in_ichg = 1;
    r->ichg_msgs = r->ichg_groups = 0;
    r->last = -1;
    pax_slice syn = fr__pax_get(s, 1, 0);
    fr__pax_lex_charset(&r->lx, syn.p, syn.n);
    copy_val(r, r->syntax, sizeof r->syntax, syn, "syntax identifier");
    if (r->lx.cs == PAX_CS_UNKNOWN)
        SEG_FINDING(r, FR_PAXLST_WARNING, "unb.syntax",
                    "UNB syntax identifier '%s' is not UNOA, UNOB, UNOC, UNOW or UNOY; the "
                    "character set is not checked.",
                    r->syntax);
    copy_val(r, r->sender, sizeof r->sender, fr__pax_get(s, 2, 0), "sender");
    copy_val(r, r->recipient, sizeof r->recipient, fr__pax_get(s, 3, 0), "recipient");
    pax_slice d = fr__pax_get(s, 4, 0), t = fr__pax_get(s, 4, 1);
    char sh[16];
    r->prepared.date = FR_DATE_NONE;
    r->prepared.minute = -1;
    if (parse_when(r, d, DATE_TRANSPORT, &r->prepared) != 0) {
        SEG_FINDING(r, FR_PAXLST_WARNING, "unb.date",
                    "UNB preparation date '%s' is not YYMMDD or CCYYMMDD; two-digit years "
                    "are read without it.",
                    show(d, sh, sizeof sh));
    } else {
        int hh, mi;
        if (t.n == 4 && digits(t, 0, 2, &hh) && digits(t, 2, 2, &mi) && hh < 24 && mi < 60)
            r->prepared.minute = hh * 60 + mi;
    }
    copy_val(r, r->control_ref, sizeof r->control_ref, fr__pax_get(s, 5, 0), "control reference");
}

static void on_ung(reader *r)
{
    if (r->in_group)
        SEG_FINDING(r, FR_PAXLST_ERROR, "une.missing",
                    "A new group (UNG) starts before the previous one ended with UNE.");
    r->in_group = 1;
    r->group_msgs = 0;
    r->ichg_groups++;
    copy_val(r, r->group_ref, sizeof r->group_ref, fr__pax_get(&r->seg, 5, 0), "group reference");
}

static void on_une(reader *r)
{
    const pax_segment *s = &r->seg;
    if (!r->in_group) {
        SEG_FINDING(r, FR_PAXLST_ERROR, "une.unexpected",
                    "UNE ends a group that was never opened.");
        return;
    }
    r->in_group = 0;
    long n = to_long(fr__pax_get(s, 1, 0));
    if (n != r->group_msgs)
        SEG_FINDING(r, FR_PAXLST_ERROR, "une.count",
                    "UNE gives %ld messages but the group holds %ld.", n, r->group_msgs);
    char ref[16];
    copy_val(r, ref, sizeof ref, fr__pax_get(s, 2, 0), "group reference");
    if (strcmp(ref, r->group_ref) != 0)
        SEG_FINDING(r, FR_PAXLST_ERROR, "une.reference",
                    "UNE reference '%s' differs from the UNG group reference '%s'.", ref,
                    r->group_ref);
}

static void on_unz(reader *r)
{
    const pax_segment *s = &r->seg;
    if (!r->in_ichg) {
        SEG_FINDING(r, FR_PAXLST_ERROR, "unz.unexpected",
                    "UNZ ends an interchange that was never opened with UNB.");
        return;
    }
    if (r->in_group)
        SEG_FINDING(r, FR_PAXLST_ERROR, "une.missing", "The group (UNG) was not closed with UNE.");
    r->in_ichg = r->in_group = 0;
    r->after_unz = 1;
    long want = r->ichg_groups ? r->ichg_groups : r->ichg_msgs;
    long n = to_long(fr__pax_get(s, 1, 0));
    if (n != want)
        SEG_FINDING(r, FR_PAXLST_ERROR, "unz.count",
                    r->ichg_groups ? "UNZ gives %ld but the interchange holds %ld groups."
                                   : "UNZ gives %ld but the interchange holds %ld messages.",
                    n, want);
    char ref[16];
    copy_val(r, ref, sizeof ref, fr__pax_get(s, 2, 0), "control reference");
    if (strcmp(ref, r->control_ref) != 0)
        SEG_FINDING(r, FR_PAXLST_ERROR, "unz.reference",
                    "UNZ reference '%s' differs from the UNB control reference '%s'.", ref,
                    r->control_ref);
}

static void on_unh(reader *r)
{
    const pax_segment *s = &r->seg;
    if (!r->in_ichg)
        SEG_FINDING(r, FR_PAXLST_ERROR, "unb.missing",
                    "The message starts (UNH) without an interchange header (UNB).");
    open_message(r);
    fr_paxlst_message *m = cur_msg(r);
    if (!m) return;
    m->has_header = 1;
    m->segment = s->number;
    m->line = s->line;
    r->msg_segs = 1;
    copy_val(r, m->ref, sizeof m->ref, fr__pax_get(s, 1, 0), "message reference");
    copy_val(r, m->type, sizeof m->type, fr__pax_get(s, 2, 0), "message type");
    char ver[8], rel[8];
    copy_val(r, ver, sizeof ver, fr__pax_get(s, 2, 1), "message version");
    copy_val(r, rel, sizeof rel, fr__pax_get(s, 2, 2), "message release");
    if (strcmp(ver, "D") == 0)
        snprintf(m->version, sizeof m->version, "D%s", rel);
    else
        snprintf(m->version, sizeof m->version, "%s:%s", ver, rel);
    copy_val(r, m->agency, sizeof m->agency, fr__pax_get(s, 2, 3), "controlling agency");
    r->legacy = strcmp(ver, "D") != 0;
    if (strcmp(m->type, "PAXLST") != 0)
        SEG_FINDING(r, FR_PAXLST_ERROR, "message.not_paxlst",
                    "The message is a %s, not a PAXLST passenger list; nothing is read from it.",
                    m->type[0] ? m->type : "message of no type");
}

static void on_unt(reader *r)
{
    const pax_segment *s = &r->seg;
    fr_paxlst_message *m = cur_msg(r);
    long n = to_long(fr__pax_get(s, 1, 0));
    if (n != r->msg_segs)
        SEG_FINDING(r, FR_PAXLST_ERROR, "unt.count",
                    "UNT gives %ld segments but the message has %ld (UNH to UNT).", n, r->msg_segs);
    char ref[40];
    copy_val(r, ref, sizeof ref, fr__pax_get(s, 2, 0), "message reference");
    if (strcmp(ref, m->ref) != 0)
        SEG_FINDING(r, FR_PAXLST_ERROR, "unt.reference",
                    "UNT reference '%s' differs from the UNH message reference '%s'.", ref, m->ref);
    close_message(r);
}

static fr_paxlst_leg *new_leg(reader *r, fr_paxlst_message *m)
{
    if (grow((void **)&m->legs, &r->cap_legs, m->nlegs + 1, sizeof *m->legs)) {
        r->oom = 1;
        return NULL;
    }
    fr_paxlst_leg *l = &m->legs[m->nlegs++];
    memset(l, 0, sizeof *l);
    l->departure = (fr_paxlst_time){FR_DATE_NONE, -1};
    l->arrival = (fr_paxlst_time){FR_DATE_NONE, -1};
    return l;
}

static fr_paxlst_leg *cur_leg(reader *r, fr_paxlst_message *m, int create)
{
    if (m->nlegs) return &m->legs[m->nlegs - 1];
    return create ? new_leg(r, m) : NULL;
}

/* The same flight again, for the next leg of a TDT (progressive legs). */
static fr_paxlst_leg *next_leg(reader *r, fr_paxlst_message *m)
{
    fr_paxlst_leg prev = m->legs[m->nlegs - 1];
    fr_paxlst_leg *l = new_leg(r, m);
    if (l) {
        memcpy(l->flight, prev.flight, sizeof l->flight);
        memcpy(l->carrier, prev.carrier, sizeof l->carrier);
    }
    return l;
}

static void on_tdt(reader *r, fr_paxlst_message *m)
{
    const pax_segment *s = &r->seg;
    fr_paxlst_leg *l = new_leg(r, m);
    if (!l) return;
    copy_val(r, l->flight, sizeof l->flight, fr__pax_get(s, 2, 0), "flight");
    pax_slice c = fr__pax_get(s, 5, 0);
    if (c.n == 0 && r->legacy) c = fr__pax_get(s, 4, 0);
    if (c.n) {
        copy_val(r, l->carrier, sizeof l->carrier, c, "carrier");
    } else if (strlen(l->flight) > 2) {
        memcpy(l->carrier, l->flight, 2);
        l->carrier[2] = '\0';
    }
}

static void leg_place(reader *r, fr_paxlst_message *m, pax_slice v, int role)
{
    /* role: 0 from (125, 005), 1 to (87, 008), 2 either (92) */
    fr_paxlst_leg *l = cur_leg(r, m, 1);
    if (!l) return;
    if (role == 2) role = l->from[0] == '\0' ? 0 : 1;
    if ((role == 0 && (l->from[0] || l->to[0])) || (role == 1 && l->to[0])) {
        if (role == 0 && !l->to[0]) {
            /* the origin given twice: keep the later one */
        } else if (!(l = next_leg(r, m))) {
            return;
        }
    }
    copy_val(r, role == 0 ? l->from : l->to, sizeof l->from, v, "location");
}

static fr_paxlst_person *new_person(reader *r, fr_paxlst_message *m, fr_paxlst_role role)
{
    if (m->npersons >= r->max_persons) {
        if (!r->persons_limited)
            SEG_FINDING(r, FR_PAXLST_ERROR, "limit.persons",
                        "The message lists more than %zu persons; the rest are not read.",
                        r->max_persons);
        r->persons_limited = 1;
        return NULL;
    }
    if (grow((void **)&m->persons, &r->cap_persons, m->npersons + 1, sizeof *m->persons)) {
        r->oom = 1;
        return NULL;
    }
    fr_paxlst_person *p = &m->persons[m->npersons++];
    memset(p, 0, sizeof *p);
    p->role = role;
    p->birth_date = FR_DATE_NONE;
    p->segment = r->seg.number;
    p->line = r->seg.line;
    return p;
}

static fr_paxlst_person *cur_person(reader *r, fr_paxlst_message *m)
{
    if (r->ctx == CTX_HEADER || m->npersons == 0) return NULL;
    return &m->persons[m->npersons - 1];
}

static fr_paxlst_document *new_doc(reader *r, fr_paxlst_person *p)
{
    if (p->ndocs >= FR_PAXLST_MAX_DOCS) {
        SEG_FINDING(r, FR_PAXLST_WARNING, "doc.limit",
                    "The person has more than %d documents; this one is not read.",
                    FR_PAXLST_MAX_DOCS);
        return NULL;
    }
    fr_paxlst_document *d = &p->docs[p->ndocs++];
    memset(d, 0, sizeof *d);
    d->expiry = d->issued = FR_DATE_NONE;
    return d;
}

static void join_names(reader *r, fr_paxlst_person *p, size_t e, size_t from, size_t to)
{
    size_t o = 0;
    for (size_t c = from; c <= to; c++) {
        pax_slice v = fr__pax_get(&r->seg, e, c);
        if (v.n == 0) continue;
        char part[128];
        copy_val(r, part, sizeof part, v, "given name");
        size_t n = strlen(part);
        if (o + n + (o ? 1 : 0) >= sizeof p->given_names) break;
        if (o) p->given_names[o++] = ' ';
        memcpy(p->given_names + o, part, n);
        o += n;
    }
    p->given_names[o] = '\0';
}

static void on_nad(reader *r, fr_paxlst_message *m)
{
    pax_slice q = fr__pax_get(&r->seg, 1, 0);
    fr_paxlst_role role;
    if (fr__pax_eq(q, "FL"))
        role = FR_PAXLST_FL;
    else if (fr__pax_eq(q, "FM"))
        role = FR_PAXLST_FM;
    else if (fr__pax_eq(q, "DDU"))
        role = FR_PAXLST_DDU;
    else if (fr__pax_eq(q, "DDT"))
        role = FR_PAXLST_DDT;
    else {
        r->ctx = CTX_HEADER; /* the reporting party (MS) or another address */
        return;
    }
    r->ctx = CTX_PERSON;
    fr_paxlst_person *p = new_person(r, m, role);
    if (!p) {
        r->ctx = CTX_HEADER;
        return;
    }
    copy_val(r, p->surname, sizeof p->surname, fr__pax_get(&r->seg, 4, 0), "surname");
    join_names(r, p, 4, 1, 4);
    if (!p->surname[0])
        SEG_FINDING(r, FR_PAXLST_WARNING, "name.missing",
                    "NAD+%s gives no surname (element 4, first component).",
                    fr_paxlst_role_name(role));
}

static void on_dtm(reader *r, fr_paxlst_message *m)
{
    const pax_segment *s = &r->seg;
    char qual[8];
    copy_val(r, qual, sizeof qual, fr__pax_get(s, 1, 0), "date qualifier");
    pax_slice v = fr__pax_get(s, 1, 1);
    fr_paxlst_person *p = cur_person(r, m);
    fr_paxlst_time t;
    if (r->legacy && (strcmp(qual, "136") == 0 || strcmp(qual, "132") == 0)) {
        /* legacy US: DTM+136+YYMMDD+HHMM+zone */
        fr_paxlst_leg *l = cur_leg(r, m, 1);
        pax_slice d = fr__pax_get(s, 2, 0), hm = fr__pax_get(s, 3, 0);
        if (!l || date_or_finding(r, d, DATE_TRANSPORT, &t, qual)) return;
        int hh, mi;
        if (hm.n == 4 && digits(hm, 0, 2, &hh) && digits(hm, 2, 2, &mi) && hh < 24 && mi < 60)
            t.minute = hh * 60 + mi;
        *(qual[2] == '6' ? &l->departure : &l->arrival) = t;
        return;
    }
    if (strcmp(qual, "189") == 0 || strcmp(qual, "232") == 0) {
        fr_paxlst_leg *l = cur_leg(r, m, 1);
        if (l && !date_or_finding(r, v, DATE_TRANSPORT, &t, qual))
            *(qual[0] == '1' ? &l->departure : &l->arrival) = t;
    } else if (strcmp(qual, "329") == 0 && p) {
        if (p->birth_date != FR_DATE_NONE)
            SEG_FINDING(r, FR_PAXLST_WARNING, "dtm.repeated",
                        "A second birth date for the same person; the first is kept.");
        else if (!date_or_finding(r, v, DATE_PAST, &t, qual))
            p->birth_date = t.date;
    } else if ((strcmp(qual, "36") == 0 || strcmp(qual, "182") == 0) && p) {
        if (r->ctx != CTX_DOC || p->ndocs == 0) {
            SEG_FINDING(r, FR_PAXLST_WARNING, "dtm.orphan",
                        "DTM+%s is not after a DOC segment; it is ignored.", qual);
            return;
        }
        fr_paxlst_document *d = &p->docs[p->ndocs - 1];
        fr_date *slot = qual[0] == '3' ? &d->expiry : &d->issued;
        int kind = qual[0] == '3' ? DATE_EXPIRY : DATE_PAST;
        if (*slot != FR_DATE_NONE)
            SEG_FINDING(r, FR_PAXLST_WARNING, "dtm.repeated",
                        "A second DTM+%s for the same document; the first is kept.", qual);
        else if (!date_or_finding(r, v, kind, &t, qual))
            *slot = t.date;
    }
}

static void on_loc(reader *r, fr_paxlst_message *m)
{
    const pax_segment *s = &r->seg;
    pax_slice q = fr__pax_get(s, 1, 0), v = fr__pax_get(s, 2, 0);
    fr_paxlst_person *p = cur_person(r, m);
    if (r->ctx == CTX_HEADER) {
        if (fr__pax_eq(q, "125") || (r->legacy && fr__pax_eq(q, "005")))
            leg_place(r, m, v, 0);
        else if (fr__pax_eq(q, "87") || (r->legacy && fr__pax_eq(q, "008")))
            leg_place(r, m, v, 1);
        else if (fr__pax_eq(q, "92"))
            leg_place(r, m, v, 2);
        return;
    }
    if (!p) return;
    if (fr__pax_eq(q, "174"))
        copy_val(r, p->residence_country, sizeof p->residence_country, v, "LOC+174");
    else if (fr__pax_eq(q, "178"))
        copy_val(r, p->embarkation_port, sizeof p->embarkation_port, v, "LOC+178");
    else if (fr__pax_eq(q, "179"))
        copy_val(r, p->debarkation_port, sizeof p->debarkation_port, v, "LOC+179");
    else if (fr__pax_eq(q, "91") && r->ctx == CTX_DOC && p->ndocs)
        copy_val(r, p->docs[p->ndocs - 1].issuing_country, sizeof p->docs[0].issuing_country, v,
                 "LOC+91");
}

static void on_doc(reader *r, fr_paxlst_message *m)
{
    fr_paxlst_person *p = cur_person(r, m);
    if (!p) {
        SEG_FINDING(r, FR_PAXLST_WARNING, "doc.orphan",
                    "DOC is not after a person (NAD+FL, FM, DDU or DDT); it is ignored.");
        return;
    }
    r->ctx = CTX_DOC;
    fr_paxlst_document *d = new_doc(r, p);
    if (!d) return;
    copy_val(r, d->type, sizeof d->type, fr__pax_get(&r->seg, 1, 0), "document type");
    copy_val(r, d->number, sizeof d->number, fr__pax_get(&r->seg, 2, 0), "document number");
    if (!d->number[0])
        SEG_FINDING(r, FR_PAXLST_WARNING, "doc.number_missing",
                    "DOC gives no document number (element 2).");
}

static void on_cnt(reader *r)
{
    const pax_segment *s = &r->seg;
    pax_slice q = fr__pax_get(s, 1, 0), v = fr__pax_get(s, 1, 1);
    copy_val(r, r->cnt_qual, sizeof r->cnt_qual, q, "CNT qualifier");
    r->have_cnt = 1;
    r->cnt_seg = s->number;
    r->cnt_line = s->line;
    r->cnt_col = s->column;
    r->cnt_value = to_long(v);
    if (r->cnt_value < 0) {
        pax_slice alt = fr__pax_get(s, 2, 0);
        long n = v.n == 0 ? to_long(alt) : -1;
        if (n >= 0)
            SEG_FINDING(r, FR_PAXLST_ERROR, "cnt.malformed",
                        "CNT must be written qualifier:count (CNT+%s:%ld), with a component "
                        "separator, not a data element separator; the count %ld was read.",
                        r->cnt_qual, n, n);
        else
            SEG_FINDING(r, FR_PAXLST_ERROR, "cnt.malformed",
                        "CNT gives no count after the qualifier (CNT+qualifier:count).");
        r->cnt_value = n;
    }
}

/* Legacy US PAXLST: PDT+P/number:expiry:country+surname:given:middle:birth:sex+PAX|CRW+from:to */
static void on_pdt(reader *r, fr_paxlst_message *m)
{
    const pax_segment *s = &r->seg;
    pax_slice kind = fr__pax_get(s, 3, 0);
    fr_paxlst_person *p = new_person(r, m, fr__pax_eq(kind, "CRW") ? FR_PAXLST_FM : FR_PAXLST_FL);
    if (!p) return;
    r->ctx = CTX_PERSON;
    copy_val(r, p->surname, sizeof p->surname, fr__pax_get(s, 2, 0), "surname");
    join_names(r, p, 2, 1, 2);
    fr_paxlst_time t;
    if (!date_or_finding(r, fr__pax_get(s, 2, 3), DATE_PAST, &t, "PDT birth"))
        p->birth_date = t.date;
    copy_val(r, p->sex, sizeof p->sex, fr__pax_get(s, 2, 4), "sex");
    copy_val(r, p->embarkation_port, sizeof p->embarkation_port, fr__pax_get(s, 4, 0), "port");
    copy_val(r, p->debarkation_port, sizeof p->debarkation_port, fr__pax_get(s, 4, 1), "port");
    pax_slice doc = fr__pax_get(s, 1, 0);
    fr_paxlst_document *d = doc.n ? new_doc(r, p) : NULL;
    if (!d) return;
    size_t slash = 0;
    while (slash < doc.n && doc.p[slash] != '/')
        slash++;
    pax_slice ty = {doc.p, slash < doc.n ? slash : 0};
    pax_slice num = slash < doc.n ? (pax_slice){doc.p + slash + 1, doc.n - slash - 1} : doc;
    copy_val(r, d->type, sizeof d->type, ty, "document type");
    copy_val(r, d->number, sizeof d->number, num, "document number");
    if (!date_or_finding(r, fr__pax_get(s, 1, 1), DATE_EXPIRY, &t, "PDT expiry"))
        d->expiry = t.date;
    copy_val(r, d->issuing_country, sizeof d->issuing_country, fr__pax_get(s, 1, 2), "country");
}

/* A segment tag as one integer, for a switch-like comparison. */
#define TC(s)                                                                                      \
    ((uint32_t)(unsigned char)(s)[0] << 16 | (uint32_t)(unsigned char)(s)[1] << 8 |                \
     (uint32_t)(unsigned char)(s)[2])

static void in_message(reader *r)
{
    fr_paxlst_message *m = cur_msg(r);
    const char *t = r->seg.tag;
    uint32_t tc = t[0] ? TC(t) : 0;
    r->msg_segs++;
    if (tc == TC("UNT")) {
        on_unt(r);
        return;
    }
    if (strcmp(m->type, "PAXLST") != 0) return;
    if (tc == TC("BGM"))
        copy_val(r, m->document, sizeof m->document, fr__pax_get(&r->seg, 1, 0), "document code");
    else if (tc == TC("TDT")) {
        r->ctx = CTX_HEADER;
        on_tdt(r, m);
    } else if (tc == TC("NAD"))
        on_nad(r, m);
    else if (tc == TC("ATT")) {
        fr_paxlst_person *p = cur_person(r, m);
        if (p && fr__pax_eq(fr__pax_get(&r->seg, 1, 0), "2"))
            copy_val(r, p->sex, sizeof p->sex, fr__pax_get(&r->seg, 3, 0), "sex");
    } else if (tc == TC("DTM"))
        on_dtm(r, m);
    else if (tc == TC("LOC"))
        on_loc(r, m);
    else if (tc == TC("NAT")) {
        fr_paxlst_person *p = cur_person(r, m);
        if (p)
            copy_val(r, p->nationality, sizeof p->nationality, fr__pax_get(&r->seg, 2, 0), "NAT");
    } else if (tc == TC("DOC"))
        on_doc(r, m);
    else if (tc == TC("CNT"))
        on_cnt(r);
    else if (tc == TC("PDT"))
        on_pdt(r, m);
}

static void segment_checks(reader *r)
{
    pax_segment *s = &r->seg;
    char sh[16];
    if (!s->tag[0])
        SEG_FINDING(r, FR_PAXLST_ERROR, "segment.tag",
                    "'%s' is not a segment tag (three upper-case letters or digits); the "
                    "segment is skipped.",
                    show(s->rawtag, sh, sizeof sh));
    else if (s->rawtag.n != 3)
        SEG_FINDING(r, FR_PAXLST_ERROR, "segment.tag",
                    "The segment tag '%s' has trailing spaces; it was read as %s.",
                    show(s->rawtag, sh, sizeof sh), s->tag);
    if (!s->terminated)
        SEG_FINDING(r, FR_PAXLST_ERROR, "segment.unterminated",
                    "The %s segment does not end with the segment terminator %s.",
                    s->tag[0] ? s->tag : "unreadable", show_char(r->lx.term, sh, sizeof sh));
    if (s->too_many)
        SEG_FINDING(r, FR_PAXLST_ERROR, "segment.limit",
                    "The %s segment has more than %d elements or %d components; the rest are "
                    "ignored.",
                    s->tag, PAX_MAX_ELEMENTS - 1, PAX_MAX_COMPONENTS);
    if (s->too_long)
        SEG_FINDING(r, FR_PAXLST_ERROR, "segment.limit", "The %s segment is longer than %zu bytes.",
                    s->tag, r->lx.max_segment);
    if (r->lx.spaces && !r->spaces_reported) {
        r->spaces_reported = 1;
        finding_at(r, FR_PAXLST_WARNING, "segment.space", s->number, r->lx.space_line,
                   r->lx.space_column,
                   "Spaces or tabs between segments are not EDIFACT; they were skipped (only "
                   "the first is reported).");
    }
    r->lx.spaces = 0;
    if (r->lx.bad_chars && cur_msg(r)) {
        int seen = r->charset_reported;
        r->charset_reported = 1;
        if (!seen)
            finding_at(r, FR_PAXLST_WARNING, "charset.outside", s->number, r->lx.bad_line,
                       r->lx.bad_column,
                       "Byte 0x%02X ('%c') is outside the %s character set declared in UNB; "
                       "values were read as UTF-8 where they are, else replaced by U+FFFD.",
                       r->lx.bad_byte,
                       r->lx.bad_byte >= 0x20 && r->lx.bad_byte < 0x7f ? r->lx.bad_byte : '?',
                       r->syntax);
        r->lx.bad_chars = 0;
    }
}

static void on_segment(reader *r)
{
    const char *t = r->seg.tag;
    uint32_t tc = t[0] ? TC(t) : 0;
    if (r->after_unz && !r->in_ichg && tc != TC("UNB")) {
        SEG_FINDING(r, FR_PAXLST_WARNING, "data.trailing",
                    "Text after the interchange trailer UNZ was ignored.");
        r->stop = 1;
        return;
    }
    if (tc == TC("UNB")) r->after_unz = 0;
    if (tc == TC("UNH")) {
        if (cur_msg(r)) {
            SEG_FINDING(r, FR_PAXLST_ERROR, "unt.missing",
                        "A new message (UNH) starts before the previous one ended with UNT.");
            close_message(r);
        }
        on_unh(r);
    } else if (cur_msg(r)) {
        if (tc == TC("UNE") || tc == TC("UNZ") || tc == TC("UNB") || tc == TC("UNG")) {
            SEG_FINDING(r, FR_PAXLST_ERROR, "unt.missing",
                        "The message was not ended with UNT before %s.", t);
            close_message(r);
        } else {
            if (t[0]) in_message(r);
            segment_checks(r);
            return;
        }
    }
    if (tc == TC("UNB"))
        on_unb(r);
    else if (tc == TC("UNG"))
        on_ung(r);
    else if (tc == TC("UNE"))
        on_une(r);
    else if (tc == TC("UNZ"))
        on_unz(r);
    else if (tc != TC("UNH") && t[0])
        SEG_FINDING(r, FR_PAXLST_ERROR, "segment.outside",
                    "The %s segment is outside any message (between UNT and the next UNH).", t);
    segment_checks(r);
}

/* After the whole input (UNE and UNZ findings land on a closed message):
 * strict reading withholds what an invalid message lists; lenient reading
 * keeps it and says so. */
static void settle(reader *r, fr_paxlst_message *m)
{
    if (!m->valid && r->opt->lenient && (m->npersons || m->nlegs)) {
        fr_paxlst_finding f;
        memset(&f, 0, sizeof f);
        snprintf(f.code, sizeof f.code, "lenient.extracted");
        f.severity = FR_PAXLST_WARNING;
        f.segment = m->segment;
        f.line = m->line;
        f.column = 1;
        snprintf(f.message, sizeof f.message,
                 "The message has errors; %zu persons and %zu legs were still extracted "
                 "(lenient reading): check them against the carrier's list.",
                 m->npersons, m->nlegs);
        add_to(m, &f);
    }
    if (!m->valid && !r->opt->lenient) {
        fr_free(m->persons);
        fr_free(m->legs);
        m->persons = NULL;
        m->legs = NULL;
        m->npersons = m->nlegs = 0;
    }
}

static void finish(reader *r)
{
    if (cur_msg(r)) {
        finding_at(r, FR_PAXLST_ERROR, "unt.missing", r->lx.nseg, r->lx.line, 1,
                   "The input ends inside a message: no UNT.");
        close_message(r);
    }
    if (r->in_ichg)
        finding_at(r, FR_PAXLST_ERROR, "unz.missing", r->lx.nseg, r->lx.line, 1,
                   "The input ends before the interchange trailer UNZ.");
    int tl, tc;
    if (!r->stop && fr__pax_lex_trailing(&r->lx, &tl, &tc))
        finding_at(r, FR_PAXLST_WARNING, "data.trailing", 0, tl, tc,
                   "Text after the interchange trailer UNZ was ignored.");
    if (r->out->nmessages == 0 || r->npending) {
        size_t keep = r->npending;
        r->cur = -1;
        r->last = -1;
        open_message(r);
        if (!cur_msg(r)) return;
        if (keep == 0 || r->out->messages[r->cur].nerrors == 0)
            finding_at(r, FR_PAXLST_ERROR, "message.missing", 0, 0, 0,
                       "The input holds no message (UNH ... UNT).");
        r->cur = -1;
    }
}

int fr_paxlst_read(const char *data, size_t len, const fr_paxlst_options *opt, fr_paxlst **out,
                   fr_error *err)
{
    static const fr_paxlst_options defaults = {0, 0, 0};
    if (!out || (!data && len)) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no input or output");
    *out = NULL;
    reader *r = fr_calloc(1, sizeof *r);
    fr_paxlst *p = fr_calloc(1, sizeof *p);
    if (!r || !p) {
        fr_free(r);
        fr_free(p);
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory reading PAXLST");
    }
    r->opt = opt ? opt : &defaults;
    r->max_persons = r->opt->max_persons ? r->opt->max_persons : 100000;
    r->out = p;
    r->cur = r->last = -1;
    r->prepared = (fr_paxlst_time){FR_DATE_NONE, -1};
    size_t envelope = 0;
    int rc = fr__pax_lex_init(&r->lx, data ? data : "", len,
                              r->opt->max_segment ? r->opt->max_segment : 65536, &envelope);
    if (rc == -1) {
        finding_at(r, FR_PAXLST_ERROR, "interchange.missing", 0, 1, 1,
                   "No UNA or UNB segment was found: this is not a UN/EDIFACT interchange.");
    } else if (rc == -2) {
        finding_at(r, FR_PAXLST_ERROR, "una.short", 0, r->lx.line,
                   (int)(r->lx.pos - r->lx.line_start + 1),
                   "The UNA service string advice is cut short: it needs six characters.");
    } else {
        const pax_lexer *lx = &r->lx;
        char seps[6] = {lx->comp_sep, lx->elem_sep, lx->release, lx->term};
        int clash = 0;
        for (int i = 0; i < 4; i++)
            for (int j = i + 1; j < 4; j++)
                clash |= seps[i] == seps[j];
        if (clash) {
            finding_at(r, FR_PAXLST_ERROR, "una.separators", 0, lx->line, 1,
                       "The UNA separators, release character and terminator must all differ.");
        } else {
            while (!r->oom && !r->stop && fr__pax_lex_next(&r->lx, &r->seg))
                on_segment(r);
        }
    }
    if (!r->oom) finish(r);
    for (size_t i = 0; !r->oom && i < p->nmessages; i++)
        settle(r, &p->messages[i]);
    if (r->oom) {
        fr_free(r);
        fr_paxlst_free(p);
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory reading PAXLST");
    }
    fr_free(r);
    *out = p;
    return FR_OK;
}

void fr_paxlst_free(fr_paxlst *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->nmessages; i++) {
        fr_free(p->messages[i].persons);
        fr_free(p->messages[i].legs);
    }
    fr_free(p->messages);
    fr_free(p);
}

long fr_paxlst_count_segments(const char *data, size_t len)
{
    pax_lexer lx;
    size_t envelope;
    if (!data && len) return FR_EINVAL;
    if (fr__pax_lex_init(&lx, data ? data : "", len, 65536, &envelope) != 0) return 0;
    pax_segment *s = fr_malloc(sizeof *s);
    if (!s) return FR_ENOMEM;
    long n = 0;
    while (fr__pax_lex_next(&lx, s))
        n++;
    fr_free(s);
    return n;
}
