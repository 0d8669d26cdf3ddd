namespace Auki.Core.Tests.Datatypes;

/// <summary>The checkout the tests run from (found by walking up to AukiNative.sln).</summary>
static class RepoPaths
{
    public static string Root { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AukiNative.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no AukiNative.sln above {AppContext.BaseDirectory}");
    }
}
