namespace DrivePerception.Recording.Mcap;

/// <summary>The order in which <see cref="McapReader"/> returns messages.</summary>
public enum McapMessageOrder
{
    /// <summary>By log time; messages with equal log times in the order they sit in the file.</summary>
    LogTime,

    /// <summary>In the order they sit in the file (the order they were written).</summary>
    File,
}
