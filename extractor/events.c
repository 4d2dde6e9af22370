/*
 * events.c -- events: triggers, participants, time, place, duration, status
 * and the merging of every mention of one happening into one event.
 *
 * Exports sx__events_run (sx_int.h).  Input: tokens, timexes, actor and
 * place mentions.  Steps:
 *  1. Triggers from data/triggers.tsv ("met", "meeting", "said", "according
 *     to", "agreed", "cease-fire"...), outside quotations only: what a
 *     speaker says is content, not narrative.
 *  2. Participants.  Verbs: the subject to the left (coordinated with
 *     "and", skipping adverbs and an appositive or relative clause between
 *     commas: "James Clapper, director of ..., said"; "The U.S. and Russia,
 *     which ..., agreed") and objects to the right ("met with X", "hosted
 *     X", "said Tillerson").  Nouns: a possessive before ("Trump's meeting")
 *     and "with X" / "between X and Y" after.  "according to X" names a
 *     speaker.  Pronoun speakers ("he said") are the latest speaker.
 *  3. Time.  The nearest date or time of the trigger's own sentence (a
 *     year or month that only modifies a noun, "the 2016 election", does
 *     not count); else the narrative date (the last calendar day named
 *     before it, so "told reporters afterward" stays on the meeting's day);
 *     else undated.  Perfect aspect with no date of its own ("has
 *     repeatedly denied") is undated: it reports no moment.
 *  4. Place: a place mention of the sentence ("in Hamburg, Germany").
 *     Duration: an adjectival duration on the trigger noun ("30-minute
 *     meeting"; "planned"/"scheduled" before it makes it the planned
 *     length), or "ran for / lasted (for) DURATION" in the sentence.
 *  5. Status: negated ("did not meet", "refused to sign"), cancelled
 *     ("cancelled", "called off"), planned (future cue or "to meet"),
 *     else occurred.
 *  6. Merge: a participantless meeting mention ("the meeting", "the more
 *     than two-hour meeting") joins the latest meeting; then events of one
 *     type with compatible dates and the same core participants merge.  A
 *     more specific place, date or unmodified duration wins.
 * The CAMEO codes come with the triggers; an agreement on a cease-fire
 * takes 0871 and absorbs the cease-fire mention.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sx_int.h"

#define SX__MAXP 8
/* Mentions of one happening are looked for among the 256 events around
 * each one: an article is far shorter, and a pathological input stays
 * linear in its size. */
#define SX__MERGE_WINDOW 256

typedef struct sx__cand {
    const sx__trigger *trig;
    size_t t0, t1;        /* trigger tokens */
    int32_t sent;
    int32_t parts[SX__MAXP];
    const char *roles[SX__MAXP];
    int np;
    int32_t date_timex;   /* -1 none, -3 the DCT (present tense report) */
    const char *date_source;
    int perfect;
    char status[12];
    int32_t place;        /* place mention or -1 */
    char duration[SX_VALUE_MAX], duration_mod[16], planned[SX_VALUE_MAX];
    int ceasefire;        /* 1: an agreement on a cease-fire (CAMEO 0871) */
} sx__cand;

typedef struct sx__ectx {
    sx__work *w;
    int32_t *am_end;   /* per token: mention ending at this token (last token), or -1 */
    int32_t *am_start; /* per token: mention starting here, or -1 */
    int32_t *tx_of;    /* per token: timex covering it, or -1 */
    int32_t *tx_first; /* per sentence (n_sents + 1): first timex at or after it */
    int32_t *pm_first; /* per sentence (n_sents + 1): first place mention at or after it */
    int32_t *am_first; /* per sentence (n_sents + 1): first actor mention at or after it */
    /* narrative dates so far, advanced as triggers are met in text order */
    size_t narr_next;
    int32_t narr_past, narr_plan;
    char dct[16];
    sx__cand *c;
    size_t n, cap;
} sx__ectx;

static SX__ALWAYS_INLINE int eq(const sx__tok *t, const char *s) { return t && t->low[0] == s[0] && sx__eq(t->low, s); }

static const sx__tok *T(const sx__ectx *e, size_t i, int32_t sent)
{
    if (i >= e->w->n_toks || e->w->toks[i].sent != sent) return NULL;
    return &e->w->toks[i];
}

static void add_part(sx__cand *c, int32_t actor, const char *role)
{
    if (actor < 0) return;
    for (int i = 0; i < c->np; i++)
        if (c->parts[i] == actor) return;
    if (c->np < SX__MAXP) {
        c->parts[c->np] = actor;
        c->roles[c->np] = role;
        c->np++;
    }
}

/* Resolves a mention into actors (groups give several). */
static int mention_actors(const sx__ectx *e, int32_t mi, int32_t *out, int max)
{
    const sx__amention *m = &e->w->ams[mi];
    if (m->group) {
        int n = 0;
        for (int k = 0; k < m->n_group && n < max; k++) out[n++] = m->group_actors[k];
        return n;
    }
    if (m->actor < 0) return 0;
    out[0] = m->actor;
    return 1;
}

static int is_trigger_word(const sx__tok *t)
{
    const char *const verbs[] = {"said", "met", "agreed", "signed", "told", "denied", "discussed", NULL};
    for (int i = 0; verbs[i]; i++)
        if (sx__eq(t->low, verbs[i])) return 1;
    return 0;
}

/* Word lists of the rules below, entered into the lexicon (lexicon.c) with
 * the SX_LX_EV* bits, so a token is tested against a whole list with one
 * AND instead of a string comparison per word. */
const char *const sx__ev_adverbs[] = {
    "also", "later", "then", "has", "have", "had", "repeatedly", "publicly", "formally",
    "jointly", "reportedly", "both", "all", "quickly", "previously", "already", "again",
    "subsequently", "immediately", "only", "officially", "finally", "never", "not", "did",
    "does", "do", "would", "will", "could", "may", "might", "should", "must", "privately",
    "separately", "briefly", "recently", "once", "twice", "first", "initially", "n't", "yet",
    "still", "even", "angrily", "openly", "flatly", "strongly", "firmly", "personally", "each",
    "to", "want", "wants", "wanted", "plan", "plans", "planned", "agreed", "refused", "declined",
    "failed", "is", "are", "was", "were", "be", "been", "expected", "scheduled", "set", "due",
    "going", "hope", "hopes", "intend", "intends", NULL};
const char *const sx__ev_negations[] = {"not", "n't", "never", "refused", "declined", "failed", "no", NULL};
const char *const sx__ev_plans[] = {"will", "'ll", "shall", "scheduled", "planned", "expected", "plans", "to",
                                    "upcoming", "would", "next", NULL};
const char *const sx__ev_denials[] = {"untrue", "denied", "denies", "deny", NULL};
const char *const sx__ev_cancels[] = {"cancelled", "canceled", "scrapped", "postponed", NULL};
const char *const sx__ev_modals[] = {"will", "would", "'ll", "shall", "could", "may", "might", "can", "must",
                                     "should", "did", "does", "do", "not", "n't", "never", NULL};
const char *const sx__ev_controls[] = {"agreed", "agree", "agrees", "plan", "plans", "planned", "planning",
                                       "expected", "set", "scheduled", "due", "going", "hope", "hopes", "want",
                                       "wants", "wanted", "intend", "intends", "decided", "decide", "likely",
                                       "able", "continue", "refused", "declined", "failed", "sought", "seeks",
                                       "wishes", "invited", "asked", "promised", "pledged", "vowed", "is",
                                       "are", "was", "were", "ready", "prepared", NULL};
const char *const sx__ev_presence[] = {"present", "attended", NULL};

static int is_adverb(const sx__tok *t) { return (t->lex & SX_LX_EVADVERB) != 0; }

/* Collects the subject(s) ending left of token k (exclusive). */
static void collect_left(sx__ectx *e, sx__cand *c, size_t k, const char *role)
{
    const sx__work *w = e->w;
    int32_t s = c->sent;
    size_t lo = (size_t)w->sent_tok0[s];
    /* skip adverbs and auxiliaries */
    while (k > lo && is_adverb(&w->toks[k - 1]) && !(w->toks[k - 1].flags & SX_TF_INQUOTE)) k--;
    /* skip a time expression right before the verb: "Trump on Friday said" */
    while (k > lo && e->tx_of[k - 1] >= 0) k--;
    if (k > lo && (eq(&w->toks[k - 1], "on") || eq(&w->toks[k - 1], "at"))) k--;
    /* an appositive or relative clause: ", ... ," before the verb */
    if (k > lo && (eq(&w->toks[k - 1], ",") || eq(&w->toks[k - 1], "—") || eq(&w->toks[k - 1], "–"))) {
        size_t j = k - 1;
        /* a closing quote before the comma means a quote, not an appositive:
         * "“...,” Tillerson said" has the actor right before the verb anyway */
        while (j > lo) {
            j--;
            const sx__tok *t = &w->toks[j];
            if (t->flags & (SX_TF_QCLOSE | SX_TF_QOPEN)) { j = lo; break; }
            if (eq(t, ",") || eq(t, "—") || eq(t, "–")) break;
        }
        if (j > lo && e->am_end[j - 1] >= 0) k = j;
    }
    int guard = 0, saw_and = 0;
    while (k > lo && guard++ < 6) {
        int32_t mi = e->am_end[k - 1];
        if (mi < 0) break;
        const sx__amention *m = &w->ams[mi];
        if (m->locative) break;
        /* "Chairman Kim Jong Un of the State Affairs Commission of the
         * DPRK had ...": a country or body after "of" qualifies the person
         * before it */
        for (int hop = 0; hop < 3 && m->actor >= 0 && w->actors[m->actor].kind != SX_ACTOR_PERSON; hop++) {
            size_t b = (size_t)m->tok_start;
            if (b > lo && eq(&w->toks[b - 1], "the")) b--;
            if (!(b > lo && eq(&w->toks[b - 1], "of"))) break;
            int32_t prev = -1;
            for (size_t q = b - 1; q > lo && b - 1 - q < 8 && prev < 0; q--)
                if (e->am_end[q - 1] >= 0) prev = e->am_end[q - 1];
            if (prev < 0) break;
            mi = prev;
            m = &w->ams[mi];
        }
        int32_t acts[4];
        int n = mention_actors(e, mi, acts, 4);
        if (m->pronoun == 2 || (m->pronoun == 1 && m->actor < 0)) {
            /* "they", "both": the parties of the event before (resolved by
             * the caller); an unresolved "he": the latest speaker */
            if (c->np < SX__MAXP) {
                c->parts[c->np] = m->pronoun == 2 ? -3 : -2;
                c->roles[c->np++] = role;
            }
            break;
        }
        for (int i = 0; i < n; i++) add_part(c, acts[i], role);
        k = (size_t)m->tok_start;
        /* "A and B", "A, B and C"; a comma alone ("During ... with Paul
         * Martin, Bush said") ends the subject */
        /* "Kiir and rebel commander Riek Machar": up to three lower-case
         * words of description between "and" and the name */
        size_t d = k;
        while (d > lo && k - d < 3 && (w->toks[d - 1].flags & SX_TF_WORD) && !(w->toks[d - 1].flags & SX_TF_CAP) &&
               !eq(&w->toks[d - 1], "and") && !(w->toks[d - 1].lex & SX_LX_PHRASE && is_trigger_word(&w->toks[d - 1])))
            d--;
        if (d < k && d > lo && eq(&w->toks[d - 1], "and") && d - 1 > lo && e->am_end[d - 2] >= 0) k = d;
        if (k > lo && (eq(&w->toks[k - 1], "and") || (saw_and && eq(&w->toks[k - 1], ",")))) {
            if (k - 1 > lo && e->am_end[k - 2] >= 0) {
                saw_and |= eq(&w->toks[k - 1], "and");
                k--;
                continue;
            }
        }
        break;
    }
}

/* Collects objects from token k on: "X", "X and Y", "with X", "between X and Y". */
static void collect_right(sx__ectx *e, sx__cand *c, size_t k, const char *role, int need_prep)
{
    const sx__work *w = e->w;
    int32_t s = c->sent;
    /* "the meeting Friday between Trump and Putin": over a time expression */
    while (k < w->n_toks && w->toks[k].sent == s && e->tx_of[k] >= 0) k++;
    const sx__tok *t = T(e, k, s);
    if (t && (eq(t, "by") || eq(t, "on")) && T(e, k + 1, s) &&
        (eq(T(e, k + 1, s), "phone") || eq(T(e, k + 1, s), "telephone")))
        k += 2, t = T(e, k, s);
    int prep = 0;
    if (t && (eq(t, "with") || eq(t, "between") || eq(t, "to"))) {
        k++;
        prep = 1;
        /* "met with, among others, the President of Russia" */
        if (T(e, k, s) && eq(T(e, k, s), ",")) {
            size_t q = k + 1;
            while (q < k + 5 && T(e, q, s) && !eq(T(e, q, s), ",")) q++;
            if (T(e, q, s) && eq(T(e, q, s), ",")) k = q + 1;
        }
    }
    if (need_prep && !prep) return;
    int guard = 0;
    while (guard++ < 8) {
        /* reach the name over determiners and descriptions: "with his UK
         * counterpart Gordon Brown", "with the Japanese ambassador to China
         * Anami Koreshige"; stop at anything that ends a noun phrase */
        size_t skip = 0;
        while (skip < 6) {
            t = T(e, k + skip, s);
            if (!t || e->am_start[k + skip] >= 0) break;
            if (eq(t, "with") && skip == 0 && guard > 1) {
                skip++; /* "Kan and with Foreign Minister Matsumoto" */
                continue;
            }
            if (eq(t, ".") && skip > 0 && (w->toks[k + skip - 1].flags & SX_TF_DOT)) {
                skip++; /* "U.S." */
                continue;
            }
            if (!(t->flags & SX_TF_WORD) || e->tx_of[k + skip] >= 0) {
                t = NULL;
                break;
            }
            /* only determiners, capitalized modifiers ("UK", "Japanese")
             * and role nouns ("counterpart", "ambassador to China") */
            if (!(t->flags & SX_TF_CAP) && !(t->lex & SX_LX_PHRASE) && !eq(t, "the") && !eq(t, "a") &&
                !eq(t, "an") && !eq(t, "his") && !eq(t, "her") && !eq(t, "their") && !eq(t, "its") &&
                !eq(t, "counterpart") && !eq(t, "to") && !eq(t, "of") && !eq(t, "host") && !eq(t, "guest")) {
                t = NULL;
                break;
            }
            if (eq(t, "and") || eq(t, "in") || eq(t, "at") || eq(t, "on") || eq(t, "for") || eq(t, "that") ||
                eq(t, "about") || eq(t, "over") || eq(t, "during") || eq(t, "after") || eq(t, "before") ||
                eq(t, "who") || eq(t, "which") || eq(t, "as") || eq(t, "but")) {
                t = NULL;
                break;
            }
            skip++;
        }
        if (!t || skip == 6) break;
        k += skip;
        int32_t mi = e->am_start[k];
        if (mi < 0 || w->ams[mi].pronoun == 2 || w->ams[mi].locative) break;
        /* "his UK counterpart Gordon Brown": a country naming the next
         * person's nationality is a modifier, not a party */
        if (w->ams[mi].actor >= 0 && w->actors[w->ams[mi].actor].kind == SX_ACTOR_COUNTRY) {
            size_t after = (size_t)w->ams[mi].tok_end;
            const sx__tok *nt = T(e, after, s);
            sx__match tm[4];
            int ntm;
            if (nt && (nt->flags & SX_TF_WORD) &&
                ((nt->flags & SX_TF_CAP) || eq(nt, "counterpart") ||
                 sx__phrase_match(w, after, SX_PH_MASK(SX_PH_TITLE), tm, 4, &ntm))) {
                k = after;
                continue;
            }
        }
        int32_t acts[4];
        int n = mention_actors(e, mi, acts, 4);
        for (int i = 0; i < n; i++) add_part(c, acts[i], role);
        k = (size_t)w->ams[mi].tok_end;
        t = T(e, k, s);
        if (t && eq(t, ",") && T(e, k + 1, s) && eq(T(e, k + 1, s), "and")) k++, t = T(e, k, s);
        if (t && (eq(t, "and") || eq(t, ","))) {
            k++;
            continue;
        }
        break;
    }
}

/* A verb whose subject is not next to it ("Bush started the speech by
 * saying", "Wu met ... and offered an apology, stating"): the first actor
 * of its clause that no preposition governs, outside quotations. */
static void subject_fallback(sx__ectx *e, sx__cand *c, const char *role)
{
    const sx__work *w = e->w;
    size_t lo = (size_t)w->sent_tok0[c->sent];
    for (size_t k = c->t0; k > lo; k--)
        if (eq(&w->toks[k - 1], ";")) {
            lo = k;
            break;
        }
    for (size_t m = (size_t)e->am_first[c->sent]; m < w->n_ams && (size_t)w->ams[m].tok_start < c->t0; m++) {
        const sx__amention *am = &w->ams[m];
        size_t t = (size_t)am->tok_start;
        if (t < lo) continue;
        if (w->toks[t].flags & SX_TF_INQUOTE) continue;
        if (am->locative || (am->actor < 0 && am->pronoun != 2)) continue;
        if (t > lo) {
            const char *p = w->toks[t - 1].low;
            if (sx__eq(p, "to") || sx__eq(p, "with") || sx__eq(p, "of") || sx__eq(p, "by") ||
                sx__eq(p, "for") || sx__eq(p, "from") || sx__eq(p, "about") || sx__eq(p, "against") ||
                sx__eq(p, "between") || sx__eq(p, "on") || sx__eq(p, "at") || sx__eq(p, "in"))
                continue;
        }
        if (am->pronoun == 2) {
            c->parts[c->np] = -3;
            c->roles[c->np++] = role;
            return;
        }
        int32_t acts[4];
        int n = mention_actors(e, (int32_t)m, acts, 4);
        for (int i = 0; i < n; i++) add_part(c, acts[i], role);
        /* and the subjects coordinated with it: "The President and Prime Minister" */
        for (size_t q = m + 1, guard = 0; q < w->n_ams && guard < 3; q++, guard++) {
            size_t prev_end = (size_t)w->ams[q - 1].tok_end;
            if ((size_t)w->ams[q].tok_start != prev_end + 1 || !eq(&w->toks[prev_end], "and") ||
                (size_t)w->ams[q].tok_start >= c->t0)
                break;
            n = mention_actors(e, (int32_t)q, acts, 4);
            for (int i = 0; i < n; i++) add_part(c, acts[i], role);
        }
        return;
    }
}

static int in_perfect(const sx__ectx *e, const sx__cand *c)
{
    const sx__work *w = e->w;
    size_t lo = (size_t)w->sent_tok0[c->sent];
    for (size_t k = c->t0, d = 0; k > lo && d < 4; k--, d++) {
        const sx__tok *t = &w->toks[k - 1];
        if (eq(t, "has") || eq(t, "have")) return 1;
        if (!is_adverb(t)) break;
    }
    return 0;
}

static void set_status(const sx__ectx *e, sx__cand *c)
{
    const sx__work *w = e->w;
    size_t lo = (size_t)w->sent_tok0[c->sent], hi = (size_t)w->sent_tok0[c->sent + 1];
    sx__copy(c->status, sizeof c->status, "occurred");
    for (size_t k = c->t0, d = 0; k > lo && d < 5; k--, d++) {
        const sx__tok *t = &w->toks[k - 1];
        if (t->lex & SX_LX_EVNEG) {
            sx__copy(c->status, sizeof c->status, "negated");
            return;
        }
        if (t->lex & SX_LX_EVPLAN) {
            if (eq(t, "to") && d > 0) continue;
            sx__copy(c->status, sizeof c->status, "planned");
        }
    }
    /* "The planned 30-minute meeting ... ran for 2 hours": the plan was for
     * its length; the verb of the clause says it happened */
    if (sx__eq(c->status, "planned") && sx__eq(c->trig->form, "noun")) {
        for (size_t k = c->t1; k < hi && k < c->t1 + 14; k++) {
            const sx__tok *t = &w->toks[k];
            if (eq(t, "will") || eq(t, "would") || eq(t, "is") || eq(t, "are") || eq(t, "that")) break;
            if (eq(t, "ran") || eq(t, "lasted") || eq(t, "was") || eq(t, "were") || eq(t, "took") || eq(t, "went") ||
                eq(t, "ended") || eq(t, "began") || eq(t, "started") || eq(t, "happened") || eq(t, "occurred")) {
                sx__copy(c->status, sizeof c->status, "occurred");
                break;
            }
        }
    }
    /* "It's not true that X and Y have agreed", "denied that they met" */
    for (size_t k = lo; k + 1 < c->t0; k++) {
        const sx__tok *t = &w->toks[k];
        if ((t->lex & SX_LX_EVDENY) || (eq(t, "true") && k > lo && eq(&w->toks[k - 1], "not"))) {
            for (size_t j = k + 1; j < c->t0 && j <= k + 2; j++)
                if (eq(&w->toks[j], "that")) {
                    sx__copy(c->status, sizeof c->status, "negated");
                    return;
                }
        }
    }
    for (size_t k = c->t0 > lo + 6 ? c->t0 - 6 : lo; k < hi && k < c->t1 + 10; k++) {
        const sx__tok *t = &w->toks[k];
        if ((t->lex & SX_LX_EVCANCEL) || (eq(t, "called") && k + 1 < hi && eq(&w->toks[k + 1], "off"))) {
            sx__copy(c->status, sizeof c->status, "cancelled");
            return;
        }
    }
}

static int base_is_event(const sx__work *w, size_t i)
{
    int32_t s = w->toks[i].sent;
    for (size_t d = 1; d <= 3 && d <= i; d++) {
        const sx__tok *t = &w->toks[i - d];
        if (t->sent != s) break;
        if (t->lex & SX_LX_EVMODAL) return 1;
        if (sx__eq(t->low, "to")) {
            for (size_t e = d + 1; e <= d + 3 && e <= i; e++) {
                const sx__tok *u = &w->toks[i - e];
                if (u->sent != s) break;
                if (u->lex & SX_LX_EVCONTROL) return 1;
                if (!(u->flags & SX_TF_WORD) || !is_adverb(u)) break;
            }
            return 0;
        }
        if (!(t->flags & SX_TF_WORD) || !is_adverb(t)) break;
    }
    return 0;
}

static int is_report(const sx__trigger *t)
{
    return sx__eq(t->type, "statement") || sx__eq(t->type, "denial") || sx__eq(t->type, "accusation");
}

/* Whether timex x can date candidate c at all, whatever lies between
 * them: its type and value, its quotation, and "the 2016 election". */
static int date_usable(const sx__ectx *e, const sx__cand *c, size_t x, int inq)
{
    const sx__work *w = e->w;
    const sx_timex *tx = &w->timexes[x];
    if (tx->type != SX_TIMEX_DATE && tx->type != SX_TIMEX_TIME) return 0;
    if (strstr(tx->value, "_REF") || strlen(tx->value) < 4 || strchr(tx->value, 'X')) return 0; /* centuries, decades */
    size_t a = (size_t)w->timex_tok[2 * x], b = (size_t)w->timex_tok[2 * x + 1];
    if (((w->toks[a].flags & SX_TF_INQUOTE) != 0) != inq) return 0;
    if (strlen(tx->value) < 10) {
        /* "the 2016 election": a coarse date modifying a noun */
        const sx__tok *nx = b < w->n_toks && w->toks[b].sent == c->sent ? &w->toks[b] : NULL;
        const sx__tok *pv = a > 0 && w->toks[a - 1].sent == c->sent ? &w->toks[a - 1] : NULL;
        if (nx && !(nx->flags & SX_TF_PUNCT) && pv &&
            (eq(pv, "the") || eq(pv, "a") || eq(pv, "an") || (pv->flags & SX_TF_POSS)))
            return 0;
    }
    return 1;
}

/* Whether the tokens between candidate c and timex x keep x from dating
 * it.  Every reason holds for any timex further out on the same side, so
 * the first one blocked ends the search on that side. */
static int date_blocked(const sx__ectx *e, const sx__cand *c, size_t x)
{
    const sx__work *w = e->w;
    size_t a = (size_t)w->timex_tok[2 * x], b = (size_t)w->timex_tok[2 * x + 1];
    /* a date inside a relative clause ("..., where he will pay tribute
     * to what happened on September 11, 2001") is not the event's */
    {
        size_t lo2 = a >= c->t1 ? c->t1 : b, hi2 = a >= c->t1 ? a : c->t0;
        for (size_t k = lo2; k < hi2; k++)
            if (eq(&w->toks[k], "where") || eq(&w->toks[k], "which") || eq(&w->toks[k], "who") ||
                eq(&w->toks[k], "whose"))
                return 1;
    }
    /* "agreed to meet again in 10 days": a date after an infinitive
     * belongs to that verb, not the trigger */
    if (a >= c->t1 && !sx__eq(c->trig->form, "noun")) {
        for (size_t k = c->t1; k + 1 < a; k++)
            if (eq(&w->toks[k], "to") && (w->toks[k + 1].flags & SX_TF_WORD) && !(w->toks[k + 1].flags & SX_TF_CAP) &&
                !eq(&w->toks[k + 1], "a") && !eq(&w->toks[k + 1], "an") && !eq(&w->toks[k + 1], "the") &&
                e->am_start[k + 1] < 0)
                return 1;
    }
    /* a date on another line (a header's "3:32 P.M. EDT") dates nothing below it */
    {
        size_t lo2 = a < c->t0 ? a : c->t1, hi2 = a < c->t0 ? c->t0 : a;
        for (size_t k = lo2 + 1; k <= hi2 && k < w->n_toks; k++)
            if (w->toks[k].flags & SX_TF_NL) return 1;
    }
    /* "..., according to X": the dates before belong to what X reports */
    if (sx__eq(c->trig->form, "prep") && a < c->t0) return 1;
    /* a report's own time comes before the verb or right after it
     * ("said Friday", "said later that day"); a date further on
     * belongs to what was said ("said ... business in 2004 will ...") */
    if (is_report(c->trig) && a >= c->t1) {
        if (a > c->t1 + 3) return 1;
        for (size_t k = c->t1; k < a; k++)
            if (eq(&w->toks[k], "that") || eq(&w->toks[k], ",")) return 1;
    }
    return 0;
}

/* The date of a trigger: the nearest usable timex of its sentence (in
 * tokens; the earlier one of two as near).  Timexes are tried from the
 * nearest outwards on both sides, so a sentence with thousands of dates
 * costs what its nearest few do (bench/pathological.sh, "dates"). */
static int32_t sentence_date(const sx__ectx *e, const sx__cand *c)
{
    const sx__work *w = e->w;
    int inq = (w->toks[c->t0].flags & SX_TF_INQUOTE) != 0;
    size_t x0 = (size_t)e->tx_first[c->sent], x1 = x0;
    while (x1 < w->n_timexes && w->timexes[x1].sentence == c->sent) x1++;
    /* [x0, split) start before the trigger's end, [split, x1) at or after it */
    size_t split = x0;
    while (split < x1 && (size_t)w->timex_tok[2 * split] < c->t1) split++;
    size_t bi = split, ai = split; /* next before: bi - 1; next after: ai */
    int bdone = bi == x0, adone = ai == x1;
    while (!bdone || !adone) {
        long db = 0, da = 0;
        if (!bdone) {
            db = (long)c->t0 - (long)w->timex_tok[2 * (bi - 1) + 1] + 1;
            if (db < 0) db = -db;
        }
        if (!adone) da = (long)((size_t)w->timex_tok[2 * ai] - c->t1);
        int before = !bdone && (adone || db <= da);
        size_t x = before ? bi - 1 : ai;
        if (date_usable(e, c, x, inq)) {
            if (!date_blocked(e, c, x)) return (int32_t)x;
            if (before) bdone = 1;
            else adone = 1;
            continue;
        }
        if (before) bdone = --bi == x0;
        else adone = ++ai == x1;
    }
    return -1;
}

/* The narrative date before token k: the last full calendar date, not a
 * dateline, not the end of a range, not inside a quotation, and for events
 * that occurred not one still to come.  Triggers come in text order, so the
 * scan resumes where it stopped: linear in the document. */
static int32_t narrative_date(sx__ectx *e, size_t k, int planned)
{
    const sx__work *w = e->w;
    for (; e->narr_next < w->n_timexes; e->narr_next++) {
        size_t x = e->narr_next;
        size_t a = (size_t)w->timex_tok[2 * x];
        if (a >= k) break;
        const sx_timex *tx = &w->timexes[x];
        if (w->timex_header && w->timex_header[x]) continue; /* a dateline is the DCT, not narrative */
        /* the end of a range ("April 16 to April 17") is not where the story goes next */
        if (x > 0 && a >= 2 && (eq(&w->toks[a - 1], "to") || eq(&w->toks[a - 1], "until") ||
                                eq(&w->toks[a - 1], "through") || eq(&w->toks[a - 1], "-") ||
                                eq(&w->toks[a - 1], "–")) &&
            w->timex_tok[2 * (x - 1) + 1] == (int32_t)(a - 1))
            continue;
        if (!((tx->type == SX_TIMEX_DATE || tx->type == SX_TIMEX_TIME) && strlen(tx->value) >= 10 &&
              tx->value[4] == '-' && tx->value[7] == '-' && !(w->toks[a].flags & SX_TF_INQUOTE)))
            continue;
        e->narr_plan = (int32_t)x;
        /* a date still to come is a plan, not where the story stands */
        if (!(e->dct[0] && tx->begin[0] && strncmp(tx->begin, e->dct, 10) > 0)) e->narr_past = (int32_t)x;
    }
    return planned ? e->narr_plan : e->narr_past;
}

/* Durations of the sentence: adjectival on the trigger noun, or "for X". */
static void attach_duration(const sx__ectx *e, sx__cand *c)
{
    const sx__work *w = e->w;
    for (size_t x = (size_t)e->tx_first[c->sent]; x < w->n_timexes && w->timexes[x].sentence == c->sent; x++) {
        const sx_timex *tx = &w->timexes[x];
        if (tx->type != SX_TIMEX_DURATION) continue;
        size_t a = (size_t)w->timex_tok[2 * x], b = (size_t)w->timex_tok[2 * x + 1];
        if (w->toks[a].flags & SX_TF_INQUOTE) continue;
        int adjectival = b == c->t0 || (b + 1 == c->t0 && (w->toks[b].flags & SX_TF_WORD));
        int planned = 0;
        if (adjectival) {
            for (size_t k = a, d = 0; k > 0 && d < 3; k--, d++) {
                const sx__tok *t = &w->toks[k - 1];
                if (eq(t, "planned") || eq(t, "scheduled") || eq(t, "expected") || eq(t, "proposed")) planned = 1;
            }
        } else {
            const sx__tok *p = a > 0 ? &w->toks[a - 1] : NULL;
            const sx__tok *pp = a > 1 ? &w->toks[a - 2] : NULL;
            int lasted = p && (eq(p, "lasted") || eq(p, "lasting") ||
                               (eq(p, "for") && pp && (eq(pp, "ran") || eq(pp, "lasted") || eq(pp, "lasting") ||
                                                       eq(pp, "met") || eq(pp, "talked") || eq(pp, "spoke") ||
                                                       eq(pp, "went") || eq(pp, "continued"))));
            if (!lasted || a < c->t1) continue;
        }
        if (planned) {
            if (!c->planned[0]) sx__copy(c->planned, sizeof c->planned, tx->value);
        } else if (!c->duration[0] || (c->duration_mod[0] && !tx->mod[0])) {
            sx__copy(c->duration, sizeof c->duration, tx->value);
            sx__copy(c->duration_mod, sizeof c->duration_mod, tx->mod);
        }
    }
}

/* Meetings, visits, calls and agreements take a place anywhere in their
 * sentence; other events only one right after the trigger ("said in
 * Moscow"), since "discussed the wars in Syria" names a topic. */
static int32_t sentence_place(const sx__ectx *e, const sx__cand *c)
{
    const sx__work *w = e->w;
    int32_t best = -1;
    const char *ty = c->trig->type;
    int anywhere = sx__eq(ty, "meeting") || sx__eq(ty, "visit") || sx__eq(ty, "call") ||
                   sx__eq(ty, "agreement") || sx__eq(ty, "ceasefire");
    for (size_t p = (size_t)e->pm_first[c->sent]; p < w->n_pms && w->toks[w->pms[p].tok_start].sent == c->sent; p++) {
        const sx__pmention *pm = &w->pms[p];
        if (pm->prep < 0) continue;
        if (w->toks[pm->tok_start].flags & SX_TF_INQUOTE) continue;
        const char *prep = w->toks[pm->prep].low;
        if (!sx__eq(prep, "in") && !sx__eq(prep, "at")) continue;
        if (!anywhere && !((size_t)pm->prep >= c->t1 && (size_t)pm->prep <= c->t1 + 1)) continue;
        /* prefer the most specific (a city over a country) */
        if (best < 0 || (w->pms[best].is_country && !pm->is_country)) best = (int32_t)p;
    }
    return best;
}

static const char *role_for(const sx__trigger *t, int subject, const char *low)
{
    if (sx__eq(t->type, "statement") || sx__eq(t->type, "denial")) return "speaker";
    if (sx__eq(t->type, "accusation")) return subject ? "source" : "target";
    if (sx__eq(t->cameo, "043")) return subject ? "host" : "visitor";
    if (sx__eq(t->type, "visit")) return subject ? "visitor" : "host";
    if (sx__eq(t->type, "agreement") && !strncmp(low, "sign", 4)) return "signatory";
    return "participant";
}

/* Speaker of a pronoun: the latest statement's speaker, else the latest person. */
static int32_t resolve_pronoun(const sx__ectx *e, size_t upto)
{
    /* the latest speaker within the last 64 events: a pronoun refers back
     * a few sentences, not across a whole (possibly pathological) text */
    for (size_t i = e->n; i-- > 0 && e->n - i <= 64;) {
        const sx__cand *c = &e->c[i];
        if (c->t0 >= upto) continue;
        if (sx__eq(c->trig->type, "statement") && c->np > 0 && c->parts[0] >= 0) return c->parts[0];
    }
    /* start at the first mention at or after upto, found from its sentence */
    size_t from = upto < e->w->n_toks ? (size_t)e->am_first[e->w->toks[upto].sent] : e->w->n_ams;
    while (from < e->w->n_ams && (size_t)e->w->ams[from].tok_start < upto) from++;
    for (size_t i = from, looked = 0; i-- > 0 && looked < 256;) {
        const sx__amention *m = &e->w->ams[i];
        looked++;
        if (m->actor < 0) continue;
        if (e->w->actors[m->actor].kind == SX_ACTOR_PERSON) return m->actor;
    }
    return -1;
}

static int date_rank(const char *v) { return (int)strlen(v); }

/* Equal dates, or one at a coarser precision containing the other:
 * "2017" and "2017-07-07", "2004-W49" and "2004-11-30". */
static int dates_compatible(const char *a, const char *b)
{
    if (!a[0] || !b[0]) return !a[0] && !b[0];
    size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;
    if (n > 10) n = 10;
    if (strncmp(a, b, n) == 0) return 1;
    char ab[24], ae[24], bb[24], be[24];
    sx__value_interval(a, ab, sizeof ab, ae, sizeof ae);
    sx__value_interval(b, bb, sizeof bb, be, sizeof be);
    if (!ab[0] || !bb[0]) return 0;
    return (strcmp(ab, bb) <= 0 && strcmp(be, ae) <= 0) || (strcmp(bb, ab) <= 0 && strcmp(ae, be) <= 0);
}

static int same_core(const sx_event *a, const sx_event *b)
{
    int na = 0, nb = 0, common = 0;
    for (size_t i = 0; i < a->n_participants; i++) {
        if (!sx_role_is_core(a->participants[i].role)) continue;
        na++;
        for (size_t j = 0; j < b->n_participants; j++)
            if (sx_role_is_core(b->participants[j].role) && a->participants[i].actor == b->participants[j].actor) {
                common++;
                break;
            }
    }
    for (size_t j = 0; j < b->n_participants; j++) nb += sx_role_is_core(b->participants[j].role);
    return na == nb && common == na;
}

/* Are b's core participants a non-empty proper subset of a's? */
static int core_subset(const sx_event *b, const sx_event *a)
{
    int nb = 0, na = 0;
    for (size_t j = 0; j < a->n_participants; j++) na += sx_role_is_core(a->participants[j].role);
    for (size_t i = 0; i < b->n_participants; i++) {
        if (!sx_role_is_core(b->participants[i].role)) continue;
        nb++;
        int in = 0;
        for (size_t j = 0; j < a->n_participants && !in; j++)
            in = sx_role_is_core(a->participants[j].role) && a->participants[j].actor == b->participants[i].actor;
        if (!in) return 0;
    }
    return nb > 0 && nb < na;
}

static sx_status append_mentions(sx_event *dst, const sx_event *src)
{
    sx_mention *m = realloc(dst->mentions, (dst->n_mentions + src->n_mentions) * sizeof *m);
    if (!m) return SX_ENOMEM;
    memcpy(m + dst->n_mentions, src->mentions, src->n_mentions * sizeof *m);
    dst->mentions = m;
    dst->n_mentions += src->n_mentions;
    return SX_OK;
}

static sx_status add_participant(sx_event *ev, int32_t actor, const char *role)
{
    for (size_t i = 0; i < ev->n_participants; i++)
        if (ev->participants[i].actor == actor) {
            /* a core role beats an attendee */
            if (!sx_role_is_core(ev->participants[i].role) && sx_role_is_core(role)) ev->participants[i].role = role;
            return SX_OK;
        }
    sx_participant *p = realloc(ev->participants, (ev->n_participants + 1) * sizeof *p);
    if (!p) return SX_ENOMEM;
    ev->participants = p;
    p[ev->n_participants].actor = actor;
    p[ev->n_participants].role = role;
    ev->n_participants++;
    return SX_OK;
}

/* Folds src into dst; src is emptied. */
static sx_status merge_into(sx__work *w, sx_event *dst, sx_event *src)
{
    sx_status st = append_mentions(dst, src);
    if (st != SX_OK) return st;
    for (size_t i = 0; i < src->n_participants && st == SX_OK; i++)
        st = add_participant(dst, src->participants[i].actor, src->participants[i].role);
    if (st != SX_OK) return st;
    int src_text = src->date_source && sx__eq(src->date_source, "text");
    int dst_text = dst->date_source && sx__eq(dst->date_source, "text");
    /* an explicit date beats one inherited from the narrative; between two
     * of a kind the finer wins only where they agree ("2017-07" and
     * "2017-07-07"), so a stray date cannot overwrite the event's own */
    if ((src_text && !dst_text && src->date[0]) ||
        (src_text == dst_text && date_rank(src->date) > date_rank(dst->date) &&
         (!dst->date[0] || dates_compatible(src->date, dst->date)))) {
        dst->date_source = src->date_source;
        sx__copy(dst->date, sizeof dst->date, src->date);
        sx__copy(dst->begin, sizeof dst->begin, src->begin);
        sx__copy(dst->end_iso, sizeof dst->end_iso, src->end_iso);
        dst->date_timex = src->date_timex;
    }
    if (!dst->time[0]) sx__copy(dst->time, sizeof dst->time, src->time);
    if (src->location && (!dst->location || (strchr(src->location, ',') && !strchr(dst->location, ',')))) {
        free(dst->location);
        dst->location = src->location;
        src->location = NULL;
    }
    if (src->duration[0] && (!dst->duration[0] || (dst->duration_mod[0] && !src->duration_mod[0]))) {
        sx__copy(dst->duration, sizeof dst->duration, src->duration);
        sx__copy(dst->duration_mod, sizeof dst->duration_mod, src->duration_mod);
    }
    if (!dst->planned_duration[0]) sx__copy(dst->planned_duration, sizeof dst->planned_duration, src->planned_duration);
    if (sx__eq(dst->status, "planned") && sx__eq(src->status, "occurred")) dst->status = src->status;
    if (sx__eq(src->cameo, "0871")) dst->cameo = src->cameo;
    (void)w;
    return SX_OK;
}

static const char *static_status(const char *s)
{
    if (sx__eq(s, "negated")) return "negated";
    if (sx__eq(s, "cancelled")) return "cancelled";
    if (sx__eq(s, "planned")) return "planned";
    return "occurred";
}

/* Folds white space runs of s to single spaces in place, stopping once 242
 * units with a non-space last are out (past the clip below, so the rest
 * cannot change the summary); returns the units written. */
static size_t fold_space_prefix(char *s)
{
    size_t o = 0;
    int sp = 0;
    for (size_t i = 0; s[i] && !(o >= 242 && !sp); i++) {
        char ch = s[i];
        if (ch == '\n' || ch == '\r' || ch == '\t' || ch == ' ') {
            if (!sp && o) s[o++] = ' ';
            sp = 1;
            continue;
        }
        sp = 0;
        s[o++] = ch;
    }
    return o;
}

/* One line: the sentence of the mention, white space folded, clipped. */
static char *make_summary(const sx__work *w, int32_t sent)
{
    /* a long sentence (a list, a transcript with no stops) is read only as
     * far as the clip needs; whole again only if white space ate the rest */
    int32_t start = w->sents[sent].start, end = w->sents[sent].end;
    int whole = end - start <= 1024;
    char *s = sx__cp_substr(w, start, whole ? end : start + 1024);
    if (!s) return NULL;
    size_t o = fold_space_prefix(s);
    if (!whole && o < 242) {
        free(s);
        s = sx__cp_substr(w, start, end);
        if (!s) return NULL;
        o = fold_space_prefix(s);
    }
    while (o && s[o - 1] == ' ') o--;
    s[o] = '\0';
    if (o > 240) {
        size_t cut = 237;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80) cut--;
        memcpy(s + cut, "...", 4);
    }
    return s;
}

sx_status sx__events_run(sx__work *w)
{
    const sx__lexicon *L = sx__lex();
    if (!L) return SX_EICU;
    sx__ectx e;
    memset(&e, 0, sizeof e);
    e.w = w;
    size_t n = w->n_toks;
    /* the six per-token and per-sentence tables in one block */
    e.am_end = malloc((3 * (n + 1) + 3 * (w->n_sents + 1)) * sizeof *e.am_end);
    e.am_start = e.am_end ? e.am_end + (n + 1) : NULL;
    e.tx_of = e.am_end ? e.am_start + (n + 1) : NULL;
    e.tx_first = e.am_end ? e.tx_of + (n + 1) : NULL;
    e.pm_first = e.am_end ? e.tx_first + (w->n_sents + 1) : NULL;
    e.am_first = e.am_end ? e.pm_first + (w->n_sents + 1) : NULL;
    e.narr_past = e.narr_plan = -1;
    if (w->dct) sx__fmt_day(e.dct, sizeof e.dct, w->dct->year, w->dct->month, w->dct->day);
    sx_status st = SX_OK;
    if (!e.am_end) st = SX_ENOMEM;
    if (st == SX_OK) {
        /* per-sentence starts of the timex and place lists (both in text order) */
        size_t x = w->n_timexes, p = w->n_pms, a = w->n_ams;
        for (size_t si = w->n_sents + 1; si-- > 0;) {
            while (x > 0 && w->timexes[x - 1].sentence >= (int32_t)si) x--;
            while (p > 0 && w->toks[w->pms[p - 1].tok_start].sent >= (int32_t)si) p--;
            while (a > 0 && w->toks[w->ams[a - 1].tok_start].sent >= (int32_t)si) a--;
            e.tx_first[si] = (int32_t)x;
            e.pm_first[si] = (int32_t)p;
            e.am_first[si] = (int32_t)a;
        }
    }
    if (st == SX_OK) {
        memset(e.am_end, 0xFF, 3 * (n + 1) * sizeof *e.am_end); /* -1 in am_end, am_start and tx_of */
        for (size_t m = 0; m < w->n_ams; m++) {
            e.am_start[w->ams[m].tok_start] = (int32_t)m;
            e.am_end[w->ams[m].tok_end - 1] = (int32_t)m;
        }
        for (size_t x = 0; x < w->n_timexes; x++)
            for (int32_t k = w->timex_tok[2 * x]; k < w->timex_tok[2 * x + 1]; k++) e.tx_of[k] = (int32_t)x;
    }

    /* A release headed "Statement by NSC Spokesman Tommy Vietor" speaks in
     * that person's voice: its unattributed reports are theirs. */
    int32_t doc_speaker = -1;
    if (w->n_sents > 0) {
        int32_t h1 = w->sent_tok0[1 < w->n_sents ? 1 : 0];
        if (w->n_sents == 1) h1 = (int32_t)n;
        int by = 0;
        for (int32_t k = 0; k < h1 && k < 24; k++) {
            if (eq(&w->toks[k], "by") || eq(&w->toks[k], "from")) by = 1;
            else if (by && e.am_start[k] >= 0 && w->ams[e.am_start[k]].actor >= 0 &&
                     w->actors[w->ams[e.am_start[k]].actor].kind == SX_ACTOR_PERSON) {
                doc_speaker = w->ams[e.am_start[k]].actor;
                break;
            }
        }
        if (!(eq(&w->toks[0], "statement") || eq(&w->toks[0], "remarks") || eq(&w->toks[0], "readout") ||
              eq(&w->toks[0], "press"))) doc_speaker = -1;
    }

    /* ---- 1-5: candidates ---- */
    for (size_t i = 0; i < n && st == SX_OK;) {
        const sx__tok *t = &w->toks[i];
        if (!(t->lex & SX_LX_PHRASE) || (t->flags & SX_TF_INQUOTE) || e.tx_of[i] >= 0 || e.am_start[i] >= 0) {
            i++;
            continue;
        }
        sx__match mm[4];
        int nm;
        int32_t tn = sx__phrase_match(w, i, SX_PH_MASK(SX_PH_TRIGGER), mm, 4, &nm);
        if (!tn) {
            i++;
            continue;
        }
        int ok;
        SX__GROW(e.c, e.n, e.cap, ok);
        if (!ok) {
            st = SX_ENOMEM;
            break;
        }
        sx__cand *c = &e.c[e.n];
        memset(c, 0, sizeof *c);
        c->trig = &L->triggers[mm[0].id];
        c->t0 = i;
        c->t1 = i + (size_t)tn;
        c->sent = t->sent;
        c->date_timex = -1;
        c->place = -1;

        const sx__trigger *tg = c->trig;
        /* "will visit Tokyo", "to meet": a noun-form trigger used as a verb */
        int noun = sx__eq(tg->form, "noun") && !(t->low_len > 0 && t->low[t->low_len - 1] != 's' &&
                                                  tn == 1 && base_is_event(w, i));
        /* A bare infinitive is an event only under a modal or a verb of
         * plan or agreement ("will meet", "agreed to meet"); "a chance to
         * ... discuss" is a purpose, not a happening. */
        if (sx__eq(tg->form, "base") && !base_is_event(w, i)) {
            i = c->t1;
            continue;
        }
        /* "summit" after "at the ..." with another meeting in the sentence is a setting */
        if (noun && sx__eq(t->low, "summit")) {
            size_t lo = (size_t)w->sent_tok0[c->sent];
            int at = 0, other = 0;
            for (size_t k = i, d = 0; k > lo && d < 6; k--, d++)
                if (eq(&w->toks[k - 1], "at") || eq(&w->toks[k - 1], "of") || eq(&w->toks[k - 1], "on")) {
                    at = 1; /* "at the G-20 summit", "on the margins of the G7 Summit" */
                    break;
                }
            for (size_t k = e.n; k-- > 0 && e.c[k].sent == c->sent;)
                if (sx__eq(e.c[k].trig->type, "meeting")) other = 1;
            if (at && other) {
                i = c->t1;
                continue;
            }
        }
        /* "spoke"/"talked" are calls only by phone: "spoke with Lavrov by
         * telephone", "talked by phone"; otherwise nothing */
        if (tn == 1 && (eq(t, "spoke") || eq(t, "talked"))) {
            int phone = 0;
            for (size_t k = c->t1; k < n && k < c->t1 + 10 && w->toks[k].sent == c->sent; k++)
                phone |= eq(&w->toks[k], "phone") || eq(&w->toks[k], "telephone") || eq(&w->toks[k], "video");
            if (!phone) {
                i = c->t1;
                continue;
            }
        }
        /* "said" as an adjective ("the said agreement") */
        if (sx__eq(tg->form, "prep")) {
            collect_right(&e, c, c->t1, "speaker", 0);
        } else if (noun) {
            /* "Bush's visit to Canada": the country visited hosts */
            if (sx__eq(tg->type, "visit") && c->t1 < n && eq(&w->toks[c->t1], "to")) {
                for (size_t p = (size_t)e.pm_first[c->sent]; p < w->n_pms && w->toks[w->pms[p].tok_start].sent == c->sent; p++) {
                    const sx__pmention *pm = &w->pms[p];
                    if ((size_t)pm->tok_start != c->t1 + 1 && (size_t)pm->tok_start != c->t1 + 2) continue;
                    if (pm->country < 0) break;
                    int32_t ca = sx__country_actor(w, pm->country, w->toks[pm->tok_start].cp_start, w->toks[pm->tok_end - 1].cp_end);
                    if (ca < 0) {
                        st = SX_ENOMEM;
                        break;
                    }
                    add_part(c, ca, "host");
                    c->place = (int32_t)p;
                    break;
                }
                /* a country named as an actor right after "to" */
                if (c->t1 + 1 < n && e.am_start[c->t1 + 1] >= 0 && w->ams[e.am_start[c->t1 + 1]].actor >= 0 &&
                    w->actors[w->ams[e.am_start[c->t1 + 1]].actor].kind == SX_ACTOR_COUNTRY)
                    add_part(c, w->ams[e.am_start[c->t1 + 1]].actor, "host");
            }
            /* possessive owner: "Trump's meeting" */
            if (i > 0 && e.am_end[i - 1] >= 0 && (w->toks[i - 1].flags & SX_TF_POSS)) {
                int32_t acts[4];
                int na = mention_actors(&e, e.am_end[i - 1], acts, 4);
                for (int k = 0; k < na; k++) add_part(c, acts[k], role_for(tg, 1, t->low));
            }
            /* "the G8 summit", "a NATO Foreign Ministerial meeting": the
             * organisation meets (over up to three capitalized words) */
            for (size_t b = i, d = 0; sx__eq(tg->type, "meeting") && b > 0 && d < 4; b--, d++) {
                int32_t mi = e.am_end[b - 1];
                if (mi >= 0 && w->ams[mi].actor >= 0 && w->actors[w->ams[mi].actor].kind == SX_ACTOR_ORG) {
                    add_part(c, w->ams[mi].actor, "participant");
                    break;
                }
                if (!(w->toks[b - 1].flags & SX_TF_CAP) || w->toks[b - 1].sent != c->sent) break;
            }
            collect_right(&e, c, c->t1, role_for(tg, 0, t->low), 1);
            /* "had very good and constructive meetings", "held talks": the
             * subject of the light verb holds the meeting */
            if (c->np == 0 && (sx__eq(tg->type, "meeting") || sx__eq(tg->type, "call") ||
                               sx__eq(tg->type, "discussion"))) {
                size_t lo = (size_t)w->sent_tok0[c->sent];
                for (size_t k = i, d = 0; k > lo && d < 6; k--, d++) {
                    const sx__tok *lv = &w->toks[k - 1];
                    if (eq(lv, "had") || eq(lv, "held") || eq(lv, "hold") || eq(lv, "holds") || eq(lv, "holding") ||
                        eq(lv, "have") || eq(lv, "has") || eq(lv, "conducted") || eq(lv, "began") || eq(lv, "opened") ||
                        eq(lv, "concluded") || eq(lv, "wrapped")) {
                        collect_left(&e, c, k - 1, role_for(tg, 1, t->low));
                        break;
                    }
                    if (!(lv->flags & SX_TF_WORD) && !eq(lv, "-")) break;
                }
            }
            if (sx__eq(tg->type, "ceasefire")) {
                /* a cease-fire agreed in the same clause is the agreement's object */
                int agreed = 0;
                for (size_t k = 0; k < e.n; k++)
                    if (e.c[k].sent == c->sent && sx__eq(e.c[k].trig->type, "agreement")) {
                        agreed = 1;
                        e.c[k].ceasefire = 1;
                    }
                if (agreed) {
                    i = c->t1;
                    continue;
                }
            }
        } else {
            collect_left(&e, c, i, role_for(tg, 1, t->low));
            if (c->np == 0) subject_fallback(&e, c, role_for(tg, 1, t->low));
            if (c->np == 0 && doc_speaker >= 0 && is_report(tg)) add_part(c, doc_speaker, "speaker");
            /* objects: "met X", "met with X", "hosted X", "visited X", "accused X", "said Tillerson" */
            if (sx__eq(tg->type, "statement")) {
                if (c->np == 0) collect_right(&e, c, c->t1, "speaker", 0);
            } else if (sx__eq(tg->type, "meeting") || sx__eq(tg->type, "call") ||
                       sx__eq(tg->type, "visit") || sx__eq(tg->type, "accusation")) {
                collect_right(&e, c, c->t1, role_for(tg, 0, t->low), 0);
                /* "will travel to Berlin, Germany": the host is the country of the place */
                if (sx__eq(tg->type, "visit")) {
                    for (size_t p = 0; p < w->n_pms; p++) {
                        const sx__pmention *pm = &w->pms[p];
                        if ((size_t)pm->tok_start < c->t1 || (size_t)pm->tok_start > c->t1 + 1 || pm->country < 0) continue;
                        int32_t ca = sx__country_actor(w, pm->country, w->toks[pm->tok_start].cp_start,
                                                       w->toks[pm->tok_end - 1].cp_end);
                        if (ca < 0) {
                            st = SX_ENOMEM;
                            break;
                        }
                        int has_host = 0;
                        for (int q = 0; q < c->np; q++) has_host |= sx__eq(c->roles[q], "host");
                        if (!has_host) add_part(c, ca, "host");
                        c->place = (int32_t)p;
                        break;
                    }
                    /* "will continue to face sanctions": a verb of motion
                     * is a visit only with a destination */
                    int has_host = 0;
                    for (int q = 0; q < c->np; q++) has_host |= sx__eq(c->roles[q], "host");
                    if (!has_host && (eq(t, "continue") || eq(t, "continues") || eq(t, "head") || eq(t, "heads") ||
                                      eq(t, "headed") || eq(t, "fly") || eq(t, "flew") || eq(t, "travel") ||
                                      eq(t, "travels") || eq(t, "traveled") || eq(t, "travelled") ||
                                      eq(t, "arrive") || eq(t, "arrives") || eq(t, "arrived"))) {
                        i = c->t1;
                        continue;
                    }
                }
            } else if (sx__eq(tg->type, "agreement") || sx__eq(tg->type, "discussion")) {
                collect_right(&e, c, c->t1, role_for(tg, 0, t->low), 1);
            }
            /* "discussed aid with the Tanzanian President": the partner may
             * come after the topic, before the clause ends */
            if ((sx__eq(tg->type, "discussion") || sx__eq(tg->type, "meeting") || sx__eq(tg->type, "call") ||
                 sx__eq(tg->type, "agreement")) &&
                c->np < 2) {
                for (size_t k = c->t1, d = 0; k < n && d < 8 && w->toks[k].sent == c->sent; k++, d++) {
                    if (eq(&w->toks[k], ",") || eq(&w->toks[k], ";") || eq(&w->toks[k], "that") ||
                        (w->toks[k].lex & SX_LX_PHRASE && is_trigger_word(&w->toks[k])))
                        break;
                    if (eq(&w->toks[k], "with")) {
                        collect_right(&e, c, k, role_for(tg, 0, t->low), 1);
                        break;
                    }
                }
            }
            c->perfect = in_perfect(&e, c);
        }
        /* plural pronouns: the core parties of the latest event with two or more */
        for (int k = 0; k < c->np; k++)
            if (c->parts[k] == -3) {
                const char *role = c->roles[k];
                c->parts[k] = c->parts[--c->np];
                c->roles[k] = c->roles[c->np];
                k--;
                for (size_t q = e.n; q-- > 0;) {
                    const sx__cand *pc = &e.c[q];
                    int ncore = 0, kinds = 0;
                    for (int r = 0; r < pc->np; r++)
                        if (pc->parts[r] >= 0 && sx_role_is_core(pc->roles[r])) {
                            ncore++;
                            kinds |= 1 << w->actors[pc->parts[r]].kind;
                        }
                    /* "they" are parties of one kind: two leaders, two countries */
                    if (ncore < 2 || (kinds & (kinds - 1))) continue;
                    for (int r = 0; r < pc->np; r++)
                        if (pc->parts[r] >= 0 && sx_role_is_core(pc->roles[r])) add_part(c, pc->parts[r], role);
                    break;
                }
            }
        /* pronoun speakers */
        for (int k = 0; k < c->np; k++)
            if (c->parts[k] == -2) {
                int32_t a = resolve_pronoun(&e, i);
                if (a >= 0) c->parts[k] = a;
                else {
                    c->parts[k] = c->parts[--c->np];
                    c->roles[k] = c->roles[c->np];
                    k--;
                }
            }
        set_status(&e, c);
        c->date_timex = sentence_date(&e, c);
        c->date_source = c->date_timex >= 0 ? "text" : NULL;
        if (c->date_timex < 0 && !c->perfect) {
            c->date_timex = narrative_date(&e, i, sx__eq(c->status, "planned"));
            if (c->date_timex >= 0) c->date_source = "narrative";
        }
        if (c->date_timex < 0 && !c->perfect && sx__eq(tg->form, "present") && w->dct) {
            c->date_timex = -3;
            c->date_source = "dct";
        }
        if (c->place < 0) c->place = sentence_place(&e, c);
        attach_duration(&e, c);
        /* "X has said ...", "X has repeatedly denied ..." with no date of
         * their own report a standing position, not a speech act */
        if (c->perfect && c->date_timex < 0 &&
            (sx__eq(tg->type, "statement") || sx__eq(tg->type, "denial"))) {
            i = c->t1;
            continue;
        }
        e.n++;
        i = c->t1;
    }

    /* ---- transcripts: a speaker label opening a line ("SECRETARY POMPEO:",
     * "Chairman Kim." followed by the words on the same line) is a
     * statement by that speaker on the document's date ---- */
    const sx__trigger *say = NULL;
    for (size_t k = 0; k < L->n_triggers && !say; k++)
        if (sx__eq(L->triggers[k].type, "statement") && sx__eq(L->triggers[k].form, "past")) say = &L->triggers[k];
    for (size_t m = 0; m < w->n_ams && st == SX_OK && say; m++) {
        const sx__amention *am = &w->ams[m];
        size_t a = (size_t)am->tok_start, b = (size_t)am->tok_end;
        if (am->actor < 0 || w->actors[am->actor].kind != SX_ACTOR_PERSON) continue;
        if (!(w->toks[a].flags & (SX_TF_NL | SX_TF_SENT0)) || a != (size_t)w->sent_tok0[w->toks[a].sent]) continue;
        if (a > 0 && !(w->toks[a].flags & SX_TF_NL)) continue;
        if (b >= n || (!eq(&w->toks[b], ":") && !eq(&w->toks[b], "."))) continue;
        if (b + 1 >= n || (w->toks[b + 1].flags & SX_TF_NL)) continue; /* words must follow on the line */
        if (eq(&w->toks[b], ".") && w->toks[b + 1].sent == w->toks[b].sent) continue;
        int ok;
        SX__GROW(e.c, e.n, e.cap, ok);
        if (!ok) {
            st = SX_ENOMEM;
            break;
        }
        sx__cand *c = &e.c[e.n++];
        memset(c, 0, sizeof *c);
        c->trig = say;
        c->t0 = a;
        c->t1 = b;
        c->sent = w->toks[b + 1].sent;
        c->place = -1;

        add_part(c, am->actor, "speaker");
        sx__copy(c->status, sizeof c->status, "occurred");
        c->date_timex = w->dct ? -3 : -1;
        c->date_source = w->dct ? "dct" : NULL;
    }

    /* ---- build events ---- */
    for (size_t k = 0; k < e.n && st == SX_OK; k++) {
        sx__cand *c = &e.c[k];
        int ok;
        SX__GROW(w->events, w->n_events, w->cap_events, ok);
        if (!ok) {
            st = SX_ENOMEM;
            break;
        }
        sx_event *ev = &w->events[w->n_events];
        memset(ev, 0, sizeof *ev);
        ev->type = c->trig->type;
        ev->cameo = c->ceasefire ? "0871" : c->trig->cameo;
        ev->status = static_status(c->status);
        ev->date_timex = c->date_timex >= 0 ? c->date_timex : -1;
        ev->date_source = c->date_source;
        if (c->date_timex >= 0) {
            const sx_timex *tx = &w->timexes[c->date_timex];
            if (tx->type == SX_TIMEX_TIME && strlen(tx->value) > 10) {
                snprintf(ev->date, sizeof ev->date, "%.10s", tx->value);
                if (tx->value[11] >= '0' && tx->value[11] <= '9') sx__copy(ev->time, sizeof ev->time, tx->value);
            } else sx__copy(ev->date, sizeof ev->date, tx->value);
        } else if (c->date_timex == -3) {
            sx_date_format(w->dct, ev->date, sizeof ev->date);
            ev->date[10] = '\0';
        }
        sx__value_interval(ev->date, ev->begin, sizeof ev->begin, ev->end_iso, sizeof ev->end_iso);
        if (c->place >= 0) ev->location = sx__strdup(w->pms[c->place].name);
        sx__copy(ev->duration, sizeof ev->duration, c->duration);
        sx__copy(ev->duration_mod, sizeof ev->duration_mod, c->duration_mod);
        sx__copy(ev->planned_duration, sizeof ev->planned_duration, c->planned);
        ev->mentions = malloc(sizeof *ev->mentions);
        if (!ev->mentions) {
            st = SX_ENOMEM;
            break;
        }
        ev->mentions[0].start = w->toks[c->t0].cp_start;
        ev->mentions[0].end = w->toks[c->t1 - 1].cp_end;
        ev->mentions[0].sentence = c->sent;
        ev->n_mentions = 1;
        w->n_events++;
        for (int p = 0; p < c->np && st == SX_OK; p++) st = add_participant(ev, c->parts[p], c->roles[p]);
    }

    /* ---- 6: merge ---- */
    int *gone = st == SX_OK ? calloc(w->n_events + 1, sizeof *gone) : NULL;
    int32_t *joined = st == SX_OK ? malloc((w->n_events + 1) * sizeof *joined) : NULL;
    if (st == SX_OK && (!gone || !joined)) st = SX_ENOMEM;
    for (size_t k = 0; joined && k <= w->n_events; k++) joined[k] = -1;
    /* participantless meeting mentions join the latest meeting before them;
     * the first one, with none before, takes the persons of its sentence */
    for (size_t k = 0; k < w->n_events && st == SX_OK; k++) {
        sx_event *ev = &w->events[k];
        if (ev->n_participants || sx__eq(ev->type, "statement") || sx__eq(ev->type, "denial") ||
            sx__eq(ev->type, "accusation"))
            continue;
        int32_t target = -1;
        for (size_t j = k; j-- > 0 && k - j <= SX__MERGE_WINDOW;)
            if (!gone[j] && sx__eq(w->events[j].type, ev->type) && w->events[j].n_participants &&
                (dates_compatible(w->events[j].date, ev->date) || !ev->date[0] || !w->events[j].date[0] ||
                 strlen(ev->date) < 10 || !ev->date_source || !sx__eq(ev->date_source, "text") ||
                 !w->events[j].date_source || !sx__eq(w->events[j].date_source, "text"))) {
                target = (int32_t)j;
                break;
            }
        if (sx__eq(ev->type, "meeting")) {
            /* "signed Monday at talks in Addis Ababa": talks held by the
             * parties of the other event of the sentence */
            int32_t s0 = ev->mentions[0].sentence;
            for (size_t j = k > SX__MERGE_WINDOW ? k - SX__MERGE_WINDOW : 0;
                 j < w->n_events && j <= k + SX__MERGE_WINDOW && st == SX_OK && !ev->n_participants; j++) {
                if (j == k || w->events[j].mentions[0].sentence != s0) continue;
                /* an event of the sentence that already joined another lends that one's parties */
                size_t jj = j;
                while (gone[jj] && joined[jj] >= 0) jj = (size_t)joined[jj];
                if (gone[jj]) continue;
                const sx_event *o = &w->events[jj];
                int core = 0;
                for (size_t p = 0; p < o->n_participants; p++) core += sx_role_is_core(o->participants[p].role);
                if (core < 2) continue;
                for (size_t p = 0; p < o->n_participants && st == SX_OK; p++)
                    if (sx_role_is_core(o->participants[p].role)) st = add_participant(ev, o->participants[p].actor, "participant");
            }
            if (ev->n_participants) continue;
        }
        if (target < 0 && !sx__eq(ev->type, "meeting")) continue;
        if (target < 0) {
            /* "X confronted Y ... during a face-to-face meeting": the persons
             * of a clause the meeting is the setting of; not sources
             * ("according to X") */
            int setting = 0;
            size_t q = k < e.n ? e.c[k].t0 : 0; /* events are still in candidate order */
            for (size_t d = 1; d <= 8 && d <= q && !setting; d++) {
                const sx__tok *p = &w->toks[q - d];
                setting = eq(p, "during") || eq(p, "at") || eq(p, "after") || eq(p, "before") ||
                          eq(p, "following") || eq(p, "ahead");
            }
            if (!setting) continue;
            int32_t s = ev->mentions[0].sentence;
            for (size_t m = (size_t)e.am_first[s]; m < w->n_ams && w->toks[w->ams[m].tok_start].sent == s && st == SX_OK; m++) {
                const sx__amention *am = &w->ams[m];
                if (am->actor < 0) continue;
                if (w->toks[am->tok_start].flags & SX_TF_INQUOTE) continue;
                if (w->actors[am->actor].kind != SX_ACTOR_PERSON) continue;
                if (am->tok_start >= 2 && eq(&w->toks[am->tok_start - 1], "to") && eq(&w->toks[am->tok_start - 2], "according"))
                    continue;
                st = add_participant(ev, am->actor, "participant");
            }
            if (ev->n_participants < 2) {
                free(ev->participants);
                ev->participants = NULL;
                ev->n_participants = 0;
            }
            continue;
        }
        st = merge_into(w, &w->events[target], ev);
        gone[k] = 1;
        joined[k] = target;
    }
    /* same type, compatible date, same core participants; then an undated
     * mention ("Secretary Pompeo's Meeting With ... Blok" in a headline)
     * joins the one dated event with the same parties */
    for (int pass = 0; pass < 2 && st == SX_OK; pass++)
        for (size_t k = 0; k < w->n_events && st == SX_OK; k++) {
            if (gone[k] || (pass == 1 && w->events[k].date[0])) continue;
            int32_t target = -1, found = 0;
            for (size_t j = k > SX__MERGE_WINDOW ? k - SX__MERGE_WINDOW : 0;
                 j < w->n_events && j <= k + SX__MERGE_WINDOW; j++) {
                if (j == k || gone[j] || (pass == 0 && j > k)) continue;
                sx_event *a = &w->events[j], *b = &w->events[k];
                if (!sx__eq(a->type, b->type) || !same_core(a, b)) continue;
                if (pass == 0 && !dates_compatible(a->date, b->date)) continue;
                if (pass == 1 && (!a->date[0] || !sx__eq(a->status, b->status))) continue; /* a plan is not the talks held */
                if (target < 0) target = (int32_t)j;
                found++;
            }
            if (target >= 0 && (pass == 0 || found == 1)) {
                st = merge_into(w, &w->events[target], &w->events[k]);
                gone[k] = 1;
            }
        }
    /* a mention that names fewer parties ("the meeting with King Abdullah"
     * in a headline) joins the one fuller event of its type it fits */
    for (size_t k = 0; k < w->n_events && st == SX_OK; k++) {
        if (gone[k] || sx__eq(w->events[k].type, "statement") || sx__eq(w->events[k].type, "denial")) continue;
        int32_t target = -1, found = 0;
        for (size_t j = k > SX__MERGE_WINDOW ? k - SX__MERGE_WINDOW : 0;
             j < w->n_events && j <= k + SX__MERGE_WINDOW; j++) {
            if (j == k || gone[j]) continue;
            sx_event *a = &w->events[j], *b = &w->events[k];
            if (!sx__eq(a->type, b->type) || !core_subset(b, a)) continue;
            if (b->date[0] && !dates_compatible(a->date, b->date)) continue;
            target = (int32_t)j;
            found++;
        }
        if (found == 1) {
            st = merge_into(w, &w->events[target], &w->events[k]);
            gone[k] = 1;
        }
    }
    /* an event needs someone who did it; a meeting, call, discussion, visit
     * or agreement needs two sides, unless an organisation meets as one
     * ("the G8 summit") */
    for (size_t k = 0; k < w->n_events; k++) {
        int core = 0, org = 0;
        const sx_event *ev = &w->events[k];
        for (size_t p = 0; p < ev->n_participants; p++)
            if (sx_role_is_core(ev->participants[p].role)) {
                core++;
                org |= w->actors[ev->participants[p].actor].kind == SX_ACTOR_ORG;
            }
        int multi = sx__eq(ev->type, "meeting") || sx__eq(ev->type, "call") || sx__eq(ev->type, "discussion") ||
                    sx__eq(ev->type, "visit") || sx__eq(ev->type, "agreement");
        if (!core || (multi && core < 2 && !org)) gone[k] = 1;
    }
    /* attendees: "only Tillerson, Lavrov and two interpreters were present"
     * join the latest meeting told before or in that sentence */
    int32_t *meeting_upto = st == SX_OK ? malloc((w->n_sents + 1) * sizeof *meeting_upto) : NULL;
    if (st == SX_OK && !meeting_upto) st = SX_ENOMEM;
    if (st == SX_OK) {
        for (size_t s = 0; s <= w->n_sents; s++) meeting_upto[s] = -1;
        for (size_t k = 0; k < w->n_events; k++) {
            int32_t s0 = w->events[k].mentions[0].sentence;
            if (!gone[k] && sx__eq(w->events[k].type, "meeting") && (meeting_upto[s0] < 0 || (int32_t)k > meeting_upto[s0]))
                meeting_upto[s0] = (int32_t)k;
        }
        for (size_t s = 1; s < w->n_sents; s++)
            if (meeting_upto[s] < 0) meeting_upto[s] = meeting_upto[s - 1];
    }
    for (size_t s = 0, m = 0; s < w->n_sents && st == SX_OK; s++) {
        while (m < w->n_ams && w->toks[w->ams[m].tok_start].sent < (int32_t)s) m++;
        int32_t target = meeting_upto[s];
        if (target < 0) continue;
        int present = 0;
        for (int32_t k = w->sent_tok0[s]; k < w->sent_tok0[s + 1]; k++)
            if ((w->toks[k].lex & SX_LX_EVPRESENT) && !(w->toks[k].flags & SX_TF_INQUOTE)) present = 1;
        if (!present) continue;
        for (size_t q = m; q < w->n_ams && w->toks[w->ams[q].tok_start].sent == (int32_t)s && st == SX_OK; q++) {
            const sx__amention *am = &w->ams[q];
            if (am->actor < 0 || w->actors[am->actor].kind != SX_ACTOR_PERSON) continue;
            st = add_participant(&w->events[target], am->actor, "attendee");
        }
    }
    free(meeting_upto);
    /* a dated event after the document date has not happened yet */
    if (w->dct) {
        for (size_t k = 0; k < w->n_events; k++) {
            sx_event *ev = &w->events[k];
            if (sx__eq(ev->status, "occurred") && ev->begin[0] && strncmp(ev->begin, e.dct, 10) > 0) ev->status = "planned";
        }
    }
    /* compact */
    if (st == SX_OK) {
        size_t o = 0;
        for (size_t k = 0; k < w->n_events; k++) {
            if (gone[k]) {
                sx_event *ev = &w->events[k];
                free(ev->location);
                free(ev->summary);
                free(ev->participants);
                free(ev->mentions);
                continue;
            }
            w->events[o++] = w->events[k];
        }
        w->n_events = o;
        /* summaries only for the events kept (most mentions merge away);
         * the event before from the same sentence lends its copy */
        for (size_t k = 0; k < w->n_events && st == SX_OK; k++) {
            sx_event *ev = &w->events[k];
            int32_t s = ev->mentions[0].sentence;
            ev->summary = k > 0 && w->events[k - 1].mentions[0].sentence == s ? sx__strdup(w->events[k - 1].summary)
                                                                              : make_summary(w, s);
            if (!ev->summary) st = SX_ENOMEM;
        }
    }
    free(gone);
    free(joined);
    free(e.am_end);
    free(e.c);
    return st;
}
