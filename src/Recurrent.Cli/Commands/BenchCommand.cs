// `recurrent bench gemm|cell|step`: kernel and training-step timings on each --device, as a table or JSON.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Recurrent.Nn;
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;
using Spectre.Console;

namespace Recurrent.Cli.Commands;

public static class BenchCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var bench = new Command("bench", "Time the kernels: GEMM, the fused cell pointwise pass, a whole training step; on one device or all (with the CPU/OpenCL ratio).\n\n" +
            "Examples:\n  recurrent bench gemm --size 1024\n  recurrent bench cell --cell gru --batch 64 --hidden 256 --device all\n  recurrent bench step --cell lstm --json");
        bench.Subcommands.Add(BuildGemm(stdout, stderr));
        bench.Subcommands.Add(BuildCell(stdout, stderr));
        bench.Subcommands.Add(BuildStep(stdout, stderr));
        return bench;
    }

    /// <summary>One device's timing: its label, the numbers for the table (time first), and the JSON object's fields.</summary>
    private sealed record Row(Device Device, double Milliseconds, double Gflops, string Note, Dictionary<string, object> Json);

    private static Command BuildGemm(TextWriter stdout, TextWriter stderr)
    {
        var size = CommonOptions.Int("--size", "M = N = K of the square SGEMM", 1, 16384, 1024);
        var m = CommonOptions.OptionalInt("--m", "rows of C (overrides --size)", 1, 16384, "M");
        var n = CommonOptions.OptionalInt("--n", "columns of C (overrides --size)", 1, 16384, "N");
        var k = CommonOptions.OptionalInt("--k", "inner dimension (overrides --size)", 1, 16384, "K");
        var threads = CommonOptions.Threads("CPU threads");
        var transB = new Option<bool>("--trans-b") { Description = "multiply by Bᵀ (the layout of a forward x·Wᵀ)" };
        var device = CommonOptions.Device(allowAll: true);
        var json = CommonOptions.Json("print one JSON object per device instead of the table");
        var quiet = CommonOptions.Quiet("no notes on stderr (which device --device auto chose)");

        var cmd = new Command("gemm", "Time float32 GEMM C = A·B (or A·Bᵀ): best of repeated calls after a warm-up, as GFLOP/s (2·M·N·K per call).\n\n" +
            "Examples:\n  recurrent bench gemm --size 1024 --threads 2\n  recurrent bench gemm --m 64 --n 512 --k 128 --trans-b --json\n  recurrent bench gemm --device all")
        {
            size, m, n, k, threads, transB, device, json, quiet,
        };
        cmd.SetAction(parse =>
        {
            int s = parse.GetValue(size);
            int mm = parse.GetValue(m) ?? s, nn = parse.GetValue(n) ?? s, kk = parse.GetValue(k) ?? s;
            int t = parse.GetValue(threads);
            bool tb = parse.GetValue(transB);
            var rows = Devices(parse, device, t, parse.GetValue(quiet) ? null : stderr).Select(d =>
            {
                var r = TimeGemm(mm, nn, kk, d, tb);
                return new Row(d, r.Milliseconds, r.Gflops, $"best of {r.Repetitions}", new Dictionary<string, object>
                {
                    ["m"] = mm, ["n"] = nn, ["k"] = kk, ["threads"] = t, ["gflops"] = Math.Round(r.Gflops, 2), ["ms"] = Math.Round(r.Milliseconds, 4),
                });
            }).ToList();
            Report(stdout, parse.GetValue(json), $"sgemm m={mm} n={nn} k={kk}{(tb ? " (A·Bᵀ)" : "")} threads={t} simd={SimdCaps.Best}", "ms per call", rows);
            return Cli.Success;
        });
        return cmd;
    }

    private static Command BuildCell(TextWriter stdout, TextWriter stderr)
    {
        var cell = CommonOptions.Choice("--cell", "the cell whose pointwise kernels to time", "lstm", "lstm", "gru", "rnn");
        var batch = CommonOptions.Int("--batch", "batch size B", 1, 1 << 20, 32, "B");
        var hidden = CommonOptions.Int("--hidden", "hidden size H", 1, 1 << 20, 128, "H");
        var threads = CommonOptions.Threads("CPU threads");
        var seconds = CommonOptions.Double("--seconds", "how long to time each device", 0, 600, 1, minExclusive: true, helpName: "S");
        var device = CommonOptions.Device(allowAll: true);
        var json = CommonOptions.Json("print one JSON object per device instead of the table");
        var quiet = CommonOptions.Quiet("no notes on stderr (which device --device auto chose)");
        var cmd = new Command("cell", "Time one time step's fused cell pointwise pass, forward then backward, without the GEMMs: LSTM gates [B, 4H], GRU [B, 3H], " +
            "RNN tanh [B, H]. GFLOP/s counts nominal FLOPs (LSTM 32, GRU 34, RNN 4 per unit, a sigmoid or tanh as one); GB/s the bytes each kernel must move.\n\n" +
            "Examples:\n  recurrent bench cell\n  recurrent bench cell --cell gru --batch 64 --hidden 512 --device all\n  recurrent bench cell --cell rnn --hidden 1024 --threads 1 --json")
        {
            cell, batch, hidden, threads, seconds, device, json, quiet,
        };
        cmd.SetAction(parse =>
        {
            string name = parse.GetValue(cell)!;
            var kind = Kind(name);
            int b = parse.GetValue(batch), h = parse.GetValue(hidden), t = parse.GetValue(threads);
            var rows = Devices(parse, device, t, parse.GetValue(quiet) ? null : stderr).Select(d =>
            {
                using var bench = new CellBench(kind, b, h, d);
                var r = bench.Measure(parse.GetValue(seconds));
                return new Row(d, r.Microseconds / 1e3, r.Gflops, $"{r.GigabytesPerSecond:F1} GB/s", new Dictionary<string, object>
                {
                    ["cell"] = name, ["batch"] = b, ["hidden"] = h, ["threads"] = t,
                    ["us_per_step"] = Math.Round(r.Microseconds, 4), ["gflops"] = Math.Round(r.Gflops, 3), ["gbytes_per_s"] = Math.Round(r.GigabytesPerSecond, 3),
                });
            }).ToList();
            Report(stdout, parse.GetValue(json), $"{name} cell pointwise forward + backward, B={b} H={h} threads={t}", "ms per step", rows);
            return Cli.Success;
        });
        return cmd;
    }

    private static Command BuildStep(TextWriter stdout, TextWriter stderr)
    {
        var cell = CommonOptions.Choice("--cell", "the recurrent layer", "lstm", "lstm", "gru", "rnn");
        var batch = CommonOptions.Int("--batch", "batch size B", 1, 65536, 32, "B");
        var input = CommonOptions.Int("--input", "input size I (and the head's output size)", 1, 65536, 5, "I");
        var hidden = CommonOptions.Int("--hidden", "hidden size H", 1, 65536, 32, "H");
        var seqLen = CommonOptions.Int("--seq-len", "sequence length T", 1, 65536, 40, "T");
        var threads = CommonOptions.Threads("CPU threads");
        var seconds = CommonOptions.Double("--seconds", "how long to time each device", 0, 600, 2, minExclusive: true, helpName: "S");
        var device = CommonOptions.Device(allowAll: true);
        var json = CommonOptions.Json("print one JSON object per device instead of the table");
        var quiet = CommonOptions.Quiet("no notes on stderr (which device --device auto chose)");
        var cmd = new Command("step", "Time one training step: batch-first [B, T, I] → recurrent layer → Linear(H → I) on every step → MSE → backward → Adam.\n\n" +
            "Examples:\n  recurrent bench step --cell lstm --batch 32 --input 5 --hidden 32 --seq-len 40\n  recurrent bench step --cell gru --batch 64 --input 128 --hidden 128 --seq-len 100 --threads 2 --json")
        {
            cell, batch, input, hidden, seqLen, threads, seconds, device, json, quiet,
        };
        cmd.SetAction(parse =>
        {
            string name = parse.GetValue(cell)!;
            int t = parse.GetValue(threads);
            StepBench? shape = null;
            var rows = Devices(parse, device, t, parse.GetValue(quiet) ? null : stderr).Select(d =>
            {
                var bench = shape = new StepBench(Kind(name), parse.GetValue(batch), parse.GetValue(input), parse.GetValue(hidden), parse.GetValue(seqLen), d);
                var r = bench.Measure(parse.GetValue(seconds));
                string launches = r.LaunchesPerStep is double l ? $", {l:F0} launches and {r.HostWaitsPerStep:0.##} waits per step" : "";
                var fields = new Dictionary<string, object>
                {
                    ["cell"] = name, ["batch"] = bench.Batch, ["input"] = bench.Input, ["hidden"] = bench.Hidden, ["seq_len"] = bench.Steps, ["threads"] = t,
                    ["ms_per_step"] = Math.Round(r.MillisecondsPerStep, 4), ["gflops"] = Math.Round(r.Gflops, 2), ["alloc_bytes_per_step"] = r.AllocatedBytesPerStep,
                    ["pipelined_ms_per_step"] = Math.Round(r.PipelinedMilliseconds, 4), ["cpu_ms_per_step"] = Math.Round(r.CpuMilliseconds, 4),
                };
                if (r.LaunchesPerStep is double perStep) fields["launches_per_step"] = Math.Round(perStep, 1);
                if (r.HostWaitsPerStep is double waits) fields["host_waits_per_step"] = Math.Round(waits, 3);
                return new Row(d, r.MillisecondsPerStep, r.Gflops,
                    $"pipelined {r.PipelinedMilliseconds:F3} ms, process CPU {r.CpuMilliseconds:F3} ms{launches}; {r.AllocatedBytesPerStep} B allocated, loss {r.Loss:F4}", fields);
            }).ToList();
            Report(stdout, parse.GetValue(json), $"{name} training step B={shape!.Batch} I={shape.Input} H={shape.Hidden} T={shape.Steps} threads={t} " +
                "(median of steps each read back; pipelined: steps queued back to back, one wait at the end; process CPU: all threads, per pipelined step)", "ms per step", rows);
            return Cli.Success;
        });
        return cmd;
    }

    private static CellKind Kind(string name) => name switch { "gru" => CellKind.Gru, "rnn" => CellKind.Rnn, _ => CellKind.Lstm };

    private static IReadOnlyList<Device> Devices(ParseResult parse, Option<string> device, int threads, TextWriter? notes) =>
        DeviceChoice.Parse(parse.GetValue(device), allowAll: true).ResolveAll(threads, notes);

    /// <summary>
    /// JSON: one object per device (one line each), the command's fields plus "device" (and "cpu_ratio", CPU time over
    /// this device's, when several were timed). Text: a table with time, GFLOP/s and that ratio.
    /// </summary>
    private static void Report(TextWriter stdout, bool json, string title, string timeHeader, IReadOnlyList<Row> rows)
    {
        double? cpuMs = rows.Count > 1 ? rows.FirstOrDefault(r => r.Device.Kind == DeviceKind.Cpu)?.Milliseconds : null;
        if (json)
        {
            foreach (var r in rows)
            {
                var fields = new Dictionary<string, object>(r.Json) { ["device"] = r.Device.Name };
                if (cpuMs is double c) fields["cpu_ratio"] = Math.Round(c / r.Milliseconds, 3);
                stdout.WriteLine(JsonSerializer.Serialize(fields));
            }
            return;
        }
        var console = Console(stdout);
        console.WriteLine(title); // above the table, not its title: a title wraps to the table's width
        var table = new Table();
        table.AddColumn("device");
        table.AddColumn(new TableColumn(Markup.Escape(timeHeader)).RightAligned());
        table.AddColumn(new TableColumn("GFLOP/s").RightAligned());
        if (cpuMs is not null) table.AddColumn(new TableColumn("CPU time / this").RightAligned());
        table.AddColumn("");
        foreach (var r in rows)
        {
            var cells = new List<string> { Markup.Escape(r.Device.Name), r.Milliseconds.ToString("F4", CultureInfo.InvariantCulture), r.Gflops.ToString("F2", CultureInfo.InvariantCulture) };
            if (cpuMs is double c) cells.Add((c / r.Milliseconds).ToString("F2", CultureInfo.InvariantCulture) + "×");
            cells.Add(Markup.Escape(r.Note));
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
    }

    /// <summary>A Spectre console on <paramref name="writer"/>: colours only on a terminal, plain text into files, pipes and tests.</summary>
    internal static IAnsiConsole Console(TextWriter writer)
    {
        bool terminal = ReferenceEquals(writer, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal) console.Profile.Width = 160; // a file gets whole lines, not an 80-column wrap
        return console;
    }

    public readonly record struct GemmTiming(double Gflops, double Milliseconds, int Repetitions);

    /// <summary>Best time over repetitions after a warm-up, for about half a second of work (on a CPU device with its threads).</summary>
    public static GemmTiming TimeGemm(int m, int n, int k, int threads, bool transB) => TimeGemm(m, n, k, new CpuDevice(threads), transB);

    /// <summary>Best time over repetitions after a warm-up, for about half a second of work; the device is synchronized after each call.</summary>
    public static GemmTiming TimeGemm(int m, int n, int k, Device device, bool transB)
    {
        var rng = new Rng(1);
        using var a = Random(rng, device, m, k);
        using var b = Random(rng, device, transB ? n : k, transB ? k : n);
        using var c = Tensor.Zeros([m, n], DType.Float32, device);
        double flops = 2.0 * m * n * k;
        device.Gemm(a, false, b, transB, c); // warm-up: JIT and packing buffers
        device.Synchronize();
        int threads = device is CpuDevice cpu ? cpu.Threads : 1;
        int reps = (int)Math.Clamp(0.5e9 * threads * 50 / flops, 3, 10_000);
        double best = double.MaxValue;
        var watch = new Stopwatch();
        for (int r = 0; r < reps; r++)
        {
            watch.Restart();
            device.Gemm(a, false, b, transB, c);
            device.Synchronize();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return new GemmTiming(flops / best / 1e9, best * 1e3, reps);
    }

    /// <summary>U(-1, 1) values made on the host and written to the device.</summary>
    private static Tensor Random(Rng rng, Device device, int rows, int cols)
    {
        var values = new float[(long)rows * cols];
        for (int i = 0; i < values.Length; i++) values[i] = (float)rng.Uniform(-1, 1);
        return Tensor.From<float>(values, [rows, cols], device);
    }
}
