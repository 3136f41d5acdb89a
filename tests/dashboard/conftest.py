"""A headless Chromium for the dashboard's browser test, driven over the DevTools protocol (CDP).

``chromium`` (session fixture) finds Debian's ``chromium`` and, where it is missing and this runs as
root with apt-get, installs it (``apt-get install chromium``); otherwise the browser tests are skipped
with the reason. ``Browser`` starts it headless on a temporary profile and evaluates JavaScript in a
page through CDP over a websocket (aiohttp's client: the dashboard's own dependency).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time

import pytest

NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
INSTALL_TIMEOUT_S = 900


def find_chromium() -> str | None:
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _install_chromium() -> str:
    """Installs Debian's chromium; returns why not where it cannot ('' when it worked)."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return "Chromium is not installed and cannot be here (needs root and apt-get: apt-get install chromium)"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=INSTALL_TIMEOUT_S)
        result = subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=env, capture_output=True,
                                text=True, timeout=INSTALL_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"installing Chromium failed: {exc}"
    if result.returncode != 0:
        return f"apt-get install chromium failed: {result.stderr.strip()[-300:]}"
    return ""


@pytest.fixture(scope="session")
def chromium() -> str:
    """The path of a Chromium binary (installed when missing and possible), or the tests are skipped."""
    path = find_chromium()
    if path is None:
        why = _install_chromium()
        path = find_chromium()
        if path is None:
            pytest.skip(why or "Chromium could not be found after installing it")
    return path


class Browser:
    """A headless Chromium with one page, scripted over CDP (see the module docstring)."""

    def __init__(self, binary: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="gxf-chromium-")
        self.process = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--remote-debugging-address=127.0.0.1",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.port = self._devtools_port()
        self._next_id = 0

    def _devtools_port(self) -> int:
        deadline = time.monotonic() + 40
        seen = []
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line:
                if self.process.poll() is not None:
                    break
                continue
            seen.append(line)
            found = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if found:
                # Keep reading what it logs, so that a full pipe never blocks it.
                threading.Thread(target=self._drain, name="chromium-stderr", daemon=True).start()
                return int(found.group(1))
        self.close()
        raise RuntimeError("Chromium did not start its DevTools endpoint: " + "".join(seen)[-1000:])

    def _drain(self) -> None:
        try:
            for _ in self.process.stderr:
                pass
        except (OSError, ValueError):
            pass

    async def _page_socket(self, session):
        for _ in range(100):
            async with session.get(f"http://127.0.0.1:{self.port}/json/list") as response:
                targets = json.loads(await response.text())
            pages = [t for t in targets if t.get("type") == "page" and "webSocketDebuggerUrl" in t]
            if pages:
                return await session.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0)
            await asyncio.sleep(0.1)
        raise RuntimeError("Chromium has no page to script")

    async def _call(self, socket, method: str, **params) -> dict:
        self._next_id += 1
        ident = self._next_id
        await socket.send_json({"id": ident, "method": method, "params": params})
        while True:
            message = await socket.receive_json(timeout=30)
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def run(self, script) -> object:
        """Runs ``await script(call)`` where ``call(method, **params)`` sends one CDP command to the page."""
        import aiohttp

        async def main():
            async with aiohttp.ClientSession() as session:
                socket = await self._page_socket(session)
                try:
                    return await script(lambda method, **params: self._call(socket, method, **params))
                finally:
                    await socket.close()

        return asyncio.run(main())

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture
def browser(chromium):
    pytest.importorskip("aiohttp", reason="the dashboard needs aiohttp (pip install 'gxf-core[dashboard]')")
    instance = Browser(chromium)
    yield instance
    instance.close()
