namespace DrivePerception.Vision.Sources;

/// <summary>
/// Orders file names so that digit runs compare by value ("f2.png" before "f10.png"); other characters
/// compare ordinally. For zero-padded names this is the same as plain ordinal order.
/// </summary>
public sealed class NaturalNameComparer : IComparer<string>
{
    /// <summary>The one instance (the comparer has no state).</summary>
    public static readonly NaturalNameComparer Instance = new();

    /// <inheritdoc/>
    public int Compare(string? a, string? b)
    {
        if (a is null || b is null) return a is null ? (b is null ? 0 : -1) : 1;
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
            {
                int si = i, sj = j;
                while (i < a.Length && char.IsAsciiDigit(a[i])) i++;
                while (j < b.Length && char.IsAsciiDigit(b[j])) j++;
                var da = a.AsSpan(si, i - si).TrimStart('0');
                var db = b.AsSpan(sj, j - sj).TrimStart('0');
                if (da.Length != db.Length) return da.Length.CompareTo(db.Length);
                int c = da.SequenceCompareTo(db);
                if (c != 0) return c;
                continue;
            }
            if (a[i] != b[j]) return a[i].CompareTo(b[j]);
            i++;
            j++;
        }
        int rest = (a.Length - i).CompareTo(b.Length - j);
        return rest != 0 ? rest : string.CompareOrdinal(a, b);
    }
}
