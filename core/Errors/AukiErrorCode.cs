namespace Auki;

/// <summary>
/// Status codes shared by the core, the C ABI (<c>AUKI_ERR_*</c> in auki.h) and the Python
/// bindings (each maps to one Python exception type). Values are part of the ABI: never renumber.
/// </summary>
public enum AukiErrorCode
{
    /// <summary>Success.</summary>
    Ok = 0,
    /// <summary>Bad input: invalid id, malformed JSON, failed validation. Python: ValueError.</summary>
    InvalidArgument = 1,
    /// <summary>Operating-system I/O failure. Python: OSError.</summary>
    Io = 2,
    /// <summary>Something addressed by id does not exist. Python: KeyError-derived NotFoundError.</summary>
    NotFound = 3,
    /// <summary>Upstream has not implemented this yet. Python: NotImplementedError.</summary>
    NotImplemented = 4,
    /// <summary>The object was closed. Python: RuntimeError.</summary>
    Closed = 5,
    /// <summary>Another writer holds the resource (cross-process lock). Python: RuntimeError.</summary>
    Busy = 6,
    /// <summary>Data on disk is not in a format we can read. Python: ValueError.</summary>
    Corrupt = 7,
    /// <summary>A bounded wait expired. Python: TimeoutError.</summary>
    Timeout = 8,
    /// <summary>A caller-provided buffer is too small. Python never sees it.</summary>
    BufferTooSmall = 9,
    /// <summary>An integer argument is outside the type's range. Python: OverflowError.</summary>
    Overflow = 10,
    /// <summary>A bug in AukiNative. Python: RuntimeError.</summary>
    Internal = 99,
}
