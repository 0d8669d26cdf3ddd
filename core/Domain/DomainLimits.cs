namespace Auki.Domains;

/// <summary>
/// What one remote peer (or anyone on the broker: membership is not authenticated) can cost this
/// one: the bounds docs/domains.md ("Limits") states and why. Messages over a size bound are dropped
/// before they are copied or parsed; stream requests over a count bound get a Decline with the reason.
/// </summary>
internal static class DomainLimits
{
    /// <summary>Largest payload of a stream entry a server sends or a reader takes (camera frames are a few MB).</summary>
    public const int MaxEntryBytes = 64 * 1024 * 1024;

    /// <summary>Largest chunk size a member may configure (<see cref="DomainConfig.ChunkBytes"/>); entries above the chunk size travel in chunks.</summary>
    public const int MaxChunkBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Largest stream message: a batch of small entries (up to 64 KiB) plus one entry of at most
    /// <see cref="MaxChunkBytes"/>, or one chunk. Bigger entries arrive in chunks, so no single message
    /// (and no single MQTT packet ahead of control traffic) is ever camera-frame sized.
    /// </summary>
    public const int MaxStreamMessageBytes = StreamServer.MaxBatchBytes + MaxChunkBytes + 2 * StreamProtocol.EntryHeaderSize + StreamProtocol.BatchHeaderSize;

    /// <summary>
    /// Credit a reader grants a stream beyond what it consumed: the bytes of Entries and Chunk messages a
    /// server may have sent and not yet seen consumed. At least one whole entry of <see cref="MaxEntryBytes"/>
    /// in chunks, since an entry's chunks are released only once the whole entry is taken.
    /// </summary>
    public const long StreamWindowBytes = MaxEntryBytes + 2L * 1024 * 1024;

    /// <summary>
    /// Credit a reader grants a stream on the small lane. A server that would need more — an entry above the
    /// chunk size, or a backlog the reader has not taken — moves the stream to the bulk lane (MoveToBulk), so the
    /// small lane never queues more than this per stream in the broker, and a new stream's Accept and first
    /// entries never wait behind a camera's frames.
    /// </summary>
    public const long SmallStreamWindowBytes = 1024 * 1024;

    /// <summary>MQTT 5 Maximum Packet Size announced at connect: the broker does not deliver bigger packets at all.</summary>
    public const uint MaxPacketBytes = MaxStreamMessageBytes + 64 * 1024;

    /// <summary>Largest retained catalog accepted (about 1,500 rows of a typical size).</summary>
    public const int MaxCatalogBytes = 1024 * 1024;

    /// <summary>Most rows one catalog may hold.</summary>
    public const int MaxCatalogRows = 1024;

    /// <summary>Largest registry reply (registry entries are small JSON documents).</summary>
    public const int MaxReplyBytes = 1024 * 1024;

    /// <summary>Largest registry request, stream request or stream control message (a few hundred bytes in practice).</summary>
    public const int MaxRequestBytes = 16 * 1024;

    /// <summary>Streams this peer serves to one requester at once (each holds a file descriptor and a read buffer).</summary>
    public const int MaxStreamsPerRequester = 32;

    /// <summary>Streams this peer serves at once, all requesters together.</summary>
    public const int MaxStreams = 128;

    /// <summary>A served stream whose requester sent no acknowledgement for this long is ended.</summary>
    public static readonly TimeSpan StreamIdleExpiry = TimeSpan.FromSeconds(15);

    /// <summary>How often a reader acknowledges (again) while it has nothing new to acknowledge, to keep its streams alive.</summary>
    public static readonly TimeSpan StreamHeartbeat = TimeSpan.FromSeconds(5);

    /// <summary>Decline reasons for a count bound start with this (readers report them as Busy, not NotFound).</summary>
    public const string BusyReason = "too many open streams";
}
