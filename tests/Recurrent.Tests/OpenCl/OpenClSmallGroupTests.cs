// Devices with small work-groups (GPUs that allow 64 or fewer items): the other GEMM tile and reduction-group builds still match the CPU.
using Recurrent.Tensors;
using Recurrent.Tensors.OpenCl;

namespace Recurrent.Tests.OpenCl;

public class OpenClSmallGroupTests
{
    /// <summary>
    /// The device as if it allowed only <paramref name="maxGroup"/> items per work-group: GEMM tiles of 32 (64 items) or 16
    /// (16 items) and reductions over 64 or 16 items, built and run on PoCL. Every (m, n, k) in {1, 17, 65, 129}, all transposes,
    /// plus the per-row reductions and the cross-entropy backward.
    /// </summary>
    [OpenClTheory]
    [InlineData(64)]
    [InlineData(16)]
    public void SmallerTilesAndGroupsMatchCpu(int maxGroup)
    {
        var device = new OpenClDevice(OpenClRuntime.Devices()[0] with { MaxWorkGroupSize = maxGroup });
        Assert.Equal(maxGroup == 64 ? 32 : 16, device.GemmTile);
        Assert.Equal(maxGroup, device.ReduceGroup);
        const DType dtype = DType.Float32;
        int seed = 0;
        int[] sizes = [1, 17, 65, 129];
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (int m in sizes)
                    foreach (int n in sizes)
                        foreach (int k in sizes)
                        {
                            var (a, da) = Pair(device, seed++, dtype, ta ? [k, m] : [m, k]);
                            var (b, db) = Pair(device, seed++, dtype, tb ? [n, k] : [k, n]);
                            var (c, dc) = Pair(device, seed++, dtype, [m, n]);
                            Device.Cpu.Gemm(a, ta, b, tb, c, 1.5, 0.5);
                            device.Gemm(da, ta, db, tb, dc, 1.5, 0.5);
                            Ocl.Close(c, dc, 1e-5 * Math.Sqrt(k), $"gemm group≤{maxGroup} {m}x{n}x{k} ta={ta} tb={tb}");
                        }

        foreach (int cols in Ocl.Sizes)
        {
            var (x, dx) = Pair(device, seed++, dtype, [5, cols]);
            var (s, ds) = Pair(device, seed++, dtype, [5, cols]);
            Device.Cpu.Softmax(x, s);
            device.Softmax(dx, ds);
            Ocl.Close(s, ds, 1e-5, $"softmax group≤{maxGroup} cols={cols}");
            var (r, dr) = Pair(device, seed++, dtype, [5]);
            Device.Cpu.SumOverCols(x, r);
            device.SumOverCols(dx, dr);
            Ocl.Close(r, dr, 1e-5 * cols, $"sum_over_cols group≤{maxGroup} cols={cols}");
            Assert.True(Math.Abs(Device.Cpu.L2Norm(x) - device.L2Norm(dx)) <= 1e-5 * Device.Cpu.L2Norm(x), $"l2 group≤{maxGroup} cols={cols}");

            var targets = Tensor.From([0, cols - 1, -100, cols / 2, 0], [5]);
            var (g, dg) = Pair(device, seed++, dtype, [5, cols]);
            Device.Cpu.CrossEntropyLossBackward(x, targets, null, Reduction.Mean, -100, null, g);
            device.CrossEntropyLossBackward(dx, targets.To(device), null, Reduction.Mean, -100, null, dg);
            Ocl.Close(g, dg, 1e-5, $"cross-entropy backward group≤{maxGroup} cols={cols}");
        }
    }

    private static (Tensor Cpu, Tensor Ocl) Pair(OpenClDevice device, int seed, DType dtype, int[] shape)
    {
        var cpu = Ocl.Cpu(Ocl.Uniform(seed, shape.Aggregate(1L, (p, d) => p * d)), dtype, shape);
        return (cpu, cpu.To(device));
    }
}
