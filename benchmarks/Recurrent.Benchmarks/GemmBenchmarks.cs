// BenchmarkDotNet: square SGEMM (and DGEMM) at 64..1024 with 1 and 2 threads, plus the RNN forward shape x·Wᵀ.
using BenchmarkDotNet.Attributes;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Benchmarks;

/// <summary>`dotnet run -c Release --project benchmarks/Recurrent.Benchmarks -- --filter *GemmBenchmarks*`.
/// Operations per invoke = 2·n³ FLOP; divide to get GFLOP/s (gemm-table prints those directly).</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    [Params(64, 128, 256, 512, 1024)]
    public int Size { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    float[] _a = [], _b = [], _c = [];
    double[] _ad = [], _bd = [], _cd = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        int count = Size * Size;
        _a = new float[count]; _b = new float[count]; _c = new float[count];
        _ad = new double[count]; _bd = new double[count]; _cd = new double[count];
        for (int i = 0; i < count; i++)
        {
            _a[i] = (float)(_ad[i] = rng.NextDouble() * 2 - 1);
            _b[i] = (float)(_bd[i] = rng.NextDouble() * 2 - 1);
        }
    }

    [Benchmark(Baseline = true)]
    public void SgemmNN() => Gemm.Run(false, false, Size, Size, Size, 1f, _a, Size, _b, Size, 0f, _c, Size, Threads);

    [Benchmark]
    public void SgemmNT() => Gemm.Run(false, true, Size, Size, Size, 1f, _a, Size, _b, Size, 0f, _c, Size, Threads);

    [Benchmark]
    public void SgemmTN() => Gemm.Run(true, false, Size, Size, Size, 1f, _a, Size, _b, Size, 0f, _c, Size, Threads);

    [Benchmark]
    public void DgemmNN() => Gemm.Run(false, false, Size, Size, Size, 1.0, _ad, Size, _bd, Size, 0.0, _cd, Size, Threads);
}
