// Adam (coupled L2, torch.optim.Adam) and AdamW (decoupled weight decay, torch.optim.AdamW): one fused device step per parameter.
using Recurrent.Tensors;

namespace Recurrent.Nn.Optim;

/// <summary>
/// The shared Adam step. Bias correction exactly as PyTorch 1.13's single-tensor path: step_size = lr/(1 − β₁^t) and
/// √(1 − β₂^t) in double on the host, then p −= step_size · m / (√v / √(1 − β₂^t) + ε) on the device.
/// </summary>
public abstract class AdamBase : Optimizer
{
    private readonly Tensor[] _expAvg, _expAvgSq;
    private readonly bool _decoupled;

    private protected AdamBase(IEnumerable<(string Name, Parameter Parameter)> parameters, double lr, double beta1, double beta2, double eps, double weightDecay, bool decoupled)
        : base(parameters, lr)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1)");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1)");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be ≥ 0");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be ≥ 0");
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        _decoupled = decoupled;
        var state = AllocateState("exp_avg", "exp_avg_sq");
        (_expAvg, _expAvgSq) = (state[0], state[1]);
    }

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }
    public double WeightDecay { get; }

    protected override void StepCore(long step)
    {
        var c = AdamCoefficients.For(step, Lr, Beta1, Beta2, Eps, WeightDecay, _decoupled);
        var parameters = Parameters;
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter p = parameters[i].Parameter;
            p.Value.Device.AdamStep(p.Value, p.Grad, _expAvg[i], _expAvgSq[i], c);
        }
    }
}

/// <summary>torch.optim.Adam: defaults lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0 (L2 added to the gradient).</summary>
public sealed class Adam : AdamBase
{
    public Adam(IEnumerable<(string Name, Parameter Parameter)> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, decoupled: false) { }

    public Adam(Module module, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : this(module.NamedParameters(), lr, beta1, beta2, eps, weightDecay) { }

    public Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : this(Numbered(parameters), lr, beta1, beta2, eps, weightDecay) { }
}

/// <summary>torch.optim.AdamW: as Adam, but weight decay shrinks the weights (p ·= 1 − lr·wd) instead of entering the moments; default 1e-2.</summary>
public sealed class AdamW : AdamBase
{
    public AdamW(IEnumerable<(string Name, Parameter Parameter)> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, decoupled: true) { }

    public AdamW(Module module, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : this(module.NamedParameters(), lr, beta1, beta2, eps, weightDecay) { }

    public AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : this(Numbered(parameters), lr, beta1, beta2, eps, weightDecay) { }
}
