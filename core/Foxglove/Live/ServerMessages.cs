using System.Buffers;
using System.Text.Json;

namespace Auki.Foxglove.Live;

/// <summary>
/// The JSON messages the server sends (Foxglove WebSocket protocol v1, server → client), written
/// with <see cref="Utf8JsonWriter"/>: no reflection, one buffer per message.
/// </summary>
internal static class ServerMessages
{
    /// <summary>Status levels of the <c>status</c> message.</summary>
    public const int Info = 0, Warning = 1, Error = 2;

    /// <summary><c>serverInfo</c>: sent first on every connection. No capabilities: the server only publishes.</summary>
    public static byte[] ServerInfo(string name, string sessionId, string root) => Write(w =>
    {
        w.WriteString("op", "serverInfo");
        w.WriteString("name", name);
        w.WriteStartArray("capabilities");
        w.WriteEndArray();
        w.WriteStartArray("supportedEncodings");
        w.WriteEndArray();
        w.WriteStartObject("metadata");
        w.WriteString("root", root);
        w.WriteEndObject();
        w.WriteString("sessionId", sessionId);
    });

    /// <summary>
    /// <c>advertise</c> for <paramref name="channels"/>: protobuf schemas as base64 of their
    /// FileDescriptorSet (the protocol's rule for binary schemas), no schema as an empty string.
    /// </summary>
    public static byte[] Advertise(IEnumerable<LiveChannel> channels) => Write(w =>
    {
        w.WriteString("op", "advertise");
        w.WriteStartArray("channels");
        foreach (var c in channels)
        {
            w.WriteStartObject();
            w.WriteNumber("id", c.Id);
            w.WriteString("topic", c.Channel.Topic);
            w.WriteString("encoding", c.Channel.MessageEncoding);
            var schema = c.Channel.Schema;
            w.WriteString("schemaName", schema?.Name ?? "");
            w.WriteString("schema", schema is null ? "" : Convert.ToBase64String(schema.Data));
            if (schema is not null) w.WriteString("schemaEncoding", schema.Encoding);
            w.WriteStartObject("metadata");
            foreach (var (key, value) in c.Channel.Metadata) w.WriteString(key, value);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    /// <summary><c>unadvertise</c>: the channels of a log that went away.</summary>
    public static byte[] Unadvertise(IEnumerable<uint> channelIds) => Write(w =>
    {
        w.WriteString("op", "unadvertise");
        w.WriteStartArray("channelIds");
        foreach (uint id in channelIds) w.WriteNumberValue(id);
        w.WriteEndArray();
    });

    /// <summary><c>status</c>: shown by the app; a later status with the same <paramref name="id"/> replaces it.</summary>
    public static byte[] Status(int level, string message, string? id = null) => Write(w =>
    {
        w.WriteString("op", "status");
        w.WriteNumber("level", level);
        w.WriteString("message", message);
        if (id is not null) w.WriteString("id", id);
    });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
