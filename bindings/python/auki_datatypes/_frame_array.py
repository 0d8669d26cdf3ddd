"""``CameraFrame.to_numpy(layout)``: a raw frame as a numpy ``(height, width, channels)`` array that
views the frame's bytes (no copy; read-only, since ``bytes`` are). ``layout`` is what a camera log
handle's ``frame_layout`` gives (the sensor body's sizes), or the same keys passed by name. numpy
is optional: it is imported only here, when called."""
from .auki import camera

_DTYPES = {1: "uint8", 2: "<u2"}


def to_numpy(self, layout=None, **sizes):
    import numpy as np

    spec = dict(layout or {})
    spec.update(sizes)
    for key in ("width", "height", "channels"):
        if not isinstance(spec.get(key), int) or spec[key] <= 0:
            raise ValueError(f"layout.{key}: expected a positive int, got {spec.get(key)!r}"
                             + (f" (pixel_format {spec['pixel_format']!r} has no known channel count)"
                                if key == "channels" and "pixel_format" in spec else ""))
    encoding = spec.get("image_encoding", "raw")
    if encoding not in (None, "raw"):
        raise ValueError(f"frame: image_encoding {encoding!r} is compressed; decode it with an image library")
    height, width, channels = spec["height"], spec["width"], spec["channels"]
    depth = spec.get("bytes_per_channel", 1)
    if depth not in _DTYPES:
        raise ValueError(f"layout.bytes_per_channel: expected 1 or 2, got {depth!r}")
    stride = spec.get("row_stride_bytes") or width * channels * depth
    if stride < width * channels * depth:
        raise ValueError(f"layout.row_stride_bytes: {stride} is smaller than width × bytes per pixel = {width * channels * depth}")
    frame = self.frame
    if len(frame) != height * stride:
        raise ValueError(f"frame: {len(frame)} bytes, expected {height * stride} (height {height} × row_stride_bytes {stride})")
    flat = np.frombuffer(frame, dtype=_DTYPES[depth])
    return np.lib.stride_tricks.as_strided(flat, shape=(height, width, channels), strides=(stride, channels * depth, depth),
                                           writeable=False)


camera.CameraFrame.to_numpy = to_numpy
