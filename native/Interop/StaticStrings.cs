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

    private static byte* Pointer(ReadOnlySpan<byte> literal) =>
        (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(literal));
}
