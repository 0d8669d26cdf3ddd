using System.Text;
using Auki.Json;
using Auki.Manifests;

namespace Auki.Core.Tests.Manifests;

/// <summary>auki_manifests' builders: upstream's flat shape, the post-#216 shape through the session handles' builder.</summary>
public class ManifestBuilderTests
{
    private static string Build(LogKind kind, string args) =>
        Encoding.UTF8.GetString(CanonicalJson.Serialize(ManifestBuilder.Build(kind, JsonText.Parse(args))));

    [Fact]
    public void Ref_arguments_reproduce_the_locked_sensor_origin_manifest()
    {
        string args = """{"source_peer_id":"galbot","writer_peer_id":"galbot","app_id":"galbot-control-plane","session_id":"01HV-galbot-session","segment_duration_ns":1000000000,"retention_ns":5000000000,"sensor":{"peer_id":"galbot","id":"head_left_rgb","hash":"8295922307fa2b426453486ba87a59ef"},"clock":{"peer_id":"galbot","id":"session/sdk_clock","hash":"fb0120a35f4fd1de8a7d46f5e76b7f68"},"frame":{"peer_id":"galbot","id":"head_left_camera_optical","hash":"3055a8ac27eecd57aa37235b05871c01"}}""";
        Assert.Equal(
            """{"app_id":"galbot-control-plane","clock":{"hash":"fb0120a35f4fd1de8a7d46f5e76b7f68","id":"session/sdk_clock","peer_id":"galbot"},"frame":{"hash":"3055a8ac27eecd57aa37235b05871c01","id":"head_left_camera_optical","peer_id":"galbot"},"retention_ns":5000000000,"segment_duration_ns":1000000000,"sensor":{"hash":"8295922307fa2b426453486ba87a59ef","id":"head_left_rgb","peer_id":"galbot"},"session_id":"01HV-galbot-session","source_peer_id":"galbot","writer_peer_id":"galbot"}""",
            Build(LogKind.Sensor, args));
    }

    [Fact]
    public void Flat_arguments_build_upstreams_python_shape_and_omit_an_absent_frame()
    {
        Assert.Equal(
            """{"app_id":"a","clock_hash":"ch","clock_id":"c","retention_ns":0,"segment_duration_ns":1,"sensor_hash":"h","sensor_id":"s","session_id":"x"}""",
            Build(LogKind.Sensor, """{"app_id":"a","session_id":"x","sensor_id":"s","sensor_hash":"h","clock_id":"c","clock_hash":"ch","segment_duration_ns":1,"retention_ns":0}"""));
    }

    [Fact]
    public void Unknown_writer_mode_names_the_argument()
    {
        var e = Assert.Throws<AukiException>(() => Build(LogKind.Pose,
            """{"app_id":"a","session_id":"s","from_frame_id":"f","from_frame_hash":"h","to_frame_id":"t","to_frame_hash":"h","clock_id":"c","clock_hash":"h","source":{"kind":"manual"},"writer_mode":"nonsense","expected_rate_hz":1,"segment_duration_ns":1,"retention_ns":0}"""));
        Assert.Equal("writer_mode: unknown variant `nonsense`, expected `rigid` or `movable`", e.Message);
    }

    [Theory]
    [InlineData("""{"app_id":"a","session_id":"s","detector_id":"d","detector_hash":"","input_log_id":"i","input_sensor_id":"s","input_sensor_hash":"h","clock_id":"c","clock_hash":"h","segment_duration_ns":1,"retention_ns":0}""", "invalid manifest field `detector_hash`: must not be empty")]
    [InlineData("""{"app_id":"a","session_id":"s","sensor_id":"x","sensor_hash":"h","clock_id":"c","clock_hash":"h","frame_hash":"f","segment_duration_ns":1,"retention_ns":0}""", "invalid manifest field `frame_id`: must be set when paired field is set")]
    [InlineData("""{"app_id":"a","session_id":"s","from_clock_id":"f","from_clock_hash":"h","to_clock_id":"t","to_clock_hash":"h","source":{"kind":"local_clock_read"},"segment_duration_ns":0,"retention_ns":0}""", "invalid manifest field `segment_duration_ns`: must be greater than zero")]
    public void Validate_reports_upstreams_first_failure(string manifest, string message) =>
        Assert.Equal(message, Assert.Throws<AukiException>(() => ManifestBuilder.Validate(JsonText.Parse(manifest))).Message);
}
