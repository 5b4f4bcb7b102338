#!/usr/bin/env python3
"""The cache and the read state, with the real binary and the real local
HTTP server (tests/server.py): conditional refreshes, read state across
restarts, posts updated in place, offline use, damage, a second instance,
SIGKILL in the middle of a refresh, a full disk, the index's versions and
the XDG locations.

    python3 tests/integration/test_cache.py BINARY [TEST ...]

Prints "ok - name" or "not ok - name" per test and ends with
"N passed, M failed".
"""

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the tree from this import
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_cli import BIN, DEMO, Env, err, expect, out, rss  # noqa: E402

DAY = 86400

# What a damaged cache says on stderr (store.c); a healthy one says none.
DAMAGE_WORDS = ("damaged", "cut short", "missing", "does not match", "set aside")


def items(n, prefix="post", first=0):
    return [dict(title="%s %d about the autism strategy" % (prefix, i), slug="%s-%d" % (prefix, i),
                 date="%02d Oct 2025" % (1 + i % 28),
                 body="Text of %s %d: have your say in the survey." % (prefix, i))
            for i in range(first, first + n)]


def posts(env, *args):
    """The posts as list --format json sees them (offline), by id."""
    r = env.run("--cache", env.cache, "--offline", "--format", "json", *args, "list")
    expect(r.returncode == 0, "list exit %d: %s" % (r.returncode, err(r)))
    return {p["id"]: p for p in json.loads(out(r))}


def one_feed(env, n=3, name="news.rss", extra=""):
    env.write(name, rss("News", items(n)))
    return env.feeds([env.url(name) + extra])


def body_files(env):
    d = os.path.join(env.cache, "bodies")
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


def no_damage(r):
    e = err(r)
    expect(not any(w in e for w in DAMAGE_WORDS), "damage reported: %s" % e)


# --- refreshes ---------------------------------------------------------------

def test_second_refresh_is_conditional_and_parses_nothing(env):
    feeds = one_feed(env)
    r = env.run("--feeds", feeds, "--cache", env.cache, "--verbose", "fetch")
    expect(r.returncode == 0 and "updated, 3 posts, 3 new" in err(r), err(r))
    before = {f: os.stat(os.path.join(env.cache, "bodies", f)).st_mtime_ns for f in body_files(env)}
    index = os.stat(os.path.join(env.cache, "index")).st_mtime_ns
    r = env.run("--feeds", feeds, "--cache", env.cache, "--verbose", "fetch")
    expect(r.returncode == 0, err(r))
    # Nothing parsed: the feed is "unchanged" and its body file untouched.
    expect("unchanged, 3 posts, 0 new" in err(r), err(r))
    after = {f: os.stat(os.path.join(env.cache, "bodies", f)).st_mtime_ns for f in body_files(env)}
    expect(before == after and len(after) == 1, (before, after))
    # Only the small fetch history is written, not the index of posts.
    expect(os.stat(os.path.join(env.cache, "index")).st_mtime_ns == index, "index rewritten")
    reqs = env.requests()
    expect(len(reqs) == 2, reqs)
    expect(reqs[0]["if_none_match"] is None and reqs[0]["status"] == 200, reqs[0])
    expect(reqs[1]["if_none_match"] and reqs[1]["if_modified_since"], reqs[1])
    expect(reqs[1]["status"] == 304, reqs[1])


def test_failed_fetch_keeps_posts_and_records_error(env):
    feeds = one_feed(env)
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    os.remove(os.path.join(env.root, "news.rss"))
    r = env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 1 and "404" in err(r), err(r))
    r = env.run("--feeds", feeds, "--cache", env.cache, "list")
    expect(r.returncode == 0, err(r))
    expect("showing the cached posts" in err(r), err(r))
    expect(all("post %d about" % i in out(r) for i in range(3)), out(r))
    # The error is part of the feed's record: check --offline sees it.
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "--format", "json", "check")
    feed = json.loads(out(r))["feeds"][0]
    expect(feed["error"] and "404" in feed["error"], feed)


def retention_setup(env):
    """Three posts fetched at t0 with a retention of 30 days; returns the
    options naming config and feeds, and t0."""
    env.write("news.rss", rss("News", items(3)))
    feeds = env.feeds([env.url("news.rss")])
    cfg = os.path.join(env.tmp, "config")
    with open(cfg, "w") as f:
        f.write("retention 30\n")
    t0 = 1760000000
    base = ("--config", cfg, "--feeds", feeds)
    env.run(*base, "--cache", env.cache, "fetch", env={"SENDNEWS_NOW": str(t0)})
    return base, t0


def test_post_that_leaves_its_feed_is_archived_then_dropped_after_retention(env):
    base, t0 = retention_setup(env)
    ids = {p["title"]: i for i, p in posts(env, *base).items()}
    gone = ids["post 2 about the autism strategy"]
    env.run(*base, "--cache", env.cache, "show", gone, env={"SENDNEWS_NOW": str(t0)})
    env.write("news.rss", rss("News", items(2) + items(1, "fresh")))
    env.run(*base, "--cache", env.cache, "fetch", env={"SENDNEWS_NOW": str(t0 + DAY)})
    expect(gone not in posts(env, *base), "archived post in the default list")
    arch = posts(env, *base, "--archived")
    expect(gone in arch and arch[gone]["archived"] and arch[gone]["read"], arch.get(gone))
    r = env.run(*base, "--cache", env.cache, "--offline", "--archived", "list")
    expect("archived  post 2 about" in out(r), out(r))
    r = env.run(*base, "--cache", env.cache, "--offline", "show", gone)
    expect(r.returncode == 0 and "Text of post 2" in out(r), out(r) + err(r))
    # Past the retention period (30 days), the next change of the feed drops it.
    env.write("news.rss", rss("News", items(2) + items(2, "fresh")))
    env.run(*base, "--cache", env.cache, "fetch", env={"SENDNEWS_NOW": str(t0 + 32 * DAY)})
    expect(gone not in posts(env, *base, "--archived"), "kept past the retention period")



def test_archived_post_dropped_after_retention_when_the_feed_never_changes(env):
    base, t0 = retention_setup(env)
    env.write("news.rss", rss("News", items(2)))
    env.run(*base, "--cache", env.cache, "fetch", env={"SENDNEWS_NOW": str(t0 + DAY)})
    arch = [i for i, p in posts(env, *base, "--archived").items() if p["archived"]]
    expect(len(arch) == 1, arch)
    # From now on every answer is the same (a 304, or the same body).
    r = env.run(*base, "--cache", env.cache, "fetch", env={"SENDNEWS_NOW": str(t0 + 10 * DAY)})
    expect(r.returncode == 0, err(r))
    expect(arch[0] in posts(env, *base, "--archived"), "dropped inside the retention period")
    r = env.run(*base, "--cache", env.cache, "fetch", env={"SENDNEWS_NOW": str(t0 + 32 * DAY)})
    expect(r.returncode == 0, err(r))
    left = posts(env, *base, "--archived")
    expect(arch[0] not in left, "an unchanged feed kept its archived post past retention")
    expect(len(left) == 2, left)


# --- read state --------------------------------------------------------------

def test_read_state_survives_restart_and_drives_unread_counts(env):
    feeds = one_feed(env, 4)
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    ps = posts(env, "--feeds", feeds)
    first = sorted(ps)[0]
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "show", first)
    expect(r.returncode == 0, err(r))
    # Each run below is a new process: the state came from the disk.
    expect(posts(env, "--feeds", feeds)[first]["read"], "not read after a restart")
    unread = posts(env, "--feeds", feeds, "--unread")
    expect(first not in unread and len(unread) == 3, list(unread))
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "--format", "json", "topics")
    autism = next(t for t in json.loads(out(r)) if t["name"].startswith("Autism"))
    expect(autism["posts"] == 4 and autism["unread"] == 3, autism)
    with open(os.path.join(env.cache, "read")) as f:
        expect(f.readline() == "sendnews-read 1\n", "read state header")


def test_line_mode_reader_marks_read_and_u_persists(env):
    feeds = one_feed(env, 3)
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    # Topic 1, post 1: opening it marks it read; quitting saves.
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "--plain", input=b"1\n1\nq\n")
    expect(r.returncode == 0, err(r))
    read = [p for p in posts(env, "--feeds", feeds).values() if p["read"]]
    expect(len(read) == 1, read)
    # u marks the open post unread again, and that is saved too.
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "--plain",
                input=b"1\n1\nu\nq\n")
    expect(r.returncode == 0, err(r))
    read = [p for p in posts(env, "--feeds", feeds).values() if p["read"]]
    expect(read == [], read)


def test_edited_page_post_becomes_updated_and_shows_added_text(env):
    page = os.path.join(env.root, "latest.html")
    shutil.copy(os.path.join(DEMO, "latest-news.html"), page)
    feeds = env.feeds([env.url("latest.html") + " @type=page"])
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    ps = posts(env, "--feeds", feeds)
    pid = next(i for i, p in ps.items() if p["title"].startswith("What we’re doing to improve SEND"))
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "show", pid)
    expect(r.returncode == 0 and "November update" in out(r), err(r))
    with open(page, encoding="utf-8") as f:
        html = f.read()
    added = ("<h3 id=\"december-update\">December update</h3>\n"
             "<p>The new EHCP hub opened on 2 December and the wait for assessments fell.</p>\n")
    marker = '<h3 id="november-update">'
    expect(marker in html, "the demo page changed: no November update")
    with open(page, "w", encoding="utf-8") as f:
        f.write(html.replace(marker, added + marker, 1))
    r = env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 0, err(r))
    ps = posts(env, "--feeds", feeds)
    expect(pid in ps, "the id changed with the text")
    expect(ps[pid]["read"] and ps[pid]["updated"], ps[pid])
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "list")
    line = next(l for l in out(r).splitlines() if pid in l)
    expect(" updated " in line, line)
    unread = posts(env, "--feeds", feeds, "--unread")
    expect(pid in unread, "an updated post is not counted with unread")
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "--format", "json", "topics")
    insp = next(t for t in json.loads(out(r)) if t["name"].startswith("Inspections"))
    expect(insp["unread"] == insp["posts"], insp)
    # JSON first (show marks it read, so the text view comes second).
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "--format", "json", "show", pid)
    shown = json.loads(out(r))
    expect(shown["added"] and shown["added"].startswith("December update"), shown["added"])
    expect("November update" not in shown["added"], shown["added"])
    # Edited once more, after that read: the text view.
    with open(page, "w", encoding="utf-8") as f:
        f.write(html.replace(marker, added.replace("fell.", "fell by a fifth.") + marker, 1))
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "show", pid)
    text = out(r)
    expect("State:  updated" in text, text[:600])
    tail = text.split("Added since you read it:", 1)
    expect(len(tail) == 2, "no 'Added since you read it' section")
    # Only what changed since the version read last (the JSON show above).
    expect("fifth" in tail[1] and "December update" not in tail[1], tail[1])
    expect("November update" not in tail[1], tail[1])
    expect(not posts(env, "--feeds", feeds)[pid]["updated"], "still updated after show")


# --- offline -----------------------------------------------------------------

def test_offline_with_server_stopped_shows_everything(env):
    env.write("a.rss", rss("A", items(3, "alpha")))
    env.write("b.rss", rss("B", items(2, "beta")))
    feeds = env.feeds([env.url("a.rss"), env.url("b.rss")])
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    online = posts(env, "--feeds", feeds)
    env.server.send_signal(signal.SIGTERM)
    env.server.wait(timeout=5)
    env.server = None
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "--format", "json", "list")
    expect(r.returncode == 0 and err(r) == "", err(r))
    expect({p["id"] for p in json.loads(out(r))} == set(online), out(r))
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "topics")
    expect(r.returncode == 0 and err(r) == "", "fresh data needs no note: " + err(r))
    # Without the flag the failure falls back to the cache, with a note.
    r = env.run("--feeds", feeds, "--cache", env.cache, "list")
    expect(r.returncode == 0, err(r))
    expect(err(r).count("showing the cached posts") == 2, err(r))
    expect(all(("alpha %d " % i) in out(r) for i in range(3)) and "beta 1 " in out(r), out(r))


def test_offline_never_touches_the_network(env):
    feeds = one_feed(env)
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    n = len(env.requests())
    for cmd in (["list"], ["topics"], ["show", sorted(posts(env, "--feeds", feeds))[0]]):
        r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", *cmd)
        expect(r.returncode == 0, err(r))
    expect(len(env.requests()) == n, env.requests()[n:])


def test_offline_says_how_old_each_feeds_data_is(env):
    env.write("a.rss", rss("A", items(2, "alpha")))
    feeds = env.feeds([env.url("a.rss") + ' "~Alpha news"', env.url("missing.rss") + ' "~Never"'])
    t0 = 1760000000
    env.run("--feeds", feeds, "--cache", env.cache, "fetch", env={"SENDNEWS_NOW": str(t0)})
    later = {"SENDNEWS_NOW": str(t0 + 3 * DAY + 600)}
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "topics", env=later)
    expect(r.returncode == 0, err(r))
    lines = err(r).splitlines()
    expect("sendnews: Alpha news: cached 3 days ago" in lines, lines)
    expect("sendnews: Never: never fetched, nothing cached" in lines, lines)
    expect(len(lines) == 2, lines)
    # Scripts' formats stay clean; stdout never carries the note.
    for fmt in ("tsv", "json"):
        r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "--format", fmt, "list",
                    env=later)
        expect(err(r) == "" and "cached" not in out(r), fmt + ": " + err(r))


def test_offline_age_note_is_one_line_for_many_feeds(env):
    lines = []
    for i in range(8):
        env.write("f%d.rss" % i, rss("F%d" % i, items(1, "f%d" % i)))
        lines.append(env.url("f%d.rss" % i))
    feeds = env.feeds(lines)
    t0 = 1760000000
    env.run("--feeds", feeds, "--cache", env.cache, "fetch", env={"SENDNEWS_NOW": str(t0)})
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "list",
                env={"SENDNEWS_NOW": str(t0 + 10 * DAY)})
    note = err(r).splitlines()
    expect(len(note) == 1 and "8 of 8 feeds" in note[0] and "10 days" in note[0], note)


# --- durability --------------------------------------------------------------

def test_sigkill_during_refresh_leaves_a_cache_that_loads_with_read_state(env):
    # Six feeds, some answering late, so kills land at every stage:
    # transfers, parsing, body files, the index, the read state.
    names = ["k%d.rss" % i for i in range(6)]
    urls = []
    for i, n in enumerate(names):
        env.write(n, rss("K%d" % i, items(40, "k%d" % i)))
        urls.append(env.url(("delay/%d/" % (i * 40)) + n) if i % 2 else env.url(n))
    feeds = env.feeds(urls)
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    ids = sorted(posts(env, "--feeds", feeds))
    read = ids[::7]
    for pid in read:
        env.run("--feeds", feeds, "--cache", env.cache, "--offline", "show", pid)
    rng = random.Random(5)
    e = dict(os.environ, HOME=env.tmp, LANG="C.UTF-8")
    for it in range(50):
        # Each round changes half the feeds (new posts, same read ones),
        # so the refresh has bodies and an index to write.
        for i, n in enumerate(names):
            if (i + it) % 2 == 0:
                env.write(n, rss("K%d" % i, items(40, "k%d" % i) + items(1 + it % 5, "r%d-%d" % (it, i))))
        p = subprocess.Popen([BIN, "--feeds", feeds, "--cache", env.cache, "fetch"], env=e,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, 0.3))
        p.send_signal(signal.SIGKILL)
        p.wait()
        r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "--format", "json", "list")
        expect(r.returncode == 0, "round %d: exit %d: %s" % (it, r.returncode, err(r)))
        no_damage(r)
        now = {p["id"]: p for p in json.loads(out(r))}
        for pid in read:
            expect(pid in now and now[pid]["read"], "round %d: %s lost its read state" % (it, pid))
    # A refresh that finishes tidies what the killed ones left behind.
    r = env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 0, err(r))
    left = body_files(env)
    expect(len(left) == 6 and not any(".tmp" in f for f in left), left)
    expect(not [f for f in os.listdir(env.cache) if ".tmp" in f], os.listdir(env.cache))


def test_index_cut_in_half_is_reported_set_aside_and_rebuilt(env):
    feeds = one_feed(env, 4)
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    pid = sorted(posts(env, "--feeds", feeds))[1]
    env.run("--feeds", feeds, "--cache", env.cache, "--offline", "show", pid)
    index = os.path.join(env.cache, "index")
    size = os.path.getsize(index)
    with open(index, "r+b") as f:
        f.truncate(size // 2)
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "list")
    expect(r.returncode == 0, err(r))
    expect("index was damaged" in err(r) and "index.bad" in err(r), err(r))
    expect(os.path.exists(index + ".bad"), os.listdir(env.cache))
    # The next refresh rebuilds it, and the read state was never touched.
    r = env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 0 and err(r) == "", err(r))
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "--format", "json", "list")
    no_damage(r)
    ps = {p["id"]: p for p in json.loads(out(r))}
    expect(len(ps) == 4 and ps[pid]["read"], ps)


def test_body_file_cut_in_half_is_reported_and_rebuilt(env):
    feeds = one_feed(env, 4)
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    pid = sorted(posts(env, "--feeds", feeds))[0]
    body = os.path.join(env.cache, "bodies", body_files(env)[0])
    with open(body, "r+b") as f:
        f.truncate(os.path.getsize(body) // 2)
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "list")
    expect(r.returncode == 0 and "cut short" in err(r) and "rebuilt" in err(r), err(r))
    # The server would answer 304: the refresh must not ask conditionally.
    n = len(env.requests())
    r = env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 0, err(r))
    req = env.requests()[n]
    expect(req["if_none_match"] is None and req["status"] == 200, req)
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "show", pid)
    expect(r.returncode == 0 and "Text of post" in out(r), out(r) + err(r))
    no_damage(r)


def test_garbled_body_file_is_reported_then_rebuilt(env):
    feeds = one_feed(env, 3)
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    pid = sorted(posts(env, "--feeds", feeds))[0]
    body = os.path.join(env.cache, "bodies", body_files(env)[0])
    with open(body, "rb") as f:
        data = f.read()
    with open(body, "wb") as f:
        f.write(data.replace(b"Text of post", b"Txet fo tsop"))
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "show", pid)
    expect("refresh to rebuild it" in out(r), out(r))
    r = env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 0, err(r))
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "show", pid)
    expect("Text of post" in out(r) and "rebuild" not in out(r), out(r))


def test_full_disk_keeps_the_old_files_intact(env):
    feeds = one_feed(env, 2)
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    index = os.path.join(env.cache, "index")
    with open(index, "rb") as f:
        old = f.read()
    ids = set(posts(env, "--feeds", feeds))
    env.write("news.rss", rss("News", items(300)))
    limit = 16 * 1024   # a body file of 300 posts is larger: "disk full"

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    e = dict(os.environ, HOME=env.tmp, LANG="C.UTF-8")
    r = subprocess.run([BIN, "--feeds", feeds, "--cache", env.cache, "fetch"], env=e,
                       capture_output=True, preexec_fn=small_disk, timeout=60)
    expect(r.returncode != 0 and "File too large" in err(r), err(r))
    with open(index, "rb") as f:
        expect(f.read() == old, "the index changed")
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "--format", "json", "list")
    no_damage(r)
    expect({p["id"] for p in json.loads(out(r))} == ids, out(r))
    expect(not [f for f in body_files(env) if ".tmp" in f], body_files(env))


def test_cache_that_cannot_be_written_is_not_called_busy_and_fetch_fails(env):
    feeds = one_feed(env, 3)
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    # A lock that cannot be opened for writing (a directory: even root
    # cannot), as in a cache the user has no write permission for.
    lock = os.path.join(env.cache, "lock")
    os.remove(lock)
    os.mkdir(lock)
    n = len(env.requests())
    r = env.run("--feeds", feeds, "--cache", env.cache, "list")
    expect(r.returncode == 0 and "post 1 about" in out(r), err(r) + out(r))
    expect("cannot write the cache in" in err(r) and "another sendnews" not in err(r), err(r))
    r = env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    expect(r.returncode == 1, "fetch exit %d: %s" % (r.returncode, err(r)))
    expect("cannot write the cache" in err(r) and "fetch skipped" in err(r), err(r))
    expect(len(env.requests()) == n, "fetched into a cache it cannot save")


def test_second_instance_reads_and_says_read_only(env):
    feeds = one_feed(env, 3)
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    pid = sorted(posts(env, "--feeds", feeds))[0]
    index = os.path.join(env.cache, "index")
    before = os.stat(index).st_mtime_ns
    n = len(env.requests())
    # flock(1) holds the lock as a first instance would; its own session,
    # so the sleep that inherits the lock goes with it.
    holder = subprocess.Popen(["flock", os.path.join(env.cache, "lock"), "sleep", "60"],
                              start_new_session=True)
    try:
        time.sleep(0.3)
        r = env.run("--feeds", feeds, "--cache", env.cache, "list")
        expect(r.returncode == 0 and all("post %d about" % i in out(r) for i in range(3)),
               err(r) + out(r))
        expect(err(r).count("read-only") == 1, err(r))
        r = env.run("--feeds", feeds, "--cache", env.cache, "show", pid)
        expect(r.returncode == 0 and "Text of post" in out(r), err(r))
        r = env.run("--feeds", feeds, "--cache", env.cache, "fetch")
        expect("another sendnews is using the cache" in err(r), err(r))
        expect(len(env.requests()) == n, "the second instance fetched")
        expect(os.stat(index).st_mtime_ns == before, "the second instance wrote the index")
    finally:
        os.killpg(holder.pid, signal.SIGKILL)
        holder.wait()
    # Nothing it did was saved: the post it showed is still unread.
    expect(not posts(env, "--feeds", feeds)[pid]["read"], "read state saved while read-only")
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "list")
    expect("read-only" not in err(r), err(r))


# --- format versions ---------------------------------------------------------

def read_lines(path):
    with open(path) as f:
        return f.read().split("\n")


def write_lines(path, lines):
    with open(path, "w") as f:
        f.write("\n".join(lines))


def test_index_of_version_1_is_upgraded_keeping_read_state(env):
    feeds = one_feed(env, 3)
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    pid = sorted(posts(env, "--feeds", feeds))[0]
    env.run("--feeds", feeds, "--cache", env.cache, "--offline", "show", pid)
    index = os.path.join(env.cache, "index")
    lines = read_lines(index)
    # Version 1: no deadline column.
    lines = ["sendnews-index 1"] + [l.rsplit("\t", 1)[0] if l.startswith("P\t") else l
                                    for l in lines[1:]]
    write_lines(index, lines)
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "--format", "json", "list")
    expect(r.returncode == 0 and err(r) == "", err(r))
    ps = {p["id"]: p for p in json.loads(out(r))}
    expect(len(ps) == 3 and ps[pid]["read"], ps)
    expect(read_lines(index)[0] == "sendnews-index 2", read_lines(index)[0])


def test_index_of_unknown_old_version_is_rebuilt_and_read_state_kept(env):
    feeds = one_feed(env, 3)
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    pid = sorted(posts(env, "--feeds", feeds))[0]
    env.run("--feeds", feeds, "--cache", env.cache, "--offline", "show", pid)
    index = os.path.join(env.cache, "index")
    write_lines(index, ["sendnews-index 0"] + read_lines(index)[1:])
    with open(os.path.join(env.cache, "read")) as f:
        state = f.read()
    r = env.run("--feeds", feeds, "--cache", env.cache, "list")
    expect(r.returncode == 0 and "index version 0" in err(r) and "set aside" in err(r), err(r))
    with open(os.path.join(env.cache, "read")) as f:
        expect(f.read() == state, "the read state changed")
    expect(posts(env, "--feeds", feeds)[pid]["read"], "read state lost")


def test_index_of_newer_version_is_left_alone_and_read_only(env):
    feeds = one_feed(env, 3)
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    index = os.path.join(env.cache, "index")
    write_lines(index, ["sendnews-index 99"] + read_lines(index)[1:])
    with open(index, "rb") as f:
        newer = f.read()
    r = env.run("--feeds", feeds, "--cache", env.cache, "list")
    expect(r.returncode == 0 and "newer sendnews" in err(r), err(r))
    shown = posts(env, "--feeds", feeds)
    r = env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    expect("read-only" in err(r) and "fetch skipped" in err(r), err(r))
    with open(index, "rb") as f:
        expect(f.read() == newer, "an older sendnews rewrote a newer index")
    expect(not os.path.exists(index + ".bad"), "set aside")
    expect(shown == {}, "posts of an index it cannot read")


def test_damaged_read_state_keeps_good_lines_and_is_set_aside(env):
    feeds = one_feed(env, 3)
    env.run("--feeds", feeds, "--cache", env.cache, "fetch")
    a, b = sorted(posts(env, "--feeds", feeds))[:2]
    env.run("--feeds", feeds, "--cache", env.cache, "--offline", "show", a)
    env.run("--feeds", feeds, "--cache", env.cache, "--offline", "show", b)
    path = os.path.join(env.cache, "read")
    lines = read_lines(path)
    lines.insert(2, "zz garbage \x01 line")
    write_lines(path, lines)
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "--format", "json", "list")
    expect("read state" in err(r) and "damaged" in err(r), err(r))
    ps = {p["id"]: p for p in json.loads(out(r))}
    expect(ps[a]["read"] and ps[b]["read"], ps)
    expect(os.path.exists(path + ".bad"), os.listdir(env.cache))
    r = env.run("--feeds", feeds, "--cache", env.cache, "--offline", "list")
    expect("damaged" not in err(r), err(r))


# --- locations ---------------------------------------------------------------

def test_files_follow_xdg_and_cache_option_and_demo(env):
    feeds = one_feed(env, 2)
    r = env.run("--feeds", feeds, "fetch")
    expect(r.returncode == 0, err(r))
    xc = os.path.join(env.tmp, "xcache", "sendnews")
    xs = os.path.join(env.tmp, "xstate", "sendnews")
    expect(os.path.exists(os.path.join(xc, "index")) and os.path.exists(os.path.join(xc, "lock")),
           "no cache under XDG_CACHE_HOME")
    r = env.run("--feeds", feeds, "list")
    pid = out(r).split()[-1]
    env.run("--feeds", feeds, "--offline", "show", pid)
    expect(os.path.exists(os.path.join(xs, "read")), "no read state under XDG_STATE_HOME")
    expect(not os.path.exists(os.path.join(xc, "read")), "read state in the cache directory")
    # --cache DIR: everything for the run in DIR, nothing in the XDG ones.
    d = os.path.join(env.tmp, "elsewhere")
    with open(os.path.join(xs, "read"), "rb") as f:
        state = f.read()
    env.run("--feeds", feeds, "--cache", d, "fetch")
    r = env.run("--feeds", feeds, "--cache", d, "--offline", "list")
    pid2 = out(r).split()[-1]
    env.run("--feeds", feeds, "--cache", d, "--offline", "show", pid2)
    expect(sorted(os.listdir(d)) == ["bodies", "history", "index", "lock", "read"], os.listdir(d))
    with open(os.path.join(xs, "read"), "rb") as f:
        expect(f.read() == state, "--cache touched the XDG read state")
    # --demo: a cache and read state of its own.
    r = env.run("--demo", "--offline", "list")
    expect(r.returncode == 0, err(r))
    expect(os.path.isdir(os.path.join(xc, "demo", "bodies")), os.listdir(xc))
    expect(os.path.isdir(os.path.join(xs, "demo")), os.listdir(xs))


def main():
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_")]
    only = sys.argv[2:] if len(sys.argv) > 2 else None
    passed = failed = 0
    for name, fn in tests:
        if only and name not in only:
            continue
        env = Env().start()
        t0 = time.monotonic()
        try:
            fn(env)
            print("ok - %s (%.1f s)" % (name, time.monotonic() - t0))
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
