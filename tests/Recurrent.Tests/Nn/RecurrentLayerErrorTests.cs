// Bad input to the recurrent layers: every error names the argument and the shape it expected.
using Recurrent.Nn;
using Recurrent.Tensors;

namespace Recurrent.Tests.Nn;

public class RecurrentLayerErrorTests
{
    private readonly Lstm _lstm = new(3, 5, new RecurrentOptions { NumLayers = 2, Bidirectional = true }, new Rng(1));

    [Fact]
    public void WrongInputWidthNamesXAndTheInputSize()
    {
        var e = Assert.Throws<ArgumentException>(() => _lstm.Forward(Tensor.Zeros(7, 4, 2)));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("[T, B, 3]", e.Message);
    }

    [Fact]
    public void LengthsLongerThanTOrWrongCountAreRejected()
    {
        var x = Tensor.Zeros(7, 4, 3);
        var e = Assert.Throws<ArgumentException>(() => _lstm.Forward(x, lengths: [7, 8, 2, 1]));
        Assert.Equal("lengths", e.ParamName);
        Assert.Contains("[1, 7]", e.Message);
        Assert.Equal("lengths", Assert.Throws<ArgumentException>(() => _lstm.Forward(x, lengths: [7, 5])).ParamName);
        Assert.Equal("lengths", Assert.Throws<ArgumentException>(() => _lstm.Forward(x, lengths: [7, 0, 2, 1])).ParamName);
    }

    [Fact]
    public void InitialStatesOfTheWrongShapeNameTheExpectedShape()
    {
        var x = Tensor.Zeros(7, 4, 3);
        var e = Assert.Throws<ArgumentException>(() => _lstm.Forward(x, h0: Tensor.Zeros(2, 4, 5)));
        Assert.Equal("h0", e.ParamName);
        Assert.Contains("[4, 4, 5]", e.Message);
        Assert.Equal("c0", Assert.Throws<ArgumentException>(() => _lstm.Forward(x, c0: Tensor.Zeros(4, 3, 5))).ParamName);
        var gru = new Gru(3, 5);
        Assert.Equal("c0", Assert.Throws<ArgumentException>(() => gru.Forward(x, c0: Tensor.Zeros(1, 4, 5))).ParamName);
    }

    [Fact]
    public void BackwardChecksItsGradientShapes()
    {
        Assert.Throws<InvalidOperationException>(() => new Rnn(3, 5).Backward(Tensor.Zeros(7, 4, 5)));
        var x = Tensor.Zeros(7, 4, 3);
        _lstm.Forward(x);
        var e = Assert.Throws<ArgumentException>(() => _lstm.Backward(Tensor.Zeros(7, 4, 5)));
        Assert.Equal("dOutput", e.ParamName);
        Assert.Contains("[7, 4, 10]", e.Message);
    }

    [Fact]
    public void OptionsOutOfRangeAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lstm(3, 5, new RecurrentOptions { ProjSize = 5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Gru(3, 5, new RecurrentOptions { ProjSize = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rnn(3, 5, new RecurrentOptions { Dropout = 1 }));
        Assert.Throws<ArgumentException>(() => new Lstm(3, 5, new RecurrentOptions { Nonlinearity = Nonlinearity.Relu }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rnn(0, 5));
    }

    [Fact]
    public void ParameterNamesAndShapesFollowPyTorch()
    {
        var lstm = new Lstm(3, 5, new RecurrentOptions { NumLayers = 2, Bidirectional = true, ProjSize = 2 });
        var names = lstm.NamedParameters().Select(p => $"{p.Name}{p.Parameter.Value.ShapeText}").ToArray();
        Assert.Equal(
        [
            "weight_ih_l0[20, 3]", "weight_hh_l0[20, 2]", "bias_ih_l0[20]", "bias_hh_l0[20]", "weight_hr_l0[2, 5]",
            "weight_ih_l0_reverse[20, 3]", "weight_hh_l0_reverse[20, 2]", "bias_ih_l0_reverse[20]", "bias_hh_l0_reverse[20]", "weight_hr_l0_reverse[2, 5]",
            "weight_ih_l1[20, 4]", "weight_hh_l1[20, 2]", "bias_ih_l1[20]", "bias_hh_l1[20]", "weight_hr_l1[2, 5]",
            "weight_ih_l1_reverse[20, 4]", "weight_hh_l1_reverse[20, 2]", "bias_ih_l1_reverse[20]", "bias_hh_l1_reverse[20]", "weight_hr_l1_reverse[2, 5]",
        ], names);
    }

    [Fact]
    public void DefaultInitIsUniformWithinOneOverSqrtHidden()
    {
        var gru = new Gru(3, 16, rng: new Rng(4));
        double bound = 1 / Math.Sqrt(16);
        var all = gru.Parameters().SelectMany(p => p.Value.ToArray<float>()).ToArray();
        Assert.All(all, v => Assert.InRange(v, -bound, bound));
        Assert.True(all.Max() > 0.9 * bound && all.Min() < -0.9 * bound, "values should fill the range");
    }
}
