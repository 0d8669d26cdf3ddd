namespace Auki.Foxglove.Live;

/// <summary>
/// One client's queue of messages to send. Control messages are always kept (they are small and a
/// client that missed an advertisement would be lost). Data frames are bounded by count and by
/// bytes: when a frame does not fit, the OLDEST queued frames are dropped to make room, so a slow
/// client sees the latest data late rather than old data ever later, and the producer (the one
/// thread that follows every log for every client) never waits. One producer or many, one consumer.
/// </summary>
internal sealed class OutboundQueue
{
    private readonly Lock _gate = new();
    private readonly LinkedList<OutboundMessage> _items = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly int _maxFrames;
    private readonly long _maxBytes;
    private int _frames;
    private long _frameBytes;
    private bool _completed;

    public OutboundQueue(int maxFrames, long maxBytes)
    {
        if (maxFrames < 1) throw AukiException.Invalid("client queue must hold at least one message");
        if (maxBytes < 1) throw AukiException.Invalid("client queue must hold at least one byte");
        _maxFrames = maxFrames;
        _maxBytes = maxBytes;
    }

    /// <summary>Data frames dropped so far because this client did not keep up.</summary>
    public long Dropped { get; private set; }

    /// <summary>Data frames waiting now.</summary>
    public int Frames
    {
        get { lock (_gate) return _frames; }
    }

    /// <summary>
    /// Queue <paramref name="message"/> and return at once. A data frame larger than the byte bound
    /// still goes in when it is the only one (a client must be able to receive a big image at all).
    /// False once the queue is completed.
    /// </summary>
    public bool Enqueue(OutboundMessage message)
    {
        int released;
        lock (_gate)
        {
            if (_completed) return false;
            if (!message.IsControl)
            {
                long size = message.Size;
                while (_frames > 0 && (_frames + 1 > _maxFrames || _frameBytes + size > _maxBytes)) DropOldestFrame();
                _frames++;
                _frameBytes += size;
            }
            _items.AddLast(message);
            released = 1;
        }
        _available.Release(released);
        return true;
    }

    /// <summary>
    /// Wait for the next message; false when the queue was completed and is empty, or
    /// <paramref name="cancellationToken"/> was cancelled.
    /// </summary>
    public async ValueTask<(bool Ok, OutboundMessage Message)> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return (false, default);
            }
            lock (_gate)
            {
                // A permit whose message was dropped: wait for the next one.
                if (_items.First is not { } first)
                {
                    if (_completed) return (false, default);
                    continue;
                }
                _items.RemoveFirst();
                var message = first.Value;
                if (!message.IsControl)
                {
                    _frames--;
                    _frameBytes -= message.Size;
                }
                return (true, message);
            }
        }
    }

    /// <summary>No more messages: the consumer takes what is queued, then <see cref="DequeueAsync"/> returns false.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_completed) return;
            _completed = true;
        }
        _available.Release();
    }

    /// <summary>Drop everything still queued (a client going away).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _items.Clear();
            _frames = 0;
            _frameBytes = 0;
        }
    }

    private void DropOldestFrame()
    {
        for (var node = _items.First; node is not null; node = node.Next)
        {
            if (node.Value.IsControl) continue;
            _items.Remove(node);
            _frames--;
            _frameBytes -= node.Value.Size;
            Dropped++;
            return;
        }
    }
}
