using System.Text;
using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Domains;

/// <summary>
/// What this member knows of every peer's retained catalog, kept current from the
/// <c>…/peers/+/catalog</c> subscription, and the watches that turn changes into events. After a
/// lost connection it is resynchronized: the catalogs received on the new connection (the broker's
/// retained ones first) are noted, and peers without one are dropped (<see cref="EndResync"/>).
/// </summary>
internal sealed class CatalogBook
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Dictionary<string, (string Canonical, JsonObject Row)>> _peers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _protocols = new(StringComparer.Ordinal);
    // Per peer: its sealed rigid pose logs' single entries by resource id (the document's "static_transforms").
    private readonly Dictionary<string, Dictionary<string, Logs.LogEntry>> _transforms = new(StringComparer.Ordinal);
    private readonly List<CatalogWatch> _watches = new();
    private readonly HashSet<string> _seenSinceResync = new(StringComparer.Ordinal);
    private int _resyncEpoch;
    private bool _resyncing;

    /// <summary>Apply a retained catalog message; returns false when it removed the peer (empty payload).</summary>
    public bool Apply(string peer, ReadOnlySpan<byte> payload)
    {
        Dictionary<string, (string, JsonObject)>? rows = null;
        int protocol = 0;
        JsonObject? doc = null;
        if (!payload.IsEmpty)
        {
            rows = new Dictionary<string, (string, JsonObject)>(StringComparer.Ordinal);
            if (payload.Length > DomainLimits.MaxCatalogBytes)
                throw AukiException.Invalid($"catalog of peer {peer} has {payload.Length} bytes (at most {DomainLimits.MaxCatalogBytes}): refused");
            doc = JsonText.Parse(payload) as JsonObject;
            if (doc?["resources"] is not JsonArray resources) return true;
            if (doc["protocol"] is JsonValue version && version.TryGetValue(out int v)) protocol = v;
            if (resources.Count > DomainLimits.MaxCatalogRows)
                throw AukiException.Invalid($"catalog of peer {peer} has {resources.Count} rows (at most {DomainLimits.MaxCatalogRows}): refused");
            foreach (var node in resources)
            {
                if (node is not JsonObject row) continue;
                rows[Key(row)] = (Encoding.UTF8.GetString(CanonicalJson.Serialize(row)), row);
            }
        }
        var transforms = rows is null ? null : AdvertisedTransformsOf(peer, doc, rows);
        lock (_gate)
        {
            if (_resyncing) _seenSinceResync.Add(peer);
            _peers.TryGetValue(peer, out var before);
            if (rows is null) _peers.Remove(peer);
            else _peers[peer] = rows;
            _protocols[peer] = protocol;
            if (transforms is null) _transforms.Remove(peer);
            else _transforms[peer] = transforms;
            foreach (var watch in _watches) Diff(watch, peer, before, rows);
        }
        return rows is not null;
    }

    /// <summary>
    /// The document's <c>static_transforms</c> that name a sealed rigid pose log of the peer's own in its rows, each
    /// with a timestamp ≥ 0 and a payload of at most <see cref="AdvertisedTransforms.MaxPayloadBytes"/>. Anything
    /// else in it is ignored, not refused: a reader that finds no value streams the log (and reports what is wrong).
    /// </summary>
    private static Dictionary<string, Logs.LogEntry>? AdvertisedTransformsOf(string peer, JsonObject? doc,
        Dictionary<string, (string, JsonObject Row)> rows)
    {
        if (doc?["static_transforms"] is not JsonArray list) return null;
        Dictionary<string, Logs.LogEntry>? found = null;
        foreach (var node in list.Take(DomainLimits.MaxCatalogRows))
        {
            if (node is not JsonObject t || t["resource_id"] is not JsonValue idValue || !idValue.TryGetValue(out string? id)
                || t["timestamp_ns"] is not JsonValue tsValue || !tsValue.TryGetValue(out long ts) || ts < 0
                || t["payload"] is not JsonValue payloadValue || !payloadValue.TryGetValue(out string? base64)
                || base64.Length > (AdvertisedTransforms.MaxPayloadBytes + 2) / 3 * 4)
                continue;
            if (!rows.TryGetValue(peer + "\0" + id, out var row) || (string?)row.Row["state"] != "sealed"
                || (string?)row.Row["variant"] != "pose_log" || (string?)row.Row["pose"]?["writer_mode"] != "rigid")
                continue;
            byte[] bytes;
            try { bytes = Convert.FromBase64String(base64); }
            catch (FormatException) { continue; }
            if (bytes.Length > AdvertisedTransforms.MaxPayloadBytes) continue;
            (found ??= new(StringComparer.Ordinal))[id] = new Logs.LogEntry(ts, bytes);
        }
        return found;
    }

    /// <summary>The single entry <paramref name="peer"/> advertises for its own sealed rigid pose log, or null.</summary>
    public Logs.LogEntry? StaticTransform(string peer, string resourceId)
    {
        lock (_gate)
            return _transforms.TryGetValue(peer, out var t) && t.TryGetValue(resourceId, out var entry) ? entry : null;
    }

    /// <summary>The current resynchronization (changes with every <see cref="BeginResync"/>).</summary>
    public int ResyncEpoch { get { lock (_gate) return _resyncEpoch; } }

    /// <summary>The connection was lost: from now on, note which peers' catalogs arrive.</summary>
    public void BeginResync()
    {
        lock (_gate)
        {
            _resyncEpoch++;
            _resyncing = true;
            _seenSinceResync.Clear();
        }
    }

    /// <summary>
    /// Every catalog the broker retained has arrived on the new connection: drop the peers (but
    /// <paramref name="keep"/>) none arrived for, telling the watches. Returns them; none when the
    /// connection was lost again since <paramref name="epoch"/>.
    /// </summary>
    public List<string> EndResync(int epoch, string keep)
    {
        var gone = new List<string>();
        lock (_gate)
        {
            if (epoch != _resyncEpoch || !_resyncing) return gone;
            _resyncing = false;
            foreach (var (peer, rows) in _peers)
            {
                if (peer == keep || _seenSinceResync.Contains(peer)) continue;
                gone.Add(peer);
                foreach (var watch in _watches) Diff(watch, peer, rows, null);
            }
            foreach (var peer in gone) _peers.Remove(peer);
            _seenSinceResync.Clear();
        }
        gone.Sort(StringComparer.Ordinal);
        return gone;
    }

    private static string Key(JsonObject row) =>
        ((string?)row["source_peer_id"] ?? "") + "\0" + ((string?)row["resource_id"] ?? "");

    private static void Diff(CatalogWatch watch, string peer, Dictionary<string, (string Canonical, JsonObject Row)>? before,
        Dictionary<string, (string Canonical, JsonObject Row)>? after)
    {
        if (before is not null)
            foreach (var (key, old) in before)
                if (after is null || !after.ContainsKey(key)) watch.Push(Event("removed", peer, old.Row));
        if (after is not null)
            foreach (var (key, now) in after)
            {
                if (before is null || !before.TryGetValue(key, out var old)) watch.Push(Event("added", peer, now.Row));
                else if (old.Canonical != now.Canonical) watch.Push(Event("updated", peer, now.Row));
            }
    }

    private static JsonObject Event(string kind, string peer, JsonObject row) =>
        new() { ["event"] = kind, ["peer_id"] = peer, ["row"] = row.DeepClone() };

    /// <summary>Peers that currently hold a catalog, sorted.</summary>
    public List<string> Peers()
    {
        lock (_gate)
        {
            var list = _peers.Keys.ToList();
            list.Sort(StringComparer.Ordinal);
            return list;
        }
    }

    public bool Has(string peer) { lock (_gate) return _peers.ContainsKey(peer); }

    /// <summary>The protocol version a peer's catalog names (<c>"protocol"</c>; 0 when it names none or the peer is not in the domain).</summary>
    public int Protocol(string peer)
    {
        lock (_gate) return _peers.ContainsKey(peer) ? _protocols.GetValueOrDefault(peer) : 0;
    }

    /// <summary>A copy of a peer's rows in the order it published them, or null when the peer is not in the domain.</summary>
    public JsonArray? Rows(string peer)
    {
        lock (_gate)
        {
            if (!_peers.TryGetValue(peer, out var rows)) return null;
            var array = new JsonArray();
            foreach (var (_, row) in rows.Values) array.Add(row.DeepClone());
            return array;
        }
    }

    /// <summary>The row a peer advertises for a log, or null.</summary>
    public JsonObject? Row(string peer, string sourcePeerId, string resourceId)
    {
        lock (_gate)
            return _peers.TryGetValue(peer, out var rows) && rows.TryGetValue(sourcePeerId + "\0" + resourceId, out var r)
                ? (JsonObject)r.Row.DeepClone() : null;
    }

    /// <summary>Peers advertising a row for (<paramref name="sourcePeerId"/>, <paramref name="resourceId"/>), sorted.</summary>
    public List<string> Advertisers(string sourcePeerId, string resourceId)
    {
        string key = sourcePeerId + "\0" + resourceId;
        var list = new List<string>();
        lock (_gate)
            foreach (var (peer, rows) in _peers)
                if (rows.ContainsKey(key)) list.Add(peer);
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    /// <summary>A watch that first reports every row known now as "added".</summary>
    public CatalogWatch Watch()
    {
        var watch = new CatalogWatch(this);
        lock (_gate)
        {
            foreach (var (peer, rows) in _peers) Diff(watch, peer, null, rows);
            _watches.Add(watch);
        }
        return watch;
    }

    internal void Remove(CatalogWatch watch) { lock (_gate) _watches.Remove(watch); }

    /// <summary>End every watch (the domain was left).</summary>
    public void CloseAll()
    {
        CatalogWatch[] all;
        lock (_gate)
        {
            all = _watches.ToArray();
            _watches.Clear();
        }
        foreach (var w in all) w.End();
    }
}

/// <summary>
/// Catalog changes as they arrive: <c>{"event": "added" | "updated" | "removed", "peer_id", "row"}</c>.
/// Starts with an "added" event for every row known when it was opened.
/// </summary>
public sealed class CatalogWatch : IDisposable
{
    private readonly CatalogBook _book;
    private readonly Queue<JsonObject> _events = new();
    private bool _ended;

    internal CatalogWatch(CatalogBook book) => _book = book;

    internal void Push(JsonObject e)
    {
        lock (_events)
        {
            if (_ended) return;
            _events.Enqueue(e);
            Monitor.PulseAll(_events);
        }
    }

    internal void End()
    {
        lock (_events)
        {
            _ended = true;
            Monitor.PulseAll(_events);
        }
    }

    /// <summary>The next event, waiting up to <paramref name="timeout"/> (null = forever); null on timeout; Closed once the domain was left and every event was read.</summary>
    public JsonObject? Next(TimeSpan? timeout)
    {
        long deadline = timeout is TimeSpan t ? Environment.TickCount64 + (long)Math.Ceiling(t.TotalMilliseconds) : long.MaxValue;
        lock (_events)
        {
            while (true)
            {
                if (_events.Count > 0) return _events.Dequeue();
                if (_ended) throw AukiException.Closed("catalog watch has ended (the domain was left or the watch closed)");
                long left = deadline - Environment.TickCount64;
                if (left <= 0) return null;
                Monitor.Wait(_events, (int)Math.Min(left, int.MaxValue));
            }
        }
    }

    /// <summary>Stop receiving events.</summary>
    public void Dispose()
    {
        _book.Remove(this);
        End();
    }
}
