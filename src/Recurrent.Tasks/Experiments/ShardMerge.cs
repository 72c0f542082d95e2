// Merging the outputs of `recurrent run --shard i/n` into the result set the unsharded run would have written.
using System.Globalization;
using System.Text.Json.Nodes;

namespace Recurrent.Tasks.Experiments;

public static class ShardMerge
{
    /// <summary>
    /// Reads each folder's results.json, checks they come from the same experiment, settings, seed and run count, and
    /// joins their runs. Runs are identical to an unsharded run's because a run's seed depends only on the base seed,
    /// the configuration and the run index. Throws InvalidDataException naming the folder that does not fit.
    /// </summary>
    public static (Experiment Experiment, ResultSet Results) Merge(IReadOnlyList<string> folders)
    {
        if (folders.Count == 0) throw new ArgumentException("give at least one folder written by `recurrent run --shard`", nameof(folders));
        JsonObject? first = null;
        Experiment? experiment = null;
        ResultSet? merged = null;
        var seen = new HashSet<(string, int)>();
        foreach (string folder in folders)
        {
            string path = Path.Combine(folder, "results.json");
            if (!File.Exists(path)) throw new FileNotFoundException($"{folder} has no results.json (is it the --out folder of a shard?)", path);
            var (root, runs) = ResultSet.ReadRuns(path);
            if (first is null)
            {
                first = root;
                string name = (string?)root["experiment"] ?? throw new InvalidDataException($"{path} names no experiment");
                experiment = ExperimentCatalog.Find(name) ?? throw new InvalidDataException($"{path}: unknown experiment '{name}'");
                var settingsValues = root["settings"]!.AsObject().ToDictionary(kv => kv.Key, kv => (string)kv.Value!);
                var settings = new Settings(experiment.Parameters, settingsValues);
                merged = new ResultSet
                {
                    Experiment = experiment.Name,
                    Source = experiment.Source,
                    Settings = settings.Values,
                    Configurations = experiment.Configurations(settings),
                    BaseSeed = ulong.Parse((string)root["seed"]!, CultureInfo.InvariantCulture),
                    RunsPerConfiguration = (int)root["runs_per_configuration"]!,
                };
                foreach (var (model, chosen) in root["tuned"]!.AsObject())
                    merged.Tuned[model] = chosen!.AsObject().ToDictionary(kv => kv.Key, kv => (string)kv.Value!);
            }
            else
            {
                foreach (string key in new[] { "experiment", "seed", "runs_per_configuration", "settings", "tuned" })
                    if (!JsonNode.DeepEquals(first[key], root[key]))
                        throw new InvalidDataException($"{path}: its {key} differs from {Path.Combine(folders[0], "results.json")}'s; only shards of one run can be merged");
            }
            foreach (var r in runs)
            {
                if (!seen.Add((r.ConfigurationId, r.Run)))
                    throw new InvalidDataException($"{path}: {r.ConfigurationId} run {r.Run} appears in more than one shard");
                merged!.Runs.Add(r);
            }
        }
        return (experiment!, merged!);
    }
}
