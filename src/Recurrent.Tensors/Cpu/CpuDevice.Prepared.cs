// The CPU's prepared weights: op(w) packed once in SmallGemm's panel layout, then each product skips the packing.
using System.Numerics;
using System.Runtime.InteropServices;

namespace Recurrent.Tensors.Cpu;

public sealed partial class CpuDevice
{
    /// <summary>op(w) packed for <see cref="SmallGemm"/>: the buffer is kept and refilled by every Prepare that fits.</summary>
    private sealed class PackedWeight : PreparedWeight
    {
        public PackedWeight(CpuDevice device, Tensor weight, bool transpose) : base(device, weight, transpose)
        {
            int length = SmallGemm.PackedLength(K, N);
            if (weight.DType == DType.Float32) Floats = new float[length];
            else Doubles = new double[length];
        }

        public float[]? Floats { get; }
        public double[]? Doubles { get; }

        public Span<T> Packed<T>() where T : unmanaged =>
            typeof(T) == typeof(float) ? MemoryMarshal.Cast<float, T>(Floats.AsSpan()) : MemoryMarshal.Cast<double, T>(Doubles.AsSpan());
    }

    protected override PreparedWeight PrepareCore(Tensor w, bool transpose, PreparedWeight? reuse)
    {
        var packed = reuse as PackedWeight ?? new PackedWeight(this, w, transpose);
        packed.Weight = w;
        if (w.DType == DType.Float32) Pack<float>(w, packed);
        else Pack<double>(w, packed);
        return packed;
    }

    private static void Pack<T>(Tensor w, PackedWeight packed) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        SmallGemm.PackB<T>(packed.Transpose, packed.K, packed.N, w.AsSpan<T>(), w.Dim(1), packed.Packed<T>());

    protected override void GemmPreparedCore(Tensor a, PreparedWeight w, Tensor c, int m, double alpha, double beta)
    {
        if (w is not PackedWeight packed) base.GemmPreparedCore(a, w, c, m, alpha, beta);
        else if (a.DType == DType.Float32) RunPacked<float>(a, packed, c, m, (float)alpha, (float)beta);
        else RunPacked<double>(a, packed, c, m, alpha, beta);
    }

    private void RunPacked<T>(Tensor a, PackedWeight w, Tensor c, int m, T alpha, T beta) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        SmallGemm.Run(m, w.N, w.K, alpha, a.AsSpan<T>(), a.Dim(1), w.Packed<T>(), beta, c.AsSpan<T>(), c.Dim(1), Threads, Simd);
}
