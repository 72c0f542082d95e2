// SequenceModel (recurrent layer + Linear head on every step or on the last one) passes a float64 gradient check.
using Recurrent.Nn;
using Recurrent.Tasks.Models;
using Recurrent.Tensors;

namespace Recurrent.Tests.Tasks;

public class SequenceModelTests
{
    [Theory]
    [InlineData("lstm", false)]
    [InlineData("gru", false)]
    [InlineData("rnn", true)]
    public void GradientsMatchCentralDifferences(string cell, bool everyStep)
    {
        var model = new SequenceModel(cell, 2, 5, 3, everyStep, new Rng(1), Device.Cpu, dtype: DType.Float64);
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
