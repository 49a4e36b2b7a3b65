using DrivePerception.Core.Messages;
using MessagePack;

namespace DrivePerception.Core.Tests.Messages;

public class DegradeStatusTests
{
    [Fact]
    public void Decode_StatusFromANodeBeforeDegrade_ReadsAsOff()
    {
        // A status as nodes published it before the degrade field existed: every other key, no "degrade".
        var old = new Dictionary<string, object>
        {
            ["schema"] = WireSchema.Version, ["mono_ns"] = 1L, ["utc_ns"] = 2L, ["seq"] = 3L, ["health"] = "ok", ["message"] = "",
            ["source"] = "x.mcap", ["camera_id"] = "front", ["source_state"] = "streaming", ["reconnects"] = 0L,
            ["counters"] = new Dictionary<string, object> { ["captured"] = 5L },
            ["fps"] = 15.0, ["latency_p50_ms"] = 40.0, ["latency_p99_ms"] = 60.0, ["deadline_ms"] = 100.0, ["models"] = Array.Empty<object>(),
        };
        var back = WireCodec.Decode<StatusMessage>(MessagePackSerializer.Serialize(old, WireCodec.Options));

        Assert.Equal(3, back.Sequence);
        Assert.NotNull(back.Degrade);
        Assert.Equal(("off", 0), (back.Degrade.Mode, back.Degrade.Level));
    }

    [Fact]
    public void StatusMessage_RoundTrip_KeepsTheDegradeState()
    {
        var m = new StatusMessage
        {
            Degrade = new DegradeStatus
            {
                Mode = "auto", Level = 2, Name = "light-model", GaveUp = "g", Reason = "r", Changes = 4, FrameIntervalMs = 66.7,
                ProcessingP50Ms = 30, ProcessingP90Ms = 41,
            },
        };
        var back = WireCodec.Decode<StatusMessage>(WireCodec.Encode(m)).Degrade;
        Assert.Equal(("auto", 2, "light-model", "g", "r", 4L), (back.Mode, back.Level, back.Name, back.GaveUp, back.Reason, back.Changes));
        Assert.Equal((66.7, 30.0, 41.0), (back.FrameIntervalMs, back.ProcessingP50Ms, back.ProcessingP90Ms));
    }
}
