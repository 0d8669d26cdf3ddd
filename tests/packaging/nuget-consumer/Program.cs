using System.Text.Json.Nodes;
using Auki.Registry;
using Auki.Sessions;

// Registers a frame and a clock through the NuGet package and checks a locked hash vector.
string root = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "auki-nuget-" + Guid.NewGuid().ToString("N"));
var peer = new Peer("galbot", "nuget-consumer") { StorageRoot = root };
var frame = peer.RegisterFrame("head_left_camera_optical", FrameDef.RosOptical);
var session = peer.StartSession();
var clock = session.RegisterClock("session/sdk_clock",
    JsonNode.Parse("""{"type":"monotonic_clock","unit":"ns","monotonic":true,"scope":"device-local"}"""));
Console.WriteLine($"frame {frame.Hash}, clock {clock.Hash}, session {session.SessionId}");
return frame.Hash == "3055a8ac27eecd57aa37235b05871c01" ? 0 : 1;
