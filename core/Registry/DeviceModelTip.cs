using Auki.Hashing;
using Auki.Storage;

namespace Auki.Registry;

/// <summary>
/// The <c>TIP</c> file of a device model's id directory
/// (<c>registries/device_models/&lt;peer&gt;/&lt;id&gt;/TIP</c>): the hash of the last entry written
/// for that id — 32 lowercase hex characters, no newline — which <c>list_device_models</c> reports
/// in preference to any newer-looking sibling. Written atomically after every successful write,
/// including one of an entry already stored, as upstream does.
/// </summary>
public static class DeviceModelTip
{
    /// <summary>File name in the id directory.</summary>
    public const string FileName = "TIP";

    /// <summary>upstream's MAX_DEVICE_MODEL_TIP_BYTES: a larger TIP is ignored, not read.</summary>
    public const long MaxBytes = 64;

    /// <summary>Point the id directory's TIP at <paramref name="hash"/>.</summary>
    public static void Write(string idDirectory, string hash) =>
        IoErrors.Guard(() => AtomicFile.Write(Path.Combine(idDirectory, FileName), System.Text.Encoding.ASCII.GetBytes(hash)), "io: ");

    /// <summary>
    /// The hash a TIP names, or null when there is no usable TIP: missing, over <see cref="MaxBytes"/>,
    /// not UTF-8, or not a content hash once surrounding whitespace is trimmed (upstream accepts a
    /// trailing newline a hand-written TIP may have).
    /// </summary>
    public static string? Read(string idDirectory)
    {
        byte[]? raw;
        try { raw = CappedFile.Read(Path.Combine(idDirectory, FileName), MaxBytes); }
        catch (AukiException e) when (e.Code == AukiErrorCode.InvalidArgument) { return null; }
        if (raw is null) return null;
        string text;
        try { text = new System.Text.UTF8Encoding(false, true).GetString(raw); }
        catch (System.Text.DecoderFallbackException) { return null; }
        string hash = text.Trim();
        return ContentHash.IsWellFormed(hash) ? hash : null;
    }
}
