// mean-stacked end to end at a tiny size: files written and parseable, metrics sane, seeded, figures well-formed.
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Recurrent.Tasks.Experiments;

namespace Recurrent.Tests.Tasks;

public class ExperimentMeanStackedTests
{
    [Fact]
    public void TinyRunWritesResultsAndFiguresAndRepeatsWithTheSameSeed()
    {
        var exp = new MeanStackedExperiment();
        var overrides = new Dictionary<string, string> { ["n"] = "64", ["seq-len"] = "6", ["hidden"] = "4", ["epochs"] = "4", ["test-n"] = "32" };
        var (results, dir) = ExperimentTestKit.RunTwiceAndCheck(exp, overrides);
        try
        {
            Assert.Equal(["model=rnn,depth=single", "model=rnn,depth=stacked"], results.Configurations.Select(c => c.Id));
            foreach (var r in results.Runs)
            {
                foreach (string m in new[] { "test_mse", "val_mse", "train_mse", "final_loss" }) Assert.InRange(r.Metrics[m], 0, 1);
                Assert.Equal(4, r.Curves["loss"].Length);
                Assert.Equal(6, r.Series["grad_norm_by_step"].Length);
                Assert.Equal(32, r.Series["test_prediction"].Length);
            }
            ExperimentTestKit.AssertFigures(exp, results, dir, "loss.svg", "test_loss.svg", "predictions.svg", "grad_norm_vs_steps_back.svg");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void DefaultsAreTheNotebooks()
    {
        var s = new Settings(new MeanStackedExperiment().Parameters);
        Assert.Equal((1000, 20, 2, 0.01, 100), (s.Int("n"), s.Int("seq-len"), s.Int("stacked-layers"), s.Double("lr"), s.Int("epochs")));
        Assert.Equal(4, new MeanStackedExperiment().Configurations(new Settings(new MeanStackedExperiment().Parameters,
            new Dictionary<string, string> { ["models"] = "rnn,lstm" })).Count);
    }
}

/// <summary>The end-to-end checks every seed experiment's test shares.</summary>
internal static class ExperimentTestKit
{
    /// <summary>Runs twice (2 runs per configuration, the same seed), checks the files of the first and that both agree.</summary>
    public static (ResultSet Results, string Directory) RunTwiceAndCheck(Experiment exp, IReadOnlyDictionary<string, string> overrides)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"recurrent-{exp.Name}-{Guid.NewGuid():N}");
        var settings = new Settings(exp.Parameters, overrides);
        var first = new ExperimentRunner(exp, settings, new RunnerOptions { Runs = 2, Seed = 7, OutputDirectory = dir }).Execute();
        var second = new ExperimentRunner(exp, settings, new RunnerOptions { Runs = 2, Seed = 7, Parallelism = 1 }).Execute();

        int configs = first.Configurations.Count;
        Assert.Equal(2 * configs, first.Runs.Count);
        foreach (var r in first.Runs)
        {
            Assert.NotEmpty(r.Metrics);
            Assert.All(r.Metrics, kv => Assert.True(double.IsFinite(kv.Value), $"{r.ConfigurationId} run {r.Run}: {kv.Key} = {kv.Value}"));
            Assert.All(r.Curves.Values.SelectMany(v => v), v => Assert.True(double.IsFinite(v)));
            Assert.True(r.Series.ContainsKey("grad_norm_by_step"));
            Assert.All(r.Series["grad_norm_by_step"], v => Assert.True(double.IsFinite(v) && v >= 0));
            var twin = second.Runs.Single(x => x.ConfigurationId == r.ConfigurationId && x.Run == r.Run);
            Assert.Equal(r.Seed, twin.Seed);
            Assert.Equal(r.Metrics.OrderBy(kv => kv.Key), twin.Metrics.OrderBy(kv => kv.Key)); // bit for bit, in parallel or not
        }
        // Different runs of a configuration have different seeds, hence different numbers.
        foreach (var c in first.Configurations)
        {
            var runs = first.RunsOf(c).ToList();
            Assert.NotEqual(runs[0].Seed, runs[1].Seed);
        }
        var (headline, higherIsBetter) = exp.Headline;
        Assert.All(first.Runs, r => Assert.True(r.Metrics.ContainsKey(headline), $"headline {headline} missing (higher is better: {higherIsBetter})"));

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "results.json")))!.AsObject();
        Assert.Equal(exp.Name, (string)json["experiment"]!);
        Assert.Equal(2 * configs, json["runs"]!.AsArray().Count);
        Assert.Equal(configs, json["configurations"]!.AsArray().Count);
        var runs2 = ResultSet.ReadRuns(Path.Combine(dir, "results.json")).Runs;
        Assert.Equal(first.Runs.Count, runs2.Count);

        var runsCsv = ReadCsv(Path.Combine(dir, "runs.csv"));
        Assert.Equal(2 * configs + 1, runsCsv.Count);
        Assert.Contains(headline, runsCsv[0]);
        var curves = ReadCsv(Path.Combine(dir, "curves.csv"));
        Assert.Equal(["configuration", "run", "curve", "epoch", "value"], curves[0]);
        Assert.True(curves.Count > 1);
        var summary = ReadCsv(Path.Combine(dir, "summary.csv"));
        Assert.Equal("configuration", summary[0][0]);
        Assert.Contains(summary.Skip(1), row => row[1] == headline && row[2] == "2");
        foreach (var table in new[] { runsCsv, curves, summary })
            Assert.All(table, row => Assert.Equal(table[0].Count, row.Count));
        return (first, dir);
    }

    public static void AssertFigures(Experiment exp, ResultSet results, string dir, params string[] expected)
    {
        var paths = exp.WriteFigures(results, dir);
        Assert.Equal(expected.Order(), paths.Select(Path.GetFileName).Order());
        foreach (string path in paths)
        {
            var doc = XDocument.Parse(File.ReadAllText(path));
            Assert.Equal("svg", doc.Root!.Name.LocalName);
            Assert.True(doc.Descendants().Count() > 20, $"{path} looks empty");
        }
    }

    /// <summary>Rows of a CSV with RFC 4180 quoting (configuration ids hold commas).</summary>
    public static List<List<string>> ReadCsv(string path)
    {
        var rows = new List<List<string>>();
        foreach (string line in File.ReadAllLines(path).Where(l => l.Length > 0))
        {
            var row = new List<string>();
            var cell = new System.Text.StringBuilder();
            bool quoted = false;
            for (int i = 0; i < line.Length; i++)
            {
                char ch = line[i];
                if (quoted)
                {
                    if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                    else if (ch == '"') quoted = false;
                    else cell.Append(ch);
                }
                else if (ch == '"') quoted = true;
                else if (ch == ',') { row.Add(cell.ToString()); cell.Clear(); }
                else cell.Append(ch);
            }
            row.Add(cell.ToString());
            rows.Add(row);
        }
        return rows;
    }
}
