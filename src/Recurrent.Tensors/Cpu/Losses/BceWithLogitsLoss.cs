// BCE with logits in the stable form: ℓ = max(x, 0) − x·y + log(1 + e^−|x|), ∂ℓ/∂x = sigmoid(x) − y.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

/// <summary>e^−|x| never overflows; log1p keeps the tail accurate where the loss itself is tiny (x ≪ 0 with y = 0).</summary>
internal readonly struct BceWithLogitsValueOp<T> : IBinaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Invoke(T x, T y, T s) => T.Max(x, T.Zero) - x * y + LossMath.Log1p(T.Exp(-T.Abs(x)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> y, Vector128<T> s) =>
        Vector128.Max(x, Vector128<T>.Zero) - x * y + LossMath.Log1p(VectorMath.Exp(-Vector128.Abs(x)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y, Vector256<T> s) =>
        Vector256.Max(x, Vector256<T>.Zero) - x * y + LossMath.Log1p(VectorMath.Exp(-Vector256.Abs(x)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> y, Vector512<T> s) =>
        Vector512.Max(x, Vector512<T>.Zero) - x * y + LossMath.Log1p(VectorMath.Exp(-Vector512.Abs(x)));
}

/// <summary>s · (sigmoid(x) − y), sigmoid from <see cref="SigmoidOp{T}"/> (no overflow on either side).</summary>
internal readonly struct BceWithLogitsGradOp<T> : IBinaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Invoke(T x, T y, T s) => s * (SigmoidOp<T>.Invoke(x, s) - y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> y, Vector128<T> s) => s * (SigmoidOp<T>.Invoke(x, s) - y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y, Vector256<T> s) => s * (SigmoidOp<T>.Invoke(x, s) - y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> y, Vector512<T> s) => s * (SigmoidOp<T>.Invoke(x, s) - y);
}
