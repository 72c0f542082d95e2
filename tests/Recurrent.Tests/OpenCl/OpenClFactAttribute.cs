// [OpenClFact] / [OpenClTheory]: tests that need an OpenCL device, skipped (saying how to get one) only where discovery finds none.
using Recurrent.Tensors.OpenCl;

namespace Recurrent.Tests.OpenCl;

/// <summary>
/// A fact that runs when <see cref="OpenClRuntime"/> finds a device and is skipped otherwise. CI installs PoCL, so
/// there it always runs; the skip is for machines without any OpenCL driver.
/// </summary>
public sealed class OpenClFactAttribute : FactAttribute
{
    public OpenClFactAttribute()
    {
        if (!OpenClRuntime.IsAvailable) Skip = OpenClSkip.Reason;
    }
}

/// <summary>The theory counterpart of <see cref="OpenClFactAttribute"/>.</summary>
public sealed class OpenClTheoryAttribute : TheoryAttribute
{
    public OpenClTheoryAttribute()
    {
        if (!OpenClRuntime.IsAvailable) Skip = OpenClSkip.Reason;
    }
}

internal static class OpenClSkip
{
    public const string Reason = "no OpenCL platform (install pocl-opencl-icd ocl-icd-libopencl1)";
}
