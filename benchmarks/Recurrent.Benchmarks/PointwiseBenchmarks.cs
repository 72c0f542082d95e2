// Our pointwise CPU kernels beside System.Numerics.Tensors.TensorPrimitives doing the same operation, 1M floats.
using System.Diagnostics;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Benchmarks;

/// <summary>
/// One category per operation; TensorPrimitives is the baseline of each, so the Ratio column reads
/// "ours / TensorPrimitives" (below 1 = ours faster). Inputs are uniform in [−5, 5] (both tanh branches, no
/// overflow); Softmax is 1000 rows × 1000 columns, TensorPrimitives.SoftMax called once per row.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PointwiseBenchmarks
{
    private const int N = 1 << 20, Rows = 1000, Cols = 1000;
    private float[] _a = null!, _b = null!, _y = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _a = new float[N]; _b = new float[N]; _y = new float[N];
        for (int i = 0; i < N; i++)
        {
            _a[i] = (float)(rng.NextDouble() * 10 - 5);
            _b[i] = (float)(rng.NextDouble() * 10 - 5);
        }
    }

    [BenchmarkCategory("Add"), Benchmark] public void Add() => CpuKernels.Add<float>(_a, _b, _y);
    [BenchmarkCategory("Add"), Benchmark(Baseline = true)] public void TP_Add() => TensorPrimitives.Add(_a, _b, _y);

    [BenchmarkCategory("Mul"), Benchmark] public void Mul() => CpuKernels.Mul<float>(_a, _b, _y);
    [BenchmarkCategory("Mul"), Benchmark(Baseline = true)] public void TP_Mul() => TensorPrimitives.Multiply(_a, _b, _y);

    // y += alpha·x in place on both sides (TensorPrimitives allows the destination to be the addend).
    [BenchmarkCategory("Axpy"), Benchmark] public void Axpy() => CpuKernels.Axpy(1e-6f, _a, _y);
    [BenchmarkCategory("Axpy"), Benchmark(Baseline = true)] public void TP_MultiplyAdd() => TensorPrimitives.MultiplyAdd(_a, 1e-6f, _y, _y);

    [BenchmarkCategory("Sigmoid"), Benchmark] public void Sigmoid() => CpuKernels.Sigmoid<float>(_a, _y);
    [BenchmarkCategory("Sigmoid"), Benchmark(Baseline = true)] public void TP_Sigmoid() => TensorPrimitives.Sigmoid(_a, _y);

    [BenchmarkCategory("Tanh"), Benchmark] public void Tanh() => CpuKernels.Tanh<float>(_a, _y);
    [BenchmarkCategory("Tanh"), Benchmark(Baseline = true)] public void TP_Tanh() => TensorPrimitives.Tanh(_a, _y);

    [BenchmarkCategory("Relu"), Benchmark] public void Relu() => CpuKernels.Relu<float>(_a, _y);
    [BenchmarkCategory("Relu"), Benchmark(Baseline = true)] public void TP_Max0() => TensorPrimitives.Max(_a, 0f, _y);

    [BenchmarkCategory("Softmax"), Benchmark] public void Softmax() => CpuKernels.Softmax<float>(_a.AsSpan(0, Rows * Cols), Rows, Cols, _y);
    [BenchmarkCategory("Softmax"), Benchmark(Baseline = true)]
    public void TP_SoftMaxPerRow()
    {
        for (int r = 0; r < Rows; r++)
            TensorPrimitives.SoftMax(_a.AsSpan(r * Cols, Cols), _y.AsSpan(r * Cols, Cols));
    }

    [BenchmarkCategory("Sum"), Benchmark] public float Sum() => CpuKernels.Sum<float>(_a);
    [BenchmarkCategory("Sum"), Benchmark(Baseline = true)] public float TP_Sum() => TensorPrimitives.Sum<float>(_a);

    [BenchmarkCategory("Max"), Benchmark] public float Max() => CpuKernels.Max<float>(_a);
    [BenchmarkCategory("Max"), Benchmark(Baseline = true)] public float TP_Max() => TensorPrimitives.Max<float>(_a);

    [BenchmarkCategory("L2Norm"), Benchmark] public float L2Norm() => CpuKernels.L2Norm<float>(_a);
    [BenchmarkCategory("L2Norm"), Benchmark(Baseline = true)] public float TP_Norm() => TensorPrimitives.Norm<float>(_a);

    /// <summary>
    /// The same pairs timed interleaved in one process — ours, TensorPrimitives, ours, … — keeping each side's
    /// fastest round. On a machine shared with other jobs, load only ever adds time, so min-of-rounds taken side by
    /// side is a steadier ratio than BenchmarkDotNet's separate processes minutes apart. Returns the markdown rows.
    /// </summary>
    public static string InterleavedTable(int rounds = 25, int repsPerRound = 20)
    {
        var b = new PointwiseBenchmarks();
        b.Setup();
        (string Op, Action Ours, Action Tp)[] pairs =
        [
            ("Add", b.Add, b.TP_Add), ("Mul", b.Mul, b.TP_Mul), ("Axpy", b.Axpy, b.TP_MultiplyAdd),
            ("Sigmoid", b.Sigmoid, b.TP_Sigmoid), ("Tanh", b.Tanh, b.TP_Tanh), ("Relu", b.Relu, b.TP_Max0),
            ("Softmax", b.Softmax, b.TP_SoftMaxPerRow), ("Sum", () => b.Sum(), () => b.TP_Sum()),
            ("Max", () => b.Max(), () => b.TP_Max()), ("L2Norm", () => b.L2Norm(), () => b.TP_Norm()),
        ];
        var sb = new System.Text.StringBuilder("| Operation | Ours (µs) | TensorPrimitives (µs) | Ratio ours/TP |\n|---|---:|---:|---:|\n");
        // Reach final tier-1 code on both sides before timing anything: call everything, then give the background
        // tiering thread time (it waits while new methods keep being jitted), twice. Without this a kernel can be
        // timed in its on-stack-replacement version (measured: Sum 60 µs instead of 43 µs).
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (var (_, ours, tp) in pairs)
                for (int i = 0; i < 60; i++) { ours(); tp(); }
            Thread.Sleep(1000);
        }
        foreach (var (op, ours, tp) in pairs)
        {
            double bestOurs = double.MaxValue, bestTp = double.MaxValue;
            for (int r = 0; r < rounds; r++)
            {
                bestOurs = Math.Min(bestOurs, Time(ours, repsPerRound));
                bestTp = Math.Min(bestTp, Time(tp, repsPerRound));
            }
            sb.Append($"| {op} | {bestOurs:F1} | {bestTp:F1} | {bestOurs / bestTp:F2} |\n");
        }
        return sb.ToString();

        static double Time(Action f, int reps)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < reps; i++) f();
            return Stopwatch.GetElapsedTime(t0).TotalMicroseconds / reps;
        }
    }
}
