"""Scrubbing proxies from the command line (what the editor otherwise builds in the background).

    vigstudio proxy build LIBRARY [--recording ID]   make the missing ones (or only that recording's)
    vigstudio proxy status LIBRARY [--json]          which recordings have one, and its size

Each build shows its progress on the terminal; Ctrl-C cancels the one running, which leaves nothing
behind (`app.proxies.build_proxy`), while those already made (each printed when done) are kept.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from vigstudio.cli import EXIT_OK, _opened, _terminal_progress

if TYPE_CHECKING:
    from vigstudio.app.proxies import ProxyStatus


def register(commands) -> None:
    p = commands.add_parser("proxy", help="the small encrypted previews that make scrubbing instant")
    actions = p.add_subparsers(title="proxy commands", metavar="ACTION", required=True)
    p = actions.add_parser("build", help="make the scrubbing previews recordings do not have yet")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("--recording", type=int, metavar="ID", help="only this recording (default: every one without)")
    p.set_defaults(handler=cmd_proxy_build)
    p = actions.add_parser("status", help="which recordings have their scrubbing preview")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_proxy_status)


def cmd_proxy_build(args: argparse.Namespace) -> int:
    from vigstudio.app.proxies import build_proxy, proxy_status

    with _opened(args.library) as service:
        wanted = proxy_status(service, args.recording)
        todo = [s for s in wanted if not s.has_proxy]
        if not todo:
            print(f"recording {args.recording} already has its scrubbing preview" if args.recording is not None
                  else "nothing to build: every recording has its scrubbing preview")
            return EXIT_OK
        for number, status in enumerate(todo, 1):
            prefix = f"{number}/{len(todo)} " if len(todo) > 1 else ""
            with _terminal_progress(f"scrubbing preview of recording {status.recording_id}", prefix) as progress:
                built = build_proxy(service, status.recording_id, progress)
            [done] = proxy_status(service, status.recording_id)
            print(f"{'built' if built else 'already built'}: {_describe(done)}", flush=True)
    return EXIT_OK


def cmd_proxy_status(args: argparse.Namespace) -> int:
    from vigstudio.app.proxies import proxy_status

    with _opened(args.library) as service:
        statuses = proxy_status(service)
    missing = sum(not s.has_proxy for s in statuses)
    if args.json:
        json.dump({"recordings": [s.to_json() for s in statuses], "missing": missing}, sys.stdout, indent=2,
                  ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    for status in statuses:
        print(_describe(status))
    print(f"{missing} of {len(statuses)} recordings without a scrubbing preview"
          + (" (make them with `vigstudio proxy build LIBRARY`)" if missing else ""))
    return EXIT_OK


def _describe(status: ProxyStatus) -> str:
    where = f"recording {status.recording_id} ({status.case_code}, session {status.session_id}, " \
            f"{status.file_name}, {status.frame_count} frames)"
    if status.proxy_bytes is None:
        return f"{where}: no scrubbing preview"
    return f"{where}: scrubbing preview of {status.proxy_bytes / 1e6:.1f} MB"
