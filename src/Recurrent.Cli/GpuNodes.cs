// Whether this machine has a GPU at all, from its device nodes: --device auto asks OpenCL only when it does.
namespace Recurrent.Cli;

/// <summary>
/// An OpenCL GPU driver needs the kernel's device node for its GPU: /dev/dri (Intel, AMD, Mesa, PowerVR), /dev/kfd (AMD
/// ROCm), /dev/nvidia* (NVIDIA), /dev/mali*, /dev/kgsl* (Arm, Qualcomm), /dev/galcore (Vivante), /dev/dxg (WSL). With none
/// of them there is no OpenCL GPU to find, and <c>--device auto</c> skips loading the OpenCL drivers: PoCL alone brings in
/// LLVM, 0.1 s warm and 0.4–0.9 s from a cold page cache (measured: a notebook run 2.15–2.81 s cold against 1.73–1.92 s).
/// Other systems than Linux have no such nodes to look at: there the drivers are always asked.
/// </summary>
public static class GpuNodes
{
    public const string Described = "/dev/dri, /dev/kfd, /dev/nvidia*, /dev/mali*, /dev/kgsl*, /dev/galcore, /dev/dxg";

    private static readonly string[] Prefixes = ["nvidia", "mali", "kgsl", "galcore", "dxg", "kfd"];

    private static readonly Lazy<bool> Found = new(() => Look("/dev"));

    /// <summary>True when this machine may have a GPU (always, off Linux).</summary>
    public static bool Present() => !OperatingSystem.IsLinux() || Found.Value;

    /// <summary>Whether <paramref name="dev"/> (a /dev directory) holds a GPU node: a non-empty dri/, or one of the named nodes.</summary>
    internal static bool Look(string dev)
    {
        try
        {
            string dri = Path.Combine(dev, "dri");
            if (Directory.Exists(dri) && Directory.EnumerateFileSystemEntries(dri).Any()) return true;
            return Directory.EnumerateFileSystemEntries(dev).Select(Path.GetFileName)
                .Any(name => name is not null && Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true; // cannot tell: ask the drivers, as before
        }
    }
}
