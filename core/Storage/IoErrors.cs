namespace Auki.Storage;

/// <summary>Turns .NET I/O exceptions into our error type, so nothing else ever escapes to callers.</summary>
internal static class IoErrors
{
    /// <summary>Run <paramref name="action"/>, mapping I/O failures to <see cref="AukiErrorCode.Io"/>.</summary>
    public static T Guard<T>(Func<T> action, string? prefix = null)
    {
        try { return action(); }
        catch (IOException e) { throw AukiException.Io(prefix is null ? e.Message : prefix + e.Message, e); }
        catch (UnauthorizedAccessException e) { throw AukiException.Io(prefix is null ? e.Message : prefix + e.Message, e); }
    }

    /// <summary>Void overload of <see cref="Guard{T}(Func{T}, string?)"/>.</summary>
    public static void Guard(Action action, string? prefix = null) => Guard<bool>(() => { action(); return true; }, prefix);
}
