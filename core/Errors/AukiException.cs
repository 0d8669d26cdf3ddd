namespace Auki;

/// <summary>
/// The one exception type the core throws on purpose. <see cref="Code"/> decides the C status
/// code and the Python exception class; <see cref="Exception.Message"/> is the user-facing text,
/// kept identical to upstream's where upstream has one.
/// </summary>
public sealed class AukiException : Exception
{
    /// <summary>The status code for this failure.</summary>
    public AukiErrorCode Code { get; }

    /// <summary>
    /// The input field the error is about, as a dotted path (<c>body.calibration.fx</c>), or null.
    /// Kept beside the message rather than in it: upstream's serde texts name no field and are
    /// pinned byte for byte (<c>body: invalid type: floating point `30.0`, expected u32</c>).
    /// </summary>
    public string? Field { get; }

    /// <summary>Create an error with a code and a user-facing message.</summary>
    public AukiException(AukiErrorCode code, string message, Exception? inner = null, string? field = null)
        : base(message, inner) { Code = code; Field = field; }

    // One factory per code, in the manner of ThrowHelper: `throw AukiException.Closed(...)` says the
    // code first and keeps throw sites one line; the code decides the C status and Python's class.
    internal static AukiException Invalid(string message, string? field = null) => new(AukiErrorCode.InvalidArgument, message, field: field);
    internal static AukiException NotFound(string message) => new(AukiErrorCode.NotFound, message);
    internal static AukiException Io(string message, Exception? inner = null) => new(AukiErrorCode.Io, message, inner);
    internal static AukiException Corrupt(string message) => new(AukiErrorCode.Corrupt, message);
    internal static AukiException Closed(string message) => new(AukiErrorCode.Closed, message);
    internal static AukiException Timeout(string message, Exception? inner = null) => new(AukiErrorCode.Timeout, message, inner);
    internal static AukiException NotImplemented(string message) => new(AukiErrorCode.NotImplemented, message);
    internal static AukiException BufferTooSmall(string message) => new(AukiErrorCode.BufferTooSmall, message);
    internal static AukiException Busy(string message) => new(AukiErrorCode.Busy, message);

    /// <summary>An unexpected failure (a bug in libauki, AUKI_ERR_INTERNAL), keeping what caused it.</summary>
    internal static AukiException Internal(string message, Exception? inner = null) => new(AukiErrorCode.Internal, message, inner);

    /// <summary>The same error thrown again from another thread or call, with this one as its cause.</summary>
    internal static AukiException Again(AukiException error) => new(error.Code, error.Message, error, error.Field);

    /// <summary>The same error with where it happened in front (<c>"&lt;context&gt;: message"</c>), this one as its cause.</summary>
    internal AukiException In(string context) => new(Code, context + ": " + Message, this, Field);

    /// <summary>Prefix the message (serde-style "field: inner"), keeping the code.</summary>
    internal AukiException WithPrefix(string prefix) => new(Code, prefix + ": " + Message, InnerException, Join(prefix, Field));

    /// <summary>The same error about <paramref name="key"/> of the object being read (message unchanged).</summary>
    internal AukiException AtField(string key) => new(Code, Message, InnerException, Join(key, Field));

    private static string Join(string outer, string? inner) => inner is null ? outer : outer + "." + inner;
}
