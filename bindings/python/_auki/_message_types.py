"""Message classes by protobuf full name (``auki.camera.CameraFrame`` -> ``camera.CameraFrame``):
how a log handle or a store stream turns the payload type the core names into the class that
decodes it. Built from ``auki_datatypes``' public modules (the standalone message package every
reading package may use); kept here so that no package reaches into another's private modules."""
from auki_datatypes import (Message, audio, camera, detection, joint_encoders, map, message, point_cloud, pose,
                            scalar, stream, time_transform)

_BY_NAME = {}
for _module in (audio, camera, detection, joint_encoders, map, message, point_cloud, pose, scalar, stream,
                time_transform):
    for _value in vars(_module).values():
        if isinstance(_value, type) and issubclass(_value, Message) and _value._full_name_:
            _BY_NAME.setdefault(_value._full_name_, _value)
del _module, _value


def message_class(full_name):
    """The class of a message full name; ``KeyError`` when there is none."""
    return _BY_NAME[full_name]
