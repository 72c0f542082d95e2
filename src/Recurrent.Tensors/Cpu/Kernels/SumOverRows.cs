// SumOverRows: y[c] (+)= Σ_r x[r, c] — the bias gradient.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>
    /// y [cols] = (accumulate ? y : 0) + Σ_r x [rows, cols]. Rows are added in order, one vector add per row and
    /// column block, so the result is bit-identical to the scalar reference.
    /// </summary>
    public static void SumOverRows<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y, bool accumulate, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Shape(rows, cols);
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.Destination(y.Length, cols, nameof(y));
        SpanChecks.Disjoint(x, y, nameof(x), nameof(y));
        Span<T> acc = y[..cols];
        if (!accumulate) acc.Clear();
        for (int r = 0; r < rows; r++)
            KernelDriver.Binary<T, AddOp<T>>(acc, x.Slice(r * cols, cols), acc, T.Zero, level);
    }
}
