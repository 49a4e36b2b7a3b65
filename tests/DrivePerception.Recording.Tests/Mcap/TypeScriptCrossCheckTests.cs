using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DrivePerception.Recording.Foxglove;
using DrivePerception.Recording.Mcap;
using Xunit.Abstractions;

namespace DrivePerception.Recording.Tests.Mcap;

/// <summary>
/// Reads recordings written here with the official TypeScript MCAP reader (@mcap/core) and Foxglove's
/// decompressors and schemas, through tests/mcap-crosscheck/check.mjs: a reader no one here wrote.
/// Needs node and `npm ci --prefix tests/mcap-crosscheck`; fails without them unless DP_SKIP_NODE_CROSSCHECK=1.
/// </summary>
public sealed class TypeScriptCrossCheckTests
{
    private const string SkipVariable = "DP_SKIP_NODE_CROSSCHECK";
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(120);

    private readonly ITestOutputHelper _output;

    public TypeScriptCrossCheckTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [InlineData(McapCompression.Zstd)]
    [InlineData(McapCompression.Lz4)]
    [InlineData(McapCompression.None)]
    public void OfficialReader_ReadsOurRecording(McapCompression compression)
    {
        string? crossCheck = CrossCheckDirectoryOrNull();
        if (crossCheck is null)
        {
            return;
        }

        var expected = WriteRecording(compression, out byte[] bytes);
        RunCheck(crossCheck, bytes, expected);
    }

    [Fact]
    public void OfficialReader_ReadsAnEmptyRecording()
    {
        string? crossCheck = CrossCheckDirectoryOrNull();
        if (crossCheck is null)
        {
            return;
        }

        using var stream = new MemoryStream();
        using (var writer = new McapWriter(stream, leaveOpen: true))
        {
            writer.RegisterChannel("/perception/status", McapEncodings.Json);
        }

        var expected = new JsonObject
        {
            ["messageCount"] = 0,
            ["channels"] = new JsonArray(Channel("/perception/status", McapEncodings.Json, null, null, 0)),
        };
        RunCheck(crossCheck, stream.ToArray(), expected);
    }

    /// <summary>
    /// The drives the project ships (made by `synth`, the goldens by `replay --out`): the official reader sees the
    /// channels, counts and a decoded camera frame exactly as our reader does.
    /// </summary>
    [Theory]
    [InlineData("cruising.mcap")]
    [InlineData("cruising.golden.mcap")]
    [InlineData("pedestrian-crossing.mcap")]
    public void OfficialReader_ReadsTheShippedDrives(string name)
    {
        string? crossCheck = CrossCheckDirectoryOrNull();
        if (crossCheck is null)
        {
            return;
        }

        var bytes = File.ReadAllBytes(Path.Combine(RepositoryRoot(), "recordings", name));
        using var reader = new McapReader(new MemoryStream(bytes));
        var summary = reader.Summary ?? throw new InvalidOperationException($"{name} has no summary: regenerate it (recordings/README.md).");
        var messages = reader.ReadAll().Messages;
        var channels = new JsonArray();
        foreach (var channel in summary.Channels.Values.OrderBy(c => c.Id))
        {
            summary.Schemas.TryGetValue(channel.SchemaId, out var schema);
            var metadata = new JsonObject();
            foreach (var (key, value) in channel.Metadata) metadata[key] = value;
            channels.Add(Channel(channel.Topic, channel.MessageEncoding, schema?.Name, schema?.Encoding,
                messages.Count(m => m.Channel.Id == channel.Id), metadata));
        }
        var expected = new JsonObject { ["messageCount"] = messages.Count, ["channels"] = channels };
        var firstFrame = messages.FirstOrDefault(m => m.Channel.Topic == "/camera/front/image");
        if (firstFrame is not null)
        {
            expected["decode"] = new JsonArray(new JsonObject
            {
                ["topic"] = "/camera/front/image", ["index"] = 0, ["json"] = JsonNode.Parse(firstFrame.Data.Span),
            });
        }
        Assert.True(messages.Count > 0, $"{name} holds no message.");
        RunCheck(crossCheck, bytes, expected);
    }

    /// <summary>A short drive: camera frames, lane/box overlays, the node's MessagePack lane output, status JSON, one idle channel.</summary>
    private static JsonObject WriteRecording(McapCompression compression, out byte[] bytes)
    {
        var random = new Random(11);
        var lanePayloads = new List<byte[]>();
        byte[]? firstOverlay = null;
        byte[]? secondImage = null;
        const int frames = 40;
        using var stream = new MemoryStream();
        using (var writer = new McapWriter(stream, new McapWriterOptions { Compression = compression, ChunkSize = 64 * 1024, Profile = "x-drive-perception" }, leaveOpen: true))
        {
            ushort image = writer.RegisterChannel("/camera/front/image", McapEncodings.Json, writer.RegisterCompressedImageSchema());
            ushort overlay = writer.RegisterChannel("/perception/overlay", McapEncodings.Json, writer.RegisterImageAnnotationsSchema());
            ushort laneSchema = writer.RegisterSchema("drive_perception.LaneMessage", McapEncodings.NoSchemaText, []);
            ushort lanes = writer.RegisterChannel("/perception/lanes", McapEncodings.MessagePack, laneSchema,
                new Dictionary<string, string> { ["schema_version"] = "1" });
            ushort status = writer.RegisterChannel("/perception/status", McapEncodings.Json);
            writer.RegisterChannel("/perception/pedestrians", McapEncodings.MessagePack, laneSchema);

            for (int i = 0; i < frames; i++)
            {
                ulong t = 1_700_000_000_000_000_000UL + (ulong)i * 33_333_333UL;
                // Frame 20 is larger than a chunk (300 kB), to cross-check the big-message path too.
                var jpeg = new byte[i == 20 ? 300_000 : 8_000 + i * 100];
                random.NextBytes(jpeg);
                var imageJson = new FoxgloveCompressedImage(t, "camera_front", "jpeg", jpeg).ToJson();
                writer.Write(image, (uint)i, t, t, imageJson);
                secondImage ??= i == 1 ? imageJson : null;

                var overlayJson = new FoxgloveImageAnnotations(t)
                    .AddPolyline([new(100, 700), new(300 + i, 420), new(400, 300)], FoxgloveColor.FromRgb(0, 255, 0), 3)
                    .AddBox(500, 400, 120, 80, FoxgloveColor.FromRgb(255, 0, 0))
                    .AddText(new(500, 390), $"car #{i}", FoxgloveColor.FromRgb(255, 255, 255))
                    .ToJson();
                writer.Write(overlay, (uint)i, t + 5_000_000, t, overlayJson);
                firstOverlay ??= overlayJson;

                var lane = new byte[200 + i];
                random.NextBytes(lane);
                lanePayloads.Add(lane);
                writer.Write(lanes, (uint)i, t + 6_000_000, t, lane);

                if (i % 10 == 0)
                {
                    writer.Write(status, t + 7_000_000, System.Text.Encoding.UTF8.GetBytes($"{{\"frame\":{i},\"healthy\":true}}"));
                }
            }
        }

        bytes = stream.ToArray();
        return new JsonObject
        {
            ["messageCount"] = frames * 3 + frames / 10,
            ["minChunks"] = 3,
            ["compressions"] = compression == McapCompression.None ? new JsonArray() : new JsonArray(compression == McapCompression.Zstd ? "zstd" : "lz4"),
            ["channels"] = new JsonArray(
                Channel("/camera/front/image", "json", FoxgloveSchemas.CompressedImageName, "jsonschema", frames),
                Channel("/perception/overlay", "json", FoxgloveSchemas.ImageAnnotationsName, "jsonschema", frames),
                Channel("/perception/lanes", McapEncodings.MessagePack, "drive_perception.LaneMessage", "", frames, new JsonObject { ["schema_version"] = "1" }),
                Channel("/perception/status", "json", null, null, frames / 10),
                Channel("/perception/pedestrians", McapEncodings.MessagePack, "drive_perception.LaneMessage", "", 0)),
            ["decode"] = new JsonArray(
                new JsonObject { ["topic"] = "/perception/lanes", ["index"] = 3, ["base64"] = Convert.ToBase64String(lanePayloads[3]) },
                new JsonObject { ["topic"] = "/perception/overlay", ["index"] = 0, ["json"] = JsonNode.Parse(firstOverlay!) },
                new JsonObject { ["topic"] = "/camera/front/image", ["index"] = 1, ["json"] = JsonNode.Parse(secondImage!) }),
        };
    }

    private static JsonObject Channel(string topic, string encoding, string? schemaName, string? schemaEncoding, int count, JsonObject? metadata = null) => new()
    {
        ["topic"] = topic,
        ["messageEncoding"] = encoding,
        ["schemaName"] = schemaName,
        ["schemaEncoding"] = schemaEncoding,
        ["metadata"] = metadata ?? new JsonObject(),
        ["count"] = count,
    };

    private void RunCheck(string crossCheckDirectory, byte[] recording, JsonObject expected)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"dp-mcap-crosscheck-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            string file = Path.Combine(directory, "recording.mcap");
            string expectedFile = Path.Combine(directory, "expected.json");
            File.WriteAllBytes(file, recording);
            File.WriteAllText(expectedFile, expected.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

            var (exitCode, output) = RunNode(crossCheckDirectory, Path.Combine(crossCheckDirectory, "check.mjs"), file, expectedFile);
            _output.WriteLine(output);
            Assert.True(exitCode == 0, $"check.mjs exited with {exitCode}:\n{output}");
            Assert.Contains("OK:", output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>tests/mcap-crosscheck with its node_modules, or null when skipping is allowed; fails with the fix otherwise.</summary>
    private string? CrossCheckDirectoryOrNull()
    {
        string root = RepositoryRoot();
        string directory = Path.Combine(root, "tests", "mcap-crosscheck");
        string? problem = null;
        if (RunNodeVersion() is not { } version)
        {
            problem = "`node` (18 or later) is not on PATH";
        }
        else if (!Directory.Exists(Path.Combine(directory, "node_modules", "@mcap", "core")))
        {
            problem = $"tests/mcap-crosscheck/node_modules is missing (node {version} found)";
        }

        if (problem is null)
        {
            return directory;
        }

        string message = $"TypeScript MCAP cross-check cannot run: {problem}. Install it with `npm ci --prefix tests/mcap-crosscheck` "
                       + $"(from the repository root, needs node and npm), or set {SkipVariable}=1 to skip this check.";
        if (Environment.GetEnvironmentVariable(SkipVariable) == "1")
        {
            _output.WriteLine("SKIPPED: " + message);
            return null;
        }

        Assert.Fail(message);
        return null;
    }

    private static string? RunNodeVersion()
    {
        try
        {
            var (exitCode, output) = RunProcess("node", Environment.CurrentDirectory, "--version");
            return exitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
    }

    private static (int ExitCode, string Output) RunNode(string workingDirectory, params string[] arguments) =>
        RunProcess("node", workingDirectory, arguments);

    private static (int ExitCode, string Output) RunProcess(string fileName, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(NodeTimeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {NodeTimeout.TotalSeconds} s\n{stdout.Result}{stderr.Result}");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DrivePerception.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No DrivePerception.sln above {AppContext.BaseDirectory}; run the tests from the repository.");
    }
}
