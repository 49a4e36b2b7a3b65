using System.Collections;
using System.Reflection;
using DrivePerception.Core.Topics;
using MessagePack;

namespace DrivePerception.Transport.Tests;

/// <summary>
/// The round-trip tests only prove "all fields survive" if the samples set every field: this fails when a
/// wire field is added to Core and no sample gives it a non-default value.
/// </summary>
public class WireFieldCoverageTests
{
    [Fact]
    public void Samples_EveryWireField_HasNonDefaultValueSomewhere()
    {
        var allFields = new HashSet<string>();
        foreach (var topic in TopicRegistry.All) CollectFields(topic.PayloadType, allFields, []);
        var setFields = new HashSet<string>();
        foreach (var topic in TopicRegistry.All) CollectSet(SampleMessages.For(topic, 1), setFields);
        CollectSet(SampleMessages.InvalidVehicles(1), setFields);

        var missing = allFields.Except(setFields).Order().ToList();
        Assert.True(missing.Count == 0, "Samples leave these wire fields at their default: " + string.Join(", ", missing));
        Assert.True(allFields.Count > 40, $"Only {allFields.Count} wire fields found: the reflection walk is broken.");
    }

    private static IEnumerable<PropertyInfo> WireProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetCustomAttribute<KeyAttribute>() is not null);

    private static bool IsWireType(Type type) => type.GetCustomAttribute<MessagePackObjectAttribute>() is not null;

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType() : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;

    private static void CollectFields(Type type, HashSet<string> fields, HashSet<Type> seen)
    {
        if (!seen.Add(type)) return;
        foreach (var p in WireProperties(type))
        {
            fields.Add($"{p.DeclaringType!.Name}.{p.Name}");
            var nested = ElementType(p.PropertyType) ?? p.PropertyType;
            if (IsWireType(nested)) CollectFields(nested, fields, seen);
        }
    }

    private static void CollectSet(object value, HashSet<string> set)
    {
        var type = value.GetType();
        foreach (var p in WireProperties(type))
        {
            var v = p.GetValue(value);
            if (!IsDefault(v)) set.Add($"{p.DeclaringType!.Name}.{p.Name}");
            if (v is null) continue;
            if (IsWireType(v.GetType())) CollectSet(v, set);
            else if (v is IEnumerable items and not string)
                foreach (var item in items)
                    if (item is not null && IsWireType(item.GetType())) CollectSet(item, set);
        }
    }

    private static bool IsDefault(object? v) => v switch
    {
        null => true,
        string s => s.Length == 0,
        ICollection c => c.Count == 0,
        ValueType => v.Equals(Activator.CreateInstance(v.GetType())),
        _ => false,
    };
}
