// PyTorch parity of the losses: values and input gradients (times an upstream gradient) from make_loss_parity.py, float64.
using System.Text.Json;
using Recurrent.Nn;
using Recurrent.Tensors;

namespace Recurrent.Tests.Nn;

public class LossParityTests
{
    public static TheoryData<string> Cases()
    {
        using var doc = ReferenceData.Load("loss_parity");
        return new TheoryData<string>(doc.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorchWithin1e10(string name)
    {
        using var doc = ReferenceData.Load("loss_parity");
        var c = doc.RootElement.GetProperty(name);
        string kind = c.GetProperty("kind").GetString()!;
        var reduction = c.GetProperty("reduction").GetString() == "sum" ? Reduction.Sum : Reduction.Mean;
        int ignore = c.GetProperty("ignore_index").GetInt32();
        Loss loss = kind switch
        {
            "mse" => new MseLoss(reduction),
            "bce" => new BceLoss(reduction),
            "bce_logits" => new BceWithLogitsLoss(reduction),
            _ => new CrossEntropyLoss(reduction, ignore),
        };
        var input = ReferenceData.Tensor(c.GetProperty("input"), DType.Float64);
        var t = c.GetProperty("target");
        var target = kind == "ce"
            ? Tensor.From<int>(t.GetProperty("data").EnumerateArray().Select(e => e.GetInt32()).ToArray(), ReferenceData.Shape(t))
            : ReferenceData.Tensor(t, DType.Float64);
        var mask = c.GetProperty("masked").GetBoolean() ? ReferenceData.Tensor(c.GetProperty("mask"), DType.Float64) : null;

        double expected = c.GetProperty("loss").GetDouble();
        double actual = loss.Forward(input, target, mask).Item();
        Assert.True(Math.Abs(actual - expected) <= 1e-10 * Math.Max(1, Math.Abs(expected)), $"loss {actual:R} vs PyTorch {expected:R}");

        using var gradOutput = Tensor.Scalar(c.GetProperty("grad_output").GetDouble(), DType.Float64);
        ReferenceData.AssertClose(c.GetProperty("grad_input"), loss.Backward(gradOutput), 1e-10, "grad input");
    }
}
