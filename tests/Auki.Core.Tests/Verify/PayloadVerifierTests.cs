using Auki.Inspect;
using Auki.Verify;
using Auki.Core.Tests.Support;
using Google.Protobuf;

namespace Auki.Core.Tests.Verify;

/// <summary>`auki verify --payloads` and `auki cat` on typed logs: entries judged as their log's message type.</summary>
public class PayloadVerifierTests
{
    [Fact]
    public void Without_payloads_bytes_that_are_not_messages_go_unnoticed()
    {
        using var store = new RecordedStore();
        store.Camera("cam", integrity: true, timestamps: [1, 2]);
        var report = StoreVerifier.Verify(store.Root);
        Assert.Empty(report.Findings);
        Assert.Equal(0, report.PayloadsChecked);
    }

    [Fact]
    public void With_payloads_each_entry_that_does_not_decode_is_an_error_naming_its_timestamp()
    {
        using var store = new RecordedStore();
        var log = store.Camera("cam", integrity: true, timestamps: [1, 2]);
        var report = StoreVerifier.Verify(store.Root, new VerifyOptions { Payloads = true });
        Assert.Equal(2, report.PayloadsChecked);
        Assert.Equal(2, report.Errors);
        Assert.All(report.Findings, f => Assert.Equal(store.FileId(log), f.Path));
        Assert.StartsWith("entry at 1 ns: payload does not decode as auki.camera.CameraFrame: ", report.Findings[0].Message);
    }

    [Fact]
    public void A_log_directory_alone_finds_its_root_and_prints_canonical_json_lines()
    {
        using var store = new RecordedStore();
        var log = store.Camera("cam", integrity: false, timestamps: [1]);
        var typed = TypedLog.Open(log.Root);
        Assert.Equal("auki.camera.CameraFrame", typed.Type?.FullName);
        var frame = new Auki.Datatypes.Camera.CameraFrame { Frame = ByteString.CopyFrom(1, 2) }.ToByteArray();
        Assert.Equal("""{"message":{"frame":"AQI="},"timestamp_ns":5}""", typed.JsonLine(5, frame));
        Assert.Null(typed.Problem(frame));
        Assert.StartsWith("payload does not decode as auki.camera.CameraFrame", typed.Problem(RecordedStore.Payload("cam", 1)));
    }
}
