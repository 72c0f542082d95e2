// char-lstm end to end at a tiny size: result files, metric ranges, same seed same numbers, figures and decoded samples.
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Recurrent.Tasks.Data.Corpus;
using Recurrent.Tasks.Experiments;

namespace Recurrent.Tests.Tasks;

public class ExperimentCharLstmTests
{
    private static readonly Dictionary<string, string> Tiny = new()
    {
        ["epochs"] = "2", ["hidden"] = "16", ["embed"] = "8", ["sample-length"] = "40",
    };

    [Fact]
    public void RunsEndToEnd_WritesResultsFiguresAndSamples()
    {
        var experiment = new CharLstmExperiment();
        var (results, dir) = ExperimentRunCheck.Run(experiment, Tiny);
        try
        {
            ExperimentRunCheck.CheckFiles(results, dir, ["loss", "bpc"]);
            double uniform = Math.Log(30); // 30 distinct characters in the rhyme
            foreach (var r in results.Runs)
            {
                ExperimentRunCheck.AllFinite(r);
                Assert.InRange(r.Metrics["final_loss"], 0, 2 * uniform);
                Assert.Equal(r.Metrics["final_loss"] / Math.Log(2), r.Metrics["bpc"], 12);
                Assert.Equal(30, r.Metrics["vocab_size"]);
                Assert.Equal(2, r.Curves["loss"].Length);
                Assert.Equal(9 + 40, r.Series["sample_indices"].Length); // the prime "Twinkle, " and 40 generated characters
                Assert.All(r.Series["sample_indices"], i => Assert.InRange(i, 0, 29));
                Assert.Equal(40, r.Series["grad_norm_by_step"].Length);
            }
            Assert.True(results.Runs.Single(r => r.ConfigurationId == "model=rnn" && r.Run == 0).Metrics["parameters"]
                < results.Runs.Single(r => r.ConfigurationId == "model=lstm" && r.Run == 0).Metrics["parameters"]);

            var paths = ExperimentRunCheck.CheckFigures(experiment, results, dir);
            string samples = File.ReadAllText(Assert.Single(paths, p => p.EndsWith("samples.txt", StringComparison.Ordinal)));
            var blocks = samples.Split("\n== ").Skip(1).ToList();
            Assert.Equal(4, blocks.Count); // 2 models × 2 runs
            var alphabet = BuiltInCorpus.NurseryRhyme.ToHashSet();
            foreach (var block in blocks)
            {
                string text = block[(block.IndexOf(" ==\n", StringComparison.Ordinal) + 4)..^1]; // the sample, then the one "\n" after it
                Assert.StartsWith("Twinkle, ", text, StringComparison.Ordinal);
                Assert.Equal(49, text.Length);
                Assert.All(text, ch => Assert.Contains(ch, alphabet));
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void SameSeed_SameMetricsAndSamples()
    {
        var overrides = new Dictionary<string, string>(Tiny) { ["models"] = "lstm", ["epochs"] = "1" };
        var (a, dirA) = ExperimentRunCheck.Run(new CharLstmExperiment(), overrides, runs: 1);
        var (b, dirB) = ExperimentRunCheck.Run(new CharLstmExperiment(), overrides, runs: 1);
        Directory.Delete(dirA, true);
        Directory.Delete(dirB, true);
        ExperimentRunCheck.AssertSameMetrics(a, b);
        Assert.Equal(a.Runs[0].Series["sample_indices"], b.Runs[0].Series["sample_indices"]);
    }

    [Fact]
    public void PrimeOutsideTheVocabulary_IsAParameterError()
    {
        var experiment = new CharLstmExperiment();
        var settings = new Settings(experiment.Parameters, new Dictionary<string, string>(Tiny) { ["prime"] = "Zebra" });
        var ctx = new RunContext(experiment.Configurations(settings)[0], 0, 1, Recurrent.Tensors.Device.Cpu, CancellationToken.None);
        Assert.Throws<ParameterException>(() => experiment.Run(experiment.Configurations(settings)[0], settings, ctx));
    }
}

/// <summary>What every experiment test checks: a tiny run through the runner, its files, its figures, its determinism.</summary>
internal static class ExperimentRunCheck
{
    public static (ResultSet Results, string Directory) Run(Experiment experiment, IReadOnlyDictionary<string, string> overrides, int runs = 2, ulong seed = 7)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"recurrent-{experiment.Name}-{Guid.NewGuid():N}");
        var runner = new ExperimentRunner(experiment, new Settings(experiment.Parameters, overrides),
            new RunnerOptions { Runs = runs, Seed = seed, OutputDirectory = dir });
        return (runner.Execute(), dir);
    }

    /// <summary>results.json, runs.csv, curves.csv, summary.csv exist, parse, and hold every run and the named curves.</summary>
    public static void CheckFiles(ResultSet results, string dir, IEnumerable<string> curves)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "results.json")))!.AsObject();
        Assert.Equal(results.Configurations.Count * results.RunsPerConfiguration, root["runs"]!.AsArray().Count);
        Assert.Equal(results.Configurations.Count, root["configurations"]!.AsArray().Count);

        var runs = Csv(Path.Combine(dir, "runs.csv"));
        Assert.Equal(results.Runs.Count, runs.Count - 1);
        foreach (var metric in results.MetricNames) Assert.Contains(metric, runs[0]);
        Assert.All(runs, row => Assert.Equal(runs[0].Length, row.Length));

        var curveRows = Csv(Path.Combine(dir, "curves.csv"));
        Assert.Equal(["configuration", "run", "curve", "epoch", "value"], curveRows[0]);
        foreach (var curve in curves) Assert.Contains(curveRows, row => row[2] == curve);
        Assert.All(curveRows.Skip(1), row => double.Parse(row[4], CultureInfo.InvariantCulture));

        var summary = Csv(Path.Combine(dir, "summary.csv"));
        Assert.Equal("configuration", summary[0][0]);
        Assert.True(summary.Count > 1);
    }

    /// <summary>Rows of a CSV whose fields hold no quoted commas (configuration ids with commas are quoted: handled).</summary>
    private static List<string[]> Csv(string path)
    {
        var rows = new List<string[]>();
        foreach (var line in File.ReadAllLines(path).Where(l => l.Length > 0))
        {
            var fields = new List<string>();
            var field = new StringBuilder();
            bool quoted = false;
            for (int i = 0; i < line.Length; i++)
            {
                char ch = line[i];
                if (quoted && ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = !quoted;
                else if (ch == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
                else field.Append(ch);
            }
            fields.Add(field.ToString());
            rows.Add(fields.ToArray());
        }
        return rows;
    }

    public static void AllFinite(RunResult r)
    {
        foreach (var (name, value) in r.Metrics) Assert.True(double.IsFinite(value), $"{r.ConfigurationId} run {r.Run}: {name} = {value}");
        foreach (var (name, values) in r.Curves) Assert.All(values, v => Assert.True(double.IsFinite(v), $"curve {name} has {v}"));
    }

    /// <summary>Writes the figures into dir/figures; every .svg parses as XML with an svg root.</summary>
    public static IReadOnlyList<string> CheckFigures(Experiment experiment, ResultSet results, string dir)
    {
        var paths = experiment.WriteFigures(results, Path.Combine(dir, "figures"));
        Assert.NotEmpty(paths);
        foreach (var path in paths)
        {
            Assert.True(File.Exists(path), path);
            if (!path.EndsWith(".svg", StringComparison.Ordinal)) continue;
            var doc = XDocument.Parse(File.ReadAllText(path));
            Assert.Equal("svg", doc.Root!.Name.LocalName);
        }
        return paths;
    }

    /// <summary>Every metric of every run equal, bit for bit, except wall-clock times.</summary>
    public static void AssertSameMetrics(ResultSet a, ResultSet b)
    {
        Assert.Equal(a.Runs.Count, b.Runs.Count);
        foreach (var ra in a.Runs)
        {
            var rb = b.Runs.Single(r => r.ConfigurationId == ra.ConfigurationId && r.Run == ra.Run);
            Assert.Equal(ra.Seed, rb.Seed);
            foreach (var (name, value) in ra.Metrics.Where(kv => !kv.Key.EndsWith("seconds", StringComparison.Ordinal)
                && !kv.Key.StartsWith("seconds", StringComparison.Ordinal)))
                Assert.True(value.Equals(rb.Metrics[name]), $"{ra.ConfigurationId} run {ra.Run}: {name} {value} vs {rb.Metrics[name]}");
            foreach (var (name, values) in ra.Curves) Assert.Equal(values, rb.Curves[name]);
        }
    }
}
