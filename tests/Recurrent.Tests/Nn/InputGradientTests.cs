// Backward(inputGradient: false): for input that is data, the layer skips dX and still gives every other gradient unchanged.
using Recurrent.Nn;
using Recurrent.Tensors;

namespace Recurrent.Tests.Nn;

public class InputGradientTests
{
    /// <summary>Every cell, 1 or 2 layers, one or two directions, with and without lengths: the parameter gradients and dh0/dc0
    /// are the same bits as with dX, and DInput is null rather than a stale buffer.</summary>
    [Theory]
    [InlineData(CellKind.Lstm, 1, false, false)]
    [InlineData(CellKind.Lstm, 2, true, true)]
    [InlineData(CellKind.Gru, 2, true, false)]
    [InlineData(CellKind.Rnn, 1, true, true)]
    [InlineData(CellKind.Lstm, 1, true, true)]
    public void SkippingTheInputGradientChangesNothingElse(CellKind cell, int layers, bool bidirectional, bool withLengths)
    {
        var options = new RecurrentOptions { NumLayers = layers, Bidirectional = bidirectional };
        RecurrentLayer New() => cell switch
        {
            CellKind.Lstm => new Lstm(3, 5, options, new Rng(7)),
            CellKind.Gru => new Gru(3, 5, options, new Rng(7)),
            _ => new Rnn(3, 5, options, new Rng(7)),
        };
        var x = Tensor.Zeros(7, 4, 3);
        new Rng(8).FillUniform(x, -1, 1);
        int[]? lengths = withLengths ? [7, 5, 2, 1] : null;

        var (full, skipped) = (New(), New());
        var dy = full.Forward(x, lengths: lengths).Output.Clone();
        new Rng(9).FillUniform(dy, -1, 1);
        var withDx = full.Backward(dy);
        skipped.Forward(x, lengths: lengths);
        var withoutDx = skipped.Backward(dy, inputGradient: false);

        Assert.NotNull(withDx.DInput);
        Assert.Null(withoutDx.DInput);
        Assert.Equal(withDx.DH0.ToArray<float>(), withoutDx.DH0.ToArray<float>());
        if (withDx.DC0 is not null) Assert.Equal(withDx.DC0.ToArray<float>(), withoutDx.DC0!.ToArray<float>());
        foreach (var ((name, a), (_, b)) in full.NamedParameters().Zip(skipped.NamedParameters()))
            Assert.True(a.Grad.ToArray<float>().SequenceEqual(b.Grad.ToArray<float>()), $"{name}.grad differs");
    }
}
