using System.Runtime.InteropServices;
using Auki.Native.Interop;

namespace Auki.Native.Exports;

/// <summary>auki_last_error_*: read the calling thread's last status without changing it.</summary>
internal static unsafe class ErrorExports
{
    [UnmanagedCallersOnly(EntryPoint = "auki_last_error_message")]
    public static byte* LastErrorMessage() => LastError.Message;

    [UnmanagedCallersOnly(EntryPoint = "auki_last_error_code")]
    public static int LastErrorCode() => LastError.Code;

    [UnmanagedCallersOnly(EntryPoint = "auki_last_error_field")]
    public static byte* LastErrorField() => LastError.Field;

    [UnmanagedCallersOnly(EntryPoint = "auki_error_string")]
    public static byte* ErrorString(int code) => StaticStrings.ErrorName(code);
}
