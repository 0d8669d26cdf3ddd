using System.Diagnostics;
using Auki.Logs;

namespace Auki.Core.Tests.Logs;

public class WriterLockTests
{
    [Fact]
    public void Second_writer_in_the_same_process_gets_busy()
    {
        using var log = new TempLog();
        using var first = log.Open();
        var e = Assert.Throws<AukiException>(() => log.Open());
        Assert.Equal(AukiErrorCode.Busy, e.Code);
        Assert.Equal("log is locked by another writer: " + log.Root, e.Message);
    }

    [Fact]
    public void Lock_is_released_on_close()
    {
        using var log = new TempLog();
        log.Open().Close();
        using var second = log.Open();
    }

    [Fact]
    public void Another_process_cannot_take_the_lock_while_a_writer_holds_it()
    {
        using var log = new TempLog();
        using (log.Open())
        {
            Assert.NotEqual(0, RunFlock("-n", log.LockPath, "true"));
        }
        Assert.Equal(0, RunFlock("-n", log.LockPath, "true"));
    }

    [Fact]
    public void Writer_gets_busy_while_another_process_holds_the_lock_and_succeeds_after_it_dies()
    {
        using var log = new TempLog();
        Directory.CreateDirectory(log.Root);
        // Blocking (no -n): our probe below may hold the lock for an instant. -o: only flock itself
        // holds the lock, not its sleep child, so killing flock releases it.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["-o", log.LockPath, "sleep", "60"]) { UseShellExecute = false })!;
        try
        {
            WaitUntilLocked(log.LockPath);
            var e = Assert.Throws<AukiException>(() => log.Open());
            Assert.Equal(AukiErrorCode.Busy, e.Code);
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
        }
        using var writer = log.Open();
    }

    [Fact]
    public void Readers_do_not_take_the_lock()
    {
        using var log = new TempLog();
        using var writer = log.Open();
        writer.Append(1, Bytes.Of("x"));
        writer.Flush();
        Assert.Single(LogReader.Open(log.Root).Entries());
        using var tail = LogTail.Open(log.Root);
        Assert.Equal(1, LogStats.Compute(log.Root).Entries);
    }

    private static int RunFlock(params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo("flock", args) { UseShellExecute = false })!;
        p.WaitForExit();
        return p.ExitCode;
    }

    private static void WaitUntilLocked(string path)
    {
        var deadline = Stopwatch.StartNew();
        while (RunFlock("-n", path, "true") == 0)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException("child never took the lock");
            Thread.Sleep(20);
        }
    }
}
