using Auki.Foxglove.Live;

namespace Auki.Core.Tests.Foxglove.Live;

/// <summary>The opening handshake as RFC 6455 and Foxglove's two subprotocols define it.</summary>
public class WebSocketHandshakeTests
{
    private static string Request(string? protocols, string key = "dGhlIHNhbXBsZSBub25jZQ==", string method = "GET") =>
        $"{method} / HTTP/1.1\r\nHost: localhost:8765\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n" +
        $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13" + (protocols is null ? "" : $"\r\nSec-WebSocket-Protocol: {protocols}");

    [Fact]
    public void The_accept_key_is_the_one_rfc_6455_gives_for_its_sample_nonce()
    {
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.AcceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    [Theory]
    [InlineData("foxglove.websocket.v1", "foxglove.websocket.v1")]
    [InlineData("foxglove.sdk.v1", "foxglove.sdk.v1")]
    [InlineData("foxglove.websocket.v1, foxglove.sdk.v1", "foxglove.sdk.v1")]
    [InlineData("x-other, Foxglove.WebSocket.V1", "foxglove.websocket.v1")]
    public void Either_foxglove_subprotocol_is_accepted_and_echoed(string offered, string chosen)
    {
        var result = WebSocketHandshake.Answer(Request(offered), out string response);
        Assert.True(result.Accepted);
        Assert.Equal(chosen, result.Subprotocol);
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", response);
        Assert.Contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", response);
        Assert.Contains($"\r\nSec-WebSocket-Protocol: {chosen}\r\n", response);
        Assert.EndsWith("\r\n\r\n", response);
    }

    [Theory]
    [InlineData(null, "no supported subprotocol offered")]
    [InlineData("mqtt", "no supported subprotocol offered")]
    public void A_client_without_a_foxglove_subprotocol_gets_a_400_saying_so(string? offered, string reason)
    {
        var result = WebSocketHandshake.Answer(Request(offered), out string response);
        Assert.False(result.Accepted);
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", response);
        Assert.Contains(reason, response);
        Assert.Contains("foxglove.websocket.v1", response);
    }

    [Fact]
    public void A_plain_http_request_and_a_bad_key_are_refused()
    {
        Assert.Contains("Upgrade: websocket", WebSocketHandshake.Answer("GET / HTTP/1.1\r\nHost: x", out _).Refusal);
        Assert.Contains("GET request", WebSocketHandshake.Answer(Request("foxglove.sdk.v1", method: "POST"), out _).Refusal);
        Assert.Contains("Sec-WebSocket-Key", WebSocketHandshake.Answer(Request("foxglove.sdk.v1", key: "short"), out _).Refusal);
    }
}
