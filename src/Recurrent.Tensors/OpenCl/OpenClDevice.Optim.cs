// The OpenCL device's optimizer primitives: fused Adam/AdamW and SGD, one launch per parameter, and clipping by a device-side norm.
namespace Recurrent.Tensors.OpenCl;

public sealed partial class OpenClDevice
{
    protected override void AdamStepCore(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, in AdamCoefficients c) =>
        Elementwise(param.DType, "adam_step", param.Length,
            [(int)param.Length, Arg.R(c.Beta1), Arg.R(c.Beta2), Arg.R(1 - c.Beta1), Arg.R(1 - c.Beta2), Arg.R(c.StepSize), Arg.R(c.BiasCorrection2Sqrt),
             Arg.R(c.Eps), Arg.R(c.L2), Arg.R(c.Decay), param, grad, expAvg, expAvgSq]);

    protected override void SgdStepCore(Tensor param, Tensor grad, Tensor? momentumBuffer, in SgdCoefficients c) =>
        Elementwise(param.DType, "sgd_step", param.Length,
            [(int)param.Length, Arg.R(c.Lr), Arg.R(c.Momentum), Arg.R(c.WeightDecay), Arg.R(1 - c.Dampening), momentumBuffer is not null, c.FirstStep, c.Nesterov,
             param, grad, momentumBuffer]);

    protected override void ClipByNormCore(Tensor totalNorm, double maxNorm, Tensor x)
    {
        InPlaceOrDisjoint(totalNorm, x, nameof(totalNorm), nameof(x));
        Elementwise(x.DType, "clip_by_norm", x.Length, [(int)x.Length, Arg.R(maxNorm), totalNorm, x]);
    }
}
