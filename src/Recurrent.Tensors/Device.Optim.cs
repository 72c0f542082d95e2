// The optimizer primitives: the fused Adam/AdamW step, the fused SGD step (momentum, Nesterov) and clamping for gradient clipping.
namespace Recurrent.Tensors;

/// <summary>
/// The scalars of one Adam step, computed once on the host in double exactly as PyTorch 1.13's single-tensor Adam does
/// (bias_correction1 = 1 − β₁^step, step_size = lr / bias_correction1, bias_correction2_sqrt = √(1 − β₂^step)),
/// then rounded to the tensor's dtype by the kernel.
/// </summary>
public readonly record struct AdamCoefficients
{
    public double Beta1 { get; init; }
    public double Beta2 { get; init; }
    public double Eps { get; init; }
    /// <summary>lr / (1 − β₁^step).</summary>
    public double StepSize { get; init; }
    /// <summary>√(1 − β₂^step).</summary>
    public double BiasCorrection2Sqrt { get; init; }
    /// <summary>Coupled weight decay (Adam): grad += L2·param before the moments. 0 for AdamW.</summary>
    public double L2 { get; init; }
    /// <summary>Decoupled weight decay (AdamW): param ·= Decay = 1 − lr·weight_decay before the update. 1 for Adam.</summary>
    public double Decay { get; init; }

    /// <param name="step">The step being taken, counted from 1.</param>
    /// <param name="decoupled">AdamW (decay the weights) rather than Adam (add L2 to the gradient).</param>
    public static AdamCoefficients For(long step, double lr, double beta1, double beta2, double eps, double weightDecay, bool decoupled)
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "step counts from 1");
        return new AdamCoefficients
        {
            Beta1 = beta1,
            Beta2 = beta2,
            Eps = eps,
            StepSize = lr / (1 - Math.Pow(beta1, step)),
            BiasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, step)),
            L2 = decoupled ? 0 : weightDecay,
            Decay = decoupled ? 1 - lr * weightDecay : 1,
        };
    }
}

/// <summary>The settings of one SGD step, PyTorch's torch.optim.SGD.</summary>
/// <param name="FirstStep">The momentum buffer is empty: it starts as a copy of the (decayed) gradient, without dampening.</param>
public readonly record struct SgdCoefficients(double Lr, double Momentum, double Dampening, double WeightDecay, bool Nesterov, bool FirstStep);

public abstract partial class Device
{
    /// <summary>
    /// One fused Adam (or AdamW) step over one parameter, every tensor read and written once:
    /// p ·= Decay; g = grad + L2·p; m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²; p −= StepSize · m / (√v / BiasCorrection2Sqrt + ε).
    /// param, grad, expAvg, expAvgSq: same shape and dtype; grad is only read.
    /// </summary>
    public void AdamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, in AdamCoefficients coefficients)
    {
        CheckFloat(param, nameof(param));
        CheckSameShape(param, grad, nameof(grad));
        CheckSameShape(param, expAvg, nameof(expAvg));
        CheckSameShape(param, expAvgSq, nameof(expAvgSq));
        CheckDisjoint(param, nameof(param), grad, nameof(grad));
        CheckDisjoint(param, nameof(param), expAvg, nameof(expAvg));
        CheckDisjoint(param, nameof(param), expAvgSq, nameof(expAvgSq));
        CheckDisjoint(grad, nameof(grad), expAvg, nameof(expAvg));
        CheckDisjoint(grad, nameof(grad), expAvgSq, nameof(expAvgSq));
        CheckDisjoint(expAvg, nameof(expAvg), expAvgSq, nameof(expAvgSq));
        AdamStepCore(param, grad, expAvg, expAvgSq, coefficients);
    }

    /// <summary>
    /// One fused SGD step: d = grad + wd·p; with momentum, buf = FirstStep ? d : μ·buf + (1 − dampening)·d and
    /// d = Nesterov ? d + μ·buf : buf; p −= lr·d. momentumBuffer is required when Momentum ≠ 0 and ignored otherwise.
    /// </summary>
    public void SgdStep(Tensor param, Tensor grad, Tensor? momentumBuffer, in SgdCoefficients coefficients)
    {
        CheckFloat(param, nameof(param));
        CheckSameShape(param, grad, nameof(grad));
        if (coefficients.Momentum != 0)
        {
            if (momentumBuffer is null) throw new ArgumentNullException(nameof(momentumBuffer), "a momentum buffer is required when Momentum is not 0");
            CheckSameShape(param, momentumBuffer, nameof(momentumBuffer));
            CheckDisjoint(param, nameof(param), momentumBuffer, nameof(momentumBuffer));
            CheckDisjoint(grad, nameof(grad), momentumBuffer, nameof(momentumBuffer));
        }
        CheckDisjoint(param, nameof(param), grad, nameof(grad));
        SgdStepCore(param, grad, coefficients.Momentum != 0 ? momentumBuffer : null, coefficients);
    }

    /// <summary>y = min(max(x, min), max); NaN stays NaN (clip_grad_value_'s clamp_). y may be x.</summary>
    public void Clamp(Tensor x, double min, double max, Tensor y)
    {
        CheckFloat(x, nameof(x));
        CheckSameShape(x, y, nameof(y));
        if (!(min <= max)) throw new ArgumentOutOfRangeException(nameof(min), min, $"min must be ≤ max ({max})");
        ClampCore(x, min, max, y);
    }

    protected abstract void AdamStepCore(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, in AdamCoefficients coefficients);
    protected abstract void SgdStepCore(Tensor param, Tensor grad, Tensor? momentumBuffer, in SgdCoefficients coefficients);
    protected abstract void ClampCore(Tensor x, double min, double max, Tensor y);

    /// <summary>The tensors of an update are each read and written in one pass, so they must not overlap (checked without allocating).</summary>
    private static void CheckDisjoint(Tensor a, string aName, Tensor b, string bName)
    {
        if (ReferenceEquals(a.Storage, b.Storage) && a.Offset < b.Offset + b.Length && b.Offset < a.Offset + a.Length)
            throw new ArgumentException($"{bName} overlaps {aName}; the tensors of an update must be distinct", bName);
    }
}
