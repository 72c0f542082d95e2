// The one seam where the command line turns --device (auto | cpu | opencl[:N], and all for bench) into devices.
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;
using Recurrent.Tensors.OpenCl;

namespace Recurrent.Cli;

public enum DeviceRequest
{
    Auto,
    Cpu,
    OpenCl,
    All,
}

/// <summary>
/// A parsed --device value. Every command resolves its devices here and nowhere else (the OpenCL ones through
/// <see cref="OpenClRuntime"/>).
/// </summary>
public readonly record struct DeviceChoice(DeviceRequest Request, int? OpenClIndex = null)
{
    public const string Accepted = "auto, cpu, opencl or opencl:N (N = 0, 1, … in the order `recurrent devices` lists them)";
    public const string AcceptedWithAll = "auto, cpu, opencl, opencl:N or all";

    public static DeviceChoice Parse(string? text, bool allowAll = false) =>
        TryParse(text, allowAll, out var choice, out string error) ? choice : throw new UsageException(error);

    /// <summary>Parses a --device value; on failure <paramref name="error"/> names the option, the value and what is accepted.</summary>
    public static bool TryParse(string? text, bool allowAll, out DeviceChoice choice, out string error)
    {
        choice = default;
        error = $"--device '{text}' is not a device; expected {(allowAll ? AcceptedWithAll : Accepted)}";
        string value = (text ?? "").Trim().ToLowerInvariant();
        switch (value)
        {
            case "auto": choice = new(DeviceRequest.Auto); return true;
            case "cpu": choice = new(DeviceRequest.Cpu); return true;
            case "opencl": choice = new(DeviceRequest.OpenCl); return true;
            case "all" when allowAll: choice = new(DeviceRequest.All); return true;
        }
        const string prefix = "opencl:";
        if (value.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(value.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
        {
            choice = new(DeviceRequest.OpenCl, index);
            return true;
        }
        return false;
    }

    public override string ToString() => Request switch
    {
        DeviceRequest.OpenCl when OpenClIndex is int i => $"opencl:{i}",
        _ => Request.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// The one device a command computes on. auto: the first OpenCL GPU if there is one, else the CPU device — never an
    /// OpenCL CPU device such as PoCL, which runs the same kernels slower than the CPU device's own — and it says on
    /// <paramref name="notes"/> which it chose and why (null: say nothing). <paramref name="cpuThreads"/>: the CPU device's threads.
    /// </summary>
    public Device Resolve(int cpuThreads, TextWriter? notes) => Resolve(cpuThreads, notes, GpuNodes.Present());

    /// <param name="gpuNodes">Whether the machine has a GPU device node (<see cref="GpuNodes"/>); without one, auto takes the
    /// CPU device without loading any OpenCL driver.</param>
    internal Device Resolve(int cpuThreads, TextWriter? notes, bool gpuNodes)
    {
        switch (Request)
        {
            case DeviceRequest.Cpu: return new CpuDevice(cpuThreads);
            case DeviceRequest.OpenCl: return OpenCl(OpenClIndex ?? 0);
            case DeviceRequest.Auto when !gpuNodes:
                notes?.WriteLine($"device: auto chose the CPU ({cpuThreads} thread{(cpuThreads == 1 ? "" : "s")}): no GPU on this machine " +
                    $"({GpuNodes.Described} absent), so no OpenCL driver was loaded; an OpenCL CPU device runs the same work slower than " +
                    "the CPU device (choose one with --device opencl:N; `recurrent devices` lists them)");
                return new CpuDevice(cpuThreads);
            case DeviceRequest.Auto:
                if (OpenClRuntime.FirstGpu() is { } gpu)
                {
                    notes?.WriteLine($"device: auto chose {gpu.Moniker}, an OpenCL GPU ({gpu.Name}, {gpu.PlatformName})");
                    return OpenCl(gpu.Index);
                }
                notes?.WriteLine($"device: auto chose the CPU ({cpuThreads} thread{(cpuThreads == 1 ? "" : "s")}): {NoGpu()}");
                return new CpuDevice(cpuThreads);
            default:
                throw new UsageException("--device all is only for `recurrent bench`; choose one device: " + Accepted);
        }
    }

    /// <summary>Commands that compute on a device (and take --device, auto by default).</summary>
    private static readonly string[] DeviceCommands = ["run", "train", "sample", "bench", "gradcheck"];

    /// <summary>
    /// Starts the OpenCL discovery on another thread when <paramref name="args"/> name a command that will resolve --device
    /// auto (none given, or auto) on a machine with a GPU: loading every OpenCL driver takes ~0.1 s (PoCL initialises LLVM),
    /// which then overlaps the runtime's own start-up instead of following it. Returns the probe to wait for before the process exits (a driver
    /// must not be torn down half-loaded), or null when none was started.
    /// </summary>
    public static Task? ProbeEarly(IReadOnlyList<string> args) => ProbeEarly(args, GpuNodes.Present());

    internal static Task? ProbeEarly(IReadOnlyList<string> args, bool gpuNodes)
    {
        if (!gpuNodes || args.Count == 0 || !DeviceCommands.Contains(args[0])) return null;
        for (int i = 1; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "-h" or "--help" or "-?" or "--version") return null;
            if (!arg.StartsWith("--device", StringComparison.Ordinal)) continue;
            string? value = arg.Length > "--device".Length && arg["--device".Length] is '=' or ':' ? arg["--device=".Length..]
                : arg == "--device" && i + 1 < args.Count ? args[i + 1] : null;
            if (value is null || !TryParse(value, allowAll: true, out var choice, out _) || choice.Request != DeviceRequest.Auto) return null;
        }
        return Task.Run(() =>
        {
            try { OpenClRuntime.Devices(); }
            catch (Exception) { } // the command's own Resolve meets the same failure (the discovery is cached) and reports it
        });
    }

    /// <summary>Every device --device names: the one <see cref="Resolve"/> gives, or with all the CPU and each OpenCL device (PoCL included: bench compares them).</summary>
    public IReadOnlyList<Device> ResolveAll(int cpuThreads, TextWriter? notes)
    {
        if (Request != DeviceRequest.All) return [Resolve(cpuThreads, notes)];
        var devices = new List<Device> { new CpuDevice(cpuThreads) };
        var found = OpenClRuntime.Devices();
        for (int i = 0; i < found.Count; i++) devices.Add(OpenCl(i));
        if (found.Count == 0) notes?.WriteLine($"device: all is the CPU only: {OpenClRuntime.UnavailableReason}");
        return devices;
    }

    /// <summary>
    /// A maker of devices for runs that execute side by side (`recurrent run`): each CPU run gets its own
    /// <paramref name="cpuThreadsPerRun"/>-thread device; an OpenCL device is one queue, shared.
    /// </summary>
    public Func<Device> Factory(int cpuThreadsPerRun, TextWriter? notes)
    {
        Device first = Resolve(cpuThreadsPerRun, notes);
        if (first.Kind != DeviceKind.Cpu) return () => first;
        return () => new CpuDevice(cpuThreadsPerRun);
    }

    // ---- the OpenCL seam --------------------------------------------------------------------------------------

    /// <summary>What to install when there is no OpenCL at all (exit 2 says it).</summary>
    public const string InstallHint =
        "install an OpenCL driver: `apt-get install pocl-opencl-icd ocl-icd-libopencl1` (OpenCL on the CPU), or your GPU vendor's OpenCL driver; " +
        "`recurrent devices` lists what is found";

    /// <summary>Why auto did not pick an OpenCL device, in one clause.</summary>
    private static string NoGpu()
    {
        var found = OpenClRuntime.Devices();
        if (found.Count == 0) return $"no OpenCL device ({OpenClRuntime.UnavailableReason})";
        string others = string.Join(", ", found.Select(d => $"{d.Moniker} {d.Name} ({d.Type})"));
        return $"no OpenCL GPU; found {others}, and an OpenCL CPU device runs the same work slower than the CPU device (choose it with --device opencl:N)";
    }

    private static OpenClDevice OpenCl(int index)
    {
        string asked = $"--device opencl{(index == 0 ? "" : $":{index}")}";
        if (!OpenClRuntime.IsAvailable)
            throw new UsageException($"{asked}: OpenCL is not available: {OpenClRuntime.UnavailableReason}. To use it, {InstallHint}; or use --device cpu");
        int count = OpenClRuntime.Devices().Count;
        if (index >= count)
            throw new UsageException($"{asked}: there {(count == 1 ? "is 1 OpenCL device (opencl:0)" : $"are {count} OpenCL devices (opencl:0 … opencl:{count - 1})")}; see `recurrent devices`");
        return OpenClRuntime.Open(index);
    }
}
