using Auki.Threading;

namespace Auki.Core.Tests.Threading;

/// <summary>The gate that serializes calls on one handle or session log: one holder at a time, waiters get in once it leaves.</summary>
public class CallGateTests
{
    private sealed class Counter
    {
        public long Value;
    }

    [Fact]
    public void Calls_from_many_threads_never_overlap()
    {
        var gate = new CallGate();
        var counter = new Counter();
        int inside = 0, overlaps = 0;
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                using (gate.Enter())
                {
                    if (Interlocked.Increment(ref inside) != 1) Interlocked.Increment(ref overlaps);
                    counter.Value++; // not atomic: only correct if the gate excludes the others
                    Interlocked.Decrement(ref inside);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(0, overlaps);
        Assert.Equal(80_000, counter.Value);
    }

    [Fact]
    public void A_waiting_call_enters_once_the_holder_leaves()
    {
        var gate = new CallGate();
        var entered = new ManualResetEventSlim();
        var scope = gate.Enter();
        var waiter = new Thread(() =>
        {
            using (gate.Enter()) entered.Set();
        });
        waiter.Start();
        Assert.False(entered.Wait(50)); // held: the waiter cannot get in
        scope.Dispose();
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)));
        waiter.Join();
    }
}
