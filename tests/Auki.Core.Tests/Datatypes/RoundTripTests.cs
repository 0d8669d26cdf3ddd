using CsCheck;
using Google.Protobuf;

namespace Auki.Core.Tests.Datatypes;

/// <summary>Random values of every message survive encode → decode → encode unchanged.</summary>
public class RoundTripTests
{
    public static TheoryData<string> MessageNames() => [.. AllMessages.Descriptors().Select(d => d.FullName)];

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Random_messages_round_trip(string fullName)
    {
        var descriptor = AllMessages.Descriptors().Single(d => d.FullName == fullName);
        MessageGen.For(descriptor).Sample(message =>
        {
            byte[] bytes = message.ToByteArray();
            var decoded = descriptor.Parser.ParseFrom(bytes);
            Assert.Equal(message, decoded);
            Assert.Equal(bytes, decoded.ToByteArray());
        }, iter: 300);
    }
}
