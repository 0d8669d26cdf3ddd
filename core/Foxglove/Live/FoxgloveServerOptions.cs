namespace Auki.Foxglove.Live;

/// <summary>How a <see cref="FoxgloveServer"/> listens and follows logs. The defaults suit a viewer on the same machine.</summary>
public sealed record FoxgloveServerOptions
{
    /// <summary>Foxglove's default port.</summary>
    public const int DefaultPort = 8765;

    /// <summary>The address to bind: loopback unless said otherwise (the server has no authentication).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one (read it back from <see cref="FoxgloveServer.Port"/>).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The name sent in <c>serverInfo</c>.</summary>
    public string Name { get; init; } = "auki";

    /// <summary>How often the logs are looked at for new entries when none came (a look at an idle log is a read and a stat).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>How often the root is walked for logs that appeared or went away.</summary>
    public TimeSpan DiscoveryInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Data frames one client may have waiting before its oldest are dropped (foxglove-sdk's backlog default).</summary>
    public int ClientQueueMessages { get; init; } = 1024;

    /// <summary>Bytes of data frames one client may have waiting before its oldest are dropped.</summary>
    public long ClientQueueBytes { get; init; } = 64L << 20;

    /// <summary>Told about what the server skips or cannot do (a log it cannot map, an entry that does not convert); may be null.</summary>
    public Action<string>? OnProblem { get; init; }
}
