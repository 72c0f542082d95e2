// `recurrent gradcheck`: float64 central differences against every analytic gradient of the recurrent layers.
using System.CommandLine;
using System.Text.Json;
using Recurrent.Nn;
using Recurrent.Tensors;

namespace Recurrent.Cli.Commands;

public static class GradcheckCommand
{
    private static readonly string[] Models = ["rnn", "lstm", "gru"];

    // Odd sizes so that no dimension hides another (PyTorch's test_nn uses the same idea).
    private const int Input = 3, Hidden = 5, Steps = 7, Batch = 4;
    private static readonly int[] Lengths = [7, 5, 2, 1];

    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var model = new Option<string>("--model") { Description = "rnn, lstm, gru or all", DefaultValueFactory = _ => "all" };
        model.AcceptOnlyFromAmong([.. Models, "all"]);
        var json = CommonOptions.Json("print the checks as JSON");
        var device = CommonOptions.Device();
        var seed = CommonOptions.Seed("the seed of the layers' weights and of the random inputs", 1);
        var quiet = CommonOptions.Quiet("no note on stderr about the device chosen");
        var cmd = new Command("gradcheck", "Check every analytic gradient against float64 central differences (eps 1e-6, atol 1e-5, rtol 1e-3).\n\n" +
            "Exit code 0 only when every check passes. On an OpenCL device the layers run in float64 there (the device needs\n" +
            "cl_khr_fp64), so the check covers that device's kernels.\n\n" +
            "Examples:\n  recurrent gradcheck\n  recurrent gradcheck --model lstm --json\n  recurrent gradcheck --device opencl --seed 7")
        {
            model, json, device, seed, quiet,
        };
        cmd.SetAction(parse =>
        {
            string chosen = parse.GetValue(model)!;
            ulong seedValue = parse.GetValue(seed);
            // Central differences need one thread's worth of work at a time; the CPU device's threads would only add overhead.
            Device dev = DeviceChoice.Parse(parse.GetValue(device)).Resolve(cpuThreads: 1, parse.GetValue(quiet) ? null : stderr);
            var rows = new List<Row>();
            foreach (string m in chosen == "all" ? Models : [chosen])
                foreach (var (name, layer, lengths) in Configurations(m, dev, seedValue))
                    rows.AddRange(RecurrentGradCheck.Run(layer, Steps, Batch, lengths, seed: seedValue + 1).Select(r => new Row(m, name, r)));
            bool passed = rows.All(r => r.Result.Passed);
            if (parse.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(new
                {
                    passed,
                    eps = GradCheck.DefaultEps,
                    atol = GradCheck.DefaultAtol,
                    rtol = GradCheck.DefaultRtol,
                    device = dev.Name,
                seed = seedValue,
                checks = rows.Select(r => new
                    {
                        model = r.Model,
                        config = r.Config,
                        tensor = r.Result.Name,
                        elements = r.Result.Elements,
                        max_abs_error = r.Result.MaxAbsError,
                        max_rel_error = r.Result.MaxRelError,
                        passed = r.Result.Passed,
                    }),
                }));
            }
            else
            {
                foreach (var group in rows.GroupBy(r => (r.Model, r.Config)))
                {
                    var worst = group.MaxBy(r => r.Result.MaxAbsError)!.Result;
                    bool ok = group.All(r => r.Result.Passed);
                    stdout.WriteLine($"{(ok ? "ok  " : "FAIL")} {group.Key.Model,-5} {group.Key.Config,-44} {group.Count(),3} tensors, max abs error {worst.MaxAbsError:E2} ({worst.Name})");
                    foreach (var bad in group.Where(r => !r.Result.Passed))
                        stdout.WriteLine($"       {bad.Result.Name}: max abs error {bad.Result.MaxAbsError:E2}, max rel {bad.Result.MaxRelError:E2}");
                }
                stdout.WriteLine(passed ? $"all {rows.Count} checks passed" : $"{rows.Count(r => !r.Result.Passed)} of {rows.Count} checks FAILED");
            }
            return passed ? Cli.Success : Cli.Failure;
        });
        return cmd;
    }

    private sealed record Row(string Model, string Config, GradCheckResult Result);

    /// <summary>The option combinations a user most needs covered; the test suite runs all 32 per model.</summary>
    private static IEnumerable<(string Name, RecurrentLayer Layer, int[]? Lengths)> Configurations(string model, Device device, ulong seed)
    {
        var configs = new List<(string, RecurrentOptions, bool)>
        {
            ("default", new RecurrentOptions(), false),
            ("2 layers, bidirectional, lengths", new RecurrentOptions { NumLayers = 2, Bidirectional = true }, true),
            ("batch-first, no bias, lengths", new RecurrentOptions { BatchFirst = true, Bias = false }, true),
            ("2 layers, dropout 0.3", new RecurrentOptions { NumLayers = 2, Dropout = 0.3 }, false),
        };
        if (model == "rnn") configs.Add(("relu, bidirectional", new RecurrentOptions { Nonlinearity = Nonlinearity.Relu, Bidirectional = true }, false));
        if (model == "lstm") configs.Add(("proj_size 2, 2 layers, bidirectional, lengths", new RecurrentOptions { ProjSize = 2, NumLayers = 2, Bidirectional = true }, true));
        foreach (var (name, options, withLengths) in configs)
        {
            RecurrentLayer layer = model switch
            {
                "lstm" => new Lstm(Input, Hidden, options, new Rng(seed), device, DType.Float64),
                "gru" => new Gru(Input, Hidden, options, new Rng(seed), device, DType.Float64),
                _ => new Rnn(Input, Hidden, options, new Rng(seed), device, DType.Float64),
            };
            yield return (name, layer, withLengths ? Lengths : null);
        }
    }
}
