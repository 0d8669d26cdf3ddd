using System.Runtime.InteropServices;
using System.Text;

namespace Auki.Native.Interop;

/// <summary>
/// Results handed to C. <c>char **out</c> strings are fresh NativeMemory (malloc) copies, UTF-8 +
/// NUL, owned by the caller and released with auki_string_free. Fixed-size outputs (hash, ULID)
/// are written into the caller's buffer. Callers first <see cref="Begin"/> an out-param (NULL
/// check, then <c>*out = NULL</c>), do the work, then <see cref="Set(byte**, string)"/> it.
/// </summary>
internal static unsafe class OutStrings
{
    /// <summary>Check a <c>char **</c> out-param and clear it, before any work is done.</summary>
    public static void Begin(byte** output, string param)
    {
        if (output == null) throw Guard.NullArgument(param);
        *output = null;
    }

    /// <summary>Check a handle out-param and clear it, before any work is done.</summary>
    public static void Begin(nint* output, string param)
    {
        if (output == null) throw Guard.NullArgument(param);
        *output = 0;
    }

    /// <summary>Store a caller-owned UTF-8 copy of <paramref name="value"/>.</summary>
    public static void Set(byte** output, string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        byte* copy = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(value, new Span<byte>(copy, length));
        copy[length] = 0;
        *output = copy;
    }

    /// <summary>Store a caller-owned copy of UTF-8 <paramref name="utf8"/> bytes.</summary>
    public static void Set(byte** output, ReadOnlySpan<byte> utf8)
    {
        byte* copy = (byte*)NativeMemory.Alloc((nuint)utf8.Length + 1);
        utf8.CopyTo(new Span<byte>(copy, utf8.Length));
        copy[utf8.Length] = 0;
        *output = copy;
    }

    /// <summary>Release a string from <see cref="Set(byte**, string)"/>; NULL is a no-op.</summary>
    public static void Free(byte* s) => NativeMemory.Free(s);

    /// <summary>Write an ASCII value (hash: 32 chars, ULID: 26 chars) and a NUL into a caller buffer of at least value.Length + 1 bytes.</summary>
    public static void WriteFixed(byte* buffer, string ascii)
    {
        for (int i = 0; i < ascii.Length; i++) buffer[i] = (byte)ascii[i];
        buffer[ascii.Length] = 0;
    }
}
