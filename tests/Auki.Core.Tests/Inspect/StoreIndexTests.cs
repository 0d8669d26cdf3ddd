using Auki.Core.Tests.Support;
using Auki.Inspect;

namespace Auki.Core.Tests.Inspect;

/// <summary>Discovery behind auki ls, auki_store_* and auki_data.Store: queries, resolving a log, a listing that stays current.</summary>
public class StoreIndexTests
{
    [Fact]
    public void A_time_window_keeps_logs_with_an_entry_inside_it_both_bounds_inclusive()
    {
        using var store = new RecordedStore();
        store.Camera("early", integrity: false, timestamps: [100, 200]);
        store.Camera("late", integrity: false, timestamps: [300, 400]);
        store.Camera("empty", integrity: false);
        string[] Ids(StoreQuery q) => StoreIndex.Logs(store.Root, q).Select(l => l.ResourceId).ToArray();
        Assert.Equal(["early", "late"], Ids(new StoreQuery(StartNs: 200, EndNs: 300)));
        Assert.Equal(["late"], Ids(new StoreQuery(StartNs: 201)));
        Assert.Equal(["early"], Ids(new StoreQuery(EndNs: 299)));
        Assert.Equal(["early", "empty", "late"], Ids(StoreQuery.All));
        Assert.Empty(Ids(new StoreQuery(PeerId: "spot")));
        Assert.Empty(Ids(new StoreQuery(StartNs: 201, EndNs: 299)));
    }

    [Fact]
    public void A_second_listing_sees_entries_appended_after_the_first()
    {
        using var store = new RecordedStore();
        var log = store.Camera("cam", integrity: false, timestamps: [100]);
        Assert.Equal(1, Assert.Single(StoreIndex.Logs(store.Root, StoreQuery.All)).Entries);
        // Another writer appends an entry to the same (v1) segment: 8-byte timestamp, 4-byte length, payload.
        using (var segment = new FileStream(store.SegmentPath(log, 0), FileMode.Append))
        {
            var entry = new byte[12 + 3];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(entry, 150);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(8), 3);
            segment.Write(entry);
        }
        var again = Assert.Single(StoreIndex.Logs(store.Root, StoreQuery.All));
        Assert.Equal((2L, 150L), (again.Entries, again.LastTimestampNs!.Value));
    }

    [Fact]
    public void A_log_is_resolved_by_file_id_path_or_log_ref_and_anything_else_is_not_found()
    {
        using var store = new RecordedStore();
        store.Camera("cam", integrity: false, timestamps: [100]);
        string fileId = $"{store.Session.SessionId}/logs/galbot/cam";
        Assert.Equal(fileId, StoreIndex.Resolve(store.Root, fileId).FileId);
        Assert.Equal(fileId, StoreIndex.Resolve(store.Root, Path.Combine(store.Root, fileId)).FileId);
        Assert.Equal(fileId, StoreIndex.Resolve(store.Root, "galbot", "cam", null).FileId);
        Assert.Equal(AukiErrorCode.NotFound, Assert.Throws<AukiException>(() => StoreIndex.Resolve(store.Root, "logs/galbot/cam")).Code);
        Assert.Equal(AukiErrorCode.NotFound, Assert.Throws<AukiException>(() => StoreIndex.Resolve(store.Root, "galbot", "lidar", null)).Code);
        Assert.Equal(AukiErrorCode.InvalidArgument, Assert.Throws<AukiException>(() => StoreIndex.Logs(store.Root, new StoreQuery(PeerId: "../x"))).Code);
    }
}
