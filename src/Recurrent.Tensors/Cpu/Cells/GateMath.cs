// Cheaper float sigmoid and tanh for the fused cell kernels (double keeps the accurate VectorMath ones).
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Recurrent.Tensors.Cpu;

/// <summary>
/// The gate activations of the LSTM and GRU step kernels. A step of the small LSTM spent twice as long in the fused
/// cell as in its h·W_hhᵀ product: five exp-and-divide evaluations per unit (3 sigmoid, 2 tanh), each tanh computing
/// both a polynomial and an exp branch. For float, here:
/// <list type="bullet">
/// <item>sigmoid(x) = 1/(1 + e^−x) with a lean exp: Cody–Waite reduction, Cephes' degree-5 polynomial, one power-of-two
/// factor (the argument is clamped to [−87, 88], so 2^n stays a normal float and e^88 stays finite; sigmoid below −88
/// is then σ(−88) ≈ 6e−39 or 0 instead of a smaller subnormal — an absolute error under 1e−38);</item>
/// <item>tanh(x) = x·P(x²)/Q(x²), the 13/6-degree rational interpolant Eigen uses on [−9, 9]; exactly ±1 from |x| = 9.02
/// on, where the correctly rounded float tanh is ±1 (so saturated units have a zero derivative, as in PyTorch);</item>
/// <item>the divisions as a 14-bit reciprocal estimate (AVX-512 vrcp14ps) refined by one Newton step (≈ 28 bits).</item>
/// </list>
/// Measured against the correctly rounded values on every 7th float of [−20, 20] (GateMathTests checks a sweep):
/// sigmoid ≤ 2 ulp (≤ 9e−8 absolute; its clamped subnormal tail aside, see above), tanh ≤ 6 ulp and ≤ 3.4e−7 absolute
/// (the rational evaluated in float; a true division instead of the reciprocal gains 1 ulp at most). The VectorMath
/// functions these replace in the cells were ≤ 3 and ≤ 2 ulp; the fused cell is held to 2e−6 of the scalar reference.
/// Every lane of every width computes the same operations, so Vector256 and Vector512 bodies agree bit for bit.
/// NaN propagates (the clamps return their second operand, x, for NaN); ±∞ give the limits.
/// </summary>
internal static class GateMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sigmoid<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) && IsFast ? SigmoidF(x.As<T, float>()).As<float, T>() : SigmoidOp<T>.Invoke(x, default);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sigmoid<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) && IsFast ? SigmoidF(x.As<T, float>()).As<float, T>() : SigmoidOp<T>.Invoke(x, default);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Tanh<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) && IsFast ? TanhF(x.As<T, float>()).As<float, T>() : VectorMath.Tanh(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Tanh<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) && IsFast ? TanhF(x.As<T, float>()).As<float, T>() : VectorMath.Tanh(x);

    /// <summary>
    /// The fast path needs AVX-512 (vrcp14ps at 256 and 512 bits): both bodies must use the same reciprocal so they
    /// agree bit for bit. Without it the accurate VectorMath functions run at both widths.
    /// </summary>
    public static bool IsFast => Avx512F.VL.IsSupported;

    private const float ExpHi = 88f, ExpLo = -87f, Log2E = 1.44269504088896341f;
    private const float Shifter = 12583039f;                                                 // 1.5·2^23 + 127: t's low bits are n + 127
    private const float Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;                       // Cephes split of ln 2
    private const float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f, // Cephes expf: e^r ≈ 1 + r + r²·P(r)
        E3 = 4.1665795894e-2f, E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;
    private const float Saturation = 9.02f;   // from here on the correctly rounded tanh is ±1 (and P/Q leaves its fitted range)
    // Eigen's coefficients divided by its alpha_1, so P(0) = Q(0) = 1 and tanh′(0) = 1 exactly (Eigen's beta_0 differs from
    // alpha_1 by 1.3e−7, a 2-ulp bias near 0).
    private const double Alpha1 = 4.89352455891786e-03;
    private const float A3 = (float)(6.37261928875436e-04 / Alpha1), A5 = (float)(1.48572235717979e-05 / Alpha1),
        A7 = (float)(5.12229709037114e-08 / Alpha1), A9 = (float)(-8.60467152213735e-11 / Alpha1),
        A11 = (float)(2.00018790482477e-13 / Alpha1), A13 = (float)(-2.76076847742355e-16 / Alpha1);
    private const float B2 = (float)(2.26843463243900e-03 / Alpha1), B4 = (float)(1.18534705686654e-04 / Alpha1),
        B6 = (float)(1.19825839466702e-06 / Alpha1);

    // ---- 256 bits ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> SigmoidF(Vector256<float> x) => Reciprocal(Vector256<float>.One + ExpClamped(-x));

    /// <summary>e^y for y clamped to [−87, 88] (NaN stays NaN): a normal, finite result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpClamped(Vector256<float> y)
    {
        y = Avx.Max(Vector256.Create(ExpLo), Avx.Min(Vector256.Create(ExpHi), y));
        Vector256<float> t = Fma.MultiplyAdd(y, Vector256.Create(Log2E), Vector256.Create(Shifter));
        Vector256<float> n = t - Vector256.Create(Shifter);
        Vector256<float> r = Fma.MultiplyAddNegated(n, Vector256.Create(Ln2Hi), y);               // y − n·ln2, in two parts
        r = Fma.MultiplyAddNegated(n, Vector256.Create(Ln2Lo), r);
        Vector256<float> p = Fma.MultiplyAdd(Vector256.Create(E0), r, Vector256.Create(E1));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(E2));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(E3));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(E4));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(E5));
        Vector256<float> e = Fma.MultiplyAdd(p, r * r, r) + Vector256<float>.One;
        return e * Vector256.ShiftLeft(t.AsInt32(), 23).AsSingle();                              // · 2^n
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> TanhF(Vector256<float> x)
    {
        Vector256<float> s = x * x;
        Vector256<float> p = Fma.MultiplyAdd(s, Vector256.Create(A13), Vector256.Create(A11));
        p = Fma.MultiplyAdd(p, s, Vector256.Create(A9));
        p = Fma.MultiplyAdd(p, s, Vector256.Create(A7));
        p = Fma.MultiplyAdd(p, s, Vector256.Create(A5));
        p = Fma.MultiplyAdd(p, s, Vector256.Create(A3));
        p = Fma.MultiplyAdd(p, s, Vector256<float>.One);
        Vector256<float> q = Fma.MultiplyAdd(s, Vector256.Create(B6), Vector256.Create(B4));
        q = Fma.MultiplyAdd(q, s, Vector256.Create(B2));
        q = Fma.MultiplyAdd(q, s, Vector256<float>.One);
        Vector256<float> saturated = Vector256.GreaterThanOrEqual(Vector256.Abs(x), Vector256.Create(Saturation));
        return Vector256.ConditionalSelect(saturated, Vector256.ConditionalSelect(Vector256.Create(-0f), x, Vector256<float>.One), x * (p * Reciprocal(q)));  // x last: no subnormal intermediate for tiny x
    }

    /// <summary>1/d from the 14-bit estimate and one Newton step r + r·(1 − d·r): about 28 bits before rounding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Reciprocal(Vector256<float> d)
    {
        Vector256<float> r = Avx512F.VL.Reciprocal14(d);
        return Fma.MultiplyAdd(Fma.MultiplyAddNegated(d, r, Vector256<float>.One), r, r);
    }

    // ---- 512 bits: the same operations ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> SigmoidF(Vector512<float> x) => Reciprocal(Vector512<float>.One + ExpClamped(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ExpClamped(Vector512<float> y)
    {
        y = Avx512F.Max(Vector512.Create(ExpLo), Avx512F.Min(Vector512.Create(ExpHi), y));
        Vector512<float> t = Avx512F.FusedMultiplyAdd(y, Vector512.Create(Log2E), Vector512.Create(Shifter));
        Vector512<float> n = t - Vector512.Create(Shifter);
        Vector512<float> r = Avx512F.FusedMultiplyAddNegated(n, Vector512.Create(Ln2Hi), y);
        r = Avx512F.FusedMultiplyAddNegated(n, Vector512.Create(Ln2Lo), r);
        Vector512<float> p = Avx512F.FusedMultiplyAdd(Vector512.Create(E0), r, Vector512.Create(E1));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(E2));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(E3));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(E4));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(E5));
        Vector512<float> e = Avx512F.FusedMultiplyAdd(p, r * r, r) + Vector512<float>.One;
        return e * Vector512.ShiftLeft(t.AsInt32(), 23).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> TanhF(Vector512<float> x)
    {
        Vector512<float> s = x * x;
        Vector512<float> p = Avx512F.FusedMultiplyAdd(s, Vector512.Create(A13), Vector512.Create(A11));
        p = Avx512F.FusedMultiplyAdd(p, s, Vector512.Create(A9));
        p = Avx512F.FusedMultiplyAdd(p, s, Vector512.Create(A7));
        p = Avx512F.FusedMultiplyAdd(p, s, Vector512.Create(A5));
        p = Avx512F.FusedMultiplyAdd(p, s, Vector512.Create(A3));
        p = Avx512F.FusedMultiplyAdd(p, s, Vector512<float>.One);
        Vector512<float> q = Avx512F.FusedMultiplyAdd(s, Vector512.Create(B6), Vector512.Create(B4));
        q = Avx512F.FusedMultiplyAdd(q, s, Vector512.Create(B2));
        q = Avx512F.FusedMultiplyAdd(q, s, Vector512<float>.One);
        Vector512<float> saturated = Vector512.GreaterThanOrEqual(Vector512.Abs(x), Vector512.Create(Saturation));
        return Vector512.ConditionalSelect(saturated, Vector512.ConditionalSelect(Vector512.Create(-0f), x, Vector512<float>.One), x * (p * Reciprocal(q)));  // x last: no subnormal intermediate for tiny x
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Reciprocal(Vector512<float> d)
    {
        Vector512<float> r = Avx512F.Reciprocal14(d);
        return Avx512F.FusedMultiplyAdd(Avx512F.FusedMultiplyAddNegated(d, r, Vector512<float>.One), r, r);
    }
}
