using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Recording.Drives;
using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Recording.Tests.Drives;

/// <summary>A recording of several cameras: each camera's outputs on channels of their own (<c>/perception/lanes#rear</c>).</summary>
public sealed class PerCameraChannelTests
{
    [Theory]
    [InlineData("/perception/lanes#rear", "rear")]
    [InlineData("/perception/overlay#front", "front")]
    [InlineData("/perception/lanes", null)]
    [InlineData("/camera/rear/image", null)]
    [InlineData("/groundtruth/lanes#rear", null)]
    [InlineData("/perception/lanes#", null)]
    public void OutputCameraOf_ChannelNames_CameraAfterTheHashOfOutputChannelsOnly(string channel, string? camera) =>
        Assert.Equal(camera, DriveChannels.OutputCameraOf(channel));

    [Fact]
    public void ForWireTopic_Camera_SuffixedChannelThatMapsBackToItsTopic()
    {
        var channel = DriveChannels.ForWireTopic(TopicRegistry.Vehicles, "rear");

        Assert.Equal("/perception/vehicles#rear", channel);
        Assert.Equal(TopicRegistry.Vehicles, DriveChannels.WireTopicOf(channel));
        Assert.True(DriveChannels.IsReserved(channel));
        Assert.True(DriveChannels.IsReserved(DriveChannels.OverlayOf("rear")));
        Assert.Throws<ArgumentException>(() => DriveChannels.ForWireTopic(TopicRegistry.Lanes, "a#b"));
    }

    [Fact]
    public void ReadMessages_TwoCameras_EachCameraGetsOnlyItsOwn()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dp-two-{Guid.NewGuid():N}.mcap");
        try
        {
            using (var recorder = DriveRecorder.Create(path))
            {
                foreach (var (id, frames) in new[] { ("front", 3), ("rear", 5) })
                    for (int i = 0; i < frames; i++)
                    {
                        var header = SampleDrive.HeaderOf(i);
                        header.CameraId = id;
                        recorder.WriteWireMessage(TopicRegistry.Lanes, i, SampleDrive.TimeOf(i), new LaneMessage { Header = header, Valid = true }, cameraId: id);
                    }
            }
            using var reader = DriveReader.Open(path);

            Assert.Equal(["front", "rear"], reader.OutputCameras);
            Assert.Equal(3, reader.ReadMessages<LaneMessage>(TopicRegistry.Lanes, "front").Count());
            Assert.All(reader.ReadMessages<LaneMessage>(TopicRegistry.Lanes, "rear"), m => Assert.Equal("rear", m.Message.Header.CameraId));
            Assert.Equal(5, DriveOutputs.FromRecording(reader, "rear").Frames(TopicRegistry.Lanes).Count);
            // No single-camera channel, and no camera's channel stands in for another's.
            Assert.False(reader.HasChannel(TopicRegistry.Lanes, null));
            Assert.False(reader.HasChannel(TopicRegistry.Lanes, "side"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadMessages_SingleCameraRecording_ServesAnyCameraFromThePlainChannel()
    {
        using var drive = new SampleDrive(4);
        using var reader = DriveReader.Open(drive.Path);

        Assert.Empty(reader.OutputCameras);
        Assert.Equal("/perception/lanes", reader.OutputChannel(TopicRegistry.Lanes, "front"));
        Assert.Equal(4, reader.ReadMessages<LaneMessage>(TopicRegistry.Lanes, "front").Count());
    }
}
