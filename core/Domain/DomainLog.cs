namespace Auki.Domains;

/// <summary>
/// Where the domain reports what a user cannot otherwise see happening: connections lost and
/// restored, reconnect and stream retries, streams that stall or end. One process-wide sink (the C
/// ABI's <c>auki_log_set_callback</c>; Python forwards it to <c>logging.getLogger("auki")</c>);
/// levels are Python's (10 debug, 20 info, 30 warning, 40 error). A sink that throws is ignored.
/// </summary>
public static class DomainLog
{
    /// <summary>Python's DEBUG.</summary>
    public const int Debug = 10;
    /// <summary>Python's INFO.</summary>
    public const int Info = 20;
    /// <summary>Python's WARNING.</summary>
    public const int Warning = 30;

    private static Action<int, string>? s_sink;

    /// <summary>Receive every event from now on (null: stop). Called on pool threads; must not block.</summary>
    public static void SetSink(Action<int, string>? sink) => Volatile.Write(ref s_sink, sink);

    internal static void Write(int level, string message)
    {
        var sink = Volatile.Read(ref s_sink);
        if (sink is null) return;
        try { sink(level, message); }
        catch (Exception) { /* a logger must never take the domain down */ }
    }
}
