"""Editing commands: the same use cases as the editor window (`vigstudio.app.editing`).

    vigstudio clip add LIBRARY --recording ID --start FRAME --end FRAME [--title T|-]
    vigstudio clip tag LIBRARY CLIP --principle CODE [--behaviour CODE] [--who WHO] [--text T|-] [--frame F]
    vigstudio clip trim LIBRARY CLIP --start FRAME --end FRAME
    vigstudio clip delete LIBRARY CLIP
    vigstudio clip list LIBRARY --session ID [--principle CODE] [--json]
    vigstudio still add LIBRARY --recording ID --frame FRAME [--caption T|-]

`add` and `tag` print the new id. Frames are 0-based; a clip's end is exclusive. Out-of-range frames,
unknown ids and codes are refused with one line and exit 2, before anything is written: the unlock
is audited together with the edit itself, so a refused command leaves no trace in the library. Clips,
tags and stills of a supervision case (opened from a bundle) are read-only: every edit of them is
refused the same way (`ReadOnlySupervision`). A title, caption or tag text given as `-` is read from
stdin or a prompt: arguments are visible to every user of the computer in the process list.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from vigstudio.app import editing
from vigstudio.app.editing import clip_to_json
from vigstudio.cli import EXIT_OK, _opened, clinical_text


def register(commands) -> None:
    p = commands.add_parser("clip", help="make, tag and list clips")
    clip_commands = p.add_subparsers(title="clip commands", metavar="ACTION", required=True)
    p = clip_commands.add_parser("add", help="make a clip of a recording's frames START to END-1; prints its id")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("--recording", type=int, required=True, metavar="ID", help="the recording's id")
    p.add_argument("--start", type=int, required=True, metavar="FRAME", help="first frame of the clip (from 0)")
    p.add_argument("--end", type=int, required=True, metavar="FRAME",
                   help="the frame just after the clip (exclusive; at most the recording's frame count)")
    p.add_argument("--title", default="", help=clinical_text.help_for("a short title for the review"))
    p.set_defaults(handler=cmd_clip_add)
    p = clip_commands.add_parser("tag", help="tag a clip with a principle of attuned interaction; prints the tag's id")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("clip", type=int, metavar="CLIP", help="the clip's id")
    p.add_argument("--principle", required=True, metavar="CODE", help="principle code from the catalogue, e.g. P2")
    p.add_argument("--behaviour", metavar="CODE", help="behaviour code of that principle, e.g. P2.1")
    p.add_argument("--who", metavar="WHO", help="parent, child or practitioner")
    p.add_argument("--text", default="", help=clinical_text.help_for("what you see"))
    p.add_argument("--frame", type=int, metavar="FRAME", help="tag one frame inside the clip (default: the whole clip)")
    p.set_defaults(handler=cmd_clip_tag)
    p = clip_commands.add_parser("trim", help="new frames START to END-1 for a clip (tags on single frames must stay inside)")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("clip", type=int, metavar="CLIP", help="the clip's id")
    p.add_argument("--start", type=int, required=True, metavar="FRAME", help="first frame of the clip (from 0)")
    p.add_argument("--end", type=int, required=True, metavar="FRAME", help="the frame just after the clip (exclusive)")
    p.set_defaults(handler=cmd_clip_trim)
    p = clip_commands.add_parser("delete", help="delete a clip and its tags")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("clip", type=int, metavar="CLIP", help="the clip's id")
    p.set_defaults(handler=cmd_clip_delete)
    p = clip_commands.add_parser("list", help="a session's clips in review order, with their tags")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("--session", type=int, required=True, metavar="ID", help="the session's id")
    p.add_argument("--principle", metavar="CODE", help="only clips tagged with this principle")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_clip_list)

    p = commands.add_parser("still", help="take stills")
    still_commands = p.add_subparsers(title="still commands", metavar="ACTION", required=True)
    p = still_commands.add_parser("add", help="take a still of one frame of a recording; prints its id")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("--recording", type=int, required=True, metavar="ID", help="the recording's id")
    p.add_argument("--frame", type=int, required=True, metavar="FRAME", help="the frame (from 0)")
    p.add_argument("--caption", default="",
                   help=clinical_text.help_for("the words the family will read in the review"))
    p.set_defaults(handler=cmd_still_add)


def cmd_clip_add(args: argparse.Namespace) -> int:
    title = clinical_text.read(args.title, "title")
    with _opened(args.library, audit_now=False) as service:
        clip = editing.add_clip(service, args.recording, args.start, args.end, title)
    print(clip.id)
    return EXIT_OK


def cmd_clip_tag(args: argparse.Namespace) -> int:
    text = clinical_text.read(args.text, "tag text")
    with _opened(args.library, audit_now=False) as service:
        annotation = editing.tag_clip(service, args.clip, args.principle, args.behaviour, args.who, text, args.frame)
    print(annotation.id)
    return EXIT_OK


def cmd_clip_trim(args: argparse.Namespace) -> int:
    with _opened(args.library, audit_now=False) as service:
        clip = editing.trim_clip(service, args.clip, args.start, args.end)
    print(f"clip {clip.id}: frames {clip.start_frame}-{clip.end_frame}")
    return EXIT_OK


def cmd_clip_delete(args: argparse.Namespace) -> int:
    with _opened(args.library, audit_now=False) as service:
        editing.delete_clip(service, args.clip)
    print(f"clip {args.clip} deleted")
    return EXIT_OK


def cmd_clip_list(args: argparse.Namespace) -> int:
    with _opened(args.library) as service:
        clips = editing.clips_of_session(service, args.session, principle=args.principle)
    if args.json:
        json.dump({"session": args.session, "clips": [clip_to_json(c) for c in clips]}, sys.stdout, indent=2,
                  ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    if not clips:
        print(f"no clips in session {args.session}" + (f" tagged {args.principle}" if args.principle else ""))
    for item in clips:
        c = item.clip
        tags = f" [{', '.join(item.principles)}]" if item.principles else ""
        title = f" {c.title!r}" if c.title else ""
        print(f"{c.position + 1}. clip {c.id}: recording {c.recording_id} frames {c.start_frame}-{c.end_frame} "
              f"({c.frame_count} frames){title}{tags}")
    return EXIT_OK


def cmd_still_add(args: argparse.Namespace) -> int:
    caption = clinical_text.read(args.caption, "caption")
    with _opened(args.library, audit_now=False) as service:
        still = editing.add_still(service, args.recording, args.frame, caption)
    print(still.id)
    return EXIT_OK
