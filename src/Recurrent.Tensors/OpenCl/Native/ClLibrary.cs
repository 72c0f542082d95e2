// Finds the OpenCL ICD loader (libOpenCL.so.1 on Linux, where the unversioned .so ships only with -dev packages).
using System.Reflection;
using System.Runtime.InteropServices;

namespace Recurrent.Tensors.OpenCl.Native;

internal static class ClLibrary
{
    private static readonly string[] Candidates = OperatingSystem.IsWindows() ? ["OpenCL.dll"]
        : OperatingSystem.IsMacOS() ? ["/System/Library/Frameworks/OpenCL.framework/OpenCL"]
        : ["libOpenCL.so.1", "libOpenCL.so"];

    private static readonly Lazy<(nint Handle, string? Error)> Loaded = new(Load);

    /// <summary>
    /// Installs the resolver (once per process) and loads the loader; returns null when it is there, else why not.
    /// Must run before the first call into <see cref="ClApi"/>: <see cref="OpenClRuntime"/> calls it first thing.
    /// </summary>
    public static string? EnsureLoaded() => Loaded.Value.Error;

    private static (nint, string?) Load()
    {
        NativeLibrary.SetDllImportResolver(typeof(ClLibrary).Assembly, Resolve);
        foreach (string name in Candidates)
            if (NativeLibrary.TryLoad(name, out nint handle)) return (handle, null);
        return (0, $"the OpenCL loader ({string.Join(" or ", Candidates)}) is not installed; on Debian/Ubuntu: apt-get install ocl-icd-libopencl1 and a driver such as pocl-opencl-icd");
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == ClApi.Library ? Loaded.Value.Handle : 0;
}
