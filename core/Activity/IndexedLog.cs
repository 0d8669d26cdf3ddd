namespace Auki.Activity;

/// <summary>Entries, first and last timestamps and file bytes of a run of segments.</summary>
internal readonly record struct SegmentTotals(long Entries, long First, long Last, long Bytes)
{
    public static SegmentTotals None => new(0, 0, 0, 0);

    /// <summary>This run followed by <paramref name="next"/>; first/last are min/max (a log's timestamps never go back).</summary>
    public SegmentTotals Then(SegmentTotals next)
    {
        if (next.Entries == 0) return this with { Bytes = Bytes + next.Bytes };
        if (Entries == 0) return next with { Bytes = Bytes + next.Bytes };
        return new SegmentTotals(Entries + next.Entries, Math.Min(First, next.First), Math.Max(Last, next.Last), Bytes + next.Bytes);
    }
}

/// <summary>
/// What <see cref="ActivityIndex"/> keeps of one log's segments, and the keys it is verified by:
/// the <c>segments/</c> directory's mtime (a new, evicted or replaced segment changes it) and the
/// newest segment's length and mtime (appends go only there). A key read within
/// <see cref="ExtentCache.RacyMarginNs"/> of its own mtime is not trusted (a change in the same clock
/// tick would not move it), so such a log is looked at again on the next call.
/// </summary>
internal readonly record struct IndexedExtent(
    long DirMtimeTicks,
    bool DirTrusted,
    int Segments,
    long NewestStart,
    long NewestLength,
    long NewestMtimeTicks,
    bool NewestTrusted,
    SegmentTotals Sealed,
    long SealedLastWriteTicks,
    SegmentTotals Newest)
{
    /// <summary>A log whose <c>segments/</c> directory holds no segment.</summary>
    public static IndexedExtent NoSegments(long dirMtimeTicks, bool trusted) =>
        new(dirMtimeTicks, trusted, 0, 0, 0, 0, true, SegmentTotals.None, long.MinValue, SegmentTotals.None);

    /// <summary>The summary callers see.</summary>
    public LogSummary Summary
    {
        get
        {
            if (Segments == 0) return new LogSummary(0, 0, 0, 0, 0, null);
            var all = Sealed.Then(Newest);
            long lastWrite = Math.Max(SealedLastWriteTicks, NewestMtimeTicks);
            long lastWriteNs = (lastWrite - DateTime.UnixEpoch.Ticks) * 100;
            return all.Entries == 0
                ? new LogSummary(0, 0, 0, all.Bytes, Segments, lastWriteNs)
                : new LogSummary(all.Entries, all.First, all.Last, all.Bytes, Segments, lastWriteNs);
        }
    }
}

/// <summary>
/// Who owns a log as its <c>manifest.json</c> says (<c>source_peer_id</c>, for materialized logs),
/// verified by the manifest's length and mtime (trusted as <see cref="IndexedExtent"/>'s keys are).
/// <see cref="Exists"/> false: the log has no manifest.json (its path names the peer).
/// </summary>
internal readonly record struct IndexedOwner(bool Exists, long Length, long MtimeTicks, bool Trusted, string? SourcePeerId);
