using DrivePerception.Vision.Sources;

namespace DrivePerception.Vision.Tests.Sources;

/// <summary>The <see cref="IFrameSource"/> contract for a numbered image sequence.</summary>
public sealed class ImageSequenceSourceContractTests : CorruptibleFrameSourceContractTests, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override int FrameCount => 4;

    protected override IFrameSource Open() => OpenSequence(corruptIndex: -1);

    protected override IFrameSource OpenWithCorruptSecondFrame() => OpenSequence(corruptIndex: 1);

    private ImageSequenceSource OpenSequence(int corruptIndex)
    {
        for (int i = 0; i < FrameCount; i++)
        {
            if (i == corruptIndex) _dir.WriteCorruptPng($"img_{i:D5}.png");
            else _dir.WritePng($"img_{i:D5}.png", 16, 12, blue: 40 + i);
        }
        return ImageSequenceSource.Open(Path.Combine(_dir.Path, "img_%05d.png"), new FrameSourceOptions());
    }

    public void Dispose() => _dir.Dispose();
}
