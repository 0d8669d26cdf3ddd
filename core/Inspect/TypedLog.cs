using System.Text;
using System.Text.Json.Nodes;
using Auki.Datatypes;
using Auki.Json;
using Google.Protobuf.Reflection;

namespace Auki.Inspect;

/// <summary>
/// What a recorded log's entries are, for tools that read a store (<c>auki cat</c>, <c>auki verify
/// --payloads</c>): the message type from the log's kind and its sensor's registry entry, and the
/// camera layout its frames must fit. A log without a known type is opaque bytes.
/// </summary>
public sealed class TypedLog
{
    private TypedLog(StoreLog log, MessageDescriptor? type, CameraLayout? layout)
    {
        Log = log;
        Type = type;
        Layout = layout;
    }

    /// <summary>The log as the store walker found it.</summary>
    public StoreLog Log { get; }

    /// <summary>The message type of its entries, or null when they are opaque.</summary>
    public MessageDescriptor? Type { get; }

    /// <summary>The camera layout raw frames are checked against, or null.</summary>
    public CameraLayout? Layout { get; }

    /// <summary>The type of a log the walker described (its sensor entry read from the store).</summary>
    public static TypedLog Of(StoreLog log)
    {
        // A log whose manifest names a kind this version does not know is opaque, not an error.
        MessageDescriptor? type;
        try { type = TypedPayloads.Of(log.Kind, log.SensorEntry); }
        catch (AukiException) { type = null; }
        var layout = log.Kind == "sensor" ? CameraLayout.Of(log.SensorEntry) : null;
        return new TypedLog(log, type, layout);
    }

    /// <summary>
    /// A log directory on its own (<c>auki cat LOG</c>): the storage root is found above it (the
    /// directory holding <c>registries/</c> over its <c>logs/</c>), so a sensor log's type can be read.
    /// </summary>
    public static TypedLog Open(string logDir)
    {
        string dir = Path.GetFullPath(logDir);
        string root = RootOf(dir) ?? Path.GetDirectoryName(dir) ?? dir;
        return Of(StoreWalker.Describe(root, dir, scanSegments: false));
    }

    // ROOT/logs/<peer>/<rid> (era A) or ROOT/<session>/logs/<peer>/<rid> (era C); a resource id may nest.
    private static string? RootOf(string dir)
    {
        for (var d = Path.GetDirectoryName(dir); d is not null; d = Path.GetDirectoryName(d))
        {
            if (Path.GetFileName(d) != "logs") continue;
            foreach (var candidate in new[] { Path.GetDirectoryName(d), Path.GetDirectoryName(Path.GetDirectoryName(d) ?? "") })
                if (candidate is not null && Directory.Exists(Path.Combine(candidate, "registries"))) return candidate;
        }
        return null;
    }

    /// <summary>
    /// One entry as a JSON line, <c>{"message":{…},"timestamp_ns":N}</c> (canonical JSON, the
    /// message in proto3 JSON form); InvalidArgument saying why when it does not decode as <see cref="Type"/>.
    /// </summary>
    public string JsonLine(long timestampNs, ReadOnlySpan<byte> payload)
    {
        if (Type is null) throw new InvalidOperationException("an untyped log has no JSON form");
        var message = PayloadJson.ToJson(Type, payload); // decodes once; the frame size is checked after
        if (Layout is not null && Type == Datatypes.Camera.CameraFrame.Descriptor) Layout.CheckFrame(TypedPayloads.FrameLength(payload));
        var line = new JsonObject { ["message"] = message, ["timestamp_ns"] = timestampNs };
        return Encoding.UTF8.GetString(CanonicalJson.Serialize(line));
    }

    /// <summary>Why <paramref name="payload"/> is not an entry of this log (decode, then raw frame size), or null when it is.</summary>
    public string? Problem(ReadOnlySpan<byte> payload)
    {
        try { Check(payload); return null; }
        catch (AukiException e) { return e.Message; }
    }

    private void Check(ReadOnlySpan<byte> payload) => TypedPayloads.Check(Type, Layout, payload);
}
