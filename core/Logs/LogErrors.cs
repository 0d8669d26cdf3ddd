namespace Auki.Logs;

/// <summary>
/// The errors the log engine throws, with upstream's message prefixes (<c>io:</c>, <c>manifest:</c>,
/// <c>format:</c>, <c>payload:</c>) so Python sees the same text as with auki-logs.
/// </summary>
internal static class LogErrors
{
    public const string ClosedMessage = "log has been closed";

    public static AukiException Manifest(string message) => new(AukiErrorCode.InvalidArgument, "manifest: " + message);

    public static AukiException Format(string message) => new(AukiErrorCode.InvalidArgument, "format: " + message);

    public static AukiException Payload(string message) => new(AukiErrorCode.InvalidArgument, "payload: " + message);

    /// <summary>Bad bytes on disk: same <c>format:</c> prefix as upstream, but its own code.</summary>
    public static AukiException Corrupt(string message) => new(AukiErrorCode.Corrupt, "format: " + message);

    public static AukiException Io(Exception inner) => new(AukiErrorCode.Io, "io: " + inner.Message, inner);

    public static AukiException Io(string message) => new(AukiErrorCode.Io, "io: " + message);

    public static AukiException Closed(string message = ClosedMessage) => new(AukiErrorCode.Closed, message);

    public static AukiException Busy(string root) => new(AukiErrorCode.Busy, "log is locked by another writer: " + root);

    /// <summary>Operating-system failures we translate into <see cref="AukiErrorCode.Io"/>.</summary>
    public static bool IsIo(Exception e) => e is IOException or UnauthorizedAccessException;

    public static void RequireRoot(string root)
    {
        if (string.IsNullOrEmpty(root)) throw AukiException.Invalid("log root path must not be empty");
    }
}
