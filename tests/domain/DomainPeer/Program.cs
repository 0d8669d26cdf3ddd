// A peer in its own process for the domain tests: `DomainPeer <root> <broker> <domain> [peer]`.
// It declares a camera sensor log (head_left_rgb, rolling, written through at once), joins the
// domain and prints "ready". Then, one command per line on stdin, one answer line on stdout:
//   append <count> <size> <step_ns>   append entries i = n..n+count-1 with timestamp t (+step_ns each) and Payload(i, size)
//   pose <tx> <ty> <tz> <qx> <qy> <qz> <qw>  declare world->head (rigid, fixed), append the pose, seal it
//   leave                             leave the domain
//   quit                              exit (without leaving: the broker's last will clears the catalog)
// Payload(i, size)[k] = (i * 31 + k * 7) & 0xFF: the tests recompute it to check bytes.
using System.Globalization;
using System.Text.Json.Nodes;
using Auki.Domains;
using Auki.Logs;
using Auki.Manifests;
using Auki.Registry;
using Auki.Sessions;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: DomainPeer <root> <broker> <domain> [peer]");
    return 2;
}
string root = args[0], broker = args[1], domainId = args[2], peerId = args.Length > 3 ? args[3] : "galbot";
var peer = new Peer(peerId, peerId + "-ctrl") { StorageRoot = root };
var frame = peer.RegisterFrame("head_left_camera_optical", FrameDef.RosOptical);
var sensor = peer.RegisterSensor("head_left_rgb", new JsonObject
{
    ["kind"] = "camera",
    ["type"] = "rgb",
    ["width"] = 1920,
    ["height"] = 1200,
    ["frame_rate_hz"] = 30,
    ["pixel_format"] = "rgb8",
    ["color_space"] = "srgb",
    ["intrinsics_model"] = "pinhole",
    ["distortion_model"] = "brown_conrady",
    ["frame"] = frame.ToJson(),
});
var session = peer.StartSession();
var log = session.RegisterLog(new SensorLogSpec(sensor, session.MonotonicClock!, HeadSpec.Rolling(3_600_000_000_000), 1_000_000_000, 0, frame));
log.Data.Configure(new LogWriterOptions { BufferSize = 0 });
var domain = Domain.Join(session, new DomainConfig(domainId, broker) { CatalogInterval = TimeSpan.FromMilliseconds(100) });
Console.WriteLine("ready");

long next = 0, ts = 1_000;
string? line;
while ((line = Console.ReadLine()) is not null)
{
    var p = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    if (p.Length == 0) continue;
    try
    {
        switch (p[0])
        {
            case "append":
                int count = int.Parse(p[1], CultureInfo.InvariantCulture), size = int.Parse(p[2], CultureInfo.InvariantCulture);
                long step = long.Parse(p[3], CultureInfo.InvariantCulture);
                var payload = new byte[size];
                for (int n = 0; n < count; n++, next++)
                {
                    for (int k = 0; k < size; k++) payload[k] = (byte)((next * 31 + k * 7) & 0xFF);
                    log.Data.Append(ts, payload);
                    ts += step;
                }
                Console.WriteLine($"ok {next} {ts - step}");
                break;
            case "pose":
                var world = peer.RegisterFrame("world", FrameDef.RosBody);
                var head = peer.RegisterFrame("head", FrameDef.RosBody);
                var pose = session.RegisterLog(new PoseLogSpec(world, head, session.MonotonicClock!, new JsonObject { ["kind"] = "manual" },
                    "rigid", 0, HeadSpec.Fixed(), 1_000_000_000, 0));
                var v = p.Skip(1).Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
                pose.Data.Append(0, new PoseTransform(v[0], v[1], v[2], v[3], v[4], v[5], v[6]).Encode());
                pose.Data.Close();
                domain.RefreshCatalog();
                Console.WriteLine("ok");
                break;
            case "leave":
                domain.Leave();
                Console.WriteLine("ok");
                break;
            case "quit":
                return 0;
            default:
                Console.WriteLine("error unknown command " + p[0]);
                break;
        }
    }
    catch (Exception e)
    {
        Console.WriteLine("error " + e.Message.Replace('\n', ' '));
    }
}
return 0;
