"""The manifests' small enums as value constructors.

Upstream's Python builders take these as plain dicts and strings; these classes only spell the
accepted values, so code written either way passes the same objects to the builders.
"""


class PoseSource:
    """Producer of a pose log (tag ``kind``)."""

    @staticmethod
    def ros2_tf(publishers):
        """``{"kind": "ros2_tf", "publishers": [...]}`` (the manifest stores them sorted and unique)."""
        return {"kind": "ros2_tf", "publishers": list(publishers)}

    @staticmethod
    def manual():
        """``{"kind": "manual"}``: a hand-entered or calibration-fixture transform."""
        return {"kind": "manual"}


class PoseWriterMode:
    """A pose log's writer mode: ``"rigid"`` (stationary transform) or ``"movable"``."""

    RIGID = "rigid"
    MOVABLE = "movable"


class TimeTransformSource:
    """Producer of a time-transform log (tag ``kind``)."""

    @staticmethod
    def local_clock_read():
        """``{"kind": "local_clock_read"}``, the only source upstream defines."""
        return {"kind": "local_clock_read"}


class DetectionCadence:
    """How often a detector runs (era C detection logs, tag ``kind``)."""

    @staticmethod
    def every_frame():
        """``{"kind": "every_frame"}``."""
        return {"kind": "every_frame"}

    @staticmethod
    def periodic(period_ns):
        """``{"kind": "periodic", "period_ns": period_ns}`` (``period_ns`` > 0)."""
        return {"kind": "periodic", "period_ns": period_ns}
