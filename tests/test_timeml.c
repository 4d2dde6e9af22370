/*
 * test_timeml.c -- `summit extract --format timeml`: inline TIMEX3 tags.
 *
 * Checks the tags of the seed article and that removing the tags and
 * unescaping gives back the original text byte for byte.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extractor.h"
#include "timeline.h"

static char *timeml_of(const char *text, const char *dct_text)
{
    sx_date dct;
    cr_assert_eq(sx_date_parse(dct_text, &dct, NULL, 0), SX_OK);
    sx_doc doc;
    sx_doc_init(&doc);
    sx_options o = {&dct, 0};
    cr_assert_eq(sx_extract(&doc, "t.txt", text, strlen(text), &o), SX_OK, "%s", sx_doc_errmsg(&doc));
    tl_db db;
    tl_db_init(&db);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(f);
    cr_assert_eq(tl_write_doc_timeml(&db, &doc, f), TL_OK, "%s", tl_db_errmsg(&db));
    fclose(f);
    sx_doc_free(&doc);
    return buf;
}

/* The <TEXT> body with tags removed and entities decoded. */
static char *plain_text(const char *xml)
{
    const char *a = strstr(xml, "<TEXT>\n"), *b = strstr(xml, "\n</TEXT>");
    cr_assert(a && b && b > a);
    a += 7;
    char *out = malloc((size_t)(b - a) + 1);
    size_t o = 0;
    for (const char *p = a; p < b;) {
        if (*p == '<') {
            while (p < b && *p != '>') p++;
            p++;
        } else if (*p == '&') {
            static const struct { const char *ent; char c; } ents[] = {
                {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}};
            size_t k = 0;
            while (k < 4 && strncmp(p, ents[k].ent, strlen(ents[k].ent))) k++;
            cr_assert(k < 4, "unknown entity at %.10s", p);
            out[o++] = ents[k].c;
            p += strlen(ents[k].ent);
        } else out[o++] = *p++;
    }
    out[o] = '\0';
    return out;
}

Test(timeml, tags_and_round_trip)
{
    static const char text[] =
        "Tom & Jerry <the envoys> met on Friday for \"2 hours and 16 minutes\".\n"
        "Later that day they said they would meet again next week.";
    char *xml = timeml_of(text, "2017-07-07");
    cr_expect(strstr(xml, "<TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2017-07-07\">Friday</TIMEX3>"), "%s", xml);
    cr_expect(strstr(xml, "type=\"DURATION\" value=\"PT2H16M\">2 hours and 16 minutes</TIMEX3>"), "%s", xml);
    cr_expect(strstr(xml, "type=\"DATE\" value=\"2017-W28\">next week</TIMEX3>"), "%s", xml);
    cr_expect(strstr(xml, "anchorTimeID=\"t1\">Later that day</TIMEX3>"), "%s", xml);
    cr_expect(strstr(xml, "functionInDocument=\"CREATION_TIME\">2017-07-07</TIMEX3></DCT>"), "%s", xml);
    cr_expect(strstr(xml, "Tom &amp; Jerry &lt;the envoys&gt;"), "%s", xml);
    char *plain = plain_text(xml);
    cr_expect_str_eq(plain, text);
    free(plain);
    free(xml);
}

Test(timeml, seed_article_round_trip)
{
    const char *dir = getenv("SUMMIT_FIXTURES");
    cr_assert(dir);
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/hill-2017-07-07-trump-putin.txt", dir);
    char *text = NULL;
    size_t len = 0;
    cr_assert_eq(sx_read_file(path, 0, &text, &len, err, sizeof err), SX_OK, "%s", err);
    char *xml = timeml_of(text, "2017-07-07");
    cr_expect(strstr(xml, ">2:20 p.m.</TIMEX3>"));
    cr_expect(strstr(xml, "value=\"PT2H\" mod=\"MORE_THAN\">more than two-hour</TIMEX3>"));
    char *plain = plain_text(xml);
    cr_expect_str_eq(plain, text);
    free(plain);
    free(xml);
    free(text);
}
