using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Logs;

/// <summary>
/// What a reader learns about a log directory in one look, as the C ABI's <c>auki_log_info</c>
/// hands it out: <c>{"manifest","segment_starts","bytes","entries","min_timestamp_ns","max_timestamp_ns"}</c>,
/// plus <c>first_timestamp_ns</c>/<c>last_timestamp_ns</c>, the same values under their ABI 2.0 names
/// (kept for 2.0 callers until ABI 3; docs/names.md).
/// </summary>
public static class LogInfo
{
    /// <summary>
    /// <see cref="Describe"/> as canonical JSON (the bytes <c>CanonicalJson.Serialize(Describe(root))</c>
    /// gives), written directly: a log of 36,000 segments does not build 36,000 JSON nodes first.
    /// </summary>
    public static byte[] DescribeCanonicalJson(string root)
    {
        var reader = LogReader.Open(root);
        var stats = LogStats.Compute(root);
        var output = new ArrayBufferWriter<byte>(256 + 21 * reader.SegmentStarts.Count);
        using (var writer = new Utf8JsonWriter(output))
        {
            // Keys in canonical (ordinal) order.
            writer.WriteStartObject();
            writer.WriteNumber("bytes", stats.Bytes);
            writer.WriteNumber("entries", stats.Entries);
            WriteNullable(writer, "first_timestamp_ns", stats.FirstTimestampNs);
            WriteNullable(writer, "last_timestamp_ns", stats.LastTimestampNs);
            writer.WritePropertyName("manifest");
            writer.WriteRawValue(CanonicalJson.Serialize(reader.Manifest), skipInputValidation: true);
            WriteNullable(writer, "max_timestamp_ns", stats.LastTimestampNs);
            WriteNullable(writer, "min_timestamp_ns", stats.FirstTimestampNs);
            writer.WritePropertyName("segment_starts");
            WriteNumberArray(writer, reader.SegmentStarts);
            writer.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// <c>[a,b,…]</c> formatted straight into bytes: Utf8JsonWriter spends ~60 ns per number on
    /// separators and state, which is most of a <c>log_info</c> of 36,000 segments.
    /// </summary>
    private static void WriteNumberArray(Utf8JsonWriter writer, IReadOnlyList<long> values)
    {
        var bytes = new byte[2 + 21 * values.Count];
        int pos = 0;
        bytes[pos++] = (byte)'[';
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0) bytes[pos++] = (byte)',';
            values[i].TryFormat(bytes.AsSpan(pos), out int written, default, System.Globalization.CultureInfo.InvariantCulture);
            pos += written;
        }
        bytes[pos++] = (byte)']';
        writer.WriteRawValue(bytes.AsSpan(0, pos), skipInputValidation: true);
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is long v) writer.WriteNumber(name, v);
        else writer.WriteNull(name);
    }

    /// <summary>
    /// Describe the log at <paramref name="root"/>: its manifest, the segments present now and the
    /// totals of <see cref="LogStats.Compute"/> (timestamps null for an empty log). Errors as
    /// <see cref="LogReader.Open"/> and <see cref="LogStats.Compute"/>.
    /// </summary>
    public static JsonObject Describe(string root)
    {
        var reader = LogReader.Open(root);
        var stats = LogStats.Compute(root);
        var starts = new JsonArray();
        foreach (long start in reader.SegmentStarts) starts.Add((JsonNode)JsonValue.Create(start));
        return new JsonObject
        {
            ["manifest"] = reader.Manifest,
            ["segment_starts"] = starts,
            ["bytes"] = stats.Bytes,
            ["entries"] = stats.Entries,
            ["min_timestamp_ns"] = stats.FirstTimestampNs,
            ["max_timestamp_ns"] = stats.LastTimestampNs,
            ["first_timestamp_ns"] = stats.FirstTimestampNs,
            ["last_timestamp_ns"] = stats.LastTimestampNs,
        };
    }
}
