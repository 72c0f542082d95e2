// The kernels of one device for one dtype: the embedded .cl sources built once into a program, kernels created on first use.
using System.Reflection;
using System.Text;
using Recurrent.Tensors.OpenCl.Native;

namespace Recurrent.Tensors.OpenCl;

internal sealed class OpenClProgram
{
    /// <summary>The kernel files in build order; common.cl first (REAL, helpers), the rest in any order.</summary>
    private static readonly string[] Files = ["common.cl", "elementwise.cl", "rows.cl", "embedding.cl", "gemm.cl", "cells.cl", "masked_cells.cl", "sequences.cl", "losses.cl", "optim.cl"];

    private static readonly Lazy<string> Source = new(LoadSource);

    private readonly ClProgramHandle _program;
    private readonly Dictionary<string, ClKernelHandle> _kernels = [];

    private OpenClProgram(ClProgramHandle program) => _program = program;

    /// <summary>Builds every kernel for one dtype on one device (seconds on PoCL, hence once per device and dtype per process).</summary>
    public static OpenClProgram Build(OpenClDevice device, DType dtype, string defines) =>
        new(BuildProgram(device.Context, device.Info.DeviceId, Source.Value, Options(dtype, defines)));

    /// <summary>The cached kernel object; the caller holds the device's lock (clSetKernelArg is not thread-safe).</summary>
    public unsafe ClKernelHandle Kernel(string name)
    {
        if (_kernels.TryGetValue(name, out var kernel)) return kernel;
        byte[] bytes = Encoding.ASCII.GetBytes(name + "\0");
        int status;
        fixed (byte* p = bytes) kernel = ClApi.clCreateKernel(_program, p, &status);
        ClStatus.Check(status, $"clCreateKernel({name})");
        _kernels[name] = kernel;
        return kernel;
    }

    public static string Options(DType dtype, string defines) => dtype == DType.Float64
        ? $"-cl-std=CL1.2 -D REAL=double -D IS_DOUBLE=1 {defines}"
        // Unsuffixed literals would otherwise be double, which a device without cl_khr_fp64 rejects.
        : $"-cl-std=CL1.2 -D REAL=float -D IS_DOUBLE=0 -cl-single-precision-constant {defines}";

    /// <summary>
    /// Compiles <paramref name="source"/> for one device. A failed build throws <see cref="OpenClException"/> with
    /// the status (CL_BUILD_PROGRAM_FAILURE, CL_INVALID_BUILD_OPTIONS…) and the compiler's log.
    /// </summary>
    internal static unsafe ClProgramHandle BuildProgram(ClContextHandle context, nint device, string source, string options)
    {
        byte[] src = Encoding.UTF8.GetBytes(source);
        byte[] opts = Encoding.ASCII.GetBytes(options + "\0");
        int status;
        ClProgramHandle program;
        fixed (byte* s = src)
        {
            byte* strings = s;
            nuint length = (nuint)src.Length;
            program = ClApi.clCreateProgramWithSource(context, 1, &strings, &length, &status);
        }
        ClStatus.Check(status, "clCreateProgramWithSource");
        fixed (byte* o = opts) status = ClApi.clBuildProgram(program, 1, &device, o, 0, 0);
        if (status != 0)
        {
            string log = BuildLog(program, device);
            program.Dispose();
            throw new OpenClException(status, "clBuildProgram", log);
        }
        return program;
    }

    private static unsafe string BuildLog(ClProgramHandle program, nint device)
    {
        nuint size = 0;
        if (ClApi.clGetProgramBuildInfo(program, device, ClApi.CL_PROGRAM_BUILD_LOG, 0, null, &size) != 0 || size == 0) return "(no build log)";
        var bytes = new byte[(int)size];
        fixed (byte* b = bytes)
            if (ClApi.clGetProgramBuildInfo(program, device, ClApi.CL_PROGRAM_BUILD_LOG, size, b, null) != 0) return "(no build log)";
        string log = OpenClRuntime.Text(bytes);
        return log.Length == 0 ? "(empty build log)" : log;
    }

    /// <summary>The embedded kernel files, each behind a #line so build logs name the file and line.</summary>
    private static string LoadSource()
    {
        var assembly = typeof(OpenClProgram).Assembly;
        var sb = new StringBuilder();
        foreach (string file in Files)
        {
            using Stream stream = assembly.GetManifestResourceStream("OpenCl.Kernels." + file)
                ?? throw new InvalidOperationException($"the kernel source {file} is not embedded in {assembly.GetName().Name}");
            using var reader = new StreamReader(stream);
            sb.Append("#line 1 \"").Append(file).Append("\"\n").Append(reader.ReadToEnd()).Append('\n');
        }
        return sb.ToString();
    }
}
