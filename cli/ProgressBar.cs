using System.Diagnostics;
using System.Globalization;

namespace Auki.Cli;

/// <summary>
/// A one-line progress bar on stderr, redrawn at most ten times a second, only when stderr is a
/// terminal (so logs and pipes never see it). Thread-safe: scans report from several threads.
/// </summary>
internal sealed class ProgressBar(Io io, string label) : IDisposable
{
    private const int BarWidth = 30;
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _enabled = io.ErrIsTerminal && Environment.GetEnvironmentVariable("TERM") != "dumb";
    private long _lastDrawMs = -1000;
    private bool _drawn;

    public void Report(long done, long total, bool force = false)
    {
        if (!_enabled) return;
        lock (_gate)
        {
            long now = _clock.ElapsedMilliseconds;
            if (!force && now - _lastDrawMs < 100) return;
            _lastDrawMs = now;
            double fraction = total > 0 ? Math.Clamp(done / (double)total, 0, 1) : 1;
            int filled = (int)(fraction * BarWidth);
            double seconds = Math.Max(0.001, now / 1000.0);
            string rate = Text.Bytes((long)(done / seconds)) + "/s";
            string line = $"\r{label} [{new string('#', filled)}{new string('-', BarWidth - filled)}] "
                + $"{(fraction * 100).ToString("0", CultureInfo.InvariantCulture),3}%  {Text.Bytes(done)} / {Text.Bytes(total)}  {rate}   ";
            io.Err.Write(line);
            _drawn = true;
        }
    }

    /// <summary>Erase the bar so the command's own output starts on a clean line.</summary>
    public void Dispose()
    {
        if (!_drawn) return;
        lock (_gate) io.Err.Write("\r" + new string(' ', 100) + "\r");
    }
}
