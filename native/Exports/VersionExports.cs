using System.Runtime.InteropServices;
using Auki.Native.Interop;

namespace Auki.Native.Exports;

/// <summary>auki_abi_version, auki_version: what the loaded library implements (never fail, never touch the last error).</summary>
internal static unsafe class VersionExports
{
    // The version is auki.h's (AUKI_ABI_VERSION_MAJOR/MINOR through the generated AbiConstants): bump it there.
    private const uint AbiMajor = AbiConstants.ABI_VERSION_MAJOR;
    private const uint AbiMinor = AbiConstants.ABI_VERSION_MINOR;

    [UnmanagedCallersOnly(EntryPoint = "auki_abi_version")]
    public static uint AbiVersion() => (AbiMajor << 16) | AbiMinor;

    [UnmanagedCallersOnly(EntryPoint = "auki_version")]
    public static byte* Version() => StaticStrings.Version;
}
