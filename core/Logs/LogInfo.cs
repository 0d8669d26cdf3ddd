using System.Buffers;
using System.Buffers.Text;
using System.Numerics;
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
        // Everything before the segment starts' array, through Utf8JsonWriter (a few hundred bytes).
        var head = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(head))
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
            writer.Flush(); // the object stays open: its last value and '}' follow below
        }
        // The result is allocated once at its exact length and left uncleared: at 36,000 segments it
        // is ~750 KB, and each further array of that size (a buffer to format into, a copy of it)
        // was a share of what grows a new process's heap at its first log_info.
        var starts = reader.SegmentStartsArray;
        var json = GC.AllocateUninitializedArray<byte>(head.WrittenCount + NumberArrayLength(starts) + 1);
        head.WrittenSpan.CopyTo(json);
        int end = head.WrittenCount + WriteNumberArray(json.AsSpan(head.WrittenCount), starts);
        json[end] = (byte)'}';
        return json;
    }

    /// <summary>Bytes of <c>[a,b,…]</c> for <paramref name="values"/>.</summary>
    private static int NumberArrayLength(long[] values)
    {
        int length = 2 + Math.Max(0, values.Length - 1);
        for (int i = 0; i < values.Length; i++) length += DecimalLength(values[i]);
        return length;
    }

    /// <summary>10^0 … 10^19.</summary>
    private static ReadOnlySpan<ulong> PowersOf10 =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ];

    /// <summary>Characters of <paramref name="value"/> in decimal, sign included (no division per digit).</summary>
    private static int DecimalLength(long value)
    {
        ulong magnitude = value < 0 ? (ulong)(-(value + 1)) + 1 : (ulong)value;
        int sign = value < 0 ? 1 : 0;
        if (magnitude == 0) return 1;
        int digits = ((BitOperations.Log2(magnitude) + 1) * 1233) >> 12; // ⌊log10 2^bits⌋: digits, or one short
        return sign + digits + (magnitude >= PowersOf10[digits] ? 1 : 0);
    }

    /// <summary>
    /// <c>[a,b,…]</c> formatted straight into bytes: Utf8JsonWriter spends ~60 ns per number on
    /// separators and state, which is most of a <c>log_info</c> of 36,000 segments.
    /// </summary>
    private static int WriteNumberArray(Span<byte> into, long[] values)
    {
        int pos = 0;
        into[pos++] = (byte)'[';
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) into[pos++] = (byte)',';
            if (!Utf8Formatter.TryFormat(values[i], into[pos..], out int written)) throw new InvalidOperationException("segment starts outgrew their measured length");
            pos += written;
        }
        into[pos++] = (byte)']';
        return pos;
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
