using DrivePerception.Core.Topics;

namespace DrivePerception.Recording.Drives;

/// <summary>One recorded wire message, decoded.</summary>
/// <typeparam name="T">The topic's payload type (LaneMessage, InstanceMessage, ClassMapMessage, StatusMessage).</typeparam>
/// <param name="Topic">The wire topic.</param>
/// <param name="Sequence">MCAP message sequence (the frame sequence for per-frame topics).</param>
/// <param name="LogTimeNs">Log time: the capture time of the frame the message is about (status: when it was published), ns.</param>
/// <param name="PublishTimeNs">When the node published it, ns since the Unix epoch.</param>
/// <param name="Message">The decoded payload.</param>
public sealed record DriveMessage<T>(Topic Topic, long Sequence, long LogTimeNs, long PublishTimeNs, T Message);
