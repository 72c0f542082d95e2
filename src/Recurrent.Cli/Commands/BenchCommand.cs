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
