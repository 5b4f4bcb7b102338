#!/usr/bin/env python3
"""The real sendnews binary against the real local HTTP server (tests/server.py).

    python3 tests/integration/test_cli.py BINARY

Each test runs the binary with a private HOME, XDG directories and --cache,
so nothing of the user's is read or written.  Prints "ok - name" or
"not ok - name" per test and ends with "N passed, M failed".
"""

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(REPO, "sendnews")
DATA = os.path.join(REPO, "tests", "data")
DEMO = os.path.join(REPO, "feeds", "demo")

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{name}</title><link>http://example.org/</link>
{items}
</channel></rss>
"""
ITEM = """<item><title>{title}</title><link>/news/{slug}</link>
<guid>{slug}</guid><pubDate>{date}</pubDate>
<description>&lt;p&gt;{body}&lt;/p&gt;</description></item>"""


def rss(name, items):
    return RSS.format(name=name, items="\n".join(ITEM.format(**i) for i in items))


class Env:
    """A temporary home, a served directory and a running test server."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="sendnews-test-")
        self.root = os.path.join(self.tmp, "www")
        os.makedirs(self.root)
        self.cache = os.path.join(self.tmp, "cache")
        self.log = os.path.join(self.tmp, "server.log")
        self.server = None
        self.port = None

    def start(self):
        portfile = os.path.join(self.tmp, "port")
        self.server = subprocess.Popen(
            [sys.executable, os.path.join(REPO, "tests", "server.py"), "--root", self.root,
             "--port-file", portfile, "--log", self.log],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            if os.path.exists(portfile):
                with open(portfile) as f:
                    text = f.read().strip()
                if text:
                    self.port = int(text)
                    return self
            time.sleep(0.05)
        raise RuntimeError("test server did not start")

    def url(self, path):
        return "http://127.0.0.1:%d/%s" % (self.port, path.lstrip("/"))

    def write(self, name, text):
        path = os.path.join(self.root, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def feeds(self, lines):
        path = os.path.join(self.tmp, "urls")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def run(self, *args, input=None, env=None):
        e = {"HOME": self.tmp, "XDG_CONFIG_HOME": os.path.join(self.tmp, "config"),
             "XDG_CACHE_HOME": os.path.join(self.tmp, "xcache"),
             "XDG_STATE_HOME": os.path.join(self.tmp, "xstate"),
             "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
             "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", ""),
             "UBSAN_OPTIONS": os.environ.get("UBSAN_OPTIONS", "")}
        if env:
            e.update(env)
        # SENDNEWS_WRAP (make check-valgrind) puts a command before the binary.
        wrap = shlex.split(os.environ.get("SENDNEWS_WRAP", ""))
        return subprocess.run(wrap + [BIN] + list(args), input=input, capture_output=True,
                              env=e, timeout=600 if wrap else 120)

    def requests(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return [json.loads(line) for line in f if line.strip()]

    def close(self):
        if self.server:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.server.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)


def out(r):
    return r.stdout.decode("utf-8", "replace")


def err(r):
    return r.stderr.decode("utf-8", "replace")


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


TWO_ITEMS = [
    dict(title="&lt;h4&gt;Ofsted inspection report published&lt;/h4&gt;", slug="ofsted",
         date="10 Oct 2025", body="The Ofsted and CQC inspection report is out."),
    dict(title="Autism strategy survey", slug="autism",
         date="Thu, 09 Oct 2025 09:00:00 +0100", body="Have your say on the autism strategy survey."),
]


# --- the demo, offline -------------------------------------------------------

def test_demo_list_groups_posts_by_topic(env):
    r = env.run("--demo", "--cache", env.cache, "list")
    expect(r.returncode == 0, "exit %d: %s" % (r.returncode, err(r)))
    text = out(r)
    for topic in ("Inspections & improvement (", "Autism & neurodiversity (", "Early years (",
                  "Surveys & consultations ("):
        expect(topic in text, "no group " + topic)
    expect("Local Area SEND Inspection published" in text, "inspection post missing")


def test_demo_topics_json_is_valid(env):
    r = env.run("--demo", "--offline", "--cache", env.cache, "--format", "json", "topics")
    expect(r.returncode == 0, err(r))
    topics = json.loads(out(r))
    names = [t["name"] for t in topics]
    expect(names[0] == "Inspections & improvement" and names[-1] == "Other", names)
    expect(all(t["posts"] >= t["unread"] >= 0 for t in topics), topics)


def test_demo_list_tsv_columns(env):
    env.run("--demo", "--cache", env.cache, "fetch")
    r = env.run("--demo", "--offline", "--cache", env.cache, "--format", "tsv", "list")
    expect(r.returncode == 0, err(r))
    lines = out(r).splitlines()
    expect(len(lines) > 20, "too few lines")
    for line in lines:
        cols = line.split("\t")
        # The 7th column, the deadline (list --closing), came later.
        expect(len(cols) == 7, "columns: %r" % line)
        expect(cols[1] == "" or (len(cols[1]) == 10 and cols[1][4] == "-"), "date %r" % cols[1])
        expect(len(cols[5]) == 12, "id %r" % cols[5])


def test_demo_show_prints_text_and_marks_read(env):
    env.run("--demo", "--cache", env.cache, "fetch")
    r = env.run("--demo", "--offline", "--cache", env.cache, "--format", "json", "list")
    posts = json.loads(out(r))
    post = next(p for p in posts if p["title"].startswith("Local Area SEND Inspection"))
    expect(not post["read"], "read before show")
    r = env.run("--demo", "--offline", "--cache", env.cache, "show", post["id"])
    expect(r.returncode == 0, err(r))
    expect("Local Area SEND Inspection published" in out(r).splitlines()[0], out(r)[:200])
    expect("Date:   2024-07-01" in out(r), "date line")
    r = env.run("--demo", "--offline", "--cache", env.cache, "--unread", "--format", "json", "list")
    expect(post["id"] not in [p["id"] for p in json.loads(out(r))], "still unread after show")


def test_show_unknown_id_is_one_clear_line(env):
    r = env.run("--demo", "--offline", "--cache", env.cache, "show", "ffffffffffff")
    expect(r.returncode != 0, "exit 0")
    expect(err(r).strip() == "sendnews: no post with id 'ffffffffffff'", err(r))


def test_ambiguous_id_and_topic_prefixes_say_so(env):
    env.run("--demo", "--cache", env.cache, "fetch")
    r = env.run("--demo", "--offline", "--cache", env.cache, "--format", "json", "list")
    ids = sorted({p["id"] for p in json.loads(out(r))})
    first = {}
    for i in ids:
        first.setdefault(i[0], []).append(i)
    c, many = max(first.items(), key=lambda kv: len(kv[1]))
    expect(len(many) >= 2, first)
    r = env.run("--demo", "--offline", "--cache", env.cache, "show", c)
    expect(r.returncode == 1, "exit %d" % r.returncode)
    expect(("%d posts have ids beginning '%s': " % (len(many), c)) in err(r)
           and "give more of the id" in err(r), err(r))
    # The matches are named, up to five of them, then "...".
    named = err(r).split(": ", 2)[2].split(";")[0].split()
    shown = [w for w in named if w != "..."]
    expect(len(shown) == min(len(many), 5) and set(shown) <= set(many)
           and (named[-1] == "...") == (len(many) > 5), err(r))
    r = env.run("--demo", "--offline", "--cache", env.cache, "--topic", "e", "list")
    expect(r.returncode == 2 and "'e' begins several topics" in err(r)
           and '"Early years"' in err(r), err(r))
    r = env.run("--demo", "--offline", "--cache", env.cache, "--topic", "ear", "list")
    expect(r.returncode == 0 and "Early years" in out(r), err(r))


def test_list_with_nothing_fetched_and_nothing_cached_says_why(env):
    feeds = os.path.join(env.tmp, "urls")
    with open(feeds, "w") as f:
        f.write(env.url("status/404") + "\n" + env.url("status/500") + "\n")
    r = env.run("--feeds", feeds, "--cache", env.cache, "list")
    expect(r.returncode == 1, "exit %d" % r.returncode)
    expect("no feed could be fetched and nothing is cached yet" in err(r), err(r))
    expect("showing the cached posts" not in err(r), err(r))
    # With posts cached, a failed refresh shows them and is no error.
    env.write("news.rss", rss("News", TWO_ITEMS))
    with open(feeds, "a") as f:
        f.write(env.url("news.rss") + "\n")
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    r = env.run("--feeds", feeds, "--cache", env.cache, "list")
    expect(r.returncode == 0 and "showing the cached posts" in err(r), (r.returncode, err(r)))


def test_unknown_option_is_an_error(env):
    r = env.run("--frobnicate")
    expect(r.returncode == 2, "exit %d" % r.returncode)
    expect("frobnicate" in err(r), err(r))


def test_missing_feeds_file_is_an_error(env):
    r = env.run("--feeds", os.path.join(env.tmp, "nope"), "--cache", env.cache, "list")
    expect(r.returncode == 2, "exit %d" % r.returncode)
    expect("nope" in err(r) and "No such file" in err(r), err(r))
    expect(len(err(r).strip().splitlines()) == 1, err(r))


def test_help_and_version(env):
    r = env.run("--help")
    expect(r.returncode == 0 and "usage: sendnews" in out(r), out(r))
    r = env.run("--version")
    expect(r.returncode == 0 and "libcurl" in out(r) and "libxml2" in out(r), out(r))


# Where a careful reader would put every demo post: the taxonomy of
# ../shared/topics.md applied by hand, post by post.
I, A, E, S = ("Inspections & improvement", "Autism & neurodiversity", "Early years",
              "Surveys & consultations")
H, W, P, F = "EHCPs & assessments", "Health & wellbeing", "Schools & places", "Funding & budgets"
V, C, O = "Events & training", "Co-production & families", "Other"
DEMO_TOPICS = {
    # latest-news.html
    "What we\u2019re doing to improve SEND services following the 2024 Ofsted and CQC inspection":
        {I, A, E, H, W, C},
    "Local Area SEND Inspection published": {I, W, C},
    "Update: SEND provision in the Early Years": {E, P},
    "All-Age Disability Directorate staffing structure": {O},
    "September 2024 \u2013 August 2025 payment schedule for Personal Education Budgets (PEB) via Direct Payment":
        {F},
    # news-2023.html
    "SEND APP Review - March 2023": {I},
    "Mainstream Autism Bases": {A, P},
    "Delivering Better Value (DBV) Survey": {S, F},
    "Let\u2019s Talk About Autism": {A, S},
    "Neurodiversity Celebration Week": {A, V},
    "A new special school that caters for the needs of pupils with Autism Spectrum Disorder (ASD) is to be built in Malvern":
        {A, P},
    "We want to know what you think": {S},
    "Delivering Better Value in SEND Programme (DVB programme)": {F},
    "Parent carer engagement in schools toolkit": {C},
    # archive.html
    "SEND Information Roadshows - November 2018": {V, C},
    "SEND Inspection Report 2018": {I},
    "High Needs Commissioning Review (HNCR) \u2013 September 2018": {F},
    "Special Provision Capital Fund \u2013 March 2018": {P, F},
    "SEND Inspection 5 to 9 March 2018": {I},
    "Peer Review \u2013 4 to 7 December 2017": {I},
    # news.rss
    "Update on SEND improvements: November 2024": {I, A, H, W},
    "Report published on Worcestershire's SEND inspection": {I, W, C},
    "Have your say on a new autism strategy": {A, S},
    "New special free school for autistic pupils to be built in Malvern": {A, P},
    "Improving outcomes for children with SEND": {I, C},
    "Written Statement of Action for SEND published": {I},
    # updates.atom
    "Help design the new autism and ADHD assessment pathway": {A, C},
    "SEND \u2018Views & Voices\u2019 events from Worcestershire Parent Carer Forum": {V, C},
    "Let\u2019s Talk About Autism: have your say on the All-Age Autism Strategy": {A, S},
    "Delivering Better Value (DBV) surveys for parent carers and schools": {S, F},
    "Free events for Neurodiversity Celebration Week": {A, V},
    "Tell us which Local Offer website works best": {S},
}


def test_every_demo_post_lands_in_its_topics(env):
    r = env.run("--demo", "--cache", env.cache, "--format", "json", "list")
    expect(r.returncode == 0, err(r))
    posts = {p["title"]: set(p["topics"]) for p in json.loads(out(r))}
    expect(set(posts) == set(DEMO_TOPICS), "posts differ: missing %s, extra %s" % (
        sorted(set(DEMO_TOPICS) - set(posts)), sorted(set(posts) - set(DEMO_TOPICS))))
    wrong = ["%s: got %s, want %s" % (t, sorted(posts[t]), sorted(want))
             for t, want in DEMO_TOPICS.items() if posts[t] != want]
    expect(not wrong, "; ".join(wrong))


# --- against the local server -------------------------------------------------

def test_rss_from_server_titles_links_dates(env):
    env.write("news.rss", rss("News", TWO_ITEMS))
    feeds = env.feeds([env.url("news.rss") + ' "~Council news"'])
    r = env.run("--feeds", feeds, "--cache", env.cache, "--format", "json", "list")
    expect(r.returncode == 0, err(r))
    posts = {p["title"]: p for p in json.loads(out(r))}
    p = posts.get("Ofsted inspection report published")
    expect(p is not None, list(posts))
    expect(p["link"] == env.url("news/ofsted"), p["link"])
    expect(p["date"] == "2025-10-10", p["date"])
    expect(p["feed"] == "Council news", p["feed"])
    expect("Inspections & improvement" in p["topics"], p["topics"])
    a = posts["Autism strategy survey"]
    expect("Surveys & consultations" in a["topics"] and "Autism & neurodiversity" in a["topics"],
           a["topics"])


def test_failing_feed_reported_others_kept(env):
    env.write("news.rss", rss("News", TWO_ITEMS))
    feeds = env.feeds([env.url("news.rss"), env.url("status/404"), env.url("status/500")])
    r = env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 1, "exit %d" % r.returncode)
    lines = err(r).strip().splitlines()
    expect(len(lines) == 2, lines)
    expect(any("404" in x for x in lines) and any("500" in x for x in lines), lines)
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "--format", "tsv", "list")
    expect("Ofsted inspection report published" in out(r), out(r))


def test_fetch_is_silent_on_success(env):
    env.write("news.rss", rss("News", TWO_ITEMS))
    feeds = env.feeds([env.url("news.rss")])
    r = env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 0 and r.stdout == b"" and r.stderr == b"", (r.returncode, err(r)))


def test_slow_answer_still_arrives(env):
    env.write("news.rss", rss("News", TWO_ITEMS))
    feeds = env.feeds([env.url("delay/1500/news.rss")])
    r = env.run("--feeds", feeds, "--cache", env.cache, "--format", "tsv", "list")
    expect(r.returncode == 0, err(r))
    expect("Autism strategy survey" in out(r), out(r))


def test_redirect_followed_and_links_resolve_against_final_url(env):
    env.write("news.rss", rss("News", TWO_ITEMS))
    feeds = env.feeds([env.url("redirect/2/news.rss")])
    r = env.run("--feeds", feeds, "--cache", env.cache, "--format", "json", "list")
    expect(r.returncode == 0, err(r))
    links = [p["link"] for p in json.loads(out(r))]
    expect(env.url("news/ofsted") in links, links)


def test_redirect_to_file_url_refused(env):
    feeds = env.feeds([env.url("redirect-to?url=file:///etc/passwd")])
    r = env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 1, "exit %d" % r.returncode)
    expect("file:///etc/passwd" in err(r) and "refused" in err(r), err(r))
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "list")
    expect("root:" not in out(r), "passwd leaked")


def test_truncated_body_keeps_what_parses_or_fails_cleanly(env):
    env.write("news.rss", rss("News", TWO_ITEMS))
    feeds = env.feeds([env.url("truncated/news.rss")])
    r = env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 1, "exit %d" % r.returncode)
    expect(len(err(r).strip().splitlines()) == 1, err(r))


def test_body_over_the_size_limit_refused(env):
    feeds = env.feeds([env.url("big/10485760"), env.url("chunked-big/10485760")])
    r = env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 1, "exit %d" % r.returncode)
    lines = err(r).strip().splitlines()
    expect(len(lines) == 2 and all("larger than" in x for x in lines), lines)


def test_not_a_feed_is_reported(env):
    shutil.copy(os.path.join(DATA, "not_feed.json"), os.path.join(env.root, "x.json"))
    feeds = env.feeds([env.url("x.json")])
    r = env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 1 and "not" in err(r).lower(), err(r))


def test_refused_connection_reported(env):
    feeds = env.feeds(["http://127.0.0.1:9/feed.rss"])
    r = env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 1 and "refused" in err(r), err(r))


def test_second_refresh_is_conditional(env):
    env.write("news.rss", rss("News", TWO_ITEMS))
    feeds = env.feeds([env.url("news.rss")])
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    r = env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 0, err(r))
    reqs = [q for q in env.requests() if q["path"].endswith("news.rss")]
    expect(len(reqs) == 2, reqs)
    expect(reqs[1]["if_none_match"] and reqs[1]["status"] == 304, reqs[1])


def test_html_page_from_server_split_into_posts(env):
    shutil.copy(os.path.join(DEMO, "latest-news.html"), os.path.join(env.root, "latest.html"))
    feeds = env.feeds([env.url("latest.html") + " @type=page"])
    r = env.run("--feeds", feeds, "--cache", env.cache, "--format", "json", "list")
    expect(r.returncode == 0, err(r))
    titles = [p["title"] for p in json.loads(out(r))]
    expect("Local Area SEND Inspection published" in titles, titles)
    expect(not any(t in ("November update", "October update") for t in titles), titles)


def test_hostile_title_reaches_no_output_raw(env):
    # ESC is not allowed in XML even as &#x1b;, but escaped HTML inside a
    # title or description decodes to it; C1 and U+202E are legal XML.
    items = [dict(title="Evil &amp;#x1b;]52;c;aGk=&amp;#7; &#x9b;31m \u202eright\u202c \xc2\x9b title",
                  slug="evil", date="10 Oct 2025", body="x&amp;#x1b;[2Jy &amp;#155;")]
    env.write("evil.rss", rss("Evil", items))
    feeds = env.feeds([env.url("evil.rss")])
    for fmt in ("text", "tsv", "json"):
        r = env.run("--feeds", feeds, "--cache", env.cache, "--format", fmt, "list")
        expect(r.returncode == 0, err(r))
        for bad in (b"\x1b", b"\xc2\x9b", "\u202e".encode(), b"\x07"):
            expect(bad not in r.stdout, "%s: %r in output" % (fmt, bad))
        expect(b"Evil" in r.stdout, r.stdout[:200])


def test_list_filters(env):
    env.write("news.rss", rss("News", TWO_ITEMS))
    feeds = env.feeds([env.url("news.rss")])
    r = env.run("--feeds", feeds, "--cache", env.cache, "--topic", "autism", "--format", "tsv",
                "list")
    lines = out(r).splitlines()
    expect(len(lines) == 1 and lines[0].startswith("Autism & neurodiversity\t"), lines)
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "--since", "2025-10-10",
                "--format", "json", "list")
    expect([p["title"] for p in json.loads(out(r))] == ["Ofsted inspection report published"],
           out(r))
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "--search", "strategy",
                "--format", "json", "list")
    expect([p["title"] for p in json.loads(out(r))] == ["Autism strategy survey"], out(r))


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
