using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Recording.Tests.Drives;

public sealed class ReportMergerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dp-merge-").FullName;

    [Fact]
    public void Merge_AllShardsPass_Pass()
    {
        Shard(0, 2, ("a", RegressionReport.Pass), ("c", RegressionReport.Pass));
        Shard(1, 2, ("b", RegressionReport.Pass));

        var merged = ReportMerger.Merge(_folder);

        Assert.Equal(RegressionReport.Pass, merged.Verdict);
        Assert.Equal(["a", "b", "c"], merged.Recordings.Select(r => r.Name));
        Assert.Empty(merged.Problems);
    }

    [Fact]
    public void Merge_OneRegression_RegressionNamingIt()
    {
        Shard(0, 2, ("a", RegressionReport.Pass));
        Shard(1, 2, ("b", RegressionReport.Regression));

        var merged = ReportMerger.Merge(_folder);

        Assert.Equal(RegressionReport.Regression, merged.Verdict);
        Assert.Contains("b", merged.Render());
        Assert.Contains("REGRESSION: vehicles: broke", merged.Render());
    }

    [Fact]
    public void Merge_ShardMissing_Error()
    {
        Shard(0, 3, ("a", RegressionReport.Pass));
        Shard(2, 3, ("c", RegressionReport.Pass));

        var merged = ReportMerger.Merge(_folder);

        Assert.Equal(RegressionReport.Error, merged.Verdict);
        Assert.Contains(merged.Problems, p => p.StartsWith("shard 1/3 did not report"));
    }

    [Fact]
    public void Merge_ListedReportMissing_ErrorForThatRecording()
    {
        Shard(0, 1, ("a", RegressionReport.Pass));
        File.Delete(Path.Combine(_folder, "a.report.json"));

        var merged = ReportMerger.Merge(_folder);

        Assert.Equal(RegressionReport.Error, merged.Verdict);
        Assert.Contains("no report a.report.json", merged.Recordings.Single().Failures[0]);
    }

    [Fact]
    public void Merge_LeftoverReportOfAnotherRun_Error()
    {
        Shard(0, 1, ("a", RegressionReport.Pass));
        var old = new RegressionReport { Name = "z", Recording = "z.mcap", Golden = "z.golden.mcap" };
        old.Decide();
        old.Save(Path.Combine(_folder, "z.report.json"));

        var merged = ReportMerger.Merge(_folder);

        Assert.Equal(RegressionReport.Error, merged.Verdict);
        Assert.Contains(merged.Problems, p => p.StartsWith("z.report.json is listed by no shard summary"));
    }

    [Fact]
    public void Merge_EmptyFolder_ThrowsWithTheCommandToRun()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ReportMerger.Merge(_folder));

        Assert.Contains("drive-perception regress FOLDER --report-dir", e.Message);
    }

    private void Shard(int index, int count, params (string Name, string Verdict)[] recordings)
    {
        foreach (var (name, verdict) in recordings)
        {
            var report = new RegressionReport { Name = name, Recording = name + ".mcap", Golden = name + ".golden.mcap" };
            if (verdict == RegressionReport.Regression)
                report.Topics.Add(new TopicResult { Topic = "vehicles", Failures = ["broke"] });
            report.Decide();
            Assert.Equal(verdict, report.Verdict);
            report.Save(Path.Combine(_folder, ShardSummary.ReportFileName(name)));
        }
        new ShardSummary { Shard = index, Shards = count, Recordings = recordings.Select(r => r.Name).ToList() }
            .Save(Path.Combine(_folder, ShardSummary.FileName(index, count)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
