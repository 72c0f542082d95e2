// Embedding: rows of a [vocab, dim] table picked by int32 indices; backward scatters the gradient back.
using Recurrent.Tensors;

namespace Recurrent.Nn;

public sealed class Embedding : Module
{
    private Tensor? _indices; // kept for backward

    /// <param name="rng">PyTorch's default init N(0, 1); null leaves zeros.</param>
    /// <param name="paddingIdx">A row that stays zero and gets no gradient (PyTorch's padding_idx); null for none.</param>
    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, Rng? rng = null, Device? device = null, DType dtype = DType.Float32)
        : base(device ?? Device.Cpu, dtype)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numEmbeddings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embeddingDim);
        if (paddingIdx is int p && (p < 0 || p >= numEmbeddings))
            throw new ArgumentOutOfRangeException(nameof(paddingIdx), paddingIdx, $"paddingIdx must be in [0, {numEmbeddings})");
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        PaddingIdx = paddingIdx;
        Weight = new Parameter(Tensor.Zeros([numEmbeddings, embeddingDim], dtype, Device));
        if (rng is not null) rng.FillNormal(Weight.Value);
        if (paddingIdx is int pad) Device.Fill(Weight.Value[pad], 0);
    }

    public int NumEmbeddings { get; }
    public int EmbeddingDim { get; }
    public int? PaddingIdx { get; }
    public Parameter Weight { get; } // [vocab, dim]

    public override IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        yield return ("weight", Weight);
    }

    /// <summary>indices: int32 [...] → [..., dim]. An index outside [0, vocab) throws, naming its position.</summary>
    public Tensor Forward(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.DType != DType.Int32)
            throw new ArgumentException($"indices must be int32; got {indices.DType.Name()}", nameof(indices));
        int[] shape = [.. indices.Shape.ToArray(), EmbeddingDim];
        var y = Tensor.Zeros(shape, DType, Device);
        Device.EmbeddingGather(Weight.Value, indices.Reshape(-1), y.Reshape(-1, EmbeddingDim));
        _indices = indices.Reshape(-1);
        return y;
    }

    /// <summary>dy: [..., dim] → weight.grad[idx] += dy (the padding row excepted). Returns nothing: indices have no gradient.</summary>
    public void Backward(Tensor dy)
    {
        if (_indices is null) throw new InvalidOperationException("Backward needs a Forward first");
        CheckInput(dy, nameof(dy));
        if (dy.Length != _indices.Length * EmbeddingDim)
            throw new ArgumentException($"dy must have shape [..., {EmbeddingDim}] with {_indices.Length} rows like the forward output; got {dy.ShapeText}", nameof(dy));
        Tensor dy2 = dy.Reshape(-1, EmbeddingDim);
        if (PaddingIdx is int pad)
        {
            // The padding row gets no gradient: scatter, then clear that row's share.
            Device.EmbeddingScatterAdd(dy2, _indices, Weight.Grad);
            Device.Fill(Weight.Grad[pad], 0);
        }
        else Device.EmbeddingScatterAdd(dy2, _indices, Weight.Grad);
    }
}
