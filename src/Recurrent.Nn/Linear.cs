// Linear: y = x·Wᵀ + b over the last dimension, with its backward beside it.
using Recurrent.Tensors;

namespace Recurrent.Nn;

public sealed class Linear : Module
{
    private Tensor? _input;   // [N, in], kept for backward
    private Tensor? _output;  // reused while the input shape stays the same
    private Tensor? _dInput;

    /// <param name="rng">Draws PyTorch's default init U(-1/√in, 1/√in) for weight and bias; null leaves zeros.</param>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Rng? rng = null, Device? device = null, DType dtype = DType.Float32)
        : base(device ?? Device.Cpu, dtype)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = new Parameter(Tensor.Zeros([outFeatures, inFeatures], dtype, Device));
        Bias = bias ? new Parameter(Tensor.Zeros([outFeatures], dtype, Device)) : null;
        if (rng is not null)
        {
            double bound = 1 / Math.Sqrt(inFeatures);
            InitUniform(rng, bound, Bias is null ? [Weight] : [Weight, Bias]);
        }
    }

    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Parameter Weight { get; }   // [out, in]
    public Parameter? Bias { get; }    // [out]

    public override IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        yield return ("weight", Weight);
        if (Bias is not null) yield return ("bias", Bias);
    }

    /// <summary>
    /// x: [..., in] → [..., out]. The input is kept (not copied) for backward: don't overwrite it before then. The result
    /// belongs to the module and is overwritten by the next Forward (Clone() to keep it).
    /// </summary>
    public Tensor Forward(Tensor x)
    {
        CheckInput(x, nameof(x));
        if (x.Rank < 1 || x.Dim(-1) != InFeatures)
            throw new ArgumentException($"x must have last dimension {InFeatures} (shape [..., {InFeatures}]); got {x.ShapeText}", nameof(x));
        Tensor x2 = x.Reshape(-1, InFeatures);                       // [N, in]
        int[] outShape = x.Shape.ToArray();
        outShape[^1] = OutFeatures;
        var y = Tensor.Reuse(ref _output, outShape, DType, Device);
        Tensor y2 = y.Reshape(-1, OutFeatures);                      // [N, out]
        Device.Gemm(x2, false, Weight.Value, true, y2);
        if (Bias is not null) Device.AddBias(y2, Bias.Value);
        _input = x2;
        return y;
    }

    /// <summary>dy: [..., out] → dx: [..., in] (the module's buffer, like Forward's result); dW += dyᵀ·x, db += Σ dy.</summary>
    public Tensor Backward(Tensor dy)
    {
        if (_input is null) throw new InvalidOperationException("Backward needs a Forward first");
        CheckInput(dy, nameof(dy));
        if (dy.Length != (long)_input.Dim(0) * OutFeatures || dy.Dim(-1) != OutFeatures)
            throw new ArgumentException($"dy must have shape [..., {OutFeatures}] with {_input.Dim(0)} rows like the forward output; got {dy.ShapeText}", nameof(dy));
        Tensor dy2 = dy.Reshape(-1, OutFeatures);                    // [N, out]
        Device.Gemm(dy2, true, _input, false, Weight.Grad, beta: 1); // [out, in]
        if (Bias is not null) Device.SumOverRows(dy2, Bias.Grad, accumulate: true);
        int[] inShape = dy.Shape.ToArray();
        inShape[^1] = InFeatures;
        var dx = Tensor.Reuse(ref _dInput, inShape, DType, Device);
        Device.Gemm(dy2, false, Weight.Value, false, dx.Reshape(-1, InFeatures));
        return dx;
    }
}
