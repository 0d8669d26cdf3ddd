using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Auki.Core.Tests.Domain;

/// <summary>
/// Debian's mosquitto on 127.0.0.1 on a free port with a throwaway config (no persistence:
/// a restart loses retained messages and sessions, the harshest case). Stop/Start restart it
/// on the same port.
/// </summary>
public sealed class Broker : IDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";
    private readonly string _dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "auki-broker-" + Guid.NewGuid().ToString("N"));
    private Process? _process;

    public Broker()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} not found: install Debian's mosquitto (build.sh test does)");
        Port = FreePort();
        Directory.CreateDirectory(_dir);
        File.WriteAllText(ConfigPath, $"listener {Port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\nset_tcp_nodelay true\n");
        Start();
    }

    public int Port { get; }
    public string Url => $"mqtt://127.0.0.1:{Port}";
    private string ConfigPath => System.IO.Path.Combine(_dir, "mosquitto.conf");

    public void Start()
    {
        _process = Process.Start(new ProcessStartInfo(Executable, ["-c", ConfigPath]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                if (_process.HasExited) throw new InvalidOperationException("mosquitto exited: " + _process.StandardError.ReadToEnd());
                Thread.Sleep(20);
            }
        }
        throw new InvalidOperationException($"mosquitto did not listen on {Port} within 10 s");
    }

    public void Stop()
    {
        if (_process is null) return;
        try { _process.Kill(); } catch (InvalidOperationException) { }
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public void Dispose()
    {
        Stop();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
