using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Recording.Drives;
using DrivePerception.Recording.Foxglove;
using DrivePerception.Recording.Mcap;

namespace DrivePerception.Recording.Tests.Drives;

/// <summary>Drives written with DriveRecorder and read back with DriveReader and the plain MCAP reader.</summary>
public sealed class DriveRecorderTests
{
    [Fact]
    public void ReadFrames_RoundTrip_SameBytesTimesAndOrder()
    {
        using var drive = new SampleDrive(12);
        using var reader = DriveReader.Open(drive.Path);

        var frames = reader.ReadFrames("front").ToList();

        Assert.Null(reader.Recovery);
        Assert.Equal(12, frames.Count);
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.Equal(i, frames[i].Sequence);
            Assert.Equal(SampleDrive.TimeOf(i), frames[i].LogTimeNs);
            Assert.Equal("jpeg", frames[i].Format);
            Assert.Null(frames[i].Error);
            Assert.Equal(drive.Images[i], frames[i].Image.ToArray());
        }
    }

    [Fact]
    public void Cameras_AfterAddCamera_CarryFpsSizeAndExtraMetadata()
    {
        using var drive = new SampleDrive(2, fps: 12.5);
        using var reader = DriveReader.Open(drive.Path);

        var camera = Assert.Single(reader.Cameras);

        Assert.Equal(("front", 12.5, SampleDrive.Width, SampleDrive.Height, "jpeg"), (camera.CameraId, camera.Fps, camera.Width, camera.Height, camera.Format));
        Assert.Equal("test", camera.Extra["source"]);
        Assert.Equal(2, reader.MessageCount(DriveChannels.CameraImage("front")));
    }

    [Fact]
    public void ReadMessages_RoundTrip_DecodesEqualMessages()
    {
        using var drive = new SampleDrive(5);
        using var reader = DriveReader.Open(drive.Path);

        var lanes = reader.ReadMessages<LaneMessage>(TopicRegistry.Lanes).ToList();
        var vehicles = reader.ReadMessages<InstanceMessage>(TopicRegistry.Vehicles).ToList();
        var pedestrians = reader.ReadMessages<InstanceMessage>(TopicRegistry.Pedestrians).ToList();

        Assert.Equal(5, lanes.Count);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(SampleDrive.TimeOf(i), lanes[i].LogTimeNs);
            Assert.Equal(i, lanes[i].Sequence);
            // Equal wire bytes: every field survived.
            Assert.Equal(WireCodec.Encode(drive.Lanes[i]), WireCodec.Encode(lanes[i].Message));
            Assert.Equal(WireCodec.Encode(drive.Vehicles[i]), WireCodec.Encode(vehicles[i].Message));
            Assert.False(pedestrians[i].Message.Valid);
            Assert.Equal("deadline: test", pedestrians[i].Message.Reason);
        }
    }

    [Fact]
    public void Channels_WireTopics_XMsgpackWithTypeSchemaAndVersion()
    {
        using var drive = new SampleDrive(1);
        using var mcap = McapReader.Open(drive.Path);
        var summary = mcap.Summary!;

        foreach (var topic in new[] { TopicRegistry.Lanes, TopicRegistry.Vehicles, TopicRegistry.Pedestrians, TopicRegistry.Status })
        {
            var channel = summary.Channels.Values.Single(c => c.Topic == "/" + topic.Name);
            Assert.Equal(McapEncodings.MessagePack, channel.MessageEncoding);
            Assert.Equal(WireSchema.Version.ToString(), channel.Metadata[DriveChannels.SchemaVersionKey]);
            var schema = summary.Schemas[channel.SchemaId];
            Assert.Equal("drive_perception." + topic.PayloadType.Name, schema.Name);
            Assert.Equal(McapEncodings.NoSchemaText, schema.Encoding);
        }
        var image = summary.Channels.Values.Single(c => c.Topic == "/camera/front/image");
        Assert.Equal(FoxgloveSchemas.CompressedImageName, summary.Schemas[image.SchemaId].Name);
        var overlay = summary.Channels.Values.Single(c => c.Topic == DriveChannels.Overlay);
        Assert.Equal(FoxgloveSchemas.ImageAnnotationsName, summary.Schemas[overlay.SchemaId].Name);
        Assert.Equal(DriveChannels.Profile, mcap.Header.Profile);
    }

    [Fact]
    public void WriteMessage_Payload_RecordsTheExactBytes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dp-exact-{Guid.NewGuid():N}.mcap");
        try
        {
            var payload = WireCodec.Encode(SampleDrive.LanesOf(3));
            using (var recorder = DriveRecorder.Create(path)) recorder.WriteMessage(TopicRegistry.Lanes, 3, 1000, payload, publishTimeNs: 2000);
            using var reader = DriveReader.Open(path);

            var raw = Assert.Single(reader.ReadRaw("/perception/lanes"));

            Assert.Equal(payload, raw.Data.ToArray());
            Assert.Equal(3u, raw.Sequence);
            Assert.Equal(1000ul, raw.LogTime);
            Assert.Equal(2000ul, raw.PublishTime);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WriteOverlay_LanesAndBoxes_FoxgloveAnnotationsStampedLikeTheFrame()
    {
        using var drive = new SampleDrive(3);
        using var reader = DriveReader.Open(drive.Path);

        var overlays = reader.ReadRaw(DriveChannels.Overlay).ToList();

        Assert.Equal(3, overlays.Count);
        var json = System.Text.Json.JsonDocument.Parse(overlays[1].Data);
        var root = json.RootElement;
        Assert.Equal(SampleDrive.TimeOf(1), (long)overlays[1].LogTime);
        // One lane polyline and one box, a label for the car and a warning for the pedestrians that were not valid.
        Assert.Equal(2, root.GetProperty("points").GetArrayLength());
        var texts = root.GetProperty("texts").EnumerateArray().Select(t => t.GetProperty("text").GetString()).ToList();
        Assert.Contains("car #1 0.80", texts);
        Assert.Contains(texts, t => t!.Contains("pedestrians not valid: deadline: test"));
    }

    [Fact]
    public void WriteFrame_CameraNotAdded_ThrowsNamingAddCamera()
    {
        using var recorder = new DriveRecorder(new MemoryStream());

        var e = Assert.Throws<ArgumentException>(() => recorder.WriteFrame("rear", 0, 0, new byte[] { 1 }));

        Assert.Contains("AddCamera", e.Message);
    }

    [Fact]
    public void AddChannel_GroundTruth_WrittenAndReadBack()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dp-gt-{Guid.NewGuid():N}.mcap");
        try
        {
            using (var recorder = DriveRecorder.Create(path))
            {
                recorder.AddChannel(DriveChannels.GroundTruth("lanes"), McapEncodings.Json, "example.LaneTruth", McapEncodings.JsonSchema, "{}"u8);
                recorder.Write("/groundtruth/lanes", 7, 100, "{\"slot\":2}"u8);
            }
            using var reader = DriveReader.Open(path);

            var m = Assert.Single(reader.ReadRaw("/groundtruth/lanes"));

            Assert.Equal("{\"slot\":2}", System.Text.Encoding.UTF8.GetString(m.Data.Span));
            Assert.Equal(7u, m.Sequence);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("/camera/front/image")]
    [InlineData("/perception/lanes")]
    [InlineData("/perception/overlay")]
    public void AddChannel_NodeChannel_Refused(string topic)
    {
        using var recorder = new DriveRecorder(new MemoryStream());

        var e = Assert.Throws<ArgumentException>(() => recorder.AddChannel(topic, McapEncodings.Json));

        Assert.Contains("/groundtruth/", e.Message);
    }

    [Fact]
    public void WriteMessage_WrongPayloadType_ThrowsNamingTheType()
    {
        using var recorder = new DriveRecorder(new MemoryStream());

        var e = Assert.Throws<ArgumentException>(() => recorder.WriteWireMessage(TopicRegistry.Lanes, 0, 0, new InstanceMessage()));

        Assert.Contains("LaneMessage", e.Message);
    }
}
