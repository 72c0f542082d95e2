// Softmax: y[r, :] = exp(x[r, :] − max_r) / Σ exp(x[r, :] − max_r), row by row.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>
    /// Row-wise softmax of x [rows, cols] into y (y may be x). Three passes per row: max; exp(x − max) stored and
    /// summed; scale by 1/sum. One exp per element. A row holding NaN, or +∞, or only −∞, gives NaN (as the scalar
    /// reference and PyTorch do).
    /// </summary>
    public static void Softmax<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Shape(rows, cols);
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.MatrixDestination(y.Length, rows, cols, nameof(y));
        SpanChecks.InPlaceOrDisjoint(x, y, nameof(x), nameof(y));
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> xr = x.Slice(r * cols, cols);
            Span<T> yr = y.Slice(r * cols, cols);
            T max = KernelDriver.Aggregate<T, MaxOp<T>>(xr, level);
            T sum = KernelDriver.UnarySum<T, ExpMinusOp<T>>(xr, yr, max, level);
            KernelDriver.Unary<T, ScaleOp<T>>(yr, yr, T.One / sum, level);
        }
    }
}

/// <summary>exp(x − s).</summary>
internal readonly struct ExpMinusOp<T> : IUnaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Invoke(T x, T s) => T.Exp(x - s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> s) => VectorMath.Exp(x - s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> s) => VectorMath.Exp(x - s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> s) => VectorMath.Exp(x - s);
}
