// Scalar reference of the optimizer updates (Adam/AdamW, SGD) and clamping: PyTorch 1.13's formulas, one element at a time.
using System.Numerics;

namespace Recurrent.Tensors.Cpu;

public static partial class ReferenceKernels
{
    /// <summary>torch.optim.Adam/AdamW's single-tensor step, with the scalars rounded to T as PyTorch rounds them.</summary>
    public static void AdamStep<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq, in AdamCoefficients c) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.SameLength(grad.Length, param.Length, nameof(grad), nameof(param));
        SpanChecks.SameLength(expAvg.Length, param.Length, nameof(expAvg), nameof(param));
        SpanChecks.SameLength(expAvgSq.Length, param.Length, nameof(expAvgSq), nameof(param));
        T beta1 = T.CreateTruncating(c.Beta1), beta2 = T.CreateTruncating(c.Beta2);
        T oneMinusBeta1 = T.CreateTruncating(1 - c.Beta1), oneMinusBeta2 = T.CreateTruncating(1 - c.Beta2);
        T stepSize = T.CreateTruncating(c.StepSize), bc2Sqrt = T.CreateTruncating(c.BiasCorrection2Sqrt), eps = T.CreateTruncating(c.Eps);
        T l2 = T.CreateTruncating(c.L2), decay = T.CreateTruncating(c.Decay);
        for (int i = 0; i < param.Length; i++)
        {
            T p = param[i] * decay;                                        // AdamW: param.mul_(1 - lr*wd)
            T g = T.FusedMultiplyAdd(l2, p, grad[i]);                      // Adam: grad.add(param, alpha=wd)
            T m = T.FusedMultiplyAdd(oneMinusBeta1, g, expAvg[i] * beta1); // exp_avg.mul_(β₁).add_(grad, alpha=1-β₁)
            T v = T.FusedMultiplyAdd(oneMinusBeta2, g * g, expAvgSq[i] * beta2);
            T denom = T.Sqrt(v) / bc2Sqrt + eps;                           // (exp_avg_sq.sqrt() / bc2_sqrt).add_(eps)
            param[i] = T.FusedMultiplyAdd(-stepSize, m / denom, p);        // param.addcdiv_(exp_avg, denom, value=-step_size)
            expAvg[i] = m;
            expAvgSq[i] = v;
        }
    }

    /// <summary>torch.optim.SGD's step for one parameter; an empty buffer when Momentum is 0.</summary>
    public static void SgdStep<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> momentumBuffer, in SgdCoefficients c) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.SameLength(grad.Length, param.Length, nameof(grad), nameof(param));
        if (c.Momentum != 0) SpanChecks.SameLength(momentumBuffer.Length, param.Length, nameof(momentumBuffer), nameof(param));
        T lr = T.CreateTruncating(c.Lr), mu = T.CreateTruncating(c.Momentum), wd = T.CreateTruncating(c.WeightDecay);
        T oneMinusDampening = T.CreateTruncating(1 - c.Dampening);
        for (int i = 0; i < param.Length; i++)
        {
            T d = T.FusedMultiplyAdd(wd, param[i], grad[i]);
            if (c.Momentum != 0)
            {
                T buf = c.FirstStep ? d : T.FusedMultiplyAdd(oneMinusDampening, d, momentumBuffer[i] * mu);
                momentumBuffer[i] = buf;
                d = c.Nesterov ? T.FusedMultiplyAdd(mu, buf, d) : buf;
            }
            param[i] = T.FusedMultiplyAdd(-lr, d, param[i]);
        }
    }

    public static void Clamp<T>(ReadOnlySpan<T> x, T lo, T hi, Span<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Destination(y.Length, x.Length, nameof(y));
        for (int i = 0; i < x.Length; i++)
            y[i] = x[i] < lo ? lo : x[i] > hi ? hi : x[i];
    }
}
