using DrivePerception.Node.Hosting;
using DrivePerception.Node.Synthetic;
using DrivePerception.Vision.Sources;

namespace DrivePerception.Node.Tests.Synthetic;

/// <summary>The <see cref="IFrameSource"/> contract for `--source synthetic:SCENARIO` (<see cref="SyntheticSceneSource"/>).</summary>
public sealed class SyntheticSceneSourceContractTests : FrameSourceContractTests
{
    protected override int FrameCount => SyntheticSceneSource.FrameCount;

    protected override IFrameSource Open() => FrameSourceRegistry.ForNode().Open("synthetic:empty-road", new FrameSourceOptions());
}
