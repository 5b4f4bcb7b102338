"""make bench, continued (bench/run.py calls main(run) after its own
benchmarks): a cache of 100,000 posts across 200 feeds, built the real way
(200 generated feeds of 500 items served by tests/server.py with 100 ms
latency, one `sendnews fetch`), then

  - `sendnews --offline topics` on it: target under 100 ms and 64 MB;
  - the reader's first screen on it (bench/reader.py): the same targets;
  - a refresh of the 200 feeds where every answer is a 304: under 0.5 s;
  - where newsboat is installed (and not --quick), the same data in
    newsboat: `-x print-unread` on its 100,000-item cache and `-x reload`,
    with the ratios.
"""

import os
import shutil

FEEDS = 200
ITEMS = 500
TOPICS_SECONDS = 0.100
TOPICS_MB = 64
REFRESH_SECONDS = 0.5


def verdict(ok, rc):
    if rc != 0:
        return "(FAILED: exit %d)" % rc
    return "(target met)" if ok else "(OVER TARGET)"


def main(run):
    base = os.path.join(run.TMP, "big")
    root = os.path.join(base, "www")
    run.make_feeds(root, FEEDS, ITEMS)
    srv = run.Server(root, 100)
    try:
        lines = ["http://127.0.0.1:%d/f%d.rss" % (srv.port, i) for i in range(FEEDS)]
        cmd = run.feeds_cmd(base, lines, "max-per-host 200\nmax-size 200\n")
        t, m, rc = run.run(cmd + ["fetch"])
        n = FEEDS * ITEMS
        run.report("cache %d posts, %d feeds (first fetch)" % (n, FEEDS), "sendnews", t, m,
                   "" if rc == 0 else "(exit %d)" % rc)

        work = "topics on %d cached posts" % n
        t, m, rc = run.median_run(cmd + ["--offline", "topics"])
        run.report(work, "sendnews --offline topics", t, m,
                   verdict(t < TOPICS_SECONDS and m < TOPICS_MB, rc))

        # The reader's first screen on the same cache (bench/reader.py).
        run.module("reader").first_screen(run, cmd, n, TOPICS_MB)

        work304 = "refresh %d feeds, all 304, %d posts" % (FEEDS, n)
        run.run(cmd + ["fetch"])
        t, m, rc = run.median_run(cmd + ["fetch"])
        run.report(work304, "sendnews fetch", t, m, verdict(t < REFRESH_SECONDS, rc))

        if run.have("newsboat") and not run.QUICK:
            db = os.path.join(base, "nb", "cache.db")
            nurls = run.write(os.path.join(base, "nb", "urls"), "\n".join(lines) + "\n")
            nb = ["newsboat", "-u", nurls, "-c", db, "-C", "/dev/null"]
            # Its cache of the same 100,000 items; a reload is slow (serial
            # by default), so it is timed once, not as a median.
            t, m, rc = run.run(nb + ["-x", "reload"])
            run.report("cache %d posts, %d feeds (first fetch)" % (n, FEEDS), "newsboat -x reload",
                       t, m, "" if rc == 0 else "(exit %d)" % rc)
            run.ratio("cache %d posts, %d feeds (first fetch)" % (n, FEEDS), "newsboat")
            t, m, rc = run.median_run(nb + ["-x", "print-unread"])
            run.report(work, "newsboat -x print-unread", t, m, "" if rc == 0 else "(exit %d)" % rc)
            run.ratio(work, "newsboat")
            t, m, rc = run.run(nb + ["-x", "reload"])
            run.report(work304, "newsboat -x reload", t, m, "" if rc == 0 else "(exit %d)" % rc)
            run.ratio(work304, "newsboat")
    finally:
        srv.stop()
        shutil.rmtree(base, ignore_errors=True)
