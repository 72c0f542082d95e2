// The OpenCL elementwise primitives (fill, copy, add, mul, axpy, scale, activations forward/backward, clamp) against the CPU device.
using Recurrent.Tensors;

namespace Recurrent.Tests.OpenCl;

public class OpenClElementwiseTests
{
    private static readonly Device Cpu = Device.Cpu;

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void ArithmeticMatchesCpu(DType dtype)
    {
        double tol = Ocl.Tol(dtype);
        foreach (int n in Ocl.Sizes)
        {
            var (a, da) = Ocl.Pair(n, dtype, [n]);
            var (b, db) = Ocl.Pair(n + 1000, dtype, [n]);
            var (y, dy) = Ocl.Pair(n + 2000, dtype, [n]);
            Cpu.Add(a, b, y);
            Ocl.Device.Add(da, db, dy);
            Ocl.Close(y, dy, tol, $"add n={n}");
            Cpu.Mul(a, b, y);
            Ocl.Device.Mul(da, db, dy);
            Ocl.Close(y, dy, tol, $"mul n={n}");
            Cpu.Add(a, b, a); // in place: y is a
            Ocl.Device.Add(da, db, da);
            Ocl.Close(a, da, tol, $"add in place n={n}");
            Cpu.Axpy(-1.25, b, y);
            Ocl.Device.Axpy(-1.25, db, dy);
            Ocl.Close(y, dy, tol, $"axpy n={n}");
            Cpu.Scale(0.3, b, y);
            Ocl.Device.Scale(0.3, db, dy);
            Ocl.Close(y, dy, tol, $"scale n={n}");
        }
    }

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void FillAndCopyMatchCpu(DType dtype)
    {
        foreach (int n in Ocl.Sizes)
        {
            var (x, dx) = Ocl.Pair(n, dtype, [n]);
            var (y, dy) = Ocl.Pair(n + 7, dtype, [n]);
            Ocl.Device.Copy(dx, dy);
            Assert.Equal(Ocl.Values(x), Ocl.Values(dy));
            Ocl.Device.Fill(dy, -2.5);
            Assert.All(Ocl.Values(dy), v => Assert.Equal(-2.5, v));
            Cpu.Fill(y, -2.5);
            Ocl.Close(y, dy, 0, $"fill n={n}");
        }
        // int32 tensors (indices, lengths) fill and copy too.
        var ints = Tensor.Zeros([5], DType.Int32, Ocl.Device);
        Ocl.Device.Fill(ints, 7);
        var copy = Tensor.Zeros([5], DType.Int32, Ocl.Device);
        Ocl.Device.Copy(ints, copy);
        Assert.Equal([7, 7, 7, 7, 7], copy.ToArray<int>());
    }

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void ActivationsMatchCpu(DType dtype)
    {
        double tol = Ocl.Tol(dtype);
        foreach (Activation f in Enum.GetValues<Activation>())
            foreach (int n in Ocl.Sizes)
            {
                var (x, dx) = Ocl.Pair(n, dtype, [n], -6, 6);
                var (y, dy) = Ocl.Pair(n + 1, dtype, [n]);
                var (g, dg) = Ocl.Pair(n + 2, dtype, [n]);
                var (d, dd) = Ocl.Pair(n + 3, dtype, [n]);
                Cpu.Activate(f, x, y);
                Ocl.Device.Activate(f, dx, dy);
                Ocl.Close(y, dy, tol, $"{f} n={n}");
                Cpu.ActivateBackward(f, y, g, d);
                Ocl.Device.ActivateBackward(f, dy, dg, dd);
                Ocl.Close(d, dd, tol, $"{f} backward n={n}");
            }
    }

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void SpecialValuesPassThroughLikeCpu(DType dtype)
    {
        double[] values = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0, -0.0, 1e-30, -800, 800];
        var x = Ocl.Cpu(values, dtype, values.Length);
        var dx = Ocl.OnDevice(x);
        foreach (Activation f in Enum.GetValues<Activation>())
        {
            var y = Tensor.ZerosLike(x);
            var dy = Tensor.Zeros([values.Length], dtype, Ocl.Device);
            Cpu.Activate(f, x, y);
            Ocl.Device.Activate(f, dx, dy);
            Ocl.Close(y, dy, Ocl.Tol(dtype), $"{f} of specials");
        }
        var clamped = Tensor.ZerosLike(x);
        var dClamped = Tensor.Zeros([values.Length], dtype, Ocl.Device);
        Cpu.Clamp(x, -1, 2, clamped);
        Ocl.Device.Clamp(dx, -1, 2, dClamped);
        Ocl.Close(clamped, dClamped, 0, "clamp of specials (NaN stays NaN)");
    }

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void ClampMatchesCpu(DType dtype)
    {
        foreach (int n in Ocl.Sizes)
        {
            var (x, dx) = Ocl.Pair(n, dtype, [n], -3, 3);
            Cpu.Clamp(x, -0.5, 1.5, x);
            Ocl.Device.Clamp(dx, -0.5, 1.5, dx);
            Ocl.Close(x, dx, 0, $"clamp n={n}");
        }
    }
}
