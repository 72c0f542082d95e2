// Scalar reference of the element-wise arithmetic kernels: the oracle the SIMD kernels are tested against.
using System.Numerics;

namespace Recurrent.Tensors.Cpu;

public static partial class ReferenceKernels
{
    public static void Fill<T>(Span<T> y, T value) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < y.Length; i++) y[i] = value;
    }

    public static void Copy<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Destination(y.Length, x.Length, nameof(y));
        SpanChecks.InPlaceOrDisjoint(x, y, nameof(x), nameof(y));
        for (int i = 0; i < x.Length; i++) y[i] = x[i];
    }

    public static void Add<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckBinary(a, b, y);
        for (int i = 0; i < a.Length; i++) y[i] = a[i] + b[i];
    }

    public static void Mul<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckBinary(a, b, y);
        for (int i = 0; i < a.Length; i++) y[i] = a[i] * b[i];
    }

    /// <summary>y += alpha·x with one rounding (fused multiply-add), as the SIMD kernel does.</summary>
    public static void Axpy<T>(T alpha, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Destination(y.Length, x.Length, nameof(y));
        SpanChecks.InPlaceOrDisjoint(x, y, nameof(x), nameof(y));
        for (int i = 0; i < x.Length; i++) y[i] = T.FusedMultiplyAdd(alpha, x[i], y[i]);
    }

    public static void Scale<T>(T alpha, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Destination(y.Length, x.Length, nameof(y));
        SpanChecks.InPlaceOrDisjoint(x, y, nameof(x), nameof(y));
        for (int i = 0; i < x.Length; i++) y[i] = alpha * x[i];
    }

    private static void CheckBinary<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y)
    {
        SpanChecks.SameLength(b.Length, a.Length, nameof(b), nameof(a));
        SpanChecks.Destination(y.Length, a.Length, nameof(y));
        SpanChecks.InPlaceOrDisjoint(a, y, nameof(a), nameof(y));
        SpanChecks.InPlaceOrDisjoint(b, y, nameof(b), nameof(y));
    }
}
