using Auki.Storage;

namespace Auki.Registry;

/// <summary>
/// upstream's <c>read_at_capped</c>: a file's bytes, or null if it does not exist; a file larger
/// than the cap is refused by its size before any byte is read, so a planted huge file cannot make
/// us allocate it (<c>invalid blob: on-disk file exceeds size cap (N bytes)</c>).
/// </summary>
internal static class CappedFile
{
    public static byte[]? Read(string path, long cap) => IoErrors.Guard(() =>
    {
        FileStream stream;
        try { stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        using (stream)
        {
            // The length of the opened file, so the file cannot be swapped between check and read.
            if (stream.Length > cap) throw TooLarge(cap);
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            // A file that grew after the length was taken is still refused, not truncated.
            if (stream.ReadByte() >= 0) throw TooLarge(cap);
            return bytes;
        }
    }, "io: ");

    public static AukiException TooLarge(long cap) => AukiException.Invalid($"invalid blob: on-disk file exceeds size cap ({cap} bytes)");
}
