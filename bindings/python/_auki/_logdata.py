"""The Python side of the log data plane, shared by ``auki_logs`` and the ``auki_session`` handles.

- ``Entry`` (``_entry``): what every read yields, upstream's ``auki_logs.Entry``.
- ``append_one``: the slow half of every ``append`` (the fast half is ``bind_append``: one
  ctypes call with a ``bytes`` payload). Handles any bytes-like payload without copying it.
- ``append_many``: batches as C wants them (timestamps array + one payload buffer + offsets,
  fixed-size rows, or a pointer per payload for large frames), built without copying numpy arrays
  and other buffers; one C call per batch, whose checks (order, sizes) are core's.
- ``read_entries``: a whole reader through ``auki_log_reader_next_views`` (one C call per batch of
  borrowed views into the reader's buffer, whose bytes are copied once, into the entries' payloads):
  the list upstream's ``LogReader.entries()`` returns. ``entries`` is that batch loop, the one loop
  of every batched read: an activity reader (``auki_data.sessions``) runs it over
  ``auki_activity_reader_next_views``, whose batches have the same shape.
- ``EntryStream``: the same batches as an iterator holding one batch at a time (every other read),
  or decoded messages parsed straight from the native buffer (one copy of a frame, not two).
- ``TailIter``: upstream's tail iterator; blocking iteration polls in Python with ``time.sleep``
  so Ctrl-C is handled between polls.
"""

import ctypes
import time
from array import array
from itertools import accumulate
from operator import countOf

from ._ffi import lib
from ._buffers import Pinned, is_int64
from ._convert import i64, u64
from ._errors import check, error_for
from ._entry import Entry, make
from ._managed import Managed
from ._signature import no_constructor

_byref = ctypes.byref
_string_at = ctypes.string_at
_c_int = ctypes.c_int
_c_int64 = ctypes.c_int64
_c_size_t = ctypes.c_size_t
_c_void_p = ctypes.c_void_p
_c_char_p = ctypes.c_char_p
_p_void_p = ctypes.POINTER(ctypes.c_void_p)
_cast = ctypes.cast
_object_new = object.__new__

#: Entries asked for per ``*_next_views`` call (a batch is at most what one read of a file brought in).
_BATCH_ENTRIES = 8192
#: The Python memory a read holds for its batch arrays (the payload bytes stay in the reader's buffer).
_BATCH_BYTES = 3 * 8 * _BATCH_ENTRIES


# ---- appends ---------------------------------------------------------------------------------------


def bind_append(fn, fail, slow):
    """The ``append`` method of a writer class, shared by ``auki_logs.Log`` and the session handles.

    The fast half: a ``bytes`` payload and a timestamp in int64's non-negative range go to
    ``fn(self._handle, ts, payload, len)`` in one ctypes call, with nothing looked up but the handle
    (everything else is a closure cell); ``fail(self, status)`` raises for a non-zero status. Anything
    else (other bytes-like payloads, messages, bad timestamps) goes to ``slow(self, ts, payload)``.
    """
    _bytes = bytes
    _len = len

    def append(self, timestamp_ns, payload):
        try:
            fast = payload.__class__ is _bytes and not timestamp_ns >> 63
        except TypeError:  # a timestamp that is not an int: the slow path names it
            fast = False
        if not fast:
            return slow(self, timestamp_ns, payload)
        # Outside the try: a refusal that raises TypeError (a payload of the wrong message type)
        # must reach the caller, not send the same entry down the slow path a second time.
        status = fn(self._handle, timestamp_ns, payload, _len(payload))
        if status:
            fail(self, status)

    return append


def append_one(fn, handle, timestamp_ns, payload):
    """``fn(handle, ts, data, len)`` for any bytes-like payload; returns the C status.

    The slow path behind every ``append``: checks the timestamp like PyO3's ``i64`` (TypeError,
    OverflowError) and pins a non-``bytes`` buffer for the call instead of copying it.
    """
    timestamp_ns = i64(timestamp_ns, "timestamp_ns")
    if type(payload) is bytes:
        return fn(handle, timestamp_ns, payload, len(payload))
    with Pinned(payload, "payload") as pinned:
        return fn(handle, timestamp_ns, pinned.address or None, pinned.nbytes)


class _Timestamps:
    """An int64 array for C: a pinned buffer when it already is one (numpy int64, ``array('q')``),
    else a copy into ``array('q')`` (TypeError/OverflowError for values that are not int64)."""

    __slots__ = ("_pinned", "_array", "address", "count")

    def __init__(self, timestamps):
        self._pinned = None
        self._array = None
        if not isinstance(timestamps, (list, tuple)):
            try:
                pinned = Pinned(timestamps, "timestamps")
            except (TypeError, ValueError):
                pinned = None
            if pinned is not None:
                if is_int64(pinned) and pinned.ndim == 1:
                    self._pinned = pinned
                    self.address = pinned.address or None
                    self.count = pinned.shape[0]
                    return
                pinned.release()
        try:
            values = array("q", timestamps)
        except TypeError as e:
            raise TypeError(f"argument 'timestamps': {e}") from None
        except OverflowError as e:
            raise OverflowError(f"argument 'timestamps': {e}") from None
        self._array = values
        self.address, self.count = values.buffer_info()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._pinned is not None:
            self._pinned.release()


def _offsets(lengths, count):
    """``array('Q')`` of count + 1 running offsets from per-entry lengths."""
    try:
        offsets = array("Q", accumulate(lengths, initial=0))
    except (TypeError, OverflowError) as e:
        raise type(e)(f"argument 'lengths': {e}") from None
    if len(offsets) != count + 1:
        raise ValueError(f"payload: {len(offsets) - 1} lengths for {count} timestamps")
    return offsets


#: A sequence of payloads averaging this many bytes or more goes to C as a pointer per payload
#: (``auki_log_append_gather``) instead of being joined into one buffer: no copy of large frames.
_JOIN_LIMIT = 64 * 1024


def append_many(many_fn, fixed_fn, gather_fn, handle, timestamps, payloads, lengths):
    """One batch append (one C call); returns the C status. See the handles' ``append_many`` for the forms."""
    with _Timestamps(timestamps) as ts:
        count = ts.count
        if isinstance(payloads, (list, tuple)):
            if lengths is not None:
                raise TypeError("lengths is only for one payload buffer, not for a sequence of payloads")
            if len(payloads) != count:
                raise ValueError(f"payload: {len(payloads)} payloads for {count} timestamps")
            try:
                first = len(payloads[0]) if count else 0
                uniform = countOf(map(len, payloads), first) == count
            except TypeError as e:
                raise TypeError(f"argument 'payloads': {e}") from None
            if uniform:
                # Equal sizes (the common case): the fixed-size batch needs no offsets.
                if count and first >= _JOIN_LIMIT:
                    return _append_each(gather_fn, handle, ts, payloads)
                data = _join(payloads)
                if len(data) == first * count:
                    return fixed_fn(handle, ts.address, count, data, first)
                offsets = _byte_offsets(payloads)
            else:
                offsets = array("Q", accumulate(map(len, payloads), initial=0))
                if offsets[-1] >= count * _JOIN_LIMIT:
                    return _append_each(gather_fn, handle, ts, payloads)
                data = _join(payloads)
                if offsets[-1] != len(data):
                    offsets = _byte_offsets(payloads)
            return many_fn(handle, ts.address, count, data, len(data), offsets.buffer_info()[0])
        with Pinned(payloads, "payloads") as buf:
            if lengths is None:
                if buf.ndim != 2:
                    raise TypeError("payloads: pass a sequence of bytes-like objects, a 2-D array (one row per "
                                    "entry), or one buffer with lengths=[...]")
                if buf.shape[0] != count:
                    raise ValueError(f"payload: {buf.shape[0]} rows for {count} timestamps")
                return fixed_fn(handle, ts.address, count, buf.address or None, buf.shape[1] * buf.itemsize)
            offsets = _offsets(lengths, count)
            return many_fn(handle, ts.address, count, buf.address or None, buf.nbytes, offsets.buffer_info()[0])


def _join(payloads):
    try:
        return b"".join(payloads)
    except TypeError as e:
        raise TypeError(f"argument 'payloads': {e}") from None


def _byte_offsets(payloads):
    """Offsets counted in bytes, for payloads whose items are wider than a byte (len() counts items)."""
    return array("Q", accumulate((memoryview(p).nbytes for p in payloads), initial=0))


def _append_each(gather_fn, handle, ts, payloads):
    """Payloads where they lie, one C call: a pointer and a length per payload, nothing copied.
    Core checks the whole batch (order, sizes) and a refusal writes nothing."""
    count = ts.count
    if countOf(map(type, payloads), bytes) == count:
        # ctypes stores each bytes object's own buffer address (and keeps the objects alive).
        addresses = _cast((_c_char_p * count)(*payloads), _p_void_p)
        sizes = array("Q", map(len, payloads))
        return gather_fn(handle, ts.address, count, addresses, sizes.buffer_info()[0])
    pinned = []
    try:
        slots = (_c_void_p * count)()
        sizes = array("Q", bytes(8 * count))
        for i, payload in enumerate(payloads):
            p = Pinned(payload, "payloads")
            pinned.append(p)
            slots[i] = p.address or None
            sizes[i] = p.nbytes
        return gather_fn(handle, ts.address, count, slots, sizes.buffer_info()[0])
    finally:
        for p in pinned:
            p.release()


# ---- reads -----------------------------------------------------------------------------------------


class _BatchBuffers:
    """Caller arrays for a ``*_next_views`` call (timestamps, payload addresses, lengths), reused
    across the batches of one read; the payloads stay in the reader's buffer."""

    __slots__ = ("ts", "data", "lens", "ts_addr", "data_addr", "lens_addr", "count")

    def __init__(self):
        self.ts = array("q", bytes(8 * _BATCH_ENTRIES))
        self.data = array(_ADDRESS, bytes(_ADDRESS_SIZE * _BATCH_ENTRIES))
        self.lens = array(_ADDRESS, bytes(_ADDRESS_SIZE * _BATCH_ENTRIES))
        self.ts_addr = self.ts.buffer_info()[0]
        # The header's `const uint8_t *data[]` is a pointer-to-pointer argument to ctypes: pass it as one.
        self.data_addr = ctypes.cast(self.data.buffer_info()[0], ctypes.POINTER(_c_void_p))
        self.lens_addr = self.lens.buffer_info()[0]
        self.count = _c_size_t()

    def next(self, reader, next_views=None):
        """The next batch from ``next_views`` (default ``auki_log_reader_next_views``): its size (0 at
        the end), the views' timestamps, addresses and lengths in the arrays."""
        check((next_views or _next_views)(reader, _BATCH_ENTRIES, self.ts_addr, self.data_addr, self.lens_addr,
                                          _byref(self.count)))
        return self.count.value


#: array typecode and size of a C pointer / size_t (the same width on the platforms libauki builds for).
_ADDRESS = next(code for code in "LQI" if array(code).itemsize == ctypes.sizeof(_c_size_t))
_ADDRESS_SIZE = ctypes.sizeof(_c_size_t)
_next_views = lib.auki_log_reader_next_views


def read_entries(reader):
    """Every entry a native reader handle yields, as a list of ``Entry`` (the reader is not freed)."""
    return list(entries(reader))


def _batch_entries(b, n, cls=Entry):
    """The batch's entries (of ``cls``) as a list: the views' bytes are copied out of the reader's
    buffer once (one ``string_at`` of the span they lie in, as every view of a batch lies in one
    buffer, in order; a lone view, maybe a large frame, straight into its payload), then each
    payload is a slice of that copy."""
    ts, data, lens = b.ts, b.data, b.lens
    if n == 1:
        size = lens[0]
        entry = _object_new(cls)
        entry._ts = ts[0]
        entry._payload = _string_at(data[0], size) if size else b""
        return [entry]
    base = data[0]
    block = _string_at(base, data[n - 1] + lens[n - 1] - base)
    out = []
    append = out.append
    for t, start, size in zip(ts[:n], data[:n], lens[:n]):
        start -= base
        entry = _object_new(cls)
        entry._ts = t
        entry._payload = block[start:start + size]
        append(entry)
    return out


def _window(start_ns, end_ns):
    start = None if start_ns is None else _byref(_c_int64(i64(start_ns, "start_ns")))
    end = None if end_ns is None else _byref(_c_int64(i64(end_ns, "end_ns")))
    return start, end


def open_reader(open_fn, *args, start_ns=None, end_ns=None):
    """A native reader handle from ``open_fn(*args, start*, end*, out*)`` (``out`` last) for the window."""
    start, end = _window(start_ns, end_ns)
    out = _c_void_p()
    check(open_fn(*args, start, end, _byref(out)))
    return out.value


def open_reader_out_first(open_fn, *args, start_ns=None, end_ns=None):
    """A native reader handle from ``open_fn(out*, *args, start*, end*)``."""
    start, end = _window(start_ns, end_ns)
    out = _c_void_p()
    check(open_fn(_byref(out), *args, start, end))
    return out.value


def entries(reader, next_views=_next_views, cls=Entry):
    """Yield a reader's entries (of ``cls``) one batch of views at a time (the batch's list is all
    that is held): ``next_views`` is the reader's ``*_next_views`` call, a log reader's by default."""
    b = _BatchBuffers()
    while n := b.next(reader, next_views):
        yield from _batch_entries(b, n, cls)


def _messages(reader, cls):
    """Yield ``(timestamp_ns, message)``, each decoded straight from the reader's buffer: a frame's
    bytes are copied once, into the message (never first into an entry's payload)."""
    b = _BatchBuffers()
    ts, data, lens = b.ts, b.data, b.lens
    while n := b.next(reader):
        # Views of the batch's span of the reader's buffer, valid until the next call on the reader.
        base = data[0]
        span = data[n - 1] + lens[n - 1] - base
        raw = memoryview((ctypes.c_ubyte * span).from_address(base)).cast("B") if span else memoryview(b"")
        try:
            for i in range(n):
                start = data[i] - base
                yield ts[i], cls().parse(raw[start:start + lens[i]])
        finally:
            raw.release()


@no_constructor
class EntryStream(Managed):
    """An iterator over a log's entries in timestamp order that holds one batch at a time (a read of
    a gigabyte log needs megabytes): ``auki_logs.Entry`` objects, or ``(timestamp_ns, message)``
    pairs for a decoded read. The native reader is released at the end, by ``close()``, by leaving a
    ``with`` block, or when the stream is collected. ``list(stream)`` gives the whole window."""

    __slots__ = ("_iter",)
    _free = lib.auki_log_reader_free

    @classmethod
    def _wrap(cls, reader, message_class=None):
        stream = _object_new(cls)
        stream._handle = reader
        try:
            stream._iter = entries(reader) if message_class is None else _messages(reader, message_class)
        except BaseException:
            stream.close()
            raise
        return stream

    def __iter__(self):
        return self

    def __next__(self):
        if not getattr(self, "_handle", None):
            raise StopIteration
        try:
            return next(self._iter)
        except StopIteration:
            self.close()
            raise

    def close(self):
        """Stop reading and release the native reader now (iteration then ends). Twice is a no-op."""
        it = getattr(self, "_iter", None)
        if it is not None:
            self._iter = None
            it.close()
        super().close()


EntryStream.__module__ = "auki_logs"


# ---- tails -----------------------------------------------------------------------------------------


@no_constructor
class TailIter(Managed):
    """Follows a log from its end at the time the tail was opened (no replay).

    ``try_next()`` returns the next complete entry or ``None`` without waiting; iterating blocks,
    polling every 10 ms (``with_poll_interval(ms)`` changes it). The iterator never ends: break out
    of the loop, or ``close()`` it, to stop.
    """

    __slots__ = ("_poll_s", "_has", "_ts", "_data", "_len")
    _free = lib.auki_log_tail_free

    @classmethod
    def _wrap(cls, handle):
        tail = _object_new(cls)
        tail._handle = handle
        tail._poll_s = 0.010
        tail._has, tail._ts, tail._data, tail._len = _c_int(), _c_int64(), _c_void_p(), _c_size_t()
        return tail

    def with_poll_interval(self, ms):
        """Poll every ``ms`` milliseconds while blocking; returns this iterator."""
        self._ptr()
        self._poll_s = u64(ms, "ms") / 1000.0
        return self

    def try_next(self):
        """The next entry if one is complete now, else ``None``. Never waits."""
        status = lib.auki_log_tail_next(self._ptr(), 0, _byref(self._has), _byref(self._ts), _byref(self._data), _byref(self._len))
        if status:
            raise error_for(status)
        if not self._has.value:
            return None
        size = self._len.value
        return make(Entry, self._ts.value, _string_at(self._data.value, size) if size else b"")

    def __iter__(self):
        return self

    def __next__(self):
        while True:
            entry = self.try_next()
            if entry is not None:
                return entry
            time.sleep(self._poll_s)


TailIter.__module__ = "auki_logs"


def open_tail(open_fn, *args):
    """A ``TailIter`` over a tail handle made by ``open_fn(*args, out*)``."""
    out = _c_void_p()
    check(open_fn(*args, _byref(out)))
    return TailIter._wrap(out.value)
