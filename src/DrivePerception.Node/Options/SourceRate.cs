namespace DrivePerception.Node.Options;

/// <summary>--rate: how fast file sources are read.</summary>
public enum SourceRate
{
    /// <summary>At the file's own frame rate, as a camera would deliver it (frames the pipeline cannot keep up with are dropped).</summary>
    Source,
    /// <summary>As fast as the pipeline goes, every frame processed (lossless).</summary>
    Max,
}
