#!/usr/bin/env python3
"""Drives the real page in headless Chromium over the DevTools protocol on a pipe (stdlib only).

usage: drive_page.py CHROMIUM URL OUTDIR [--prefix NAME] [--click ID] [--wait-text ID TEXT]... [--read ID]... [--recipes]

Loads URL at 390x844, 1024x768 and 768x1024 (light) and 1024x768 (dark), waits until the page
says it is live, and saves a PNG of each. With --click, presses that button with a real mouse
event (after it is enabled). Then waits for each --wait-text element to contain its text, and
reads each --read element's text and whether it is shown. With --recipes, opens the Start view
by keyboard (Tab to its button, Enter), counts the recipes listed and photographs it. Prints one
JSON object with what it saw. Every wait is bounded.
"""
import base64
import json
import os
import subprocess
import sys
import time

SIZES = [("phone", 390, 844, "light"), ("tablet-landscape", 1024, 768, "light"), ("tablet-portrait", 768, 1024, "light"),
         ("tablet-landscape-dark", 1024, 768, "dark")]


class Browser:
    def __init__(self, chromium):
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()

        def wire():
            # Copies first: the pipes may already be descriptors 3 and 4, and dup2 onto itself
            # would leave them close-on-exec.
            reading, writing = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(reading, 3)
            os.dup2(writing, 4)

        self.process = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             "--remote-debugging-pipe", "--user-data-dir=" + os.environ.get("WOKWEB_BROWSER_PROFILE", "/tmp/wokweb-chromium"),
             "about:blank"],
            preexec_fn=wire, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)  # the child keeps its copies, as descriptors 3 and 4
        os.close(from_child_w)
        self.out = os.fdopen(to_child_w, "wb", buffering=0)
        self.inp = os.fdopen(from_child_r, "rb", buffering=0)
        self.buffer = b""
        self.next_id = 0
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        self.out.write(json.dumps(message).encode() + b"\0")
        while True:
            reply = self.read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(method + ": " + json.dumps(reply["error"]))
                return reply.get("result", {})

    def read(self):
        while b"\0" not in self.buffer:
            chunk = self.inp.read(1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(line)

    def open(self):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result.get("result", {}).get("value")

    def wait_for(self, expression, limit=60):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.evaluate(expression):
                return True
            time.sleep(0.1)
        return False

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def main():
    chromium, url, outdir = sys.argv[1:4]
    rest = sys.argv[4:]
    click = None
    prefix = ""
    waits = []
    reads = []
    recipes = False
    while rest:
        if rest[0] == "--recipes":
            recipes, rest = True, rest[1:]
            continue
        if rest[0] == "--click":
            click, rest = rest[1], rest[2:]
        elif rest[0] == "--prefix":
            prefix, rest = rest[1], rest[2:]
        elif rest[0] == "--read":
            reads.append(rest[1])
            rest = rest[2:]
        elif rest[0] == "--wait-text":
            waits.append((rest[1], rest[2]))
            rest = rest[3:]
        else:
            raise SystemExit("unknown argument " + rest[0])
    seen = {"screenshots": {}, "live": {}, "clicked": False, "texts": {}, "read": {}}
    browser = Browser(chromium)
    try:
        browser.open()
        for name, width, height, scheme in SIZES:
            browser.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
            browser.send("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
            browser.send("Page.navigate", {"url": url})
            # Live, and a snapshot drawn (the state line is empty until the first one).
            seen["live"][name] = browser.wait_for("document.readyState === 'complete' && document.getElementById('link').textContent === 'live'"
                                                  " && document.getElementById('recipe-line').textContent !== ''")
            time.sleep(0.3)  # one more frame for the chart
            shot = browser.send("Page.captureScreenshot", {"format": "png"})
            path = os.path.join(outdir, prefix + name + ".png")
            with open(path, "wb") as file:
                file.write(base64.b64decode(shot["data"]))
            seen["screenshots"][name] = path
        if click:
            enabled = "(() => { const b = document.getElementById(%s); return b && !b.disabled && !b.hidden; })()" % json.dumps(click)
            if browser.wait_for(enabled):
                box = browser.evaluate("(() => { const b = document.getElementById(%s); b.scrollIntoView({block: 'center'});"
                                       " const r = b.getBoundingClientRect();"
                                       " return [r.x + r.width / 2, r.y + r.height / 2]; })()" % json.dumps(click))
                for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
                    browser.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1})
                seen["clicked"] = True
        for element, text in waits:
            probe = "document.getElementById(%s).textContent.includes(%s)" % (json.dumps(element), json.dumps(text))
            seen["texts"][element] = browser.wait_for(probe) and browser.evaluate("document.getElementById(%s).textContent" % json.dumps(element))
        for element in reads:
            seen["read"][element] = browser.evaluate(
                "(() => { const e = document.getElementById(%s); return {text: e.textContent, shown: !e.hidden && e.offsetParent !== null}; })()"
                % json.dumps(element))
        seen["message"] = browser.evaluate("document.getElementById('message').textContent")
        if recipes:
            # Keyboard only: focus moves by Tab until it is on the Start tab, then Enter.
            for _ in range(40):
                if browser.evaluate("document.activeElement && document.activeElement.dataset.view === 'start'"):
                    break
                for kind in ("keyDown", "keyUp"):
                    browser.send("Input.dispatchKeyEvent", {"type": kind, "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9})
            for kind in ("keyDown", "keyUp"):
                browser.send("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r" if kind == "keyDown" else ""})
            browser.wait_for("document.querySelectorAll('#recipes li').length > 0")
            seen["recipes"] = browser.evaluate("Array.from(document.querySelectorAll('#recipes h3')).map(e => e.textContent)")
            seen["cook-view-shown"] = browser.evaluate("document.getElementById('view-cook').offsetParent !== null")
            shot = browser.send("Page.captureScreenshot", {"format": "png"})
            path = os.path.join(outdir, prefix + "start.png")
            with open(path, "wb") as file:
                file.write(base64.b64decode(shot["data"]))
            seen["screenshots"]["start"] = path
    finally:
        browser.close()
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
