namespace DrivePerception.Core.Messages;

/// <summary>
/// Documents a field of the wire contract: its unit and meaning. <c>docs/WIRE.md</c> is generated from
/// these attributes (and a test fails when the committed file differs), so the docs cannot drift.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = true)]
public sealed class WireFieldAttribute(string unit, string meaning) : Attribute
{
    /// <summary>Unit (ns, ms, px, m, ...) or empty when unitless.</summary>
    public string Unit { get; } = unit;

    /// <summary>What the field means to a subscriber.</summary>
    public string Meaning { get; } = meaning;
}
