using System.Security.Cryptography;
using System.Text;

namespace Auki.Foxglove.Live;

/// <summary>
/// The server side of the WebSocket opening handshake (RFC 6455 §4.2) over a plain stream: reads
/// the client's HTTP/1.1 upgrade request, checks it, picks the Foxglove subprotocol and writes the
/// <c>101 Switching Protocols</c> answer (or a <c>400</c> saying what was wrong). Written by hand so
/// the server needs nothing but a socket (no HttpListener, nothing that trimming or AOT dislike).
/// </summary>
internal static class WebSocketHandshake
{
    /// <summary>The subprotocol Lichtblick and the npm client (<c>@foxglove/ws-protocol</c>) offer.</summary>
    public const string LegacySubprotocol = "foxglove.websocket.v1";

    /// <summary>The subprotocol current Foxglove offers (foxglove-sdk's server requires it).</summary>
    public const string SdkSubprotocol = "foxglove.sdk.v1";

    /// <summary>The GUID RFC 6455 appends to the client's key.</summary>
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>Longest request head accepted; browsers send well under 2 KiB.</summary>
    internal const int MaxRequestBytes = 16 * 1024;

    /// <summary>The outcome: the subprotocol chosen, or why the request was refused.</summary>
    internal readonly record struct Result(string? Subprotocol, string? Refusal)
    {
        public bool Accepted => Refusal is null;
    }

    /// <summary>
    /// Read the request head from <paramref name="stream"/> and answer it. Returns the chosen
    /// subprotocol, or the refusal already sent to the client (the caller closes the connection).
    /// Throws IOException when the peer goes away or sends more than <see cref="MaxRequestBytes"/>
    /// without finishing the head.
    /// </summary>
    public static async Task<Result> RunAsync(Stream stream, CancellationToken cancellationToken)
    {
        string head = await ReadHeadAsync(stream, cancellationToken).ConfigureAwait(false);
        var result = Answer(head, out string response);
        byte[] bytes = Encoding.ASCII.GetBytes(response);
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>The answer to one request head (everything before the blank line), as text to send.</summary>
    internal static Result Answer(string head, out string response)
    {
        string? refusal = Check(head, out string? key, out string? subprotocol);
        if (refusal is not null)
        {
            response = $"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(refusal) + 1}\r\nConnection: close\r\n\r\n{refusal}\n";
            return new Result(null, refusal);
        }
        var sb = new StringBuilder();
        sb.Append("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n");
        sb.Append("Sec-WebSocket-Accept: ").Append(AcceptKey(key!)).Append("\r\n");
        sb.Append("Sec-WebSocket-Protocol: ").Append(subprotocol).Append("\r\n\r\n");
        response = sb.ToString();
        return new Result(subprotocol, null);
    }

    /// <summary>Sec-WebSocket-Accept for a client key: base64(SHA-1(key + GUID)).</summary>
    public static string AcceptKey(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));

    private static string? Check(string head, out string? key, out string? subprotocol)
    {
        key = null;
        subprotocol = null;
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || requestLine[0] != "GET" || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
            return "expected a GET request upgrading to a WebSocket (HTTP/1.1)";
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 1; i < lines.Length; i++)
        {
            int colon = lines[i].IndexOf(':');
            if (colon <= 0) continue;
            string name = lines[i][..colon].Trim(), value = lines[i][(colon + 1)..].Trim();
            // Repeated headers are one comma-separated list (RFC 9110 §5.3).
            headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
        }
        if (!headers.TryGetValue("Upgrade", out var upgrade) || !HasToken(upgrade, "websocket"))
            return "missing header Upgrade: websocket (this is a Foxglove WebSocket server; connect with ws://)";
        if (!headers.TryGetValue("Connection", out var connection) || !HasToken(connection, "upgrade"))
            return "missing header Connection: Upgrade";
        if (!headers.TryGetValue("Sec-WebSocket-Version", out var version) || version != "13")
            return "unsupported Sec-WebSocket-Version (13 is required)";
        if (!headers.TryGetValue("Sec-WebSocket-Key", out key) || !IsValidKey(key))
            return "missing or malformed Sec-WebSocket-Key";
        headers.TryGetValue("Sec-WebSocket-Protocol", out var offered);
        subprotocol = Choose(offered);
        if (subprotocol is null)
            return $"no supported subprotocol offered (Sec-WebSocket-Protocol: {LegacySubprotocol} or {SdkSubprotocol})";
        return null;
    }

    /// <summary>The SDK protocol when offered, else the legacy one, else null (first match in our order of preference).</summary>
    internal static string? Choose(string? offered)
    {
        if (offered is null) return null;
        if (HasToken(offered, SdkSubprotocol)) return SdkSubprotocol;
        if (HasToken(offered, LegacySubprotocol)) return LegacySubprotocol;
        return null;
    }

    private static bool HasToken(string list, string token)
    {
        foreach (var part in list.Split(','))
            if (part.Trim().Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    // A base64 encoding of 16 bytes (RFC 6455 §4.1 item 7).
    private static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[18];
        return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out int written) && written == 16;
    }

    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        // One byte at a time: the bytes after the head are WebSocket frames and must stay in the stream.
        var buffer = new byte[MaxRequestBytes];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length) throw new IOException($"HTTP request head longer than {MaxRequestBytes} bytes");
            int n = await stream.ReadAsync(buffer.AsMemory(length, 1), cancellationToken).ConfigureAwait(false);
            if (n == 0) throw new IOException("connection closed during the WebSocket handshake");
            length++;
            if (length >= 4 && buffer[length - 1] == '\n' && buffer[length - 2] == '\r' && buffer[length - 3] == '\n' && buffer[length - 4] == '\r')
                return Encoding.Latin1.GetString(buffer, 0, length - 4);
        }
    }
}
