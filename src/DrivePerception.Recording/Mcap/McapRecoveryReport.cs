namespace DrivePerception.Recording.Mcap;

/// <summary>
/// What <see cref="McapReader.ReadAll"/> got out of a file and what it had to leave: for a complete file,
/// everything; for one cut short by a crash or a full disk, every message up to the last complete chunk;
/// for a damaged one (recovery mode), everything except the damaged chunks. <see cref="Message"/> says it in a sentence.
/// </summary>
public sealed record McapRecoveryReport
{
    /// <summary>Size of the file in bytes.</summary>
    public required long FileLength { get; init; }

    /// <summary>The file ends with a valid Footer and magic (it was closed properly).</summary>
    public required bool FooterPresent { get; init; }

    /// <summary>A summary section was present and readable (its CRC matched where checked).</summary>
    public required bool SummaryPresent { get; init; }

    /// <summary>The data section ran through to its Data End record.</summary>
    public required bool DataSectionComplete { get; init; }

    /// <summary>Messages read.</summary>
    public required long MessagesRecovered { get; init; }

    /// <summary>Messages the file's Statistics record says it holds; null when there is no summary.</summary>
    public required ulong? MessagesExpected { get; init; }

    /// <summary>Chunks decoded.</summary>
    public required int ChunksRecovered { get; init; }

    /// <summary>Chunks skipped because their CRC did not match or they could not be decompressed.</summary>
    public required int CorruptChunksSkipped { get; init; }

    /// <summary>Other records skipped because they could not be parsed.</summary>
    public required int MalformedRecordsSkipped { get; init; }

    /// <summary>Messages skipped because no Channel record defined their channel.</summary>
    public required long MessagesWithoutChannel { get; init; }

    /// <summary>
    /// Bytes not used: the incomplete tail of a file cut short (including a partly written summary) plus the
    /// skipped chunks and records. 0 for an intact file.
    /// </summary>
    public required long BytesIgnored { get; init; }

    /// <summary>End offset of the last complete data-section record; a file cut short can be truncated to it.</summary>
    public required long LastCompleteRecordEnd { get; init; }

    /// <summary>Whether the data section CRC matched; null when it was not checked (absent, stored as 0, checks off, or not reached).</summary>
    public required bool? DataSectionCrcOk { get; init; }

    /// <summary>The first problems met, each with its file offset.</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    /// <summary>Nothing was lost or damaged: footer present, data complete, nothing skipped or ignored.</summary>
    public bool IsComplete =>
        FooterPresent && DataSectionComplete && BytesIgnored == 0 && CorruptChunksSkipped == 0
        && MalformedRecordsSkipped == 0 && MessagesWithoutChannel == 0 && DataSectionCrcOk != false;

    /// <summary>One human-readable paragraph: what was recovered, what was lost, and why.</summary>
    public required string Message { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Message;

    /// <summary>Says in a few sentences what <paramref name="report"/> holds.</summary>
    /// <param name="report">The figures.</param>
    /// <param name="headerComplete">False when the file ends inside its Header.</param>
    internal static string Describe(McapRecoveryReport report, bool headerComplete)
    {
        if (!headerComplete)
        {
            return $"Recording cut short inside its Header ({report.FileLength} bytes): the writer stopped before it recorded anything; no messages, all {report.FileLength} bytes ignored.";
        }

        if (report.IsComplete)
        {
            return $"Complete recording: {report.MessagesRecovered} messages in {report.ChunksRecovered} chunks, {report.FileLength} bytes; "
                 + (report.SummaryPresent ? "summary present." : "written without a summary.");
        }

        var parts = new List<string>();
        if (!report.FooterPresent)
        {
            parts.Add("Recording cut short: no footer (the writer never closed it: crash, full disk, or still recording).");
        }

        string recovered = report.MessagesExpected is { } n
            ? $"{report.MessagesRecovered} of the {n} messages the summary lists"
            : $"{report.MessagesRecovered} messages";
        parts.Add($"Recovered {recovered}, from {report.ChunksRecovered} intact chunks; "
                + $"the last complete record ends at byte {report.LastCompleteRecordEnd} of {report.FileLength}; {report.BytesIgnored} bytes ignored.");
        if (report.CorruptChunksSkipped > 0)
        {
            parts.Add($"Skipped {report.CorruptChunksSkipped} damaged chunk(s) (CRC mismatch or undecodable).");
        }

        if (report.MalformedRecordsSkipped > 0)
        {
            parts.Add($"Skipped {report.MalformedRecordsSkipped} malformed record(s).");
        }

        if (report.MessagesWithoutChannel > 0)
        {
            parts.Add($"Skipped {report.MessagesWithoutChannel} message(s) on undefined channels.");
        }

        if (report.DataSectionCrcOk == false)
        {
            parts.Add("The data section CRC does not match.");
        }

        parts.Add(report.SummaryPresent ? "Summary present." : "No usable summary: the data was scanned record by record.");
        if (report.Problems.Count > 0)
        {
            parts.Add("First problem: " + report.Problems[0]);
        }

        return string.Join(" ", parts);
    }
}
