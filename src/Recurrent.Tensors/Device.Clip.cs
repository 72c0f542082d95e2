// Clipping by a norm that stays on the device: the scaling half of clip_grad_norm_, reading the total norm where it lies.
namespace Recurrent.Tensors;

public abstract partial class Device
{
    /// <summary>
    /// x ·= maxNorm / (totalNorm + 1e-6) when that coefficient is below 1 and totalNorm is finite (clip_grad_norm_'s
    /// rule; a non-finite norm leaves x as it is). totalNorm: one element on this device, e.g. an <see cref="L2Norm(Tensor, Tensor)"/>
    /// result — a GPU reads it in the kernel, so clipping never waits for the host.
    /// </summary>
    public void ClipByNorm(Tensor totalNorm, double maxNorm, Tensor x)
    {
        CheckFloat(x, nameof(x));
        CheckSame(x, totalNorm, nameof(totalNorm));
        CheckLength(totalNorm, 1, nameof(totalNorm), "one element");
        if (!(maxNorm >= 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be ≥ 0");
        ClipByNormCore(totalNorm, maxNorm, x);
    }

    /// <summary>The host's way, right wherever reading one element is free (the CPU): read the norm, scale in double.</summary>
    protected virtual void ClipByNormCore(Tensor totalNorm, double maxNorm, Tensor x)
    {
        double total = totalNorm.Item();
        if (!double.IsFinite(total)) return;
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1) Scale(coef, x, x);
    }
}
