"""``FoxgloveServer``: a live Foxglove WebSocket server over a storage root.

Open Foxglove (or Lichtblick), choose "Open connection", "Foxglove WebSocket" and
``ws://localhost:<port>``: every log under the root is a channel with the schema ``auki export
--mcap`` gives it, and entries appended while the server runs reach subscribed clients. The server
runs on libauki's threads (no Python thread, no GIL) until ``close()``. It binds 127.0.0.1 unless
``host`` says otherwise (it has no authentication). A port in use raises ``OSError``; a root that
is not a directory ``NotFoundError`` (a ``KeyError``).
"""

import ctypes

from ._convert import fspath, optional_string, u32
from ._errors import check
from ._ffi import lib
from ._managed import Managed
from ._strings import encode


class FoxgloveServer(Managed):
    """``FoxgloveServer(root, host="127.0.0.1", port=8765)``; ``port=0`` picks a free port
    (read it from ``.port``). ``close()`` (or leaving a ``with`` block) sends every client a close
    frame and stops the server's threads."""

    __slots__ = ("_root", "_host", "_port")
    _free = lib.auki_foxglove_server_close

    def __init__(self, root, host="127.0.0.1", port=8765):
        root = fspath(root, "root")
        host = optional_string(host, "host")
        port = u32(port, "port")
        if port > 65535:
            raise ValueError(f"port must be 0-65535, not {port}")
        out = ctypes.c_void_p()
        check(lib.auki_foxglove_server_start(encode(root), None if host is None else encode(host), port, ctypes.byref(out)))
        self._set_handle(out.value)
        self._root = root
        self._host = host or "127.0.0.1"
        self._port = lib.auki_foxglove_server_port(out.value)

    @property
    def port(self):
        """The TCP port the server listened on (still readable after ``close()``, like ``url``)."""
        return self._port

    @property
    def host(self):
        """The address the server listens on."""
        return self._host

    @property
    def url(self):
        """``ws://HOST:PORT``, what a Foxglove client connects to."""
        return f"ws://{self._host}:{self.port}"

    def __repr__(self):
        state = "closed" if self.closed else self.url
        return f"FoxgloveServer({self._root!r}, {state})"


FoxgloveServer.__module__ = "auki_data"
