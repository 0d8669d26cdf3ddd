namespace Auki.Domains;

/// <summary>
/// The time budget of one blocking domain call (<see cref="DomainConfig.RequestTimeout"/> unless
/// said otherwise): every broker round trip, publish and wait inside the call runs under its
/// <see cref="Token"/>, so the call returns within the budget whatever the broker does (also when
/// it is frozen and the connection still looks alive) with one Timeout error.
/// </summary>
internal sealed class Deadline : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly long _endTicks;

    public Deadline(TimeSpan budget)
    {
        Budget = Timeouts.Cap(budget);
        _cts = new CancellationTokenSource(Budget);
        _endTicks = Environment.TickCount64 + (long)Math.Ceiling(Budget.TotalMilliseconds);
    }

    /// <summary>The whole budget.</summary>
    public TimeSpan Budget { get; }

    /// <summary>Cancelled when the budget is spent.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>What is left of the budget (zero once spent).</summary>
    public TimeSpan Remaining => TimeSpan.FromMilliseconds(Math.Max(0, _endTicks - Environment.TickCount64));

    public bool Expired => _cts.IsCancellationRequested || Environment.TickCount64 >= _endTicks;

    /// <summary>The error of a call that ran out of time; <paramref name="what"/> names the call.</summary>
    public AukiException Timeout(string what) =>
        new(AukiErrorCode.Timeout, $"{what}: no answer within {Timeouts.Seconds(Budget)} s (request_timeout)");

    /// <summary>Wait for <paramref name="task"/> within the budget; Timeout (naming <paramref name="what"/>) when it is spent.</summary>
    public void Wait(Task task, string what)
    {
        try
        {
            task.WaitAsync(Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (Expired)
        {
            throw Timeout(what);
        }
    }

    /// <inheritdoc cref="Wait(Task, string)"/>
    public T Wait<T>(Task<T> task, string what)
    {
        try
        {
            return task.WaitAsync(Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (Expired)
        {
            throw Timeout(what);
        }
    }

    public void Dispose() => _cts.Dispose();
}
