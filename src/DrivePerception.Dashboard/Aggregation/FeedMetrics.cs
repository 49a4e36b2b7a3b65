using DrivePerception.Core.Messages;

namespace DrivePerception.Dashboard.Aggregation;

/// <summary>One camera's figures for /metrics: bucket edges (ms), per-quantity histograms and the node's counters.</summary>
public sealed record FeedMetrics(string Camera, IReadOnlyList<double> EdgesMs, IReadOnlyList<QuantityMetrics> Quantities, PipelineCounters Counters);
