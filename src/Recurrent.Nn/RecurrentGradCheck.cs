// Gradient check of a whole recurrent layer: outputs and final states projected onto fixed random weights.
using Recurrent.Tensors;

namespace Recurrent.Nn;

public static class RecurrentGradCheck
{
    /// <summary>
    /// L = Σ output⊙W_out + Σ h_n⊙W_h (+ Σ c_n⊙W_c) with random float64 x, h0, c0 and W's; checks dL/dx, dL/dh0, dL/dc0
    /// and every parameter by central differences. The layer must be float64; dropout masks are replayed (reseeded) on
    /// every forward so that the function being differentiated is fixed.
    /// </summary>
    public static IReadOnlyList<GradCheckResult> Run(RecurrentLayer layer, int steps, int batch, int[]? lengths = null, ulong seed = 2,
        double eps = GradCheck.DefaultEps, double atol = GradCheck.DefaultAtol, double rtol = GradCheck.DefaultRtol)
    {
        if (layer.DType != DType.Float64)
            throw new ArgumentException($"gradient checks need a float64 layer; this one is {layer.DType.Name()}", nameof(layer));
        var rng = new Rng(seed);
        Device device = layer.Device;
        int states = layer.NumLayers * layer.Directions;
        int outWidth = layer.Directions * layer.OutputHiddenSize;
        Tensor Random(params int[] shape)
        {
            var t = Tensor.Zeros(shape, DType.Float64, device);
            rng.FillUniform(t, -1, 1);
            return t;
        }
        bool bf = layer.Options.BatchFirst;
        var x = Random(bf ? [batch, steps, layer.InputSize] : [steps, batch, layer.InputSize]);
        var h0 = Random(states, batch, layer.OutputHiddenSize);
        var c0 = layer.Cell == CellKind.Lstm ? Random(states, batch, layer.HiddenSize) : null;
        var wOut = Random(bf ? [batch, steps, outWidth] : [steps, batch, outWidth]);
        var wH = Random(states, batch, layer.OutputHiddenSize);
        var wC = c0 is null ? null : Random(states, batch, layer.HiddenSize);
        var dx = Tensor.ZerosLike(x);
        var dh0 = Tensor.ZerosLike(h0);
        var dc0 = c0 is null ? null : Tensor.ZerosLike(c0);

        RecurrentResult Forward()
        {
            layer.ReseedDropout(seed + 97);
            return layer.Forward(x, h0, c0, lengths);
        }
        double Loss()
        {
            var r = Forward();
            return GradCheck.Dot(r.Output, wOut) + GradCheck.Dot(r.HN, wH) + (r.CN is null ? 0 : GradCheck.Dot(r.CN, wC!));
        }
        void Backward()
        {
            layer.ZeroGrad();
            Forward();
            var g = layer.Backward(wOut, wH, wC);
            device.Copy(g.DInput!, dx);
            device.Copy(g.DH0, dh0);
            if (dc0 is not null) device.Copy(g.DC0!, dc0);
        }

        var targets = new List<(string, Tensor, Tensor)> { ("input", x, dx), ("h0", h0, dh0) };
        if (c0 is not null) targets.Add(("c0", c0, dc0!));
        targets.AddRange(layer.NamedParameters().Select(p => (p.Name, p.Parameter.Value, p.Parameter.Grad)));
        return GradCheck.Run(Loss, Backward, targets, eps, atol, rtol);
    }
}
