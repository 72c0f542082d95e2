// Sigmoid: y = 1 / (1 + e^−x), evaluated as e/(1 + e) with e = e^−|x| on the negative side.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>y[i] = 1/(1 + exp(-x[i])), computed from e = exp(−|x|) (never overflows; negative tail exact down to subnormals); sigmoid(+∞) = 1, sigmoid(−∞) = 0, NaN stays NaN; y may be x.</summary>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> y, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Destination(y.Length, x.Length, nameof(y));
        SpanChecks.InPlaceOrDisjoint(x, y, nameof(x), nameof(y));
        KernelDriver.Unary<T, SigmoidOp<T>>(x, y, T.Zero, level);
    }
}

internal readonly struct SigmoidOp<T> : IUnaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Invoke(T x, T s)
    {
        T e = T.Exp(-T.Abs(x));
        return (x < T.Zero ? e : T.One) / (T.One + e);   // one division for both sides
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> s)
    {
        Vector128<T> e = VectorMath.Exp(-Vector128.Abs(x));
        Vector128<T> num = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<T>.Zero), e, Vector128<T>.One);
        return num / (Vector128<T>.One + e);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> s)
    {
        Vector256<T> e = VectorMath.Exp(-Vector256.Abs(x));
        Vector256<T> num = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<T>.Zero), e, Vector256<T>.One);
        return num / (Vector256<T>.One + e);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> s)
    {
        Vector512<T> e = VectorMath.Exp(-Vector512.Abs(x));
        Vector512<T> num = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<T>.Zero), e, Vector512<T>.One);
        return num / (Vector512<T>.One + e);
    }
}
