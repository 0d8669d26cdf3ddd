using System.Globalization;

namespace Auki.Domains;

/// <summary>
/// The one conversion of caller-given waits (milliseconds from the C ABI, Python and the JSON config)
/// into <see cref="TimeSpan"/>s every wait primitive accepts: a wait longer than
/// <see cref="MaxWait"/> (about 24.8 days, the limit of <c>Monitor.Wait</c>, <c>Task.Wait</c> and timers)
/// is capped to it, so no timeout, however large, becomes an internal error.
/// </summary>
public static class Timeouts
{
    /// <summary>The longest finite wait: <c>int.MaxValue</c> milliseconds.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>A wait argument: negative means forever (null), otherwise the wait capped at <see cref="MaxWait"/>.</summary>
    public static TimeSpan? Wait(long milliseconds) =>
        milliseconds < 0 ? null : TimeSpan.FromMilliseconds(Math.Min(milliseconds, int.MaxValue));

    /// <summary>A <see cref="TimeSpan"/> given in code, capped at <see cref="MaxWait"/>.</summary>
    public static TimeSpan Cap(TimeSpan wait) => wait > MaxWait ? MaxWait : wait;

    /// <summary>Seconds as the messages print them (<c>3</c>, <c>0.25</c>).</summary>
    public static string Seconds(TimeSpan wait) => wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
