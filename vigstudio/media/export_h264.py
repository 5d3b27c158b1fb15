"""Just enough H.264 bitstream reading for the smart cut: avcC, SPS/PPS ids, NAL framing (ISO 14496-15)."""

from __future__ import annotations

import re

HIGH_PROFILES = {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135}
NAL_IDR, NAL_SPS, NAL_PPS = 5, 7, 8


class _Bits:
    """Exp-Golomb reader over an RBSP (emulation-prevention bytes removed)."""

    def __init__(self, nal: bytes):
        self.data = re.sub(b"\x00\x00\x03", b"\x00\x00", bytes(nal))
        self.pos = 0

    def u(self, n: int) -> int:
        value = 0
        for _ in range(n):
            byte = self.data[self.pos >> 3]  # IndexError on truncated data, caught by the caller
            value = (value << 1) | ((byte >> (7 - (self.pos & 7))) & 1)
            self.pos += 1
        return value

    def ue(self) -> int:
        zeros = 0
        while self.u(1) == 0:
            zeros += 1
            if zeros > 31:
                raise ValueError("bad exp-Golomb code")
        return (1 << zeros) - 1 + self.u(zeros)

    def se(self) -> int:
        k = self.ue()
        return (k + 1) // 2 if k & 1 else -(k // 2)


def parse_sps(nal: bytes) -> dict:
    """profile_idc, level_idc, sps_id, chroma_format_idc, bit_depth, frame_mbs_only of an SPS NAL."""
    bits = _Bits(nal)
    bits.u(8)  # NAL header
    profile, _constraints, level = bits.u(8), bits.u(8), bits.u(8)
    sps_id = bits.ue()
    chroma, depth = 1, 8
    if profile in HIGH_PROFILES:
        chroma = bits.ue()
        if chroma == 3:
            bits.u(1)
        depth = bits.ue() + 8
        bits.ue()  # chroma bit depth
        bits.u(1)  # qpprime_y_zero_transform_bypass
        if bits.u(1):  # seq_scaling_matrix_present
            for i in range(8 if chroma != 3 else 12):
                if bits.u(1):
                    _skip_scaling_list(bits, 16 if i < 6 else 64)
    bits.ue()  # log2_max_frame_num
    poc_type = bits.ue()
    if poc_type == 0:
        bits.ue()
    elif poc_type == 1:
        bits.u(1)
        bits.se()
        bits.se()
        for _ in range(bits.ue()):
            bits.se()
    bits.ue()  # max_num_ref_frames
    bits.u(1)
    bits.ue()  # width in macroblocks
    bits.ue()  # height in map units
    frame_mbs_only = bits.u(1)
    return {"profile_idc": profile, "level_idc": level, "sps_id": sps_id, "chroma_format_idc": chroma,
            "bit_depth": depth, "frame_mbs_only": bool(frame_mbs_only)}


def _skip_scaling_list(bits: _Bits, size: int) -> None:
    last = nxt = 8
    for _ in range(size):
        if nxt:
            nxt = (last + bits.se() + 256) % 256
        last = nxt or last


def parse_pps_ids(nal: bytes) -> tuple[int, int]:
    bits = _Bits(nal)
    bits.u(8)
    return bits.ue(), bits.ue()


def parse_avcc(data: bytes) -> tuple[list[bytes], list[bytes], bytes]:
    """(SPS NALs, PPS NALs, trailing extension bytes) of an AVCDecoderConfigurationRecord."""
    pos = 5
    sps, pps = [], []
    count = data[pos] & 0x1F
    pos += 1
    for _ in range(count):
        n = int.from_bytes(data[pos:pos + 2], "big")
        sps.append(bytes(data[pos + 2:pos + 2 + n]))
        pos += 2 + n
    count = data[pos]
    pos += 1
    for _ in range(count):
        n = int.from_bytes(data[pos:pos + 2], "big")
        pps.append(bytes(data[pos + 2:pos + 2 + n]))
        pos += 2 + n
    if any(len(x) == 0 for x in sps + pps) or pos > len(data):
        raise ValueError("truncated avcC")
    return sps, pps, bytes(data[pos:])


def avcc_length_size(data: bytes) -> int:
    return (data[4] & 0x03) + 1


def build_avcc(sps: list[bytes], pps: list[bytes], extension: bytes = b"") -> bytes:
    """avcC with every SPS and PPS; profile and level come from the first SPS; 4-byte NAL lengths."""
    first = sps[0]
    out = bytearray([1, first[1], first[2], first[3], 0xFF, 0xE0 | len(sps)])
    for nal in sps:
        out += len(nal).to_bytes(2, "big") + nal
    out.append(len(pps))
    for nal in pps:
        out += len(nal).to_bytes(2, "big") + nal
    return bytes(out + extension)


def split_annexb(data: bytes) -> list[bytes]:
    """NAL units of an Annex-B byte stream (start codes removed)."""
    parts = re.split(b"\x00\x00\x01", bytes(data))
    nals = []
    for part in parts[1:]:
        nal = part.rstrip(b"\x00") if part.endswith(b"\x00") else part
        if nal:
            nals.append(nal)
    return nals


def annexb_to_avcc(data: bytes) -> bytes:
    """Length-prefixed (4 bytes) NAL units, as MP4 stores them; SPS/PPS dropped (they live in avcC)."""
    out = bytearray()
    for nal in split_annexb(data):
        if nal[0] & 0x1F in (NAL_SPS, NAL_PPS):
            continue
        out += len(nal).to_bytes(4, "big") + nal
    return bytes(out)


def length_prefixed(nals: list[bytes]) -> bytes:
    return b"".join(len(nal).to_bytes(4, "big") + bytes(nal) for nal in nals)


def avcc_nal_types(data: bytes, length_size: int = 4) -> list[int]:
    types, pos = [], 0
    while pos + length_size <= len(data):
        n = int.from_bytes(data[pos:pos + length_size], "big")
        if n == 0 or pos + length_size + n > len(data):
            break
        types.append(data[pos + length_size] & 0x1F)
        pos += length_size + n
    return types


def has_idr(data: bytes) -> bool:
    return NAL_IDR in avcc_nal_types(data)
