using Auki.Ids;
using Auki.Storage;
using CsCheck;

namespace Auki.Core.Tests.Ids;

/// <summary>The one validator of ids that become paths (core/Ids/PathId.cs, docs/ids.md).</summary>
public class PathIdTests
{
    private const string Root = "/srv/auki/root";

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("a\0b", "contains a NUL character")]
    [InlineData("/etc", "is an absolute path")]
    [InlineData("..", "contains a `..` path segment")]
    [InlineData("a/../../b", "contains a `..` path segment")]
    [InlineData("./a", "contains a `.` path segment")]
    [InlineData("a//b", "contains an empty path segment")]
    [InlineData("a/", "contains an empty path segment")]
    public void Refused_ids_name_the_field_and_the_reason(string id, string reason)
    {
        var e = Assert.Throws<AukiException>(() => PathId.Validate(id, "peer id"));
        Assert.Equal(AukiErrorCode.InvalidArgument, e.Code);
        Assert.Equal($"invalid peer id {RustDebug.Str(id)}: {reason}", e.Message);
    }

    [Fact]
    public void A_segment_may_hold_255_utf8_bytes_and_no_more()
    {
        Assert.True(PathId.IsValid(new string('x', 255) + "/" + new string('y', 255)));
        Assert.Equal("has a path segment of 256 bytes, the limit is 255", PathId.Check("ok/" + new string('é', 128)));
        // Flattened ids ("/" becomes "__") are one directory name: the limit applies to the result.
        Assert.True(PathId.IsValid(new string('a', 200) + "/" + new string('b', 53), PathId.Form.Flattened));
        Assert.Equal("names a directory of 256 bytes, the limit is 255", PathId.Check(new string('a', 200) + "/" + new string('b', 54), PathId.Form.Flattened));
    }

    [Fact]
    public void Single_segment_ids_refuse_a_slash()
    {
        Assert.Equal("must be a single path segment (no `/`)", PathId.Check("01J/logs", PathId.Form.Single));
        Assert.Null(PathId.Check("01JABCDEF", PathId.Form.Single));
    }

    [Fact]
    public void Upstream_style_ids_are_accepted()
    {
        foreach (var id in new[] { "galbot", "12D3KooWabc", "fleet/robot-7", "session/sdk_clock->wall_clock", "yolo@head_left_rgb", "a.b.c", "...", ".hidden" })
            Assert.True(PathId.IsValid(id), id);
    }

    [Fact]
    public void Every_accepted_id_joins_into_a_path_inside_the_root()
    {
        var gen = Gen.OneOfConst("a", "b", ".", "..", "/", "\0", "é", "_", "-", " ").Array[0, 12].Select(parts => string.Concat(parts));
        gen.Sample(id =>
        {
            foreach (var form in new[] { PathId.Form.Nested, PathId.Form.Flattened, PathId.Form.Single })
            {
                if (!PathId.IsValid(id, form)) continue;
                string joined = form == PathId.Form.Flattened ? RegistryId.PathSegment(id) : id;
                string full = Path.GetFullPath(Path.Combine(Root, joined));
                if (!full.StartsWith(Root + "/", StringComparison.Ordinal)) return false;
            }
            return true;
        }, iter: 20_000);
    }

    [Fact]
    public void The_layout_refuses_an_unsafe_id_in_any_position()
    {
        Assert.Equal($"{Root}/logs/p/r", StorageLayout.LogRoot(Root, null, "p", "r"));
        Assert.Equal($"{Root}/S/logs/p/a/b", StorageLayout.LogRoot(Root, "S", "p", "a/b"));
        Assert.Contains("invalid peer id", Assert.Throws<AukiException>(() => StorageLayout.LogRoot(Root, null, "../x", "r")).Message);
        Assert.Contains("invalid resource id", Assert.Throws<AukiException>(() => StorageLayout.LogRoot(Root, "S", "p", "/abs")).Message);
        Assert.Contains("invalid session id", Assert.Throws<AukiException>(() => StorageLayout.LogRoot(Root, "..", "p", "r")).Message);
        Assert.Contains("invalid peer id", Assert.Throws<AukiException>(() => StorageLayout.RegistryEntryDirectory(Root, "sensors", "..", "cam")).Message);
        Assert.Contains("invalid file id", Assert.Throws<AukiException>(() => StorageLayout.FileDirectory(Root, "logs/../../etc")).Message);
    }
}
