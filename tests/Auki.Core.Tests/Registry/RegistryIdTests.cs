using Auki.Ids;

namespace Auki.Core.Tests.Registry;

/// <summary>Section 3: the newest id rules and their exact messages.</summary>
public class RegistryIdTests
{
    [Theory]
    [InlineData("foo/bar")]
    [InlineData("foo_bar")]
    [InlineData("foo-bar")]
    [InlineData("a.b.c")]
    [InlineData("a/b/c")]
    [InlineData("head_left_rgb")]
    [InlineData("session/sdk_clock")]
    [InlineData("aukilabs/aruco/v1")]
    [InlineData("galbot/01J0000000000000000000000/monotonic")]
    public void Accepts_upstream_valid_ids(string id) => Assert.Null(RegistryId.Check(id));

    [Theory]
    [InlineData("", "registry id is empty")]
    [InlineData("foo>bar", "registry id contains disallowed character '>'")]
    [InlineData("foo@bar", "registry id contains disallowed character '@'")]
    [InlineData("foo bar", "registry id contains disallowed character ' '")]
    [InlineData("foo\tbar", "registry id contains disallowed character '\\t'")]
    [InlineData("foo\nbar", "registry id contains disallowed character '\\n'")]
    [InlineData("foo\u00a0bar", "registry id contains disallowed character '\\u{a0}'")]
    [InlineData("/a", "registry id contains reserved path segment \"\"")]
    [InlineData("a/", "registry id contains reserved path segment \"\"")]
    [InlineData("a//b", "registry id contains reserved path segment \"\"")]
    [InlineData("./x", "registry id contains reserved path segment \".\"")]
    [InlineData("a/../b", "registry id contains reserved path segment \"..\"")]
    public void Rejects_with_upstream_message(string id, string message)
    {
        var e = Assert.Throws<AukiException>(() => RegistryId.Validate(id));
        Assert.Equal(AukiErrorCode.InvalidArgument, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void First_offending_character_in_string_order_is_reported() =>
        Assert.Equal("registry id contains disallowed character '@'", RegistryId.Check("a@b>c"));

    [Fact]
    public void Character_check_runs_before_segment_check() =>
        Assert.Equal("registry id contains disallowed character '>'", RegistryId.Check("../a>b"));

    [Fact]
    public void Slashes_become_double_underscores_in_paths() =>
        Assert.Equal("K1-AABBCCDDEEFF__head_left_cam", RegistryId.PathSegment("K1-AABBCCDDEEFF/head_left_cam"));

    [Fact]
    public void Ulids_are_26_crockford_chars_and_unique()
    {
        var a = Ulid.NewUlid();
        var b = Ulid.NewUlid();
        Assert.True(Ulid.IsValid(a), a);
        Assert.NotEqual(a, b);
        Assert.Equal(26, a.Length);
    }

    [Fact]
    public void Ulids_sort_by_creation_time() =>
        Assert.True(string.CompareOrdinal(Ulid.Create(1_700_000_000_000), Ulid.Create(1_700_000_000_001)) < 0);
}
