// SequenceModel (recurrent layer + Linear head on every step or on the last one) passes a float64 gradient check; its gradient-norm instrument taken batch by batch equals one whole-set pass.
using Recurrent.Nn;
using Recurrent.Tasks.Data;
using Recurrent.Tasks.Models;
using Recurrent.Tensors;

namespace Recurrent.Tests.Tasks;

public class SequenceModelTests
{
    /// <summary>The last-step head reads h_T from HN with one direction (its gradient entering as dhN) and the output's last
    /// step with two: both, and a stack, against central differences.</summary>
    [Theory]
    [InlineData("lstm", false, 1, false)]
    [InlineData("gru", false, 1, false)]
    [InlineData("rnn", true, 1, false)]
    [InlineData("rnn", false, 2, false)]
    [InlineData("lstm", false, 2, true)]
    [InlineData("gru", true, 1, true)]
    public void GradientsMatchCentralDifferences(string cell, bool everyStep, int layers, bool bidirectional)
    {
        var model = new SequenceModel(cell, 2, 5, 3, everyStep, new Rng(1), Device.Cpu, layers, bidirectional, dtype: DType.Float64);
        var x = Tensor.Zeros([4, 6, 2], DType.Float64);
        new Rng(2).FillUniform(x, -1, 1);
        var w = Tensor.Zeros(everyStep ? [4, 6, 3] : [4, 3], DType.Float64);
        new Rng(3).FillUniform(w, -1, 1);
        var results = GradCheck.Run(
            () => GradCheck.Dot(model.Forward(x), w),
            () => { model.ZeroGrad(); model.Forward(x); model.Backward(w); },
            model.NamedParameters().Select(p => (p.Name, p.Parameter.Value, p.Parameter.Grad)));
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: max abs error {r.MaxAbsError:E2}"));
    }
}

/// <summary>The gradient-norm instrument taken batch by batch equals one backward pass over the whole set.</summary>
public class BatchedGradientNormTests
{
    [Theory]
    [InlineData("lstm", false)]
    [InlineData("rnn", true)]
    [InlineData("gru", false)]
    public void BatchesGiveTheWholeSetsNorms(string cell, bool everyStep)
    {
        var model = new SequenceModel(cell, 2, 5, 3, everyStep, new Rng(1), Device.Cpu, dtype: DType.Float64);
        var x = Tensor.Zeros([11, 6, 2], DType.Float64);
        new Rng(2).FillUniform(x, -1, 1);
        var y = Tensor.Zeros(everyStep ? [11, 6, 3] : [11, 3], DType.Float64);
        new Rng(3).FillUniform(y, -1, 1);
        using var data = new SequenceBatch(x, y);
        var loss = new MseLoss();

        model.Recurrent.Instruments.RecordGradientNorms = true;
        model.ZeroGrad();
        loss.Forward(model.Forward(x), y);
        model.Backward(loss.Backward());
        double[] whole = model.Recurrent.Instruments.GradientNorms[0].HiddenNorms;
        model.Recurrent.Instruments.RecordGradientNorms = false;

        double[] batched = model.HiddenGradientNormsByStep(loss, data.Batches(4), Device.Cpu)[0]; // 4, 4 and a last batch of 3
        Assert.Equal(whole.Length, batched.Length);
        for (int t = 0; t < whole.Length; t++) Assert.Equal(whole[t], batched[t], 1e-12 * whole.Max());
        Assert.False(model.Recurrent.Instruments.RecordGradientNorms);
        Assert.All(model.NamedParameters(), p => Assert.All(p.Parameter.Grad!.ToArray<double>(), g => Assert.Equal(0.0, g)));
    }

    [Fact]
    public void VariableLengthBatchesAreRefused()
    {
        var model = new SequenceModel("rnn", 1, 3, 1, everyStep: false, new Rng(1), Device.Cpu);
        using var data = new SequenceBatch(Tensor.Zeros([2, 4, 1]), Tensor.Zeros([2, 1]), lengths: [4, 2]);
        var e = Assert.Throws<ArgumentException>(() => model.HiddenGradientNormsByStep(new MseLoss(), [data.Gather([0, 1])], Device.Cpu));
        Assert.Contains("full-length", e.Message);
        Assert.False(model.Recurrent.Instruments.RecordGradientNorms);
    }
}
