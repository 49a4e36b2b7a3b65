using System.Globalization;

namespace DrivePerception.Recording.Drives.Regression;

/// <summary>
/// Which part of a folder of recordings one regress process takes: shard <see cref="Index"/> of <see cref="Count"/>
/// gets the recordings whose position in the name-sorted (ordinal) list is <see cref="Index"/> modulo <see cref="Count"/>.
/// Written <c>i/n</c>, or <c>auto/n</c> to read the index from the JOB_COMPLETION_INDEX environment variable that a
/// Kubernetes Indexed Job sets in each pod.
/// </summary>
/// <param name="Index">0-based shard index, below <paramref name="Count"/>.</param>
/// <param name="Count">Number of shards, at least 1.</param>
public sealed record ShardSpec(int Index, int Count)
{
    /// <summary>The environment variable <c>auto</c> reads.</summary>
    public const string IndexVariable = "JOB_COMPLETION_INDEX";

    /// <summary>Every recording in one shard.</summary>
    public static readonly ShardSpec All = new(0, 1);

    /// <summary>Parses <c>i/n</c> or <c>auto/n</c>; <paramref name="environment"/> looks variables up (defaults to the process environment).</summary>
    /// <exception cref="FormatException">Malformed, out of range, or auto without a usable JOB_COMPLETION_INDEX; the message says the form.</exception>
    public static ShardSpec Parse(string text, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        const string form = "Give --shard as i/n with 0 <= i < n (e.g. 0/3), or auto/n to read i from JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job).";
        var parts = (text ?? "").Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1)
            throw new FormatException($"--shard '{text}' is malformed. {form}");
        string indexText = parts[0];
        if (indexText == "auto")
        {
            indexText = environment(IndexVariable)
                ?? throw new FormatException($"--shard {text}: {IndexVariable} is not set. Outside an Indexed Job give the index yourself, e.g. --shard 0/{count}.");
        }
        if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            throw new FormatException($"--shard '{text}': shard index '{indexText}' is not a whole number. {form}");
        if (index >= count)
            throw new FormatException($"--shard '{text}': shard index {index} must be below the shard count {count} (indexes run 0..{count - 1}). {form}");
        return new ShardSpec(index, count);
    }

    /// <summary>The names of this shard, from all names sorted ordinally.</summary>
    public IReadOnlyList<string> Select(IEnumerable<string> names) =>
        names.OrderBy(n => n, StringComparer.Ordinal).Where((_, i) => i % Count == Index).ToList();

    /// <inheritdoc/>
    public override string ToString() => $"{Index}/{Count}";
}
