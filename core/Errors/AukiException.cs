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

    internal static AukiException Invalid(string message) => new(AukiErrorCode.InvalidArgument, message);
    internal static AukiException NotFound(string message) => new(AukiErrorCode.NotFound, message);
    internal static AukiException Io(string message, Exception? inner = null) => new(AukiErrorCode.Io, message, inner);
    internal static AukiException Corrupt(string message) => new(AukiErrorCode.Corrupt, message);

    /// <summary>Prefix the message (serde-style "field: inner"), keeping the code.</summary>
    internal AukiException WithPrefix(string prefix) => new(Code, prefix + ": " + Message, InnerException, Join(prefix, Field));

    /// <summary>The same error about <paramref name="key"/> of the object being read (message unchanged).</summary>
    internal AukiException AtField(string key) => new(Code, Message, InnerException, Join(key, Field));

    private static string Join(string outer, string? inner) => inner is null ? outer : outer + "." + inner;
}
