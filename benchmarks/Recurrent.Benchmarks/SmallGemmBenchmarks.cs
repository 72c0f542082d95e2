// SmallGemm (op(B) packed once) against Gemm.Run (packs both operands per call) at the recurrent step shapes.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Attributes;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Benchmarks;

/// <summary>BenchmarkDotNet view (`--filter *SmallGemm*`): the LSTM step products at batch 32, hidden H.</summary>
[MemoryDiagnoser]
public class SmallGemmBenchmarks
{
    [Params(32, 128, 512)] public int Hidden;
    [Params(32)] public int Batch;
    float[] _h = [], _w = [], _g = [], _dg = [], _dh = [], _packedT = [], _packedN = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        int h = Hidden, g = 4 * Hidden;
        _h = SmallGemmTable.Fill(rng, Batch * h);
        _w = SmallGemmTable.Fill(rng, g * h);
        _g = new float[Batch * g];
        _dg = SmallGemmTable.Fill(rng, Batch * g);
        _dh = new float[Batch * h];
        _packedT = new float[SmallGemm.PackedLength(h, g)];
        _packedN = new float[SmallGemm.PackedLength(g, h)];
        SmallGemm.PackB<float>(true, h, g, _w, h, _packedT);
        SmallGemm.PackB<float>(false, g, h, _w, h, _packedN);
    }

    [Benchmark(Baseline = true)] public void ForwardGemm() => Gemm.Run(false, true, Batch, 4 * Hidden, Hidden, 1f, _h, Hidden, _w, Hidden, 1f, _g, 4 * Hidden);
    [Benchmark] public void ForwardSmall() => SmallGemm.Run(Batch, 4 * Hidden, Hidden, 1f, _h, Hidden, _packedT, 1f, _g, 4 * Hidden);
    [Benchmark] public void BackwardGemm() => Gemm.Run(false, false, Batch, Hidden, 4 * Hidden, 1f, _dg, 4 * Hidden, _w, Hidden, 0f, _dh, Hidden);
    [Benchmark] public void BackwardSmall() => SmallGemm.Run(Batch, Hidden, 4 * Hidden, 1f, _dg, 4 * Hidden, _packedN, 0f, _dh, Hidden);
    [Benchmark] public void PackForward() => SmallGemm.PackB<float>(true, Hidden, 4 * Hidden, _w, Hidden, _packedT);
    [Benchmark] public void PackBackward() => SmallGemm.PackB<float>(false, 4 * Hidden, Hidden, _w, Hidden, _packedN);
}

/// <summary>
/// CPU-time table for a shared, loaded machine: for each shape, rounds of ~20 ms batches alternate between Gemm.Run
/// and SmallGemm.Run, each batch timed by the thread's CPU time (clock_gettime, so time spent descheduled does not
/// count) and by wall clock; the table gives the minimum over rounds of each, per call, plus PackB's cost.
/// Call <see cref="Run"/> from any entry point (it takes `--rounds N`, and `--batch M` and `--hidden H`, repeatable;
/// default M = 32, 64 and H = 32 … 512).
/// </summary>
public static class SmallGemmTable
{
    static readonly int[] Batches = [32, 64];
    static readonly int[] Hiddens = [32, 64, 128, 256, 512];

    public static int Run(string[] args)
    {
        int rounds = 15;
        int ri = Array.IndexOf(args, "--rounds");
        if (ri >= 0 && ri + 1 < args.Length) rounds = int.Parse(args[ri + 1], CultureInfo.InvariantCulture);
        var batches = args.Select((x, i) => (x, i)).Where(p => p.x == "--batch" && p.i + 1 < args.Length)
            .Select(p => int.Parse(args[p.i + 1], CultureInfo.InvariantCulture)).ToList();
        if (batches.Count == 0) batches = [.. Batches];
        var hiddens = args.Select((x, i) => (x, i)).Where(p => p.x == "--hidden" && p.i + 1 < args.Length)
            .Select(p => int.Parse(args[p.i + 1], CultureInfo.InvariantCulture)).ToList();
        if (hiddens.Count == 0) hiddens = [.. Hiddens];

        Row("warm-up", 32, 128, 32, true, 3); // let tiered JIT settle on the driver code before anything is recorded
        var sb = new StringBuilder();
        sb.AppendLine("| case | M | N | K | Gemm.Run µs (CPU) | SmallGemm µs (CPU) | speed-up | Gemm GFLOP/s | Small GFLOP/s | Gemm wall min µs | Small wall min µs | Gemm 2 threads: wall min µs / CPU µs | PackB µs |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int mb in batches)
            foreach (int h in hiddens)
            {
                sb.AppendLine(Row("fwd NT", mb, 4 * h, h, true, rounds));
                sb.AppendLine(Row("bwd NN", mb, h, 4 * h, false, rounds));
                Console.Error.Write('.');
            }
        Console.Error.WriteLine();
        Console.WriteLine(sb.ToString());
        return 0;
    }

    /// <summary>One shape: C[m,n] (+)= A[m,k]·op(B); forward accumulates (beta 1) like the layer, backward overwrites.</summary>
    static string Row(string name, int m, int n, int k, bool transB, int rounds)
    {
        var rng = new Random(42);
        float[] a = Fill(rng, m * k), b = Fill(rng, k * n), c = new float[m * n];
        float[] packed = new float[SmallGemm.PackedLength(k, n)];
        int ldb = transB ? k : n;
        float beta = transB ? 1f : 0f;
        void General() => Gemm.Run(false, transB, m, n, k, 1f, a, k, b, ldb, beta, c, n, 1);
        void General2() => Gemm.Run(false, transB, m, n, k, 1f, a, k, b, ldb, beta, c, n, 2);
        void Small() => SmallGemm.Run(m, n, k, 1f, a, k, packed, beta, c, n);
        void Pack() => SmallGemm.PackB<float>(transB, k, n, b, ldb, packed);
        Pack();

        int batchG = Calibrate(General), batchS = Calibrate(Small), batchP = Calibrate(Pack), batch2 = Calibrate(General2);
        var (cpuG, wallG, cpuS, wallS, cpuP) = (double.MaxValue, double.MaxValue, double.MaxValue, double.MaxValue, double.MaxValue);
        var (cpu2, wall2) = (double.MaxValue, double.MaxValue);
        for (int r = 0; r < rounds; r++)
        {
            var g = Time(General, batchG);
            var s = Time(Small, batchS);
            var p = Time(Pack, batchP);
            var g2 = Time(General2, batch2, ProcessCpuClock);
            cpu2 = Math.Min(cpu2, g2.Cpu); wall2 = Math.Min(wall2, g2.Wall);
            cpuG = Math.Min(cpuG, g.Cpu); wallG = Math.Min(wallG, g.Wall);
            cpuS = Math.Min(cpuS, s.Cpu); wallS = Math.Min(wallS, s.Wall);
            cpuP = Math.Min(cpuP, p.Cpu);
        }
        double flops = 2.0 * m * n * k;
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {m} | {n} | {k} | {cpuG:F2} | {cpuS:F2} | {cpuG / cpuS:F2}x | {flops / cpuG / 1e3:F0} | {flops / cpuS / 1e3:F0} | {wallG:F2} | {wallS:F2} | {wall2:F2} / {cpu2:F2} | {cpuP:F1} |");
    }

    /// <summary>Calls per batch so a batch takes ~20 ms (after JIT warm-up).</summary>
    static int Calibrate(Action call)
    {
        for (int i = 0; i < 50; i++) call();
        var sw = Stopwatch.StartNew();
        int calls = 0;
        while (sw.Elapsed.TotalMilliseconds < 50) { call(); calls++; }
        return Math.Max(1, (int)(calls * 20.0 / sw.Elapsed.TotalMilliseconds));
    }

    const int ThreadCpuClock = 3, ProcessCpuClock = 2; // CLOCK_THREAD_CPUTIME_ID, CLOCK_PROCESS_CPUTIME_ID

    /// <summary>Microseconds per call over one batch: CPU time (of this thread, or of the whole process for a
    /// multi-threaded call) and wall time.</summary>
    static (double Cpu, double Wall) Time(Action call, int batch, int clock = ThreadCpuClock)
    {
        double cpu0 = CpuMicroseconds(clock);
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < batch; i++) call();
        double wall = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / batch;
        double cpu = (CpuMicroseconds(clock) - cpu0) / batch;
        return (cpu, wall);
    }

    /// <summary>clock_gettime on Linux (ns resolution; Process.TotalProcessorTime there counts 10 ms ticks), the
    /// process's processor time elsewhere.</summary>
    static double CpuMicroseconds(int clock)
    {
        if (OperatingSystem.IsLinux() && clock_gettime(clock, out TimeSpec ts) == 0)
            return ts.Seconds * 1e6 + ts.Nanoseconds / 1e3;
        return Process.GetCurrentProcess().TotalProcessorTime.TotalMicroseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    struct TimeSpec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", SetLastError = false)]
    static extern int clock_gettime(int clockId, out TimeSpec time);

    internal static float[] Fill(Random rng, int count)
    {
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }
}
