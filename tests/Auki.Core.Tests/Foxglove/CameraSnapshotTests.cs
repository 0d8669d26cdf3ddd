using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Auki.Datatypes.Camera;
using Auki.Export;
using Auki.Inspect;
using Auki.Registry;
using Auki.Manifests;
using Auki.Sessions;
using Google.Protobuf;

namespace Auki.Core.Tests.Foxglove;

/// <summary><c>auki frame</c>'s core: the nearest frame, written as a PNG whose rows are the recorded pixels.</summary>
public class CameraSnapshotTests
{
    private static TypedLog CameraLog(TempDir dir, string pixelFormat, int stride, params (long Ts, byte[] Pixels)[] frames)
    {
        var peer = new Peer("robot", "app") { StorageRoot = dir.Path };
        var optical = peer.RegisterFrame("cam_optical", FrameDef.RosOptical);
        var sensor = peer.RegisterSensor("cam", new JsonObject
        {
            ["kind"] = "camera",
            ["type"] = "rgb",
            ["width"] = 2,
            ["height"] = 2,
            ["frame_rate_hz"] = 10,
            ["image_encoding"] = "raw",
            ["pixel_format"] = pixelFormat,
            ["row_stride_bytes"] = stride,
            ["color_space"] = "srgb",
            ["intrinsics_model"] = "pinhole",
            ["distortion_model"] = "none",
            ["frame"] = optical.ToJson(),
        });
        var session = peer.StartSession();
        var log = session.RegisterLog(new SensorLogSpec(sensor, session.MonotonicClock!, HeadSpec.Rolling(0), 1_000, 0, optical));
        foreach (var (ts, pixels) in frames) log.AppendTyped(ts, new CameraFrame { Frame = ByteString.CopyFrom(pixels) }.ToByteArray());
        log.Data.Close();
        return TypedLog.Open(log.Root);
    }

    /// <summary>IHDR fields and the unfiltered rows (every row filter 0, as the encoder writes).</summary>
    private static (uint Width, uint Height, byte Depth, byte Color, byte[] Rows) Decode(byte[] png)
    {
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        int pos = 8;
        uint width = 0, height = 0;
        byte depth = 0, color = 0;
        var idat = new MemoryStream();
        while (pos < png.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(png.AsSpan(pos + 4, length + 4)), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length)));
            if (type == "IHDR") (width, height, depth, color) = (BinaryPrimitives.ReadUInt32BigEndian(data), BinaryPrimitives.ReadUInt32BigEndian(data[4..]), data[8], data[9]);
            if (type == "IDAT") idat.Write(data);
            pos += 12 + length;
        }
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(inflated);
        return (width, height, depth, color, inflated.ToArray());
    }

    [Fact]
    public void The_nearest_frame_is_written_and_a_tie_goes_to_the_earlier_one()
    {
        using var dir = new TempDir();
        var log = CameraLog(dir, "mono8", 2, (100, [1, 1, 1, 1]), (200, [2, 2, 2, 2]), (5_000, [3, 3, 3, 3]));
        Assert.Equal(100, CameraSnapshot.Write(log, 149, Stream.Null).TimestampNs);
        Assert.Equal(100, CameraSnapshot.Write(log, 150, Stream.Null).TimestampNs); // equally near: the earlier
        Assert.Equal(200, CameraSnapshot.Write(log, 151, Stream.Null).TimestampNs);
        Assert.Equal(100, CameraSnapshot.Write(log, -9, Stream.Null).TimestampNs);
        Assert.Equal(5_000, CameraSnapshot.Write(log, 4_000, Stream.Null).TimestampNs); // across empty segments
        Assert.Equal(5_000, CameraSnapshot.Write(log, long.MaxValue, Stream.Null).TimestampNs);
    }

    [Fact]
    public void A_bgr8_frame_becomes_an_rgb_PNG_without_its_row_padding()
    {
        using var dir = new TempDir();
        var log = CameraLog(dir, "bgr8", 8, (10, [1, 2, 3, 4, 5, 6, 0xEE, 0xEE, 7, 8, 9, 10, 11, 12, 0xEE, 0xEE]));
        using var png = new MemoryStream();
        var result = CameraSnapshot.Write(log, 10, png);
        Assert.False(result.Copied);
        var (width, height, depth, color, rows) = Decode(png.ToArray());
        Assert.Equal((2u, 2u, (byte)8, (byte)2), (width, height, depth, color));
        Assert.Equal([0, 3, 2, 1, 6, 5, 4, 0, 9, 8, 7, 12, 11, 10], rows);
    }

    [Fact]
    public void A_mono16_frame_keeps_16_bits_big_endian_as_PNG_stores_them()
    {
        using var dir = new TempDir();
        var log = CameraLog(dir, "mono16", 4, (10, [0x02, 0x01, 0x00, 0xFF, 0x34, 0x12, 0xCD, 0xAB]));
        using var png = new MemoryStream();
        CameraSnapshot.Write(log, 10, png);
        var (_, _, depth, color, rows) = Decode(png.ToArray());
        Assert.Equal(((byte)16, (byte)0), (depth, color));
        Assert.Equal([0, 0x01, 0x02, 0xFF, 0x00, 0, 0x12, 0x34, 0xAB, 0xCD], rows);
    }

    [Fact]
    public void A_log_that_is_not_a_camera_or_a_format_PNG_cannot_carry_is_refused()
    {
        using var dir = new TempDir();
        var log = CameraLog(dir, "nv12", 2, (10, [1, 2, 3, 4, 5, 6])); // 2 rows of luma, 1 of chroma
        var e = Assert.Throws<AukiException>(() => CameraSnapshot.Write(log, 10, Stream.Null));
        Assert.Contains("nv12", e.Message);
    }
}
