namespace DrivePerception.Synthetic.World;

/// <summary>
/// A small seeded random source (SplitMix64) whose sequence is fixed by this code alone, so scenes do not
/// change when the runtime's <see cref="Random"/> does. A value type: copies continue independently.
/// </summary>
internal struct SceneRandom
{
    private ulong _state;

    public SceneRandom(ulong seed) => _state = seed;

    /// <summary>A stream for one purpose (e.g. "buildings, left side"), independent of the order other streams are used in.</summary>
    public static SceneRandom For(int seed, string purpose)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in purpose)
            h = (h ^ c) * 1099511628211UL;
        return new SceneRandom(Mix((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ h));
    }

    /// <summary>A well-mixed 64-bit hash of a value (SplitMix64's finaliser).</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Range(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, count).</summary>
    public int Below(int count) => (int)(NextULong() % (ulong)count);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>One element, uniformly.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Below(items.Count)];
}
