using System.Collections.Concurrent;

namespace DrivePerception.Dashboard.Preview;

/// <summary>
/// The newest preview of each camera, handed from the node's preview thread to the page's HTTP requests. Memory is
/// one small JPEG per camera. The preview never goes on the bus: planners never receive or pay for it.
/// </summary>
public sealed class PreviewStore
{
    private readonly ConcurrentDictionary<string, PreviewImage> _latest = new(StringComparer.Ordinal);

    /// <summary>How often the node makes a preview, per camera, Hz (what --preview-hz asked for).</summary>
    public double RateHz { get; init; }

    /// <summary>Keeps <paramref name="image"/> as its camera's newest.</summary>
    public void Put(PreviewImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        _latest[image.CameraId] = image;
    }

    /// <summary>The newest preview of <paramref name="cameraId"/>, or null before the first.</summary>
    public PreviewImage? Latest(string cameraId) => _latest.TryGetValue(cameraId, out var image) ? image : null;

    /// <summary>Every camera's newest preview, sorted by camera.</summary>
    public IReadOnlyList<PreviewImage> All => _latest.Values.OrderBy(p => p.CameraId, StringComparer.Ordinal).ToList();
}
