"""The GOP cache and prefetch: stepping is served from decoded frames, memory stays bounded."""

import random
import threading

from tests.videos import make_video, read_frame_number
from vigstudio.media import open_media
from vigstudio.media.cache import frame_nbytes

FRAMES, GOP = 100, 50
FRAME_BYTES = 160 * 120 * 3 // 2  # yuv420p


def long_gop(tmp_path):
    return make_video(tmp_path / "long.mp4", frames=FRAMES, gop=GOP, bframes=3, size=(160, 120))


def decoded_frame_bytes(path) -> int:
    """What one decoded frame really holds (planes with their padding)."""
    import av

    with av.open(str(path)) as container:
        return frame_nbytes(next(container.decode(video=0)))


def test_step_backward_inside_a_gop_needs_no_decode(tmp_path):
    with open_media(long_gop(tmp_path)) as source:
        assert read_frame_number(source.frame(45)) == 45
        assert source.wait_prefetch()
        misses = source.cache_misses
        for i in range(44, 9, -1):
            assert read_frame_number(source.frame(i)) == i
        assert source.cache_misses == misses


def test_step_forward_is_prefetched(tmp_path):
    with open_media(long_gop(tmp_path)) as source:
        source.frame(60)
        assert source.wait_prefetch()
        misses = source.cache_misses
        for i in range(61, 75):
            assert read_frame_number(source.frame(i)) == i
        assert source.cache_misses == misses


def test_backward_prefetch_fills_the_previous_stretch(tmp_path):
    path = long_gop(tmp_path)
    cache = 30 * decoded_frame_bytes(path)  # room for 30 frames: 18 behind, 9 ahead
    with open_media(path, cache_bytes=cache) as source:
        source.frame(99)
        source.frame(80)  # decoded 62..80; moving backward
        assert source.wait_prefetch()
        source.frame(66)  # cached; asks for the stretch before 66
        assert source.wait_prefetch()
        misses = source.cache_misses
        for i in range(65, 50, -1):
            assert read_frame_number(source.frame(i)) == i
        assert source.cache_misses == misses


def test_after_a_jump_both_sides_are_prefetched(tmp_path):
    """A jump decodes only a few frames before its target while the caller waits; the prefetch
    then fills the rest of the window behind and the window ahead, so stepping either way is free."""
    path = long_gop(tmp_path)
    cache = 30 * decoded_frame_bytes(path)  # 18 behind, 9 ahead
    with open_media(path, cache_bytes=cache) as source:
        source.frame(5)
        assert read_frame_number(source.frame(90)) == 90  # a jump: further than the window behind
        assert source.wait_prefetch()
        misses = source.cache_misses
        for i in [*range(91, 99), *range(89, 72, -1)]:  # forward first: going back evicts what is ahead
            assert read_frame_number(source.frame(i)) == i
        assert source.cache_misses == misses


def test_cache_is_bounded_in_bytes(tmp_path):
    cache = 12 * FRAME_BYTES
    with open_media(long_gop(tmp_path), cache_bytes=cache) as source:
        rng = random.Random(3)
        for i in [*range(0, FRAMES, 3), *rng.sample(range(FRAMES), 20), *range(FRAMES - 1, 50, -1)]:
            assert read_frame_number(source.frame(i)) == i
            assert source.cache_bytes <= cache
        source.wait_prefetch()
        assert source.cache_bytes <= cache


def test_frame_nbytes_counts_planes(tmp_path):
    assert FRAME_BYTES <= decoded_frame_bytes(long_gop(tmp_path)) < 2 * FRAME_BYTES


def test_concurrent_callers_get_their_own_frames(tmp_path):
    with open_media(long_gop(tmp_path), cache_bytes=20 * FRAME_BYTES) as source:
        wrong, errors = [], []

        def caller(seed):
            rng = random.Random(seed)
            try:
                for _ in range(40):
                    i = rng.randrange(FRAMES)
                    if read_frame_number(source.frame(i)) != i:
                        wrong.append(i)
            except Exception as exc:
                errors.append(exc)

        threads = [threading.Thread(target=caller, args=(seed,)) for seed in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors and not wrong


def test_close_stops_prefetch_thread(tmp_path):
    source = open_media(long_gop(tmp_path))
    source.frame(10)
    thread = source._engine.thread
    source.close()
    assert not thread.is_alive()
