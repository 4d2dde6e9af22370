/*
 * status.c -- status messages, enum names and sx_doc lifetime.
 *
 * Exports sx_status_str, sx_timex_type_str, sx_actor_kind_str,
 * sx_role_is_core, sx_doc_init, sx_doc_free, sx_doc_errmsg and the small
 * string helpers every other file uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sx_int.h"

static const char *const sx_status_msgs[] = {
#define SX_MSG_(name, msg) msg,
    SX_STATUS_TABLE(SX_MSG_)
#undef SX_MSG_
};

const char *sx_status_str(sx_status st)
{
    if ((int)st < 0 || st >= SX_STATUS_COUNT) return "unknown status";
    return sx_status_msgs[st];
}

const char *sx_timex_type_str(sx_timex_type t)
{
    switch (t) {
    case SX_TIMEX_DATE: return "DATE";
    case SX_TIMEX_TIME: return "TIME";
    case SX_TIMEX_DURATION: return "DURATION";
    case SX_TIMEX_SET: return "SET";
    }
    return "DATE";
}

const char *sx_actor_kind_str(sx_actor_kind k)
{
    switch (k) {
    case SX_ACTOR_PERSON: return "person";
    case SX_ACTOR_COUNTRY: return "country";
    case SX_ACTOR_ORG: return "org";
    }
    return "person";
}

int sx_role_is_core(const char *role)
{
    /* by the first letter first: merging asks this of every pair of
     * participants of every pair of events it compares */
    if (!role) return 0;
    if (role[0] == 't') return strcmp(role, "target") != 0;
    if (role[0] == 'a') return strcmp(role, "audience") != 0 && strcmp(role, "attendee") != 0;
    return 1;
}

char *sx__strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *sx__strdup(const char *s) { return s ? sx__strndup(s, strlen(s)) : NULL; }

void sx__copy(char *dst, size_t cap, const char *src)
{
    if (cap == 0) return;
    size_t n = src ? strnlen(src, cap - 1) : 0;
    memcpy(dst, src ? src : "", n);
    dst[n] = '\0';
}

void sx_doc_init(sx_doc *doc) { memset(doc, 0, sizeof *doc); }

static void sx__event_free(sx_event *e)
{
    free(e->location);
    free(e->summary);
    free(e->participants);
    free(e->mentions);
}

void sx_doc_free(sx_doc *doc)
{
    if (!doc) return;
    free(doc->path);
    free(doc->text);
    free(doc->sentences);
    for (size_t i = 0; i < doc->n_timexes; i++) free(doc->timexes[i].text);
    free(doc->timexes);
    for (size_t i = 0; i < doc->n_actors; i++) {
        free(doc->actors[i].name);
        free(doc->actors[i].country);
        free(doc->actors[i].title);
    }
    free(doc->actors);
    for (size_t i = 0; i < doc->n_events; i++) sx__event_free(&doc->events[i]);
    free(doc->events);
    for (size_t i = 0; i < doc->n_warnings; i++) free(doc->warnings[i]);
    free(doc->warnings);
    memset(doc, 0, sizeof *doc);
}

const char *sx_doc_errmsg(const sx_doc *doc)
{
    if (!doc) return "";
    return doc->errmsg;
}

void sx__work_free(sx__work *w)
{
    free(w->u);
    free(w->cp_of_u);
    free(w->byte_of_cp);
    free(w->toks);
    free(w->arena);
    free(w->sents);
    free(w->sent_tok0);
    for (size_t i = 0; i < w->n_timexes; i++) free(w->timexes[i].text);
    free(w->timexes);
    free(w->timex_tok);
    free(w->timex_header);
    for (size_t i = 0; i < w->n_actors; i++) {
        free(w->actors[i].name);
        free(w->actors[i].country);
        free(w->actors[i].title);
    }
    free(w->actors);
    free(w->ams);
    free(w->actor_cls);
    free(w->in_timex);
    free(w->pms);
    for (size_t i = 0; i < w->n_events; i++) sx__event_free(&w->events[i]);
    free(w->events);
    for (size_t i = 0; i < w->n_warnings; i++) free(w->warnings[i]);
    free(w->warnings);
    memset(w, 0, sizeof *w);
}

sx_status sx__warn(sx__work *w, const char *msg)
{
    int ok;
    for (size_t i = 0; i < w->n_warnings; i++)
        if (strcmp(w->warnings[i], msg) == 0) return SX_OK; /* warn once */
    SX__GROW(w->warnings, w->n_warnings, w->cap_warnings, ok);
    if (!ok) return SX_ENOMEM;
    char *m = sx__strdup(msg);
    if (!m) return SX_ENOMEM;
    w->warnings[w->n_warnings++] = m;
    return SX_OK;
}

char *sx__cp_substr(const sx__work *w, int32_t cp_start, int32_t cp_end)
{
    if (cp_start < 0) cp_start = 0;
    if (cp_end > w->n_cp) cp_end = w->n_cp;
    if (cp_end < cp_start) cp_end = cp_start;
    int32_t b0 = w->byte_of_cp[cp_start], b1 = w->byte_of_cp[cp_end];
    return sx__strndup(w->bytes + b0, (size_t)(b1 - b0));
}
