namespace DrivePerception.Core.Topics;

/// <summary>A published topic: its name on the wire, the payload type and the rate subscribers can expect.</summary>
/// <param name="Name">ZeroMQ topic frame, e.g. <c>perception/lanes</c>.</param>
/// <param name="PayloadType">The MessagePack payload's C# type.</param>
/// <param name="Rate">Expected rate: "per frame" or a fixed frequency.</param>
/// <param name="Description">What it carries.</param>
public sealed record Topic(string Name, Type PayloadType, string Rate, string Description);
