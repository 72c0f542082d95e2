// L2Norm: sqrt(Σ x[i]²).
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>√(Σ x²), unscaled like TensorPrimitives.Norm: overflows to +∞ once Σ x² does (|x| ≳ 1.8e19 for float).</summary>
    public static T L2Norm<T>(ReadOnlySpan<T> x, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => T.Sqrt(KernelDriver.Aggregate<T, SumOfSquaresOp<T>>(x, level));
}
