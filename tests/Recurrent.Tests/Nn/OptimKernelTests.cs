// The fused optimizer kernels (Adam/AdamW, SGD) and clamp against the scalar references at every SIMD level: bit for bit.
using System.Numerics;
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;
using static Recurrent.Tests.Cpu.PointwiseTestSupport;

namespace Recurrent.Tests.Nn;

public class OptimKernelTests
{
    private static readonly int[] Sizes = [0, 1, 3, 7, 17, 33, 65, 127, 300];

    public static TheoryData<SimdLevel> AllLevels => Levels;

    // Every operation of the updates (mul, fma, sqrt, div, add) is correctly rounded in scalar and vector form alike,
    // so the SIMD kernels must reproduce the reference exactly, not merely closely.
    [Theory, MemberData(nameof(AllLevels))]
    public void AdamStepMatchesReferenceExactly(SimdLevel level)
    {
        if (Unsupported(level)) return;
        foreach (bool decoupled in new[] { false, true })
            for (long step = 1; step <= 3; step++)
            {
                var c = AdamCoefficients.For(step, 0.01, 0.9, 0.999, 1e-8, 0.05, decoupled);
                Adam<float>(c, level);
                Adam<double>(c, level);
            }
    }

    [Theory, MemberData(nameof(AllLevels))]
    public void SgdStepMatchesReferenceExactly(SimdLevel level)
    {
        if (Unsupported(level)) return;
        foreach (var c in new[]
        {
            new SgdCoefficients(0.1, 0, 0, 0.01, false, true),
            new SgdCoefficients(0.1, 0.9, 0, 0.01, true, true),
            new SgdCoefficients(0.1, 0.9, 0, 0.01, true, false),
            new SgdCoefficients(0.05, 0.8, 0.3, 0, false, false),
        })
        {
            Sgd<float>(c, level);
            Sgd<double>(c, level);
        }
    }

    [Theory, MemberData(nameof(AllLevels))]
    public void ClampMatchesReferenceAndKeepsNaN(SimdLevel level)
    {
        if (Unsupported(level)) return;
        var rng = new Random(3);
        foreach (int n in Sizes)
        {
            double[] x = Uniform<double>(rng, n, -2, 2);
            Plant(rng, x);
            var expected = new double[n];
            ReferenceKernels.Clamp<double>(x, -0.5, 0.75, expected);
            CpuKernels.Clamp<double>(x, -0.5, 0.75, x, level);  // in place
            Assert.Equal(expected, x);
        }
    }

    private static void Adam<T>(in AdamCoefficients c, SimdLevel level) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Random(7);
        foreach (int n in Sizes)
        {
            T[] p = Uniform<T>(rng, n, -1, 1), g = Uniform<T>(rng, n, -1, 1), m = Uniform<T>(rng, n, -0.1, 0.1), v = Uniform<T>(rng, n, 0, 0.01);
            T[] p2 = (T[])p.Clone(), m2 = (T[])m.Clone(), v2 = (T[])v.Clone();
            ReferenceKernels.AdamStep<T>(p, g, m, v, c);
            CpuKernels.AdamStep<T>(p2, g, m2, v2, c, level);
            Assert.Equal(p, p2);
            Assert.Equal(m, m2);
            Assert.Equal(v, v2);
        }
    }

    private static void Sgd<T>(in SgdCoefficients c, SimdLevel level) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Random(9);
        foreach (int n in Sizes)
        {
            T[] p = Uniform<T>(rng, n, -1, 1), g = Uniform<T>(rng, n, -1, 1), b = Uniform<T>(rng, n, -0.5, 0.5);
            T[] p2 = (T[])p.Clone(), b2 = (T[])b.Clone();
            ReferenceKernels.SgdStep<T>(p, g, c.Momentum != 0 ? b : default, c);
            CpuKernels.SgdStep<T>(p2, g, c.Momentum != 0 ? b2 : default, c, level);
            Assert.Equal(p, p2);
            Assert.Equal(b, b2);
        }
    }

    [Fact]
    public void OptimizerStepsAllocateNothing()
    {
        var lstm = new Lstm(5, 8, rng: new Rng(1));
        foreach (var p in lstm.Parameters()) Device.Cpu.Fill(p.Grad, 0.01);
        Optimizer[] optimizers = [new Adam(lstm), new AdamW(lstm), new Sgd(lstm, 0.1, momentum: 0.9, nesterov: true)];
        foreach (var opt in optimizers)
        {
            opt.Step(); // warm up (JIT, tiering)
            opt.Step();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++) opt.Step();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated == 0, $"{opt.GetType().Name}.Step allocated {allocated} bytes over 10 steps");
        }
    }
}
