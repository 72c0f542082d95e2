// Vector log and log1p for float and double at every width: the pieces the losses need beyond VectorMath's exp.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

/// <summary>
/// log: the BCL's Vector{128,256,512}.Log (.NET 9+). log1p(u) by Goldberg's trick: w = 1 + u; u when w rounds to 1,
/// else log(w)·u/(w − 1) — the rounding error of 1 + u cancels, so small u keep full relative accuracy (a plain
/// log(1 + u) returns 0 for u below ε/2, which is what BCE-with-logits meets for large |x|).
/// </summary>
internal static class LossMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Log<T>(Vector128<T> x) => typeof(T) == typeof(float)
        ? Vector128.Log(x.As<T, float>()).As<float, T>() : Vector128.Log(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log<T>(Vector256<T> x) => typeof(T) == typeof(float)
        ? Vector256.Log(x.As<T, float>()).As<float, T>() : Vector256.Log(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log<T>(Vector512<T> x) => typeof(T) == typeof(float)
        ? Vector512.Log(x.As<T, float>()).As<float, T>() : Vector512.Log(x.As<T, double>()).As<double, T>();

    /// <summary>log(1 + u) for u ≥ 0 (all BCE-with-logits needs: u = e^−|x| ∈ [0, 1]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log1p<T>(T u) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T w = T.One + u;
        return w == T.One ? u : T.Log(w) * u / (w - T.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Log1p<T>(Vector128<T> u) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector128<T> w = Vector128<T>.One + u;
        return Vector128.ConditionalSelect(Vector128.Equals(w, Vector128<T>.One), u, Log(w) * u / (w - Vector128<T>.One));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log1p<T>(Vector256<T> u) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector256<T> w = Vector256<T>.One + u;
        return Vector256.ConditionalSelect(Vector256.Equals(w, Vector256<T>.One), u, Log(w) * u / (w - Vector256<T>.One));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log1p<T>(Vector512<T> u) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector512<T> w = Vector512<T>.One + u;
        return Vector512.ConditionalSelect(Vector512.Equals(w, Vector512<T>.One), u, Log(w) * u / (w - Vector512<T>.One));
    }
}
