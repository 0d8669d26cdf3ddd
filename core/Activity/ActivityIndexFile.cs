using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Auki.Logs;

namespace Auki.Activity;

/// <summary>
/// <see cref="ActivityIndex"/>'s file, <c>&lt;root&gt;/.activity_index</c>: per log (keyed by its
/// file id) the extent and owner records with the stat keys they were taken at. A cache, never
/// the truth: written atomically (a temporary file renamed over it, last writer wins) by whoever
/// scanned, checksummed, and every record is checked against the log's files before it is used.
/// A file that is missing, short, of another version or whose checksum fails is ignored (and
/// replaced at the next save), so damage to it costs a rescan, never a wrong answer.
/// </summary>
/// <remarks>
/// Layout (little-endian): "AKAX", u16 version 1, u16 flags (0), i32 record count, the records, then
/// CRC32C of everything before it. A record: u16 key length, the key (UTF-8), u8 flags (bit 0: an
/// extent follows, 1: its directory key is trusted, 2: its newest-segment key is trusted, 3: an owner
/// follows, 4: the manifest exists, 5: the owner key is trusted, 6: a source peer id follows);
/// extent: directory mtime ticks (i64), segment count (i32), newest start, length, bytes scanned, mtime ticks,
/// sealed entries, first, last, bytes, sealed last write ticks, newest entries, first, last (i64
/// each); owner: manifest length, mtime ticks (i64 each), and with bit 6 a u16-length UTF-8 peer id.
/// </remarks>
internal static class ActivityIndexFile
{
    public const string FileName = ".activity_index";

    private static ReadOnlySpan<byte> Magic => "AKAX"u8;
    private const ushort Version = 1;
    private const int HeaderSize = 4 + 2 + 2 + 4;
    private const int ExtentSize = 8 + 4 + 8 * 12;
    private const int OwnerSize = 8 + 8;

    /// <summary>One log's records (either may be absent).</summary>
    internal readonly record struct Entry(IndexedExtent? Extent, IndexedOwner? Owner);

    public static string PathFor(string storageRoot) => Path.Combine(storageRoot, FileName);

    /// <summary>The file's records, or null when there is none or it cannot be trusted as a file.</summary>
    public static Dictionary<string, Entry>? TryLoad(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (LogErrors.IsIo(e)) { return null; } // missing or unreadable: rebuilt from the logs
        try { return Parse(bytes); }
        catch (ArgumentOutOfRangeException) { return null; } // a length that runs past the end
        catch (IndexOutOfRangeException) { return null; }
        catch (DecoderFallbackException) { return null; }
    }

    private static Dictionary<string, Entry>? Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize + 4 || !data[..4].SequenceEqual(Magic)) return null;
        if (BinaryPrimitives.ReadUInt16LittleEndian(data[4..]) != Version) return null;
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]);
        if (Crc32C.Finish(Crc32C.Update(Crc32C.InitialState, data[..^4])) != stored) return null;
        int count = BinaryPrimitives.ReadInt32LittleEndian(data[8..]);
        if (count < 0) return null;
        var body = data[HeaderSize..^4];
        var entries = new Dictionary<string, Entry>(Math.Min(count, body.Length / 3), StringComparer.Ordinal);
        int pos = 0;
        for (int i = 0; i < count; i++)
        {
            if (ReadRecord(body, ref pos) is not { } record) return null;
            entries[record.Key] = record.Entry;
        }
        return pos == body.Length ? entries : null;
    }

    /// <summary>
    /// One record at <paramref name="pos"/> (advanced past it), null when its values cannot be right.
    /// Throws as <see cref="TryLoad"/> catches when it runs past the end. Shared with <see cref="ActivityJournal"/>.
    /// </summary>
    internal static (string Key, Entry Entry)? ReadRecord(ReadOnlySpan<byte> body, ref int pos)
    {
        string key = ReadString(body, ref pos);
        byte flags = body[pos++];
        IndexedExtent? extent = null;
        IndexedOwner? owner = null;
        if ((flags & 1) != 0)
        {
            var e = body.Slice(pos, ExtentSize);
            pos += ExtentSize;
            int segments = BinaryPrimitives.ReadInt32LittleEndian(e[8..]);
            var sealedTotals = new SegmentTotals(I64(e, 44), I64(e, 52), I64(e, 60), I64(e, 68));
            var newest = new SegmentTotals(I64(e, 84), I64(e, 92), I64(e, 100), I64(e, 28));
            if (segments < 0 || sealedTotals.Entries < 0 || sealedTotals.Bytes < 0 || newest.Entries < 0 || newest.Bytes < 0) return null;
            extent = new IndexedExtent(I64(e, 0), (flags & 2) != 0, segments, I64(e, 12), I64(e, 20), I64(e, 36), (flags & 4) != 0,
                sealedTotals, I64(e, 76), newest);
        }
        if ((flags & 8) != 0)
        {
            long length = BinaryPrimitives.ReadInt64LittleEndian(body[pos..]);
            long mtime = BinaryPrimitives.ReadInt64LittleEndian(body[(pos + 8)..]);
            pos += OwnerSize;
            string? peer = (flags & 64) != 0 ? ReadString(body, ref pos) : null;
            owner = new IndexedOwner((flags & 16) != 0, length, mtime, (flags & 32) != 0, peer);
        }
        return (key, new Entry(extent, owner));
    }

    private static string ReadString(ReadOnlySpan<byte> body, ref int pos)
    {
        int length = BinaryPrimitives.ReadUInt16LittleEndian(body[pos..]);
        pos += 2;
        string s = StrictUtf8.GetString(body.Slice(pos, length));
        pos += length;
        return s;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Replace the file with <paramref name="entries"/>, atomically; false (and nothing changed)
    /// when it cannot be written, e.g. a read-only store: the index is an optimization only.
    /// </summary>
    public static bool TrySave(string path, IReadOnlyCollection<KeyValuePair<string, Entry>> entries)
    {
        var buffer = new MemoryStream(HeaderSize + entries.Count * 160);
        Span<byte> scratch = stackalloc byte[ExtentSize];
        buffer.Write(Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(scratch, Version);
        BinaryPrimitives.WriteUInt16LittleEndian(scratch[2..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(scratch[4..], 0); // the count, patched below
        buffer.Write(scratch[..8]);
        int count = 0;
        foreach (var (key, entry) in entries)
            if (WriteRecord(buffer, key, entry)) count++;
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[8..], count);
        uint crc = Crc32C.Finish(Crc32C.Update(Crc32C.InitialState, bytes));
        BinaryPrimitives.WriteUInt32LittleEndian(scratch, crc);
        buffer.Write(scratch[..4]);

        return CacheFile.TryReplace(path, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Append one record to <paramref name="buffer"/>; false (nothing written) when it cannot be indexed (always rescanned). Shared with <see cref="ActivityJournal"/>.</summary>
    internal static bool WriteRecord(MemoryStream buffer, string key, Entry entry)
    {
        Span<byte> scratch = stackalloc byte[ExtentSize];
        byte[] keyBytes = Encoding.UTF8.GetBytes(key);
        byte[]? peerBytes = entry.Owner?.SourcePeerId is { } p ? Encoding.UTF8.GetBytes(p) : null;
        if (keyBytes.Length > ushort.MaxValue || peerBytes?.Length > ushort.MaxValue) return false;
        WriteU16(buffer, keyBytes.Length);
        buffer.Write(keyBytes);
        byte flags = 0;
        if (entry.Extent is { } x) flags |= (byte)(1 | (x.DirTrusted ? 2 : 0) | (x.NewestTrusted ? 4 : 0));
        if (entry.Owner is { } o) flags |= (byte)(8 | (o.Exists ? 16 : 0) | (o.Trusted ? 32 : 0) | (peerBytes is null ? 0 : 64));
        buffer.WriteByte(flags);
        if (entry.Extent is { } e)
        {
            Put(scratch, 0, e.DirMtimeTicks);
            BinaryPrimitives.WriteInt32LittleEndian(scratch[8..], e.Segments);
            Put(scratch, 12, e.NewestStart);
            Put(scratch, 20, e.NewestLength);
            Put(scratch, 28, e.Newest.Bytes);
            Put(scratch, 36, e.NewestMtimeTicks);
            Put(scratch, 44, e.Sealed.Entries);
            Put(scratch, 52, e.Sealed.First);
            Put(scratch, 60, e.Sealed.Last);
            Put(scratch, 68, e.Sealed.Bytes);
            Put(scratch, 76, e.SealedLastWriteTicks);
            Put(scratch, 84, e.Newest.Entries);
            Put(scratch, 92, e.Newest.First);
            Put(scratch, 100, e.Newest.Last);
            buffer.Write(scratch[..ExtentSize]);
        }
        if (entry.Owner is { } owner)
        {
            BinaryPrimitives.WriteInt64LittleEndian(scratch, owner.Length);
            BinaryPrimitives.WriteInt64LittleEndian(scratch[8..], owner.MtimeTicks);
            buffer.Write(scratch[..OwnerSize]);
            if (peerBytes is not null)
            {
                WriteU16(buffer, peerBytes.Length);
                buffer.Write(peerBytes);
            }
        }
        return true;
    }

    private static long I64(ReadOnlySpan<byte> record, int at) => BinaryPrimitives.ReadInt64LittleEndian(record[at..]);

    private static void Put(Span<byte> record, int at, long value) => BinaryPrimitives.WriteInt64LittleEndian(record[at..], value);

    private static void WriteU16(Stream s, int value)
    {
        Span<byte> two = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(two, (ushort)value);
        s.Write(two);
    }
}
