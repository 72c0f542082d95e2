// Bad arguments to the loss modules, the loss primitives and the optimizers: errors that name the argument and what was expected.
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tensors;

namespace Recurrent.Tests.Nn;

public class LossArgumentTests
{
    private static Tensor F(int[] shape, double value = 0.5)
    {
        var t = Tensor.Zeros(shape, DType.Float64);
        Device.Cpu.Fill(t, value);
        return t;
    }

    [Fact]
    public void TargetOfTheWrongShapeIsNamedWithTheExpectedShape()
    {
        var e = Assert.Throws<ArgumentException>(() => new MseLoss().Forward(F([4, 3, 5]), F([4, 3, 4])));
        Assert.Equal("target", e.ParamName);
        Assert.Contains("[4, 3, 5]", e.Message);
    }

    [Fact]
    public void TargetOfTheWrongDTypeIsNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => new MseLoss().Forward(F([4, 5]), Tensor.Zeros([4, 5], DType.Float32)));
        Assert.Equal("target", e.ParamName);
        Assert.Contains("float64", e.Message);
    }

    [Fact]
    public void MaskMustHaveOneWeightPerRow()
    {
        var e = Assert.Throws<ArgumentException>(() => new MseLoss().Forward(F([2, 7, 5]), F([2, 7, 5]), F([2, 7, 5])));
        Assert.Equal("mask", e.ParamName);
        Assert.Contains("[2, 7]", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss().Forward(F([6, 5]), Tensor.Zeros([6], DType.Int32), F([5])));
        Assert.Equal("mask", e2.ParamName);
        Assert.Contains("[6]", e2.Message);
    }

    [Fact]
    public void IntegerInputIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new MseLoss().Forward(Tensor.Zeros([3], DType.Int32), Tensor.Zeros([3], DType.Int32)));
        Assert.Equal("input", e.ParamName);
    }

    [Fact]
    public void RankZeroInputIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new MseLoss().Forward(Tensor.Scalar(1, DType.Float64), Tensor.Scalar(1, DType.Float64)));
        Assert.Equal("input", e.ParamName);
    }

    [Fact]
    public void BceTargetOutsideZeroOneNamesThePosition()
    {
        var target = F([3, 4]);
        var values = target.AsSpan<double>();
        values[1 * 4 + 2] = 1.5;
        var e = Assert.Throws<ArgumentException>(() => new BceLoss().Forward(F([3, 4]), target));
        Assert.Equal("target", e.ParamName);
        Assert.Contains("target[1, 2] = 1.5", e.Message);
        Assert.Contains("[0, 1]", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => new BceWithLogitsLoss().Forward(F([3, 4]), target));
        Assert.Equal("target", e2.ParamName);
    }

    [Fact]
    public void BceInputOutsideZeroOneIsRejectedButNaNPassesToTheLoss()
    {
        var input = F([2, 2]);
        input.AsSpan<double>()[3] = -0.25;
        var e = Assert.Throws<ArgumentException>(() => new BceLoss().Forward(input, F([2, 2])));
        Assert.Equal("input", e.ParamName);
        Assert.Contains("input[1, 1] = -0.25", e.Message);
        input.AsSpan<double>()[3] = double.NaN;
        Assert.True(double.IsNaN(new BceLoss().Forward(input, F([2, 2])).Item()));
    }

    [Fact]
    public void ClassIndexOutOfRangeNamesItsPosition()
    {
        var target = Tensor.From(new[] { 0, 4, -100, 5, 1, 2 }, 2, 3);
        var e = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss().Forward(F([2, 3, 5]), target));
        Assert.Equal("target", e.ParamName);
        Assert.Contains("target[1, 0] = 5", e.Message);
        Assert.Contains("[0, 5)", e.Message);
        // -100 is fine; a custom ignore index makes -100 an error.
        var e2 = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss(ignoreIndex: 5).Forward(F([2, 3, 5]), target));
        Assert.Contains("target[0, 2] = -100", e2.Message);
    }

    [Fact]
    public void CrossEntropyTargetMustBeInt32OfTheRowShape()
    {
        var e = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss().Forward(F([2, 3, 5]), F([2, 3])));
        Assert.Equal("target", e.ParamName);
        Assert.Contains("int32", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss().Forward(F([2, 3, 5]), Tensor.Zeros([6], DType.Int32)));
        Assert.Contains("[2, 3]", e2.Message);
    }

    [Fact]
    public void BackwardBeforeForwardThrows() =>
        Assert.Throws<InvalidOperationException>(() => new MseLoss().Backward());

    [Fact]
    public void DevicePrimitivesNameTheirArguments()
    {
        var x = F([4, 3]);
        var loss = Tensor.Zeros([1], DType.Float64);
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => Device.Cpu.ElementwiseLoss(ElementwiseLossKind.Mse, x, F([3, 4]), null, Reduction.Mean, loss)).ParamName);
        Assert.Equal("loss", Assert.Throws<ArgumentException>(() => Device.Cpu.ElementwiseLoss(ElementwiseLossKind.Mse, x, x, null, Reduction.Mean, F([2]))).ParamName);
        Assert.Equal("gradOutput", Assert.Throws<ArgumentException>(() => Device.Cpu.ElementwiseLossBackward(ElementwiseLossKind.Mse, x, x, null, Reduction.Mean, F([2]), F([4, 3]))).ParamName);
        Assert.Equal("dInput", Assert.Throws<ArgumentException>(() => Device.Cpu.ElementwiseLossBackward(ElementwiseLossKind.Mse, x, x, null, Reduction.Mean, null, F([3, 4]))).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => Device.Cpu.CrossEntropyLoss(x, Tensor.Zeros([3], DType.Int32), null, Reduction.Mean, -100, loss)).ParamName);
        var oor = Assert.Throws<ArgumentOutOfRangeException>(() => Device.Cpu.CrossEntropyLoss(x, Tensor.From(new[] { 0, 1, 3, 2 }, 4), null, Reduction.Mean, -100, loss));
        Assert.Equal("targets", oor.ParamName);
        Assert.Contains("targets[2] = 3", oor.Message);
        Assert.Equal("expAvgSq", Assert.Throws<ArgumentException>(() => Device.Cpu.AdamStep(x, F([4, 3]), F([4, 3]), F([12]), AdamCoefficients.For(1, 0.1, 0.9, 0.999, 1e-8, 0, false))).ParamName);
        Assert.Equal("grad", Assert.Throws<ArgumentException>(() => Device.Cpu.AdamStep(x, x, F([4, 3]), F([4, 3]), AdamCoefficients.For(1, 0.1, 0.9, 0.999, 1e-8, 0, false))).ParamName);
        Assert.Equal("momentumBuffer", Assert.Throws<ArgumentNullException>(() => Device.Cpu.SgdStep(x, F([4, 3]), null, new SgdCoefficients(0.1, 0.9, 0, 0, false, true))).ParamName);
    }

    [Fact]
    public void OptimizerSettingsAreChecked()
    {
        var fc = new Linear(3, 2);
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(fc, beta1: 1.0)).ParamName);
        Assert.Equal("eps", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(fc, eps: -1)).ParamName);
        Assert.Equal("lr", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(fc, -0.1)).ParamName);
        Assert.Equal("Lr", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(fc, 0.1).Lr = double.NaN).ParamName);
        Assert.Equal("nesterov", Assert.Throws<ArgumentException>(() => new Sgd(fc, 0.1, nesterov: true)).ParamName);
        Assert.Equal("nesterov", Assert.Throws<ArgumentException>(() => new Sgd(fc, 0.1, momentum: 0.9, dampening: 0.1, nesterov: true)).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => new Adam(Array.Empty<Parameter>())).ParamName);
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => GradClip.ClipGradNorm(fc.Parameters(), -1)).ParamName);
    }
}
