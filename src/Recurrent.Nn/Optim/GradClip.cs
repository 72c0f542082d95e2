// Gradient clipping by total L2 norm (torch.nn.utils.clip_grad_norm_) and by value (clip_grad_value_).
namespace Recurrent.Nn.Optim;

public static class GradClip
{
    /// <summary>
    /// The L2 norm of all gradients together, √Σ‖g_i‖², returned as it was before clipping. When
    /// coef = maxNorm / (norm + 1e-6) is below 1 (norm above maxNorm, up to that 1e-6), every gradient is scaled by
    /// coef, as clip_grad_norm_ does. A non-finite norm throws with <paramref name="errorIfNonfinite"/>; otherwise it
    /// is returned and the gradients are left as they are (PyTorch would multiply them by NaN).
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Parameter> parameters, double maxNorm, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be ≥ 0");
        var list = parameters as IReadOnlyList<Parameter> ?? parameters.ToArray();
        double sumSquares = 0;
        foreach (var p in list)
        {
            double n = p.Grad.Device.L2Norm(p.Grad);
            sumSquares += n * n;
        }
        double total = Math.Sqrt(sumSquares);
        if (!double.IsFinite(total))
        {
            if (errorIfNonfinite)
                throw new InvalidOperationException($"the total norm of the gradients is {total}; they cannot be clipped");
            return total;
        }
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1)
            foreach (var p in list) p.Grad.Device.Scale(coef, p.Grad, p.Grad);
        return total;
    }

    /// <summary>Clamps every gradient element into [−clipValue, clipValue] (NaN stays NaN).</summary>
    public static void ClipGradValue(IEnumerable<Parameter> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0)) throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "clipValue must be ≥ 0");
        foreach (var p in parameters) p.Grad.Device.Clamp(p.Grad, -clipValue, clipValue, p.Grad);
    }
}
