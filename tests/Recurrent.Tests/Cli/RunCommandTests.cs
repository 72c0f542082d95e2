// `recurrent list` and `recurrent run`: in-process, with exit codes and files.
using static Recurrent.Tests.Cli.CliHarness;

namespace Recurrent.Tests.Cli;

public sealed class RunCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recurrent-run-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ListNamesTheExperimentsAndTheirNotebooks()
    {
        var (code, output, _) = Run("list");
        Assert.Equal(0, code);
        Assert.Contains("copy-delay", output);
        Assert.Contains("first-token", output);
        Assert.Contains("seeds/001", output);
    }

    [Fact]
    public void RunWritesResultsFiguresAndASummary()
    {
        string dir = Path.Combine(_folder, "ft");
        var (code, output, err) = Run("run", "first-token", "--n", "30", "--test-n", "10", "--epochs", "2", "--hidden", "3", "--runs", "2", "--out", dir, "--quiet");
        Assert.True(code == 0, err);
        Assert.Contains("test_accuracy", output);
        Assert.Contains("model=lstm", output);
        Assert.True(File.Exists(Path.Combine(dir, "results.json")));
        Assert.True(File.Exists(Path.Combine(dir, "loss.svg")));
    }

    [Theory]
    [InlineData("--hidden", "0", "--hidden")]
    [InlineData("--delays", "5:1", "--delays")]
    [InlineData("--models", "cnn", "--models")]
    [InlineData("--shard", "3/2", "--shard")]
    [InlineData("--runs", "0", "--runs")]
    public void BadOptionsExitWithTwoAndNameTheOption(string option, string value, string named)
    {
        var (code, _, err) = Run("run", "copy-delay", option, value, "--out", Path.Combine(_folder, "x"));
        Assert.Equal(2, code);
        Assert.Contains(named, err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void MergeOfThreeShardsEqualsTheUnshardedRun()
    {
        string[] common = ["run", "copy-delay", "--delays", "2,3", "--batches-per-epoch", "2", "--val-batches", "1", "--test-batches", "1",
            "--epochs", "2", "--hidden", "4", "--batch", "4", "--runs", "2", "--quiet"];
        Assert.Equal(0, Run([.. common, "--out", Path.Combine(_folder, "whole")]).Code);
        for (int i = 1; i <= 3; i++) Assert.Equal(0, Run([.. common, "--shard", $"{i}/3", "--out", Path.Combine(_folder, $"part{i}")]).Code);
        var (code, output, err) = Run("merge", Path.Combine(_folder, "part1"), Path.Combine(_folder, "part2"), Path.Combine(_folder, "part3"),
            "--out", Path.Combine(_folder, "merged"));
        Assert.True(code == 0, err);
        Assert.Contains("accuracy", output);
        Assert.Equal(Comparable(Path.Combine(_folder, "whole")), Comparable(Path.Combine(_folder, "merged")));
        Assert.True(File.Exists(Path.Combine(_folder, "merged", "accuracy_vs_delay.svg")));

        var (dup, _, dupErr) = Run("merge", Path.Combine(_folder, "part1"), Path.Combine(_folder, "part1"), "--out", Path.Combine(_folder, "bad"));
        Assert.Equal(1, dup);
        Assert.Contains("more than one shard", dupErr);
    }

    /// <summary>results.json without the wall-clock seconds: configurations, summaries, and every run's numbers.</summary>
    private static string Comparable(string folder)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "results.json")))!.AsObject();
        foreach (var run in root["runs"]!.AsArray()) run!.AsObject().Remove("seconds");
        return root.ToJsonString();
    }

    [Fact]
    public void CtrlCStopsTheRunsWith130AndKeepsTheFinishedOnes()
    {
        string dir = Path.Combine(_folder, "cut");
        using var cancel = new CancellationTokenSource();
        var stderr = new CancelOnLine("[1/", cancel); // "Ctrl-C" as the first run ends
        var (code, _, err) = Run(["run", "first-token", "--n", "30", "--test-n", "10", "--epochs", "3", "--hidden", "3", "--runs", "6",
            "--threads", "1", "--out", dir], cancel.Token, stderr);
        Assert.Equal(130, code);
        Assert.Contains($"interrupted: the runs that finished are in {Path.Combine(dir, "results.json")}", err);
        var runs = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "results.json")))!["runs"]!.AsArray();
        Assert.InRange(runs.Count, 1, 11); // the first, and none of the 12 started after the cancel
    }

    [Fact]
    public void UnknownExperimentIsAUsageError()
    {
        var (code, _, err) = Run("run", "no-such-experiment");
        Assert.Equal(2, code);
        Assert.Contains("no-such-experiment", err);
    }
}
