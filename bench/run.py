#!/usr/bin/env python3
"""make bench: sendnews against its targets and, where installed, against
newsboat and sfeed on the same files.  Prints one line per measurement
(median of several runs: wall time, peak memory) and the ratios.

    python3 bench/run.py [BINARY] [--quick]
"""

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(next((a for a in sys.argv[1:] if not a.startswith("-")),
                           os.path.join(REPO, "sendnews")))
QUICK = "--quick" in sys.argv
RUNS = 3 if QUICK else 5
TMP = tempfile.mkdtemp(prefix="sendnews-bench-")
RESULTS = []


def run(cmd, env=None, stdin=None, cwd=None):
    """Runs cmd; returns (seconds, peak RSS in MB, exit status)."""
    e = dict(os.environ)
    e.update({"HOME": TMP, "XDG_CONFIG_HOME": os.path.join(TMP, "cfg"),
              "XDG_CACHE_HOME": os.path.join(TMP, "xc"), "XDG_STATE_HOME": os.path.join(TMP, "xs")})
    if env:
        e.update(env)
    fin = open(stdin, "rb") if stdin else subprocess.DEVNULL
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=fin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env=e, cwd=cwd)
    _, status, ru = os.wait4(p.pid, 0)
    t = time.monotonic() - t0
    if stdin:
        fin.close()
    return t, ru.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def median_run(cmd, prepare=None, **kw):
    times, mems, rc = [], [], 0
    for _ in range(RUNS):
        if prepare:
            prepare()
        t, m, rc = run(cmd, **kw)
        times.append(t)
        mems.append(m)
    return statistics.median(times), statistics.median(mems), rc


def report(work, who, t, mem, extra=""):
    RESULTS.append((work, who, t, mem))
    print("%-44s %-28s %8.3f s %8.1f MB %s" % (work, who, t, mem, extra), flush=True)


def ratio(work, who, ours_name="sendnews"):
    ours = next((r for r in RESULTS if r[0] == work and r[1].startswith(ours_name)), None)
    them = next((r for r in RESULTS if r[0] == work and r[1].startswith(who)), None)
    if ours and them and ours[2] > 0:
        print("    %s / sendnews: %.1fx time, %.1fx memory" % (
            who, them[2] / ours[2], them[3] / max(ours[3], 0.1)))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


class Server:
    def __init__(self, root, latency):
        # A file of its own: an earlier server's would name a dead port.
        portfile = os.path.join(TMP, "port-%s" % os.path.basename(root.rstrip("/")))
        n = 0
        while os.path.exists(portfile + str(n)):
            n += 1
        portfile += str(n)
        self.p = subprocess.Popen([sys.executable, os.path.join(REPO, "tests", "server.py"),
                                   "--root", root, "--port-file", portfile,
                                   "--latency-ms", str(latency)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            if os.path.exists(portfile) and open(portfile).read().strip():
                self.port = int(open(portfile).read())
                return
            time.sleep(0.05)
        raise RuntimeError("server did not start")

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        self.p.wait()


def have(cmd):
    return shutil.which(cmd) is not None


def bench_parse():
    work = "parse 20,000-item RSS"
    rss = os.path.join(TMP, "big.rss")
    subprocess.run([sys.executable, os.path.join(REPO, "bench", "gen_rss.py"), "20000", rss],
                   check=True, stdout=subprocess.DEVNULL)
    size = os.path.getsize(rss) / 1e6
    # The measure: parsing, HTML-to-text, topics and deadlines in
    # memory (bench/parse_speed.c, the same code a fetch runs), median.
    ps = os.path.join(REPO, "build", "parse_speed")
    if os.access(ps, os.X_OK):
        p = subprocess.Popen([ps, rss, "-n", str(RUNS), "-t", os.path.join(REPO, "feeds", "topics")],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = p.stdout.read().strip()
        _, _, ru = os.wait4(p.pid, 0)
        try:
            secs = float(line.split(" in ")[1].split(" s")[0])
            rate = size / secs
            report(work, "sendnews parse+text+topics", secs, ru.ru_maxrss / 1024.0,
                   "%.0f MB/s %s" % (rate, "(target met)" if rate >= 100 else "(UNDER TARGET)"))
        except (IndexError, ValueError):
            print("parse_speed: %s" % line)
    urls = write(os.path.join(TMP, "parse", "urls"), rss + "\n")
    cfg = write(os.path.join(TMP, "parse", "config"), "max-size 200\n")
    cache = os.path.join(TMP, "parse", "cache")
    t, m, rc = median_run([BIN, "--config", cfg, "--feeds", urls, "--cache", cache, "fetch"],
                          prepare=lambda: shutil.rmtree(cache, ignore_errors=True))
    report(work, "sendnews fetch (all stages)", t, m,
           "%.0f MB: %.0f MB/s%s" % (size, size / t, "" if rc == 0 else " (exit %d)" % rc))
    if have("sfeed"):
        t, m, _ = median_run(["sfeed"], stdin=rss)
        report(work, "sfeed (parser only)", t, m, "%.0f MB/s" % (size / t))
        ratio(work, "sfeed")
    if have("newsboat") and not QUICK:
        nurls = write(os.path.join(TMP, "nb", "urls"), "file://" + rss + "\n")
        db = os.path.join(TMP, "nb", "cache.db")

        def clean():
            for f in (db, db + ".lock"):
                if os.path.exists(f):
                    os.remove(f)
        t, m, rc = median_run(["newsboat", "-u", nurls, "-c", db, "-C", "/dev/null", "-x", "reload"],
                              prepare=clean)
        report(work, "newsboat -x reload", t, m, "%.0f MB/s%s" % (
            size / t, "" if rc == 0 else " (exit %d)" % rc))
        ratio(work, "newsboat", "sendnews fetch")


def make_feeds(root, n, items):
    sys.path.insert(0, os.path.join(REPO, "tests", "integration"))
    import test_cli
    for i in range(n):
        its = [dict(title="Feed %d item %d: SEND news about autism and surveys" % (i, j),
                    slug="f%d-i%d" % (i, j), date="%02d Oct 2025" % (1 + j % 28),
                    body="Text of item %d of feed %d, with a &lt;a href='/x'&gt;link&lt;/a&gt;." % (j, i))
               for j in range(items)]
        write(os.path.join(root, "f%d.rss" % i), test_cli.rss("Feed %d" % i, its))


def bench_refresh():
    work = "refresh 200 feeds, 100 ms latency"
    root = os.path.join(TMP, "www")
    make_feeds(root, 200, 50)
    srv = Server(root, 100)
    try:
        lines = ["http://127.0.0.1:%d/f%d.rss" % (srv.port, i) for i in range(200)]
        urls = write(os.path.join(TMP, "refresh", "urls"), "\n".join(lines) + "\n")
        cache = os.path.join(TMP, "refresh", "cache")
        cfg = write(os.path.join(TMP, "refresh", "config"), "max-per-host 200\n")
        clean = lambda: shutil.rmtree(cache, ignore_errors=True)
        t, m, rc = median_run([BIN, "--config", cfg, "--feeds", urls, "--cache", cache, "fetch"],
                              prepare=clean)
        report(work, "sendnews, 200 per host", t, m, "" if rc == 0 else "(exit %d)" % rc)
        t2, m2, rc = median_run([BIN, "--config", os.devnull, "--feeds", urls, "--cache", cache,
                                 "fetch"], prepare=clean)
        report(work, "sendnews, defaults (8 per host)", t2, m2)
        # Everything cached: every answer is a 304.
        run([BIN, "--config", cfg, "--feeds", urls, "--cache", cache, "fetch"])
        t3, m3, _ = median_run([BIN, "--config", cfg, "--feeds", urls, "--cache", cache, "fetch"])
        report("second refresh, nothing changed", "sendnews (all 304)", t3, m3)
        if have("sfeed_update") and not QUICK:
            sdir = os.path.join(TMP, "sfeed")
            rc_lines = ["sfeedpath=%s/feeds" % sdir, "maxjobs=16", "feeds() {"]
            rc_lines += ['\tfeed "f%d" "%s"' % (i, u) for i, u in enumerate(lines)]
            rc_lines.append("}")
            sfeedrc = write(os.path.join(sdir, "sfeedrc"), "\n".join(rc_lines) + "\n")
            t, m, _ = median_run(["sfeed_update", sfeedrc],
                                 prepare=lambda: shutil.rmtree(os.path.join(sdir, "feeds"),
                                                               ignore_errors=True))
            report(work, "sfeed_update (16 jobs)", t, m)
            ratio(work, "sfeed")
        if have("newsboat") and not QUICK:
            db = os.path.join(TMP, "nbr", "cache.db")
            nurls = write(os.path.join(TMP, "nbr", "urls"), "\n".join(lines) + "\n")

            def nclean():
                for f in (db, db + ".lock"):
                    if os.path.exists(f):
                        os.remove(f)
            t, m, _ = median_run(["newsboat", "-u", nurls, "-c", db, "-C", "/dev/null",
                                  "-x", "reload"], prepare=nclean)
            report(work, "newsboat (defaults)", t, m)
            ratio(work, "newsboat")
            run(["newsboat", "-u", nurls, "-c", db, "-C", "/dev/null", "-x", "reload"])
            t, m, _ = median_run(["newsboat", "-u", nurls, "-c", db, "-C", "/dev/null",
                                  "-x", "reload"])
            report("second refresh, nothing changed", "newsboat", t, m)
            ratio("second refresh, nothing changed", "newsboat")
    finally:
        srv.stop()


def feeds_cmd(base, lines, config):
    """Writes BASE/urls (one feed per line) and BASE/config; returns the
    sendnews command line over them with its cache in BASE/cache.  The
    bundled rules are named, so a binary outside the tree works too."""
    urls = write(os.path.join(base, "urls"), "\n".join(lines) + "\n")
    cfg = write(os.path.join(base, "config"), config)
    return [BIN, "--config", cfg, "--feeds", urls, "--cache", os.path.join(base, "cache"),
            "--topics", os.path.join(REPO, "feeds", "topics")]


MODULES = {}


def module(name):
    """bench/NAME.py, loaded once (its main takes this module)."""
    if name not in MODULES:
        import importlib.util
        spec = importlib.util.spec_from_file_location(name, os.path.join(REPO, "bench", name + ".py"))
        MODULES[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(MODULES[name])
    return MODULES[name]


def main():
    if not os.access(BIN, os.X_OK):
        sys.exit("bench: no binary at %s (make first)" % BIN)
    print("sendnews bench: %s, %d runs each, medians" % (BIN, RUNS))
    try:
        bench_parse()
        bench_refresh()
        for name in ("reader", "more"):
            module(name).main(sys.modules[__name__])
    finally:
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
