using Auki.Datatypes;
using CsCheck;
using Google.Protobuf;

namespace Auki.Core.Tests.Datatypes;

/// <summary>
/// A typed append checks a payload without building its JSON; the check must refuse exactly what
/// the JSON walk refuses, with the same words, or a log would hold entries `auki cat` cannot show.
/// </summary>
public class PayloadCheckTests
{
    public static TheoryData<string> MessageNames() => [.. AllMessages.Descriptors().Select(d => d.FullName)];

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Check_refuses_what_the_json_walk_refuses_with_the_same_message(string fullName)
    {
        var descriptor = AllMessages.Descriptors().Single(d => d.FullName == fullName);
        MessageGen.For(descriptor).Sample(message =>
        {
            byte[] bytes = message.ToByteArray();
            PayloadJson.Check(descriptor, bytes);
            // Every truncation, and a flipped byte at every position: both paths agree.
            for (int cut = 0; cut < bytes.Length; cut++) SameVerdict(descriptor, bytes[..cut]);
            for (int i = 0; i < bytes.Length; i++)
            {
                byte[] damaged = (byte[])bytes.Clone();
                damaged[i] ^= 0xFF;
                SameVerdict(descriptor, damaged);
            }
        }, iter: 40);
    }

    [Fact]
    public void A_string_that_is_not_utf8_is_named_by_field()
    {
        // auki.detection.DetectionFrame field 2 (sensor_hash) holding 0xFF.
        var descriptor = AllMessages.Descriptors().Single(d => d.FullName == "auki.detection.DetectionFrame");
        var field = descriptor.FindFieldByNumber(2);
        Assert.Equal(Google.Protobuf.Reflection.FieldType.String, field.FieldType);
        byte[] payload = [2 << 3 | 2, 1, 0xFF];
        var e = Assert.Throws<AukiException>(() => PayloadJson.Check(descriptor, payload));
        Assert.Equal($"payload does not decode as auki.detection.DetectionFrame: field {field.Name} (#2) is not valid UTF-8", e.Message);
    }

    private static void SameVerdict(Google.Protobuf.Reflection.MessageDescriptor type, byte[] payload)
    {
        string? json = null, check = null;
        try { PayloadJson.ToJson(type, payload); } catch (AukiException e) { json = e.Message; }
        try { PayloadJson.Check(type, payload); } catch (AukiException e) { check = e.Message; }
        Assert.Equal(json, check);
    }
}
