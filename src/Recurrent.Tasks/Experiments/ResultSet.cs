// All runs of an experiment with their settings and summaries; written as results.json and CSV files.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recurrent.Tasks.Experiments;

public sealed class ResultSet
{
    public required string Experiment { get; init; }
    public required string Source { get; init; }
    public required IReadOnlyDictionary<string, string> Settings { get; init; }
    public required IReadOnlyList<Configuration> Configurations { get; init; }
    public ulong BaseSeed { get; init; }
    public int RunsPerConfiguration { get; init; }

    /// <summary>With --tune: the settings chosen per model (and the validation metric each candidate reached).</summary>
    public Dictionary<string, Dictionary<string, string>> Tuned { get; init; } = new();
    public List<TuneTrial> TuneTrials { get; init; } = new();

    public List<RunResult> Runs { get; init; } = new();

    public IEnumerable<RunResult> RunsOf(Configuration c) => Runs.Where(r => r.ConfigurationId == c.Id).OrderBy(r => r.Run);

    public Summary Summarize(Configuration c, string metric) =>
        Summary.Of(RunsOf(c).Select(r => r.Metrics.TryGetValue(metric, out double v) ? v : double.NaN));

    /// <summary>Mean of a per-epoch curve over runs, epoch by epoch (runs that stopped early count only while they ran).</summary>
    public Summary[] SummarizeCurve(Configuration c, string curve)
    {
        var curves = RunsOf(c).Select(r => r.Curves.GetValueOrDefault(curve)).Where(v => v is not null).Select(v => v!).ToList();
        int length = curves.Count == 0 ? 0 : curves.Max(v => v.Length);
        return Enumerable.Range(0, length).Select(e => Summary.Of(curves.Where(v => e < v.Length).Select(v => v[e]))).ToArray();
    }

    /// <summary>Mean of a series (e.g. gradient norm per step back) over runs, point by point.</summary>
    public Summary[] SummarizeSeries(Configuration c, string series)
    {
        var all = RunsOf(c).Select(r => r.Series.GetValueOrDefault(series)).Where(v => v is not null).Select(v => v!).ToList();
        int length = all.Count == 0 ? 0 : all.Max(v => v.Length);
        return Enumerable.Range(0, length).Select(i => Summary.Of(all.Where(v => i < v.Length).Select(v => v[i]))).ToArray();
    }

    public IEnumerable<string> MetricNames => Runs.SelectMany(r => r.Metrics.Keys).Distinct();

    // ---- files --------------------------------------------------------------------------------------

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public JsonObject ToJson()
    {
        var configs = new JsonArray();
        foreach (var c in Configurations)
        {
            var values = new JsonObject();
            foreach (var kv in c.Values) values[kv.Key] = kv.Value;
            var summary = new JsonObject();
            foreach (string m in MetricNames.Order(StringComparer.Ordinal))
            {
                var s = Summarize(c, m);
                if (s.N == 0) continue;
                summary[m] = new JsonObject
                {
                    ["n"] = s.N, ["mean"] = Num(s.Mean), ["std"] = Num(s.Std), ["stderr"] = Num(s.StandardError),
                    ["ci95"] = new JsonArray(Num(s.Ci95Low), Num(s.Ci95High)),
                };
            }
            configs.Add(new JsonObject { ["id"] = c.Id, ["values"] = values, ["runs"] = RunsOf(c).Count(), ["summary"] = summary });
        }
        var runs = new JsonArray();
        foreach (var r in Runs.OrderBy(r => ConfigIndex(r.ConfigurationId)).ThenBy(r => r.Run))
        {
            runs.Add(new JsonObject
            {
                ["configuration"] = r.ConfigurationId, ["run"] = r.Run, ["seed"] = r.Seed.ToString(CultureInfo.InvariantCulture),
                ["seconds"] = Math.Round(r.Seconds, 3),
                ["metrics"] = Object(r.Metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, (JsonNode?)Num(kv.Value)))),
                ["curves"] = Object(r.Curves.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, (JsonNode?)Array(kv.Value)))),
                ["series"] = Object(r.Series.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, (JsonNode?)Array(kv.Value)))),
            });
        }
        var settings = Object(Settings.Select(kv => (kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        var tuned = Object(Tuned.Select(kv => (kv.Key, (JsonNode?)Object(kv.Value.Select(v => (v.Key, (JsonNode?)JsonValue.Create(v.Value)))))));
        var trials = new JsonArray(TuneTrials.Select(t => (JsonNode)new JsonObject
        {
            ["model"] = t.Model, ["settings"] = Object(t.Settings.Select(v => (v.Key, (JsonNode?)JsonValue.Create(v.Value)))),
            ["metric"] = t.Metric, ["value"] = Num(t.Value),
        }).ToArray());
        return new JsonObject
        {
            ["experiment"] = Experiment, ["source"] = Source, ["seed"] = BaseSeed.ToString(CultureInfo.InvariantCulture),
            ["runs_per_configuration"] = RunsPerConfiguration, ["settings"] = settings, ["tuned"] = tuned, ["tune_trials"] = trials,
            ["configurations"] = configs, ["runs"] = runs,
        };
    }

    private int ConfigIndex(string id)
    {
        for (int i = 0; i < Configurations.Count; i++) if (Configurations[i].Id == id) return i;
        return int.MaxValue;
    }

    /// <summary>results.json, runs.csv (one row per run), curves.csv (one row per run and epoch), summary.csv; each written to a temporary file and renamed.</summary>
    public void WriteFiles(string directory) => Render().Write(directory);

    /// <summary>The four files' text as the results stand now (what <see cref="WriteFiles"/> writes), so a caller can
    /// take it under a lock and leave the disk to another thread.</summary>
    public ResultFiles Render() => new(ToJson().ToJsonString(Indented), RunsCsv(), CurvesCsv(), SummaryCsv());

    private string RunsCsv()
    {
        var keys = Configurations.SelectMany(c => c.Values.Select(v => v.Key)).Distinct().ToList();
        var metrics = MetricNames.Order(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", keys.Concat(["run", "seed", "seconds"]).Concat(metrics)));
        foreach (var c in Configurations)
            foreach (var r in RunsOf(c))
                sb.AppendLine(string.Join(",", keys.Select(k => Csv(c.ValueOf(k) ?? ""))
                    .Concat([r.Run.ToString(CultureInfo.InvariantCulture), r.Seed.ToString(CultureInfo.InvariantCulture), F(r.Seconds)])
                    .Concat(metrics.Select(m => r.Metrics.TryGetValue(m, out double v) ? F(v) : ""))));
        return sb.ToString();
    }

    private string CurvesCsv()
    {
        var sb = new StringBuilder("configuration,run,curve,epoch,value\n");
        foreach (var c in Configurations)
            foreach (var r in RunsOf(c))
                foreach (var (name, values) in r.Curves.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    for (int e = 0; e < values.Length; e++)
                        sb.Append(Csv(c.Id)).Append(',').Append(r.Run).Append(',').Append(Csv(name)).Append(',').Append(e + 1).Append(',').AppendLine(F(values[e]));
        return sb.ToString();
    }

    private string SummaryCsv()
    {
        var sb = new StringBuilder("configuration,metric,n,mean,std,stderr,ci95_low,ci95_high\n");
        foreach (var c in Configurations)
            foreach (string m in MetricNames.Order(StringComparer.Ordinal))
            {
                var s = Summarize(c, m);
                if (s.N == 0) continue;
                sb.AppendLine(string.Join(",", Csv(c.Id), Csv(m), s.N.ToString(CultureInfo.InvariantCulture), F(s.Mean), F(s.Std), F(s.StandardError), F(s.Ci95Low), F(s.Ci95High)));
            }
        return sb.ToString();
    }

    public static void WriteAtomic(string path, string text)
    {
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write(text);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    private static string F(double v) => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);
    private static string Csv(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
    private static JsonArray Array(double[] values) => new(values.Select(Num).ToArray());

    private static JsonObject Object(IEnumerable<(string Key, JsonNode? Value)> items)
    {
        var o = new JsonObject();
        foreach (var (k, v) in items) o[k] = v;
        return o;
    }

    // ---- reading back (merge of shards) ----------------------------------------------------------------

    /// <summary>Reads the runs of a results.json written by <see cref="WriteFiles"/> (for merging shards).</summary>
    public static (JsonObject Root, List<RunResult> Runs) ReadRuns(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException($"{path} is not a JSON object");
        var runs = new List<RunResult>();
        foreach (var node in root["runs"]?.AsArray() ?? throw new InvalidDataException($"{path} has no runs array"))
        {
            var o = node!.AsObject();
            runs.Add(new RunResult
            {
                ConfigurationId = (string)o["configuration"]!,
                Run = (int)o["run"]!,
                Seed = ulong.Parse((string)o["seed"]!, CultureInfo.InvariantCulture),
                Seconds = (double)o["seconds"]!,
                Metrics = o["metrics"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value is null ? double.NaN : (double)kv.Value),
                Curves = o["curves"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.AsArray().Select(v => v is null ? double.NaN : (double)v).ToArray()),
                Series = o["series"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.AsArray().Select(v => v is null ? double.NaN : (double)v).ToArray()),
            });
        }
        return (root, runs);
    }
}

/// <param name="Model">The tune key's value (the model) this trial was for.</param>
public sealed record TuneTrial(string Model, IReadOnlyDictionary<string, string> Settings, string Metric, double Value);

/// <summary>The text of an experiment's result files, rendered at one moment.</summary>
public sealed record ResultFiles(string ResultsJson, string RunsCsv, string CurvesCsv, string SummaryCsv)
{
    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        ResultSet.WriteAtomic(Path.Combine(directory, "results.json"), ResultsJson);
        ResultSet.WriteAtomic(Path.Combine(directory, "runs.csv"), RunsCsv);
        ResultSet.WriteAtomic(Path.Combine(directory, "curves.csv"), CurvesCsv);
        ResultSet.WriteAtomic(Path.Combine(directory, "summary.csv"), SummaryCsv);
    }
}
