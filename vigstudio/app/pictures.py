"""Small pictures of chosen frames of a recording (e.g. the editor's stills), decoded in memory only.

The frames come from the encrypted container on a private decoder (the editor's playback cache is
left alone), scaled in the same swscale pass that converts them to RGB. Nothing is written to disk.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import closing

import numpy as np

from vigstudio.app.library import LibraryService
from vigstudio.app.progress import Progress, ProgressCallback
from vigstudio.app.recordings import open_recording_media
from vigstudio.media.thumbnails import thumbnail_size


def still_pictures(service: LibraryService, recording_id: int, frames: Iterable[int], height: int,
                   progress: Progress | ProgressCallback | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """(frame, H×W×3 uint8 RGB `height` pixels high, square pixels, upright) for each of `frames`
    the recording has, in ascending order; frames past its end are left out.

    `progress` is called before each picture, so a `Progress` cancelled from another thread stops
    the work (`Cancelled`) without decoding the rest. Closing the iterator early closes the decoder.
    """
    with closing(open_recording_media(service, recording_id)) as source:
        info = source.info
        wanted = sorted({int(f) for f in frames if 0 <= int(f) < info.frame_count})
        if not wanted:
            return
        size = thumbnail_size(info.width, info.height, info.sample_aspect_ratio, height)
        with closing(source.pictures(wanted, size)) as pictures:
            for done, (frame, rgb) in enumerate(pictures):
                if progress is not None:
                    progress(done / len(wanted), "pictures of stills")
                yield frame, rgb
