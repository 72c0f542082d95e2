// BCE on probabilities, as PyTorch's binary_cross_entropy: logs clamped at −100, derivative over max(x(1 − x), 1e-12f).
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

/// <summary>ℓ = −(y·max(log x, −100) + (1 − y)·max(log(1 − x), −100)). The clamp keeps ℓ finite at x = 0 or 1 (and 0·(−∞) out).</summary>
internal readonly struct BceValueOp<T> : IBinaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private static T Floor => T.CreateTruncating(-100.0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Invoke(T x, T y, T s) =>
        -(y * T.Max(T.Log(x), Floor) + (T.One - y) * T.Max(T.Log(T.One - x), Floor));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> y, Vector128<T> s)
    {
        Vector128<T> one = Vector128<T>.One, floor = Vector128.Create(Floor);
        return -(y * Vector128.Max(LossMath.Log(x), floor) + (one - y) * Vector128.Max(LossMath.Log(one - x), floor));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y, Vector256<T> s)
    {
        Vector256<T> one = Vector256<T>.One, floor = Vector256.Create(Floor);
        return -(y * Vector256.Max(LossMath.Log(x), floor) + (one - y) * Vector256.Max(LossMath.Log(one - x), floor));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> y, Vector512<T> s)
    {
        Vector512<T> one = Vector512<T>.One, floor = Vector512.Create(Floor);
        return -(y * Vector512.Max(LossMath.Log(x), floor) + (one - y) * Vector512.Max(LossMath.Log(one - x), floor));
    }
}

/// <summary>
/// s · (x − y) / max((1 − x)·x, ε) with ε = (float)1e-12 = 9.99999996e-13 even in float64 — PyTorch's CPU kernel
/// (measured: its float64 gradient at x = 1 − 1e-12 divides by exactly that value).
/// </summary>
internal readonly struct BceGradOp<T> : IBinaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Epsilon => T.CreateTruncating((double)1e-12f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Invoke(T x, T y, T s) => s * (x - y) / T.Max((T.One - x) * x, Epsilon);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> y, Vector128<T> s) =>
        s * (x - y) / Vector128.Max((Vector128<T>.One - x) * x, Vector128.Create(Epsilon));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y, Vector256<T> s) =>
        s * (x - y) / Vector256.Max((Vector256<T>.One - x) * x, Vector256.Create(Epsilon));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> y, Vector512<T> s) =>
        s * (x - y) / Vector512.Max((Vector512<T>.One - x) * x, Vector512.Create(Epsilon));
}
