using Auki.Json;
using Auki.Logs;

namespace Auki.Core.Tests.Logs;

/// <summary>auki_log_info's JSON, written directly, is the canonical form of <see cref="LogInfo.Describe"/>.</summary>
public class LogInfoTests
{
    [Fact]
    public void Canonical_json_is_the_description_serialized_for_empty_and_full_logs()
    {
        using var log = TempLog.InMemory();
        using (var writer = log.Open(segmentNs: 100))
        {
            Assert.Equal(CanonicalJson.Serialize(LogInfo.Describe(log.Root)), LogInfo.DescribeCanonicalJson(log.Root));
            for (long ts = 0; ts < 1000; ts += 30) writer.Append(ts, new byte[ts % 7]);
        }
        var json = LogInfo.DescribeCanonicalJson(log.Root);
        Assert.Equal(CanonicalJson.Serialize(LogInfo.Describe(log.Root)), json);
        Assert.Contains("\"segment_starts\":[0,100,200,300,400,500,600,700,800,900]", System.Text.Encoding.UTF8.GetString(json));
    }

    [Fact]
    public void Canonical_json_is_the_description_serialized_for_starts_of_every_length()
    {
        // The starts' array is measured before it is written: lengths on both sides of powers of ten.
        long[] stamps = [0, 1, 9, 10, 99, 100, 999, 1000,
            99_999, 100_000, 999_999_999_999, 1_000_000_000_000, 999_999_999_999_999_999, 1_000_000_000_000_000_000, long.MaxValue - 1];
        using var log = TempLog.InMemory();
        using (var writer = log.Open(segmentNs: 1))
        {
            foreach (long ts in stamps) writer.Append(ts, [1]);
        }
        var json = LogInfo.DescribeCanonicalJson(log.Root);
        Assert.Equal(CanonicalJson.Serialize(LogInfo.Describe(log.Root)), json);
        Assert.Contains("\"segment_starts\":[" + string.Join(",", stamps) + "]", System.Text.Encoding.UTF8.GetString(json));
    }
}
