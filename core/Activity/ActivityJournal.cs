using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Auki.Logs;

namespace Auki.Activity;

/// <summary>
/// <c>&lt;root&gt;/.activity_journal</c>: the records log writers make of their logs
/// (<see cref="WriterRecords"/>), appended beside <see cref="ActivityIndexFile"/> and folded into
/// <see cref="ActivityIndex"/> by every query, so a query after a writer's rollover or close needs
/// no rescan of that log, in any process. A cache like the index: every record is verified against
/// the log's files before it is used, so a lost, stale or damaged record costs a rescan, never a
/// wrong answer.
/// </summary>
/// <remarks>
/// Why a journal and not the index itself: rewriting a 100,000-log index (~15 MB) at every seal of
/// every writer would cost each writer ~50 ms of work per seal and serialize a fleet's writers on
/// one file; an append is one <c>write(2)</c> of ~150 bytes with <c>O_APPEND</c> (so concurrent
/// writers in several processes never overwrite each other), and a query reads only what was
/// appended since its last look. Layout (little-endian): a header, "AKAJ", u16 version 1, u16 flags
/// (0), u64 generation (random: a reset journal is a new one, even at the same length); then
/// records, each u32 payload length, u32 CRC32C of the payload, the payload (one record as
/// <see cref="ActivityIndexFile"/> stores it). A record cut short (a writer killed mid-write) stops
/// the reading there until it is complete; a checksum that fails ends what is read of this
/// generation (the rest may be misaligned). Created and reset (emptied, a new generation) only by a
/// query that saves the index, right after saving it: a root whose index was never saved, or a
/// read-only one, gets no records; records appended between a save's fold and its reset are lost
/// (a rescan). Writers stop appending past <see cref="MaxBytes"/> until a query resets it.
/// </remarks>
internal static partial class ActivityJournal
{
    public const string FileName = ".activity_journal";

    /// <summary>Writers append nothing to a journal this long (no query has reset it for ~50,000 records).</summary>
    public const long MaxBytes = 8 << 20;

    /// <summary>A query that finds the journal this long saves the index and resets it.</summary>
    public const long CompactBytes = 1 << 20;

    private static ReadOnlySpan<byte> Magic => "AKAJ"u8;
    private const ushort Version = 1;
    public const int HeaderSize = 4 + 2 + 2 + 8;
    private const int RecordHeaderSize = 8;
    private const int MaxPayload = 1 << 18;

    public static string PathFor(string storageRoot) => Path.Combine(storageRoot, FileName);

    /// <summary>Replace the journal with an empty one of a new generation; false when it cannot be written (a read-only store).</summary>
    public static bool TryReset(string path)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 0);
        RandomNumberGenerator.Fill(header[8..]);
        return CacheFile.TryReplace(path, header);
    }

    /// <summary>Append one record to an existing journal, in one write; false when there is none, it is full, or the write failed.</summary>
    public static bool TryAppend(string path, string key, ActivityIndexFile.Entry entry)
    {
        var payload = new MemoryStream(192);
        payload.Write(stackalloc byte[RecordHeaderSize]);
        if (!ActivityIndexFile.WriteRecord(payload, key, entry)) return false;
        var bytes = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)(bytes.Length - RecordHeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[4..], Crc32C.Finish(Crc32C.Update(Crc32C.InitialState, bytes[RecordHeaderSize..])));

        // No O_CREAT: only a query that saved the index creates the journal (with its header).
        int fd = Open(path, OWrOnly | OAppend | OCloExec);
        if (fd < 0) return false;
        try
        {
            if (Seek(fd, 0, SeekEnd) > MaxBytes) return false;
            unsafe
            {
                fixed (byte* p = bytes)
                    return Write(fd, p, (nuint)bytes.Length) == bytes.Length;
            }
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>Where a reader is in a journal: its generation and the offset of the first record not yet read.</summary>
    internal struct Cursor
    {
        public ulong Generation;
        public long Offset;

        /// <summary>The journal's length at the last look (a query seeing it long resets it).</summary>
        public long Length;
    }

    /// <summary>
    /// The records appended since <paramref name="cursor"/> (all of them when the journal is a new
    /// generation), in order; the cursor moves past the complete ones. Nothing when there is no journal.
    /// </summary>
    public static List<(string Key, ActivityIndexFile.Entry Entry)> ReadNew(string path, ref Cursor cursor)
    {
        var records = new List<(string, ActivityIndexFile.Entry)>();
        byte[] data;
        Span<byte> header = stackalloc byte[HeaderSize];
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            long length = RandomAccess.GetLength(file);
            cursor.Length = length;
            if (length < HeaderSize || RandomAccess.Read(file, header, 0) != HeaderSize) return records;
            if (!header[..4].SequenceEqual(Magic) || BinaryPrimitives.ReadUInt16LittleEndian(header[4..]) != Version) return records;
            ulong generation = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
            if (generation != cursor.Generation || cursor.Offset < HeaderSize || cursor.Offset > length)
                cursor = new Cursor { Generation = generation, Offset = HeaderSize, Length = length };
            if (cursor.Offset == length) return records;
            data = new byte[length - cursor.Offset];
            int read = RandomAccess.Read(file, data, cursor.Offset);
            if (read < data.Length) data = data[..read];
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            return records; // no journal, or unreadable: the logs are rescanned as needed
        }

        int pos = 0;
        while (data.Length - pos >= RecordHeaderSize)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos));
            if (size > MaxPayload) { pos = data.Length; break; } // damage: the rest is not read
            if (data.Length - pos - RecordHeaderSize < size) break; // still being written, or cut short
            var payload = data.AsSpan(pos + RecordHeaderSize, (int)size);
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos + 4));
            if (Crc32C.Finish(Crc32C.Update(Crc32C.InitialState, payload)) != crc) { pos = data.Length; break; }
            pos += RecordHeaderSize + (int)size;
            try
            {
                int at = 0;
                if (ActivityIndexFile.ReadRecord(payload, ref at) is { } record && at == payload.Length) records.Add(record);
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or System.Text.DecoderFallbackException)
            {
                // A record whose checksum holds but whose contents do not parse: skipped.
            }
        }
        cursor.Offset += pos;
        return records;
    }

    private const int OWrOnly = 1, OAppend = 0x400, OCloExec = 0x80000, SeekEnd = 2;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "lseek")]
    private static partial long Seek(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
