using System.Runtime.CompilerServices;

namespace Auki.Native.Interop;

/// <summary>
/// The one conversion of the ABI's numeric arguments, so every export treats them alike:
/// waits and poll intervals are capped (a wait however long is a wait, never an internal error),
/// upper bounds on what a call returns (max_entries, limit) are capped (returning fewer is always
/// allowed), and counts and lengths that describe the caller's memory are refused when no span can
/// hold them (AUKI_ERR_OVERFLOW naming the argument).
/// </summary>
internal static unsafe class Args
{
    /// <summary>A wait in ms: negative = forever (null), else capped at <see cref="Domains.Timeouts.MaxWait"/>.</summary>
    public static TimeSpan? Wait(long milliseconds) => Domains.Timeouts.Wait(milliseconds);

    /// <summary>A poll interval in ms: 0 = the default (null).</summary>
    public static TimeSpan? PollInterval(uint milliseconds) => milliseconds == 0 ? null : Domains.Timeouts.Wait(milliseconds);

    /// <summary>An upper bound on items returned (max_entries, page limits): capped to what one call can return.</summary>
    public static int Bound(nuint value) => (int)Math.Min((ulong)value, int.MaxValue - 1);

    /// <summary>The number of items in caller arrays: refused unless a span can hold them (and one more, for offsets).</summary>
    public static int Count(nuint count, string name) =>
        count < int.MaxValue ? (int)count : throw new AukiException(AukiErrorCode.Overflow, $"{name} must be smaller than 2147483647");

    /// <summary>A payload the caller lends for the call: NULL only with length 0, below 2 GiB.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> Payload(byte* data, nuint len)
    {
        if (len > int.MaxValue) throw new AukiException(AukiErrorCode.Overflow, "len must be smaller than 2 GiB");
        if (data == null && len != 0) throw Guard.NullArgument("data");
        return new ReadOnlySpan<byte>(data, (int)len);
    }
}
