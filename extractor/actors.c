/*
 * actors.c -- persons, countries, organisations and places in the text.
 *
 * Exports sx__actors_run (sx_int.h).  Fills w->actors (one per distinct
 * actor), w->ams (every mention, with its token range) and w->pms (place
 * mentions).  Recognized forms, tried at each token in this order:
 *   [Demonym] Title [Name]     "Russian President Vladimir Putin",
 *                              "Secretary of State Rex Tillerson",
 *                              "President Trump" (surname + office + date
 *                              against the people gazetteer)
 *   Full name                  "Vladimir Putin" (gazetteer, with aliases)
 *   Surname                    "Putin" once the person is known in the
 *                              document, or when the gazetteer has exactly
 *                              one holder of an office on the DCT
 *   Unknown person             2-3 capitalized words introduced by a title,
 *                              followed by an appositive (", director of")
 *                              or a speech verb, or after "according to"
 *   Organisation               "NATO", "the U.N.", "G-20"
 *   Country                    "Russia", "the U.S."; metonyms "Moscow",
 *                              "the Kremlin" (a place after "in/at/to")
 *   Role noun                  "the U.S. diplomat", "the Russian leader" ->
 *                              latest person of that country and office
 *   Group                      "the two leaders", "both leaders", "the two
 *                              countries" -> the two latest of that kind
 *   Pronoun                    he, she (resolved by events.c to a speaker)
 * Gazetteer words match only capitalized text ("Trump", never "trump").
 * Country names come from ICU region data; the rest from data/ (TSV files).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sx_int.h"

#define SX__MAXM 8

/* Words of institutions, never of a person's name (lexicon class SX_LX_ORGWORD). */
const char *const sx__org_words[] = {"commission", "affairs", "council", "ministry", "department", "committee",
                                     "office", "agency", "party", "union", "republic", "states", "state",
                                     "assembly", "congress", "parliament", "court", "bank", "fund", "forces",
                                     "army", "organization", "organisation", "institute", "university", "group",
                                     "house", "senate", NULL};

static int cap(const sx__tok *t) { return (t->flags & SX_TF_CAP) && (t->flags & (SX_TF_WORD | SX_TF_NUM)); }

static int32_t dct_ymd(const sx__work *w)
{
    return w->dct ? w->dct->year * 10000 + w->dct->month * 100 + w->dct->day : 0;
}

/* Finds or adds an actor; returns its index or -1 on OOM. */
static int32_t actor_get(sx__work *w, sx_actor_kind kind, const char *name, const char *country,
                         const char *title, const char *cls, int32_t cp0, int32_t cp1)
{
    for (size_t i = 0; i < w->n_actors; i++)
        if (w->actors[i].kind == kind && sx__eq(w->actors[i].name, name)) {
            w->actors[i].mentions++;
            if (!w->actors[i].title && title && *title) w->actors[i].title = sx__strdup(title);
            if (!w->actors[i].country && country && *country) w->actors[i].country = sx__strdup(country);
            if (!w->actor_cls[i] && cls) w->actor_cls[i] = cls;
            return (int32_t)i;
        }
    int ok;
    SX__GROW(w->actors, w->n_actors, w->cap_actors, ok);
    if (!ok) return -1;
    size_t cap_cls = w->cap_actor_cls;
    SX__GROW(w->actor_cls, w->n_actors, cap_cls, ok);
    if (!ok) return -1;
    w->cap_actor_cls = cap_cls;
    sx_actor *a = &w->actors[w->n_actors];
    memset(a, 0, sizeof *a);
    a->kind = kind;
    a->name = sx__strdup(name);
    a->country = country && *country ? sx__strdup(country) : NULL;
    a->title = title && *title ? sx__strdup(title) : NULL;
    a->first_start = cp0;
    a->first_end = cp1;
    a->mentions = 1;
    if (!a->name) return -1;
    w->actor_cls[w->n_actors] = cls;
    return (int32_t)w->n_actors++;
}

static int add_mention(sx__work *w, size_t t0, size_t t1, int32_t actor)
{
    int ok;
    /* "U.S." keeps its final dot, so "the U.S. and Russia" coordinates */
    if (t1 < w->n_toks && (w->toks[t1 - 1].flags & SX_TF_DOT) && strchr(w->toks[t1 - 1].low, '.') &&
        w->toks[t1].sent == w->toks[t1 - 1].sent)
        t1++;
    SX__GROW(w->ams, w->n_ams, w->cap_ams, ok);
    if (!ok) return 0;
    sx__amention *m = &w->ams[w->n_ams++];
    memset(m, 0, sizeof *m);
    m->tok_start = (int32_t)t0;
    m->tok_end = (int32_t)t1;
    m->actor = actor;
    return 1;
}

/* Does the folded word low equal the first or the last word of name?
 * ("Putin" -> Vladimir Putin; "Kim" -> Kim Jong Un, whose family name
 * comes first; "Abdullah" -> Abdullah II of Jordan). ASCII case folding
 * is enough here: low is already folded and names are compared as written. */
static int name_word_match(const char *name, const char *low)
{
    size_t n = strlen(low);
    const char *last = strrchr(name, ' ');
    const char *cands[2] = {name, last ? last + 1 : NULL};
    for (int c = 0; c < 2; c++) {
        const char *w = cands[c];
        if (!w) continue;
        size_t k = 0;
        for (; k < n && w[k] && w[k] != ' '; k++) {
            char a = w[k];
            if (a >= 'A' && a <= 'Z') a = (char)(a + 32);
            if (a != low[k]) break;
        }
        if (k == n && (w[k] == '\0' || w[k] == ' ')) return 1;
    }
    return 0;
}

static int role_compatible(const char *role, const char *cls)
{
    if (!cls || cls[0] == '@' || sx__eq(cls, "other") || sx__eq(cls, "honorific") || sx__eq(cls, "spokesperson"))
        return 1;
    if (sx__eq(role, cls)) return 1;
    int head_cls = sx__eq(cls, "head_of_state") || sx__eq(cls, "head_of_government");
    int head_role = sx__eq(role, "head_of_state") || sx__eq(role, "head_of_government");
    return head_cls && head_role;
}

/* Gazetteer row of the one person called low (first or last name), of an
 * office class and country if given.  With a DCT: the one such person in
 * office on that day, or (need_office == 0) the one who ever held such an
 * office.  Without a DCT: the one such person.  -1 when none or several. */
static int32_t person_by_surname(const sx__work *w, const char *low, const char *cls,
                                 const char *country, int need_office)
{
    const sx__lexicon *L = sx__lex();
    int32_t day = dct_ymd(w);
    const char *names[16];
    int32_t rows[16];
    int in_office[16], n = 0;
    int32_t cand[256];
    size_t nc = sx__name_rows(low, cand, 256);
    for (size_t ci = nc; ci-- > 0;) { /* rows come newest first: walk them in file order */
        size_t i = (size_t)cand[ci];
        const sx__person *p = &L->people[i];
        if (country && *country && !sx__eq(p->country, country)) continue;
        if (!role_compatible(p->role, cls)) continue;
        int on = day && p->start <= day && day < p->end;
        int k = 0;
        while (k < n && !sx__eq(names[k], p->name)) k++;
        if (k == n) {
            if (n == 16) return -1;
            names[n] = p->name, rows[n] = (int32_t)i, in_office[n] = on, n++;
        } else if (on || (!in_office[k] && p->start > L->people[rows[k]].start)) {
            rows[k] = (int32_t)i;
            in_office[k] |= on;
        }
    }
    int32_t pick = -1;
    int count = 0;
    if (day) {
        for (int k = 0; k < n; k++)
            if (in_office[k]) pick = rows[k], count++;
        if (count == 1) return pick;
        if (count > 1 || need_office) return -1;
    }
    return n == 1 ? rows[0] : -1;
}

/* An in-document person whose first or last name is low. */
static int32_t known_surname(const sx__work *w, const char *low)
{
    for (size_t i = w->n_actors; i-- > 0;) {
        const sx_actor *a = &w->actors[i];
        if (a->kind == SX_ACTOR_PERSON && strchr(a->name, ' ') && name_word_match(a->name, low)) return (int32_t)i;
    }
    return -1;
}

/* The lower-case words an actor mention can start at ("the president",
 * "both leaders", "former President", pronouns), as SX_LX_ACTSTART. */
const char *const sx__actor_starts[] = {"the", "both", "former", "he", "she", "they", NULL};

const char *const sx__function_words[] = {
    "the", "a", "an", "in", "on", "at", "but", "and", "or", "for", "of", "to", "as", "if",
    "while", "when", "after", "before", "since", "still", "many", "some", "democrats",
    "republicans", "critics", "officials", "pool", "both", "there", "this", "that", "these",
    "those", "his", "her", "their", "our", "its", "we", "they", "he", "she", "it", "i",
    "nobody", "once", "so", "however", "meanwhile", "also", "during", "under", "with",
    "regarding", "following", "concerning", "ahead", "amid", "over", "into", "by", "from",
    "about", "against", "between", "without", "within", "toward", "towards", "upon", "via",
    "statement", "readout", "remarks", "briefing", "press", "joint", NULL};

/* Words that never start a person's name (the list above, as a lexicon bit). */
static int is_function_word(const sx__tok *t) { return (t->lex & SX_LX_FUNCWORD) != 0; }

/* Is token k the start of something that is not a person name? */
static int blocks_name(const sx__work *w, size_t k)
{
    const sx__tok *t = &w->toks[k];
    /* all-caps words are names only in transcripts' speaker labels
     * ("SECRETARY POMPEO:"), where the title is all caps too */
    if (!(t->flags & SX_TF_WORD) || !cap(t)) return 1;
    if ((t->flags & SX_TF_ALLCAP) && !(k > 0 && (w->toks[k - 1].flags & SX_TF_ALLCAP)) &&
        !(k > 1 && sx__eq(w->toks[k - 1].low, ".") && (w->toks[k - 2].flags & SX_TF_ALLCAP)))
        return 1; /* "MR. BARTLETT:" */
    if (is_function_word(t)) return 1; /* "Press Secretary Regarding the ..." */
    if (w->in_timex[k]) return 1;
    if (t->lex & (SX_LX_MONTH | SX_LX_WEEKDAY)) return 1;
    sx__match mm[SX__MAXM];
    int nm;
    if (sx__phrase_match(w, k, SX_PH_MASK(SX_PH_COUNTRY) | SX_PH_MASK(SX_PH_METONYM) |
                                   SX_PH_MASK(SX_PH_DEMONYM) | SX_PH_MASK(SX_PH_ORG) |
                                   SX_PH_MASK(SX_PH_PLACE) | SX_PH_MASK(SX_PH_TITLE) |
                                   SX_PH_MASK(SX_PH_TRIGGER),
                         mm, SX__MAXM, &nm))
        return 1;
    return 0;
}

/* Capitalized name tokens from k (at most 3); returns the count. */
static size_t name_run(const sx__work *w, size_t k)
{
    size_t n = 0;
    while (n < 4 && k + n < w->n_toks && w->toks[k + n].sent == w->toks[k].sent && !blocks_name(w, k + n)) {
        if (n > 0 && (w->toks[k + n].flags & SX_TF_NL)) break;
        n++;
        if (w->toks[k + n - 1].flags & SX_TF_POSS) break; /* "Putin's" ends a name */
        /* "Moo-hyun": a hyphen glued on both sides continues the name */
        if (k + n + 1 < w->n_toks && sx__eq(w->toks[k + n].low, "-") &&
            !(w->toks[k + n].flags & SX_TF_SPACE) && !(w->toks[k + n + 1].flags & SX_TF_SPACE) &&
            (w->toks[k + n + 1].flags & SX_TF_WORD))
            n += 2;
        /* "Richard C. Holbrooke": a middle initial and its dot */
        else if (n > 1 && w->toks[k + n - 1].low_len == 1 && k + n + 1 < w->n_toks &&
                 sx__eq(w->toks[k + n].low, ".") && !(w->toks[k + n].flags & SX_TF_SPACE) &&
                 w->toks[k + n + 1].sent == w->toks[k].sent && cap(&w->toks[k + n + 1]))
            n++;
    }
    while (n > 0 && sx__eq(w->toks[k + n - 1].low, ".")) n--;
    return n;
}

static char *tokens_text(const sx__work *w, size_t t0, size_t t1)
{
    char *s = sx__cp_substr(w, w->toks[t0].cp_start, w->toks[t1 - 1].cp_end);
    if (!s) return NULL;
    /* drop a possessive "'s" / "’s" at the end */
    size_t n = strlen(s);
    if (n > 2 && s[n - 1] == 's' && s[n - 2] == '\'') s[n - 2] = '\0';
    else if (n > 4 && s[n - 1] == 's' && (unsigned char)s[n - 2] == 0x99 &&
             (unsigned char)s[n - 3] == 0x80 && (unsigned char)s[n - 4] == 0xE2)
        s[n - 4] = '\0';
    return s;
}

/* Is the previous token a locative preposition? Returns its index or -1. */
static int32_t locative_before(const sx__work *w, size_t i)
{
    size_t k = i;
    if (k > 0 && sx__eq(w->toks[k - 1].low, "the")) k--;
    if (k == 0 || w->toks[k - 1].sent != w->toks[i].sent) return -1;
    /* "according to the U.S.": a source, not a place */
    if (k >= 2 && sx__eq(w->toks[k - 1].low, "to") && sx__eq(w->toks[k - 2].low, "according")) return -1;
    static const char *const preps[] = {"in", "at", "to", "from", "near", "outside", "around",
                                        "inside", "across", "throughout", "into", NULL};
    for (const char *const *p = preps; *p; p++)
        if (sx__eq(w->toks[k - 1].low, *p)) return (int32_t)(k - 1);
    return -1;
}

static int add_place(sx__work *w, size_t t0, size_t t1, int32_t prep, int32_t country, int whole,
                     const char *name)
{
    int ok;
    SX__GROW(w->pms, w->n_pms, w->cap_pms, ok);
    if (!ok) return 0;
    sx__pmention *p = &w->pms[w->n_pms++];
    memset(p, 0, sizeof *p);
    p->tok_start = (int32_t)t0;
    p->tok_end = (int32_t)t1;
    p->prep = prep;
    p->country = country;
    p->is_country = whole;
    sx__copy(p->name, sizeof p->name, name);
    return 1;
}

/* The latest person mention matching a country and office class. */
static int32_t latest_person_any(const sx__work *w, const char *country, const char *cls, int32_t skip);

/* The latest person mentioned with this title ("the President" -> the
 * latest one introduced as President), else the latest of the office
 * class. */
static int32_t latest_person(const sx__work *w, const char *country, const char *cls, int32_t skip,
                             const char *title)
{
    if (title && *title)
        for (size_t i = w->n_ams; i-- > 0;) {
            const sx__amention *m = &w->ams[i];
            if (m->actor < 0 || m->actor == skip) continue;
            const sx_actor *a = &w->actors[m->actor];
            /* "the Secretary" is Secretary of State Clinton */
            if (a->kind != SX_ACTOR_PERSON || !a->title || strncmp(a->title, title, strlen(title))) continue;
            if (country && (!a->country || !sx__eq(a->country, country))) continue;
            return m->actor;
        }
    return latest_person_any(w, country, cls, skip);
}

static int32_t latest_person_any(const sx__work *w, const char *country, const char *cls, int32_t skip)
{
    for (size_t i = w->n_ams; i-- > 0;) {
        const sx__amention *m = &w->ams[i];
        if (m->actor < 0 || m->actor == skip) continue;
        const sx_actor *a = &w->actors[m->actor];
        if (a->kind != SX_ACTOR_PERSON) continue;
        if (country && (!a->country || !sx__eq(a->country, country))) continue;
        const char *ac = w->actor_cls[m->actor];
        if (cls && sx__eq(cls, "@leader")) {
            if (!ac || (!sx__eq(ac, "head_of_state") && !sx__eq(ac, "head_of_government"))) continue;
        } else if (cls && sx__eq(cls, "spokesperson")) {
            if (!ac || !sx__eq(ac, "spokesperson")) continue;
        } else if (cls && sx__eq(cls, "@diplomat")) {
            if (!ac || (!sx__eq(ac, "foreign_minister") && !sx__eq(ac, "deputy_foreign_minister") &&
                        !sx__eq(ac, "other")))
                continue;
        }
        return m->actor;
    }
    return -1;
}

/* "the two leaders", "both leaders", "the two countries", "the two sides" */
static size_t try_group(sx__work *w, size_t i)
{
    size_t j = i;
    /* "the leaders", "the presidents": whoever met, as for "they" */
    if (sx__eq(w->toks[j].low, "the") && j + 1 < w->n_toks && w->toks[j + 1].sent == w->toks[i].sent &&
        (sx__eq(w->toks[j + 1].low, "leaders") || sx__eq(w->toks[j + 1].low, "presidents"))) {
        if (!add_mention(w, i, j + 2, -1)) return 0;
        w->ams[w->n_ams - 1].pronoun = 2;
        return 2;
    }
    if (sx__eq(w->toks[j].low, "the") && j + 1 < w->n_toks && sx__eq(w->toks[j + 1].low, "two")) j += 2;
    else if (sx__eq(w->toks[j].low, "both")) j += 1;
    else return 0;
    if (j >= w->n_toks || w->toks[j].sent != w->toks[i].sent) return 0;
    const char *n = w->toks[j].low;
    int persons;
    if (sx__eq(n, "leaders") || sx__eq(n, "presidents") || sx__eq(n, "men") || sx__eq(n, "heads"))
        persons = 1;
    else if (sx__eq(n, "countries") || sx__eq(n, "nations") || sx__eq(n, "governments"))
        persons = 0;
    else if (sx__eq(n, "sides") || sx__eq(n, "parties")) {
        /* whoever the last event's parties were: resolved by events.c */
        if (!add_mention(w, i, j + 1, -1)) return 0;
        w->ams[w->n_ams - 1].pronoun = 2;
        return j + 1 - i;
    }
    else return 0;
    int32_t got[2];
    int ng = 0;
    for (size_t k = w->n_ams; k-- > 0 && ng < 2;) {
        const sx__amention *m = &w->ams[k];
        if (m->actor < 0) continue;
        const sx_actor *a = &w->actors[m->actor];
        if (persons ? a->kind != SX_ACTOR_PERSON : a->kind != SX_ACTOR_COUNTRY) continue;
        if (persons) {
            const char *ac = w->actor_cls[m->actor];
            if (sx__eq(n, "leaders") && ac && !sx__eq(ac, "head_of_state") && !sx__eq(ac, "head_of_government"))
                continue;
        }
        if (ng == 1 && got[0] == m->actor) continue;
        got[ng++] = m->actor;
    }
    if (ng < 2) return 0;
    if (!add_mention(w, i, j + 1, -1)) return 0;
    sx__amention *m = &w->ams[w->n_ams - 1];
    m->n_group = 2;
    m->group = 1;
    m->group_actors[0] = got[1];
    m->group_actors[1] = got[0];
    return j + 1 - i;
}

/* Title-led person: [Demonym] [former] Title [.] Name */
static size_t try_titled(sx__work *w, size_t i)
{
    size_t j = i;
    const char *country = NULL;
    sx__match mm[SX__MAXM];
    int nm;
    const sx__lexicon *L = sx__lex();
    if (sx__eq(w->toks[j].low, "former")) j++;
    if (j < w->n_toks && cap(&w->toks[j])) {
        int32_t n = sx__phrase_match(w, j, SX_PH_MASK(SX_PH_DEMONYM) | SX_PH_MASK(SX_PH_COUNTRY) |
                                               SX_PH_MASK(SX_PH_METONYM), mm, SX__MAXM, &nm);
        if (n && j + (size_t)n < w->n_toks) {
            country = L->countries[mm[0].id].alpha3;
            j += (size_t)n;
        }
    }
    if (j < w->n_toks && sx__eq(w->toks[j].low, "former")) j++;
    if (j >= w->n_toks || !cap(&w->toks[j])) return 0;
    int32_t tn = sx__phrase_match(w, j, SX_PH_MASK(SX_PH_TITLE), mm, SX__MAXM, &nm);
    if (!tn) return 0;
    const sx__title *title = &L->titles[mm[0].id];
    if (title->cls[0] == '@') return 0;
    size_t k = j + (size_t)tn;
    /* "the President's meeting": a possessive title introduces no name */
    if (w->toks[k - 1].flags & SX_TF_POSS) return 0;
    if (k < w->n_toks && sx__eq(w->toks[k].low, ".") && !(w->toks[k].flags & SX_TF_SPACE)) k++;
    if (k >= w->n_toks || w->toks[k].sent != w->toks[i].sent) return 0;
    /* full name from the gazetteer */
    int32_t pn = sx__phrase_match(w, k, SX_PH_MASK(SX_PH_PERSON), mm, SX__MAXM, &nm);
    const char *cls = sx__eq(title->cls, "honorific") ? NULL : title->cls;
    int32_t actor;
    if (pn && cap(&w->toks[k])) {
        const sx__person *p = &L->people[mm[0].id];
        /* prefer the row of this person in office on the DCT */
        int32_t row = person_by_surname(w, w->toks[k + (size_t)pn - 1].low, NULL, p->country, 0);
        const char *pcls = row >= 0 && sx__eq(L->people[row].name, p->name) ? L->people[row].role : p->role;
        actor = actor_get(w, SX_ACTOR_PERSON, p->name, p->country, title->display, pcls,
                          w->toks[i].cp_start, w->toks[k + (size_t)pn - 1].cp_end);
        k += (size_t)pn;
    } else {
        size_t n = name_run(w, k);
        if (!n) return 0;
        const char *last = w->toks[k + n - 1].low;
        int32_t known = known_surname(w, last);
        int32_t row = person_by_surname(w, last, cls, country, n == 1);
        if (n == 1 && known >= 0) {
            actor = known;
            w->actors[actor].mentions++;
        } else if (row >= 0) {
            const sx__person *p = &L->people[row];
            actor = actor_get(w, SX_ACTOR_PERSON, p->name, p->country, title->display, p->role,
                              w->toks[i].cp_start, w->toks[k + n - 1].cp_end);
        } else {
            if (n == 1 && !cls) return 0; /* "Mr. X" alone: too little to go on */
            char *name = tokens_text(w, k, k + n);
            if (!name) return 0;
            actor = actor_get(w, SX_ACTOR_PERSON, name, country, title->display, cls,
                              w->toks[i].cp_start, w->toks[k + n - 1].cp_end);
            free(name);
        }
        k += n;
    }
    if (actor < 0) return 0;
    if (!add_mention(w, i, k, actor)) return 0;
    return k - i;
}

/* "the U.S. diplomat", "the Russian leader", "the president" */
/* "of [the] COUNTRY" at k: returns tokens used and sets *country. */
static size_t of_country(const sx__work *w, size_t k, int32_t sent, const char **country)
{
    sx__match mm[SX__MAXM];
    int nm;
    if (k + 1 >= w->n_toks || !sx__eq(w->toks[k].low, "of") || w->toks[k].sent != sent) return 0;
    size_t j = k + 1;
    if (sx__eq(w->toks[j].low, "the")) j++;
    if (j >= w->n_toks || !cap(&w->toks[j])) return 0;
    int32_t n = sx__phrase_match(w, j, SX_PH_MASK(SX_PH_COUNTRY), mm, SX__MAXM, &nm);
    if (!n) return 0;
    *country = sx__lex()->countries[mm[0].id].alpha3;
    j += (size_t)n;
    if (j < w->n_toks && (w->toks[j - 1].flags & SX_TF_DOT) && sx__eq(w->toks[j].low, ".")) j++;
    return j - k;
}

/* "the U.S. diplomat", "the Russian leader", "the President of Brazil",
 * "the President of the Republic of Korea Mr. Roh Moo-hyun" */
static size_t try_role_noun(sx__work *w, size_t i)
{
    /* without "the" only as "Brazilian President" or "President of Brazil" */
    int bare = strcmp(w->toks[i].low, "the") != 0;
    if (bare && !cap(&w->toks[i])) return 0;
    size_t j = bare ? i : i + 1;
    const char *country = NULL;
    sx__match mm[SX__MAXM];
    int nm;
    const sx__lexicon *L = sx__lex();
    int32_t sent = w->toks[i].sent;
    if (j < w->n_toks && cap(&w->toks[j])) {
        int32_t n = sx__phrase_match(w, j, SX_PH_MASK(SX_PH_DEMONYM) | SX_PH_MASK(SX_PH_COUNTRY) |
                                               SX_PH_MASK(SX_PH_METONYM), mm, SX__MAXM, &nm);
        if (n) {
            country = L->countries[mm[0].id].alpha3;
            j += (size_t)n;
            if (j < w->n_toks && sx__eq(w->toks[j].low, ".")) j++;
        }
    }
    if (j < w->n_toks && sx__eq(w->toks[j].low, "top")) j++; /* "the top U.S. diplomat" */
    if (j >= w->n_toks || w->toks[j].sent != sent) return 0;
    int32_t tn = sx__phrase_match(w, j, SX_PH_MASK(SX_PH_TITLE), mm, SX__MAXM, &nm);
    if (!tn) return 0;
    const sx__title *title = &L->titles[mm[0].id];
    const char *cls = title->cls;
    size_t end = j + (size_t)tn;
    if (sx__eq(w->toks[end - 1].low, "leaders") || sx__eq(w->toks[end - 1].low, "diplomats")) return 0;
    const char *of = NULL;
    size_t ofn = country ? 0 : of_country(w, end, sent, &of);
    if (ofn) {
        country = of;
        end += ofn;
        /* a name may follow: "... of Korea Mr. Roh Moo-hyun" */
        size_t k = end;
        if (k + 1 < w->n_toks && cap(&w->toks[k]) &&
            sx__phrase_match(w, k, SX_PH_MASK(SX_PH_TITLE), mm, SX__MAXM, &nm) == 1 &&
            sx__eq(L->titles[mm[0].id].cls, "honorific")) {
            k++;
            if (k < w->n_toks && sx__eq(w->toks[k].low, ".")) k++;
        }
        if (k < w->n_toks && w->toks[k].sent == sent &&
            sx__phrase_match(w, k, SX_PH_MASK(SX_PH_PERSON), mm, SX__MAXM, &nm)) {
            const sx__person *p = &L->people[mm[0].id];
            size_t e = k + (size_t)sx__phrase_match(w, k, SX_PH_MASK(SX_PH_PERSON), mm, SX__MAXM, &nm);
            int32_t a = actor_get(w, SX_ACTOR_PERSON, p->name, p->country, title->display, p->role,
                                  w->toks[i].cp_start, w->toks[e - 1].cp_end);
            return a >= 0 && add_mention(w, i, e, a) ? e - i : 0;
        }
    }
    /* bare titles only as "Brazilian President", "President of Brazil", or
     * coordinated: "The President and Prime Minister" */
    int coord = bare && i > 0 && w->toks[i - 1].sent == sent && sx__eq(w->toks[i - 1].low, "and");
    if (bare && !ofn && !country && !coord) return 0;
    if (bare && end < w->n_toks && w->toks[end].sent == sent && cap(&w->toks[end]) &&
        (w->toks[end].flags & SX_TF_WORD))
        return 0; /* a name follows: try_titled's business */
    if (sx__eq(cls, "head_of_state") || sx__eq(cls, "head_of_government")) cls = "@leader";
    const char *office = title->cls;
    if (cls[0] != '@' && !sx__eq(cls, "spokesperson") && !ofn && !(bare && country)) {
        /* "the Secretary", "the Prime Minister": only someone introduced
         * with that title */
        if (bare && !coord) return 0;
        int32_t byt = -1;
        for (size_t q = w->n_ams; q-- > 0 && byt < 0;) {
            const sx__amention *m = &w->ams[q];
            if (m->actor < 0) continue;
            const sx_actor *pa = &w->actors[m->actor];
            if (pa->kind == SX_ACTOR_PERSON && pa->title && !strncmp(pa->title, title->display, strlen(title->display)))
                byt = m->actor;
        }
        if (byt < 0) return 0;
        w->actors[byt].mentions++;
        return add_mention(w, i, end, byt) ? end - i : 0;
    }
    if (sx__eq(cls, "@leader") && !country && !sx__eq(w->toks[j].low, "president")) {
        /* "the Prime Minister": only someone introduced with that title */
        int32_t byt = -1;
        for (size_t q = w->n_ams; q-- > 0 && byt < 0;) {
            const sx__amention *m = &w->ams[q];
            if (m->actor < 0) continue;
            const sx_actor *pa = &w->actors[m->actor];
            if (pa->kind == SX_ACTOR_PERSON && pa->title && sx__eq(pa->title, title->display)) byt = m->actor;
        }
        if (byt < 0) return 0;
        w->actors[byt].mentions++;
        return add_mention(w, i, end, byt) ? end - i : 0;
    }
    int32_t a = latest_person(w, country, cls[0] == '@' || sx__eq(cls, "spokesperson") ? cls : NULL, -1,
                              title->display);
    if (a < 0 && country && office[0] != '@') {
        /* nobody of that country yet: the holder of the office on the DCT */
        int32_t row = -1, found = 0;
        int32_t day = dct_ymd(w);
        for (size_t r = 0; day && r < L->n_people; r++) {
            const sx__person *p = &L->people[r];
            if (!sx__eq(p->country, country) || !role_compatible(p->role, office) || !sx__eq(office, p->role)) continue;
            if (p->start <= day && day < p->end) row = (int32_t)r, found++;
        }
        if (found == 1) {
            const sx__person *p = &L->people[row];
            a = actor_get(w, SX_ACTOR_PERSON, p->name, p->country, title->display, p->role,
                          w->toks[i].cp_start, w->toks[end - 1].cp_end);
            if (a >= 0) w->actors[a].mentions--; /* counted again below */
        }
    }
    if (a < 0) return 0;
    w->actors[a].mentions++;
    if (!add_mention(w, i, end, a)) return 0;
    return end - i;
}

static size_t try_gazetteer(sx__work *w, size_t i)
{
    const sx__lexicon *L = sx__lex();
    const sx__tok *t = &w->toks[i];
    sx__match mm[SX__MAXM];
    int nm;
    if (!cap(t)) return 0;
    int32_t n = sx__phrase_match(w, i, SX_PH_MASK(SX_PH_PERSON) | SX_PH_MASK(SX_PH_ORG) |
                                           SX_PH_MASK(SX_PH_COUNTRY) | SX_PH_MASK(SX_PH_METONYM) |
                                           SX_PH_MASK(SX_PH_PLACE),
                                 mm, SX__MAXM, &nm);
    if (!n) return 0;
    /* single short all-caps keys ("US", "IS") must be all caps in the text */
    if (n == 1 && t->low_len <= 3 && !(t->flags & SX_TF_ALLCAP) && t->low_len > 0 &&
        strchr(t->low, '.') == NULL && mm[0].kind != SX_PH_PERSON) {
        /* "Us" at a sentence start is no country */
        if (mm[0].kind == SX_PH_COUNTRY || mm[0].kind == SX_PH_ORG) return 0;
    }
    size_t end = i + (size_t)n;
    int32_t cp0 = t->cp_start, cp1 = w->toks[end - 1].cp_end;
    int32_t prep = locative_before(w, i);
    const sx__match *best = &mm[0];
    /* A city that is also a metonym ("Moscow") is a place after a locative
     * preposition and an actor otherwise. */
    int has_place = 0;
    for (int k = 0; k < nm; k++) {
        if (mm[k].kind == SX_PH_PLACE) has_place = 1;
    }
    if (best->kind == SX_PH_PERSON) {
        const sx__person *p = &L->people[best->id];
        int32_t row = person_by_surname(w, w->toks[end - 1].low, NULL, p->country, 0);
        const char *pcls = row >= 0 && sx__eq(L->people[row].name, p->name) ? L->people[row].role : p->role;
        int32_t a = actor_get(w, SX_ACTOR_PERSON, p->name, p->country, NULL, pcls, cp0, cp1);
        return a >= 0 && add_mention(w, i, end, a) ? end - i : 0;
    }
    if (best->kind == SX_PH_ORG) {
        const sx__org *o = &L->orgs[best->id];
        int32_t a = actor_get(w, SX_ACTOR_ORG, o->shortname, NULL, NULL, NULL, cp0, cp1);
        return a >= 0 && add_mention(w, i, end, a) ? end - i : 0;
    }
    if (best->kind == SX_PH_COUNTRY || (best->kind == SX_PH_METONYM && !(has_place && prep >= 0))) {
        const sx__country *c = &L->countries[best->id];
        if (best->kind == SX_PH_COUNTRY && prep >= 0) {
            /* "in Germany": a place, and still a country mention */
            add_place(w, i, end, prep, best->id, 1, c->name);
        }
        /* "Russian-U.S." style compounds are adjectives, not actors */
        int32_t a = actor_get(w, SX_ACTOR_COUNTRY, c->name, c->alpha3, NULL, NULL, cp0, cp1);
        if (a < 0 || !add_mention(w, i, end, a)) return 0;
        if (prep >= 0) w->ams[w->n_ams - 1].locative = 1;
        return end - i;
    }
    for (int k = 0; k < nm; k++) {
        if (mm[k].kind != SX_PH_PLACE) continue;
        const sx__place *p = &L->places[mm[k].id];
        int32_t ci = sx__country_by_code(p->country);
        char name[96];
        size_t e2 = end;
        /* "Hamburg, Germany": swallow the country */
        if (e2 + 1 < w->n_toks && sx__eq(w->toks[e2].low, ",") && cap(&w->toks[e2 + 1])) {
            sx__match m2[SX__MAXM];
            int n2;
            int32_t cn = sx__phrase_match(w, e2 + 1, SX_PH_MASK(SX_PH_COUNTRY), m2, SX__MAXM, &n2);
            if (cn && m2[0].id == ci) e2 += 1 + (size_t)cn;
        }
        if (ci >= 0) snprintf(name, sizeof name, "%s, %s", p->name, L->countries[ci].name);
        else snprintf(name, sizeof name, "%s", p->name);
        add_place(w, i, e2, prep, ci, 0, name);
        return e2 - i;
    }
    return 0;
}

int32_t sx__country_actor(sx__work *w, int32_t country, int32_t cp0, int32_t cp1)
{
    const sx__lexicon *L = sx__lex();
    if (!L || country < 0 || (size_t)country >= L->n_countries) return -1;
    const sx__country *c = &L->countries[country];
    return actor_get(w, SX_ACTOR_COUNTRY, c->name, c->alpha3, NULL, NULL, cp0, cp1);
}

/* Unknown persons: capitalized words with a reason to be a name. */
static size_t try_unknown_person(sx__work *w, size_t i)
{
    const sx__tok *t = &w->toks[i];
    if (!cap(t) || (t->flags & SX_TF_ALLCAP) || is_function_word(t)) return 0;
    /* "the Middle East", "the Rose Garden": names of persons take no article */
    if (i > 0 && w->toks[i - 1].sent == t->sent && sx__eq(w->toks[i - 1].low, "the")) return 0;
    size_t n = name_run(w, i);
    if (n < 2) {
        /* a known surname */
        if (n == 1) {
            int32_t a = known_surname(w, t->low);
            if (a < 0 && !(t->flags & SX_TF_SENT0 && !(t->flags & SX_TF_POSS) && 0)) {
                int32_t row = person_by_surname(w, t->low, NULL, NULL, 1);
                if (row >= 0) {
                    const sx__person *p = &sx__lex()->people[row];
                    a = actor_get(w, SX_ACTOR_PERSON, p->name, p->country, NULL, p->role, t->cp_start, t->cp_end);
                    if (a >= 0 && !add_mention(w, i, i + 1, a)) return 0;
                    return a >= 0 ? 1 : 0;
                }
            }
            if (a >= 0) {
                w->actors[a].mentions++;
                return add_mention(w, i, i + 1, a) ? 1 : 0;
            }
        }
        return 0;
    }
    size_t e = i + n;
    /* institutions are not persons: "State Affairs Commission" */
    for (size_t k = i; k < e; k++)
        if (w->toks[k].lex & SX_LX_ORGWORD) return 0;
    int reason = 0;
    if (e + 1 < w->n_toks && sx__eq(w->toks[e].low, ",") && (w->toks[e + 1].flags & SX_TF_WORD) &&
        (!cap(&w->toks[e + 1]) || sx__eq(w->toks[e + 1].low, "the")) && !sx__eq(w->toks[e + 1].low, "and") &&
        !sx__eq(w->toks[e + 1].low, "or") && !sx__eq(w->toks[e + 1].low, "but") && !sx__eq(w->toks[e + 1].low, "which") &&
        !sx__eq(w->toks[e + 1].low, "where") && !sx__eq(w->toks[e + 1].low, "as"))
        reason = 1; /* appositive: "James Clapper, director of ..." */
    sx__match mm[SX__MAXM];
    int nm;
    if (e < w->n_toks && sx__phrase_match(w, e, SX_PH_MASK(SX_PH_TRIGGER), mm, SX__MAXM, &nm) &&
        sx__eq(sx__lex()->triggers[mm[0].id].type, "statement"))
        reason = 1;
    if (i >= 2 && sx__eq(w->toks[i - 2].low, "according") && sx__eq(w->toks[i - 1].low, "to")) reason = 1;
    /* a line that starts with a name and a comma lists an official:
     * "Dennis Wilder, National Security Council Senior Director" */
    if ((t->flags & SX_TF_NL) && n >= 2 && e < w->n_toks && sx__eq(w->toks[e].low, ",")) reason = 1;
    /* a byline: "Press Gaggle by Dan Bartlett" ending its line */
    if (i >= 1 && sx__eq(w->toks[i - 1].low, "by") && (e >= w->n_toks || (w->toks[e].flags & SX_TF_NL))) reason = 1;
    /* a role word right before: "U.S. Middle East diplomat George Mitchell",
     * "the Japanese ambassador to China Anami Koreshige" */
    size_t rb = i;
    if (rb >= 3 && w->ams && w->n_ams && (size_t)w->ams[w->n_ams - 1].tok_end == rb &&
        w->ams[w->n_ams - 1].tok_start > 0 && sx__eq(w->toks[w->ams[w->n_ams - 1].tok_start - 1].low, "to"))
        rb = (size_t)w->ams[w->n_ams - 1].tok_start - 1; /* over "to China" */
    for (size_t b = rb, d = 0; b > 0 && d < 1 && !reason; b--, d++) {
        const sx__tok *p = &w->toks[b - 1];
        if (p->sent != t->sent) break;
        sx__match tm[SX__MAXM];
        int ntm;
        if (sx__eq(p->low, "counterpart") ||
            ((p->lex & SX_LX_PHRASE) && sx__phrase_match(w, b - 1, SX_PH_MASK(SX_PH_TITLE), tm, SX__MAXM, &ntm) == 1 &&
             !sx__eq(sx__lex()->titles[tm[0].id].cls, "honorific")))
            reason = 1;
    }
    if (!reason) return 0;
    char *name = tokens_text(w, i, e);
    if (!name) return 0;
    int32_t a = actor_get(w, SX_ACTOR_PERSON, name, NULL, NULL, NULL, t->cp_start, w->toks[e - 1].cp_end);
    free(name);
    if (a < 0 || !add_mention(w, i, e, a)) return 0;
    return n;
}

/* he/she (pronoun 1), they/both as a subject (pronoun 2); resolved below
 * and, for plurals, by events.c from the events before them. */
static size_t try_pronoun(sx__work *w, size_t i)
{
    const char *l = w->toks[i].low;
    int kind = 0;
    if (sx__eq(l, "he") || sx__eq(l, "she")) kind = 1;
    else if (sx__eq(l, "they")) kind = 2;
    else if (sx__eq(l, "both") && i + 1 < w->n_toks && (w->toks[i + 1].flags & SX_TF_WORD) &&
             !(w->toks[i + 1].flags & SX_TF_CAP) && w->toks[i + 1].low_len > 2 &&
             (sx__eq(w->toks[i + 1].low + w->toks[i + 1].low_len - 2, "ed") || sx__eq(w->toks[i + 1].low, "also")))
        kind = 2; /* "both agreed", "both also said" */
    if (!kind) return 0;
    if (!add_mention(w, i, i + 1, -1)) return 0;
    w->ams[w->n_ams - 1].pronoun = kind;
    return 1;
}

/* The subject of sentence s: its first person mention outside quotations
 * and not after a preposition, among mentions [first, upto), or -1. */
static int32_t sentence_subject(const sx__work *w, int32_t s, size_t first, size_t upto)
{
    /* the subject comes early: 50 mentions bound the scan of a huge sentence */
    for (size_t m = first; m < upto && m < first + 50 && w->toks[w->ams[m].tok_start].sent == s; m++) {
        const sx__amention *am = &w->ams[m];
        if (am->pronoun == 2) continue;
        if (w->toks[am->tok_start].flags & SX_TF_INQUOTE) continue;
        if (am->actor < 0 || w->actors[am->actor].kind != SX_ACTOR_PERSON) continue;
        size_t t = (size_t)am->tok_start;
        if (t > 0 && w->toks[t - 1].sent == s) {
            const char *p = w->toks[t - 1].low;
            if (sx__eq(p, "to") || sx__eq(p, "with") || sx__eq(p, "of") || sx__eq(p, "by") ||
                sx__eq(p, "for") || sx__eq(p, "from") || sx__eq(p, "about") || sx__eq(p, "against"))
                continue;
        }
        return am->actor;
    }
    return -1;
}

/* he/she: the subject of the clause before it in the same sentence, else
 * the subject of one of the three sentences before. */
static sx_status resolve_pronouns(sx__work *w)
{
    /* first mention of each sentence (mentions are in text order) */
    size_t *first = malloc((w->n_sents + 1) * sizeof *first);
    if (!first) return SX_ENOMEM;
    for (size_t s = 0, m = 0; s <= w->n_sents; s++) {
        while (m < w->n_ams && w->toks[w->ams[m].tok_start].sent < (int32_t)s) m++;
        first[s] = m;
    }
    for (size_t m = 0; m < w->n_ams; m++) {
        sx__amention *am = &w->ams[m];
        if (am->pronoun != 1) continue;
        int32_t s = w->toks[am->tok_start].sent;
        int32_t a = sentence_subject(w, s, first[s], m);
        for (int32_t back = 1; a < 0 && back <= 3 && s - back >= 0; back++)
            a = sentence_subject(w, s - back, first[s - back], w->n_ams);
        if (a >= 0) {
            am->actor = a;
            w->actors[a].mentions++;
        }
    }
    free(first);
    return SX_OK;
}

/* "at the Istana", "in the Rose Garden": venues from the gazetteer are
 * handled by try_gazetteer; nothing else is guessed. */

sx_status sx__actors_run(sx__work *w)
{
    if (!sx__lex()) return SX_EICU;
    for (size_t i = 0; i < w->n_toks;) {
        const sx__tok *t = &w->toks[i];
        if (w->in_timex[i] || (t->flags & (SX_TF_PUNCT | SX_TF_NUM) && !(t->lex & SX_LX_PHRASE))) {
            i++;
            continue;
        }
        /* every try_ below starts at a capitalized word or at one of
         * sx__actor_starts; skipping the rest up front saves a call chain
         * per token */
        if (!cap(t) && !(t->lex & SX_LX_ACTSTART)) {
            i++;
            continue;
        }
        size_t before = w->n_ams, pbefore = w->n_pms;
        size_t n = try_group(w, i);
        if (!n) n = try_titled(w, i);
        if (!n) n = try_role_noun(w, i);
        if (!n) n = try_gazetteer(w, i);
        if (!n) n = try_unknown_person(w, i);
        if (!n) n = try_pronoun(w, i);
        if (!n && (w->n_ams != before || w->n_pms != pbefore)) return SX_ENOMEM;
        i += n ? n : 1;
    }
    return resolve_pronouns(w);
}
