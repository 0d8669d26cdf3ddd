namespace Auki.Logs;

/// <summary>Where a log keeps its files, and the list of its segments.</summary>
internal static class SegmentDirectory
{
    public static string SegmentsPath(string root) => Path.Combine(root, SegmentFormat.SegmentsDirectoryName);

    public static string ManifestPath(string root) => Path.Combine(root, SegmentFormat.ManifestFileName);

    public static string SegmentPath(string segmentsDir, long startNs) => Path.Combine(segmentsDir, SegmentFormat.FileName(startNs));

    /// <summary>Segment starts in ascending order; a missing directory is an empty log.</summary>
    public static List<long> ListStarts(string segmentsDir)
    {
        var starts = new List<long>();
        if (!Directory.Exists(segmentsDir)) return starts;
        try
        {
            foreach (string file in Directory.EnumerateFiles(segmentsDir, "*" + SegmentFormat.Extension))
            {
                if (SegmentFormat.TryParseFileName(Path.GetFileName(file.AsSpan()), out long start))
                    starts.Add(start);
            }
        }
        catch (DirectoryNotFoundException)
        {
            // Removed while we listed it: as empty as a log can be.
        }
        starts.Sort();
        return starts;
    }
}
