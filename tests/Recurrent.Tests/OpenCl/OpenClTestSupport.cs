// Shared pieces of the OpenCL tests: the device, seeded twin tensors (CPU and OpenCL, the OpenCL one an offset view), comparison.
using Recurrent.Tensors;
using Recurrent.Tensors.OpenCl;

namespace Recurrent.Tests.OpenCl;

internal static class Ocl
{
    /// <summary>The sizes every primitive is tried on: 1, around the 16/32/64-wide tiles and work-groups, and past 256.</summary>
    public static readonly int[] Sizes = [1, 3, 17, 33, 65, 129, 257];

    public static OpenClDevice Device => OpenClRuntime.Open(0);

    /// <summary>float32 always; float64 when the device has cl_khr_fp64 (PoCL has).</summary>
    public static TheoryData<DType> DTypes()
    {
        var data = new TheoryData<DType> { DType.Float32 };
        if (OpenClRuntime.IsAvailable && OpenClRuntime.Devices()[0].HasFp64) data.Add(DType.Float64);
        return data;
    }

    /// <summary>Relative tolerance of a kernel against the CPU device: float32 1e-5, float64 1e-12 (of the magnitude).</summary>
    public static double Tol(DType dtype) => dtype == DType.Float32 ? 1e-5 : 1e-12;

    /// <summary>Uniform values in [lo, hi), the same for a given seed whatever the dtype.</summary>
    public static double[] Uniform(int seed, long n, double lo = -1, double hi = 1)
    {
        var rng = new Random(seed);
        var x = new double[n];
        for (long i = 0; i < n; i++) x[i] = lo + (hi - lo) * rng.NextDouble();
        return x;
    }

    /// <summary>A CPU tensor holding <paramref name="values"/> (rounded to the dtype).</summary>
    public static Tensor Cpu(double[] values, DType dtype, params int[] shape)
    {
        var t = Tensor.Zeros(shape, dtype, Recurrent.Tensors.Device.Cpu);
        if (dtype == DType.Float32) Array.ConvertAll(values, v => (float)v).AsSpan().CopyTo(t.AsSpan<float>());
        else if (dtype == DType.Float64) values.AsSpan().CopyTo(t.AsSpan<double>());
        else Array.ConvertAll(values, v => (int)v).AsSpan().CopyTo(t.AsSpan<int>());
        return t;
    }

    /// <summary>
    /// The same data on the OpenCL device, as a view that starts <paramref name="pad"/> elements into its storage
    /// (odd by default), so every kernel is checked with a nonzero element offset.
    /// </summary>
    public static Tensor OnDevice(Tensor cpu, int pad = 3)
    {
        var owner = Tensor.Zeros([pad + (int)cpu.Length + 2], cpu.DType, Device);
        Tensor view = owner.Narrow(pad, (int)cpu.Length).Reshape(cpu.Shape.ToArray());
        var bytes = new byte[cpu.Length * cpu.DType.SizeInBytes()];
        Recurrent.Tensors.Device.Cpu.Read(cpu, bytes);
        Device.Write(view, bytes);
        return view;
    }

    /// <summary>A seeded pair: (cpu, opencl) with equal contents.</summary>
    public static (Tensor Cpu, Tensor Ocl) Pair(int seed, DType dtype, int[] shape, double lo = -1, double hi = 1)
    {
        var cpu = Cpu(Uniform(seed, Tensor.Zeros(shape, DType.Int32).Length, lo, hi), dtype, shape);
        return (cpu, OnDevice(cpu));
    }

    public static double[] Values(Tensor t) => t.DType switch
    {
        DType.Float32 => Array.ConvertAll(t.ToArray<float>(), v => (double)v),
        DType.Float64 => t.ToArray<double>(),
        _ => Array.ConvertAll(t.ToArray<int>(), v => (double)v),
    };

    /// <summary>
    /// |ocl − cpu| ≤ tol·(scale + |cpu|) element by element, NaN matching NaN and infinities matching exactly;
    /// scale defaults to the largest |cpu| (so tiny entries of a large result are judged against the result's size).
    /// </summary>
    public static void Close(Tensor expected, Tensor actual, double tol, string what, double? scale = null)
    {
        double[] e = Values(expected), a = Values(actual);
        Assert.Equal(e.Length, a.Length);
        double s = scale ?? e.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
        for (int i = 0; i < e.Length; i++)
        {
            if (double.IsNaN(e[i]) || double.IsInfinity(e[i]))
            {
                Assert.True(e[i].Equals(a[i]), $"{what}: element {i} is {a[i]}, expected {e[i]}");
                continue;
            }
            double bound = tol * (s + Math.Abs(e[i])) + 1e-300;
            Assert.True(Math.Abs(a[i] - e[i]) <= bound, $"{what}: element {i} is {a[i]:R}, expected {e[i]:R} (|diff| {Math.Abs(a[i] - e[i]):E3} > {bound:E3})");
        }
    }
}
