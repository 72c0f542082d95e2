// A trainable tensor and the gradient that backward accumulates into it.
using Recurrent.Tensors;

namespace Recurrent.Nn;

public sealed class Parameter
{
    public Parameter(Tensor value)
    {
        Value = value;
        Grad = Tensor.ZerosLike(value);
    }

    public Tensor Value { get; }

    /// <summary>Accumulated by every Backward (+=); cleared only by <see cref="ZeroGrad"/>.</summary>
    public Tensor Grad { get; }

    public void ZeroGrad() => Value.Device.Fill(Grad, 0);
}
