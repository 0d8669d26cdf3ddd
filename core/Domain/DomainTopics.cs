using System.Text;

namespace Auki.Domains;

/// <summary>
/// The topic namespace of one domain (see docs/domains.md). Every topic starts with
/// <c>auki/&lt;domain&gt;/peers/&lt;peer&gt;/</c>; ids are escaped so that <c>/</c>, <c>+</c>, <c>#</c>,
/// <c>%</c> and NUL in them can never change a topic's shape.
/// </summary>
internal sealed class DomainTopics
{
    private readonly string _prefix;

    public DomainTopics(string domainId, string peerId)
    {
        _prefix = "auki/" + Escape(domainId) + "/peers/";
        Me = peerId;
    }

    public string Me { get; }

    /// <summary>Retained catalog of a peer; an empty retained payload clears it (leave, last will).</summary>
    public string Catalog(string peer) => _prefix + Escape(peer) + "/catalog";

    /// <summary>Subscription for every peer's catalog.</summary>
    public string AllCatalogs => _prefix + "+/catalog";

    /// <summary>What the control connection subscribes to: every catalog and the requests, replies and stream control addressed to this peer.</summary>
    public string[] ControlSubscriptions => [AllCatalogs, RegistryRequests(Me), StreamRequests(Me), StreamControl(Me), Replies(Me)];

    /// <summary>What the (bulk) data connection subscribes to: the messages of every bulk stream this peer reads.</summary>
    public string[] DataSubscriptions => [_prefix + Escape(Me) + "/in/" + BulkLane + "/+"];

    /// <summary>What the small-stream connection subscribes to: the messages of every stream this peer reads on the small lane.</summary>
    public string[] SmallSubscriptions => [_prefix + Escape(Me) + "/in/" + SmallLane + "/+"];

    /// <summary>Topic level of stream messages on the bulk lane (the data connection; protocol 2's only lane).</summary>
    public const string BulkLane = "streams";

    /// <summary>Topic level of stream messages on the small lane (the small-stream connection, protocol 3).</summary>
    public const string SmallLane = "small";

    public string RegistryRequests(string peer) => _prefix + Escape(peer) + "/in/registry";
    public string StreamRequests(string peer) => _prefix + Escape(peer) + "/in/stream";
    public string StreamControl(string peer) => _prefix + Escape(peer) + "/in/ctl";
    public string Replies(string peer) => _prefix + Escape(peer) + "/in/reply";
    public string StreamData(string peer, string streamId) => _prefix + Escape(peer) + "/in/" + BulkLane + "/" + streamId;
    public string SmallStreamData(string peer, string streamId) => _prefix + Escape(peer) + "/in/" + SmallLane + "/" + streamId;

    /// <summary>The stream id and lane of a stream message's topic tail (<c>in/streams/&lt;id&gt;</c> or <c>in/small/&lt;id&gt;</c>), or null.</summary>
    public static (string StreamId, bool Small)? StreamOf(string tail)
    {
        if (tail.StartsWith("in/" + BulkLane + "/", StringComparison.Ordinal)) return (tail[(4 + BulkLane.Length)..], false);
        if (tail.StartsWith("in/" + SmallLane + "/", StringComparison.Ordinal)) return (tail[(4 + SmallLane.Length)..], true);
        return null;
    }

    /// <summary>Split a received topic into (peer, rest) or null when it is not in this domain.</summary>
    public (string Peer, string Tail)? Parse(string topic)
    {
        if (!topic.StartsWith(_prefix, StringComparison.Ordinal)) return null;
        int slash = topic.IndexOf('/', _prefix.Length);
        if (slash < 0) return null;
        return (Unescape(topic[_prefix.Length..slash]), topic[(slash + 1)..]);
    }

    /// <summary>Percent-encode the characters that are special in MQTT topics (and the escape itself).</summary>
    public static string Escape(string id)
    {
        if (id.AsSpan().IndexOfAny("/+#%\0") < 0) return id;
        var sb = new StringBuilder(id.Length + 8);
        foreach (char c in id)
        {
            if (c is '/' or '+' or '#' or '%' or '\0') sb.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.ToString();
    }

    public static string Unescape(string segment)
    {
        if (!segment.Contains('%')) return segment;
        var sb = new StringBuilder(segment.Length);
        for (int i = 0; i < segment.Length; i++)
        {
            if (segment[i] == '%' && i + 2 < segment.Length
                && int.TryParse(segment.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out int code))
            {
                sb.Append((char)code);
                i += 2;
            }
            else sb.Append(segment[i]);
        }
        return sb.ToString();
    }
}
