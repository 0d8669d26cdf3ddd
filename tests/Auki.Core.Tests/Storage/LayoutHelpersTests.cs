using Auki.Json;
using Auki.Storage;

namespace Auki.Core.Tests.Storage;

/// <summary>auki_layout's helpers resolve through StorageLayout: upstream's paths, ids checked by PathId.</summary>
public class LayoutHelpersTests
{
    private const string App = "/home/booster/auki/boosterapp";

    [Theory]
    [InlineData("sensor_entry_path", new[] { App, "K1-AABBCCDDEEFF/head_left_cam", "deadbeef" }, App + "/registries/sensors/K1-AABBCCDDEEFF__head_left_cam/deadbeef.json")]
    [InlineData("sensor_entry_path", new[] { App, "galbot", "K1-AABBCCDDEEFF/head_left_cam", "deadbeef" }, App + "/registries/sensors/galbot/K1-AABBCCDDEEFF__head_left_cam/deadbeef.json")]
    [InlineData("timetransform_log_path", new[] { App + "/abc-123", "K1-AABB/utc", "K1-AABB/monotonic" }, App + "/abc-123/timetransform_logs/K1-AABB__utc__K1-AABB__monotonic")]
    [InlineData("detection_log_path", new[] { "/session", "aukilabs/qr/v1", "rec-456" }, "/session/detection_logs/aukilabs__qr__v1__rec-456")]
    [InlineData("sensorlog_path", new[] { App + "/abc-123", "rec-456" }, App + "/abc-123/sensorlogs/rec-456")]
    [InlineData("id_to_segment", new[] { "foo/bar/baz" }, "foo__bar__baz")]
    public void Helpers_return_upstreams_paths(string helper, string[] args, string expected) =>
        Assert.Equal(expected, LayoutHelpers.Resolve(helper, args));

    [Fact]
    public void An_id_that_climbs_out_is_refused_naming_the_argument()
    {
        var e = Assert.Throws<AukiException>(() => LayoutHelpers.Resolve("poselog_path", new[] { "/s", "a", ".." }));
        Assert.Equal("invalid to_frame_id \"..\": contains a `..` path segment", e.Message);
    }

    [Theory]
    [InlineData("", "EOF while parsing a value at line 1 column 0")]
    [InlineData("{", "EOF while parsing an object at line 1 column 1")]
    [InlineData("[1,", "EOF while parsing a value at line 1 column 3")]
    [InlineData("{\"a\":\"x", "EOF while parsing a string at line 1 column 7")]
    [InlineData("{}x", null)]
    public void Truncated_json_gets_serdes_words(string text, string? expected) => Assert.Equal(expected, SerdeEof.Message(text));
}
