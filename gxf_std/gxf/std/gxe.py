"""``python -m gxf.std.gxe``: GXF's Python graph runner (gxe.py), running a graph as ``gxf run`` does.

    python -m gxf.std.gxe --app graph.yaml[,params.yaml] [--manifest manifest.yaml] [--severity 3]

``--app`` takes graph files, comma-separated (or repeated), loaded in order; later files may be
parameter files. ``--manifest`` files are checked but not needed: extensions are found among the
installed Python distributions. The run itself is ``gxf.core.runner.run_graphs``, the function behind
``gxf run``: same loading, same errors, same signal handling, same exit codes (0 done, 1 error,
130 on SIGINT, 143 on SIGTERM). Unlike GXF's gxe.py, which defaults to INFO, the default severity is
``gxf run``'s (``$GXF_LOG_LEVEL``, else WARNING).
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback

from gxf.core import GxfError, log, runner

SEVERITY_HELP = f"Log severity: {log.SEVERITY_CHOICES} (default: ${log.ENV_VAR}, else {log.DEFAULT_SEVERITY})"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m gxf.std.gxe", description="Run a GXF graph application.")
    parser.add_argument("--app", action="append", required=True, metavar="GRAPH[,GRAPH...]",
                        help="Graph file(s) to run; comma-separated or repeated, loaded in order")
    parser.add_argument("--manifest", nargs="+", action="extend", default=[], metavar="MANIFEST",
                        help="GXF manifest file(s) listing extensions; comma-separated or several. Only "
                             "checked: extensions are found among the installed Python distributions")
    parser.add_argument("--severity", type=int, choices=range(0, 6), default=None, metavar="0-5",
                        help=SEVERITY_HELP)
    parser.add_argument("--log_file", "--log-file", default=None, metavar="FILE",
                        help="Also write log records to this file")
    parser.add_argument("--app_root", "--app-root", default=None, metavar="DIR",
                        help="Take relative paths inside the graph files (subgraph locations, codelet "
                             "files) from DIR instead of each file's folder")
    parser.add_argument("--param", action="append", default=[], metavar="ENTITY/COMPONENT/KEY=VALUE",
                        help="Set a parameter after loading (value read as YAML); repeatable")
    parser.add_argument("-v", "--verbose", action="store_true", help="Print the Python traceback of an error")
    return parser.parse_args(argv)


def _split(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _report(text: str, file_handler: logging.Handler | None) -> None:
    """The one report of the failure that ended the run: on stderr, and in the --log_file if there is one."""
    print(text, file=sys.stderr)
    if file_handler is not None:
        record = {"name": "gxf.gxe", "levelno": logging.ERROR, "levelname": "ERROR",
                  "msg": text.removeprefix("error: ")}
        file_handler.handle(logging.makeLogRecord(record))


def main(argv: list[str] | None = None) -> int:
    """Runs the application; returns the exit code."""
    args = parse_args(argv)
    file_handler = None
    try:
        log.configure(args.severity)
        if args.log_file:
            file_handler = logging.FileHandler(args.log_file, encoding="utf-8")
            file_handler.setFormatter(log.Formatter("%(asctime)s %(severity)s %(message)s", None))
            logging.getLogger("gxf").addHandler(file_handler)
        for manifest in _split(args.manifest):
            runner.check_manifest(manifest)
        runner.run_graphs(_split(args.app), runner.parse_overrides(args.param), app_root=args.app_root)
    except GxfError as exc:
        if args.verbose:
            traceback.print_exc()
        _report(f"error: {exc}", file_handler)
        return exc.exit_code
    except KeyboardInterrupt:
        _report("error: interrupted", file_handler)
        return 130
    except Exception as exc:  # noqa: BLE001 - one line; the traceback with --verbose
        if args.verbose:
            traceback.print_exc()
        _report(f"error: {type(exc).__name__}: {exc}", file_handler)
        return 1
    finally:
        if file_handler is not None:
            logging.getLogger("gxf").removeHandler(file_handler)
            file_handler.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
