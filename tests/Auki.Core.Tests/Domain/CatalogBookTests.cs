using System.Text;
using Auki.Domains;
using Xunit;

namespace Auki.Core.Tests.Domain;

/// <summary>
/// A catalog's <c>static_transforms</c> come from other peers, so the book takes only values that match a sealed
/// rigid pose log of the advertising peer's own; anything else is ignored (the reader then streams the log).
/// </summary>
public sealed class CatalogBookTests
{
    private static string Row(string resourceId, string state = "sealed", string source = "galbot", string mode = "rigid") =>
        $$$"""{"source_peer_id":"{{{source}}}","writer_peer_id":"galbot","resource_id":"{{{resourceId}}}","variant":"pose_log","state":"{{{state}}}","pose":{"writer_mode":"{{{mode}}}"}}""";

    private static byte[] Document(string rows, string transforms) =>
        Encoding.UTF8.GetBytes($$"""{"peer_id":"galbot","protocol":3,"resources":[{{rows}}],"static_transforms":[{{transforms}}]}""");

    private static string Transform(string resourceId, string ts = "7", string payload = "\"AQID\"") =>
        $$"""{"resource_id":"{{resourceId}}","timestamp_ns":{{ts}},"payload":{{payload}}}""";

    [Fact]
    public void Only_values_for_the_peers_own_sealed_rigid_pose_logs_are_taken()
    {
        var book = new CatalogBook();
        string big = "\"" + Convert.ToBase64String(new byte[AdvertisedTransforms.MaxPayloadBytes + 1]) + "\"";
        book.Apply("galbot", Document(
            string.Join(",", Row("good"), Row("live", state: "live"), Row("copy", source: "other"), Row("interp", mode: "interpolated"),
                Row("neg"), Row("b64"), Row("big"), Row("type")),
            string.Join(",", Transform("good"), Transform("live"), Transform("copy"), Transform("interp"), Transform("absent"),
                Transform("neg", ts: "-1"), Transform("b64", payload: "\"not base64!\""), Transform("big", payload: big), Transform("type", payload: "12"))));
        var good = book.StaticTransform("galbot", "good");
        Assert.NotNull(good);
        Assert.Equal(7, good.Value.TimestampNs);
        Assert.Equal(new byte[] { 1, 2, 3 }, good.Value.Payload);
        foreach (string id in new[] { "live", "copy", "interp", "absent", "neg", "b64", "big", "type" })
            Assert.Null(book.StaticTransform("galbot", id));
        Assert.Equal(8, book.Rows("galbot")!.Count); // ignored values cost no row

        book.Apply("galbot", []); // the peer left: its values go with its rows
        Assert.Null(book.StaticTransform("galbot", "good"));
    }
}
