"""Drive Debian's headless Chromium for the HTML report's tests and measurements.

Chromium runs once per call, with its own throw-away profile and everything that would phone
home switched off. ``--dump-dom`` prints the DOM after the page's script ran (the virtual time
budget lets it finish), ``--screenshot`` writes a PNG, and ``--log-net-log`` records every
network request the browser made, so a test can show the page fetched nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """The Chromium binary: ``$PROVENANCE_CHROMIUM``, else the first of the usual names on PATH."""
    env = os.environ.get("PROVENANCE_CHROMIUM")
    if env:
        return env if shutil.which(env) or Path(env).is_file() else None
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _args(binary: str, profile: str) -> list[str]:
    return [
        binary,
        "--headless",
        "--no-sandbox",  # root in containers; the page is our own file
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ]


@dataclass
class Page:
    dom: str
    seconds: float
    requests: list[str] = field(default_factory=list)


def load(html: Path, *, budget_ms: int = 5000, screenshot: Path | None = None,
         size: tuple[int, int] = (1280, 2400), timeout: float = 180.0, binary: str | None = None,
         fragment: str = "") -> Page:
    """Open ``html`` (a local file) and return its DOM after scripts ran, the wall time of the
    whole browser run, and the URLs of every network request Chromium logged. With
    ``screenshot`` a PNG of the first ``size`` pixels is written there too (a second run)."""
    binary = binary or find_chromium()
    if binary is None:
        raise FileNotFoundError("no chromium found (apt-get install chromium)")
    url = Path(html).resolve().as_uri() + (f"#{fragment}" if fragment else "")
    with tempfile.TemporaryDirectory(prefix="prov-chromium-") as tmp:
        netlog = Path(tmp) / "netlog.json"
        cmd = _args(binary, str(Path(tmp) / "profile")) + [
            f"--virtual-time-budget={budget_ms}",
            f"--log-net-log={netlog}",
            "--dump-dom",
            url,
        ]
        start = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        seconds = time.perf_counter() - start
        if done.returncode != 0 or not done.stdout.strip():
            raise RuntimeError(f"chromium failed ({done.returncode}): {done.stderr.decode(errors='replace')[-2000:]}")
        requests = _netlog_urls(netlog)
        if screenshot is not None:
            shot = _args(binary, str(Path(tmp) / "profile-shot")) + [
                f"--virtual-time-budget={budget_ms}",
                f"--window-size={size[0]},{size[1]}",
                f"--screenshot={Path(screenshot).resolve()}",
                url,
            ]
            subprocess.run(shot, capture_output=True, timeout=timeout, check=False)
            if not Path(screenshot).exists():
                raise RuntimeError("chromium wrote no screenshot")
    return Page(done.stdout.decode("utf-8", errors="replace"), seconds, requests)


def _netlog_urls(path: Path) -> list[str]:
    """Every URL a request in Chromium's NetLog names (the log may be cut short at exit)."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        events = json.loads(text).get("events", [])
    except json.JSONDecodeError:
        # Chromium can stop before closing the JSON; the URL fields are still there.
        import re

        return re.findall(r'"url":"([^"]*)"', text)
    urls = []
    for ev in events:
        params = ev.get("params") or {}
        if isinstance(params.get("url"), str):
            urls.append(params["url"])
    return urls


# ------------------------------------------------------------------------------- DOM reading


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._stack: list[Element] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        e = Element(tag, dict(attrs))
        self.elements.append(e)
        # The document's title is the first <title>; later ones are SVG tooltips.
        self._in_title = tag == "title" and not any(x.tag == "title" for x in self.elements[:-1])
        if tag not in ("br", "meta", "input", "link", "img", "hr", "source", "area", "base", "col", "embed", "wbr"):
            self._stack.append(e)

    def handle_endtag(self, tag):
        self._in_title = False
        while self._stack:
            if self._stack.pop().tag == tag:
                break

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        for e in self._stack:
            e.text += data


def parse(dom: str) -> _Collector:
    collector = _Collector()
    collector.feed(dom)
    return collector


def by_class(doc: _Collector, tag: str, cls: str) -> list[Element]:
    return [e for e in doc.elements if e.tag == tag and cls in (e.attrs.get("class") or "").split()]
