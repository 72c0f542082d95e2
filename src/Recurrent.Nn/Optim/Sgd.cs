// Stochastic gradient descent with momentum, dampening, Nesterov and weight decay, as torch.optim.SGD.
using Recurrent.Tensors;

namespace Recurrent.Nn.Optim;

/// <summary>
/// torch.optim.SGD: d = g + wd·p; with momentum μ the buffer starts as d on the first step (no dampening), then
/// buf = μ·buf + (1 − dampening)·d; d = Nesterov ? d + μ·buf : buf; p −= lr·d. One fused device step per parameter.
/// lr has no default, as in PyTorch.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor[]? _buffers;

    public Sgd(IEnumerable<(string Name, Parameter Parameter)> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, lr)
    {
        if (!(momentum >= 0)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be ≥ 0");
        if (double.IsNaN(dampening) || double.IsInfinity(dampening)) throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "dampening must be finite");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be ≥ 0");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum requires a momentum > 0 and zero dampening", nameof(nesterov));
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        if (momentum != 0) _buffers = AllocateState("momentum_buffer")[0];
        else NoState();
    }

    public Sgd(Module module, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : this(module.NamedParameters(), lr, momentum, dampening, weightDecay, nesterov) { }

    public Sgd(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : this(Numbered(parameters), lr, momentum, dampening, weightDecay, nesterov) { }

    public double Momentum { get; }
    public double Dampening { get; }
    public double WeightDecay { get; }
    public bool Nesterov { get; }

    protected override void StepCore(long step)
    {
        // PyTorch's momentum_buffer is None until the first step; here that is "no step taken yet" (StepCount 0).
        var c = new SgdCoefficients(Lr, Momentum, Dampening, WeightDecay, Nesterov, FirstStep: step == 1);
        var parameters = Parameters;
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter p = parameters[i].Parameter;
            p.Value.Device.SgdStep(p.Value, p.Grad, _buffers?[i], c);
        }
    }
}
