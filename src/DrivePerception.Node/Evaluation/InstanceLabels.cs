using System.Text.Json;
using DrivePerception.Vision.Evaluation;
using OpenCvSharp;

namespace DrivePerception.Node.Evaluation;

/// <summary>
/// Reads the ground-truth objects of one frame: the object-id mask (8- or 16-bit, 0 background, value k object k)
/// and, in the synthetic layout, the frame's JSON that names each id's class (<c>instances[].id</c>,
/// <c>instances[].class_name</c>, as <c>synth --dataset</c> writes it). Checked at the boundary: a mask of the
/// wrong kind or size, or a JSON that does not describe the mask, is an <see cref="EvalInputException"/>.
/// </summary>
public static class InstanceLabels
{
    /// <summary>
    /// The masks of the frame's objects whose class is one of <paramref name="classNames"/>, by id ascending. In a layout without
    /// class files every object counts (the caller checked that the layout's one class is the one asked for).
    /// </summary>
    /// <exception cref="EvalInputException">The mask or JSON is unreadable, of the wrong kind or size, or they disagree.</exception>
    public static List<InstanceMask> Read(InstanceFrame frame, IReadOnlyCollection<string> classNames, int imageWidth, int imageHeight)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var objects = ReadMask(frame, imageWidth, imageHeight);
        if (frame.ClassFilePath is null) return [.. objects.Values];
        var classes = ReadClasses(frame.ClassFilePath);
        foreach (var id in classes.Keys.Where(id => !objects.ContainsKey(id)))
            throw new EvalInputException($"{frame.ClassFilePath} lists object {id} but {frame.MaskPath} has no pixel of it: "
                + "the mask and the JSON are not of the same frame (write the dataset again with synth --dataset).");
        foreach (var id in objects.Keys.Where(id => !classes.ContainsKey(id)))
            throw new EvalInputException($"{frame.MaskPath} has pixels of object {id} that {frame.ClassFilePath} does not list, so its class is unknown: "
                + "the mask and the JSON are not of the same frame (write the dataset again with synth --dataset).");
        return [.. objects.Where(o => classNames.Contains(classes[o.Key])).Select(o => o.Value)];
    }

    private static SortedDictionary<int, InstanceMask> ReadMask(InstanceFrame frame, int imageWidth, int imageHeight)
    {
        using var mask = Cv2.ImRead(frame.MaskPath, ImreadModes.Unchanged);
        if (mask.Empty())
            throw new EvalInputException($"Cannot decode mask {frame.MaskPath}: it is not a readable PNG. Object masks are single-channel PNGs of object ids.");
        if (mask.Type() != MatType.CV_8UC1 && mask.Type() != MatType.CV_16UC1)
            throw new EvalInputException($"Mask {frame.MaskPath} is {mask.Type()} ({mask.Channels()} channel(s)); object masks must be 8- or 16-bit "
                + "single-channel PNGs holding an object id per pixel (0 background). A colour-coded mask must first be converted to ids.");
        if (mask.Width != imageWidth || mask.Height != imageHeight)
            throw new EvalInputException($"Mask {frame.MaskPath} is {mask.Width}x{mask.Height} but its image {frame.ImagePath} is {imageWidth}x{imageHeight}: "
                + "a mask must have its image's size (resize it with nearest-neighbour, or fix the pairing).");
        return mask.Type() == MatType.CV_8UC1
            ? InstanceMask.FromLabelImage<byte>(mask.AsSpan<byte>(), mask.Width, mask.Height)
            : InstanceMask.FromLabelImage<ushort>(mask.AsSpan<ushort>(), mask.Width, mask.Height);
    }

    /// <summary>Object id to class name from a synthetic frame's JSON.</summary>
    private static Dictionary<int, string> ReadClasses(string path)
    {
        const string Expected = "a synthetic ground-truth JSON has \"instances\": [{\"id\": N, \"class_name\": \"car\", ...}, ...] (synth --dataset writes it)";
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new EvalInputException($"{path} is not valid JSON ({e.Message}); {Expected}.");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("instances", out var instances)
                || instances.ValueKind != JsonValueKind.Array)
                throw new EvalInputException($"{path} has no \"instances\" array; {Expected}.");
            var classes = new Dictionary<int, string>();
            int index = 0;
            foreach (var item in instances.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt32(out int value) || value <= 0
                    || !item.TryGetProperty("class_name", out var name) || name.ValueKind != JsonValueKind.String)
                    throw new EvalInputException($"{path}: instances[{index}] needs a positive integer \"id\" and a string \"class_name\"; {Expected}.");
                if (!classes.TryAdd(value, name.GetString()!))
                    throw new EvalInputException($"{path}: object id {value} is listed twice; each object id is listed once.");
                index++;
            }
            return classes;
        }
    }
}
