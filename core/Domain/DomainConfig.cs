using System.Globalization;
using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Domains;

/// <summary>
/// How to join a domain: its id and the MQTT 5 broker that carries it, plus the bounded waits.
/// JSON (C ABI, Python): <c>{"domain_id", "broker": "mqtt://host:port", "connect_timeout_ms",
/// "request_timeout_ms", "catalog_interval_ms", "keep_alive_s", "chunk_bytes", "username", "password"}</c>.
/// </summary>
public sealed record DomainConfig(string DomainId, string Broker)
{
    /// <summary>Upstream's era-A text for a join without a libp2p swarm (kept for configs that name no broker).</summary>
    public const string JoinWithoutBroker =
        "join_domain is not yet supported from Python: requires a pre-built libp2p swarm (DomainConfig). " +
        "Use the Rust API or wait for a future Python binding.";

    /// <summary>Upstream's era-A text for leave_domain without a joined domain.</summary>
    public const string LeaveWithoutDomain =
        "leave_domain is not yet supported from Python: requires an active libp2p ClusterManager. " +
        "Use the Rust API or wait for a future Python binding.";

    /// <summary>How long a join waits for the broker before failing (nothing is written then).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The budget of every blocking call (peers, catalog fetch and watch, registry fetch, stream open,
    /// materialize, static transform, refresh, leave): it returns within it, with Timeout when the broker or
    /// the peer did not answer in time. Longer values than <see cref="Timeouts.MaxWait"/> are capped.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often this peer's catalog is re-measured and, when it changed, republished.</summary>
    public TimeSpan CatalogInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>MQTT keep-alive: a peer whose process hangs is dropped (its last will fires) after 1.5x this.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Entries this peer serves that are larger than this travel in chunks of this size (at most
    /// <see cref="DomainLimits.MaxChunkBytes"/>), so one camera frame never holds up other messages for long.
    /// </summary>
    public int ChunkBytes { get; init; } = DefaultChunkBytes;

    /// <summary>Default <see cref="ChunkBytes"/>: 256 KiB moved fastest through mosquitto on 127.0.0.1 (docs/benchmarks.md).</summary>
    public const int DefaultChunkBytes = 256 * 1024;

    /// <summary>Optional broker credentials.</summary>
    public string? Username { get; init; }

    /// <summary>Optional broker credentials.</summary>
    public string? Password { get; init; }

    /// <summary>Broker host from <see cref="Broker"/>.</summary>
    public string Host => ParseBroker(Broker).Host;

    /// <summary>Broker port from <see cref="Broker"/> (1883 when not given).</summary>
    public int Port => ParseBroker(Broker).Port;

    /// <summary>
    /// Parse the JSON form. A config without a broker is upstream's libp2p configuration, which
    /// this library cannot join: NotImplemented with upstream's era-A text.
    /// </summary>
    public static DomainConfig FromJson(JsonNode? node)
    {
        var f = JsonFields.Of(node, "struct DomainConfig");
        string? broker = f.OptionalString("broker");
        if (string.IsNullOrEmpty(broker)) throw AukiException.NotImplemented(JoinWithoutBroker);
        string domainId = f.String("domain_id");
        var config = new DomainConfig(domainId, broker)
        {
            Username = f.OptionalString("username"),
            Password = f.OptionalString("password"),
        };
        if (Millis(f, "connect_timeout_ms") is TimeSpan c) config = config with { ConnectTimeout = c };
        if (Millis(f, "request_timeout_ms") is TimeSpan r) config = config with { RequestTimeout = r };
        if (Millis(f, "catalog_interval_ms") is TimeSpan i) config = config with { CatalogInterval = i };
        if (f.Has("chunk_bytes")) config = config with { ChunkBytes = (int)Math.Min(f.U32("chunk_bytes"), int.MaxValue) };
        if (f.Has("keep_alive_s")) config = config with { KeepAlive = TimeSpan.FromSeconds(f.U32("keep_alive_s")) };
        config.Validate();
        return config;
    }

    /// <summary>
    /// The defaults of the optional fields, in the JSON form's names: the one place they are
    /// written down (the Python DomainConfig takes its keyword defaults from here).
    /// </summary>
    public static JsonObject Defaults()
    {
        var o = new DomainConfig("", "mqtt://127.0.0.1").ToJson();
        o.Remove("domain_id");
        o.Remove("broker");
        return o;
    }

    /// <summary>The JSON form (password left out).</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["domain_id"] = DomainId,
            ["broker"] = Broker,
            ["connect_timeout_ms"] = (long)ConnectTimeout.TotalMilliseconds,
            ["request_timeout_ms"] = (long)RequestTimeout.TotalMilliseconds,
            ["catalog_interval_ms"] = (long)CatalogInterval.TotalMilliseconds,
            ["keep_alive_s"] = (long)KeepAlive.TotalSeconds,
            ["chunk_bytes"] = ChunkBytes,
        };
        if (Username is not null) o["username"] = Username;
        return o;
    }

    /// <summary>Check the id and the broker address.</summary>
    public void Validate()
    {
        if (DomainId.Length == 0) throw AukiException.Invalid("domain_id must not be empty");
        ParseBroker(Broker);
        if (ConnectTimeout <= TimeSpan.Zero) throw AukiException.Invalid("connect_timeout_ms must be greater than zero");
        if (RequestTimeout <= TimeSpan.Zero) throw AukiException.Invalid("request_timeout_ms must be greater than zero");
        if (CatalogInterval < TimeSpan.Zero) throw AukiException.Invalid("catalog_interval_ms must not be negative");
        if (ChunkBytes < 1024 || ChunkBytes > DomainLimits.MaxChunkBytes)
            throw AukiException.Invalid($"chunk_bytes must be between 1024 and {DomainLimits.MaxChunkBytes}");
        if (KeepAlive < TimeSpan.Zero || KeepAlive.TotalSeconds > ushort.MaxValue)
            throw AukiException.Invalid($"keep_alive_s must be between 0 and {ushort.MaxValue} (MQTT's limit)");
    }

    private static TimeSpan? Millis(JsonFields f, string key) =>
        f.Has(key) ? Timeouts.Wait(f.U32(key)) : null;

    /// <summary><c>mqtt://host[:port]</c> (also <c>tcp://</c>); IPv6 hosts in brackets.</summary>
    internal static (string Host, int Port) ParseBroker(string broker)
    {
        if (!Uri.TryCreate(broker, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "tcp") || uri.Host.Length == 0
            || (uri.AbsolutePath is not ("" or "/")) || uri.Query.Length > 0)
            throw AukiException.Invalid($"invalid broker {Ids.RustDebug.Str(broker)}: expected mqtt://host:port");
        int port = uri.IsDefaultPort || uri.Port < 0 ? 1883 : uri.Port;
        string host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
        return (host, port);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"DomainConfig({DomainId}, {Broker})");
}
