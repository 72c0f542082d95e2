// Stopwatch table of the OpenCL device against the CPU device: GEMM sizes and the fused LSTM cell, wall and CPU time, A/B interleaved.
using System.Diagnostics;
using System.Text;
using Recurrent.Tensors;
using Recurrent.Tensors.OpenCl;

namespace Recurrent.Benchmarks;

/// <summary>
/// `opencl-table [--device N] [--rounds R]`: for each case, R rounds alternate CPU and OpenCL (so load from other
/// processes hits both alike); each round times a batch of calls ending in Synchronize, and the table keeps the best
/// round's wall time per call plus the process CPU time (Process.TotalProcessorTime) of that round. On PoCL the
/// "OpenCL" column runs on the same cores as the CPU one: it measures the kernels and the launch cost, not a GPU.
/// </summary>
public static class OpenClTable
{
    public static int Run(string[] args)
    {
        if (!OpenClRuntime.IsAvailable)
        {
            Console.Error.WriteLine($"no OpenCL device: {OpenClRuntime.UnavailableReason}");
            return 1;
        }
        int deviceIndex = Arg(args, "--device", 0), rounds = Arg(args, "--rounds", 5);
        var ocl = OpenClRuntime.Open(deviceIndex);
        var sb = new StringBuilder();
        sb.AppendLine($"# {ocl.Info}  vs  cpu ({Environment.ProcessorCount} threads) — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, best of {rounds} interleaved rounds");
        sb.AppendLine("| case | cpu µs/call (wall) | cpu CPU-µs/call | opencl µs/call (wall) | opencl CPU-µs/call | cpu GFLOP/s | opencl GFLOP/s |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");

        (int M, int N, int K, bool TA, bool TB, string Why)[] gemms =
        [
            (32, 512, 128, false, true, "LSTM step h·W_hhᵀ, B 32, H 128"),
            (32, 1024, 256, false, true, "LSTM step h·W_hhᵀ, B 32, H 256"),
            (3200, 512, 128, false, true, "input projection, T·B 3200, H 128"),
            (512, 128, 3200, true, false, "dW_hh = dGᵀ·H, T·B 3200"),
            (256, 256, 256, false, false, "square 256"),
            (512, 512, 512, false, false, "square 512"),
            (1024, 1024, 1024, false, false, "square 1024"),
        ];
        foreach (var g in gemms)
        {
            var cpuT = Operands(Device.Cpu, g.M, g.N, g.K, g.TA, g.TB);
            var oclT = Operands(ocl, g.M, g.N, g.K, g.TA, g.TB);
            double flops = 2.0 * g.M * g.N * g.K;
            int calls = (int)Math.Clamp(2e9 / flops, 3, 2000);
            Row(sb, $"gemm {(g.TA ? 'T' : 'N')}{(g.TB ? 'T' : 'N')} {g.M}×{g.N}×{g.K} ({g.Why})", flops, rounds, calls,
                () => Device.Cpu.Gemm(cpuT.A, g.TA, cpuT.B, g.TB, cpuT.C),
                () => ocl.Gemm(oclT.A, g.TA, oclT.B, g.TB, oclT.C), ocl);
        }
        foreach (var (batch, hidden) in new[] { (32, 128), (32, 512), (256, 512) })
        {
            var cg = Tensor.Zeros([batch, 4 * hidden], DType.Float32, Device.Cpu);
            var cc = Tensor.Zeros([batch, hidden], DType.Float32, Device.Cpu);
            var cn = Tensor.Zeros([batch, hidden], DType.Float32, Device.Cpu);
            var ch = Tensor.Zeros([batch, hidden], DType.Float32, Device.Cpu);
            var og = Tensor.Zeros([batch, 4 * hidden], DType.Float32, ocl);
            var oc = Tensor.Zeros([batch, hidden], DType.Float32, ocl);
            var on = Tensor.Zeros([batch, hidden], DType.Float32, ocl);
            var oh = Tensor.Zeros([batch, hidden], DType.Float32, ocl);
            Row(sb, $"lstm cell forward B {batch} H {hidden}", 0, rounds, 500,
                () => Device.Cpu.LstmCellForward(cg, cc, cn, ch),
                () => ocl.LstmCellForward(og, oc, on, oh), ocl);
        }
        Console.Write(sb.ToString());
        return 0;
    }

    private static void Row(StringBuilder sb, string name, double flops, int rounds, int calls, Action cpu, Action ocl, OpenClDevice device)
    {
        cpu();
        ocl();
        device.Synchronize(); // warm-up: kernels built, buffers touched
        var best = new (double Wall, double Cpu)[2];
        best[0] = best[1] = (double.MaxValue, double.MaxValue);
        for (int r = 0; r < rounds; r++)
            for (int which = 0; which < 2; which++)
            {
                var process = Process.GetCurrentProcess();
                TimeSpan cpu0 = process.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                for (int i = 0; i < calls; i++) (which == 0 ? cpu : ocl)();
                if (which == 1) device.Synchronize();
                double wall = sw.Elapsed.TotalMicroseconds / calls;
                process.Refresh();
                double used = (process.TotalProcessorTime - cpu0).TotalMicroseconds / calls;
                if (wall < best[which].Wall) best[which] = (wall, used);
            }
        string G(double wall) => flops > 0 ? $"{flops / (wall * 1e3):F1}" : "–";
        sb.AppendLine($"| {name} | {best[0].Wall:F1} | {best[0].Cpu:F1} | {best[1].Wall:F1} | {best[1].Cpu:F1} | {G(best[0].Wall)} | {G(best[1].Wall)} |");
        Console.Error.WriteLine($"  {name}: cpu {best[0].Wall:F1} µs, opencl {best[1].Wall:F1} µs");
    }

    private static (Tensor A, Tensor B, Tensor C) Operands(Device device, int m, int n, int k, bool ta, bool tb)
    {
        var rng = new Rng(1);
        var a = Tensor.Zeros(ta ? [k, m] : [m, k], DType.Float32, device);
        var b = Tensor.Zeros(tb ? [n, k] : [k, n], DType.Float32, device);
        rng.FillUniform(a, -1, 1);
        rng.FillUniform(b, -1, 1);
        return (a, b, Tensor.Zeros([m, n], DType.Float32, device));
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
