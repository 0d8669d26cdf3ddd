using System.Buffers.Binary;
using System.IO.Hashing;
using K4os.Compression.LZ4;

namespace Auki.Export;

/// <summary>Compresses MCAP chunk records; one instance per thread (compression contexts are not shared).</summary>
internal abstract class ChunkCompressor : IDisposable
{
    /// <summary>The MCAP compression name written in Chunk and Chunk Index records.</summary>
    public abstract string Name { get; }

    /// <summary>True for "no compression": the records are stored as they are.</summary>
    public virtual bool IsIdentity => false;

    /// <summary>Compress <paramref name="records"/> into <paramref name="output"/> (grown as needed); returns the length.</summary>
    public int CompressInto(ReadOnlySpan<byte> records, ref byte[] output)
    {
        Buffer = output;
        int n = Compress(records).Length;
        output = Buffer;
        Buffer = [];
        return n;
    }

    /// <summary>The stored form of <paramref name="records"/>, valid until the next call.</summary>
    public abstract ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> records);

    public virtual void Dispose() { }

    public static ChunkCompressor Create(McapCompression compression) => compression switch
    {
        McapCompression.None => new Identity(),
        McapCompression.Zstd => new Zstd(),
        McapCompression.Lz4 => new Lz4Frame(),
        _ => throw AukiException.Invalid($"unknown compression {compression}"),
    };

    protected byte[] Buffer = [];

    protected Span<byte> Reserve(int size)
    {
        if (Buffer.Length < size) Buffer = GC.AllocateUninitializedArray<byte>(size);
        return Buffer;
    }

    private sealed class Identity : ChunkCompressor
    {
        public override string Name => "";
        public override bool IsIdentity => true;
        public override ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> records) => records;
    }

    private sealed class Zstd : ChunkCompressor
    {
        private const int Level = 3;

        /// <summary>zstd 1.5.7's <c>ZSTD_c_blockSplitterLevel</c> (ZstdSharp names it by number).</summary>
        private const ZstdSharp.Unsafe.ZSTD_cParameter BlockSplitterLevel = ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_experimentalParam20;

        /// <summary>
        /// 1 = no pre-splitting of blocks. zstd 1.5.7 fingerprints every 128 KiB block at level 3 to
        /// find a better split; on recorded sensor data that cost ~17 % of an export's CPU and made the
        /// file larger, not smaller (1 GiB of typed camera/IMU/pose logs: 117 MB without, 122 MB with).
        /// </summary>
        private const int NoPreSplit = 1;

        private readonly ZstdSharp.Compressor _compressor = CreateCompressor();

        private static ZstdSharp.Compressor CreateCompressor()
        {
            var compressor = new ZstdSharp.Compressor(Level);
            compressor.SetParameter(BlockSplitterLevel, NoPreSplit);
            return compressor;
        }

        public override string Name => "zstd";

        public override ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> records)
        {
            var destination = Reserve(ZstdSharp.Compressor.GetCompressBound(records.Length));
            int written = _compressor.Wrap(records, destination);
            return destination[..written];
        }

        public override void Dispose() => _compressor.Dispose();
    }

    /// <summary>
    /// The LZ4 frame format (lz4 frame spec 1.6.x), which is what MCAP's <c>"lz4"</c> means: magic,
    /// a frame descriptor with the content size, independent blocks of at most 4 MiB (stored
    /// uncompressed when compression does not pay), an end mark. No content checksum: the chunk's
    /// own CRC covers the data.
    /// </summary>
    private sealed class Lz4Frame : ChunkCompressor
    {
        private const uint FrameMagic = 0x184D2204;
        private const int BlockMaxSize = 4 << 20;
        private const byte Flags = 0b0110_1000;          // version 01, independent blocks, content size present
        private const byte BlockDescriptor = 0b0111_0000; // block max size 4 MiB
        private const uint UncompressedBlockBit = 0x8000_0000;

        public override string Name => "lz4";

        public override ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> records)
        {
            int blocks = Math.Max(1, (records.Length + BlockMaxSize - 1) / BlockMaxSize);
            long bound = 4 + 2 + 8 + 1 + (long)blocks * (4 + LZ4Codec.MaximumOutputSize(BlockMaxSize)) + 4;
            var output = Reserve((int)Math.Min(bound, Array.MaxLength));
            BinaryPrimitives.WriteUInt32LittleEndian(output, FrameMagic);
            output[4] = Flags;
            output[5] = BlockDescriptor;
            BinaryPrimitives.WriteUInt64LittleEndian(output[6..], (ulong)records.Length);
            output[14] = (byte)(XxHash32.HashToUInt32(output[4..14]) >> 8);
            int at = 15;
            for (int offset = 0; offset < records.Length; offset += BlockMaxSize)
            {
                var block = records.Slice(offset, Math.Min(BlockMaxSize, records.Length - offset));
                int size = LZ4Codec.Encode(block, output[(at + 4)..]);
                if (size <= 0 || size >= block.Length)
                {
                    block.CopyTo(output[(at + 4)..]);
                    BinaryPrimitives.WriteUInt32LittleEndian(output[at..], (uint)block.Length | UncompressedBlockBit);
                    at += 4 + block.Length;
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(output[at..], (uint)size);
                    at += 4 + size;
                }
            }
            BinaryPrimitives.WriteUInt32LittleEndian(output[at..], 0);
            return output[..(at + 4)];
        }
    }
}
