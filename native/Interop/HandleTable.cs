namespace Auki.Native.Interop;

/// <summary>The object type a handle names; the value is the handle's low byte (odd, so no aligned pointer is ever a valid handle).</summary>
internal enum HandleKind : byte
{
    Peer = 0x51,
    Session = 0x53,
    Log = 0x55,
    LogWriter = 0x57,
    LogReader = 0x59,
    LogTail = 0x5B,
    ActivityReader = 0x61,
    Domain = 0x63,
    Stream = 0x65,
    CatalogWatch = 0x67,
}

/// <summary>
/// Maps opaque C handles to core objects without ever dereferencing a pointer. A handle value is
/// <c>(slot &lt;&lt; 32) | (generation &lt;&lt; 8) | kind</c>: lookup checks the slot is in range, the
/// generation is the slot's current one (so a freed handle is reported as freed, even after the slot
/// is reused) and the kind matches. NULL, garbage, freed and wrong-type handles become
/// InvalidArgument errors. Freed slots are reused oldest-first to keep stale handles detectable.
/// </summary>
internal static class HandleTable
{
    private const int InitialCapacity = 64;
    private const uint GenerationMask = 0xFF_FFFF; // 24 bits

    private struct Slot
    {
        public object? Target;
        public uint Generation; // 1..2^24-1 once used; the current (live or last freed) generation
        public HandleKind Kind;
    }

    private static readonly Lock Gate = new();
    private static readonly Queue<int> FreeSlots = new();
    private static Slot[] _slots = new Slot[InitialCapacity];
    private static int _used; // slots [0, _used) have been handed out at least once

    /// <summary>Store <paramref name="target"/> and return its new handle (never 0).</summary>
    public static nint Add(HandleKind kind, object target)
    {
        lock (Gate)
        {
            int index;
            if (FreeSlots.Count > 0) index = FreeSlots.Dequeue();
            else
            {
                if (_used == _slots.Length)
                {
                    if (_slots.Length >= int.MaxValue / 2)
                        throw new AukiException(AukiErrorCode.Overflow, "too many open libauki handles");
                    Array.Resize(ref _slots, _slots.Length * 2);
                }
                index = _used++;
            }
            ref Slot slot = ref _slots[index];
            uint generation = (slot.Generation + 1) & GenerationMask;
            if (generation == 0) generation = 1;
            slot.Generation = generation;
            slot.Kind = kind;
            slot.Target = target;
            return Encode(index, generation, kind);
        }
    }

    /// <summary>The object behind a live handle of <paramref name="kind"/>; InvalidArgument otherwise.</summary>
    public static object Get(nint handle, HandleKind kind)
    {
        ulong value = (ulong)handle;
        if (value == 0) throw NullHandle(kind);
        ulong index = value >> 32;
        uint generation = (uint)(value >> 8) & GenerationMask;
        lock (Gate)
        {
            if ((HandleKind)(byte)value == kind && index < (ulong)_used && generation != 0)
            {
                ref Slot slot = ref _slots[(int)index];
                if (slot.Generation == generation && slot.Kind == kind)
                    return slot.Target ?? throw Freed(kind);
                // Generations only grow, and a slot gets a new one only after the old handle was freed.
                if (generation < slot.Generation) throw Freed(kind);
            }
        }
        throw Invalid(kind, value);
    }

    /// <summary>Release a handle and return what it held; NULL, invalid, already freed or wrong-type handles are ignored (null).</summary>
    public static object? Remove(nint handle, HandleKind kind)
    {
        ulong value = (ulong)handle;
        if ((HandleKind)(byte)value != kind) return null;
        ulong index = value >> 32;
        uint generation = (uint)(value >> 8) & GenerationMask;
        lock (Gate)
        {
            if (index >= (ulong)_used) return null;
            ref Slot slot = ref _slots[(int)index];
            if (slot.Generation != generation || slot.Kind != kind || slot.Target is null) return null;
            object target = slot.Target;
            slot.Target = null;
            FreeSlots.Enqueue((int)index);
            return target;
        }
    }

    private static nint Encode(int index, uint generation, HandleKind kind) =>
        (nint)(((ulong)(uint)index << 32) | ((ulong)generation << 8) | (byte)kind);

    private static string CName(HandleKind kind) => CNameOf(kind) ?? "auki_log";

    private static string? CNameOf(HandleKind kind) => kind switch
    {
        HandleKind.Peer => "auki_peer",
        HandleKind.Session => "auki_session",
        HandleKind.Log => "auki_log",
        HandleKind.LogWriter => "auki_log_writer",
        HandleKind.LogReader => "auki_log_reader",
        HandleKind.LogTail => "auki_log_tail",
        HandleKind.ActivityReader => "auki_activity_reader",
        HandleKind.Domain => "auki_domain",
        HandleKind.Stream => "auki_stream",
        HandleKind.CatalogWatch => "auki_catalog_watch",
        _ => null,
    };

    private static AukiException NullHandle(HandleKind kind) =>
        new(AukiErrorCode.InvalidArgument, $"{CName(kind)} handle must not be NULL");

    private static AukiException Freed(HandleKind kind) =>
        new(AukiErrorCode.InvalidArgument, $"{CName(kind)} handle was freed");

    private static AukiException Invalid(HandleKind kind, ulong value)
    {
        string? actual = CNameOf((HandleKind)(byte)value);
        string what = actual is not null && actual != CName(kind) ? $" (it is an {actual} handle)" : "";
        return new(AukiErrorCode.InvalidArgument, $"invalid {CName(kind)} handle 0x{value:x}{what}");
    }
}

/// <summary>Typed lookups and creation over <see cref="HandleTable"/> (64-bit targets only: handles use all 64 bits).</summary>
internal static class Handles
{
    public static Auki.Sessions.Peer Peer(nint handle) => (Auki.Sessions.Peer)HandleTable.Get(handle, HandleKind.Peer);
    public static Auki.Sessions.Session Session(nint handle) => (Auki.Sessions.Session)HandleTable.Get(handle, HandleKind.Session);
    public static Auki.Sessions.LogHandle Log(nint handle) => (Auki.Sessions.LogHandle)HandleTable.Get(handle, HandleKind.Log);

    public static nint New(Auki.Sessions.Peer peer) => HandleTable.Add(HandleKind.Peer, peer);
    public static nint New(Auki.Sessions.Session session) => HandleTable.Add(HandleKind.Session, session);
    public static nint New(Auki.Sessions.LogHandle log) => HandleTable.Add(HandleKind.Log, log);

    public static LogWriterBox Writer(nint handle) => (LogWriterBox)HandleTable.Get(handle, HandleKind.LogWriter);
    public static LogReaderBox Reader(nint handle) => (LogReaderBox)HandleTable.Get(handle, HandleKind.LogReader);
    public static LogTailBox Tail(nint handle) => (LogTailBox)HandleTable.Get(handle, HandleKind.LogTail);

    public static nint New(LogWriterBox writer) => HandleTable.Add(HandleKind.LogWriter, writer);
    public static nint New(LogReaderBox reader) => HandleTable.Add(HandleKind.LogReader, reader);
    public static nint New(LogTailBox tail) => HandleTable.Add(HandleKind.LogTail, tail);

    public static Auki.Activity.ActivityDataCursor ActivityReader(nint handle) => (Auki.Activity.ActivityDataCursor)HandleTable.Get(handle, HandleKind.ActivityReader);
    public static nint New(Auki.Activity.ActivityDataCursor reader) => HandleTable.Add(HandleKind.ActivityReader, reader);
}
