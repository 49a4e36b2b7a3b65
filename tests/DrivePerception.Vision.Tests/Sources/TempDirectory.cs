using OpenCvSharp;

namespace DrivePerception.Vision.Tests.Sources;

/// <summary>A <see cref="TempFolder"/> with writers for the sources' generated fixtures (images, video).</summary>
public sealed class TempDirectory : IDisposable
{
    private readonly TempFolder _folder = new("sources");

    /// <summary>The folder's full path.</summary>
    public string Path => _folder.Path;

    /// <summary>A path inside the folder.</summary>
    public string File(string name) => _folder.File(name);

    /// <summary>A solid BGR image whose blue channel is <paramref name="blue"/>, written as PNG (lossless).</summary>
    public string WritePng(string name, int width, int height, int blue)
    {
        var path = File(name);
        using var image = new Mat(height, width, MatType.CV_8UC3, new Scalar(blue, 10, 20));
        Assert.True(Cv2.ImWrite(path, image), $"could not write fixture {path}");
        return path;
    }

    /// <summary>A file that starts like a PNG but holds no image.</summary>
    public string WriteCorruptPng(string name)
    {
        var path = File(name);
        System.IO.File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4]);
        return path;
    }

    /// <summary>An MJPG .avi of solid frames; frame i has blue = 20 * i.</summary>
    public string WriteAvi(string name, int frames, double fps, int width, int height) =>
        TestVideo.WriteMjpg(File(name), frames, fps, new Size(width, height), i => new Mat(height, width, MatType.CV_8UC3, new Scalar(20 * i, 60, 90)));

    public void Dispose() => _folder.Dispose();
}
