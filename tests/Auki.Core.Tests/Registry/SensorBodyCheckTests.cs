using System.Text.Json.Nodes;
using Auki.Diagnostics;
using Auki.Registry;

namespace Auki.Core.Tests.Registry;

/// <summary>Issue 11 item 5: errors name their field, ignored input is told, short raw rows are refused.</summary>
public class SensorBodyCheckTests
{
    private const string Frame = """{"peer_id":"p","id":"f","hash":"h"}""";

    private static JsonObject Camera(string extra = "", string format = "rgb8", uint stride = 1920) => (JsonObject)JsonNode.Parse(
        $$"""{"kind":"camera","type":"rgb","width":640,"height":480,"frame_rate_hz":30,"image_encoding":"raw","pixel_format":"{{format}}","row_stride_bytes":{{stride}},"color_space":"s","intrinsics_model":"p","distortion_model":"d",{{extra}}"frame":{{Frame}}}""")!;

    private static RegistryEntry Sensor(JsonObject body) => new(RegistryKind.Sensor, "galbot", "cam", SensorBody.Parse(body));

    [Theory]
    [InlineData("""{"kind":"camera","type":"rgb","width":"640"}""", "invalid type: string \"640\", expected u32", "width")]
    [InlineData("""{"kind":"camera","type":"rgb","height":1}""", "missing field `width`", "width")]
    [InlineData("""{"kind":"lidar"}""", "unknown variant `lidar`, expected one of `camera`, `rangefinder`, `rf`, `audio`, `joint_encoders`, `scalar`", "kind")]
    [InlineData("""{"kind":"camera","type":"rgb","width":1,"height":1,"frame_rate_hz":1,"pixel_format":"x","color_space":"s","intrinsics_model":"p","distortion_model":"d","calibration":{"fx":true},"frame":{}}""", "invalid type: boolean `true`, expected f64", "calibration.fx")]
    [InlineData("""{"kind":"camera","type":"rgb","width":1,"height":1,"frame_rate_hz":1,"pixel_format":"x","color_space":"s","intrinsics_model":"p","distortion_model":"d","frame":{"peer_id":"p","id":3}}""", "invalid type: integer `3`, expected a string", "frame.id")]
    [InlineData("""{"kind":"rangefinder","type":"point_cloud","fields":[{"name":"x","offset":0,"datatype":"float32"},{"name":"y","offset":"4"}]}""", "invalid type: string \"4\", expected u32", "fields[1].offset")]
    public void Parse_errors_keep_serde_text_and_carry_the_field_path(string body, string message, string field)
    {
        var e = Assert.Throws<AukiException>(() => SensorBody.Parse(JsonNode.Parse(body)));
        Assert.Equal(message, e.Message);
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void The_body_prefix_joins_the_field_path_and_the_message()
    {
        var peer = new Auki.Sessions.Peer("galbot", "app");
        var e = Assert.Throws<AukiException>(() => peer.RegisterSensor("cam", JsonNode.Parse("""{"kind":"camera","type":"rgb","width":"640"}""")));
        Assert.Equal("body: invalid type: string \"640\", expected u32", e.Message);
        Assert.Equal("body.width", e.Field);
    }

    [Fact]
    public void A_misspelled_key_warns_by_name_and_hashes_like_its_absence()
    {
        Warnings.Take();
        string plain = Sensor(Camera()).Hash();
        Assert.Empty(Warnings.Take());
        string typo = Sensor(Camera("""  "calibraton":{"fx":1,"fy":1,"cx":0,"cy":0},""")).Hash();
        Assert.Equal(plain, typo);
        var warning = Assert.Single(Warnings.Take());
        Assert.StartsWith("body: unknown field `calibraton` ignored", warning);
        Assert.Contains("`calibration`", warning);
    }

    [Fact]
    public void Entry_keys_are_not_unknown_when_the_body_is_flattened_into_an_entry()
    {
        Warnings.Take();
        RegistryEntryJson.Parse(RegistryKind.Sensor, JsonNode.Parse("""{"peer_id":"p","sensor_id":"s","kind":"scalar","type":"v","unit":"V","expected_rate_hz":1,"rate":2}"""));
        Assert.Equal("sensor entry: unknown field `rate` ignored (not part of a scalar sensor body, not hashed), expected one of `peer_id`, `sensor_id`, `kind`, `type`, `unit`, `expected_rate_hz`",
            Assert.Single(Warnings.Take()));
    }

    [Fact]
    public void An_unknown_pixel_format_is_written_with_a_warning()
    {
        using var dir = new TempDir();
        RegistryStore.Write(dir.Path, new RegistryEntry(RegistryKind.Frame, "p", "f", FrameDef.RosOptical.ToBody()));
        Warnings.Take();
        var body = Camera(format: "rgb_eight");
        body["frame"] = new RegistryEntry(RegistryKind.Frame, "p", "f", FrameDef.RosOptical.ToBody()).Ref().ToJson();
        Assert.True(RegistryStore.Write(dir.Path, Sensor(body)));
        Assert.StartsWith("body.pixel_format: unknown pixel format \"rgb_eight\" accepted", Assert.Single(Warnings.Take()));
    }

    [Theory]
    [InlineData("rgb8", 5u, "invalid image layout: row_stride_bytes 5 is smaller than one row of 640 rgb8 pixels (640 × 3 = 1920 bytes)")]
    [InlineData("mono16", 1279u, "invalid image layout: row_stride_bytes 1279 is smaller than one row of 640 mono16 pixels (640 × 2 = 1280 bytes)")]
    public void A_raw_row_shorter_than_its_pixels_is_refused_before_writing(string format, uint stride, string message)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<AukiException>(() => RegistryStore.Write(dir.Path, Sensor(Camera(format: format, stride: stride))));
        Assert.Equal(message, e.Message);
        Assert.Equal("body.row_stride_bytes", e.Field);
        Assert.False(Directory.Exists(dir["registries/sensors"]));
    }
}
