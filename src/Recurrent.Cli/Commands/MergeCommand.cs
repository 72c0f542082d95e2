// `recurrent merge DIR…`: shard outputs of one run joined into one results set, with its figures.
using System.CommandLine;
using Recurrent.Tasks.Experiments;

namespace Recurrent.Cli.Commands;

public static class MergeCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var folders = new Argument<string[]>("folders") { Description = "the --out folders of the shards", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "where the merged results and figures go", Required = true, HelpName = "DIR" };
        var json = CommonOptions.Json("print the summary as one JSON object on stdout (as `recurrent run --json` does)");
        var cmd = new Command("merge", "Join the outputs of `recurrent run NAME --shard i/n` (i = 1…n) into the results an unsharded run writes.\n\n" +
            "Examples:\n  recurrent merge runs/shard-1 runs/shard-2 runs/shard-3 --out runs/copy-delay\n  recurrent merge runs/part-* --out runs/all")
        {
            folders, output, json,
        };
        cmd.SetAction(parse =>
        {
            var (experiment, results) = ShardMerge.Merge(parse.GetValue(folders)!);
            string outDir = parse.GetValue(output)!;
            results.WriteFiles(outDir);
            var figures = experiment.WriteFigures(results, outDir);
            int expected = results.Configurations.Count * results.RunsPerConfiguration;
            if (results.Runs.Count < expected)
                stderr.WriteLine($"warning: {results.Runs.Count} of {expected} runs present; a shard is missing or unfinished");
            bool asJson = parse.GetValue(json);
            RunCommand.WriteResults(results, experiment, outDir, figures, asJson ? stdout : null, asJson ? stderr : stdout);
            return Cli.Success;
        });
        return cmd;
    }
}
