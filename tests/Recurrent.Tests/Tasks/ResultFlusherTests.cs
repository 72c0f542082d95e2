// The result flusher: files written in the background as runs end, the final state on Complete, write failures reported.
using System.Text.Json.Nodes;
using Recurrent.Tasks.Experiments;

namespace Recurrent.Tests.Tasks;

public sealed class ResultFlusherTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recurrent-flusher-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly Configuration Config = Configuration.Of(("model", "lstm"));

    private static ResultSet NewResults() => new()
    {
        Experiment = "test", Source = "tests", Settings = new Dictionary<string, string>(), Configurations = [Config], RunsPerConfiguration = 64,
    };

    private static RunResult RunNumber(int i) => new()
    {
        ConfigurationId = Config.Id, Run = i, Seed = (ulong)i, Metrics = { ["loss"] = i * 0.5 }, Curves = { ["loss"] = [i, i / 2.0] },
    };

    private static int RunsOnDisk(string dir) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "results.json")))!["runs"]!.AsArray().Count;

    [Fact]
    public void WritesInTheBackgroundBeforeCompleteIsCalled()
    {
        var results = NewResults();
        var gate = new object();
        string dir = Path.Combine(_folder, "early");
        var flusher = new ResultFlusher(results, dir, gate);
        lock (gate) results.Runs.Add(RunNumber(0));
        flusher.Request();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(dir, "results.json")) && waited.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(5);
        Assert.True(File.Exists(Path.Combine(dir, "results.json")), "the flusher wrote nothing before Complete");
        Assert.Equal(1, RunsOnDisk(dir));
        flusher.Complete();
    }

    [Fact]
    public void RequestsFromManyThreadsEndWithEveryRunOnDiskAsWriteFilesWouldWriteThem()
    {
        var results = NewResults();
        var gate = new object();
        string dir = Path.Combine(_folder, "many"), reference = Path.Combine(_folder, "reference");
        var flusher = new ResultFlusher(results, dir, gate);
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            lock (gate) results.Runs.Add(RunNumber(i));
            flusher.Request();
        });
        flusher.Complete();
        Assert.Equal(64, RunsOnDisk(dir));
        results.WriteFiles(reference);
        foreach (string file in new[] { "results.json", "runs.csv", "curves.csv", "summary.csv" })
            Assert.Equal(File.ReadAllText(Path.Combine(reference, file)), File.ReadAllText(Path.Combine(dir, file)));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public void AFolderThatCannotBeWrittenIsReportedByComplete()
    {
        string notAFolder = Path.Combine(_folder, "a-file");
        File.WriteAllText(notAFolder, "in the way");
        var results = NewResults();
        var gate = new object();
        var flusher = new ResultFlusher(results, notAFolder, gate);
        lock (gate) results.Runs.Add(RunNumber(0));
        flusher.Request();
        Assert.ThrowsAny<IOException>(() => flusher.Complete());
    }
}
