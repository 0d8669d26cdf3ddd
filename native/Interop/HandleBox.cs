using System.Runtime.InteropServices;
using Auki.Threading;

namespace Auki.Native.Interop;

/// <summary>
/// What every handle holds, whatever its kind — one lifecycle for all of them:
/// <list type="bullet">
/// <item>the core object (<see cref="Target"/>);</item>
/// <item><see cref="Gate"/>, the lock that serializes calls on the handle, as auki.h promises. Exports take
/// it with <see cref="Enter"/>, which also refuses a handle freed while the caller waited; targets that
/// serialize themselves (a session log's data) are called without it, so a call takes one lock at most;</item>
/// <item>a pinned-view slot: a payload handed out as a borrowed pointer stays pinned until the next
/// call on the handle or its free (<see cref="Pin"/>);</item>
/// <item><see cref="Freed"/>, cancelled first when the handle is freed, so a wait in progress on another
/// thread ends within its poll interval and the free does not block behind it;</item>
/// <item>the release the one free path runs exactly once (<see cref="HandleTable.Free"/>).</item>
/// </list>
/// </summary>
internal sealed class HandleBox
{
    private readonly Action<object>? _release;
    private readonly Action<object>? _interrupt;
    private CancellationTokenSource? _freed;
    private GCHandle _pin;
    private bool _released;
    private int _freeing; // 1 once the free path started (Interlocked: pairs with the token's creation)

    /// <param name="target">The core object.</param>
    /// <param name="release">What freeing the handle does to it (null: nothing; peers, sessions and log
    /// handles are shared with other handles and live on).</param>
    /// <param name="interrupt">For targets whose waits take no token: what ends a wait in progress, run
    /// before the free path waits for the gate (a stream's Dispose).</param>
    public HandleBox(object target, Action<object>? release = null, Action<object>? interrupt = null)
    {
        Target = target;
        _release = release;
        _interrupt = interrupt;
    }

    /// <summary>The core object this handle names.</summary>
    public object Target { get; }

    /// <summary>Serializes calls on this handle (one compare-exchange per call, see <see cref="CallGate"/>).</summary>
    public CallGate Gate { get; } = new();

    /// <summary>Cancelled when the handle is freed: pass it to waits.</summary>
    public CancellationToken Freed
    {
        get
        {
            // Not under Gate: the free path cancels it while a waiter holds the gate.
            var source = Volatile.Read(ref _freed);
            if (source is null)
            {
                var fresh = new CancellationTokenSource();
                source = Interlocked.CompareExchange(ref _freed, fresh, null) ?? fresh;
            }
            // Made after the free path looked for it: cancel it here, or a waiter would never wake.
            if (Volatile.Read(ref _freeing) != 0) source.Cancel();
            return source.Token;
        }
    }

    /// <summary>Take the handle's lock for one call; a handle freed meanwhile is an error, not a use-after-free.</summary>
    public CallGate.Scope Enter(HandleKind kind)
    {
        var scope = Gate.Enter();
        if (_released)
        {
            scope.Dispose();
            throw HandleTable.FreedError(kind);
        }
        return scope;
    }

    /// <summary>Pin <paramref name="array"/> as the handle's one borrowed view (the previous one is unpinned); under <see cref="Gate"/>.</summary>
    public unsafe byte* Pin(byte[] array)
    {
        Unpin();
        _pin = GCHandle.Alloc(array, GCHandleType.Pinned);
        return (byte*)_pin.AddrOfPinnedObject();
    }

    /// <summary>End the borrowed view handed out by the last call; under <see cref="Gate"/>.</summary>
    public void Unpin()
    {
        if (_pin.IsAllocated) _pin.Free();
    }

    /// <summary>The free path: wake waiters, then, once no call is in progress, release the target and the pin.</summary>
    internal void Release()
    {
        Interlocked.Exchange(ref _freeing, 1);
        Volatile.Read(ref _freed)?.Cancel();
        _interrupt?.Invoke(Target);
        using (Gate.Enter())
        {
            if (_released) return;
            _released = true;
            try
            {
                _release?.Invoke(Target);
            }
            finally
            {
                Unpin();
            }
        }
    }
}
