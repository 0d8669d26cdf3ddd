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
    ActivityTable = 0x69,
    FoxgloveServer = 0x6B,
}

/// <summary>
/// Maps opaque C handles to <see cref="HandleBox"/>es without ever dereferencing a pointer. A handle
/// value is <c>(slot &lt;&lt; 32) | (generation &lt;&lt; 8) | kind</c>: lookup checks the slot is in range,
/// the generation is the slot's current one (so a freed handle is reported as freed, even after the
/// slot is reused) and the kind matches. NULL, garbage, freed and wrong-type handles become
/// InvalidArgument errors. Freed slots are reused oldest-first to keep stale handles detectable.
/// </summary>
/// <remarks>
/// Lookups take no lock: every call on every handle goes through <see cref="Get"/>, and a
/// process-wide lock there serialized threads working on unrelated handles. Slots are immutable
/// objects replaced whole under <c>Gate</c> (add, free, growth), so a reader sees a slot as it was
/// before or after a change, never half of one.
/// </remarks>
internal static class HandleTable
{
    private const int InitialCapacity = 64;
    private const uint GenerationMask = 0xFF_FFFF; // 24 bits

    private sealed class Slot(uint generation, HandleKind kind, HandleBox? box)
    {
        public readonly uint Generation = generation; // 1..2^24-1: the current (live or last freed) generation
        public readonly HandleKind Kind = kind;
        public readonly HandleBox? Box = box;        // null once freed
    }

    private static readonly Lock Gate = new();
    private static readonly Queue<int> FreeSlots = new();
    private static Slot?[] _slots = new Slot?[InitialCapacity];
    private static int _used; // slots [0, _used) have been handed out at least once

    /// <summary>Store <paramref name="box"/> and return its new handle (never 0).</summary>
    public static nint Add(HandleKind kind, HandleBox box)
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
                    var grown = new Slot?[_slots.Length * 2];
                    Array.Copy(_slots, grown, _slots.Length);
                    Volatile.Write(ref _slots, grown);
                }
                index = _used++;
            }
            uint generation = ((_slots[index]?.Generation ?? 0) + 1) & GenerationMask;
            if (generation == 0) generation = 1;
            Volatile.Write(ref _slots[index], new Slot(generation, kind, box));
            return Encode(index, generation, kind);
        }
    }

    /// <summary>Box <paramref name="target"/> (freeing runs <paramref name="release"/>, if any) and return its new handle.</summary>
    public static nint Add(HandleKind kind, object target, Action<object>? release = null) => Add(kind, new HandleBox(target, release));

    /// <summary>The box behind a live handle of <paramref name="kind"/>; InvalidArgument otherwise.</summary>
    public static HandleBox Get(nint handle, HandleKind kind)
    {
        ulong value = (ulong)handle;
        if (value == 0) throw NullHandle(kind);
        ulong index = value >> 32;
        uint generation = (uint)(value >> 8) & GenerationMask;
        var slots = Volatile.Read(ref _slots);
        if ((HandleKind)(byte)value == kind && index < (ulong)slots.Length && generation != 0
            && Volatile.Read(ref slots[(int)index]) is { } slot)
        {
            if (slot.Generation == generation && slot.Kind == kind)
                return slot.Box ?? throw FreedError(kind);
            // Generations only grow, and a slot gets a new one only after the old handle was freed.
            if (generation < slot.Generation) throw FreedError(kind);
        }
        throw Invalid(kind, value);
    }

    /// <summary>The core object behind a live handle of <paramref name="kind"/>.</summary>
    public static T Target<T>(nint handle, HandleKind kind) where T : class => (T)Get(handle, kind).Target;

    /// <summary>
    /// The one free path of every <c>auki_*_free</c>: forget the handle, then release its box (waking
    /// waiters first). NULL, invalid, already freed or wrong-type handles are ignored; nothing throws.
    /// </summary>
    public static void Free(nint handle, HandleKind kind)
    {
        HandleBox? box = Remove(handle, kind);
        if (box is null) return;
        try
        {
            box.Release();
        }
        catch (Exception)
        {
            // A free function has no status to report; the explicit close calls are the ones that report.
        }
    }

    private static HandleBox? Remove(nint handle, HandleKind kind)
    {
        ulong value = (ulong)handle;
        if ((HandleKind)(byte)value != kind) return null;
        ulong index = value >> 32;
        uint generation = (uint)(value >> 8) & GenerationMask;
        lock (Gate)
        {
            if (index >= (ulong)_used) return null;
            var slot = _slots[(int)index];
            if (slot is null || slot.Generation != generation || slot.Kind != kind || slot.Box is null) return null;
            Volatile.Write(ref _slots[(int)index], new Slot(generation, kind, null));
            FreeSlots.Enqueue((int)index);
            return slot.Box;
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
        HandleKind.ActivityTable => "auki_activity_table",
        HandleKind.FoxgloveServer => "auki_foxglove_server",
        _ => null,
    };

    private static AukiException NullHandle(HandleKind kind) =>
        new(AukiErrorCode.InvalidArgument, $"{CName(kind)} handle must not be NULL");

    /// <summary>The error for a handle that was freed.</summary>
    public static AukiException FreedError(HandleKind kind) =>
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
    public static Auki.Sessions.Peer Peer(nint handle) => HandleTable.Target<Auki.Sessions.Peer>(handle, HandleKind.Peer);
    public static Auki.Sessions.Session Session(nint handle) => HandleTable.Target<Auki.Sessions.Session>(handle, HandleKind.Session);
    public static Auki.Sessions.LogHandle Log(nint handle) => HandleTable.Target<Auki.Sessions.LogHandle>(handle, HandleKind.Log);

    // Peers, sessions and log handles are shared (a session keeps its peer, a log its session): freeing
    // the handle forgets it and leaves the object to the others.
    public static nint New(Auki.Sessions.Peer peer) => HandleTable.Add(HandleKind.Peer, peer);
    public static nint New(Auki.Sessions.Session session) => HandleTable.Add(HandleKind.Session, session);
    public static nint New(Auki.Sessions.LogHandle log) => HandleTable.Add(HandleKind.Log, log);
}
