namespace Auki.Native.Interop;

/// <summary>
/// What every export does with an exception (none may cross the C boundary): an AukiException
/// becomes its own code and message; anything else is a bug, reported as AUKI_ERR_INTERNAL with
/// <c>internal error: &lt;type&gt;: &lt;message&gt;</c>. Also the NULL checks for non-string pointers.
/// </summary>
internal static unsafe class Guard
{
    /// <summary>Record <paramref name="e"/> as the thread's last error and return its status code.</summary>
    public static int Fail(Exception e)
    {
        try
        {
            return e is AukiException auki
                ? LastError.Fail(auki.Code, auki.Message, auki.Field)
                : LastError.Fail(AukiErrorCode.Internal, $"internal error: {e.GetType().FullName}: {e.Message}", null);
        }
        catch
        {
            // Even formatting the message failed (out of memory): still return a code.
            return (int)AukiErrorCode.Internal;
        }
    }

    /// <summary>Throw <c>&lt;param&gt; must not be NULL</c> when <paramref name="pointer"/> is NULL.</summary>
    public static void NotNull(void* pointer, string param)
    {
        if (pointer == null) throw NullArgument(param);
    }

    /// <summary>The error for a required pointer that is NULL.</summary>
    public static AukiException NullArgument(string param) =>
        new(AukiErrorCode.InvalidArgument, param + " must not be NULL");
}
