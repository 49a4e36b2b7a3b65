using System.Text.Json;
using System.Text.Json.Serialization;

namespace DrivePerception.Recording.Drives.Regression;

/// <summary>The outcome of regressing one recording: written as NAME.report.json and printed as a table.</summary>
public sealed class RegressionReport
{
    /// <summary>Verdict when every tolerance held.</summary>
    public const string Pass = "pass";
    /// <summary>Verdict when a tolerance broke.</summary>
    public const string Regression = "regression";
    /// <summary>Verdict when the replay could not run or a file could not be read: nothing was compared, which is never a pass.</summary>
    public const string Error = "error";

    /// <summary>JSON options of reports: snake_case keys, indented.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Recording name (file name without .mcap).</summary>
    public required string Name { get; init; }
    /// <summary>The replayed drive.</summary>
    public required string Recording { get; init; }
    /// <summary>The golden recording.</summary>
    public required string Golden { get; init; }
    /// <summary>Where the tolerances came from (a path, or "defaults").</summary>
    public string Tolerances { get; init; } = "defaults";
    /// <summary>pass, regression or error.</summary>
    public string Verdict { get; set; } = Error;
    /// <summary>Why nothing could be compared, when the verdict is error.</summary>
    public string? ErrorMessage { get; set; }
    /// <summary>Models of the golden run, from its status messages ("name (task, accelerator, precision)").</summary>
    public List<string> GoldenModels { get; set; } = [];
    /// <summary>Models of the replay.</summary>
    public List<string> ReplayModels { get; set; } = [];
    /// <summary>What recovery said when the drive or the golden was cut short; null when both are complete.</summary>
    public string? RecoveryNote { get; set; }
    /// <summary>Per-topic comparison.</summary>
    public List<TopicResult> Topics { get; set; } = [];
    /// <summary>Latency against its budgets; null when the replay did not run.</summary>
    public LatencyGate? Latency { get; set; }
    /// <summary>Every broken tolerance, topic by topic, then latency.</summary>
    public List<string> Failures { get; set; } = [];

    /// <summary>Sets <see cref="Failures"/> and <see cref="Verdict"/> from the topics and the latency gate.</summary>
    public void Decide()
    {
        Failures = [.. Topics.SelectMany(t => t.Failures.Select(f => $"{t.Label}: {f}")), .. Latency?.Failures ?? []];
        Verdict = ErrorMessage is not null ? Error : Failures.Count > 0 ? Regression : Pass;
    }

    /// <summary>Writes the report as JSON.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));

    /// <summary>Reads a report written by <see cref="Save"/>.</summary>
    /// <exception cref="FormatException">Not a regression report.</exception>
    public static RegressionReport Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<RegressionReport>(File.ReadAllText(path), JsonOptions)
                   ?? throw new FormatException($"'{path}' holds null, not a regression report.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"'{path}' is not a regression report written by `drive-perception regress`: {e.Message}", e);
        }
    }
}
