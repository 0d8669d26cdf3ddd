namespace Auki.Threading;

/// <summary>
/// Serializes calls on one object (a C handle, a session log's writer) for the price of one
/// compare-exchange to enter and one store to leave. <see cref="Lock"/> reads the managed thread
/// id on enter and on exit, and in libauki that is thread-local storage behind a
/// <c>__tls_get_addr</c> call: a third of a 16-byte append's time. Calls on one object rarely
/// overlap, so contention spins briefly and then sleeps in 1 ms steps (<see cref="SpinWait"/>);
/// the one long holder, a tail's wait, polls and is ended by freeing its handle.
/// Not reentrant (nothing holding a gate calls back into libauki on the same object).
/// </summary>
internal sealed class CallGate
{
    private int _held;

    /// <summary>Enter, waiting for the call in progress if any; dispose the scope to leave.</summary>
    public Scope Enter()
    {
        if (Interlocked.CompareExchange(ref _held, 1, 0) != 0) WaitAndEnter();
        return new Scope(this);
    }

    private void WaitAndEnter()
    {
        var spin = new SpinWait();
        do spin.SpinOnce();
        while (Volatile.Read(ref _held) != 0 || Interlocked.CompareExchange(ref _held, 1, 0) != 0);
    }

    /// <summary>Leave (only the holder calls this, once per <see cref="Enter"/>).</summary>
    public void Exit() => Volatile.Write(ref _held, 0);

    /// <summary>Leaves the gate when disposed (<c>using (gate.Enter()) …</c>).</summary>
    public readonly ref struct Scope
    {
        private readonly CallGate _gate;

        internal Scope(CallGate gate) => _gate = gate;

        public void Dispose() => _gate.Exit();
    }
}
