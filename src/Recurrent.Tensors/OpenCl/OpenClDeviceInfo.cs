// What discovery reports about one OpenCL device: identity, kind, memory and the limits the kernels care about.
namespace Recurrent.Tensors.OpenCl;

public enum OpenClDeviceType
{
    Gpu,
    Cpu,
    Accelerator,
    Other,
}

/// <summary>
/// One OpenCL device as <see cref="OpenClRuntime.Devices"/> lists it. <see cref="Index"/> is its position in that list
/// (platforms in the loader's order, each platform's devices in its order): the N of <c>--device opencl:N</c>.
/// </summary>
public sealed record OpenClDeviceInfo
{
    public required int Index { get; init; }
    public required string PlatformName { get; init; }
    public required string PlatformVendor { get; init; }
    public required string PlatformVersion { get; init; }
    public required string Name { get; init; }
    public required string Vendor { get; init; }
    public required string DriverVersion { get; init; }
    /// <summary>The device's "OpenCL x.y …" version string.</summary>
    public required string DeviceVersion { get; init; }
    /// <summary>The OpenCL C version its compiler accepts ("OpenCL C 1.2 …"); the kernels need 1.2.</summary>
    public required string OpenClCVersion { get; init; }
    public required OpenClDeviceType Type { get; init; }
    public required long GlobalMemoryBytes { get; init; }
    /// <summary>The largest single buffer: the largest tensor storage this device can hold.</summary>
    public required long MaxAllocationBytes { get; init; }
    public required int ComputeUnits { get; init; }
    public required int MaxWorkGroupSize { get; init; }
    public required long LocalMemoryBytes { get; init; }
    /// <summary>cl_khr_fp64: float64 tensors (gradient checks) can live on this device.</summary>
    public required bool HasFp64 { get; init; }

    internal nint PlatformId { get; init; }
    internal nint DeviceId { get; init; }

    /// <summary>"opencl:0", the name the device goes by in messages and on the command line.</summary>
    public string Moniker => $"opencl:{Index}";

    public override string ToString() =>
        $"{Moniker}: {Name} ({Type}, {PlatformName}), {GlobalMemoryBytes / (1024 * 1024)} MiB, {ComputeUnits} compute units{(HasFp64 ? ", fp64" : "")}";
}
