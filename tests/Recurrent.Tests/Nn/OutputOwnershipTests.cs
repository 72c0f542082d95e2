// A layer's returned output: the caller's to scribble on (it never aliases the states backward reads), written when first read, and a null output gradient is a zero one.
using Recurrent.Nn;
using Recurrent.Tensors;

namespace Recurrent.Tests.Nn;

public class OutputOwnershipTests
{
    /// <summary>One direction's output is used in place inside the layer (the states H[1..T]), so the result handed out must
    /// be a copy: overwriting it before Backward leaves every gradient as it was. The RNN's backward reads H, so an aliased
    /// result would change dW_hh and dX.</summary>
    [Theory]
    [InlineData(CellKind.Rnn, false, 1)]
    [InlineData(CellKind.Rnn, true, 1)]
    [InlineData(CellKind.Rnn, false, 2)]
    [InlineData(CellKind.Gru, true, 2)]
    [InlineData(CellKind.Lstm, false, 1)]
    public void OverwritingTheOutputChangesNoGradient(CellKind cell, bool batchFirst, int layers)
    {
        var options = new RecurrentOptions { NumLayers = layers, BatchFirst = batchFirst };
        RecurrentLayer New() => NewLayer(cell, options);
        var x = batchFirst ? Tensor.Zeros(4, 7, 3) : Tensor.Zeros(7, 4, 3);
        new Rng(8).FillUniform(x, -1, 1);

        var (clean, scribbled) = (New(), New());
        var dy = clean.Forward(x).Output.Clone();
        new Rng(9).FillUniform(dy, -1, 1);
        var expected = clean.Backward(dy);

        var output = scribbled.Forward(x).Output;
        scribbled.Device.Fill(output, 123);
        var actual = scribbled.Backward(dy);

        Assert.Equal(expected.DInput!.ToArray<float>(), actual.DInput!.ToArray<float>());
        Assert.Equal(expected.DH0.ToArray<float>(), actual.DH0.ToArray<float>());
        foreach (var ((name, a), (_, b)) in clean.NamedParameters().Zip(scribbled.NamedParameters()))
            Assert.True(a.Grad.ToArray<float>().SequenceEqual(b.Grad.ToArray<float>()), $"{name}.grad differs");
    }

    /// <summary>A two-layer stack passes the first layer's states on without a copy: the output's last step is still the top
    /// layer's final state.</summary>
    [Fact]
    public void TimeFirstOutputIsTheLastStates()
    {
        var rnn = new Rnn(3, 5, new RecurrentOptions { NumLayers = 2 }, new Rng(7));
        var x = Tensor.Zeros(7, 4, 3);
        new Rng(8).FillUniform(x, -1, 1);
        var r = rnn.Forward(x);
        float[] output = r.Output.ToArray<float>(), hN = r.HN.ToArray<float>();
        // The last step of the output is the top layer's final state (row 1 of HN).
        Assert.Equal(hN.Skip(4 * 5).ToArray(), output.Skip(6 * 4 * 5).ToArray());
    }

    /// <summary>The result's Output is written when first read: read after Backward it holds what it would have held at once.</summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void OutputReadLaterIsTheForwardOutput(bool batchFirst, bool bidirectional)
    {
        var options = new RecurrentOptions { NumLayers = 2, BatchFirst = batchFirst, Bidirectional = bidirectional };
        var (eager, lazy) = (new Gru(3, 5, options, new Rng(7)), new Gru(3, 5, options, new Rng(7)));
        var x = batchFirst ? Tensor.Zeros(4, 7, 3) : Tensor.Zeros(7, 4, 3);
        new Rng(8).FillUniform(x, -1, 1);
        float[] expected = eager.Forward(x).Output.ToArray<float>();

        var result = lazy.Forward(x);
        var dhN = result.HN.Clone();
        new Rng(9).FillUniform(dhN, -1, 1);
        lazy.Backward(null, dhN);
        Assert.Equal(expected, result.Output.ToArray<float>());
        Assert.Same(result.Output, result.Output);
    }

    /// <summary>Backward(null, dhN) is Backward(zeros, dhN), bit for bit: one or two directions, either layout, with lengths.</summary>
    [Theory]
    [InlineData(CellKind.Lstm, false, false, false)]
    [InlineData(CellKind.Rnn, true, false, true)]
    [InlineData(CellKind.Gru, true, true, false)]
    [InlineData(CellKind.Lstm, false, true, true)]
    public void NullOutputGradientIsAZeroOne(CellKind cell, bool batchFirst, bool bidirectional, bool withLengths)
    {
        var options = new RecurrentOptions { NumLayers = 2, BatchFirst = batchFirst, Bidirectional = bidirectional };
        RecurrentLayer New() => NewLayer(cell, options);
        var x = batchFirst ? Tensor.Zeros(4, 7, 3) : Tensor.Zeros(7, 4, 3);
        new Rng(8).FillUniform(x, -1, 1);
        int[]? lengths = withLengths ? [7, 5, 2, 1] : null;

        var (zeros, none) = (New(), New());
        var r = zeros.Forward(x, lengths: lengths);
        var dhN = r.HN.Clone();
        new Rng(9).FillUniform(dhN, -1, 1);
        var expected = zeros.Backward(Tensor.ZerosLike(r.Output), dhN);
        none.Forward(x, lengths: lengths);
        var actual = none.Backward(null, dhN);

        Assert.Equal(expected.DInput!.ToArray<float>(), actual.DInput!.ToArray<float>());
        Assert.Equal(expected.DH0.ToArray<float>(), actual.DH0.ToArray<float>());
        foreach (var ((name, a), (_, b)) in zeros.NamedParameters().Zip(none.NamedParameters()))
            Assert.True(a.Grad.ToArray<float>().SequenceEqual(b.Grad.ToArray<float>()), $"{name}.grad differs");
    }

    /// <summary>A 3-input, 5-unit layer of <paramref name="cell"/> with fixed weights: two of them start equal.</summary>
    private static RecurrentLayer NewLayer(CellKind cell, RecurrentOptions options) => cell switch
    {
        CellKind.Lstm => new Lstm(3, 5, options, new Rng(7)),
        CellKind.Gru => new Gru(3, 5, options, new Rng(7)),
        _ => new Rnn(3, 5, options, new Rng(7)),
    };
}
