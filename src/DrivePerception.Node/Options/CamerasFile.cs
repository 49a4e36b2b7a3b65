using System.Text.Json;

namespace DrivePerception.Node.Options;

/// <summary>
/// Reads `--cameras FILE`: a list of cameras, each with an id, a source and an optional calibration, as JSON
/// (<c>{"cameras": [{"id": "front", "source": "...", "calibration": "..."}]}</c>) or the same in a small YAML
/// subset (docs/MULTI-CAMERA.md). Relative paths are taken from the file's folder when they exist there, else from
/// the working directory. Every mistake throws <see cref="CameraSetupException"/> naming the file, the line and the fix.
/// </summary>
public static class CamerasFile
{
    /// <summary>The keys a camera entry may have.</summary>
    public static readonly IReadOnlyList<string> Keys = ["id", "source", "calibration"];

    private const string Example = "see docs/MULTI-CAMERA.md for the format";

    /// <summary>The cameras listed in <paramref name="path"/>, in file order.</summary>
    public static IReadOnlyList<CameraSpec> Read(string path)
    {
        if (!File.Exists(path))
            throw new CameraSetupException($"cameras file '{path}' does not exist: pass an existing .json or .yaml file ({Example}).");
        var ext = Path.GetExtension(path).ToLowerInvariant();
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CameraSetupException($"cannot read cameras file '{path}': {e.Message}");
        }
        var entries = ext switch
        {
            ".json" => ParseJson(path, text),
            ".yaml" or ".yml" => ParseYaml(path, text),
            _ => throw new CameraSetupException($"cameras file '{path}' must end in .json, .yaml or .yml ({Example})."),
        };
        if (entries.Count == 0)
            throw new CameraSetupException($"cameras file '{path}' lists no cameras: add at least one entry with id and source ({Example}).");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return entries.Select(e => ToCamera(path, folder, e)).ToList();
    }

    private static CameraSpec ToCamera(string path, string folder, (Dictionary<string, string> Values, int Line) entry)
    {
        var (values, line) = entry;
        string where = $"cameras file '{path}', camera at line {line}";
        if (!values.TryGetValue("id", out var id) || !CameraSetup.IsWellFormedId(id))
            throw new CameraSetupException($"{where}: needs an id of letters, digits, '_', '-' or '.' (e.g. id: front), got '{id}'.");
        if (!values.TryGetValue("source", out var source) || source.Length == 0)
            throw new CameraSetupException($"{where} ('{id}'): needs a source, e.g. source: recordings/cruising.mcap.");
        var calibration = values.GetValueOrDefault("calibration", "");
        if (calibration.Length > 0)
        {
            calibration = FromFolder(folder, calibration);
            if (!File.Exists(calibration))
                throw new CameraSetupException($"{where} ('{id}'): calibration '{values["calibration"]}' does not exist: fix the path (relative to the cameras file's folder) or drop the key.");
        }
        return new CameraSpec(id, FromFolder(folder, source), calibration);
    }

    /// <summary>A relative path that exists beside the cameras file is taken from there; anything else (camera:0, synthetic:X) as written.</summary>
    private static string FromFolder(string folder, string value)
    {
        if (Path.IsPathRooted(value)) return value;
        var beside = Path.Combine(folder, value);
        return File.Exists(beside) || Directory.Exists(beside) ? beside : value;
    }

    private static List<(Dictionary<string, string>, int)> ParseJson(string path, string text)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e)
        {
            throw new CameraSetupException($"cameras file '{path}' is not valid JSON (line {e.LineNumber + 1}): {e.Message.Split(" Path:")[0]} Fix the syntax ({Example}).");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("cameras", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new CameraSetupException($"cameras file '{path}' must be an object with a \"cameras\" array, e.g. {{\"cameras\": [{{\"id\": \"front\", \"source\": \"recordings/cruising.mcap\"}}]}}.");
            var result = new List<(Dictionary<string, string>, int)>();
            int index = 0;
            foreach (var item in list.EnumerateArray())
            {
                index++;
                if (item.ValueKind != JsonValueKind.Object)
                    throw new CameraSetupException($"cameras file '{path}': camera {index} is not an object with id and source ({Example}).");
                var values = new Dictionary<string, string>();
                foreach (var p in item.EnumerateObject())
                {
                    if (!Keys.Contains(p.Name))
                        throw new CameraSetupException($"cameras file '{path}': camera {index} has unknown key '{p.Name}': use {string.Join(", ", Keys)}.");
                    if (p.Value.ValueKind != JsonValueKind.String)
                        throw new CameraSetupException($"cameras file '{path}': camera {index} key '{p.Name}' must be a string.");
                    values[p.Name] = p.Value.GetString()!.Trim();
                }
                result.Add((values, index));
            }
            return result;
        }
    }

    /// <summary>
    /// The YAML subset: a top-level <c>cameras:</c> key holding a list of flat maps (<c>- id: front</c>, then
    /// <c>source: ...</c> indented under it); values plain or quoted; '#' comments. Anything else is refused with its line.
    /// </summary>
    private static List<(Dictionary<string, string>, int)> ParseYaml(string path, string text)
    {
        var result = new List<(Dictionary<string, string>, int)>();
        Dictionary<string, string>? current = null;
        bool sawRoot = false;
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int lineNo = i + 1;
            var line = StripComment(lines[i]).TrimEnd();
            if (line.Trim().Length == 0 || line.Trim() is "---" || line.StartsWith("%YAML", StringComparison.Ordinal)) continue;
            string Bad(string why) => $"cameras file '{path}' line {lineNo}: {why} ({Example}).";
            if (!sawRoot)
            {
                if (line.Trim() != "cameras:") throw new CameraSetupException(Bad("expected 'cameras:' first"));
                sawRoot = true;
                continue;
            }
            if (!char.IsWhiteSpace(line[0]) && !line.StartsWith('-'))
                throw new CameraSetupException(Bad($"unexpected top-level line '{line.Trim()}': only 'cameras:' is read"));
            var body = line.Trim();
            if (body.StartsWith("- ", StringComparison.Ordinal) || body == "-")
            {
                current = new Dictionary<string, string>();
                result.Add((current, lineNo));
                body = body[1..].Trim();
                if (body.Length == 0) continue;
            }
            if (current is null) throw new CameraSetupException(Bad("expected a list entry starting with '- id: ...'"));
            int colon = body.IndexOf(':');
            if (colon <= 0) throw new CameraSetupException(Bad($"expected 'key: value', got '{body}'"));
            var key = body[..colon].Trim();
            if (!Keys.Contains(key)) throw new CameraSetupException(Bad($"unknown key '{key}': use {string.Join(", ", Keys)}"));
            if (current.ContainsKey(key)) throw new CameraSetupException(Bad($"key '{key}' given twice in one camera"));
            current[key] = Unquote(body[(colon + 1)..].Trim());
        }
        if (!sawRoot) throw new CameraSetupException($"cameras file '{path}' is empty: start it with 'cameras:' ({Example}).");
        return result;
    }

    /// <summary>Drops a '#' comment that starts the line or follows a space (a '#' inside a value like a#b stays).</summary>
    private static string StripComment(string line)
    {
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '"' || line[i] == '\'') { int close = line.IndexOf(line[i], i + 1); if (close < 0) return line; i = close; continue; }
            if (line[i] == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1]))) return line[..i];
        }
        return line;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;
}
