namespace Auki.Foxglove.Live;

/// <summary>
/// A channel the server advertises: its id on the wire (never reused while the server runs) and
/// what <see cref="FoxgloveProfile"/> made of the log it comes from.
/// </summary>
internal sealed class LiveChannel(uint id, FoxgloveChannel channel, LiveLog log)
{
    public uint Id { get; } = id;

    public FoxgloveChannel Channel { get; } = channel;

    /// <summary>The followed log this channel belongs to.</summary>
    public LiveLog Log { get; } = log;

    /// <summary>Clients subscribed now: entries of a channel nobody watches are read past, never converted.</summary>
    public int Subscribers => Volatile.Read(ref _subscribers);

    private int _subscribers;

    public void AddSubscriber() => Interlocked.Increment(ref _subscribers);

    public void RemoveSubscriber() => Interlocked.Decrement(ref _subscribers);
}
