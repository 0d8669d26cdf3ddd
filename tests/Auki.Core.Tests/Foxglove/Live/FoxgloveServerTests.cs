using System.Buffers.Binary;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Auki.Core.Tests.Logs;
using Auki.Foxglove.Live;
using Auki.Logs;

namespace Auki.Core.Tests.Foxglove.Live;

/// <summary>
/// The server as a client meets it, over a real socket: what it says first, what a subscription
/// brings, logs that appear, a client that never reads, and stopping. (The npm client's view of the
/// same is python_tests/data/test_foxglove_live.py.)
/// </summary>
public class FoxgloveServerTests
{
    /// <summary>Long enough for a loaded machine, short enough that a hang fails the test instead of the run.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>An era-A standalone log (no manifest.json: opaque bytes whatever the Foxglove mapping does with typed logs).</summary>
    private static LogWriter OpaqueLog(TempDir root, string resourceId) =>
        LogWriter.Open(root[$"logs/galbot/{resourceId}"], LogManifests.Make(Ns.Second, 0), new LogWriterOptions { BufferSize = 0 });

    private static async Task<ClientWebSocket> ConnectAsync(FoxgloveServer server, string subprotocol = "foxglove.websocket.v1")
    {
        var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol(subprotocol);
        using var timeout = new CancellationTokenSource(Patience);
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{server.Port}"), timeout.Token);
        return ws;
    }

    private static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync(WebSocket ws)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var all = new MemoryStream();
        var buffer = new byte[1 << 16];
        while (true)
        {
            var r = await ws.ReceiveAsync(buffer, timeout.Token);
            all.Write(buffer, 0, r.Count);
            if (r.EndOfMessage || r.MessageType == WebSocketMessageType.Close) return (r.MessageType, all.ToArray());
        }
    }

    private static async Task<JsonElement> ReceiveJsonAsync(WebSocket ws)
    {
        var (type, data) = await ReceiveAsync(ws);
        Assert.Equal(WebSocketMessageType.Text, type);
        return JsonDocument.Parse(data).RootElement.Clone();
    }

    private static async Task<(uint Subscription, long Time, byte[] Payload)> ReceiveDataAsync(WebSocket ws)
    {
        while (true)
        {
            var (type, data) = await ReceiveAsync(ws);
            if (type == WebSocketMessageType.Text) continue; // status messages may come between frames
            Assert.Equal(WebSocketMessageType.Binary, type);
            Assert.Equal(1, data[0]);
            return (BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(1)), (long)BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(5)), data[13..]);
        }
    }

    private static Task SendJsonAsync(WebSocket ws, string json) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>
    /// Append probes until one reaches the subscriber (a subscription takes effect once the server
    /// has read it), then take the probes still on their way; returns the next free timestamp.
    /// </summary>
    private static async Task<long> PrimeAsync(LogWriter writer, WebSocket ws, long ts = 1)
    {
        var first = ReceiveDataAsync(ws);
        while (!first.IsCompleted)
        {
            writer.Append(ts++, "probe"u8);
            await Task.WhenAny(first, Task.Delay(20));
        }
        var (_, time, payload) = await first;
        while (time < ts - 1) (_, time, payload) = await ReceiveDataAsync(ws);
        Assert.Equal("probe", Encoding.ASCII.GetString(payload));
        return ts;
    }

    [Fact]
    public async Task A_client_gets_server_info_then_the_channels_and_every_entry_appended_after_it_subscribed()
    {
        using var root = new TempDir();
        using var writer = OpaqueLog(root, "blob");
        using var server = FoxgloveServer.Start(root.Path, new FoxgloveServerOptions { Port = 0 });
        using var ws = await ConnectAsync(server, "foxglove.sdk.v1");
        Assert.Equal("foxglove.sdk.v1", ws.SubProtocol);

        var info = await ReceiveJsonAsync(ws);
        Assert.Equal("serverInfo", info.GetProperty("op").GetString());
        var advertise = await ReceiveJsonAsync(ws);
        Assert.Equal("advertise", advertise.GetProperty("op").GetString());
        var channel = Assert.Single(advertise.GetProperty("channels").EnumerateArray());
        Assert.Equal("/galbot/blob", channel.GetProperty("topic").GetString());
        Assert.Equal("galbot", channel.GetProperty("metadata").GetProperty("peer_id").GetString());

        await SendJsonAsync(ws, $$"""{"op":"subscribe","subscriptions":[{"id":42,"channelId":{{channel.GetProperty("id").GetUInt32()}}}]}""");
        long ts = await PrimeAsync(writer, ws);
        for (int i = 0; i < 20; i++) writer.Append(ts + i, Encoding.ASCII.GetBytes($"entry {i}"));
        for (int i = 0; i < 20; i++)
        {
            var (subscription, time, payload) = await ReceiveDataAsync(ws);
            Assert.Equal((42u, ts + i, $"entry {i}"), (subscription, time, Encoding.ASCII.GetString(payload)));
        }
    }

    [Fact]
    public async Task A_log_that_appears_while_the_server_runs_is_advertised_and_an_unsubscribed_channel_sends_nothing()
    {
        using var root = new TempDir();
        using var server = FoxgloveServer.Start(root.Path, new FoxgloveServerOptions { Port = 0, DiscoveryInterval = TimeSpan.FromMilliseconds(20) });
        using var ws = await ConnectAsync(server);
        Assert.Equal("serverInfo", (await ReceiveJsonAsync(ws)).GetProperty("op").GetString());
        Assert.Empty((await ReceiveJsonAsync(ws)).GetProperty("channels").EnumerateArray());

        using var quiet = OpaqueLog(root, "a-quiet");
        using var loud = OpaqueLog(root, "b-loud");
        var ids = new Dictionary<string, uint>();
        while (ids.Count < 2)
        {
            var message = await ReceiveJsonAsync(ws);
            Assert.Equal("advertise", message.GetProperty("op").GetString());
            foreach (var c in message.GetProperty("channels").EnumerateArray()) ids[c.GetProperty("topic").GetString()!] = c.GetProperty("id").GetUInt32();
        }
        // Requests are handled in order: once the loud channel's probes arrive, the quiet one is unsubscribed.
        await SendJsonAsync(ws, $$"""{"op":"subscribe","subscriptions":[{"id":1,"channelId":{{ids["/galbot/a-quiet"]}}}]}""");
        await SendJsonAsync(ws, """{"op":"unsubscribe","subscriptionIds":[1]}""");
        await SendJsonAsync(ws, $$"""{"op":"subscribe","subscriptions":[{"id":2,"channelId":{{ids["/galbot/b-loud"]}}}]}""");
        long ts = await PrimeAsync(loud, ws);
        quiet.Append(1, "not for this client"u8);
        loud.Append(ts, "last"u8);
        var (subscription, t, payload) = await ReceiveDataAsync(ws);
        Assert.Equal((2u, ts, "last"), (subscription, t, Encoding.ASCII.GetString(payload)));
    }

    [Fact]
    public async Task A_client_that_never_reads_loses_its_oldest_frames_and_holds_up_neither_the_writer_nor_another_client()
    {
        using var root = new TempDir();
        using var writer = OpaqueLog(root, "frames");
        using var server = FoxgloveServer.Start(root.Path, new FoxgloveServerOptions { Port = 0, ClientQueueBytes = 4 << 20 });

        // The stalled client: a raw socket that upgrades, subscribes and then never reads again.
        using var stalled = new TcpClient { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync("127.0.0.1", server.Port);
        var stream = stalled.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: foxglove.websocket.v1\r\n\r\n"));
        await stream.WriteAsync(MaskedText("""{"op":"subscribe","subscriptions":[{"id":0,"channelId":1}]}"""));

        using var ws = await ConnectAsync(server);
        await ReceiveJsonAsync(ws);
        var channel = (await ReceiveJsonAsync(ws)).GetProperty("channels")[0];
        Assert.Equal(1u, channel.GetProperty("id").GetUInt32());
        await SendJsonAsync(ws, """{"op":"subscribe","subscriptions":[{"id":9,"channelId":1}]}""");
        long ts = await PrimeAsync(writer, ws);

        // In lockstep with the reading client (so its own queue never overflows): each frame is
        // appended once the previous one arrived, while the stalled client's queue fills and drops.
        const int Frames = 100;
        var frame = new byte[256 * 1024];
        for (int i = 0; i < Frames; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(frame, i);
            writer.Append(ts + i, frame);
            var (subscription, time, payload) = await ReceiveDataAsync(ws);
            Assert.Equal((9u, ts + i, i), (subscription, time, BinaryPrimitives.ReadInt32LittleEndian(payload)));
        }
        Assert.True(server.DroppedMessages > 0, "the stalled client's queue never overflowed: the test did not test anything");
        Assert.Equal(2, server.ClientCount);
    }

    [Fact]
    public async Task Stopping_sends_every_client_a_close_frame_and_frees_the_port()
    {
        using var root = new TempDir();
        var server = FoxgloveServer.Start(root.Path, new FoxgloveServerOptions { Port = 0 });
        int port = server.Port;
        using var a = await ConnectAsync(server);
        using var b = await ConnectAsync(server);
        await ReceiveJsonAsync(a);
        await ReceiveJsonAsync(b);
        var stopping = Task.Run(server.Dispose);
        foreach (var ws in new[] { a, b })
        {
            while ((await ReceiveAsync(ws)).Type != WebSocketMessageType.Close) { }
            Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        await stopping;
        Assert.Equal(0, server.ClientCount);
        using var again = FoxgloveServer.Start(root.Path, new FoxgloveServerOptions { Port = port });
        Assert.Equal(port, again.Port);
    }

    [Fact]
    public async Task A_client_offering_no_foxglove_subprotocol_is_refused_with_400()
    {
        using var root = new TempDir();
        using var server = FoxgloveServer.Start(root.Path, new FoxgloveServerOptions { Port = 0 });
        var e = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(server, "mqtt"));
        Assert.Contains("400", e.Message);
    }

    [Fact]
    public void A_busy_port_and_a_missing_root_are_errors_that_say_which()
    {
        using var root = new TempDir();
        using var server = FoxgloveServer.Start(root.Path, new FoxgloveServerOptions { Port = 0 });
        var busy = Assert.Throws<AukiException>(() => FoxgloveServer.Start(root.Path, new FoxgloveServerOptions { Port = server.Port }));
        Assert.Equal(AukiErrorCode.Io, busy.Code);
        Assert.Contains($"cannot listen on 127.0.0.1:{server.Port}", busy.Message);
        Assert.Equal(AukiErrorCode.NotFound, Assert.Throws<AukiException>(() => FoxgloveServer.Start(root["missing"])).Code);
        Assert.Contains("host must be an IP address", Assert.Throws<AukiException>(() =>
            FoxgloveServer.Start(root.Path, new FoxgloveServerOptions { Host = "example.org", Port = 0 })).Message);
    }

    /// <summary>A client's text frame: FIN + opcode 1, masked as RFC 6455 requires of clients.</summary>
    private static byte[] MaskedText(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        Assert.True(payload.Length < 126);
        byte[] mask = [1, 2, 3, 4];
        var frame = new byte[2 + 4 + payload.Length];
        frame[0] = 0x81;
        frame[1] = (byte)(0x80 | payload.Length);
        mask.CopyTo(frame, 2);
        for (int i = 0; i < payload.Length; i++) frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
        return frame;
    }
}
