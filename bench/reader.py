"""make bench, the reader (bench/run.py calls main(run)): sendnews opened
on a pseudo-terminal of 80x24 over a cache of 10,000 posts (20 feeds of
500 items, fetched the real way from file: URLs), timed from the outside
as a user sees it:

  - start to first full screen (first_screen, also run by more.py on
    100,000 posts): from the fork to the last byte of the
    first screen (the output then stays quiet until a key arrives);
    target under 100 ms;
  - a key press: from writing the key to the last byte of its redraw,
    over a walk through the topics, the 10,000-post list (j, k, Space,
    PgDn, G, g), a post and back; target under 10 ms, median and worst.

"Last byte" is the last output before QUIET seconds of silence, so each
figure includes the program's whole redraw and the pty's delivery.
"""

import os
import select
import shutil
import statistics
import struct
import subprocess
import sys
import termios
import fcntl
import time

FEEDS = 20
ITEMS = 500
QUIET = 0.25
START_SECONDS = 0.100
KEY_SECONDS = 0.010
STARTS = 11
# A walk through the reader: (key bytes, what it does).
WALK = ([("j", "down")] * 2 + [("k", "up")] * 2 + [("\r", "open All posts")] +
        [("j", "down")] * 10 + [(" ", "page down")] * 5 + [("\x1b[6~", "PgDn")] * 5 +
        [("G", "end")] + [("g", "home")] + [("\r", "open post")] + [("q", "back")] +
        [("j", "down")] * 5 + [("k", "up")] * 5 + [("q", "back to topics")] + [("\r", "open All posts")] +
        [("G", "end")] + [("q", "back")])


def make_cache(run, base):
    run.make_feeds(os.path.join(base, "www"), FEEDS, ITEMS)
    lines = ["file://%s \"~Feed %d\"" % (os.path.join(base, "www", "f%d.rss" % i), i)
             for i in range(FEEDS)]
    cmd = run.feeds_cmd(base, lines, "max-size 200\n")
    _, _, rc = run.run(cmd + ["fetch"])
    if rc != 0:
        raise RuntimeError("fetch of the bench feeds failed (exit %d)" % rc)
    return cmd


class Pty:
    """sendnews on a pseudo-terminal; reads and times its output."""

    def __init__(self, cmd, env, rows=24, cols=80):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(cmd, env=env, stdin=slave, stdout=slave, stderr=slave,
                                     start_new_session=True,
                                     preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(slave)
        self.pid, self.fd = self.proc.pid, master
        self.screen = b""

    def settle(self, first=5.0):
        """Waits up to first seconds for output, then reads until QUIET
        seconds pass without any; returns the time of the last byte (None
        when nothing came)."""
        last = None
        while True:
            r, _, _ = select.select([self.fd], [], [], QUIET if last else first)
            if not r:
                return last
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return last
            if not data:
                return last
            last = time.monotonic()
            self.screen += data

    def key(self, k):
        self.screen = b""
        t = time.monotonic()
        os.write(self.fd, k.encode())
        last = self.settle(first=1.0)
        return None if last is None else last - t

    def close(self):
        try:
            os.write(self.fd, b"Q")
        except OSError:
            pass
        deadline = time.monotonic() + 5
        self.maxrss = 0.0
        while time.monotonic() < deadline:
            pid, _, ru = os.wait4(self.pid, os.WNOHANG)
            if pid:
                self.maxrss = ru.ru_maxrss / 1024.0
                break
            try:
                os.read(self.fd, 65536)
            except OSError:
                pass
            time.sleep(0.01)
        else:
            self.proc.kill()
            self.proc.wait()
        os.close(self.fd)


def env_for(run):
    e = dict(os.environ)
    e.update({"HOME": run.TMP, "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
              "XDG_CONFIG_HOME": os.path.join(run.TMP, "cfg")})
    for k in ("SSH_CONNECTION", "COLUMNS", "LINES", "NO_COLOR"):
        e.pop(k, None)
    return e


def spawn(cmd, env):
    return Pty(cmd, env)


def first_screen(run, cmd, n, max_mb=None):
    """Reports the median time from start to the reader's first full
    screen of cmd (on a cache of n posts) and its peak memory."""
    env = env_for(run)
    starts, mems = [], []
    for _ in range(STARTS):
        p = spawn(cmd + ["--offline"], env)
        last = p.settle()
        ok = last is not None and b"All posts" in p.screen
        p.close()
        if not ok:
            raise RuntimeError("the reader drew no topics screen")
        starts.append(last - p.t0)
        mems.append(p.maxrss)
    t, m = statistics.median(starts), statistics.median(mems)
    met = t < START_SECONDS and (max_mb is None or m < max_mb)
    run.report("reader: first screen, %d cached posts" % n, "sendnews (pty, 80x24)", t, m,
               "median %.1f ms, worst %.1f ms %s" % (t * 1000, max(starts) * 1000,
                                                      "(target met)" if met else "(OVER TARGET)"))


def main(run):
    base = os.path.join(run.TMP, "reader")
    try:
        cmd = make_cache(run, base)
        n = FEEDS * ITEMS
        env = env_for(run)
        first_screen(run, cmd, n)

        p = spawn(cmd + ["--offline"], env)
        p.settle()
        times = []
        for k, what in WALK:
            dt = p.key(k)
            if dt is None:
                p.close()
                raise RuntimeError("no redraw after key %r (%s)" % (k, what))
            times.append(dt)
        p.close()
        med = statistics.median(times)
        run.report("reader: key press redrawn (%d keys)" % len(times), "sendnews (pty, 80x24)",
                   med, p.maxrss, "median %.2f ms, worst %.1f ms %s" % (med * 1000, max(times) * 1000,
                                                  "(target met)" if med < KEY_SECONDS else "(OVER TARGET)"))
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import run as runmod
    try:
        main(runmod)
    finally:
        shutil.rmtree(runmod.TMP, ignore_errors=True)
