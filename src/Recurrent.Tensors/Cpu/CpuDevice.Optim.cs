// The CPU device's optimizer primitives: dtype dispatch onto the fused update kernels in Cpu/Optim.
namespace Recurrent.Tensors.Cpu;

public sealed partial class CpuDevice
{
    protected override void AdamStepCore(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, in AdamCoefficients coefficients)
    {
        if (param.DType == DType.Float32)
            CpuKernels.AdamStep<float>(param.AsSpan<float>(), grad.AsSpan<float>(), expAvg.AsSpan<float>(), expAvgSq.AsSpan<float>(), coefficients, Simd);
        else
            CpuKernels.AdamStep<double>(param.AsSpan<double>(), grad.AsSpan<double>(), expAvg.AsSpan<double>(), expAvgSq.AsSpan<double>(), coefficients, Simd);
    }

    protected override void SgdStepCore(Tensor param, Tensor grad, Tensor? momentumBuffer, in SgdCoefficients coefficients)
    {
        if (param.DType == DType.Float32)
            CpuKernels.SgdStep<float>(param.AsSpan<float>(), grad.AsSpan<float>(), momentumBuffer is null ? default : momentumBuffer.AsSpan<float>(), coefficients, Simd);
        else
            CpuKernels.SgdStep<double>(param.AsSpan<double>(), grad.AsSpan<double>(), momentumBuffer is null ? default : momentumBuffer.AsSpan<double>(), coefficients, Simd);
    }

    protected override void ClampCore(Tensor x, double min, double max, Tensor y)
    {
        if (x.DType == DType.Float32) CpuKernels.Clamp<float>(x.AsSpan<float>(), (float)min, (float)max, y.AsSpan<float>(), Simd);
        else CpuKernels.Clamp<double>(x.AsSpan<double>(), min, max, y.AsSpan<double>(), Simd);
    }
}
