// Dropout: in training, zero each element with probability p and scale the rest by 1/(1−p); identity in eval.
using Recurrent.Tensors;

namespace Recurrent.Nn;

public sealed class Dropout : Module
{
    private Rng _rng;
    private Tensor? _mask; // null when the last forward was the identity

    public Dropout(double p = 0.5, Rng? rng = null, Device? device = null, DType dtype = DType.Float32) : base(device ?? Device.Cpu, dtype)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "p must be in [0, 1)");
        P = p;
        _rng = rng ?? new Rng(0);
    }

    public double P { get; }

    public override IEnumerable<(string Name, Parameter Parameter)> NamedParameters() => [];

    /// <summary>Restarts the mask stream (gradient checks need one mask for every forward).</summary>
    public void Reseed(ulong seed) => _rng = new Rng(seed);

    /// <summary>The generator of the masks; a training checkpoint saves and restores it so a resumed run is bit-identical.</summary>
    public Rng Rng
    {
        get => _rng;
        set => _rng = value ?? throw new ArgumentNullException(nameof(value));
    }

    public Tensor Forward(Tensor x)
    {
        CheckInput(x, nameof(x));
        var y = Tensor.ZerosLike(x);
        if (!Training || P == 0)
        {
            _mask = null;
            Device.Copy(x, y);
            return y;
        }
        _mask = Tensor.ZerosLike(x);
        _rng.FillBernoulli(_mask, 1 - P);
        Device.Scale(1 / (1 - P), _mask, _mask);
        Device.Mul(x, _mask, y);
        return y;
    }

    public Tensor Backward(Tensor dy)
    {
        CheckInput(dy, nameof(dy));
        var dx = Tensor.ZerosLike(dy);
        if (_mask is null) Device.Copy(dy, dx);
        else
        {
            if (!dy.SameShape(_mask)) throw new ArgumentException($"dy must have the forward input's shape {_mask.ShapeText}; got {dy.ShapeText}", nameof(dy));
            Device.Mul(dy, _mask, dx);
        }
        return dx;
    }
}
