// Fill: y[i] = value.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>y[i] = value. Vector levels use the BCL's vectorized Span.Fill (already the fastest store loop).</summary>
    public static void Fill<T>(Span<T> y, T value, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (SimdCaps.Clamp(level) == SimdLevel.Scalar)
        {
            for (int i = 0; i < y.Length; i++) y[i] = value;
            return;
        }
        y.Fill(value);
    }
}
