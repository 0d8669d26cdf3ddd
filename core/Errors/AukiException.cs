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

    /// <summary>Create an error with a code and a user-facing message.</summary>
    public AukiException(AukiErrorCode code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    internal static AukiException Invalid(string message) => new(AukiErrorCode.InvalidArgument, message);
    internal static AukiException NotFound(string message) => new(AukiErrorCode.NotFound, message);
    internal static AukiException Io(string message, Exception? inner = null) => new(AukiErrorCode.Io, message, inner);
    internal static AukiException Corrupt(string message) => new(AukiErrorCode.Corrupt, message);

    /// <summary>Prefix the message (serde-style "field: inner"), keeping the code.</summary>
    internal AukiException WithPrefix(string prefix) => new(Code, prefix + ": " + Message, InnerException);
}
