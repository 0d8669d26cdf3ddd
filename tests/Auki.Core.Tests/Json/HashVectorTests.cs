using System.Text;
using System.Text.Json.Nodes;
using Auki.Hashing;
using Auki.Json;
using Auki.Registry;

namespace Auki.Core.Tests.Json;

/// <summary>Every vector of section 2 of the compatibility reference: canonical bytes and hash.</summary>
public class HashVectorTests
{
    [Theory]
    [InlineData("", "99aa06d3014798d86001c324468d497f")]
    [InlineData("abc", "06b05ab6733a618578af5f94892f3950")]
    public void Xxh3_128_base_vectors(string input, string expected) =>
        Assert.Equal(expected, ContentHash.Of(Encoding.UTF8.GetBytes(input)));

    [Theory]
    [InlineData("ros_optical", "galbot", "head_left_camera_optical", "3055a8ac27eecd57aa37235b05871c01")]
    [InlineData("ros_body", "galbot", "base_link", "16645bd8584e5ca5fa1030b439da92dc")]
    [InlineData("ros_body", "park", "world", "2cbe0d5894d3346daa167ecb077cce98")]
    [InlineData("ros_body", "test-peer", "K1-AABBCCDDEEFF/base_link", "476d36916dd2c96f09ea57304d0da334")]
    [InlineData("ros_optical", "test-peer", "K1-AABBCCDDEEFF/head_left_cam_optical", "03b86f32827ec6a25a5e619b2f36478b")]
    public void Frame_presets_hash_to_locked_vectors(string preset, string peer, string id, string hash)
    {
        var entry = new RegistryEntry(RegistryKind.Frame, peer, id, FrameDef.Preset(preset)!.ToBody());
        Assert.Equal(hash, entry.Hash());
    }

    [Fact]
    public void Frame_ros_optical_canonical_bytes_match_fixture()
    {
        var entry = new RegistryEntry(RegistryKind.Frame, "galbot", "head_left_camera_optical", FrameDef.RosOptical.ToBody());
        Assert.Equal(
            """{"axes":{"x":"right","y":"down","z":"forward"},"frame_id":"head_left_camera_optical","handedness":"right","peer_id":"galbot","units":"meters"}""",
            Encoding.UTF8.GetString(entry.CanonicalBytes()));
    }

    internal static JsonObject EraACameraBody() => (JsonObject)JsonNode.Parse("""
        {"kind":"camera","type":"rgb","width":1920,"height":1200,"frame_rate_hz":30,"pixel_format":"rgb8","color_space":"srgb",
         "intrinsics_model":"pinhole","distortion_model":"brown_conrady",
         "frame":{"peer_id":"galbot","id":"head_left_camera_optical","hash":"3055a8ac27eecd57aa37235b05871c01"}}
        """)!;

    [Fact]
    public void Era_a_camera_hash_is_locked() =>
        Assert.Equal("8295922307fa2b426453486ba87a59ef",
            new RegistryEntry(RegistryKind.Sensor, "galbot", "head_left_rgb", SensorBody.Parse(EraACameraBody())).Hash());

    [Fact]
    public void Unknown_body_keys_never_reach_the_hash()
    {
        var body = EraACameraBody();
        body["vendor_note"] = "ignored";
        Assert.Equal("8295922307fa2b426453486ba87a59ef",
            new RegistryEntry(RegistryKind.Sensor, "galbot", "head_left_rgb", SensorBody.Parse(body)).Hash());
    }

    private const string M1Frame = """{"peer_id":"test-peer","id":"K1-AABBCCDDEEFF/head_left_cam_optical","hash":"03b86f32827ec6a25a5e619b2f36478b"}""";

    [Fact]
    public void Era_c_camera_canonical_bytes_and_hash_are_locked()
    {
        var body = JsonNode.Parse($$"""
            {"kind":"camera","type":"rgb","width":544,"height":488,"frame_rate_hz":20,"image_encoding":"raw","pixel_format":"YUV_NV12",
             "row_stride_bytes":544,"color_space":"BT.709","intrinsics_model":"pinhole","distortion_model":"plumb_bob","frame":{{M1Frame}}}
            """);
        var entry = new RegistryEntry(RegistryKind.Sensor, "test-peer", "K1-AABBCCDDEEFF/head_left_cam", SensorBody.Parse(body));
        Assert.Equal(
            """{"color_space":"BT.709","distortion_model":"plumb_bob","frame":{"hash":"03b86f32827ec6a25a5e619b2f36478b","id":"K1-AABBCCDDEEFF/head_left_cam_optical","peer_id":"test-peer"},"frame_rate_hz":20,"height":488,"image_encoding":"raw","intrinsics_model":"pinhole","kind":"camera","peer_id":"test-peer","pixel_format":"YUV_NV12","row_stride_bytes":544,"sensor_id":"K1-AABBCCDDEEFF/head_left_cam","type":"rgb","width":544}""",
            Encoding.UTF8.GetString(entry.CanonicalBytes()));
        Assert.Equal("9306d67f99d38ced7c186c0f63734421", entry.Hash());
    }

    [Fact]
    public void Audio_hash_is_locked()
    {
        var body = JsonNode.Parse($$"""
            {"kind":"audio","type":"pcm","sample_rate_hz":48000,"channels":4,"sample_format":"pcm_s16le","channel_layout":"n_channel","frame":{{M1Frame}}}
            """);
        var entry = new RegistryEntry(RegistryKind.Sensor, "test-peer", "K1-AABBCCDDEEFF/head_array_4mic", SensorBody.Parse(body));
        Assert.Equal("3cfe29be8c3382753655f3e693068d88", entry.Hash());
    }

    [Fact]
    public void Joint_encoders_hash_is_locked()
    {
        var body = JsonNode.Parse("""
            {"kind":"joint_encoders","type":"absolute","joint_count":6,"frame_rate_hz":100,
             "frame":{"peer_id":"test-peer","id":"K1-AABBCCDDEEFF/base_link","hash":"476d36916dd2c96f09ea57304d0da334"}}
            """);
        var entry = new RegistryEntry(RegistryKind.Sensor, "test-peer", "K1-AABBCCDDEEFF/right_arm_joints", SensorBody.Parse(body));
        Assert.Equal("3098545a72004674e0f5e2eb4f86ee0e", entry.Hash());
    }

    [Fact]
    public void Rangefinder_canonical_bytes_and_hash_are_locked()
    {
        var body = JsonNode.Parse($$"""
            {"kind":"rangefinder","type":"point_cloud","point_step":12,"is_bigendian":false,"frame_rate_hz":10,"frame":{{M1Frame}},
             "fields":[{"name":"x","offset":0,"datatype":"float32","count":1},{"name":"y","offset":4,"datatype":"float32","count":1},{"name":"z","offset":8,"datatype":"float32","count":1}]}
            """);
        var entry = new RegistryEntry(RegistryKind.Sensor, "test-peer", "K1-AABBCCDDEEFF/head_depth_points", SensorBody.Parse(body));
        Assert.Equal(
            """{"fields":[{"count":1,"datatype":"float32","name":"x","offset":0},{"count":1,"datatype":"float32","name":"y","offset":4},{"count":1,"datatype":"float32","name":"z","offset":8}],"frame":{"hash":"03b86f32827ec6a25a5e619b2f36478b","id":"K1-AABBCCDDEEFF/head_left_cam_optical","peer_id":"test-peer"},"frame_rate_hz":10,"is_bigendian":false,"kind":"rangefinder","peer_id":"test-peer","point_step":12,"sensor_id":"K1-AABBCCDDEEFF/head_depth_points","type":"point_cloud"}""",
            Encoding.UTF8.GetString(entry.CanonicalBytes()));
        Assert.Equal("9522242bd92110b03c024e512e0274cd", entry.Hash());
    }

    [Theory]
    [InlineData("session/sdk_clock", """{"type":"monotonic_clock","unit":"nanoseconds","monotonic":true,"scope":"device-local"}""", "fb0120a35f4fd1de8a7d46f5e76b7f68")]
    [InlineData("wall_clock", """{"type":"utc_clock","unit":"nanoseconds","monotonic":false,"scope":"global","epoch":"1970-01-01T00:00:00Z"}""", "a149244453307763c261dc1759be5373")]
    public void Era_a_clock_hashes_are_locked(string id, string body, string hash) =>
        Assert.Equal(hash, new RegistryEntry(RegistryKind.Clock, "galbot", id, ClockBody.Parse(JsonNode.Parse(body))).Hash());

    [Fact]
    public void Era_c_clocks_carry_session_id_and_hash_to_locked_vectors()
    {
        var mono = new RegistryEntry(RegistryKind.Clock, "galbot", "K1-AABBCCDDEEFF/monotonic",
            ClockBody.Parse(JsonNode.Parse("""{"type":"monotonic_clock","unit":"milliseconds","monotonic":true,"scope":"device-local"}""")), "sess-m1");
        var utc = new RegistryEntry(RegistryKind.Clock, "galbot", "K1-AABBCCDDEEFF/utc",
            ClockBody.Parse(JsonNode.Parse("""{"type":"utc_clock","unit":"milliseconds","monotonic":false,"scope":"global","epoch":"1970-01-01T00:00:00Z"}""")), "sess-m1");
        Assert.Equal("""{"clock_id":"K1-AABBCCDDEEFF/monotonic","epoch":null,"monotonic":true,"peer_id":"galbot","scope":"device-local","session_id":"sess-m1","type":"monotonic_clock","unit":"milliseconds"}""",
            Encoding.UTF8.GetString(mono.CanonicalBytes()));
        Assert.Equal("107238adc0441893cbfd35c41b5ec989", mono.Hash());
        Assert.Equal("79eb38239c937eaa63863d25f822947a", utc.Hash());
    }

    [Fact]
    public void Detector_without_input_types_hashes_to_era_a_vector()
    {
        var body = DetectorBody.Parse(JsonNode.Parse("""{"type":"object_detection","model":"yolo_v8n"}"""));
        body["output_types"] = DetectorBody.ParseOutputTypes(JsonNode.Parse("""["object_detection"]"""));
        Assert.Equal("031308c146a2f6f086713388dc01f60e", new RegistryEntry(RegistryKind.Detector, "galbot", "yolo_v8", body).Hash());
    }

    [Fact]
    public void Aruco_detector_with_empty_input_types_matches_era_c_bytes()
    {
        var body = DetectorBody.Parse(JsonNode.Parse("""{"type":"aruco","dictionary":"5x5_50"}"""));
        body["output_types"] = DetectorBody.ParseOutputTypes(JsonNode.Parse("""["aruco"]"""));
        body["input_types"] = DetectorBody.ParseInputTypes(JsonNode.Parse("[]"));
        Assert.Equal("""{"detector_id":"aukilabs/aruco/v1","dictionary":"5x5_50","input_types":[],"output_types":["aruco"],"peer_id":"galbot","type":"aruco"}""",
            Encoding.UTF8.GetString(new RegistryEntry(RegistryKind.Detector, "galbot", "aukilabs/aruco/v1", body).CanonicalBytes()));
    }

    [Theory]
    [InlineData("""{"kind":"ros2_tf","publishers":["amcl","robot_state_publisher","tf_broadcaster"]}""", "f3d296341347589c72297a0cc7c81cd8")]
    [InlineData("""{"kind":"local_clock_read"}""", "8dcea0b9b0b2219d651e0856f112cd65")]
    public void Source_vectors(string json, string hash) =>
        Assert.Equal(hash, ContentHash.Of(CanonicalJson.Canonicalize(json)));
}
