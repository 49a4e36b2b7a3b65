using DrivePerception.Core.Frames;
using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;

namespace DrivePerception.Transport;

/// <summary>
/// Checks a decoded message at the subscriber's boundary: its schema version, that every mask's run
/// lengths add up to its size, so a planner gets one clear error with the topic instead of a failure deep
/// inside its own mask code, and that its masks could come from its frame (<see cref="WireLimits"/>): each fits
/// the header's frame, instance masks lie inside it, and all together hold at most
/// <see cref="WireLimits.MaskFramesPerMessage"/> frames of pixels. That bounds what decoding every mask of a
/// message allocates by the frame the message is about, whatever sizes a hostile message makes up. Sums only,
/// no mask is decoded.
/// </summary>
internal static class WirePayloadCheck
{
    /// <summary>Returns null when <paramref name="message"/> is sound, else what is wrong with it.</summary>
    public static string? FindProblem(object message) => message switch
    {
        PerceptionMessage p when p.Schema != WireSchema.Version => SchemaProblem(p.Schema),
        PerceptionMessage { Header: null } => "header is missing",
        PerceptionMessage p when WireLimits.FrameProblem(p.Header) is { } frame => frame,
        StatusMessage s when s.Schema != WireSchema.Version => SchemaProblem(s.Schema),
        StatusMessage { Counters: null } => "counters is missing",
        StatusMessage { Models: null } => "models is missing",
        ClassMapMessage { Classes: null } => "classes is missing",
        LaneMessage lanes => Lanes(lanes),
        InstanceMessage objects => Instances(objects),
        ClassMapMessage map => LabelProblem("classmap", map.ClassMap) ?? WithinFrame("classmap", map.Header, map.ClassMap.Width, map.ClassMap.Height),
        _ => null,
    };

    private static string SchemaProblem(int schema) =>
        $"it carries wire schema {schema}, this library reads schema {WireSchema.Version}. Use a subscriber library built for schema {schema}, or a node that publishes schema {WireSchema.Version}";

    private static string? Lanes(LaneMessage message)
    {
        if (message.Lanes is null) return "lanes is missing";
        for (int i = 0; i < message.Lanes.Count; i++)
        {
            if (message.Lanes[i] is null) return $"lanes[{i}] is null";
            if (MaskProblem($"lanes[{i}].mask", message.Lanes[i].Mask) is { } problem) return problem;
            var mask = message.Lanes[i].Mask;
            if (WithinFrame($"lanes[{i}].mask", message.Header, mask.Width, mask.Height) is { } outside) return outside;
        }
        return TotalProblem(message.Header, message.Lanes.Sum(l => (long)l.Mask.Width * l.Mask.Height));
    }

    private static string? Instances(InstanceMessage message)
    {
        if (message.Instances is null) return "instances is missing";
        for (int i = 0; i < message.Instances.Count; i++)
        {
            var instance = message.Instances[i];
            if (instance is null) return $"instances[{i}] is null";
            if (MaskProblem($"instances[{i}].mask", instance.Mask) is { } problem) return problem;
            if (instance.Mask.Width != instance.Box.Width || instance.Mask.Height != instance.Box.Height)
                return $"instances[{i}].mask is {instance.Mask.Width}x{instance.Mask.Height} but its box is {instance.Box.Width}x{instance.Box.Height}";
            var box = instance.Box;
            if (box.X < 0 || box.Y < 0 || (long)box.X + box.Width > message.Header.Width || (long)box.Y + box.Height > message.Header.Height)
                return $"instances[{i}].box {box.X},{box.Y} {box.Width}x{box.Height} is not inside the {message.Header.Width}x{message.Header.Height} frame";
        }
        return TotalProblem(message.Header, message.Instances.Sum(d => (long)d.Mask.Width * d.Mask.Height));
    }

    private static string? WithinFrame(string path, FrameHeader header, int width, int height) =>
        width <= header.Width && height <= header.Height
            ? null
            : $"{path} is {width}x{height}, larger than its {header.Width}x{header.Height} frame";

    private static string? TotalProblem(FrameHeader header, long pixels) =>
        pixels <= WireLimits.MaxMaskPixels(header)
            ? null
            : $"its masks hold {pixels} pixels, over {WireLimits.MaskFramesPerMessage} frames of {header.Width}x{header.Height}";

    private static string? MaskProblem(string path, RleMask? mask)
    {
        if (mask is null) return $"{path} is missing";
        return CountsProblem(path, mask.Counts, mask.Width, mask.Height);
    }

    private static string? LabelProblem(string path, LabelRle? label)
    {
        if (label is null) return $"{path} is missing";
        if (label.Values is null) return $"{path}.values is missing";
        if (label.Counts is not null && label.Values.Length != label.Counts.Length)
            return $"{path} has {label.Values.Length} values but {label.Counts.Length} counts";
        return CountsProblem(path, label.Counts, label.Width, label.Height);
    }

    private static string? CountsProblem(string path, int[]? counts, int width, int height)
    {
        if (counts is null) return $"{path}.counts is missing";
        if (width < 0 || height < 0) return $"{path} has a negative size {width}x{height}";
        long sum = 0;
        foreach (var n in counts)
        {
            if (n < 0) return $"{path} has a negative run length {n}";
            sum += n;
        }
        long expected = (long)width * height;
        return sum == expected ? null : $"{path} run lengths sum to {sum}, expected {expected} ({width}x{height})";
    }
}
