// Discovery of the OpenCL platforms and devices, without throwing when there are none, and the one device object per device.
using System.Text;
using Recurrent.Tensors.OpenCl.Native;

namespace Recurrent.Tensors.OpenCl;

/// <summary>
/// The entry point of the OpenCL path:
/// <list type="bullet">
/// <item><see cref="Devices"/> lists every device of every platform (empty, never an exception, when there is none);</item>
/// <item><see cref="UnavailableReason"/> says why that list is empty (no libOpenCL.so.1, no platform/ICD, no device);</item>
/// <item><see cref="Open"/> gives the process's one <see cref="OpenClDevice"/> for a listed device.</item>
/// </list>
/// Discovery runs once per process and is cached.
/// </summary>
public static class OpenClRuntime
{
    private static readonly Lazy<(IReadOnlyList<OpenClDeviceInfo> Devices, string? Reason)> Discovered = new(Discover);
    private static readonly Dictionary<int, OpenClDevice> Opened = [];

    /// <summary>Every OpenCL device found, in index order; empty when OpenCL is unavailable (see <see cref="UnavailableReason"/>).</summary>
    public static IReadOnlyList<OpenClDeviceInfo> Devices() => Discovered.Value.Devices;

    /// <summary>True when at least one OpenCL device is there.</summary>
    public static bool IsAvailable => Discovered.Value.Reason is null;

    /// <summary>Null when at least one device is there; otherwise why not, in words a user can act on.</summary>
    public static string? UnavailableReason => Discovered.Value.Reason;

    /// <summary>
    /// The device at <paramref name="index"/> of <see cref="Devices"/>, opened once per process (context, queue; kernels
    /// compile on first use). Throws <see cref="InvalidOperationException"/> when OpenCL is unavailable, saying why.
    /// </summary>
    public static OpenClDevice Open(int index = 0)
    {
        var (devices, reason) = Discovered.Value;
        if (reason is not null) throw new InvalidOperationException($"OpenCL is not available: {reason}");
        if ((uint)index >= (uint)devices.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"there are {devices.Count} OpenCL device(s), opencl:0 to opencl:{devices.Count - 1}");
        lock (Opened)
        {
            if (!Opened.TryGetValue(index, out var device)) Opened[index] = device = new OpenClDevice(devices[index]);
            return device;
        }
    }

    /// <summary>The first GPU in <see cref="Devices"/>, or null: what <c>--device auto</c> prefers over the CPU.</summary>
    public static OpenClDeviceInfo? FirstGpu() => Devices().FirstOrDefault(d => d.Type == OpenClDeviceType.Gpu);

    private static (IReadOnlyList<OpenClDeviceInfo>, string?) Discover()
    {
        string? missing = ClLibrary.EnsureLoaded();
        if (missing is not null) return ([], missing);
        try
        {
            var devices = Enumerate(out string? reason);
            return (devices, devices.Count > 0 ? null : reason);
        }
        catch (Exception e) when (e is OpenClException or DllNotFoundException or EntryPointNotFoundException)
        {
            return ([], $"OpenCL discovery failed: {e.Message}");
        }
    }

    private static unsafe List<OpenClDeviceInfo> Enumerate(out string? reason)
    {
        var result = new List<OpenClDeviceInfo>();
        uint count = 0;
        int status = ClApi.clGetPlatformIDs(0, null, &count);
        // The ICD loader answers CL_PLATFORM_NOT_FOUND_KHR when no driver (ICD) is registered in /etc/OpenCL/vendors.
        if (status == -1001 || (status == 0 && count == 0))
        {
            reason = "no OpenCL platform is installed (no ICD in /etc/OpenCL/vendors); on Debian/Ubuntu: apt-get install pocl-opencl-icd for the CPU, or your GPU vendor's OpenCL driver";
            return result;
        }
        ClStatus.Check(status, "clGetPlatformIDs");
        var platforms = new nint[count];
        fixed (nint* p = platforms) ClStatus.Check(ClApi.clGetPlatformIDs(count, p, null), "clGetPlatformIDs");

        foreach (nint platform in platforms)
        {
            uint n = 0;
            status = ClApi.clGetDeviceIDs(platform, ClApi.CL_DEVICE_TYPE_ALL, 0, null, &n);
            if (status == -1 || n == 0) continue; // CL_DEVICE_NOT_FOUND: a platform with no device
            ClStatus.Check(status, "clGetDeviceIDs");
            var ids = new nint[n];
            fixed (nint* d = ids) ClStatus.Check(ClApi.clGetDeviceIDs(platform, ClApi.CL_DEVICE_TYPE_ALL, n, d, null), "clGetDeviceIDs");
            foreach (nint id in ids) result.Add(Describe(result.Count, platform, id));
        }
        reason = result.Count > 0 ? null : $"{count} OpenCL platform(s) found, but none has a device";
        return result;
    }

    private static OpenClDeviceInfo Describe(int index, nint platform, nint device)
    {
        ulong type = DeviceScalar<ulong>(device, ClApi.CL_DEVICE_TYPE);
        string extensions = DeviceString(device, ClApi.CL_DEVICE_EXTENSIONS);
        return new OpenClDeviceInfo
        {
            Index = index,
            PlatformName = PlatformString(platform, ClApi.CL_PLATFORM_NAME),
            PlatformVendor = PlatformString(platform, ClApi.CL_PLATFORM_VENDOR),
            PlatformVersion = PlatformString(platform, ClApi.CL_PLATFORM_VERSION),
            Name = DeviceString(device, ClApi.CL_DEVICE_NAME),
            Vendor = DeviceString(device, ClApi.CL_DEVICE_VENDOR),
            DriverVersion = DeviceString(device, ClApi.CL_DRIVER_VERSION),
            DeviceVersion = DeviceString(device, ClApi.CL_DEVICE_VERSION),
            OpenClCVersion = DeviceString(device, ClApi.CL_DEVICE_OPENCL_C_VERSION),
            Type = (type & ClApi.CL_DEVICE_TYPE_GPU) != 0 ? OpenClDeviceType.Gpu
                : (type & ClApi.CL_DEVICE_TYPE_CPU) != 0 ? OpenClDeviceType.Cpu
                : (type & ClApi.CL_DEVICE_TYPE_ACCELERATOR) != 0 ? OpenClDeviceType.Accelerator
                : OpenClDeviceType.Other,
            GlobalMemoryBytes = (long)DeviceScalar<ulong>(device, ClApi.CL_DEVICE_GLOBAL_MEM_SIZE),
            MaxAllocationBytes = (long)DeviceScalar<ulong>(device, ClApi.CL_DEVICE_MAX_MEM_ALLOC_SIZE),
            ComputeUnits = (int)DeviceScalar<uint>(device, ClApi.CL_DEVICE_MAX_COMPUTE_UNITS),
            MaxWorkGroupSize = (int)Math.Min(int.MaxValue, (ulong)DeviceScalar<nuint>(device, ClApi.CL_DEVICE_MAX_WORK_GROUP_SIZE)),
            LocalMemoryBytes = (long)DeviceScalar<ulong>(device, ClApi.CL_DEVICE_LOCAL_MEM_SIZE),
            HasFp64 = extensions.Split(' ').Contains("cl_khr_fp64"),
            PlatformId = platform,
            DeviceId = device,
        };
    }

    private static unsafe T DeviceScalar<T>(nint device, uint param) where T : unmanaged
    {
        T value = default;
        ClStatus.Check(ClApi.clGetDeviceInfo(device, param, (nuint)sizeof(T), &value, null), $"clGetDeviceInfo(0x{param:X})");
        return value;
    }

    private static unsafe string DeviceString(nint device, uint param)
    {
        nuint size = 0;
        ClStatus.Check(ClApi.clGetDeviceInfo(device, param, 0, null, &size), $"clGetDeviceInfo(0x{param:X})");
        var bytes = new byte[(int)size];
        fixed (byte* b = bytes) ClStatus.Check(ClApi.clGetDeviceInfo(device, param, size, b, null), $"clGetDeviceInfo(0x{param:X})");
        return Text(bytes);
    }

    private static unsafe string PlatformString(nint platform, uint param)
    {
        nuint size = 0;
        ClStatus.Check(ClApi.clGetPlatformInfo(platform, param, 0, null, &size), $"clGetPlatformInfo(0x{param:X})");
        var bytes = new byte[(int)size];
        fixed (byte* b = bytes) ClStatus.Check(ClApi.clGetPlatformInfo(platform, param, size, b, null), $"clGetPlatformInfo(0x{param:X})");
        return Text(bytes);
    }

    /// <summary>A NUL-terminated C string (OpenCL counts the NUL in its sizes), trimmed.</summary>
    internal static string Text(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]).Trim();
    }
}
