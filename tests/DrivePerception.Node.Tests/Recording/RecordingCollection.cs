namespace DrivePerception.Node.Tests.Recording;

/// <summary>The recording tests run one after another (each runs the node, and the machine has few cores) and share one recorded drive.</summary>
[CollectionDefinition(Name)]
public sealed class RecordingCollection : ICollectionFixture<RecordedDrive>
{
    public const string Name = "recording";
}
