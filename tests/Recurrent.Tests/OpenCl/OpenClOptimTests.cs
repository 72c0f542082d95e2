// The OpenCL fused Adam/AdamW and SGD steps against the CPU device, over several steps so the moments matter.
using Recurrent.Tensors;

namespace Recurrent.Tests.OpenCl;

public class OpenClOptimTests
{
    private static readonly Device Cpu = Device.Cpu;

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void AdamMatchesCpu(DType dtype)
    {
        foreach (bool decoupled in new[] { false, true })
            foreach (int n in Ocl.Sizes)
            {
                var (p, dp) = Ocl.Pair(n, dtype, [n]);
                var (m, dm) = Ocl.Pair(n + 1, dtype, [n], 0, 0);
                var (v, dv) = Ocl.Pair(n + 2, dtype, [n], 0, 0);
                for (int step = 1; step <= 5; step++)
                {
                    var (g, dg) = Ocl.Pair(100 * n + step, dtype, [n]);
                    var c = AdamCoefficients.For(step, 1e-2, 0.9, 0.999, 1e-8, 0.1, decoupled);
                    Cpu.AdamStep(p, g, m, v, c);
                    Ocl.Device.AdamStep(dp, dg, dm, dv, c);
                }
                string at = $"decoupled={decoupled} n={n}";
                Ocl.Close(p, dp, Ocl.Tol(dtype), $"adam param {at}");
                Ocl.Close(m, dm, Ocl.Tol(dtype), $"adam exp_avg {at}");
                Ocl.Close(v, dv, Ocl.Tol(dtype), $"adam exp_avg_sq {at}");
            }
    }

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void SgdMatchesCpu(DType dtype)
    {
        foreach (double momentum in new[] { 0.0, 0.9 })
            foreach (bool nesterov in new[] { false, true })
                foreach (int n in Ocl.Sizes)
                {
                    if (nesterov && momentum == 0) continue; // Nesterov needs momentum
                    var (p, dp) = Ocl.Pair(n, dtype, [n]);
                    var (buf, dbuf) = Ocl.Pair(n + 1, dtype, [n]);
                    for (int step = 0; step < 4; step++)
                    {
                        var (g, dg) = Ocl.Pair(100 * n + step, dtype, [n]);
                        var c = new SgdCoefficients(0.05, momentum, 0.1, 0.01, nesterov, FirstStep: step == 0);
                        Cpu.SgdStep(p, g, buf, c);
                        Ocl.Device.SgdStep(dp, dg, dbuf, c);
                    }
                    Ocl.Close(p, dp, Ocl.Tol(dtype), $"sgd momentum={momentum} nesterov={nesterov} n={n}");
                    Ocl.Close(buf, dbuf, Ocl.Tol(dtype), $"sgd buffer momentum={momentum} nesterov={nesterov} n={n}");
                }
    }
}
