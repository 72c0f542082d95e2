// The fused Adam/AdamW step: decay, L2, both moments, bias correction and the update in one pass over four tensors.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>
    /// For every element, in PyTorch 1.13's order of operations: p ·= Decay; g' = g + L2·p; m = β₁m + (1 − β₁)g';
    /// v = β₂v + (1 − β₂)g'²; p −= StepSize · m / (√v / BiasCorrection2Sqrt + ε). The coefficients are rounded to T
    /// once, as PyTorch rounds its Python-float scalars to the tensor's dtype.
    /// </summary>
    public static void AdamStep<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq, in AdamCoefficients c,
        SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.SameLength(expAvg.Length, param.Length, nameof(expAvg), nameof(param));
        SpanChecks.SameLength(expAvgSq.Length, param.Length, nameof(expAvgSq), nameof(param));
        var op = new AdamOp<T>(c);
        OptimDriver.Run(param, grad, expAvg, expAvgSq, op, level);
    }
}

internal readonly struct AdamOp<T> : IStepOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _eps, _negStepSize, _bc2Sqrt, _l2, _decay;

    public AdamOp(in AdamCoefficients c)
    {
        _beta1 = T.CreateTruncating(c.Beta1);
        _oneMinusBeta1 = T.CreateTruncating(1 - c.Beta1);
        _beta2 = T.CreateTruncating(c.Beta2);
        _oneMinusBeta2 = T.CreateTruncating(1 - c.Beta2);
        _eps = T.CreateTruncating(c.Eps);
        _negStepSize = T.CreateTruncating(-c.StepSize);
        _bc2Sqrt = T.CreateTruncating(c.BiasCorrection2Sqrt);
        _l2 = T.CreateTruncating(c.L2);
        _decay = T.CreateTruncating(c.Decay);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref T p, T g, ref T m, ref T v)
    {
        p *= _decay;
        g = T.FusedMultiplyAdd(_l2, p, g);
        m = T.FusedMultiplyAdd(_oneMinusBeta1, g, m * _beta1);
        v = T.FusedMultiplyAdd(_oneMinusBeta2, g * g, v * _beta2);
        p = T.FusedMultiplyAdd(_negStepSize, m / (T.Sqrt(v) / _bc2Sqrt + _eps), p);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref Vector128<T> p, Vector128<T> g, ref Vector128<T> m, ref Vector128<T> v)
    {
        p *= Vector128.Create(_decay);
        g = VectorMath.Fma(Vector128.Create(_l2), p, g);
        m = VectorMath.Fma(Vector128.Create(_oneMinusBeta1), g, m * Vector128.Create(_beta1));
        v = VectorMath.Fma(Vector128.Create(_oneMinusBeta2), g * g, v * Vector128.Create(_beta2));
        p = VectorMath.Fma(Vector128.Create(_negStepSize), m / (Vector128.Sqrt(v) / Vector128.Create(_bc2Sqrt) + Vector128.Create(_eps)), p);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref Vector256<T> p, Vector256<T> g, ref Vector256<T> m, ref Vector256<T> v)
    {
        p *= Vector256.Create(_decay);
        g = VectorMath.Fma(Vector256.Create(_l2), p, g);
        m = VectorMath.Fma(Vector256.Create(_oneMinusBeta1), g, m * Vector256.Create(_beta1));
        v = VectorMath.Fma(Vector256.Create(_oneMinusBeta2), g * g, v * Vector256.Create(_beta2));
        p = VectorMath.Fma(Vector256.Create(_negStepSize), m / (Vector256.Sqrt(v) / Vector256.Create(_bc2Sqrt) + Vector256.Create(_eps)), p);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref Vector512<T> p, Vector512<T> g, ref Vector512<T> m, ref Vector512<T> v)
    {
        p *= Vector512.Create(_decay);
        g = VectorMath.Fma(Vector512.Create(_l2), p, g);
        m = VectorMath.Fma(Vector512.Create(_oneMinusBeta1), g, m * Vector512.Create(_beta1));
        v = VectorMath.Fma(Vector512.Create(_oneMinusBeta2), g * g, v * Vector512.Create(_beta2));
        p = VectorMath.Fma(Vector512.Create(_negStepSize), m / (Vector512.Sqrt(v) / Vector512.Create(_bc2Sqrt) + Vector512.Create(_eps)), p);
    }
}
