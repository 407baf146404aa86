#!/usr/bin/env python3
"""wokweb's benchmark (prints figures; not a test). docs/web.md, "Benchmark".

Runs `wokd --simulate --speed 1` (real time) cooking the default recipe with `wokweb` beside it,
twice: once with no browser, once with CLIENTS browsers following /events, each from its own
loopback address (127.0.0.2, .3, ...: wokweb bounds streams per address). Prints for each run wokweb's
resident memory and CPU, wokd's CPU and its own loop lateness (p50, p99, max over the run's ticks,
from its snapshot), and, with the browsers, the time from wokd pushing a snapshot to each browser
receiving it (p50, p99, max): this process also subscribes to wokd directly and stamps both on one
monotonic clock. Then the page's weight.

Usage, from the repository root, with release binaries:
    python3 Tests/bench/wokweb-bench.py --bin .build/release [--seconds 120] [--clients 50]
"""

import argparse
import json
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def usage(pid):
    """VmRSS and VmHWM in KiB, and user+system CPU seconds."""
    with open(f"/proc/{pid}/status") as f:
        status = f.read()
    field = lambda name: int(re.search(rf"^{name}:\s+(\d+)", status, re.M).group(1))
    with open(f"/proc/{pid}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return field("VmRSS"), field("VmHWM"), (int(rest[11]) + int(rest[12])) / ticks


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round((len(ordered) - 1) * share))]


class Control:
    """One connection to wokd's socket: newline-delimited JSON."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buffer = b""
        self.next_id = 0

    def request(self, method, params=None):
        self.next_id += 1
        line = {"v": 1, "id": self.next_id, "method": method}
        if params:
            line["params"] = params
        self.sock.sendall((json.dumps(line) + "\n").encode())
        while True:
            message = self.line(timeout=10)
            if message is None:
                raise RuntimeError(f"wokd did not answer {method}")
            if message.get("id") == self.next_id:
                return message

    def line(self, timeout):
        while b"\n" not in self.buffer:
            self.sock.settimeout(timeout)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                raise RuntimeError("wokd closed the connection")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(raw)

    def close(self):
        self.sock.close()


class Browser:
    """A browser following /events: stamps each snapshot by its station time."""

    def __init__(self, port, source):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind((source, 0))
        self.sock.connect(("127.0.0.1", port))
        self.sock.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
        self.sock.setblocking(False)
        self.buffer = b""
        self.arrivals = {}
        self.status = None

    def readable(self, now):
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            return False
        self.buffer += chunk
        if self.status is None and b"\r\n" in self.buffer:
            self.status = self.buffer.split(b"\r\n", 1)[0].decode(errors="replace")
        while b"\n\n" in self.buffer:
            frame, self.buffer = self.buffer.split(b"\n\n", 1)
            if b"event: snapshot\n" in frame:
                data = frame.split(b"data: ", 1)[1]
                key = json.loads(data)["timeSeconds"]
                self.arrivals.setdefault(key, now)
        return True


def start(bin_dir, directory, max_streams):
    socket_path = directory + "/control.sock"
    logs = [open(directory + "/wokd.log", "w"), open(directory + "/wokweb.log", "w")]
    wokd = subprocess.Popen(
        [f"{bin_dir}/wokd", "--simulate", "--speed", "1", "--socket", socket_path, "--state-dir", directory + "/state",
         "--recipes", ROOT + "/recipes"], stdout=logs[0], stderr=logs[0])
    for _ in range(300):
        if os.path.exists(socket_path):
            break
        time.sleep(0.1)
    web = subprocess.Popen(
        [f"{bin_dir}/wokweb", "--listen", "127.0.0.1:0", "--socket", socket_path, "--state-dir", directory + "/web",
         "--page-dir", ROOT + "/Sources/WokWeb/Page", "--wokctl", f"{bin_dir}/wokctl", "--recipe-dir", ROOT + "/recipes",
         "--max-streams", str(max_streams)], stdout=logs[1], stderr=logs[1])
    port = None
    for _ in range(300):
        with open(directory + "/wokweb.log") as f:
            found = re.search(r"serving http://127\.0\.0\.1:(\d+)/", f.read())
        if found:
            port = int(found.group(1))
            break
        time.sleep(0.1)
    if port is None:
        raise RuntimeError(f"wokweb did not start; see {directory}/wokweb.log")
    return wokd, web, port, socket_path


def run(bin_dir, seconds, clients):
    directory = tempfile.mkdtemp(prefix="wokweb-bench-")
    wokd, web, port, socket_path = start(bin_dir, directory, max(clients, 1))
    try:
        watcher = Control(socket_path)
        watcher.request("subscribe")
        browsers = [Browser(port, f"127.0.0.{2 + index}") for index in range(clients)]
        selector = selectors.DefaultSelector()
        selector.register(watcher.sock, selectors.EVENT_READ, None)
        for browser in browsers:
            selector.register(browser.sock, selectors.EVENT_READ, browser)
        # A connection per command: wokd closes a client that stays idle.
        steer = lambda method, params=None: Control(socket_path).request(method, params)
        steer("start", {"recipe": "caramelised-pork-mince"})
        pushed = {}
        web_before, wokd_before = usage(web.pid), usage(wokd.pid)
        started = time.monotonic()
        last_confirm = 0.0
        closed = 0
        while time.monotonic() - started < seconds:
            for key, _ in selector.select(timeout=0.5):
                now = time.monotonic()
                if key.data is None:
                    watcher.sock.setblocking(False)
                    try:
                        chunk = watcher.sock.recv(1 << 16)
                    except BlockingIOError:
                        chunk = b""
                    watcher.buffer += chunk
                    while b"\n" in watcher.buffer:
                        raw, watcher.buffer = watcher.buffer.split(b"\n", 1)
                        message = json.loads(raw)
                        snapshot = message.get("snapshot")
                        if snapshot:
                            pushed.setdefault(snapshot["timeSeconds"], now)
                            # A confirm stage waits for the cook: confirm, at most once a second.
                            if snapshot.get("state") == "waiting-for-cook" and now - last_confirm > 1:
                                last_confirm = now
                                steer("next")
                elif not key.data.readable(now):
                    selector.unregister(key.fileobj)
                    closed += 1
        elapsed = time.monotonic() - started
        web_after, wokd_after = usage(web.pid), usage(wokd.pid)
        status = Control(socket_path).request("status")["result"]
        steer("abort")
        latencies = []
        for browser in browsers:
            for key, arrived in browser.arrivals.items():
                if key in pushed:
                    latencies.append((arrived - pushed[key]) * 1000)
        page = {}
        for name in ["/", "/app.js", "/app.css"]:
            with socket.create_connection(("127.0.0.1", port)) as sock:
                sock.sendall(f"GET {name} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
                reply = b""
                while chunk := sock.recv(1 << 16):
                    reply += chunk
            page[name] = len(reply.split(b"\r\n\r\n", 1)[1])
        return {
            "elapsed": elapsed, "clients": clients, "accepted": sum(1 for b in browsers if (b.status or "").endswith("200 OK")),
            "closed": closed, "web": (web_after[0], web_after[1], (web_after[2] - web_before[2]) / elapsed * 100),
            "wokd": (wokd_after[0], wokd_after[1], (wokd_after[2] - wokd_before[2]) / elapsed * 100),
            "loop": status.get("loop") or {}, "snapshots": len(pushed), "latencies": latencies, "page": page,
        }
    finally:
        for process in (web, wokd):
            process.send_signal(signal.SIGTERM)
        for process in (web, wokd):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        subprocess.run(["rm", "-rf", directory])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=ROOT + "/.build/release")
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--clients", type=int, default=50)
    options = parser.parse_args()
    bin_dir = os.path.abspath(options.bin)
    print(f"wokweb-bench: {bin_dir}, wokd --simulate at real time, default recipe, {options.seconds:.0f} s a run")
    for clients in (0, options.clients):
        result = run(bin_dir, options.seconds, clients)
        web_rss, web_peak, web_cpu = result["web"]
        wokd_rss, _, wokd_cpu = result["wokd"]
        loop = result["loop"]
        print(f"  {clients} browsers ({result['accepted']} streams accepted, {result['closed']} closed by wokweb), "
              f"{result['snapshots']} snapshots pushed by wokd in {result['elapsed']:.0f} s")
        print(f"    wokweb: VmRSS {web_rss / 1024:.1f} MiB, peak VmHWM {web_peak / 1024:.1f} MiB, CPU {web_cpu:.1f} % of one core")
        print(f"    wokd: VmRSS {wokd_rss / 1024:.1f} MiB, CPU {wokd_cpu:.1f} %; loop lateness p50 {loop.get('latenessP50Ms')} ms, "
              f"p99 {loop.get('latenessP99Ms')} ms, max {loop.get('latenessMaxMs')} ms, "
              f"missed deadlines {loop.get('missedDeadlines')} of {loop.get('ticks')} ticks")
        if clients:
            lat = result["latencies"]
            print(f"    wokd push to browser: {len(lat)} deliveries, p50 {percentile(lat, 0.5):.1f} ms, "
                  f"p99 {percentile(lat, 0.99):.1f} ms, max {max(lat) if lat else float('nan'):.1f} ms")
        page = result["page"]
    print(f"  page weight: {sum(page.values())} bytes ({', '.join(f'{k} {v}' for k, v in page.items())}), uncompressed")


if __name__ == "__main__":
    sys.exit(main())
