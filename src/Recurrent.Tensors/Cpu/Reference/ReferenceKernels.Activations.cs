// Scalar reference of the activations and their backward passes (written from the forward output y).
using System.Numerics;

namespace Recurrent.Tensors.Cpu;

public static partial class ReferenceKernels
{
    /// <summary>
    /// 1/(1 + e^−x) for x ≥ 0, e^x/(1 + e^x) for x &lt; 0: the exp never overflows, so the negative tail keeps its
    /// tiny (even subnormal) values instead of collapsing to 0 where e^−x would overflow.
    /// </summary>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckUnary(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            T e = T.Exp(-T.Abs(x[i]));
            y[i] = x[i] >= T.Zero ? T.One / (T.One + e) : e / (T.One + e);
        }
    }

    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckUnary(x, y);
        for (int i = 0; i < x.Length; i++) y[i] = T.Tanh(x[i]);
    }

    /// <summary>relu(NaN) = NaN, as in PyTorch: the comparison with 0 is false for NaN, so x passes through.</summary>
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckUnary(x, y);
        for (int i = 0; i < x.Length; i++) y[i] = x[i] <= T.Zero ? T.Zero : x[i];
    }

    /// <summary>dx = dy · y(1 − y).</summary>
    public static void SigmoidBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckBackward(y, dy, dx);
        for (int i = 0; i < y.Length; i++) dx[i] = dy[i] * y[i] * (T.One - y[i]);
    }

    /// <summary>dx = dy · (1 − y²).</summary>
    public static void TanhBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckBackward(y, dy, dx);
        for (int i = 0; i < y.Length; i++) dx[i] = dy[i] * (T.One - y[i] * y[i]);
    }

    /// <summary>dx = y &gt; 0 ? dy : 0.</summary>
    public static void ReluBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckBackward(y, dy, dx);
        for (int i = 0; i < y.Length; i++) dx[i] = y[i] > T.Zero ? dy[i] : T.Zero;
    }

    private static void CheckUnary<T>(ReadOnlySpan<T> x, Span<T> y)
    {
        SpanChecks.Destination(y.Length, x.Length, nameof(y));
        SpanChecks.InPlaceOrDisjoint(x, y, nameof(x), nameof(y));
    }

    private static void CheckBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        SpanChecks.SameLength(dy.Length, y.Length, nameof(dy), nameof(y));
        SpanChecks.Destination(dx.Length, y.Length, nameof(dx));
        SpanChecks.InPlaceOrDisjoint(y, dx, nameof(y), nameof(dx));
        SpanChecks.InPlaceOrDisjoint(dy, dx, nameof(dy), nameof(dx));
    }
}
