using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Auki.Datatypes;
using Auki.Diagnostics;
using Auki.Domains;
using Auki.Json;
using Auki.Native.Interop;

namespace Auki.Native.Exports;

/// <summary>
/// The "Typed payloads" section of auki.h: which upstream message a log carries, typed appends,
/// one payload as canonical JSON, the pose message, and the warnings channel.
/// </summary>
internal static unsafe class PayloadExports
{
    [UnmanagedCallersOnly(EntryPoint = "auki_log_payload_type")]
    public static int PayloadType(nint log, byte** output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            if (Handles.Log(log).PayloadType is { } type) OutStrings.Set(output, type.FullName);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_frame_layout")]
    public static int FrameLayout(nint log, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            if (Handles.Log(log).FrameLayout is { } layout) OutStrings.Set(outJson, CanonicalJson.Serialize(layout.ToJson()));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_append_typed")]
    public static int AppendTyped(nint log, long timestampNs, byte* data, nuint len)
    {
        try
        {
            Handles.Log(log).AppendTyped(timestampNs, Span(data, len));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_payload_to_json")]
    public static int ToJson(byte* type, byte* data, nuint len, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var descriptor = PayloadTypes.Require(Utf8Args.Required(type, "type"));
            OutStrings.Set(outJson, PayloadJson.Serialize(descriptor, Span(data, len)));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_spatial_transform_encode")]
    public static int SpatialTransformEncode(double* values, byte* output, nuint* outLen)
    {
        try
        {
            Guard.NotNull(values, "values");
            Guard.NotNull(output, "out");
            Guard.NotNull(outLen, "out_len");
            *outLen = (nuint)new PoseTransform(values[0], values[1], values[2], values[3], values[4], values[5], values[6])
                .Encode(new Span<byte>(output, PoseTransform.MaxPayloadSize));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_spatial_transform_decode")]
    public static int SpatialTransformDecode(byte* data, nuint len, double* values)
    {
        try
        {
            Guard.NotNull(values, "values");
            var t = PoseTransform.Decode(Span(data, len));
            values[0] = t.Tx; values[1] = t.Ty; values[2] = t.Tz;
            values[3] = t.Qx; values[4] = t.Qy; values[5] = t.Qz; values[6] = t.Qw;
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_warnings_take")]
    public static int WarningsTake(byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var array = new JsonArray();
            foreach (var w in Warnings.Take()) array.Add((JsonNode?)JsonValue.Create(w));
            OutStrings.Set(outJson, CanonicalJson.Serialize(array));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_warnings_set_stderr")]
    public static int WarningsSetStderr(int enabled)
    {
        Warnings.ToStderr = enabled != 0;
        return LastError.Ok();
    }

    private static ReadOnlySpan<byte> Span(byte* data, nuint len)
    {
        if (len > int.MaxValue) throw new AukiException(AukiErrorCode.Overflow, "len must be smaller than 2 GiB");
        if (data == null && len != 0) throw Guard.NullArgument("data");
        return new ReadOnlySpan<byte>(data, (int)len);
    }
}
