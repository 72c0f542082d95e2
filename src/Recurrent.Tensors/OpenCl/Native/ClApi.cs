// The OpenCL 1.2 entry points this library calls, and nothing else: P/Invoke declarations over libOpenCL.so.1.
using System.Runtime.InteropServices;

namespace Recurrent.Tensors.OpenCl.Native;

/// <summary>
/// Raw OpenCL calls. Every function returns (or writes through errcodeRet) a cl_int status; callers go through
/// <see cref="ClStatus.Check"/> so a failure becomes an <see cref="OpenClException"/> naming the code and the call.
/// Sizes are size_t (nuint); bitfields and enums are cl_ulong / cl_uint as the headers declare them.
/// </summary>
internal static unsafe partial class ClApi
{
    /// <summary>The name every import uses; <see cref="ClLibrary"/> resolves it to the installed ICD loader.</summary>
    public const string Library = "OpenCL";

    // ---- platforms and devices ----

    [LibraryImport(Library)]
    public static partial int clGetPlatformIDs(uint numEntries, nint* platforms, uint* numPlatforms);

    [LibraryImport(Library)]
    public static partial int clGetPlatformInfo(nint platform, uint paramName, nuint valueSize, void* value, nuint* valueSizeRet);

    [LibraryImport(Library)]
    public static partial int clGetDeviceIDs(nint platform, ulong deviceType, uint numEntries, nint* devices, uint* numDevices);

    [LibraryImport(Library)]
    public static partial int clGetDeviceInfo(nint device, uint paramName, nuint valueSize, void* value, nuint* valueSizeRet);

    // ---- context and queue ----

    [LibraryImport(Library)]
    public static partial ClContextHandle clCreateContext(nint* properties, uint numDevices, nint* devices, nint pfnNotify, nint userData, int* errcodeRet);

    [LibraryImport(Library)]
    public static partial int clReleaseContext(nint context);

    /// <summary>The OpenCL 1.2 form (deprecated in 2.0 but present in every ICD loader): properties as a bitfield.</summary>
    [LibraryImport(Library)]
    public static partial ClQueueHandle clCreateCommandQueue(ClContextHandle context, nint device, ulong properties, int* errcodeRet);

    [LibraryImport(Library)]
    public static partial int clReleaseCommandQueue(nint queue);

    [LibraryImport(Library)]
    public static partial int clFlush(ClQueueHandle queue);

    [LibraryImport(Library)]
    public static partial int clFinish(ClQueueHandle queue);

    // ---- memory ----

    [LibraryImport(Library)]
    public static partial ClMemHandle clCreateBuffer(ClContextHandle context, ulong flags, nuint size, void* hostPtr, int* errcodeRet);

    [LibraryImport(Library)]
    public static partial int clReleaseMemObject(nint memobj);

    [LibraryImport(Library)]
    public static partial int clEnqueueReadBuffer(ClQueueHandle queue, ClMemHandle buffer, uint blocking, nuint offset, nuint size, void* ptr,
        uint numEventsInWaitList, nint* eventWaitList, nint* evt);

    [LibraryImport(Library)]
    public static partial int clEnqueueWriteBuffer(ClQueueHandle queue, ClMemHandle buffer, uint blocking, nuint offset, nuint size, void* ptr,
        uint numEventsInWaitList, nint* eventWaitList, nint* evt);

    [LibraryImport(Library)]
    public static partial int clEnqueueCopyBuffer(ClQueueHandle queue, ClMemHandle src, ClMemHandle dst, nuint srcOffset, nuint dstOffset, nuint size,
        uint numEventsInWaitList, nint* eventWaitList, nint* evt);

    [LibraryImport(Library)]
    public static partial int clEnqueueFillBuffer(ClQueueHandle queue, ClMemHandle buffer, void* pattern, nuint patternSize, nuint offset, nuint size,
        uint numEventsInWaitList, nint* eventWaitList, nint* evt);

    // ---- events (the staged host-to-device writes) ----

    [LibraryImport(Library)]
    public static partial int clGetEventInfo(nint evt, uint paramName, nuint valueSize, void* value, nuint* valueSizeRet);

    [LibraryImport(Library)]
    public static partial int clWaitForEvents(uint numEvents, nint* eventList);

    [LibraryImport(Library)]
    public static partial int clReleaseEvent(nint evt);

    // ---- programs and kernels ----

    [LibraryImport(Library)]
    public static partial ClProgramHandle clCreateProgramWithSource(ClContextHandle context, uint count, byte** strings, nuint* lengths, int* errcodeRet);

    [LibraryImport(Library)]
    public static partial int clBuildProgram(ClProgramHandle program, uint numDevices, nint* devices, byte* options, nint pfnNotify, nint userData);

    [LibraryImport(Library)]
    public static partial int clGetProgramBuildInfo(ClProgramHandle program, nint device, uint paramName, nuint valueSize, void* value, nuint* valueSizeRet);

    [LibraryImport(Library)]
    public static partial int clReleaseProgram(nint program);

    [LibraryImport(Library)]
    public static partial ClKernelHandle clCreateKernel(ClProgramHandle program, byte* kernelName, int* errcodeRet);

    [LibraryImport(Library)]
    public static partial int clReleaseKernel(nint kernel);

    [LibraryImport(Library)]
    public static partial int clSetKernelArg(ClKernelHandle kernel, uint argIndex, nuint argSize, void* argValue);

    [LibraryImport(Library)]
    public static partial int clEnqueueNDRangeKernel(ClQueueHandle queue, ClKernelHandle kernel, uint workDim, nuint* globalWorkOffset,
        nuint* globalWorkSize, nuint* localWorkSize, uint numEventsInWaitList, nint* eventWaitList, nint* evt);

    // ---- constants (cl.h) ----

    public const uint CL_PLATFORM_VERSION = 0x0901, CL_PLATFORM_NAME = 0x0902, CL_PLATFORM_VENDOR = 0x0903;

    public const ulong CL_DEVICE_TYPE_CPU = 1 << 1, CL_DEVICE_TYPE_GPU = 1 << 2, CL_DEVICE_TYPE_ACCELERATOR = 1 << 3, CL_DEVICE_TYPE_ALL = 0xFFFFFFFF;

    public const uint CL_DEVICE_TYPE = 0x1000, CL_DEVICE_MAX_COMPUTE_UNITS = 0x1002, CL_DEVICE_MAX_WORK_GROUP_SIZE = 0x1004,
        CL_DEVICE_MAX_MEM_ALLOC_SIZE = 0x1010, CL_DEVICE_GLOBAL_MEM_SIZE = 0x101F, CL_DEVICE_LOCAL_MEM_SIZE = 0x1023,
        CL_DEVICE_NAME = 0x102B, CL_DEVICE_VENDOR = 0x102C, CL_DRIVER_VERSION = 0x102D, CL_DEVICE_VERSION = 0x102F,
        CL_DEVICE_EXTENSIONS = 0x1030, CL_DEVICE_OPENCL_C_VERSION = 0x103D;

    public const nint CL_CONTEXT_PLATFORM = 0x1084;
    public const ulong CL_MEM_READ_WRITE = 1 << 0;
    public const uint CL_PROGRAM_BUILD_LOG = 0x1183;
    public const uint CL_TRUE = 1, CL_FALSE = 0;
    public const uint CL_EVENT_COMMAND_EXECUTION_STATUS = 0x11D3;
    public const int CL_COMPLETE = 0;
}
