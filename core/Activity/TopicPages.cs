using System.Collections.Concurrent;

namespace Auki.Activity;

/// <summary>
/// The topic list a paging sequence of <see cref="ActivityStore.ListTopics"/> walks through: taken
/// at its first page and handed to the page after by that page's token, while the session's
/// contributions are exactly those the list was made from. So each later page costs its own items
/// (O(1) per page) instead of resolving every file and extent of the session again; a changed
/// session (or a token this process did not issue) computes the list afresh, as before.
/// </summary>
internal static class TopicPages
{
    /// <summary>Continuations kept per process before the table is cleared (each holds one session's topic list).</summary>
    private const int MaxKept = 64;

    private sealed record Snapshot(SessionFile[] Contributions, IReadOnlyList<RecordedFile> Topics);

    private static readonly ConcurrentDictionary<string, Snapshot> Kept = new(StringComparer.Ordinal);

    private static string Key(string storageRoot, string sessionId, string pageToken) =>
        Path.GetFullPath(storageRoot) + "\n" + sessionId + "\n" + pageToken;

    private static SessionFile[] ContributionsOf(ActivitySession session) => session.Files.Select(c => c.File).ToArray();

    /// <summary>The topic list the page before <paramref name="pageToken"/> was cut from, when the session is unchanged since.</summary>
    public static IReadOnlyList<RecordedFile>? Continue(string storageRoot, ActivitySession session, string pageToken)
    {
        if (!Kept.TryGetValue(Key(storageRoot, session.SessionId, pageToken), out var snapshot)) return null;
        return snapshot.Contributions.AsSpan().SequenceEqual(ContributionsOf(session)) ? snapshot.Topics : null;
    }

    /// <summary>Remember <paramref name="topics"/> for the page that <paramref name="nextToken"/> asks for.</summary>
    public static void Keep(string storageRoot, ActivitySession session, string nextToken, IReadOnlyList<RecordedFile> topics)
    {
        if (Kept.Count >= MaxKept) Kept.Clear();
        Kept[Key(storageRoot, session.SessionId, nextToken)] = new Snapshot(ContributionsOf(session), topics);
    }
}
