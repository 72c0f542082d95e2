// Copy: y[i] = x[i].
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>y[0..n) = x, n = x.Length. Vector levels use the BCL's memmove (Span.CopyTo).</summary>
    public static void Copy<T>(ReadOnlySpan<T> x, Span<T> y, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Destination(y.Length, x.Length, nameof(y));
        SpanChecks.InPlaceOrDisjoint(x, y, nameof(x), nameof(y));
        if (SimdCaps.Clamp(level) == SimdLevel.Scalar)
        {
            for (int i = 0; i < x.Length; i++) y[i] = x[i];
            return;
        }
        x.CopyTo(y);
    }
}
