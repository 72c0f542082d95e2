// The one seam where the command line turns --device (auto | cpu | opencl[:N], and all for bench) into devices.
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Cli;

public enum DeviceRequest
{
    Auto,
    Cpu,
    OpenCl,
    All,
}

/// <summary>
/// A parsed --device value. Every command resolves its devices here and nowhere else, so plugging in a backend means
/// changing <see cref="OpenClDevices"/> and <see cref="OpenCl"/> only.
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
    /// The one device a command computes on. auto: an OpenCL device if there is one, else the CPU — and it says on
    /// <paramref name="notes"/> which it chose (null: say nothing). <paramref name="cpuThreads"/>: the CPU device's threads.
    /// </summary>
    public Device Resolve(int cpuThreads, TextWriter? notes)
    {
        switch (Request)
        {
            case DeviceRequest.Cpu: return new CpuDevice(cpuThreads);
            case DeviceRequest.OpenCl: return OpenCl(OpenClIndex ?? 0);
            case DeviceRequest.Auto:
                if (OpenClDevices.Count > 0)
                {
                    notes?.WriteLine($"device: auto chose opencl:0 ({OpenClDevices[0]})");
                    return OpenCl(0);
                }
                notes?.WriteLine($"device: auto chose the CPU ({cpuThreads} thread{(cpuThreads == 1 ? "" : "s")}): {NoOpenCl}");
                return new CpuDevice(cpuThreads);
            default:
                throw new UsageException("--device all is only for `recurrent bench`; choose one device: " + Accepted);
        }
    }

    /// <summary>Every device --device names: the one <see cref="Resolve"/> gives, or with all the CPU and each OpenCL device.</summary>
    public IReadOnlyList<Device> ResolveAll(int cpuThreads, TextWriter? notes)
    {
        if (Request != DeviceRequest.All) return [Resolve(cpuThreads, notes)];
        var devices = new List<Device> { new CpuDevice(cpuThreads) };
        for (int i = 0; i < OpenClDevices.Count; i++) devices.Add(OpenCl(i));
        if (OpenClDevices.Count == 0) notes?.WriteLine($"device: all is the CPU only: {NoOpenCl}");
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
    // The OpenCL backend (Recurrent.Tensors.OpenCl) is built on another branch; once merged, these two members list
    // its devices and open one. Nothing else in the command line needs to change.

    private const string NoOpenCl = "no OpenCL device in this build (the OpenCL backend is not merged yet)";

    /// <summary>The OpenCL devices found, by index, as their names.</summary>
    internal static IReadOnlyList<string> OpenClDevices => [];

    private static Device OpenCl(int index)
    {
        if (OpenClDevices.Count == 0)
            throw new UsageException($"--device opencl{(index == 0 ? "" : $":{index}")}: {NoOpenCl}; use --device cpu");
        if (index >= OpenClDevices.Count)
            throw new UsageException($"--device opencl:{index}: there are {OpenClDevices.Count} OpenCL devices (0…{OpenClDevices.Count - 1}); see `recurrent devices`");
        throw new UsageException($"--device opencl:{index}: {NoOpenCl}");
    }
}
