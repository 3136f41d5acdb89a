"""The live dashboard of ``gxf run GRAPH --dashboard [PORT]``: a page on 127.0.0.1 showing the graph's
picture and figures that move while it runs.

The server is aiohttp (the optional extra ``gxf-core[dashboard]``), run on an event loop in a thread of
its own, bound to 127.0.0.1 only. It serves:

- ``/``: the page (plain HTML and a little JavaScript, no build step and nothing fetched from outside);
- ``/graph.svg``: the graph's picture from ``graph_picture.graph_svg`` (Graphviz); where that cannot be
  drawn, ``/graph.mermaid`` gives the picture as Mermaid text, which the page shows instead;
- ``/snapshot``: the live figures as JSON; ``/events``: the same as server-sent events, one every
  ``period_s`` (0.5 s): the run's state (running, then finished, stalled...), elapsed time, ticks/s and
  messages/s, and per entity its ticks, ticks/s, mean and p99 tick time, messages in and out, drops,
  the depth of each of its queues and what its terms wait on.

The figures come from the run's ``RunStatistics`` (the executors' observer contract) and from counts
the runtime keeps anyway; one snapshot per period is shared by every open page. Nothing of this is
imported, started or attached unless ``--dashboard`` is given.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time

from .errors import GxfError
from .run_statistics import RunStatistics

HOST = "127.0.0.1"
DEFAULT_PORT = 8787
PERIOD_S = 0.5
LIVE_SAMPLES = 4096   # tick times a live p99 is taken from (the final table uses all that were kept)
INSTALL_HINT = "install the dashboard's web server: pip install 'gxf-core[dashboard]' (aiohttp)"


def _web():
    try:
        from aiohttp import web
    except ImportError as exc:
        raise GxfError(f"--dashboard needs aiohttp, which is not installed ({exc})", hint=INSTALL_HINT) from None
    return web


class Dashboard:
    """Serves the live page of one run (see the module docstring); a watch of ``runner.run_graphs``."""

    def __init__(self, port: int = DEFAULT_PORT, statistics: RunStatistics | None = None,
                 period_s: float = PERIOD_S) -> None:
        self.port = port
        self.statistics = statistics if statistics is not None else RunStatistics()
        self.period_s = period_s
        self.context = None
        self.how: str | None = None
        self.url = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._closing: asyncio.Event | None = None
        self._snapshot: dict | None = None
        self._snapshot_at = 0.0
        self._last = (time.monotonic(), 0, 0, {})
        self._picture: tuple[str, bytes] | None = None
        self._waits: dict | None = None

    # --- serving ---------------------------------------------------------------------------------------
    def start(self) -> str:
        """Starts the server (before the graph runs); returns its address. A port in use is an error."""
        web = _web()
        ready = threading.Event()
        failure: list = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._serve(web, ready, failure))
            except BaseException as exc:  # noqa: BLE001 - reported by start()
                failure.append(exc)
                ready.set()
            finally:
                loop.close()

        self._thread = threading.Thread(target=serve, name="gxf-dashboard", daemon=True)
        self._thread.start()
        ready.wait(30)
        if failure:
            self._thread.join(5)
            exc = failure[0]
            raise GxfError(f"the dashboard could not listen on {HOST}:{self.port}: {exc}",
                           hint="choose another port: --dashboard PORT (0 takes any free one)") from None
        return self.url

    async def _serve(self, web, ready: threading.Event, failure: list) -> None:
        self._closing = asyncio.Event()
        app = web.Application()
        app.add_routes([web.get("/", self._page), web.get("/snapshot", self._snapshot_json),
                        web.get("/events", self._events), web.get("/graph.svg", self._svg),
                        web.get("/graph.mermaid", self._mermaid)])
        runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await runner.setup()
        try:
            site = web.TCPSite(runner, HOST, self.port, shutdown_timeout=0.5)
            await site.start()
            host, port = runner.addresses[0][:2]
            self.port = port
            self.url = f"http://{host}:{port}/"
            ready.set()
            await self._closing.wait()
        finally:
            await runner.cleanup()

    def stop(self) -> None:
        """Stops the server and its thread (the open pages see the stream end)."""
        loop, closing = self._loop, self._closing
        if loop is not None and closing is not None and self._thread is not None and self._thread.is_alive():
            loop.call_soon_threadsafe(closing.set)
            self._thread.join(10)
        self._thread = None

    # --- the run's calls ---------------------------------------------------------------------------------
    def started(self, context) -> None:
        """The graph is activated: figures are read from it from now on."""
        self.context = context

    def ended(self, context, how: str) -> None:
        """The run is over: the last snapshot says how it ended."""
        self.how = how
        self._snapshot = None  # taken anew with the final state

    # --- figures -------------------------------------------------------------------------------------------
    def snapshot(self) -> dict:
        """The live figures (see the module docstring), taken at most once per period."""
        now = time.monotonic()
        cached = self._snapshot
        if cached is not None and now - self._snapshot_at < self.period_s * 0.9:
            return cached
        self._snapshot = snapshot = self._take(now)
        self._snapshot_at = now
        return snapshot

    def _take(self, now: float) -> dict:
        context = self.context
        if context is None:
            return {"state": "starting", "elapsed_s": 0.0, "ticks": 0, "messages": 0, "drops": 0,
                    "ticks_per_s": 0.0, "messages_per_s": 0.0, "entities": [], "stalled": []}
        data = self.statistics.snapshot(LIVE_SAMPLES)
        last_t, last_ticks, last_messages, last_rows = self._last
        span = max(now - last_t, 1e-6)
        rows = data["entities"]
        if self._waits is None:
            self._waits = _declared_waits(context)  # what the terms declare does not change
        waits = self._waits
        for row in rows:
            previous = last_rows.get(row["entity"], row["ticks"])
            row["ticks_per_s"] = round((row["ticks"] - previous) / span, 1)
            row["waits_on"] = waits.get(row["entity"], "")
        data["ticks_per_s"] = round((data["ticks"] - last_ticks) / span, 1)
        data["messages_per_s"] = round((data["messages"] - last_messages) / span, 1)
        self._last = (now, data["ticks"], data["messages"], {row["entity"]: row["ticks"] for row in rows})
        state, stalled = _scheduler_state(context)
        data["state"] = self.how or state
        data["stalled"] = stalled
        return data

    # --- handlers ------------------------------------------------------------------------------------------
    async def _page(self, request):
        web = _web()
        return web.Response(text=PAGE, content_type="text/html")

    async def _snapshot_json(self, request):
        web = _web()
        return web.json_response(self.snapshot())

    async def _events(self, request):
        web = _web()
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        await response.prepare(request)
        closing = self._closing
        try:
            while True:
                payload = json.dumps(self.snapshot(), separators=(",", ":"))
                await response.write(f"data: {payload}\n\n".encode())
                if closing.is_set():
                    break
                try:
                    await asyncio.wait_for(closing.wait(), self.period_s)
                except asyncio.TimeoutError:
                    pass
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        return response

    async def _svg(self, request):
        web = _web()
        if self.context is None:
            return web.Response(status=503, text="the graph is not running yet", content_type="text/plain")
        kind, body = await asyncio.get_running_loop().run_in_executor(None, self._draw)
        if kind != "svg":
            return web.Response(status=404, text=body.decode(), content_type="text/plain")
        return web.Response(body=body, content_type="image/svg+xml")

    async def _mermaid(self, request):
        web = _web()
        if self.context is None:
            return web.Response(status=503, text="the graph is not running yet", content_type="text/plain")
        return web.Response(text=_mermaid_text(self.context), content_type="text/plain")

    def _draw(self) -> tuple[str, bytes]:
        """The graph's picture, drawn once: ("svg", svg) or ("none", why)."""
        if self._picture is None:
            self._picture = _svg_of(self.context)
        return self._picture


def _svg_of(context) -> tuple[str, bytes]:
    """The hook for the picture: ``graph_picture.graph_svg`` where Graphviz can draw it."""
    if context is None:
        return ("none", b"the graph is not loaded yet")
    try:
        from . import graph_picture

        return ("svg", graph_picture.graph_svg(context).encode("utf-8"))
    except Exception as exc:  # noqa: BLE001 - the page shows the Mermaid text instead
        return ("none", f"no picture: {exc}".encode())


def _mermaid_text(context) -> str:
    """The graph as Mermaid text (entities and connections), for when no SVG can be drawn."""
    if context is None:
        return ""
    try:
        from . import graph_picture

        return graph_picture.render(context, "mermaid")
    except Exception:  # noqa: BLE001 - a plain list then
        return "\n".join(entity.name for entity in context.entities if entity.name)


def _scheduler_state(context) -> tuple[str, list]:
    """("running" or how the schedulers ended, the lines of a stall) from the schedulers' end_state."""
    from .system import System

    states, stalled = [], []
    for system in context.components(System):
        state = getattr(system, "end_state", "")
        if state:
            states.append(state)
        stalled.extend(getattr(system, "stalled_waits", ()) or ())
    if stalled:
        return "stalled", stalled
    return (states[0] if states else "running"), stalled


def _declared_waits(context) -> dict:
    """Per entity, what its terms declare can end a wait (``waits_on()``), as a short text."""
    from .run_statistics import items_of

    out = {}
    for item in items_of(context):
        parts = []
        for term in getattr(item, "terms", ()):
            waits_on = getattr(term, "waits_on", None)
            if not callable(waits_on):
                continue
            try:
                waits = waits_on()
            except Exception:  # noqa: BLE001 - a term that cannot say is left out
                continue
            for wait in getattr(waits, "queues", ()):
                word = "message in" if wait.event == "arrival" else "room in"
                parts.append(f"{word} {wait.receiver.handle_text()}")
            if getattr(waits, "notifies", False):
                parts.append(f"{term.name or term.type_name()} (notifies)")
            if getattr(waits, "polled", False):
                parts.append(f"{term.name or term.type_name()} (polled)")
        out[item.name or str(getattr(item, "eid", ""))] = ", ".join(parts)
    return out


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>gxf run</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.3em; margin: 0 0 .5em; }
.figures span { margin-right: 1.5em; }
.figures b { font-variant-numeric: tabular-nums; }
#state { padding: 0 .4em; border-radius: .3em; background: #dfd; }
#state.stalled, #state.failed { background: #fdd; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border-bottom: 1px solid #ddd; padding: .2em .6em; text-align: right; }
th:first-child, td:first-child, td.waits, th.waits { text-align: left; }
td { font-variant-numeric: tabular-nums; }
#picture svg { max-width: 100%; height: auto; }
pre { background: #f6f6f6; padding: .5em; }
</style>
</head>
<body>
<h1>gxf run</h1>
<div class="figures">
  <span>state <b id="state">starting</b></span>
  <span>elapsed <b id="elapsed">0.0</b> s</span>
  <span><b id="ticks-per-s">0</b> ticks/s</span>
  <span><b id="messages-per-s">0</b> messages/s</span>
  <span><b id="ticks">0</b> ticks</span>
  <span><b id="messages">0</b> messages</span>
  <span><b id="drops">0</b> dropped</span>
</div>
<pre id="stalled" hidden></pre>
<table id="entities">
<thead><tr><th>entity</th><th>ticks</th><th>ticks/s</th><th>mean us</th><th>p99 us</th><th>in</th><th>out</th>
<th>drops</th><th>queues (depth/capacity)</th><th class="waits">waits on</th></tr></thead>
<tbody></tbody>
</table>
<div id="picture"></div>
<script>
"use strict";
const text = (id, value) => { document.getElementById(id).textContent = value; };
const number = (value) => Number(value).toLocaleString("en-US");
function show(data) {
  const state = document.getElementById("state");
  state.textContent = data.state;
  state.className = data.state;
  text("elapsed", data.elapsed_s.toFixed(1));
  text("ticks-per-s", number(Math.round(data.ticks_per_s)));
  text("messages-per-s", number(Math.round(data.messages_per_s)));
  text("ticks", number(data.ticks));
  text("messages", number(data.messages));
  text("drops", number(data.drops));
  const stalled = document.getElementById("stalled");
  stalled.hidden = !data.stalled.length;
  stalled.textContent = data.stalled.join("\\n");
  const body = document.querySelector("#entities tbody");
  body.replaceChildren(...data.entities.map((row) => {
    const tr = document.createElement("tr");
    tr.dataset.entity = row.entity;
    const queues = row.queues.map((q) => `${q.queue} ${q.depth}/${q.capacity}`).join(", ");
    const cells = [row.entity, number(row.ticks), number(Math.round(row.ticks_per_s)), row.mean_us.toFixed(1),
                   row.p99_us.toFixed(1), number(row.messages_in), number(row.messages_out), number(row.drops),
                   queues, row.waits_on];
    cells.forEach((value, index) => {
      const td = document.createElement("td");
      td.textContent = value;
      if (index === 9) td.className = "waits";
      tr.appendChild(td);
    });
    return tr;
  }));
}
async function picture() {
  // The graph's picture: Graphviz's SVG where the server can draw it, else its Mermaid text.
  // 503: the graph is still being loaded; asked again a moment later.
  const place = document.getElementById("picture");
  const svg = await fetch("/graph.svg");
  if (svg.status === 503) { setTimeout(picture, 500); return; }
  if (svg.ok) { place.innerHTML = await svg.text(); return; }
  const mermaid = await fetch("/graph.mermaid");
  if (mermaid.status === 503) { setTimeout(picture, 500); return; }
  const pre = document.createElement("pre");
  pre.textContent = await mermaid.text();
  place.replaceChildren(pre);
}
const events = new EventSource("/events");
events.onmessage = (event) => show(JSON.parse(event.data));
picture();
</script>
</body>
</html>
"""
