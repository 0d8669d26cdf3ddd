using Auki.Domains;
using Auki.Registry;
using Auki.Sessions;
using DomainMembership = Auki.Domains.Domain;

namespace Auki.Core.Tests.Domain;

/// <summary>
/// What the two-member domain tests share: a private mosquitto, a storage directory, members joined
/// with a fast catalog interval (left again at the end), and the camera log they are about.
/// </summary>
public abstract class BrokerFixture : IDisposable
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    protected static readonly LogRef Camera = new("galbot", "head_left_rgb");

    protected readonly Broker _broker = new();
    protected readonly TempDir _dir = new();
    private readonly List<DomainMembership> _joined = new();

    public void Dispose()
    {
        foreach (var d in _joined) d.Leave();
        _broker.Dispose();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    protected DomainMembership Join(Session s, int chunkBytes = DomainConfig.DefaultChunkBytes)
    {
        var d = DomainMembership.Join(s, new DomainConfig("lab", _broker.Url) { CatalogInterval = TimeSpan.FromMilliseconds(50), ChunkBytes = chunkBytes });
        _joined.Add(d);
        return d;
    }
}
