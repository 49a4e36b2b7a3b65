using DrivePerception.Core.Masks;
using MessagePack;

namespace DrivePerception.Core.Messages;

/// <summary>Topic <c>perception/classmap</c> (optional): the full semantic class map of a frame.</summary>
[MessagePackObject]
public sealed class ClassMapMessage : PerceptionMessage
{
    /// <summary>Class id per pixel at frame size.</summary>
    [Key("classmap"), WireField("", "LabelRle of class ids at frame size")]
    public LabelRle ClassMap { get; set; } = new();

    /// <summary>Class names by id, so a subscriber needs no model card.</summary>
    [Key("classes"), WireField("", "class names indexed by id")]
    public List<string> Classes { get; set; } = [];
}
