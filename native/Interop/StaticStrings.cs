using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Auki.Native.Interop;

/// <summary>
/// NUL-terminated strings the library hands out borrowed for its whole lifetime. They are UTF-8
/// literals stored in the image's read-only data, so their addresses never move and nothing is
/// allocated or freed.
/// </summary>
internal static unsafe class StaticStrings
{
    /// <summary>"".</summary>
    public static byte* Empty => Pointer("\0"u8);

    /// <summary>The library version, "0.1.0" (Directory.Build.props Version).</summary>
    public static byte* Version => Pointer("0.1.0\0"u8);

    /// <summary>What a status code means, in a few words (sqlite3_errstr style); unknown codes say so.</summary>
    public static byte* ErrorName(int code) => Pointer((AukiErrorCode)code switch
    {
        AukiErrorCode.Ok => "ok\0"u8,
        AukiErrorCode.InvalidArgument => "invalid argument\0"u8,
        AukiErrorCode.Io => "I/O error\0"u8,
        AukiErrorCode.NotFound => "not found\0"u8,
        AukiErrorCode.NotImplemented => "not implemented\0"u8,
        AukiErrorCode.Closed => "closed\0"u8,
        AukiErrorCode.Busy => "busy: held by another writer\0"u8,
        AukiErrorCode.Corrupt => "corrupt data\0"u8,
        AukiErrorCode.Timeout => "timed out\0"u8,
        AukiErrorCode.BufferTooSmall => "buffer too small\0"u8,
        AukiErrorCode.Overflow => "integer out of range\0"u8,
        AukiErrorCode.Internal => "internal error (a bug in libauki)\0"u8,
        _ => "unknown status code\0"u8,
    });

    private static byte* Pointer(ReadOnlySpan<byte> literal) =>
        (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(literal));
}
