using System.Text;
using Auki.Foxglove.Live;

namespace Auki.Core.Tests.Foxglove.Live;

/// <summary>The bytes and JSON the server puts on the wire, against the protocol's own examples.</summary>
public class MessageFramingTests
{
    [Fact]
    public void A_message_data_header_is_opcode_1_then_little_endian_subscription_and_time()
    {
        // The reference's example: subscription 0, time 1 700 000 000 123 456 789 ns (payload "{}" follows).
        var header = new byte[MessageDataHeader.Size];
        MessageDataHeader.Write(header, 0, 1_700_000_000_123_456_789);
        Assert.Equal("010000000015cd853dfe9c9717", Convert.ToHexStringLower(header));
        MessageDataHeader.Write(header, 0x01020304, 0);
        Assert.Equal("01040302010000000000000000", Convert.ToHexStringLower(header));
    }

    [Fact]
    public void Server_info_comes_with_no_capabilities_and_the_session_id()
    {
        string json = Encoding.UTF8.GetString(ServerMessages.ServerInfo("auki", "01J", "/data"));
        Assert.Equal("""{"op":"serverInfo","name":"auki","capabilities":[],"supportedEncodings":[],"metadata":{"root":"/data"},"sessionId":"01J"}""", json);
    }

    [Fact]
    public void Subscribe_and_unsubscribe_parse_and_bad_ones_name_the_field()
    {
        var subscribe = ClientRequest.Parse("""{"op":"subscribe","subscriptions":[{"id":0,"channelId":7},{"id":4294967295,"channelId":1}]}"""u8);
        Assert.Equal([(0u, 7u), (uint.MaxValue, 1u)], subscribe.Subscriptions);
        Assert.Equal([3u, 4u], ClientRequest.Parse("""{"op":"unsubscribe","subscriptionIds":[3,4]}"""u8).SubscriptionIds);
        Assert.Equal("getParameters", ClientRequest.Parse("""{"op":"getParameters","parameterNames":[]}"""u8).Op);
        Assert.Contains("subscriptions[].channelId", Assert.Throws<AukiException>(() =>
            ClientRequest.Parse("""{"op":"subscribe","subscriptions":[{"id":0,"channelId":-1}]}"""u8)).Message);
        Assert.Contains("not JSON", Assert.Throws<AukiException>(() => ClientRequest.Parse("{op"u8)).Message);
        Assert.Contains("field op", Assert.Throws<AukiException>(() => ClientRequest.Parse("""{"id":1}"""u8)).Message);
    }

    [Fact]
    public void A_message_buffer_grows_past_its_first_guess_and_keeps_what_was_written()
    {
        var buffer = new MessageBuffer(4);
        System.Buffers.BuffersExtensions.Write(buffer, Enumerable.Range(0, 300).Select(i => (byte)i).ToArray().AsSpan());
        System.Buffers.BuffersExtensions.Write(buffer, "end"u8);
        Assert.Equal(303, buffer.WrittenMemory.Length);
        Assert.Equal(unchecked((byte)299), buffer.WrittenMemory.Span[299]);
        Assert.Equal("end", Encoding.ASCII.GetString(buffer.WrittenMemory.Span[300..]));
    }
}
