using System.Runtime.InteropServices;
using Auki.Native.Interop;

namespace Auki.Native.Exports;

/// <summary>auki_abi_version, auki_version: what the loaded library implements (never fail, never touch the last error).</summary>
internal static unsafe class VersionExports
{
    /// <summary>Major of the ABI in auki.h; bump on any incompatible change.</summary>
    public const uint AbiMajor = 1;
    /// <summary>Minor of the ABI in auki.h; bump when functions are added.</summary>
    public const uint AbiMinor = 1;

    [UnmanagedCallersOnly(EntryPoint = "auki_abi_version")]
    public static uint AbiVersion() => (AbiMajor << 16) | AbiMinor;

    [UnmanagedCallersOnly(EntryPoint = "auki_version")]
    public static byte* Version() => StaticStrings.Version;
}
