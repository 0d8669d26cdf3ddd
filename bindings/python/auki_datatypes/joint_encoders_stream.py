"""Era A's wire twin of joint_encoders: `JointEncodersFrame{repeated float angles_rad = 1}` is
joint_encoders.Data on the wire and in Python, so it is the same class."""
from .auki.joint_encoders import Data as JointEncodersFrame

__all__ = ["JointEncodersFrame"]
