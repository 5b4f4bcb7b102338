#!/usr/bin/env python3
"""gen_rss.py [ITEMS] [OUT]: writes a large RSS 2.0 feed for parse_speed.

Items look like the council's news RSS: an HTML <h4> title escaped inside
<title>, a relative link, a short "10 Oct 2025" date, and a description of
escaped HTML (paragraphs, a list, links, a table) of about 2.5 KB, so the
default 20,000 items make about 51 MB.  The text is dense in topic words,
has the small words of real prose ("by", "from": words that may start a
deadline, so every post's text is looked at for one), and one item in ten
has a closing date.  Output is the same for the same arguments (a fixed
random seed)."""

import random
import sys
from xml.sax.saxutils import escape

WORDS = ("SEND parent carer school education health care plan autism "
         "provision support review inspection Ofsted partnership services "
         "Worcestershire children young people families assessment waiting "
         "times improvement survey events co-production early years "
         "nursery outreach specialist placement transport funding "
         "the and of to for with by from in on at").split()
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def sentence(rnd, n):
    words = [rnd.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def body(rnd, i):
    parts = []
    for _ in range(3):
        parts.append("<p>%s %s <a href=\"/news/item-%d-%d\">%s</a> %s</p>" % (
            sentence(rnd, 18), sentence(rnd, 14), i, rnd.randrange(100),
            sentence(rnd, 4), sentence(rnd, 16)))
    items = "".join("<li>%s</li>" % sentence(rnd, 9) for _ in range(5))
    parts.append("<ul>%s</ul>" % items)
    rows = "".join("<tr><td>%s</td><td>%d places</td></tr>" % (
        rnd.choice(WORDS), rnd.randrange(200)) for _ in range(3))
    parts.append("<table><tr><th>Setting</th><th>Places</th></tr>%s</table>"
                 % rows)
    if i % 10 == 0:
        parts.append("<p>Have your say: the survey closes on %d %s %d.</p>" % (
            rnd.randrange(1, 29), rnd.choice(MONTHS), rnd.randrange(2015, 2026)))
    parts.append("<p><strong>Published %d %s %d</strong> &amp; updated "
                 "&ndash; see <a href=\"https://www.example.org/x?a=1&amp;b=2\">"
                 "more</a>.</p>" % (rnd.randrange(1, 29), rnd.choice(MONTHS),
                                    rnd.randrange(2015, 2026)))
    return "".join(parts)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    out = open(sys.argv[2], "w", encoding="utf-8") if len(sys.argv) > 2 \
        else sys.stdout
    rnd = random.Random(42)
    out.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">\n'
              '<channel>\n<title>Generated council news</title>\n'
              '<link>https://www.worcestershire.gov.uk/news</link>\n'
              '<description>parse_speed input</description>\n')
    for i in range(n):
        title = "<h4>%s</h4>" % sentence(rnd, 8)
        out.write("<item>\n<title>%s</title>\n<link>/news/item-%d</link>\n"
                  "<guid isPermaLink=\"false\">gen-%d</guid>\n"
                  "<pubDate>%d %s %d</pubDate>\n<description>%s</description>\n"
                  "</item>\n" % (escape(title), i, i, rnd.randrange(1, 29),
                                 rnd.choice(MONTHS), rnd.randrange(2015, 2026),
                                 escape(body(rnd, i))))
    out.write("</channel>\n</rss>\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
