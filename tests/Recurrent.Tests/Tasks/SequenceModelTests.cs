// SequenceModel (recurrent layer + Linear head on every step or on the last one) passes a float64 gradient check.
using Recurrent.Nn;
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
