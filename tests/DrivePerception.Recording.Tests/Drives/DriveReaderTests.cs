using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Recording.Drives;
using DrivePerception.Recording.Mcap;

namespace DrivePerception.Recording.Tests.Drives;

/// <summary>Reading drives that are cut short, damaged, or not drives at all.</summary>
public sealed class DriveReaderTests
{
    [Fact]
    public void Open_CutShort_RecoversAPrefixAndReportsIt()
    {
        using var drive = new SampleDrive(40, options: new McapWriterOptions { Profile = DriveChannels.Profile, ChunkSize = 2048 });
        var bytes = drive.Bytes();
        var cut = Path.Combine(Path.GetTempPath(), $"dp-cut-{Guid.NewGuid():N}.mcap");
        File.WriteAllBytes(cut, bytes[..(bytes.Length * 6 / 10)]);
        try
        {
            using var reader = DriveReader.Open(cut);

            var frames = reader.ReadFrames("front").ToList();
            var lanes = reader.ReadMessages<LaneMessage>(TopicRegistry.Lanes).ToList();

            Assert.NotNull(reader.Recovery);
            Assert.False(reader.Recovery!.FooterPresent);
            Assert.Contains("cut short", reader.Recovery.Message);
            Assert.InRange(frames.Count, 1, 39);
            for (int i = 0; i < frames.Count; i++) Assert.Equal(drive.Images[i], frames[i].Image.ToArray());
            Assert.NotEmpty(lanes);
            Assert.Equal(frames.Count, reader.MessageCount(DriveChannels.CameraImage("front")));
        }
        finally
        {
            File.Delete(cut);
        }
    }

    [Fact]
    public void Open_NotMcap_ThrowsSayingSo()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dp-not-{Guid.NewGuid():N}.mcap");
        File.WriteAllText(path, "this is not a recording");
        try
        {
            var e = Assert.Throws<DriveRecordingException>(() => DriveReader.Open(path));

            Assert.Contains("not a readable MCAP recording", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Open_Missing_ThrowsFileNotFoundWithTheFix()
    {
        var e = Assert.Throws<FileNotFoundException>(() => DriveReader.Open("/nonexistent/drive.mcap"));

        Assert.Contains("Give the path of a .mcap drive", e.Message);
    }

    [Fact]
    public void ReadFrames_UnknownCamera_ListsCamerasAndChannels()
    {
        using var drive = new SampleDrive(1);
        using var reader = DriveReader.Open(drive.Path);

        var e = Assert.Throws<DriveRecordingException>(() => reader.ReadFrames("rear"));

        Assert.Contains("records camera(s) front", e.Message);
        Assert.Contains("/perception/lanes (x-msgpack)", e.Message);
    }

    [Fact]
    public void ReadMessages_TopicNotRecorded_ThrowsListingChannels()
    {
        using var drive = new SampleDrive(1);
        using var reader = DriveReader.Open(drive.Path);

        var e = Assert.Throws<DriveRecordingException>(() => reader.ReadMessages<ClassMapMessage>(TopicRegistry.ClassMap).ToList());

        Assert.Contains("no channel /perception/classmap", e.Message);
        Assert.Contains("/camera/front/image", e.Message);
    }

    [Fact]
    public void ReadFrames_MessageNotAnImage_ComesBackWithAnError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dp-badframe-{Guid.NewGuid():N}.mcap");
        try
        {
            using (var writer = McapWriter.Create(path))
            {
                var channel = writer.RegisterChannel("/camera/front/image", McapEncodings.Json);
                writer.Write(channel, 0, 10, 10, "{\"nope\":1}"u8);
            }
            using var reader = DriveReader.Open(path);

            var frame = Assert.Single(reader.ReadFrames("front"));

            Assert.True(frame.Image.IsEmpty);
            Assert.Contains("not a readable image message", frame.Error);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
