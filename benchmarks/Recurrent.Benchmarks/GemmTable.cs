// Stopwatch table of our SGEMM at the sizes benchmarks/pytorch/gemm.py times (same shapes, same best-of-N method).
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Benchmarks;

public static class GemmTable
{
    static readonly int[] RnnBatch = [32, 64, 128, 256];
    static readonly int[] RnnHidden = [32, 64, 128, 256, 512];

    /// <summary>`gemm-table [--json] [--reps N] [--quick] [--shape NT:32x128x32 ...]`: GFLOP/s, best of N timed
    /// batches after a warm-up. --quick times 1024³ only; --shape times just the given cases (for tuning);
    /// --serve answers timing requests on stdin (see <see cref="Serve"/>).</summary>
    public static int Run(string[] args)
    {
        if (args.Contains("--serve")) return Serve();
        bool json = args.Contains("--json");
        bool quick = args.Contains("--quick");
        int reps = 25;
        int ri = Array.IndexOf(args, "--reps");
        if (ri >= 0 && ri + 1 < args.Length) reps = int.Parse(args[ri + 1], CultureInfo.InvariantCulture);

        var rows = new List<(string Case, int M, int N, int K, int Threads, double Gflops)>();
        void Measure(string name, bool ta, bool tb, int m, int n, int k, int threads)
        {
            double g = Time(ta, tb, m, n, k, threads, reps);
            rows.Add((name, m, n, k, threads, g));
            if (!json) Console.Error.WriteLine($"  {name} {m}x{n}x{k} t={threads}: {g:F1} GFLOP/s");
        }

        var shapes = args.Select((x, i) => (x, i)).Where(p => p.x == "--shape" && p.i + 1 < args.Length)
            .Select(p => args[p.i + 1]).ToList();
        foreach (string shape in shapes)
        {
            string[] parts = shape.Split(':', 'x');
            int sm = int.Parse(parts[1], CultureInfo.InvariantCulture), sn = int.Parse(parts[2], CultureInfo.InvariantCulture);
            int sk = int.Parse(parts[3], CultureInfo.InvariantCulture);
            foreach (int t in new[] { 1, 2 }) Measure(parts[0], parts[0][0] == 'T', parts[0][1] == 'T', sm, sn, sk, t);
        }
        if (shapes.Count == 0)
            foreach (int t in new[] { 1, 2 }) Measure("NN", false, false, 1024, 1024, 1024, t);
        if (!quick && shapes.Count == 0)
        {
            foreach (int h in RnnHidden)
                foreach (int mb in RnnBatch)
                    foreach (int t in new[] { 1, 2 })
                    {
                        Measure("NT", false, true, mb, 4 * h, h, t);
                        Measure("NN", false, false, mb, 4 * h, h, t);
                        Measure("TN", true, false, mb, 4 * h, h, t);
                    }
        }

        if (json) Console.WriteLine(ToJson(rows));
        else Print(rows);
        return 0;
    }

    /// <summary>`gemm-table --serve`: reads "CASE m n k threads reps" lines, answers each with GFLOP/s. Lets
    /// benchmarks/pytorch/gemm.py --paired alternate the two libraries cell by cell on a shared machine.</summary>
    static int Serve()
    {
        while (Console.ReadLine() is { } line)
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 6) break;
            int[] v = f[1..6].Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            double g = Time(f[0][0] == 'T', f[0][1] == 'T', v[0], v[1], v[2], v[3], v[4]);
            Console.WriteLine(g.ToString("F2", CultureInfo.InvariantCulture));
            Console.Out.Flush();
        }
        return 0;
    }

    static double Time(bool ta, bool tb, int m, int n, int k, int threads, int reps)
    {
        var rng = new Random(42);
        float[] a = Fill(rng, m * k), b = Fill(rng, k * n), c = new float[m * n];
        int lda = ta ? m : k, ldb = tb ? k : n;
        void Call() => Gemm.Run(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n, threads);

        // Warm up (JIT, pack buffers, pool threads), then size a batch to ~5 ms: long enough for the timer, short enough
        // that the best of many batches catches a quiet moment on a shared machine.
        var sw = Stopwatch.StartNew();
        int calls = 0;
        while (sw.Elapsed.TotalMilliseconds < 100 || calls < 3) { Call(); calls++; }
        int batch = Math.Max(1, (int)(calls * 5.0 / sw.Elapsed.TotalMilliseconds));
        double best = double.MaxValue;
        for (int r = 0; r < reps; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < batch; i++) Call();
            double s = Stopwatch.GetElapsedTime(t0).TotalSeconds / batch;
            best = Math.Min(best, s);
        }
        return 2.0 * m * n * k / best / 1e9;
    }

    static float[] Fill(Random rng, int count)
    {
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    static void Print(List<(string Case, int M, int N, int K, int Threads, double Gflops)> rows)
    {
        Console.WriteLine("Recurrent SGEMM, GFLOP/s (best of repetitions)");
        Console.WriteLine($"{"case",-4} {"M",5} {"N",5} {"K",5} {"1 thread",9} {"2 threads",9} {"best",7}");
        foreach (var g in rows.GroupBy(r => (r.Case, r.M, r.N, r.K)))
        {
            double t1 = g.FirstOrDefault(r => r.Threads == 1).Gflops, t2 = g.FirstOrDefault(r => r.Threads == 2).Gflops;
            Console.WriteLine($"{g.Key.Case,-4} {g.Key.M,5} {g.Key.N,5} {g.Key.K,5} {t1,9:F1} {t2,9:F1} {Math.Max(t1, t2),7:F1}");
        }
    }

    static string ToJson(List<(string Case, int M, int N, int K, int Threads, double Gflops)> rows)
    {
        var sb = new StringBuilder("{\"library\":\"recurrent\",\"dtype\":\"float32\",\"results\":[");
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            if (i > 0) sb.Append(',');
            sb.Append(CultureInfo.InvariantCulture,
                $"{{\"case\":\"{r.Case}\",\"m\":{r.M},\"n\":{r.N},\"k\":{r.K},\"threads\":{r.Threads},\"gflops\":{r.Gflops:F2}}}");
        }
        return sb.Append("]}").ToString();
    }
}
