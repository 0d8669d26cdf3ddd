using System.Text.Json.Nodes;
using Auki.Core.Tests.Export;
using Auki.Datatypes.TimeTransform;
using Auki.Export;
using Auki.Foxglove.Messages;
using Auki.Manifests;
using Auki.Registry;
using Auki.Sessions;
using Google.Protobuf;

namespace Auki.Core.Tests.Foxglove;

/// <summary>The Foxglove profile through the exporter: UTC log times merged across clocks, the latched calibration, metadata records.</summary>
public sealed class FoxgloveExportTests : IDisposable
{
    private const long Offset = 1_764_000_000_000_000_000;
    private readonly TempDir _dir = new();

    public FoxgloveExportTests()
    {
        // robot: a calibrated camera on a monotonic clock with a time transform to UTC (offset +Offset, no drift).
        var robot = new Peer("robot", "app") { StorageRoot = _dir.Path };
        var optical = robot.RegisterFrame("cam_optical", FrameDef.RosOptical);
        var cam = robot.RegisterSensor("cam", new JsonObject
        {
            ["kind"] = "camera",
            ["type"] = "mono",
            ["width"] = 1,
            ["height"] = 1,
            ["frame_rate_hz"] = 10,
            ["image_encoding"] = "raw",
            ["pixel_format"] = "mono8",
            ["row_stride_bytes"] = 1,
            ["color_space"] = "srgb",
            ["intrinsics_model"] = "pinhole",
            ["distortion_model"] = "none",
            ["calibration"] = new JsonObject { ["fx"] = 1.0, ["fy"] = 1.0, ["cx"] = 0.5, ["cy"] = 0.5 },
            ["frame"] = optical.ToJson(),
        });
        var session = robot.StartSession();
        var tt = session.RegisterLog(new TimeTransformLogSpec(session.MonotonicClock!, session.UtcClock!, new JsonObject { ["kind"] = "local_clock_read" },
            HeadSpec.Rolling(0), 60_000_000_000, 0));
        tt.AppendTyped(0, new TimeTransformEntry { OffsetNs = Offset }.ToByteArray());
        var camLog = session.RegisterLog(new SensorLogSpec(cam, session.MonotonicClock!, HeadSpec.Rolling(0), 100_000_000, 0, optical));
        for (int i = 0; i < 40; i++)
            camLog.AppendTyped(i * 50_000_000L, new Auki.Datatypes.Camera.CameraFrame { Frame = ByteString.CopyFrom([(byte)i]) }.ToByteArray());
        // The same instants on the UTC clock, 1 ns later each: merged, they must interleave.
        var gps = robot.RegisterSensor("gps", new JsonObject { ["kind"] = "scalar", ["type"] = "time", ["unit"] = "s", ["expected_rate_hz"] = 20 });
        var gpsLog = session.RegisterLog(new SensorLogSpec(gps, session.UtcClock!, HeadSpec.Rolling(0), 100_000_000, 0));
        for (int i = 0; i < 40; i++) gpsLog.AppendTyped(Offset + i * 50_000_000L + 1, new Auki.Datatypes.Scalar.Data { Value = i }.ToByteArray());
        foreach (var log in session.AllLogs()) log.Data.Close();
    }

    public void Dispose() => _dir.Dispose();

    private McapTestReader Export(McapExportOptions options)
    {
        using var stream = new MemoryStream();
        McapExporter.ExportStore(_dir.Path, stream, options);
        return new McapTestReader(stream.ToArray());
    }

    private static McapExportOptions Foxglove(int parallelism = 1) => new()
    {
        Profile = McapProfile.Foxglove,
        Time = McapTime.Utc,
        Parallelism = parallelism,
        SliceBytes = 256,
        ChunkSize = 2048,
        Compression = McapCompression.None,
    };

    [Fact]
    public void Logs_on_different_clocks_merge_in_UTC_order_across_many_parallel_slices()
    {
        var single = Export(Foxglove());
        var parallel = Export(Foxglove(parallelism: 2));
        var cam = single.Channels.Single(c => c.Topic == "/robot/cam").Id;
        var gps = single.Channels.Single(c => c.Topic == "/robot/gps").Id;
        var times = single.Messages.Where(m => m.ChannelId == cam || m.ChannelId == gps).Select(m => (m.LogTime, m.ChannelId)).ToList();
        var expected = Enumerable.Range(0, 40).SelectMany(i => new[] { ((ulong)(Offset + i * 50_000_000L), cam), ((ulong)(Offset + i * 50_000_000L + 1), gps) });
        Assert.Equal(expected, times);
        Assert.True(parallel.ChunkIndexes.Count > 3, $"{parallel.ChunkIndexes.Count} chunks");
        Assert.Equal(single.Messages.Select(m => (m.ChannelId, m.Sequence, m.LogTime, Convert.ToHexString(m.Data))),
            parallel.Messages.Select(m => (m.ChannelId, m.Sequence, m.LogTime, Convert.ToHexString(m.Data))));
    }

    [Fact]
    public void From_and_to_are_utc_times_and_the_calibration_is_written_once_at_the_first_frame_in_them()
    {
        var file = Export(Foxglove(parallelism: 2) with { FromNs = Offset + 1_000_000_000, ToNs = Offset + 1_500_000_000 });
        var cam = file.Channels.Single(c => c.Topic == "/robot/cam").Id;
        var calibration = file.Channels.Single(c => c.Topic == "/robot/cam/calibration");
        var frames = file.Messages.Where(m => m.ChannelId == cam).ToList();
        Assert.Equal(Enumerable.Range(20, 11).Select(i => (ulong)(Offset + i * 50_000_000L)), frames.Select(m => m.LogTime));
        Assert.Equal((byte)20, RawImage.Parser.ParseFrom(frames[0].Data).Data[0]);
        var latched = Assert.Single(file.Messages, m => m.ChannelId == calibration.Id);
        Assert.Equal((ulong)(Offset + 1_000_000_000), latched.LogTime);
        Assert.Equal("robot/cam_optical", CameraCalibration.Parser.ParseFrom(latched.Data).FrameId);
        Assert.Equal("foxglove.CameraCalibration", file.Schemas.Single(s => s.Id == calibration.SchemaId).Name);
    }

    [Fact]
    public void The_foxglove_profile_writes_metadata_records_and_the_raw_profile_none()
    {
        var foxglove = Export(Foxglove());
        var metadata = foxglove.Records.Where(r => r.Opcode == 0x0C).ToList();
        Assert.True(metadata.Count >= 1 + 1 + 3 + 4, $"{metadata.Count}"); // export, session, 3 manifests, registry entries
        Assert.Equal(metadata.Count, foxglove.Records.Count(r => r.Opcode == 0x0D)); // each indexed in the summary
        var raw = Export(new McapExportOptions { Compression = McapCompression.None });
        Assert.DoesNotContain(raw.Records, r => r.Opcode is 0x0C or 0x0D);
        Assert.All(raw.Channels, c => Assert.Equal(McapExporter.MessageEncoding, c.MessageEncoding));
        // Raw keeps each log's own clock unless asked otherwise.
        Assert.Equal(0UL, raw.Messages.Min(m => m.LogTime));
    }

    [Fact]
    public void Entries_that_do_not_convert_leave_no_gap_in_chunks_or_sequence_numbers()
    {
        using var dir = new TempDir();
        var peer = new Peer("p", "app") { StorageRoot = dir.Path };
        var imu = peer.RegisterSensor("imu", new JsonObject { ["kind"] = "scalar", ["type"] = "time", ["unit"] = "s", ["expected_rate_hz"] = 20 });
        var session = peer.StartSession();
        var log = session.RegisterLog(new SensorLogSpec(imu, session.MonotonicClock!, HeadSpec.Rolling(0), 100_000_000, 0));
        var kept = new List<long>();
        for (int i = 0; i < 300; i++)
        {
            // Runs of entries that do not decode (a truncated varint), some longer than a chunk holds.
            bool bad = i % 7 == 3 || (i >= 100 && i < 160);
            log.Data.Append(i * 1_000_000L, bad ? [0x08, 0xFF] : new Auki.Datatypes.Scalar.Data { Value = i }.ToByteArray()); // unchecked, as another writer could have
            if (!bad) kept.Add(i * 1_000_000L);
        }
        log.Data.Close();
        foreach (int parallelism in new[] { 1, 2 })
        {
            using var stream = new MemoryStream();
            var summary = McapExporter.ExportStore(dir.Path, stream, new McapExportOptions
            {
                Profile = McapProfile.Foxglove,
                Parallelism = parallelism,
                SliceBytes = 128,
                ChunkSize = 256,
                Compression = McapCompression.None,
            });
            var file = new McapTestReader(stream.ToArray());
            var channel = file.Channels.Single(c => c.Topic == "/p/imu").Id;
            var messages = file.Messages.Where(m => m.ChannelId == channel).ToList();
            Assert.Equal(kept.Select(t => (ulong)t), messages.Select(m => m.LogTime));
            Assert.Equal(Enumerable.Range(0, kept.Count).Select(i => (uint)i), messages.Select(m => m.Sequence));
            Assert.Equal(300 - kept.Count, summary.Skipped);
            Assert.True(file.ChunkIndexes.Count > 3, $"{file.ChunkIndexes.Count} chunks");
        }
    }

    [Fact]
    public void Large_frames_of_sealed_segments_export_as_the_same_messages_uncompressed_and_compressed()
    {
        // Raw frames and jpeg files at and around the size from which a sealed segment's payload
        // stays in its mapping (the chunk copies only the fields around it), beside small ones.
        using var dir = new TempDir();
        var peer = new Peer("p", "app") { StorageRoot = dir.Path };
        var optical = peer.RegisterFrame("cam_optical", FrameDef.RosOptical);
        JsonObject Camera(string encoding, int width, int height) => new()
        {
            ["kind"] = "camera",
            ["type"] = "mono",
            ["width"] = width,
            ["height"] = height,
            ["frame_rate_hz"] = 10,
            ["image_encoding"] = encoding,
            ["pixel_format"] = "mono8",
            ["row_stride_bytes"] = encoding == "raw" ? width : 0,
            ["color_space"] = "srgb",
            ["intrinsics_model"] = "pinhole",
            ["distortion_model"] = "none",
            ["frame"] = optical.ToJson(),
        };
        var session = peer.StartSession();
        var big = session.RegisterLog(new SensorLogSpec(peer.RegisterSensor("big", Camera("raw", 512, 256)), session.MonotonicClock!, HeadSpec.Rolling(0), 100_000_000, 0, optical));
        var small = session.RegisterLog(new SensorLogSpec(peer.RegisterSensor("small", Camera("raw", 16, 16)), session.MonotonicClock!, HeadSpec.Rolling(0), 100_000_000, 0, optical));
        var jpeg = session.RegisterLog(new SensorLogSpec(peer.RegisterSensor("jpeg", Camera("jpeg", 640, 480)), session.MonotonicClock!, HeadSpec.Rolling(0), 100_000_000, 0, optical));
        byte[] Pixels(int n, int i) => Enumerable.Range(0, n).Select(k => (byte)(k * 13 + i)).ToArray();
        int[] files = [McapExporter.MinViewBytes - 40, McapExporter.MinViewBytes, 100_000];
        for (int i = 0; i < 30; i++)
        {
            long ts = i * 33_000_000L;
            big.AppendTyped(ts, new Auki.Datatypes.Camera.CameraFrame { Frame = ByteString.CopyFrom(Pixels(512 * 256, i)) }.ToByteArray());
            small.AppendTyped(ts + 1, new Auki.Datatypes.Camera.CameraFrame { Frame = ByteString.CopyFrom(Pixels(256, i)) }.ToByteArray());
            jpeg.AppendTyped(ts + 2, new Auki.Datatypes.Camera.CameraFrame { Frame = ByteString.CopyFrom(Pixels(files[i % files.Length], i)) }.ToByteArray());
        }
        foreach (var log in session.AllLogs()) log.Data.Close();
        var options = new McapExportOptions { Profile = McapProfile.Foxglove, ChunkSize = 400_000 };
        List<(ushort, uint, ulong, string)>? expected = null;
        foreach (var o in new[]
        {
            options with { Compression = McapCompression.None, Parallelism = 1 },
            options with { Compression = McapCompression.None, Parallelism = 2, SliceBytes = 1 },
            options with { Compression = McapCompression.Zstd, Parallelism = 2, SliceBytes = 1 },
        })
        {
            using var stream = new MemoryStream();
            McapExporter.ExportStore(dir.Path, stream, o);
            var bytes = stream.ToArray();
            var file = new McapTestReader(bytes); // checks every chunk's CRC
            Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan(0, (int)file.DataEndOffset)), file.DataSectionCrc);
            var frames = file.Messages.Where(m => m.ChannelId == file.Channels.Single(c => c.Topic == "/p/big").Id).ToList();
            Assert.Equal(30, frames.Count);
            for (int i = 0; i < 30; i++)
            {
                var image = RawImage.Parser.ParseFrom(frames[i].Data);
                Assert.Equal((512u, 256u, 512u, "mono8", "p/cam_optical"), (image.Width, image.Height, image.Step, image.Encoding, image.FrameId));
                Assert.Equal(Pixels(512 * 256, i), image.Data.ToByteArray());
            }
            var files_ = file.Messages.Where(m => m.ChannelId == file.Channels.Single(c => c.Topic == "/p/jpeg").Id).ToList();
            Assert.Equal(Enumerable.Range(0, 30).Select(i => Convert.ToHexString(Pixels(files[i % files.Length], i))),
                files_.Select(m => Convert.ToHexString(CompressedImage.Parser.ParseFrom(m.Data).Data.ToByteArray())));
            var messages = file.Messages.Select(m => (m.ChannelId, m.Sequence, m.LogTime, Convert.ToHexString(m.Data))).ToList();
            Assert.Equal(90 + file.Messages.Count(m => file.Channels.Single(c => c.Id == m.ChannelId).Topic.EndsWith("/calibration", StringComparison.Ordinal)), messages.Count);
            expected ??= messages;
            Assert.Equal(expected, messages);
        }
    }
}
