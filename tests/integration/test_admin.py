#!/usr/bin/env python3
"""sendnews for admins and scripts: check, fetch, the output formats and
filters, OPML import and export, the config file, install and uninstall,
bash completion.  The real binary against the real local HTTP server.

    python3 tests/integration/test_admin.py BINARY [TEST ...]

Prints "ok - name" or "not ok - name" per test and ends with
"N passed, M failed".
"""

import filecmp
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_cli import BIN, DATA, REPO, Env, err, expect, out, rss  # noqa: E402

NOW = "2025-03-01"  # SENDNEWS_NOW for every test: ages are days before this
FRESH = [dict(title="Autism strategy survey", slug="fresh", date="27 Feb 2025",
              body="Have your say on the autism strategy survey.")]
STALE = [dict(title="Ofsted inspection report", slug="stale", date="01 Jan 2025",
              body="The Ofsted and CQC inspection report is out.")]
EMPTY = rss("Empty", [])
# Quotes, backslashes, a tab, a newline, C0 and C1 controls, ESC, bidi
# overrides and non-ASCII, in titles and text (as character references).
NASTY = [dict(title="Quote \" back\\slash&#9;tab &#x1b;[31mred &#x202e;bidi \u00e9t\u00e9 \u2014 dash",
              slug="nasty", date="28 Feb 2025",
              body="Line one&#10;line two&#9;tabbed \\ \" &#x9b;2J autism")]


def run(t, *args, **kw):
    """t.run with the clock at NOW; env= adds to the environment."""
    e = {"SENDNEWS_NOW": NOW}
    e.update(kw.pop("env", None) or {})
    return t.run(*args, env=e, **kw)


def setup(env, feeds):
    """Serves each (file, text) and writes a feeds file; feeds is a list
    of (path-or-URL-path, name, body-or-None)."""
    lines = []
    for path, name, body in feeds:
        if body is not None:
            env.write(path, body)
        name = name.replace("\\", "\\\\").replace('"', '\\"')
        lines.append('%s "~%s"' % (env.url(path), name))
    return env.feeds(lines)


def config(env, text):
    path = os.path.join(env.tmp, "config")
    with open(path, "w") as f:
        f.write(text)
    return path


def check_lines(r):
    return {line.split()[1].rstrip(":"): line for line in out(r).splitlines()[:-1]}


# --- check -------------------------------------------------------------------

def test_check_healthy_feed_is_ok_with_every_field(env):
    feeds = setup(env, [("fresh.rss", "Fresh", rss("Fresh", FRESH))])
    r = run(env, "--feeds", feeds, "--cache", env.cache, "check")
    expect(r.returncode == 0, "exit %d: %s" % (r.returncode, out(r) + err(r)))
    lines = out(r).splitlines()
    expect(len(lines) == 2, lines)
    expect(re.match(r"^OK +Fresh: HTTP 200, \d+\.\d\d s, \d+ bytes, 1 post, newest 2 days old$",
                    lines[0]), lines[0])
    expect(lines[1] == "SENDNEWS OK - 1 feeds: 1 OK, 0 warning, 0 critical", lines[1])
    expect(err(r) == "", err(r))


def test_check_stale_feed_warns_and_goes_critical_by_age(env):
    feeds = setup(env, [("stale.rss", "Stale", rss("Stale", STALE)),
                        ("fresh.rss", "Fresh", rss("Fresh", FRESH))])
    base = ["--feeds", feeds, "--cache", env.cache]
    r = run(env, *base, "--warn-age", "30", "check")
    expect(r.returncode == 1, "exit %d: %s" % (r.returncode, out(r)))
    lines = check_lines(r)
    expect(lines["Stale"].startswith("WARNING  Stale:"), lines)
    expect("newest 59 days old - newest post is older than 30 days" in lines["Stale"], lines)
    expect(lines["Fresh"].startswith("OK "), lines)
    expect(out(r).splitlines()[-1].startswith("SENDNEWS WARNING - 2 feeds: 1 OK, 1 warning"),
           out(r))
    r = run(env, *base, "--warn-age", "30", "--crit-age", "50", "check")
    expect(r.returncode == 2, "exit %d" % r.returncode)
    expect(check_lines(r)["Stale"].startswith("CRITICAL Stale:"), out(r))
    expect("older than 50 days" in check_lines(r)["Stale"], out(r))
    r = run(env, *base, "--warn-age", "60", "--crit-age", "90", "check")
    expect(r.returncode == 0, "exit %d: %s" % (r.returncode, out(r)))
    # The clock is SENDNEWS_NOW: a month later the same feed is critical.
    r = run(env, *base, "--crit-age", "60", "check", env={"SENDNEWS_NOW": "2025-04-01"})
    expect(r.returncode == 2, "exit %d: %s" % (r.returncode, out(r)))


def test_check_empty_feed_is_a_warning_that_says_so(env):
    feeds = setup(env, [("empty.rss", "Empty", EMPTY),
                        ("fresh.rss", "Fresh", rss("Fresh", FRESH))])
    r = run(env, "--feeds", feeds, "--cache", env.cache, "check")
    expect(r.returncode == 1, "exit %d: %s" % (r.returncode, out(r)))
    line = check_lines(r)["Empty"]
    expect(line.startswith("WARNING  Empty: HTTP 200"), line)
    expect("0 posts" in line and "no posts found" in line and "layout" in line, line)


def test_check_failures_are_critical_and_run_in_parallel(env):
    env.write("data.json", '{"not": "a feed"}')
    feeds = setup(env, [("fresh.rss", "Fresh", rss("Fresh", FRESH)),
                        ("status/404", "Gone", None),
                        ("hang", "Hangs", None),
                        ("hang?2", "Hangs too", None),
                        ("data.json", "NotFeed", None),
                        ("empty.rss", "Empty", EMPTY)])
    cfg = config(env, "# two seconds is plenty for a local server\ntimeout 2\n")
    r = run(env, "--config", cfg, "--feeds", feeds, "--cache", env.cache, "check")
    expect(r.returncode == 2, "exit %d: %s" % (r.returncode, out(r) + err(r)))
    lines = out(r).splitlines()
    expect(len(lines) == 7, lines)
    byname = {l.split()[1].rstrip(":"): l for l in lines[:-1] if not l.startswith("CRITICAL Hangs too")}
    expect(byname["Fresh"].startswith("OK "), lines)
    expect(byname["Gone"].startswith("CRITICAL Gone: HTTP 404") and "404" in byname["Gone"].split(" - ")[1],
           byname["Gone"])
    expect(byname["Hangs"].startswith("CRITICAL Hangs: no HTTP answer") and "timed out" in byname["Hangs"],
           byname["Hangs"])
    expect(byname["NotFeed"].startswith("CRITICAL NotFeed: HTTP 200") and "not a feed" in byname["NotFeed"],
           byname["NotFeed"])
    expect(byname["Empty"].startswith("WARNING "), byname["Empty"])
    expect(lines[-1] == "SENDNEWS CRITICAL - 6 feeds: 1 OK, 1 warning, 4 critical", lines[-1])
    # Two hanging feeds: together, not one after the other (both requests
    # arrive before either is given up).
    # The server sees a client go within its 0.2 s poll: wait for that.
    for _ in range(100):
        hangs = [q["status"] for q in env.requests() if q["path"].startswith("/hang")]
        if len(hangs) >= 4:
            break
        time.sleep(0.05)
    expect(hangs == [None, None, "closed", "closed"], hangs)


def test_output_to_a_full_disk_is_an_error_and_unknown_for_check(env):
    e = dict(os.environ, HOME=env.tmp, XDG_CONFIG_HOME=os.path.join(env.tmp, "config"),
             XDG_CACHE_HOME=os.path.join(env.tmp, "xc"), XDG_STATE_HOME=os.path.join(env.tmp, "xs"))
    wrap = shlex.split(os.environ.get("SENDNEWS_WRAP", ""))
    results = {}
    for cmd in ("check", "list"):
        with open("/dev/full", "w") as full:
            p = subprocess.run(wrap + [BIN, "--demo", cmd], stdout=full, stderr=subprocess.PIPE,
                               env=e, timeout=600)
        results[cmd] = (p.returncode, p.stderr.decode())
    # The demo's feeds are local files: check says so, not "no HTTP answer".
    r = run(env, "--demo", "check")
    expect(r.returncode == 0 and ": a local file," in out(r) and "no HTTP" not in out(r), out(r))
    expect(results["check"][0] == 3 and "cannot write the output" in results["check"][1], results)
    expect(results["list"][0] == 1 and "cannot write the output" in results["list"][1], results)


def test_check_json_parses_and_matches_text(env):
    feeds = setup(env, [("fresh.rss", "Fresh", rss("Fresh", FRESH)),
                        ("stale.rss", "Stale \"quoted\" \\ \u00e9t\u00e9", rss("Stale", STALE)),
                        ("status/500", "Broken", None),
                        ("empty.rss", "Empty", EMPTY)])
    r = run(env, "--feeds", feeds, "--cache", env.cache, "--format", "json", "--warn-age", "30",
            "check")
    expect(r.returncode == 2, "exit %d" % r.returncode)
    doc = json.loads(out(r))
    expect(doc["status"] == "CRITICAL" and doc["ok"] == 1 and doc["warning"] == 2
           and doc["critical"] == 1, doc)
    by = {f["name"]: f for f in doc["feeds"]}
    expect(set(by) == {"Fresh", "Stale \"quoted\" \\ \u00e9t\u00e9", "Broken", "Empty"}, by.keys())
    f = by["Fresh"]
    expect(f["status"] == "OK" and f["http"] == 200 and f["posts"] == 1 and f["newest_age_days"] == 2
           and f["error"] is None and f["bytes"] > 0 and f["seconds"] >= 0, f)
    expect(f["url"] == env.url("fresh.rss"), f)
    expect(by["Stale \"quoted\" \\ \u00e9t\u00e9"]["newest_age_days"] == 59, by)
    expect(by["Broken"]["status"] == "CRITICAL" and by["Broken"]["http"] == 500, by["Broken"])
    expect(by["Empty"]["posts"] == 0 and by["Empty"]["newest_age_days"] is None
           and "no posts" in by["Empty"]["error"], by["Empty"])
    r = run(env, "--feeds", feeds, "--cache", env.cache, "--format", "json", "--offline", "check",
            env={"LANG": "C", "LC_ALL": "C"})
    expect(all(ord(c) < 128 for c in out(r)), "non-ASCII in C-locale JSON")
    expect({f["name"] for f in json.loads(out(r))["feeds"]} == set(by), out(r))


def test_check_tsv_has_eight_clean_columns(env):
    feeds = setup(env, [("fresh.rss", "Fresh", rss("Fresh", FRESH)),
                        ("status/404?reason=Bad%09tab%0Aline", "Gone", None)])
    r = run(env, "--feeds", feeds, "--cache", env.cache, "--format", "tsv", "check")
    expect(r.returncode == 2, "exit %d" % r.returncode)
    lines = out(r).splitlines()
    expect(len(lines) == 2, lines)
    for line in lines:
        cols = line.split("\t")
        expect(len(cols) == 8, cols)
    ok, gone = lines[0].split("\t"), lines[1].split("\t")
    expect(ok[0] == "OK" and ok[1] == "Fresh" and ok[2] == "200" and ok[5] == "1" and ok[6] == "2"
           and ok[7] == "", ok)
    expect(gone[0] == "CRITICAL" and gone[2] == "404" and gone[6] == "" and gone[7], gone)


def test_check_setup_failures_are_unknown(env):
    r = run(env, "--feeds", os.path.join(env.tmp, "missing"), "--cache", env.cache, "check")
    expect(r.returncode == 3, "missing feeds file: exit %d" % r.returncode)
    feeds = setup(env, [("fresh.rss", "Fresh", rss("Fresh", FRESH))])
    r = run(env, "--feeds", feeds, "--cache", env.cache, "--warn-age", "soon", "check")
    expect(r.returncode == 3 and "--warn-age" in err(r), "bad age: exit %d %s" % (r.returncode, err(r)))
    r = run(env, "--feeds", feeds, "--cache", env.cache, "--frobnicate", "check")
    expect(r.returncode == 3, "unknown option: exit %d" % r.returncode)
    r = run(env, "--feeds", feeds, "--cache", env.cache, "--format", "xml", "check")
    expect(r.returncode == 3, "bad format: exit %d" % r.returncode)
    r = run(env, "--feeds", feeds, "--cache", env.cache, "--frobnicate", "list")
    expect(r.returncode == 2, "unknown option for list: exit %d" % r.returncode)


def test_check_offline_judges_the_cache_without_network(env):
    feeds = setup(env, [("fresh.rss", "Fresh", rss("Fresh", FRESH)), ("status/404", "Gone", None)])
    run(env, "--feeds", feeds, "--cache", env.cache, "check")
    before = len(env.requests())
    r = run(env, "--feeds", feeds, "--cache", env.cache, "--offline", "check")
    expect(len(env.requests()) == before, "offline check made requests")
    expect(r.returncode == 2, "exit %d: %s" % (r.returncode, out(r)))
    lines = check_lines(r)
    expect(lines["Fresh"].startswith("OK ") and lines["Gone"].startswith("CRITICAL Gone: HTTP 404"),
           lines)


# --- fetch -------------------------------------------------------------------

def test_fetch_silent_on_success_and_one_line_per_failure(env):
    feeds = setup(env, [("fresh.rss", "Fresh", rss("Fresh", FRESH)),
                        ("stale.rss", "Stale", rss("Stale", STALE))])
    r = run(env, "--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 0 and r.stdout == b"" and r.stderr == b"",
           "exit %d, %r %r" % (r.returncode, r.stdout, r.stderr))
    r = run(env, "--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 0 and r.stdout == b"" and r.stderr == b"", "second fetch not silent")
    feeds = setup(env, [("fresh.rss", "Fresh", None), ("status/404", "Gone", None),
                        ("status/503", "Down", None)])
    r = run(env, "--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 1, "exit %d" % r.returncode)
    expect(r.stdout == b"", out(r))
    lines = err(r).splitlines()
    expect(len(lines) == 2, lines)
    expect(lines[0].startswith("sendnews: Gone: ") and "404" in lines[0], lines)
    expect(lines[1].startswith("sendnews: Down: ") and "503" in lines[1], lines)
    r = run(env, "--feeds", feeds, "--cache", env.cache, "--quiet", "fetch")
    expect(r.returncode == 1 and r.stdout == b"" and r.stderr == b"", "quiet: %r" % r.stderr)
    n = len(env.requests())
    r = run(env, "--feeds", feeds, "--cache", env.cache, "--offline", "fetch")
    expect(r.returncode == 2 and "--offline" in err(r) and len(env.requests()) == n,
           "offline fetch: %d %s" % (r.returncode, err(r)))
    r = run(env, "--feeds", feeds, "--cache", env.cache, "--verbose", "fetch")
    expect(r.returncode == 1 and r.stdout == b"", "verbose exit %d" % r.returncode)
    text = err(r)
    expect("Fresh: unchanged, 1 post, 0 new" in text, text)
    expect("Gone: failed" in text and "Down: failed" in text, text)


# --- formats and filters -----------------------------------------------------

def nasty_env(env):
    env.write("hostile.rss", open(os.path.join(DATA, "hostile.rss"), encoding="utf-8").read())
    feeds = setup(env, [("nasty.rss", "Nasty \"feed\"\t\\ name", rss("Nasty", NASTY + FRESH)),
                        ("hostile.rss", "Hostile", None)])
    r = run(env, "--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 0, err(r))
    return ["--feeds", feeds, "--cache", env.cache, "--offline"]


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_json_of_every_command_parses_and_holds_no_controls(env):
    base = nasty_env(env)
    posts = json.loads(out(run(env, *base, "--format", "json", "list")))
    expect(len(posts) >= 3, posts)
    nasty = next(p for p in posts if p["title"].startswith("Quote"))
    expect('"' in nasty["title"] and "\\" in nasty["title"] and "\u00e9t\u00e9" in nasty["title"],
           nasty["title"])
    for p in posts:
        for k in ("id", "title", "feed", "link"):
            expect(not CONTROL.search(p[k]), "%s: %r" % (k, p[k]))
    shown = json.loads(out(run(env, *base, "--format", "json", "show", nasty["id"])))
    expect(shown["id"] == nasty["id"] and "line two" in shown["text"], shown)
    expect(not CONTROL.search(shown["text"].replace("\n", "").replace("\t", "")), repr(shown["text"]))
    topics = json.loads(out(run(env, *base, "--format", "json", "topics")))
    expect(isinstance(topics, list) and topics[-1]["name"] == "Other", topics)
    # Non-UTF-8 locale: still valid JSON, non-ASCII as \u escapes.
    r = run(env, *base, "--format", "json", "list", env={"LANG": "C", "LC_ALL": "C"})
    raw = out(r)
    expect(all(ord(c) < 128 for c in raw), "non-ASCII in C-locale JSON")
    expect(any(p["title"] == nasty["title"] for p in json.loads(raw)), "C-locale title differs")


def test_tsv_fields_never_hold_tabs_or_newlines(env):
    base = nasty_env(env)
    for cmd, ncols in (("list", 7), ("topics", 3)):
        r = run(env, *base, "--format", "tsv", cmd)
        expect(r.returncode == 0, err(r))
        for line in out(r).split("\n")[:-1]:
            expect(len(line.split("\t")) == ncols, "%s: %r" % (cmd, line))
            expect(not CONTROL.search(line), "%s: %r" % (cmd, line))
    r = run(env, *base, "--format", "tsv", "list")
    nasty = next(l for l in out(r).splitlines() if "Quote" in l)
    r = run(env, *base, "--format", "tsv", "show", nasty.split("\t")[5])
    expect(r.returncode == 0 and out(r).count("\n") == 1, repr(out(r)))
    expect(not CONTROL.search(out(r).rstrip("\n")), repr(out(r)))


def test_filters_combine(env):
    base = nasty_env(env)

    def titles(*args):
        r = run(env, *base, "--format", "json", *args, "list")
        expect(r.returncode == 0, err(r))
        return sorted(p["title"] for p in json.loads(out(r)))

    every = titles()
    expect(len(every) >= 3, every)
    expect(titles("--feed", "nasty") == sorted(t for t in every if t.startswith(("Quote", "Autism"))),
           titles("--feed", "nasty"))
    expect(titles("--search", "strategy survey") == ["Autism strategy survey"], titles("--search", "strategy"))
    expect(titles("--since", "2025-02-28") == [t for t in every if t.startswith("Quote")],
           titles("--since", "2025-02-28"))
    expect(titles("--topic", "autism", "--feed", "nasty", "--search", "survey") == ["Autism strategy survey"],
           "combined")
    r = run(env, *base, "--format", "json", "list")
    first = json.loads(out(r))[0]
    run(env, *base, "show", first["id"])
    expect(first["title"] not in titles("--unread"), "read post still unread")
    expect(len(titles("--unread")) == len(every) - 1, titles("--unread"))
    for bad in (("--since", "yesterday"), ("--topic", "no such topic"), ("--feed", "no such feed")):
        r = run(env, *base, *bad, "list")
        expect(r.returncode == 2 and err(r).count("\n") == 1, "%s: %d %s" % (bad, r.returncode, err(r)))


# --- OPML --------------------------------------------------------------------

FEEDS_FILE = """# my feeds: comments, blank lines and options stay as they are

https://www.worcestershire.gov.uk/council-services/schools-education-and-learning/send-local-offer/send-news-updates-and-feedback/latest-news send local-offer "~SEND Local Offer: latest news" @type=page
https://www.worcestershire.gov.uk/news/feed.rss council "~Council news"
https://example.org/a.rss?x=1&y=2 "tag with space" "~A & B <news> \\"quoted\\""
https://example.org/page.html @heading=3 "@xpath=//div[@id='main news']"
https://example.org/unnamed.atom
"""


def opml_tree(text):
    root = ET.fromstring(text)
    expect(root.tag == "opml" and root.get("version") == "2.0", root.attrib)
    expect(root.find("head/title") is not None, "no head/title")
    outlines = root.findall("body/outline")
    for o in outlines:
        expect(o.get("text") and o.get("xmlUrl") and o.get("type") == "rss", o.attrib)
    return outlines


def test_opml_round_trip_is_identical(env):
    feeds = os.path.join(env.tmp, "mine.urls")
    with open(feeds, "w") as f:
        f.write(FEEDS_FILE)
    r = run(env, "--feeds", feeds, "export-opml")
    expect(r.returncode == 0 and r.stderr == b"", "exit %d %s" % (r.returncode, err(r)))
    first = out(r)
    outlines = opml_tree(first)
    expect(len(outlines) == 5, len(outlines))
    expect(outlines[0].get("text") == "SEND Local Offer: latest news"
           and outlines[0].get("category") == "send,local-offer", outlines[0].attrib)
    expect(outlines[2].get("text") == 'A & B <news> "quoted"'
           and outlines[2].get("xmlUrl") == "https://example.org/a.rss?x=1&y=2", outlines[2].attrib)
    expect(outlines[4].get("text") == "https://example.org/unnamed.atom", outlines[4].attrib)
    empty = os.path.join(env.tmp, "empty.urls")
    open(empty, "w").close()
    src = os.path.join(env.tmp, "first.opml")
    with open(src, "w") as f:
        f.write(first)
    r = run(env, "--feeds", empty, "import-opml", src)
    expect(r.returncode == 0, "import exit %d: %s" % (r.returncode, err(r)))
    expect(out(r) == "5 feeds added to %s, 0 already there\n" % empty, out(r))
    r = run(env, "--feeds", empty, "export-opml")
    expect(r.returncode == 0, err(r))
    expect(out(r) == first, "second export differs:\n%s\n---\n%s" % (first, out(r)))
    # The imported file reads back as the same feeds, options included.
    with open(empty) as f:
        text = f.read()
    expect("@type=page" in text and "@heading=3" in text and "//div[@id='main news']" in text, text)


def test_opml_import_keeps_every_existing_byte_and_skips_duplicates(env):
    feeds = os.path.join(env.tmp, "mine.urls")
    # No newline at the end, a CRLF line, a newsboat query feed.
    original = (FEEDS_FILE + '"query:Unread:unread = \\"yes\\""\r\n'
                "https://example.org/last.rss last-tag").encode()
    with open(feeds, "wb") as f:
        f.write(original)
    opml = os.path.join(env.tmp, "in.opml")
    with open(opml, "w") as f:
        f.write("""<?xml version="1.0"?>
<opml version="1.0"><head><title>x</title></head><body>
<outline text="Council news again" xmlUrl="https://WWW.Worcestershire.gov.uk/news/feed.rss"/>
<outline text="Last" xmlUrl="https://example.org/last.rss"/>
<outline text="New one" title="Its own title" xmlUrl="https://example.net/new.rss"/>
<outline text="New one twice" xmlUrl="https://example.net/new.rss"/>
</body></opml>
""")
    r = run(env, "--feeds", feeds, "import-opml", opml)
    expect(r.returncode == 0, err(r))
    expect(out(r) == "1 feed added to %s, 2 already there\n" % feeds, out(r))
    with open(feeds, "rb") as f:
        now = f.read()
    expect(now.startswith(original + b"\n"), "existing bytes changed")
    expect(now[len(original) + 1:] == b'https://example.net/new.rss "~New one"\n', now[len(original):])
    r = run(env, "--feeds", feeds, "--quiet", "import-opml", opml)
    expect(r.returncode == 0 and r.stdout == b"", out(r))
    with open(feeds, "rb") as f:
        expect(f.read() == now, "second import changed the file")


def test_opml_from_newsboat_imports(env):
    feeds = os.path.join(env.tmp, "from-newsboat.urls")
    r = run(env, "--feeds", feeds, "import-opml", os.path.join(DATA, "newsboat-export.opml"))
    expect(r.returncode == 0, "exit %d: %s" % (r.returncode, err(r)))
    with open(feeds) as f:
        lines = f.read().splitlines()
    expect(lines == [
        "https://www.worcestershire.gov.uk/news/feed.rss",
        "https://www.gov.uk/government/organisations/department-for-education.atom",
        'https://www.ofsted.gov.uk/news.rss?topic=send&page=1 "~Ofsted: SEND & inspections"',
    ], lines)
    r = run(env, "--feeds", feeds, "export-opml")
    expect(len(opml_tree(out(r))) == 3, out(r))


def test_opml_folders_become_tags(env):
    feeds = os.path.join(env.tmp, "folders.urls")
    r = run(env, "--feeds", feeds, "import-opml", os.path.join(DATA, "folders.opml"))
    expect(r.returncode == 0, "exit %d: %s" % (r.returncode, err(r)))
    with open(feeds) as f:
        lines = f.read().splitlines()
    expect(lines == [
        'https://www.worcestershire.gov.uk/news/feed.rss Council "~Council news"',
        'https://example.org/send/local-offer.rss Council SEND local-offer autism "~Local offer"',
        'https://example.org/ehcp.atom Council SEND "~EHCP \\"updates\\" \\\\ more"',
        'https://example.org/national.rss National "~National news"',
        'https://example.org/top.rss',
    ], "\n".join(lines))


def test_opml_import_refuses_commands_and_local_files(env):
    feeds = os.path.join(env.tmp, "hostile.urls")
    r = run(env, "--feeds", feeds, "import-opml", os.path.join(DATA, "hostile.opml"))
    expect(r.returncode == 0, "exit %d: %s" % (r.returncode, err(r)))
    with open(feeds) as f:
        text = f.read()
    # The escape character is gone; what is left is harmless text.
    expect(text == "https://example.org/safe.rss \"~Safe feed[31m\"\n", text)
    warnings = err(r).splitlines()
    for bad in ("|", "exec:", "filter:", "file:", "javascript:", "query:"):
        expect(any(bad in w and "only http and https" in w for w in warnings), (bad, warnings))
    r = run(env, "--feeds", feeds, "import-opml", os.path.join(DATA, "entities.opml"))
    expect(r.returncode == 2 and "entities" in err(r), "exit %d: %s" % (r.returncode, err(r)))
    r = run(env, "--feeds", feeds, "import-opml", os.path.join(DATA, "rss091.xml"))
    expect(r.returncode == 2 and "not an OPML file" in err(r), err(r))
    r = run(env, "--feeds", feeds, "import-opml", os.path.join(env.tmp, "nope.opml"))
    expect(r.returncode == 2 and "nope.opml" in err(r), err(r))
    with open(feeds) as f:
        expect(f.read() == text, "feeds file changed by a failed import")


def test_opml_import_creates_the_users_feeds_file(env):
    r = run(env, "import-opml", os.path.join(DATA, "newsboat-export.opml"))
    expect(r.returncode == 0, err(r))
    path = os.path.join(env.tmp, "config", "sendnews", "urls")
    expect(os.path.exists(path), "no %s" % path)
    expect("added to %s" % path in out(r), out(r))
    # It starts as the bundled feeds it replaces (the council's news feed
    # is in both), the others imported after.
    expect("2 feeds added to %s, 1 already there" % path in out(r), out(r))
    with open(os.path.join(REPO, "feeds", "worcestershire.urls")) as f:
        bundled = [l for l in f.read().splitlines() if l.strip() and not l.startswith("#")]
    r = run(env, "export-opml")
    expect(len(opml_tree(out(r))) == len(bundled) + 2, out(r))


def test_opml_export_imports_into_newsboat(env):
    if not shutil.which("newsboat"):
        print("# newsboat not installed; skipped")
        return
    feeds = os.path.join(env.tmp, "mine.urls")
    with open(feeds, "w") as f:
        f.write(FEEDS_FILE)
    opml = os.path.join(env.tmp, "out.opml")
    with open(opml, "wb") as f:
        f.write(run(env, "--feeds", feeds, "export-opml").stdout)
    nb = os.path.join(env.tmp, "nb.urls")
    open(nb, "w").close()
    r = subprocess.run(["newsboat", "-u", nb, "-c", os.path.join(env.tmp, "nb.db"), "-i", opml],
                       capture_output=True, timeout=60, env={"HOME": env.tmp, "PATH": os.environ["PATH"]})
    expect(r.returncode == 0, r.stderr)
    with open(nb) as f:
        urls = [line.split()[0] for line in f if line.strip()]
    expect(len(urls) == 5 and "https://example.org/a.rss?x=1&y=2" in urls, urls)


# --- config file and options -------------------------------------------------

def test_config_file_settings_reach_the_fetch(env):
    feeds = setup(env, [("fresh.rss", "Fresh", rss("Fresh", FRESH)), ("hang", "Hangs", None),
                        ("big/3000000", "Big", None)])
    cfg = config(env, """# sendnews settings
user-agent "Council monitor/1.0"
timeout 1
max-size 2
max-parallel 4
max-per-host 2
connect-timeout 5
refresh-on-start no
retention 30
color no
screen-reader no
browser "lynx -dump"
""")
    r = run(env, "--config", cfg, "--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 1, "exit %d %s" % (r.returncode, err(r)))
    expect("warning" not in err(r) and "unknown" not in err(r), err(r))
    expect("Hangs: timed out after 1 s" in err(r) and "Big:" in err(r), err(r))
    agents = {q["user_agent"] for q in env.requests() if q["path"].startswith("/fresh")}
    expect(agents == {"Council monitor/1.0"}, agents)
    # The command line wins over the file.
    n = len(env.requests())
    r = run(env, "--config", cfg, "--user-agent", "Cli agent", "--timeout", "3", "--feeds", feeds,
            "--cache", env.cache, "check")
    expect("Hangs: no HTTP answer, 3." in out(r), out(r))
    agents = {q["user_agent"] for q in env.requests()[n:]}
    expect(agents == {"Cli agent"}, agents)


def test_config_default_place_and_refresh_on_start(env):
    feeds = setup(env, [("fresh.rss", "Fresh", rss("Fresh", FRESH))])
    d = os.path.join(env.tmp, "config", "sendnews")
    os.makedirs(d)
    with open(os.path.join(d, "config"), "w") as f:
        f.write("refresh-on-start no\n")
    r = run(env, "--feeds", feeds, "--cache", env.cache, "--plain", input=b"q\n")
    expect(r.returncode == 0, err(r))
    expect(env.requests() == [], "refreshed although refresh-on-start is no")
    with open(os.path.join(d, "config"), "w") as f:
        f.write("refresh-on-start yes\n")
    run(env, "--feeds", feeds, "--cache", env.cache, "--plain", input=b"q\n")
    expect(len(env.requests()) == 1, env.requests())


def test_unclosed_quotes_and_feeds_file_mistakes_name_their_file(env):
    feeds = os.path.join(env.tmp, "my.urls")
    with open(feeds, "w") as f:
        f.write('%s "~Fresh"\n"unterminated\n%s "~Half\n%s @tpye=page\n' % (
            env.url("fresh.rss"), env.url("other.rss"), env.url("third.rss")))
    env.write("fresh.rss", rss("Fresh", FRESH))
    cfg = config(env, 'user-agent "half a value\n')
    r = run(env, "--config", cfg, "--feeds", feeds, "export-opml")
    lines = err(r).splitlines()
    expect(all(l.startswith("sendnews: ") for l in lines), lines)
    expect(any("config:1: user-agent: a quote is not closed" in l for l in lines), lines)
    expect(any(l.startswith("sendnews: %s: line 2: skipped: a quote is not closed" % feeds)
               for l in lines), lines)
    expect(any("%s: line 3: skipped: a quote is not closed" % feeds in l for l in lines), lines)
    expect(any("%s: line 4: unknown option @tpye" % feeds in l for l in lines), lines)
    urls = [o.get("xmlUrl") for o in opml_tree(out(r))]
    expect(urls == [env.url("fresh.rss"), env.url("third.rss")], urls)
    # The half value was not used: the default User-Agent went out.
    run(env, "--config", cfg, "--feeds", feeds, "--cache", env.cache, "fetch")
    agents = {q["user_agent"] for q in env.requests()}
    expect(all(a and a.startswith("sendnews/") for a in agents), agents)


def test_config_mistakes_are_reported(env):
    feeds = setup(env, [("fresh.rss", "Fresh", rss("Fresh", FRESH))])
    cfg = config(env, "colour no\ntimeout soon\nmax-parallel 0\n")
    r = run(env, "--config", cfg, "--feeds", feeds, "--cache", env.cache, "fetch")
    lines = err(r).splitlines()
    expect(len(lines) == 3, lines)
    expect("config:1: colour: unknown setting" in lines[0] and "config:2: timeout" in lines[1], lines)
    r = run(env, "--config", os.path.join(env.tmp, "none"), "--feeds", feeds, "fetch")
    expect(r.returncode == 2 and "none" in err(r), err(r))
    r = run(env, "--timeout", "0", "--feeds", feeds, "fetch")
    expect(r.returncode == 2 and "--timeout" in err(r), err(r))
    r = run(env, "--max-parallel", "many", "--feeds", feeds, "check")
    expect(r.returncode == 3, "check with a bad option: exit %d" % r.returncode)


def test_retention_drops_archived_posts(env):
    env.write("two.rss", rss("Two", FRESH + STALE))
    feeds = env.feeds([env.url("two.rss") + ' "~Two"'])
    base = ["--feeds", feeds, "--cache", env.cache]
    run(env, *base, "fetch", env={"SENDNEWS_NOW": "2025-03-01"})
    env.write("two.rss", rss("Two", FRESH))
    run(env, *base, "fetch", env={"SENDNEWS_NOW": "2025-03-02"})
    cfg = config(env, "retention 10\n")

    def archived(day, *opts):
        # A changed feed, so the store looks at its posts again.
        env.write("two.rss", rss("Two", FRESH + [dict(title="News of " + day, slug=day,
                                                       date="01 Mar 2025", body="x")]))
        run(env, *opts, *base, "fetch", env={"SENDNEWS_NOW": day})
        r = run(env, *opts, *base, "--offline", "--archived", "--format", "json", "list",
                env={"SENDNEWS_NOW": day})
        return [p["title"] for p in json.loads(out(r)) if p["title"].startswith("Ofsted")]

    expect(archived("2025-03-05", "--config", cfg) == ["Ofsted inspection report"],
           "dropped within 10 days")
    expect(archived("2025-03-20") == ["Ofsted inspection report"], "default keeps 180 days")
    expect(archived("2025-03-21", "--config", cfg) == [], "kept after 10 days")


def test_proxy_from_environment(env):
    env.write("fresh.rss", rss("Fresh", FRESH))
    feeds = env.feeds(["http://council.invalid/fresh.rss \"~Through proxy\""])
    r = run(env, "--feeds", feeds, "--cache", env.cache, "fetch",
            env={"http_proxy": "http://127.0.0.1:%d" % env.port})
    expect(r.returncode == 0, err(r))
    expect(any(q["path"].endswith("/fresh.rss") for q in env.requests()), env.requests())


def test_help_is_short_and_complete_and_version_names_libraries(env):
    r = run(env, "--help")
    expect(r.returncode == 0, err(r))
    text = out(r)
    expect(len(text.splitlines()) <= 40, "help has %d lines" % len(text.splitlines()))
    with open(os.path.join(REPO, "src", "main.c")) as f:
        src = f.read()
    longopts = set(re.findall(r'\{"([a-z-]+)", (?:no|required)_argument', src))
    expect(len(longopts) > 20, longopts)
    for o in longopts:
        expect("--" + o in text, "--%s missing from --help" % o)
    with open(os.path.join(REPO, "man", "sendnews.1")) as f:
        man = f.read()
    for o in longopts:
        expect("Fl \\-" + o in man, "--%s missing from sendnews(1)" % o)
    for c in ("list", "show", "topics", "fetch", "check", "import-opml", "export-opml"):
        expect(c in text and "Cm " + c in man, c)
    r = run(env, "--version")
    lines = out(r).splitlines()
    expect(r.returncode == 0 and re.match(r"sendnews \d+\.\d+", lines[0]), lines)
    expect(any(l.startswith("libcurl/") for l in lines), lines)
    expect(any(l.startswith("libxml2 ") for l in lines), lines)
    expect(any(l.startswith("ncurses") for l in lines), lines)


def test_config_file_is_documented(env):
    with open(os.path.join(REPO, "man", "sendnews.5")) as f:
        man = f.read()
    expect(".Sh CONFIG FILE" in man, "no CONFIG FILE section")
    for name in ("browser", "color", "screen-reader", "refresh-on-start", "max-parallel",
                 "max-per-host", "timeout", "connect-timeout", "max-size", "retention",
                 "user-agent"):
        expect(".It Li %s " % name in man, "%s not documented" % name)


# --- install, uninstall, completion ------------------------------------------

def test_install_runs_from_anywhere_and_uninstall_leaves_nothing(env):
    dest = os.path.join(env.tmp, "dest")
    # The normal build (build/), never the one under test: make would
    # rebuild that without its sanitiser flags.
    make = ["make", "-s", "-C", REPO, "PREFIX=/usr/local", "DESTDIR=" + dest]
    r = subprocess.run(make + ["install"], capture_output=True, timeout=600)
    expect(r.returncode == 0, r.stdout.decode() + r.stderr.decode())
    prefix = os.path.join(dest, "usr", "local")
    installed = sorted(os.path.relpath(os.path.join(d, f), prefix)
                       for d, _, fs in os.walk(dest) for f in fs)
    demo = sorted(os.listdir(os.path.join(REPO, "feeds", "demo")))
    expect(installed == sorted(["bin/sendnews", "share/man/man1/sendnews.1",
                                "share/man/man5/sendnews.5",
                                "share/bash-completion/completions/sendnews",
                                "share/sendnews/worcestershire.urls", "share/sendnews/topics",
                                "share/sendnews/demo.urls"] +
                               ["share/sendnews/demo/" + f for f in demo]), installed)
    exe = os.path.join(prefix, "bin", "sendnews")
    home = os.path.join(env.tmp, "home")
    os.makedirs(home)
    e = {"HOME": home, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "SENDNEWS_NOW": NOW,
         "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", ""),
         "LSAN_OPTIONS": os.environ.get("LSAN_OPTIONS", "")}
    for args in (["--demo", "fetch"], ["--demo", "--offline", "list"]):
        r = subprocess.run([exe] + args, capture_output=True, cwd="/", env=e, timeout=120)
        expect(r.returncode == 0, "%s: exit %d %s" % (args, r.returncode, err(r)))
    expect("Local Area SEND Inspection published" in out(r), out(r)[:500])
    # It read the installed demo, not the source tree's.
    r = subprocess.run([exe, "--demo", "--offline", "--format", "json", "list"], capture_output=True,
                       cwd="/", env=e, timeout=120)
    links = [p["link"] for p in json.loads(out(r)) if p["link"].startswith("file:")]
    expect(links and all(l.startswith("file://" + prefix + "/share/sendnews/demo/") for l in links),
           links[:3])
    # The default feeds are found too (export needs no network).
    r = subprocess.run([exe, "export-opml"], capture_output=True, cwd="/", env=e, timeout=60)
    expect(r.returncode == 0 and "worcestershire.gov.uk" in out(r), err(r))
    r = subprocess.run(make + ["uninstall"], capture_output=True, timeout=120)
    expect(r.returncode == 0, r.stderr.decode())
    left = [os.path.join(d, f) for d, _, fs in os.walk(dest) for f in fs]
    expect(left == [], left)
    expect(not os.path.exists(os.path.join(prefix, "share", "sendnews")), "share/sendnews left")
    # Another PREFIX: the binary and the man page name its data directory.
    make2 = ["make", "-s", "-C", REPO, "PREFIX=/opt/sn", "DESTDIR=" + dest]
    r = subprocess.run(make2 + ["install"], capture_output=True, timeout=600)
    expect(r.returncode == 0, r.stdout.decode() + r.stderr.decode())
    with open(os.path.join(dest, "opt", "sn", "bin", "sendnews"), "rb") as f:
        expect(b"/opt/sn/share/sendnews" in f.read(), "binary built for another PREFIX")
    with open(os.path.join(dest, "opt", "sn", "share", "man", "man1", "sendnews.1")) as f:
        man = f.read()
    expect("/opt/sn/share/sendnews/" in man and "/usr/local/share" not in man, "man page paths")
    r = subprocess.run(make2 + ["uninstall"], capture_output=True, timeout=120)
    expect(r.returncode == 0, r.stderr.decode())


def complete(env, words, binpath):
    """What the completion file offers for the words; the last is the one
    being completed."""
    script = """source %s
COMP_WORDS=(%s)
COMP_CWORD=%d
_sendnews
printf '%%s\\n' "${COMPREPLY[@]}"
""" % (os.path.join(REPO, "tools", "sendnews.bash"),
       " ".join("'%s'" % w for w in words), len(words) - 1)
    r = subprocess.run(["bash", "--norc", "-c", script], capture_output=True, timeout=60,
                       env={"PATH": binpath + ":/usr/bin:/bin", "HOME": env.tmp,
                            "XDG_CACHE_HOME": os.path.join(env.tmp, "xcache"),
                            "XDG_STATE_HOME": os.path.join(env.tmp, "xstate"),
                            "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", ""),
                            "LANG": "C.UTF-8"})
    expect(r.returncode == 0, r.stderr)
    return [l for l in r.stdout.decode().split("\n") if l]


def test_bash_completion(env):
    bindir = os.path.join(env.tmp, "bin")
    os.makedirs(bindir)
    os.symlink(BIN, os.path.join(bindir, "sendnews"))
    r = subprocess.run(["bash", "-n", os.path.join(REPO, "tools", "sendnews.bash")],
                       capture_output=True)
    expect(r.returncode == 0, r.stderr)
    expect(complete(env, ["sendnews", "ch"], bindir) == ["check"], "commands")
    expect(complete(env, ["sendnews", "--demo", "im"], bindir) == ["import-opml"], "import")
    expect(complete(env, ["sendnews", "--form"], bindir) == ["--format"], "option")
    expect(complete(env, ["sendnews", "--format", ""], bindir) == ["text", "tsv", "json"], "formats")
    expect("--warn-age" in complete(env, ["sendnews", "check", "--"], bindir), "check options")
    # Every option and command --help names is offered.
    helptext = out(run(env, "--help"))
    offered = complete(env, ["sendnews", "--"], bindir)
    missing = sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", helptext)) - set(offered))
    expect(not missing, "options not completed: %s" % missing)
    cmds = set(re.findall(r"^  ([a-z][a-z-]+)  ", helptext, re.M))
    offered = complete(env, ["sendnews", ""], bindir)
    expect(cmds and not cmds - set(offered), "commands not completed: %s" % (cmds - set(offered)))
    run(env, "--demo", "fetch")
    got = complete(env, ["sendnews", "--demo", "--topic", "au"], bindir)
    expect(got == ["Autism\\ \\&\\ neurodiversity"], got)
    ids = complete(env, ["sendnews", "--demo", "show", ""], bindir)
    expect(len(ids) > 20 and all(re.match("^[0-9a-f]{12}$", i) for i in ids), ids[:3])


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
