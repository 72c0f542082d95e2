// SumOverCols: y[r] (+)= Σ_c x[r, c].
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>y [rows] = (accumulate ? y : 0) + Σ_c x [rows, cols]; each row is a vector reduction (see Sum).</summary>
    public static void SumOverCols<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y, bool accumulate, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Shape(rows, cols);
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.Destination(y.Length, rows, nameof(y));
        SpanChecks.Disjoint(x, y, nameof(x), nameof(y));
        for (int r = 0; r < rows; r++)
        {
            T s = KernelDriver.Aggregate<T, SumOp<T>>(x.Slice(r * cols, cols), level);
            y[r] = accumulate ? y[r] + s : s;
        }
    }
}
