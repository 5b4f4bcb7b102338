#!/usr/bin/env python3
"""Closing soon, `add URL` and the speech-friendly table: the real binary
against the real local HTTP server (tests/server.py).

    python3 tests/integration/test_closing.py BINARY

Uses test_cli.py's Env (a private HOME, XDG directories, a served
directory and a running server).  Prints "ok - name" or "not ok - name"
per test and ends with "N passed, M failed".
"""

import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_cli as cli  # noqa: E402  (the shared Env and helpers)

Env, out, err, expect, rss = cli.Env, cli.out, cli.err, cli.expect, cli.rss
DEMO = cli.DEMO
NOW = {"SENDNEWS_NOW": "2023-04-20"}

COMMENTED = """# my feeds: comments and order must survive
https://example.org/first.rss "~First"

# a second block
https://example.org/second.rss   tagged "~Second"   # trailing comment
"""


def demo(env, *args, now=NOW):
    return env.run("--demo", "--offline", "--cache", env.cache, *args, env=now)


def fetched(env):
    r = env.run("--demo", "--cache", env.cache, "fetch", env=NOW)
    expect(r.returncode == 0, err(r))


# --- Closing soon ------------------------------------------------------------

def test_closing_lists_open_deadlines_soonest_first(env):
    fetched(env)
    r = demo(env, "list", "--closing")
    expect(r.returncode == 0, err(r))
    lines = out(r).splitlines()
    expect(lines[0] == "Closing soon (5 posts)", lines[:1])
    rows = lines[1:]
    expect(len(rows) == 5, rows)
    expect(all("2023-04-28  closes in 8 days" in x for x in rows[:2]), rows)
    expect(all("2023-05-14  closes in 24 days" in x for x in rows[2:]), rows)
    expect(any("Delivering Better Value (DBV) Survey" in x for x in rows[:2]), rows)
    expect(any("Let’s Talk About Autism" in x for x in rows[2:]), rows)


def test_closing_json_carries_deadlines_of_the_demo_surveys(env):
    fetched(env)
    r = demo(env, "--format", "json", "list")
    posts = json.loads(out(r))
    expect(all("deadline" in p for p in posts), "a post without the deadline field")
    got = {p["title"]: p["deadline"] for p in posts if p["deadline"]}
    expect(got.get("Delivering Better Value (DBV) Survey") == "2023-04-28", got)
    expect(got.get("Let’s Talk About Autism") == "2023-05-14", got)
    expect(got.get("Have your say on a new autism strategy") == "2023-05-14", got)
    expect(len(got) == 5, got)
    # Event and publication dates are not deadlines.
    expect(sum(1 for p in posts if p["deadline"] is None) == len(posts) - 5, "nulls")
    r = demo(env, "--format", "json", "list", "--closing")
    order = [p["deadline"] for p in json.loads(out(r))]
    expect(order == sorted(order) and len(order) == 5, order)


def test_closing_days_left_follow_the_clock(env):
    fetched(env)
    r = demo(env, "list", "--closing", now={"SENDNEWS_NOW": "2023-04-27"})
    expect("closes tomorrow" in out(r), out(r))
    r = demo(env, "list", "--closing", now={"SENDNEWS_NOW": "2023-04-28"})
    expect("closes today" in out(r), out(r))
    r = demo(env, "list", "--closing", now={"SENDNEWS_NOW": "2023-04-29"})
    expect(out(r).splitlines()[0] == "Closing soon (3 posts)", out(r))
    expect("2023-04-28" not in out(r), out(r))
    r = demo(env, "list", "--closing", now={"SENDNEWS_NOW": "2023-06-01"})
    expect(out(r) == "Closing soon (0 posts)\n", out(r))


def test_closing_tsv_adds_the_deadline_as_seventh_column(env):
    fetched(env)
    r = demo(env, "--format", "tsv", "list")
    deadlines = set()
    for line in out(r).splitlines():
        cols = line.split("\t")
        expect(len(cols) == 7, "columns: %r" % line)
        expect(len(cols[5]) == 12, "id %r" % cols[5])
        deadlines.add(cols[6])
    expect(deadlines == {"", "2023-04-28", "2023-05-14"}, deadlines)
    r = demo(env, "--format", "tsv", "--topic", "autism", "list", "--closing")
    rows = [x.split("\t") for x in out(r).splitlines()]
    expect(rows and all(c[0] == "Autism & neurodiversity" and c[6] == "2023-05-14"
                        for c in rows), rows)


def test_show_says_closes_and_closed(env):
    fetched(env)
    r = demo(env, "--format", "json", "list")
    post = next(p for p in json.loads(out(r)) if p["title"] == "Let’s Talk About Autism")
    r = demo(env, "show", post["id"], now={"SENDNEWS_NOW": "2023-05-11"})
    expect("\nCloses: 2023-05-14 (closes in 3 days)\n" in out(r), out(r)[:400])
    r = demo(env, "show", post["id"], now={"SENDNEWS_NOW": "2023-05-15"})
    expect("\nCloses: 2023-05-14 (closed)\n" in out(r), out(r)[:400])
    r = demo(env, "--format", "json", "show", post["id"])
    expect(json.loads(out(r))["deadline"] == "2023-05-14", out(r)[:300])
    other = next(p for p in json.loads(out(demo(env, "--format", "json", "list")))
                 if p["deadline"] is None)
    r = demo(env, "show", other["id"])
    expect("Closes:" not in out(r), out(r)[:300])
    expect(json.loads(out(demo(env, "--format", "json", "show", other["id"])))["deadline"]
           is None, "deadline not null")


def test_closing_from_a_served_feed_infers_the_year(env):
    items = [dict(title="Short breaks consultation", slug="sb", date="10 Jan 2024",
                  body="Have your say. The consultation closes on 3 March."),
             dict(title="Summer fun day", slug="fun", date="11 Jan 2024",
                  body="The event takes place on 14 May 2024. The nursery closes at 3pm.")]
    env.write("c.rss", rss("Consultations", items))
    feeds = env.feeds([env.url("c.rss")])
    r = env.run("--feeds", feeds, "--cache", env.cache, "--format", "json", "list", env=NOW)
    got = {p["title"]: p["deadline"] for p in json.loads(out(r))}
    expect(got == {"Short breaks consultation": "2024-03-03", "Summer fun day": None}, got)


def test_version_1_index_is_upgraded_with_deadlines(env):
    fetched(env)
    index = os.path.join(env.cache, "index")
    with open(index) as f:
        lines = f.read().split("\n")
    old = []
    for line in lines:
        if line.startswith("sendnews-index"):
            line = "sendnews-index 1"
        elif line.startswith("P\t"):
            line = "\t".join(line.split("\t")[:12])
        old.append(line)
    with open(index, "w") as f:
        f.write("\n".join(old))
    r = demo(env, "--format", "json", "list", "--closing")
    expect(r.returncode == 0 and "damaged" not in err(r), err(r))
    expect(len(json.loads(out(r))) == 5, out(r))
    with open(index) as f:
        expect(f.readline() == "sendnews-index 2\n", "index not rewritten")


# --- add URL -----------------------------------------------------------------

def feeds_file(env, text=COMMENTED):
    path = os.path.join(env.tmp, "myurls")
    with open(path, "w") as f:
        f.write(text)
    return path


def read(path):
    with open(path) as f:
        return f.read()


def test_add_feed_appends_one_line_and_keeps_comments(env):
    env.write("news.rss", rss("Council \"SEND\" news", cli.TWO_ITEMS))
    path = feeds_file(env)
    r = env.run("--feeds", path, "add", env.url("news.rss"))
    expect(r.returncode == 0, (r.returncode, err(r), out(r)))
    want = COMMENTED + '%s "~Council \\"SEND\\" news"\n' % env.url("news.rss")
    expect(read(path) == want, read(path))
    expect("is an RSS feed" in out(r) and "Added to" in out(r), out(r))
    # The line reads back as a feed with its name.
    r = env.run("--feeds", path, "--cache", env.cache, "--offline", "--format", "json",
                "list")
    expect(r.returncode == 0, err(r))


def test_add_refuses_a_url_already_listed(env):
    env.write("news.rss", rss("News", cli.TWO_ITEMS))
    # Scheme and host compare without case.
    path = feeds_file(env, COMMENTED + env.url("news.rss").replace("http://", "HTTP://") + "\n")
    before = read(path)
    r = env.run("--feeds", path, "add", env.url("news.rss"))
    expect(r.returncode == 1 and "already listed on line 6" in err(r), (r.returncode, err(r)))
    expect(read(path) == before, "file changed")
    expect(not env.requests(), "fetched a listed URL")


PAGE_WITH_FEEDS = """<!DOCTYPE html><html><head><title>Council news hub</title>
<base href="/hub/">
<link rel="stylesheet" href="/main.css">
<link rel="alternate" type="application/rss+xml" title="All news" href="../news.rss">
<link rel="alternate nofollow" type="application/atom+xml; charset=utf-8" title="SEND updates"
      href="send.atom">
<link rel="alternate" type="text/html" hreflang="cy" href="/cy/">
</head><body><main><h1>News</h1><h2>One</h2><p>Text.</p></main></body></html>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>SEND updates feed</title>
<id>tag:x,2024:send</id><updated>2024-01-01T00:00:00Z</updated>
<entry><title>Survey</title><id>tag:x,2024:1</id><updated>2024-01-01T00:00:00Z</updated>
<link href="http://example.org/1"/><summary>The survey closes on 3 March.</summary></entry>
</feed>
"""


def test_add_page_advertising_two_feeds_offers_them(env):
    os.makedirs(os.path.join(env.root, "hub"))
    env.write("hub/index.html", PAGE_WITH_FEEDS)
    env.write("news.rss", rss("All council news", cli.TWO_ITEMS))
    env.write("hub/send.atom", ATOM)
    path = feeds_file(env)
    r = env.run("--feeds", path, "add", env.url("hub/index.html"), input=b"2\n")
    text = out(r)
    expect(r.returncode == 0, (r.returncode, err(r), text))
    expect("It offers 2 feeds:" in text, text)
    expect("  1. All news (RSS) %s" % env.url("news.rss") in text, text)
    expect("  2. SEND updates (Atom) %s" % env.url("hub/send.atom") in text, text)
    expect("Add which feed? [1-2, or 0 for the page itself] 2\n" in text, text)
    expect(read(path) == COMMENTED + '%s "~SEND updates feed"\n' % env.url("hub/send.atom"),
           read(path))
    # --yes takes the first; the same again is refused.
    r = env.run("--feeds", path, "--yes", "add", env.url("hub/index.html"))
    expect(r.returncode == 0, (err(r), out(r)))
    expect(read(path).endswith('%s "~All council news"\n' % env.url("news.rss")), read(path))
    expect(read(path).count("\n") == COMMENTED.count("\n") + 2, read(path))
    r = env.run("--feeds", path, "add", env.url("hub/index.html"), input=b"1\n")
    expect(r.returncode == 1 and "already listed" in err(r), err(r))


def test_add_page_choice_out_of_range_adds_nothing(env):
    os.makedirs(os.path.join(env.root, "hub"))
    env.write("hub/index.html", PAGE_WITH_FEEDS)
    path = feeds_file(env)
    for answer in (b"7\n", b"x\n", b""):
        r = env.run("--feeds", path, "add", env.url("hub/index.html"), input=answer)
        expect(r.returncode == 1 and "Nothing added." in out(r), (answer, out(r), err(r)))
        expect(read(path) == COMMENTED, read(path))


def test_add_news_page_shows_posts_and_asks(env):
    shutil.copy(os.path.join(DEMO, "news-2023.html"), os.path.join(env.root, "news-2023.html"))
    path = feeds_file(env)
    url = env.url("news-2023.html")
    r = env.run("--feeds", path, "add", url, input=b"n\n")
    text = out(r)
    expect(r.returncode == 1 and "Nothing added." in text, (r.returncode, text))
    expect("is a web page" in text and "Read as a news page, it gives" in text, text)
    expect("Delivering Better Value (DBV) Survey" in text, text)
    expect("Add this page as a feed? [y/N] n\n" in text, text)
    expect(read(path) == COMMENTED, read(path))
    r = env.run("--feeds", path, "add", url, input=b"y\n")
    expect(r.returncode == 0, (err(r), out(r)))
    want = COMMENTED + ('%s "~News, updates and feedback 2023 | Worcestershire County Council"'
                        ' @type=page\n' % url)
    expect(read(path) == want, read(path))
    r = env.run("--feeds", path, "--cache", env.cache, "--offline", "--format", "json", "list")
    expect(r.returncode == 0, err(r))


def test_add_page_without_posts_mentions_heading_and_xpath(env):
    env.write("empty.html", "<html><head><title>Nothing</title></head><body></body></html>")
    path = feeds_file(env)
    r = env.run("--feeds", path, "add", env.url("empty.html"), input=b"\n")
    expect("gives no posts" in out(r) and "@heading=" in out(r) and "@xpath=" in out(r), out(r))
    expect(r.returncode == 1 and read(path) == COMMENTED, read(path))


def test_add_creates_the_users_feeds_file_keeping_the_council_feeds(env):
    env.write("news.rss", rss("News", cli.TWO_ITEMS))
    r = env.run("add", env.url("news.rss"))
    expect(r.returncode == 0, (err(r), out(r)))
    path = os.path.join(env.tmp, "config", "sendnews", "urls")
    bundled = read(os.path.join(cli.REPO, "feeds", "worcestershire.urls"))
    # The bundled feeds it replaces come first, every byte; then the new one.
    expect(read(path) == bundled + '%s "~News"\n' % env.url("news.rss"), read(path))
    expect("with the council feeds bundled with sendnews" in out(r), out(r))
    # A second add only appends.
    env.write("more.rss", rss("More", cli.TWO_ITEMS))
    r = env.run("--yes", "add", env.url("more.rss"))
    expect(r.returncode == 0 and "bundled" not in out(r), (err(r), out(r)))
    expect(read(path).startswith(bundled) and read(path).endswith('"~More"\n'), read(path))


def test_add_or_import_that_adds_nothing_creates_no_feeds_file(env):
    path = os.path.join(env.tmp, "config", "sendnews", "urls")
    r = env.run("add", env.url("status/404"))
    expect(r.returncode == 1 and not os.path.exists(path), (err(r), out(r)))
    expect("Created" not in out(r), out(r))
    r = env.run("import-opml", os.path.join(env.tmp, "none.opml"))
    expect(r.returncode == 2 and not os.path.exists(path), (err(r), out(r)))


def test_import_opml_into_a_new_users_feeds_file_keeps_the_council_feeds(env):
    opml = os.path.join(env.tmp, "in.opml")
    with open(opml, "w") as f:
        f.write('<?xml version="1.0"?><opml version="2.0"><head/><body>'
                '<outline type="rss" text="Other" xmlUrl="https://example.org/other.rss"/>'
                '</body></opml>')
    r = env.run("import-opml", opml)
    expect(r.returncode == 0, (err(r), out(r)))
    path = os.path.join(env.tmp, "config", "sendnews", "urls")
    bundled = read(os.path.join(cli.REPO, "feeds", "worcestershire.urls"))
    expect(read(path).startswith(bundled) and "https://example.org/other.rss" in read(path),
           read(path))
    r = env.run("export-opml")
    expect(out(r).count("xmlUrl=") == bundled_count(bundled) + 1, out(r))


def bundled_count(text):
    return sum(1 for l in text.splitlines() if l.strip() and not l.lstrip().startswith("#"))


def test_add_refuses_what_is_not_a_feed_or_page(env):
    path = feeds_file(env)
    env.write("data.json", '{"a": 1}')
    for target, why in ((env.url("data.json"), "neither a feed"),
                        (env.url("status/404"), "cannot fetch"),
                        ("example.org/feed", "full URL")):
        r = env.run("--feeds", path, "add", target)
        expect(r.returncode == 1 and why in err(r), (target, r.returncode, err(r)))
    expect(read(path) == COMMENTED, read(path))
    r = env.run("--demo", "add", env.url("data.json"))
    expect(r.returncode == 2, err(r))


# --- links over SSH: the settings ---------------------------------------------

def test_config_takes_osc52_and_osc8(env):
    cfg = os.path.join(env.tmp, "config.txt")
    with open(cfg, "w") as f:
        f.write("osc52 yes\nosc8 no\n")
    r = env.run("--config", cfg, "--demo", "--offline", "--cache", env.cache, "topics")
    expect(r.returncode == 0 and err(r) == "", err(r))
    with open(cfg, "w") as f:
        f.write("osc52 yes\nosc8 maybe\n")
    r = env.run("--config", cfg, "--demo", "--offline", "--cache", env.cache, "topics")
    expect(":2: osc8: takes yes or no" in err(r) and "osc52" not in err(r), err(r))


# --- text for speech and braille ----------------------------------------------

def test_table_post_reads_row_by_row(env):
    fetched(env)
    posts = json.loads(out(demo(env, "--format", "json", "list")))
    post = next(p for p in posts if "payment schedule for Personal Education Budgets"
                in p["title"])
    r = env.run("--demo", "--offline", "--cache", env.cache, "show", post["id"],
                env={"COLUMNS": "200"})
    text = out(r)
    for row in ("Term: Autumn term 2024; Months covered: September to December 2024; "
                "Payment date: Friday 30 August 2024",
                "Term: Spring term 2025; Months covered: January to March 2025; "
                "Payment date: Friday 20 December 2024",
                "Term: Summer term 2025; Months covered: April to August 2025; "
                "Payment date: Friday 28 March 2025"):
        expect(row + "\n" in text, "row missing: " + row + "\n" + text)
    expect("|" not in text and "+--" not in text and "---" not in text, text)


def main():
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_")]
    only = sys.argv[2:] if len(sys.argv) > 2 else None
    passed = failed = 0
    for name, fn in tests:
        if only and name not in only:
            continue
        env = Env().start()
        try:
            fn(env)
            print("ok - %s" % name)
            passed += 1
        except Exception as e:  # a failed expectation or a crash: both fail
            print("not ok - %s: %s" % (name, str(e)[:2000]))
            failed += 1
        finally:
            env.close()
        sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
