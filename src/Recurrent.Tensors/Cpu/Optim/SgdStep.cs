// The fused SGD step: weight decay, momentum buffer (PyTorch's first-step copy, dampening, Nesterov) and the update in one pass.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>
    /// d = g + wd·p; with momentum (buffer non-empty): buf = FirstStep ? d : μ·buf + (1 − dampening)·d, then
    /// d = Nesterov ? d + μ·buf : buf; p += (−lr)·d. Pass an empty buffer when Momentum is 0.
    /// </summary>
    public static void SgdStep<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> momentumBuffer, in SgdCoefficients c,
        SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (c.Momentum != 0 && momentumBuffer.IsEmpty && !param.IsEmpty)
            throw new ArgumentException("a momentum buffer is required when Momentum is not 0", nameof(momentumBuffer));
        var op = new SgdOp<T>(c);
        OptimDriver.Run(param, grad, c.Momentum != 0 ? momentumBuffer : default, default, op, level);
    }
}

internal readonly struct SgdOp<T> : IStepOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T _negLr, _momentum, _oneMinusDampening, _wd;
    private readonly bool _useMomentum, _nesterov, _first;

    public SgdOp(in SgdCoefficients c)
    {
        _negLr = T.CreateTruncating(-c.Lr);
        _momentum = T.CreateTruncating(c.Momentum);
        _oneMinusDampening = T.CreateTruncating(1 - c.Dampening);
        _wd = T.CreateTruncating(c.WeightDecay);
        _useMomentum = c.Momentum != 0;
        _nesterov = c.Nesterov;
        _first = c.FirstStep;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref T p, T g, ref T buf, ref T unused)
    {
        T d = T.FusedMultiplyAdd(_wd, p, g);
        if (_useMomentum)
        {
            buf = _first ? d : T.FusedMultiplyAdd(_oneMinusDampening, d, buf * _momentum);
            d = _nesterov ? T.FusedMultiplyAdd(_momentum, buf, d) : buf;
        }
        p = T.FusedMultiplyAdd(_negLr, d, p);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref Vector128<T> p, Vector128<T> g, ref Vector128<T> buf, ref Vector128<T> unused)
    {
        Vector128<T> d = VectorMath.Fma(Vector128.Create(_wd), p, g);
        if (_useMomentum)
        {
            Vector128<T> mu = Vector128.Create(_momentum);
            buf = _first ? d : VectorMath.Fma(Vector128.Create(_oneMinusDampening), d, buf * mu);
            d = _nesterov ? VectorMath.Fma(mu, buf, d) : buf;
        }
        p = VectorMath.Fma(Vector128.Create(_negLr), d, p);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref Vector256<T> p, Vector256<T> g, ref Vector256<T> buf, ref Vector256<T> unused)
    {
        Vector256<T> d = VectorMath.Fma(Vector256.Create(_wd), p, g);
        if (_useMomentum)
        {
            Vector256<T> mu = Vector256.Create(_momentum);
            buf = _first ? d : VectorMath.Fma(Vector256.Create(_oneMinusDampening), d, buf * mu);
            d = _nesterov ? VectorMath.Fma(mu, buf, d) : buf;
        }
        p = VectorMath.Fma(Vector256.Create(_negLr), d, p);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref Vector512<T> p, Vector512<T> g, ref Vector512<T> buf, ref Vector512<T> unused)
    {
        Vector512<T> d = VectorMath.Fma(Vector512.Create(_wd), p, g);
        if (_useMomentum)
        {
            Vector512<T> mu = Vector512.Create(_momentum);
            buf = _first ? d : VectorMath.Fma(Vector512.Create(_oneMinusDampening), d, buf * mu);
            d = _nesterov ? VectorMath.Fma(mu, buf, d) : buf;
        }
        p = VectorMath.Fma(Vector512.Create(_negLr), d, p);
    }
}
