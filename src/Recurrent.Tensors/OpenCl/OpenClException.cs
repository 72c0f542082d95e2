// The one exception type of the OpenCL path: the failing call, the status code's cl.h name and, for a build, the compiler's log.
using Recurrent.Tensors.OpenCl.Native;

namespace Recurrent.Tensors.OpenCl;

public sealed class OpenClException : Exception
{
    internal OpenClException(int status, string call, string? buildLog = null)
        : base(Compose(status, call, buildLog))
    {
        Status = status;
        StatusName = ClStatus.Name(status);
        Call = call;
        BuildLog = buildLog;
    }

    /// <summary>The raw cl_int status (negative).</summary>
    public int Status { get; }

    /// <summary>The status code's name from cl.h, e.g. CL_OUT_OF_RESOURCES or CL_BUILD_PROGRAM_FAILURE.</summary>
    public string StatusName { get; }

    /// <summary>The OpenCL function that failed, with what it was doing (e.g. "clEnqueueNDRangeKernel(gemm)").</summary>
    public string Call { get; }

    /// <summary>The compiler's log when a program failed to build; null otherwise.</summary>
    public string? BuildLog { get; }

    private static string Compose(int status, string call, string? buildLog) =>
        buildLog is null ? $"{call} failed with {ClStatus.Name(status)} ({status})"
        : $"{call} failed with {ClStatus.Name(status)} ({status}); build log:\n{buildLog.TrimEnd()}";
}
