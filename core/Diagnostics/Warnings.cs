namespace Auki.Diagnostics;

/// <summary>
/// Accepted-but-dubious input (an unknown body key upstream silently ignores, an unknown pixel
/// format) is told to the user without failing the call: each warning goes to this thread's list,
/// which a binding reads after its call (Python raises <c>warnings.warn</c> from it), and, unless
/// turned off, to stderr as one <c>auki: warning: …</c> line (what a C program sees).
/// </summary>
public static class Warnings
{
    [ThreadStatic] private static List<string>? _pending;
    private static volatile bool _toStderr = true;

    /// <summary>Whether warnings are also written to stderr (process-wide; default true).</summary>
    public static bool ToStderr { get => _toStderr; set => _toStderr = value; }

    /// <summary>Record a warning for the current thread's caller.</summary>
    public static void Add(string message)
    {
        (_pending ??= []).Add(message);
        if (_toStderr)
        {
            try { Console.Error.WriteLine("auki: warning: " + message); }
            catch (IOException) { } // a closed stderr must not fail the call that warned
        }
    }

    /// <summary>This thread's warnings since the last take, oldest first; clears them.</summary>
    public static IReadOnlyList<string> Take()
    {
        var list = _pending;
        _pending = null;
        return list ?? (IReadOnlyList<string>)[];
    }
}
