"""Walk an MP3 frame by frame: proves every frame header is valid and gives the duration."""

from __future__ import annotations

BITRATES = {  # kbps, by (MPEG-1?, index)
    True: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    False: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
}
SAMPLE_RATES = {3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000]}


def frames(data: bytes):
    """Yield (sample_rate, samples) per frame; raise ValueError on a broken stream."""
    i = 0
    if data[:3] == b"ID3":
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        i = 10 + size
    count = 0
    while i + 4 <= len(data):
        b1, b2, b3 = data[i + 1], data[i + 2], data[i + 3]
        if data[i] != 0xFF or (b1 & 0xE0) != 0xE0:
            raise ValueError(f"no frame sync at byte {i} after {count} frames")
        version = (b1 >> 3) & 0x03
        layer = (b1 >> 1) & 0x03
        if version == 1 or layer != 1:
            raise ValueError(f"not MPEG audio layer III at byte {i}")
        mpeg1 = version == 3
        bitrate = BITRATES[mpeg1][(b2 >> 4) & 0x0F] * 1000
        rate = SAMPLE_RATES[version][(b2 >> 2) & 0x03]
        padding = (b2 >> 1) & 0x01
        if not bitrate:
            raise ValueError(f"free or bad bitrate at byte {i}")
        length = (144 if mpeg1 else 72) * bitrate // rate + padding
        yield rate, 1152 if mpeg1 else 576
        i += length
        count += 1
    _ = b3


def duration(data: bytes) -> float:
    return sum(samples / rate for rate, samples in frames(data))
