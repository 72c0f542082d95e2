// A [T, B, F] buffer with its per-step views and its [T·B, F] flat view made once, so time loops allocate nothing.
using Recurrent.Tensors;

namespace Recurrent.Nn;

internal sealed class Sequence
{
    public Sequence(int steps, int batch, int features, DType dtype, Device device)
    {
        All = Tensor.Zeros([steps, batch, features], dtype, device);
        Step = new Tensor[steps];
        for (int t = 0; t < steps; t++) Step[t] = All[t];
        Flat = All.Reshape(steps * batch, features);
    }

    public Tensor All { get; }       // [T, B, F]
    public Tensor[] Step { get; }    // Step[t]: [B, F] views
    public Tensor Flat { get; }      // [T·B, F] view

    /// <summary>The first <paramref name="steps"/> steps as one [steps·B, F] view (H[0..T−1] for dW_hh).</summary>
    public Tensor FlatHead(int steps) => All.Narrow(0, steps).Reshape(steps * All.Dim(1), All.Dim(2));
}
