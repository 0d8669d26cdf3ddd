namespace Auki.Storage;

/// <summary>
/// Creating directories whose names survive a power loss. <c>mkdir</c> adds an entry to the parent
/// directory, and POSIX makes that entry durable only when the parent itself is fsynced: an fsync of
/// the new directory, or of a file inside it, does not. Without it a crash could keep a file that
/// was fsynced and reported durable while losing the directory that names it (a registry entry's
/// <c>&lt;id&gt;/</c> level, a new log's root). So every level that a call creates has its parent
/// fsynced before the call returns — once, when it is created; an existing directory costs a stat.
/// </summary>
internal static class DurableDirectory
{
    /// <summary>
    /// Create <paramref name="dir"/> and any missing ancestors, fsync the parent of every level created,
    /// and return whether anything was created. A level another thread or process created meanwhile is
    /// synced too (harmless: one more fsync), so no caller returns before the name is durable.
    /// </summary>
    public static bool Create(string dir)
    {
        var created = CreateUnsynced(dir);
        SyncParents(created);
        return created.Count > 0;
    }

    /// <summary>
    /// Create <paramref name="dir"/> and its missing ancestors without syncing; returns the levels created,
    /// deepest first, for <see cref="SyncParents"/> once what goes inside them is written.
    /// </summary>
    public static List<string> CreateUnsynced(string dir)
    {
        var missing = new List<string>();
        for (string? level = Path.GetFullPath(dir); level is not null && !Directory.Exists(level); level = Path.GetDirectoryName(level))
            missing.Add(level);
        if (missing.Count > 0) Directory.CreateDirectory(dir);
        return missing;
    }

    /// <summary>fsync the parent of each created level (deepest first): each new name is then durable.</summary>
    public static void SyncParents(List<string> created)
    {
        foreach (string level in created)
            if (Path.GetDirectoryName(level) is { } parent) AtomicFile.FsyncDirectory(parent);
    }
}
