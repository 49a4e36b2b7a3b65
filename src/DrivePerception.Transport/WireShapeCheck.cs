using System.Collections.Concurrent;
using System.Reflection;
using MessagePack;

namespace DrivePerception.Transport;

/// <summary>
/// Checks, before a payload is decoded, that every map of it holds every key its schema declares. MessagePack
/// fills a missing key with the property's initial value, so without this a payload with no header (or no
/// <c>valid</c>, or no counters) would decode into a message that looks genuine: a default header, frame 0. The
/// node writes every key (nil where a value is absent), so a missing key means the payload is not the node's.
/// Keys are taken from the <c>[Key]</c> attributes, so the check follows the schema as it grows. Extra keys are
/// allowed (a newer publisher of the same schema version may add some).
/// </summary>
internal static class WireShapeCheck
{
    private static readonly ConcurrentDictionary<Type, Dictionary<string, Type>?> Shapes = new();

    /// <summary>Returns null when <paramref name="payload"/> has the shape of <paramref name="type"/>, else what is missing.
    /// Throws <see cref="MessagePackSerializationException"/> (or an <see cref="EndOfStreamException"/>) on bytes that are not MessagePack.</summary>
    public static string? FindProblem(Type type, ReadOnlyMemory<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        return Check(ref reader, type, "", depth: 0);
    }

    private static string? Check(ref MessagePackReader reader, Type type, string path, int depth)
    {
        // The schema nests four deep (message, lane, mask); anything far deeper is not ours, and recursion must stay bounded.
        if (depth > 16) return $"{Name(path)} nests deeper than any wire message";
        if (reader.TryReadNil()) return null;
        if (ShapeOf(type) is { } keys)
        {
            if (reader.NextMessagePackType != MessagePackType.Map) return $"{Name(path)} is a {reader.NextMessagePackType}, expected a map";
            int count = reader.ReadMapHeader();
            var seen = new HashSet<string>();
            for (int i = 0; i < count; i++)
            {
                var key = reader.NextMessagePackType == MessagePackType.String ? reader.ReadString() : null;
                if (key is not null && keys.TryGetValue(key, out var valueType))
                {
                    seen.Add(key);
                    if (Check(ref reader, valueType, Join(path, key), depth + 1) is { } problem) return problem;
                }
                else
                {
                    if (key is null) reader.Skip();
                    reader.Skip();
                }
            }
            var missing = keys.Keys.Where(k => !seen.Contains(k)).ToList();
            return missing.Count == 0 ? null : $"{string.Join(", ", missing.Select(k => Join(path, k)))} {(missing.Count == 1 ? "is" : "are")} missing";
        }
        if (ElementOf(type) is { } element && ShapeOf(element) is not null)
        {
            if (reader.NextMessagePackType != MessagePackType.Array) return $"{Name(path)} is a {reader.NextMessagePackType}, expected an array";
            int count = reader.ReadArrayHeader();
            for (int i = 0; i < count; i++)
                if (Check(ref reader, element, $"{path}[{i}]", depth + 1) is { } problem) return problem;
            return null;
        }
        reader.Skip();
        return null;
    }

    // The [Key] names of a [MessagePackObject] type and their value types; null for any other type.
    private static Dictionary<string, Type>? ShapeOf(Type type) => Shapes.GetOrAdd(type, static t =>
        t.GetCustomAttribute<MessagePackObjectAttribute>() is null ? null
            : t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetCustomAttribute<IgnoreMemberAttribute>() is null)
                .Select(p => (p.GetCustomAttribute<KeyAttribute>()?.StringKey, p.PropertyType))
                .Where(k => k.StringKey is not null)
                .ToDictionary(k => k.StringKey!, k => k.PropertyType));

    private static Type? ElementOf(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(List<>) || d == typeof(IReadOnlyList<>) || d == typeof(IList<>))
            ? type.GetGenericArguments()[0] : null;

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Name(string path) => path.Length == 0 ? "the payload" : path;
}
