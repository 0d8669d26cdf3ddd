using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Core.Tests.Json;

/// <summary>RFC 8785 rules that change bytes (and so hashes) if we get them wrong.</summary>
public class CanonicalJsonTests
{
    private static string Canon(string json) => System.Text.Encoding.UTF8.GetString(CanonicalJson.Canonicalize(json));

    [Fact]
    public void Keys_sort_by_utf16_code_units_not_by_culture_or_codepoint()
    {
        // U+10000 is the surrogate pair D800 DC00, which sorts before U+FB33 in UTF-16 order.
        Assert.Equal("{\"A\":1,\"a\":2,\"\U00010000\":4,\"\uFB33\":3}", Canon("{\"\uFB33\":3,\"a\":2,\"A\":1,\"\U00010000\":4}"));
    }

    [Fact]
    public void Nested_objects_are_sorted_and_arrays_keep_order() =>
        Assert.Equal("""{"a":[3,1,{"x":1,"y":2}],"b":{"c":null,"d":true}}""", Canon("""{ "b": {"d": true, "c": null}, "a": [3, 1, {"y": 2, "x": 1}] }"""));

    [Fact]
    public void Strings_escape_only_what_rfc8785_requires()
    {
        var node = new JsonObject { ["s"] = "q\" b\\ \b\f\n\r\t \u0001\u001f / é € \u2028 \u007f" };
        Assert.Equal("{\"s\":\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001\\u001f / é € \u2028 \u007f\"}", CanonicalJson.SerializeToString(node));
    }

    [Theory]
    [InlineData("{\"a\":\"\\ud800\"}")]
    [InlineData("{\"\\udc00\":1}")]
    [InlineData("[\"ok\", \"\\ud83d x\"]")]
    public void A_lone_surrogate_escape_is_invalid_input_not_a_later_crash(string json)
    {
        var e = Assert.Throws<AukiException>(() => JsonText.Parse(json));
        Assert.Equal(AukiErrorCode.InvalidArgument, e.Code);
        Assert.Contains("unpaired UTF-16 surrogate", e.Message);
        Assert.Equal("{\"a\":\"\U0001F600\"}", Canon("{\"a\":\"\\ud83d\\ude00\"}")); // a pair is fine
    }

    [Theory]
    [InlineData("400.0", "400")]
    [InlineData("0.05", "0.05")]
    [InlineData("-0.0", "0")]
    [InlineData("1e21", "1e+21")]
    [InlineData("1e20", "100000000000000000000")]
    [InlineData("1e-7", "1e-7")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("123456789012345680000", "123456789012345680000")]
    [InlineData("4.5", "4.5")]
    [InlineData("1.7976931348623157e308", "1.7976931348623157e+308")]
    [InlineData("5e-324", "5e-324")]
    [InlineData("0.1", "0.1")]
    [InlineData("333333333.33333329", "333333333.3333333")]
    [InlineData("-1.5e-9", "-1.5e-9")]
    public void Floats_use_ecmascript_shortest_form(string input, string expected) => Assert.Equal(expected, Canon(input));

    [Theory]
    [InlineData("9223372036854775807")]
    [InlineData("18446744073709551615")]
    [InlineData("-9223372036854775808")]
    [InlineData("0")]
    public void Integers_that_fit_64_bits_print_exactly(string digits) => Assert.Equal(digits, Canon(digits));

    [Fact]
    public void Nan_and_infinity_are_rejected() =>
        Assert.Equal(AukiErrorCode.InvalidArgument, Assert.Throws<AukiException>(() => EcmaNumber.Format(double.NaN)).Code);

    [Fact]
    public void Lone_surrogates_are_rejected_not_mangled()
    {
        var e = Assert.Throws<AukiException>(() => CanonicalJson.Serialize(JsonValue.Create("a\uD800b")));
        Assert.Contains("surrogate", e.Message);
    }

    [Fact]
    public void Malformed_json_is_an_invalid_argument_not_a_json_exception()
    {
        var e = Assert.Throws<AukiException>(() => CanonicalJson.Canonicalize("{"));
        Assert.Equal(AukiErrorCode.InvalidArgument, e.Code);
        Assert.StartsWith("invalid JSON", e.Message);
    }

    [Fact]
    public void Canonical_output_matches_python_sorted_dumps_for_integer_documents()
    {
        // Section 2: for ASCII keys and int/bool/str/null values JCS equals json.dumps(sort_keys, compact).
        Assert.Equal("""{"a":1,"b":[true,false,null],"c":"x"}""", Canon("""{"c":"x","b":[true,false,null],"a":1}"""));
    }
}
