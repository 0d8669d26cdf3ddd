using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Auki.Native.Interop;

/// <summary>
/// The calling thread's last status (code + message), sqlite-style: every status-returning export
/// records its outcome, so after a success the code is AUKI_OK and the message "". The message is
/// kept as NUL-terminated UTF-8 in a pinned per-thread buffer, handed out borrowed until the
/// thread's next libauki call, and reclaimed by the GC when the thread ends.
/// </summary>
internal static unsafe class LastError
{
    [ThreadStatic] private static int _code;
    [ThreadStatic] private static byte[]? _message; // pinned; NUL-terminated; valid only while _code != Ok
    [ThreadStatic] private static byte[]? _field;   // pinned; NUL-terminated or null; valid only while _code != Ok

    /// <summary>Record success and return AUKI_OK.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Ok()
    {
        _code = 0;
        return 0;
    }

    /// <summary>Record a failure (and the input field it is about, if any) and return its code.</summary>
    public static int Fail(AukiErrorCode code, string message, string? field)
    {
        // Ok() stays one store: the field is only read while _code says failure, so it is reset here.
        _field = field is null ? null : Utf8Z(field);
        return Record(code, message);
    }

    private static byte[] Utf8Z(string s)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(Encoding.UTF8.GetByteCount(s) + 1, pinned: true);
        bytes[Encoding.UTF8.GetBytes(s, bytes)] = 0;
        return bytes;
    }

    /// <summary>Record a failure about no particular field and return its code.</summary>
    public static int Fail(AukiErrorCode code, string message) => Fail(code, message, null);

    private static int Record(AukiErrorCode code, string message)
    {
        int needed = Encoding.UTF8.GetByteCount(message) + 1;
        byte[]? buffer = _message;
        if (buffer is null || buffer.Length < needed)
            buffer = _message = GC.AllocateUninitializedArray<byte>(Math.Max(needed, 256), pinned: true);
        int written = Encoding.UTF8.GetBytes(message, buffer);
        buffer[written] = 0;
        _code = (int)code;
        return (int)code;
    }

    /// <summary>The field path of the last error as a borrowed NUL-terminated UTF-8 pointer ("" when none).</summary>
    public static byte* Field =>
        _code != 0 && _field is { } buffer
            ? (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer))
            : StaticStrings.Empty;

    /// <summary>The last code (0 when the last call succeeded or none was made).</summary>
    public static int Code => _code;

    /// <summary>The last message as a borrowed NUL-terminated UTF-8 pointer ("" after a success).</summary>
    public static byte* Message =>
        _code != 0 && _message is { } buffer
            ? (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer))
            : StaticStrings.Empty;
}
