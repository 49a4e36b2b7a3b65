using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Node.Tests.Recording;

/// <summary>A folder of recordings regressed by three separate node processes, one shard each, then merged.</summary>
[Collection(RecordingCollection.Name)]
public sealed class ShardedRegressionTests(RecordedDrive recorded)
{
    private static readonly string[] Names = ["alpha", "bravo", "charlie", "delta", "echo"];

    [Fact]
    public void RegressShards_FiveRecordingsThreeProcesses_EachCoveredOnceAndMergeGivesTheVerdict()
    {
        using var scratch = recorded.NewScratch("shards");
        var folder = Directory.CreateDirectory(scratch.File("recordings")).FullName;
        var reports = scratch.File("reports");
        foreach (var name in Names)
        {
            File.Copy(recorded.Drive, Path.Combine(folder, name + ".mcap"));
            File.Copy(recorded.Golden, Path.Combine(folder, name + ".golden.mcap"));
        }
        // charlie's tolerances set a latency budget no machine meets: the one regression of the folder.
        File.WriteAllText(Path.Combine(folder, "charlie.tolerances.json"), """{ "latency_p99_budget_ms": 0.000001 }""");
        File.Copy(recorded.Drive, Path.Combine(folder, "foxtrot.mcap")); // no golden: skipped by every shard

        string[] Args(string shard) => ["regress", folder, "--shard", shard, "--report-dir", reports, .. FixtureModels.NodeArgs];
        var processes = new[]
        {
            NodeCli.Start(Args("0/3")),
            NodeCli.Start(Args("1/3")),
            // The Kubernetes way: the index comes from the Indexed Job's environment variable.
            NodeCli.Start(Args("auto/3"), new Dictionary<string, string> { [ShardSpec.IndexVariable] = "2" }),
        };
        var results = processes.Select(NodeCli.Finish).ToList();

        var summaries = Enumerable.Range(0, 3).Select(i => ShardSummary.Load(Path.Combine(reports, ShardSummary.FileName(i, 3)))).ToList();
        var all = string.Join("\n---\n", results.Select(r => r.Output));
        // Sorted names alpha..echo are indexes 0..4: shard i takes index mod 3 == i.
        Assert.Equal(["alpha", "delta"], summaries[0].Recordings);
        Assert.Equal(["bravo", "echo"], summaries[1].Recordings);
        Assert.Equal(["charlie"], summaries[2].Recordings);
        Assert.Equal(Names, summaries.SelectMany(s => s.Recordings).Order());
        Assert.All(summaries, s => Assert.Equal(["foxtrot"], s.WithoutGolden));
        Assert.True(results[0].ExitCode == 0 && results[1].ExitCode == 0, all);
        Assert.True(results[2].ExitCode == 1, all);
        foreach (var name in Names) Assert.True(File.Exists(Path.Combine(reports, ShardSummary.ReportFileName(name))), $"no report for {name}\n{all}");

        var mergedPath = scratch.File("merged.json");
        int mergeExit = NodeCli.Invoke("merge", "--reports", reports, "--out", mergedPath);
        var merged = ReportMerger.Merge(reports);

        Assert.Equal(1, mergeExit);
        Assert.True(File.Exists(mergedPath));
        Assert.Equal(RegressionReport.Regression, merged.Verdict);
        Assert.Empty(merged.Problems);
        Assert.Equal(Names, merged.Recordings.Select(r => r.Name));
        Assert.Equal("charlie", Assert.Single(merged.Recordings, r => r.Verdict != RegressionReport.Pass).Name);

        File.Delete(Path.Combine(reports, ShardSummary.FileName(1, 3)));
        Assert.Equal(RegressionReport.Error, ReportMerger.Merge(reports).Verdict);
        Assert.Equal(1, NodeCli.Invoke("merge", "--reports", reports));
    }

    [Fact]
    public void Merge_NoFolder_ExitsTwo()
    {
        Assert.Equal(2, NodeCli.Invoke("merge", "--reports", Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}")));
    }
}
