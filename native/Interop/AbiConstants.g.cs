// GENERATED from native/include/auki.h by tools/gen_abi.py: edit the header, not this file.
namespace Auki.Native.Interop;

/// <summary>Every integer #define of auki.h, so the exports use the header's values, not copies.</summary>
internal static class AbiConstants
{
    public const int ABI_VERSION_MAJOR = 2;
    public const int ABI_VERSION_MINOR = 3;
    public const int OK = 0;
    public const int ERR_INVALID_ARGUMENT = 1;
    public const int ERR_IO = 2;
    public const int ERR_NOT_FOUND = 3;
    public const int ERR_NOT_IMPLEMENTED = 4;
    public const int ERR_CLOSED = 5;
    public const int ERR_BUSY = 6;
    public const int ERR_CORRUPT = 7;
    public const int ERR_TIMEOUT = 8;
    public const int ERR_BUFFER_TOO_SMALL = 9;
    public const int ERR_OVERFLOW = 10;
    public const int ERR_INTERNAL = 99;
    public const int HASH_BUFSIZE = 33;
    public const int ULID_BUFSIZE = 27;
    public const int SHA256_BUFSIZE = 65;
    public const int SPATIAL_TRANSFORM_MAX_SIZE = 67;
    public const int STREAM_TIMEOUT = 0;
    public const int STREAM_ENTRY = 1;
    public const int STREAM_ENDED = 2;
}
