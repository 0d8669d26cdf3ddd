using System.Text.Json.Nodes;
using Auki.Registry;

namespace Auki.Core.Tests.Registry;

/// <summary>Section 6.1: content-addressed, atomic, idempotent files; write-time validation.</summary>
public class RegistryStoreTests
{
    private static RegistryEntry Frame(string peer = "galbot", string id = "head_left_camera_optical") =>
        new(RegistryKind.Frame, peer, id, FrameDef.RosOptical.ToBody());

    [Fact]
    public void Entries_land_at_the_documented_path_with_canonical_bytes()
    {
        using var dir = new TempDir();
        var entry = Frame("test-peer", "K1-AABBCCDDEEFF/head_left_cam_optical");
        Assert.True(RegistryStore.Write(dir.Path, entry));
        var path = dir["registries/frames/test-peer/K1-AABBCCDDEEFF__head_left_cam_optical/03b86f32827ec6a25a5e619b2f36478b.json"];
        Assert.Equal(entry.CanonicalBytes(), File.ReadAllBytes(path));
    }

    [Fact]
    public void Writing_identical_content_twice_is_a_no_op()
    {
        using var dir = new TempDir();
        Assert.True(RegistryStore.Write(dir.Path, Frame()));
        Assert.False(RegistryStore.Write(dir.Path, Frame()));
        Assert.Single(Directory.GetFiles(dir["registries/frames/galbot/head_left_camera_optical"]));
    }

    [Fact]
    public void Different_content_under_one_id_is_a_sibling_version()
    {
        using var dir = new TempDir();
        RegistryStore.Write(dir.Path, Frame());
        RegistryStore.Write(dir.Path, new RegistryEntry(RegistryKind.Frame, "galbot", "head_left_camera_optical", FrameDef.RosBody.ToBody()));
        Assert.Equal(2, Directory.GetFiles(dir["registries/frames/galbot/head_left_camera_optical"]).Length);
    }

    [Fact]
    public void No_temp_files_are_left_behind()
    {
        using var dir = new TempDir();
        RegistryStore.Write(dir.Path, Frame());
        Assert.DoesNotContain(Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories), f => f.EndsWith(".tmp"));
    }

    [Fact]
    public void Sensor_with_missing_frame_is_refused_and_nothing_is_written()
    {
        using var dir = new TempDir();
        var sensor = new RegistryEntry(RegistryKind.Sensor, "galbot", "head_left_rgb", SensorBody.Parse(Json.HashVectorTests.EraACameraBody()));
        var e = Assert.Throws<AukiException>(() => RegistryStore.Write(dir.Path, sensor));
        Assert.Equal("sensor \"head_left_rgb\" references missing frame (\"head_left_camera_optical\", \"3055a8ac27eecd57aa37235b05871c01\")", e.Message);
        Assert.False(Directory.Exists(dir["registries/sensors"]));
    }

    [Fact]
    public void Sensor_frame_hash_must_be_lowercase_hex_and_reports_the_missing_frame()
    {
        using var dir = new TempDir();
        var body = Json.HashVectorTests.EraACameraBody();
        body["frame"]!["hash"] = "NOT-HEX";
        var sensor = new RegistryEntry(RegistryKind.Sensor, "galbot", "head_left_rgb", SensorBody.Parse(body));
        Assert.Equal("sensor \"head_left_rgb\" references missing frame (\"head_left_camera_optical\", \"NOT-HEX\"): " +
            "invalid blob: registry hash must be 32 lowercase hex characters",
            Assert.Throws<AukiException>(() => RegistryStore.Write(dir.Path, sensor)).Message);
    }

    [Fact]
    public void Read_round_trips_and_missing_versions_read_as_null()
    {
        using var dir = new TempDir();
        var entry = Frame();
        RegistryStore.Write(dir.Path, entry);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(entry.CanonicalBytes()),
            RegistryStore.Read(dir.Path, RegistryKind.Frame, "galbot", "head_left_camera_optical", entry.Hash()));
        Assert.Null(RegistryStore.Read(dir.Path, RegistryKind.Frame, "galbot", "head_left_camera_optical", new string('0', 32)));
        Assert.Null(RegistryStore.Read(dir.Path, RegistryKind.Frame, "galbot", "head_left_camera_optical", "missing"));
    }

    [Fact]
    public void Read_detects_a_file_whose_bytes_do_not_match_its_name()
    {
        using var dir = new TempDir();
        var entry = Frame();
        RegistryStore.Write(dir.Path, entry);
        var path = RegistryStore.EntryPath(dir.Path, RegistryKind.Frame, "galbot", "head_left_camera_optical", entry.Hash());
        File.WriteAllText(path, File.ReadAllText(path).Replace("meters", "millimeters"));
        Assert.Equal(AukiErrorCode.Corrupt,
            Assert.Throws<AukiException>(() => RegistryStore.Read(dir.Path, RegistryKind.Frame, "galbot", "head_left_camera_optical", entry.Hash())).Code);
    }

    [Theory]
    [InlineData("""{"kind":"camera","type":"rgb","width":0,"height":1,"frame_rate_hz":30,"pixel_format":"rgb8","color_space":"s","intrinsics_model":"p","distortion_model":"d","frame":{"peer_id":"p","id":"f","hash":"h"}}""", "invalid image layout: width and height must be positive")]
    [InlineData("""{"kind":"camera","type":"rgb","width":2,"height":1,"frame_rate_hz":30,"image_encoding":"raw","row_stride_bytes":0,"pixel_format":"rgb8","color_space":"s","intrinsics_model":"p","distortion_model":"d","frame":{"peer_id":"p","id":"f","hash":"h"}}""", "invalid image layout: raw images require a positive row_stride_bytes")]
    [InlineData("""{"kind":"camera","type":"rgb","width":2,"height":1,"frame_rate_hz":30,"image_encoding":"jpeg","row_stride_bytes":6,"pixel_format":"rgb8","color_space":"s","intrinsics_model":"p","distortion_model":"d","frame":{"peer_id":"p","id":"f","hash":"h"}}""", "invalid image layout: compressed images must set row_stride_bytes to zero")]
    [InlineData("""{"kind":"camera","type":"rgb","width":2,"height":1,"frame_rate_hz":30,"image_encoding":"raw","row_stride_bytes":6,"pixel_format":"rgb8","color_space":"s","intrinsics_model":"p","distortion_model":"d","calibration":{"fx":0,"fy":1,"cx":0,"cy":0},"frame":{"peer_id":"p","id":"f","hash":"h"}}""", "invalid camera calibration: fx and fy must be finite and positive")]
    [InlineData("""{"kind":"scalar","type":"battery_charge","unit":"","expected_rate_hz":1}""", "invalid scalar sensor: unit must be non-empty")]
    [InlineData("""{"kind":"scalar","type":"battery_charge","unit":"%","expected_rate_hz":0}""", "invalid scalar sensor: expected_rate_hz must be positive")]
    public void Write_time_validation_uses_upstream_messages(string body, string message)
    {
        using var dir = new TempDir();
        var sensor = new RegistryEntry(RegistryKind.Sensor, "galbot", "s", SensorBody.Parse(JsonNode.Parse(body)));
        Assert.Equal(message, Assert.Throws<AukiException>(() => RegistryStore.Write(dir.Path, sensor)).Message);
    }

    [Fact]
    public void Calibration_is_kept_with_ecmascript_numbers_and_empty_coefficients_dropped()
    {
        var body = SensorBody.Parse(JsonNode.Parse("""{"kind":"camera","type":"rgb","width":2,"height":1,"frame_rate_hz":30,"pixel_format":"rgb8","color_space":"s","intrinsics_model":"p","distortion_model":"d","calibration":{"fx":400.0,"fy":400.5,"cx":1,"cy":0.25,"distortion_coefficients":[]},"frame":{"peer_id":"p","id":"f","hash":"h"}}"""));
        Assert.Equal("""{"cx":1,"cy":0.25,"fx":400,"fy":400.5}""", Auki.Json.CanonicalJson.SerializeToString(body["calibration"]));
    }

    [Theory]
    [InlineData("""{"kind":"camera","type":"rgb","height":1,"frame_rate_hz":30,"pixel_format":"rgb8","color_space":"s","intrinsics_model":"p","distortion_model":"d","frame":{"peer_id":"p","id":"f","hash":"h"}}""", "missing field `width`")]
    [InlineData("""{"kind":"camera","type":"rgb","width":1.5,"height":1,"frame_rate_hz":30}""", "invalid type: floating point `1.5`, expected u32")]
    [InlineData("""{"kind":"camera","type":"rgb","width":30.0,"height":1,"frame_rate_hz":30}""", "invalid type: floating point `30.0`, expected u32")]
    [InlineData("""{"kind":"camera","type":"rgb","width":-1,"height":1,"frame_rate_hz":30}""", "invalid value: integer `-1`, expected u32")]
    [InlineData("""{"kind":"camera","type":7}""", "invalid type: integer `7`, expected a string")]
    [InlineData("""{"kind":"lidar"}""", "unknown variant `lidar`, expected one of `camera`, `rangefinder`, `rf`, `audio`, `joint_encoders`, `scalar`")]
    [InlineData("""{"type":"rgb"}""", "missing field `kind`")]
    [InlineData("""[1]""", "invalid type: sequence, expected internally tagged enum SensorBody")]
    [InlineData("""{"kind":"audio","type":"pcm","sample_rate_hz":1,"channels":1,"sample_format":"mp3","channel_layout":"mono","frame":{}}""", "unknown variant `mp3`, expected one of `pcm_s16le`, `pcm_s24le`, `pcm_s32le`, `pcm_f32le`, `pcm_f64le`")]
    public void Body_parse_errors_use_serde_wording(string body, string message) =>
        Assert.Equal(message, Assert.Throws<AukiException>(() => SensorBody.Parse(JsonNode.Parse(body))).Message);

    [Fact]
    public void Non_orthogonal_custom_frames_are_refused()
    {
        var e = Assert.Throws<AukiException>(() => FrameDef.Custom("right", "up", "down", "forward", "meters").Validate());
        Assert.StartsWith("invalid axes: axes must be orthogonal", e.Message);
    }

    [Fact]
    public void Custom_frame_preserving_a_remote_convention_hashes_like_the_equal_preset()
    {
        var custom = FrameDef.Parse("""{"handedness":"right","axes":{"x":"forward","y":"left","z":"up"},"units":"meters"}""");
        custom.Validate();
        Assert.Equal("16645bd8584e5ca5fa1030b439da92dc", new RegistryEntry(RegistryKind.Frame, "galbot", "base_link", custom.ToBody()).Hash());
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("short")]
    [InlineData("zeros")]
    public void What_a_crash_leaves_of_an_entry_reads_as_corrupt_and_is_repaired_by_writing_it_again(string damage)
    {
        using var dir = new TempDir();
        var entry = Frame();
        RegistryStore.Write(dir.Path, entry);
        string path = RegistryStore.EntryPath(dir.Path, RegistryKind.Frame, "galbot", entry.Id, entry.Hash());
        byte[] whole = entry.CanonicalBytes();
        File.WriteAllBytes(path, damage switch { "empty" => [], "short" => whole[..(whole.Length / 2)], _ => new byte[whole.Length] });
        var e = Assert.Throws<AukiException>(() => RegistryStore.Read(dir.Path, RegistryKind.Frame, "galbot", entry.Id, entry.Hash()));
        Assert.Equal(AukiErrorCode.Corrupt, e.Code);
        Assert.StartsWith($"hash mismatch: frames/galbot/{entry.Id} stored as {entry.Hash()} hashes to ", e.Message);
        Assert.Equal(AukiErrorCode.Corrupt, Assert.Throws<AukiException>(() => RegistryStore.ReadBytes(dir.Path, RegistryKind.Frame, "galbot", entry.Id, entry.Hash())).Code);
        Assert.True(RegistryStore.Write(dir.Path, entry));
        Assert.Equal(whole, File.ReadAllBytes(path));
    }

    [Fact]
    public void Only_a_shorter_or_zero_filled_copy_counts_as_a_crash_remnant()
    {
        byte[] canonical = "{\"a\":1}"u8.ToArray();
        Assert.True(RegistryStore.IsCrashRemnantOf([], canonical));
        Assert.True(RegistryStore.IsCrashRemnantOf("{\"a"u8, canonical));
        Assert.True(RegistryStore.IsCrashRemnantOf(new byte[canonical.Length], canonical));
        Assert.True(RegistryStore.IsCrashRemnantOf([(byte)'{', 0, 0, (byte)'"'], canonical));
        Assert.False(RegistryStore.IsCrashRemnantOf(canonical, canonical)); // intact
        Assert.False(RegistryStore.IsCrashRemnantOf("{\"b\":1}"u8, canonical)); // someone else's bytes
        Assert.False(RegistryStore.IsCrashRemnantOf("{\"a\":1} "u8, canonical)); // longer
    }

    [Fact]
    public void A_sensor_naming_a_damaged_frame_is_refused_as_corrupt()
    {
        using var dir = new TempDir();
        var frame = Frame();
        RegistryStore.Write(dir.Path, frame);
        File.WriteAllBytes(RegistryStore.EntryPath(dir.Path, RegistryKind.Frame, "galbot", frame.Id, frame.Hash()), []);
        var sensor = new RegistryEntry(RegistryKind.Sensor, "galbot", "head_left_rgb", SensorBody.Parse(Json.HashVectorTests.EraACameraBody()));
        Assert.Equal(AukiErrorCode.Corrupt, Assert.Throws<AukiException>(() => RegistryStore.Write(dir.Path, sensor)).Code);
        Assert.False(Directory.Exists(dir["registries/sensors"]));
    }
}
