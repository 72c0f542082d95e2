// The non-finite guard: after backward, name the first parameter whose gradient holds NaN or ±Inf, and where it began.
using System.Globalization;
using Recurrent.Tensors;

namespace Recurrent.Nn;

/// <summary>Thrown by <see cref="NonFiniteGuard.Check"/>: training must stop rather than run on with garbage.</summary>
public sealed class NonFiniteGradientException(string message, string? parameter, (int Layer, int Direction, int Step)? step, double loss)
    : Exception(message)
{
    /// <summary>The first parameter (in state_dict order) with a non-finite gradient; null when only the loss was non-finite.</summary>
    public string? Parameter { get; } = parameter;

    /// <summary>Where BPTT first met a non-finite gate gradient, when a recurrent layer was given and one applies.</summary>
    public (int Layer, int Direction, int Step)? Step { get; } = step;

    public double Loss { get; } = loss;
}

public static class NonFiniteGuard
{
    /// <summary>
    /// Checks the loss and every gradient (one device reduction each); throws <see cref="NonFiniteGradientException"/>
    /// naming the first offender, the time step where a recurrent layer's backward first went non-finite, and the loss.
    /// </summary>
    public static void Check(double loss, IEnumerable<(string Name, Parameter Parameter)> parameters, int? trainingStep = null, params RecurrentLayer[] layers)
    {
        string? bad = null;
        foreach (var (name, p) in parameters)
        {
            if (!double.IsFinite(p.Grad.Device.L2Norm(p.Grad)))
            {
                bad = name;
                break;
            }
        }
        if (bad is null && double.IsFinite(loss)) return;

        (int, int, int)? where = null;
        foreach (var layer in layers)
            if (layer.FindFirstNonFiniteStep() is { } found)
            {
                where = found;
                break;
            }
        string at = trainingStep is int s ? $" at training step {s}" : "";
        string lossText = loss.ToString("G6", CultureInfo.InvariantCulture);
        string message = bad is null
            ? $"the loss is {lossText}{at}; stopping"
            : $"the gradient of {bad} is not finite (NaN or ±Inf){at}" +
              (where is var (l, d, t) ? $"; backprop through time first went non-finite at layer {l}{(d == 1 ? " (reverse)" : "")}, time step {t}" : "") +
              $"; the loss was {lossText}. Lower the learning rate or clip gradients (--clip).";
        throw new NonFiniteGradientException(message, bad, where, loss);
    }
}
