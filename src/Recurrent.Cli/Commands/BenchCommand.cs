// `recurrent bench …`: kernel timings (GEMM now; cells and whole training steps join later).
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Cli.Commands;

public static class BenchCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var bench = new Command("bench", "Time the kernels.");
        bench.Subcommands.Add(BuildGemm(stdout, stderr));
        bench.Subcommands.Add(BuildStep(stdout, stderr));
        return bench;
    }

    private static Command BuildGemm(TextWriter stdout, TextWriter stderr)
    {
        var size = new Option<int>("--size") { Description = "M = N = K of the square SGEMM", DefaultValueFactory = _ => 1024 };
        size.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 16384) r.AddError($"--size must be in 1..16384; got {r.GetValueOrDefault<int>()}"); });
        var m = new Option<int?>("--m") { Description = "rows of C (overrides --size)" };
        var n = new Option<int?>("--n") { Description = "columns of C (overrides --size)" };
        var k = new Option<int?>("--k") { Description = "inner dimension (overrides --size)" };
        foreach (var o in new[] { m, n, k })
        {
            var opt = o;
            opt.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1 or > 16384) r.AddError($"{opt.Name} must be in 1..16384; got {r.GetValueOrDefault<int?>()}"); });
        }
        var threads = new Option<int>("--threads") { Description = "threads (default: every core)", DefaultValueFactory = _ => Environment.ProcessorCount };
        threads.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1024) r.AddError($"--threads must be in 1..1024; got {r.GetValueOrDefault<int>()}"); });
        var transB = new Option<bool>("--trans-b") { Description = "multiply by Bᵀ (the layout of a forward x·Wᵀ)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object instead of text" };

        var cmd = new Command("gemm", "Time float32 GEMM and print GFLOP/s.\n\nExamples:\n  recurrent bench gemm --size 1024 --threads 2\n  recurrent bench gemm --m 64 --n 512 --k 128 --trans-b --json")
        {
            size, m, n, k, threads, transB, json,
        };
        cmd.SetAction(parse =>
        {
            int s = parse.GetValue(size);
            int mm = parse.GetValue(m) ?? s, nn = parse.GetValue(n) ?? s, kk = parse.GetValue(k) ?? s;
            int t = parse.GetValue(threads);
            var result = TimeGemm(mm, nn, kk, t, parse.GetValue(transB));
            if (parse.GetValue(json))
                stdout.WriteLine(JsonSerializer.Serialize(new { m = mm, n = nn, k = kk, threads = t, gflops = Math.Round(result.Gflops, 2) }));
            else
                stdout.WriteLine($"sgemm m={mm} n={nn} k={kk} threads={t} simd={SimdCaps.Best}: {result.Gflops:F1} GFLOP/s ({result.Milliseconds:F3} ms per call, best of {result.Repetitions})");
            return Cli.Success;
        });
        return cmd;
    }

    private static Command BuildStep(TextWriter stdout, TextWriter stderr)
    {
        var cell = new Option<string>("--cell") { Description = "lstm, gru or rnn", DefaultValueFactory = _ => "lstm" };
        cell.AcceptOnlyFromAmong("lstm", "gru", "rnn");
        Option<int> Size(string name, int value, string what)
        {
            var o = new Option<int>(name) { Description = what, DefaultValueFactory = _ => value };
            o.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 65536) r.AddError($"{name} must be in 1..65536; got {r.GetValueOrDefault<int>()}"); });
            return o;
        }
        var batch = Size("--batch", 32, "batch size B");
        var input = Size("--input", 5, "input size I (and the head's output size)");
        var hidden = Size("--hidden", 32, "hidden size H");
        var seqLen = Size("--seq-len", 40, "sequence length T");
        var threads = Size("--threads", Environment.ProcessorCount, "threads (default: every core)");
        var seconds = new Option<double>("--seconds") { Description = "how long to time", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "print one JSON object instead of text" };
        var cmd = new Command("step", "Time one training step: batch-first [B, T, I] → recurrent layer → Linear(H → I) on every step → MSE → backward → Adam.\n\n" +
            "Examples:\n  recurrent bench step --cell lstm --batch 32 --input 5 --hidden 32 --seq-len 40\n  recurrent bench step --cell gru --batch 64 --input 128 --hidden 128 --seq-len 100 --threads 2 --json")
        {
            cell, batch, input, hidden, seqLen, threads, seconds, json,
        };
        cmd.SetAction(parse =>
        {
            var kind = parse.GetValue(cell) switch { "gru" => Recurrent.Nn.CellKind.Gru, "rnn" => Recurrent.Nn.CellKind.Rnn, _ => Recurrent.Nn.CellKind.Lstm };
            int t = parse.GetValue(threads);
            var bench = new StepBench(kind, parse.GetValue(batch), parse.GetValue(input), parse.GetValue(hidden), parse.GetValue(seqLen), new CpuDevice(t));
            var r = bench.Measure(parse.GetValue(seconds));
            if (parse.GetValue(json))
                stdout.WriteLine(JsonSerializer.Serialize(new
                {
                    cell = parse.GetValue(cell), batch = bench.Batch, input = bench.Input, hidden = bench.Hidden, seq_len = bench.Steps, threads = t,
                    ms_per_step = Math.Round(r.MillisecondsPerStep, 4), gflops = Math.Round(r.Gflops, 2), alloc_bytes_per_step = r.AllocatedBytesPerStep,
                }));
            else
                stdout.WriteLine($"{parse.GetValue(cell)} B={bench.Batch} I={bench.Input} H={bench.Hidden} T={bench.Steps} threads={t}: " +
                    $"{r.MillisecondsPerStep:F3} ms per step (median of {r.Steps}), {r.Gflops:F1} GFLOP/s, {r.AllocatedBytesPerStep} bytes allocated per step, loss {r.Loss:F4}");
            return Cli.Success;
        });
        return cmd;
    }

    public readonly record struct GemmTiming(double Gflops, double Milliseconds, int Repetitions);

    /// <summary>Best time over repetitions after a warm-up, for about half a second of work.</summary>
    public static GemmTiming TimeGemm(int m, int n, int k, int threads, bool transB)
    {
        var device = new CpuDevice(threads);
        var rng = new Rng(1);
        using var a = Tensor.Zeros([m, k], DType.Float32, device);
        using var b = Tensor.Zeros(transB ? [n, k] : [k, n], DType.Float32, device);
        using var c = Tensor.Zeros([m, n], DType.Float32, device);
        rng.FillUniform(a, -1, 1);
        rng.FillUniform(b, -1, 1);
        double flops = 2.0 * m * n * k;
        device.Gemm(a, false, b, transB, c); // warm-up: JIT and packing buffers
        int reps = (int)Math.Clamp(0.5e9 * threads * 50 / flops, 3, 10_000);
        double best = double.MaxValue;
        var watch = new Stopwatch();
        for (int r = 0; r < reps; r++)
        {
            watch.Restart();
            device.Gemm(a, false, b, transB, c);
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return new GemmTiming(flops / best / 1e9, best * 1e3, reps);
    }
}
